"""The record of one graded check, and the verdict it gives.

A `Check` holds everything about one check that the learner's check cell, the grader
and its table need: its name, the notebook it belongs to, the learner's functions it
calls, the course models those get, how its exam is made and written, how the
functions are called on each input, how the answers are scored, and the prefix of
its messages in `ocr_lab.course.messages`. `ocr_lab.course.checks.CHECKS` is the
one table of them.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from ocr_lab.course.answers import Call, Models, cap
from ocr_lab.course.messages import message

CHECK_MIME = "application/vnd.ocr-lab.check+json"


@dataclass
class CheckResult:
    """One check's verdict. `message` is in the learner's language; the marks (passed / FAILED) are drawn in
    `ocr_lab.messages.language()`, the language of the notebook that shows the result."""

    check: str
    passed: bool
    message: str
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        self.message = cap(self.message)

    def to_json(self) -> dict:
        return {"check": self.check, "passed": self.passed, "message": self.message, "details": self.details}

    def __str__(self) -> str:
        verdict = message("result.passed" if self.passed else "result.failed")
        return f"{'✔' if self.passed else '✘'} {self.check}: {verdict}. {self.message}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        colour = "#1a7f37" if self.passed else "#cf222e"
        mark = message("result.passed_mark" if self.passed else "result.failed_mark")
        body = html.escape(self.message).replace("\n", "<br>")
        return {
            "text/plain": str(self),
            "text/html": f'<p><b style="color:{colour}">{mark}: <code>{self.check}</code></b><br>{body}</p>',
            CHECK_MIME: self.to_json(),
        }


@dataclass(frozen=True)
class Check:
    """One graded check, whole. The grader runs `make_exam` and `score` outside the box, `inputs` and
    `call` inside it (in the learner's kernel); a check cell runs all four in the notebook."""

    name: str                      # the rubric's and the CSV's name for it
    notebook: str                  # the exercise it belongs to: "06_end_to_end"
    functions: tuple[str, ...]     # the learner's functions it calls, as the notebook names them
    needs: tuple[str, ...]         # the course models the calls get: "detector", "recognizer" (`answers.Models`)
    make_exam: Callable[[int, Models], Any]          # seed, models -> this check's exam (inputs and truth)
    write_inputs: Callable[[Any, Path], None]        # exam, folder: what the functions see, never the truth
    inputs: Callable[[Path], dict[str, Path]]        # folder -> {call key: input file}, one call each
    call: Callable[[Mapping, Path, Models], Any]     # functions, input file, models -> what the learner returned
    score: Callable[[Any, dict[str, Call], str | None], CheckResult]  # exam, answers, language -> verdict
    messages: str                  # the prefix of its message keys ("detect."); `rubric.<name>` says what it grades
    reference: tuple[str, ...] = ()  # the course's own answers (dotted names): absent, or stand-ins, while it runs
    package: str = ""              # the package's version of what the learner writes (`module:attribute`): the
    #                                notebook's cells fall back to it while the learner's fails (`checks.yours_or_ours`)

    def rubric(self, lang: str | None = None) -> str:
        """What the check grades, in one line of `lang`."""
        return message(f"rubric.{self.name}", lang)


# ----------------------------------------------------------------------------- what every check's score says alike

def missing_call() -> Call:
    """The answer to a call the kernel never wrote: scored as an error."""
    return Call(error={"type": "Missing", "message": "no answer"})


def not_written(call: Call) -> bool:
    """The learner's function still raises the exercise's `NotImplementedError`."""
    return bool(call.error) and call.error["type"] == "NotImplementedError"


def error_text(call: Call) -> str:
    """`Type: message` of what the learner's function raised, without a full stop the message template adds."""
    text = call.error["message"]
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1]
    return f"{call.error['type']}: {text}" if text else call.error["type"]


def reference_result(check: str, call: Call, lang: str | None, name: str | None = None) -> CheckResult:
    """The verdict on answers that called the course's own implementation: write `name` (default: `check`)."""
    text = message("check.reference", lang, standin=message("answers.standin", lang), called=", ".join(call.reference),
                   name=name or check)
    return CheckResult(check, False, text, {"reference": call.reference})

