"""Answers: the learner's functions called on an exam, and what they returned, carried out of the kernel.

Part of grading (`ocr_lab.course.checks` holds the checks and scores, `ocr_lab.course.grade` runs
the box). `answer_calls` runs in the learner's kernel: it calls the learner's functions the way a
check's record says, on the exam's input files, and writes what they return into a folder: images
as PNG, everything else described by type and shape, exceptions by type and message.
`read_answers` runs in the grader, outside the box, and trusts nothing it reads: no
symlinks, no FIFOs, sizes capped, values rebuilt only as images, short strings,
lists and descriptions (`Opaque`).
"""
from __future__ import annotations

import contextlib
import functools
import inspect
import io
import json
import math
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import numpy as np
from PIL import Image

from ocr_lab.files import atomic_write
from ocr_lab.course.messages import message

# Characters. A message says what is wrong and never dumps a value: each value put into it is capped
# (a description at 200, an error of the learner's code at ERROR_LIMIT), never the hint around it.
# An error `ocr_lab` raised (the lecture-aware ones of decode_predict_ctc) is a hint itself: kept whole
# up to OWN_ERROR_LIMIT. MESSAGE_LIMIT only bounds what a forged answer file could make of a message.
ERROR_LIMIT = 300
OWN_ERROR_LIMIT = 1200
MESSAGE_LIMIT = 2400
MAX_ITEMS = 100  # list items described and images kept per returned value
MAX_VALUES = 4096  # numbers kept of the arrays one answer returns (labels, a loss per sample); the rest are described

# The answers, not building blocks: absent from the package the grader's box runs on, and replaced
# by stand-ins in a check cell, so calling them fails the check. The detector (`detector.detect`),
# the recognizer (`model_pred.predict`), decode_predict_ctc, PIL, numpy and keras_ocr.tools
# (warpBox, drawBoxes) are building blocks and stay.
REFERENCE = (
    "ocr_lab.detect.detect_text",
    "ocr_lab.detect.detect_boxes",       # open + detect: the learner's part of detect_text, whole
    "ocr_lab.pipeline.recognize_img",
    "ocr_lab.pipeline.recognize",
    "ocr_lab.data.preprocess_image",     # resize + transpose: the learner's part of recognize_img
    "ocr_lab.pipeline.OCRPipeline.run",
    "ocr_lab.pipeline.OCRPipeline.__call__",
    "keras_ocr.pipeline.Pipeline.recognize",
)
# What a failed check says when the learner called one (English; `message("answers.standin", lang)` in theirs).
STANDIN_MESSAGE = message("answers.standin", "en")


class ReferenceCalled(BaseException):
    """Raised by a stand-in: a BaseException, so that `except Exception` in the learner's code lets it through."""


def printable(text) -> str:
    """`text` with every control, format or line-separator character written as an escape (`\\x1b`, `\\n`):
    what a learner's code says can neither move the terminal's cursor, colour it, nor start a new row
    of the grader's table or CSV."""
    import unicodedata

    return "".join(ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" or unicodedata.category(ch) == "Zs"
                   else repr(ch)[1:-1] for ch in str(text))


def cap(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


# ----------------------------------------------------------------------------- answering (in the learner's kernel)

def _call(fn: Callable, first, extra):
    """Call fn(first, extra) or, for the lecture's one-argument signature with a global, fn(first)."""
    try:
        sig = inspect.signature(fn)
        params = [p for p in sig.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
        wants_extra = len(params) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in sig.parameters.values())
    except (TypeError, ValueError):
        wants_extra = True
    return fn(first, extra) if wants_extra else fn(first)


@contextlib.contextmanager
def _no_progress_bars():
    """Keras' progress bars off while the learner's functions run: a `model_pred.predict(batch)` without
    `verbose=0` would print one bar per crop above the verdict. The learner's own prints still show."""
    try:  # the checks run the course's models, so TensorFlow is loaded (or about to be) anyway
        from tf_keras.src.utils import io_utils
    except ImportError:  # pragma: no cover - only without tf-keras installed
        io_utils = None
    was = io_utils.is_interactive_logging_enabled() if io_utils else None
    if io_utils:
        io_utils.disable_interactive_logging()
    try:
        yield
    finally:
        if io_utils and was:
            io_utils.enable_interactive_logging()


_REFERENCE_CALLS: list[str] = []


def _standin_code(name: str):
    def standin(*args, **kwargs):
        answers = __import__("ocr_lab.course.answers", fromlist=["_REFERENCE_CALLS"])
        qualname = __import__("sys")._getframe().f_code.co_qualname
        answers._REFERENCE_CALLS.append(qualname)
        raise answers.ReferenceCalled(qualname)

    return standin.__code__.replace(co_name=name.rsplit(".", 1)[-1], co_qualname=name)


def reference_function(name: str):
    """The function a `REFERENCE` name stands for (a module's function or a class's method), or None."""
    import importlib

    module_name = name.rpartition(".")[0]
    owner = None
    for split in (module_name, module_name.rpartition(".")[0]):  # a module function, or a class's method
        try:
            owner = importlib.import_module(split)
            break
        except ImportError:
            continue
    if owner is None:
        return None
    fn = owner
    for part in name[len(owner.__name__) + 1:].split("."):
        fn = getattr(fn, part, None)
    fn = getattr(fn, "__func__", fn)
    return fn if inspect.isfunction(fn) else None


def reference_absent(name: str) -> ReferenceCalled:
    """What a reference implementation is in the grader's box (`ocr_lab.course.stripped`): a stub whose
    call is recorded and raises this."""
    _REFERENCE_CALLS.append(name)
    return ReferenceCalled(name)


class reference_standins:
    """While active, every function in `REFERENCE` runs a stand-in that records the call and fails.

    For the notebook's own check cells: feedback before the learner hands the notebook in. The
    functions' code objects are swapped, not the module attributes, so a name the learner imported
    earlier (`from ocr_lab.detect import detect_text as ref`) is caught too; but code in the same
    kernel can undo a swap, so the grader does not rely on it: in its box the reference
    implementations are absent (`ocr_lab.course.stripped`).
    """

    def __init__(self, names: tuple[str, ...] = REFERENCE):
        self.names = names  # a check's own (`Check.reference`); notebook 06's by default

    def __enter__(self):
        self.swapped = []
        _REFERENCE_CALLS.clear()
        for name in self.names:
            fn = reference_function(name)
            if fn is None or fn.__code__.co_freevars:
                continue
            self.swapped.append((fn, fn.__code__))
            fn.__code__ = _standin_code(name)
        return _REFERENCE_CALLS

    def __exit__(self, *exc):
        for fn, code in self.swapped:
            fn.__code__ = code
        return False


def _error_record(err: BaseException) -> dict:
    """An exception, as the grader reads it: its type and the first and last line of its message
    (TensorFlow puts a graph trace in between); whole when `ocr_lab` raised it, for its hint."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip() and not line.strip().startswith("File ")]
    text = "" if not lines else lines[0] if len(lines) < 2 else f"{lines[0]} ... {lines[-1]}"
    return {"type": type(err).__name__[:80], "message": cap(text, OWN_ERROR_LIMIT if _raised_by_ocr_lab(err)
                                                           else ERROR_LIMIT)}


def _raised_by_ocr_lab(err: BaseException) -> bool:
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    package = Path(__file__).resolve().parent.parent  # ocr_lab/: the library's errors and the course's
    return tb is not None and Path(tb.tb_frame.f_code.co_filename).resolve().is_relative_to(package)


class _Snapshot:
    """A returned value as JSON plus PNG files: images are kept, everything else is described."""

    def __init__(self, folder: Path, prefix: str):
        self.folder, self.prefix, self.images = folder, prefix, 0
        self.values_left = MAX_VALUES  # numbers kept by value in one answer, all its arrays together

    def node(self, value, depth: int = 0) -> dict:
        if value is None:
            return {"kind": "none"}
        if isinstance(value, Image.Image):
            out = {"kind": "image", "mode": str(value.mode)[:10], "size": [int(value.width), int(value.height)]}
            if self.images < MAX_ITEMS and value.width * value.height <= 16_000_000 and min(value.size) > 0:
                name = f"{self.prefix}_{self.images:03d}.png"
                img = value if value.mode in ("RGB", "RGBA", "L") else value.convert("RGB")
                img.save(self.folder / name)
                out["file"] = name
                self.images += 1
            return out
        if isinstance(value, np.ndarray):
            out = {"kind": "array", "shape": [int(n) for n in value.shape], "dtype": str(value.dtype)[:20]}
            if value.size <= self.values_left and value.dtype.kind in "biuf":  # small numbers: the checks compare them
                self.values_left -= value.size
                out["values"] = [v if math.isfinite(v) else repr(v) for v in value.astype(float).ravel().tolist()]
            return out
        if isinstance(value, str):
            return {"kind": "str", "text": value[:200], "length": len(value)}
        if isinstance(value, (list, tuple)) and depth < 2:
            return {"kind": type(value).__name__, "length": len(value),
                    "items": [self.node(v, depth + 1) for v in list(value[:MAX_ITEMS])]}
        if isinstance(value, (bool, np.bool_)):
            return {"kind": "bool", "value": bool(value)}
        if isinstance(value, (int, float, np.integer, np.floating)):
            number = float(value)
            return {"kind": "int" if isinstance(value, (int, np.integer)) else "float",
                    "value": number if math.isfinite(number) else repr(number), "type": type(value).__name__[:60]}
        kind = type(value).__name__
        out = {"kind": "other", "type": kind[:60]}
        if isinstance(value, (bool, int, float)):
            out["text"] = repr(value)[:40]
        elif hasattr(value, "__len__"):
            try:
                out["length"] = int(len(value))
            except Exception:
                pass
        return out


@functools.lru_cache(maxsize=None)
def course_model(name: str):
    """The course's own "detector" (CRAFT) or "recognizer" (the CRNN `Recognizer`), loaded once per process.

    The grader loads the ones its checks need in the learner's kernel before the first check, with
    the time limit of a cell, so that a check's time limit is for the learner's code only."""
    if name == "detector":
        from ocr_lab.detect import load_detector

        return load_detector()
    if name == "recognizer":
        from ocr_lab.checkpoint import load_recognizer

        return load_recognizer()
    raise ValueError(f"no course model {name!r}; a check needs 'detector' or 'recognizer'")


class _Lazy:
    """A course model, loaded on first use: a learner function that raises never waits for TensorFlow."""

    def __init__(self, load: Callable):
        self._load = load

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._load(), name)

    def __call__(self, *args, **kwargs):  # model_pred(batch), as Keras allows
        return self._load()(*args, **kwargs)


class Models:
    """The models a check hands the learner's functions: the ones given, else the course's own (lazily).

    `detector` is CRAFT (`.detect`), `model_pred` the bare Keras CRNN the lecture calls `model_pred`,
    `recognizer` whatever reads crops for the exam (a `Recognizer`, or the bare model a notebook passed)."""

    NAMES = ("detector", "recognizer")

    def __init__(self, detector=None, recognizer=None):
        self._given = {"detector": detector, "recognizer": recognizer}

    def get(self, name: str, lazy: bool = False):
        given = self._given[name]
        if given is not None:
            return given
        return _Lazy(functools.partial(course_model, name)) if lazy else course_model(name)

    @property
    def detector(self):
        return self.get("detector", lazy=True)

    @property
    def model_pred(self):
        given = self._given["recognizer"]
        if given is not None:
            return getattr(given, "model", given)  # a Recognizer's bare Keras model
        return _Lazy(lambda: course_model("recognizer").model)

    def key(self) -> tuple:
        """What an exam made with these models depends on (for caching)."""
        return tuple(id(self._given[n]) for n in self.NAMES)


def call_learner(fn: Callable, first, extra):
    """Call fn(first, extra) or, for the lecture's one-argument signature with a global, fn(first)."""
    return _call(fn, first, extra)


def answer_calls(check, functions: Mapping, exam_dir: Path, out_dir: Path, models: Models | None = None) -> None:
    """Call the learner's functions on the exam inputs of one check (a `checks.Check`); write what they
    return into out_dir.

    The models default to the course's own, loaded here, not whatever the notebook calls
    `detector` and `model_pred`.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    models = models or Models()
    missing = [n for n in check.functions if not callable(functions.get(n))]
    calls = {}
    for key, path in check.inputs(exam_dir / check.name).items():
        record = {"value": None, "error": None, "reference": []}
        start = time.monotonic()
        if missing:
            record["error"] = {"type": "NameError", "message": f"name {missing[0]!r} is not defined"}
        else:
            with reference_standins(check.reference) as reference_calls, _no_progress_bars():
                try:
                    record["value"] = _Snapshot(out_dir, key).node(check.call(functions, path, models))
                except KeyboardInterrupt:  # the grader's time limit: stop here, not at the next input
                    raise
                except BaseException as err:  # the learner's code: anything else it raises is feedback
                    record["error"] = _error_record(err)
                record["reference"] = sorted(set(reference_calls))
        record["seconds"] = round(time.monotonic() - start, 2)
        calls[key] = record
    text = json.dumps({"check": check.name, "calls": calls})
    atomic_write(out_dir / "result.json", lambda tmp: tmp.write_text(text))


# ----------------------------------------------------------------------------- reading answers (outside the box)

MAX_FILE_BYTES = 64 << 20


class Opaque:
    """A returned value the grader did not keep, only its description (type and shape): a message
    key and its fields, so that a Korean table describes it in Korean."""

    def __init__(self, key: str, **fields):
        self.key, self.fields = key, fields

    def describe(self, lang: str | None = None) -> str:
        fields = {k: _describe_node(v, lang) if k == "node" else v for k, v in self.fields.items()}
        return fields["node"] if self.key == "node" else message(self.key, lang, **fields)

    @property
    def description(self) -> str:
        return self.describe("en")


@dataclass
class Call:
    """One call of a learner's function: what it returned (rebuilt) or raised, and which references it called."""

    value: object = None
    error: dict | None = None
    reference: list[str] = field(default_factory=list)


def _read_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, never following a symlink, never blocking on a FIFO, never more than `limit`."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path.name} is not a regular file")
        if info.st_size > limit:
            raise ValueError(f"{path.name} is {info.st_size} bytes, more than {limit}")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(limit + 1)[:limit]
    finally:
        os.close(fd)


def _rebuild(node, folder: Path, depth: int = 0):
    if not isinstance(node, dict) or depth > 3:
        return Opaque("describe.unreadable")
    kind = node.get("kind")
    if kind == "none":
        return None
    if kind == "str":
        text, length = str(node.get("text", "")), int(node.get("length", 0))
        return printable(text) if length <= len(text) else Opaque("describe.str", length=length)
    if kind == "image":
        size = node.get("size", [0, 0])
        name = node.get("file")
        if isinstance(name, str) and "/" not in name and name.endswith(".png"):
            try:
                img = Image.open(io.BytesIO(_read_file(folder / name)))
                if img.width * img.height > 16_000_000:
                    raise ValueError("too large")
                img.load()
                return img
            except Exception:
                pass
        return Opaque("describe.image_unreadable", width=_int(size, 0), height=_int(size, 1))
    if kind == "bool":
        return bool(node.get("value"))
    if kind in ("int", "float"):
        number = _number(node.get("value"))
        if number is None:
            return Opaque("node", node=node)
        return int(number) if kind == "int" and math.isfinite(number) else number
    if kind == "array" and isinstance(node.get("values"), list):
        array = _array(node)
        if array is not None:
            return array
    if kind in ("list", "tuple"):
        items = [_rebuild(v, folder, depth + 1) for v in node.get("items", [])[:MAX_ITEMS]]
        length = int(node.get("length", len(items)))
        if length > len(items):
            return Opaque("node", node=node)
        return items if kind == "list" else tuple(items)
    return Opaque("node", node=node)


def _number(value) -> float | None:
    """A number as the kernel wrote it (non-finite ones as their repr), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return float(value) if value in ("nan", "inf", "-inf") else None


def _array(node: dict) -> np.ndarray | None:
    """A small numeric array from its shape, dtype and values, or None when they do not agree."""
    try:
        shape = tuple(int(n) for n in node.get("shape", []))
        values = [_number(v) for v in node["values"][:MAX_VALUES]]
        dtype = np.dtype(str(node.get("dtype", "float64")))
    except (TypeError, ValueError):
        return None
    if (len(shape) > 8 or any(n < 0 for n in shape) or None in values or int(np.prod(shape)) != len(values)
            or dtype.kind not in "biuf"):
        return None
    array = np.array(values, dtype=float).reshape(shape)
    return array.astype(dtype) if dtype.kind == "f" else np.nan_to_num(array).astype(dtype)  # float32 stays float32


def _int(seq, i) -> int:
    try:
        return int(seq[i])
    except Exception:
        return 0


def _describe_node(node: dict, lang: str | None = None) -> str:
    kind = node.get("kind")
    if kind == "array":
        shape = tuple(int(n) for n in node.get("shape", [])[:8])
        return message("describe.array", lang, shape=shape, dtype=str(node.get("dtype", ""))[:20])
    if kind == "str":
        return message("describe.str", lang, length=int(node.get("length", 0)))
    if kind == "image":
        return message("describe.image", lang, width=_int(node.get("size"), 0), height=_int(node.get("size"), 1),
                       mode=str(node.get("mode"))[:10])
    if kind == "none":
        return "None"
    if kind in ("list", "tuple"):
        items = node.get("items", [])
        parts = [_describe_node(i, lang) if isinstance(i, dict) else "?" for i in items[:MAX_ITEMS]]
        if parts and all(p == parts[0] for p in parts) and len(items) == int(node.get("length", 0)):
            return cap(message("describe.each", lang, kind=kind, length=node.get("length"), each=parts[0]), 200)
        return cap(_listing(kind, int(node.get("length", 0)), parts, lang), 200)
    text = f" {printable(node['text'])}" if isinstance(node.get("text"), str) else ""
    length = message("describe.length", lang, length=node["length"]) if isinstance(node.get("length"), int) else ""
    return cap(message("describe.other", lang, type=printable(node.get("type", "value"))[:60] + text + length), 200)


def _listing(kind: str, length: int, parts: list[str], lang: str | None) -> str:
    shown = ", ".join(parts[:3]) + (", ..." if len(parts) > 3 else "")
    return message("describe.items", lang, kind=kind, length=length, items=shown)


def describe(value, lang: str | None = None) -> str:
    """A value by type and shape, short, in the learner's language: what a failure message says instead of printing it."""
    if isinstance(value, Opaque):
        return value.describe(lang)
    if value is None:
        return "None"
    if isinstance(value, Image.Image):
        return message("describe.image", lang, width=value.width, height=value.height, mode=value.mode)
    if isinstance(value, np.ndarray):  # a small array the grader rebuilt (`_array`): described as the kernel's was
        return message("describe.array", lang, shape=tuple(int(n) for n in value.shape), dtype=str(value.dtype)[:20])
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else message("describe.str", lang, length=len(value))
    if isinstance(value, (list, tuple)):
        parts = [describe(v, lang) for v in value]
        kind = type(value).__name__
        if parts and all(p == parts[0] for p in parts) and not isinstance(value[0], str):
            return cap(message("describe.each", lang, kind=kind, length=len(value), each=parts[0]), 200)
        return cap(_listing(kind, len(value), parts, lang), 200)
    return cap(message("describe.other", lang, type=type(value).__name__), 200)


def read_answers(out_dir: str | os.PathLike) -> dict[str, Call]:
    """What `answer_exam` wrote for one check: {call key: Call}. Raises ValueError when there is nothing usable."""
    out_dir = Path(out_dir)
    try:
        data = json.loads(_read_file(out_dir / "result.json", 1 << 20))
    except FileNotFoundError:
        raise ValueError("the learner's kernel wrote no answers") from None
    except (OSError, ValueError) as err:
        raise ValueError(f"the answers could not be read ({type(err).__name__})") from None
    calls = data.get("calls") if isinstance(data, dict) else None
    if not isinstance(calls, dict):
        raise ValueError("the answers are malformed")
    out = {}
    for key, record in list(calls.items())[:MAX_ITEMS]:
        if not isinstance(record, dict):
            continue
        error = record.get("error")
        if isinstance(error, dict):
            error = {"type": cap(printable(error.get("type", "Error")), 80),
                     "message": cap(printable(error.get("message", "")), OWN_ERROR_LIMIT)}
        else:
            error = None
        reference = [cap(printable(r), 80) for r in record.get("reference", [])[:10]] if isinstance(record.get("reference"), list) else []
        if error and error["type"] == "ReferenceCalled" and not reference:  # the call list was tampered with
            reference = [error["message"]]
        out[printable(key)[:40]] = Call(None if error else _rebuild(record.get("value"), out_dir), error, reference)
    return out
