"""Metrics: how often a word is read exactly, and how many characters are wrong.

Taught in notebook 04. Both compare case-insensitively, because the lecture's
charset has upper-case letters only and the reader upper-cases every label.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import editdistance


def _pairs(predictions: Sequence[str], targets: Sequence[str]):
    if len(predictions) != len(targets):
        raise ValueError(f"{len(predictions)} predictions but {len(targets)} targets")
    if not targets:
        raise ValueError("no targets to score")
    return [(p.upper(), t.upper()) for p, t in zip(predictions, targets)]


def word_accuracy(predictions: Sequence[str], targets: Sequence[str]) -> float:
    """Fraction of words read exactly (ignoring case)."""
    pairs = _pairs(predictions, targets)
    return sum(p == t for p, t in pairs) / len(pairs)


def character_error_rate(predictions: Sequence[str], targets: Sequence[str]) -> float:
    """Edit distance summed over all words, divided by the number of target characters."""
    pairs = _pairs(predictions, targets)
    chars = sum(len(t) for _, t in pairs)
    return sum(editdistance.eval(p, t) for p, t in pairs) / max(chars, 1)


def accuracy_by_length(predictions: Sequence[str], targets: Sequence[str]) -> dict[int, tuple[float, int]]:
    """{target length: (word accuracy, count)}: long words are where a CRNN fails first."""
    groups: dict[int, list[bool]] = {}
    for p, t in _pairs(predictions, targets):
        groups.setdefault(len(t), []).append(p == t)
    return {n: (sum(v) / len(v), len(v)) for n, v in sorted(groups.items())}


def character_confusions(predictions: Sequence[str], targets: Sequence[str]) -> Counter:
    """Counter of (target char, predicted char) substitutions in same-length mistakes, plus
    ("", "<length>") for mistakes of another length, where characters cannot be paired safely."""
    confusions: Counter = Counter()
    for p, t in _pairs(predictions, targets):
        if p == t:
            continue
        if len(p) == len(t):
            confusions.update((a, b) for a, b in zip(t, p) if a != b)
        else:
            confusions[("", "<length>")] += 1
    return confusions
