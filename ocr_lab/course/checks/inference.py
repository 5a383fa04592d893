"""Notebook 05's checks: greedy `decode_predict_ctc` and a `check_inference` that uses its model.

The learner writes, in the lecture's names:

- `decode_predict_ctc(y_pred, characters)`: best-path decoding of a batch of softmax
  outputs, blank at class 0: the most likely class per step, repeats merged, then blanks
  dropped, class i read as `characters[i - 1]`; one string per image. The exam is a batch
  of probability matrices made at grading time from paths with double letters, in the
  lecture's charset at 24 steps and in a drawn one at 49.
- `check_inference(model, dataset, index)`: the lecture's last function, fixed: it reads
  the first `index` crops of `dataset` with the model it is given (the lecture's used the
  global `model_pred`) and returns their texts. The exam's model is a stand-in that reads
  a code drawn into each image, so it needs no checkpoint and nothing else reads the same.
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
from ocr_lab.labels import BLANK, TARGET_CHARACTERS

NOTEBOOK = "05_inference"








# ----------------------------------------------------------------------------- paths and their readings

def collapse(path: str) -> str:
    """CTC's best-path reading of a path ('-' the blank): repeats merged, then blanks dropped."""
    merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
    return "".join(c for c in merged if c != BLANK)


def _misreadings(path: str, characters: str) -> dict[str, str]:
    """What the plausible mistakes read on `path`, by message key (the first that applies wins)."""
    shifted = "".join(BLANK if c == BLANK else ((characters.index(c) + 1) < len(characters) and
                                                 characters[characters.index(c) + 1] or "?") for c in path)
    return {
        "decode.blanks_first": collapse(path.replace(BLANK, "")),     # blanks dropped, then repeats merged
        "decode.no_merge": path.replace(BLANK, ""),                   # blanks dropped, repeats kept
        "decode.blank_kept": "".join(c for i, c in enumerate(path) if i == 0 or c != path[i - 1]),  # merged, '-' kept
        "decode.off_by_one": collapse(shifted),                       # class i read as characters[i]
    }


def _path(rng, characters: str, steps: int) -> str:
    """A path of `steps` classes spelling a word with a double letter: runs of 1-2 steps, blanks between."""
    length = int(rng.integers(3, 8 if steps < 30 else 12))
    word = list(rng.choice(list(characters), size=length - 1))
    at = int(rng.integers(0, len(word)))
    word.insert(at, word[at])
    path = BLANK * int(rng.integers(0, 3))
    for i, c in enumerate(word):
        if i > 0 and (c == word[i - 1] or rng.random() < 0.4):
            path += BLANK * int(rng.integers(1, 3))
        path += c * int(rng.integers(1, 3))
    return (path + BLANK * steps)[:steps]


def probabilities(paths: list[str], characters: str, rng) -> np.ndarray:
    """(batch, steps, blank + characters) softmax outputs whose most likely class follows each path."""
    classes = len(characters) + 1
    out = rng.dirichlet(np.ones(classes), size=(len(paths), len(paths[0]))).astype(np.float32) * 0.45
    for b, path in enumerate(paths):
        for t, c in enumerate(path):
            out[b, t, 0 if c == BLANK else characters.index(c) + 1] += 0.55
    return out / out.sum(-1, keepdims=True)


# ----------------------------------------------------------------------------- decode_predict_ctc

@dataclass
class DecodeExam:
    charsets: list[str]
    paths: list[list[str]]       # per charset: one path per image of the batch
    y_pred: list[np.ndarray]     # per charset: the batch of softmax outputs


def make_decode_exam(seed: int) -> DecodeExam:
    rng = np.random.default_rng([seed, 51])
    drawn = "".join(rng.permutation(list(TARGET_CHARACTERS))[: int(rng.integers(10, 20))])
    charsets, paths, y_pred = [], [], []
    for charset, steps, batch in ((TARGET_CHARACTERS, 24, 4), (drawn, 49, 3)):
        batch_paths = [_path(rng, charset, steps) for _ in range(batch)]
        charsets.append(charset)
        paths.append(batch_paths)
        y_pred.append(probabilities(batch_paths, charset, rng))
    return DecodeExam(charsets, paths, y_pred)


def _write_decode(exam: DecodeExam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k, (charset, y) in enumerate(zip(exam.charsets, exam.y_pred)):
        np.savez(folder / f"batch_{k}.npz", y_pred=y, characters=np.array(charset))


def _npzs(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.glob("*.npz"))}


def _call_decode(functions: Mapping, path: Path, models: Models):
    with np.load(path) as batch:
        y_pred, characters = batch["y_pred"], str(batch["characters"])
    return functions["decode_predict_ctc"](y_pred, characters)


def score_decode(exam: DecodeExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge decode_predict_ctc on both batches; name the mistake when a text is misread."""
    name = "decode_predict_ctc"
    for k, (charset, paths) in enumerate(zip(exam.charsets, exam.paths)):
        call = calls.get(f"batch_{k}", missing_call())
        where = {"batch": len(paths), "steps": len(paths[0]), "classes": len(charset) + 1}
        if call.reference:
            return reference_result(name, call, lang)
        if call.error:
            if not_written(call):
                return CheckResult(name, False, message("decode.not_written", lang))
            return CheckResult(name, False, message("decode.raised", lang, error=error_text(call), **where))
        got = call.value
        if isinstance(got, str):
            return CheckResult(name, False, message("decode.returned_str", lang, got=got[:40], **where))
        if not isinstance(got, (list, tuple)) or not all(isinstance(t, str) for t in got):
            return CheckResult(name, False, message("decode.not_list", lang, got=describe(got, lang), **where))
        if len(got) != len(paths):
            key = "decode.first_only" if len(got) == 1 else "decode.wrong_count"
            return CheckResult(name, False, message(key, lang, count=len(got), **where))
        for text, path in zip(got, paths):
            want = collapse(path)
            if text == want:
                continue
            details = {"path": path, "got": text[:60], "expected": want, "charset": charset}
            fields = {"path": path, "got": text[:60], "want": want, "charset": charset}
            for key, misread in _misreadings(path, charset).items():
                if text == misread != want:
                    return CheckResult(name, False, message(key, lang, **fields), details)
            return CheckResult(name, False, message("decode.wrong", lang, **fields), details)
    texts = sum(len(p) for p in exam.paths)
    return CheckResult(name, True, message("decode.passed", lang, texts=texts, charset=exam.charsets[1]))


# ----------------------------------------------------------------------------- check_inference

STEPS = 24  # the stand-in model's time steps: one code pixel every 4 columns of a 100-pixel-wide image


class CodeModel:
    """A stand-in for `model_pred`: it "reads" the class code drawn in each image's first row, one class every
    4 columns, and counts its calls. Only this model reads the exam's images as the exam's words."""

    def __init__(self, characters: str = TARGET_CHARACTERS):
        self.characters, self.calls = characters, 0

    def predict(self, images, *args, **kwargs):
        self.calls += 1
        images = np.asarray(images, dtype=np.float32)
        if images.ndim != 4 or images.shape[1:] != (100, 32, 3):
            raise ValueError(f"the model takes a batch of width-first images, (batch, 100, 32, 3); got {images.shape}")
        codes = np.clip(np.rint(images[:, 0:4 * STEPS:4, 0, 0] / 6.0), 0, len(self.characters)).astype(int)
        out = np.full(codes.shape + (len(self.characters) + 1,), 0.1 / len(self.characters), np.float32)
        np.put_along_axis(out, codes[..., None], 0.9, axis=-1)
        return out

    def __call__(self, images, *args, **kwargs):
        return self.predict(images)


class CodeDataset:
    """A stand-in for `MJDatasetSequence(..., batch_size=1)`: item i is ({"input_image": (1, 100, 32, 3), ...}, ...)."""

    def __init__(self, images: np.ndarray):
        self.images = images

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int):
        if not 0 <= i < len(self.images):
            raise IndexError(f"index {i} is out of range: the data set has {len(self.images)} batches")
        inputs = {"input_image": self.images[i:i + 1], "label": np.zeros([1, 22], np.int64),
                  "input_length": np.full([1, 1], STEPS), "label_length": np.ones([1, 1], np.int64)}
        return inputs, {"ctc": np.zeros([1, 1], np.float32)}


@dataclass
class InferenceExam:
    images: np.ndarray     # (n, 100, 32, 3): a code drawn into noise
    words: list[str]       # what the stand-in model reads on each
    index: int             # how many the learner's function is asked to read


def draw_codes(paths: list[str], rng) -> np.ndarray:
    images = rng.integers(0, 256, size=(len(paths), 100, 32, 3)).astype(np.float32)
    for b, path in enumerate(paths):
        for t, c in enumerate(path):
            images[b, 4 * t, 0, 0] = 6.0 * (0 if c == BLANK else TARGET_CHARACTERS.index(c) + 1)
    return images


def make_inference_exam(seed: int) -> InferenceExam:
    rng = np.random.default_rng([seed, 52])
    paths = [_path(rng, TARGET_CHARACTERS, STEPS) for _ in range(7)]
    return InferenceExam(draw_codes(paths, rng), [collapse(p) for p in paths], int(rng.integers(3, 5)))


def _write_inference(exam: InferenceExam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "data.npz", images=exam.images.astype(np.uint8), index=exam.index)


def _call_inference(functions: Mapping, path: Path, models: Models):
    with np.load(path) as data:
        images, index = data["images"].astype(np.float32), int(data["index"])
    model = CodeModel()
    texts = functions["check_inference"](model, CodeDataset(images), index)
    return texts, model.calls


def score_inference(exam: InferenceExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge check_inference: the texts the model it was given reads on the first `index` crops."""
    name = "check_inference"
    call = calls.get("data", missing_call())
    want = exam.words[:exam.index]
    fields = {"index": exam.index, "want": " ".join(want)}
    if call.reference:
        return reference_result(name, call, lang)
    if call.error:
        if not_written(call):
            return CheckResult(name, False, message("inference.not_written", lang))
        return CheckResult(name, False, message("inference.raised", lang, error=error_text(call), **fields))
    texts, model_calls = call.value if isinstance(call.value, tuple) and len(call.value) == 2 else (call.value, 0)
    if not model_calls:  # the lecture's bug first: a function that prints and returns None often has it too
        return CheckResult(name, False, message("inference.global_model", lang, **fields))
    if texts is None:
        return CheckResult(name, False, message("inference.returned_none", lang, **fields))
    if not isinstance(texts, (list, tuple)) or not all(isinstance(t, str) for t in texts):
        return CheckResult(name, False, message("inference.not_list", lang, got=describe(texts, lang), **fields))
    texts = list(texts)
    got = " ".join(t[:30] for t in texts[:8])
    details = {"got": [t[:30] for t in texts[:8]], "expected": want}
    if texts == want:
        return CheckResult(name, True, message("inference.passed", lang, count=len(want), words=" ".join(want),
                                               calls=model_calls), details)
    if len(texts) != exam.index:
        return CheckResult(name, False, message("inference.wrong_count", lang, count=len(texts), **fields), details)
    if texts == exam.words[1:exam.index + 1]:
        return CheckResult(name, False, message("inference.from_one", lang, got=got, **fields), details)
    if [t.replace(BLANK, "") for t in texts] == want:
        return CheckResult(name, False, message("inference.blank_kept", lang, got=got, **fields), details)
    return CheckResult(name, False, message("inference.wrong", lang, got=got, **fields), details)


# ----------------------------------------------------------------------------- the records

DECODE_PREDICT_CTC = Check(
    "decode_predict_ctc", NOTEBOOK, functions=("decode_predict_ctc",), needs=(),
    make_exam=lambda seed, models: make_decode_exam(seed), write_inputs=_write_decode, inputs=_npzs,
    call=_call_decode, score=score_decode, messages="decode.",
    reference=("ocr_lab.decode.decode_predict_ctc", "ocr_lab.decode.greedy_decode", "ocr_lab.decode.beam_decode"),
    package="ocr_lab.decode:decode_predict_ctc")
CHECK_INFERENCE = Check(
    "check_inference", NOTEBOOK, functions=("check_inference",), needs=(),
    make_exam=lambda seed, models: make_inference_exam(seed), write_inputs=_write_inference,
    inputs=lambda folder: {"data": folder / "data.npz"}, call=_call_inference, score=score_inference,
    messages="inference.", reference=("ocr_lab.checkpoint.predict_texts", "ocr_lab.evaluate.evaluate",
                                      "ocr_lab.course.checks.inference.check_inference"),
    package="ocr_lab.course.checks.inference:check_inference")

CHECKS = (DECODE_PREDICT_CTC, CHECK_INFERENCE)


def check_inference(model, dataset, index: int = 5) -> list[str]:
    """The package's `check_inference` (what notebook 05 falls back to): the first `index` crops of
    `dataset` read with `model`, the one it is given, and decoded greedily."""
    from ocr_lab.decode import decode_predict_ctc

    texts = []
    for i in range(index):
        img = dataset[i][0]["input_image"][0:1]
        texts.append(decode_predict_ctc(np.asarray(model.predict(img, verbose=0)))[0])
    return texts


# ----------------------------------------------------------------------------- the notebook's check cells

def evaluate_decode_predict_ctc(decode_predict_ctc: Callable, seed: int = PUBLIC_SEED) -> CheckResult:
    return evaluate(DECODE_PREDICT_CTC, {"decode_predict_ctc": decode_predict_ctc}, Models(), seed)


def evaluate_check_inference(check_inference: Callable, seed: int = PUBLIC_SEED) -> CheckResult:
    return evaluate(CHECK_INFERENCE, {"check_inference": check_inference}, Models(), seed)


def check_decode_predict_ctc(decode_predict_ctc: Callable, seed: int = PUBLIC_SEED) -> None:
    """Exercise 1's check cell: greedy decoding of two batches."""
    check_cell(DECODE_PREDICT_CTC, {"decode_predict_ctc": decode_predict_ctc}, Models(), seed)


def check_check_inference(check_inference: Callable, seed: int = PUBLIC_SEED) -> None:
    """Exercise 2's check cell: the texts read with the model given."""
    check_cell(CHECK_INFERENCE, {"check_inference": check_inference}, Models(), seed)
