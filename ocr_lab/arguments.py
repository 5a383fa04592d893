"""Numbers a person types: checked where they are read, so a bad one never runs silently.

`float("nan")` and `float("-1")` are valid Python numbers, and a learning rate of NaN
trains (into NaN weights), a step count of 0 means "a full pass" to Keras, and a
confidence floor of NaN drops every word. Each check here says which value is wrong
and why, in the learner's language. The functions that take such a number (`train`,
`OCRPipeline`) check it first thing, so the command line and a notebook refuse it alike,
before any model is loaded.
"""
from __future__ import annotations

import math

from ocr_lab.messages import message


def finite(value: float, flag: str) -> float:
    if not math.isfinite(value):
        raise ValueError(message("error.not_finite", flag=flag, value=value))
    return value


def positive(value: float, flag: str) -> float:
    if not finite(value, flag) > 0:
        raise ValueError(message("error.not_positive", flag=flag, value=value))
    return value


def in_range(value: float, flag: str, low: float, high: float) -> float:
    if not low <= finite(value, flag) <= high:
        raise ValueError(message("error.not_in_range", flag=flag, value=value, low=low, high=high))
    return value
