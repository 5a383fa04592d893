"""Training callbacks: validation word accuracy, the learning-rate schedule, the time budget, checkpoints.

Taught in notebook 04; `ocr_lab.train.train` adds them to `fit`. They subclass tf-keras's
`Callback`, so importing them imports TensorFlow; train.py imports them inside `train`.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np
import tf_keras as keras

from ocr_lab.checkpoint import predict_softmax, predict_texts, save_recognizer
from ocr_lab.evaluate import read_eval_data, scores
from ocr_lab.files import atomic_write
from ocr_lab.labels import is_cased
from ocr_lab.messages import message


def write_json_atomic(path, obj):
    """A run's state file, whole or not at all (a run resumes from it)."""
    atomic_write(path, lambda tmp: tmp.write_text(json.dumps(obj, indent=2, default=str)))


class WordAccuracyCallback(keras.callbacks.Callback):
    """After each epoch: validation word accuracy and CER, added to the logs (progress bar, CSV).

    `extra` maps a name to more `EvalData` (real crops, say): their word accuracy is logged
    as `<name>_word_accuracy` beside the validation's, but never chooses the best checkpoint.
    Word accuracy is scored against the labels as printed, as `evaluate` scores it: case-insensitive,
    letters and digits (`raw_labels` for the validation; its cleaned `labels` when not given). For a
    cased charset each set is also scored as printed, as `<name>_word_accuracy_as_printed`.
    """

    def __init__(self, model_pred, images, labels, characters, extra=None, head="ctc", raw_labels=None):
        super().__init__()
        self.model_pred, self.images, self.labels, self.characters = model_pred, images, labels, characters
        self.raw_labels = list(raw_labels) if raw_labels is not None else list(labels)
        self.extra = dict(extra or {})
        self.head = head

    def on_epoch_end(self, epoch, logs=None):
        from ocr_lab.metrics import character_error_rate, fold_case, word_accuracy

        cased = is_cased(self.characters)
        preds = predict_texts(self.model_pred, self.images, self.characters, head=self.head)
        logs["val_word_accuracy"] = word_accuracy([fold_case(p) for p in preds], [fold_case(t) for t in self.raw_labels])
        logs["val_cer"] = character_error_rate(preds, self.labels)  # against what training targets
        if cased:
            logs["val_word_accuracy_as_printed"] = word_accuracy(preds, self.raw_labels, case_sensitive=True)
        for name, data in self.extra.items():  # tall crops turned, as `evaluate` and the pipeline read them
            texts = read_eval_data(functools.partial(predict_softmax, self.model_pred), data, self.characters,
                                   head=self.head)
            folded, exact = scores(texts, data)
            logs[f"{name}_word_accuracy"] = folded
            if cased:
                logs[f"{name}_word_accuracy_as_printed"] = exact


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
    """Save the best weights by validation word accuracy and the full state for resuming.

    A loss that is not a finite number means the weights have blown up (a learning rate
    too high, say): training stops at the end of that batch, and that epoch saves
    nothing, so best.h5, last/ and state.json keep the last sound epoch. `diverged`
    says (epoch, loss) for `train` to report.
    """

    def __init__(self, run_dir, model_pred, meta, manager):
        super().__init__()
        self.run_dir, self.model_pred, self.meta, self.manager = Path(run_dir), model_pred, meta, manager
        self.best = meta.get("best_word_accuracy", -1.0)
        self.diverged = None

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        loss = logs.get("loss", 0.0)
        if not math.isfinite(float(loss)) or not all(np.isfinite(w).all() for w in self.model_pred.get_weights()):
            self.diverged = (epoch + 1, loss)
            self.model.stop_training = True
            return
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


class LiveProgress(keras.callbacks.Callback):
    """Training a learner can watch: a progress line within each epoch and curves that grow as it trains.

    Every `every` steps it reads two probe batches (`EvalData`), training crops and validation crops, and
    records the step, the seconds, the training loss, each probe's word accuracy, and the share
    of *blank* in the validation probe's per-step argmax: near 1 in CTC's blank phase, when the
    model emits nothing but blanks, and falling as it starts to emit letters; and the validation probe's
    first six readings, to see what the model reads at each step. In a notebook it
    redraws one line and one figure in place (IPython display handles); elsewhere it prints a line.
    `self.history` holds the records, for plotting afterwards (`plot_live_history`).
    """

    def __init__(self, train_probe, valid_probe, characters: str, total_steps: int, every: int = 25,
                 redraw_s: float = 4.0):
        super().__init__()
        self.characters, self.total_steps, self.every = characters, total_steps, every
        self.model_pred = None
        self.train_probe, self.valid_probe, self.redraw_s = train_probe, valid_probe, redraw_s
        self.history: list[dict] = []
        self.step, self._epoch, self._start, self._drawn, self._handles = 0, 0, None, 0.0, None

    def _probe(self, data) -> tuple[float, float, list[str]]:
        """(word accuracy, share of blank in the per-step argmax, readings) on a probe batch."""
        import numpy as np

        from ocr_lab.decode import greedy_decode
        from ocr_lab.labels import BLANK_INDEX
        from ocr_lab.metrics import word_accuracy

        probs = self.model_pred(np.asarray(data.images, np.float32), training=False).numpy()
        texts = greedy_decode(probs, self.characters)[0]
        return word_accuracy(texts, data.labels), float((probs.argmax(-1) == BLANK_INDEX).mean()), texts

    def on_train_begin(self, logs=None):
        import time

        # The image -> softmax model, from the training model's layers (they share the weights).
        softmax = keras.layers.Softmax(dtype="float32")(self.model.get_layer("logits").output)
        self.model_pred = keras.Model(self.model.get_layer("input_image").input, softmax)
        self._start = time.monotonic()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        if not self.history:  # the first record: the model before this run's first step (random, or resumed)
            self.step = epoch * (self.params.get("steps") or 0)
            self._record(loss=None)

    def on_train_batch_end(self, batch, logs=None):
        self.step = self._epoch * (self.params.get("steps") or 0) + batch + 1
        if self.step % self.every == 0 or self.step >= self.total_steps:
            self._record(loss=(logs or {}).get("loss"))

    def _record(self, loss):
        import time

        train_acc, _, _ = self._probe(self.train_probe)
        valid_acc, blank, readings = self._probe(self.valid_probe)
        self.history.append({"step": self.step, "seconds": time.monotonic() - self._start, "loss": loss,
                             "train_word_accuracy": train_acc, "valid_word_accuracy": valid_acc, "blank_share": blank,
                             "readings": readings[:6]})
        self._show()

    def line(self) -> str:
        h = self.history[-1]
        loss = message("live.loss", loss=h["loss"]) if h["loss"] is not None else ""
        return message("live.line", step=h["step"], total=self.total_steps, seconds=h["seconds"], loss=loss,
                       train=h["train_word_accuracy"], valid=h["valid_word_accuracy"], blank=h["blank_share"])

    def _show(self):
        import time

        display = _notebook_display()
        if display is None:
            print(self.line(), flush=True)
            return
        now = time.monotonic()
        last = self.step >= self.total_steps
        if self._handles is None:
            self._handles = (display({"text/plain": self.line()}, raw=True, display_id=True),
                             display(self._figure(), display_id=True))
            self._drawn = now
            return
        self._handles[0].update({"text/plain": self.line()}, raw=True)
        if last or now - self._drawn >= self.redraw_s:
            self._handles[1].update(self._figure())
            self._drawn = now

    def on_train_end(self, logs=None):
        if self._handles is not None:  # the last state, whatever the redraw interval skipped
            self._handles[0].update({"text/plain": self.line()}, raw=True)
            self._handles[1].update(self._figure())

    def _figure(self):
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 3, figsize=(13, 3.2))
        plot_live_history(self.history, axes, total_steps=self.total_steps)
        fig.tight_layout()
        plt.close(fig)  # shown through the display handle only, not again at the end of the cell
        return fig


def plot_live_history(history: list[dict], axes=None, total_steps: int | None = None):
    """The curves `LiveProgress` records: training loss, word accuracy (training and validation
    probes), and the share of blank in the per-step argmax, against the training step."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(13, 3.2))
    steps = [h["step"] for h in history]
    losses = [(h["step"], h["loss"]) for h in history if h["loss"] is not None]
    if losses:
        axes[0].plot(*zip(*losses), color="tab:blue")
    axes[0].set(xlabel="step", title="training loss (CTC)", yscale="log")
    axes[1].plot(steps, [h["train_word_accuracy"] for h in history], label="training crops")
    axes[1].plot(steps, [h["valid_word_accuracy"] for h in history], label="validation crops")
    axes[1].set(xlabel="step", ylim=(-0.03, 1.03), title="word accuracy")
    axes[1].legend(loc="upper left")
    axes[2].plot(steps, [h["blank_share"] for h in history], color="tab:gray")
    axes[2].set(xlabel="step", ylim=(-0.03, 1.03), title="share of blank in the per-step argmax")
    for ax in axes:
        ax.grid(alpha=0.3)
        if total_steps:
            ax.set_xlim(0, total_steps)
    return axes


def _notebook_display():
    """IPython's `display` when running in a Jupyter kernel, else None (a terminal, a script)."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    shell = get_ipython()
    return display if shell is not None and getattr(shell, "kernel", None) is not None else None
