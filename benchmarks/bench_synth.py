"""Synthetic data generation speed and size (issue 3). Prints a table to paste into notes.

    python benchmarks/bench_synth.py              # 3000 samples per row (about a minute on 2 cores)
    python benchmarks/bench_synth.py --n 20000    # steadier numbers

Rows: the CPU cost of one sample in this process (render + JPEG, no LMDB), then
`generate_dataset` wall-clock with 1 worker and with every core, and the bytes per
sample the LMDB takes on disk. The wall-clock rows depend on what else the machine
runs; the CPU row does not, much.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from ocr_lab import synth


def lmdb_bytes(path: Path) -> int:
    return sum(f.stat().st_blocks * 512 for f in path.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=3000, help="samples per row")
    args = parser.parse_args()
    rows = []

    for index in range(50):  # warm the caches: fonts, charsets, textures, lexicon
        synth.make_sample(1, "train", index)
    start = time.process_time()
    for index in range(args.n):
        synth.make_sample(0, "train", index)
    cpu = (time.process_time() - start) / args.n
    rows.append(("make_sample, CPU time, 1 process", f"{1 / cpu:.0f}", f"{cpu * 1e3:.2f} ms/sample", "-"))

    for workers in sorted({1, os.cpu_count() or 1}):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            synth.generate_dataset(tmp, {"train": args.n, "valid": 0, "test": 0}, workers=workers, progress=False)
            wall = time.perf_counter() - start
            size = lmdb_bytes(Path(tmp) / "train") / args.n
        rows.append((f"generate_dataset, wall clock, {workers} worker(s)", f"{args.n / wall:.0f}",
                     f"{wall:.1f} s for {args.n}", f"{size / 1024:.2f} KiB"))

    print(f"\nsynthetic data, {args.n} samples per row, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the end\n")
    print(f"| {'what':<45} | {'samples/s':>9} | {'time':>20} | {'disk/sample':>11} |")
    print(f"|{'-' * 47}|{'-' * 11}|{'-' * 22}|{'-' * 13}|")
    for what, rate, took, size in rows:
        print(f"| {what:<45} | {rate:>9} | {took:>20} | {size:>11} |")


if __name__ == "__main__":
    main()
