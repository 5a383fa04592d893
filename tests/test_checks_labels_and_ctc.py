"""Notebook 02's checks (ocr_lab.course.checks.labels_and_ctc): the solution passes, the blank fails, and the
lecture's plausible mistakes each get their own message, in English and Korean."""
import numpy as np
import pytest

from ocr_lab.course import checks
from ocr_lab.course.checks import labels_and_ctc
from ocr_lab.course.messages import message
from ocr_lab.labels import BLANK, TARGET_CHARACTERS


# ----------------------------------------------------------------------------- LabelConverter

class Solution:
    """The notebook's solution: the lecture's __init__, encode and decode with the blank at 0."""

    def __init__(self, character):
        self.character = "-" + character
        self.label_map = {char: i for i, char in enumerate(self.character)}

    def encode(self, text):
        return np.array([self.label_map[char] for char in text])

    def decode(self, encoded_label):
        return "".join(self.character[i] for i in encoded_label)


class Blank(Solution):
    def encode(self, text):
        raise NotImplementedError("your code here")

    def decode(self, encoded_label):
        raise NotImplementedError("your code here")


class LectureSeparator(Solution):
    """The lecture's encode, as written: a 0 between double letters (HEL-LO)."""

    def encode(self, text):
        encoded_label = []
        for i, char in enumerate(text):
            if i > 0 and char == text[i - 1]:
                encoded_label.append(0)
            encoded_label.append(self.label_map[char])
        return np.array(encoded_label)


class FromZero(Solution):
    """Indices from 0: the charset without the blank in front."""

    def encode(self, text):
        return np.array([self.character[1:].index(char) for char in text])


class TargetCharacters(Solution):
    """The lecture's global charset instead of the converter's own."""

    def encode(self, text):
        return np.array([("-" + TARGET_CHARACTERS).index(char) for char in text])


class Collapsing(Solution):
    """decode does the CTC decoder's job: merges repeats and drops blanks."""

    def decode(self, encoded_label):
        out, last = "", None
        for i in encoded_label:
            if i != last and i != 0:
                out += self.character[i]
            last = i
        return out


class ShiftedDecode(Solution):
    def decode(self, encoded_label):
        return "".join(self.character[1:][i] for i in encoded_label if i < len(self.character) - 1)


class DecodeList(Solution):
    def decode(self, encoded_label):
        return [self.character[i] for i in encoded_label]


def test_the_solution_converter_passes():
    result = checks.evaluate_label_converter(Solution)
    assert result.passed, result.message
    assert "[8 5 12 12 15]" in result.message


def test_the_blank_converter_fails_as_not_written():
    result = checks.evaluate_label_converter(Blank)
    assert not result.passed and "not written yet" in result.message and "encode" in result.message


@pytest.mark.parametrize("wrong, words", [
    (LectureSeparator, "HEL-LO encoding"), (FromZero, "one too small"), (TargetCharacters, "in TARGET_CHARACTERS"),
    (Collapsing, "CTC decoder's job"), (ShiftedDecode, "shifted by one"), (DecodeList, "one str")])
def test_a_wrong_converter_is_told_its_mistake(wrong, words):
    result = checks.evaluate_label_converter(wrong)
    assert not result.passed and words in result.message, result.message


def test_the_hel_lo_message_names_the_lecture_and_the_right_answer():
    result = checks.evaluate_label_converter(LectureSeparator)
    assert "HEL-LO" in result.message and "[8 5 12 0 12 15]" in result.message and "[8 5 12 12 15]" in result.message
    korean = labels_and_ctc.score_converter(labels_and_ctc.make_converter_exam(0), _calls(LectureSeparator), "ko")
    assert "HEL-LO" in korean.message and "공백" in korean.message


def _calls(functions_or_class, check=labels_and_ctc.LABEL_CONVERTER, name="LabelConverter"):
    import tempfile
    from pathlib import Path

    from ocr_lab.course.answers import Models, answer_calls, read_answers

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        check.write_inputs(check.make_exam(0, Models()), folder / "exam" / check.name)
        answer_calls(check, {name: functions_or_class}, folder / "exam", folder / "out", Models())
        return read_answers(folder / "out")


def test_the_drawn_charset_differs_from_the_lecture_s_and_has_double_letters():
    exam = labels_and_ctc.make_converter_exam(7)
    assert exam.charsets[0] == TARGET_CHARACTERS and exam.charsets[1] != TARGET_CHARACTERS
    assert all(any(a == b for a, b in zip(w, w[1:])) for w in exam.words[1])
    assert any(0 in indices for indices in exam.indices[0])
    assert labels_and_ctc.decoded(TARGET_CHARACTERS, [8, 5, 12, 0, 12, 15]) == "HEL-LO"


# ----------------------------------------------------------------------------- ctc_lengths

def lengths_solution(labels, time_steps):
    input_length = np.full([len(labels), 1], time_steps)
    label_length = np.sum(labels != 0, axis=1, keepdims=True)
    return input_length, label_length


def lengths_blank(labels, time_steps):
    raise NotImplementedError("your code here")


def lengths_max_text_len(labels, time_steps):
    """The lecture's MJDatasetSequence: input_length = max_text_len."""
    return np.full([len(labels), 1], labels.shape[1]), np.sum(labels != 0, axis=1, keepdims=True)


def lengths_pixels(labels, time_steps):
    """The lecture's prose: input_length is the image width, 74."""
    return np.full([len(labels), 1], 74), np.sum(labels != 0, axis=1, keepdims=True)


def lengths_fixed_24(labels, time_steps):
    return np.full([len(labels), 1], 24), np.sum(labels != 0, axis=1, keepdims=True)


def lengths_padding(labels, time_steps):
    return np.full([len(labels), 1], time_steps), np.full([len(labels), 1], labels.shape[1])


def lengths_swapped(labels, time_steps):
    return np.sum(labels != 0, axis=1, keepdims=True), np.full([len(labels), 1], time_steps)


def test_the_solution_lengths_pass():
    result = checks.evaluate_ctc_lengths(lengths_solution)
    assert result.passed, result.message


def test_the_blank_lengths_fail_as_not_written():
    result = checks.evaluate_ctc_lengths(lengths_blank)
    assert not result.passed and "not written yet" in result.message


@pytest.mark.parametrize("wrong, words", [
    (lengths_max_text_len, "y_pred[:, 2:]"), (lengths_pixels, "pixels"), (lengths_fixed_24, "`time_steps` argument"),
    (lengths_padding, "padded width"), (lengths_swapped, "swapped")])
def test_wrong_lengths_are_told_their_mistake(wrong, words):
    result = checks.evaluate_ctc_lengths(wrong)
    assert not result.passed and words in result.message, result.message


def test_lengths_as_flat_arrays_pass_and_a_list_is_described():
    assert checks.evaluate_ctc_lengths(lambda labels, t: (np.full(len(labels), t), (labels != 0).sum(1))).passed
    result = checks.evaluate_ctc_lengths(lambda labels, t: [t] * len(labels))
    assert not result.passed and "pair" in result.message


# ----------------------------------------------------------------------------- ctc_loss

def loss_solution(labels, logits, input_length, label_length):
    import tensorflow as tf

    loss = tf.nn.ctc_loss(labels=tf.cast(labels, tf.int32), logits=logits,
                          label_length=tf.cast(tf.reshape(label_length, [-1]), tf.int32),
                          logit_length=tf.cast(tf.reshape(input_length, [-1]), tf.int32),
                          logits_time_major=False, blank_index=0)
    return tf.expand_dims(loss, -1)


def loss_blank(labels, logits, input_length, label_length):
    raise NotImplementedError("your code here")


def loss_keras_on_softmax(labels, logits, input_length, label_length):
    """The lecture's ctc_lambda_func body, given the softmax: Keras' blank is the last class."""
    import tensorflow as tf
    from tf_keras import backend as K

    return K.ctc_batch_cost(labels, tf.nn.softmax(logits), input_length, label_length)


def loss_keras_on_logits(labels, logits, input_length, label_length):
    from tf_keras import backend as K

    return K.ctc_batch_cost(labels, logits, input_length, label_length)


def loss_softmax_as_logits(labels, logits, input_length, label_length):
    import tensorflow as tf

    return loss_solution(labels, tf.nn.softmax(logits), input_length, label_length)


def loss_lecture_slice(labels, logits, input_length, label_length):
    return loss_solution(labels, logits[:, 2:, :], input_length - 2, label_length)


def loss_mean(labels, logits, input_length, label_length):
    import tensorflow as tf

    return tf.reduce_mean(loss_solution(labels, logits, input_length, label_length))


def loss_flat(labels, logits, input_length, label_length):
    return loss_solution(labels, logits, input_length, label_length)[:, 0]


def loss_time_major(labels, logits, input_length, label_length):
    import tensorflow as tf

    return tf.nn.ctc_loss(labels=tf.cast(labels, tf.int32), logits=logits,
                          label_length=tf.cast(tf.reshape(label_length, [-1]), tf.int32),
                          logit_length=tf.cast(tf.reshape(input_length, [-1]), tf.int32), blank_index=0)


def test_the_solution_loss_passes_and_the_package_s_is_the_same():
    result = checks.evaluate_ctc_loss(loss_solution)
    assert result.passed, result.message
    from ocr_lab.model import ctc_loss

    exam = labels_and_ctc.make_loss_exam(3)
    got = ctc_loss(exam.labels, exam.logits, exam.input_length, exam.label_length).numpy()
    np.testing.assert_allclose(got, exam.expected, rtol=1e-5)


def test_keras_refusing_a_label_with_the_last_class_is_explained():
    exam = labels_and_ctc.make_loss_exam(0)
    error = {"type": "InvalidArgumentError", "message": "Saw a non-null label (index >= num_classes - 1) following a "
                                                        "null label, batch: 1 num_classes: 37 labels: 36,30"}
    result = labels_and_ctc.score_loss(exam, {"batch": labels_and_ctc.Call(error=error)}, "en")
    assert not result.passed and "K.ctc_batch_cost" in result.message and "blank_index=0" in result.message


def test_the_blank_loss_fails_as_not_written():
    result = checks.evaluate_ctc_loss(loss_blank)
    assert not result.passed and "not written yet" in result.message


@pytest.mark.parametrize("wrong, words", [
    (loss_keras_on_softmax, "K.ctc_batch_cost"), (loss_keras_on_logits, "not finite"),
    (loss_softmax_as_logits, "softmax passed as logits"), (loss_lecture_slice, "y_pred[:, 2:]"),
    (loss_mean, "one number"), (loss_flat, "tf.expand_dims"), (loss_time_major, "logits_time_major=False")])
def test_a_wrong_loss_is_told_its_mistake(wrong, words):
    result = checks.evaluate_ctc_loss(wrong)
    assert not result.passed and words in result.message, result.message


# ----------------------------------------------------------------------------- the table, the fallback

def test_notebook_02_s_checks_are_records_with_messages_in_both_languages():
    from ocr_lab.course import messages

    assert [c.name for c in checks.of_notebook("02_labels_and_ctc")] == ["label_converter", "ctc_lengths", "ctc_loss"]
    for check in checks.of_notebook("02_labels_and_ctc"):
        keys = [k for k in messages.CATALOGUE if k.startswith(check.messages)]
        assert len(keys) > 8 and all(set(messages.CATALOGUE[k]) == {"en", "ko"} for k in keys), check.name
        assert check.reference and check.package and check.rubric("en") != check.rubric("ko")


def test_later_cells_fall_back_to_the_package_s_version_and_say_so(capsys):
    from ocr_lab.labels import LabelConverter, ctc_lengths

    assert checks.yours_or_ours("label_converter", Solution) is Solution
    assert "passed its check" in capsys.readouterr().out
    assert checks.yours_or_ours("label_converter", LectureSeparator) is LabelConverter
    out = capsys.readouterr().out
    assert "ocr_lab.labels.LabelConverter" in out and "HEL-LO" in out
    assert checks.yours_or_ours("ctc_lengths", lengths_blank) is ctc_lengths


def test_while_graded_the_learner_s_version_is_used_unchecked(monkeypatch):
    monkeypatch.setenv(checks.GRADING_ENV, "1")
    assert checks.yours_or_ours("label_converter", Blank) is Blank


@pytest.mark.parametrize("metadata, name, exercise", [
    ({"ocr_lab": {"generated_from": "02_labels_and_ctc_solution.ipynb"}}, "x.ipynb", "02_labels_and_ctc"),
    ({"ocr_lab": {"language": "ko", "generated_from": "06_end_to_end_solution.ipynb"}}, "a.ipynb", "06_end_to_end"),
    ({}, "kim_02_labels_and_ctc_exercise.ipynb", "02_labels_and_ctc"),
    ({}, "learner.ipynb", "06_end_to_end")])
def test_a_notebook_says_which_exercise_it_is(metadata, name, exercise):
    assert checks.exercise_of(metadata, name) == exercise


def test_numbers_and_small_arrays_come_out_of_the_kernel_as_values(tmp_path):
    from ocr_lab.course.answers import _Snapshot, _rebuild

    node = _Snapshot(tmp_path, "x").node((np.array([[1.5], [np.inf]], np.float32), np.arange(3), 7, 2.5, True))
    back = _rebuild(node, tmp_path)
    assert back[0].shape == (2, 1) and back[0][0, 0] == 1.5 and np.isinf(back[0][1, 0])
    assert back[1].tolist() == [0, 1, 2] and back[2:] == (7, 2.5, True)
    forged = {"kind": "array", "shape": [5], "dtype": "int64", "values": [1, 2]}
    assert not isinstance(_rebuild(forged, tmp_path), np.ndarray)


def test_every_check_s_reference_names_and_package_version_exist():
    """A reference name that no longer resolves (a function moved) would silently guard nothing."""
    import importlib

    for check in checks.CHECKS.values():
        for name in check.reference:
            for split in range(name.count("."), 0, -1):
                module, attrs = name.split(".")[:split], name.split(".")[split:]
                try:
                    owner = importlib.import_module(".".join(module))
                except ImportError:
                    continue
                for attr in attrs:
                    owner = getattr(owner, attr)
                break
            else:
                raise AssertionError(f"{check.name}: {name} does not resolve")
        if check.package:
            module, _, attribute = check.package.partition(":")
            assert callable(getattr(importlib.import_module(module), attribute)), check.package
