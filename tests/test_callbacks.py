"""Callbacks: what WordAccuracyCallback logs each epoch (the history CSV's columns), for the lecture's
charset and for a cased one, without training anything: the model is scripted."""
import numpy as np
import pytest

from ocr_lab.callbacks import WordAccuracyCallback
from ocr_lab.evaluate import EvalData
from ocr_lab.labels import CASED_CHARACTERS, IMG_SIZE, TARGET_CHARACTERS, TIME_STEPS


class Scripted:
    """A stand-in prediction model: the crop whose pixels are all k reads texts[k]."""

    def __init__(self, texts, characters):
        self.texts, self.characters = texts, characters

    def predict(self, images, batch_size=256, verbose=0):
        y = np.zeros([len(images), TIME_STEPS, len(self.characters) + 1], np.float32)
        y[:, :, 0] = 1
        for row, img in zip(y, np.asarray(images)):
            for step, ch in enumerate(self.texts[int(img[0, 0, 0])]):
                row[2 * step, 0], row[2 * step, self.characters.index(ch) + 1] = 0, 1
        return y


def crops(n):
    return np.stack([np.full([*IMG_SIZE, 3], k, np.uint8) for k in range(n)])


def test_a_cased_model_logs_both_scores_for_validation_and_extra_sets():
    reads = ["Chevron", "HOTEL", "0309", "caf"]
    raw = ["Chevron", "Hotel", "03/09", "café"]  # labels as printed
    labels = ["Chevron", "Hotel", "03/09", "caf"]  # in the charset
    real = EvalData(crops(4), labels, [f"{i}.png" for i in range(4)], {}, {}, raw)
    callback = WordAccuracyCallback(Scripted(reads, CASED_CHARACTERS), crops(4), labels, CASED_CHARACTERS,
                                    {"real_dev": real}, raw_labels=raw)
    logs = {}
    callback.on_epoch_end(0, logs)
    assert logs["val_word_accuracy_as_printed"] == pytest.approx(1 / 4)  # Chevron
    assert logs["real_dev_word_accuracy_as_printed"] == pytest.approx(1 / 4)
    # case-insensitive, letters and digits: Chevron, HOTEL, 0309; never café, whose é the model cannot print
    assert logs["real_dev_word_accuracy"] == pytest.approx(3 / 4)
    assert logs["val_word_accuracy"] == pytest.approx(3 / 4)  # the validation is scored as real_dev is
    assert set(logs) == {"val_word_accuracy", "val_cer", "val_word_accuracy_as_printed", "real_dev_word_accuracy",
                         "real_dev_word_accuracy_as_printed"}


def test_the_lecture_model_logs_what_it_always_logged():
    labels = ["CHEVRON", "HOTEL"]
    real = EvalData(crops(2), labels, ["a.png", "b.png"], {}, {}, ["Chevron", "HOTEL"])
    callback = WordAccuracyCallback(Scripted(labels, TARGET_CHARACTERS), crops(2), labels, TARGET_CHARACTERS,
                                    {"real_dev": real})
    logs = {}
    callback.on_epoch_end(0, logs)
    assert logs == {"val_word_accuracy": 1.0, "val_cer": 0.0, "real_dev_word_accuracy": 1.0}


def test_the_live_progress_line_speaks_the_notebook_s_language(monkeypatch):
    from ocr_lab.callbacks import LiveProgress

    live = LiveProgress.__new__(LiveProgress)  # the line only reads the history and the total
    live.total_steps = 560
    live.history = [{"step": 25, "seconds": 12.4, "loss": 9.87, "train_word_accuracy": 0.0, "valid_word_accuracy": 0.0,
                     "blank_share": 0.99}]
    monkeypatch.setenv("OCR_LAB_LANG", "en")
    assert live.line() == "step 25/560 · 12 s · loss 9.87 · word accuracy: training 0.00, validation 0.00 · blank 99%"
    monkeypatch.setenv("OCR_LAB_LANG", "ko")
    assert live.line() == "step 25/560 · 12초 · 손실 9.87 · 단어 정확도: 학습 0.00, 검증 0.00 · 공백 문자 99%"
