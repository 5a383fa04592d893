"""python -m ocr_lab grade: the solution passes, a wrong copy gets specific failures, and a
notebook that raises, loops or kills its kernel is reported within the time limit."""
import contextlib
import csv
import io
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ocr_lab import checks, grade
from ocr_lab.cli import main
from ocr_lab.notebooks import NOTEBOOK_DIR, STUB

SOLUTION = NOTEBOOK_DIR / "06_end_to_end_solution.ipynb"
EXERCISE = NOTEBOOK_DIR / "06_end_to_end_exercise.ipynb"

# A learner who left detect_text as shipped and forgot the [0] after decode_predict_ctc.
WRONG_RECOGNIZE = '''
    width, height = pil_img.size
    target_width = min(int(width * input_img_size[1] / height), input_img_size[0])
    img = np.array(pil_img.convert("RGB").resize((target_width, input_img_size[1])))
    batch = np.zeros((1, *input_img_size, 3), dtype=np.float32)
    batch[0, :target_width] = img.transpose(1, 0, 2)
    return decode_predict_ctc(model_pred.predict(batch, verbose=0), TARGET_CHARACTERS)'''


def run_cli(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = main(["grade", *map(str, argv)])
    return rc, out.getvalue()


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {row["notebook"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    (folder / "solution.ipynb").write_bytes(SOLUTION.read_bytes())
    wrong = nbformat.read(EXERCISE, as_version=4)
    cells = [c for c in wrong.cells if c.cell_type == "code" and "def recognize_img" in c.source]
    assert len(cells) == 1
    cells[0].source = cells[0].source.replace("    " + STUB, WRONG_RECOGNIZE.strip("\n"))
    nbformat.write(wrong, folder / "wrong.ipynb")
    out = folder / "grades.csv"
    rc, stdout = run_cli(folder, "--csv", out, "--timeout", 600)
    return rc, stdout, read_csv(out)


def test_the_solution_passes_every_check(graded):
    _, _, rows = graded
    row = rows["solution.ipynb"]
    assert row["status"] == "finished"
    assert [row[name] for name in checks.RUBRIC] == ["pass"] * len(checks.RUBRIC), row
    assert row["passed"] == str(len(checks.RUBRIC)) and row["errors"] == ""
    assert "/" in row["end_to_end_words"]  # "n/m words: ..."


def test_a_wrong_copy_gets_specific_failures(graded):
    rc, _, rows = graded
    row = rows["wrong.ipynb"]
    assert row["status"] == "finished"  # cells that raise do not stop grading
    assert row["detect_text"] == "FAIL" and "detect_text is not written yet" in row["detect_text_message"]
    assert row["recognize_img"] == "FAIL" and "should return one string" in row["recognize_img_message"]
    assert row["end_to_end"] == "FAIL" and "not written yet" in row["end_to_end_message"]
    assert "NotImplementedError" in row["errors"]  # the lecture's cell that calls detect_text
    assert rc == 1


def test_the_rubric_table_is_printed(graded):
    _, stdout, _ = graded
    assert "solution.ipynb: 3 of 3 checks passed" in stdout
    assert "wrong.ipynb: 0 of 3 checks passed" in stdout
    assert "end-to-end on the sample photo:" in stdout
    assert "recognize_img  FAIL" in stdout


def _write(folder, name, *sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / name)


def test_notebooks_that_raise_loop_or_die_are_reported_not_hung(tmp_path):
    _write(tmp_path, "raises.ipynb", "x = 1", "1 / 0", "print('still runs')")
    _write(tmp_path, "loops.ipynb", "x = 1", "while True:\n    pass", "print('never')")
    _write(tmp_path, "dies.ipynb", "import os\nos._exit(1)")
    (tmp_path / "broken.ipynb").write_text("{not json")
    start = time.monotonic()
    rc, stdout = run_cli(tmp_path, "--timeout", 10)
    assert time.monotonic() - start < 120
    rows = read_csv(tmp_path / "grades.csv")
    assert rows["raises.ipynb"]["status"] == "finished"
    assert "cell 1 (1 / 0): ZeroDivisionError: division by zero" in rows["raises.ipynb"]["errors"]
    assert rows["raises.ipynb"]["detect_text"] == "not run"
    assert rows["loops.ipynb"]["status"] == "timed out after 10 s in cell 1 (while True:)"
    assert rows["dies.ipynb"]["status"].startswith("kernel died")
    assert rows["broken.ipynb"]["status"].startswith("could not be read")
    assert rc == 1 and "timed out after 10 s" in stdout


def test_bad_usage_is_a_clear_error(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "missing.ipynb")]) == 2
    assert "no notebook or folder" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("hi")
    assert main(["grade", str(tmp_path / "notes.txt")]) == 2
    assert main(["grade", str(tmp_path)]) == 2  # a folder without notebooks
    assert "no .ipynb files" in capsys.readouterr().err


def test_format_grade_wraps_long_messages():
    g = grade.Grade("x.ipynb", "finished", 3.0, {"detect_text": {"passed": False, "message": "word " * 60}})
    text = grade.format_grade(g, width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "x.ipynb: 0 of 3 checks passed, ran 3 s, finished" in text
