"""Cropping words out of large photos: the pixel array once per image against once per box.

    python benchmarks/bench_crops.py [--sizes 1000 4000 8000] [--boxes 20]

`crop_boxes(img, boxes, "warp")` turns the PIL image into a numpy array once and warps
every box out of that array. Before, `warp_crop` made the array for every box, which
costs time in proportion to the photo's pixels, not the word's. This script times both
ways (the old one is `warp_crop` called with the PIL image, once per box) and the
lecture's axis-aligned crop, on white photos of each size with `--boxes` tilted word
boxes, and prints seconds per box.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocr_lab.detect import crop_boxes, warp_crop  # noqa: E402


def tilted_boxes(size: int, count: int, seed: int = 0) -> list[np.ndarray]:
    """`count` word-sized boxes (200x50, tilted up to 15 degrees) spread over a size x size image."""
    rng = np.random.default_rng(seed)
    boxes = []
    for _ in range(count):
        cx, cy = rng.uniform(150, size - 150, 2)
        angle = np.radians(rng.uniform(-15, 15))
        along, across = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
        corners = [(-100, -25), (100, -25), (100, 25), (-100, 25)]
        boxes.append(np.float32([(cx, cy) + a * along + b * across for a, b in corners]))
    return boxes


def seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 8000], help="square photo sides, pixels")
    parser.add_argument("--boxes", type=int, default=20, help="word boxes per photo")
    args = parser.parse_args(argv)

    warp_crop(Image.new("RGB", (64, 64)), tilted_boxes(300, 1)[0] / 5)  # imports keras-ocr (and TensorFlow) untimed
    print(f"{'photo':>11}  {'boxes':>5}  {'array per box':>14}  {'array once':>11}  {'axis crop':>10}  (seconds per box)")
    for size in args.sizes:
        img = Image.new("RGB", (size, size), "white")
        boxes = tilted_boxes(size, args.boxes)
        per_box = seconds(lambda: [warp_crop(img, box) for box in boxes])
        once = seconds(lambda: crop_boxes(img, boxes, "warp"))
        axis = seconds(lambda: crop_boxes(img, boxes, "axis"))
        n = len(boxes)
        print(f"{size:>5}x{size:<5}  {n:>5}  {per_box / n:>14.4f}  {once / n:>11.4f}  {axis / n:>10.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
