"""Checks: the feedback cells of notebook 06's exercise, and what the grader reads.

The learner writes the lecture's two TODO functions, `detect_text` and
`recognize_img`, and runs a check cell after each:

    from ocr_lab import checks
    checks.check_detect_text(detect_text, detector)
    checks.check_recognize_img(recognize_img, model_pred)
    checks.check_end_to_end(detect_text, recognize_img, detector, model_pred)

Each check runs the learner's function on inputs it makes itself (a generated
scene, a blank image, rendered word crops, the sample photo), compares with what
`ocr_lab`'s own implementation gives, and says exactly what was expected and what
came back. A failed check raises `CheckFailed`, so "Run all" stops there.

Each result is shown as a rich output with three representations: text and HTML
for the learner, and `CHECK_MIME` (JSON: check, passed, message, details) for
`python -m ocr_lab grade`, which executes the notebook and reads those outputs.
`RUBRIC` lists the checks the grader expects.
"""
from __future__ import annotations

import functools
import html
import inspect
import json
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

from ocr_lab.messages import message

CHECK_MIME = "application/vnd.ocr-lab.check+json"

RUBRIC = {name: message(f"rubric.{name}", "en") for name in ("detect_text", "recognize_img", "end_to_end")}

DETECT_SCENE_SEED = 0  # a generated scene with six words, upright and slanted, that CRAFT finds one by one
MARGIN = 5
RECOGNIZE_WORDS = ["OCR", "Hello", "LAB", "2024", "Street", "MOVIE", "Downtown", "coffee"]


class CheckFailed(AssertionError):
    """A check did not pass. The rich output above the error says what was expected and what came back."""

    def __init__(self, result: "CheckResult"):
        super().__init__(f"{result.check}: {result.message}")
        self.result = result

    def _render_traceback_(self):  # IPython: one red line instead of a stack trace into ocr_lab
        return [f"\x1b[31mCheckFailed\x1b[0m: {message('result.did_not_pass', check=self.result.check)}"]


@dataclass
class CheckResult:
    check: str
    passed: bool
    message: str
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"check": self.check, "passed": self.passed, "message": self.message, "details": self.details}

    def __str__(self) -> str:
        verdict = message("result.passed" if self.passed else "result.failed")
        return f"{'✔' if self.passed else '✘'} {self.check}: {verdict}. {self.message}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        colour = "#1a7f37" if self.passed else "#cf222e"
        mark = message("result.passed_mark" if self.passed else "result.failed_mark")
        body = html.escape(self.message).replace("\n", "<br>")
        return {
            "text/plain": str(self),
            "text/html": f'<p><b style="color:{colour}">{mark}: <code>{self.check}</code></b><br>{body}</p>',
            CHECK_MIME: self.to_json(),
        }


def report(result: CheckResult, raise_on_failure: bool = True) -> CheckResult:
    """Show the result (rich output in a notebook, text elsewhere) and raise `CheckFailed` if it failed.

    The check_* functions return None, so that a notebook cell shows the result once.
    """
    try:
        from IPython import get_ipython
        from IPython.display import display

        in_notebook = get_ipython() is not None
    except ImportError:  # pragma: no cover - IPython is part of the stack
        in_notebook = False
    if in_notebook:
        display(result)
    else:
        print(result)
    if raise_on_failure and not result.passed:
        raise CheckFailed(result)
    return result


# ----------------------------------------------------------------------------- helpers

def _describe(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, Image.Image):
        return f"a {value.width}x{value.height} PIL image"
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    return f"{type(value).__name__} {value!r}"[:120]


def _error(err: BaseException) -> str:
    """One line for an exception: its type, the first and the last line of its message (TensorFlow's
    messages put the graph trace in between)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip() and not line.strip().startswith("File ")]
    text = lines[0] if len(lines) < 2 else f"{lines[0]} ... {lines[-1]}"
    text = f"{type(err).__name__}: {text}" if text else type(err).__name__
    return text if len(text) < 300 else text[:300] + "..."


def _call(fn: Callable, first, extra):
    """Call fn(first, extra) or, for the lecture's one-argument signature with a global, fn(first)."""
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
        wants_extra = len(params) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        wants_extra = True
    return fn(first, extra) if wants_extra else fn(first)


def _not_written(err: BaseException) -> bool:
    return isinstance(err, NotImplementedError)


@functools.lru_cache(maxsize=1)
def _default_detector():
    from ocr_lab.detect import load_detector

    return load_detector()


@functools.lru_cache(maxsize=1)
def _default_recognizer():
    from ocr_lab.train import load_recognizer

    return load_recognizer()


@functools.lru_cache(maxsize=1)
def _detect_scene():
    """(scene image, reference boxes): the scene the detect check uses and what CRAFT finds on it."""
    from ocr_lab.detect import detect_boxes
    from ocr_lab.scenes import make_scene

    scene = make_scene(DETECT_SCENE_SEED)
    _, boxes = detect_boxes(scene.image, _default_detector())
    if len(boxes) == 0:
        raise RuntimeError(f"ocr_lab's own detector finds no word on scene {DETECT_SCENE_SEED}; the check is broken")
    return scene.image, boxes


@functools.lru_cache(maxsize=1)
def _temp_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="ocr_lab_checks_"))  # one per process: graders may run side by side


def _save_temp(img: Image.Image, name: str) -> str:
    path = _temp_dir() / name
    img.save(path)
    return str(path)


# ----------------------------------------------------------------------------- detect_text

def _expected_crop_sizes(box: np.ndarray, size: tuple[int, int], margin: int) -> list[tuple[int, int]]:
    """Acceptable (width, height) of a crop: clipped to the image or not, with rounding slack."""
    lo = box.min(axis=0) - margin
    hi = box.max(axis=0) + margin
    unclipped = tuple(int(round(v)) for v in hi - lo)
    clipped_lo, clipped_hi = np.maximum(lo, 0), np.minimum(hi, size)
    clipped = tuple(int(round(v)) for v in clipped_hi - clipped_lo)
    return [unclipped, clipped]


def _size_ok(got: tuple[int, int], expected: list[tuple[int, int]], slack: int = 3) -> bool:
    return any(abs(got[0] - w) <= slack and abs(got[1] - h) <= slack for w, h in expected)


def _red_pixels(img: Image.Image) -> int:
    a = np.asarray(img.convert("RGB")).astype(int)
    return int(((a[..., 0] > 200) & (a[..., 1] < 60) & (a[..., 2] < 60)).sum())


def evaluate_detect_text(detect_text: Callable, detector=None) -> CheckResult:
    """Run the learner's `detect_text` on a generated scene and on a blank image; say what is wrong."""
    from ocr_lab.detect import axis_crop

    name = "detect_text"
    detector = detector or _default_detector()
    image, boxes = _detect_scene()
    path = _save_temp(image, f"scene_{DETECT_SCENE_SEED}.png")
    try:
        out = _call(detect_text, path, detector)
    except Exception as err:  # the learner's code: any error is feedback
        if _not_written(err):
            return CheckResult(name, False, message("detect.not_written"))
        return CheckResult(name, False, message("detect.raised", path=path, error=_error(err)))
    if not isinstance(out, tuple) or len(out) != 2:
        return CheckResult(name, False, message("detect.not_pair", got=_describe(out)))
    annotated, crops = out
    if not isinstance(annotated, Image.Image):
        return CheckResult(name, False, message("detect.not_image", got=_describe(annotated)))
    if annotated.size != image.size:
        return CheckResult(name, False, message("detect.wrong_size", width=annotated.width, height=annotated.height,
                                                in_width=image.width, in_height=image.height))
    if not isinstance(crops, (list, tuple)) or not all(isinstance(c, Image.Image) for c in crops):
        return CheckResult(name, False, message("detect.not_crops", got=_describe(crops)))
    if len(crops) != len(boxes):
        return CheckResult(name, False, message("detect.crop_count", boxes=len(boxes), crops=len(crops)),
                           {"expected_crops": len(boxes), "got_crops": len(crops)})
    if np.array_equal(np.asarray(annotated.convert("RGB")), np.asarray(image)):
        return CheckResult(name, False, message("detect.not_drawn"))
    for i, (crop, box) in enumerate(zip(crops, boxes)):
        expected = _expected_crop_sizes(box, image.size, MARGIN)
        if not _size_ok(crop.size, expected):
            bare = tuple(int(round(v)) for v in box.max(axis=0) - box.min(axis=0))
            hint = message("detect.hint_margin" if _size_ok(crop.size, [bare]) else "detect.hint_rect", margin=MARGIN)
            return CheckResult(name, False, message("detect.crop_size", index=i, width=crop.width, height=crop.height,
                                                    margin=MARGIN, expected_width=expected[0][0],
                                                    expected_height=expected[0][1], hint=hint),
                               {"crop": i, "got_size": list(crop.size), "expected_size": list(expected[0])})
        reference = axis_crop(image, box, MARGIN)
        if _red_pixels(crop) > _red_pixels(reference) + 10:
            return CheckResult(name, False, message("detect.red_lines", index=i))
        got = np.asarray(crop.convert("RGB").resize(reference.size), dtype=np.float32)
        diff = float(np.abs(got - np.asarray(reference, dtype=np.float32)).mean())
        if diff > 30:
            return CheckResult(name, False, message("detect.wrong_pixels", index=i, diff=diff),
                               {"crop": i, "mean_difference": round(diff, 1)})
    blank_path = _save_temp(Image.new("RGB", (320, 240), "white"), "blank.png")
    try:
        _, blank_crops = _call(detect_text, blank_path, detector)
    except Exception as err:
        return CheckResult(name, False, message("detect.blank_raised", error=_error(err)))
    if len(blank_crops) != 0:
        return CheckResult(name, False, message("detect.blank_crops", crops=len(blank_crops)))
    return CheckResult(name, True, message("detect.passed", crops=len(crops), boxes=len(boxes), margin=MARGIN),
                       {"crops": len(crops)})


def check_detect_text(detect_text: Callable, detector=None) -> None:
    """The exercise's first check cell."""
    report(evaluate_detect_text(detect_text, detector))


# ----------------------------------------------------------------------------- recognize_img

@functools.lru_cache(maxsize=1)
def _rendered_words() -> tuple[tuple[str, Image.Image], ...]:
    """Clean word crops rendered by the synthetic generator: (word, crop)."""
    from ocr_lab import synth

    font = next(p for p in synth.font_families("train")["DejaVu Sans"] if p.name == "DejaVuSans-Bold.ttf")
    clean = {"rotation": 0.5, "perspective": 0.0, "texture_prob": 0.0, "image_blend": (0.0, 0.0), "blur_prob": 0.0,
             "resample_prob": 0.0, "noise_prob": 0.0, "border_prob": 0.0, "shadow_prob": 0.0,
             "underline_prob": 0.0, "char_spacing_prob": 0.0, "aspect": (1.0, 1.0), "font_size": (36, 36),
             "plain_background_prob": 1.0, "plain_text_colour_prob": 1.0}
    return tuple((word, synth.render_word(word, font, np.random.default_rng([11, i]), height=32, params=clean))
                 for i, word in enumerate(RECOGNIZE_WORDS))


def evaluate_recognize_img(recognize_img: Callable, model_pred=None) -> CheckResult:
    """Run the learner's `recognize_img` on rendered word crops; compare with ocr_lab's recognizer."""
    name = "recognize_img"
    from ocr_lab.pipeline import recognize

    model = model_pred if model_pred is not None else _default_recognizer()
    rendered = _rendered_words()
    read = recognize([crop for _, crop in rendered], model)
    # Only crops ocr_lab's own recognizer reads right: the check tests the learner's code, not the model.
    cases = [(word, crop) for (word, crop), (text, _) in zip(rendered, read) if text.upper() == word.upper()]
    if len(cases) < 3:
        return CheckResult(name, False, message("recognize.bad_model", read=len(cases), total=len(rendered)))
    predict_model = getattr(model, "model", model)  # the learner gets model_pred, the bare Keras model
    wrong = []
    for word, crop in cases:
        try:
            got = _call(recognize_img, crop, predict_model)
        except Exception as err:
            if _not_written(err):
                return CheckResult(name, False, message("recognize.not_written"))
            hint = ""
            if crop.width * 32 / crop.height > 100 and "broadcast" in str(err):
                hint = message("recognize.hint_wide", width=crop.width, height=crop.height)
            elif "shape" in str(err).lower():
                hint = message("recognize.hint_shape")
            return CheckResult(name, False, message("recognize.raised", width=crop.width, height=crop.height,
                                                    word=word, error=_error(err), hint=hint))
        if isinstance(got, (list, tuple, np.ndarray)):
            return CheckResult(name, False, message("recognize.returned_list", expected=word.upper(),
                                                    got=_describe(got)))
        if not isinstance(got, str):
            hint = message("recognize.hint_printed") if got is None else ""
            return CheckResult(name, False, message("recognize.not_str", got=_describe(got), hint=hint))
        if "-" in got and got.replace("-", "").upper() == word.upper():
            return CheckResult(name, False, message("recognize.blank_left", got=got, word=word))
        if got.upper() != word.upper():
            wrong.append((word, got))
    if wrong:
        listing = ", ".join(f"{w.upper()!r} -> {g!r}" for w, g in wrong)
        return CheckResult(name, False, message("recognize.wrong", wrong=len(wrong), total=len(cases), listing=listing),
                           {"wrong": [list(p) for p in wrong], "cases": len(cases)})
    return CheckResult(name, True, message("recognize.passed", total=len(cases),
                                           words=" ".join(w.upper() for w, _ in cases)), {"cases": len(cases)})


def check_recognize_img(recognize_img: Callable, model_pred=None) -> None:
    """The exercise's second check cell."""
    report(evaluate_recognize_img(recognize_img, model_pred))


# ----------------------------------------------------------------------------- end to end

def sample_photo() -> Path:
    """The photo notebook 06 OCRs end to end: the first image in data/samples/."""
    from ocr_lab.pipeline import SAMPLES_DIR, sample_images

    images = sample_images()
    if not images:
        raise FileNotFoundError(f"no sample photo in {str(SAMPLES_DIR)!r}")
    return images[0]


def sample_truth(photo: Path) -> list[str] | None:
    """The words written in a sample photo, from the ground_truth.json next to it (None if there is none)."""
    from ocr_lab.scenes import GROUND_TRUTH_FILE

    gt = Path(photo).parent / GROUND_TRUTH_FILE
    if not gt.exists():
        return None
    for entry in json.loads(gt.read_text()).get("scenes", []):
        if entry.get("image") == Path(photo).name:
            return [w["text"] for w in entry["words"]]
    return None


def _words_read(found: list[str], truth: list[str]) -> int:
    """How many truth words are read, each matched once, case and punctuation ignored."""
    from collections import Counter

    from ocr_lab.scenes import normalize_text

    want = Counter(normalize_text(t) for t in truth)
    got = Counter(normalize_text(f) for f in found)
    return sum(min(n, got[w]) for w, n in want.items())


def evaluate_end_to_end(detect_text: Callable, recognize_img: Callable, detector=None, model_pred=None,
                        image_path=None) -> CheckResult:
    """OCR the sample photo with the learner's two functions; compare with the words written on it."""
    from ocr_lab.detect import detect_text as reference_detect
    from ocr_lab.pipeline import recognize

    name = "end_to_end"
    detector = detector or _default_detector()
    model = model_pred if model_pred is not None else _default_recognizer()
    predict_model = getattr(model, "model", model)
    photo = Path(image_path) if image_path else sample_photo()
    try:
        annotated, crops = _call(detect_text, str(photo), detector)
        words = [_call(recognize_img, crop, predict_model) for crop in crops]
    except Exception as err:
        if _not_written(err):
            return CheckResult(name, False, message("e2e.not_written"), {"photo": photo.name})
        return CheckResult(name, False, message("e2e.raised", photo=photo.name, error=_error(err)), {"photo": photo.name})
    words = [w if isinstance(w, str) else str(w) for w in words]
    details = {"photo": photo.name, "words": words}
    truth = sample_truth(photo)
    if truth is None:
        return CheckResult(name, bool(words), message("e2e.read_only", count=len(words), photo=photo.name,
                                                      words=" ".join(words) or message("words.none")), details)
    _, ref_crops = reference_detect(photo, detector)
    reference = [t for t, _ in recognize(ref_crops, model)]
    correct, ref_correct = _words_read(words, truth), _words_read(reference, truth)
    needed = max(1, math.ceil(0.8 * ref_correct))
    details.update(truth=truth, correct=correct, reference_correct=ref_correct)
    summary = message("e2e.summary", correct=correct, total=len(truth), photo=photo.name, reference=ref_correct,
                      read=" ".join(words) or message("words.nothing"), written=" ".join(t.upper() for t in truth))
    if correct < needed:
        return CheckResult(name, False, message("e2e.too_few", summary=summary, needed=needed), details)
    return CheckResult(name, True, summary, details)


def check_end_to_end(detect_text: Callable, recognize_img: Callable, detector=None, model_pred=None,
                     image_path=None) -> None:
    """The exercise's last check: the whole OCR on the sample photo."""
    report(evaluate_end_to_end(detect_text, recognize_img, detector, model_pred, image_path))


# ----------------------------------------------------------------------------- for the grader

def results_in(nb) -> dict[str, dict]:
    """The last result of each check found in an executed notebook's outputs: {check: to_json()}."""
    found: dict[str, dict] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if CHECK_MIME in data:
                payload = data[CHECK_MIME]
                if isinstance(payload, str):
                    payload = json.loads(payload)
                if isinstance(payload, dict) and payload.get("check"):
                    found[payload["check"]] = payload
    return found
