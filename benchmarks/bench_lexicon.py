"""Lexicon decoding: how much less likely than its own reading may a dictionary word be and still win?

`ocr_lab.decode.snap_to_lexicon` replaces the network's reading by the most likely English word
within `LEXICON_MAX_EDITS` edits of it when that word's CTC log-probability is at most
`margin` below the reading's. This prints, for each margin, the word accuracy (case-insensitive,
alphanumeric, as `bench_real_crops.py` scores) on each set, and for generated sets also split by
whether the label is a lexicon word (the generator draws 4 of 5 words from the same lexicon, so
its "in lexicon" column flatters; "not in lexicon" counts the codes and numbers a margin breaks).

    choose    the margin is chosen on this generated set (default data/synth/valid: `make data`)
    real_dev  16 photographed crops (../shared/real_dev): reported, never used to choose

    .venv/bin/python benchmarks/bench_lexicon.py
    .venv/bin/python benchmarks/bench_lexicon.py --set heldout=data/synth_heldout/test --margins 0 2 3 5
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_real_crops import REAL_DEV, named_paths  # noqa: E402

from ocr_lab.scenes import normalize_text  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHOOSE_ON = PROJECT_ROOT / "data" / "synth" / "valid"


def read_once(recognizer):
    """A predict function that runs the model on its first batch and returns that softmax ever after.

    Every margin decodes the same crops: `read_eval_data` builds the batch (crops and turned
    views, as `evaluate` reads them) and decodes, the network runs once per set.
    """
    softmax = []
    return lambda batch: softmax[0] if softmax else softmax.append(recognizer.predict(batch)) or softmax[0]


def memoized(lexicon):
    """The same lexicon, its `near` search remembered: every margin searches the same readings."""
    found: dict[str, list[str]] = {}
    near = lexicon.near
    lexicon.near = lambda reading: found[reading] if reading in found else found.setdefault(reading, near(reading))
    return lexicon


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", default=None, help="recognizer (default: the shipped checkpoint)")
    parser.add_argument("--choose-on", type=Path, default=CHOOSE_ON, help="generated set the margin is chosen on")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=PATH", help="more sets to report")
    parser.add_argument("--limit", type=int, default=2000, help="crops per generated set at most (default 2000)")
    parser.add_argument("--margins", type=float, nargs="+", default=[0, 1, 2, 3, 4, 5, 6, 8])
    parser.add_argument("--max-edits", type=int, default=None, help="search radius (default: LEXICON_MAX_EDITS)")
    args = parser.parse_args(argv)

    from ocr_lab.decode import LEXICON_MARGIN, LEXICON_MAX_EDITS, english
    from ocr_lab.evaluate import load_eval_data, read_eval_data
    from ocr_lab.checkpoint import OCR_CHECKPOINT, load_recognizer

    sets = {"choose": args.choose_on, "real_dev": REAL_DEV, **named_paths(args.set, "--set")}
    for name, path in sets.items():
        if not path.exists():
            raise SystemExit(f"error: no set {name!r} at {str(path)!r} (the default `choose` set is made by `make data`)")
    recognizer = load_recognizer(args.checkpoint or OCR_CHECKPOINT)
    lexicon = memoized(english(recognizer.characters).with_settings(max_edits=args.max_edits or LEXICON_MAX_EDITS))
    print(f"checkpoint {args.checkpoint or OCR_CHECKPOINT}; lexicon {len(lexicon)} words; "
          f"max edits {lexicon.max_edits}; shipped margin {LEXICON_MARGIN:g}; load {os.getloadavg()[0]:.1f}\n")

    columns, rows = [], {}
    for name, path in sets.items():
        ev = load_eval_data(path, recognizer.characters, recognizer.img_size,
                            None if name == "real_dev" else args.limit, recognizer.time_steps)
        predict = read_once(recognizer)
        read_eval_data(predict, ev, recognizer.characters)  # the network runs here, outside the timings below
        wanted = [normalize_text(t) for t in ev.labels]
        in_lexicon = [w in lexicon for w in wanted]
        for margin in [None, *args.margins]:
            start = time.perf_counter()
            with_margin = None if margin is None else lexicon.with_settings(margin=margin)
            if with_margin is not None:
                with_margin.near = lexicon.near
            read = [normalize_text(t) for t in read_eval_data(predict, ev, recognizer.characters, 1, with_margin)]
            ms = (time.perf_counter() - start) / len(read) * 1000
            right = [r == w for r, w in zip(read, wanted)]
            cell = f"{sum(right)}/{len(right)}" if name == "real_dev" else f"{sum(right) / len(right):.3f}"
            if name != "real_dev":
                outside = [ok for ok, inside in zip(right, in_lexicon) if not inside]
                cell += f" ({sum(outside)}/{len(outside)} not in lexicon)"
            rows.setdefault("off" if margin is None else f"{margin:g}", []).append(cell)
            if name == "choose":
                rows.setdefault("off" if margin is None else f"{margin:g}", []).append(f"{ms:.1f}")
            if name == "real_dev" and margin in (None, LEXICON_MARGIN):
                print(f"real_dev, margin {'off' if margin is None else f'{margin:g}'}: " + " ".join(read))
        shown = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
        columns += [f"{name} ({shown})"] + (["ms/crop (first margin: search included)"] if name == "choose" else [])
    print("\n| margin | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for margin, cells in rows.items():
        print(f"| {margin} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
