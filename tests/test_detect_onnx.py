"""The ONNX Runtime CRAFT: the same weights, maps and boxes as keras-ocr's, read and built without torch.

The real detectors (keras-ocr's, ours in float32 and in int8) are built once per
session; they are compared on a generated scene and on an odd-sized cut of it,
where rounding in the pooling and upsampling layers would show.
"""
from __future__ import annotations

import pickle
import subprocess

import numpy as np
import pytest

from ocr_lab import detect, detect_onnx
from ocr_lab.scenes import make_scene, polygon_iou


@pytest.fixture(scope="session")
def keras_craft():
    return detect.load_detector()


@pytest.fixture(scope="session")
def onnx_craft():
    return detect_onnx.load_onnx_detector("float32")


@pytest.fixture(scope="session")
def int8_craft():
    return detect_onnx.load_onnx_detector("int8")


# ----------------------------------------------------------------------------- reading the weights

def test_weights_read_without_torch_equal_torch_load():
    torch = pytest.importorskip("torch")
    path = detect.checked_weights_path()
    ours = detect_onnx.read_torch_weights(path)
    theirs = torch.load(path, map_location="cpu")
    assert list(ours) == list(theirs)
    for name, tensor in theirs.items():
        np.testing.assert_array_equal(ours[name], tensor.numpy(), err_msg=name)


def test_strided_and_shared_tensors_are_rebuilt(tmp_path):
    torch = pytest.importorskip("torch")
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    state = {"a.weight": base.t(), "a.bias": base[1, 2:5], "b.running_mean": torch.arange(3, dtype=torch.int64)}
    torch.save(state, tmp_path / "w.pth", _use_new_zipfile_serialization=False)  # the format of clovaai's file
    read = detect_onnx.read_torch_weights(tmp_path / "w.pth")
    for name, tensor in state.items():
        np.testing.assert_array_equal(read[name], tensor.numpy(), err_msg=name)


def test_a_file_with_code_in_it_is_refused(tmp_path):
    """The reader unpickles a state dict only: a pickle that would call a function is refused, not run."""
    path = tmp_path / "evil.pth"
    with path.open("wb") as f:
        for header in (detect_onnx._TORCH_LEGACY_MAGIC, 1001, {}):
            pickle.dump(header, f, protocol=2)
        pickle.dump({"x": subprocess.Popen}, f, protocol=4)  # a reference to a callable, as an exploit would hold
    with pytest.raises(ValueError, match="tensors only, not subprocess.Popen"):
        detect_onnx.read_torch_weights(path)


def test_a_file_in_another_format_is_refused(tmp_path):
    path = tmp_path / "notes.pth"
    pickle.dump("not weights", path.open("wb"))
    with pytest.raises(ValueError, match="not a PyTorch weights file"):
        detect_onnx.read_torch_weights(path)


# ----------------------------------------------------------------------------- same maps, same boxes

CUTS = pytest.mark.parametrize("cut", [None, (3, 5, 600, 418)], ids=["640x480", "odd 597x413"])


def scene_pixels(cut=None) -> np.ndarray:
    """A generated 640x480 scene with words, or an odd-sized cut of it (CRAFT pads to a multiple of 32)."""
    image = make_scene(8).image
    return np.asarray(image.crop(cut) if cut else image)


@CUTS
def test_onnx_maps_and_boxes_match_keras_ocr(keras_craft, onnx_craft, cut):
    pixels = scene_pixels(cut)
    keras_maps, onnx_maps = keras_craft.predict_maps(pixels), onnx_craft.predict_maps(pixels)
    assert onnx_maps.shape == keras_maps.shape == (1, pixels.shape[0] // 2, pixels.shape[1] // 2, 2)
    np.testing.assert_allclose(onnx_maps, keras_maps, atol=1e-4)
    keras_boxes, onnx_boxes = keras_craft.detect([pixels])[0], onnx_craft.detect([pixels])[0]
    assert len(onnx_boxes) == len(keras_boxes) >= 5
    for box in keras_boxes:
        assert max(polygon_iou(box, other) for other in onnx_boxes) > 0.98


@CUTS
def test_int8_boxes_are_close_to_keras_ocrs(keras_craft, int8_craft, cut):
    pixels = scene_pixels(cut)
    np.testing.assert_allclose(int8_craft.predict_maps(pixels), keras_craft.predict_maps(pixels), atol=0.15)
    keras_boxes, int8_boxes = keras_craft.detect([pixels])[0], int8_craft.detect([pixels])[0]
    assert abs(len(int8_boxes) - len(keras_boxes)) <= 1
    ious = [max(polygon_iou(box, other) for other in int8_boxes) for box in keras_boxes]
    assert sum(iou > 0.8 for iou in ious) >= len(keras_boxes) - 1, np.round(ious, 2)


def test_the_int8_ranges_cover_every_tensor_of_the_graph():
    """A renamed layer in craft_graph would be quantized without a range: the calibration must be redone."""
    import json

    graph = detect_onnx.craft_graph(detect_onnx.read_torch_weights(detect.checked_weights_path())).graph
    ranges = json.loads(detect_onnx.INT8_RANGES.read_text())["data"]
    conv_inputs = {n.input[0] for n in graph.node if n.op_type == "Conv"}
    assert conv_inputs <= set(ranges), sorted(conv_inputs - set(ranges))


def test_an_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="precision must be one of"):
        detect_onnx.load_onnx_detector("float16")


def test_tiny_images_are_padded_for_onnx_too(onnx_craft):
    assert onnx_craft.detect([np.full((20, 30, 3), 255, np.uint8)])[0].shape[0] == 0


def test_the_onnx_detector_is_built_once_and_int8_is_the_pipelines_default(int8_craft):
    from ocr_lab.pipeline import OCRPipeline

    assert detect_onnx.load_onnx_detector() is int8_craft
    assert OCRPipeline(recognizer=object()).detector is int8_craft


def test_building_the_onnx_detector_imports_neither_torch_nor_tensorflow(kit):
    done = kit.fresh_python("from ocr_lab.detect_onnx import load_onnx_detector\nload_onnx_detector()\n")
    assert done.returncode == 0, done.stderr[-3000:]
    assert not {"torch", "tensorflow", "keras_ocr"} & set(done.heavy), done.heavy


# ----------------------------------------------------------------------------- the int8 graph, kept between runs

def cached(folder):
    return sorted(folder.glob("craft_int8-*.onnx"))


@pytest.fixture
def counted_builds(tmp_path, monkeypatch):
    """An empty cache folder, and the list of times the int8 graph was built (quantized) instead of read."""
    monkeypatch.setenv("OCR_LAB_CACHE", str(tmp_path / "cache"))
    builds, quantize = [], detect_onnx.quantize
    monkeypatch.setattr(detect_onnx, "quantize", lambda model: builds.append(1) or quantize(model))
    return builds


def test_the_int8_graph_is_built_once_then_read_from_the_cache(counted_builds, tmp_path):
    first = detect_onnx.int8_model()
    assert counted_builds == [1] and len(cached(tmp_path / "cache")) == 1
    assert detect_onnx.int8_model() == first and counted_builds == [1]


def test_a_damaged_cached_graph_is_removed_and_built_again(counted_builds, tmp_path):
    first = detect_onnx.int8_model()
    [path] = cached(tmp_path / "cache")
    path.write_bytes(first[: len(first) // 2])  # a half-written copy, as after a full disk
    assert detect_onnx.int8_model() == first and counted_builds == [1, 1]
    assert [p.read_bytes() == first for p in cached(tmp_path / "cache")] == [True]


def test_without_a_writable_cache_the_graph_is_built_every_time(counted_builds, tmp_path, monkeypatch):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a learner's file")
    monkeypatch.setenv("OCR_LAB_CACHE", str(blocker / "cache"))  # under a file: the folder cannot be made
    assert detect_onnx.int8_model() == detect_onnx.int8_model() and counted_builds == [1, 1]
    assert blocker.read_text() == "a learner's file"


def test_the_cache_key_changes_with_what_the_graph_is_made_of(monkeypatch):
    import onnxruntime

    key = detect_onnx._int8_key()
    assert detect_onnx._int8_key() == key
    monkeypatch.setattr(onnxruntime, "__version__", onnxruntime.__version__ + ".post1")
    assert detect_onnx._int8_key() != key


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    from ocr_lab.files import cache_dir

    monkeypatch.setenv("OCR_LAB_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("OCR_LAB_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "ocr_lab"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "ocr_lab"


def test_garbage_that_passes_the_caches_checksum_is_rebuilt_with_a_note(counted_builds, tmp_path, capsys):
    """Any file under the cache's name that ONNX Runtime cannot load: it is a cache, so build it again and say so."""
    import hashlib

    first = detect_onnx.int8_model()
    [path] = cached(tmp_path / "cache")
    garbage = b"not an ONNX graph at all"
    key = path.stem.split("-")[1]
    path.unlink()
    bad = path.with_name(f"craft_int8-{key}-{hashlib.sha256(garbage).hexdigest()[:16]}.onnx")
    bad.write_bytes(garbage)
    detect_onnx._build_onnx_detector.cache_clear()
    try:
        detector = detect_onnx.load_onnx_detector()
    finally:
        detect_onnx._build_onnx_detector.cache_clear()  # the others' detector is the real cache's
    assert detector.detect([np.full((64, 64, 3), 255, np.uint8)])[0].shape[0] == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and "built again" in err
    assert [p.read_bytes() == first for p in cached(tmp_path / "cache")] == [True]
