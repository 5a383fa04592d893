"""End-to-end OCR on generated scenes: our CRAFT + CRNN against Tesseract and RapidOCR.

What it measures: the same `--count` scenes (640x480, held-out fonts, made by
`ocr_lab.scenes` from `--seed`) go through every system that is installed:

    ours (axis)         CRAFT boxes, axis-aligned crops with a 5-px margin, our CRNN
    ours (warp)         the same boxes, perspective-warped crops
    tesseract --psm 11  Tesseract 5, sparse text (Debian tesseract-ocr + tesseract-ocr-eng)
    tesseract           Tesseract 5, default page segmentation (--psm 3)
    rapidocr            RapidOCR (PP-OCRv4 det + rec, ONNX; pip install rapidocr_onnxruntime)
    diagnostic          our CRAFT boxes and warp crops read by RapidOCR's recognizer, which
                        shows how much of the gap to RapidOCR is the recognizer

Metrics, word level: a prediction is correct when its text equals a ground-truth
word ignoring case and anything but letters and digits, and the boxes overlap
with IoU >= 0.5 (one match per word). Precision, recall, F1, and the counts behind them (words read
right / words reported / ground-truth words); detection recall
(ground-truth words matched by a box, whatever the text); recognition accuracy
on the detected words; wall-clock and CPU seconds (all threads and child
processes) per image after one warm-up image, model loading excluded. Wall time
depends on what else runs on the machine; the header prints the load average.
Two more tables: our F1 when words below a confidence are dropped, and recognition
alone on crops of the ground-truth boxes, per crop method (and per recognizer),
to compare the crops without the detector in the way.

    .venv/bin/python benchmarks/bench_end_to_end.py --count 40
    (peers: apt-get install tesseract-ocr tesseract-ocr-eng; pip install -r benchmarks/requirements-peers.txt)
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocr_lab.detect import MARGIN  # noqa: E402
from ocr_lab.scenes import make_scene, normalize_text, score_scene, summarize_scores  # noqa: E402

TESSERACT_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # OpenMP makes Tesseract 6-10x slower on 2 cores


# ----------------------------------------------------------------------------- systems: image -> [(text, box)]

def ours(recognizer, detector, crop_method, min_confidence=0.0, lexicon="english"):
    """Our pipeline; its words carry their confidence as a third item."""
    from ocr_lab.pipeline import OCRPipeline

    pipeline = OCRPipeline(recognizer, detector, crop_method=crop_method, min_confidence=min_confidence,
                           lexicon=lexicon)
    return lambda img: [(r.text, r.box, r.confidence) for r in pipeline(img)]


def load_craft(kind: str):
    """Our CRAFT: "int8" or "float32" (ONNX Runtime, `OCRPipeline`'s default is int8), or "keras" (keras-ocr's model)."""
    if kind == "keras":
        from ocr_lab.detect import load_detector

        return load_detector()
    from ocr_lab.detect_onnx import load_onnx_detector

    return load_onnx_detector(kind)


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def tesseract(psm: int | None):
    """Tesseract's word boxes (TSV level 5) for one image, fed through stdin as PNG."""
    def run(img):
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        cmd = ["tesseract", "stdin", "stdout", "-l", "eng"] + (["--psm", str(psm)] if psm else []) + ["tsv"]
        out = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, env=TESSERACT_ENV, check=True).stdout
        words = []
        for line in out.decode("utf-8", "replace").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
                continue
            x, y, w, h = map(int, cols[6:10])
            words.append((cols[11], np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])))
        return words
    return run


def rapidocr_available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def rapidocr():
    """RapidOCR's lines, split into words with its per-character boxes."""
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def run(img):
        result, _ = engine(img, return_word_box=True)
        words = []
        for line_box, text, _score, *rest in result or []:
            char_boxes = rest[0] if rest else []
            chars = [c for c in text if not c.isspace()]
            if " " not in text.strip() or len(char_boxes) != len(chars):
                words.append((text, np.float32(line_box)))
                continue
            k = 0
            for word in text.split():
                pts = np.float32(char_boxes[k : k + len(word)]).reshape(-1, 2)
                k += len(word)
                (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
                words.append((word, np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])))
        return words
    return run


def rapidocr_recognizer():
    """RapidOCR's recognizer alone (PP-OCRv4 rec): word crops (PIL) -> [(text, confidence)]."""
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(crops):
        if not crops:
            return []
        bgr = [np.ascontiguousarray(np.asarray(c.convert("RGB"))[:, :, ::-1]) for c in crops]
        return [(text, float(score)) for text, score in engine.text_rec(bgr)[0]]
    return read


def craft_with(read_crops, detector, crop_method="warp"):
    """Our CRAFT boxes and crops, read by another recognizer: a diagnostic that isolates the recognizer."""
    from ocr_lab.detect import crop_boxes, detect_boxes

    def run(img):
        img, boxes = detect_boxes(img, detector)
        return [(text, box) for (text, _), box in zip(read_crops(crop_boxes(img, boxes, crop_method)), boxes)]
    return run


# ----------------------------------------------------------------------------- measuring

def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (Tesseract runs as one), all threads."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_system(run, scenes) -> tuple[list, float, float]:
    """(predictions per scene, wall seconds per image, CPU seconds per image)."""
    run(scenes[0].image)  # warm-up: first calls build graphs and caches
    wall, cpu = time.perf_counter(), cpu_seconds()
    predictions = [run(scene.image) for scene in scenes]
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    return predictions, wall / len(scenes), cpu / len(scenes)


def score(predictions, scenes, min_confidence=0.0) -> dict:
    """Summary over scenes; (text, box, confidence) predictions below `min_confidence` are left out."""
    return summarize_scores([
        score_scene([(p[0], p[1]) for p in preds if len(p) < 3 or p[2] >= min_confidence], scene.words)
        for preds, scene in zip(predictions, scenes)
    ])


def tilt_degrees(box: np.ndarray) -> float:
    dx, dy = box[1] - box[0]
    return float(np.degrees(np.arctan2(dy, dx)))


def crop_comparison(scenes, readers: dict) -> tuple[dict, dict]:
    """Word accuracy reading the ground-truth boxes, per (recognizer, crop method), for straight and tilted words.

    `readers` maps a name to a function: list of crops -> [(text, confidence)].
    """
    from ocr_lab.detect import crop_boxes

    words = [(scene, w) for scene in scenes for w in scene.words]
    tilted = np.array([abs(tilt_degrees(w.box)) > 2 for _, w in words])
    crops = {method: [c for scene in scenes for c in crop_boxes(scene.image, [w.box for w in scene.words], method)]
             for method in ("axis", "warp")}  # cut once, read by every recognizer
    table = {}
    for name, read_crops in readers.items():
        for method in ("axis", "warp"):
            read = read_crops(crops[method])
            right = np.array([normalize_text(t) == normalize_text(w.text) for (t, _), (_, w) in zip(read, words)])
            table[(name, method)] = {"all": right.mean(), "straight": right[~tilted].mean(),
                                     "tilted": right[tilted].mean() if tilted.any() else float("nan")}
    counts = {"all": len(words), "straight": int((~tilted).sum()), "tilted": int(tilted.sum())}
    return table, counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=40, help="scenes to generate (default 40)")
    parser.add_argument("--seed", type=int, default=1000, help="first scene seed (data/samples uses 8 and 9)")
    parser.add_argument("--checkpoint", default=None, help="recognizer checkpoint (default: the shipped one)")
    parser.add_argument("--untrained", action="store_true", help="use an untrained CRNN: a dry run of this script")
    parser.add_argument("--systems", default="ours-axis,ours-warp,tesseract-psm11,tesseract,rapidocr,craft+rapidocr-rec")
    parser.add_argument("--detector", choices=("int8", "float32", "keras"), default="int8",
                        help="our CRAFT: ONNX Runtime int8 (the pipeline's default) or float32, or keras-ocr's Keras model")
    parser.add_argument("--recognizer", choices=("onnx", "keras"), default="onnx",
                        help="our CRNN on ONNX Runtime (the pipeline's default) or the tf-keras model (the same weights)")
    parser.add_argument("--min-confidence", type=float, default=None,
                        help="our pipeline's threshold (default: OCRPipeline's own default)")
    parser.add_argument("--lexicon", default="english", metavar="english|none|FILE",
                        help="our pipeline's word list (default english, as `ocr`)")
    args = parser.parse_args(argv)

    if args.untrained:
        from ocr_lab.model import build_crnn_model
        from ocr_lab.checkpoint import Recognizer

        recognizer = Recognizer(build_crnn_model(config="small")[1], config="small")
        checkpoint = "untrained"
    else:
        from ocr_lab.recognize_onnx import load_onnx_recognizer
        from ocr_lab.checkpoint import OCR_CHECKPOINT, load_recognizer

        checkpoint = args.checkpoint or OCR_CHECKPOINT
        recognizer = (load_onnx_recognizer if args.recognizer == "onnx" else load_recognizer)(checkpoint)

    from ocr_lab.pipeline import DEFAULT_MIN_CONFIDENCE

    min_conf = DEFAULT_MIN_CONFIDENCE if args.min_confidence is None else args.min_confidence
    scenes = [make_scene(args.seed + i) for i in range(args.count)]
    n_words = sum(len(s.words) for s in scenes)
    detector = load_craft(args.detector)
    factories = {
        "ours-axis": ("ours (axis crops)", lambda: ours(recognizer, detector, "axis", lexicon=args.lexicon), True),
        "ours-warp": ("ours (warp crops)", lambda: ours(recognizer, detector, "warp", lexicon=args.lexicon), True),
        "tesseract-psm11": ("tesseract --psm 11", lambda: tesseract(11), tesseract_available()),
        "tesseract": ("tesseract (default psm 3)", lambda: tesseract(None), tesseract_available()),
        "rapidocr": ("rapidocr", rapidocr, rapidocr_available()),
        "craft+rapidocr-rec": ("diagnostic: our CRAFT + warp crops, RapidOCR's recognizer",
                               lambda: craft_with(rapidocr_recognizer(), detector), rapidocr_available()),
    }
    rows = []
    for key in args.systems.split(","):
        label, factory, available = factories[key]
        if not available:
            print(f"skipping {label}: not installed", file=sys.stderr)
            continue
        predictions, seconds, cpu = run_system(factory(), scenes)
        rows.append((key, label, predictions, seconds, cpu))
        print(f"done: {label}", file=sys.stderr)

    print(f"\n{args.count} scenes 640x480 (seeds {args.seed}..{args.seed + args.count - 1}, held-out fonts), "
          f"{n_words} words; recognizer: {checkpoint} ({args.recognizer}, lexicon {args.lexicon}); detector: CRAFT ({args.detector}); {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| system | precision | recall | F1 | right / read / words | detection recall | recognition on detected "
          "| s / image | CPU s / image |")
    print("|---|---|---|---|---|---|---|---|---|")
    for key, label, predictions, seconds, cpu in rows:
        s = score(predictions, scenes, min_conf if key.startswith("ours") else 0.0)
        if key.startswith("ours") and min_conf:
            label += f", confidence >= {min_conf:g}"
        rec = s["correct"] / s["detected"] if s["detected"] else 0.0
        print(f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} "
              f"| {s['correct']} / {s['predicted']} / {s['truth']} | {s['detection_recall']:.3f} "
              f"| {rec:.3f} | {seconds:.2f} | {cpu:.2f} |")

    ours_rows = [row for row in rows if row[0].startswith("ours")]
    if ours_rows:
        thresholds = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
        print("\nOur F1 by minimum word confidence (predictions below it left out):\n")
        print("| crop | " + " | ".join(f">= {t:g}" for t in thresholds) + " |")
        print("|---|" + "---|" * len(thresholds))
        for key, label, predictions, _, _ in ours_rows:
            f1s = [score(predictions, scenes, t)["f1"] for t in thresholds]
            print(f"| {key[5:]} | " + " | ".join(f"{f:.3f}" for f in f1s) + " |")

    from ocr_lab.decode import lexicon_from
    from ocr_lab.pipeline import recognize

    lexicon = lexicon_from(args.lexicon, recognizer.characters)
    readers = {"ours": lambda crops: recognize(crops, recognizer, lexicon=lexicon)}
    if rapidocr_available():
        readers["rapidocr"] = rapidocr_recognizer()
    table, c = crop_comparison(scenes, readers)
    print(f"\nRecognition alone: crops of the ground-truth boxes (+{MARGIN} px), word accuracy "
          f"(all {c['all']} / straight {c['straight']} / tilted > 2 deg {c['tilted']}):\n")
    print("| recognizer | crop | all | straight | tilted |")
    print("|---|---|---|---|---|")
    for (name, method), t in table.items():
        print(f"| {name} | {method} | {t['all']:.3f} | {t['straight']:.3f} | {t['tilted']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
