"""Labels: the charset, the shapes that travel with it, and text <-> class indices.

Taught in notebook 02. The class layout follows clovaai's CTCLabelConverter:
index 0 is the CTC blank (written "-"), the characters are 1..N. The model, the
loss and the decoder all use this one convention (see `BLANK_INDEX`).
"""
from __future__ import annotations

import functools

import numpy as np

from ocr_lab.messages import message  # notebook 02 shows a learner the charset error

NUMBERS = "0123456789"
ENG_CHAR_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ENG_CHAR_LOWER = ENG_CHAR_UPPER.lower()
TARGET_CHARACTERS = ENG_CHAR_UPPER + NUMBERS  # the lecture's 36: labels are upper-cased before encoding
# What the command line's recognizer prints: text as printed, with the punctuation that signs, dates,
# prices and addresses carry and that the generator draws ("03/09/2009", "$4.99", "O'Neil", "No.5",
# "Rock&Roll", "50%", "#1", "12:30", "Yes!"). Not "-": it is the lecture's written blank (`BLANK`), so
# a hyphen is read as nothing, as in the 36-character charset.
PUNCTUATION = "!#$%&'+,./:?"
CASED_CHARACTERS = NUMBERS + ENG_CHAR_UPPER + ENG_CHAR_LOWER + PUNCTUATION
CHARSETS = {"lecture": TARGET_CHARACTERS, "cased": CASED_CHARACTERS}

BLANK = "-"
BLANK_INDEX = 0

# The constants a learner may change. They are stored in every checkpoint, so a
# loaded model always gets the values it was trained with.
IMG_SIZE = (100, 32)  # (width, height): arrays are width-first, (100, 32, 3), as in the lecture
MAX_TEXT_LEN = 22  # the width of the padded label array
TIME_STEPS = 24  # what the CRNN's conv stack turns a 100-pixel-wide image into


def is_cased(characters: str) -> bool:
    """True when a charset tells upper from lower case; labels for one that does not are upper-cased."""
    return any(c.islower() for c in characters)


def ctc_min_steps(text: str) -> int:
    """Time steps CTC needs to emit `text`: one per character, plus a blank between repeats.

    "HELLO" needs 6 steps (H E L - L O), so a 24-step model can only learn labels
    whose `ctc_min_steps` is at most 24; longer ones give an infinite loss.
    """
    repeats = sum(1 for a, b in zip(text, text[1:]) if a == b)
    return len(text) + repeats


def ctc_lengths(labels, time_steps: int = TIME_STEPS) -> tuple[np.ndarray, np.ndarray]:
    """`(input_length, label_length)`, each `(batch, 1)`, for a batch of padded labels (0 is padding).

    CTC's T is the number of softmax steps the model outputs (`time_steps`), the same for
    every image: not the image's width in pixels and not the label array's width. U is the
    number of real characters in each label. Notebook 02 asks the learner to write this.
    """
    labels = np.asarray(labels)
    if labels.ndim != 2:
        raise ValueError(f"labels must be a padded batch, (batch, max_text_len); got shape {labels.shape}")
    input_length = np.full([len(labels), 1], time_steps, dtype=np.int64)
    label_length = (labels != BLANK_INDEX).sum(axis=1, keepdims=True).astype(np.int64)
    return input_length, label_length


class LabelConverter:
    """Convert between text labels and class indices.

    `encode("HELLO")` gives `[8, 5, 12, 12, 15]`: plain character indices. CTC's own
    blank separates the two L's when the model emits them, so the target needs no
    separator.

    `lecture_separator=True` reproduces the lecture's encoding, `[8, 5, 12, 0, 12, 15]`
    ("HEL-LO"). In the lecture, Keras' `ctc_batch_cost` put the real blank at the
    *last* class, so that `0` was an ordinary class the model had to learn to print
    between repeated letters. Notebook 02 compares the two; training uses the default.
    """

    def __init__(self, character: str = TARGET_CHARACTERS, lecture_separator: bool = False):
        if BLANK in character:
            raise ValueError(f"the charset may not contain {BLANK!r}: it is reserved for the CTC blank")
        if len(set(character)) != len(character):
            raise ValueError(f"the charset {character!r} has repeated characters")
        self.character = BLANK + character
        self.lecture_separator = lecture_separator
        self.label_map = {char: i for i, char in enumerate(self.character)}

    @property
    def num_classes(self) -> int:
        """Softmax width: the blank plus one class per character."""
        return len(self.character)

    def encode(self, text: str) -> np.ndarray:
        encoded = []
        for i, char in enumerate(text):
            if char not in self.label_map or char == BLANK:
                raise ValueError(message("labels.not_in_charset", text=text, char=char, charset=self.character[1:]))
            if self.lecture_separator and i > 0 and char == text[i - 1]:
                encoded.append(BLANK_INDEX)
            encoded.append(self.label_map[char])
        return np.array(encoded, dtype=np.int64)

    def decode(self, encoded_label) -> str:
        """Map indices back to characters; index 0 prints as "-", as in the lecture."""
        return "".join(self.character[int(i)] for i in encoded_label)


@functools.lru_cache(maxsize=None)
def english_lexicon() -> tuple[str, ...]:
    """The English lexicon, lower case, letters only: about 86k words, sorted.

    The words that both the GNU Collaborative International Dictionary of English and
    Webster's 2nd (FreeBSD's web2) list, from the `english-words` package: a real
    dictionary of about the size of MJSynth's 90k Hunspell words. The generator draws
    its words from it (`ocr_lab.synth`) and the lexicon decoder checks readings against
    it (`ocr_lab.decode.lexicon_decode`).
    """
    from english_words import get_english_words_set

    gcide = get_english_words_set(["gcide"], alpha=True, lower=True)
    web2 = get_english_words_set(["web2"], alpha=True, lower=True)
    return tuple(sorted(w for w in gcide & web2 if w.isascii() and w.isalpha()))


@functools.lru_cache(maxsize=None)
def english_word_forms() -> tuple[str, ...]:
    """`english_lexicon` and the word forms it lacks, lower case, letters only: about 165k words, sorted.

    A dictionary lists headwords: "gallery" but not "galleries", "ship" but not "shipped", few
    names. Signs and pages print word forms, so the lexicon decoder (`ocr_lab.decode.english`)
    checks readings against these: the dictionary's words and pyspellchecker's English list
    (words counted at least 50 times in OpenSubtitles, plurals, verb forms and common names
    included). The generator keeps drawing from `english_lexicon` alone.
    """
    from spellchecker import SpellChecker

    counted = SpellChecker("en").word_frequency.dictionary
    forms = {w for w in counted if w.isascii() and w.isalpha()}
    return tuple(sorted(forms.union(english_lexicon())))
