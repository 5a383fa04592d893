"""Train: checkpoints (round trip, config, atomic writes, clear errors), resume after an
interruption, the time budget, failing fast on missing data, the train verb, tf.distribute.

Training runs use the small config on a few dozen rendered words, batch 8 and two steps
an epoch: they check the mechanics of training, not how well it learns. The tf.distribute
run needs a process of its own; it starts in the background when this module starts.
"""
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest
import tf_keras as keras
from matplotlib.figure import Figure

import ocr_lab.model
from ocr_lab import callbacks as callbacks_module
from ocr_lab import train as train_module
from ocr_lab.cli import main
from ocr_lab.decode import greedy_decode
from ocr_lab.evaluate import load_eval_data
from ocr_lab.labels import IMG_SIZE, TARGET_CHARACTERS
from ocr_lab.model import build_crnn_model
from ocr_lab import checkpoint as checkpoint_module
from ocr_lab.checkpoint import CONFIG_ATTR, load_recognizer, read_checkpoint_config, save_recognizer
from ocr_lab.train import plot_history, read_history, train

from conftest import render_word, to_bytes, write_clovaai_lmdb

TRAIN_WORDS = ("CAT DOG SUN MOON TREE BOOK LAMP RAIN SNOW WIND FISH BIRD "
               "STAR ROAD HILL LAKE 2024 365 42 7 PEPPER ZEBRA QUIZ JAVA").split()
VALID_WORDS = "CAT MOON LAMP 2024 STAR QUIZ".split()
DIGITS = "0123456789"
BATCH = 8
STEPS = 2  # steps per epoch in every training run here


def fast_train(train_path, valid_path, run_dir, **kw):
    """train() with everything small; keyword arguments override."""
    args = dict(batch_size=BATCH, steps_per_epoch=STEPS, epochs=3, verbose=0, early_stopping_patience=None)
    args.update(kw)
    return train(train_path, valid_path, run_dir, **args)


@pytest.fixture(scope="module")
def word_lmdbs(tmp_path_factory):
    """(train, valid) LMDBs of rendered words, written by conftest's independent writer."""
    root = tmp_path_factory.mktemp("words")
    train_path = write_clovaai_lmdb(root / "train", [(to_bytes(render_word(w)), w) for w in TRAIN_WORDS])
    valid_path = write_clovaai_lmdb(root / "valid", [(to_bytes(render_word(w)), w) for w in VALID_WORDS])
    return train_path, valid_path


@pytest.fixture(scope="module")
def images(word_lmdbs):
    """The validation crops as one batch, width first, as the recognizer takes them."""
    return load_eval_data(word_lmdbs[1], TARGET_CHARACTERS, IMG_SIZE).images


def perturb(model, seed=1):
    """Move every weight (BatchNorm statistics included) away from what a fresh build gives,
    so a reload that silently kept the initial weights cannot pass for a round trip."""
    rng = np.random.default_rng(seed)
    model.set_weights([w * rng.uniform(0.8, 1.2, w.shape) + rng.uniform(0, 0.02, w.shape)
                       for w in model.get_weights()])


@pytest.fixture(scope="module")
def model_pred():
    keras.utils.set_random_seed(0)
    _, model_pred = build_crnn_model(config="small")
    perturb(model_pred)
    return model_pred


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory, model_pred):
    return save_recognizer(model_pred, tmp_path_factory.mktemp("ckpt") / "crnn.h5", config="small", epoch=7)


# ----------------------------------------------------------------------------- checkpoint round trip

def test_predict_texts_reads_with_the_recognizer_s_own_charset(images):
    """A cased recognizer's 75 classes are read with its 74 characters, not the lecture's 36 (notebook 05)."""
    from ocr_lab.checkpoint import DEFAULT_CHECKPOINT, predict_texts

    cased = load_recognizer(DEFAULT_CHECKPOINT.with_name("crnn_cased_next.h5"))
    texts = predict_texts(cased, images)
    assert len(cased.characters) == 74 and len(texts) == len(images) and all(isinstance(t, str) for t in texts)


def test_round_trip_gives_identical_predictions(checkpoint, model_pred, images):
    recognizer = load_recognizer(checkpoint)
    for saved, loaded in zip(model_pred.get_weights(), recognizer.model.get_weights(), strict=True):
        np.testing.assert_array_equal(saved, loaded)
    before = model_pred.predict(images, verbose=0)
    after = recognizer.predict(images)
    np.testing.assert_allclose(after, before, rtol=0, atol=1e-6)
    assert greedy_decode(after)[0] == greedy_decode(before)[0]


def test_checkpoint_carries_its_config(tmp_path):
    _, digits_model = build_crnn_model(characters=DIGITS, config="small")
    path = save_recognizer(digits_model, tmp_path / "digits.h5", characters=DIGITS, img_size=IMG_SIZE,
                           config="small", epoch=3, best_word_accuracy=0.5)
    cfg = read_checkpoint_config(path)
    assert cfg["characters"] == DIGITS
    assert cfg["img_size"] == [100, 32]
    assert (cfg["max_text_len"], cfg["time_steps"]) == (22, 24)

    recognizer = load_recognizer(path)  # no arguments: everything comes from the file
    assert recognizer.characters == DIGITS
    assert recognizer.img_size == (100, 32)
    assert recognizer.config == "small"
    assert recognizer.info == {"epoch": 3, "best_word_accuracy": 0.5}
    assert recognizer.model.output_shape == (None, 24, len(DIGITS) + 1)
    assert recognizer.model.count_params() == digits_model.count_params()


def test_a_checkpoint_outlives_a_change_to_its_named_config(tmp_path, monkeypatch, model_pred, images):
    # "small" was narrowed once (convs 5-7: 128 -> 96 channels); older checkpoints must still load as trained.
    path = save_recognizer(model_pred, tmp_path / "old.h5", config="small")
    monkeypatch.setitem(ocr_lab.model.CONFIGS, "small", {**ocr_lab.model.CONFIGS["small"], "conv_filters": (8,) * 7})
    recognizer = load_recognizer(path)
    assert recognizer.model.count_params() == model_pred.count_params()
    np.testing.assert_allclose(recognizer.predict(images), model_pred.predict(images, verbose=0), rtol=0, atol=1e-6)


def test_save_leaves_no_temporary_files(tmp_path, model_pred):
    path = tmp_path / "ckpt" / "crnn.h5"
    save_recognizer(model_pred, path)
    save_recognizer(model_pred, path)  # overwriting goes through a temp file too
    assert sorted(os.listdir(path.parent)) == ["crnn.h5"]


def test_a_saved_checkpoint_is_as_readable_as_any_new_file(tmp_path, model_pred):
    umask = os.umask(0)
    os.umask(umask)
    path = save_recognizer(model_pred, tmp_path / "crnn.h5")
    # Group and others may read it unless the umask says otherwise, as for any file a program creates.
    assert oct(path.stat().st_mode & 0o044) == oct(0o044 & ~umask)


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()], ids=["OSError", "KeyboardInterrupt"])
def test_a_failed_save_keeps_the_existing_checkpoint(tmp_path, monkeypatch, checkpoint, model_pred, images, error):
    path = tmp_path / "crnn.h5"
    shutil.copyfile(checkpoint, path)
    good = path.read_bytes()

    def half_written(filepath, *args, **kwargs):
        Path(filepath).write_bytes(b"\x89HDF\r\n\x1a\n half a file")
        raise error

    monkeypatch.setattr(model_pred, "save_weights", half_written)
    with pytest.raises(type(error)):
        save_recognizer(model_pred, path, epoch=8)
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["crnn.h5"]
    assert load_recognizer(path).info == {"epoch": 7}


# ----------------------------------------------------------------------------- checkpoint errors

def test_a_missing_checkpoint(tmp_path):
    path = tmp_path / "nope.h5"
    with pytest.raises(FileNotFoundError, match="nope.h5"):
        load_recognizer(path)


@pytest.mark.parametrize("content", [b"", np.random.default_rng(0).bytes(4096)], ids=["empty", "random bytes"])
def test_a_corrupt_checkpoint(tmp_path, content):
    path = tmp_path / "corrupt.h5"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"corrupt\.h5.*not a readable checkpoint"):
        load_recognizer(path)


def test_a_truncated_checkpoint(tmp_path, checkpoint):
    path = tmp_path / "truncated.h5"
    path.write_bytes(checkpoint.read_bytes()[: checkpoint.stat().st_size // 2])
    with pytest.raises(ValueError, match="truncated.h5"):
        load_recognizer(path)


def test_an_h5_without_ocr_lab_config(tmp_path, model_pred):
    path = tmp_path / "plain.h5"
    model_pred.save_weights(str(path), save_format="h5")  # what Keras writes on its own
    with pytest.raises(ValueError, match="no ocr_lab config"):
        load_recognizer(path)


def test_a_checkpoint_for_another_charset(checkpoint):
    with pytest.raises(ValueError, match=f"charset.*{TARGET_CHARACTERS}.*not '{DIGITS}'"):
        load_recognizer(checkpoint, characters=DIGITS)
    assert load_recognizer(checkpoint, characters=TARGET_CHARACTERS).characters == TARGET_CHARACTERS


def test_a_checkpoint_for_another_input_size(checkpoint):
    with pytest.raises(ValueError, match=r"\(100, 32\) inputs, not \(128, 32\)"):
        load_recognizer(checkpoint, img_size=(128, 32))


def test_weights_that_do_not_fit_the_stored_config(tmp_path, checkpoint):
    path = tmp_path / "edited.h5"
    shutil.copyfile(checkpoint, path)
    with h5py.File(path, "a") as f:
        cfg = json.loads(f.attrs[CONFIG_ATTR])
        f.attrs[CONFIG_ATTR] = json.dumps({**cfg, "characters": DIGITS})
    with pytest.raises(ValueError, match="do not fit the model"):
        load_recognizer(path)


# ----------------------------------------------------------------------------- missing data

@pytest.mark.parametrize("missing", ["train", "valid"])
def test_missing_data_fails_before_the_model_is_built(tmp_path, monkeypatch, word_lmdbs, missing):
    def no_model(*args, **kwargs):
        pytest.fail("build_crnn_model was called although a data path is missing")

    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", no_model)
    paths = dict(zip(("train", "valid"), word_lmdbs))
    paths[missing] = tmp_path / f"no_{missing}_lmdb"
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "keep.txt").write_text("an earlier run")
    with pytest.raises(FileNotFoundError, match=f"no_{missing}_lmdb"):
        fast_train(paths["train"], paths["valid"], run_dir, resume=False)
    assert os.listdir(run_dir) == ["keep.txt"]  # restarting does not wipe the old run when the new one cannot start


def test_train_verb_with_missing_data(tmp_path, capsys, monkeypatch, word_lmdbs):
    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    missing = tmp_path / "missing_lmdb"
    code = main(["train", "--train-data", str(missing), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), "--epochs", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: ") and "missing_lmdb" in err
    assert not (tmp_path / "run").exists()


def test_train_verb_rejects_a_non_positive_epoch_count(tmp_path, capsys, word_lmdbs):
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), "--epochs", "0"])
    assert code == 2
    assert "--epochs" in capsys.readouterr().err


# ----------------------------------------------------------------------------- resume after an interruption

def adam_moments(optimizer, variable="logits/bias"):
    """Adam's first and second moments of one model variable (slots named like "Adam/m/logits/bias:0")."""
    slots = {v.name: v.numpy().copy() for v in optimizer.variables}
    m = next(value for name, value in slots.items() if f"/m/{variable}:" in "/" + name)
    v = next(value for name, value in slots.items() if f"/v/{variable}:" in "/" + name)
    return m, v, float(optimizer.beta_1), float(optimizer.beta_2)


@pytest.fixture(scope="module")
def resumed(word_lmdbs, tmp_path_factory):
    """A 3-epoch run stopped by Ctrl-C one step into epoch 2, then the same call again.

    Returns what was seen: the state on disk after the interruption and what the
    second run started from and ended with.
    """
    train_path, valid_path = word_lmdbs
    run_dir = tmp_path_factory.mktemp("resume") / "run"
    seen = {}
    callback_cls = callbacks_module.WordAccuracyCallback
    original_epoch_end = callback_cls.on_epoch_end

    def epoch_end(self, epoch, logs=None):  # what BestAndLast saves right after
        original_epoch_end(self, epoch, logs)
        seen["saved_weights"] = [w.copy() for w in self.model.get_weights()]
        seen["saved_moments"] = adam_moments(self.model.optimizer)

    def ctrl_c(self, batch, logs=None):
        if int(self.model.optimizer.iterations.numpy()) == STEPS + 1:
            raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(callback_cls, "on_epoch_end", epoch_end)
        mp.setattr(callback_cls, "on_train_batch_end", ctrl_c)
        with pytest.raises(KeyboardInterrupt) as stop:
            fast_train(train_path, valid_path, run_dir, epochs=3)
    seen["interrupted"] = stop.value
    seen["state"] = json.loads((run_dir / "state.json").read_text())
    seen["history"] = read_history(run_dir)

    def begin(self, logs=None):
        seen["start_iterations"] = int(self.model.optimizer.iterations.numpy())
        seen["start_weights"] = self.model.get_weights()

    def first_step(self, batch, logs=None):
        seen.setdefault("first_step_moments", adam_moments(self.model.optimizer))

    def end(self, logs=None):
        seen["end_iterations"] = int(self.model.optimizer.iterations.numpy())

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(callback_cls, "on_train_begin", begin)
        mp.setattr(callback_cls, "on_train_batch_end", first_step)
        mp.setattr(callback_cls, "on_train_end", end)
        seen["result"] = fast_train(train_path, valid_path, run_dir, epochs=3)
    seen["run_dir"] = run_dir
    seen["paths"] = (train_path, valid_path)
    return seen


def test_an_interrupted_run_keeps_its_last_finished_epoch(resumed):
    assert resumed["state"]["epoch"] == 1
    assert [row["epoch"] for row in resumed["history"]] == [0]  # the interrupted epoch is not logged


def test_an_interrupted_run_says_in_one_line_what_it_kept_and_how_to_go_on(resumed):
    stop = resumed["interrupted"]
    assert isinstance(stop, train_module.TrainingInterrupted)
    line = str(stop)
    assert line.startswith("interrupted: ") and "\n" not in line
    assert "epoch 1" in line and "resume=True" in line and str(resumed["run_dir"]) in line
    assert stop._render_traceback_() == [line]  # what IPython shows instead of the stack trace


def test_an_interrupted_train_verb_prints_one_line_and_exits_130(tmp_path, capsys, monkeypatch, word_lmdbs):
    stop = train_module.TrainingInterrupted(tmp_path / "run", {"epoch": 2, "elapsed_s": 31.0})

    def interrupted(*args, **kwargs):
        raise stop

    monkeypatch.setattr(train_module, "train", interrupted)
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run")])
    assert code == 130  # the command line's own one line (ocr_lab.cli, messages "interrupted.train")
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("interrupted: ")
    assert "epoch 2 (31 s trained)" in str(stop)  # what a notebook shows


def test_live_progress_records_probes_and_blank_share_as_it_trains(tmp_path, capsys, word_lmdbs):
    probe = load_eval_data(word_lmdbs[1], TARGET_CHARACTERS, IMG_SIZE)
    live = callbacks_module.LiveProgress(probe, probe, TARGET_CHARACTERS, total_steps=3 * STEPS, every=2)
    fast_train(*word_lmdbs, tmp_path / "run", config="small", callbacks=[live])
    assert [h["step"] for h in live.history] == [0, 2, 4, 6]
    for h in live.history:
        assert 0 <= h["blank_share"] <= 1 and 0 <= h["valid_word_accuracy"] <= 1 and len(h["readings"]) == 6
    assert live.history[0]["loss"] is None and live.history[-1]["loss"] > 0
    lines = capsys.readouterr().out.strip().splitlines()  # outside a notebook: one line per record
    assert len(lines) == 4 and lines[-1].startswith("step 6/6 · ") and "blank" in lines[-1]
    axes = callbacks_module.plot_live_history(live.history)
    assert len(axes) == 3 and len(axes[2].lines[0].get_xdata()) == 4


def test_a_resumed_run_continues_from_the_saved_epoch(resumed):
    result = resumed["result"]
    assert [int(row["epoch"]) for row in result.history] == [0, 1, 2]  # history continues, no epoch twice
    assert result.history[0] == resumed["history"][0]
    for row in result.history:  # every epoch logs the validation loss, word accuracy and CER
        assert {"loss", "val_loss", "val_word_accuracy", "val_cer", "lr", "elapsed_s"} <= set(row)
        assert 0 <= row["val_word_accuracy"] <= 1 and row["val_cer"] >= 0
    assert json.loads((resumed["run_dir"] / "state.json").read_text())["epoch"] == 3


def test_a_resumed_run_restores_the_optimizer_and_the_weights(resumed):
    assert resumed["start_iterations"] == STEPS  # the step count saved with epoch 1, not 0 and not 3
    assert resumed["end_iterations"] == STEPS + 2 * STEPS  # then epochs 2 and 3
    for saved, restored in zip(resumed["saved_weights"], resumed["start_weights"], strict=True):
        np.testing.assert_array_equal(saved, restored)


def test_a_resumed_run_restores_adams_moments(resumed):
    # The first step after resuming makes m1 = b1 m0 + (1 - b1) g and v1 = b2 v0 + (1 - b2) g^2.
    # Both hold for one gradient g only if (m0, v0) are the moments saved with epoch 1;
    # with fresh (zero) moments, v1 would be (1 - b2) / (1 - b1)^2 m1^2 instead.
    m0, v0, b1, b2 = resumed["saved_moments"]
    m1, v1, _, _ = resumed["first_step_moments"]
    assert np.abs(m0).max() > 0 and v0.max() > 0
    g = (m1 - b1 * m0) / (1 - b1)
    np.testing.assert_allclose(v1, b2 * v0 + (1 - b2) * g**2, rtol=1e-3, atol=1e-10)


def test_a_resumed_run_leaves_a_loadable_best_checkpoint(resumed, images):
    best = resumed["result"].best_checkpoint
    assert best == resumed["run_dir"] / "best.h5"
    recognizer = load_recognizer(best)
    assert recognizer.info["train_data"].endswith("train")
    assert 1 <= recognizer.info["epoch"] <= 3
    assert recognizer.predict(images).shape == (len(images), 24, len(TARGET_CHARACTERS) + 1)
    assert not [name for name in os.listdir(resumed["run_dir"]) if name.startswith(".")]  # no temp files


def test_plot_history_draws_loss_and_accuracy_per_epoch(resumed):
    ax = plot_history(resumed["result"].history, ax=Figure().subplots(1, 2))  # no pyplot, no backend
    assert [line.get_label() for line in ax[0].lines] == ["train loss", "validation loss"]
    assert [line.get_label() for line in ax[1].lines] == ["word accuracy", "character error rate"]
    assert list(ax[1].lines[0].get_xdata()) == [1, 2, 3]  # epochs counted from 1


def test_resuming_with_another_charset_is_refused(resumed, tmp_path):
    digits = write_clovaai_lmdb(tmp_path / "digits", [(to_bytes(render_word(w)), w) for w in ("2024", "365", "42")])
    run_dir = tmp_path / "run"
    shutil.copytree(resumed["run_dir"], run_dir)
    with pytest.raises(ValueError) as refused:
        fast_train(digits, digits, run_dir, characters=DIGITS)
    message = str(refused.value)
    del refused
    gc.collect()  # a half-restored tf.train.Checkpoint logs a page of warnings when collected: collect it here
    assert re.search(f"{re.escape(str(run_dir))}.*charset", message), message


# ----------------------------------------------------------------------------- fine-tuning

def test_a_run_can_start_from_a_saved_recognizers_weights(tmp_path, monkeypatch, word_lmdbs, checkpoint, model_pred):
    seen = {}
    monkeypatch.setattr(callbacks_module.WordAccuracyCallback, "on_train_begin",
                        lambda self, logs=None: seen.setdefault("start", self.model_pred.get_weights()))
    fast_train(*word_lmdbs, tmp_path / "run", epochs=1, init_from=checkpoint)
    for start, saved in zip(seen["start"], model_pred.get_weights(), strict=True):
        np.testing.assert_array_equal(start, saved)
    assert json.loads((tmp_path / "run" / "state.json").read_text())["init_from"] == str(checkpoint)


@pytest.mark.parametrize("edit, message", [({"config": "lecture", "model_params": ocr_lab.model.CONFIGS["lecture"]},
                                            "config 'lecture'"),
                                           ({"config": "wide128", "model_params": ocr_lab.model.CONFIGS["wide128"]},
                                            "config 'wide128'.*neither are nor grow into"),
                                           # another charset is copied class by class, but only between
                                           # models of the same layer widths (model.transfer_charset)
                                           ({"characters": DIGITS, "config": "wide128",
                                             "model_params": ocr_lab.model.CONFIGS["wide128"]},
                                            f"charset '{DIGITS}' and the config 'wide128'"),
                                           ({"img_size": [128, 32]}, r"input size \(128, 32\)")])
def test_starting_from_another_models_checkpoint_is_refused_before_building(tmp_path, monkeypatch, word_lmdbs,
                                                                           checkpoint, edit, message):
    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    path = tmp_path / "other.h5"
    shutil.copyfile(checkpoint, path)
    with h5py.File(path, "a") as f:
        f.attrs[CONFIG_ATTR] = json.dumps({**json.loads(f.attrs[CONFIG_ATTR]), **edit})
    with pytest.raises(ValueError, match=f"cannot start from .*other.h5.*{message}"):
        fast_train(*word_lmdbs, tmp_path / "run", init_from=path)


@pytest.mark.parametrize("config, atol", [("wide128", 2e-5), ("wide_tps", 1e-4), ("wider_tps", 1e-4)])
def test_a_run_of_a_bigger_config_starts_from_a_smaller_checkpoint_reading_as_it(tmp_path, monkeypatch, word_lmdbs,
                                                                                checkpoint, model_pred, images,
                                                                                config, atol):
    """--init-from a "small" checkpoint into a "wide128" run (grown wider, `model.grow_weights`) or a
    "wide_tps" or "wider_tps" run (behind a new rectification stage that starts as the identity, grown wider too):
    the run starts reading as the checkpoint does (as the "wide" model with the same weights: only the
    pooling differs), then trains."""
    seen = {}
    monkeypatch.setattr(callbacks_module.WordAccuracyCallback, "on_train_begin",
                        lambda self, logs=None: seen.setdefault("start", self.model_pred.predict(images, verbose=0)))
    result = fast_train(*word_lmdbs, tmp_path / "run", config=config, epochs=1, init_from=checkpoint)
    _, same_as_checkpoint = build_crnn_model(config="wide")
    same_as_checkpoint.set_weights(model_pred.get_weights())
    np.testing.assert_allclose(seen["start"], same_as_checkpoint.predict(images, verbose=0), atol=atol)
    assert load_recognizer(result.best_checkpoint).config == config


def test_the_train_verb_passes_init_from(tmp_path, capsys, word_lmdbs):
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), "--init-from", str(tmp_path / "nowhere.h5")])
    assert code == 2
    assert "nowhere.h5" in capsys.readouterr().err


def test_a_wide_run_starts_from_a_small_checkpoint_reads_two_sets_and_logs_extra_evaluations(
        tmp_path, word_lmdbs, checkpoint, images):
    """The wide config (49 steps) fine-tunes from small weights; every epoch logs the extra sets' accuracy."""
    real = tmp_path / "real"
    real.mkdir()
    for word in VALID_WORDS:
        render_word(word).save(real / f"{word}.png")
    (real / "labels.tsv").write_text("".join(f"{w}.png\t{w}\n" for w in VALID_WORDS))
    result = fast_train([word_lmdbs[0], word_lmdbs[1]], word_lmdbs[1], tmp_path / "run", config="wide", epochs=2,
                        init_from=checkpoint, eval_data={"real": real, "again": word_lmdbs[1]})
    assert [round(h["epoch"]) for h in result.history] == [0, 1]
    for h in result.history:
        assert 0.0 <= h["real_word_accuracy"] <= 1.0 and 0.0 <= h["again_word_accuracy"] <= 1.0
    state = json.loads((tmp_path / "run" / "state.json").read_text())
    assert state["train_data"].count(" + ") == 1  # both sets were read, as one
    rec = load_recognizer(result.best_checkpoint)
    assert rec.config == "wide" and rec.time_steps == 49
    assert rec.predict(images).shape == (len(images), 49, 37)
    assert set(plot_history(result.history)[1].get_legend_handles_labels()[1][-2:]) == {"real word accuracy",
                                                                                       "again word accuracy"}


@pytest.mark.parametrize("spec, message", [("real_dev={missing}", "evaluation set 'real_dev' at .*nowhere"),
                                           ("real_dev={empty}", "evaluation set 'real_dev' at .*empty"),
                                           ("no-equals-sign", "write NAME=PATH")])
def test_a_bad_evaluation_set_fails_before_training(tmp_path, capsys, monkeypatch, word_lmdbs, spec, message):
    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "labels.tsv").write_text("")
    spec = spec.format(missing=tmp_path / "nowhere", empty=tmp_path / "empty")
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), "--eval-data", spec])
    assert code == 2
    assert re.search(message, capsys.readouterr().err)
    assert not (tmp_path / "run").exists()


def test_a_set_made_by_an_older_generator_is_refused_with_the_command_that_rebuilds_it(tmp_path, word_lmdbs):
    from ocr_lab import synth

    shutil.copytree(word_lmdbs[0], tmp_path / "old" / "train")
    marker = tmp_path / "old" / synth.COMPLETE_MARKER
    marker.write_text(json.dumps({"generator_version": synth.GENERATOR_VERSION - 1}))
    with pytest.raises(ValueError, match=rf"generator version {synth.GENERATOR_VERSION - 1}.*python -m ocr_lab synth --out .*old --force"):
        fast_train(tmp_path / "old" / "train", word_lmdbs[1], tmp_path / "run")
    marker.write_text(json.dumps({"generator_version": synth.GENERATOR_VERSION}))
    fast_train(tmp_path / "old" / "train", word_lmdbs[1], tmp_path / "run", epochs=1)  # a current set trains


# ----------------------------------------------------------------------------- mixed precision

def test_a_bfloat16_run_saves_an_ordinary_float32_checkpoint(tmp_path, word_lmdbs, images):
    result = fast_train(*word_lmdbs, tmp_path / "run", epochs=1, precision="mixed_bfloat16")
    assert keras.mixed_precision.global_policy().name == "float32"  # the process-wide policy is put back
    recognizer = load_recognizer(result.best_checkpoint)
    assert {w.dtype for w in recognizer.model.get_weights()} == {np.dtype("float32")}
    probs = recognizer.predict(images)
    assert probs.dtype == np.float32 and np.allclose(probs.sum(-1), 1.0, atol=1e-4)
    assert json.loads((tmp_path / "run" / "state.json").read_text())["precision"] == "mixed_bfloat16"


def test_a_bfloat16_model_keeps_its_logits_and_loss_in_float32():
    with train_module.dtype_policy("mixed_bfloat16"):
        model, model_pred = build_crnn_model(config="small")
    first_conv = next(layer for layer in model_pred.layers if isinstance(layer, keras.layers.Conv2D))
    assert first_conv.compute_dtype == "bfloat16"
    assert [model.get_layer(n).compute_dtype for n in ("logits", "ctc")] == ["float32"] * 2
    assert model_pred.get_layer("output").compute_dtype == "float32"


def test_a_bfloat16_rectified_model_places_its_points_and_resamples_in_float32():
    """The spline's matrix is float32 (a bfloat16 einsum beside it cannot even be built), and bfloat16
    would place a fiducial point only to within about a pixel; the convolutions behind it still run
    in bfloat16."""
    with train_module.dtype_policy("mixed_bfloat16"):
        _, model_pred = build_crnn_model(config="wide_tps")
    stage = ("rectify_points", "rectify_scale", "rectify_sample")
    assert [model_pred.get_layer(n).compute_dtype for n in stage] == ["float32"] * 3
    assert model_pred.get_layer("rectify_conv0").compute_dtype == "bfloat16"
    images = np.random.default_rng(0).uniform(0, 255, (2, 100, 32, 3)).astype(np.float32)
    assert np.isfinite(model_pred.predict(images, verbose=0)).all()


def test_an_unknown_precision_is_refused_before_building(tmp_path, monkeypatch, word_lmdbs):
    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    with pytest.raises(ValueError, match="precision must be one of .*float16"):
        fast_train(*word_lmdbs, tmp_path / "run", precision="float16")


# ----------------------------------------------------------------------------- time budget

SECONDS_PER_STEP = 10.0


def test_a_time_budget_stops_training(tmp_path, monkeypatch, word_lmdbs):
    """A clock on which every training step takes 10 s: a 25 s budget ends the run after step 3."""
    built = []
    real_build = ocr_lab.model.build_crnn_model

    def build(*args, **kwargs):
        built.append(real_build(*args, **kwargs))
        return built[-1]

    def steps():
        return int(built[-1][0].optimizer.iterations.numpy())

    class StepClock:  # stands in for TrainingClock; train() creates it once the model is built
        def __init__(self, already=0.0):
            self.already, self.start = already, steps()

        def elapsed(self):
            return self.already + SECONDS_PER_STEP * (steps() - self.start)

    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", build)
    monkeypatch.setattr(train_module, "TrainingClock", StepClock)
    run_dir = tmp_path / "run"
    result = fast_train(*word_lmdbs, run_dir, epochs=50, time_budget=25.0)
    assert steps() == 3  # stopped at the first step past the budget
    assert [row["elapsed_s"] for row in result.history] == [20.0, 30.0]  # epoch 2 cut after one of its steps
    # The cosine schedule runs over the budget: the rate set before step 2 (10 s) and step 3 (20 s).
    lr = [row["lr"] for row in result.history]
    np.testing.assert_allclose(lr, [train_module.DEFAULT_LEARNING_RATES['adam'] * 0.5 * (1 + np.cos(np.pi * p)) for p in (0.4, 0.8)], rtol=1e-5)
    assert result.best_checkpoint.exists()

    # Resuming a run whose budget is spent trains nothing more.
    again = fast_train(*word_lmdbs, run_dir, epochs=50, time_budget=25.0)
    assert steps() == 3
    assert again.history == result.history


# ----------------------------------------------------------------------------- tf.distribute

DISTRIBUTED_TEST = "test_training_under_a_mirrored_strategy_on_two_cpus"
DISTRIBUTED_SCRIPT = textwrap.dedent("""
    import json, sys
    import ocr_lab  # sets TF_USE_LEGACY_KERAS before TensorFlow loads
    import tensorflow as tf

    # Logical devices can only be set before TensorFlow initialises, hence a process of its own.
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])

    from ocr_lab.train import train

    train_path, valid_path, run_dir = sys.argv[1:4]
    result = train(train_path, valid_path, run_dir, batch_size=8, steps_per_epoch=2, epochs=1,
                   strategy=strategy, verbose=0)
    print(json.dumps({"replicas": strategy.num_replicas_in_sync, "history": result.history}))
""")


@pytest.fixture(scope="module", autouse=True)
def mirrored_run(request, word_lmdbs, tmp_path_factory):
    """The MirroredStrategy run, started in the background when this module starts, so its
    TensorFlow start-up and tracing overlap the in-process tests (whose tracing is single-threaded)."""
    if not any(item.name == DISTRIBUTED_TEST for item in request.session.items):
        yield None
        return
    root = tmp_path_factory.mktemp("mirrored")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_USE_LEGACY_KERAS": "1"}
    with open(root / "stdout", "w") as out, open(root / "stderr", "w") as err:
        proc = subprocess.Popen([sys.executable, "-c", DISTRIBUTED_SCRIPT, *map(str, word_lmdbs), str(root / "run")],
                                stdout=out, stderr=err, env=env)
    yield proc, root
    if proc.poll() is None:  # the test never waited for it (the session stopped early)
        proc.kill()
        proc.wait()


def test_training_under_a_mirrored_strategy_on_two_cpus(mirrored_run):
    proc, root = mirrored_run
    returncode = proc.wait(timeout=900)
    assert returncode == 0, (root / "stderr").read_text()[-3000:]
    out = json.loads((root / "stdout").read_text().strip().splitlines()[-1])
    assert out["replicas"] == 2
    assert len(out["history"]) == 1 and np.isfinite(out["history"][0]["loss"])
    assert (root / "run" / "best.h5").exists()
    assert load_recognizer(root / "run" / "best.h5").characters == TARGET_CHARACTERS


# ----------------------------------------------------------------------------- the weights' checksum

def flip_a_bit(path, dataset_suffix="kernel:0"):
    """Flip one bit inside a weight array's bytes in the file, as a failing disk or a bad copy does."""
    with h5py.File(path, "r") as f:
        names = []
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        offset = f[next(n for n in names if n.endswith(dataset_suffix))].id.get_offset()
    data = bytearray(Path(path).read_bytes())
    data[offset + 2] ^= 0x10
    Path(path).write_bytes(bytes(data))


def without_checksum(path):
    """Turn a checkpoint into one saved before checksums existed."""
    with h5py.File(path, "a") as f:
        cfg = json.loads(f.attrs[CONFIG_ATTR])
        cfg.pop("weights_sha256", None)
        f.attrs[CONFIG_ATTR] = json.dumps(cfg)


def test_a_checkpoint_whose_weights_changed_on_disk_is_refused(tmp_path, checkpoint):
    path = tmp_path / "flipped.h5"
    shutil.copyfile(checkpoint, path)
    flip_a_bit(path)
    with pytest.raises(ValueError, match=r"flipped\.h5.*do not match the checksum"):
        load_recognizer(path)


def test_a_checkpoint_from_before_checksums_still_loads(tmp_path, checkpoint, model_pred, images):
    path = tmp_path / "old.h5"
    shutil.copyfile(checkpoint, path)
    without_checksum(path)
    recognizer = load_recognizer(path)
    np.testing.assert_allclose(recognizer.predict(images), model_pred.predict(images, verbose=0), rtol=0, atol=1e-6)


def test_an_old_checkpoint_can_be_given_its_checksum(tmp_path, checkpoint):
    path = tmp_path / "old.h5"
    shutil.copyfile(checkpoint, path)
    without_checksum(path)
    digest = checkpoint_module.add_weights_checksum(path)
    assert digest == read_checkpoint_config(checkpoint)["weights_sha256"]  # the same weights, the same checksum
    assert read_checkpoint_config(path)["info"] == {"epoch": 7}  # the rest of the config is kept
    assert sorted(os.listdir(tmp_path)) == ["old.h5"]  # rewritten in place, atomically
    flip_a_bit(path)
    with pytest.raises(ValueError, match="checksum"):
        load_recognizer(path)


def test_a_checkpoint_config_without_characters(tmp_path, checkpoint):
    path = tmp_path / "edited.h5"
    shutil.copyfile(checkpoint, path)
    with h5py.File(path, "a") as f:
        cfg = json.loads(f.attrs[CONFIG_ATTR])
        del cfg["characters"]
        f.attrs[CONFIG_ATTR] = json.dumps(cfg)
    with pytest.raises(ValueError, match=r"edited\.h5.*lacks characters"):
        load_recognizer(path)


# ----------------------------------------------------------------------------- restarting deletes only a run

@pytest.mark.parametrize("contents", [
    {"crnn_small.h5": b"the shipped checkpoint", "MODEL_CARD.md": b"# the card"},
    {"notes.txt": b"lecture notes", "photos/board.jpg": b"a photo"},
    {"state.json": b"{}", "history.csv": b"epoch\n", "my_analysis.ipynb": b"{}"},
], ids=["a checkpoints folder", "notes and photos", "a run with a notebook in it"])
def test_restart_refuses_a_folder_that_holds_more_than_a_run(tmp_path, capsys, monkeypatch, word_lmdbs, contents):
    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    folder = tmp_path / "folder"
    for name, data in contents.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(folder), "--restart"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert str(folder) in err and "will not delete it" in err
    assert {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == contents


def test_restart_deletes_a_folder_of_run_files(tmp_path, resumed):
    run_dir = tmp_path / "run"
    shutil.copytree(resumed["run_dir"], run_dir)
    (run_dir / ".best.h5.k2j3f.h5").write_bytes(b"")  # a temp file of a save that was killed
    (run_dir / "last" / "ckpt-9_temp").mkdir()  # and of a checkpoint manager's save
    (run_dir / "last" / "ckpt-9_temp" / "part-00000-of-00001.index").write_bytes(b"")
    train_module.delete_run_dir(run_dir)
    assert not run_dir.exists()


# ----------------------------------------------------------------------------- resuming from a damaged run

def corrupt_index(run_dir):
    next((run_dir / "last").glob("*.index")).write_bytes(np.random.default_rng(0).bytes(300))


def truncate_data(run_dir):
    data = next((run_dir / "last").glob("*.data-*"))
    data.write_bytes(data.read_bytes()[:1000])


@pytest.mark.parametrize("damage", [corrupt_index, truncate_data], ids=["random index", "truncated data"])
def test_resuming_from_a_damaged_last_checkpoint_says_restart_starts_over(tmp_path, resumed, damage):
    run_dir = tmp_path / "run"
    shutil.copytree(resumed["run_dir"], run_dir)
    damage(run_dir)
    with pytest.raises(ValueError) as refused:
        fast_train(*resumed["paths"], run_dir, epochs=4)
    message = str(refused.value)
    del refused
    gc.collect()  # a half-restored tf.train.Checkpoint logs a page of warnings when collected: collect it here
    assert re.search(f"last checkpoint in .*{re.escape(str(run_dir / 'last'))}.*cannot be read.*--restart", message), message
    assert "\n" not in message


@pytest.mark.parametrize("content", ["{\"epoch\": 3, ", "[1, 2]", "\udcff"], ids=["cut JSON", "a list", "not UTF-8"])
def test_resuming_with_a_corrupt_state_json_names_it(tmp_path, monkeypatch, resumed, content):
    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    run_dir = tmp_path / "run"
    shutil.copytree(resumed["run_dir"], run_dir)
    (run_dir / "state.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(ValueError, match=rf"{re.escape(str(run_dir / 'state.json'))}.* is corrupt.*--restart"):
        fast_train(*resumed["paths"], run_dir, epochs=4)


def test_resuming_a_run_whose_last_checkpoint_is_gone_is_refused(tmp_path, resumed):
    run_dir = tmp_path / "run"
    shutil.copytree(resumed["run_dir"], run_dir)
    shutil.rmtree(run_dir / "last")
    with pytest.raises(ValueError, match=r"records 3 finished epoch\(s\).*holds no checkpoint.*--restart"):
        fast_train(*resumed["paths"], run_dir, epochs=4)
    assert json.loads((run_dir / "state.json").read_text())["epoch"] == 3  # nothing was overwritten


# ----------------------------------------------------------------------------- --export

def fake_training(best):
    """Stands in for train(): a finished run whose best checkpoint is `best`."""
    def fake(*args, **kwargs):
        return train_module.TrainResult(Path(best).parent, Path(best), [], 0.0, {})

    return fake


def test_export_replaces_the_old_checkpoint_atomically(tmp_path, capsys, monkeypatch, word_lmdbs, checkpoint):
    target = tmp_path / "export" / "crnn_small.h5"
    target.parent.mkdir()
    shutil.copyfile(checkpoint, target)
    old = target.read_bytes()
    monkeypatch.setattr(train_module, "train", fake_training(checkpoint))
    real_copyfile = shutil.copyfile

    def disk_full(src, dst, *args, **kwargs):  # half the file, then the disk is full
        if Path(dst).parent != target.parent:
            return real_copyfile(src, dst, *args, **kwargs)
        Path(dst).write_bytes(Path(src).read_bytes()[:1000])
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), "--export", str(target)])
    assert code == 2 and "no space left on the disk" in capsys.readouterr().err
    assert target.read_bytes() == old
    assert os.listdir(target.parent) == ["crnn_small.h5"]  # no half-written temporary file either

    monkeypatch.setattr(shutil, "copyfile", real_copyfile)
    assert main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), "--export", str(target)]) == 0
    assert read_checkpoint_config(target) == read_checkpoint_config(checkpoint)


def test_export_refuses_a_file_that_is_not_a_checkpoint_before_training(tmp_path, capsys, monkeypatch, word_lmdbs):
    monkeypatch.setattr(train_module, "train", lambda *a, **k: pytest.fail("trained"))
    notes = tmp_path / "notes.md"
    notes.write_text("my notes")
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), "--export", str(notes)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "notes.md" in err and "not an ocr_lab checkpoint" in err
    assert notes.read_text() == "my notes"


def test_the_shipped_checkpoints_lineage_is_committed_with_its_commands_and_the_one_that_continues_it():
    """A fresh machine can retrace and continue the chained run (issue 14): the checkpoint the shipped one
    was started from is committed, each file's command is in the model card, and so is the next leg's."""
    from ocr_lab.checkpoint import DEFAULT_CHECKPOINT, load_recognizer

    card = (DEFAULT_CHECKPOINT.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    flat = " ".join(card.replace("\\\n", " ").split())  # the card wraps commands with backslashes
    commands = {}
    for name in ("crnn_wide.h5", "crnn_wide_next.h5"):
        path = DEFAULT_CHECKPOINT.parent / name
        assert path.stat().st_size < 3_000_000, "a checkpoint is a few MB at most"
        recognizer = load_recognizer(path)  # checks the weights' sha256
        assert recognizer.config == "wide" and recognizer.time_steps == 49
        commands[name] = " ".join(recognizer.info["command"].split())
        assert commands[name] in flat, f"{name}'s command is not in the model card"
    # The shipped file (v8) started from the v7 release, which started from crnn_wide_next.h5, which started
    # from the v6 release: the releases git keeps, each with the command that gets it back.
    assert "--init-from checkpoints/crnn_wide.h5" in commands["crnn_wide.h5"]
    assert "git show e2436a6:checkpoints/crnn_wide.h5" in flat
    assert "--init-from checkpoints/crnn_wide_next.h5" in flat  # the v7 release's command
    assert "--init-from checkpoints/crnn_wide.h5" in commands["crnn_wide_next.h5"]
    assert "git show e43947b:checkpoints/crnn_wide.h5" in flat
    assert "--init-from checkpoints/crnn_wide.h5 --lr 5e-4" in flat  # the next leg starts from the release
    # The cased line: crnn_cased.h5 started from crnn_cased_next.h5, which started from the release.
    for name, parent in (("crnn_cased.h5", "crnn_cased_next.h5"), ("crnn_cased_next.h5", "crnn_wide.h5")):
        recognizer = load_recognizer(DEFAULT_CHECKPOINT.parent / name)
        command = " ".join(recognizer.info["command"].split())
        assert f"--init-from checkpoints/{parent}" in command, name
        assert command in flat or name == "crnn_cased_next.h5", name  # its card gives the command relative
        assert len(recognizer.characters) == 74 and (DEFAULT_CHECKPOINT.parent / parent).exists()
    assert "--init-from checkpoints/crnn_cased.h5" in flat  # and the cased line's next leg


def test_a_cased_run_logs_word_accuracy_as_printed_beside_the_case_insensitive_one(tmp_path, word_lmdbs):
    """The history CSV and --eval-data of a cased run: both scores, for the validation and each extra set."""
    from ocr_lab.labels import CASED_CHARACTERS

    real = tmp_path / "real"
    real.mkdir()
    for word in ("Cat", "moon"):
        render_word(word).save(real / f"{word}.png")
    (real / "labels.tsv").write_text("Cat.png\tCat\nmoon.png\tmoon\n")
    result = fast_train(word_lmdbs[0], word_lmdbs[1], tmp_path / "run", epochs=1, characters=CASED_CHARACTERS,
                        eval_data={"real": real})
    (row,) = read_history(tmp_path / "run")
    for key in ("val_word_accuracy", "val_word_accuracy_as_printed", "real_word_accuracy",
                "real_word_accuracy_as_printed"):
        assert 0.0 <= row[key] <= 1.0, key
    assert result.history == [row]


# ----------------------------------------------------------------------------- one run per folder (issue 31)

def test_a_second_train_on_a_live_run_dir_is_refused_and_deletes_nothing(tmp_path, capsys, monkeypatch, resumed):
    from ocr_lab.runlock import hold_run_dir

    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    run_dir = tmp_path / "run"
    shutil.copytree(resumed["run_dir"], run_dir)
    before = {str(p.relative_to(run_dir)): p.read_bytes() for p in run_dir.rglob("*") if p.is_file()}
    train_path, valid_path = resumed["paths"]
    with hold_run_dir(run_dir):  # the live run
        for extra in (["--restart"], []):  # neither a restart nor a second resume may touch it
            code = main(["train", "--train-data", str(train_path), "--valid-data", str(valid_path),
                         "--run-dir", str(run_dir), *extra])
            err = capsys.readouterr().err
            assert code == 2 and len(err.strip().splitlines()) == 1, err
            assert str(run_dir) in err and f"process {os.getpid()}" in err and "in use" in err
        after = {str(p.relative_to(run_dir)): p.read_bytes() for p in run_dir.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if k != ".lock"} == before


# ----------------------------------------------------------------------------- silently wrong numbers (issue 31)

@pytest.mark.parametrize("flag, value, expected", [
    ("--lr", "nan", "--lr must be a finite number"),
    ("--lr", "-1", "--lr must be greater than 0"),
    ("--lr", "0", "--lr must be greater than 0"),
    ("--steps-per-epoch", "0", "--steps-per-epoch must be greater than 0"),
])
def test_a_number_that_would_train_silently_wrong_is_refused(tmp_path, capsys, monkeypatch, word_lmdbs,
                                                             flag, value, expected):
    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), flag, value])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: {expected}") and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "run").exists()
    with pytest.raises(ValueError, match=expected):
        fast_train(*word_lmdbs, tmp_path / "run", **{"learning_rate" if flag == "--lr" else "steps_per_epoch":
                                                      float(value) if flag == "--lr" else int(value)})


def test_a_nan_loss_stops_training_and_is_never_saved(tmp_path, monkeypatch, word_lmdbs):
    callback_cls = callbacks_module.WordAccuracyCallback
    original_epoch_end = callback_cls.on_epoch_end

    def blow_up_after_the_first_epoch(self, epoch, logs=None):  # as --lr nan or a far too high rate would
        original_epoch_end(self, epoch, logs)
        self.model.optimizer.learning_rate.assign(float("nan"))

    monkeypatch.setattr(callback_cls, "on_epoch_end", blow_up_after_the_first_epoch)
    run_dir = tmp_path / "run"
    with pytest.raises(ValueError, match=r"stopped at epoch 2: the loss became nan.*best\.h5 keeps epoch 1.*--lr") as e:
        fast_train(*word_lmdbs, run_dir, epochs=4, schedule="constant")
    assert "\n" not in str(e.value)
    best = load_recognizer(run_dir / "best.h5")  # finite, loadable
    assert best.info["epoch"] == 1
    assert json.loads((run_dir / "state.json").read_text())["epoch"] == 1  # resumable from the sound epoch


def test_loading_refuses_non_finite_weights_even_with_a_valid_checksum(tmp_path, checkpoint):
    from ocr_lab.recognize_onnx import load_onnx_recognizer
    from ocr_lab.checkpoint import weights_sha256

    path = tmp_path / "diverged.h5"
    shutil.copyfile(checkpoint, path)
    with h5py.File(path, "a") as f:
        names = []
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        kernel = next(n for n in names if n.endswith("kernel:0"))
        f[kernel][...] = np.full(f[kernel].shape, np.nan, f[kernel].dtype)
        cfg = json.loads(f.attrs[CONFIG_ATTR])
        f.attrs[CONFIG_ATTR] = json.dumps({**cfg, "weights_sha256": weights_sha256(f)})
    for load in (load_recognizer, load_onnx_recognizer):
        with pytest.raises(ValueError, match=r"diverged\.h5.*not finite numbers.*" + re.escape(kernel)):
            load(path)


def test_a_damaged_checkpoint_is_named_not_a_traceback(tmp_path, checkpoint):
    from ocr_lab.recognize_onnx import load_onnx_recognizer

    data = Path(checkpoint).read_bytes()
    for offset in (256, 1024, 2048, 3072):  # HDF5's object headers and heaps: h5py raises RuntimeError or OSError
        path = tmp_path / f"damaged_{offset}.h5"
        path.write_bytes(data[:offset] + np.random.default_rng(offset).bytes(64) + data[offset + 64:])
        for load in (read_checkpoint_config, load_onnx_recognizer):
            try:
                load(path)
            except ValueError as err:
                assert path.name in str(err) and "\n" not in str(err)


def test_export_to_a_folder_that_cannot_be_written_is_refused_before_training(tmp_path, capsys, monkeypatch, word_lmdbs):
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path) == str(readonly)
                        else real_access(path, mode, **kw))  # tests run as root, who may write anywhere
    monkeypatch.setattr(train_module, "train", lambda *a, **k: pytest.fail("trained"))
    target = readonly / "crnn.h5"
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run"), "--export", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and err == (f"error: --export {str(target)!r} cannot be written: no permission to write in "
                                 f"{str(readonly)!r}; choose another path\n"), err


# ----------------------------------------------------------------------------- one line, not a traceback (issue 31)

def test_ctrl_c_in_train_exits_130_saying_what_was_kept(tmp_path, capsys, monkeypatch, word_lmdbs):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(train_module, "train", interrupted)
    run_dir = tmp_path / "run"
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(run_dir)])
    err = capsys.readouterr().err
    assert code == 130 and err.count("\n") == 1, err
    assert err.startswith(f"interrupted: {str(run_dir)!r} keeps every finished epoch") and "resume" in err


@pytest.mark.parametrize("state, key", [
    ({"epoch": "three"}, "epoch"), ({"epoch": [1]}, "epoch"), ({"epoch": 1, "best_word_accuracy": "high"},
                                                                 "best_word_accuracy"),
    ({"epoch": 1, "elapsed_s": {"s": 3}}, "elapsed_s"),
], ids=["epoch a string", "epoch a list", "accuracy a string", "elapsed a dict"])
def test_a_state_json_with_a_wrong_type_inside_is_named(tmp_path, monkeypatch, resumed, state, key):
    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    run_dir = tmp_path / "run"
    shutil.copytree(resumed["run_dir"], run_dir)
    meta = json.loads((run_dir / "state.json").read_text())
    (run_dir / "state.json").write_text(json.dumps({**meta, **state}))
    with pytest.raises(ValueError, match=rf"{re.escape(str(run_dir / 'state.json'))}' is corrupt \({key!r} should be .*--restart"):
        fast_train(*resumed["paths"], run_dir, epochs=4)


def test_train_says_how_much_memory_it_needs_and_refuses_a_limit_below_it(tmp_path, capsys, monkeypatch, word_lmdbs):
    import resource

    monkeypatch.setattr(ocr_lab.model, "build_crnn_model", lambda *a, **k: pytest.fail("model built"))
    real = resource.getrlimit
    monkeypatch.setattr(resource, "getrlimit", lambda which: (int(2.5e9), resource.RLIM_INFINITY)
                        if which == resource.RLIMIT_AS else real(which))  # as under `ulimit -v 2500000`
    code = main(["train", "--train-data", str(word_lmdbs[0]), "--valid-data", str(word_lmdbs[1]),
                 "--run-dir", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert re.match(r"error: training needs about \d\.\d GB of memory and \d\.\d GB of address space \(batch 64, "
                    r"config 'small'\), and `ulimit -v` allows 2\.5 GB", err), err

@pytest.mark.parametrize("lang, expected", [
    ("en", "Adadelta(lr=0.1) IGNORES lr: tf-keras dropped that argument, so this optimizer trains at its default "
           "learning rate, 0.001, not 0.1. Write Adadelta(learning_rate=0.1) instead."),
    ("ko", "Adadelta(lr=0.1)는 lr을 무시합니다"),
])
def test_the_lectures_lr_keyword_is_called_out_with_the_fix(caplog, monkeypatch, lang, expected):
    """tf-keras drops `lr=` with one quiet absl line; the course says what it means and how to fix it."""
    monkeypatch.setenv("OCR_LAB_LANG", lang)
    train_module.explain_ignored_learning_rate()
    train_module.explain_ignored_learning_rate()  # once per process, however often it is asked
    with caplog.at_level("WARNING"):
        optimizer = keras.optimizers.Adadelta(lr=0.1, clipnorm=5)
    assert float(optimizer.learning_rate) == pytest.approx(0.001)  # still tf-keras' behaviour: it is a warning
    said = [r for r in caplog.records if "lr" in r.getMessage()]
    assert len(said) == 1 and said[0].name == "ocr_lab" and said[0].getMessage().startswith(expected)
