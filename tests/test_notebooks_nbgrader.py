"""The exercise as an nbgrader assignment: `python -m ocr_lab.notebooks nbgrader` writes a source that
`nbgrader generate_assignment` releases without the solutions and hidden tests, and that
`nbgrader autograde` scores: full marks for the solution, none for the blank release."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ocr_lab import notebooks as nbs  # the alias of ocr_lab.course.learner, exercises, translate, nbgrader_source, notebooks

ASSIGNMENT = "06_end_to_end"
# every exercise, in both editions: what `python -m ocr_lab.notebooks nbgrader` writes
ASSIGNMENTS = ["02_labels_and_ctc", "03_crnn_model", "04_training", "05_inference", "06_end_to_end",
               "02_labels_and_ctc_ko", "03_crnn_model_ko", "04_training_ko", "05_inference_ko", "06_end_to_end_ko"]
HIDDEN_SEED = 4321
# What once made every check cell and hidden test of nbgrader's route stand aside: 3 of 3 with blank functions.
SWITCH_OFF = """import os
os.environ["OCR_LAB_GRADING"] = "1"
from ocr_lab import checks
checks.check_detect_text = checks.check_recognize_img = checks.check_end_to_end = lambda *a, **k: None"""


def test_the_solution_carries_nbgrader_cells():
    nb = nbformat.read(nbs.NOTEBOOK_DIR / "06_end_to_end_solution.ipynb", as_version=4)
    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    for answer in ("detect_text", "recognize_img"):
        meta = cells[answer].metadata["nbgrader"]
        assert meta["solution"] and not meta["grade"] and not meta["locked"]
        assert nbs.BEGIN_SOLUTION in cells[answer].source
    for check in ("check_detect_text", "check_recognize_img", "check_end_to_end"):
        meta = cells[check].metadata["nbgrader"]
        assert meta["grade"] and meta["locked"] and meta["points"] == 1 and not meta["solution"]


def test_the_source_adds_a_hidden_test_to_each_check_and_takes_the_exercise_prose():
    nb = nbformat.read(nbs.NOTEBOOK_DIR / "06_end_to_end_solution.ipynb", as_version=4)
    source = nbs.make_nbgrader_source(nb, "06_end_to_end_solution.ipynb", HIDDEN_SEED)
    graded = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == 3
    for cell in graded:
        assert nbs.BEGIN_HIDDEN in cell.source and f"seed={HIDDEN_SEED})" in cell.source
    assert not any(c.get("outputs") for c in source.cells if c.cell_type == "code")
    assert "This is the **exercise** notebook" in source.cells[0].source


def test_a_check_cell_that_is_not_one_call_is_an_error():
    nb = new_notebook(cells=[new_code_cell("x = 1\ncheck(x)", metadata={"nbgrader": {"grade": True, "solution": False}})])
    with pytest.raises(ValueError, match="one check call"):
        nbs.make_nbgrader_source(nb, "x_solution.ipynb", 1)


def test_the_config_is_written_once_and_never_overwritten(tmp_path):
    written, seed = nbs.write_nbgrader(tmp_path, hidden_seed=7)
    assert seed == 7 and (tmp_path / "nbgrader_config.py") in written
    (tmp_path / "nbgrader_config.py").write_text("# mine\n")
    written, _ = nbs.write_nbgrader(tmp_path, hidden_seed=8)
    assert (tmp_path / "nbgrader_config.py").read_text() == "# mine\n"
    assert written == [tmp_path / "source" / name / f"{name}.ipynb" for name in ASSIGNMENTS]


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(nbs.REPO), **nbs.NOTEBOOK_ENV)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # nbgrader runs `alembic`
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result


@pytest.mark.parametrize("name, calls", [
    ("02_labels_and_ctc", ["checks.check_label_converter(LabelConverter)", "checks.check_ctc_lengths(ctc_lengths)",
                           "checks.check_ctc_loss(ctc_loss)"]),
    ("03_crnn_model", ["checks.check_feature_extractor(feature_extractor)",
                       "checks.check_sequence_stage(sequence_stage)"]),
    ("04_training", ["checks.check_mj_dataset_sequence(MJDatasetSequence)"]),
    ("05_inference", ["checks.check_decode_predict_ctc(decode_predict_ctc)",
                      "checks.check_check_inference(check_inference)"])])
def test_each_exercise_s_source_has_a_hidden_test_for_each_check(name, calls):
    """05's full autograde would run the notebook's evaluation twice (minutes); 02 and 06 are autograded below."""
    nb = nbformat.read(nbs.NOTEBOOK_DIR / f"{name}_solution.ipynb", as_version=4)
    source = nbs.make_nbgrader_source(nb, f"{name}_solution.ipynb", HIDDEN_SEED)
    visible = [c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("check_")
               and not c.metadata["nbgrader"].get("solution")]
    hidden = [c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert visible == calls  # the check cells, locked and ungraded: the points are the hidden tests'
    checked = [call.split("(")[0].removeprefix("checks.check_") for call in calls]
    assert [s.splitlines()[0].split(":")[0].removeprefix("# ") for s in hidden] == checked
    assert all(f"run({name!r}, globals(), seed={HIDDEN_SEED})" in s for name, s in zip(checked, hidden))


@pytest.mark.skipif(shutil.which("nbgrader", path=str(Path(sys.executable).parent)) is None,
                    reason="nbgrader is not installed in this environment (it is in requirements.txt)")
@pytest.mark.parametrize("ASSIGNMENT", ["02_labels_and_ctc", "06_end_to_end"])
def test_nbgrader_releases_and_autogrades_the_solution_and_a_blank_copy(tmp_path, ASSIGNMENT):  # noqa: N803
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    nbs.write_nbgrader(course, hidden_seed=HIDDEN_SEED)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    release = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    released = "\n".join(c.source for c in nbformat.read(release, as_version=4).cells)
    assert nbs.BEGIN_HIDDEN not in released and f"seed={HIDDEN_SEED}" not in released
    solution_line = {"06_end_to_end": "ocr_result = detector.detect", "02_labels_and_ctc": "self.label_map[char] for"}
    assert solution_line[ASSIGNMENT] not in released and nbs.STUB in released

    switched_off = nbformat.read(release, as_version=4)  # the blank release, plus a cell that tries to switch
    switched_off.cells.insert(2, new_code_cell(SWITCH_OFF))  # every check off: after the imports, before the checks
    for student, notebook in [("solution", course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                              ("blank", release), ("switched_off", switched_off)]:
        target = course / "submitted" / student / ASSIGNMENT
        target.mkdir(parents=True)
        if isinstance(notebook, Path):
            shutil.copyfile(notebook, target / f"{ASSIGNMENT}.ipynb")
        else:
            nbformat.write(notebook, target / f"{ASSIGNMENT}.ipynb")
    result = nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in ("solution", "blank", "switched_off")}
        max_score = gb.find_assignment(ASSIGNMENT).max_score
    assert max_score == 3
    assert scores == {"solution": 3, "blank": 0, "switched_off": 0}
    # Untouched, every locked cell keeps its checksum. nbgrader restores a hidden test by seeing its cell differ
    # from the instructor's, so it notes the hidden_* cells of every submission: only other notes mean an edit.
    changed = set(re.findall(r"for cell (\w+) has changed", result.stdout + result.stderr))
    assert changed and all(name.startswith("hidden_") for name in changed), changed


def test_learners_jupyterlab_hides_nbgrader_and_one_command_shows_it_to_instructors(tmp_path):
    """nbgrader shares the learners' venv: `make venv` turns its JupyterLab menu, sidebar and server
    extensions off; `make instructor` turns them on (read from `make -n`, nothing is run)."""
    repo = Path(__file__).resolve().parent.parent
    shutil.copy(repo / "Makefile", tmp_path / "Makefile")
    for name in ("requirements.txt", "pyproject.toml"):  # what the venv is built from, older than the venv
        (tmp_path / name).touch()
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".installed").touch()

    def dry_run(target):
        return subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True, check=True).stdout

    venv, instructor = dry_run("venv"), dry_run("instructor")
    assert "jupyter labextension disable --level=sys_prefix @jupyter/nbgrader" in venv
    assert "jupyter server extension disable --sys-prefix nbgrader.server_extensions.$ext" in venv
    assert "jupyter labextension enable --level=sys_prefix @jupyter/nbgrader" in instructor
    assert "make instructor" in (repo / "README.md").read_text(encoding="utf-8")


def test_a_hidden_test_finds_every_check_of_the_table():
    """hidden.run reloads the check modules and looks the check up in them: every check must be there."""
    import importlib

    from ocr_lab.course import checks
    from ocr_lab.course.checks import hidden

    found = {c.name for name in hidden.CHECK_MODULES for c in importlib.import_module(name).CHECKS}
    assert found == set(checks.CHECKS)
