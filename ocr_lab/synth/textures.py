"""Textures: the natural images and procedural patterns laid under (and over) a word.

Taught in notebook 01. Every image comes bundled with an installed package (scikit-image,
matplotlib): nothing is downloaded at run time, and every process builds the same banks.
"""
from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

TEXTURE_IMAGES = {  # images bundled with installed packages: no download at run time
    "skimage": ["astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png", "coins.png",
                "grass.png", "gravel.png", "hubble_deep_field.jpg", "moon.png", "motorcycle_left.png",
                "retina.jpg", "rocket.jpg", "horse.png", "cell.png"],
    "matplotlib": ["grace_hopper.jpg"],
}
# Photos laid under the word. Not here on purpose: skimage's page.png and text.png (they
# hold text: page.png is the book page `bench_real_photos.py` reads) and its synthetic images.
PHOTO_IMAGES = {
    "skimage": ["astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png", "coins.png",
                "grass.png", "gravel.png", "moon.png", "motorcycle_left.png", "motorcycle_right.png",
                "rocket.jpg", "horse.png", "color.png", "ihc.png", "clock_motion.png", "retina.jpg"],
    "matplotlib": ["grace_hopper.jpg"],
}
TEXTURE_SIZE = 256


def _texture_image_paths(images: dict[str, list[str]] = TEXTURE_IMAGES) -> list[Path]:
    paths = []
    for package, names in images.items():
        if package == "matplotlib":
            import matplotlib

            folder = Path(matplotlib.get_data_path()) / "sample_data"
        else:
            folder = Path(str(importlib.resources.files(package))) / "data"
        paths += [folder / name for name in names if (folder / name).exists()]
    return paths


def _procedural_textures(rng: np.random.Generator, count: int) -> list[np.ndarray]:
    """Paper, stone, wood, stripes, grids and gradients: float32 RGB in 0..1."""
    size = TEXTURE_SIZE
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    textures = []
    for i in range(count):
        kind = i % 6
        if kind == 0:  # fractal noise: stone, paper, concrete
            grey = sum(
                cv2.resize(rng.random((2 ** octave, 2 ** octave), dtype=np.float32), (size, size),
                           interpolation=cv2.INTER_CUBIC) / 2 ** (octave * 0.7)
                for octave in range(2, 8)
            )
        elif kind == 1:  # stripes at an angle
            angle, freq = rng.uniform(0, np.pi), rng.uniform(3, 30)
            grey = 0.5 + 0.5 * np.sin(2 * np.pi * freq * (xx * np.cos(angle) + yy * np.sin(angle)))
        elif kind == 2:  # wood-like rings
            cx, cy = rng.uniform(-1, 2, 2)
            noise = cv2.resize(rng.random((8, 8), dtype=np.float32), (size, size), interpolation=cv2.INTER_CUBIC)
            grey = 0.5 + 0.5 * np.sin(rng.uniform(20, 80) * np.hypot(xx - cx, yy - cy) + 4 * noise)
        elif kind == 3:  # a grid / lined paper
            step = int(rng.integers(8, 40))
            grey = np.ones((size, size), np.float32)
            grey[::step, :] = 0.3
            if rng.random() < 0.5:
                grey[:, ::step] = 0.3
            grey = cv2.GaussianBlur(grey, (0, 0), 0.8)
        elif kind == 4:  # linear gradient
            angle = rng.uniform(0, 2 * np.pi)
            grey = xx * np.cos(angle) + yy * np.sin(angle)
        else:  # blobs
            grey = cv2.GaussianBlur(rng.random((size, size), dtype=np.float32), (0, 0), rng.uniform(4, 20))
        grey = (grey - grey.min()) / max(float(grey.max() - grey.min()), 1e-6)
        c1, c2 = rng.random(3, dtype=np.float32), rng.random(3, dtype=np.float32)
        textures.append((c1 + (c2 - c1) * grey[..., None]).astype(np.float32))
    return textures


@functools.lru_cache(maxsize=1)
def texture_bank() -> tuple[np.ndarray, ...]:
    """Background textures, the same in every process: bundled photos and procedural ones."""
    bank = []
    for path in _texture_image_paths():
        img = Image.open(path).convert("RGB")
        img.thumbnail((2 * TEXTURE_SIZE, 2 * TEXTURE_SIZE))
        bank.append(np.asarray(img, dtype=np.float32) / 255)
    bank += _procedural_textures(np.random.default_rng(20140000), 24)
    return tuple(bank)


@functools.lru_cache(maxsize=1)
def photo_bank() -> tuple[np.ndarray, ...]:
    """Natural photos for backgrounds, float32 RGB 0..1, at most 512 px on a side."""
    bank = []
    for path in _texture_image_paths(PHOTO_IMAGES):
        img = Image.open(path).convert("RGB")
        img.thumbnail((2 * TEXTURE_SIZE, 2 * TEXTURE_SIZE))
        bank.append(np.asarray(img, dtype=np.float32) / 255)
    return tuple(bank)


def texture_patch(rng: np.random.Generator, width: int, height: int, bank=None) -> np.ndarray:
    """A random crop of a random texture, resized to (height, width, 3), float32 0..1."""
    bank = bank or texture_bank()
    tex = bank[int(rng.integers(len(bank)))]
    th, tw = tex.shape[:2]
    scale = rng.uniform(0.1, 0.6)
    ch = max(4, int(th * scale))
    cw = max(4, min(tw, int(ch * width / height)))
    y, x = int(rng.integers(0, th - ch + 1)), int(rng.integers(0, tw - cw + 1))
    patch = cv2.resize(tex[y : y + ch, x : x + cw], (width, height), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.5:
        patch = patch[:, ::-1]
    if rng.random() < 0.5:
        patch = patch[..., rng.permutation(3)]
    if rng.random() < 0.6:  # most real backgrounds are not colourful: keep only the texture's shading
        patch = np.repeat(patch.mean(axis=-1, keepdims=True), 3, axis=-1)
    return np.ascontiguousarray(patch)
