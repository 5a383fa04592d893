"""Notebook 04's check: the data reader's `__getitem__`, with the lecture's bugs fixed.

The learner writes `MJDatasetSequence.__getitem__` in a subclass of the package's reader, whose
`__init__` reads and cleans every label once and keeps the usable records in `self.index_list`
(fixes 2-6 of `ocr_lab.data.LECTURE_BUGS`). Batch `idx` is built from the records
`self.index_list[idx * batch_size:(idx + 1) * batch_size]`: an image that cannot be decoded
(`self._get_img_label` gives None) is left out, one row per record kept (the lecture's
`np.zeros([batch_size, ...])` padded the last batch with black images trained as '-'), pixels
0..255 width first, labels encoded with `self.label_converter`, `label_length` each label's own,
`input_length` the model's time steps.

The exam is a small LMDB written at grading time: rendered words in mixed case, unreadable
images, a label nothing is left of after filtering and one too long, read in batches of a size
that leaves a short last batch. The learner's class reads it; what its batches hold is compared
with what the records say.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from ocr_lab.course.answers import Call, Models, describe
from ocr_lab.course.checks.cells import PUBLIC_SEED, check_cell, evaluate
from ocr_lab.course.checks.record import Check, CheckResult, error_text, missing_call, not_written, reference_result
from ocr_lab.course.messages import message
from ocr_lab.labels import IMG_SIZE, MAX_TEXT_LEN, TARGET_CHARACTERS, TIME_STEPS

NOTEBOOK = "04_training"
UNREADABLE = b"not an image"
WORDS = ("Lube", "cafe", "Hotel", "exit", "Route", "bakery", "Pizza", "taxi", "Ave", "park", "Museum", "open", "Bank",
         "delta", "Kiosk", "salt", "Metro", "Bridge", "tower", "Quay")




@dataclass
class ReaderExam:
    labels: list[str]        # the records' labels, in LMDB order ("" for none)
    unreadable: list[int]    # 0-based positions whose image cannot be decoded
    batch_size: int
    seed: int

    def usable(self) -> list[int]:
        """The positions `__init__` keeps (labels left after filtering, short enough), in order."""
        from ocr_lab.data import clean_label

        return [i for i, label in enumerate(self.labels)
                if clean_label(label, TARGET_CHARACTERS, MAX_TEXT_LEN, TIME_STEPS)[1] is None]

    def batches(self) -> list[list[int]]:
        """The positions each batch should hold: `usable()` cut in `batch_size` slices, unreadable ones left out."""
        usable = self.usable()
        return [[i for i in usable[k:k + self.batch_size] if i not in self.unreadable]
                for k in range(0, len(usable), self.batch_size)]


def make_reader_exam(seed: int) -> ReaderExam:
    rng = np.random.default_rng([seed, 41])
    words = [str(w) for w in rng.choice(WORDS, size=int(rng.integers(8, 11)), replace=False)]
    words = [w.upper() if rng.random() < 0.3 else w for w in words]
    words.insert(int(rng.integers(0, len(words))), "?!")                          # nothing left after filtering
    words.insert(int(rng.integers(0, len(words))), "Pneumonoultramicroscopic")    # 24 letters: over max_text_len
    unreadable = sorted(int(i) for i in rng.choice(len(words), size=2, replace=False)
                        if words[int(i)] not in ("?!", "Pneumonoultramicroscopic"))
    batch_size = int(rng.integers(3, 6))
    exam = ReaderExam(words, unreadable, batch_size, seed)
    if len(exam.usable()) % batch_size == 0:  # a short last batch, where the lecture's padding showed
        exam.batch_size += 1
    if not unreadable or any(not batch for batch in exam.batches()):
        return make_reader_exam(seed + 1_000_003)
    return exam


def _write_reader(exam: ReaderExam, folder: Path) -> None:
    from ocr_lab import synth
    from ocr_lab.data import write_lmdb

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([exam.seed, 42])
    fonts = [p for p in synth.font_paths("train") if p.name == "DejaVuSans-Bold.ttf"] or synth.font_paths("train")
    records = []
    for i, label in enumerate(exam.labels):
        image = UNREADABLE if i in exam.unreadable else synth.encode_jpeg(
            synth.render_word(label, fonts[0], rng, height=32), quality=90)
        records.append((image, label))
    write_lmdb(folder / "lmdb", records)
    (folder / "exam.json").write_text(json.dumps({"batch_size": exam.batch_size}))


def _call_reader(functions: Mapping, path: Path, models: Models):
    """What the learner's batches hold: (batches, rows per batch, image shape of batch 0, dtype, brightest pixel
    of each row, label_length, input_length, labels), rows of all batches in order."""
    from ocr_lab.labels import LabelConverter

    batch_size = json.loads((path / "exam.json").read_text())["batch_size"]
    reader = functions["MJDatasetSequence"](str(path / "lmdb"), LabelConverter(TARGET_CHARACTERS),
                                            batch_size=batch_size)
    count = len(reader)
    rows, brightest, label_length, input_length, labels, shape, dtype = [], [], [], [], [], [], ""
    for idx in range(count):
        inputs, _ = reader[idx]
        images = np.asarray(inputs["input_image"])
        if idx == 0:
            shape, dtype = [int(n) for n in images.shape], str(images.dtype)
        rows.append(len(images))
        brightest += [float(image.max()) if image.size else 0.0 for image in images]
        label_length += np.asarray(inputs["label_length"]).reshape(-1).tolist()
        input_length += np.asarray(inputs["input_length"]).reshape(-1).tolist()
        labels += np.asarray(inputs["label"]).reshape(len(images), -1).tolist()
    return (count, np.array(rows), shape, dtype, np.array(brightest), np.array(label_length),
            np.array(input_length), np.array(labels, dtype=np.int64))


def score_reader(exam: ReaderExam, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """Judge the reader's batches against what the exam's records say they should hold."""
    from ocr_lab.labels import LabelConverter

    name = "mj_dataset_sequence"
    call = calls.get("data", missing_call())
    want = exam.batches()
    fields = {"batch_size": exam.batch_size, "batches": len(want), "records": len(exam.labels),
              "steps": TIME_STEPS, "max_len": MAX_TEXT_LEN}
    if call.reference:
        return reference_result(name, call, lang, "MJDatasetSequence.__getitem__")
    if call.error:
        if not_written(call):
            return CheckResult(name, False, message("reader.not_written", lang))
        return CheckResult(name, False, message("reader.raised", lang, error=error_text(call), **fields))
    value = call.value
    if not (isinstance(value, tuple) and len(value) == 8):
        return CheckResult(name, False, message("reader.not_batches", lang, got=describe(value, lang), **fields))
    count, rows, shape, dtype, brightest, label_length, input_length, labels = value
    if not all(isinstance(a, np.ndarray) for a in (rows, brightest, label_length, input_length, labels)):
        return CheckResult(name, False, message("reader.not_batches", lang, got=describe(value, lang), **fields))
    rows = [int(n) for n in rows]
    want_rows = [len(batch) for batch in want]
    details = {"rows": rows, "expected_rows": want_rows}
    if rows != want_rows:
        all_rows = [min(exam.batch_size, len(exam.usable()) - k * exam.batch_size) for k in range(len(want))]
        if rows and rows[-1] == exam.batch_size != want_rows[-1] and rows[:-1] == all_rows[:-1]:
            return CheckResult(name, False, message("reader.padded", lang, got=rows[-1], want=want_rows[-1],
                                                    **fields), details)
        if rows == all_rows or rows[:len(all_rows)] == all_rows:
            return CheckResult(name, False, message("reader.unreadable_kept", lang, **fields), details)
        return CheckResult(name, False, message("reader.rows", lang, got=rows, want=want_rows, **fields), details)
    if shape[1:] == [IMG_SIZE[1], IMG_SIZE[0], 3]:
        return CheckResult(name, False, message("reader.height_first", lang, shape=tuple(shape), **fields), details)
    if shape[1:] != [IMG_SIZE[0], IMG_SIZE[1], 3]:
        return CheckResult(name, False, message("reader.shape", lang, shape=tuple(shape), **fields), details)
    if len(brightest) and brightest.max() <= 1.0:
        return CheckResult(name, False, message("reader.normalised", lang, **fields), details)
    if len(brightest) and brightest.min() <= 0:
        return CheckResult(name, False, message("reader.black_row", lang, **fields), details)
    if len(input_length) != sum(rows) or np.any(input_length != TIME_STEPS):
        got = sorted({int(n) for n in input_length.tolist()})[:5]
        key = "reader.input_max_len" if got == [MAX_TEXT_LEN] else "reader.input_length"
        return CheckResult(name, False, message(key, lang, got=got, **fields), details)
    converter = LabelConverter(TARGET_CHARACTERS)
    truth = [exam.labels[i].upper() for batch in want for i in batch]
    if len(label_length) != len(truth) or len(labels) != len(truth):
        return CheckResult(name, False, message("reader.label_rows", lang, **fields), details)
    for row, (target, length, text) in enumerate(zip(labels, label_length, truth)):
        got = converter.decode([int(c) for c in target[:max(0, int(length))] if 0 < c <= len(TARGET_CHARACTERS)])
        if int(length) != len(text):
            key = "reader.label_length_max" if int(length) == MAX_TEXT_LEN else "reader.label_length"
            return CheckResult(name, False, message(key, lang, row=row, want=text, got=int(length), n=len(text),
                                                    **fields), details)
        if got != text:
            return CheckResult(name, False, message("reader.label", lang, row=row, want=text, got=got, **fields),
                               details)
    return CheckResult(name, True, message("reader.passed", lang, rows=" + ".join(map(str, rows)),
                                           skipped=len(exam.labels) - sum(rows), **fields), details)


# ----------------------------------------------------------------------------- the record

MJ_DATASET_SEQUENCE = Check(
    "mj_dataset_sequence", NOTEBOOK, functions=("MJDatasetSequence",), needs=(),
    make_exam=lambda seed, models: make_reader_exam(seed), write_inputs=_write_reader,
    inputs=lambda folder: {"data": folder}, call=_call_reader, score=score_reader, messages="reader.",
    reference=("ocr_lab.data.MJDatasetSequence.__getitem__", "ocr_lab.data.make_batch"),
    package="ocr_lab.data:MJDatasetSequence")

CHECKS = (MJ_DATASET_SEQUENCE,)


def evaluate_mj_dataset_sequence(reader: type, seed: int = PUBLIC_SEED) -> CheckResult:
    return evaluate(MJ_DATASET_SEQUENCE, {"MJDatasetSequence": reader}, Models(), seed)


def check_mj_dataset_sequence(reader: type, seed: int = PUBLIC_SEED) -> None:
    """The exercise's check cell: the reader's batches on a small LMDB made for the check."""
    check_cell(MJ_DATASET_SEQUENCE, {"MJDatasetSequence": reader}, Models(), seed)
