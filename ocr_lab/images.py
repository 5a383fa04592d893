"""Images: how a photo or a word crop becomes what the models read.

Decoding bytes, turning a phone photo upright (EXIF), any PIL mode to 8-bit RGB, and
the lecture's resize-and-transpose for the CRNN. `ocr_lab.data` uses these for the
training crops and `ocr_lab.pipeline` for the crops it cuts from photos, so training and
inference prepare an image the same way. Nothing here imports TensorFlow: the `ocr`
command reads photos without it (see `ocr_lab.recognize_onnx`).
"""
from __future__ import annotations

import io

import numpy as np
from PIL import ExifTags, Image, ImageOps

from ocr_lab.labels import IMG_SIZE


def decode_image(imgbuf: bytes | None) -> Image.Image | None:
    """Decode image bytes to an upright RGB PIL image, or None when they cannot be decoded."""
    if not imgbuf:
        return None
    try:
        img = Image.open(io.BytesIO(imgbuf))
        img.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    if img.width == 0 or img.height == 0:
        return None
    return to_rgb(upright(img))


def frame_count(path) -> int:
    """How many frames (pages) an image file holds: more than 1 for an animated GIF or a multi-page TIFF.

    The pipeline reads the first frame, as a viewer shows it first; the `ocr` command says so
    when there are more (`ocr_lab.pipeline.ocr_files`). 1 for a file Pillow cannot open.
    """
    try:
        with Image.open(path) as img:
            return int(getattr(img, "n_frames", 1))
    except (OSError, ValueError, Image.DecompressionBombError):
        return 1


def upright(img: Image.Image) -> Image.Image:
    """The image the way a viewer shows it: with its EXIF orientation applied.

    Phones store many photos sideways and record "rotate me" in the EXIF orientation
    tag; every viewer obeys it, so the words a person sees (and the boxes they expect)
    are in that displayed frame. An image without the tag is returned as it is.
    """
    if img.getexif().get(ExifTags.Base.Orientation, 1) == 1:
        return img
    return ImageOps.exif_transpose(img)


def to_rgb(img: Image.Image) -> Image.Image:
    """Any PIL mode (L, LA, P, RGBA, I;16, I, F) to 8-bit RGB; transparency goes on a contrasting backdrop."""
    if img.mode == "RGB":
        return img
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        arr = (arr - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(arr)
        return Image.fromarray(arr.astype(np.uint8)).convert("RGB")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        background = Image.new("RGBA", img.size, backdrop(img))
        return Image.alpha_composite(background, img).convert("RGB")
    return img.convert("RGB")


def backdrop(rgba: Image.Image) -> tuple[int, int, int, int]:
    """White behind dark content, black behind light content: what transparent pixels become.

    Transparent pixels hold no picture, so any colour may show through them, but the
    choice decides whether the text stays visible: white text on a transparent
    background, put on white, disappears. The visible pixels' mean brightness
    (weighted by their opacity) says which of the two contrasts with them; dark ink,
    the usual case, keeps the white backdrop a scanned page would have.
    """
    arr = np.asarray(rgba, dtype=np.float32)
    alpha = arr[..., 3] / 255
    if alpha.sum() == 0:
        return (255, 255, 255, 255)
    brightness = float((arr[..., :3] @ np.float32([0.299, 0.587, 0.114]) * alpha).sum() / alpha.sum())
    return (0, 0, 0, 255) if brightness > 127.5 else (255, 255, 255, 255)


def preprocess_image(img: Image.Image, img_size: tuple[int, int] = IMG_SIZE) -> np.ndarray:
    """Resize to the model's height keeping the aspect ratio, at most `img_size[0]` wide.

    Returns a uint8 array of shape (width, height, 3): width first, as in the lecture,
    because the CRNN's time axis runs along the width. The caller pads to full width.
    """
    max_width, height = img_size
    img = to_rgb(upright(img))
    width = max(1, min(int(img.width * height / img.height), max_width))
    return np.asarray(img.resize((width, height), Image.BILINEAR), dtype=np.uint8).transpose(1, 0, 2)


# A crop this many times taller than wide is a word written or photographed sideways (a
# street sign on a pole, a book spine), or one narrow letter: it is read as it is and turned
# a quarter both ways, and the most confident reading wins (PaddleOCR turns such crops too).
# `ocr_lab.pipeline.recognize` does it for the crops it cuts, `ocr_lab.evaluate` for crop folders.
TALL_CROP_RATIO = 1.5


def is_tall(img: Image.Image) -> bool:
    return img.height > TALL_CROP_RATIO * img.width


def quarter_turns(img: Image.Image) -> list[Image.Image]:
    """The crop turned 90 degrees each way: the two readings a sideways word may need."""
    return [img.transpose(t) for t in (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270)]


# A crop about as tall as it is wide holds a short word (NO, GM, day) or a longer one set at a
# slant or along an arc: a round road sign, a badge, a logo. Squeezed into the CRNN's 32-pixel
# height as it is, a slanted word is unreadable, so when the upright reading is unsure (less
# than even odds, `TILT_BELOW`) the crop is also read turned by each of `TILT_ANGLES`, cut to a
# band through its middle as high as `TILT_BANDS` of its shorter side (where a word turned level
# lies), and the most confident reading wins. A short word read well keeps its reading, and no
# second look is paid for it. (The end-to-end pipeline's warped crops are levelled by the
# detector's boxes already; crops cut by hand or by an axis-aligned box are not.)
SQUARE_CROP_RATIO = 1.6  # at most this many times wider than tall, and not tall (`is_tall`)
TILT_ANGLES = (-60, -45, -30, -15, 15, 30, 45, 60)  # degrees, counter-clockwise
TILT_BANDS = (0.5, 0.75)
TILT_BELOW = 0.5


def is_squarish(img: Image.Image) -> bool:
    return img.width < SQUARE_CROP_RATIO * img.height and not is_tall(img)


def tilted_views(img: Image.Image) -> list[Image.Image]:
    """`len(TILT_ANGLES) * len(TILT_BANDS)` views of a crop: turned by each angle, then a band cut through its middle.

    The corners a turn uncovers are filled with the crop's mean colour, so they read as background.
    """
    img = to_rgb(img)
    side = min(img.size)
    mean = tuple(int(v) for v in np.asarray(img).reshape(-1, 3).mean(0))
    views = []
    for angle in TILT_ANGLES:
        turned = img.rotate(angle, resample=Image.BILINEAR, expand=True, fillcolor=mean)
        for band in TILT_BANDS:
            height = max(4, int(side * band))
            top = (turned.height - height) // 2
            views.append(turned.crop((0, top, turned.width, top + height)))
    return views
