"""Metrics: how often a word is read exactly, and how many characters are wrong.

Taught in notebook 04. They compare case-insensitively by default, because the lecture's
charset has upper-case letters only and the reader upper-cases every label;
`case_sensitive=True` compares text as printed, for a cased model (`labels.CASED_CHARACTERS`).
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import editdistance


def fold_case(text: str) -> str:
    """The lecture's case-insensitive form of a word: upper case, letters and digits only.

    "Don't." and "DONT" fold alike, and "03/09/2009" to "03092009". A letter outside A-Z
    ("é") is kept, so a model that cannot print it is never right for leaving it out.
    """
    return "".join(c for c in text.upper() if c.isalnum())


def _pairs(predictions: Sequence[str], targets: Sequence[str], case_sensitive: bool = False):
    if len(predictions) != len(targets):
        raise ValueError(f"{len(predictions)} predictions but {len(targets)} targets")
    if not targets:
        raise ValueError("no targets to score")
    if case_sensitive:
        return list(zip(predictions, targets))
    return [(p.upper(), t.upper()) for p, t in zip(predictions, targets)]


def word_accuracy(predictions: Sequence[str], targets: Sequence[str], case_sensitive: bool = False) -> float:
    """Fraction of words read exactly (ignoring case, unless `case_sensitive`)."""
    pairs = _pairs(predictions, targets, case_sensitive)
    return sum(p == t for p, t in pairs) / len(pairs)


def character_error_rate(predictions: Sequence[str], targets: Sequence[str], case_sensitive: bool = False) -> float:
    """Edit distance summed over all words, divided by the number of target characters."""
    pairs = _pairs(predictions, targets, case_sensitive)
    chars = sum(len(t) for _, t in pairs)
    return sum(editdistance.eval(p, t) for p, t in pairs) / max(chars, 1)


def accuracy_by_length(predictions: Sequence[str], targets: Sequence[str],
                       case_sensitive: bool = False) -> dict[int, tuple[float, int]]:
    """{target length: (word accuracy, count)}: long words are where a CRNN fails first."""
    groups: dict[int, list[bool]] = {}
    for p, t in _pairs(predictions, targets, case_sensitive):
        groups.setdefault(len(t), []).append(p == t)
    return {n: (sum(v) / len(v), len(v)) for n, v in sorted(groups.items())}


def character_confusions(predictions: Sequence[str], targets: Sequence[str], case_sensitive: bool = False) -> Counter:
    """Counter of (target char, predicted char) substitutions in same-length mistakes, plus
    ("", "<length>") for mistakes of another length, where characters cannot be paired safely."""
    confusions: Counter = Counter()
    for p, t in _pairs(predictions, targets, case_sensitive):
        if p == t:
            continue
        if len(p) == len(t):
            confusions.update((a, b) for a, b in zip(t, p) if a != b)
        else:
            confusions[("", "<length>")] += 1
    return confusions
