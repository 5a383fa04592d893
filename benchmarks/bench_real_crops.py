"""Recognition alone on word crops: our CRNN (greedy, beam, English lexicon) against RapidOCR and Tesseract.

What it measures: every system reads the same crops, one word each, and is scored two ways
against the label as printed (`ocr_lab.evaluate` scores the same two ways):

    as printed        the reading equals the label exactly (case and punctuation count)
    case-insensitive  equal after upper-casing and keeping letters and digits only
                      (`ocr_lab.metrics.fold_case`), as the lecture scores its upper-case charset

and by crops/s (all crops of a set read in one call where the system allows it, after one
warm-up crop; model loading excluded; the header prints the load average, since the
machine may be busy). The sets:

    real_dev        73 photographed word crops from public scene-text benchmarks and photos,
                    labelled as printed (../shared/real_dev, see its SOURCES.md): the yardstick,
                    never trained on
    heldout         the synthetic test set drawn with fonts the training set never uses
                    (data/synth_heldout/test: `make data-heldout`), if it has been built

For each checkpoint: the network alone (greedy, and beam search), and as `ocr` reads: the same
weights on ONNX Runtime (`ocr_lab.recognize_onnx`), tall crops turned, each reading checked against
the English lexicon (`ocr_lab.decode.snap_to_lexicon`: an unsure reading may become an English word
the model finds nearly as likely, in the case the model read it). The generator draws most words
from that same lexicon, so on generated sets this row flatters; on real_dev it does not.

`--set NAME=PATH` adds a set (an LMDB or a folder with labels.tsv); `--checkpoint NAME=PATH`
(repeatable; a bare PATH is named by its file) compares several of our checkpoints in one run, the
shipped `checkpoints/crnn_wide.h5` against a candidate, say. After the table, every real_dev crop's
label beside each system's reading (`--no-show` leaves it out): `=` right as printed, `~` right
case-insensitively only.

    .venv/bin/python benchmarks/bench_real_crops.py
    (peers: apt-get install tesseract-ocr tesseract-ocr-eng; pip install -r benchmarks/requirements-peers.txt)
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_end_to_end import TESSERACT_ENV, rapidocr_available, rapidocr_recognizer, tesseract_available  # noqa: E402

from ocr_lab.metrics import fold_case  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REAL_DEV = PROJECT_ROOT.parent / "shared" / "real_dev"
HELDOUT = PROJECT_ROOT / "data" / "synth_heldout" / "test"


def load_crops(path: Path, limit: int | None) -> tuple[list, list[str]]:
    """(PIL crops, raw labels) of a folder with labels.tsv or of an LMDB, unreadable images skipped."""
    from ocr_lab.data import decode_image, open_lmdb, read_gt_file

    crops, labels = [], []
    if (path / "data.mdb").exists():
        env, n = open_lmdb(path)
        with env.begin() as txn:
            for i in range(1, n + 1):
                img, raw = decode_image(txn.get(b"image-%09d" % i)), txn.get(b"label-%09d" % i)
                if img is not None and raw is not None:
                    crops.append(img.convert("RGB"))
                    labels.append(raw.decode("utf-8", "replace"))
                if limit and len(crops) >= limit:
                    break
    else:
        for name, label in read_gt_file(path / "labels.tsv"):
            img = decode_image((path / name).read_bytes())
            if img is not None:
                crops.append(img.convert("RGB"))
                labels.append(label)
            if limit and len(crops) >= limit:
                break
    if not crops:
        raise SystemExit(f"no readable crop in {path}")
    return crops, labels


def ours(recognizer, beam_width: int = 1, turn_tall: bool = True, lexicon: str = "none", tilt: bool = True):
    """Read crops as `ocr_lab.pipeline.recognize` does, with `recognizer` (Keras or ONNX)."""
    from ocr_lab.decode import lexicon_from
    from ocr_lab.pipeline import recognize

    words = lexicon_from(lexicon, recognizer.characters)
    if words is not None:
        len(words)  # read the word list now, not inside the timed reading
    return lambda crops: [text for text, _ in recognize(crops, recognizer, beam_width, turn_tall, words, tilt)]


def test_time_views(crop):
    """Five views of a crop, for reading it five times: as it is, with a margin of its mean colour,
    with its contrast stretched, 0.8 and 1.25 times as wide (`--variants`; not in the package, see the model card)."""
    from PIL import ImageOps

    w, h = crop.size
    mean = tuple(int(v) for v in np.asarray(crop).reshape(-1, 3).mean(0))
    return [crop, ImageOps.expand(crop, border=(max(2, h // 8), max(1, h // 12)), fill=mean),
            ImageOps.autocontrast(crop, cutoff=2), crop.resize((max(1, int(w * 0.8)), h)), crop.resize((int(w * 1.25), h))]


def ours_variants(recognizer):
    """`ours`, but each crop read in its five `test_time_views` and the most confident reading kept."""
    from ocr_lab.pipeline import recognize

    def read(crops):
        views = [test_time_views(c) for c in crops]
        per_view = [recognize([v[k] for v in views], recognizer) for k in range(len(views[0]))]
        return [max((readings[i] for readings in per_view), key=lambda r: r[1])[0] for i in range(len(crops))]
    return read


def rapidocr_texts():
    read = rapidocr_recognizer()
    return lambda crops: [text for text, _ in read(crops)]


def tesseract_line(crops) -> list[str]:
    """Tesseract 5 with --psm 7 (the image is one line of text), one process per crop."""
    texts = []
    for crop in crops:
        buf = io.BytesIO()
        crop.save(buf, format="PNG")
        out = subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "7"], input=buf.getvalue(),
                             capture_output=True, env=TESSERACT_ENV, check=True).stdout
        texts.append(out.decode("utf-8", "replace").strip())
    return texts


def score(read, crops, labels) -> dict:
    read(crops[:1])  # warm-up: graphs, sessions, caches
    start = time.perf_counter()
    texts = read(crops)
    seconds = time.perf_counter() - start
    raw = sum(t == label for t, label in zip(texts, labels))
    alnum = sum(fold_case(t) == fold_case(label) for t, label in zip(texts, labels))
    return {"texts": texts, "raw": raw, "alnum": alnum, "n": len(labels), "rate": len(labels) / max(seconds, 1e-9)}


def mark(text: str, label: str) -> str:
    """'=' right as printed, '~' right case-insensitively only, '' wrong."""
    return "=" if text == label else "~" if fold_case(text) == fold_case(label) else ""


def crop_table(labels: list[str], readings: dict[str, list[str]]) -> list[str]:
    """The per-crop table: each label, then each system's reading with its `mark`."""
    lines = ["| label | " + " | ".join(readings) + " |", "|---" * (len(readings) + 1) + "|"]
    for i, label in enumerate(labels):
        cells = [f"{texts[i]}{mark(texts[i], label)}".replace("|", "\\|") for texts in readings.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def named_paths(specs: list[str], flag: str, bare_ok: bool = False) -> dict[str, Path]:
    """{name: path} of NAME=PATH specs; with `bare_ok`, a bare PATH is named by its file's stem."""
    out = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep and bare_ok:
            name, path = Path(spec).stem, spec
        elif not sep:
            raise SystemExit(f"{flag} {spec!r}: write NAME=PATH")
        if name in out:
            raise SystemExit(f"{flag} {spec!r}: the name {name!r} is used twice")
        out[name] = Path(path)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", action="append", default=[], metavar="NAME=PATH",
                        help="our checkpoint(s) to score, repeatable (default: shipped=the default checkpoint, "
                             "ocr_lab.checkpoint.OCR_CHECKPOINT)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=PATH", help="more crop sets")
    parser.add_argument("--limit", type=int, default=500, help="crops per set at most (default 500)")
    parser.add_argument("--beam", type=int, default=10, help="beam width of the beam rows (default 10)")
    parser.add_argument("--no-peers", action="store_true", help="score only our checkpoints")
    parser.add_argument("--variants", action="store_true",
                        help="also read each crop in five views (margin, contrast, narrower, wider) and keep the "
                             "most confident reading")
    parser.add_argument("--show", action=argparse.BooleanOptionalAction, default=True,
                        help="print every real_dev crop's reading by each system (default: yes)")
    args = parser.parse_args(argv)

    from ocr_lab.checkpoint import OCR_CHECKPOINT, load_recognizer
    from ocr_lab.recognize_onnx import load_onnx_recognizer

    checkpoints = named_paths(args.checkpoint, "--checkpoint", bare_ok=True) or {"shipped": OCR_CHECKPOINT}
    sets = {"real_dev": REAL_DEV}
    if HELDOUT.exists():
        sets["heldout"] = HELDOUT
    sets.update(named_paths(args.set, "--set"))

    systems = {}  # table name -> (short name for --show or None, read function)
    for name, path in checkpoints.items():
        recognizer = load_recognizer(path)
        steps, chars = recognizer.time_steps, len(recognizer.characters)
        systems[f"ours {name} ({recognizer.config}, {steps} steps, {chars} chars), network"] = (
            f"{name}", ours(recognizer))
        systems[f"ours {name}, network, beam {args.beam}"] = (f"{name}-beam", ours(recognizer, args.beam))
        systems[f"ours {name}, network, tall crops not turned"] = (None, ours(recognizer, turn_tall=False))
        systems[f"ours {name}, network, unsure squarish crops not tilted"] = (None, ours(recognizer, tilt=False))
        if args.variants:
            systems[f"ours {name}, network, most confident of 5 views"] = (f"{name}-views", ours_variants(recognizer))
        systems[f"ours {name} as `ocr` reads (ONNX + English lexicon)"] = (
            f"{name}-ocr", ours(load_onnx_recognizer(path), lexicon="english"))
    if not args.no_peers and rapidocr_available():
        systems["rapidocr (PP-OCRv4 rec, use_det=False)"] = ("rapidocr", rapidocr_texts())
    if not args.no_peers and tesseract_available():
        systems["tesseract 5 --psm 7"] = ("tesseract", tesseract_line)

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; limit {args.limit} crops a set")
    header = f"| {'system':<56} | {'set':<12} | crops | as printed   | case-insensitive | crops/s |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    shown = {}
    for set_name, path in sets.items():
        crops, labels = load_crops(path, args.limit)
        for system, (short, read) in systems.items():
            r = score(read, crops, labels)
            print(f"| {system:<56} | {set_name:<12} | {r['n']:>5} | {r['raw'] / r['n']:.3f} ({r['raw']:>4}) | "
                  f"{r['alnum'] / r['n']:.3f} ({r['alnum']:>4})   | {r['rate']:>7.1f} |", flush=True)
            if set_name == "real_dev" and short:
                shown[short] = r["texts"]
        if set_name == "real_dev" and args.show:
            real_labels = labels
    if args.show:
        print("\nreal_dev, crop by crop (= right as printed, ~ right case-insensitively only)")
        print("\n".join(crop_table(real_labels, shown)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
