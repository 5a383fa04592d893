"""Speed: our OCR against RapidOCR, image by image in one run, plus start-up and peak memory.

    python benchmarks/bench_speed.py                       # 10 generated scenes per size
    python benchmarks/bench_speed.py --count 20 --engine keras --detect-side 1280
    python benchmarks/bench_speed.py --only-command-line   # the fresh-process rows only

What it measures, in one table:

- seconds per image (median and 90th percentile of wall time, median CPU time of all
  threads) for our pipeline (`OCRPipeline`: CRAFT + the shipped CRNN, warp crops, on the
  engine `--engine` names: ONNX Runtime by default, as the command line runs it) and
  RapidOCR (`rapidocr_onnxruntime`, det + rec), on the committed `data/samples`
  photos and on generated scenes (`ocr_lab.scenes`, held-out fonts) at 640x480 and
  1280x720. Both systems read the same in-memory images and take turns going first;
  models are loaded before timing, and each set starts with one untimed image per system.
- word F1 of both on those images (the scoring of `bench_end_to_end.py`).
- one photo through the command line in a fresh process, start-up included:
  `python -m ocr_lab ocr PHOTO --out DIR`, on its default engine (ONNX Runtime, no
  TensorFlow) and with `--engine keras` (the notebooks' Keras models), against
  `python -c` building `RapidOCR()` and reading the same photo; their wall time, CPU
  time and peak memory (the process's maximum resident set size), and how soon a
  missing file is reported.

Wall time depends on everything else the machine runs: the header prints the load
average, and the CPU-time rows move much less with it. Needs the peers:
`pip install -r benchmarks/requirements-peers.txt`.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import ocr_lab  # noqa: E402,F401  (sets TF_USE_LEGACY_KERAS before TensorFlow loads)
from ocr_lab.detect import MAX_DETECT_SIDE  # noqa: E402
from ocr_lab.pipeline import SAMPLES_DIR  # noqa: E402
from ocr_lab.scenes import load_scenes, make_scenes, score_scene, summarize_scores  # noqa: E402

RAPIDOCR_ONE_PHOTO = "import sys; from rapidocr_onnxruntime import RapidOCR; RapidOCR()(sys.argv[1])"


# ----------------------------------------------------------------------------- per image, in this process

def timed(run, image) -> tuple[list, float, float]:
    """(words, wall seconds, CPU seconds of every thread of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    words = run(image)
    return words, time.perf_counter() - wall, time.process_time() - cpu


def side_by_side(systems: dict, scenes) -> dict:
    """Each system on each scene, taking turns going first; {name: {"wall": [...], "cpu": [...], "f1": x}}."""
    names = list(systems)
    for name in names:
        systems[name](scenes[0].image)  # untimed: the first call at a new image size sets things up
    stats = {name: {"wall": [], "cpu": [], "scores": []} for name in names}
    for i, scene in enumerate(scenes):
        for name in (names if i % 2 == 0 else names[::-1]):
            words, wall, cpu = timed(systems[name], scene.image)
            stats[name]["wall"].append(wall)
            stats[name]["cpu"].append(cpu)
            stats[name]["scores"].append(score_scene([(w[0], w[1]) for w in words], scene.words))
    for s in stats.values():
        s["f1"] = summarize_scores(s.pop("scores"))["f1"]
    return stats


# ----------------------------------------------------------------------------- a fresh process

def run_process(cmd: list[str]) -> dict:
    """Run `cmd` to its end; its wall seconds, CPU seconds (user + system), peak memory (MB) and exit code."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "mb": usage.ru_maxrss / 1024,
            "code": proc.returncode, "stderr": proc.stderr.read().decode(errors="replace")}


def command_line(photo: Path, engine_args: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as out:
        ours = run_process([sys.executable, "-m", "ocr_lab", "ocr", str(photo), "--out", out, *engine_args])
        keras = run_process([sys.executable, "-m", "ocr_lab", "ocr", str(photo), "--out", out, *engine_args,
                             "--engine", "keras"])
        missing = run_process([sys.executable, "-m", "ocr_lab", "ocr", str(photo.with_name("missing.jpg")),
                               "--out", out])
    rapid = run_process([sys.executable, "-c", RAPIDOCR_ONE_PHOTO, str(photo)])
    for name, result, code in (("ours", ours, 0), ("ours, keras", keras, 0), ("missing file", missing, 2),
                               ("rapidocr", rapid, 0)):
        if result["code"] != code:
            raise RuntimeError(f"{name}: exit code {result['code']}, expected {code}:\n{result['stderr'][-2000:]}")
    return {"ours": ours, "keras": keras, "missing": missing, "rapidocr": rapid}


# ----------------------------------------------------------------------------- the table

def median_p90(values) -> str:
    return f"{np.median(values):.2f} / {np.percentile(values, 90):.2f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10, help="generated scenes per size (default 10)")
    parser.add_argument("--seed", type=int, default=1000, help="first scene seed (default 1000)")
    parser.add_argument("--engine", choices=("onnx", "onnx-float32", "keras"), default="onnx",
                        help="our models for the per-image rows: ONNX Runtime with CRAFT in int8 (the pipeline's "
                             "default) or in float32, or the Keras models (keras-ocr's CRAFT, the tf-keras CRNN)")
    parser.add_argument("--detect-side", type=int, default=MAX_DETECT_SIDE,
                        help=f"our detection's longest side (default {MAX_DETECT_SIDE})")
    parser.add_argument("--no-command-line", action="store_true", help="skip the fresh-process rows")
    parser.add_argument("--only-command-line", action="store_true", help="only the fresh-process rows")
    args = parser.parse_args(argv)

    from bench_end_to_end import rapidocr, rapidocr_available

    if not rapidocr_available():
        raise SystemExit("RapidOCR is not installed: pip install -r benchmarks/requirements-peers.txt")
    from ocr_lab.detect_onnx import load_onnx_detector
    from ocr_lab.pipeline import OCRPipeline, load_models

    if not args.only_command_line:
        recognizer, detector = load_models("keras" if args.engine == "keras" else "onnx")
        if args.engine == "onnx-float32":
            detector = load_onnx_detector("float32")
        pipeline = OCRPipeline(recognizer, detector, max_side=args.detect_side)
        systems = {"ours": lambda img: [(r.text, r.box) for r in pipeline(img)], "rapidocr": rapidocr()}

    load_before = os.getloadavg()[0]
    rows = []
    if not args.no_command_line:  # first: a fresh process is cheap next to the scenes, and fails fast
        cli = command_line(SAMPLES_DIR / "scene_0008.jpg", ["--detect-side", str(args.detect_side)])
        ours, keras, rapid, missing = cli["ours"], cli["keras"], cli["rapidocr"], cli["missing"]
        rows += [
            ("one photo in a fresh process, start-up included: s (CPU s)",
             f"{ours['wall']:.1f} ({ours['cpu']:.1f})", f"{rapid['wall']:.1f} ({rapid['cpu']:.1f})",
             ratio(ours["wall"], rapid["wall"])),
            ("peak memory of that process: MB", f"{ours['mb']:.0f}", f"{rapid['mb']:.0f}", ratio(ours["mb"], rapid["mb"])),
            ("the same with `--engine keras` (TensorFlow): s (CPU s)",
             f"{keras['wall']:.1f} ({keras['cpu']:.1f})", "", ratio(keras["wall"], rapid["wall"])),
            ("peak memory with `--engine keras`: MB", f"{keras['mb']:.0f}", "", ratio(keras["mb"], rapid["mb"])),
            ("a missing file reported after: s (CPU s)", f"{missing['wall']:.1f} ({missing['cpu']:.1f})", "", ""),
        ]
        print("done: command line", file=sys.stderr)
    sets = [] if args.only_command_line else [(f"data/samples ({len(load_scenes(SAMPLES_DIR))} photos, 640x480)", load_scenes(SAMPLES_DIR))]
    for size in ((640, 480), (1280, 720)) if sets else ():
        sets.append((f"generated {size[0]}x{size[1]} ({args.count} scenes)",
                     make_scenes(args.count, args.seed, size=size)))
    for label, scenes in sets:
        stats = side_by_side(systems, scenes)
        ours, rapid = stats["ours"], stats["rapidocr"]
        print(f"done: {label}", file=sys.stderr)
        rows += [
            (f"{label}: s per image, median / p90", median_p90(ours["wall"]), median_p90(rapid["wall"]),
             ratio(np.median(ours["wall"]), np.median(rapid["wall"]))),
            (f"{label}: CPU s per image, median", f"{np.median(ours['cpu']):.2f}", f"{np.median(rapid['cpu']):.2f}",
             ratio(np.median(ours["cpu"]), np.median(rapid["cpu"]))),
            (f"{label}: word F1", f"{ours['f1']:.3f}", f"{rapid['f1']:.3f}", ""),
        ]

    print(f"\nours: {args.engine} engine, detection side {args.detect_side}, shipped CRNN, warp crops; "
          f"RapidOCR {_version('rapidocr_onnxruntime')}; {os.cpu_count()} CPUs, load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n")
    print("| measure | ours | RapidOCR | ours / RapidOCR |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    raise SystemExit(main())
