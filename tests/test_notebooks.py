"""The course notebooks as committed: executed, with outputs, exercise copies current.

`pytest --nbval-lax notebooks` (make test-notebooks) re-runs them; these tests check
what is committed and the exercise generator, without running any notebook.
"""
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ocr_lab import notebooks as nbs

EXPECTED = ["01_data_inspection", "02_labels_and_ctc", "03_crnn_model", "04_training", "05_inference",
            "06_end_to_end_exercise", "06_end_to_end_solution"]


def test_the_course_has_its_notebooks():
    assert sorted(p.stem for p in nbs.NOTEBOOK_DIR.glob("*.ipynb")) == EXPECTED


def test_committed_notebooks_are_executed_current_and_have_outputs():
    problems = nbs.verify()
    assert problems == [], "\n".join(problems) + "\nrun `make notebooks` and commit the result"


@pytest.mark.parametrize("name", [n for n in EXPECTED if not n.endswith("_exercise")])
def test_each_notebook_checks_outputs_and_shows_a_picture(name):
    nb = nbformat.read(nbs.NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any("NBVAL_CHECK_OUTPUT" in c.source for c in code), "nbval --nbval-lax would compare nothing"
    assert any("image/png" in out.get("data", {}) for c in code for out in c.outputs), "no picture"


def test_generated_exercise_is_not_executed_and_has_the_stubs():
    nb = nbformat.read(nbs.NOTEBOOK_DIR / "06_end_to_end_exercise.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is None and not c.outputs for c in code)
    assert sum(nbs.STUB in c.source for c in code) == 2  # detect_text and recognize_img
    assert not any(nbs.BEGIN_SOLUTION in c.source for c in code)


# ----------------------------------------------------------------------------- the generator

SOLUTION_CODE = '''def f(x):
    """Double x."""
    ### BEGIN SOLUTION
    # 1. multiply by two
    y = x * 2
    ### END SOLUTION
    return y'''


def _solution_notebook():
    nb = new_notebook(cells=[
        new_markdown_cell("# Title\n<!-- BEGIN SOLUTION -->\nThis is the solution.\n<!-- END SOLUTION -->\n"
                          "<!-- EXERCISE ONLY: Fill in the blanks. -->"),
        new_code_cell(SOLUTION_CODE, execution_count=1, outputs=[new_output("stream", name="stdout", text="hi\n")]),
        new_code_cell("f(2)", execution_count=2),
        new_markdown_cell("<!-- BEGIN SOLUTION -->only in the solution<!-- END SOLUTION -->"),
    ])
    return nb


def test_make_exercise_keeps_hints_and_replaces_code_with_a_stub():
    ex = nbs.make_exercise(_solution_notebook(), "x_solution.ipynb")
    assert ex.cells[1].source == ('def f(x):\n    """Double x."""\n    # 1. multiply by two\n'
                                  f"    {nbs.STUB}\n    return y")
    assert ex.cells[1].outputs == [] and ex.cells[1].execution_count is None
    assert ex.cells[2].execution_count is None


def test_make_exercise_markdown_markers():
    ex = nbs.make_exercise(_solution_notebook(), "x_solution.ipynb")
    assert ex.cells[0].source == "# Title\nFill in the blanks."
    assert len(ex.cells) == 3  # the solution-only markdown cell is gone
    assert ex.metadata["ocr_lab"]["generated_from"] == "x_solution.ipynb"


@pytest.mark.parametrize("source", ["### BEGIN SOLUTION\nx = 1", "x = 1\n### END SOLUTION",
                                    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"])
def test_unbalanced_markers_are_errors(source):
    nb = new_notebook(cells=[new_code_cell(source)])
    with pytest.raises(ValueError, match="SOLUTION"):
        nbs.make_exercise(nb, "x_solution.ipynb")


def test_verify_finds_stale_exercises_and_unexecuted_notebooks(tmp_path):
    nbformat.write(_solution_notebook(), tmp_path / "07_x_solution.ipynb")
    assert any("missing" in p for p in nbs.verify(tmp_path))
    nbs.write_exercises(tmp_path)
    assert nbs.verify(tmp_path) == []
    exercise = nbformat.read(tmp_path / "07_x_exercise.ipynb", as_version=4)
    exercise.cells[1].source += "\n# edited by hand"
    nbformat.write(exercise, tmp_path / "07_x_exercise.ipynb")
    assert any("out of date" in p for p in nbs.verify(tmp_path))

    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")]), tmp_path / "08_y.ipynb")
    assert any("08_y.ipynb: 1 of 1 code cells were not executed" in p for p in nbs.verify(tmp_path))


def test_verify_finds_out_of_order_runs_errors_and_machine_paths(tmp_path):
    error = new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])
    path = new_output("stream", name="stdout", text=f"{nbs.REPO}/data\n")
    nb = new_notebook(cells=[new_code_cell("1/0", execution_count=2, outputs=[error]),
                             new_code_cell("print(p)", execution_count=1, outputs=[path])])
    nbformat.write(nb, tmp_path / "09_z.ipynb")
    problems = "\n".join(nbs.verify(tmp_path))
    assert "not run top to bottom" in problems
    assert "ZeroDivisionError" in problems
    assert "this machine's path" in problems


def test_show_source_gives_markdown_and_text():
    src = nbs.show_source(nbs.rel)
    assert src._repr_markdown_().startswith("`ocr_lab/notebooks.py`\n```python\ndef rel(")
    assert repr(src).startswith("# ocr_lab/notebooks.py\ndef rel(")


def test_rel_prints_paths_relative_to_the_repository():
    assert nbs.rel(nbs.REPO / "data" / "x") == "data/x"
