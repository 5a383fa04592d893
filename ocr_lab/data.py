"""Data: read (and write) word crops in the clovaai `data_lmdb_release` LMDB layout.

Taught in notebook 01. An LMDB holds `num-samples` and, for i = 1..N (1-based),
`image-%09d` (encoded JPEG/PNG bytes) and `label-%09d` (utf-8 text). The real
MJSynth (`training/MJ/MJ_train`, `MJ_valid`, `MJ_test`) and our synthetic set
(`python -m ocr_lab synth`) share it, so the same code reads both.

`MJDatasetSequence` keeps the lecture's name and interface and fixes its bugs
(`LECTURE_BUGS` lists them for the notebooks). `make_tf_dataset` is the fast
input path over the same records, with the same preprocessing. `dataset_summary`
says what an LMDB holds as training will see it (`python -m ocr_lab info`).
"""
from __future__ import annotations

import codecs
import glob
import math
import os
import re
import shutil
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import lmdb
import numpy as np
from PIL import Image

from ocr_lab.files import describe, is_inside, unexpected_entries
# The image helpers live in ocr_lab.images (no TensorFlow there, for `python -m ocr_lab ocr`);
# they are named here too, where the lecture's data code and notebook 01 look for them.
from ocr_lab.images import backdrop, decode_image, preprocess_image, to_rgb, upright  # noqa: F401
from ocr_lab.labels import (IMG_SIZE, MAX_TEXT_LEN, TARGET_CHARACTERS, TIME_STEPS, LabelConverter, ctc_min_steps,
                            is_cased)

LECTURE_BUGS = [
    ("`__len__` divided by `divide_length = 100`, so one 'epoch' saw 1 % of the data "
     "(and `steps_per_epoch=len(val_set)` then tied the training epoch to the validation set's size).",
     "`__len__` is `ceil(usable records / batch_size)`: an epoch is one pass over the data."),
    ("An unreadable image became a black image with label '-', the character filter turned '-' into '', "
     "and the black image was trained on with an empty label.",
     "Unreadable images are dropped from the batch and counted as `unreadable image`."),
    ("A label whose encoding was longer than `max_text_len` hit `continue` *after* its image was copied "
     "into the batch, so the image was trained on with an all-zero label and label_length 1.",
     "Too-long labels are skipped before batching and counted as `too long`."),
    ("Labels were cut to `max_text_len` characters, so the model learned a wrong, truncated transcription.",
     "Labels longer than `max_text_len` are skipped, not cut."),
    ("A label needs one CTC step per character plus one per repeated pair; labels needing more steps "
     "than the model's output has give an infinite loss.",
     "Labels with `ctc_min_steps(label) > time_steps` are skipped and counted as `too long for CTC`."),
    ("Out-of-charset characters were deleted one by one (`re.sub`), so a label of only punctuation "
     "became '' and was trained on as an empty word.",
     "Labels that are empty after filtering are skipped and counted as `empty after filtering`."),
]

SKIP_REASONS = ("empty after filtering", "too long", "too long for CTC", "unreadable image")

DATA_ENV = "OCR_LAB_DATA"
MJ_SPLITS = {"train": "training/MJ/MJ_train", "valid": "training/MJ/MJ_valid", "test": "training/MJ/MJ_test"}


def default_data_paths(root: str | os.PathLike | None = None) -> dict[str, Path]:
    """Paths of the train / valid / test LMDBs every notebook and command uses.

    With no argument, `$OCR_LAB_DATA` decides: point it at an unzipped clovaai
    `data_lmdb_release` folder to use the real MJSynth; unset, it is the synthetic
    set under `data/synth` built by `python -m ocr_lab synth`.
    """
    root = Path(root or os.environ.get(DATA_ENV) or Path(__file__).resolve().parent.parent / "data" / "synth")
    if (root / MJ_SPLITS["train"]).exists():
        return {split: root / sub for split, sub in MJ_SPLITS.items()}
    return {split: root / split for split in MJ_SPLITS}


# ----------------------------------------------------------------------------- reading

_OPEN_ENVS: dict = {}


def _open_env(path: Path) -> lmdb.Environment:
    """One read-only environment per LMDB file: py-lmdb refuses to open the same one twice in a process.

    The key includes the file's inode and mtime, so a data set rebuilt in place is reopened.
    """
    stat = (path / "data.mdb").stat()
    key = (str(path.resolve()), stat.st_ino, stat.st_mtime_ns)
    if key not in _OPEN_ENVS:
        try:
            env = lmdb.open(str(path), max_readers=126, readonly=True, lock=False, readahead=False, meminit=False)
        except lmdb.Error as err:
            raise ValueError(f"{str(path / 'data.mdb')!r} is not a readable LMDB ({err}); "
                             "rebuild it, or copy it again if it came from elsewhere") from None
        _check_complete(env, path / "data.mdb", stat.st_size)
        _OPEN_ENVS[key] = env
    return _OPEN_ENVS[key]


def _check_complete(env: lmdb.Environment, data_file: Path, size: int) -> None:
    """Refuse a data.mdb shorter than its own header says it is (a half-finished copy or download).

    LMDB maps the file into memory; reading a page past the end of a truncated file kills
    the process with SIGBUS, no Python error. The last page number comes from the header
    pages that `lmdb.open` has already checked, so this check reads nothing past the end.
    """
    needed = (env.info()["last_pgno"] + 1) * env.stat()["psize"]
    if size < needed:
        env.close()
        raise ValueError(f"{str(data_file)!r} is truncated: {size:,} bytes of the {needed:,} its header "
                         "records (a copy or download that did not finish?); copy or build it again")


def open_lmdb(dataset_path: str | os.PathLike) -> tuple[lmdb.Environment, int]:
    """Open an LMDB read-only and return it with its `num-samples`, or say clearly why not."""
    path = Path(dataset_path)
    if not path.exists():
        raise FileNotFoundError(
            f"no data set at {str(path)!r}. Build the synthetic one with `python -m ocr_lab synth`, "
            f"or set {DATA_ENV} to your data_lmdb_release folder."
        )
    if not (path / "data.mdb").is_file():
        raise ValueError(f"{str(path)!r} is not an LMDB folder (it has no data.mdb)")
    if (path / "data.mdb").stat().st_size == 0:
        raise ValueError(f"{str(path / 'data.mdb')!r} is empty (0 bytes); copy or build the data set again")
    env = _open_env(path)
    with env.begin(write=False) as txn:
        raw = txn.get(b"num-samples")
    if raw is None:
        raise ValueError(f"the LMDB at {str(path)!r} has no 'num-samples' key, so it is not in the clovaai layout")
    try:
        num_samples = int(raw)
    except ValueError:
        raise ValueError(f"the LMDB at {str(path)!r} has a non-numeric num-samples {raw[:20]!r}") from None
    if num_samples <= 0:
        raise ValueError(f"the LMDB at {str(path)!r} is empty (num-samples = {num_samples})")
    return env, num_samples


def clean_label(label: str, character: str, max_text_len: int, time_steps: int) -> tuple[str, str | None]:
    """Drop out-of-charset characters, upper-casing first for a charset without lower case (as the
    lecture does); say why to skip, if so."""
    label = re.sub(f"[^{re.escape(character)}]", "", label if is_cased(character) else label.upper())
    if not label:
        return label, "empty after filtering"
    if len(label) > max_text_len:
        return label, "too long"
    if ctc_min_steps(label) > time_steps:
        return label, "too long for CTC"
    return label, None


class LmdbRecords:
    """The usable records of one LMDB: labels are scanned once, images are read on demand."""

    def __init__(self, dataset_path, character=TARGET_CHARACTERS, max_text_len=MAX_TEXT_LEN,
                 time_steps=TIME_STEPS, img_size=IMG_SIZE):
        self.path = str(dataset_path)
        self.img_size = tuple(img_size)
        self.characters, self.max_text_len, self.time_steps = character, max_text_len, time_steps
        self.env, self.num_samples = open_lmdb(dataset_path)
        self.skipped: Counter = Counter()
        self.unreadable: set[int] = set()
        self._lock = threading.Lock()  # tf.data reads from several threads
        self.labels: dict[int, str] = {}
        with self.env.begin(write=False) as txn:
            for index in range(1, self.num_samples + 1):
                raw = txn.get(b"label-%09d" % index)
                if raw is None or txn.get(b"image-%09d" % index) is None:
                    self.skipped["unreadable image"] += 1
                    continue
                label, reason = clean_label(raw.decode("utf-8", "replace"), character, max_text_len, time_steps)
                if reason:
                    self.skipped[reason] += 1
                else:
                    self.labels[index] = label
        self.index_list = list(self.labels)
        if not self.index_list:
            raise ValueError(f"no usable record in {self.path!r}: {dict(self.skipped)}")

    def read(self, index: int) -> tuple[np.ndarray | None, str]:
        """(width-first uint8 image, label); the image is None when it cannot be decoded.

        Unreadable images are found only when read; each is counted once, however
        many epochs read it again.
        """
        with self.env.begin(write=False) as txn:
            img = decode_image(txn.get(b"image-%09d" % index))
        if img is None:
            with self._lock:
                if index not in self.unreadable:
                    self.unreadable.add(index)
                    self.skipped["unreadable image"] += 1
            return None, self.labels[index]
        return preprocess_image(img, self.img_size), self.labels[index]

    def report(self) -> str:
        skipped = sum(self.skipped.values())
        parts = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items())) or "none"
        return f"{self.path}: {self.num_samples} records, {len(self.index_list)} usable, {skipped} skipped ({parts})"


class ConcatRecords:
    """Several LMDBs read as one training set (clovaai's ConcatDataset, at our scale).

    A generated set can then grow by shards made with other seeds (`synth --seed 1 ...`)
    without rebuilding what exists. Record k of the i-th set is index `i * SET_STRIDE + k`.
    """

    SET_STRIDE = 1 << 40

    def __init__(self, parts: Sequence[LmdbRecords]):
        if not parts:
            raise ValueError("no training set given")
        self.parts = list(parts)
        self.path = " + ".join(part.path for part in self.parts)
        self.num_samples = sum(part.num_samples for part in self.parts)
        self.index_list = [i * self.SET_STRIDE + k for i, part in enumerate(self.parts) for k in part.index_list]

    @property
    def skipped(self) -> Counter:
        return sum((part.skipped for part in self.parts), Counter())

    def read(self, index: int) -> tuple[np.ndarray | None, str]:
        return self.parts[index // self.SET_STRIDE].read(index % self.SET_STRIDE)

    def report(self) -> str:
        return "\n".join(part.report() for part in self.parts)


def make_batch(items, img_size, max_text_len, time_steps, label_converter):
    """Stack (image, label) pairs into the lecture's dict of inputs; images padded with black."""
    n = len(items)
    input_images = np.zeros([n, *img_size, 3], dtype=np.float32)
    labels = np.zeros([n, max_text_len], dtype=np.int64)
    label_length = np.zeros([n], dtype=np.int64)
    for i, (img, label) in enumerate(items):
        input_images[i, : img.shape[0]] = img
        encoded = label_converter.encode(label)
        labels[i, : len(encoded)] = encoded
        label_length[i] = len(encoded)
    inputs = {
        "input_image": input_images,
        "label": labels,
        "input_length": np.full([n], time_steps, dtype=np.int64),
        "label_length": label_length,
    }
    return inputs, {"ctc": np.zeros([n, 1], dtype=np.float32)}


try:  # tf-keras is the Keras ocr_lab trains with; `fit` wants its `Sequence`
    from tf_keras.utils import Sequence
except ImportError:  # pragma: no cover - only without tf-keras installed
    Sequence = object


class MJDatasetSequence(Sequence):
    """The lecture's Keras `Sequence` over an LMDB, with its bugs fixed (see `LECTURE_BUGS`).

    Each item is `(inputs, outputs)`: `inputs` is the lecture's dict (`input_image`
    float32 (B, 100, 32, 3) in 0..255, `label` int64 (B, max_text_len),
    `input_length`, `label_length`), `outputs` is `{'ctc': zeros}`. Records that
    cannot be trained on are skipped and counted in `self.skipped`; `report()`
    prints the counts. A batch can be smaller than `batch_size` when one of its
    images turns out to be unreadable.
    """

    def __init__(self, dataset_path, label_converter: LabelConverter, batch_size: int = 1,
                 img_size=IMG_SIZE, max_text_len: int = MAX_TEXT_LEN, is_train: bool = False,
                 character: str = TARGET_CHARACTERS, time_steps: int = TIME_STEPS, seed: int | None = None):
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.label_converter = label_converter
        self.batch_size = batch_size
        self.img_size = tuple(img_size)
        self.max_text_len = max_text_len
        self.time_steps = time_steps
        self.character = character
        self.is_train = is_train
        self.records = LmdbRecords(dataset_path, character, max_text_len, time_steps, img_size)
        self.skipped = self.records.skipped
        self.num_samples = self.records.num_samples
        self.index_list = list(self.records.index_list)
        self._rng = np.random.default_rng(seed)
        if is_train:
            self._rng.shuffle(self.index_list)

    def __len__(self) -> int:
        return math.ceil(len(self.index_list) / self.batch_size)

    def _get_img_label(self, index: int):
        return self.records.read(index)

    def __getitem__(self, idx: int):
        if not 0 <= idx < len(self):
            raise IndexError(f"batch {idx} is out of range: this sequence has {len(self)} batches")
        items = []
        for index in self.index_list[idx * self.batch_size : (idx + 1) * self.batch_size]:
            img, label = self._get_img_label(index)
            if img is not None:
                items.append((img, label))
        # A batch whose images were all unreadable borrows the next readable record:
        # Keras cannot train on an empty batch.
        n = len(self.index_list)
        for k in range(n) if not items else []:
            index = self.index_list[((idx + 1) * self.batch_size + k) % n]
            img, label = self._get_img_label(index)
            if img is not None:
                items.append((img, label))
                break
        if not items:
            raise ValueError(f"no readable image in {self.records.path!r}: {self.records.report()}")
        return make_batch(items, self.img_size, self.max_text_len, self.time_steps, self.label_converter)

    def on_epoch_end(self):
        if self.is_train:
            self._rng.shuffle(self.index_list)

    def report(self) -> str:
        return self.records.report()


def make_tf_dataset(dataset_path, label_converter: LabelConverter, batch_size: int = 128,
                    img_size=IMG_SIZE, max_text_len: int = MAX_TEXT_LEN, is_train: bool = False,
                    character: str = TARGET_CHARACTERS, time_steps: int = TIME_STEPS, seed: int = 0,
                    augment=None, records: LmdbRecords | None = None, shard: tuple[int, int] | None = None):
    """A `tf.data` pipeline over the same records as `MJDatasetSequence`, with the same preprocessing.

    Indices are shuffled and batched first; each batch is then read, decoded and padded
    by one Python call (the Sequence's own `make_batch`), while the previous batch
    trains: a call per batch, not per image, keeps the GIL and the two cores of a
    laptop free for the model. Unreadable records are dropped from their batch and
    counted. `augment(img) -> img` is an optional function on the width-first uint8
    array (training only). `shard=(n, i)` keeps every n-th record starting at i, for
    several workers. Returns `(dataset, records)`; `records.report()` gives the skip counts.
    """
    import tensorflow as tf

    records = records or LmdbRecords(dataset_path, character, max_text_len, time_steps, img_size)
    indices = np.array(records.index_list, dtype=np.int64)
    if shard:
        indices = indices[shard[1] :: shard[0]]
    width, height = img_size

    def load_batch(batch_indices):
        items = []
        for index in batch_indices:
            img, label = records.read(int(index))
            if img is not None:
                items.append((augment(img) if augment is not None else img, label))
        inputs, _ = make_batch(items, img_size, max_text_len, time_steps, label_converter)
        return inputs["input_image"], inputs["label"], inputs["label_length"]

    def to_inputs(batch_indices):
        img, target, length = tf.numpy_function(load_batch, [batch_indices], [tf.float32, tf.int64, tf.int64])
        img.set_shape([None, width, height, 3])
        target.set_shape([None, max_text_len])
        length.set_shape([None])
        n = tf.shape(img)[0]
        inputs = {
            "input_image": img,
            "label": target,
            "input_length": tf.fill([n], tf.constant(time_steps, tf.int64)),
            "label_length": length,
        }
        return inputs, {"ctc": tf.zeros([n, 1])}

    ds = tf.data.Dataset.from_tensor_slices(indices)
    if is_train:
        ds = ds.shuffle(len(indices), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size).map(to_inputs, num_parallel_calls=tf.data.AUTOTUNE, deterministic=not is_train)
    ds = ds.filter(lambda inputs, outputs: tf.shape(inputs["label"])[0] > 0)  # a batch of only unreadable images
    return ds.prefetch(tf.data.AUTOTUNE), records


# ----------------------------------------------------------------------------- writing

LMDB_MAP_SIZE = 1 << 40  # a sparse upper bound, as clovaai's create_lmdb_dataset.py uses
LMDB_FILES = ("data.mdb", "lock.mdb")  # all an LMDB folder holds; `force` replaces nothing else


def write_lmdb(output_path: str | os.PathLike, samples: Iterable[tuple[bytes, str]], force: bool = False,
               commit_every: int = 1000) -> int:
    """Write (image bytes, label) pairs as a clovaai-layout LMDB, atomically.

    The LMDB is built in a temporary folder next to `output_path` and renamed into
    place only when `num-samples` has been written, so a run killed half-way leaves
    no folder that looks like a finished data set; the temporary folders such a run
    left behind are removed by the next one. An existing data set is kept unless
    `force=True`, and even then only a folder that holds nothing but an LMDB is
    replaced. Returns the number of samples written.
    """
    output_path = Path(output_path)
    if output_path.exists() or output_path.is_symlink():
        _check_replaceable(output_path, force)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(output_path)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{output_path.name}.partial-{os.getpid()}-", dir=output_path.parent))
    except OSError as err:  # name the folder the person asked for, not the temporary one
        err.filename = str(output_path)
        raise
    try:
        with lmdb.open(str(tmp), map_size=LMDB_MAP_SIZE) as env:
            count = 0
            txn = env.begin(write=True)
            try:
                for imgbuf, label in samples:
                    count += 1
                    txn.put(b"image-%09d" % count, imgbuf)
                    txn.put(b"label-%09d" % count, label.encode("utf-8"))
                    if count % commit_every == 0:
                        txn.commit()
                        txn = env.begin(write=True)
                txn.put(b"num-samples", str(count).encode())
                txn.commit()
            except BaseException:
                txn.abort()
                raise
        os.chmod(tmp, 0o755)  # mkdtemp made it private; a data set is for everyone who can read the folder
        if output_path.exists():
            old = output_path.with_name(f".{output_path.name}.old-{os.getpid()}")
            os.replace(output_path, old)
            os.replace(tmp, output_path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, output_path)
        return count
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _check_replaceable(output_path: Path, force: bool) -> None:
    """Allow replacing `output_path` only with `force`, and only when it is an LMDB folder and nothing more."""
    if output_path.is_symlink() or not output_path.is_dir():
        raise FileExistsError(f"{str(output_path)!r} exists and is not an LMDB folder; choose another output path")
    if not force:
        raise FileExistsError(f"{str(output_path)!r} already exists; pass force=True (--force) to replace it")
    others = unexpected_entries(output_path, LMDB_FILES)
    if others:
        raise FileExistsError(f"{str(output_path)!r} holds more than an LMDB ({describe(others)}), so --force will "
                              "not replace it; choose a new output folder, or empty that one yourself")


def _remove_stale_partials(output_path: Path) -> None:
    """Delete the temporary folders that killed earlier writes to `output_path` left behind.

    A temporary folder is named after the process that writes it; folders of a process
    that is still running, and folders holding anything but LMDB files, are left alone.
    """
    for stale in output_path.parent.glob(f".{glob.escape(output_path.name)}.partial-*"):
        pid = stale.name.rsplit(".partial-", 1)[1].split("-")[0]
        if pid.isdigit() and _process_alive(int(pid)):
            continue
        if stale.is_dir() and not stale.is_symlink() and not unexpected_entries(stale, LMDB_FILES):
            shutil.rmtree(stale, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def read_gt_file(gt_file: str | os.PathLike) -> Iterator[tuple[str, str]]:
    """Lines `relative/path.jpg<TAB>label` (clovaai's gt.txt); a space also separates, as in labels.tsv.

    The file must be UTF-8 (a byte-order mark, as Windows editors write, is fine). A line
    with more than two tab-separated columns is refused: a label cannot hold a tab, and
    folding the other columns into the label would score every crop wrong.
    """
    gt_file = Path(gt_file)
    if not gt_file.is_file():
        raise FileNotFoundError(f"no label file at {str(gt_file)!r}; expected lines 'image_path<TAB>label'")
    raw = gt_file.read_bytes()
    raw = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        lineno = raw[: err.start].count(b"\n") + 1
        raise ValueError(f"{gt_file}:{lineno}: not UTF-8 text (byte {raw[err.start]:#x}); save the file as UTF-8 "
                         "(e.g. iconv -f latin1 -t utf-8)") from None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if "\t" in line:
            columns = line.rstrip("\t").split("\t")
            if len(columns) > 2:
                raise ValueError(f"{gt_file}:{lineno}: {len(columns)} tab-separated columns, expected 2 "
                                 f"('image_path<TAB>label'): {line!r}; remove the extra columns")
            name, label = columns[0], columns[1] if len(columns) == 2 else ""
        elif " " in line:
            name, label = line.split(" ", 1)
        else:
            raise ValueError(f"{gt_file}:{lineno}: expected 'image_path<TAB>label', got {line!r}")
        yield name.strip(), label


def create_lmdb_dataset(input_dir: str | os.PathLike, gt_file: str | os.PathLike, output_path: str | os.PathLike,
                        force: bool = False) -> tuple[int, list[str]]:
    """Bring your own crops: a folder of images + gt.txt -> a clovaai-layout LMDB.

    Like clovaai's `create_lmdb_dataset.py`. Files that are missing or are not
    images are left out and returned, so nothing is lost silently. The output may
    not be, or contain, the image folder or the label file.
    Returns (records written, problems).
    """
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"no image folder at {str(input_dir)!r}")
    for what, given in (("image folder", input_dir), ("label file", Path(gt_file))):
        if is_inside(given, output_path):
            raise FileExistsError(f"the output {str(output_path)!r} would replace your {what} {str(given)!r}; "
                                  "write the LMDB to a new folder")
    problems: list[str] = []

    def samples():
        for name, label in read_gt_file(gt_file):
            path = input_dir / name
            if not path.is_file():
                problems.append(f"{name}: file not found")
                continue
            imgbuf = path.read_bytes()
            if decode_image(imgbuf) is None:
                problems.append(f"{name}: not a readable image")
                continue
            yield imgbuf, label

    count = write_lmdb(output_path, samples(), force=force)
    return count, problems


# ----------------------------------------------------------------------------- what is in an LMDB

def raw_label(records: LmdbRecords, index: int) -> str | None:
    """Record `index`'s label as stored, before `clean_label`; None when it is missing."""
    with records.env.begin(write=False) as txn:
        raw = txn.get(b"label-%09d" % index)
    return None if raw is None else raw.decode("utf-8", "replace")


def image_bytes(records: LmdbRecords, index: int) -> bytes | None:
    """Record `index`'s encoded image; None when it is missing."""
    with records.env.begin(write=False) as txn:
        return txn.get(b"image-%09d" % index)


def skip_reason(records: LmdbRecords, index: int) -> str | None:
    """Why training would skip a record, or None if it would use it."""
    if index in records.labels:
        return None
    raw = raw_label(records, index)
    if raw is None or image_bytes(records, index) is None:
        return "unreadable image"
    return clean_label(raw, records.characters, records.max_text_len, records.time_steps)[1]


@dataclass
class DatasetSummary:
    """What is in an LMDB, as training will see it. `print(summary)` gives a readable report."""

    path: str
    num_samples: int
    usable: int
    skipped: dict[str, int]
    skipped_examples: dict[str, list[tuple[int, str | None]]]
    images_checked: int
    heights: Counter = field(default_factory=Counter)
    widths: Counter = field(default_factory=Counter)  # in bins of `width_bin` px, keyed by the bin's start
    width_bin: int = 10
    label_lengths: Counter = field(default_factory=Counter)  # of the cleaned labels that are used
    chars: Counter = field(default_factory=Counter)  # characters of the cleaned labels
    dropped_chars: Counter = field(default_factory=Counter)  # out-of-charset characters the reader removes
    lower_case_labels: int = 0  # labels stored with lower-case letters (the reader upper-cases them)

    def __str__(self) -> str:
        lines = [
            f"{self.path}",
            f"  records: {self.num_samples}, usable: {self.usable}, skipped: {sum(self.skipped.values())}",
        ]
        for reason, count in sorted(self.skipped.items()):
            examples = ", ".join(f"#{i} {label!r}" for i, label in self.skipped_examples.get(reason, []))
            lines.append(f"    {reason}: {count}" + (f"  (e.g. {examples})" if examples else ""))
        lines.append(f"  images checked: {self.images_checked}")
        lines.append("  height: " + _histogram_line(self.heights))
        lines.append(f"  width ({self.width_bin}-px bins): " + _histogram_line(self.widths))
        lines.append("  label length: " + _histogram_line(self.label_lengths))
        lines.append("  characters: " + " ".join(f"{c}:{n}" for c, n in sorted(self.chars.items())))
        if self.dropped_chars:
            lines.append("  dropped by the reader: " + " ".join(f"{c!r}:{n}" for c, n in self.dropped_chars.most_common()))
        lines.append(f"  labels with lower case (upper-cased by the reader): {self.lower_case_labels}")
        return "\n".join(lines)


def _histogram_line(counter: Counter) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted(counter.items())) or "-"


def dataset_summary(lmdb_path: str | os.PathLike, max_images: int | None = 20_000, examples: int = 3,
                    records: LmdbRecords | None = None) -> DatasetSummary:
    """Count, image sizes, label lengths, characters, and the records training would skip, and why.

    Images are decoded for the first `max_images` records (all of them with None), so
    unreadable images are found too; labels are read for every record. `records`
    (e.g. `sequence.records`) saves scanning the labels a second time.
    """
    records = records or LmdbRecords(lmdb_path)
    summary = DatasetSummary(
        path=str(lmdb_path), num_samples=records.num_samples, usable=len(records.index_list),
        skipped={}, skipped_examples={}, images_checked=0,
    )
    skipped: Counter = Counter(records.skipped)
    for index in range(1, records.num_samples + 1):
        raw = raw_label(records, index)
        if raw is not None:
            summary.dropped_chars.update(ch for ch in raw.upper() if ch not in records.characters)
            summary.lower_case_labels += any(ch.islower() for ch in raw)
        reason = skip_reason(records, index)
        if reason is None and (max_images is None or summary.images_checked < max_images):
            summary.images_checked += 1
            img = decode_image(image_bytes(records, index))
            if img is None:
                reason = "unreadable image"
                skipped[reason] += 1
            else:
                summary.heights[img.height] += 1
                summary.widths[img.width // summary.width_bin * summary.width_bin] += 1
        if reason:
            summary.skipped_examples.setdefault(reason, [])
            if len(summary.skipped_examples[reason]) < examples:
                summary.skipped_examples[reason].append((index, raw))
            continue
        label = records.labels[index]
        summary.label_lengths[len(label)] += 1
        summary.chars.update(label)
    summary.skipped = dict(skipped)
    summary.usable = records.num_samples - sum(skipped.values())
    return summary


# ----------------------------------------------------------------------------- command line

def add_cli(subparsers) -> None:
    """`make-lmdb` (bring your own crops) and `info` (what is in a data set, and where real data goes)."""
    p = subparsers.add_parser(
        "make-lmdb",
        help="convert a folder of word crops + gt.txt into a clovaai-layout LMDB",
        description="Like clovaai's create_lmdb_dataset.py: gt.txt has lines 'relative/path.jpg<TAB>label'.",
    )
    p.add_argument("input_dir", help="folder the image paths in gt.txt are relative to")
    p.add_argument("gt_file", help="label file: 'image_path<TAB>label' per line")
    p.add_argument("output", help="LMDB folder to write")
    p.add_argument("--force", action="store_true",
                   help="replace an existing LMDB (only a folder that holds nothing but an LMDB, never the input)")
    p.set_defaults(func=_run_make_lmdb)

    p = subparsers.add_parser(
        "info",
        help="summarise a data set (counts, sizes, labels, skipped records) and say where real data goes",
        description=f"With no path: the train / valid / test LMDBs every command uses "
                    f"(${DATA_ENV}, or data/synth). Real MJSynth: unzip clovaai's data_lmdb_release and "
                    f"set {DATA_ENV} to it ({', '.join(MJ_SPLITS.values())}).",
    )
    p.add_argument("paths", nargs="*", help="LMDB folders (default: the data set in use)")
    p.add_argument("--max-images", type=int, default=20_000, help="images to decode per LMDB (default 20000)")
    p.set_defaults(func=_run_info)


def _run_make_lmdb(args) -> int:
    count, problems = create_lmdb_dataset(args.input_dir, args.gt_file, args.output, force=args.force)
    for problem in problems:
        print(f"skipped {problem}")
    print(f"wrote {count} records to {args.output} ({len(problems)} skipped)")
    return 0 if count else 1


def _run_info(args) -> int:
    root = os.environ.get(DATA_ENV)
    print(f"data set in use: {'$' + DATA_ENV + ' = ' + root if root else 'the synthetic set (data/synth)'}")
    print(f"  real MJSynth: unzip clovaai's data_lmdb_release and set {DATA_ENV}=/path/to/data_lmdb_release "
          f"(it must hold {', '.join(MJ_SPLITS.values())})")
    print("  synthetic: python -m ocr_lab synth --out data/synth")
    paths = args.paths or [str(p) for p in default_data_paths().values()]
    found = failed = 0
    for path in paths:
        if not Path(path).exists():
            print(f"{path}: missing")
            continue
        try:
            print(dataset_summary(path, max_images=args.max_images))
        except ValueError as err:  # not an LMDB, truncated, empty: say so and go on to the next path
            print(f"{path}: {err}")
            failed += 1
            continue
        found += 1
    return 0 if found and not failed else 1
