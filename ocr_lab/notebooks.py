"""The course notebooks: run them, generate the exercise copies, verify what is committed.

    python -m ocr_lab.notebooks execute [NOTEBOOK ...]   # re-run in place, fresh kernel (both editions by default)
    python -m ocr_lab.notebooks exercise                 # regenerate the exercise copies only
    python -m ocr_lab.notebooks translate [--stubs]      # rebuild the Korean edition, notebooks/ko/
    python -m ocr_lab.notebooks verify                   # what CI checks: executed, exercises and translations current
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

The Korean edition, `notebooks/ko/`, is generated too: the English notebook is the
source, and `notebooks/ko/translations/NAME.yaml` holds the Korean text of each
markdown cell, keyed by cell id, next to the English text it was translated from.
Code cells are the English ones, unchanged. A markdown cell whose English text
changed after it was translated is reported by `verify` (and so fails CI) until
its translation is updated. Korean notebooks are executed in their own folder, so
the checks and plots of `ocr_lab` speak Korean there (`ocr_lab.messages`).

`QUICK` is the course's one size switch, read by every notebook: CI-sized runs by
default, the full ones with `OCR_LAB_QUICK=0` (same code, bigger numbers).
"""
from __future__ import annotations

import argparse
import copy
import functools
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from ocr_lab.files import atomic_write

REPO = Path(__file__).resolve().parent.parent  # the clone this package is installed from
NOTEBOOK_DIR = REPO / "notebooks"

QUICK_ENV = "OCR_LAB_QUICK"
QUICK = os.environ.get(QUICK_ENV, "1").strip().lower() not in ("0", "false", "no", "off")
COURSE_ENV = "OCR_LAB_HOME"

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


def course_dir() -> Path:
    """The course folder a notebook works in: its data sets and training runs are written under it.

    `$OCR_LAB_HOME` if set; otherwise the nearest folder, from the working directory up,
    that holds both `notebooks/` and `ocr_lab/` (a clone of the course: Jupyter runs a
    notebook in `notebooks/`, so that is its parent); otherwise the working directory.
    Not the folder `ocr_lab` is installed from: two clones sharing one venv each keep
    their own data.
    """
    home = os.environ.get(COURSE_ENV, "").strip()
    if home:
        return Path(home).expanduser().resolve()
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "notebooks").is_dir() and (folder / "ocr_lab").is_dir():
            return folder
    return cwd


def quick_data_dir() -> Path:
    return course_dir() / "data" / "synth_quick"


def _silenced_stderr_import(loader):
    """Wrap a module loader so that executing the module sends file descriptor 2 to /dev/null."""

    class QuietLoader:
        def __getattr__(self, name):
            return getattr(loader, name)

        def create_module(self, spec):
            return loader.create_module(spec)

        def exec_module(self, module):
            sys.stderr.flush()
            saved = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 2)
                loader.exec_module(module)
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                os.close(devnull)

    return QuietLoader()


class _QuietTensorFlowImport:
    """A `sys.meta_path` finder that imports TensorFlow with its C++ start-up log silenced.

    Importing TensorFlow (>= 2.19) writes absl's "All log messages before
    absl::InitializeLog() ..." and "Could not find cuda drivers" lines straight to
    file descriptor 2, whatever TF_CPP_MIN_LOG_LEVEL says; a live Jupyter kernel shows
    them under the first cell that imports it. Only that import is silenced: Python
    errors still raise, and later TensorFlow messages still show.
    """

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once: the real finders do the finding
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _silenced_stderr_import(spec.loader)
        return spec


def quiet_tensorflow_import() -> None:
    """Silence TensorFlow's C++ start-up log for the first `import tensorflow` of this process.

    Called when this module is imported, which every notebook does in its first cell.
    """
    if "tensorflow" not in sys.modules and not any(isinstance(f, _QuietTensorFlowImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietTensorFlowImport())


quiet_tensorflow_import()


def _use_language_font() -> None:
    from ocr_lab.messages import language, use_language_font

    if language() != "en":  # a Korean notebook: its plots need a font with Hangul
        use_language_font()


_use_language_font()


def course_data(quick: bool | None = None, progress: bool = False) -> dict[str, Path]:
    """The train / valid / test LMDBs every notebook uses, built on first use.

    - `$OCR_LAB_DATA` set (the real MJSynth, or any clovaai-layout folder): that, as is.
    - QUICK (the default): `data/synth_quick` of the course folder (`course_dir()`), the
      synthetic generator's `--quick` sizes,
      seed 0 (the first records of the default set). CI and every committed output use it.
    - full (`OCR_LAB_QUICK=0`): `data/synth`, the default set of `python -m ocr_lab synth`.

    A missing or half-built synthetic set is (re)built here, so a fresh clone runs.
    """
    from ocr_lab import synth
    from ocr_lab.data import DATA_ENV, default_data_paths

    quick = QUICK if quick is None else quick
    if os.environ.get(DATA_ENV):
        return default_data_paths()
    root = quick_data_dir() if quick else course_dir() / "data" / "synth"
    _build_once(root, synth.QUICK_SIZES if quick else synth.DEFAULT_SIZES, "train", progress)
    return {split: root / split for split in synth.SPLITS}


def heldout_data(quick: bool | None = None, progress: bool = False) -> Path:
    """A test LMDB rendered only with the generator's held-out fonts, which no training set uses.

    QUICK: `data/synth_quick_heldout/test` (300 crops); full: `data/synth_heldout/test`
    (2,000, as `make data-heldout` builds it). Built on first use.
    """
    from ocr_lab import synth

    quick = QUICK if quick is None else quick
    root = course_dir() / "data" / ("synth_quick_heldout" if quick else "synth_heldout")  # the latter: `make data-heldout`
    size = (synth.QUICK_SIZES if quick else synth.DEFAULT_SIZES)["test"]
    _build_once(root, {"train": 0, "valid": 0, "test": size}, "heldout", progress)
    return root / "test"


def first_steps_data(progress: bool = False) -> dict[str, Path]:
    """The first-steps set of notebook 04 (`synth --preset first-steps`): `data/synth_first_steps`
    of the course folder, its train / valid / test LMDBs, built on first use. The same in QUICK and full."""
    from ocr_lab import synth

    root = course_dir() / "data" / "synth_first_steps"
    _build_once(root, synth.FIRST_STEPS_SIZES, None, progress, preset="first-steps")
    return {split: root / split for split in synth.SPLITS}


def _build_once(root: Path, sizes: dict[str, int], fonts: str | None, progress: bool, preset: str | None = None) -> None:
    from ocr_lab import synth

    if synth.is_current(root, preset=preset):
        return
    # Missing, half-built, or made by an older generator: (re)build it.
    start = time.monotonic()
    stale = " again: it was made by an older generator" if (root / synth.COMPLETE_MARKER).exists() else ", once"
    print(f"building {rel(root)} ({sum(sizes.values())} synthetic crops{stale}) ...", flush=True)
    synth.generate_dataset(root, sizes, seed=0, fonts=fonts or "train", force=True, progress=progress, preset=preset)
    print(f"built {rel(root)} in {time.monotonic() - start:.0f} s")


def rel(path: str | os.PathLike) -> str:
    """A path as notebooks print it: relative to the course folder (or to the clone `ocr_lab` is
    installed from, for its own files), so outputs do not show this machine."""
    path = Path(path).resolve()
    for root in (course_dir(), REPO):
        if path.is_relative_to(root):
            return str(path.relative_to(root))
    return str(path)


class Source:
    """The source of an `ocr_lab` function or class, shown in a notebook as highlighted code.

    Notebooks show the package's key code instead of carrying a copy of it:
    `show_source(LabelConverter.encode)`. `notes` points at lines: each key is a piece
    of code that must be on exactly one line of the source, and that line is shown with
    `  # <- note` after it, so a refactor that moves the line fails loudly here.
    """

    def __init__(self, obj, notes: dict[str, str] | None = None):
        import inspect

        self.text = _annotate(inspect.getsource(obj).rstrip(), notes or {})
        self.where = rel(inspect.getsourcefile(obj))

    def _repr_markdown_(self) -> str:
        return f"`{self.where}`\n```python\n{self.text}\n```"

    def __repr__(self) -> str:
        return f"# {self.where}\n{self.text}"


def _annotate(text: str, notes: dict[str, str]) -> str:
    lines = text.splitlines()
    for code, note in notes.items():
        found = [i for i, line in enumerate(lines) if code in line]
        if len(found) != 1:
            raise ValueError(f"{code!r} is on {len(found)} lines of the source, not on exactly one; "
                             "point the note at a piece of code that is unique")
        lines[found[0]] += f"  # <- {note}"
    return "\n".join(lines)


def show_source(obj, notes: dict[str, str] | None = None) -> Source:
    """Display `obj`'s source (a function, class or module) with the file it lives in.

    `notes` maps a piece of code on one line to a comment shown at the end of that line.
    """
    return Source(obj, notes)


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
    return _stamp_generated(nb, cells, solution_name, "exercise")


def write_exercises(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    import nbformat

    written = []
    for solution in sorted(folder.glob("*" + SOLUTION_SUFFIX)):
        exercise = make_exercise(nbformat.read(solution, as_version=4), solution.name)
        target = exercise_path(solution)
        nbformat.write(exercise, target)
        written.append(target)
    return written


def _stamp_generated(nb, cells: list, solution_name: str, command: str):
    """Give a notebook generated from a solution its cells and a note that says how it was made."""
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata["ocr_lab"] = {"generated_from": solution_name,
                              "note": f"generated by `python -m ocr_lab.notebooks {command}`; edit the solution notebook"}
    return nb


# ----------------------------------------------------------------------------- the Korean edition

EDITIONS = ("ko",)  # notebooks/ko/: the lecture's language
TRANSLATIONS = "translations"


def edition_path(source: Path, lang: str) -> Path:
    """Where the `lang` edition of an English notebook lives: notebooks/ko/NAME.ipynb."""
    return source.parent / lang / source.name


def translation_path(source: Path, lang: str) -> Path:
    """The translation file of an English notebook: notebooks/ko/translations/NAME.yaml."""
    return source.parent / lang / TRANSLATIONS / f"{source.stem}.yaml"


def english_sources(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The English notebooks that are edited by hand: all but the generated exercise copies."""
    generated = {exercise_path(s) for s in folder.glob("*" + SOLUTION_SUFFIX)}
    return [p for p in sorted(folder.glob("*.ipynb")) if p not in generated]


def read_translation(path: Path) -> dict[str, dict[str, str]]:
    """`{cell id: {"en": English text, "ko": Korean text}}` from a translation file ({} if there is none).

    Each entry keeps the English text it translates, so a changed English cell is found
    (its text no longer matches) and a translator sees what changed.
    """
    import yaml

    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cells = data.get("cells") or {}
    if not isinstance(cells, dict) or not all(isinstance(v, dict) for v in cells.values()):
        raise ValueError(f"{rel(path)}: expected `cells:` mapping each cell id to its `en` and translated text")
    return {str(k): v for k, v in cells.items()}


def _yaml_blocks(data) -> str:
    """YAML with multi-line strings as `|` blocks, so a translation file reads like the text it holds."""
    import yaml

    class BlockDumper(yaml.SafeDumper):
        pass

    BlockDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))
    return yaml.dump(data, Dumper=BlockDumper, allow_unicode=True, sort_keys=False, width=1000)


def write_translation(path: Path, source_name: str, cells: dict[str, dict[str, str]], lang: str) -> None:
    """Write a translation file, atomically, with a header that says how it is used."""
    header = (f"# The {lang} text of {source_name}'s markdown cells, keyed by cell id.\n"
              f"# `en` is the English text each translation was made from: when the English cell changes,\n"
              f"# `python -m ocr_lab.notebooks verify` reports it until `en` and `{lang}` are updated here.\n")
    body = _yaml_blocks({"cells": cells})
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: tmp.write_text(header + body, encoding="utf-8"))


def translation_problems(source_nb, translation: dict, source_name: str, file_name: str, lang: str) -> list[str]:
    """Markdown cells with no translation, a translation of older English text, or an empty one."""
    problems = []
    ids = set()
    for cell in source_nb.cells:
        if cell.cell_type != "markdown":
            continue
        ids.add(cell.get("id"))
        entry = translation.get(cell.get("id"))
        where = f"{source_name}: markdown cell {cell.get('id')}"
        if entry is None:
            problems.append(f"{where} has no translation in {file_name}; add it "
                            f"(`python -m ocr_lab.notebooks translate --stubs` writes the English text there)")
        elif entry.get("en") != cell.source:
            problems.append(f"{where} changed since it was translated: update `en` and `{lang}` in {file_name}")
        elif not (entry.get(lang) or "").strip():
            problems.append(f"{where} has an empty `{lang}` text in {file_name}")
    for cell_id in sorted(set(translation) - ids):
        problems.append(f"{file_name}: cell {cell_id} is not a markdown cell of {source_name} any more; remove it")
    return problems


def make_translation(source_nb, translation: dict, source_name: str, lang: str):
    """The `lang` edition of an English notebook: translated markdown, the same code cells, no outputs."""
    nb = copy.deepcopy(source_nb)
    for cell in nb.cells:
        entry = translation.get(cell.get("id"))
        if cell.cell_type == "markdown" and entry and (entry.get(lang) or "").strip():
            cell.source = entry[lang]
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    nb.metadata["ocr_lab"] = {"language": lang, "translated_from": source_name,
                              "note": f"generated by `python -m ocr_lab.notebooks translate` from ../{source_name} "
                                      f"and {TRANSLATIONS}/{Path(source_name).stem}.yaml; edit those"}
    return nb


def _cells_text(nb) -> list[tuple]:
    """What must match between an edition and its source: each cell's type, id, text and tags."""
    return [(c.cell_type, c.get("id"), c.source, tuple(c.metadata.get("tags", []))) for c in nb.cells]


def _code_of(nb) -> list[tuple]:
    return [(c.get("id"), c.source) for c in nb.cells if c.cell_type == "code"]


def write_translations(folder: Path = NOTEBOOK_DIR, lang: str = "ko") -> tuple[list[Path], list[str]]:
    """(Re)build the `lang` edition from the English notebooks and the translation files.

    A notebook whose code is unchanged keeps the outputs of its last execution; one whose
    code changed is written without outputs (verify then asks for `execute`). The exercise
    copy is generated from the translated solution. Returns (written paths, problems).
    """
    import nbformat

    written, problems = [], []
    for source in english_sources(folder):
        source_nb = nbformat.read(source, as_version=4)
        tr_path = translation_path(source, lang)
        translation = read_translation(tr_path)
        problems += translation_problems(source_nb, translation, source.name, rel(tr_path), lang)
        nb = make_translation(source_nb, translation, source.name, lang)
        target = edition_path(source, lang)
        if target.exists():
            old = nbformat.read(target, as_version=4)
            if _code_of(old) == _code_of(nb):
                code_old = [c for c in old.cells if c.cell_type == "code"]
                for cell, before in zip([c for c in nb.cells if c.cell_type == "code"], code_old):
                    cell.outputs, cell.execution_count = before.outputs, before.execution_count
                nb.metadata = old.metadata | {"ocr_lab": nb.metadata["ocr_lab"]}
        written += _write_if_changed(nb, target)
    for solution in sorted((folder / lang).glob("*" + SOLUTION_SUFFIX)):
        written += _write_if_changed(_translated_exercise(solution, lang), exercise_path(solution))
    return written, problems


def _translated_exercise(solution: Path, lang: str):
    import nbformat

    exercise = make_exercise(nbformat.read(solution, as_version=4), solution.name)
    exercise.metadata["ocr_lab"]["language"] = lang
    return exercise


def _write_if_changed(nb, target: Path) -> list[Path]:
    import nbformat

    text = nbformat.writes(nb)
    if target.exists() and target.read_text(encoding="utf-8").rstrip("\n") == text.rstrip("\n"):
        return []
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
    return [target]


def write_translation_stubs(folder: Path = NOTEBOOK_DIR, lang: str = "ko") -> list[str]:
    """Add the cells a translation file lacks, with their English text as `en` and an empty `lang` text.

    Stale entries are left alone (the translator compares `en` with the notebook); returns
    what was added, for the translator to fill in.
    """
    import nbformat

    added = []
    for source in english_sources(folder):
        tr_path = translation_path(source, lang)
        translation = read_translation(tr_path)
        cells = {}
        for cell in nbformat.read(source, as_version=4).cells:
            if cell.cell_type == "markdown":
                cells[cell.id] = translation.get(cell.id) or {"en": cell.source, lang: ""}
                if cell.id not in translation:
                    added.append(f"{rel(tr_path)}: {cell.id}")
        if cells != translation:
            write_translation(tr_path, source.name, cells, lang)
    return added


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
    return _stamp_generated(nb, cells, solution_name, "nbgrader")


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
        atomic_write(target, functools.partial(nbformat.write, make_nbgrader_source(nb, solution.name, seed)))
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
    """The notebooks to execute: every English and translated notebook but the generated exercise
    copies, or the ones named (`04_training.ipynb`, `ko/04_training.ipynb`)."""
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
        env = notebook_env(**{QUICK_ENV: "1" if quick else "0", LANG_ENV: lang})
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
            if _MISSING_GLYPH in text:
                problems.append(f"{path.name}: cell {i} drew text in a font without its glyphs: {text.strip()[:120]}")
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


# ----------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocr_lab.notebooks", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="re-execute notebooks in place (all by default, both editions), "
                                         "regenerating exercises and the Korean edition")
    run.add_argument("notebooks", nargs="*", help="file names under notebooks/, e.g. 04_training.ipynb or "
                                                  "ko/04_training.ipynb (default: all)")
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
