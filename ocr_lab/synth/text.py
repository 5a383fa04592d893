"""Text: what a crop says: a lexicon word in random case, a number or code, a date or price, an ordinal.

Taught in notebook 01. `sample_text` draws one; the English lexicon is the `english-words`
package's (`ocr_lab.labels.english_lexicon`).
"""
from __future__ import annotations

import functools
import re
import string

import numpy as np

from ocr_lab.labels import english_lexicon
from ocr_lab.synth.recipe import AUGMENT

def lexicon() -> list[str]:
    """The English lexicon the generator draws its words from (`ocr_lab.labels.english_lexicon`)."""
    return list(english_lexicon())


@functools.lru_cache(maxsize=None)
def lexicon_by_length() -> dict[int, list[str]]:
    """The lexicon's words grouped by length."""
    by_length: dict[int, list[str]] = {}
    for word in lexicon():
        by_length.setdefault(len(word), []).append(word)
    return by_length


def random_case(word: str, rng: np.random.Generator, probs) -> str:
    """`word` lower-case, Capitalised or UPPER, with the weights `probs`."""
    kind = rng.choice(3, p=np.asarray(probs) / np.sum(probs))
    return [word.lower(), word.capitalize(), word.upper()][kind]


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(d) for d in rng.integers(0, 10, n))


def pick(rng: np.random.Generator, items):
    """One item of a sequence (`rng.choice` would first copy the whole list into an array)."""
    return items[int(rng.integers(len(items)))]


def _letters(rng: np.random.Generator, n: int) -> str:
    return "".join(pick(rng, string.ascii_uppercase) for _ in range(n))


def _numeric_text(rng: np.random.Generator) -> str:
    """Numbers and mixed alphanumerics, as they appear on signs, plates and labels.

    Only characters of the charset here; `_symbol_text` draws the "$" and "." of a price.
    """
    kind = rng.integers(0, 8)
    if kind == 0:
        return str(rng.integers(1900, 2031))  # a year
    if kind in (1, 2):
        return str(int(10 ** rng.uniform(0, 6)))  # 1 .. 999999, small numbers more often
    if kind == 3:
        return _digits(rng, rng.integers(3, 9))  # codes, zeros allowed: "0421"
    if kind == 4:
        return _letters(rng, rng.integers(1, 3)) + _digits(rng, rng.integers(1, 5))  # "B52", "A380"
    if kind == 5:
        return _digits(rng, rng.integers(1, 4)) + _letters(rng, rng.integers(1, 3))  # "4WD", "221B"
    if kind == 6:
        word = pick(rng, lexicon_by_length()[int(rng.integers(3, 8))])
        return random_case(word, rng, (1, 2, 2)) + _digits(rng, rng.integers(1, 3))  # "Route66"
    return "".join(pick(rng, string.ascii_uppercase + string.digits) for _ in range(rng.integers(2, 8)))  # "X7K2"


def _symbol_text(rng: np.random.Generator) -> str:
    """Text with separators the charset does not have: "03/09/2009", "12:30", "$4.99", "e-mail".

    The label keeps them and the reader drops them (`ocr_lab.data.clean_label`), so the model
    learns to read a slash or a colon as nothing instead of as a "1", which is what the course's
    scoring (alphanumerics only, as the lecture's) expects of it.
    """
    kind = rng.integers(0, 6)
    if kind == 0:  # a date
        day, month, year = rng.integers(1, 32), rng.integers(1, 13), rng.integers(1950, 2031)
        sep = pick(rng, "/.-")
        parts = [f"{day:02d}", f"{month:02d}", str(year) if rng.random() < 0.7 else f"{year % 100:02d}"]
        return sep.join(parts if rng.random() < 0.5 else [parts[1], parts[0], parts[2]])
    if kind == 1:  # a time
        return f"{rng.integers(0, 24):02d}:{rng.integers(0, 60):02d}"
    if kind == 2:  # a price
        whole = str(int(10 ** rng.uniform(0, 4)))
        return pick(rng, ["$", "$", ""]) + whole + (f".{rng.integers(0, 100):02d}" if rng.random() < 0.7 else "")
    if kind == 3:  # a phone number or a reference
        return _digits(rng, int(rng.integers(2, 5))) + pick(rng, "-./") + _digits(rng, int(rng.integers(2, 5)))
    if kind == 4:  # a percentage or a number with a sign
        return pick(rng, ["", "+", "-", "#", "No."]) + str(rng.integers(1, 1000)) + pick(rng, ["%", "", "!", "?"])
    # hyphenated or joined words: "e-mail", "Rock&Roll", "O'Neil"
    a, b = (pick(rng, lexicon_by_length()[int(rng.integers(2, 7))]) for _ in range(2))
    return random_case(a + pick(rng, ["-", "&", "'", "."]) + b, rng, (1, 1, 1))


ORDINAL_WORDS = ("St", "Ave", "Street", "Avenue", "Rd", "Floor", "Place", "Century", "Edition", "Anniversary")
ORDINAL = re.compile(r"\d+(st|nd|rd|th)", re.IGNORECASE)  # the number and suffix at the start of an ordinal text


def _ordinal_text(rng: np.random.Generator) -> str:
    """An ordinal, alone or before a word: "3rd", "21st Ave", "112TH STREET"."""
    n = int(10 ** rng.uniform(0, 2.5))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    text = f"{n}{suffix}" + (f" {pick(rng, ORDINAL_WORDS)}" if rng.random() < 0.5 else "")
    return text.upper() if rng.random() < 0.2 else text


def sample_text(rng: np.random.Generator, params: dict | None = None) -> str:
    """One word to render: mostly a lexicon word in random case, sometimes digits and codes."""
    p = {**AUGMENT, **(params or {})}
    if p["ordinal_prob"] > 0 and rng.random() < p["ordinal_prob"]:  # no draw when off, as below
        return _ordinal_text(rng)
    # No draw when symbols are off, so the scenes of `ocr_lab.scenes` (which turn them off) keep their words.
    if p["symbol_text_prob"] > 0 and rng.random() < p["symbol_text_prob"]:
        return _symbol_text(rng)
    if rng.random() < p["numeric_prob"]:
        return _numeric_text(rng)
    by_length = lexicon_by_length()
    weights = np.array([w if n + 1 in by_length else 0 for n, w in enumerate(p["length_weights"])], float)
    length = int(rng.choice(len(weights), p=weights / weights.sum())) + 1
    text = random_case(pick(rng, by_length[length]), rng, p["case_probs"])
    if rng.random() < p["punct_prob"]:
        text = text + pick(rng, [".", ",", "-", "'s"])
    return text
