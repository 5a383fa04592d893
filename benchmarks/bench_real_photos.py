"""Real photos: how the shipped OCR does on camera pictures it was never built for.

    python benchmarks/bench_real_photos.py

No real scene-text data set can be downloaded here, so this uses the real photos that
installed packages ship: scikit-image's `page.png` (a phone photo of a printed book
page, uneven light, slight curvature) with its words typed in by hand below, and
photos without any text (scikit-image's rocket, coffee, astronaut and cat), where every
word reported is a false positive.

A predicted word counts when its text equals a ground-truth word case-insensitively,
after dropping characters other than letters and digits (`ocr_lab.photos.words_right`); "F1 as
printed" counts it only when its case is right too. Words are matched as a
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
from ocr_lab.photos import PAGE_TEXT, words_right  # noqa: E402

NO_TEXT = ["rocket", "coffee", "astronaut", "chelsea"]


def page_words() -> list[str]:
    return PAGE_TEXT.split()


def load(name: str) -> Image.Image:
    import skimage.data

    return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")


def f1(right: int, read: int, written: int) -> float:
    return 2 * right / (read + written) if read + written else 0.0


def run_system(name, run):
    page = load("page")
    start = time.perf_counter()
    words = [t for w in run(page) for t in w[0].split()]  # peers may return whole lines
    page_sec = time.perf_counter() - start
    right, npred, ntrue = words_right(words, page_words())
    right_printed = words_right(words, page_words(), case_sensitive=True)[0]
    false_words = sum(words_right([t for w in run(load(n)) for t in w[0].split()], [])[1] for n in NO_TEXT)
    p = right / npred if npred else 0.0
    r = right / ntrue
    return ([name, f"{p:.3f}", f"{r:.3f}", f"{f1(right, npred, ntrue):.3f}", f"{f1(right_printed, npred, ntrue):.3f}",
             str(false_words), f"{page_sec:.2f}"], words)


def main() -> int:
    import argparse

    from bench_end_to_end import load_craft, ours

    from ocr_lab.recognize_onnx import load_onnx_recognizer
    from ocr_lab.checkpoint import OCR_CHECKPOINT, load_recognizer

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", default=str(OCR_CHECKPOINT))
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
    headers = ["system", "precision", "recall", "F1", "F1 as printed", "words on 4 text-free photos",
               "s for the page"]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    fmt = lambda r: "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths)) + " |"  # noqa: E731
    print(f"skimage page.png: {words_right([], page_words())[2]} words of ground truth\n")
    print("\n".join([fmt(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(fmt, rows)]))
    print("\nwhat each system read on the page:")
    for name, words in readings.items():
        print(f"- {name}: {' '.join(words)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
