"""ocr_lab.course: the course machinery, in its own room above the OCR library.

    learner          -> what a notebook imports first: QUICK, course_dir, course_data, rel, show_source (every notebook)
    messages         -> the checks' and the grader's text, in English and Korean
    answers          -> the learner's functions called on an exam inside the box, their returns carried out
    checks           -> the exercise checks: one record per check (name, notebook, exam, call, scoring, messages)
    box              -> the grader's sandbox for learner code (bubblewrap)
    grade            -> `python -m ocr_lab grade`: run learners' notebooks in a box and grade their functions
    exercises        -> exercise copies generated from the solution notebooks
    translate        -> the Korean edition, generated from the English notebooks and their translations
    nbgrader_source  -> the nbgrader course folder (source notebooks with hidden tests)
    notebooks        -> `python -m ocr_lab.notebooks`: execute, exercise, translate, verify, nbgrader

Every arrow points down: this package imports the library (`ocr_lab.labels` ...
`ocr_lab.pipeline`, `ocr_lab.cli`), and the library never imports it, as d2l keeps
its book-building tool outside the package learners import. Two spellings of the
old layout still answer, for the committed notebooks: `ocr_lab.notebooks` (the
learner helpers and `python -m ocr_lab.notebooks`) and `ocr_lab.checks`. They are
aliases of this package, not library modules.
"""
from ocr_lab.course.learner import (QUICK, course_data, course_dir, heldout_data, rel, show_image,  # noqa: F401
                                    show_source)

# The verbs of `python -m ocr_lab` that the course adds to the library's (`ocr_lab.cli.VERBS`).
VERBS = {"grade": ("ocr_lab.course.grade", "instructors: run and grade learners' exercise notebooks")}


def main(argv: list[str] | None = None) -> int:
    """`python -m ocr_lab`: the library's verbs and the course's."""
    from ocr_lab.cli import VERBS as LIBRARY_VERBS
    from ocr_lab.cli import main as cli_main

    return cli_main(argv, {**LIBRARY_VERBS, **VERBS})
