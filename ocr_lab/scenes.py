"""Scenes: whole pictures with words in them, for testing the end-to-end pipeline.

Taught in notebook 06. The recognizer is tested on word crops (`synth`); a full
OCR system also has to *find* the words. A scene is a 640x480 picture (a
texture, a gradient or a flat colour, with a few shapes as clutter) with several
words at random sizes, positions and slight angles, and its ground truth: each
word's text and the 4-point box around its ink, clockwise from the top-left.

Words, fonts and textures come from the synthetic generator (`ocr_lab.synth`),
and scenes use its *held-out* fonts by default, so neither our recognizer nor the
peers we compare with have seen the type. A scene is a pure function of its seed.

    python -m ocr_lab.scenes --out build/scenes --count 50 --seed 0
"""
from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ocr_lab import synth
from ocr_lab.labels import TARGET_CHARACTERS, ctc_min_steps

SCENE_SIZE = (640, 480)  # (width, height)
SCENE = {
    "words": (3, 8),            # words per scene, inclusive
    "text_height": (18, 64),    # font size in px
    "max_length": 12,           # characters per word
    "rotation_prob": 0.3,       # how often a word is tilted
    "rotation": 8.0,            # degrees, normal standard deviation, clipped at 2.5 sigma
    "min_contrast": 90,         # luminance difference between a word and the background under it
    "shapes": (0, 6),           # clutter: rectangles, ellipses and lines
    "noise_prob": 0.5,
    "noise_sigma": (1.0, 6.0),
    "blur_prob": 0.3,
    "blur_sigma": (0.3, 0.9),
}
GROUND_TRUTH_FILE = "ground_truth.json"


@dataclass
class SceneWord:
    text: str
    box: np.ndarray  # float32 (4, 2): x, y of top-left, top-right, bottom-right, bottom-left

    def to_dict(self) -> dict:
        return {"text": self.text, "box": np.round(self.box.astype(float), 1).tolist()}


@dataclass
class Scene:
    image: Image.Image
    words: list[SceneWord] = field(default_factory=list)
    seed: int | None = None
    name: str = ""


# ----------------------------------------------------------------------------- pieces

# A scene's ground truth is its words as drawn, so its words are letters and digits only: no
# dates, prices or ordinals, which also keeps every seed's scene as it was before the generator drew them.
WORDS_ONLY = {"symbol_text_prob": 0.0, "punct_prob": 0.0, "ordinal_prob": 0.0}
# A scene's words fit the fewest time steps of any config ("small" and "lecture" read 24), so every
# checkpoint can spell them and the scenes stay the same whichever model reads them.
SCENE_MAX_STEPS = 24


def word_text(rng: np.random.Generator, max_length: int) -> str:
    """A synthetic-generator word that the recognizer's charset can spell (letters and digits)."""
    pattern = re.compile(f"[{re.escape(TARGET_CHARACTERS)}]+")
    for _ in range(100):
        text = synth.sample_text(rng, WORDS_ONLY)
        if len(text) <= max_length and pattern.fullmatch(text.upper()) and ctc_min_steps(text.upper()) <= SCENE_MAX_STEPS:
            return text
    return "TEXT"




def _background(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """float32 (H, W, 3) in 0..255: a texture, a two-colour gradient or a flat colour."""
    width, height = size
    kind = rng.choice(3, p=[0.5, 0.25, 0.25])
    if kind == 0:
        bank = synth.texture_bank()
        tex = bank[int(rng.integers(len(bank)))]
        th, tw = tex.shape[:2]
        scale = rng.uniform(0.5, 1.0)
        ch, cw = max(8, int(th * scale)), max(8, int(min(tw, th * scale * width / height)))
        y, x = int(rng.integers(0, th - ch + 1)), int(rng.integers(0, tw - cw + 1))
        img = cv2.resize(tex[y : y + ch, x : x + cw], (width, height), interpolation=cv2.INTER_LINEAR) * 255
        tint = rng.uniform(0, 255, 3)
        blend = rng.uniform(0.0, 0.5)
        return (img * (1 - blend) + tint * blend).astype(np.float32)
    if kind == 1:
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        angle = rng.uniform(0, 2 * np.pi)
        t = xx * np.cos(angle) + yy * np.sin(angle)
        t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
        c1, c2 = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
        return (c1 + (c2 - c1) * t[..., None]).astype(np.float32)
    return np.broadcast_to(rng.uniform(0, 255, 3), (height, width, 3)).astype(np.float32).copy()


def _clutter(img: np.ndarray, rng: np.random.Generator, count: int) -> np.ndarray:
    """Rectangles, ellipses and lines: edges a detector must not take for words."""
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    w, h = pil.size
    for _ in range(count):
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(20, 200)), y0 + int(rng.integers(20, 150))
        kind = rng.integers(3)
        if kind == 0:
            draw.rectangle((x0, y0, x1, y1), outline=colour, width=int(rng.integers(1, 5)))
        elif kind == 1:
            draw.ellipse((x0, y0, x1, y1), fill=colour if rng.random() < 0.5 else None, outline=colour, width=2)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=int(rng.integers(1, 6)))
    return np.asarray(pil, dtype=np.float32)


def _luminance(rgb) -> float:
    return float(np.dot(rgb, [0.299, 0.587, 0.114]))


def _text_colour(rng: np.random.Generator, background_lum: float, min_contrast: float) -> np.ndarray:
    for _ in range(30):
        colour = rng.uniform(0, 255, 3)
        if abs(_luminance(colour) - background_lum) >= min_contrast:
            return colour.astype(np.float32)
    return np.full(3, 0.0 if background_lum > 127 else 255.0, np.float32)


def _render_mask(text: str, font_path, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(mask uint8 (H, W), ink box (4, 2) in the mask's pixels), drawn by the synthetic generator."""
    font = synth.load_font(str(font_path), size)
    pad = size // 2
    mask = synth.text_layers(text, font, stroke=0, spacing=0.0, underline=False, pad=pad)[..., 0]
    rows, cols = np.flatnonzero(mask.max(axis=1) > 64), np.flatnonzero(mask.max(axis=0) > 64)
    if len(rows) == 0:
        raise ValueError(f"nothing was drawn for {text!r}")
    x0, x1, y0, y1 = cols[0], cols[-1] + 1, rows[0], rows[-1] + 1
    return mask, np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def _pick_font(rng: np.random.Generator, fonts: str, text: str):
    families = list(synth.font_families(fonts).values())
    for _ in range(20):
        files = families[int(rng.integers(len(families)))]
        path = files[int(rng.integers(len(files)))]
        if synth.font_covers(path, text):
            return path
    return None


def _overlaps(box: np.ndarray, boxes: list[np.ndarray], gap: float) -> bool:
    x0, y0 = box.min(axis=0) - gap
    x1, y1 = box.max(axis=0) + gap
    for other in boxes:
        ox0, oy0 = other.min(axis=0)
        ox1, oy1 = other.max(axis=0)
        if x0 < ox1 and ox0 < x1 and y0 < oy1 and oy0 < y1:
            return True
    return False


# ----------------------------------------------------------------------------- scenes

def make_scene(seed: int, size: tuple[int, int] = SCENE_SIZE, fonts: str = "heldout",
               params: dict | None = None) -> Scene:
    """One scene and its ground truth; the same seed always gives the same scene.

    `fonts` is a font set of `synth.font_paths` ("heldout" by default: type the
    recognizer never trained on). `params` overrides entries of `SCENE`.
    """
    p = {**SCENE, **(params or {})}
    rng = np.random.default_rng([seed, 6])
    width, height = size
    img = _background(rng, size)
    img = _clutter(img, rng, int(rng.integers(p["shapes"][0], p["shapes"][1] + 1)))
    words: list[SceneWord] = []
    for _ in range(int(rng.integers(p["words"][0], p["words"][1] + 1))):
        text = word_text(rng, p["max_length"])
        font_path = _pick_font(rng, fonts, text)
        if font_path is None:
            continue
        font_size = int(rng.integers(p["text_height"][0], p["text_height"][1] + 1))
        mask, ink = _render_mask(text, font_path, font_size)
        angle = 0.0
        if rng.random() < p["rotation_prob"]:
            angle = float(np.clip(rng.normal(0, p["rotation"]), -2.5 * p["rotation"], 2.5 * p["rotation"]))
        mh, mw = mask.shape
        # Rotate about the ink's centre, then place that centre somewhere in the picture.
        centre = ink.mean(axis=0)
        rot = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, 1.0)  # 2x3
        box = ink @ rot[:, :2].T + rot[:, 2]
        span = box.max(axis=0) - box.min(axis=0)
        if span[0] >= width - 8 or span[1] >= height - 8:
            continue
        for _try in range(50):
            cx = rng.uniform(span[0] / 2 + 4, width - span[0] / 2 - 4)
            cy = rng.uniform(span[1] / 2 + 4, height - span[1] / 2 - 4)
            shift = np.float32([cx, cy]) - box.mean(axis=0)
            placed = box + shift
            if not _overlaps(placed, [w.box for w in words], gap=0.4 * font_size):
                break
        else:
            continue
        matrix = rot.copy()
        matrix[:, 2] += shift
        layer = cv2.warpAffine(mask, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=0)
        alpha = layer.astype(np.float32)[..., None] / 255
        x0, y0 = np.floor(placed.min(axis=0)).astype(int).clip(0)
        x1, y1 = np.ceil(placed.max(axis=0)).astype(int)
        under = img[y0:y1, x0:x1].reshape(-1, 3).mean(axis=0)
        colour = _text_colour(rng, _luminance(under), p["min_contrast"])
        img = img + (colour - img) * alpha
        words.append(SceneWord(text, placed.astype(np.float32)))
    if rng.random() < p["blur_prob"]:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(*p["blur_sigma"]))
    if rng.random() < p["noise_prob"]:
        img = img + rng.normal(0, rng.uniform(*p["noise_sigma"]), img.shape).astype(np.float32)
    image = Image.fromarray(np.clip(img, 0, 255).round().astype(np.uint8), "RGB")
    return Scene(image, words, seed, name=f"scene_{seed:04d}")


# ----------------------------------------------------------------------------- scoring

IOU_THRESHOLD = 0.5


def normalize_text(text: str) -> str:
    """Upper case, letters and digits only: "Don't." and "DONT" read the same."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def polygon_iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two quadrilaterals (4, 2)."""
    from shapely.geometry import Polygon

    pa, pb = Polygon(np.asarray(a, float)).buffer(0), Polygon(np.asarray(b, float)).buffer(0)
    union = pa.union(pb).area
    return float(pa.intersection(pb).area / union) if union > 0 else 0.0


def _match(pairs: list[tuple[float, int, int]]) -> int:
    """Greedy one-to-one matching of (iou, prediction, truth) pairs, best IoU first; returns the match count."""
    used_p, used_t = set(), set()
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
    return len(used_t)


def score_scene(predictions, truth: list[SceneWord], iou_threshold: float = IOU_THRESHOLD) -> dict:
    """Word-level counts for one image.

    `predictions` is a list of (text, box). A prediction is a true positive when
    its text equals an unmatched ground-truth word (`normalize_text`, so case is
    ignored) and their boxes overlap with IoU >= `iou_threshold`; each word can
    be matched once. Predictions that normalise to "" are ignored. `detected`
    counts ground-truth words matched by any box, whatever its text.
    """
    predictions = [(normalize_text(t), np.asarray(b, np.float32)) for t, b in predictions]
    predictions = [(t, b) for t, b in predictions if t]
    box_pairs, text_pairs = [], []
    for i, (text, box) in enumerate(predictions):
        for j, word in enumerate(truth):
            iou = polygon_iou(box, word.box)
            if iou >= iou_threshold:
                box_pairs.append((iou, i, j))
                if text == normalize_text(word.text):
                    text_pairs.append((iou, i, j))
    return {"predicted": len(predictions), "truth": len(truth), "correct": _match(text_pairs),
            "detected": _match(box_pairs)}


def summarize_scores(counts: list[dict]) -> dict:
    """Precision, recall, F1 and detection recall over many images' `score_scene` counts."""
    total = {key: sum(c[key] for c in counts) for key in ("predicted", "truth", "correct", "detected")}
    precision = total["correct"] / total["predicted"] if total["predicted"] else 0.0
    recall = total["correct"] / total["truth"] if total["truth"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    detection_recall = total["detected"] / total["truth"] if total["truth"] else 0.0
    return {**total, "precision": precision, "recall": recall, "f1": f1, "detection_recall": detection_recall}


# ----------------------------------------------------------------------------- sets of scenes

def make_scenes(count: int, seed: int = 0, **kwargs) -> list[Scene]:
    """`count` scenes with seeds `seed`, `seed + 1`, ...: a test set that is the same on every machine."""
    return [make_scene(seed + i, **kwargs) for i in range(count)]


def save_scenes(scenes: list[Scene], out_dir, image_format: str = "png", quality: int = 90) -> Path:
    """Write each scene as an image and all ground truth as one JSON file; return that file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for scene in scenes:
        name = f"{scene.name}.{'jpg' if image_format == 'jpg' else 'png'}"
        if image_format == "jpg":
            scene.image.save(out_dir / name, quality=quality)
        else:
            scene.image.save(out_dir / name, optimize=True)
        entries.append({"image": name, "seed": scene.seed, "words": [w.to_dict() for w in scene.words]})
    path = out_dir / GROUND_TRUTH_FILE
    path.write_text(_ground_truth_json(entries, scenes[0].image.size if scenes else None))
    return path


def _ground_truth_json(entries: list[dict], size) -> str:
    """JSON with one line per word, so a diff of the ground truth is readable."""
    scenes = []
    for e in entries:
        words = ",\n".join(f"    {json.dumps(w)}" for w in e["words"])
        scenes.append(f'  {{"image": {json.dumps(e["image"])}, "seed": {json.dumps(e["seed"])}, "words": [\n{words}\n  ]}}')
    return f'{{"size": {json.dumps(list(size) if size else None)}, "scenes": [\n' + ",\n".join(scenes) + "\n]}\n"


def load_scenes(folder) -> list[Scene]:
    """Read back a folder written by `save_scenes`."""
    folder = Path(folder)
    path = folder / GROUND_TRUTH_FILE
    if not path.exists():
        raise FileNotFoundError(f"no {GROUND_TRUTH_FILE} in {str(folder)!r}; write scenes with `python -m ocr_lab.scenes`")
    scenes = []
    for entry in json.loads(path.read_text())["scenes"]:
        image = Image.open(folder / entry["image"])
        image.load()
        words = [SceneWord(w["text"], np.asarray(w["box"], np.float32)) for w in entry["words"]]
        scenes.append(Scene(image.convert("RGB"), words, entry.get("seed"), Path(entry["image"]).stem))
    return scenes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocr_lab.scenes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder for the images and ground_truth.json")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fonts", default="heldout", choices=synth.FONT_SETS)
    parser.add_argument("--format", default="png", choices=("png", "jpg"))
    args = parser.parse_args(argv)
    path = save_scenes(make_scenes(args.count, args.seed, fonts=args.fonts), args.out, args.format)
    print(f"wrote {args.count} scenes and {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
