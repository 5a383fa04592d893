"""Effects: the layers of a word (text, border, shadow) and what is done to them, one function each.

Taught in notebook 01. `render.render_word` applies them in order (`render.RENDER_STEPS`).
Each takes the random generator and the recipe `p` (`recipe.AUGMENT` with overrides) and
draws only what it needs, so a seed gives the same crop as long as the order stays.
"""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr_lab.synth.fonts import font_covers
from ocr_lab.synth.text import lexicon_by_length, pick, random_case

def luminance(rgb: np.ndarray) -> float:
    return float(np.dot(rgb, [0.299, 0.587, 0.114]))


def contrasting_colour(rng: np.random.Generator, against: float, min_contrast: float, plain_prob: float):
    """A colour (0..255) whose luminance differs from `against` by at least `min_contrast`."""
    for _ in range(20):
        if rng.random() < plain_prob:
            level = rng.uniform(0, 50) if rng.random() < 0.5 else rng.uniform(205, 255)
            colour = np.clip(level + rng.normal(0, 8, 3), 0, 255)
        else:
            colour = rng.uniform(0, 255, 3)
        if abs(luminance(colour) - against) >= min_contrast:
            return colour.astype(np.float32)
    return np.full(3, 0.0 if against > 127 else 255.0, np.float32)


SUPERSCRIPT_SCALE = 0.6  # size of raised letters ("3rd"), in font sizes


def _layout(text: str, font: ImageFont.FreeTypeFont, spacing: float,
            raised: tuple[int, int] | None) -> list[tuple[str, float, float, ImageFont.FreeTypeFont]]:
    """Where each piece of `text` is drawn: (piece, x, y shift, font).

    The whole text is one piece (so the font's kerning applies) unless letters are spaced
    out, then every character is one. `raised` = (start, end) draws text[start:end] smaller
    with its top at the top of the digits, as the "rd" of "3rd Ave".
    """
    start, end = raised or (len(text), len(text))
    small = font.font_variant(size=max(6, round(font.size * SUPERSCRIPT_SCALE))) if raised else font
    lift = font.getbbox("8")[1] - small.getbbox(text[start:end])[1] if raised else 0.0
    pieces, x = [], 0.0
    for run, run_font, dy in ((text[:start], font, 0.0), (text[start:end], small, lift), (text[end:], font, 0.0)):
        for piece in (list(run) if spacing else [run] if run else []):
            pieces.append((piece, x, dy, run_font))
            x += run_font.getlength(piece) + spacing
    return pieces


def text_layers(text: str, font: ImageFont.FreeTypeFont, stroke: int, spacing: float,
                 underline: bool, pad: int, raised: tuple[int, int] | None = None) -> np.ndarray:
    """Masks (H, W, 2) uint8 of the text and of the text plus its border, with `pad` px of margin."""
    pieces = _layout(text, font, spacing, raised)
    boxes = [f.getbbox(piece, stroke_width=stroke) for piece, _, _, f in pieces]
    left = min(b[0] + x for b, (_, x, _, _) in zip(boxes, pieces))
    top = min(b[1] + dy for b, (_, _, dy, _) in zip(boxes, pieces))
    right = max(b[2] + x for b, (_, x, _, _) in zip(boxes, pieces))
    bottom = max(b[3] + dy for b, (_, _, dy, _) in zip(boxes, pieces))
    ascent, descent = font.getmetrics()
    underline_y = ascent + max(2, descent // 3)
    bottom = max(bottom, underline_y + stroke + 3) if underline else bottom
    size = (int(np.ceil(right - left)) + 2 * pad, int(np.ceil(bottom - top)) + 2 * pad)
    layers = []
    for width in sorted({0, stroke}):
        img = Image.new("L", size, 0)
        draw = ImageDraw.Draw(img)
        for piece, x, dy, piece_font in pieces:
            draw.text((pad - left + x, pad - top + dy), piece, font=piece_font, fill=255, stroke_width=width,
                      stroke_fill=255)
        if underline:
            thickness = max(1, font.size // 16) + width
            y = pad - top + underline_y
            draw.rectangle([pad - left, y - thickness // 2, size[0] - pad, y + thickness - thickness // 2], fill=255)
        layers.append(np.asarray(img))
    return np.stack([layers[0], layers[-1]], axis=-1)


def warp(masks: np.ndarray, rng: np.random.Generator, p: dict, text_height: float) -> np.ndarray:
    """Rotation, an italic shear and a projective distortion around the middle of the canvas.

    Mostly slight; a tail of crops is turned and skewed as steeply as words on signs
    photographed from the side are.
    """
    h, w = masks.shape[:2]
    sd = p["rotation_tail"] if rng.random() < p["rotation_tail_prob"] else p["rotation"]
    angle = np.deg2rad(np.clip(rng.normal(0, sd), -2.5 * sd, 2.5 * sd))
    jitter_sd = p["perspective_tail"] if rng.random() < p["perspective_tail_prob"] else p["perspective"]
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    centre = np.float32([w / 2, h / 2])
    rot = np.float32([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    jitter = rng.normal(0, jitter_sd * text_height, (4, 2)).astype(np.float32)
    shear = rng.uniform(*p["shear"]) if rng.random() < p["shear_prob"] else 0.0  # italic slant
    sheared = corners + np.float32([[1, 0], [1, 0], [-1, 0], [-1, 0]]) * (shear * h / 2)  # top right, bottom left
    target = ((sheared - centre) @ rot.T + centre + jitter).astype(np.float32)
    # Keep the whole warped canvas in view: a steep turn would otherwise cut the word's ends off.
    shift = -target.min(axis=0)
    target += shift
    out_w, out_h = (int(np.ceil(v)) for v in target.max(axis=0))
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(masks, matrix, (max(out_w, 1), max(out_h, 1)), flags=cv2.INTER_LINEAR, borderValue=0)


def curve(masks: np.ndarray, rng: np.random.Generator, p: dict, text_height: float) -> np.ndarray:
    """Bend the baseline: an arc (a logo, a round sign) or a wave (a flag, a bottle label).

    Each column moves up or down by a smooth function of x; the canvas grows so nothing is cut.
    """
    h, w = masks.shape[:2]
    amplitude = rng.uniform(*p["curve_amplitude"]) * text_height * rng.choice([-1, 1])
    x = np.arange(w, dtype=np.float32) / max(w - 1, 1)
    if rng.random() < 0.6:  # arc: ends up (or down), middle down (or up)
        offset = amplitude * (1 - (2 * x - 1) ** 2)
    else:  # wave: one or two periods
        offset = amplitude * np.sin(2 * np.pi * rng.uniform(0.5, 1.5) * x + rng.uniform(0, 2 * np.pi))
    offset -= offset.min()
    grow = int(np.ceil(offset.max()))
    map_x = np.tile(np.arange(w, dtype=np.float32), (h + grow, 1))
    map_y = np.arange(h + grow, dtype=np.float32)[:, None] - offset[None, :]
    return cv2.remap(masks, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def circle(masks: np.ndarray, rng: np.random.Generator, p: dict) -> np.ndarray:
    """Set the word on a circle: over the top, letters leaning out, or under the bottom, leaning in.

    Unlike `curve`, which only moves columns up and down, every letter turns with the circle,
    as on a round badge or logo. The canvas's middle row becomes an arc of `circle_span`
    degrees (less for a short word, so the circle's inner edge stays outside the canvas).
    """
    h, w = masks.shape[:2]
    span = min(np.deg2rad(rng.uniform(*p["circle_span"])), 1.6 * w / h)
    radius = w / span  # of the middle row: the word keeps its length along it
    over_the_top = rng.random() < p["circle_over_prob"]
    # Output pixels, relative to the circle's centre, over the box of the ring sector.
    angles = np.linspace(-span / 2, span / 2, 64)
    radii = np.array([[radius - h / 2], [radius + h / 2]])
    xs, ys = np.sin(angles) * radii, np.cos(angles) * radii * (-1 if over_the_top else 1)
    left, top = np.float32(xs.min()), np.float32(ys.min())
    width, height = int(np.ceil(xs.max() - xs.min())) + 2, int(np.ceil(ys.max() - ys.min())) + 2
    xx, yy = np.meshgrid(np.arange(width, dtype=np.float32) + left, np.arange(height, dtype=np.float32) + top)
    r = np.hypot(xx, yy)
    if over_the_top:  # the letters' tops on the outer edge, reading clockwise
        angle, src_y = np.arctan2(xx, -yy), radius + h / 2 - r
    else:  # their tops on the inner edge, reading anticlockwise
        angle, src_y = np.arctan2(xx, yy), r - (radius - h / 2)
    src_x = (angle / span + 0.5) * w
    return cv2.remap(masks, src_x.astype(np.float32), src_y.astype(np.float32), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def _ink_rows(mask: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero(mask.max(axis=-1).any(axis=1) if mask.ndim == 3 else mask.any(axis=1))
    return (int(rows[0]), int(rows[-1]) + 1) if len(rows) else (0, mask.shape[0])


def add_neighbours(masks: np.ndarray, font: ImageFont.FreeTypeFont, font_path, rng: np.random.Generator,
                    p: dict, stroke: int, pad: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Lines of other text above and / or below the word, as on a sign or a page.

    Returns the taller masks and the rows of the word itself, so the crop is still made
    around the word and shows only a slice of its neighbours (`neighbour_visible`). Half
    the time (`neighbour_word_prob`) a neighbour is one upper-case word centred over
    the word, as the lines of a sign are ("HOTEL / GRAND / PACIFIC").
    """
    word_top, word_bottom = _ink_rows(masks)
    pieces, where = [], pick(rng, ["above", "below", "both"])
    for side in ("above", "below"):
        if where not in (side, "both"):
            continue
        sign = rng.random() < p["neighbour_word_prob"]  # one centred word, as on a sign
        if sign:
            text = pick(rng, lexicon_by_length()[int(rng.integers(3, 10))]).upper()
        else:  # running text: words until the line holds about 14 characters
            words = []
            while sum(len(w) + 1 for w in words) < 14:
                words.append(random_case(pick(rng, lexicon_by_length()[int(rng.integers(3, 10))]), rng, (1, 1, 2)))
            text = " ".join(words)
        if not font_covers(font_path, text):
            continue
        line = text_layers(text, font, stroke, 0.0, False, pad=pad)
        top, bottom = _ink_rows(line)
        line = line[top:bottom]
        if sign:  # centred over the word: cut if wider, padded with nothing if narrower
            extra = line.shape[1] - masks.shape[1]
            if extra >= 0:
                line = line[:, extra // 2 : extra // 2 + masks.shape[1]]
            else:
                line = np.pad(line, ((0, 0), (-extra // 2, -extra - (-extra // 2)), (0, 0)))
            pieces.append((side, line))
            continue
        # The neighbour's width: tile or cut to the word's canvas, from a random start.
        reps = int(np.ceil(masks.shape[1] / max(line.shape[1], 1))) + 1
        line = np.concatenate([line] * reps, axis=1)
        start = int(rng.integers(0, line.shape[1] - masks.shape[1] + 1))
        pieces.append((side, line[:, start : start + masks.shape[1]]))
    if not pieces:
        return masks, (word_top, word_bottom)
    gap = int(rng.uniform(*p["neighbour_gap"]) * font.size)
    blank = np.zeros((gap, masks.shape[1], masks.shape[2]), masks.dtype)
    word = masks[word_top:word_bottom]
    above = [piece for side, piece in pieces if side == "above"]
    below = [piece for side, piece in pieces if side == "below"]
    rows = [masks[:word_top]] if not above else [np.zeros((pad, *masks.shape[1:]), masks.dtype), above[0], blank]
    start = sum(r.shape[0] for r in rows)
    rows += [word] + ([blank, below[0], np.zeros((pad, *masks.shape[1:]), masks.dtype)] if below else [masks[word_bottom:]])
    return np.concatenate(rows, axis=0), (start, start + word.shape[0])


def _disk_kernel(radius: float) -> np.ndarray:
    r = int(np.ceil(radius))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    kernel = (np.hypot(xx, yy) <= radius + 0.5).astype(np.float32)
    return kernel / kernel.sum()


def _line_kernel(length: int, angle: float) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return kernel / max(float(kernel.sum()), 1e-6)


def camera(image: np.ndarray, rng: np.random.Generator, p: dict) -> np.ndarray:
    """What a phone camera does to a word: defocus, motion blur, low resolution, uneven light, glare;
    and a double image and a thin bar in front of the word.

    Written with OpenCV rather than taken from albumentations (which does all of these): its
    OpenCV package would sit beside the opencv-python that keras-ocr's imgaug requires, two
    packages writing the same `cv2`; and imgaug's own weather effects fail on NumPy >= 1.24.
    The set follows straug (Atienza 2021, "Data augmentation for scene text recognition").
    """
    h, w = image.shape[:2]
    if rng.random() < p["ghost_prob"]:  # a double image, the copy shifted mostly up or down
        shift = rng.uniform(*p["ghost_offset"]) * h
        angle = rng.normal(np.pi / 2, 0.5) * rng.choice([-1, 1])
        move = np.float32([[1, 0, shift * np.cos(angle)], [0, 1, shift * np.sin(angle)]])
        copy = cv2.warpAffine(image, move, (w, h), borderMode=cv2.BORDER_REFLECT)
        opacity = rng.uniform(*p["ghost_opacity"])
        image = image * (1 - opacity) + copy * opacity
    if rng.random() < p["occluder_prob"]:  # a pole or a wire in front of the word
        x = int(rng.uniform(0.1, 0.9) * w)
        width = max(1, int(rng.uniform(*p["occluder_width"]) * h))
        image = image.copy()
        image[:, x : x + width] = rng.uniform(0, 255, 3).astype(np.float32)
    if rng.random() < p["defocus_prob"]:
        image = cv2.filter2D(image, -1, _disk_kernel(rng.uniform(*p["defocus_radius"])), borderType=cv2.BORDER_REFLECT)
    if rng.random() < p["motion_blur_prob"]:
        length = int(rng.integers(p["motion_blur_length"][0], p["motion_blur_length"][1] + 1))
        image = cv2.filter2D(image, -1, _line_kernel(length, rng.uniform(0, 180)), borderType=cv2.BORDER_REFLECT)
    if rng.random() < p["lowres_prob"]:
        small_h = int(rng.integers(p["lowres_height"][0], p["lowres_height"][1] + 1))
        small = cv2.resize(image, (max(1, round(w * small_h / h)), small_h), interpolation=cv2.INTER_AREA)
        image = cv2.resize(small, (w, h), interpolation=pick(rng, [cv2.INTER_LINEAR, cv2.INTER_CUBIC, cv2.INTER_NEAREST]))
    if rng.random() < p["lighting_prob"]:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        angle = rng.uniform(0, 2 * np.pi)
        ramp = xx / max(w, 1) * np.cos(angle) + yy / max(h, 1) * np.sin(angle)
        ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
        low = 1 - rng.uniform(*p["lighting_strength"])
        image = image * (low + (1 - low) * ramp)[..., None]
    if rng.random() < p["glare_prob"]:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cx, cy, radius = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.3, 1.0) * h
        blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2))[..., None]
        image = image + (255 - image) * blob * rng.uniform(*p["glare_strength"])
    return image


def shadow(silhouette: np.ndarray, rng: np.random.Generator, p: dict, size: int) -> np.ndarray:
    """The shadow layer of a text silhouette (uint8): the silhouette moved down and aside and softened, or
    (`extrude_prob`) swept all the way there, which draws the solid side of 3D block letters."""
    dx, dy = (rng.uniform(*p["shadow_offset"], 2) * size * rng.choice([-1, 1], 2)).round().astype(int)
    dy = abs(dy)  # light from above, as it usually is
    if rng.random() < p["extrude_prob"]:
        steps = max(abs(dx), dy, 1)
        shadow = silhouette.copy()
        for step in range(1, steps + 1):  # one px at a time, so the side has no gaps
            np.maximum(shadow, np.roll(silhouette, (round(dy * step / steps), round(dx * step / steps)), axis=(0, 1)),
                       out=shadow)
    else:
        shadow = np.roll(silhouette, (dy, dx), axis=(0, 1))
    sigma = rng.uniform(*p["shadow_blur"])
    return cv2.GaussianBlur(shadow, (0, 0), sigma) if sigma > 0.3 else shadow


def relief(image: np.ndarray, letters: np.ndarray, rng: np.random.Generator, p: dict) -> np.ndarray:
    """Letters carved into the surface or raised from it: they have the surface's colour and show only as
    light on the strokes' edges that face the light and shade on the others. A model that has learnt
    "text is ink of another colour" cannot read carved stone; this teaches it the edges are enough.

    `image` (H, W, 3) float 0-255, `letters` (H, W) float 0-1. The light comes from above, turned to
    either side (`relief_light`), so vertical strokes get edges too.
    """
    angle = np.radians(rng.uniform(-p["relief_light"], p["relief_light"]))
    depth = rng.uniform(*p["relief_depth"]) * image.shape[0]
    move = np.float32([[1, 0, depth * np.sin(angle)], [0, 1, depth * np.cos(angle)]])
    below = cv2.warpAffine(letters, move, letters.shape[::-1], flags=cv2.INTER_LINEAR, borderValue=0)
    facing_up = np.clip(letters - below, 0, 1)[..., None]  # a stroke's edge towards the light
    facing_down = np.clip(below - letters, 0, 1)[..., None]  # just past its edge away from the light
    carved = rng.random() < p["relief_carved_prob"]
    lit, shaded = (facing_down, facing_up) if carved else (facing_up, facing_down)
    strength = rng.uniform(*p["relief_strength"])
    image = image + (255 - image) * lit * strength - image * shaded * strength
    if carved:  # the floor of the cut is in shade
        image = image * (1 - letters[..., None] * rng.uniform(*p["relief_fill"]))
    return image
