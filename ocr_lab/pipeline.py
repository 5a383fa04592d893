"""Pipeline: detect -> crop -> recognise, the lecture's End-to-End OCR project, finished.

Taught in notebook 06. `recognize_img` reads one crop (the lecture's TODO);
`recognize` reads many crops with one model call and one batched decode, which
is what `OCRPipeline` uses: CRAFT finds the word boxes, each box is cut out, all
crops go through the CRNN together, and the words come back in reading order
(lines top to bottom, words left to right), each with its box and a confidence.

    python -m ocr_lab ocr photo.jpg --out build/ocr
    python -m ocr_lab demo
    python -m ocr_lab ocr photo.jpg --out build/ocr --engine keras   # the notebooks' Keras models

The commands run both networks on ONNX Runtime and never import TensorFlow, which
took most of their start-up time and memory (`load_models`).
"""
from __future__ import annotations

import argparse
import errno
import itertools
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image

from ocr_lab.arguments import in_range
from ocr_lab.decode import Lexicon, decode_readings, lexicon_from, second_look
from ocr_lab.detect import (CROP_METHODS, MARGIN, MAX_DETECT_SIDE, MIN_DETECT_SIDE, ImageLike, crop_boxes, detect_boxes,
                            draw_boxes)
from ocr_lab.files import atomic_write, is_inside, resolved
from ocr_lab.images import TILT_BELOW, is_squarish, is_tall, quarter_turns, tilted_views
from ocr_lab.labels import IMG_SIZE, TARGET_CHARACTERS, is_cased
from ocr_lab.photos import PAGE_TEXT, book_page, words_right

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "data" / "samples"
DEMO_DIR = PROJECT_ROOT / "build" / "demo"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")
DEFAULT_CROP = "warp"  # reads tilted words far better than "axis" (benchmarks/bench_end_to_end.py)
# Words read with less confidence are left out: a low path probability mostly means a box
# around something that is not a word, or a word the model cannot read. Tuned on 40 scenes
# (seeds 2000-2039) that the benchmark's own scenes (1000-1039) do not include:
# `python benchmarks/bench_end_to_end.py --seed 2000 --systems ours-warp` prints F1 by floor.
# 0.25 is within one word of the best floor for the shipped checkpoint (CHANGELOG.md has the
# measurements); re-tune it when the checkpoint changes.
DEFAULT_MIN_CONFIDENCE = 0.25


# ----------------------------------------------------------------------------- recognition

def _parts(model):
    """(predict function, charset, input size, head) of a `Recognizer` or of a bare image -> softmax model."""
    characters = getattr(model, "characters", TARGET_CHARACTERS)
    img_size = tuple(getattr(model, "img_size", IMG_SIZE))
    head = getattr(model, "head", "ctc")
    if hasattr(model, "characters") and hasattr(model, "predict"):  # a Recognizer
        return model.predict, characters, img_size, head
    return (lambda x: model.predict(x, verbose=0)), characters, img_size, head



def _batch(crops: Sequence[Image.Image], img_size) -> np.ndarray:
    from ocr_lab.images import preprocess_image

    batch = np.zeros([len(crops), *img_size, 3], dtype=np.float32)   # [n, 100, 32, 3], padded with black
    for i, crop in enumerate(crops):
        img = preprocess_image(crop, img_size)                           # [w <= 100, 32, 3]
        batch[i, : img.shape[0]] = img
    return batch


def recognize(crops: Sequence[Image.Image], model, beam_width: int = 1,
              turn_tall: bool = True, lexicon: Lexicon | None = None, tilt: bool = True) -> list[tuple[str, float]]:
    """Read word crops: one model call for the whole batch, one batched decode.

    `model` is a `Recognizer` (`ocr_lab.checkpoint.load_recognizer`) or a bare image ->
    softmax Keras model (then the default charset and input size are assumed).
    Returns one (text, confidence) per crop; the confidence is the probability of
    the decoded path (see `decode.greedy_decode`). `beam_width` > 1 decodes with beam
    search. With `turn_tall`, crops taller than `images.TALL_CROP_RATIO` times their width are
    also read turned 90 degrees each way, and the most confident of the three readings is kept.
    With `tilt`, a crop about as tall as wide whose reading is unsure gets a second look at
    `images.tilted_views` (one more model call for all of them), in case its word is slanted.
    With a `lexicon` (`ocr_lab.decode.english()`), each reading may become a dictionary word
    the model finds nearly as likely (`decode.snap_to_lexicon`).
    """
    if len(crops) == 0:
        return []
    predict, characters, img_size, head = _parts(model)
    tall = [i for i, c in enumerate(crops) if turn_tall and is_tall(c)]
    turned = [view for i in tall for view in quarter_turns(crops[i])]
    readings = decode_readings(predict(_batch(list(crops) + turned, img_size)), characters, beam_width, tall, lexicon,
                               head)
    squarish = [i for i, c in enumerate(crops) if tilt and is_squarish(c)]
    return second_look(readings, squarish, lambda i: _batch(tilted_views(crops[i]), img_size), predict, characters,
                       TILT_BELOW, beam_width, lexicon, head)


def recognize_img(pil_img: Image.Image, model) -> str:
    """The lecture's `recognize_img`: the text of one word crop."""
    return recognize([pil_img], model)[0][0]


# ----------------------------------------------------------------------------- reading order

def reading_order(boxes: Sequence[np.ndarray]) -> list[int]:
    """Indices of `boxes` in reading order: lines top to bottom, words left to right.

    A box joins the line it overlaps most vertically, if that overlap is at least
    half the smaller of the two heights; otherwise it starts a new line. Boxes are
    visited from the top, so a slightly tilted line still stays one line.
    """
    if len(boxes) == 0:
        return []
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4, 2)
    tops, bottoms = boxes[:, :, 1].min(axis=1), boxes[:, :, 1].max(axis=1)
    centres_x = boxes[:, :, 0].mean(axis=1)
    lines: list[dict] = []
    for i in np.argsort((tops + bottoms) / 2, kind="stable"):
        best, best_overlap = None, 0.0
        for line in lines:
            overlap = min(bottoms[i], line["bottom"]) - max(tops[i], line["top"])
            smaller = min(bottoms[i] - tops[i], line["bottom"] - line["top"])
            if overlap >= 0.5 * smaller and overlap > best_overlap:
                best, best_overlap = line, overlap
        if best is None:
            lines.append({"top": tops[i], "bottom": bottoms[i], "members": [i]})
        else:
            best["members"].append(i)
            # The line's band follows the median of its words, so one tall word does not swallow the next line.
            best["top"] = float(np.median(tops[best["members"]]))
            best["bottom"] = float(np.median(bottoms[best["members"]]))
    lines.sort(key=lambda line: (line["top"] + line["bottom"]) / 2)
    return [int(i) for line in lines for i in sorted(line["members"], key=lambda j: centres_x[j])]


# ----------------------------------------------------------------------------- the pipeline

@dataclass
class OCRResult:
    """One word found in an image."""

    text: str
    box: np.ndarray   # float32 (4, 2): x, y of the corners, clockwise from the top-left, in image pixels
    confidence: float

    def to_dict(self) -> dict:
        return {"text": self.text, "confidence": round(self.confidence, 4), "box": np.round(self.box.astype(float), 1).tolist()}


class OCRPipeline:
    """CRAFT detection + our CRNN: `pipeline(image) -> [OCRResult, ...]` in reading order.

    The detector and the recognizer are loaded once, when the pipeline is made, and
    reused for every image. By default both run on ONNX Runtime, so TensorFlow is never
    imported: `recognizer` is the command line's checkpoint (`ocr_lab.checkpoint.OCR_CHECKPOINT`)
    as `ocr_lab.recognize_onnx.load_onnx_recognizer` builds it, and `detector` is keras-ocr's
    CRAFT network and weights in int8 (`ocr_lab.detect_onnx.load_onnx_detector`). Pass
    a Keras `Recognizer` (`ocr_lab.checkpoint.load_recognizer`, as the notebooks do) or any
    object with keras-ocr's `detect(images)` method instead. Words whose text is empty or
    whose confidence is below `min_confidence` are left out. Each reading is checked
    against `lexicon` ("english", "none", a file of words or a `decode.Lexicon`; see
    `decode.snap_to_lexicon`): an unsure "PACIIC" becomes "PACIFIC".
    """

    def __init__(self, recognizer=None, detector=None, crop_method: str = DEFAULT_CROP, margin: int = MARGIN,
                 max_side: int = MAX_DETECT_SIDE, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                 lexicon="english"):
        if crop_method not in CROP_METHODS:
            raise ValueError(f"crop_method must be one of {CROP_METHODS}, got {crop_method!r}")
        in_range(min_confidence, "--min-confidence", 0, 1)  # NaN would drop every word
        self.recognizer = recognizer if recognizer is not None else load_recognizer_for("onnx")
        self.detector = detector if detector is not None else load_detector_for("onnx")
        self.crop_method = crop_method
        self.margin = margin
        self.max_side = max_side
        self.min_confidence = min_confidence
        self.lexicon = lexicon_from(lexicon, _parts(self.recognizer)[1])

    def run(self, image: ImageLike) -> tuple[Image.Image, list[OCRResult]]:
        """(the image as 8-bit RGB, its words in reading order)."""
        img, boxes = detect_boxes(image, self.detector, self.max_side)
        if len(boxes) == 0:
            return img, []
        crops = crop_boxes(img, boxes, self.crop_method, self.margin)
        read = recognize(crops, self.recognizer, lexicon=self.lexicon)
        results = [OCRResult(text, box, conf) for (text, conf), box in zip(read, boxes)
                   if text and conf >= self.min_confidence]
        order = reading_order([r.box for r in results])
        return img, [results[i] for i in order]

    def __call__(self, image: ImageLike) -> list[OCRResult]:
        return self.run(image)[1]

    @staticmethod
    def annotate(img: Image.Image, results: Sequence[OCRResult]) -> Image.Image:
        """The image with every word's box drawn and its text written above it."""
        return draw_boxes(img, [r.box for r in results], [r.text for r in results])


# ----------------------------------------------------------------------------- command line

def ocr_files(paths: Sequence[str | Path], out_dir: str | Path, pipeline: OCRPipeline) -> list[dict]:
    """OCR each image; write `<name>.png` (annotated) and `<name>.json` into `out_dir`; return the records.

    An image that cannot be read or written does not stop the others (a symbolic link
    loop, a photo too big for memory, a full disk): its record is `{"image": path, "error":
    message}`. Outputs never replace an input or a file this function did not write (see
    `output_name`); each is written atomically. An animation or a multi-page file is read
    from its first frame, and its record says so (`"frames"`, `"note"`).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs = {resolved(p) for p in paths}
    records, used = [], set()
    for path in paths:
        try:
            records.append(_ocr_file(path, out_dir, pipeline, used, inputs))
        except Exception as err:  # noqa: BLE001 - sorted by image_error: only an image's own trouble is caught
            reason = image_error(err)
            if reason is None or _out_dir_error(err, out_dir):
                raise
            records.append({"image": str(path), "error": reason if str(path) in reason else f"{path}: {reason}"})
    return records


def _ocr_file(path, out_dir: Path, pipeline: OCRPipeline, used: set[str], inputs: set[Path]) -> dict:
    from ocr_lab.images import frame_count
    from ocr_lab.messages import message

    start = time.perf_counter()
    img, results = pipeline.run(path)
    seconds = time.perf_counter() - start
    name = output_name(out_dir, path, used, inputs)
    used.add(name)
    annotated = out_dir / f"{name}.png"
    record = {"image": str(path), "annotated": str(annotated), "size": list(img.size),
              "seconds": round(seconds, 3), "words": [r.to_dict() for r in results]}
    frames = frame_count(path)
    if frames > 1:
        record.update(frames=frames, note=message("ocr.frames", path=str(path), frames=frames))
    image = OCRPipeline.annotate(img, results)
    atomic_write(annotated, lambda tmp: image.save(tmp, format="PNG"))
    atomic_write(out_dir / f"{name}.json", lambda tmp: tmp.write_text(records_json(record), encoding="utf-8"))
    return record


def image_error(err: Exception) -> str | None:
    """One line for what went wrong with one image of a batch, or None for a fault in the code itself.

    An image's own trouble is an OSError (missing, unreadable, a full disk while writing its
    results), a ValueError (not an image), a RuntimeError (a symbolic link loop), a MemoryError,
    or an error of ONNX Runtime (Failed to allocate memory, on a photo too big for this machine).
    """
    from ocr_lab.messages import message

    if isinstance(err, OSError) and err.errno == errno.ENOSPC:
        return message("error.disk_full", path=str(err.filename or "the output folder"))
    if isinstance(err, OSError) and err.filename and err.strerror:
        return f"{err.strerror.lower()}: {str(err.filename)!r}"
    if isinstance(err, MemoryError):
        return message("error.out_of_memory")
    if isinstance(err, (OSError, ValueError, RuntimeError)):
        return " ".join(str(err).split()) or type(err).__name__
    if type(err).__module__.startswith("onnxruntime"):
        return message("error.library", library="ONNX Runtime", error=" ".join(str(err).split())[:300])
    return None


def _out_dir_error(err: Exception, out_dir: Path) -> bool:
    """True for an error writing into `out_dir` that every image would meet (no permission): stop at the first.

    A full disk is not one of them: a smaller image's results may still fit, and each is its image's error.
    """
    return (isinstance(err, OSError) and err.errno != errno.ENOSPC and bool(err.filename)
            and not isinstance(err.filename, int) and is_inside(os.fsdecode(err.filename), out_dir))


def output_name(out_dir: Path, image: str | Path, used: set[str], inputs: set[Path]) -> str:
    """The name (no suffix) of an image's outputs in `out_dir`: its own name when that is free or ours.

    `photo` when neither `photo.png` nor `photo.json` is in the way; otherwise `photo_1`,
    `photo_2`, ... A name is in the way when it is taken by another image of this run,
    when either file is one of the inputs, or when it exists and is not an earlier
    result for this same image (its JSON says which image it was made from). So
    `ocr photo.png --out .` writes `photo_1.png` beside the photo, and reading
    `photo.jpg` never replaces an unrelated `photo.png`; running again replaces only
    the results the last run wrote for the same image.
    """
    stem, source = Path(image).stem, resolved(image)
    for n in itertools.count():  # ends: only finitely many names can be in the way
        name = stem if n == 0 else f"{stem}_{n}"
        png, meta = out_dir / f"{name}.png", out_dir / f"{name}.json"
        if name in used or resolved(png) in inputs or resolved(meta) in inputs:
            continue
        if (not png.exists() and not meta.exists()) or _earlier_result(meta, png, source):
            return name


def _earlier_result(meta: Path, png: Path, source: Path) -> bool:
    """True when `meta` is an OCR record of `source` whose annotated image is `png` (or is gone)."""
    try:
        record = json.loads(meta.read_text(encoding="utf-8"))
        return (resolved(record["image"]) == source
                and (not png.exists() or resolved(record["annotated"]) == resolved(png)))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def records_json(records: dict | list[dict]) -> str:
    """JSON with one line per word, so a page of results stays readable."""
    if isinstance(records, dict) and "words" not in records:  # an image that could not be read
        return json.dumps(records)
    if isinstance(records, dict):
        head = {k: v for k, v in records.items() if k != "words"}
        words = ",\n".join(f"  {json.dumps(w)}" for w in records["words"])
        return json.dumps(head)[:-1] + (', "words": [\n' + words + "\n ]}" if words else ', "words": []}')
    return "[\n" + ",\n".join(records_json(r) for r in records) + "\n]" if records else "[]"


ENGINES = ("onnx", "keras")


def load_models(engine: str = "onnx", checkpoint=None) -> tuple[object, object]:
    """(recognizer, detector) for `engine`: "onnx" (ONNX Runtime, no TensorFlow) or "keras" (the notebooks' models).

    Both engines use the same weights and read the same words: "keras" is keras-ocr's
    `Detector` and `ocr_lab.checkpoint.load_recognizer`'s tf-keras CRNN, for comparison;
    "onnx" is the same networks as ONNX graphs, the detector in int8 (`detect_onnx.py`,
    `recognize_onnx.py`), and starts in a fraction of the time and memory.
    """
    return load_recognizer_for(engine, checkpoint), load_detector_for(engine)


def load_recognizer_for(engine: str = "onnx", checkpoint=None):
    """The recognizer of `load_models`: `checkpoint` (default: the shipped one) on `engine`."""
    from ocr_lab.checkpoint import OCR_CHECKPOINT

    checkpoint = checkpoint or OCR_CHECKPOINT
    if engine == "onnx":
        from ocr_lab.recognize_onnx import load_onnx_recognizer

        return load_onnx_recognizer(checkpoint)
    if engine == "keras":
        from ocr_lab.checkpoint import load_recognizer

        return load_recognizer(checkpoint)
    raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")


def load_detector_for(engine: str = "onnx"):
    """The detector of `load_models`: keras-ocr's CRAFT on `engine`."""
    if engine == "onnx":
        from ocr_lab.detect_onnx import load_onnx_detector

        return load_onnx_detector()
    if engine == "keras":
        from ocr_lab.detect import load_detector

        return load_detector()
    raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")


def _make_pipeline(args) -> OCRPipeline:
    recognizer, detector = load_models(args.engine, args.checkpoint)
    return OCRPipeline(recognizer, detector, crop_method=args.crop, min_confidence=args.min_confidence,
                       max_side=args.detect_side, lexicon=args.lexicon)


def _check_out_dir(out_dir: str | Path) -> None:
    """Refuse an --out that cannot become a folder, before minutes of model loading are spent."""
    out_dir = Path(out_dir)
    if out_dir.is_symlink() and not out_dir.exists():
        from ocr_lab.messages import message

        raise FileNotFoundError(message("error.symlink_loop", path=str(out_dir)))
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"--out {str(out_dir)!r} is a file; give a folder for the results")
    parent = next(p for p in (out_dir, *out_dir.parents) if p.exists())  # the nearest part that exists
    if not parent.is_dir():
        raise FileExistsError(f"--out {str(out_dir)!r} cannot be made: {str(parent)!r} is a file")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"--out {str(out_dir)!r} cannot be written: no permission to write in {str(parent)!r}")


def _run_ocr(args) -> int:
    # Check the arguments first: loading the models takes a second or more. With some
    # images missing, the others are still read and each missing one is reported (exit status 1).
    if not any(Path(p).is_file() for p in args.images):
        raise FileNotFoundError(f"no image at {', '.join(repr(str(p)) for p in args.images)}")
    _check_out_dir(args.out)
    in_range(args.min_confidence, "--min-confidence", 0, 1)
    lexicon_from(args.lexicon)  # a missing word-list file fails here, not after the models load
    pipeline = _make_pipeline(args)
    _note_lexicon(pipeline)
    records = ocr_files(args.images, args.out, pipeline)
    print(records_json(records))
    return _report_failures(records)


def _note_lexicon(pipeline: OCRPipeline) -> None:
    """Say on stderr which words of a word file the model cannot print and so never reads."""
    note = pipeline.lexicon.note() if pipeline.lexicon is not None else None
    if note:
        print(note, file=sys.stderr)


def _report_failures(records: list[dict]) -> int:
    """One line on stderr per image that could not be read; exit status 1 if there was any."""
    failed = [r for r in records if "error" in r]
    for record in records:
        if "note" in record:
            print(record["note"], file=sys.stderr)
    for record in failed:
        print(f"error: {record['error']}", file=sys.stderr)
    if failed:
        print(f"{len(records) - len(failed)} of {len(records)} images read; {len(failed)} could not be",
              file=sys.stderr)
    return 1 if failed else 0


def sample_images(folder: Path = SAMPLES_DIR) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) if Path(folder).is_dir() else []


def _run_demo(args) -> int:
    images = sample_images(args.samples)
    if not images:
        raise FileNotFoundError(f"no sample images in {str(args.samples)!r}")
    _check_out_dir(args.out)
    in_range(args.min_confidence, "--min-confidence", 0, 1)
    lexicon_from(args.lexicon)
    truth = {}
    gt_file = Path(args.samples) / "ground_truth.json"
    if gt_file.exists():
        for entry in json.loads(gt_file.read_text())["scenes"]:
            order = reading_order([np.float32(w["box"]) for w in entry["words"]])
            truth[entry["image"]] = [entry["words"][i]["text"] for i in order]
    page = book_page() if args.photo else None
    if page is not None:  # a real photo beside the generated scenes
        images.append(page)
        truth[page.name] = PAGE_TEXT.split()
    pipeline = _make_pipeline(args)
    _note_lexicon(pipeline)
    records = ocr_files(images, args.out, pipeline)
    cased = is_cased(_parts(pipeline.recognizer)[1])
    for path, record in zip(images, records):
        if "error" in record:
            continue
        print(f"{path.name} -> {record['annotated']}  ({record['seconds']:.1f} s)")
        read = [w["text"] for w in record["words"]]
        print("  read:    " + " ".join(read))
        if path.name in truth:  # in the case the model can print: capitals for the lecture's charset
            print("  written: " + " ".join(t if cased else t.upper() for t in truth[path.name]))
            right, _, written = words_right(read, truth[path.name])
            printed = f", {words_right(read, truth[path.name], True)[0]} as printed" if cased else ""
            print(f"  right:   {right} of {written} words case-insensitively{printed}")
    print(f"JSON and annotated images are in {args.out}")
    return _report_failures(records)


def _add_common(parser):
    from ocr_lab.checkpoint import default_checkpoint_name

    parser.add_argument("--checkpoint", default=None,
                        help=f"recognizer checkpoint (default: the shipped {default_checkpoint_name()})")
    parser.add_argument("--crop", choices=CROP_METHODS, default=DEFAULT_CROP,
                        help=f"perspective-warped crops or axis-aligned ones (the lecture's), both with a {MARGIN}-px "
                             f"margin (default {DEFAULT_CROP})")
    parser.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE,
                        help=f"leave out words read with less confidence (default {DEFAULT_MIN_CONFIDENCE:g})")
    parser.add_argument("--lexicon", default="english", metavar="english|none|FILE",
                        help="check each reading against a word list: the English lexicon (default), none, or a "
                             "text file with one word per line; an unsure reading becomes a word the model finds "
                             "nearly as likely")
    parser.add_argument("--detect-side", type=_detect_side, default=MAX_DETECT_SIDE, metavar="PIXELS",
                        help=f"detect words on a copy shrunk to this longest side; smaller is faster, larger finds "
                             f"smaller text (default {MAX_DETECT_SIDE})")
    parser.add_argument("--engine", choices=ENGINES, default="onnx",
                        help="run both networks on ONNX Runtime (default: fast, no TensorFlow) or on Keras, "
                             "as the notebooks do (the same weights and words, slower to start)")


def _detect_side(text: str) -> int:
    value = int(text)
    if value < MIN_DETECT_SIDE:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_DETECT_SIDE} pixels, got {value}")
    return value


def add_cli(subparsers) -> None:
    ocr = subparsers.add_parser("ocr", help="read the text in images: annotated PNG + JSON per image")
    ocr.add_argument("images", nargs="+", metavar="IMAGE")
    ocr.add_argument("--out", required=True,
                     help="folder for the annotated images and the JSON (NAME.png, NAME.json; NAME_1... when "
                          "NAME would replace an input or a file ocr did not write)")
    _add_common(ocr)
    ocr.set_defaults(func=_run_ocr, interrupted="interrupted.ocr")  # what Ctrl-C leaves (ocr_lab.cli)

    demo = subparsers.add_parser("demo", help="the main job: OCR the sample scenes in data/samples and a real photo of a book page into build/demo")
    demo.add_argument("--samples", type=Path, default=SAMPLES_DIR, help=_default_help(SAMPLES_DIR))
    demo.add_argument("--photo", action=argparse.BooleanOptionalAction, default=True,
                      help="also read a real photo, scikit-image's book page (ocr_lab/photos.py)")
    demo.add_argument("--out", type=Path, default=DEMO_DIR, help=_default_help(DEMO_DIR))
    _add_common(demo)
    demo.set_defaults(func=_run_demo, interrupted="interrupted.ocr")


def _default_help(path: Path) -> str:
    try:
        return f"default: {path.relative_to(PROJECT_ROOT)}"
    except ValueError:
        return f"default: {path}"
