"""Train: fit the CRNN with CTC, measure word accuracy every epoch, keep the best weights.

Taught in notebook 04. What changed from the lecture, and why:
- an epoch is a real pass (or `steps_per_epoch` steps) over the data, not 1 % of it;
- validation reports word accuracy and CER, not only the CTC loss, and the best
  checkpoint is chosen by word accuracy, which is what a reader cares about;
- Adam with a cosine learning-rate decay is the default: on a CPU budget it reaches
  high accuracy many times sooner than the lecture's Adadelta(lr=0.1)
  (`benchmarks/bench_training.py` measures both);
- checkpoints carry their config (charset, input size, model config) and are
  written atomically; an interrupted run resumes where it stopped.
"""
from __future__ import annotations

import contextlib
import json
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
from ocr_lab.files import atomic_copy, describe, unexpected_entries
from ocr_lab.labels import CHARSETS, IMG_SIZE, PUNCTUATION, TARGET_CHARACTERS, LabelConverter


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
             "last", "last/checkpoint", "last/checkpoint.tmp*", "last/ckpt-*")
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
    shutil.rmtree(run_dir)


def read_state(path) -> dict:
    """A run's state.json, or an error that says how to go on when it is damaged."""
    try:
        meta = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as err:  # bad JSON or bad UTF-8
        raise ValueError(f"{str(path)!r} is corrupt ({err}); {START_OVER}") from None
    if not isinstance(meta, dict):
        raise ValueError(f"{str(path)!r} is corrupt (not a JSON object); {START_OVER}")
    return meta


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


def train(train_path=None, valid_path=None, run_dir="checkpoints/runs/default", config="small",
          batch_size: int = 64, optimizer: str = "adam", learning_rate: float | None = None,
          schedule: str = "cosine", epochs: int = 30, steps_per_epoch: int | None = None,
          time_budget: float | None = None, input_pipeline: str = "tf.data", augment: bool = True,
          early_stopping_patience: int | None = 8, resume: bool = True, seed: int = 0,
          max_valid: int | None = 2000, strategy=None, characters: str = TARGET_CHARACTERS,
          verbose: int | None = None, command: str | None = None,
          init_from: str | os.PathLike | None = None, precision: str = "float32",
          eval_data: dict[str, str | os.PathLike] | None = None) -> TrainResult:
    """Train a CRNN and return where its best checkpoint is.

    `train_path` is an LMDB, or a list of LMDBs read as one set (shards of a generated set).
    `time_budget` (seconds) stops training after that much wall-clock time and runs
    the cosine schedule over it. `input_pipeline` is "tf.data" (parallel decoding,
    prefetch) or "sequence" (the lecture's MJDatasetSequence). `strategy` is a
    `tf.distribute` strategy (e.g. MirroredStrategy over several GPUs); the model
    and optimizer are built in its scope, and `batch_size` is the global batch.
    Re-running with the same `run_dir` resumes from the last finished epoch.
    `init_from` starts a new run from the weights of a saved recognizer instead of
    random ones (fine-tuning: the shipped checkpoint on your own crops, for example);
    it must have the same config, charset and input size. `precision` is one of
    `PRECISIONS`: "mixed_bfloat16" trains faster on CPUs with bfloat16 instructions.
    `eval_data` maps names to more evaluation sets (an LMDB or a folder with labels.tsv, such as
    real photographed crops): their word accuracy is logged every epoch, and never trained on.
    """
    import tensorflow as tf
    import tf_keras as keras

    from ocr_lab.callbacks import BestAndLast, CosineSchedule, TimeBudget, WordAccuracyCallback
    from ocr_lab.data import ConcatRecords, LmdbRecords, MJDatasetSequence, default_data_paths, make_tf_dataset
    from ocr_lab.evaluate import load_eval_data
    from ocr_lab.model import (build_crnn_model, ctc_identity_loss, grow_weights, model_params, time_steps_of,
                               transfer_charset)

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
    callbacks = [WordAccuracyCallback(model_pred, val.images, val.labels, characters, extra_eval,
                                      model_params(config)["head"])]
    if schedule == "cosine":
        callbacks.append(CosineSchedule(learning_rate, total_steps=epochs * steps_per_epoch,
                                        time_budget=time_budget, clock=clock))
        callbacks[-1].step = initial_epoch * steps_per_epoch
    budget = TimeBudget(clock, time_budget or float("inf"))
    callbacks += [budget, BestAndLast(run_dir, model_pred, meta, manager),
                  keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=initial_epoch > 0)]
    if early_stopping_patience:
        # On the validation loss, not word accuracy: accuracy sits at 0 for the first
        # epochs of CTC training (the model emits only blanks) while the loss already falls.
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", mode="min",
                                                       patience=early_stopping_patience))
    if time_budget and clock.elapsed() >= time_budget:
        epochs = initial_epoch  # budget already spent: nothing left to train
    t0 = time.monotonic()
    model.fit(train_ds, epochs=epochs, initial_epoch=initial_epoch,
                     steps_per_epoch=steps_per_epoch if input_pipeline == "tf.data" else None,
                     validation_data=valid_ds, callbacks=callbacks, verbose=verbose)
    wall = time.monotonic() - t0  # includes validation: an honest end-to-end training speed
    best = run_dir / "best.h5"
    if not best.exists():
        save_recognizer(model_pred, best, characters, IMG_SIZE, config, epoch=initial_epoch)
    return TrainResult(run_dir, best, read_history(run_dir), budget.batches * batch_size / max(wall, 1e-9),
                       dict(train_records.skipped))


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
    run's model is the checkpoint's grown wider ("wide" starts "wide128", see `model.grow_weights`).
    """
    from ocr_lab.model import can_grow, same_weight_shapes

    cfg = read_checkpoint_config(path)
    found = {"input size": tuple(cfg["img_size"])}  # another charset is copied class by class (transfer_charset)
    wanted = {"input size": tuple(IMG_SIZE)}
    for what in found:
        if found[what] != wanted[what]:
            raise ValueError(f"cannot start from {str(path)!r}: it has the {what} {found[what]!r}, this run needs "
                             f"{wanted[what]!r}; pass a checkpoint of the same model, or train from scratch")
    params = json.loads(json.dumps(checkpoint_config(characters, IMG_SIZE, config)["model_params"]))  # lists, as stored
    theirs = cfg.get("model_params") or cfg["config"]
    if cfg["characters"] != characters and not same_weight_shapes(theirs, params):
        raise ValueError(f"cannot start from {str(path)!r}: it has the charset {cfg['characters']!r} and the config "
                         f"{cfg['config']!r}; a run for another charset ({characters!r}) can start only from a "
                         "checkpoint of the same layer widths")
    if theirs != params and not same_weight_shapes(theirs, params) and not can_grow(theirs, params):
        raise ValueError(f"cannot start from {str(path)!r}: it has the config {cfg['config']!r}, whose layers "
                         f"({theirs}) neither are nor grow into the {config!r} config's ({params}); pass a "
                         "checkpoint of the same model or of a narrower one, or train from scratch")


def plot_history(history: list[dict], ax=None):
    """Training curves: CTC loss (train, validation) and validation word accuracy / CER."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=(11, 3.5))
    epochs = [int(h["epoch"]) + 1 for h in history]
    ax[0].plot(epochs, [h["loss"] for h in history], label="train loss")
    ax[0].plot(epochs, [h["val_loss"] for h in history], label="validation loss")
    ax[0].set(xlabel="epoch", ylabel="CTC loss", yscale="log", title="CTC loss")
    ax[1].plot(epochs, [h["val_word_accuracy"] for h in history], label="word accuracy")
    ax[1].plot(epochs, [h["val_cer"] for h in history], label="character error rate")
    for key in [k for k in history[0] if k.endswith("_word_accuracy") and k != "val_word_accuracy"] if history else []:
        ax[1].plot(epochs, [h[key] for h in history], "--", label=key.replace("_", " "))
    ax[1].set(xlabel="epoch", ylim=(0, 1.02), title="validation")
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
    p.add_argument("--config", default="small", choices=["small", "wide", "wide128", "lecture"],
                   help="model config (ocr_lab/model.py CONFIGS): small (24 steps), wide (49 steps), wide128 "
                        "(wide with 128-unit LSTMs), lecture")
    p.add_argument("--charset", default="lecture", choices=sorted(CHARSETS),
                   help="lecture: the lecture's 36 characters, labels upper-cased; cased: upper and lower case, "
                        f"digits and {PUNCTUATION!r}, labels as printed (ocr_lab/labels.py)")
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
    p.set_defaults(func=_run_cli)


def _run_cli(args) -> int:
    if args.batch_size < 1 or args.epochs < 1 or (args.minutes is not None and args.minutes <= 0):
        raise ValueError("--batch-size, --epochs and --minutes must be positive")
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


def export_checkpoint(checkpoint, target) -> Path:
    """Copy a checkpoint to `target` atomically: a reader of `target` sees the old file or the whole new one."""
    check_export_target(target)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    atomic_copy(checkpoint, target)
    read_checkpoint_config(target)  # the copy's weights match their checksum
    return Path(target)
