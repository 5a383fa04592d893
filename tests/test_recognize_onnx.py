"""The ONNX Runtime CRNN: the same softmax and the same words as the Keras model, for every config.

The shipped checkpoints are compared on word crops cut from generated scenes (and on
the real crops of ../shared/real_dev when that folder is there, or $OCR_LAB_REAL_DEV);
the lecture config, which ships no checkpoint, on a randomly initialised model.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import h5py
import numpy as np
import pytest

from ocr_lab.decode import greedy_decode
from ocr_lab.detect import crop_boxes
from ocr_lab.evaluate import load_eval_data
from ocr_lab.pipeline import _batch
from ocr_lab.recognize_onnx import crnn_graph, load_onnx_recognizer, read_checkpoint
from ocr_lab.scenes import make_scenes
from ocr_lab.checkpoint import CONFIG_ATTR, PROJECT_ROOT, load_recognizer, save_recognizer

CHECKPOINTS = PROJECT_ROOT / "checkpoints"
REAL_DEV = Path(os.environ.get("OCR_LAB_REAL_DEV", PROJECT_ROOT.parent / "shared" / "real_dev"))
TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def scene_crops() -> np.ndarray:
    """The words of 4 generated scenes (held-out fonts), cut out along their true boxes, as one batch."""
    crops = []
    for scene in make_scenes(4, seed=3000):
        crops += crop_boxes(scene.image, np.float32([w.box for w in scene.words]), "warp")
    return _batch(crops, (100, 32))


def same_readings(keras_recognizer, onnx_recognizer, images):
    expected, got = keras_recognizer.predict(images), onnx_recognizer.predict(images)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=TOLERANCE, rtol=0)
    chars = keras_recognizer.characters
    assert greedy_decode(got, chars)[0] == greedy_decode(expected, chars)[0]
    return greedy_decode(expected, chars)[0]


@pytest.mark.parametrize("name, steps", [("crnn_wide.h5", 49), ("crnn_small.h5", 24)])
def test_shipped_checkpoints_read_as_the_keras_model_does(name, steps, scene_crops):
    keras_recognizer, onnx_recognizer = load_recognizer(CHECKPOINTS / name), load_onnx_recognizer(CHECKPOINTS / name)
    assert onnx_recognizer.time_steps == keras_recognizer.time_steps == steps
    assert (onnx_recognizer.characters, onnx_recognizer.img_size) == (keras_recognizer.characters, keras_recognizer.img_size)
    texts = same_readings(keras_recognizer, onnx_recognizer, scene_crops)
    assert len(scene_crops) >= 20 and sum(map(bool, texts)) >= len(texts) // 2  # trained: it reads words
    if REAL_DEV.is_dir():
        real = load_eval_data(REAL_DEV, keras_recognizer.characters, keras_recognizer.img_size, time_steps=steps)
        same_readings(keras_recognizer, onnx_recognizer, np.asarray(real.images, np.float32))


def test_the_lecture_config_reads_as_its_keras_model_does(tmp_path, scene_crops):
    """Batch norm after convs 5 and 6 only, 256-unit LSTMs, not unrolled: built from random weights."""
    import tf_keras as keras

    from ocr_lab.model import build_crnn_model

    keras.utils.set_random_seed(1)
    _, model_pred = build_crnn_model(config="lecture")
    for layer in model_pred.layers:  # batch norm statistics that are not 0 and 1, so a mistake in them shows
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.gamma.shape[0]
            rng = np.random.default_rng(n)
            layer.set_weights([rng.uniform(0.5, 1.5, n), rng.normal(0, 0.1, n), rng.normal(0, 0.1, n),
                               rng.uniform(0.5, 2.0, n)])
    path = save_recognizer(model_pred, tmp_path / "lecture.h5", config="lecture")
    same_readings(load_recognizer(path), load_onnx_recognizer(path), scene_crops[:8])


def test_batches_larger_than_batch_size_are_read_in_parts(scene_crops):
    recognizer = load_onnx_recognizer(CHECKPOINTS / "crnn_small.h5")
    whole = recognizer.predict(scene_crops[:10])
    np.testing.assert_allclose(recognizer.predict(scene_crops[:10], batch_size=3), whole, atol=1e-6)
    assert recognizer.predict(scene_crops[:0]).shape == (0, 24, 37)


def test_weights_that_do_not_fit_the_config_are_refused(tmp_path):
    path = tmp_path / "edited.h5"
    shutil.copy(CHECKPOINTS / "crnn_small.h5", path)
    with h5py.File(path, "a") as f:
        cfg = json.loads(f.attrs[CONFIG_ATTR])
        cfg["model_params"]["conv_filters"][6] = 128
        f.attrs[CONFIG_ATTR] = json.dumps(cfg)
    with pytest.raises(ValueError, match=r"weights in .*edited\.h5.* do not fit .*conv 7 .*96 filters"):
        load_onnx_recognizer(path)


def test_a_corrupt_checkpoint_is_refused_by_its_checksum(tmp_path):
    path = tmp_path / "damaged.h5"
    shutil.copy(CHECKPOINTS / "crnn_small.h5", path)
    with h5py.File(path, "a") as f:
        kernel = f["logits/logits/kernel:0"]
        kernel[0, 0] = kernel[0, 0] + 1.0
    with pytest.raises(ValueError, match=r"damaged\.h5.* do not match the checksum"):
        load_onnx_recognizer(path)


def test_the_lstm_gates_are_reordered_for_onnx():
    """Keras stores gates i, f, c, o; ONNX wants i, o, f, c: a graph with one LSTM weight per gate shows the order."""
    cfg, weights = read_checkpoint(CHECKPOINTS / "crnn_small.h5")
    (kernel, recurrent, bias), _ = weights.lstms[0]
    hidden = recurrent.shape[0]
    model = crnn_graph(cfg["model_params"], weights, cfg["characters"])
    onnx_bias = next(t for t in model.graph.initializer if t.name == "lstm0.B")
    from onnx import numpy_helper

    forward = numpy_helper.to_array(onnx_bias)[0]
    i, f, c, o = np.split(bias, 4)
    np.testing.assert_array_equal(forward[: 4 * hidden], np.concatenate([i, o, f, c]))
    np.testing.assert_array_equal(forward[4 * hidden:], 0)


def test_the_wide128_config_reads_as_its_keras_model_does(tmp_path, scene_crops):
    """128-unit LSTMs, grown from the shipped wide checkpoint, then every weight moved a little so
    the new units (silent right after growing) take part."""
    from ocr_lab.model import build_crnn_model, grow_weights

    _, model_pred = build_crnn_model(config="wide128")
    grow_weights(load_recognizer(CHECKPOINTS / "crnn_wide.h5").model, model_pred)
    rng = np.random.default_rng(5)
    model_pred.set_weights([w + rng.normal(0, 0.01, w.shape).astype(w.dtype) if w.ndim > 1 else w
                            for w in model_pred.get_weights()])
    path = save_recognizer(model_pred, tmp_path / "wide128.h5", config="wide128")
    same_readings(load_recognizer(path), load_onnx_recognizer(path), scene_crops[:8])


def test_the_rectification_stage_reads_as_its_keras_model_does(tmp_path, scene_crops):
    """wide_tps (a thin-plate spline in front, ONNX's GridSample), its fiducial points moved off the
    identity so the spline bends the crops."""
    import tf_keras as keras

    from ocr_lab.model import build_crnn_model, grow_weights

    keras.utils.set_random_seed(6)  # the localisation network's random weights bend the crops: the same ones every run
    _, model_pred = build_crnn_model(config="wide_tps")
    grow_weights(load_recognizer(CHECKPOINTS / "crnn_wide.h5").model, model_pred)
    points = model_pred.get_layer("rectify_points")
    rng = np.random.default_rng(6)
    kernel, bias = points.get_weights()
    points.set_weights([rng.normal(0, 0.002, kernel.shape).astype(np.float32),
                        bias + rng.normal(0, 0.01, bias.shape).astype(np.float32)])
    path = save_recognizer(model_pred, tmp_path / "wide_tps.h5", config="wide_tps")
    same_readings(load_recognizer(path), load_onnx_recognizer(path), scene_crops[:8])


def test_reading_a_rectification_checkpoint_with_onnx_imports_no_tensorflow(kit):
    """The spline's constants come from `ocr_lab.rectify` (NumPy), not `ocr_lab.model`: the ONNX path
    exists so that `ocr` reads without loading TensorFlow, and a `wide_tps` file must keep it so."""
    done = kit.fresh_python(f"""
        import numpy as np
        from ocr_lab.recognize_onnx import load_onnx_recognizer
        recognizer = load_onnx_recognizer({str(CHECKPOINTS / "crnn_cased_tps.h5")!r})
        print(recognizer.predict(np.full((1, 100, 32, 3), 255, np.float32)).shape)
    """)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "(1, 49, 75)"
    assert done.heavy == ["onnxruntime"]


# ----------------------------------------------------------------------------- another charset

@pytest.fixture(scope="module")
def cased_checkpoint(tmp_path_factory):
    """A tiny cased model (74 characters, 75 classes) of random weights, its logits nudged towards 'x'."""
    import tf_keras as keras

    from ocr_lab.labels import CASED_CHARACTERS
    from ocr_lab.model import build_crnn_model

    keras.utils.set_random_seed(2)
    _, model_pred = build_crnn_model(characters=CASED_CHARACTERS, config="small")
    logits = model_pred.get_layer("logits")
    kernel, bias = logits.get_weights()
    bias[1 + CASED_CHARACTERS.index("x")] += 20.0  # every step reads 'x': the crop reads "x", in lower case
    logits.set_weights([kernel * 0.01, bias])
    return save_recognizer(model_pred, tmp_path_factory.mktemp("cased") / "cased.h5", CASED_CHARACTERS, config="small")


def test_a_cased_checkpoint_reads_as_its_keras_model_does(cased_checkpoint, scene_crops):
    from ocr_lab.labels import CASED_CHARACTERS

    keras_recognizer, onnx_recognizer = load_recognizer(cased_checkpoint), load_onnx_recognizer(cased_checkpoint)
    assert onnx_recognizer.characters == keras_recognizer.characters == CASED_CHARACTERS  # from the file
    assert onnx_recognizer.predict(scene_crops[:2]).shape == (2, 24, len(CASED_CHARACTERS) + 1)
    assert onnx_recognizer.predict(scene_crops[:0]).shape == (0, 24, len(CASED_CHARACTERS) + 1)
    assert set(same_readings(keras_recognizer, onnx_recognizer, scene_crops[:8])) == {"x"}


def test_ocr_prints_a_cased_models_text_as_it_reads_it(cased_checkpoint, tmp_path, monkeypatch, capsys):
    from PIL import Image

    from ocr_lab import detect_onnx
    from ocr_lab.cli import main

    class OneBox:
        def detect(self, images):
            return [np.float32([[[10, 10], [90, 10], [90, 40], [10, 40]]]) for _ in images]

    monkeypatch.setattr(detect_onnx, "load_onnx_detector", lambda: OneBox())
    photo = tmp_path / "photo.png"
    Image.new("RGB", (200, 100), "white").save(photo)
    assert main(["ocr", str(photo), "--out", str(tmp_path / "out"), "--checkpoint", str(cased_checkpoint),
                 "--min-confidence", "0", "--lexicon", "none"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [w["text"] for w in printed[0]["words"]] == ["x"]
    assert [w["text"] for w in json.loads((tmp_path / "out" / "photo.json").read_text())["words"]] == ["x"]


def test_a_charset_that_does_not_fit_the_output_layer_is_refused(cased_checkpoint, tmp_path):
    path = tmp_path / "relabelled.h5"
    shutil.copy(cased_checkpoint, path)
    with h5py.File(path, "a") as f:
        cfg = json.loads(f.attrs[CONFIG_ATTR])
        cfg["characters"] = cfg["characters"][:36]
        f.attrs[CONFIG_ATTR] = json.dumps(cfg)
    with pytest.raises(ValueError, match=r"relabelled\.h5.*output layer has 75 classes.*needs 37"):
        load_onnx_recognizer(path)


def test_the_default_checkpoint_is_one_name(cased_checkpoint, monkeypatch):
    """Making a cased checkpoint the default of `ocr`, `demo` and `evaluate` changes `checkpoint.OCR_CHECKPOINT` only,
    and the notebooks keep the lecture's 36 characters (`checkpoint.DEFAULT_CHECKPOINT`, `load_recognizer()`)."""
    from ocr_lab import checkpoint
    from ocr_lab.labels import CASED_CHARACTERS, TARGET_CHARACTERS
    from ocr_lab.pipeline import load_recognizer_for

    monkeypatch.setattr(checkpoint, "OCR_CHECKPOINT", cased_checkpoint)
    assert load_recognizer_for("onnx").characters == CASED_CHARACTERS
    assert load_recognizer_for("keras").characters == CASED_CHARACTERS
    assert checkpoint.read_checkpoint_config(checkpoint.DEFAULT_CHECKPOINT)["characters"] == TARGET_CHARACTERS
    for verb in ("ocr", "demo", "evaluate"):
        assert "cased.h5)" in " ".join(verb_help(verb).split())  # "--checkpoint ... (default: the shipped .../cased.h5)"


def verb_help(verb: str) -> str:
    from ocr_lab.cli import build_parser

    parser = build_parser(verb)
    action = next(a for a in parser._actions if a.dest == "verb")
    return action.choices[verb].format_help()
