"""Train: fit the CRNN with CTC, measure word accuracy every epoch, keep the best weights.

Taught in notebook 04. What changed from the lecture, and why:
- an epoch is a real pass (or `steps_per_epoch` steps) over the data, not 1 % of it;
- validation reports word accuracy and CER, not only the CTC loss, and the best
  checkpoint is chosen by word accuracy, which is what a reader cares about;
- Adam with a cosine learning-rate decay is the default: on a CPU budget it reaches
  high accuracy many times sooner than the lecture's Adadelta(lr=0.1)
  (`benchmarks/bench_training.py` measures both);
- checkpoints carry their config (charset, input size, model config) and are
  written atomically; run again with the same run folder and `resume=True` (the
  command line does by default), an interrupted run resumes from its last finished epoch.
"""
from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# DEFAULT_CHECKPOINT, load_recognizer and predict_texts are imported from here by notebooks 04-06.
from ocr_lab.checkpoint import (DEFAULT_CHECKPOINT, checkpoint_config, load_recognizer,  # noqa: F401
                                predict_texts, project_relative, read_checkpoint_config, save_recognizer)
from ocr_lab.files import atomic_copy, check_writable, describe, unexpected_entries
from ocr_lab.labels import CHARSETS, IMG_SIZE, PUNCTUATION, TARGET_CHARACTERS, LabelConverter
from ocr_lab.messages import message
from ocr_lab.runlock import LOCK_NAME, holds_run_dir


def recipe() -> str:
    """What changed from the lecture's training and why (this module's docstring, after its first line),
    in the learner's language: notebook 04 prints it. The English is `message("train.recipe")`, kept equal
    to the docstring by tests/test_messages.py."""
    return message("train.recipe")


class TrainingClock:
    """Wall-clock seconds of training, carried over when a run resumes."""

    def __init__(self, already=0.0):
        self.already, self.start = already, time.monotonic()

    def elapsed(self):
        return self.already + time.monotonic() - self.start


# Everything a training run writes into its run folder, with the temporary names those writes
# pass through: BestAndLast (best.h5, state.json), CSVLogger (history.csv) and the checkpoint
# manager (last/). A restart deletes a run folder only when it holds nothing else, so a
# mistyped --run-dir cannot delete a shipped checkpoint, notes or photos.
RUN_FILES = ("state.json", ".state.json.*.partial", "history.csv", "best.h5", ".best.h5.*.partial",
             ".state.json.tmp", ".best.h5.*.h5",  # the temporary names runs made before `files.atomic_write`
             "last", "last/checkpoint", "last/checkpoint.tmp*", "last/ckpt-*", LOCK_NAME)
START_OVER = "run again with --restart (resume=False) to start over, which deletes the run folder, or use another --run-dir"


def delete_run_dir(run_dir) -> None:
    """Delete a run folder for a restart, but only one that holds nothing but `RUN_FILES`."""
    run_dir = Path(run_dir)
    if run_dir.is_symlink() or not run_dir.is_dir():
        raise FileExistsError(f"--run-dir {str(run_dir)!r} is not a folder, so --restart will not delete it; "
                              "choose another --run-dir")
    others = unexpected_entries(run_dir, RUN_FILES)
    if others:
        raise FileExistsError(f"--run-dir {str(run_dir)!r} holds files a training run does not write "
                              f"({describe(others)}), so --restart will not delete it; choose another --run-dir, "
                              "or move those files out first")
    for entry in run_dir.iterdir():  # all but the lock, which the restarting run holds (ocr_lab.runlock)
        if entry.name == LOCK_NAME:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if not any(run_dir.iterdir()):
        run_dir.rmdir()


def read_state(path) -> dict:
    """A run's state.json, or an error that says how to go on when it is damaged."""
    try:
        meta = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as err:  # bad JSON or bad UTF-8
        raise ValueError(f"{str(path)!r} is corrupt ({err}); {START_OVER}") from None
    if not isinstance(meta, dict):
        raise ValueError(f"{str(path)!r} is corrupt (not a JSON object); {START_OVER}")
    for key, (kinds, expected) in STATE_TYPES.items():
        if key in meta and meta[key] is not None and (not isinstance(meta[key], kinds) or isinstance(meta[key], bool)):
            raise ValueError(message("state.wrong_type", path=str(path), entry=key, expected=expected, got=meta[key]))
    return meta


# What `read_state` checks in a state.json before a run resumes from it: the keys a run reads back.
STATE_TYPES = {"epoch": (int, "a whole number"), "elapsed_s": ((int, float), "a number"),
               "best_word_accuracy": ((int, float), "a number"), "best_epoch": (int, "a whole number"),
               "best_cer": ((int, float), "a number"), "config": ((str, dict), "a config name"),
               "characters": (str, "a string of characters"), "command": (str, "a command line")}


# ----------------------------------------------------------------------------- training

def light_augment(rng: np.random.Generator):
    """On-the-fly augmentation of a width-first uint8 crop: contrast, brightness, noise, colour inversion.

    The synthetic generator already varies fonts, colours, blur and distortion; this
    only keeps the model from memorising exact pixel values across epochs.
    """

    def augment(img: np.ndarray) -> np.ndarray:
        x = img.astype(np.float32)
        if rng.random() < 0.1:
            x = 255 - x
        mean = x.mean()
        x = (x - mean) * rng.uniform(0.7, 1.3) + mean + rng.uniform(-25, 25)
        x += rng.normal(0, rng.uniform(0, 6), x.shape)
        return np.clip(x, 0, 255).astype(np.uint8)

    return augment


# Peak rates. Adam's 3e-3 is three times Keras's default; with batch norm after every conv
# the small CRNN takes it. In 10-minute runs on the same data and machine, 3e-3 reached
# 0.886 validation word accuracy, 6e-3 0.885, and 1e-3 0.793 (that run also augmented).
DEFAULT_LEARNING_RATES = {"adam": 3e-3, "adadelta": 0.1, "sgd": 0.02}


def make_optimizer(name: str, learning_rate: float):
    import tf_keras as keras

    name = name.lower()
    if name == "adam":
        return keras.optimizers.Adam(learning_rate, clipnorm=5.0)
    if name == "adadelta":  # the lecture's choice: Adadelta(lr=0.1, clipnorm=5)
        return keras.optimizers.Adadelta(learning_rate, clipnorm=5.0)
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate, momentum=0.9, nesterov=True, clipnorm=5.0)
    raise ValueError(f"unknown optimizer {name!r}; choose adam, adadelta or sgd")


class _IgnoredLearningRate(logging.Filter):
    """Turns tf-keras' quiet "`lr` is deprecated" into what it means for a learner, in their language.

    tf-keras drops `lr=` and trains at the optimizer's default rate, with only that one absl line:
    the lecture's `Adadelta(lr=0.1)` trains at 0.001, a hundred times slower than meant, and nothing
    else says so. The record keeps its level and goes on as `ocr_lab`'s, so the notebook shows it in red.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "`lr` is deprecated" not in text:
            return True
        import inspect
        import re

        from ocr_lab.messages import message

        found = re.search(r"legacy\.(\w+)", text)
        name = found.group(1) if found else "Optimizer"
        default = "?"
        with contextlib.suppress(Exception):
            keras = sys.modules["tf_keras"]
            default = f"{inspect.signature(getattr(keras.optimizers, name)).parameters['learning_rate'].default:g}"
        lr, frame = "...", sys._getframe()
        while frame is not None:  # the value the learner passed: a local of tf-keras' _process_kwargs
            if frame.f_code.co_name == "_process_kwargs" and "lr" in frame.f_locals:
                lr = f"{frame.f_locals['lr']:g}" if isinstance(frame.f_locals["lr"], (int, float)) else "..."
                break
            frame = frame.f_back
        record.name, record.msg, record.args = "ocr_lab", message("train.lr_ignored", name=name, lr=lr,
                                                                  default=default), ()
        return True


def explain_ignored_learning_rate() -> None:
    """Make tf-keras say loudly, with the fix, that an optimizer given `lr=` ignores it (notebook 04).

    Installed once per process, on the `absl` logger tf-keras warns through; `ocr_lab.notebooks`
    installs it for every notebook.
    """
    absl = logging.getLogger("absl")
    if not any(isinstance(f, _IgnoredLearningRate) for f in absl.filters):
        absl.addFilter(_IgnoredLearningRate())


# Keras dtype policies a run can train under. "mixed_bfloat16" computes in bfloat16 and keeps
# the weights in float32, so its checkpoints are ordinary float32 ones. It pays only where the
# hardware has bfloat16 arithmetic (AVX512-BF16 or AMX CPUs, recent GPUs); elsewhere it is
# emulated and slower than float32.
PRECISIONS = ("float32", "mixed_bfloat16")


@contextlib.contextmanager
def dtype_policy(name: str):
    """Build layers under a Keras dtype policy, then restore the previous one (the policy is process-wide)."""
    import tf_keras as keras

    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(name)
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy(previous)


class TrainingInterrupted(KeyboardInterrupt):
    """Training stopped by the user (Ctrl-C, or Jupyter's Kernel > Interrupt): one line that says what
    was kept and how to go on, instead of TensorFlow's stack trace (IPython shows `_render_traceback_`)."""

    def __init__(self, run_dir, meta: dict):
        epoch = int(meta.get("epoch", 0))
        if epoch:
            kept = (f"{run_dir} keeps epoch {epoch} ({meta.get('elapsed_s', 0):.0f} s trained) and the best weights "
                    f"so far, best.h5. To go on from there, train again with resume=True and the same run folder "
                    f"(`python -m ocr_lab train` with the same --run-dir does); resume=False starts over.")
        else:
            kept = "no epoch had finished, so nothing was kept: train again to start over."
        super().__init__(f"interrupted: {kept}")

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


@dataclass
class TrainResult:
    run_dir: Path
    best_checkpoint: Path
    history: list  # one dict per epoch: loss, val_loss, val_word_accuracy, val_cer, lr, elapsed_s
    samples_per_second: float
    skipped: dict


def read_history(run_dir) -> list[dict]:
    path = Path(run_dir) / "history.csv"
    if not path.exists():
        return []
    import csv

    with path.open() as f:
        return [{k: float(v) if v not in ("", None) else None for k, v in row.items()} for row in csv.DictReader(f)]


@holds_run_dir
def train(train_path=None, valid_path=None, run_dir="checkpoints/runs/default", config="small",
          batch_size: int = 64, optimizer: str = "adam", learning_rate: float | None = None,
          schedule: str = "cosine", epochs: int = 30, steps_per_epoch: int | None = None,
          time_budget: float | None = None, input_pipeline: str = "tf.data", augment: bool = True,
          early_stopping_patience: int | None = 8, resume: bool = True, seed: int = 0,
          max_valid: int | None = 2000, strategy=None, characters: str = TARGET_CHARACTERS,
          verbose: int | None = None, command: str | None = None,
          init_from: str | os.PathLike | None = None, precision: str = "float32",
          eval_data: dict[str, str | os.PathLike] | None = None, warmup: float = 0.03,
          callbacks: list | None = None) -> TrainResult:
    """Train a CRNN and return where its best checkpoint is.

    `train_path` is an LMDB, or a list of LMDBs read as one set (shards of a generated set).
    `time_budget` (seconds) stops training after that much wall-clock time and runs
    the cosine schedule over it. `input_pipeline` is "tf.data" (parallel decoding,
    prefetch) or "sequence" (the lecture's MJDatasetSequence). `strategy` is a
    `tf.distribute` strategy (e.g. MirroredStrategy over several GPUs); the model
    and optimizer are built in its scope, and `batch_size` is the global batch.
    Re-running with the same `run_dir` and `resume=True` (the default, and the command line's)
    resumes from the last finished epoch: weights, optimizer, schedule and clock; an interrupted
    run raises `TrainingInterrupted`, whose one line says so. `resume=False` deletes the run and starts over.
    While it runs, `train` holds the run folder's lock (`ocr_lab.runlock`): a second run on it is refused.
    `init_from` starts a new run from the weights of a saved recognizer instead of
    random ones (fine-tuning: the shipped checkpoint on your own crops, for example);
    it must have the same config, charset and input size. `precision` is one of
    `PRECISIONS`: "mixed_bfloat16" trains faster on CPUs with bfloat16 instructions.
    `eval_data` maps names to more evaluation sets (an LMDB or a folder with labels.tsv, such as
    real photographed crops): their word accuracy is logged every epoch, and never trained on.
    `warmup` is the share of the run (of its steps, or of its time budget) over which the cosine
    schedule ramps the learning rate up from 0. `callbacks` are more Keras callbacks for `fit`
    (`ocr_lab.callbacks.LiveProgress` draws the curves as they grow, in a notebook).
    """
    import tensorflow as tf
    import tf_keras as keras

    from ocr_lab.callbacks import BestAndLast, CosineSchedule, TimeBudget, WordAccuracyCallback
    from ocr_lab.data import ConcatRecords, LmdbRecords, MJDatasetSequence, default_data_paths, make_tf_dataset
    from ocr_lab.evaluate import load_eval_data
    from ocr_lab.model import (build_crnn_model, ctc_identity_loss, grow_weights, is_rectifier,
                               model_params, time_steps_of, transfer_charset)

    paths = default_data_paths()
    # Several training LMDBs (shards of a generated set) are read as one.
    train_paths = [Path(p) for p in (train_path if isinstance(train_path, (list, tuple)) else [train_path]) if p]
    train_paths = train_paths or [Path(paths["train"])]
    valid_path = Path(valid_path or paths["valid"])
    if len(train_paths) > 1 and input_pipeline != "tf.data":
        raise ValueError("several --train-data sets need the tf.data input pipeline (--input tf.data)")
    if input_pipeline not in ("tf.data", "sequence"):
        raise ValueError(f"input_pipeline must be 'tf.data' or 'sequence', got {input_pipeline!r}")
    if schedule not in ("cosine", "constant"):
        raise ValueError(f"schedule must be 'cosine' or 'constant', got {schedule!r}")
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    check_numbers(learning_rate, steps_per_epoch, time_budget, batch_size, epochs)
    # Fail on bad data before spending time on the model.
    time_steps = time_steps_of(config)
    for path in train_paths:
        check_generator_version(path)
    converter = LabelConverter(characters)
    train_records = [LmdbRecords(path, characters, time_steps=time_steps) for path in train_paths]
    train_records = train_records[0] if len(train_records) == 1 else ConcatRecords(train_records)
    valid_records = LmdbRecords(valid_path, characters, time_steps=time_steps)
    extra_eval = load_extra_eval_data(eval_data or {}, characters, time_steps)
    learning_rate = learning_rate or DEFAULT_LEARNING_RATES[optimizer.lower()]
    if init_from is not None:
        _check_init_checkpoint(init_from, config, characters)

    if verbose is None:  # a live progress bar in a terminal, one line per epoch in logs and notebooks
        verbose = 1 if sys.stdout.isatty() else 2
    check_memory(batch_size, config, verbose)
    keras.utils.set_random_seed(seed)
    run_dir = Path(run_dir)
    state_path = run_dir / "state.json"
    if not resume and (run_dir.exists() or run_dir.is_symlink()):
        delete_run_dir(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    meta = read_state(state_path) if resume and state_path.exists() else {}
    if meta and meta.get("config") != config:
        raise ValueError(f"{run_dir} holds a run of config {meta.get('config')!r}; use another run_dir or resume=False")
    if meta and meta.get("characters", characters) != characters:
        raise ValueError(f"{run_dir} holds a run for the charset {meta['characters']!r}, not {characters!r}; "
                         "use another run_dir or resume=False")
    meta.update(characters=characters, img_size=list(IMG_SIZE), config=config,
                train_data=" + ".join(project_relative(p) for p in train_paths),
                command=command or meta.get("command"), precision=precision)
    if init_from is not None:
        meta.setdefault("init_from", project_relative(Path(init_from)))

    strategy = strategy or tf.distribute.get_strategy()
    with strategy.scope(), dtype_policy(precision):
        model, model_pred = build_crnn_model(characters=characters, config=config)
        opt = make_optimizer(optimizer, learning_rate)
        model.compile(loss={"ctc": ctc_identity_loss}, optimizer=opt)
        opt.build(model.trainable_variables)  # create Adam's slots now, so restore fills them and fit traces once
    ckpt = tf.train.Checkpoint(model=model, optimizer=opt)
    manager = tf.train.CheckpointManager(ckpt, str(run_dir / "last"), max_to_keep=1)
    initial_epoch = 0
    if resume and meta.get("epoch") and not manager.latest_checkpoint:
        raise ValueError(f"{str(state_path)!r} records {meta['epoch']} finished epoch(s), but {str(run_dir / 'last')!r} "
                         f"holds no checkpoint to resume from; {START_OVER}")
    if resume and manager.latest_checkpoint:
        try:
            ckpt.restore(manager.latest_checkpoint).expect_partial()
        except (tf.errors.OpError, ValueError, IndexError) as err:
            reason = " ".join(str(err).split())[:200]
            raise ValueError(f"the last checkpoint in {str(run_dir / 'last')!r} cannot be read ({reason}); "
                             f"{START_OVER}") from None
        initial_epoch = int(meta.get("epoch", 0))
        if verbose:
            print(f"resuming {run_dir} from epoch {initial_epoch} ({meta.get('elapsed_s', 0):.0f} s trained)")
    elif init_from is not None:
        start = load_recognizer(init_from)
        if start.characters != characters:
            fresh = transfer_charset(start.model, model_pred, start.characters, characters)
            if verbose:
                print(f"starting from the weights of {init_from}, its {len(start.characters)} characters copied into "
                      f"this run's {len(characters)} (another case starts from its twin; {fresh} class(es) start fresh)")
        elif any(map(is_rectifier, model_pred.layers)) and not any(map(is_rectifier, start.model.layers)):
            grow_weights(start.model, model_pred)  # a copy where the widths agree ("wide" -> "wide_tps")
            if verbose:
                print(f"starting from the weights of {init_from}, behind a new rectification stage that starts "
                      "as the identity, so the model reads as the checkpoint does")
        elif [w.shape for w in start.model.weights] == [w.shape for w in model_pred.weights]:
            model_pred.set_weights(start.model.get_weights())  # the training model shares these layers
            if verbose:
                print(f"starting from the weights of {init_from}")
        else:
            grow_weights(start.model, model_pred)
            if verbose:
                print(f"starting from the weights of {init_from}, grown into the {config!r} config: its new units "
                      "start with zero weights out of them, so the model reads as the checkpoint does")

    if input_pipeline == "tf.data":
        aug = light_augment(np.random.default_rng(seed)) if augment else None
        train_ds, _ = make_tf_dataset(train_paths[0], converter, batch_size, is_train=True, seed=seed,
                                      augment=aug, records=train_records, time_steps=time_steps)
        valid_ds, _ = make_tf_dataset(valid_path, converter, batch_size, records=valid_records, time_steps=time_steps)
        options = tf.data.Options()
        options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
        # Repeated, with fit's steps_per_epoch marking the epochs: an exhausted dataset would end training.
        train_ds, valid_ds = train_ds.with_options(options).repeat(), valid_ds.with_options(options)
    else:
        train_ds = MJDatasetSequence(train_paths[0], converter, batch_size, is_train=True, character=characters, seed=seed,
                                     time_steps=time_steps)
        valid_ds = MJDatasetSequence(valid_path, converter, batch_size, character=characters, time_steps=time_steps)
    steps_per_epoch = steps_per_epoch or math.ceil(len(train_records.index_list) / batch_size)
    if time_budget:
        epochs = max(epochs, 10_000)  # the budget decides when to stop

    val = load_eval_data(valid_path, characters, IMG_SIZE, max_valid, time_steps=time_steps)
    clock = TrainingClock(meta.get("elapsed_s", 0.0))
    extra_callbacks = list(callbacks or [])
    callbacks = [WordAccuracyCallback(model_pred, val.images, val.labels, characters, extra_eval,
                                      model_params(config)["head"], val.raw_labels)]
    if schedule == "cosine":
        callbacks.append(CosineSchedule(learning_rate, total_steps=epochs * steps_per_epoch,
                                        time_budget=time_budget, warmup=warmup, clock=clock))
        callbacks[-1].step = initial_epoch * steps_per_epoch
    budget = TimeBudget(clock, time_budget or float("inf"))
    callbacks += [budget, BestAndLast(run_dir, model_pred, meta, manager),
                  keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=initial_epoch > 0), *extra_callbacks]
    if early_stopping_patience:
        # On the validation loss, not word accuracy: accuracy sits at 0 for the first
        # epochs of CTC training (the model emits only blanks) while the loss already falls.
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", mode="min",
                                                       patience=early_stopping_patience))
    if time_budget and clock.elapsed() >= time_budget:
        epochs = initial_epoch  # budget already spent: nothing left to train
    t0 = time.monotonic()
    try:
        model.fit(train_ds, epochs=epochs, initial_epoch=initial_epoch,
                  steps_per_epoch=steps_per_epoch if input_pipeline == "tf.data" else None,
                  validation_data=valid_ds, callbacks=callbacks, verbose=verbose)
    except KeyboardInterrupt:
        raise TrainingInterrupted(run_dir, meta) from None
    wall = time.monotonic() - t0  # includes validation: an honest end-to-end training speed
    best = run_dir / "best.h5"
    saver = next(c for c in callbacks if isinstance(c, BestAndLast))
    if saver.diverged:
        raise ValueError(diverged_message(saver, learning_rate))
    if not best.exists():
        save_recognizer(model_pred, best, characters, IMG_SIZE, config, epoch=initial_epoch)
    return TrainResult(run_dir, best, read_history(run_dir), budget.batches * batch_size / max(wall, 1e-9),
                       dict(train_records.skipped))


def check_numbers(learning_rate, steps_per_epoch, time_budget, batch_size, epochs) -> None:
    """Refuse a number that would train silently wrong (`ocr_lab.arguments`): NaN or negative rates, 0 steps."""
    from ocr_lab.arguments import positive

    if learning_rate is not None:
        positive(learning_rate, "--lr")
    if steps_per_epoch is not None:
        positive(steps_per_epoch, "--steps-per-epoch")  # 0 would mean "a full pass" to Keras
    if time_budget is not None:
        positive(time_budget, "--minutes")
    positive(batch_size, "--batch-size")
    positive(epochs, "--epochs")


# Peak memory of a training process, measured on the CPU with `ru_maxrss` and /proc's VmPeak
# (tf 2.21, 3 steps of batch 64, tf.data): the small config 1.1 GB resident and 3.2 GB of
# address space, the wide one 1.3 GB and 3.4 GB. The margin covers a full-size data set's buffers.
MEMORY_GB = {"base": 1.4, "wide": 0.3, "per_sample": 0.004, "address_space": 2.2}


def memory_needed_gb(batch_size: int, config) -> float:
    """About how much memory (resident, GB) training needs: most of it is TensorFlow itself."""
    wider = MEMORY_GB["wide"] if str(config).startswith("wide") else 0.0
    return MEMORY_GB["base"] + wider + MEMORY_GB["per_sample"] * batch_size


def memory_limits_gb() -> tuple[float | None, float | None]:
    """(memory, address space) this process may use at most, in GB; None where nothing limits it.

    Memory: the machine's, or a cgroup's limit (a container's --memory). Address space: `ulimit -v`,
    which TensorFlow meets first, as it reserves far more than it touches.
    """
    import resource

    memory = []
    try:
        meminfo = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        memory.append(int(meminfo["MemTotal"].split()[0]) / 1e6)
    except (OSError, KeyError, ValueError):
        pass
    try:
        cgroup = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if cgroup != "max":
            memory.append(int(cgroup) / 1e9)
    except (OSError, ValueError):
        pass
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return (min(memory) if memory else None), (None if soft == resource.RLIM_INFINITY else soft / 1e9)


def check_memory(batch_size: int, config, verbose) -> None:
    """Say how much memory training needs, and refuse to start where it is plainly not there.

    Under a limit too small, TensorFlow does not fail with a message: the process is killed,
    or crashes, minutes in.
    """
    needed = memory_needed_gb(batch_size, config)
    address_space = needed + MEMORY_GB["address_space"]
    memory, address_limit = memory_limits_gb()
    if memory is not None and memory < needed:
        raise MemoryError(message("train.memory", needed=needed, batch_size=batch_size, config=config,
                                  available=memory))
    if address_limit is not None and address_limit < address_space:
        raise MemoryError(message("train.address_space", needed=needed, address_space=address_space,
                                  batch_size=batch_size, config=config, available=address_limit))
    if verbose:
        print(message("train.memory_note", needed=needed))


def diverged_message(saver, learning_rate: float) -> str:
    """What a run that stopped on a NaN loss (`callbacks.BestAndLast`) says: where, what was kept, what to do."""
    epoch, loss = saver.diverged
    best_epoch = saver.meta.get("best_epoch")
    kept = message("train.diverged_kept", epoch=best_epoch) if best_epoch else message("train.diverged_nothing")
    return message("train.diverged", epoch=epoch, loss=loss, kept=kept, lr=learning_rate)


def check_generator_version(train_path) -> None:
    """Refuse a synthetic training set made by an older version of `ocr_lab.synth`.

    Its `.complete` marker (in the folder above the LMDB) records the generator version;
    sets without one (the real MJSynth, your own crops) are not synthetic and pass.
    """
    import ocr_lab.synth as synth

    marker = Path(train_path).resolve().parent / synth.COMPLETE_MARKER
    if not marker.exists():
        return
    try:
        version = json.loads(marker.read_text()).get("generator_version")
    except ValueError:
        version = None
    if version != synth.GENERATOR_VERSION:
        raise ValueError(f"{str(train_path)!r} was built by generator version {version}, and this course's generator "
                         f"is version {synth.GENERATOR_VERSION}: rebuild it with "
                         f"`python -m ocr_lab synth --out {Path(train_path).parent} --force` (same sizes: see "
                         f"{str(marker)!r}), or train on it with an older ocr_lab")


def parse_eval_data(specs: list[str]) -> dict[str, Path]:
    """`["real_dev=../shared/real_dev", ...]` -> {"real_dev": Path(...)}; names are letters, digits, _ and -."""
    import re

    sets = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z0-9_-]+", name) or not path:
            raise ValueError(f"--eval-data {spec!r}: write NAME=PATH, e.g. --eval-data real_dev=../shared/real_dev")
        if name in sets or name == "val":
            raise ValueError(f"--eval-data {spec!r}: the name {name!r} is used twice (or is the validation's)")
        sets[name] = Path(path)
    return sets


def load_extra_eval_data(sets: dict, characters: str, time_steps: int) -> dict:
    """Load every extra evaluation set before training, failing with its name and path."""
    from ocr_lab.evaluate import load_eval_data

    loaded = {}
    for name, path in sets.items():
        try:
            loaded[name] = load_eval_data(path, characters, IMG_SIZE, time_steps=time_steps)
        except (FileNotFoundError, ValueError) as err:
            raise ValueError(f"evaluation set {name!r} at {str(path)!r} cannot be used: {err}") from None
    return loaded


def _check_init_checkpoint(path, config: str, characters: str) -> None:
    """Refuse, before any training, a starting checkpoint whose weights do not fit the run's model.

    Another config is accepted when every weight has the same shape (a "small" checkpoint
    starts a "wide" run: only the pooling differs, see `model.same_weight_shapes`), or when the
    run's model is the checkpoint's grown wider ("wide" starts "wide128", see `model.grow_weights`), or
    the checkpoint's behind a new rectification stage ("wide" starts "wide_tps": `model.grow_weights` leaves
    the new stage as the identity).
    """
    from ocr_lab.model import can_grow, model_params, same_weight_shapes

    cfg = read_checkpoint_config(path)
    found = {"input size": tuple(cfg["img_size"])}  # another charset is copied class by class (transfer_charset)
    wanted = {"input size": tuple(IMG_SIZE)}
    for what in found:
        if found[what] != wanted[what]:
            raise ValueError(f"cannot start from {str(path)!r}: it has the {what} {found[what]!r}, this run needs "
                             f"{wanted[what]!r}; pass a checkpoint of the same model, or train from scratch")
    params = json.loads(json.dumps(checkpoint_config(characters, IMG_SIZE, config)["model_params"]))  # lists, as stored
    theirs = cfg.get("model_params") or cfg["config"]
    if params.get("rectify") and not model_params(theirs).get("rectify"):  # a new rectification stage in front
        params = {k: v for k, v in params.items() if k != "rectify"}
    if cfg["characters"] != characters and not same_weight_shapes(theirs, params):
        raise ValueError(f"cannot start from {str(path)!r}: it has the charset {cfg['characters']!r} and the config "
                         f"{cfg['config']!r}; a run for another charset ({characters!r}) can start only from a "
                         "checkpoint of the same layer widths")
    if theirs != params and not same_weight_shapes(theirs, params) and not can_grow(theirs, params):
        raise ValueError(f"cannot start from {str(path)!r}: it has the config {cfg['config']!r}, whose layers "
                         f"({theirs}) neither are nor grow into the {config!r} config's ({params}); pass a "
                         "checkpoint of the same model or of a narrower one, or train from scratch")


def plot_history(history: list[dict], ax=None):
    """Training curves: CTC loss (train, validation) and validation word accuracy / CER, labelled in the
    learner's language."""
    import matplotlib.pyplot as plt

    from ocr_lab.messages import message

    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=(11, 3.5))
    epochs = [int(h["epoch"]) + 1 for h in history]
    ax[0].plot(epochs, [h["loss"] for h in history], label=message("plot.train_loss"))
    ax[0].plot(epochs, [h["val_loss"] for h in history], label=message("plot.validation_loss"))
    ax[0].set(xlabel=message("plot.epoch"), ylabel=message("plot.ctc_loss"), yscale="log",
              title=message("plot.ctc_loss"))
    ax[1].plot(epochs, [h["val_word_accuracy"] for h in history], label=message("plot.word_accuracy"))
    ax[1].plot(epochs, [h["val_cer"] for h in history], label=message("plot.cer"))
    for key in [k for k in history[0] if k.endswith("_word_accuracy") and k != "val_word_accuracy"] if history else []:
        name = key[: -len("_word_accuracy")].replace("_", " ")
        ax[1].plot(epochs, [h[key] for h in history], "--", label=message("plot.named_word_accuracy", name=name))
    ax[1].set(xlabel=message("plot.epoch"), ylim=(0, 1.02), title=message("plot.validation"))
    for a in ax:
        a.legend()
        a.grid(alpha=0.3)
    return ax


# ----------------------------------------------------------------------------- command line

def add_cli(subparsers):
    p = subparsers.add_parser("train", help="train a CRNN recognizer on LMDB word crops",
                              description="Train a CRNN with CTC. Data default to data/synth (or $OCR_LAB_DATA).")
    p.add_argument("--train-data", action="append", default=[],
                   help="training LMDB (default: data/synth/train or $OCR_LAB_DATA); repeat it to train on several "
                        "as one set, e.g. shards of a generated set made with different --seed")
    p.add_argument("--valid-data", help="validation LMDB")
    p.add_argument("--run-dir", default="checkpoints/runs/default", help="where checkpoints and history go")
    p.add_argument("--config", default="small", choices=["small", "wide", "wide128", "wide_tps", "wider_tps", "lecture"],
                   help="model config (ocr_lab/model.py CONFIGS): small (24 steps), wide (49 steps), wide128 "
                        "(wide with 128-unit LSTMs), wide_tps (wide behind a thin-plate-spline rectification "
                        "stage), wider_tps (wide_tps with twice the channels and 128-unit LSTMs), lecture")
    p.add_argument("--charset", default="lecture", choices=sorted(CHARSETS),
                   help="lecture: the lecture's 36 characters, labels upper-cased; cased: upper and lower case, "
                        f"digits and {PUNCTUATION.replace('%', '%%')!r}, labels as printed (ocr_lab/labels.py)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--optimizer", default="adam", choices=["adam", "adadelta", "sgd"])
    p.add_argument("--lr", type=float, help="peak learning rate (default: 3e-3 adam, 0.1 adadelta, 0.02 sgd)")
    p.add_argument("--schedule", default="cosine", choices=["cosine", "constant"])
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--steps-per-epoch", type=int, help="steps between validations (default: one pass)")
    p.add_argument("--minutes", type=float, help="wall-clock budget; stops training after it")
    p.add_argument("--input", default="tf.data", choices=["tf.data", "sequence"])
    p.add_argument("--no-augment", action="store_true")
    p.add_argument("--patience", type=int, default=8, help="early stopping patience in epochs (0: off)")
    p.add_argument("--restart", action="store_true",
                   help="start over instead of resuming run-dir: deletes it, if it holds only a run's files")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--strategy", default="default", choices=["default", "mirrored"],
                   help="mirrored: data-parallel over every visible GPU (--batch-size is the global batch)")
    p.add_argument("--precision", default="float32", choices=PRECISIONS,
                   help="mixed_bfloat16: compute in bfloat16; faster only on CPUs with AVX512-BF16 or AMX "
                        "and on recent GPUs, slower elsewhere; checkpoints stay float32")
    p.add_argument("--init-from", help="start from this checkpoint's weights (fine-tuning), e.g. checkpoints/crnn_wide.h5")
    p.add_argument("--export", help="copy the best checkpoint here when done, atomically (e.g. checkpoints/crnn_small.h5); "
                                    "an existing file is replaced only if it is a checkpoint")
    p.add_argument("--eval-data", action="append", default=[], metavar="NAME=PATH",
                   help="also report word accuracy on this set every epoch (repeatable; an LMDB or a folder with "
                        "labels.tsv), e.g. real_dev=../shared/real_dev; it is never trained on")
    p.set_defaults(func=_run_cli, interrupted="interrupted.train")  # what Ctrl-C leaves (ocr_lab.cli)


def _run_cli(args) -> int:
    check_numbers(args.lr, args.steps_per_epoch, args.minutes, args.batch_size, args.epochs)
    if args.export:
        check_export_target(args.export)
    strategy = None
    if args.strategy == "mirrored":
        import tensorflow as tf

        strategy = tf.distribute.MirroredStrategy()
        print(f"training on {strategy.num_replicas_in_sync} replica(s): "
              f"{[d.name for d in tf.config.list_logical_devices('GPU')] or 'no GPU, the CPU'}")
    result = train(args.train_data, args.valid_data, args.run_dir, args.config, args.batch_size, args.optimizer,
                   args.lr, args.schedule, args.epochs, args.steps_per_epoch,
                   args.minutes * 60 if args.minutes else None, args.input, not args.no_augment,
                   args.patience or None, not args.restart, args.seed, strategy=strategy,
                   command="python -m ocr_lab " + " ".join(sys.argv[1:]), init_from=args.init_from,
                   precision=args.precision, eval_data=parse_eval_data(args.eval_data),
                   characters=CHARSETS[args.charset])
    best = max(result.history, key=lambda h: h["val_word_accuracy"]) if result.history else {}
    print(f"best checkpoint: {result.best_checkpoint}  validation word accuracy "
          f"{best.get('val_word_accuracy', float('nan')):.4f}  CER {best.get('val_cer', float('nan')):.4f}")
    print(f"training speed: {result.samples_per_second:.0f} samples/s; skipped records: {result.skipped or 'none'}")
    if args.export:
        export_checkpoint(result.best_checkpoint, args.export)
        print(f"exported to {args.export}")
    return 0


def check_export_target(target) -> None:
    """Refuse, before any training, an --export path that is not a checkpoint (or a new file)."""
    target = Path(target)
    if target.is_dir():
        raise IsADirectoryError(f"--export {str(target)!r} is a folder; give a file name such as {str(target / 'crnn.h5')!r}")
    if target.exists():
        try:
            read_checkpoint_config(target, verify=False)
        except ValueError:
            raise FileExistsError(f"--export {str(target)!r} exists and is not an ocr_lab checkpoint, so it will not "
                                  "be replaced; choose another file name") from None
    check_writable(target, "--export")


def export_checkpoint(checkpoint, target) -> Path:
    """Copy a checkpoint to `target` atomically: a reader of `target` sees the old file or the whole new one."""
    check_export_target(target)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    atomic_copy(checkpoint, target)
    read_checkpoint_config(target)  # the copy's weights match their checksum
    return Path(target)
