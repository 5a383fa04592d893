"""python -m ocr_lab grade on a folder that mixes exercises and learners: each notebook is graded on its own
exercise's checks (told by its metadata, else its file name), one CSV row each, and a summary per learner.

The folder is graded once (a module fixture): two learners' notebook 02, one's 03 and two 04s, small notebooks
of the exercise's functions only, so no course model is loaded. tests/test_grade.py grades notebook 06 and the box's defences.
"""
import contextlib
import csv
import io
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ocr_lab.course import checks, grade
from ocr_lab.course import main as course_main
from ocr_lab.course.learner import NOTEBOOK_DIR

EXERCISE_02 = NOTEBOOK_DIR / "02_labels_and_ctc_exercise.ipynb"

RIGHT = '''
import numpy as np
import tensorflow as tf

class LabelConverter:
    def __init__(self, character):
        self.character = "-" + character
        self.label_map = {char: i for i, char in enumerate(self.character)}

    def encode(self, text):
        return np.array([self.label_map[char] for char in text])

    def decode(self, encoded_label):
        return "".join(self.character[i] for i in encoded_label)

def ctc_lengths(labels, time_steps):
    return np.full([len(labels), 1], time_steps), np.sum(labels != 0, axis=1, keepdims=True)

def ctc_loss(labels, logits, input_length, label_length):
    loss = tf.nn.ctc_loss(labels=tf.cast(labels, tf.int32), logits=logits,
                          label_length=tf.cast(tf.reshape(label_length, [-1]), tf.int32),
                          logit_length=tf.cast(tf.reshape(input_length, [-1]), tf.int32),
                          logits_time_major=False, blank_index=0)
    return tf.expand_dims(loss, -1)
'''

# The lecture's encode (HEL-LO), its input_length (max_text_len) and its loss (Keras' blank last).
LECTURE = RIGHT.replace(
    "        return np.array([self.label_map[char] for char in text])",
    "        out = []\n        for i, char in enumerate(text):\n"
    "            if i > 0 and char == text[i - 1]:\n                out.append(0)\n"
    "            out.append(self.label_map[char])\n        return np.array(out)").replace(
    "np.full([len(labels), 1], time_steps)", "np.full([len(labels), 1], labels.shape[1])").replace(
    "    loss = tf.nn.ctc_loss(", "    from tf_keras import backend as K\n"
    "    return K.ctc_batch_cost(labels, tf.nn.softmax(logits), input_length, label_length)\n    loss = tf.nn.ctc_loss(")

# Calls the package's own versions: the course's reference implementations of notebook 02.
REFERENCE = '''
from ocr_lab.labels import LabelConverter as Theirs, ctc_lengths
from ocr_lab.model import ctc_loss

class LabelConverter(Theirs):
    pass
'''


RIGHT_03 = '''
from tf_keras import layers

def feature_extractor(image_input, filters=(64, 128, 256, 256, 512, 512, 512)):
    f, x = filters, layers.Rescaling(1.0 / 255)(image_input)
    for n, pool in zip(f[:2], [(2, 2), (2, 2)]):
        x = layers.MaxPooling2D(pool)(layers.Conv2D(n, (3, 3), activation="relu", padding="same")(x))
    x = layers.Conv2D(f[2], (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D((1, 2))(layers.Conv2D(f[3], (3, 3), activation="relu", padding="same")(x))
    x = layers.BatchNormalization()(layers.Conv2D(f[4], (3, 3), activation="relu", padding="same")(x))
    x = layers.BatchNormalization()(layers.Conv2D(f[5], (3, 3), activation="relu", padding="same")(x))
    x = layers.Conv2D(f[6], (2, 2), activation="relu", padding="valid")(layers.MaxPooling2D((1, 2))(x))
    return layers.Reshape((24, f[6]))(x)

def sequence_stage(features, dense=64, lstm=256):
    x = layers.Dense(dense, activation="relu")(features)
    x = layers.Bidirectional(layers.LSTM(lstm, return_sequences=True))(x)
    return layers.Bidirectional(layers.LSTM(lstm))(x)  # return_sequences forgotten on the second
'''

RIGHT_04 = '''
import numpy as np
from ocr_lab import data

class MJDatasetSequence(data.MJDatasetSequence):
    def __getitem__(self, idx):
        items = [self._get_img_label(i) for i in self.index_list[idx * self.batch_size:(idx + 1) * self.batch_size]]
        items = [(img, label) for img, label in items if img is not None]
        n = len(items)
        images, labels = np.zeros([n, 100, 32, 3], np.float32), np.zeros([n, self.max_text_len], np.int64)
        lengths = np.zeros([n], np.int64)
        for i, (img, label) in enumerate(items):
            images[i, :len(img)] = img
            encoded = self.label_converter.encode(label)
            labels[i, :len(encoded)], lengths[i] = encoded, len(encoded)
        inputs = {"input_image": images, "label": labels, "input_length": np.full([n], self.time_steps),
                  "label_length": lengths}
        return inputs, {"ctc": np.zeros([n, 1], np.float32)}
'''

# The package's reader as it is: its __getitem__ is the course's reference, absent in the box.
REFERENCE_04 = '''
from ocr_lab import data

class MJDatasetSequence(data.MJDatasetSequence):
    pass
'''


def write_notebook(path: Path, source: str, metadata: dict | None = None) -> None:
    nb = new_notebook(cells=[new_code_cell(source.strip("\n"))])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.update(metadata or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    write_notebook(folder / "kim_02_labels_and_ctc_exercise.ipynb", RIGHT)
    write_notebook(folder / "lee_02_labels_and_ctc_exercise.ipynb", LECTURE)
    write_notebook(folder / "park" / "homework.ipynb", REFERENCE,
                   {"ocr_lab": {"generated_from": "02_labels_and_ctc_solution.ipynb"}})
    write_notebook(folder / "kim_03_crnn_model_exercise.ipynb", RIGHT_03)
    write_notebook(folder / "kim_04_training_exercise.ipynb", RIGHT_04)
    write_notebook(folder / "lee_04_training_exercise.ipynb", REFERENCE_04)
    blank = nbformat.read(EXERCISE_02, as_version=4)
    blank.metadata["ocr_lab"]["learner"] = "choi"
    nbformat.write(blank, folder / "blank.ipynb")
    out = folder / "grades.csv"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        rc = course_main(["grade", str(folder), "--jobs", "2", "--csv", str(out), "--by-learner", "--seed", "77"])
    with open(out, newline="", encoding="utf-8") as f:
        rows = {r["notebook"]: r for r in csv.DictReader(f)}
    return {"rc": rc, "stdout": stdout.getvalue(), "rows": rows, "folder": folder, "out": out}


NAMES = ["label_converter", "ctc_lengths", "ctc_loss"]


def test_each_notebook_is_graded_on_its_exercise_s_checks(graded):
    rows = {name: row for name, row in graded["rows"].items() if row["exercise"] == "02_labels_and_ctc"}
    assert set(rows) == {"kim_02_labels_and_ctc_exercise.ipynb", "lee_02_labels_and_ctc_exercise.ipynb",
                         "park/homework.ipynb", "blank.ipynb"}
    assert all(r["total"] == "3" for r in rows.values())
    right = rows["kim_02_labels_and_ctc_exercise.ipynb"]
    assert [right[n] for n in NAMES] == ["pass"] * 3 and right["status"] == "finished", right
    assert "detect_text" not in right  # only the checks of the exercises in the folder are columns


def test_notebooks_03_and_04_are_graded_by_what_the_learner_s_code_does(graded):
    crnn = graded["rows"]["kim_03_crnn_model_exercise.ipynb"]
    assert crnn["exercise"] == "03_crnn_model" and crnn["total"] == "2", crnn
    assert crnn["feature_extractor"] == "pass", crnn["feature_extractor_message"]
    assert crnn["sequence_stage"] == "FAIL" and "return_sequences=True" in crnn["sequence_stage_message"]
    reader = graded["rows"]["kim_04_training_exercise.ipynb"]
    assert reader["exercise"] == "04_training" and reader["mj_dataset_sequence"] == "pass", reader
    package = graded["rows"]["lee_04_training_exercise.ipynb"]
    assert package["mj_dataset_sequence"] == "FAIL" and "reference implementation" in package[
        "mj_dataset_sequence_message"], package


def test_the_lecture_s_answers_are_told_their_mistakes(graded):
    row = graded["rows"]["lee_02_labels_and_ctc_exercise.ipynb"]
    assert row["passed"] == "0", row
    assert "HEL-LO" in row["label_converter_message"]
    assert "y_pred[:, 2:]" in row["ctc_lengths_message"]
    assert "K.ctc_batch_cost" in row["ctc_loss_message"]


def test_the_blank_exercise_and_the_reference_score_zero(graded):
    blank = graded["rows"]["blank.ipynb"]
    assert blank["passed"] == "0" and "not written yet" in blank["label_converter_message"], blank
    reference = graded["rows"]["park/homework.ipynb"]
    assert reference["passed"] == "0", reference
    assert all("reference implementation" in reference[f"{n}_message"] for n in NAMES), reference


def test_learners_come_from_metadata_subfolders_and_file_names(graded):
    assert {r["notebook"]: r["learner"] for r in graded["rows"].values()} == {
        "kim_02_labels_and_ctc_exercise.ipynb": "kim", "lee_02_labels_and_ctc_exercise.ipynb": "lee",
        "park/homework.ipynb": "park", "blank.ipynb": "choi", "kim_03_crnn_model_exercise.ipynb": "kim",
        "kim_04_training_exercise.ipynb": "kim", "lee_04_training_exercise.ipynb": "lee"}
    summary = (graded["out"].with_name("grades_by_learner.csv")).read_text()
    assert "kim,5,6,3/3,1/2,1/1" in summary and "lee,0,4,0/3,,0/1" in summary
    assert "kim" in graded["stdout"] and graded["rc"] == 1


def test_exams_are_made_once_per_exercise_from_one_seed(tmp_path):
    write_notebook(tmp_path / "a_02_labels_and_ctc.ipynb", "x = 1")
    write_notebook(tmp_path / "b.ipynb", "x = 1", {"ocr_lab": {"generated_from": "06_end_to_end_solution.ipynb"}})
    made = []
    exams = grade.exams_for(grade.notebooks_in(tmp_path), 5, make=lambda seed, cs: made.append((seed, cs)) or seed)
    assert sorted(exams) == ["02_labels_and_ctc", "06_end_to_end"]
    assert [(s, [c.name for c in cs]) for s, cs in made] == [(5, NAMES), (5, ["detect_text", "recognize_img",
                                                                               "end_to_end"])]


def test_the_korean_exercise_is_graded_as_its_english_one():
    ko = NOTEBOOK_DIR / "ko" / "02_labels_and_ctc_exercise.ipynb"
    assert grade.exercise_of(ko) == "02_labels_and_ctc"
    assert checks.exercise_of({}, "06_end_to_end_exercise.ipynb") == "06_end_to_end"
