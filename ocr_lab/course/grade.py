"""Grade: run learners' exercise notebooks in a box and grade what their functions do.

    python -m ocr_lab grade learner.ipynb                            # one notebook: a rubric table
    python -m ocr_lab grade submissions/ --jobs 2 --csv grades.csv   # a folder: a table and a CSV row per notebook
    python -m ocr_lab grade submissions/ --by-learner                # ... and a summary per learner

A folder may hold any of the course's exercise notebooks (02, 06), from many learners, in
subfolders too (nbgrader's `submitted/<learner>/<assignment>/`). Each notebook says which
exercise it is (`checks.exercise_of`: the solution it was generated from, in its metadata,
else its file name), and is graded on that exercise's checks; every exercise gets its exam
from the one seed. The learner is the notebook's `ocr_lab.learner` metadata, else its first
subfolder, else its file name without the exercise's name (`kim_02_labels_and_ctc_exercise`
-> `kim`).

For each notebook the grader

1. copies it into a new temporary folder and starts a fresh kernel there, in a
   box (`ocr_lab.course.box`: bubblewrap where installed; otherwise it says that grading
   is not isolated);
2. runs its code cells top to bottom, each with a time limit; a cell that raises
   or stalls is reported and the next cell runs (a kernel that dies or cannot be
   interrupted is restarted and the cells before are run again);
3. calls the learner's functions itself (`LabelConverter`, `ctc_lengths`, `ctc_loss`;
   `detect_text`, `recognize_img`), on an exam that the notebook has never seen
   (labels, logits, scenes and word crops generated from a seed the grader picks,
   `checks.make_exam`), each check with its own time limit, while the course's
   reference implementations of that exercise are replaced by stand-ins;
4. scores what the functions returned, outside the box (`checks.score`).

Nothing the notebook prints or displays is read: its check cells are for the
learner. A notebook of the Korean edition (`ocr_lab.language` "ko" in its metadata)
is run with `OCR_LAB_LANG=ko` and gets its messages and its table in Korean; the
CSV is English for every notebook, so a folder of both editions makes one sheet.
Exit status: 0 when every check of every notebook passed, 1 otherwise,
2 on bad usage.
"""
from __future__ import annotations

import csv
import secrets
import shutil
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from ocr_lab.course.answers import ERROR_LIMIT, cap, printable
from ocr_lab.course.answers import REFERENCE as REFERENCE_06
from ocr_lab.course.checks import of_notebook
from ocr_lab.files import atomic_write
from ocr_lab.course.messages import message
from ocr_lab.messages import LANG_ENV, LANGUAGES, language

CELL_TIMEOUT = 300       # seconds for one notebook cell
CHECK_TIMEOUT = 120      # seconds for one check (the solution needs about 10)
NOTEBOOK_TIMEOUT = 1200  # seconds for all the notebook's cells together
MEMORY_GB = 4.0          # the solution peaks at about 2 GB
MAX_RESTARTS = 3


@dataclass
class Grade:
    """The grading of one notebook."""

    notebook: str
    status: str  # "finished", "notebook time limit ...", "could not be read ...", "could not be graded ..."
    seconds: float
    checks: dict[str, dict] = field(default_factory=dict)  # name -> {"passed", "message", "details"}
    errors: list[str] = field(default_factory=list)  # cells that raised or stalled
    seed: int | None = None
    language: str = "en"  # the learner's: the checks' messages and the table; the CSV asks for "en"
    names: list[str] = field(default_factory=lambda: _default_names())  # the checks it is graded on, in order
    # the status and the errors as (message key, fields), so that the table says them in the learner's language
    status_said: tuple[str, dict] | None = None
    errors_said: list[tuple[str, dict]] = field(default_factory=list)
    exercise: str = ""    # which exercise of the course it is ("02_labels_and_ctc")
    learner: str = ""     # whose it is (`learner_of`)

    @property
    def passed(self) -> int:
        return sum(1 for name in self.names if self.checks.get(name, {}).get("passed"))

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    def result(self, name: str, lang: str | None = None) -> str:
        lang = lang or self.language
        if name not in self.checks:
            return message("grade.not_run", lang)
        return message("grade.pass" if self.checks[name].get("passed") else "grade.fail", lang)

    def message(self, name: str, lang: str | None = None) -> str:
        """The check's message in the learner's language, or in English (`message_en`, kept for the CSV)."""
        lang = lang or self.language
        if name in self.checks:
            check = self.checks[name]
            return check.get("message_en", check.get("message", "")) if lang == "en" else check.get("message", "")
        return message("grade.not_graded", lang, status=self.status_text(lang))

    def status_text(self, lang: str | None = None) -> str:
        """The status as the table says it: "finished" in the learner's language; the grader's reports
        (time limits, kernel restarts, unreadable files) as they are."""
        lang = lang or self.language
        if self.finished:
            return message("grade.finished", lang)
        return message(self.status_said[0], lang, **self.status_said[1]) if self.status_said else self.status

    def error_texts(self, lang: str | None = None) -> list[str]:
        """The cells that raised or stalled, in `lang` (the table's), or in English as the CSV has them."""
        if len(self.errors_said) != len(self.errors):
            return list(self.errors)
        return [message(key, lang or self.language, **fields)[:300] for key, fields in self.errors_said]

    def end_to_end(self, lang: str | None = None) -> str:
        lang = lang or self.language
        details = self.checks.get("end_to_end", {}).get("details", {})
        if "words" not in details:
            return "-"
        read = " ".join(details["words"]) or message("words.nothing", lang)
        return message("grade.words_read", lang, correct=details["correct"], total=len(details["truth"]), words=read)


def _default_names() -> list[str]:
    return [check.name for check in of_notebook()]


def _first_line(source: str) -> str:
    line = next((ln for ln in source.splitlines() if ln.strip()), "")
    return printable(line.strip())[:60]


# ----------------------------------------------------------------------------- one notebook

class _Run:
    """One notebook in one box: its cells, which of them stalled, the kernel restarts."""

    def __init__(self, cells: list[tuple[int, str]], work: Path, memory_bytes: int, cell_timeout: float,
                 lang: str = "en", stripped=None):
        self.cells, self.work, self.memory_bytes, self.cell_timeout = cells, work, memory_bytes, cell_timeout
        self.stripped = stripped  # the package the kernel imports: its reference implementations absent
        self.lang = lang  # the notebook's: its kernel gets OCR_LAB_LANG, the checks are scored in it
        self.done: list[int] = []      # positions in self.cells that ran (raised or not) and did not stall
        self.stalled: set[int] = set()
        self.errors: list[str] = []
        self.said_errors: list[tuple[str, dict]] = []  # the same, as (message key, fields)
        self.said_status: tuple[str, dict] | None = None
        self.restarts = 0
        self.warm = False
        self.box = None

    def start(self) -> None:
        from ocr_lab.course.box import Box

        self.box = Box(self.work, self.memory_bytes, env={"OCR_LAB_GRADING": "1", LANG_ENV: self.lang},
                       stripped=self.stripped)
        self.box.start()

    def warm_up(self, names: list[str]) -> None:
        """Load the course models the checks need in this kernel, with a cell's time limit, so that a
        check's time limit is for the learner's code, not for TensorFlow starting up."""
        if not self.warm:
            self.box.run(f"__import__('ocr_lab.course.checks', fromlist=['load_models']).load_models({names!r})",
                         self.cell_timeout)
            self.warm = True

    def restart(self, deadline: float) -> bool:
        """A fresh kernel with the cells that ran before run again (errors not recorded twice)."""
        self.box.stop()
        self.warm = False
        if self.restarts >= MAX_RESTARTS:
            return False
        self.restarts += 1
        self.start()
        for pos in self.done:
            if time.monotonic() > deadline:
                break
            reply = self.box.run(self.cells[pos][1], self.cell_timeout)
            if reply.status in ("stuck", "dead"):
                return False
        return True

    def died_key(self) -> tuple[str, dict]:
        """Why the kernel died, as far as the grader can tell: a message key and its fields."""
        if self.box is not None and self.box.out_of_memory():
            return "grade.cell_died_memory", {"gb": self.memory_bytes / (1 << 30)}
        return "grade.cell_died", {}

    def _note(self, pos: int, key: str, **fields) -> None:
        index, source = self.cells[pos]
        fields = {"cell": index, "line": _first_line(source), **fields}
        self.errors.append(message(key, "en", **fields)[:300])
        self.said_errors.append((key, fields))

    def _status(self, key: str, **fields) -> str:
        self.said_status = (key, fields)
        return message(key, "en", **fields)

    def run_cells(self, budget: float) -> str:
        deadline = time.monotonic() + budget
        for pos, (index, source) in enumerate(self.cells):
            if time.monotonic() > deadline:
                return self._status("grade.status_time_limit", seconds=budget, cell=index, line=_first_line(source))
            reply = self.box.run(source, min(self.cell_timeout, max(1.0, deadline - time.monotonic())))
            if reply.status == "ok":
                self.done.append(pos)
            elif reply.status == "error":
                self.done.append(pos)
                if reply.ename == "ReferenceCalled":
                    self._note(pos, "grade.cell_reference_absent", error=printable(reply.evalue))
                elif reply.ename != "CheckFailed":
                    self._note(pos, "grade.cell_raised", error=printable(f"{reply.ename}: {reply.evalue}"))
            elif reply.status == "unread":
                self.done.append(pos)
                self._note(pos, "grade.cell_unread", error=reply.evalue)
            elif reply.status == "timeout":
                self.stalled.add(pos)
                self._note(pos, "grade.cell_interrupted", seconds=self.cell_timeout)
            else:
                self.stalled.add(pos)
                if reply.status == "dead":
                    key, fields = self.died_key()
                    self._note(pos, key, seconds=self.cell_timeout, **fields)
                else:
                    self._note(pos, "grade.cell_stuck", seconds=self.cell_timeout)
                if not self.restart(deadline):
                    return self._status("grade.status_gave_up", restarts=self.restarts, cell=index,
                                        line=_first_line(source))
        return "finished"


def _check_code(check: str, exam_dir: Path, out_dir: Path) -> str:
    return (f"__import__('ocr_lab.course.checks', fromlist=['answer_exam']).answer_exam("
            f"{check!r}, globals(), {str(exam_dir)!r}, {str(out_dir)!r})")


def _failed(check: str, lang: str, key: str, **fields) -> dict:
    """A check the grader could not score, failed with the message `key`: in the learner's language, and in
    English for the CSV (the values in `fields` capped by the caller, as every check's are)."""
    from ocr_lab.course.checks import CheckResult

    return _in_both_languages(lang, lambda in_lang: CheckResult(check, False, message(key, in_lang, **fields)))


def _scored(exam, check: str, out_dir: Path, lang: str) -> dict:
    """The check scored on the answers in `out_dir`, its message in the learner's language (and in English)."""
    from ocr_lab.course import answers, checks

    try:
        calls = answers.read_answers(out_dir)
    except ValueError as err:
        return _failed(check, lang, "grade.answers_unreadable", error=err)
    return _in_both_languages(lang, lambda in_lang: checks.score(exam, check, calls, in_lang))


def _in_both_languages(lang: str, result_in) -> dict:
    """`result_in(lang)` as JSON, with the English message beside it (`message_en`, for the CSV) when
    the learner's language is another."""
    result = result_in(lang).to_json()
    if lang != "en":
        result["message_en"] = result_in("en").message
    return result


def _grade_checks(run: _Run, exam, check_timeout: float, deadline: float) -> dict[str, dict]:
    exam_dir = run.work / f"exam-{secrets.token_hex(8)}"  # written only now: the notebook never saw it
    exam.write(exam_dir)
    results = {}
    names = list(exam.parts)
    for check in names:
        out_dir = run.work / f"answers-{secrets.token_hex(8)}" / check
        if not run.box.alive() and not run.restart(deadline):
            results[check] = _failed(check, run.lang, "grade.kernel_lost")
            continue
        run.warm_up(names)
        reply = run.box.run(_check_code(check, exam_dir, out_dir), check_timeout)
        if reply.status == "ok":
            results[check] = _scored(exam, check, out_dir, run.lang)
        elif reply.status == "error":
            results[check] = _failed(check, run.lang, "grade.call_failed",
                                     error=cap(f"{reply.ename}: {reply.evalue}", ERROR_LIMIT))
        elif reply.status == "timeout":
            results[check] = _failed(check, run.lang, "grade.check_timeout", seconds=check_timeout)
        elif reply.status == "unread":
            results[check] = _failed(check, run.lang, "grade.call_failed", error=reply.evalue)
        else:
            results[check] = _failed(check, run.lang, "grade.kernel_died" if reply.status == "dead" else
                                     "grade.check_stuck", seconds=check_timeout)
            run.restart(deadline)
    return results


def notebook_language(nb) -> str:
    """The learner's language: the Korean edition's notebooks say "ko" in their metadata (`ocr_lab.course.translate`
    writes it); any other notebook gets the grader's own `language()` (English unless OCR_LAB_LANG says)."""
    said = nb.metadata.get("ocr_lab", {}).get("language")
    return said if said in LANGUAGES else language()


def grade_notebook(path: str | Path, exam, cell_timeout: float = CELL_TIMEOUT, check_timeout: float = CHECK_TIMEOUT,
                   notebook_timeout: float = NOTEBOOK_TIMEOUT, memory_gb: float = MEMORY_GB) -> Grade:
    """Run one learner notebook in a box, then grade its functions on `exam`. Never raises."""
    path = Path(path)
    start = time.monotonic()
    try:
        import nbformat

        nb = nbformat.read(path, as_version=4)
        cells = [(i, str(c.source)) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
    except Exception as err:  # not JSON, not a notebook: the learner's file, reported as such
        fields = {"error": printable(f"{type(err).__name__}: {_one_line(err)}")}
        return Grade(printable(path.name), message("grade.status_unreadable", "en", **fields), 0.0, seed=exam.seed,
                     language=language(), names=list(exam.parts), status_said=("grade.status_unreadable", fields))
    lang = notebook_language(nb)
    from ocr_lab.course.stripped import strip_package

    work = Path(tempfile.mkdtemp(prefix="ocr_lab_grade_"))
    package = Path(tempfile.mkdtemp(prefix="ocr_lab_package_"))  # outside `work`: the box mounts it read-only
    run = _Run(cells, work, int(memory_gb * (1 << 30)), cell_timeout, lang)
    try:
        from ocr_lab.course.checks import CHECKS

        # the exercise's own answers are absent (06's detect_text, 02's LabelConverter.encode ...), not every one
        names = tuple(dict.fromkeys(n for part in getattr(exam, "parts", {}) for n in CHECKS[part].reference))
        run.stripped = strip_package(package, names or REFERENCE_06)
        (work / "notebooks").mkdir()
        shutil.copyfile(path, work / "notebooks" / path.name)
        run.start()
        status = run.run_cells(notebook_timeout)
        checks = _grade_checks(run, exam, check_timeout, time.monotonic() + notebook_timeout)
        return Grade(printable(path.name), status, time.monotonic() - start, checks, run.errors, exam.seed, lang,
                     list(exam.parts), status_said=run.said_status, errors_said=run.said_errors)
    except Exception as err:  # the grader's own trouble with this notebook: one row, never the end of the run
        fields = {"error": printable(f"{type(err).__name__}: {_one_line(err)}")}
        return Grade(printable(path.name), message("grade.status_failed", "en", **fields), time.monotonic() - start, {},
                     run.errors, exam.seed, lang, list(getattr(exam, "parts", {})),
                     status_said=("grade.status_failed", fields), errors_said=run.said_errors)
    finally:
        if run.box is not None:
            run.box.stop()
        shutil.rmtree(work, ignore_errors=True)  # the folders mkdtemp made for this notebook
        shutil.rmtree(package, ignore_errors=True)


def _one_line(err: BaseException) -> str:
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    return printable(lines[-1] if lines else "")[:200]


# ----------------------------------------------------------------------------- output

def _columns(text: str) -> int:
    """The width of `text` in a terminal: a Hangul syllable takes two columns."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _columns(text), 1)


def format_grade(grade: Grade, width: int | None = None) -> str:
    """The rubric table of one notebook, as text, in the learner's language (`grade.language`)."""
    width = width or max(80, min(shutil.get_terminal_size((100, 20)).columns, 140))
    lang = grade.language
    name_w = max(len(n) for n in grade.names) + 2
    result_w = max(_columns(message(key, lang)) for key in ("grade.pass", "grade.fail", "grade.not_run")) + 2
    lines = [message("grade.header", lang, notebook=grade.notebook, passed=grade.passed, total=len(grade.names),
                     seconds=grade.seconds, status=grade.status_text()),
             "  " + _pad(message("grade.check", lang), name_w) + _pad(message("grade.result", lang), result_w)
             + message("grade.message", lang)]
    indent = " " * (2 + name_w + result_w)
    for name in grade.names:
        wrapped = []
        for para in grade.message(name).splitlines() or [""]:
            # textwrap counts characters; a Hangul syllable takes two columns, so Korean wraps at half the width
            wrapped += textwrap.wrap(para, (width - len(indent)) // (2 if lang == "ko" else 1)) or [""]
        lines.append("  " + _pad(name, name_w) + _pad(grade.result(name), result_w) + wrapped[0])
        lines += [indent + w for w in wrapped[1:]]
    if "end_to_end" in grade.names:
        lines.append("  " + message("grade.end_to_end", lang, words=grade.end_to_end()))
    for error in grade.error_texts():
        lines.append("  " + message("grade.error", lang, error=error))
    return "\n".join(lines)


def csv_fields(names: list[str]) -> list[str]:
    """The CSV's columns for a sheet of notebooks graded on the checks `names`."""
    return (["notebook", "learner", "exercise", "status", "seconds", "passed", "total"]
            + [f for name in names for f in (name, f"{name}_message")] + ["end_to_end_words", "errors", "seed"])


CSV_FIELDS = csv_fields(_default_names())


# How every CSV the grader writes begins: the grades, and the per-learner summary (--by-learner).
CSV_SIGNATURES = (",".join(CSV_FIELDS[:7]), "learner,passed,total")


def check_csv_target(out: str | Path, notebooks: list[Path]) -> None:
    """Refuse a CSV path that is an input or a file the grader did not make (the rule `ocr --out` follows):
    `--csv` may replace only an earlier grades CSV, never a notebook, a folder or anything else."""
    out = Path(out)
    if out.suffix == ".ipynb" or any(out.resolve() == p.resolve() for p in notebooks):
        raise ValueError(f"--csv {str(out)!r} is a notebook; the CSV never replaces an input, choose another path")
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise FileExistsError(f"--csv {str(out)!r} exists and is not a regular file; choose another path")
    if out.exists():
        with out.open("rb") as f:
            first = f.read(max(map(len, CSV_SIGNATURES)) + 1).decode("utf-8", errors="replace")
        if not first.startswith(CSV_SIGNATURES):
            raise FileExistsError(f"{str(out)!r} exists and was not written by the grader; it is left as it is: "
                                  "move it, or choose another path with --csv")


def write_csv(grades: list[Grade], out: str | Path) -> Path:
    """One row per notebook: status, run time, each check's result and message, the end-to-end words, errors;
    in English whatever the notebook's language, with the same columns every time.

    Written to a temporary file first and renamed, so an interrupted run never leaves half a CSV."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        with tmp.open("w", newline="", encoding="utf-8") as f:
            names = list(dict.fromkeys(name for g in grades for name in g.names)) or _default_names()
            writer = csv.DictWriter(f, fieldnames=csv_fields(names))
            writer.writeheader()
            for g in grades:
                row = {"notebook": g.notebook, "learner": g.learner, "exercise": g.exercise, "status": g.status, "seconds": f"{g.seconds:.1f}", "passed": g.passed,
                       "total": len(g.names), "end_to_end_words": g.end_to_end("en"), "errors": " | ".join(g.errors),
                       "seed": g.seed if g.seed is not None else ""}
                for name in g.names:
                    row[name], row[f"{name}_message"] = g.result(name, "en"), g.message(name, "en")
                writer.writerow(row)

    return atomic_write(out, write)


# ----------------------------------------------------------------------------- many notebooks

def grade_all(notebooks: list[Path], exam, jobs: int = 1, **limits):
    """Grade each notebook, `jobs` at a time; yields each Grade as it is done, in the given order.

    `exam` is one exam for all, or a function that gives a notebook's (`exams_for`)."""
    exam_of = exam if callable(exam) else (lambda path: exam)
    if jobs <= 1 or len(notebooks) <= 1:
        for path in notebooks:
            yield grade_notebook(path, exam_of(path), **limits)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # "spawn": a fresh interpreter per worker, not a fork of this one, which has TensorFlow loaded.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(grade_notebook, path, exam_of(path), **limits) for path in notebooks]
        for path, future in zip(notebooks, futures):
            try:
                yield future.result()
            except Exception as err:  # a worker that crashed: still one row for its notebook
                fields = {"error": printable(f"{type(err).__name__}: {_one_line(err)}")}
                yield Grade(printable(path.name), message("grade.status_failed", "en", **fields), 0.0,
                            seed=exam_of(path).seed, language=language(), names=list(exam_of(path).parts),
                            status_said=("grade.status_failed", fields))


def notebooks_in(target: Path) -> list[Path]:
    """The notebooks of a folder, its subfolders too (hidden ones and Jupyter's checkpoints left out)."""
    if target.is_dir():
        return sorted(p for p in target.rglob("*.ipynb")
                      if not any(part.startswith(".") for part in p.relative_to(target).parts))
    return [target]


def _metadata(path: Path) -> dict:
    """A notebook's metadata, read as JSON without trusting its shape ({} when it is not a notebook)."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("metadata", {}) if isinstance(data, dict) and isinstance(data.get("metadata"), dict) else {}


def exercise_of(path: Path) -> str:
    """Which exercise a submitted notebook is (`checks.exercise_of`: its metadata, else its file name)."""
    from ocr_lab.course.checks import exercise_of as of_metadata

    return of_metadata(_metadata(path), path.name)


def learner_of(path: Path, root: Path | None = None) -> str:
    """Whose notebook it is: its `ocr_lab.learner` metadata, else the first subfolder of `root` it is in,
    else its file name without the exercise's name and the `_exercise` / `_solution` suffix."""
    import re

    said = _metadata(path).get("ocr_lab", {})
    if isinstance(said, dict) and isinstance(said.get("learner"), str) and said["learner"].strip():
        return _clean(said["learner"])
    if root is not None and root.is_dir():
        parts = path.relative_to(root).parts
        if len(parts) > 1:
            return _clean(parts[0])
    stem = re.sub(r"_(exercise|solution)$", "", path.stem)
    stem = stem.replace(exercise_of(path), "")
    return _clean(stem.strip(" _-.")) or _clean(path.stem)


def _clean(text: str) -> str:
    """A learner's name as the table and the CSV show it: printable, one line, short."""
    return "".join(ch for ch in text if ch.isprintable())[:60]


def exams_for(notebooks: list[Path], seed: int, make=None) -> dict[str, object]:
    """One exam per exercise among `notebooks`, each from `seed`: {exercise: Exam}."""
    from ocr_lab.course import checks

    make = make or checks.make_exam
    exercises = sorted({exercise_of(p) for p in notebooks})
    return {ex: make(seed, checks.of_notebook(ex)) for ex in exercises}


def format_by_learner(grades: list[Grade]) -> str:
    """One line per learner: checks passed of all their notebooks, and each exercise's score."""
    learners: dict[str, list[Grade]] = {}
    for g in grades:
        learners.setdefault(g.learner or "?", []).append(g)
    exercises = sorted({g.exercise for g in grades})
    width = max([len("learner")] + [_columns(name) for name in learners]) + 2
    lines = ["  " + _pad("learner", width) + _pad("checks", 10) + "".join(_pad(ex[:18], 20) for ex in exercises)]
    for name, theirs in sorted(learners.items()):
        passed, total = sum(g.passed for g in theirs), sum(len(g.names) for g in theirs)
        cells = []
        for ex in exercises:
            done = [g for g in theirs if g.exercise == ex]
            best = max(done, key=lambda g: g.passed, default=None)
            cells.append(_pad("-" if best is None else f"{best.passed}/{len(best.names)}", 20))
        lines.append("  " + _pad(name, width) + _pad(f"{passed}/{total}", 10) + "".join(cells))
    return "\n".join(lines)


def write_by_learner_csv(grades: list[Grade], out: str | Path) -> Path:
    """The per-learner summary as CSV: learner, checks passed and total, each exercise's passed/total."""
    out = Path(out)
    exercises = sorted({g.exercise for g in grades})

    def write(tmp: Path) -> None:
        with tmp.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["learner", "passed", "total", *exercises])
            learners: dict[str, list[Grade]] = {}
            for g in grades:
                learners.setdefault(g.learner or "?", []).append(g)
            for name, theirs in sorted(learners.items()):
                row = [name, sum(g.passed for g in theirs), sum(len(g.names) for g in theirs)]
                for ex in exercises:
                    best = max((g for g in theirs if g.exercise == ex), key=lambda g: g.passed, default=None)
                    row.append("" if best is None else f"{best.passed}/{len(best.names)}")
                writer.writerow(row)

    return atomic_write(out, write)


# ----------------------------------------------------------------------------- command line

PROTECTION = """\
What the box protects (with bubblewrap, Debian's `bubblewrap`, on Linux; details in ocr_lab/course/box.py):
  - each notebook runs in its own temporary copy, on an empty root where only /usr, a few /etc
    files, the Python, the venv and the course's checkpoints/ and data/ are mounted, read-only:
    the repository, its solution notebooks, other submissions, your home, /run and /var/run are
    not there, so neither are Unix sockets outside (docker.sock, D-Bus);
  - the kernel imports a copy of ocr_lab whose reference implementations (detect_text,
    recognize_img, ...) are absent, so no trick in the kernel can call them;
  - no network; a minimal environment (none of your variables, tokens or home);
  - memory (--memory-gb): for the whole notebook (all its processes, its /tmp and /dev/shm) where
    a memory cgroup can be made, else per process, with /tmp and /dev/shm capped (the first line
    says which); a time limit per cell and per check; a stalled check fails only itself; every
    process the notebook started is killed at the end.
What it does not protect: CPU time within the limits, disk space in the temporary folder, files
under the mounted paths (readable), and a learner who copies the course's code instead of calling
it. Grading as root: the kernel is root inside the box too, without capabilities, and can read
root-only files under the mounted paths. Without bubblewrap, grading is NOT isolated: learner code
runs with your rights and network access, and the grader says so in its first line.
Grades come only from what the learner's functions return on an exam generated at grading
time (--seed), never from anything the notebook prints. nbgrader's route (python -m
ocr_lab.notebooks nbgrader) runs its hidden tests in the learner's own kernel, unboxed: see the
README for what that does not protect."""


def add_cli(subparsers) -> None:
    import argparse

    p = subparsers.add_parser(
        "grade", help="instructors: run learners' exercise notebooks and grade their functions",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run each learner notebook top to bottom in a fresh, boxed kernel, then call its functions on\n"
                    "inputs generated at grading time (notebook 02: LabelConverter, ctc_lengths, ctc_loss; notebook\n"
                    "06: detect_text, recognize_img), and print the rubric: each check of its exercise (pass / FAIL,\n"
                    "with its message), the run time and the cells that raised. A folder may mix exercises and\n"
                    "learners (subfolders too); it also gets one CSV row per notebook.\n\n"
                    "  python -m ocr_lab grade learner.ipynb\n"
                    "  python -m ocr_lab grade submissions/ --jobs 2 --csv grades.csv --by-learner\n\n"
                    + PROTECTION + "\n\nExit status: 0 when every check of every notebook passed, 1 otherwise.",
    )
    p.add_argument("target", type=Path, metavar="NOTEBOOK_OR_FOLDER", help="a learner's .ipynb, or a folder of them")
    p.add_argument("--jobs", type=int, default=1, help="notebooks graded at once (default 1; each needs about "
                                                       "2 GB of memory and a CPU core)")
    p.add_argument("--csv", type=Path, metavar="OUT",
                   help="write one CSV row per notebook here (default for a folder: FOLDER/grades.csv)")
    p.add_argument("--timeout", type=float, default=CELL_TIMEOUT,
                   help=f"seconds allowed for each notebook cell (default {CELL_TIMEOUT})")
    p.add_argument("--check-timeout", type=float, default=CHECK_TIMEOUT,
                   help=f"seconds allowed for each check (default {CHECK_TIMEOUT})")
    p.add_argument("--notebook-timeout", type=float, default=NOTEBOOK_TIMEOUT,
                   help=f"seconds allowed for all the cells of a notebook (default {NOTEBOOK_TIMEOUT})")
    p.add_argument("--memory-gb", type=float, default=MEMORY_GB,
                   help=f"memory limit per notebook, GB (default {MEMORY_GB:g})")
    p.add_argument("--by-learner", action="store_true",
                   help="also print one line per learner (checks passed over all their notebooks, each exercise's "
                        "score), and with --csv write it beside the CSV as OUT_by_learner.csv")
    p.add_argument("--seed", type=int, default=None,
                   help="the exam's seed (default: a new random one, printed; give it to re-grade the same exam)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ocr_lab.course import box, checks

    target: Path = args.target
    if not target.exists():
        raise FileNotFoundError(f"no notebook or folder at {str(target)!r}")
    if target.is_file() and target.suffix != ".ipynb":
        raise ValueError(f"{str(target)!r} is not a notebook (.ipynb)")
    for name in ("timeout", "check_timeout", "notebook_timeout", "memory_gb", "jobs"):
        if getattr(args, name) <= 0:
            raise ValueError(f"--{name.replace('_', '-')} must be positive, got {getattr(args, name):g}")
    notebooks = notebooks_in(target)
    if not notebooks:
        raise FileNotFoundError(f"no .ipynb files in {str(target)!r}")
    out = args.csv or (target / "grades.csv" if target.is_dir() else None)
    summary = out.with_name(out.stem + "_by_learner.csv") if out and args.by_learner else None
    for target_csv in filter(None, (out, summary)):
        check_csv_target(target_csv, notebooks)  # before grading, not after an hour of it
    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    start = time.monotonic()
    print(f"grading {len(notebooks)} notebook(s), {box.isolation()}", flush=True)
    print(f"making the exam (seed {seed}) ...", file=sys.stderr, flush=True)
    exams = exams_for(notebooks, seed)
    exercises = {path: exercise_of(path) for path in notebooks}
    limits = {"cell_timeout": args.timeout, "check_timeout": args.check_timeout,
              "notebook_timeout": args.notebook_timeout, "memory_gb": args.memory_gb}
    root = target if target.is_dir() else None
    grades = []
    for path, grade in zip(notebooks, grade_all(notebooks, lambda p: exams[exercises[p]], args.jobs, **limits)):
        grade.exercise, grade.learner = exercises[path], learner_of(path, root)
        if root is not None:
            grade.notebook = printable(str(path.relative_to(root)))
        grades.append(grade)
        print(format_grade(grade), flush=True)
        print(flush=True)
    if args.by_learner:
        print(format_by_learner(grades), flush=True)
    if out:
        check_csv_target(out, notebooks)  # again: a file may have appeared there while grading
        print(f"wrote {write_csv(grades, out)}")
        if summary:
            check_csv_target(summary, notebooks)
            print(f"wrote {write_by_learner_csv(grades, summary)}")
    print(f"graded {len(grades)} notebook(s) in {time.monotonic() - start:.0f} s, exam seed {seed}", file=sys.stderr)
    return 0 if all(g.finished and g.passed == len(g.names) for g in grades) else 1
