"""Notebook 02's checks: `LabelConverter.encode` / `decode`, `ctc_lengths` and the `ctc_loss` wrapper.

The learner writes, in the lecture's names:

- `LabelConverter.encode` / `decode`, with the blank '-' at class 0 and the characters at
  1..N. The exam has the lecture's charset and one drawn at grading time (a shuffled part
  of it), words with double letters, and index arrays with 0s to decode.
- `ctc_lengths(labels, time_steps)`: what the loss's `input_length` and `label_length`
  must be for a padded batch: T for every sample, and each label's own length.
- `ctc_loss(labels, logits, input_length, label_length)`: the per-sample CTC loss with
  the blank at 0 (the lecture's `ctc_lambda_func`, with our class layout), on random
  logits made at grading time, compared with `tf.nn.ctc_loss`.

Each answer is compared with the right one, then with the answers a learner following the
lecture plausibly gives (its `HEL-LO` separator, indices from 0, Keras' blank-last loss,
the image width as T...), so that a wrong answer is told which mistake it is.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from ocr_lab.course.answers import Call, Models, Opaque, describe
from ocr_lab.course.checks.cells import PUBLIC_SEED, check_cell, evaluate
from ocr_lab.course.checks.record import Check, CheckResult, error_text, missing_call, not_written, reference_result
from ocr_lab.course.messages import message
from ocr_lab.labels import BLANK, BLANK_INDEX, MAX_TEXT_LEN, TARGET_CHARACTERS, TIME_STEPS

NOTEBOOK = "02_labels_and_ctc"


# ----------------------------------------------------------------------------- shared









def _ints(value) -> list[int] | None:
    """A returned label as a list of ints (a 1-D array or list of whole numbers), or None."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                                for v in value):
        return [int(v) for v in value]
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "iuf" and \
            np.all(np.isfinite(value)) and np.all(value == np.round(value)):
        return [int(v) for v in value]
    return None


def _plain(value):
    """What a learner's function returned, with TensorFlow tensors as numpy arrays (in the kernel)."""
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if hasattr(value, "numpy") and callable(value.numpy) and not isinstance(value, np.ndarray):
        try:
            return np.asarray(value.numpy())
        except Exception:
            return value
    return value


def _show(indices) -> str:
    return "[" + " ".join(str(int(i)) for i in indices) + "]"


# ----------------------------------------------------------------------------- LabelConverter

@dataclass
class ConverterExam:
    charsets: list[str]          # the lecture's charset, and one drawn at grading time
    words: list[list[str]]       # per charset: labels to encode, double letters among them
    indices: list[list[list[int]]]  # per charset: class indices to decode, 0s (the blank) among them


def encoded(charset: str, word: str) -> list[int]:
    return [(BLANK + charset).index(c) for c in word]


def lecture_encoded(charset: str, word: str) -> list[int]:
    """The lecture's encode: a 0 ('-') between repeated letters, `HELLO` -> `HEL-LO`."""
    out = []
    for i, c in enumerate(word):
        if i > 0 and c == word[i - 1]:
            out.append(BLANK_INDEX)
        out.append((BLANK + charset).index(c))
    return out


def decoded(charset: str, indices) -> str:
    return "".join((BLANK + charset)[i] for i in indices)


def _word(rng, charset: str, length: int) -> str:
    """A word of `charset` with one double letter in it."""
    chars = list(rng.choice(list(charset), size=length - 1))
    at = int(rng.integers(0, len(chars)))
    chars.insert(at, chars[at])
    return "".join(chars)


def make_converter_exam(seed: int) -> ConverterExam:
    rng = np.random.default_rng([seed, 21])
    drawn = "".join(rng.permutation(list(TARGET_CHARACTERS))[: int(rng.integers(12, 24))])
    charsets = [TARGET_CHARACTERS, drawn]
    words = [["HELLO", *(_word(rng, TARGET_CHARACTERS, int(rng.integers(4, 9))) for _ in range(2))],
             [_word(rng, drawn, int(rng.integers(4, 9))) for _ in range(3)]]
    indices = []
    for charset, some in zip(charsets, words):
        indices.append([lecture_encoded(charset, w) for w in some[:2]]
                       + [list(int(i) for i in rng.integers(0, len(charset) + 1, size=8))])
    return ConverterExam(charsets, words, indices)


def _write_converter(exam: ConverterExam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k, charset in enumerate(exam.charsets):
        for i, word in enumerate(exam.words[k]):
            (folder / f"{k}_encode_{i}.json").write_text(json.dumps({"charset": charset, "encode": word}))
        for i, indices in enumerate(exam.indices[k]):
            (folder / f"{k}_decode_{i}.json").write_text(json.dumps({"charset": charset, "decode": indices}))


def _jsons(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.glob("*.json"))}


def _call_converter(functions: Mapping, path: Path, models: Models):
    task = json.loads(path.read_text())
    converter = functions["LabelConverter"](task["charset"])
    if "encode" in task:
        return _plain(converter.encode(task["encode"]))
    return _plain(converter.decode(np.array(task["decode"], dtype=np.int64)))


def _converter_calls(exam: ConverterExam):
    """(key, charset index, "encode"|"decode", argument) in the order they are judged: encode first."""
    for op, items in (("encode", exam.words), ("decode", exam.indices)):
        for k, charset in enumerate(exam.charsets):
            for i, arg in enumerate(items[k]):
                yield f"{k}_{op}_{i}", k, op, arg


def score_converter(exam: ConverterExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge encode and decode on both charsets; name the lecture's mistakes when they are made."""
    name = "label_converter"
    for key, k, op, arg in _converter_calls(exam):
        charset, call = exam.charsets[k], calls.get(key, missing_call())
        shown = repr(arg) if op == "encode" else _show(arg)
        where = {"charset": charset, "method": op, "arg": shown}
        if call.reference:
            return reference_result(name, call, lang, "LabelConverter")
        if call.error:
            if not_written(call):
                return CheckResult(name, False, message("label.not_written", lang, method=op))
            hint = ""
            if call.error["type"] == "KeyError" and k == 1:
                hint = message("label.hint_label_map", lang)
            elif call.error["type"] == "IndexError":
                hint = message("label.hint_index", lang)
            return CheckResult(name, False, message("label.raised", lang, error=error_text(call), hint=hint, **where))
        got = call.value
        if op == "encode":
            want = encoded(charset, arg)
            ints = _ints(got)
            if ints is None:
                return CheckResult(name, False, message("label.encode_type", lang, got=describe(got, lang), **where))
            if ints == want:
                continue
            details = {"got": ints, "expected": want, **where}
            if ints == lecture_encoded(charset, arg):
                return CheckResult(name, False, message("label.hel_lo", lang, got=_show(ints), want=_show(want),
                                                        **where), details)
            if ints == [i - 1 for i in want]:
                return CheckResult(name, False, message("label.off_by_one", lang, got=_show(ints), want=_show(want),
                                                        first=charset[0], **where), details)
            if k == 1 and set(arg) <= set(TARGET_CHARACTERS) and ints == encoded(TARGET_CHARACTERS, arg):
                return CheckResult(name, False, message("label.target_characters", lang, got=_show(ints),
                                                        want=_show(want), **where), details)
            return CheckResult(name, False, message("label.encode_wrong", lang, got=_show(ints), want=_show(want),
                                                    **where), details)
        want = decoded(charset, arg)
        if not isinstance(got, str):
            hint = message("label.hint_join", lang) if isinstance(got, (list, tuple)) else ""
            return CheckResult(name, False, message("label.decode_type", lang, got=describe(got, lang), hint=hint, **where))
        if got == want:
            continue
        details = {"got": got[:40], "expected": want, **where}
        if got == _collapsed(want) or got == want.replace(BLANK, ""):
            return CheckResult(name, False, message("label.decode_collapsed", lang, got=got[:40], want=want, **where),
                               details)
        if got == "".join(charset[i] if i < len(charset) else "?" for i in arg) or \
                got == "".join(charset[i - 1] if i > 0 else charset[-1] for i in arg):
            return CheckResult(name, False, message("label.decode_off_by_one", lang, got=got[:40], want=want, **where),
                               details)
        if k == 1 and got == decoded(TARGET_CHARACTERS, [min(i, len(TARGET_CHARACTERS)) for i in arg]):
            return CheckResult(name, False, message("label.target_characters_decode", lang, got=got[:40], want=want,
                                                    **where), details)
        return CheckResult(name, False, message("label.decode_wrong", lang, got=got[:40], want=want, **where), details)
    words = sum(len(w) for w in exam.words)
    return CheckResult(name, True, message("label.passed", lang, words=words, charset=exam.charsets[1],
                                           hello=_show(encoded(TARGET_CHARACTERS, "HELLO"))), {"words": words})


def _collapsed(text: str) -> str:
    """What CTC decoding would make of `text`: repeats merged, then blanks dropped."""
    merged = [c for i, c in enumerate(text) if i == 0 or c != text[i - 1]]
    return "".join(c for c in merged if c != BLANK)


# ----------------------------------------------------------------------------- ctc_lengths

@dataclass
class LengthsExam:
    cases: list[tuple[np.ndarray, int]]  # (padded labels, the model's time steps)

    def label_lengths(self, case: int) -> np.ndarray:
        return (self.cases[case][0] != BLANK_INDEX).sum(axis=1)


def make_lengths_exam(seed: int) -> LengthsExam:
    rng = np.random.default_rng([seed, 22])
    cases = []
    for batch, steps in ((int(rng.integers(3, 7)), TIME_STEPS), (int(rng.integers(3, 7)), 49)):
        labels = np.zeros([batch, MAX_TEXT_LEN], np.int64)
        for row in labels:
            n = int(rng.integers(2, 13))
            row[:n] = rng.integers(1, len(TARGET_CHARACTERS) + 1, size=n)
        cases.append((labels, steps))
    return LengthsExam(cases)


def _write_lengths(exam: LengthsExam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, (labels, steps) in enumerate(exam.cases):
        (folder / f"case_{i}.json").write_text(json.dumps({"labels": labels.tolist(), "time_steps": steps}))


def _call_lengths(functions: Mapping, path: Path, models: Models):
    task = json.loads(path.read_text())
    return _plain(functions["ctc_lengths"](np.array(task["labels"], dtype=np.int64), int(task["time_steps"])))


def _column(value, batch: int) -> np.ndarray | None:
    """A length array of shape (batch, 1) or (batch,) as (batch,) ints, or None."""
    if isinstance(value, (list, tuple)):
        try:
            value = np.array(value, dtype=float)
        except (TypeError, ValueError):
            return None
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iuf" or value.shape not in ((batch, 1), (batch,)):
        return None
    return value.reshape(-1)


def score_lengths(exam: LengthsExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge ctc_lengths: T for every sample, each label's own length, in (batch, 1) arrays."""
    name = "ctc_lengths"
    for i, (labels, steps) in enumerate(exam.cases):
        call = calls.get(f"case_{i}", missing_call())
        batch, width = labels.shape
        where = {"batch": batch, "width": width, "steps": steps}
        if call.reference:
            return reference_result(name, call, lang)
        if call.error:
            if not_written(call):
                return CheckResult(name, False, message("lengths.not_written", lang))
            return CheckResult(name, False, message("lengths.raised", lang, error=error_text(call), **where))
        got = call.value
        if not isinstance(got, tuple) or len(got) != 2:
            return CheckResult(name, False, message("lengths.not_pair", lang, got=describe(got, lang)))
        input_length, label_length = (_column(v, batch) for v in got)
        for value, arg, column in ((got[0], "input_length", input_length), (got[1], "label_length", label_length)):
            if column is None:
                shape = value.shape if isinstance(value, np.ndarray) else None
                return CheckResult(name, False, message("lengths.shape", lang, arg=arg, got=describe(value, lang) if
                                                        shape is None else f"shape {shape}", **where))
        want = exam.label_lengths(i)
        details = {"input_length": input_length.tolist(), "label_length": label_length.tolist(),
                   "expected_label_length": want.tolist(), **where}
        if not np.all(input_length == steps):
            if np.array_equal(input_length, want) and np.all(label_length == steps):
                key = "lengths.swapped"
            elif np.all(input_length == width):
                key = "lengths.input_max_text_len"
            elif np.all(np.isin(input_length, (100, 74, 32))):
                key = "lengths.input_pixels"
            elif np.all(input_length == TIME_STEPS):
                key = "lengths.input_fixed"
            elif np.array_equal(input_length, want):
                key = "lengths.input_is_label_length"
            else:
                key = "lengths.input_wrong"
            return CheckResult(name, False, message(key, lang, got=_show(input_length), **where), details)
        if not np.array_equal(label_length, want):
            if np.all(label_length == width):
                key = "lengths.label_padding"
            elif np.array_equal(label_length, want + 1) or np.array_equal(label_length, want - 1):
                key = "lengths.label_off_by_one"
            else:
                key = "lengths.label_wrong"
            return CheckResult(name, False, message(key, lang, got=_show(label_length), want=_show(want), **where),
                               details)
    return CheckResult(name, True, message("lengths.passed", lang, steps=" and ".join(str(s) for _, s in exam.cases)))


# ----------------------------------------------------------------------------- ctc_loss

@dataclass
class LossExam:
    logits: np.ndarray        # (batch, T, blank + characters), float32
    labels: np.ndarray        # (batch, MAX_TEXT_LEN), 0 = padding
    input_length: np.ndarray  # (batch, 1)
    label_length: np.ndarray  # (batch, 1)
    expected: np.ndarray      # (batch, 1): tf.nn.ctc_loss with the blank at 0
    wrong: dict[str, np.ndarray] = field(default_factory=dict)  # the losses of plausible mistakes, by message key


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def make_loss_exam(seed: int) -> LossExam:
    """Random logits and labels, the right loss, and the losses of the lecture's plausible mistakes."""
    import ocr_lab  # noqa: F401  (TF_USE_LEGACY_KERAS before TensorFlow loads)
    import tensorflow as tf
    from tf_keras import backend as K

    rng = np.random.default_rng([seed, 23])
    batch, steps, classes = int(rng.integers(3, 6)), TIME_STEPS, len(TARGET_CHARACTERS) + 1
    logits = (rng.normal(size=[batch, steps, classes]) * 2.0).astype(np.float32)
    labels = np.zeros([batch, MAX_TEXT_LEN], np.int64)
    for row in labels:
        n = int(rng.integers(3, 9))
        row[:n] = rng.integers(1, classes, size=n)
    labels[0, 1] = labels[0, 2]  # a double letter
    input_length = np.full([batch, 1], steps, np.int64)
    label_length = (labels != 0).sum(axis=1, keepdims=True).astype(np.int64)

    def tf_loss(logits_, blank=BLANK_INDEX, lengths=None):
        return tf.nn.ctc_loss(labels=tf.constant(labels, tf.int32), logits=tf.constant(logits_),
                              label_length=tf.constant(label_length.reshape(-1), tf.int32),
                              logit_length=tf.constant((lengths if lengths is not None else input_length).reshape(-1),
                                                       tf.int32),
                              logits_time_major=False, blank_index=blank).numpy()[:, None]

    expected = tf_loss(logits)
    wrong = {}
    attempts = {
        # the lecture's K.ctc_batch_cost on the softmax: its blank is the last class
        "ctc.blank_last": lambda: K.ctc_batch_cost(labels, _softmax(logits), input_length, label_length).numpy(),
        "ctc.blank_last_tf": lambda: tf_loss(logits, blank=-1),
        # the softmax passed as logits: tf.nn.ctc_loss applies its own log-softmax
        "ctc.softmax_as_logits": lambda: tf_loss(_softmax(logits)),
        # the lecture's y_pred[:, 2:, :], with input_length T - 2
        "ctc.lecture_slice": lambda: tf_loss(np.ascontiguousarray(logits[:, 2:]), lengths=input_length - 2),
    }
    for key, attempt in attempts.items():
        try:
            value = np.asarray(attempt(), np.float64).reshape(batch, 1)
        except Exception:  # a mistake TensorFlow refuses outright is told by its error instead
            continue
        if np.all(np.isfinite(value)) and not np.allclose(value, expected, rtol=1e-3, atol=1e-3):
            wrong[key] = value
    return LossExam(logits, labels, input_length, label_length, expected, wrong)


def _write_loss(exam: LossExam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "batch.npz", logits=exam.logits, labels=exam.labels, input_length=exam.input_length,
             label_length=exam.label_length)


def _call_loss(functions: Mapping, path: Path, models: Models):
    with np.load(path) as batch:
        args = [batch[k] for k in ("labels", "logits", "input_length", "label_length")]
    return _plain(functions["ctc_loss"](*args))


def _loss_hint(error: dict, lang: str | None) -> str:
    text = error["message"].lower()
    if any(word in text for word in ("time_major", "dimension", "shape", "must be equal", "incompatible")):
        return message("ctc.hint_time_major", lang)
    return ""


def score_loss(exam: LossExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge ctc_loss against tf.nn.ctc_loss with the blank at 0; name the lecture's mistakes."""
    name = "ctc_loss"
    call = calls.get("batch", missing_call())
    batch = len(exam.labels)
    if call.reference:
        return reference_result(name, call, lang)
    if call.error:
        if not_written(call):
            return CheckResult(name, False, message("ctc.not_written", lang))
        if "null label" in call.error["message"] or "num_classes - 1" in call.error["message"]:
            return CheckResult(name, False, message("ctc.keras_refused", lang))  # K.ctc_batch_cost: blank last
        if _loss_hint(call.error, lang):  # a shape error: TensorFlow's text is long, the cause is one argument
            return CheckResult(name, False, message("ctc.time_major", lang, type=call.error["type"],
                                                    hint=_loss_hint(call.error, lang)))
        return CheckResult(name, False, message("ctc.raised", lang, error=error_text(call), hint=""))
    got = call.value
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        got = np.array(got, dtype=float)
    if not isinstance(got, np.ndarray) or got.dtype.kind not in "iuf":
        return CheckResult(name, False, message("ctc.not_array", lang, got=describe(got, lang)))
    if got.size == 1 and batch > 1:
        return CheckResult(name, False, message("ctc.not_per_sample", lang, shape=got.shape, batch=batch))
    if got.shape == (batch,):
        return CheckResult(name, False, message("ctc.shape_flat", lang, batch=batch))
    if got.shape != (batch, 1):
        return CheckResult(name, False, message("ctc.shape", lang, shape=got.shape, batch=batch))
    values = got.astype(np.float64)
    details = {"got": [round(float(v), 3) for v in values.ravel()],
               "expected": [round(float(v), 3) for v in exam.expected.ravel()]}
    shown = {"got": _losses(values), "want": _losses(exam.expected)}
    if not np.all(np.isfinite(values)):
        return CheckResult(name, False, message("ctc.not_finite", lang, **shown), details)
    if np.allclose(values, exam.expected, rtol=1e-3, atol=1e-3):
        return CheckResult(name, True, message("ctc.passed", lang, batch=batch, steps=exam.logits.shape[1],
                                               **shown), details)
    for key, wrong in exam.wrong.items():
        if np.allclose(values, wrong, rtol=1e-3, atol=1e-3):
            return CheckResult(name, False, message(key, lang, **shown), details)
    return CheckResult(name, False, message("ctc.wrong", lang, **shown), details)


def _losses(values: np.ndarray) -> str:
    return "[" + " ".join(f"{float(v):.2f}" for v in np.ravel(values)[:6]) + "]"


# ----------------------------------------------------------------------------- the records

LABEL_CONVERTER = Check(
    "label_converter", NOTEBOOK, functions=("LabelConverter",), needs=(),
    make_exam=lambda seed, models: make_converter_exam(seed), write_inputs=_write_converter, inputs=_jsons,
    call=_call_converter, score=score_converter, messages="label.",
    reference=("ocr_lab.labels.LabelConverter.encode", "ocr_lab.labels.LabelConverter.decode"),
    package="ocr_lab.labels:LabelConverter")
CTC_LENGTHS = Check(
    "ctc_lengths", NOTEBOOK, functions=("ctc_lengths",), needs=(),
    make_exam=lambda seed, models: make_lengths_exam(seed), write_inputs=_write_lengths, inputs=_jsons,
    call=_call_lengths, score=score_lengths, messages="lengths.",
    reference=("ocr_lab.labels.ctc_lengths",), package="ocr_lab.labels:ctc_lengths")
CTC_LOSS = Check(
    "ctc_loss", NOTEBOOK, functions=("ctc_loss",), needs=(),
    make_exam=lambda seed, models: make_loss_exam(seed), write_inputs=_write_loss,
    inputs=lambda folder: {"batch": folder / "batch.npz"},
    call=_call_loss, score=score_loss, messages="ctc.",
    reference=("ocr_lab.model.ctc_loss", "ocr_lab.model.CTCLoss.call"), package="ocr_lab.model:ctc_loss")

CHECKS = (LABEL_CONVERTER, CTC_LENGTHS, CTC_LOSS)


# ----------------------------------------------------------------------------- the notebook's check cells

def evaluate_label_converter(LabelConverter: Callable, seed: int = PUBLIC_SEED) -> CheckResult:  # noqa: N803
    return evaluate(LABEL_CONVERTER, {"LabelConverter": LabelConverter}, Models(), seed)


def evaluate_ctc_lengths(ctc_lengths: Callable, seed: int = PUBLIC_SEED) -> CheckResult:
    return evaluate(CTC_LENGTHS, {"ctc_lengths": ctc_lengths}, Models(), seed)


def evaluate_ctc_loss(ctc_loss: Callable, seed: int = PUBLIC_SEED) -> CheckResult:
    return evaluate(CTC_LOSS, {"ctc_loss": ctc_loss}, Models(), seed)


def check_label_converter(LabelConverter: Callable, seed: int = PUBLIC_SEED) -> None:  # noqa: N803
    """Exercise 1's check cell: encode and decode on two charsets."""
    check_cell(LABEL_CONVERTER, {"LabelConverter": LabelConverter}, Models(), seed)


def check_ctc_lengths(ctc_lengths: Callable, seed: int = PUBLIC_SEED) -> None:
    """Exercise 2's check cell: input_length and label_length of padded batches."""
    check_cell(CTC_LENGTHS, {"ctc_lengths": ctc_lengths}, Models(), seed)


def check_ctc_loss(ctc_loss: Callable, seed: int = PUBLIC_SEED) -> None:
    """Exercise 3's check cell: the per-sample loss on random logits."""
    check_cell(CTC_LOSS, {"ctc_loss": ctc_loss}, Models(), seed)
