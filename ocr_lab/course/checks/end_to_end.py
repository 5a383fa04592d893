"""Notebook 06's checks: `detect_text`, `recognize_img` and both together, end to end.

The learner writes the lecture's two TODO functions, `detect_text` and `recognize_img`.
Each is checked on an *exam*: inputs generated from a seed, with their ground truth.

- `detect_text` gets a generated scene (`ocr_lab.scenes`) and a blank image. Its
  crops are judged by which ground-truth word boxes they cover: in any order,
  axis-aligned or warped (`keras_ocr.tools.warpBox`), with a margin or without.
  They must cover the words that `ocr_lab`'s own `detect_text` covers.
- `recognize_img` gets word crops rendered by the synthetic generator, and must
  read the ones that `ocr_lab`'s recognizer reads.
- `end_to_end` runs both on a second scene and counts the words read right.

Each check is one `Check` record at the end of this module (`CHECKS`); the check
cells of the notebook (`check_detect_text`, ...) run them on the public seed.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import numpy as np
from PIL import Image

from ocr_lab.course.answers import MAX_ITEMS, REFERENCE, Call, Models, Opaque, call_learner, cap, describe
from ocr_lab.course.checks.cells import PUBLIC_SEED, check_cell, evaluate
from ocr_lab.course.checks.record import Check, CheckResult, error_text, missing_call, not_written, reference_result
from ocr_lab.course.messages import message

NOTEBOOK = "06_end_to_end"
MARGIN = 5
RECOGNIZE_COUNT = 8


# ----------------------------------------------------------------------------- the exam

@dataclass
class DetectExam:
    image: Image.Image        # the scene detect_text is called on
    truth: list[np.ndarray]   # its ground-truth word boxes, (4, 2) each
    boxes: np.ndarray         # what ocr_lab's detector finds on it, (N, 4, 2)
    warps: list[list[Image.Image]]  # per box: warpBox crops with margins 0..MARGIN
    covered: frozenset[int]   # the truth words that ocr_lab's detect_text covers
    blank: Image.Image


@dataclass
class RecognizeExam:
    words: list[str]
    crops: list[Image.Image]
    reference: list[str]      # what ocr_lab's recognizer reads on each crop


@dataclass
class EndToEndExam:
    image: Image.Image
    truth: list[str]
    reference: list[str]      # the words ocr_lab's own detect_text + recognize_img read

    @property
    def reference_correct(self) -> int:
        return words_read(self.reference, self.truth)



def _scene_seeds(seed: int, part: int):
    """Scene seeds for one part of an exam: a different stream per part, a few tries each."""
    rng = np.random.default_rng([seed, part, 15])
    return (int(s) for s in rng.integers(10_000, 2**31 - 1, size=20))


def make_detect_exam(seed: int, detector=None) -> DetectExam:
    """A scene on which ocr_lab's own detect_text covers at least three words, and a blank image."""
    from ocr_lab.detect import detect_boxes, load_detector
    from ocr_lab.scenes import make_scene

    detector = detector or load_detector()
    best = None
    for scene_seed in _scene_seeds(seed, 1):
        scene = make_scene(scene_seed)
        _, boxes = detect_boxes(scene.image, detector)
        truth = [w.box for w in scene.words]
        regions = [_rect_polygon(_axis_rect(box, scene.image.size, MARGIN)) for box in boxes]
        covered = frozenset(g for region in regions for g in covers(region, truth))
        best = (scene, boxes, truth, covered)
        if len(covered) >= 3:
            break
    scene, boxes, truth, covered = best
    arr = np.asarray(scene.image)
    warps = [[_warp(arr, box, m) for m in range(MARGIN + 1)] for box in boxes]
    return DetectExam(scene.image, truth, boxes, warps, covered, Image.new("RGB", (320, 240), "white"))


def _warp(arr: np.ndarray, box: np.ndarray, margin: int) -> Image.Image:
    from keras_ocr.tools import warpBox

    return Image.fromarray(warpBox(arr, np.asarray(box, np.float32), margin=margin))


@functools.lru_cache(maxsize=1)
def _recognize_font() -> Path:
    from ocr_lab import synth

    return next(p for p in synth.font_families("train")["DejaVu Sans"] if p.name == "DejaVuSans-Bold.ttf")


# The exam's crops are clean: every effect of the generator off (`clean_render_params` turns off each
# `*_prob` of synth.AUGMENT, so also the curves, circles, neighbours and relief of later generators),
# then upright, at one size, dark or light text on a plain background.
CLEAN_RENDER = {"rotation": 0.5, "perspective": 0.0, "image_blend": (0.0, 0.0), "aspect": (1.0, 1.0),
                "font_size": (36, 36), "plain_background_prob": 1.0, "plain_text_colour_prob": 1.0}


def clean_render_params() -> dict:
    """`synth.render_word` params for the exam's clean crops (see CLEAN_RENDER)."""
    from ocr_lab import synth

    return {**{name: 0.0 for name in synth.AUGMENT if name.endswith("_prob")}, **CLEAN_RENDER}


def make_recognize_exam(seed: int, recognizer=None) -> RecognizeExam:
    """Clean word crops rendered by the synthetic generator, with ocr_lab's reading of each."""
    from ocr_lab import synth
    from ocr_lab.pipeline import recognize
    from ocr_lab.scenes import word_text
    from ocr_lab.checkpoint import load_recognizer

    recognizer = recognizer if recognizer is not None else load_recognizer()
    rng = np.random.default_rng([seed, 2, 15])
    words: list[str] = []
    while len(words) < RECOGNIZE_COUNT:  # distinct words; most are wider than 100 px at height 32, so the cap matters
        word = word_text(rng, 10)
        if word.upper() not in (w.upper() for w in words):
            words.append(word)
    clean = clean_render_params()
    crops = [synth.render_word(w, _recognize_font(), np.random.default_rng([seed, 3, i]), height=32, params=clean)
             for i, w in enumerate(words)]
    reference = [text for text, _ in recognize(crops, recognizer)]
    return RecognizeExam(words, crops, reference)


def make_end_to_end_exam(seed: int, detector=None, recognizer=None) -> EndToEndExam:
    """A scene of which ocr_lab's own lecture-style pipeline (axis crops) reads at least two words."""
    from ocr_lab.detect import detect_text, load_detector
    from ocr_lab.pipeline import recognize
    from ocr_lab.scenes import make_scene
    from ocr_lab.checkpoint import load_recognizer

    detector = detector or load_detector()
    recognizer = recognizer if recognizer is not None else load_recognizer()
    best = None
    for scene_seed in _scene_seeds(seed, 4):
        scene = make_scene(scene_seed, fonts="train")
        _, crops = detect_text(scene.image, detector)
        exam = EndToEndExam(scene.image, [w.text for w in scene.words], [t for t, _ in recognize(crops, recognizer)])
        if best is None or exam.reference_correct > best.reference_correct:
            best = exam
        if exam.reference_correct >= 3:
            break
    return best



# ----------------------------------------------------------------------------- scoring







def _axis_rect(box: np.ndarray, size: tuple[int, int], margin: int) -> tuple[int, int, int, int]:
    """The lecture's crop rectangle: the box's bounding rectangle grown by `margin`, inside the image."""
    x0, y0 = np.floor(np.asarray(box).min(axis=0)) - margin
    x1, y1 = np.ceil(np.asarray(box).max(axis=0)) + margin
    return int(max(x0, 0)), int(max(y0, 0)), int(min(x1, size[0])), int(min(y1, size[1]))


def _rect_polygon(rect) -> np.ndarray:
    x0, y0, x1, y1 = rect
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


def _inside(region: np.ndarray, truth: list[np.ndarray], min_fraction: float = 0.75) -> set[int]:
    """The truth boxes mostly (`min_fraction` of their area) inside a crop region."""
    from shapely.geometry import Polygon

    poly = Polygon(np.asarray(region, float)).buffer(0)
    inside = set()
    for g, word in enumerate(truth):
        wp = Polygon(np.asarray(word, float)).buffer(0)
        if wp.area > 0 and poly.intersection(wp).area / wp.area >= min_fraction:
            inside.add(g)
    return inside


def covers(region: np.ndarray, truth: list[np.ndarray]) -> set[int]:
    """The truth boxes a crop region covers: most of each box inside it, and the region not much larger
    than the words it holds (a crop of the whole image covers nothing)."""
    from shapely.geometry import Polygon, box as rectangle

    inside = _inside(region, truth)
    if not inside:
        return set()
    room = 0.0  # each word's bounding rectangle, grown by the margin and a quarter of its height
    for g in inside:
        pts = np.asarray(truth[g], float)
        grow = MARGIN + 3 + 0.25 * float(np.ptp(pts[:, 1]))
        room += rectangle(*(pts.min(axis=0) - grow), *(pts.max(axis=0) + grow)).area
    return inside if Polygon(np.asarray(region, float)).area <= 2.5 * room else set()


def _locate(crop: Image.Image, image: Image.Image) -> tuple[int, int, int, int] | None:
    """Where `crop` sits in `image` pixel for pixel (an axis-aligned crop), or None."""
    import cv2

    if crop.width < 4 or crop.height < 4 or crop.width > image.width or crop.height > image.height:
        return None
    scene = np.asarray(image.convert("RGB"))
    part = np.asarray(crop.convert("RGB"))
    if part.std() < 1:  # a flat crop matches anywhere
        return None
    score = cv2.matchTemplate(scene, part, cv2.TM_CCOEFF_NORMED)  # find the best place, then check it exactly
    _, _, _, (x, y) = cv2.minMaxLoc(score)
    diff = np.abs(scene[y:y + crop.height, x:x + crop.width].astype(np.int16) - part).mean()
    if diff > 3.0:  # grey levels: a crop of the image itself differs by 0
        return None
    return x, y, x + crop.width, y + crop.height


def _warp_match(crop: Image.Image, exam: DetectExam) -> int | None:
    """The detector box whose warped crop (any margin 0..MARGIN) `crop` is, or None."""
    got = np.asarray(crop.convert("RGB"), np.float32)
    best, best_box = 25.0, None  # mean absolute difference, grey levels
    for k, candidates in enumerate(exam.warps):
        for cand in candidates:
            ratio = (crop.width / max(crop.height, 1)) / (cand.width / max(cand.height, 1))
            if not 0.75 < ratio < 1.33 or not 0.5 < crop.height / max(cand.height, 1) < 2:
                continue
            want = np.asarray(cand.convert("RGB").resize(crop.size, Image.BILINEAR), np.float32)
            diff = float(np.abs(got - want).mean())
            if diff < best:
                best, best_box = diff, k
    return best_box


def _region_of(crop, exam: DetectExam, annotated) -> tuple[str, np.ndarray | None]:
    """("axis"|"warp", region polygon), ("annotated", rect) for a crop cut from the drawn-on copy, or ("none", None)."""
    rect = _locate(crop, exam.image)
    if rect is not None:
        return "axis", _rect_polygon(rect)
    if isinstance(annotated, Image.Image) and annotated.size == exam.image.size:
        rect = _locate(crop, annotated)  # before the warp match, which the box lines alone would not spoil
        if rect is not None:
            return "annotated", _rect_polygon(rect)
    k = _warp_match(crop, exam)
    if k is not None:
        return "warp", _rect_polygon(_axis_rect(exam.boxes[k], exam.image.size, MARGIN))
    return "none", None


def _where(region: np.ndarray) -> str:
    x0, y0 = region.min(axis=0)
    x1, y1 = region.max(axis=0)
    return f"x {x0:.0f}..{x1:.0f}, y {y0:.0f}..{y1:.0f}"


def score_detect_text(exam: DetectExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge detect_text's answers on the exam scene and the blank image; say so in `lang`."""
    name = "detect_text"
    scene, blank = calls.get("scene", missing_call()), calls.get("blank")
    if scene.reference:
        return reference_result(name, scene, lang)
    if scene.error:
        if not_written(scene):
            return CheckResult(name, False, message("detect.not_written", lang))
        hint = ""
        if "lower' is less than 'upper" in scene.error["message"] or "is less than 'left" in scene.error["message"]:
            hint = message("detect.hint_crop_order", lang)
        return CheckResult(name, False, message("detect.raised", lang, error=error_text(scene), hint=hint))
    out = scene.value
    if not isinstance(out, tuple) or len(out) != 2:
        hint = ""
        if isinstance(out, list) and len(out) == 2:
            hint = message("detect.hint_list", lang)
        return CheckResult(name, False, message("detect.not_pair", lang, got=describe(out, lang), hint=hint))
    annotated, crops = out
    image = exam.image
    if not isinstance(annotated, Image.Image):
        return CheckResult(name, False, message("detect.not_image", lang, got=describe(annotated, lang)))
    if annotated.size != image.size:
        return CheckResult(name, False, message("detect.wrong_size", lang, width=annotated.width,
                                                height=annotated.height, in_width=image.width, in_height=image.height))
    if not isinstance(crops, (list, tuple)) or not all(isinstance(c, Image.Image) for c in crops):
        return CheckResult(name, False, message("detect.not_crops", lang, got=describe(crops, lang)))
    if np.array_equal(np.asarray(annotated.convert("RGB")), np.asarray(image)):
        return CheckResult(name, False, message("detect.not_drawn", lang))
    found = len(exam.boxes)
    if not crops:
        return CheckResult(name, False, message("detect.no_crops", lang, boxes=found))
    covered: set[int] = set()
    detector_regions = [_rect_polygon(_axis_rect(b, image.size, MARGIN)) for b in exam.boxes]
    for i, crop in enumerate(crops):
        how, region = _region_of(crop, exam, annotated)
        if how == "annotated":
            return CheckResult(name, False, message("detect.annotated_crop", lang, index=i))
        if how == "none":
            return CheckResult(name, False, message("detect.foreign_crop", lang, index=i, width=crop.width,
                                                    height=crop.height, mode=crop.mode), {"crop": i})
        got = covers(region, exam.truth)
        if not got and not any(_iou(region, d) > 0.5 for d in detector_regions):
            held = _inside(region, exam.truth)
            if held:
                return CheckResult(name, False, message("detect.too_large", lang, index=i, where=_where(region),
                                                        count=len(held)), {"crop": i})
            hint = ""
            swapped = region[:, ::-1]
            if any(_iou(swapped, d) > 0.5 for d in detector_regions):
                hint = message("detect.hint_swapped", lang)
            return CheckResult(name, False, message("detect.no_word", lang, index=i, where=_where(region), hint=hint),
                               {"crop": i})
        covered |= got
    missed = exam.covered - covered
    allowed = len(exam.covered) // 5
    if len(missed) > allowed:
        hint = message("detect.hint_one_per_box", lang, crops=len(crops), boxes=found) if len(crops) < found else ""
        where = "; ".join(_where(np.asarray(exam.truth[g])) for g in sorted(missed)[:3])
        return CheckResult(name, False, message("detect.missed", lang, covered=len(exam.covered) - len(missed),
                                                total=len(exam.covered), missed=where, hint=hint),
                           {"covered": len(covered), "expected": len(exam.covered)})
    if blank is None or blank.error:
        err = error_text(blank) if blank and blank.error else message("check.no_answer", lang)
        return CheckResult(name, False, message("detect.blank_raised", lang, error=err))
    if not isinstance(blank.value, tuple) or len(blank.value) != 2 or not isinstance(blank.value[1], (list, tuple)):
        return CheckResult(name, False, message("detect.blank_not_pair", lang, got=describe(blank.value, lang)))
    if len(blank.value[1]) != 0:
        return CheckResult(name, False, message("detect.blank_crops", lang, crops=len(blank.value[1])))
    return CheckResult(name, True, message("detect.passed", lang, crops=len(crops), covered=len(covered & exam.covered),
                                           total=len(exam.covered)), {"crops": len(crops)})


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    from ocr_lab.scenes import polygon_iou

    return polygon_iou(a, b)


def _recognize_hint(error: dict, crop: Image.Image, lang: str | None) -> str:
    text = error["message"]  # a lecture-style decode call explains itself (ocr_lab.decode)
    if crop.width * 32 / crop.height > 100 and "broadcast" in text:
        return message("recognize.hint_wide", lang, width=crop.width, height=crop.height)
    if "shape" in text.lower():
        return message("recognize.hint_shape", lang)
    return ""


def score_recognize_img(exam: RecognizeExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge recognize_img's answers on the crops ocr_lab's recognizer reads right; say so in `lang`."""
    name = "recognize_img"
    cases = [i for i, (w, r) in enumerate(zip(exam.words, exam.reference)) if w.upper() == r.upper()]
    if len(cases) < 3:
        return CheckResult(name, False, message("recognize.bad_checkpoint", lang, read=len(cases),
                                                total=len(exam.words)))
    wrong = []
    for i in cases:
        word, crop = exam.words[i].upper(), exam.crops[i]
        call = calls.get(f"{i:03d}", missing_call())
        if call.reference:
            return reference_result(name, call, lang)
        if call.error:
            if not_written(call):
                return CheckResult(name, False, message("recognize.not_written", lang))
            return CheckResult(name, False, message("recognize.raised", lang, width=crop.width, height=crop.height,
                                                    word=word, error=error_text(call),
                                                    hint=_recognize_hint(call.error, crop, lang)))
        got = call.value
        if isinstance(got, (list, tuple)):
            return CheckResult(name, False, message("recognize.returned_list", lang, expected=word,
                                                    got=describe(got, lang)))
        if isinstance(got, Opaque) and got.description.startswith("a numpy array"):
            return CheckResult(name, False, message("recognize.returned_array", lang, expected=word,
                                                    got=describe(got, lang)))
        if not isinstance(got, str):
            hint = message("recognize.hint_printed", lang) if got is None else ""
            return CheckResult(name, False, message("recognize.not_str", lang, got=describe(got, lang), hint=hint))
        if "-" in got and got.replace("-", "").upper() == word:
            return CheckResult(name, False, message("recognize.blank_left", lang, got=got, word=word))
        if got.upper() != word:
            wrong.append((word, got[:30]))
    if wrong:
        listing = ", ".join(f"{w!r} -> {g!r}" for w, g in wrong[:4]) + (", ..." if len(wrong) > 4 else "")
        return CheckResult(name, False, message("recognize.wrong", lang, wrong=len(wrong), total=len(cases),
                                                listing=listing),
                           {"wrong": [list(p) for p in wrong], "cases": len(cases)})
    return CheckResult(name, True, message("recognize.passed", lang, total=len(cases),
                                           words=" ".join(exam.words[i].upper() for i in cases)), {"cases": len(cases)})


def words_read(found: list[str], truth: list[str]) -> int:
    """How many truth words are read, each matched once, case and punctuation ignored."""
    from collections import Counter

    from ocr_lab.scenes import normalize_text

    want = Counter(normalize_text(t) for t in truth)
    got = Counter(normalize_text(f) for f in found)
    return sum(min(n, got[w]) for w, n in want.items())


def score_end_to_end(exam: EndToEndExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge the words read on the second scene against the words written on it; say so in `lang`."""
    name = "end_to_end"
    call = calls.get("scene", missing_call())
    if call.reference:
        return reference_result(name, call, lang, message("check.both_functions", lang))
    if call.error:
        if not_written(call):
            return CheckResult(name, False, message("e2e.not_written", lang))
        hint = _recognize_hint(call.error, Image.new("RGB", (1, 1)), lang) if "charset" in call.error["message"] else ""
        return CheckResult(name, False, message("e2e.raised", lang, error=error_text(call), hint=hint))
    words = call.value
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        return CheckResult(name, False, message("e2e.not_strings", lang, got=describe(words, lang)))
    correct, ref_correct = words_read(words, exam.truth), exam.reference_correct
    # 80 % of what ocr_lab's pipeline reads, rounded down: a learner's pipeline crops as the lecture does
    # (axis-aligned boxes) and may read one word of a small scene otherwise; rounded up, 3 words would need all 3.
    needed = max(1, math.floor(0.8 * ref_correct))
    details = {"words": [w[:30] for w in words[:30]], "truth": exam.truth, "correct": correct,
               "reference_correct": ref_correct}
    summary = message("e2e.summary", lang, correct=correct, total=len(exam.truth), reference=ref_correct,
                      read=cap(" ".join(details["words"]) or message("words.nothing", lang), 150),
                      written=" ".join(t.upper() for t in exam.truth))
    if correct < needed:
        return CheckResult(name, False, message("e2e.too_few", lang, summary=summary, needed=needed), details)
    return CheckResult(name, True, summary, details)



# ----------------------------------------------------------------------------- the exam as files, the calls

def _write_detect(exam: DetectExam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    exam.image.save(folder / "scene.png")
    exam.blank.save(folder / "blank.png")


def _write_recognize(exam: RecognizeExam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, crop in enumerate(exam.crops):
        crop.save(folder / f"{i:03d}.png")


def _write_end_to_end(exam: EndToEndExam, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    exam.image.save(folder / "scene.png")


def _pngs(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.glob("*.png"))}


def _call_detect(functions: Mapping, path: Path, models: Models):
    return call_learner(functions["detect_text"], str(path), models.detector)


def _call_recognize(functions: Mapping, path: Path, models: Models):
    return call_learner(functions["recognize_img"], Image.open(path).convert("RGB"), models.model_pred)


def _call_both(functions: Mapping, path: Path, models: Models):
    _, crops = call_learner(functions["detect_text"], str(path), models.detector)
    return [call_learner(functions["recognize_img"], crop, models.model_pred) for crop in list(crops)[:MAX_ITEMS]]


# ----------------------------------------------------------------------------- the records

DETECT_TEXT = Check(
    "detect_text", NOTEBOOK, functions=("detect_text",), needs=("detector",),
    make_exam=lambda seed, models: make_detect_exam(seed, models.get("detector")),
    write_inputs=_write_detect, inputs=lambda folder: {"scene": folder / "scene.png", "blank": folder / "blank.png"},
    call=_call_detect, score=score_detect_text, messages="detect.", reference=REFERENCE,
    package="ocr_lab.detect:detect_text")
RECOGNIZE_IMG = Check(
    "recognize_img", NOTEBOOK, functions=("recognize_img",), needs=("recognizer",),
    make_exam=lambda seed, models: make_recognize_exam(seed, models.get("recognizer")),
    write_inputs=_write_recognize, inputs=_pngs,
    call=_call_recognize, score=score_recognize_img,
    messages="recognize.", reference=REFERENCE, package="ocr_lab.pipeline:recognize_img")
END_TO_END = Check(
    "end_to_end", NOTEBOOK, functions=("detect_text", "recognize_img"), needs=("detector", "recognizer"),
    make_exam=lambda seed, models: make_end_to_end_exam(seed, models.get("detector"), models.get("recognizer")),
    write_inputs=_write_end_to_end, inputs=lambda folder: {"scene": folder / "scene.png"},
    call=_call_both, score=score_end_to_end, messages="e2e.", reference=REFERENCE)

CHECKS = (DETECT_TEXT, RECOGNIZE_IMG, END_TO_END)


# ----------------------------------------------------------------------------- the notebook's check cells

def evaluate_detect_text(detect_text: Callable, detector=None, seed: int = PUBLIC_SEED) -> CheckResult:
    """Run the learner's `detect_text` on the exam scene of `seed` and a blank image; say what is wrong."""
    return evaluate(DETECT_TEXT, {"detect_text": detect_text}, Models(detector), seed)


def evaluate_recognize_img(recognize_img: Callable, model_pred=None, seed: int = PUBLIC_SEED) -> CheckResult:
    """Run the learner's `recognize_img` on the word crops of `seed`; compare with ocr_lab's recognizer."""
    return evaluate(RECOGNIZE_IMG, {"recognize_img": recognize_img}, Models(recognizer=model_pred), seed)


def evaluate_end_to_end(detect_text: Callable, recognize_img: Callable, detector=None, model_pred=None,
                        seed: int = PUBLIC_SEED) -> CheckResult:
    """OCR the second scene of `seed` with the learner's two functions; count the words read right."""
    return evaluate(END_TO_END, {"detect_text": detect_text, "recognize_img": recognize_img},
                    Models(detector, model_pred), seed)


def check_detect_text(detect_text: Callable, detector=None, seed: int = PUBLIC_SEED) -> None:
    """The exercise's first check cell."""
    check_cell(DETECT_TEXT, {"detect_text": detect_text}, Models(detector), seed)


def check_recognize_img(recognize_img: Callable, model_pred=None, seed: int = PUBLIC_SEED) -> None:
    """The exercise's second check cell."""
    check_cell(RECOGNIZE_IMG, {"recognize_img": recognize_img}, Models(recognizer=model_pred), seed)


def check_end_to_end(detect_text: Callable, recognize_img: Callable, detector=None, model_pred=None,
                     seed: int = PUBLIC_SEED) -> None:
    """The exercise's last check: the whole OCR on a generated scene."""
    check_cell(END_TO_END, {"detect_text": detect_text, "recognize_img": recognize_img},
               Models(detector, model_pred), seed)


def sample_photo() -> Path:
    """The photo notebook 06 shows: the first image in data/samples/."""
    from ocr_lab.pipeline import SAMPLES_DIR, sample_images

    images = sample_images()
    if not images:
        raise FileNotFoundError(f"no sample photo in {str(SAMPLES_DIR)!r}")
    return images[0]
