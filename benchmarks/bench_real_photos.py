"""Real photos: how the shipped OCR does on camera pictures it was never built for.

    python benchmarks/bench_real_photos.py

No real scene-text data set can be downloaded here, so this uses the real photos that
installed packages ship: scikit-image's `page.png` (a phone photo of a printed book
page, uneven light, slight curvature) with its words typed in by hand below, and
photos without any text (scikit-image's rocket, coffee, astronaut and cat), where every
word reported is a false positive.

A predicted word counts when its text equals a ground-truth word case-insensitively,
after dropping characters outside A-Z0-9 (the charset). Words are matched as a
multiset, with no boxes, since the page's ground truth has none. The same images go
through Tesseract and RapidOCR when they are installed (see bench_end_to_end.py).
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's ocr_lab, not the installed one
import ocr_lab  # noqa: E402,F401
from bench_end_to_end import rapidocr, rapidocr_available, tesseract, tesseract_available  # noqa: E402
from ocr_lab.scenes import normalize_text  # noqa: E402

# The fully visible lines of skimage.data.page(), as printed (the cut-off last line is left out).
PAGE_TEXT = """
Region-based segmentation
Let us first determine markers of the coins and the
background. These markers are pixels that we can label
unambiguously as either object or background. Here,
the markers are found at the two extreme parts of the
histogram of grey values:
>>> markers = np.zeros_like(coins)
"""

NO_TEXT = ["rocket", "coffee", "astronaut", "chelsea"]


def page_words() -> list[str]:
    return [w for w in (normalize_text(t) for t in PAGE_TEXT.split()) if w]


def load(name: str) -> Image.Image:
    import skimage.data

    return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")


def word_scores(predicted: list[str], truth: list[str]) -> tuple[int, int, int]:
    """(correct, predicted, truth) counts for multiset matching of normalised words."""
    pred = Counter(w for w in (normalize_text(p) for p in predicted) if w)
    true = Counter(truth)
    return sum((pred & true).values()), sum(pred.values()), sum(true.values())


def run_system(name, run):
    page = load("page")
    start = time.perf_counter()
    words = [t for w in run(page) for t in w[0].split()]  # peers may return whole lines
    page_sec = time.perf_counter() - start
    correct, npred, ntrue = word_scores(words, page_words())
    false_words = sum(len([t for w in run(load(n)) for t in w[0].split() if normalize_text(t)]) for n in NO_TEXT)
    p = correct / npred if npred else 0.0
    r = correct / ntrue
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return [name, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", str(false_words), f"{page_sec:.2f}"], words


def main() -> int:
    import argparse

    from bench_end_to_end import load_craft, ours

    from ocr_lab.recognize_onnx import load_onnx_recognizer
    from ocr_lab.checkpoint import DEFAULT_CHECKPOINT, load_recognizer

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", default=str(DEFAULT_CHECKPOINT))
    parser.add_argument("--detector", choices=("int8", "float32", "keras"), default="int8",
                        help="our CRAFT: ONNX Runtime int8 (the pipeline's default) or float32, or keras-ocr's Keras model")
    parser.add_argument("--recognizer", choices=("onnx", "keras"), default="onnx",
                        help="our CRNN on ONNX Runtime (the pipeline's default) or the tf-keras model (the same weights)")
    parser.add_argument("--lexicon", default="english", metavar="english|none|FILE",
                        help="our pipeline's word list (default english, as `ocr`)")
    args = parser.parse_args()
    recognizer = (load_onnx_recognizer if args.recognizer == "onnx" else load_recognizer)(args.checkpoint)
    systems = [(f"ours (CRAFT {args.detector} + our CRNN on {args.recognizer}, warp crops, lexicon {args.lexicon})",
                ours(recognizer, load_craft(args.detector), "warp", lexicon=args.lexicon))]
    if tesseract_available():
        systems += [("tesseract (default psm)", tesseract(None)), ("tesseract --psm 11", tesseract(11))]
    if rapidocr_available():
        systems.append(("rapidocr", rapidocr()))
    rows, readings = [], {}
    for name, run in systems:
        row, words = run_system(name, run)
        rows.append(row)
        readings[name] = words
    headers = ["system", "precision", "recall", "F1", "words on 4 text-free photos", "s for the page"]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    fmt = lambda r: "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths)) + " |"  # noqa: E731
    print(f"skimage page.png: {len(page_words())} words of ground truth\n")
    print("\n".join([fmt(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(fmt, rows)]))
    print("\nwhat each system read on the page:")
    for name, words in readings.items():
        print(f"- {name}: {' '.join(words)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
