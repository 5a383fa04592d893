"""Grade: run learners' exercise notebooks and print the rubric.

    python -m ocr_lab grade learner.ipynb                 # one notebook: a rubric table
    python -m ocr_lab grade submissions/ --csv grades.csv  # a folder: a table per notebook, one CSV row each

Each notebook is executed top to bottom in a fresh kernel (the learner's saved
outputs are ignored) with a time limit for the whole notebook; cells that raise do
not stop the run. The check cells (`ocr_lab.checks`) leave a machine-readable
result in their outputs, and the rubric is built from those: one row per check in
`checks.RUBRIC`, "not run" when a check's cell is missing or never ran. A notebook
that raises outside a check, loops, or kills its kernel is reported, never left
hanging. Learner notebooks are code: grade them on a machine you do not mind
them running on.

Exit status: 0 when every check of every notebook passed, 1 otherwise, 2 on bad usage.
"""
from __future__ import annotations

import csv
import shutil
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from ocr_lab.checks import RUBRIC, results_in
from ocr_lab.messages import LANG_ENV, language, message

DEFAULT_TIMEOUT = 600  # seconds for a whole notebook; the solution runs in about a minute


@dataclass
class Grade:
    """The grading of one notebook."""

    notebook: str
    status: str  # "finished", "timed out ...", "kernel died ...", "could not run ..."
    seconds: float
    checks: dict[str, dict] = field(default_factory=dict)  # name -> {"passed", "message", "details"}
    errors: list[str] = field(default_factory=list)  # errors raised outside the check cells
    language: str = "en"  # the learner's: "ko" for a notebook of the Korean edition

    @property
    def passed(self) -> int:
        return sum(1 for name in RUBRIC if self.checks.get(name, {}).get("passed"))

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    def result(self, name: str) -> str:
        if name not in self.checks:
            return message("grade.not_run", self.language)
        return message("grade.pass" if self.checks[name].get("passed") else "grade.fail", self.language)

    def message(self, name: str) -> str:
        if name in self.checks:
            return self.checks[name].get("message", "")
        if not self.finished:
            return message("grade.stopped", self.language)
        return message("grade.missing", self.language)

    def end_to_end(self) -> str:
        details = self.checks.get("end_to_end", {}).get("details", {})
        if "words" not in details:
            return "-"
        read = " ".join(details["words"]) or message("words.nothing", self.language)
        if "truth" in details:
            return message("grade.words_read", self.language, correct=details["correct"],
                           total=len(details["truth"]), words=read)
        return read


def _first_line(source: str) -> str:
    line = next((ln for ln in source.splitlines() if ln.strip()), "")
    return line.strip()[:60]


def grade_notebook(path: str | Path, timeout: float = DEFAULT_TIMEOUT) -> Grade:
    """Execute one learner notebook in a fresh kernel and read its check results."""
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from ocr_lab.notebooks import notebook_env, run_notebook

    path = Path(path)
    start = time.monotonic()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # not JSON, not a notebook: the learner's file, reported as such
        return Grade(path.name, f"could not be read ({type(err).__name__}: {err})", 0.0)
    # The Korean edition's notebooks say so in their metadata; their checks then speak Korean.
    lang = nb.metadata.get("ocr_lab", {}).get("language") or language()
    for cell in nb.cells:  # grade what the code does now, not what the learner's copy once showed
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None

    current = {"index": None}

    def on_cell_execute(cell, cell_index, **_):
        current["index"] = cell_index

    status = "finished"
    try:
        run_notebook(nb, cwd=path.parent, timeout=timeout, allow_errors=True, env=notebook_env(**{LANG_ENV: lang}),
                     hooks={"on_cell_execute": on_cell_execute})
    except CellTimeoutError:
        status = f"timed out after {timeout:g} s{_where(nb, current['index'])}"
    except DeadKernelError:
        status = f"kernel died{_where(nb, current['index'])}"
    except Exception as err:  # the kernel could not start, or nbclient failed: still a report, not a crash
        status = f"could not run ({type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''})"
    seconds = time.monotonic() - start

    errors = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") != "CheckFailed":
                errors.append(f"cell {i} ({_first_line(cell.source)}): {out.get('ename')}: {out.get('evalue')}"[:300])
    return Grade(path.name, status, seconds, results_in(nb), errors, lang)


def _where(nb, index) -> str:
    if index is None:
        return ""
    return f" in cell {index} ({_first_line(nb.cells[index].source)})"


# ----------------------------------------------------------------------------- output

def format_grade(grade: Grade, width: int | None = None) -> str:
    """The rubric table of one notebook, as text."""
    width = width or max(80, min(shutil.get_terminal_size((100, 20)).columns, 140))
    name_w = max(len(n) for n in RUBRIC) + 2
    lang = grade.language
    lines = [message("grade.header", lang, notebook=grade.notebook, passed=grade.passed, total=len(RUBRIC),
                     seconds=grade.seconds, status=grade.status),
             f"  {message('grade.check', lang):<{name_w}}{message('grade.result', lang):<9}{message('grade.message', lang)}"]
    indent = " " * (2 + name_w + 9)
    for name in RUBRIC:
        wrapped = []
        for para in grade.message(name).splitlines() or [""]:
            wrapped += textwrap.wrap(para, width - len(indent)) or [""]
        lines.append(f"  {name:<{name_w}}{grade.result(name):<9}{wrapped[0]}")
        lines += [indent + w for w in wrapped[1:]]
    lines.append("  " + message("grade.end_to_end", lang, words=grade.end_to_end()))
    for error in grade.errors:
        lines.append("  " + message("grade.error", lang, error=error))
    return "\n".join(lines)


CSV_FIELDS = (["notebook", "status", "seconds", "passed", "total"]
              + [f for name in RUBRIC for f in (name, f"{name}_message")] + ["end_to_end_words", "errors"])


def write_csv(grades: list[Grade], out: str | Path) -> Path:
    """One row per notebook: status, run time, each check's result and message, the end-to-end words, errors."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for g in grades:
            row = {"notebook": g.notebook, "status": g.status, "seconds": f"{g.seconds:.1f}", "passed": g.passed,
                   "total": len(RUBRIC), "end_to_end_words": g.end_to_end(), "errors": " | ".join(g.errors)}
            for name in RUBRIC:
                row[name], row[f"{name}_message"] = g.result(name), g.message(name)
            writer.writerow(row)
    return out


# ----------------------------------------------------------------------------- command line

def notebooks_in(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.glob("*.ipynb") if not p.name.startswith("."))
    return [target]


def add_cli(subparsers) -> None:
    import argparse

    p = subparsers.add_parser(
        "grade", help="instructors: run learners' exercise notebooks and print the rubric",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run each learner notebook top to bottom in a fresh kernel, with a time limit for the\n"
                    "whole notebook, and print its rubric: each check of notebook 06 (pass / FAIL / not run,\n"
                    "with its message), the words read on the sample photo, the run time, and errors.\n"
                    "A folder of notebooks also gets one CSV row per notebook.\n\n"
                    "  python -m ocr_lab grade learner.ipynb\n"
                    "  python -m ocr_lab grade submissions/ --csv grades.csv\n\n"
                    "Exit status: 0 when every check of every notebook passed, 1 otherwise.",
    )
    p.add_argument("target", type=Path, metavar="NOTEBOOK_OR_FOLDER", help="a learner's .ipynb, or a folder of them")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"seconds allowed for each whole notebook (default {DEFAULT_TIMEOUT})")
    p.add_argument("--csv", type=Path, metavar="OUT",
                   help="write one CSV row per notebook here (default for a folder: FOLDER/grades.csv)")
    p.set_defaults(func=run)


def run(args) -> int:
    target: Path = args.target
    if not target.exists():
        raise FileNotFoundError(f"no notebook or folder at {str(target)!r}")
    if target.is_file() and target.suffix != ".ipynb":
        raise ValueError(f"{str(target)!r} is not a notebook (.ipynb)")
    if args.timeout <= 0:
        raise ValueError(f"--timeout must be positive, got {args.timeout:g}")
    notebooks = notebooks_in(target)
    if not notebooks:
        raise FileNotFoundError(f"no .ipynb files in {str(target)!r}")
    grades = []
    for path in notebooks:
        print(f"grading {path} ...", file=sys.stderr, flush=True)
        grades.append(grade_notebook(path, args.timeout))
        print(format_grade(grades[-1]), flush=True)
        print(flush=True)
    out = args.csv or (target / "grades.csv" if target.is_dir() else None)
    if out:
        print(f"wrote {write_csv(grades, out)}")
    return 0 if all(g.finished and g.passed == len(RUBRIC) for g in grades) else 1
