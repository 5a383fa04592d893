"""Notebook build tools: run the course notebooks, generate their copies, verify what is committed.

    python -m ocr_lab.notebooks execute [NOTEBOOK ...]   # re-run in place, fresh kernel (both editions by default)
    python -m ocr_lab.notebooks exercise                 # regenerate the exercise copies only
    python -m ocr_lab.notebooks translate [--stubs]      # rebuild the Korean edition, notebooks/ko/
    python -m ocr_lab.notebooks verify                   # what CI checks: executed, exercises and translations current
    python -m ocr_lab.notebooks nbgrader                 # the nbgrader course folder, nbgrader/ (instructors)

Notebooks are committed executed, with their outputs, so they read well on GitHub
and so nbval has something to compare (a notebook without execution counts passes
nbval without checking anything). The exercise copies (`ocr_lab.course.exercises`)
and the Korean edition (`ocr_lab.course.translate`) are generated on the way, and
`verify` checks that everything committed is current.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from ocr_lab.course.exercises import (EXERCISE_SUFFIX, SOLUTION_SUFFIX, english_sources,
                                      exercise_path, make_exercise, write_exercises)
from ocr_lab.course.learner import NOTEBOOK_DIR, NOTEBOOK_ENV, QUICK_ENV, REPO, rel
from ocr_lab.course.nbgrader_source import NBGRADER_DIR, write_nbgrader
from ocr_lab.course.translate import (EDITIONS, _cells_text, _translated_exercise, edition_path,
                                      make_translation, read_translation, translation_path, translation_problems,
                                      write_translation_stubs, write_translations)

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


# ----------------------------------------------------------------------------- running

def notebook_env(**extra: str) -> dict[str, str]:
    """os.environ plus the deterministic settings of `NOTEBOOK_ENV` (and `extra`)."""
    env = dict(os.environ)
    env.update(NOTEBOOK_ENV)
    env.update(extra)
    return env


def run_notebook(nb, cwd: str | os.PathLike, timeout: float | None = None, allow_errors: bool = False,
                 env: dict[str, str] | None = None, startup_timeout: int = 120, hooks: dict | None = None):
    """Execute `nb` in place in a fresh kernel; `timeout` bounds the *whole* notebook, in seconds.

    `hooks` are nbclient's callbacks, e.g. `{"on_cell_execute": f}` (f gets cell=, cell_index=).

    Raises nbclient's `CellExecutionError` (a cell raised and `allow_errors` is off),
    `CellTimeoutError` (out of time) or `DeadKernelError`; the kernel is shut down
    in every case, and the cells that ran keep their outputs.
    """
    from nbclient import NotebookClient

    deadline = None if timeout is None else time.monotonic() + timeout

    def time_left(cell):  # nbclient reads 0 as "no limit", so never return less than 1
        return None if deadline is None else max(1, int(deadline - time.monotonic() + 0.999))

    client = NotebookClient(
        nb, timeout_func=time_left, allow_errors=allow_errors, kernel_name="python3",
        startup_timeout=startup_timeout, record_timing=False, shutdown_kernel="immediate",
        resources={"metadata": {"path": str(cwd)}},
        # TensorFlow's C++ start-up log (which TF_CPP_MIN_LOG_LEVEL cannot silence) is written
        # straight to file descriptor 2; keep it out of the notebook and off the terminal.
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
        **(hooks or {}),
    )
    client.execute(env=env or notebook_env(), stderr=subprocess.DEVNULL)
    return nb


def _normalise(nb) -> None:
    """The same metadata whoever executed the notebook, and one stream output where the kernel
    sent several pieces (how text is split depends on timing, which would make every diff noisy)."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        merged = []
        for out in cell.get("outputs", []):
            if (out.output_type == "stream" and merged and merged[-1].output_type == "stream"
                    and merged[-1].name == out.name):
                merged[-1].text += out.text
            else:
                merged.append(out)
        if "outputs" in cell:
            cell.outputs = merged


def _sources(names: list[str] | None, folder: Path) -> list[Path]:
    """The notebooks to execute: every English and translated notebook but the generated exercise
    copies, or the ones named (`04_training_solution.ipynb`, `ko/04_training_solution.ipynb`)."""
    if not names:
        english = english_sources(folder)
        return english + [edition_path(p, lang) for lang in EDITIONS for p in english]
    paths = []
    for name in names:
        path = Path(name)
        if not path.exists():
            path = folder / name
        if not path.exists() and path.parent.name not in EDITIONS:
            raise FileNotFoundError(f"no notebook {name!r} (looked in {rel(folder)})")
        if path.name.endswith(EXERCISE_SUFFIX):
            raise ValueError(f"{path.name} is generated from its solution notebook; execute that one instead")
        paths.append(path)
    return paths


def _language_of(path: Path) -> str:
    return path.parent.name if path.parent.name in EDITIONS else "en"


def _fresh_font_cache():
    """A matplotlib config folder with a font cache built now, from this installation, for the kernels.

    A cache in the user's folder can be stale (written while a venv was half installed, or by another
    matplotlib): then every log-scale plot logs `findfont: Font family ['STIXGeneral'] not found` to
    stderr, a red box in the committed notebook that a learner's live run does not show. Built here,
    before the kernels start, so no kernel prints "Matplotlib is building the font cache" either.
    """
    import tempfile

    folder = tempfile.TemporaryDirectory(prefix="ocr_lab_matplotlib_")
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=True,
                   env={**os.environ, "MPLCONFIGDIR": folder.name}, stderr=subprocess.DEVNULL)
    return folder


def execute(names: list[str] | None = None, folder: Path = NOTEBOOK_DIR, timeout: float = 1800,
            quick: bool = True) -> int:
    """Re-execute notebooks in place (fresh kernel each, deterministic env), regenerating the
    exercise copies and the translated editions from the English notebooks on the way."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from ocr_lab.messages import LANG_ENV

    failures = 0
    paths = _sources(names, folder)
    built = set()
    fonts = _fresh_font_cache()
    for path in paths:
        lang = _language_of(path)
        if lang != "en" and lang not in built:  # the edition is built from the English notebooks run so far
            for target in write_exercises(folder):
                print(f"generated {rel(target)}")
            _, problems = write_translations(folder, lang)
            for problem in problems:
                print(f"  translation: {problem}")
            built.add(lang)
        nb = nbformat.read(path, as_version=4)
        start = time.monotonic()
        print(f"executing {rel(path)} ...", flush=True)
        env = notebook_env(**{QUICK_ENV: "1" if quick else "0", LANG_ENV: lang, "MPLCONFIGDIR": fonts.name})
        try:
            run_notebook(nb, cwd=path.parent, timeout=timeout, env=env)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
            failures += 1
            print(f"  FAILED, not written: {str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__}")
            continue
        _normalise(nb)
        nbformat.write(nb, path)
        print(f"  ok in {time.monotonic() - start:.0f} s")
    for target in write_exercises(folder):
        print(f"generated {rel(target)}")
    for lang in EDITIONS:
        for target in write_translations(folder, lang)[0]:
            print(f"generated {rel(target)}")
    return 1 if failures else 0


# ----------------------------------------------------------------------------- verifying

def _allowed_error(cell) -> bool:
    tags = cell.metadata.get("tags", [])
    return "NBVAL_RAISES_EXCEPTION" in cell.source or "raises-exception" in tags or "nbval-raises-exception" in tags


# A plot cell that picks its own font could pick one without Hangul; every plot uses the course's
# default font instead, which the Korean edition sets to a CJK one (`ocr_lab.messages.use_language_font`).
_OWN_FONT = re.compile(r"fontfamily|fontproperties|fontname|font\.family|\bfamily\s*=")
_MISSING_GLYPH = "missing from font"

# What ocr_lab itself says to a learner on stderr (a warning in red, as `train.explain_ignored_learning_rate`
# logs it): the only stderr a committed notebook may carry. Anything else there (matplotlib's findfont
# warnings from a stale font cache, TensorFlow's chatter) is noise of the machine that executed it.
_OWN_STDERR = re.compile(r"^(WARNING|ERROR):ocr_lab:")


def _stderr_noise(text: str) -> str:
    """The lines of a stderr stream that are not ocr_lab's own messages to the learner."""
    return "\n".join(line for line in text.splitlines() if line.strip() and not _OWN_STDERR.match(line))


# An English sentence: four or more words in a row, lower case after the first letter, outside code,
# quotes and paths. Code names (`decode_predict_ctc`, model_pred.predict, 'empty after filtering',
# data/synth_quick) and short labels (word accuracy, CER) are not sentences; "the training loss fell" is.
_ENGLISH = re.compile(r"(?<![\w./`'\"-])[A-Za-z][a-z]+(?:,? [a-z]+){3,}(?![\w(/.`'-])")
_NOT_PROSE = [re.compile(p, re.DOTALL) for p in (
    r"```.*?```", r"`[^`\n]*`", r"<[^>\n]*>", r"'[^'\n]*'", r'"[^"\n]*"', r"\S*[/\\_]\S*", r"https?://\S+")]


def english_sentences(text: str) -> list[str]:
    """The English sentences in `text` (an output of a notebook in another language), code and names left out."""
    import html

    text = html.unescape(text)
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    return [m.group(0) for m in _ENGLISH.finditer(text)]


def _output_texts(out) -> list[str]:
    """The text a learner reads in one output; none for `show_source`'s code, which is the package's, in English."""
    data = out.get("data", {})
    if "```python" in str(data.get("text/markdown", "")):
        return []
    texts = [out.get("text", "")] if out.get("output_type") == "stream" and out.get("name") == "stdout" else []
    texts += [str(v) for k, v in data.items() if k in ("text/plain", "text/html", "text/markdown")]
    if out.get("output_type") == "error":
        texts.append(str(out.get("evalue", "")))
    return texts


def verify_notebook(path: Path) -> list[str]:
    """Problems with one committed (non-generated) notebook: not executed in order, no outputs, errors."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    lang = _language_of(path)
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    if not code:
        problems.append(f"{path.name}: has no code cells")
    elif None in counts:
        problems.append(f"{path.name}: {counts.count(None)} of {len(code)} code cells were not executed; "
                        "run `python -m ocr_lab.notebooks execute`")
    elif counts != list(range(1, len(code) + 1)):
        problems.append(f"{path.name}: execution counts {counts} are not 1..{len(code)}: "
                        "it was not run top to bottom in one fresh kernel")
    if code and not any(c.outputs for c in code):
        problems.append(f"{path.name}: has no outputs")
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error" and not _allowed_error(cell):
                problems.append(f"{path.name}: cell {i} has an error output: {out.ename}: {out.evalue}")
            text = out.get("text", "") + "".join(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
            if str(REPO) in text:
                problems.append(f"{path.name}: cell {i} prints this machine's path {str(REPO)!r}; print rel(path)")
            if _MISSING_GLYPH in text:
                problems.append(f"{path.name}: cell {i} drew text in a font without its glyphs: {text.strip()[:120]}")
            noise = _stderr_noise(out.get("text", "")) if out.get("name") == "stderr" else ""
            if noise:
                problems.append(f"{path.name}: cell {i} has stderr output a learner would not see in a live run "
                                f"(fix its cause, or say it with ocr_lab's messages): {noise.strip()[:120]!r}")
            if lang != "en":
                found = [s for t in _output_texts(out) for s in english_sentences(t)]
                if found:
                    problems.append(f"{path.name}: cell {i} shows English to a {lang} learner: {found[0]!r}"
                                    f"{f' and {len(found) - 1} more' if len(found) > 1 else ''}; translate the "
                                    f"printed text (a `code` pair in its translation file) or ocr_lab's message")
        if cell.cell_type == "code" and _OWN_FONT.search(cell.source):
            problems.append(f"{path.name}: cell {i} sets a font of its own; plots must use the default font "
                            "(a CJK one in the Korean edition)")
    return problems


def verify(folder: Path = NOTEBOOK_DIR) -> list[str]:
    """Everything CI checks about the committed notebooks, as a list of problems (empty = fine)."""
    import nbformat

    problems = []
    solutions = sorted(folder.glob("*" + SOLUTION_SUFFIX))
    generated = {exercise_path(s) for s in solutions}
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        problems.append(f"no notebooks in {rel(folder)}")
    for path in notebooks:
        if path not in generated:
            problems.extend(verify_notebook(path))
    for solution in solutions:
        target = exercise_path(solution)
        expected = nbformat.writes(make_exercise(nbformat.read(solution, as_version=4), solution.name))
        if not target.exists():
            problems.append(f"{target.name}: missing; run `python -m ocr_lab.notebooks exercise`")
        elif target.read_text(encoding="utf-8").rstrip("\n") != expected.rstrip("\n"):
            problems.append(f"{target.name}: out of date with {solution.name}; "
                            "run `python -m ocr_lab.notebooks exercise` (never edit it by hand)")
    for lang in EDITIONS:
        if (folder / lang).exists():
            problems += verify_edition(folder, lang)
    return problems


def verify_edition(folder: Path = NOTEBOOK_DIR, lang: str = "ko") -> list[str]:
    """The `lang` edition as committed: translations current, markdown and code as generated, executed."""
    import nbformat

    problems = []
    for source in english_sources(folder):
        source_nb = nbformat.read(source, as_version=4)
        tr_path = translation_path(source, lang)
        translation = read_translation(tr_path)
        problems += translation_problems(source_nb, translation, source.name, rel(tr_path), lang)
        target = edition_path(source, lang)
        name = f"{lang}/{target.name}"
        if not target.exists():
            problems.append(f"{name}: missing; run `python -m ocr_lab.notebooks translate`")
            continue
        expected = make_translation(source_nb, translation, source.name, lang)
        if _cells_text(nbformat.read(target, as_version=4)) != _cells_text(expected):
            problems.append(f"{name}: its cells differ from {source.name} and {rel(tr_path)}; "
                            "run `python -m ocr_lab.notebooks translate` (never edit it by hand)")
        problems += [f"{lang}/{p}" for p in verify_notebook(target)]
    for solution in sorted((folder / lang).glob("*" + SOLUTION_SUFFIX)):
        target = exercise_path(solution)
        expected = nbformat.writes(_translated_exercise(solution, lang))
        if not target.exists() or target.read_text(encoding="utf-8").rstrip("\n") != expected.rstrip("\n"):
            problems.append(f"{lang}/{target.name}: missing or out of date with {lang}/{solution.name}; "
                            "run `python -m ocr_lab.notebooks translate`")
    return problems



# ----------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocr_lab.notebooks", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="re-execute notebooks in place (all by default, both editions), "
                                         "regenerating exercises and the Korean edition")
    run.add_argument("notebooks", nargs="*", help="file names under notebooks/, e.g. 04_training_solution.ipynb or "
                                                  "ko/04_training_solution.ipynb (default: all)")
    run.add_argument("--timeout", type=float, default=1800, help="seconds allowed per notebook (default 1800)")
    run.add_argument("--full", action="store_true", help=f"run the full-size setting ({QUICK_ENV}=0); "
                     "commit only QUICK runs, which is what CI compares against")
    sub.add_parser("exercise", help="regenerate the exercise copies from the solution notebooks")
    tr = sub.add_parser("translate", help="rebuild notebooks/ko/ from the English notebooks and "
                                          "notebooks/ko/translations/*.yaml")
    tr.add_argument("--stubs", action="store_true",
                    help="first add the untranslated cells to the translation files (English text, empty Korean)")
    sub.add_parser("verify", help="check the committed notebooks: executed, with outputs, exercises and "
                                  "translations current")
    grader = sub.add_parser("nbgrader", help="write the nbgrader course folder (source notebooks with hidden tests)")
    grader.add_argument("--out", type=Path, default=NBGRADER_DIR, help=f"course folder (default {rel(NBGRADER_DIR)})")
    grader.add_argument("--hidden-seed", type=int, default=None,
                        help="the seed of the hidden tests' exam (default: a new random one)")
    args = parser.parse_args(argv)

    if args.command == "execute":
        try:
            return execute(args.notebooks, timeout=args.timeout, quick=not args.full)
        except (FileNotFoundError, ValueError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    if args.command == "nbgrader":
        written, seed = write_nbgrader(args.out, args.hidden_seed)
        for path in written:
            print(f"wrote {rel(path)}")
        print(f"hidden tests use exam seed {seed}; next: cd {rel(args.out)} && nbgrader generate_assignment "
              f"{written[0].parent.name if written else 'ASSIGNMENT'}")
        return 0
    if args.command == "exercise":
        for target in write_exercises():
            print(f"generated {rel(target)}")
        return 0
    if args.command == "translate":
        problems = []
        for lang in EDITIONS:
            for added in write_translation_stubs(lang=lang) if args.stubs else []:
                print(f"to translate: {added}")
            written, found = write_translations(lang=lang)
            for target in written:
                print(f"generated {rel(target)}")
            problems += found
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    problems = verify()
    for problem in problems:
        print(problem)
    print("notebooks: ok" if not problems else f"notebooks: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
