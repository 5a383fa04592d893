"""Data sets: samples seeded by their place in the set, written as clovaai-layout LMDBs; the `synth` command.

Taught in notebook 01. Each sample is drawn from its own random generator, seeded by
(seed, font set, split, index), so a data set is the same whatever the number of worker
processes. `python -m ocr_lab synth` builds one; `.complete` records how.
"""
from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ocr_lab.synth.fonts import font_covers, font_families, fonts_in_dir
from ocr_lab.synth.recipe import (AUGMENT, COMPLETE_MARKER, DEFAULT_OUT, DEFAULT_SIZES, FONT_SET_IDS, FONT_SETS,
                                  GENERATOR_VERSION, QUICK_SIZES, SPLIT_IDS, SPLITS)
from ocr_lab.synth.render import render_word
from ocr_lab.synth.text import lexicon, pick, sample_text

def is_current(out_dir: str | os.PathLike) -> bool:
    """True when `out_dir` is a finished set made by this version of the generator and recipe."""
    marker = Path(out_dir) / COMPLETE_MARKER
    if not marker.exists():
        return False
    try:
        settings = json.loads(marker.read_text())
    except ValueError:
        return False
    return (settings.get("generator_version") == GENERATOR_VERSION
            and settings.get("params") == json.loads(json.dumps(AUGMENT)))


def encode_jpeg(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=int(quality))
    return buf.getvalue()


def _font_choices(fonts: str | os.PathLike) -> tuple[int, dict[str, tuple[Path, ...]]]:
    """(font set id, families) for "train", "heldout" or a folder of font files."""
    if str(fonts) in FONT_SETS:
        return FONT_SET_IDS[str(fonts)], font_families(str(fonts))
    return FONT_SET_IDS["dir"], fonts_in_dir(fonts)


def make_sample(seed: int, split: str, index: int, fonts: str | os.PathLike = "train",
                params: dict | None = None) -> tuple[bytes, str]:
    """The `index`-th sample of a split: (JPEG bytes, label). The same arguments give the same bytes.

    Its random generator is seeded by (seed, font set, split, index) alone, so a data
    set does not depend on how many processes build it, nor in which order.
    """
    font_set_id, families = _font_choices(fonts)
    p = {**AUGMENT, **(params or {})}
    rng = np.random.default_rng([int(seed), font_set_id, SPLIT_IDS[split], int(index)])
    names = list(families)
    for _ in range(100):
        text = sample_text(rng, p)
        # A random family, then a random style; a font that cannot draw the text is skipped.
        for family in [names[i] for i in rng.permutation(len(names))]:
            styles = [f for f in families[family] if font_covers(f, text)]
            if styles:
                img = render_word(text, pick(rng, styles), rng, params=p)
                return encode_jpeg(img, rng.integers(p["jpeg_quality"][0], p["jpeg_quality"][1] + 1)), text
    raise ValueError(f"no font of {sorted(families)} can draw the sampled texts; check the fonts")


def _make_sample_task(args):
    return make_sample(*args)


def check_sizes(sizes: dict[str, int]) -> dict[str, int]:
    unknown = set(sizes) - set(SPLITS)
    if unknown:
        raise ValueError(f"unknown split(s) {sorted(unknown)}; the splits are {list(SPLITS)}")
    for split, n in sizes.items():
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"--{split} must be a whole number >= 0, got {n!r}")
    if not any(sizes.values()):
        raise ValueError("every split has size 0: nothing to build")
    return {split: int(n) for split, n in sizes.items()}


def generate_dataset(out_dir: str | os.PathLike, sizes: dict[str, int] | None = None, seed: int = 0,
                     fonts: str | os.PathLike = "train", workers: int | None = None, force: bool = False,
                     progress: bool = True, params: dict | None = None) -> dict[str, int]:
    """Write `out_dir/train`, `valid`, `test` LMDBs (clovaai layout) of synthetic word crops.

    `sizes` maps split -> number of samples (0 skips a split). Each split is written
    atomically by `ocr_lab.data.write_lmdb`; `out_dir/.complete` (the settings, as JSON)
    is written last. An existing data set is kept unless `force=True`. `fonts` is
    "train", "heldout" or a folder of .ttf/.otf files. Returns {split: samples written}.
    """
    from ocr_lab.data import write_lmdb  # here, so that worker processes never import TensorFlow

    sizes = check_sizes(dict(DEFAULT_SIZES if sizes is None else sizes))
    _, families = _font_choices(fonts)  # fails early on an unknown font set or folder
    workers = (os.cpu_count() or 1) if workers is None else int(workers)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"{str(out_dir)!r} is a file, not a folder")
    todo = [split for split in SPLITS if sizes.get(split)]
    existing = [str(out_dir / s) for s in todo if (out_dir / s).exists()]
    if existing and not force:
        raise FileExistsError(f"{', '.join(existing)} already exist(s); pass --force (force=True) to rebuild")
    fonts_arg = str(fonts) if str(fonts) in FONT_SETS else str(Path(fonts).resolve())
    params = {**AUGMENT, **(params or {})}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / COMPLETE_MARKER).unlink(missing_ok=True)

    for split in todo:  # temp folders that a killed run left behind (see write_lmdb)
        for stale in out_dir.glob(f".{split}.partial-*"):
            shutil.rmtree(stale, ignore_errors=True)

    written = {}
    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker) if workers > 1 else None
    try:
        for split in todo:
            tasks = ((seed, split, i, fonts_arg, params) for i in range(sizes[split]))
            samples = pool.imap(_make_sample_task, tasks, chunksize=64) if pool else map(_make_sample_task, tasks)
            if progress:
                from tqdm.auto import tqdm

                samples = tqdm(samples, total=sizes[split], desc=f"synth {split}", unit="img", smoothing=0.05)
            start = time.perf_counter()
            written[split] = write_lmdb(out_dir / split, samples, force=force)
            if progress:
                rate = written[split] / max(time.perf_counter() - start, 1e-9)
                print(f"wrote {written[split]} samples to {out_dir / split} ({rate:.0f} samples/s)")
    finally:
        if pool:
            pool.terminate()
            pool.join()
    settings = {"generator_version": GENERATOR_VERSION, "sizes": written, "seed": seed, "fonts": fonts_arg,
                "font_families": sorted(families), "params": params, "lexicon": "english-words: gcide & web2", "lexicon_size": len(lexicon())}
    (out_dir / COMPLETE_MARKER).write_text(json.dumps(settings, indent=1) + "\n")
    return written


def _init_worker():
    cv2.setNumThreads(1)  # the parallelism is across processes; OpenCV's own threads would compete


# ----------------------------------------------------------------------------- the command

def add_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "synth",
        help="build the synthetic MJSynth-like data set (train / valid / test LMDBs)",
        description="Render word crops MJSynth-style and write them as clovaai-layout LMDBs "
                    "(out/train, out/valid, out/test). Defaults build in about 2 minutes on 2 cores.",
    )
    p.add_argument("--out", default=None,
                   help="output folder (default: the repository's data/synth, or data/synth_heldout with --fonts heldout)")
    for split in SPLITS:
        p.add_argument(f"--{split}", type=int, default=None, metavar="N",
                       help=f"{split} samples (default {DEFAULT_SIZES[split]}, --quick {QUICK_SIZES[split]}; 0 skips)")
    p.add_argument("--quick", action="store_true", help="a tiny set for CI and a first run (~10 s)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--fonts", default="train",
                   help="'train' (default), 'heldout' (fonts the training set never uses; "
                        "builds only a test split unless sizes are given) or a folder of .ttf/.otf files")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--force", action="store_true", help="replace an existing data set")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    base = dict(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if args.fonts == "heldout":
        base.update(train=0, valid=0)
    sizes = {split: base[split] if getattr(args, split) is None else getattr(args, split) for split in SPLITS}
    out = args.out or DEFAULT_OUT.get(args.fonts)
    if out is None:
        raise ValueError("--out is required with a fonts folder")
    start = time.perf_counter()
    written = generate_dataset(out, sizes, seed=args.seed, fonts=args.fonts, workers=args.workers,
                               force=args.force)
    total = sum(written.values())
    seconds = time.perf_counter() - start
    print(f"done: {total} samples in {seconds:.0f} s ({total / seconds:.0f} samples/s) under {out}")
    return 0
