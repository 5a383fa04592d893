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

# The modules that hold the checks' records (`CHECKS`), one per exercise notebook.
CHECK_MODULES = ("ocr_lab.course.checks.labels_and_ctc", "ocr_lab.course.checks.crnn", "ocr_lab.course.checks.dataset",
                 "ocr_lab.course.checks.inference", "ocr_lab.course.checks.end_to_end")
# The check code, in the order it imports itself: each is re-run from its file before a hidden test.
FRESH = ("ocr_lab.course.messages", "ocr_lab.course.answers", "ocr_lab.course.checks.record",
         "ocr_lab.course.checks.cells", *CHECK_MODULES)


def run(check: str, namespace: dict, seed: int) -> None:
    """Evaluate `check` on the exam of `seed` with the notebook's functions and models; raise if it fails."""
    modules = {name: importlib.reload(importlib.import_module(name)) for name in FRESH}
    cells, answers = modules["ocr_lab.course.checks.cells"], modules["ocr_lab.course.answers"]
    table = {c.name: c for name in CHECK_MODULES for c in modules[name].CHECKS}
    record = table[check]
    models = answers.Models(namespace.get("detector"), namespace.get("model_pred"))
    result = cells.evaluate(record, {name: namespace.get(name) for name in record.functions}, models, seed)
    cells.report(result)
