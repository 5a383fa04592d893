"""Render: one word crop, as an ordered list of named steps.

Taught in notebook 01. `render_word` runs `RENDER_STEPS` in order on one `Crop`: each step
reads what the steps before it made, draws from the crop's random generator, and adds its
layer or changes the image. The order is part of the recipe: a seed gives the same crop only
while the steps draw in the same order, so a new effect goes where it belongs in the list
(its strengths in `recipe.AUGMENT`) and `GENERATOR_VERSION` goes up.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import cv2
import numpy as np
from PIL import Image, ImageFont

from ocr_lab.synth.effects import (add_neighbours, camera, circle, contrasting_colour, curve, luminance, relief, shadow,
                                   text_layers, warp)
from ocr_lab.synth.fonts import font_charset, font_covers, load_font, pick_variable_instance
from ocr_lab.synth.recipe import AUGMENT
from ocr_lab.synth.text import ORDINAL, pick
from ocr_lab.synth.textures import photo_bank, texture_patch


@dataclass
class Crop:
    """A crop in the making: what `render_word` was asked for, and what its steps have made so far."""

    text: str
    font_path: str | os.PathLike
    rng: np.random.Generator
    p: dict  # the recipe: AUGMENT with the caller's overrides
    height: int | None = None  # final height in px; None draws it from p["height"]
    # the font step
    font: ImageFont.FreeTypeFont | None = None
    size: int = 0  # font size in px at render time
    stroke: int = 0  # border width in px (0: no border)
    spacing: float = 0.0
    underline: bool = False
    pad: int = 0
    raised: tuple[int, int] | None = None  # (start, end) of a raised ordinal suffix
    # the layer steps: masks (H, W, layers) uint8, then float 0..1 once cropped
    masks: np.ndarray | None = None
    word_rows: tuple[int, int] | None = None  # rows of the word itself when neighbouring lines were added
    # the colour steps: the image (H, W, 3) float 0..255
    image: np.ndarray | None = None
    out_w: int = 0
    out_h: int = 0
    relief: bool = False  # carved or embossed: no ink


def choose_font(c: Crop) -> None:
    """Font size, a variable font's weight and width, border, letter spacing, underline, a raised suffix."""
    rng, p = c.rng, c.p
    c.size = int(rng.integers(p["font_size"][0], p["font_size"][1] + 1))
    c.font = load_font(str(c.font_path), c.size)
    pick_variable_instance(c.font, rng, p)
    c.stroke = int(max(1, round(rng.uniform(*p["border_width"]) * c.size))) if rng.random() < p["border_prob"] else 0
    c.spacing = rng.uniform(*p["char_spacing"]) * c.size if rng.random() < p["char_spacing_prob"] else 0.0
    c.underline = rng.random() < p["underline_prob"]
    c.pad = c.size // 2 + c.stroke
    ordinal = ORDINAL.match(c.text)
    c.raised = (ordinal.start(1), ordinal.end(1)) if ordinal and rng.random() < p["superscript_prob"] else None


def draw_text(c: Crop) -> None:
    """The text and text-plus-border masks."""
    c.masks = text_layers(c.text, c.font, c.stroke, c.spacing, c.underline, pad=c.pad, raised=c.raised)


def draw_neighbours(c: Crop) -> None:
    """Sometimes, lines of other text above and / or below (`effects.add_neighbours`)."""
    if c.rng.random() < c.p["neighbour_prob"]:
        c.masks, c.word_rows = add_neighbours(c.masks, c.font, c.font_path, c.rng, c.p, c.stroke, c.pad)


def draw_shadow(c: Crop) -> None:
    """Sometimes a shadow layer; then a fourth layer that marks the word itself (not its neighbours):
    the crop is made around it."""
    masks = c.masks
    layer = shadow(masks[..., 1], c.rng, c.p, c.size) if c.rng.random() < c.p["shadow_prob"] else None
    word_only = masks[..., 1].copy()
    if c.word_rows is not None:
        word_only[: c.word_rows[0]] = 0
        word_only[c.word_rows[1] :] = 0
    c.masks = np.dstack([masks, layer if layer is not None else np.zeros(masks.shape[:2], np.uint8), word_only])


def bend(c: Crop) -> None:
    """Sometimes the word set on a circle, or its baseline curved."""
    draw = c.rng.random()
    if draw < c.p["circle_prob"]:
        c.masks = circle(c.masks, c.rng, c.p)
    elif draw < c.p["circle_prob"] + c.p["curve_prob"]:
        c.masks = curve(c.masks, c.rng, c.p, text_height=c.size)


def distort(c: Crop) -> None:
    """Rotation, italic shear and perspective (`effects.warp`)."""
    c.masks = warp(c.masks, c.rng, c.p, text_height=c.size)


def crop_and_resize(c: Crop) -> None:
    """Crop to the word's ink with random margins, resize to the final height."""
    rng, p = c.rng, c.p
    masks = c.masks
    ink = masks[..., 3] > 24
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if len(rows) == 0:
        raise ValueError(f"nothing was drawn for {c.text!r} with {Path(c.font_path).name!r}")
    masks = masks[..., :3]
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    ink_h = bottom - top
    my = rng.uniform(*p["margin_y"], 2) * ink_h
    if c.word_rows is not None:  # show a slice of the neighbouring lines: gap + part of their height
        gap = rng.uniform(*p["neighbour_gap"]) * c.size
        my = np.maximum(my, gap + rng.uniform(*p["neighbour_visible"], 2) * c.size * 0.7)
    mx = rng.uniform(*p["margin_x"], 2) * (ink_h + my.sum())
    top, bottom = int(max(0, top - my[0])), int(min(masks.shape[0], bottom + my[1]))
    left, right = int(max(0, left - mx[0])), int(min(masks.shape[1], right + mx[1]))
    masks = masks[top:bottom, left:right]
    c.out_h = int(rng.integers(p["height"][0], p["height"][1] + 1)) if c.height is None else int(c.height)
    c.out_w = max(1, int(round(masks.shape[1] * c.out_h / masks.shape[0] * rng.uniform(*p["aspect"]))))
    c.masks = cv2.resize(masks, (c.out_w, c.out_h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def paint_background(c: Crop) -> None:
    """A background colour, blended with a photo or a texture; decides whether the letters are carved."""
    rng, p = c.rng, c.p
    if rng.random() < p["plain_background_prob"]:
        level = pick(rng, [rng.uniform(200, 255), rng.uniform(90, 200), rng.uniform(0, 60)])
        bg_colour = np.clip(level + rng.normal(0, 10, 3), 0, 255).astype(np.float32)
    else:
        bg_colour = rng.uniform(0, 255, 3).astype(np.float32)
    image = np.broadcast_to(bg_colour, (c.out_h, c.out_w, 3)).astype(np.float32)
    c.relief = rng.random() < p["relief_prob"]  # carved or embossed: into a surface (a texture), never into a photo
    if not c.relief and rng.random() < p["photo_background_prob"]:
        blend = rng.uniform(*p["photo_blend"])
        image = image * (1 - blend) + texture_patch(rng, c.out_w, c.out_h, photo_bank()) * 255 * blend
    elif rng.random() < p["texture_prob"]:
        blend = rng.uniform(*p["texture_blend"])
        image = image * (1 - blend) + texture_patch(rng, c.out_w, c.out_h) * 255 * blend
    c.image = image


def paint_ink(c: Crop) -> None:
    """Shadow, border and text in colours that stand out, or carved letters; then a texture over it all."""
    rng, p, image, masks = c.rng, c.p, c.image, c.masks
    bg_lum = luminance(image.reshape(-1, 3).mean(axis=0))
    fg = contrasting_colour(rng, bg_lum, p["min_contrast"], p["plain_text_colour_prob"])
    text_m, border_m, shadow_m = masks[..., 0:1], masks[..., 1:2], masks[..., 2:3]
    if c.relief:  # no ink, no border, no shadow: only the surface, lit and shaded
        image = relief(image, masks[..., 0], rng, p)
    else:
        if shadow_m.any():
            dark = contrasting_colour(rng, luminance(fg), p["min_contrast"], 1.0)
            image += (dark - image) * shadow_m * rng.uniform(*p["shadow_opacity"])
        if c.stroke:
            border = contrasting_colour(rng, luminance(fg), p["min_contrast"], 0.3)
            image += (border - image) * border_m
        image += (fg - image) * text_m
    blend = rng.uniform(*p["image_blend"])
    if blend > 0:
        image = image * (1 - blend) + texture_patch(rng, c.out_w, c.out_h) * 255 * blend
    c.image = image


def blur(c: Crop) -> None:
    """Sometimes a Gaussian blur, sometimes a low-resolution look (shrunk and enlarged back)."""
    rng, p = c.rng, c.p
    if rng.random() < p["blur_prob"]:
        c.image = cv2.GaussianBlur(c.image, (0, 0), rng.uniform(*p["blur_sigma"]))
    if rng.random() < p["resample_prob"]:
        scale = rng.uniform(*p["resample_scale"])
        small = cv2.resize(c.image, (max(1, int(c.out_w * scale)), max(1, int(c.out_h * scale))),
                           interpolation=cv2.INTER_AREA)
        c.image = cv2.resize(small, (c.out_w, c.out_h), interpolation=cv2.INTER_LINEAR)


def photograph(c: Crop) -> None:
    """What a phone camera does (`effects.camera`)."""
    c.image = camera(c.image, c.rng, c.p)


def add_noise(c: Crop) -> None:
    """Sometimes Gaussian noise (JPEG compression comes when the crop is encoded)."""
    if c.rng.random() < c.p["noise_prob"]:
        c.image = c.image + c.rng.normal(0, c.rng.uniform(*c.p["noise_sigma"]), c.image.shape).astype(np.float32)


# The steps of `render_word`, in the order they run (and draw from the random generator).
RENDER_STEPS: tuple[tuple[str, Callable[[Crop], None]], ...] = (
    ("font", choose_font),
    ("text", draw_text),
    ("neighbours", draw_neighbours),
    ("shadow", draw_shadow),
    ("bend", bend),
    ("warp", distort),
    ("crop", crop_and_resize),
    ("background", paint_background),
    ("ink", paint_ink),
    ("blur", blur),
    ("camera", photograph),
    ("noise", add_noise),
)


def render_word(text: str, font_path: str | os.PathLike, rng: np.random.Generator,
                height: int | None = None, params: dict | None = None) -> Image.Image:
    """Render one word crop as MJSynth would: an RGB image `height` px high at the word's width.

    `params` overrides entries of `AUGMENT`. Raises ValueError when the font cannot
    draw a character of `text` (see `font_covers`) instead of drawing tofu.
    """
    p = {**AUGMENT, **(params or {})}
    if not text or not font_covers(font_path, text):
        missing = sorted(set(text) - font_charset(font_path)) if text else []
        raise ValueError(f"the font {Path(font_path).name!r} cannot draw {missing or 'an empty text'} in {text!r}")
    crop = Crop(text, font_path, rng, p, height)
    for _, step in RENDER_STEPS:
        step(crop)
    return Image.fromarray(np.clip(crop.image, 0, 255).round().astype(np.uint8), "RGB")
