"""Notebook 04's check (ocr_lab.course.checks.dataset): the fixed reader passes on every exam, the blank and the
package's own reader fail, and the lecture's reader bugs get messages that name them."""
import numpy as np
import pytest

from ocr_lab import data
from ocr_lab.course import checks
from ocr_lab.course.checks import dataset


class MJDatasetSequence(data.MJDatasetSequence):
    """The solution, with switches that put the lecture's bugs back one at a time."""

    pad = keep_unreadable = height_first = normalise = lecture_input = max_label_len = False

    def __getitem__(self, idx):
        items = []
        for index in self.index_list[idx * self.batch_size:(idx + 1) * self.batch_size]:
            img, label = self._get_img_label(index)
            if img is None and self.keep_unreadable:
                img = np.zeros((1, 32, 3), np.uint8)
            if img is not None:
                items.append((img, label))
        n = self.batch_size if self.pad else len(items)
        images = np.zeros([n, *self.img_size, 3], dtype=np.float32)
        labels = np.zeros([n, self.max_text_len], dtype=np.int64)
        label_length = np.zeros([n], dtype=np.int64)
        for i, (img, label) in enumerate(items):
            images[i, :img.shape[0]] = img
            encoded = self.label_converter.encode(label)
            labels[i, :len(encoded)] = encoded
            label_length[i] = self.max_text_len if self.max_label_len else len(encoded)
        if self.height_first:
            images = images.transpose(0, 2, 1, 3)
        if self.normalise:
            images = images / 255.0
        steps = self.max_text_len if self.lecture_input else self.time_steps
        inputs = {"input_image": images, "label": labels, "input_length": np.full([n], steps, dtype=np.int64),
                  "label_length": label_length}
        return inputs, {"ctc": np.zeros([n, 1], dtype=np.float32)}


def with_bug(name):
    return type("MJDatasetSequence", (MJDatasetSequence,), {name: True})


@pytest.mark.parametrize("seed", range(5))
def test_the_fixed_reader_passes_every_exam(seed):
    result = dataset.evaluate_mj_dataset_sequence(MJDatasetSequence, seed)
    assert result.passed, result.message


def test_each_exam_has_a_short_last_batch_unreadable_images_and_skipped_labels():
    for seed in range(20):
        exam = dataset.make_reader_exam(seed)
        assert len(exam.usable()) % exam.batch_size and exam.unreadable and len(exam.usable()) < len(exam.labels)
        assert all(exam.batches())


def test_the_blank_and_the_package_s_reader_fail_saying_why():
    class Blank(data.MJDatasetSequence):
        def __getitem__(self, idx):
            raise NotImplementedError("your code here")

    assert "not written yet" in dataset.evaluate_mj_dataset_sequence(Blank).message
    package = dataset.evaluate_mj_dataset_sequence(data.MJDatasetSequence)
    assert not package.passed and checks.STANDIN_MESSAGE in package.message


@pytest.mark.parametrize("bug, says", [
    ("pad", "one row per record you keep, not batch_size"),
    ("keep_unreadable", "leave that record out"),
    ("height_first", "height first"),
    ("normalise", "keep them 0..255"),
    ("lecture_input", "max_text_len. It is the number of time steps"),
    ("max_label_len", "it is the label's own length"),
])
def test_the_lecture_s_reader_bugs_are_named(bug, says):
    result = dataset.evaluate_mj_dataset_sequence(with_bug(bug))
    assert not result.passed and says in result.message, result.message


def test_the_messages_read_in_korean_and_the_record_is_notebook_04_s():
    exam = dataset.make_reader_exam(0)
    rows = [exam.batch_size] * len(exam.batches())  # every batch padded to batch_size, as the lecture's
    value = (len(rows), np.array(rows), [], "", np.array([]), np.array([]), np.array([]), np.zeros((0, 22)))
    korean = dataset.score_reader(exam, {"data": dataset.Call(value=value)}, "ko")
    assert "batch_size가 아니라 남긴 레코드마다 한 행입니다" in korean.message
    assert [c.name for c in checks.of_notebook("04_training")] == ["mj_dataset_sequence"]
