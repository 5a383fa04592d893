"""The nbgrader course folder: source notebooks with hidden tests, for instructors who grade with nbgrader.

`python -m ocr_lab.notebooks nbgrader` writes `nbgrader/source/<assignment>/<assignment>.ipynb`
for every solution notebook with nbgrader cells (`02_labels_and_ctc`, `06_end_to_end`), the
Korean edition's as `<assignment>_ko`, and `nbgrader/nbgrader_config.py` once.
"""
from __future__ import annotations

import copy
import functools

import nbformat
from pathlib import Path

from ocr_lab.course.exercises import (SOLUTION_SUFFIX, STUB, _blank_markdown,
                                      _stamp_generated)
from ocr_lab.course.learner import NOTEBOOK_DIR, REPO
from ocr_lab.files import atomic_write

NBGRADER_DIR = REPO / "nbgrader"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
NBGRADER_CONFIG = f"""# nbgrader settings for the ocr-lab course; written once by `python -m ocr_lab.notebooks nbgrader`
# (never overwritten: edit it freely). Run nbgrader commands in this folder.
c = get_config()
c.CourseDirectory.course_id = "ocr-lab"
# The exercise's own stub, so nbgrader's release reads like notebooks/*_exercise.ipynb.
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
# Loading CRAFT and the CRNN takes a minute on a laptop; nbgrader's default is 30 s per cell.
c.Execute.timeout = 600
"""


def nbgrader_assignment(solution: Path) -> str:
    """The nbgrader assignment name of a solution notebook: `06_end_to_end_solution.ipynb` -> `06_end_to_end`."""
    return solution.name[: -len(SOLUTION_SUFFIX)]


def make_nbgrader_source(solution_nb, solution_name: str, hidden_seed: int):
    """The instructor's nbgrader source of a solution notebook.

    The code cells keep the solution and its `### BEGIN SOLUTION` markers (nbgrader's own
    markers, so `nbgrader generate_assignment` blanks the same lines as the exercise
    generator) and the cells' `nbgrader` metadata. Markdown is the exercise's. Each graded
    check cell gets a hidden test: the same check on the exam of `hidden_seed`, which
    nbgrader removes from the release and puts back when it autogrades.
    """
    nb = copy.deepcopy(solution_nb)
    cells = []
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "markdown":
            cell.source = _blank_markdown(cell.source)
            if not cell.source:
                continue
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            grading = cell.metadata.get("nbgrader", {})
            if grading.get("grade") and not grading.get("solution"):
                call = cell.source.strip()
                if "\n" in call or not call.endswith(")"):
                    raise ValueError(f"a graded check cell of {solution_name} should be one check call, got:\n{call}")
                check = grading["grade_id"].removeprefix("check_")
                # The visible check stays locked but ungraded: untouched, its checksum matches the release's,
                # so nbgrader's "checksum has changed" flags only real edits. The points go to a cell of its own
                # whose hidden test nbgrader removes from the release and puts back when it autogrades.
                cell.metadata["nbgrader"] = {**grading, "grade": False, "locked": True}
                cell.metadata["nbgrader"].pop("points", None)
                cells.append(cell)
                cell = nbformat.v4.new_code_cell(
                    f"# {check}: the grader's own test, on an exam you have never seen (hidden until grading)\n"
                    f"{BEGIN_HIDDEN}\n__import__(\"ocr_lab.course.checks.hidden\", fromlist=[\"run\"]).run("
                    f"{check!r}, globals(), seed={hidden_seed})\n{END_HIDDEN}",
                    metadata={"nbgrader": {**grading, "grade_id": f"hidden_{check}", "grade": True, "locked": True}})
        cells.append(cell)
    return _stamp_generated(nb, cells, solution_name, "nbgrader")


def write_nbgrader(out: Path = NBGRADER_DIR, hidden_seed: int | None = None,
                   folder: Path = NOTEBOOK_DIR) -> tuple[list[Path], int]:
    """Write `out/source/<assignment>/<assignment>.ipynb` for every solution notebook with nbgrader
    cells, and `out/nbgrader_config.py` if there is none. Returns (paths written, hidden seed)."""
    import secrets

    import nbformat

    from ocr_lab.course.translate import EDITIONS

    seed = secrets.randbelow(1_000_000) if hidden_seed is None else hidden_seed
    written = []
    solutions = [(s, "") for s in sorted(folder.glob("*" + SOLUTION_SUFFIX))]
    solutions += [(s, f"_{lang}") for lang in EDITIONS for s in sorted((folder / lang).glob("*" + SOLUTION_SUFFIX))]
    for solution, edition in solutions:
        nb = nbformat.read(solution, as_version=4)
        if not any("nbgrader" in c.metadata for c in nb.cells):
            continue
        name = nbgrader_assignment(solution) + edition
        target = out / "source" / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, functools.partial(nbformat.write, make_nbgrader_source(nb, solution.name, seed)))
        written.append(target)
    config = out / "nbgrader_config.py"
    if not config.exists():
        out.mkdir(parents=True, exist_ok=True)
        config.write_text(NBGRADER_CONFIG)
        written.append(config)
    return written, seed
