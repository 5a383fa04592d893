"""Checks: what the course's exercises are graded on, for the learner's check cells and for the grader.

`CHECKS` is the one table of graded checks, each a `Check` record (`record.py`): its name,
notebook, the learner's functions it calls and the course models they get, how its exam is
made and written, how the functions are called, how the answers are scored, and its
messages. Each notebook's checks live in one module beside their exam and scoring code:

    labels_and_ctc -> notebook 02: label_converter, ctc_lengths, ctc_loss
    crnn           -> notebook 03: feature_extractor, sequence_stage
    dataset        -> notebook 04: mj_dataset_sequence (MJDatasetSequence.__getitem__)
    inference      -> notebook 05: decode_predict_ctc, check_inference
    end_to_end     -> notebook 06: detect_text, recognize_img, end_to_end

Adding a check is one record in its notebook's module (and the module here, for a new
notebook), its messages in both languages in `ocr_lab.course.messages`, and a test.

`python -m ocr_lab grade` makes an exam from a seed it picks when grading (`make_exam`),
runs the notebook in a box, then calls the learner's functions itself (`answer_exam`, in
the kernel, which writes what they return to files) and scores those files outside the
box (`score`). Nothing a notebook prints can change its grade.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ocr_lab.course.answers import MESSAGE_LIMIT, STANDIN_MESSAGE, Call, Models, answer_calls  # noqa: F401
from ocr_lab.course.checks import crnn, dataset, end_to_end, inference, labels_and_ctc
from ocr_lab.course.checks.cells import (GRADING_ENV, PUBLIC_SEED, CheckFailed, evaluate, grading,  # noqa: F401
                                         report)
from ocr_lab.course.checks.crnn import (check_feature_extractor, check_sequence_stage,  # noqa: F401
                                        evaluate_feature_extractor, evaluate_sequence_stage)
from ocr_lab.course.checks.dataset import check_mj_dataset_sequence, evaluate_mj_dataset_sequence  # noqa: F401
from ocr_lab.course.checks.end_to_end import (DetectExam, EndToEndExam, RecognizeExam,  # noqa: F401
                                              check_detect_text, check_end_to_end, check_recognize_img,
                                              clean_render_params, evaluate_detect_text, evaluate_end_to_end,
                                              evaluate_recognize_img, sample_photo, score_detect_text,
                                              score_end_to_end, score_recognize_img, words_read, _recognize_font)
from ocr_lab.course.checks.inference import (check_check_inference, check_decode_predict_ctc,  # noqa: F401
                                             evaluate_check_inference, evaluate_decode_predict_ctc)
from ocr_lab.course.checks.labels_and_ctc import (check_ctc_lengths, check_ctc_loss,  # noqa: F401
                                                  check_label_converter, evaluate_ctc_lengths, evaluate_ctc_loss,
                                                  evaluate_label_converter)
from ocr_lab.course.checks.record import CHECK_MIME, Check, CheckResult  # noqa: F401
from ocr_lab.course.messages import message

# The table: every graded check of the course, in the order the notebooks ask for them.
CHECKS: dict[str, Check] = {check.name: check for check in (*labels_and_ctc.CHECKS, *crnn.CHECKS, *dataset.CHECKS,
                                                                  *inference.CHECKS,
                                                                  *end_to_end.CHECKS)}
EXERCISES: tuple[str, ...] = tuple(dict.fromkeys(check.notebook for check in CHECKS.values()))  # "02_labels_and_ctc", ...
DEFAULT_NOTEBOOK = end_to_end.NOTEBOOK  # the exercise a notebook without our metadata is graded as


def of_notebook(notebook: str = DEFAULT_NOTEBOOK) -> list[Check]:
    """The checks of one exercise notebook ("06_end_to_end"), in order."""
    return [check for check in CHECKS.values() if check.notebook == notebook]


@dataclass
class Exam:
    """The grader's exam: each check's exam part, made from one seed, with the truth."""

    seed: int
    parts: dict[str, object] = field(default_factory=dict)

    def write(self, folder: str | os.PathLike) -> Path:
        """The inputs the learner's functions get (never the truth), as files `answer_exam` reads."""
        folder = Path(folder)
        for name, part in self.parts.items():
            CHECKS[name].write_inputs(part, folder / name)
        return folder


def make_exam(seed: int, checks: list[Check] | None = None, detector=None, recognizer=None) -> Exam:
    """The grader's exam: everything generated from `seed`, with ocr_lab's own answers for comparison."""
    models = Models(detector, recognizer)
    return Exam(seed, {check.name: check.make_exam(seed, models) for check in (checks or of_notebook())})


def score(exam: Exam, check: str, calls: dict[str, Call], lang: str | None = None) -> CheckResult:
    """One check of `exam` scored on the learner's answers, its message in `lang` (default: `language()`)."""
    return CHECKS[check].score(exam.parts[check], calls, lang)


def exercise_of(metadata: dict, file_name: str = "") -> str:
    """Which exercise a notebook is: the solution it was generated or translated from (its `ocr_lab`
    metadata), else the exercise its file name holds ("kim_02_labels_and_ctc_exercise.ipynb"), else
    `DEFAULT_NOTEBOOK` (the course's first graded exercise, whose copies predate the metadata)."""
    said = metadata.get("ocr_lab", {}) if isinstance(metadata, dict) else {}
    for key in ("exercise", "generated_from", "translated_from"):
        value = str(said.get(key, "")) if isinstance(said, dict) else ""
        for exercise in EXERCISES:
            if value == exercise or value.startswith(exercise + "_"):
                return exercise
    for exercise in EXERCISES:
        if exercise in file_name:
            return exercise
    return DEFAULT_NOTEBOOK


def yours_or_ours(check: str, yours):
    """What the cells after a check use: the learner's `yours` if it passes `check`, else the package's
    version (`Check.package`), said so in one line, so that one stuck exercise never blocks a notebook.
    While graded, the learner's, always: the grader judges it on its own exam."""
    import importlib

    record = CHECKS[check]
    name = getattr(yours, "__name__", record.functions[0])
    if grading():
        return yours
    result = evaluate(record, {record.functions[0]: yours}, Models())
    if result.passed:
        print(message("fallback.yours", name=name))
        return yours
    module, _, attribute = record.package.partition(":")
    print(message("fallback.ours", name=name, package=f"{module}.{attribute}", reason=result.message))
    return getattr(importlib.import_module(module), attribute)


# ----------------------------------------------------------------------------- in the learner's kernel

def load_models(checks: list[str]) -> None:
    """Load the course models the named checks need, once per process: the grader's warm-up."""
    from ocr_lab.course.answers import course_model

    for name in sorted({need for check in checks for need in CHECKS[check].needs}):
        course_model(name)


def answer_exam(check: str, namespace: dict, exam_dir: str, out_dir: str) -> None:
    """The grader's call, run in the learner's kernel: answer one check with the notebook's functions."""
    answer_calls(CHECKS[check], namespace, Path(exam_dir), Path(out_dir))
