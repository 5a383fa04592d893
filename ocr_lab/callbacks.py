"""Training callbacks: validation word accuracy, the learning-rate schedule, the time budget, checkpoints.

Taught in notebook 04; `ocr_lab.train.train` adds them to `fit`. They subclass tf-keras's
`Callback`, so importing them imports TensorFlow; train.py imports them inside `train`.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import tf_keras as keras

from ocr_lab.checkpoint import predict_softmax, predict_texts, save_recognizer
from ocr_lab.evaluate import read_eval_data
from ocr_lab.files import atomic_write


def write_json_atomic(path, obj):
    """A run's state file, whole or not at all (a run resumes from it)."""
    atomic_write(path, lambda tmp: tmp.write_text(json.dumps(obj, indent=2, default=str)))


class WordAccuracyCallback(keras.callbacks.Callback):
    """After each epoch: validation word accuracy and CER, added to the logs (progress bar, CSV).

    `extra` maps a name to more `EvalData` (real crops, say): their word accuracy is logged
    as `<name>_word_accuracy` beside the validation's, but never chooses the best checkpoint.
    """

    def __init__(self, model_pred, images, labels, characters, extra=None, head="ctc"):
        super().__init__()
        self.model_pred, self.images, self.labels, self.characters = model_pred, images, labels, characters
        self.extra = dict(extra or {})
        self.head = head

    def on_epoch_end(self, epoch, logs=None):
        from ocr_lab.metrics import character_error_rate, word_accuracy

        preds = predict_texts(self.model_pred, self.images, self.characters, head=self.head)
        logs["val_word_accuracy"] = word_accuracy(preds, self.labels)
        logs["val_cer"] = character_error_rate(preds, self.labels)
        for name, data in self.extra.items():  # tall crops turned, as `evaluate` and the pipeline read them
            texts = read_eval_data(functools.partial(predict_softmax, self.model_pred), data, self.characters,
                                   head=self.head)
            logs[f"{name}_word_accuracy"] = word_accuracy(texts, data.labels)


class CosineSchedule(keras.callbacks.Callback):
    """Warm up for `warmup` of the run, then decay the learning rate to 0 along a cosine.

    Progress is measured in steps, or in wall-clock seconds when training has a time
    budget, so a 10-minute run ends with a small learning rate whatever the CPU speed.
    """

    def __init__(self, base_lr, total_steps=None, time_budget=None, warmup=0.03, clock=None):
        super().__init__()
        self.base_lr, self.total_steps, self.time_budget, self.warmup = base_lr, total_steps, time_budget, warmup
        self.clock = clock
        self.step = 0

    def progress(self):
        if self.time_budget:
            return min(self.clock.elapsed() / self.time_budget, 1.0)
        return min(self.step / max(self.total_steps, 1), 1.0)

    def on_train_batch_begin(self, batch, logs=None):
        p = self.progress()
        lr = self.base_lr * (p / self.warmup if p < self.warmup else 0.5 * (1 + math.cos(math.pi * p)))
        self.model.optimizer.learning_rate.assign(max(lr, self.base_lr * 1e-3))
        self.step += 1

    def on_epoch_end(self, epoch, logs=None):
        logs["lr"] = float(self.model.optimizer.learning_rate.numpy())


class TimeBudget(keras.callbacks.Callback):
    """Stop when the training clock passes the budget (checked every batch)."""

    def __init__(self, clock, budget):
        super().__init__()
        self.clock, self.budget = clock, budget

    batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1
        if self.clock.elapsed() >= self.budget:
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        logs["elapsed_s"] = round(self.clock.elapsed(), 1)
        if self.clock.elapsed() >= self.budget:  # validation may have used up the rest
            self.model.stop_training = True


class BestAndLast(keras.callbacks.Callback):
    """Save the best weights by validation word accuracy and the full state for resuming."""

    def __init__(self, run_dir, model_pred, meta, manager):
        super().__init__()
        self.run_dir, self.model_pred, self.meta, self.manager = Path(run_dir), model_pred, meta, manager
        self.best = meta.get("best_word_accuracy", -1.0)

    def on_epoch_end(self, epoch, logs=None):
        acc = logs.get("val_word_accuracy", -1.0)
        self.meta.update(epoch=epoch + 1, elapsed_s=logs.get("elapsed_s", 0.0))
        if acc > self.best:
            self.best = acc
            self.meta.update(best_word_accuracy=acc, best_epoch=epoch + 1, best_cer=logs.get("val_cer"))
            save_recognizer(self.model_pred, self.run_dir / "best.h5", self.meta["characters"],
                            self.meta["img_size"], self.meta["config"],
                            **{k: self.meta[k] for k in ("epoch", "elapsed_s", "best_word_accuracy", "best_cer",
                                                         "train_data", "command") if k in self.meta})
        self.manager.save()
        write_json_atomic(self.run_dir / "state.json", self.meta)
