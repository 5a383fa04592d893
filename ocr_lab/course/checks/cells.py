"""Check cells: a check run in the learner's notebook, on the public exam, with its verdict shown.

The grader does not use these: it calls the learner's functions itself, in a box, on an
exam made at grading time (`ocr_lab.course.grade`). A check cell goes through the same
record and the same answer files, so the learner sees what the grader will see. While
the learner's functions answer here, the course's reference implementations are
replaced by stand-ins that fail the check (`answers.reference_standins`); in the grader's
box they are simply absent.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping

from ocr_lab.course.answers import Models, answer_calls, read_answers
from ocr_lab.course.checks.record import Check, CheckResult
from ocr_lab.course.messages import message

GRADING_ENV = "OCR_LAB_GRADING"  # set in the grader's box: the notebook's own check cells stand aside
PUBLIC_SEED = 0  # the exam of the notebook's check cells; the grader picks its own


class CheckFailed(AssertionError):
    """A check did not pass. The rich output above the error says what was expected and what came back."""

    def __init__(self, result: "CheckResult"):
        super().__init__(f"{result.check}: {result.message}")
        self.result = result

    def _render_traceback_(self):  # IPython: one red line instead of a stack trace into ocr_lab
        return [f"\x1b[31mCheckFailed\x1b[0m: {message('result.did_not_pass', check=self.result.check)}"]




def grading() -> bool:
    """True inside the grader's box, where the grader, not the notebook, runs the checks."""
    return os.environ.get(GRADING_ENV) == "1"


def report(result: CheckResult, raise_on_failure: bool = True) -> CheckResult:
    """Show the result (rich output in a notebook, text elsewhere) and raise `CheckFailed` if it failed.

    The check_* functions return None, so that a notebook cell shows the result once.
    """
    try:
        from IPython import get_ipython
        from IPython.display import display

        in_notebook = get_ipython() is not None
    except ImportError:  # pragma: no cover - IPython is part of the stack
        in_notebook = False
    if in_notebook:
        display(result)
    else:
        print(result)
    if raise_on_failure and not result.passed:
        raise CheckFailed(result)
    return result



_EXAM_PARTS: dict = {}


def exam_part(check: Check, seed: int, models: Models):
    """`check`'s exam of `seed`, made once per process (and per set of models given)."""
    key = (check.name, seed, models.key())
    if key not in _EXAM_PARTS:
        _EXAM_PARTS[key] = check.make_exam(seed, models)
    return _EXAM_PARTS[key]


def evaluate(check: Check, functions: Mapping, models: Models, seed: int = PUBLIC_SEED) -> CheckResult:
    """Answer `check`'s exam of `seed` in this process and score it, through the same files as the grader."""
    exam = exam_part(check, seed, models)
    with tempfile.TemporaryDirectory(prefix="ocr_lab_check_") as tmp:
        folder = Path(tmp)
        check.write_inputs(exam, folder / "exam" / check.name)
        answer_calls(check, functions, folder / "exam", folder / "out", models)
        return check.score(exam, read_answers(folder / "out"))


def check_cell(check: Check, functions: Mapping, models: Models, seed: int = PUBLIC_SEED) -> None:
    """What a check cell does: evaluate and report (raising `CheckFailed`), or stand aside while graded."""
    if grading():
        print(message("check.graded_elsewhere", name=check.name))
        return
    report(evaluate(check, functions, models, seed))
