"""The course notebooks: run them, generate the exercise copies, verify what is committed.

    python -m ocr_lab.notebooks execute [NOTEBOOK ...]   # re-run in place, fresh kernel, then regenerate exercises
    python -m ocr_lab.notebooks exercise                 # regenerate the exercise copies only
    python -m ocr_lab.notebooks verify                   # what CI checks: executed, with outputs, exercises current
    python -m ocr_lab.notebooks nbgrader                 # the nbgrader course folder, nbgrader/ (instructors)

Notebooks are committed executed, with their outputs, so they read well on GitHub
and so nbval has something to compare (a notebook without execution counts passes
nbval without checking anything).

Exercise copies are generated, fastai-style, from the solution notebooks
(`NN_name_solution.ipynb` -> `NN_name_exercise.ipynb`), never edited by hand:

- in code cells, the lines between `### BEGIN SOLUTION` and `### END SOLUTION`
  are replaced by their comment lines (the hints) and `raise NotImplementedError`;
- in markdown, `<!-- BEGIN SOLUTION --> ... <!-- END SOLUTION -->` is removed and
  `<!-- EXERCISE ONLY: text -->` (invisible in the solution) becomes `text`;
- all outputs are cleared, so the learner starts from a clean copy.

`QUICK` is the course's one size switch, read by every notebook: CI-sized runs by
default, the full ones with `OCR_LAB_QUICK=0` (same code, bigger numbers).
"""
from __future__ import annotations

import argparse
import copy
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"

QUICK_ENV = "OCR_LAB_QUICK"
QUICK = os.environ.get(QUICK_ENV, "1").strip().lower() not in ("0", "false", "no", "off")

SOLUTION_SUFFIX = "_solution.ipynb"
EXERCISE_SUFFIX = "_exercise.ipynb"

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
STUB = 'raise NotImplementedError("your code here")'
_MD_SOLUTION = re.compile(r"[ \t]*<!--\s*BEGIN SOLUTION\s*-->.*?<!--\s*END SOLUTION\s*-->[ \t]*\n?", re.DOTALL)
_MD_EXERCISE = re.compile(r"<!--\s*EXERCISE ONLY:?\s*(.*?)\s*-->", re.DOTALL)

# The environment every notebook runs in, here, in CI and when graded: seeded hashing,
# TensorFlow quiet on stderr, Keras 2 (see ocr_lab/__init__.py).
NOTEBOOK_ENV = {
    "PYTHONHASHSEED": "0",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_USE_LEGACY_KERAS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # ipykernel's debugger warns on stderr otherwise
}
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


QUICK_DATA = REPO / "data" / "synth_quick"
QUICK_HELDOUT = REPO / "data" / "synth_quick_heldout"
HELDOUT = REPO / "data" / "synth_heldout"  # what `make data-heldout` builds


def course_data(quick: bool | None = None, progress: bool = False) -> dict[str, Path]:
    """The train / valid / test LMDBs every notebook uses, built on first use.

    - `$OCR_LAB_DATA` set (the real MJSynth, or any clovaai-layout folder): that, as is.
    - QUICK (the default): `data/synth_quick`, the synthetic generator's `--quick` sizes,
      seed 0 (the first records of the default set). CI and every committed output use it.
    - full (`OCR_LAB_QUICK=0`): `data/synth`, the default set of `python -m ocr_lab synth`.

    A missing or half-built synthetic set is (re)built here, so a fresh clone runs.
    """
    from ocr_lab import synth
    from ocr_lab.data import DATA_ENV, default_data_paths

    quick = QUICK if quick is None else quick
    if os.environ.get(DATA_ENV):
        return default_data_paths()
    root = QUICK_DATA if quick else default_data_paths()["train"].parent
    _build_once(root, synth.QUICK_SIZES if quick else synth.DEFAULT_SIZES, "train", progress)
    return {split: root / split for split in synth.SPLITS}


def heldout_data(quick: bool | None = None, progress: bool = False) -> Path:
    """A test LMDB rendered only with the generator's held-out fonts, which no training set uses.

    QUICK: `data/synth_quick_heldout/test` (300 crops); full: `data/synth_heldout/test`
    (2,000, as `make data-heldout` builds it). Built on first use.
    """
    from ocr_lab import synth

    quick = QUICK if quick is None else quick
    root = QUICK_HELDOUT if quick else HELDOUT
    size = (synth.QUICK_SIZES if quick else synth.DEFAULT_SIZES)["test"]
    _build_once(root, {"train": 0, "valid": 0, "test": size}, "heldout", progress)
    return root / "test"


def _build_once(root: Path, sizes: dict[str, int], fonts: str, progress: bool) -> None:
    from ocr_lab import synth

    if synth.is_current(root):
        return
    # Missing, half-built, or made by an older generator: (re)build it.
    start = time.monotonic()
    stale = " again: it was made by an older generator" if (root / synth.COMPLETE_MARKER).exists() else ", once"
    print(f"building {rel(root)} ({sum(sizes.values())} synthetic crops{stale}) ...", flush=True)
    synth.generate_dataset(root, sizes, seed=0, fonts=fonts, force=True, progress=progress)
    print(f"built {rel(root)} in {time.monotonic() - start:.0f} s")


def rel(path: str | os.PathLike) -> str:
    """A path as notebooks print it: relative to the repository, so outputs do not show this machine."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


class Source:
    """The source of an `ocr_lab` function or class, shown in a notebook as highlighted code.

    Notebooks show the package's key code instead of carrying a copy of it:
    `show_source(LabelConverter.encode)`.
    """

    def __init__(self, obj):
        import inspect

        self.text = inspect.getsource(obj).rstrip()
        self.where = rel(inspect.getsourcefile(obj))

    def _repr_markdown_(self) -> str:
        return f"`{self.where}`\n```python\n{self.text}\n```"

    def __repr__(self) -> str:
        return f"# {self.where}\n{self.text}"


def show_source(obj) -> Source:
    """Display `obj`'s source (a function, class or module) with the file it lives in."""
    return Source(obj)


def show_image(img, quality: int = 85) -> None:
    """Display a PIL image once, as a JPEG: IPython would embed it twice, as PNG and JPEG,
    which makes a notebook of photos several megabytes on GitHub."""
    import io

    from IPython.display import Image as IPythonImage
    from IPython.display import display

    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality)
    display(IPythonImage(data=buf.getvalue(), format="jpeg"))


# ----------------------------------------------------------------------------- exercises

def exercise_path(solution: Path) -> Path:
    return solution.with_name(solution.name[: -len(SOLUTION_SUFFIX)] + EXERCISE_SUFFIX)


def _blank_code(source: str) -> str:
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(BEGIN_SOLUTION):
            if region is not None:
                raise ValueError(f"nested {BEGIN_SOLUTION!r} in cell:\n{source}")
            region, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped.startswith(END_SOLUTION):
            if region is None:
                raise ValueError(f"{END_SOLUTION!r} without {BEGIN_SOLUTION!r} in cell:\n{source}")
            out.extend(region)  # the hints stay
            out.append(indent + STUB)
            region = None
        elif region is not None:
            if stripped.startswith("#"):
                region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise ValueError(f"{BEGIN_SOLUTION!r} without {END_SOLUTION!r} in cell:\n{source}")
    return "\n".join(out)


def _blank_markdown(source: str) -> str:
    return _MD_EXERCISE.sub(lambda m: m.group(1), _MD_SOLUTION.sub("", source)).strip()


def make_exercise(solution_nb, solution_name: str):
    """The exercise copy of a solution notebook (see the module docstring for the markers)."""
    nb = copy.deepcopy(solution_nb)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = _blank_code(cell.source)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = _blank_markdown(cell.source)
            if not cell.source:
                continue
        cell.metadata.pop("execution", None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata["ocr_lab"] = {"generated_from": solution_name,
                              "note": "generated by `python -m ocr_lab.notebooks exercise`; edit the solution notebook"}
    return nb


def write_exercises(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    import nbformat

    written = []
    for solution in sorted(folder.glob("*" + SOLUTION_SUFFIX)):
        exercise = make_exercise(nbformat.read(solution, as_version=4), solution.name)
        target = exercise_path(solution)
        nbformat.write(exercise, target)
        written.append(target)
    return written


# ----------------------------------------------------------------------------- nbgrader

NBGRADER_DIR = REPO / "nbgrader"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
NBGRADER_CONFIG = f"""# nbgrader settings for the ocr-lab course; written once by `python -m ocr_lab.notebooks nbgrader`
# (never overwritten: edit it freely). Run nbgrader commands in this folder.
c = get_config()
c.CourseDirectory.course_id = "ocr-lab"
# The exercise's own stub, so nbgrader's release reads like notebooks/*_exercise.ipynb.
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
# Loading CRAFT and the CRNN takes a minute on a laptop; nbgrader's default is 30 s per cell.
c.Execute.timeout = 600
"""


def nbgrader_assignment(solution: Path) -> str:
    """The nbgrader assignment name of a solution notebook: `06_end_to_end_solution.ipynb` -> `06_end_to_end`."""
    return solution.name[: -len(SOLUTION_SUFFIX)]


def make_nbgrader_source(solution_nb, solution_name: str, hidden_seed: int):
    """The instructor's nbgrader source of a solution notebook.

    The code cells keep the solution and its `### BEGIN SOLUTION` markers (nbgrader's own
    markers, so `nbgrader generate_assignment` blanks the same lines as the exercise
    generator) and the cells' `nbgrader` metadata. Markdown is the exercise's. Each graded
    check cell gets a hidden test: the same check on the exam of `hidden_seed`, which
    nbgrader removes from the release and puts back when it autogrades.
    """
    nb = copy.deepcopy(solution_nb)
    cells = []
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "markdown":
            cell.source = _blank_markdown(cell.source)
            if not cell.source:
                continue
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            grading = cell.metadata.get("nbgrader", {})
            if grading.get("grade") and not grading.get("solution"):
                call = cell.source.strip()
                if "\n" in call or not call.endswith(")"):
                    raise ValueError(f"a graded check cell of {solution_name} should be one check call, got:\n{call}")
                hidden = call[:-1] + f", seed={hidden_seed})"
                cell.source = (f"{call}\n{BEGIN_HIDDEN}\n# the same check on an exam the learner has never seen\n"
                               f"{hidden}\n{END_HIDDEN}")
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata["ocr_lab"] = {"generated_from": solution_name,
                              "note": "generated by `python -m ocr_lab.notebooks nbgrader`; edit the solution notebook"}
    return nb


def write_nbgrader(out: Path = NBGRADER_DIR, hidden_seed: int | None = None,
                   folder: Path = NOTEBOOK_DIR) -> tuple[list[Path], int]:
    """Write `out/source/<assignment>/<assignment>.ipynb` for every solution notebook with nbgrader
    cells, and `out/nbgrader_config.py` if there is none. Returns (paths written, hidden seed)."""
    import secrets

    import nbformat

    seed = secrets.randbelow(1_000_000) if hidden_seed is None else hidden_seed
    written = []
    for solution in sorted(folder.glob("*" + SOLUTION_SUFFIX)):
        nb = nbformat.read(solution, as_version=4)
        if not any("nbgrader" in c.metadata for c in nb.cells):
            continue
        name = nbgrader_assignment(solution)
        target = out / "source" / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        nbformat.write(make_nbgrader_source(nb, solution.name, seed), tmp)
        tmp.replace(target)
        written.append(target)
    config = out / "nbgrader_config.py"
    if not config.exists():
        out.mkdir(parents=True, exist_ok=True)
        config.write_text(NBGRADER_CONFIG)
        written.append(config)
    return written, seed


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
    """The notebooks to execute: all but the generated exercise copies, or the ones named."""
    generated = {exercise_path(s) for s in folder.glob("*" + SOLUTION_SUFFIX)}
    if not names:
        return [p for p in sorted(folder.glob("*.ipynb")) if p not in generated]
    paths = []
    for name in names:
        path = Path(name)
        if not path.exists():
            path = folder / name
        if not path.exists():
            raise FileNotFoundError(f"no notebook {name!r} (looked in {rel(folder)})")
        if path.resolve() in {g.resolve() for g in generated}:
            raise ValueError(f"{path.name} is generated from its solution notebook; execute that one instead")
        paths.append(path)
    return paths


def execute(names: list[str] | None = None, folder: Path = NOTEBOOK_DIR, timeout: float = 1800,
            quick: bool = True) -> int:
    """Re-execute notebooks in place (fresh kernel each, deterministic env), then regenerate exercises."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    failures = 0
    for path in _sources(names, folder):
        nb = nbformat.read(path, as_version=4)
        start = time.monotonic()
        print(f"executing {rel(path)} ...", flush=True)
        try:
            run_notebook(nb, cwd=path.parent, timeout=timeout, env=notebook_env(**{QUICK_ENV: "1" if quick else "0"}))
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
            failures += 1
            print(f"  FAILED, not written: {str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__}")
            continue
        _normalise(nb)
        nbformat.write(nb, path)
        print(f"  ok in {time.monotonic() - start:.0f} s")
    for target in write_exercises(folder):
        print(f"generated {rel(target)}")
    return 1 if failures else 0


# ----------------------------------------------------------------------------- verifying

def _allowed_error(cell) -> bool:
    return "NBVAL_RAISES_EXCEPTION" in cell.source or "raises-exception" in cell.metadata.get("tags", [])


def verify_notebook(path: Path) -> list[str]:
    """Problems with one committed (non-generated) notebook: not executed in order, no outputs, errors."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
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
    return problems


# ----------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocr_lab.notebooks", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="re-execute notebooks in place (all by default), then regenerate exercises")
    run.add_argument("notebooks", nargs="*", help="file names under notebooks/ (default: all)")
    run.add_argument("--timeout", type=float, default=1800, help="seconds allowed per notebook (default 1800)")
    run.add_argument("--full", action="store_true", help=f"run the full-size setting ({QUICK_ENV}=0); "
                     "commit only QUICK runs, which is what CI compares against")
    sub.add_parser("exercise", help="regenerate the exercise copies from the solution notebooks")
    sub.add_parser("verify", help="check the committed notebooks: executed, with outputs, exercises current")
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
    problems = verify()
    for problem in problems:
        print(problem)
    print("notebooks: ok" if not problems else f"notebooks: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
