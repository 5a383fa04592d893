"""Notebook 03's checks: the CRNN's two stages, `feature_extractor` and `sequence_stage`.

The learner writes, as the lecture's `build_crnn_model` lays them out:

- `feature_extractor(image_input, filters)`: the convolution stage, pixels [b, 100, 32, 3]
  (width first) -> [b, 24, filters[-1]], one feature vector per time step. Judged by what it
  does, not by its layers: the shape of its output for filters drawn at grading time, and
  that the time axis follows the image's width (changing the first 8 columns of an image
  changes the first step and not the last; the last 8, the last step and not the first).
- `sequence_stage(features, dense, lstm)`: [b, T, C] -> [b, T, 2 * lstm], two bidirectional
  LSTMs after a dense layer. Judged on a T and sizes drawn at grading time, by the shape and by
  context: changing the first step's features must change the last step's output (information
  flows forward) and changing the last step's must change the first's (and backward).

The models are built with small sizes drawn from the seed, in the learner's kernel, with random
weights: nothing is trained, so a check takes seconds and needs no checkpoint.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from ocr_lab.course.answers import Call, Models, describe
from ocr_lab.course.checks.cells import PUBLIC_SEED, check_cell, evaluate
from ocr_lab.course.checks.record import Check, CheckResult, error_text, missing_call, not_written, reference_result
from ocr_lab.course.messages import message
from ocr_lab.labels import IMG_SIZE

NOTEBOOK = "03_crnn_model"
STEPS = 24      # the time steps a 100-pixel-wide crop becomes with the lecture's pools
EDGE = 8        # columns changed at each end of the image
MOVED = 1e-6    # an output "changed" when it moved by more than this (random weights, float32)








def _params(folder: Path) -> dict[str, Path]:
    return {"params": folder / "params.json"}


def _write_params(exam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "params.json").write_text(json.dumps(exam.params()))


def _shape_text(shape: list[int]) -> str:
    """A batch's shape as the notebook writes it: (b, 24, 512)."""
    return "(" + ", ".join(["b", *map(str, shape[1:])]) + ")"


def _model(fn: Callable, shape: tuple, **kwargs):
    """A Keras model from the learner's stage function, applied to an Input of `shape`."""
    import tf_keras as keras

    inputs = keras.Input(shape=shape)
    return keras.Model(inputs, fn(inputs, **kwargs))


def _moved(model, x, changed) -> np.ndarray:
    """How far each time step's output moved, [T], when `x` became `changed`."""
    before, after = model(x, training=False).numpy(), model(changed, training=False).numpy()
    return np.abs(after - before).reshape(after.shape[0], after.shape[1], -1).max(axis=(0, 2))


# ----------------------------------------------------------------------------- feature_extractor

@dataclass
class FeatureExam:
    seed: int
    filters: tuple[int, ...]   # seven conv widths, small so that the check is quick

    def params(self) -> dict:
        return {"seed": self.seed, "filters": list(self.filters)}


def make_feature_exam(seed: int) -> FeatureExam:
    rng = np.random.default_rng([seed, 31])
    first = int(rng.integers(6, 11))
    return FeatureExam(seed, (first, 2 * first, 16, 16, 24, 24, int(rng.integers(20, 41))))


def _call_features(functions: Mapping, path: Path, models: Models):
    """(output shape, how far the first and last steps moved when the left edge changed, when the right did)."""
    params = json.loads(path.read_text())
    rng = np.random.default_rng(params["seed"])
    model = _model(functions["feature_extractor"], (*IMG_SIZE, 3), filters=tuple(params["filters"]))
    x = rng.uniform(0, 255, (2, *IMG_SIZE, 3)).astype(np.float32)
    shape = [int(n) for n in model(x, training=False).shape]
    if len(shape) != 3 or shape[1] < 2:
        return shape, []
    left, right = x.copy(), x.copy()
    left[:, :EDGE] = rng.uniform(0, 255, left[:, :EDGE].shape)
    right[:, -EDGE:] = rng.uniform(0, 255, right[:, -EDGE:].shape)
    by_left, by_right = _moved(model, x, left), _moved(model, x, right)
    return shape, [float(by_left[0]), float(by_left[-1]), float(by_right[0]), float(by_right[-1])]


def score_features(exam: FeatureExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge feature_extractor: [b, 24, filters[-1]] out, the time axis along the image's width."""
    name = "feature_extractor"
    call = calls.get("params", missing_call())
    fields = {"filters": tuple(exam.filters), "channels": exam.filters[-1], "steps": STEPS}
    if call.reference:
        return reference_result(name, call, lang)
    if call.error:
        if not_written(call):
            return CheckResult(name, False, message("features.not_written", lang))
        return CheckResult(name, False, message("features.raised", lang, error=error_text(call), **fields))
    value = call.value
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], list)):
        return CheckResult(name, False, message("features.not_tensor", lang, got=describe(value, lang), **fields))
    shape, moved = value
    fields["shape"] = _shape_text(shape)
    if len(shape) == 4 and shape[1:] == [STEPS, 1, exam.filters[-1]]:
        return CheckResult(name, False, message("features.not_reshaped", lang, **fields))
    if len(shape) != 3:
        return CheckResult(name, False, message("features.rank", lang, **fields))
    if shape[1] == STEPS + 1:
        return CheckResult(name, False, message("features.last_conv", lang, **fields))
    if shape[1] != STEPS:
        return CheckResult(name, False, message("features.steps", lang, got=shape[1], **fields))
    if shape[2] != exam.filters[-1]:
        return CheckResult(name, False, message("features.channels", lang, got=shape[2], **fields))
    first_by_left, last_by_left, first_by_right, last_by_right = moved
    details = {"moved": [round(m, 6) for m in moved]}
    if last_by_left > MOVED or first_by_right > MOVED:
        return CheckResult(name, False, message("features.not_local", lang, edge=EDGE, **fields), details)
    if first_by_left <= MOVED or last_by_right <= MOVED:
        return CheckResult(name, False, message("features.blind", lang, edge=EDGE, **fields), details)
    return CheckResult(name, True, message("features.passed", lang, edge=EDGE, **fields), details)


# ----------------------------------------------------------------------------- sequence_stage

@dataclass
class SequenceExam:
    seed: int
    steps: int       # T: 24 as the lecture's, or 49 as the wide config's
    channels: int    # C of the features
    dense: int
    lstm: int

    def params(self) -> dict:
        return {"seed": self.seed, "steps": self.steps, "channels": self.channels, "dense": self.dense,
                "lstm": self.lstm}


def make_sequence_exam(seed: int) -> SequenceExam:
    rng = np.random.default_rng([seed, 32])
    return SequenceExam(seed, int(rng.choice([24, 49])), int(rng.integers(12, 33)), int(rng.integers(8, 25)),
                        int(rng.integers(6, 17)))


def _call_sequence(functions: Mapping, path: Path, models: Models):
    """(output shape, how far the last step moved when the first step's features changed, the first when the
    last changed, the first when the first changed)."""
    p = json.loads(path.read_text())
    rng = np.random.default_rng(p["seed"])
    model = _model(functions["sequence_stage"], (p["steps"], p["channels"]), dense=p["dense"], lstm=p["lstm"])
    x = rng.normal(size=(2, p["steps"], p["channels"])).astype(np.float32)
    shape = [int(n) for n in model(x, training=False).shape]
    if len(shape) != 3 or shape[1] < 2:
        return shape, []
    first, last = x.copy(), x.copy()
    first[:, 0] = rng.normal(size=first[:, 0].shape) * 3
    last[:, -1] = rng.normal(size=last[:, -1].shape) * 3
    by_first, by_last = _moved(model, x, first), _moved(model, x, last)
    return shape, [float(by_first[-1]), float(by_last[0]), float(by_first[0])]


def score_sequence(exam: SequenceExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge sequence_stage: [b, T, 2 * lstm] out, every step's output in the context of both ends."""
    name = "sequence_stage"
    call = calls.get("params", missing_call())
    fields = {"steps": exam.steps, "channels": exam.channels, "dense": exam.dense, "lstm": exam.lstm,
              "width": 2 * exam.lstm}
    if call.reference:
        return reference_result(name, call, lang)
    if call.error:
        if not_written(call):
            return CheckResult(name, False, message("sequence.not_written", lang))
        return CheckResult(name, False, message("sequence.raised", lang, error=error_text(call), **fields))
    value = call.value
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], list)):
        return CheckResult(name, False, message("sequence.not_tensor", lang, got=describe(value, lang), **fields))
    shape, moved = value
    fields["shape"] = _shape_text(shape)
    if len(shape) == 2:
        return CheckResult(name, False, message("sequence.one_per_word", lang, **fields))
    if len(shape) != 3 or shape[1] != exam.steps:
        return CheckResult(name, False, message("sequence.steps", lang, **fields))
    if shape[2] == exam.lstm:
        return CheckResult(name, False, message("sequence.one_direction_width", lang, **fields))
    if shape[2] != 2 * exam.lstm:
        return CheckResult(name, False, message("sequence.width", lang, got=shape[2], **fields))
    forward, backward, _ = moved
    details = {"moved": [round(m, 6) for m in moved]}
    if forward <= MOVED and backward <= MOVED:
        return CheckResult(name, False, message("sequence.no_context", lang, **fields), details)
    if forward <= MOVED or backward <= MOVED:
        key = "sequence.forward_only" if backward <= MOVED else "sequence.backward_only"
        return CheckResult(name, False, message(key, lang, **fields), details)
    return CheckResult(name, True, message("sequence.passed", lang, **fields), details)


# ----------------------------------------------------------------------------- the records

FEATURE_EXTRACTOR = Check(
    "feature_extractor", NOTEBOOK, functions=("feature_extractor",), needs=(),
    make_exam=lambda seed, models: make_feature_exam(seed), write_inputs=_write_params, inputs=_params,
    call=_call_features, score=score_features, messages="features.",
    reference=("ocr_lab.model.feature_extractor",),  # build_crnn_model calls it: a stub there too
    package="ocr_lab.model:feature_extractor")
SEQUENCE_STAGE = Check(
    "sequence_stage", NOTEBOOK, functions=("sequence_stage",), needs=(),
    make_exam=lambda seed, models: make_sequence_exam(seed), write_inputs=_write_params, inputs=_params,
    call=_call_sequence, score=score_sequence, messages="sequence.",
    reference=("ocr_lab.model.sequence_stage",),
    package="ocr_lab.model:sequence_stage")

CHECKS = (FEATURE_EXTRACTOR, SEQUENCE_STAGE)


# ----------------------------------------------------------------------------- the notebook's check cells

def evaluate_feature_extractor(feature_extractor: Callable, seed: int = PUBLIC_SEED) -> CheckResult:
    return evaluate(FEATURE_EXTRACTOR, {"feature_extractor": feature_extractor}, Models(), seed)


def evaluate_sequence_stage(sequence_stage: Callable, seed: int = PUBLIC_SEED) -> CheckResult:
    return evaluate(SEQUENCE_STAGE, {"sequence_stage": sequence_stage}, Models(), seed)


def check_feature_extractor(feature_extractor: Callable, seed: int = PUBLIC_SEED) -> None:
    """Exercise 1's check cell: the convolution stage's output shape, and its time axis along the width."""
    check_cell(FEATURE_EXTRACTOR, {"feature_extractor": feature_extractor}, Models(), seed)


def check_sequence_stage(sequence_stage: Callable, seed: int = PUBLIC_SEED) -> None:
    """Exercise 2's check cell: the sequence stage's output shape, and context in both directions."""
    check_cell(SEQUENCE_STAGE, {"sequence_stage": sequence_stage}, Models(), seed)
