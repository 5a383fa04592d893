"""Decode: per-step softmax -> strings, for a whole batch in one call.

Taught in notebooks 02 and 05. Greedy (best path) decoding takes the most likely
class at each step, merges repeats and drops blanks: "HH-EL-LLO" -> "HELLO".
Beam search keeps the `beam_width` best prefixes and sums the paths that give the
same text, which helps when the model is unsure. Lexicon decoding (the CRNN paper's
"lexicon-based transcription") trades a reading for a dictionary word close to it
when the model finds that word almost as likely as its own reading. Words are matched
case-folded and written in the case the network read them: a cased model that reads
"Pacilic" gets "Pacific", and "PACIFIC" when it read capitals. A cased model's reading
takes one case pattern for the whole word (`word_case`): "ALL", not "ALl".
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from ocr_lab.labels import BLANK, BLANK_INDEX, TARGET_CHARACTERS, english_word_forms, is_cased
from ocr_lab.messages import message  # a learner pastes the lecture's calls here: the errors are in their language


def _check(y_pred, characters):
    y_pred = np.asarray(y_pred, dtype=np.float32)
    if y_pred.ndim == 2:
        raise ValueError(message("decode.one_output", shape=y_pred.shape))
    if y_pred.ndim != 3:
        raise ValueError(message("decode.shape", shape=y_pred.shape))
    classes = y_pred.shape[-1]
    if characters.startswith(BLANK) and classes == len(characters):
        raise ValueError(message("decode.lecture_chars", blank=BLANK))
    if classes == len(characters) + 2:
        raise ValueError(message("decode.lecture_layout", classes=classes, ours=len(characters) + 1))
    if classes != len(characters) + 1:
        raise ValueError(message("decode.classes", classes=classes, characters=len(characters),
                                 ours=len(characters) + 1))
    return y_pred


def greedy_decode(y_pred, characters: str = TARGET_CHARACTERS) -> tuple[list[str], np.ndarray]:
    """Best-path decoding. Returns (texts, confidences).

    The confidence of a text is the probability of its best path: the product of the
    per-step maxima. It is low when any one step was uncertain. A cased charset is
    decoded letter first, case second (`case_folded`).
    """
    y_pred = _check(y_pred, characters)
    if is_cased(characters):
        return _greedy_decode_cased(y_pred, characters)
    best = y_pred.argmax(-1)                                          # [b, t]
    keep = best != BLANK_INDEX
    keep[:, 1:] &= best[:, 1:] != best[:, :-1]                        # merge repeats
    texts = ["".join(characters[i - 1] for i in row[mask]) for row, mask in zip(best, keep)]
    confidences = np.exp(np.log(np.clip(y_pred.max(-1), 1e-12, 1.0)).sum(-1))
    return texts, confidences


def case_folded(characters: str) -> np.ndarray:
    """For each class of a cased charset (blank first), the class of its letter with case ignored.

    A cased model splits what it believes of a letter between its two cases, most of all for
    the letters whose cases have one shape (c/C, o/O, s/S, v/V, w/W, x/X, z/Z): 0.35 "o" and
    0.30 "O" lose to a 0.40 blank, although the step almost surely holds an o. Adding the two
    cases before choosing, as the case-insensitive score reads anyway, keeps the letter; its case
    is then the likelier of the two.
    """
    letters = "".join(dict.fromkeys(c.casefold() for c in characters))  # each letter once, in order
    return np.array([BLANK_INDEX] + [1 + letters.index(c.casefold()) for c in characters])


# How much likelier (as a log-probability) a word's letter-by-letter case must be than the likeliest of
# "word", "Word" and "WORD" to be kept. Printed words are almost always in one of these three (the
# generator draws only them, `synth.text.random_case`); mixed case ("iPhone", "McDonald") is rare, so
# its prior is put at 1 in 100: log 99 = 4.6. Set from that prior, not tuned on any crop.
MIXED_CASE_PENALTY = float(np.log(99.0))
OWN_CASE = re.compile(r"(?<=\d)(st|nd|rd|th)|(?<=')[a-z]+", re.IGNORECASE)


def word_case(text: str, upper_logp: np.ndarray, lower_logp: np.ndarray, penalty: float = MIXED_CASE_PENALTY) -> str:
    """`text` in the case of the whole word: lower, Capitalised or UPPER, unless its own mixed case is likelier by `penalty`.

    `upper_logp` and `lower_logp` are, for each character of `text`, the log-probability the network
    gave its upper- and lower-case class. Reading case letter by letter turns a small capital into
    "ALl" or "pRIORY"; a word's letters share one case pattern, so the network's belief about all of
    them decides it together (the same idea as the lexicon: a prior over what text looks like).
    Characters without case (digits, punctuation) take no part, nor do the letters that keep their own
    case beside a word's (`OWN_CASE`): an ordinal's suffix ("3rd Ave", "21ST") and what follows an
    apostrophe ("WORD's"), both of which the generator draws too.
    """
    cased = np.array([c.lower() != c.upper() for c in text], dtype=bool)
    for match in OWN_CASE.finditer(text):
        cased[match.start():match.end()] = False
    if cased.sum() < 2:
        return text
    up, low = np.asarray(upper_logp)[cased], np.asarray(lower_logp)[cased]
    total = np.logaddexp(up, low)
    up, low = up - total, low - total                       # each letter's case as a probability of its two
    patterns = {"lower": np.zeros(len(up), bool), "upper": np.ones(len(up), bool),
                "title": np.arange(len(up)) == 0}
    scores = {name: np.where(upper, up, low).sum() for name, upper in patterns.items()}
    name = max(scores, key=scores.get)
    if scores[name] < np.maximum(up, low).sum() - penalty:   # the letters' own mixed case is far likelier
        return text
    letters = iter(patterns[name])
    return "".join((c.upper() if next(letters) else c.lower()) if is_letter else c
                   for c, is_letter in zip(text, cased))


def _greedy_decode_cased(y_pred: np.ndarray, characters: str) -> tuple[list[str], np.ndarray]:
    """`greedy_decode` on the letters (`case_folded`), then their case, decided for the word (`word_case`)."""
    fold = case_folded(characters)                                    # [c] -> folded class
    folded = y_pred @ np.eye(fold.max() + 1, dtype=np.float32)[fold]  # [b, t, folded classes]
    best = folded.argmax(-1)
    keep = best != BLANK_INDEX
    keep[:, 1:] &= best[:, 1:] != best[:, :-1]
    case = np.where(fold == best[..., None], y_pred, -1.0).argmax(-1)  # the likelier case of each step's letter
    upper, lower = _case_classes(characters)
    log_p = np.log(np.clip(y_pred, 1e-12, 1.0))
    texts = []
    for row, mask, steps in zip(case, keep, log_p):
        text = "".join(characters[i - 1] for i in row[mask])
        texts.append(word_case(text, steps[mask, upper[row[mask]]], steps[mask, lower[row[mask]]]))
    confidences = np.exp(np.log(np.clip(folded.max(-1), 1e-12, 1.0)).sum(-1))
    return texts, confidences


@functools.lru_cache(maxsize=4)
def _case_classes(characters: str) -> tuple[np.ndarray, np.ndarray]:
    """For each class (blank first), the class of its upper-case and of its lower-case form (itself if it has none)."""
    index = {c: i + 1 for i, c in enumerate(characters)}
    upper = np.array([0] + [index.get(c.upper(), i + 1) for i, c in enumerate(characters)])
    lower = np.array([0] + [index.get(c.lower(), i + 1) for i, c in enumerate(characters)])
    return upper, lower


def beam_decode(y_pred, characters: str = TARGET_CHARACTERS, beam_width: int = 5) -> tuple[list[str], np.ndarray]:
    """Beam-search decoding with TensorFlow's decoder. Returns (texts, probabilities)."""
    import tensorflow as tf

    y_pred = _check(y_pred, characters)
    # tf.nn.ctc_beam_search_decoder wants the blank *last*: move class 0 to the end.
    log_probs = np.log(np.clip(np.roll(y_pred, -1, axis=-1), 1e-12, 1.0)).transpose(1, 0, 2)  # [t, b, c]
    lengths = np.full([y_pred.shape[0]], y_pred.shape[1], dtype=np.int32)
    decoded, log_prob = tf.nn.ctc_beam_search_decoder(log_probs, lengths, beam_width=beam_width, top_paths=1)
    dense = tf.sparse.to_dense(decoded[0], default_value=-1).numpy()
    texts = ["".join(characters[i] for i in row if i >= 0) for row in dense]
    return texts, np.exp(log_prob.numpy()[:, 0])


def decode_predict_ctc(y_pred, characters: str = TARGET_CHARACTERS, beam_width: int = 1, *,
                       chars: str | None = None, top_paths: int = 1) -> list[str]:
    """The lecture's name: decode a batch of softmax outputs to strings.

    `beam_width=1` is greedy decoding (fast, numpy only); larger widths use beam search.
    Unlike the lecture's version, this decodes the whole batch in one call and
    expects the blank at index 0, as `LabelConverter` and the model use it.
    `chars` and `top_paths` are the lecture's argument names: `chars` is accepted
    for `characters`, and `top_paths` can only be 1 (one text per image).
    """
    if chars is not None:
        if characters is not TARGET_CHARACTERS and characters != chars:
            raise ValueError(message("decode.chars_twice"))
        characters = chars
    if top_paths != 1:
        raise ValueError(message("decode.top_paths", top_paths=top_paths))
    if beam_width < 1:
        raise ValueError(message("decode.beam_width", beam_width=beam_width))
    if beam_width == 1:
        return greedy_decode(y_pred, characters)[0]
    return beam_decode(y_pred, characters, beam_width)[0]


# ----------------------------------------------------------------------------- lexicon decoding

# How much less likely than the model's own reading a dictionary word may be and still replace it,
# as a difference of log-probabilities: 3.0 lets a word e^3 = 20 times less likely win. Chosen on the
# generated validation set (data/synth/valid, never on real crops) with `benchmarks/bench_lexicon.py`:
# the largest margin that turned none of its codes and numbers into words.
LEXICON_MARGIN = 3.0
# The CRNN paper searched 3 edits around the reading; here 3 read the same (0.674 of data/synth/valid, 6 of 16
# real crops) at 12 ms a crop where 2 take 6 (`bench_lexicon.py --max-edits 3 --margins 3`).
LEXICON_MAX_EDITS = 2
LEXICON_MIN_LENGTH = 3  # a reading of 1-2 letters is within 2 edits of thousands of words: left as it is


def ctc_log_likelihood(y_pred_one, texts, characters: str = TARGET_CHARACTERS) -> np.ndarray:
    """log p(text | crop) for each of `texts`: CTC's forward algorithm over one softmax.

    Greedy decoding scores one path; this sums every path that spells the text
    ("-HH-E-LL-LO", "HE-L-LOO-", ...), as the CTC loss does in training (notebook 02).
    All texts are scored together: `alpha[k, s]` is the log-probability of having spelt
    the first s states of text k (a blank between every two characters) by step t.
    """
    unknown = sorted(set("".join(texts)) - set(characters))
    if unknown:
        raise ValueError(f"{unknown} are not in the charset {characters!r}: the model cannot spell them")
    y = np.log(np.clip(np.asarray(y_pred_one, np.float64), 1e-30, 1.0))          # [t, classes]
    width = 2 * max((len(t) for t in texts), default=0) + 1
    states = np.full([len(texts), width], BLANK_INDEX)                             # [k, s]: blank, c1, blank, c2, ...
    for k, text in enumerate(texts):
        states[k, 1:2 * len(text):2] = [characters.index(c) + 1 for c in text]
    can_skip = np.zeros_like(states, dtype=bool)                                  # from c_i straight to c_i+1 ...
    can_skip[:, 3::2] = states[:, 3::2] != states[:, 1:-2:2]                       # ... unless they are the same letter
    alpha = np.full(states.shape, -np.inf)
    alpha[:, :2] = y[0][states[:, :2]]
    for t in range(1, len(y)):
        stay = alpha
        step = np.pad(alpha[:, :-1], ((0, 0), (1, 0)), constant_values=-np.inf)
        skip = np.where(can_skip, np.pad(alpha[:, :-2], ((0, 0), (2, 0)), constant_values=-np.inf), -np.inf)
        alpha = np.logaddexp(np.logaddexp(stay, step), skip) + y[t][states]
    ends = np.array([2 * len(t) for t in texts])
    rows = np.arange(len(texts))
    return np.logaddexp(alpha[rows, ends], np.where(ends > 0, alpha[rows, ends - 1], -np.inf))


class Lexicon:
    """A word list in the model's charset, and how far from a reading and how unlikely a word of it may be.

    `near` finds the words within `max_edits` of a reading with RapidFuzz (Levenshtein distance
    in C++: about 8 ms for the 165k English words, where Python would take a second); `margin` is the
    log-probability a word may fall short of the reading by and still replace it (`snap_to_lexicon`).
    Words are compared case-folded ("pacific" is near "PACIIC"), and returned as given.
    `words` may be a function that returns them: the list is then read the first time it is
    needed (the English one takes half a second), so a photo read with confidence never waits for it.
    `skipped` counts the characters of the words left out for being outside the charset (`in_charset`),
    `skipped_words` those words.
    """

    def __init__(self, words: Iterable[str] | Callable[[], Iterable[str]], max_edits: int = LEXICON_MAX_EDITS,
                 margin: float = LEXICON_MARGIN, skipped: dict | None = None, skipped_words: int = 0):
        self._source = words
        self.max_edits = max_edits
        self.margin = margin
        self.skipped = dict(skipped or {})
        self.skipped_words = skipped_words

    def note(self) -> str | None:
        """One line on the words left out for characters outside the charset, or None when none were."""
        if not self.skipped_words:
            return None
        chars = ", ".join(f"{c!r} {n}" for c, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])))
        return (f"lexicon: {self.skipped_words} word(s) left out, with characters the model cannot print "
                f"({chars}); {len(self)} words kept")

    @functools.cached_property
    def _by_length(self) -> dict[int, tuple[list[str], list[str]]]:
        """{length: (the words case-folded, the words as given)}; a word given in two cases is kept once."""
        by_length: dict[int, tuple[list[str], list[str]]] = {}
        words = self._source() if callable(self._source) else self._source
        seen: set[str] = set()
        for word in words:
            key = word.casefold()
            if key not in seen:  # the first spelling wins
                seen.add(key)
                folded, given = by_length.setdefault(len(key), ([], []))
                folded.append(key)
                given.append(word)
        return by_length

    @functools.cached_property
    def _set(self) -> frozenset[str]:
        return frozenset(w for folded, _ in self._by_length.values() for w in folded)

    def with_settings(self, max_edits: int | None = None, margin: float | None = None) -> Lexicon:
        """The same words (read once, shared) with another search radius or margin."""
        other = Lexicon(self._source, self.max_edits if max_edits is None else max_edits,
                        self.margin if margin is None else margin, self.skipped, self.skipped_words)
        other.__dict__.update({k: v for k, v in self.__dict__.items() if k in ("_by_length", "_set")})
        return other

    def __contains__(self, word: str) -> bool:
        return word.casefold() in self._set

    def __len__(self) -> int:
        return len(self._set)

    def near(self, reading: str) -> list[str]:
        """The words at most `max_edits` insertions, deletions or substitutions away from `reading`."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        near, reading = [], reading.casefold()
        for length in range(max(1, len(reading) - self.max_edits), len(reading) + self.max_edits + 1):
            folded, given = self._by_length.get(length, ((), ()))
            near += [given[i] for _, _, i in process.extract(reading, folded, scorer=Levenshtein.distance,
                                                             score_cutoff=self.max_edits, limit=None)]
        return near


@functools.lru_cache(maxsize=4)
def english(characters: str = TARGET_CHARACTERS) -> Lexicon:
    """`labels.english_word_forms` in the case and charset of a model (upper case for the lecture's), read when first used."""
    return Lexicon(lambda: in_charset(english_word_forms(), characters))


def in_charset(words: Iterable[str], characters: str, skipped: dict | None = None) -> list[str]:
    """`words` in a case the charset can spell (upper case for an upper-case charset), keeping those it can.

    A word with a character outside the charset in every case ("café", "well-known": "-" is the
    blank) is left out; `skipped`, if given, counts each such character (how many words it cost).
    Case does not matter beyond this: a lexicon is matched case-folded (`Lexicon`, `snap_to_lexicon`).
    """
    upper, allowed = not is_cased(characters), set(characters)
    words = list(words)
    if set("".join(words).upper() if upper else "".join(words)) <= allowed:  # all fit: one test, not 165k
        return [w.upper() for w in words] if upper else words
    kept = []
    for word in words:
        forms = (word.upper(),) if upper else (word, word.lower(), word.upper())
        form = next((f for f in forms if set(f) <= allowed), None)
        if form is not None:
            kept.append(form)
        elif skipped is not None:
            for ch in set(word.upper() if upper else word) - allowed - {c.swapcase() for c in allowed}:
                skipped[ch] = skipped.get(ch, 0) + 1
    return kept


def lexicon_from(spec, characters: str = TARGET_CHARACTERS) -> Lexicon | None:
    """A `Lexicon` from what a person passes: "english", "none" (or None), a word-list file, or a Lexicon.

    A file has one word per line (a shop's products, a city's street names), in any case; words
    are put in a case the charset can spell, and those with characters outside it are left out and
    counted in the lexicon's `skipped` (character -> words).
    """
    if spec is None or isinstance(spec, Lexicon):
        return spec
    if str(spec) == "none":
        return None
    if str(spec) == "english":
        return english(characters)
    path = Path(spec)
    if not path.is_file():
        raise FileNotFoundError(f"no lexicon file at {str(path)!r}: give a text file with one word per line, "
                                f"'english' or 'none'")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:  # a binary file, or text saved as Latin-1
        from ocr_lab.messages import message

        raise ValueError(message("lexicon.not_text", path=str(path), byte=f"{raw[err.start]:#x}",
                                 line=raw[: err.start].count(b"\n") + 1)) from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    skipped: dict[str, int] = {}
    words = in_charset(lines, characters, skipped)
    if not words:
        raise ValueError(f"the lexicon {str(path)!r} has no word written only in the charset {characters!r} "
                         f"({len(lines)} lines read)")
    return Lexicon(words, skipped=skipped, skipped_words=len(lines) - len(words))


def case_as_read(word: str, reading: str, characters: str = TARGET_CHARACTERS) -> list[str]:
    """The spellings of lexicon `word` the model may have meant by `reading`: its case letter by letter
    (lined up by edit operations), all capitals, all small, capitalised; those the charset can spell.

    "pacific" for "Pacilic" -> ["Pacific", "PACIFIC", "pacific"]; `snap_to_lexicon` keeps the one the
    network finds most likely, so the word comes back in the case it was read.
    """
    from rapidfuzz.distance import Levenshtein

    upper = [False] * len(word)
    last = reading[:1].isupper()
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(reading.casefold(), word.casefold()):
        for k, j in enumerate(range(j1, j2)):  # a letter with no twin in the reading takes its neighbour's case
            if tag in ("equal", "replace") and i1 + k < i2:
                last = reading[i1 + k].isupper()
            upper[j] = last
        if tag == "delete":
            last = reading[i2 - 1].isupper()
    aligned = "".join(c.upper() if u else c.lower() for c, u in zip(word, upper))
    allowed = set(characters)
    spellings = dict.fromkeys([aligned, word.upper(), word.lower(), word.capitalize()])
    return [s for s in spellings if set(s) <= allowed]


def snap_to_lexicon(y_pred_one, reading: str, lexicon: Lexicon, characters: str = TARGET_CHARACTERS) -> str:
    """The most likely lexicon word near `reading` if the model finds it at most `lexicon.margin` less likely, else `reading`.

    Shi et al.'s CRNN paper (2016, section 2.3.2) searches the words within a few edits
    of the greedy reading and keeps the one the network gives the highest CTC
    probability. Their lexicons always held the answer; ours may not (names, codes,
    other languages), so the word must also be nearly as likely as the reading itself.
    Words are matched case-folded; each is scored in the spellings of `case_as_read`, so a
    cased model's "Pacilic" becomes "Pacific" and its "PACIIC" "PACIFIC".
    """
    if len(reading) < LEXICON_MIN_LENGTH:
        return reading
    # The reading's path alone has probability `confidence`, so every other text shares at most
    # 1 - confidence: above 1 / (1 + e^-margin) no word can come within the margin. A confident
    # reading stops here, before the word list is even read.
    confidence = float(np.exp(np.log(np.clip(np.max(y_pred_one, axis=-1), 1e-30, 1.0)).sum()))
    if confidence > 1 / (1 + np.exp(-lexicon.margin)) or reading in lexicon:
        return reading
    candidates = [s for word in lexicon.near(reading) for s in case_as_read(word, reading, characters)]
    if not candidates:
        return reading
    scores = ctc_log_likelihood(y_pred_one, [reading, *candidates], characters)
    best = int(np.argmax(scores[1:]))
    return candidates[best] if scores[1 + best] >= scores[0] - lexicon.margin else reading


def lexicon_decode(y_pred, characters: str = TARGET_CHARACTERS, lexicon: Lexicon | None = None) -> tuple[list[str], np.ndarray]:
    """Greedy decoding, then each reading snapped to the lexicon (`snap_to_lexicon`). Returns (texts, confidences).

    The confidence stays the greedy path's (`greedy_decode`): how sure the model is of
    what it saw, which is what the pipeline's floor asks about.
    """
    y_pred = _check(y_pred, characters)
    lexicon = lexicon if lexicon is not None else english(characters)
    texts, confidences = greedy_decode(y_pred, characters)
    return [snap_to_lexicon(y, t, lexicon, characters) for y, t in zip(y_pred, texts)], confidences


# ----------------------------------------------------------------------------- the decode entry point

def ctc_readings(y_pred, characters: str = TARGET_CHARACTERS, beam_width: int = 1) -> tuple[list[str], np.ndarray]:
    """(texts, confidences) of a CTC head's softmax: greedy with `beam_width` 1, beam search above."""
    if beam_width == 1:
        return greedy_decode(y_pred, characters)
    return beam_decode(y_pred, characters, beam_width)


# The prediction stage a model config names (`model.CONFIGS[...]["head"]`, stored in every checkpoint)
# -> how its output becomes (texts, confidences). Another head (attention, say) adds its decoder here
# and its layers to `model.HEADS`; everything that reads crops goes through `decode_readings`.
DECODERS = {"ctc": ctc_readings}


def decode_readings(y_pred, characters: str, beam_width: int = 1, tall: Sequence[int] = (),
                    lexicon: Lexicon | None = None, head: str = "ctc") -> list[tuple[str, float]]:
    """(text, confidence) of n crops from the softmax of the n crops followed by two turned views of each `tall` one.

    The one way a model's output becomes text: the pipeline (`recognize`), evaluation
    (`evaluate.read_eval_data`), the training callbacks and `checkpoint.predict_texts` all
    call it, on the Keras model and the ONNX one alike. A tall crop keeps the most confident
    of its upright reading and its two turned ones. With a `lexicon`, the kept reading is then
    checked against it (`snap_to_lexicon`, which scores words with the CTC forward algorithm).
    """
    if head not in DECODERS:
        raise ValueError(f"no decoder for the prediction head {head!r}; known heads: {sorted(DECODERS)}")
    if lexicon is not None and head != "ctc":
        raise ValueError(f"lexicon decoding scores words with CTC; the {head!r} head cannot use it")
    texts, confidences = DECODERS[head](y_pred, characters, beam_width)
    n = len(texts) - 2 * len(tall)
    views = list(range(n))  # which of the softmax rows each crop's reading comes from
    for k, i in enumerate(tall):
        views[i] = max((i, n + 2 * k, n + 2 * k + 1), key=lambda row: confidences[row])
    readings = [(texts[row], float(confidences[row])) for row in views]
    if lexicon is not None:
        readings = [(snap_to_lexicon(y_pred[row], text, lexicon, characters), confidence)
                    for row, (text, confidence) in zip(views, readings)]
    return readings


def second_look(readings: list[tuple[str, float]], candidates: Iterable[int], views_of: Callable[[int], np.ndarray],
                predict, characters: str, below: float, beam_width: int = 1, lexicon: Lexicon | None = None,
                head: str = "ctc") -> list[tuple[str, float]]:
    """`readings` with each of `candidates` read below `below` confidence looked at again in its views.

    `views_of(i)` gives crop i's views as a batch the model takes, all crops the same number of
    views; they are read in one `predict` call and decoded as the crops were, and
    `most_confident_views` keeps the surest reading. `pipeline.recognize` and `evaluate` both call it
    (with `images.tilted_views` and `images.TILT_BELOW`), so a crop is scored as `ocr` reads it.
    """
    unsure = [i for i in candidates if readings[i][1] < below]
    if not unsure:
        return readings
    seen = decode_readings(predict(np.concatenate([views_of(i) for i in unsure])), characters, beam_width, (),
                           lexicon, head)
    return most_confident_views(readings, unsure, seen)


def most_confident_views(readings: list[tuple[str, float]], crops: Sequence[int],
                         view_readings: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """`readings` with each of `crops` read as the most confident of itself and its views.

    `view_readings` holds the views of `crops[0]`, then those of `crops[1]`, ..., as many each;
    a view that reads nothing does not win over one that reads a word (an empty reading can be
    very sure of itself). The pipeline and `evaluate` use it for `images.tilted_views`.
    """
    if not crops:
        return readings
    each = len(view_readings) // len(crops)
    readings = list(readings)
    for k, i in enumerate(crops):
        candidates = [readings[i], *view_readings[k * each:(k + 1) * each]]
        candidates = [c for c in candidates if c[0]] or candidates
        readings[i] = max(candidates, key=lambda reading: reading[1])
    return readings
