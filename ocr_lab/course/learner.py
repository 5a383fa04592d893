"""Learner helpers: what every notebook imports first.

    from ocr_lab.course import QUICK, course_data, rel, show_source

`QUICK` is the course's one size switch, read by every notebook: CI-sized runs by
default, the full ones with `OCR_LAB_QUICK=0` (same code, bigger numbers).
`course_dir()` is the folder a notebook works in, `course_data()` the data sets it
uses (built on first use), `show_source` shows the package's real code, so a
notebook and the package cannot drift.

Importing this module silences TensorFlow's C++ start-up log for the first
`import tensorflow` of the process, and gives a Korean notebook's plots a font
with Hangul: that is why a notebook imports it before anything else.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from ocr_lab.quiet import quiet_tensorflow_import
from ocr_lab.train import explain_ignored_learning_rate

REPO = Path(__file__).resolve().parent.parent.parent  # the clone this package is installed from
NOTEBOOK_DIR = REPO / "notebooks"

QUICK_ENV = "OCR_LAB_QUICK"
QUICK = os.environ.get(QUICK_ENV, "1").strip().lower() not in ("0", "false", "no", "off")
COURSE_ENV = "OCR_LAB_HOME"

# The environment every notebook runs in, here, in CI and when graded: seeded hashing,
# TensorFlow quiet on stderr, Keras 2 (see ocr_lab/__init__.py).
NOTEBOOK_ENV = {
    "PYTHONHASHSEED": "0",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_USE_LEGACY_KERAS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # ipykernel's debugger warns on stderr otherwise
}


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


quiet_tensorflow_import()  # every notebook imports this module in its first cell
explain_ignored_learning_rate()  # the lecture's Adadelta(lr=0.1) says that it trains at 0.001


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
