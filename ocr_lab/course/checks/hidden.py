"""nbgrader's hidden tests: a check on the instructor's exam, run in the learner's kernel by `nbgrader autograde`.

`python -m ocr_lab.notebooks nbgrader` gives each graded check its own hidden-test cell:

    __import__("ocr_lab.course.checks.hidden", fromlist=["run"]).run("detect_text", globals(), seed=...)

`run` does not read `OCR_LAB_GRADING` (a cell can set it) and loads the check code afresh
from its files first (a cell can replace `checks.check_detect_text` or anything it calls),
then evaluates the check and raises when it fails. It does not make nbgrader's route safe:
the tests run in the learner's own kernel, unboxed, where code can still patch Python
itself or call the reference implementations (README, "nbgrader").
"""
from __future__ import annotations

import importlib

# The check code, in the order it imports itself: each is re-run from its file before a hidden test.
FRESH = ("ocr_lab.course.messages", "ocr_lab.course.answers", "ocr_lab.course.checks.record",
         "ocr_lab.course.checks.cells", "ocr_lab.course.checks.end_to_end")


def run(check: str, namespace: dict, seed: int) -> None:
    """Evaluate `check` on the exam of `seed` with the notebook's functions and models; raise if it fails."""
    modules = [importlib.reload(importlib.import_module(name)) for name in FRESH]
    cells, table = modules[3], {c.name: c for c in modules[4].CHECKS}
    answers = modules[1]
    record = table[check]
    models = answers.Models(namespace.get("detector"), namespace.get("model_pred"))
    result = cells.evaluate(record, {name: namespace.get(name) for name in record.functions}, models, seed)
    cells.report(result)
