"""The command line: `python -m ocr_lab <verb>`, one verb per pipeline stage.

Each verb lives in its stage's module as `add_cli(subparsers)`, which adds its
arguments and sets `func(args) -> int`. Modules are imported only when listed
here, and TensorFlow only when a verb that needs it runs, quietly (`ocr_lab.quiet`):
`--help` never imports it, and no verb shows its start-up log.
"""
from __future__ import annotations

import argparse
import errno
import contextlib
import importlib
import sys

import lmdb

from ocr_lab.messages import message
from ocr_lab.quiet import quiet_tensorflow_import

# verb -> (module that defines it, one-line help). Only the module of the verb being
# run is imported, so `python -m ocr_lab --help` does not wait for TensorFlow.
VERBS = {
    "synth": ("synth", "build the synthetic MJSynth-like train/valid/test LMDBs"),
    "info": ("data", "summarise an LMDB: counts, sizes, label lengths, skipped records"),
    "make-lmdb": ("data", "turn a folder of crops + gt.txt into an LMDB"),
    "train": ("train", "train a CRNN recognizer on LMDB word crops"),
    "evaluate": ("evaluate", "score a checkpoint on an LMDB or a folder with labels.tsv"),
    "ocr": ("pipeline", "detect and recognise the words in images"),
    "demo": ("pipeline", "the main job: OCR the sample photos in data/samples"),
}
# `python -m ocr_lab` adds the course's verbs (`grade`: ocr_lab.course.VERBS) to these; the library
# itself never imports the course.


def build_parser(verb: str | None = None, verbs: dict[str, tuple[str, str]] | None = None) -> argparse.ArgumentParser:
    verbs = VERBS if verbs is None else verbs
    parser = argparse.ArgumentParser(
        prog="python -m ocr_lab",
        description="ocr-lab: build, train, evaluate and use your own OCR (CRAFT detector + CRNN recognizer).",
    )
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    if verb in verbs:
        module = verbs[verb][0]
        importlib.import_module(module if "." in module else f"ocr_lab.{module}").add_cli(subparsers)
    for name, (_, help_text) in verbs.items():
        if name not in subparsers.choices:
            subparsers.add_parser(name, help=help_text)
    return parser


# Libraries whose errors reach a person as one line: a bad input met deep inside them, not a bug of ours.
LIBRARIES = {"tensorflow": "TensorFlow", "tf_keras": "Keras", "onnxruntime": "ONNX Runtime", "h5py": "HDF5 (h5py)"}


def main(argv: list[str] | None = None, verbs: dict[str, tuple[str, str]] | None = None) -> int:
    """Run one verb of `verbs` (default: the library's, `VERBS`); returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    verb = next((a for a in argv if not a.startswith("-")), None)
    quiet_tensorflow_import()
    if HELP_FLAGS & set(argv):
        with _without_tensorflow():
            build_parser(verb, verbs).parse_args(argv)  # prints the help and exits
    parser = build_parser(verb, verbs)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        fields = {k: str(v) for k, v in vars(args).items()}
        # A verb that writes names the message that says what Ctrl-C left behind (`set_defaults(interrupted=...)`).
        print(message(getattr(args, "interrupted", "interrupted.other"), **fields), file=sys.stderr)
        return 130
    except (OSError, ValueError, RuntimeError, MemoryError, lmdb.Error) as err:
        print(f"error: {error_message(err)}", file=sys.stderr)
        return 2
    except Exception as err:
        library = LIBRARIES.get(type(err).__module__.split(".")[0])
        if library is None:
            raise  # a fault in ocr_lab's own code: its traceback is what a maintainer needs
        print(f"error: {message('error.library', library=library, error=error_message(err))}", file=sys.stderr)
        return 2


HELP_FLAGS = {"-h", "--help"}
_HEAVY = ("tensorflow", "tf_keras", "keras", "keras_ocr")


class _NoHeavyImports:
    """A `sys.meta_path` finder that refuses TensorFlow and the Kerases, for printing help."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in _HEAVY:
            raise ImportError(f"{name} is not imported to print help")
        return None


@contextlib.contextmanager
def _without_tensorflow():
    """Build a verb's parser without importing TensorFlow: help is text, and waiting seconds for it is not.

    A stage module that subclasses a Keras class (`data.MJDatasetSequence`) falls back to
    `object` when tf-keras cannot be imported, which is all a parser needs. The `ocr_lab`
    modules imported this way are forgotten afterwards, so a later import gets the real ones.
    """
    before = set(sys.modules)
    blocker = _NoHeavyImports()
    sys.meta_path.insert(0, blocker)
    try:
        yield
    finally:
        sys.meta_path.remove(blocker)
        for name in set(sys.modules) - before:
            if name.startswith("ocr_lab."):
                del sys.modules[name]
                parent, _, child = name.rpartition(".")
                if hasattr(sys.modules.get(parent), child):
                    delattr(sys.modules[parent], child)


def error_message(err: BaseException) -> str:
    """One line for a person: what went wrong, with the path, and what to do about it.

    The verbs raise ValueError / FileNotFoundError / FileExistsError with such a line
    already. This is the one place that also turns the errors of the operating system
    (a folder you may not write to, a full disk) and of py-lmdb into one line, so no
    verb shows a stack trace for a problem with its input or output.
    """
    if isinstance(err, OSError) and err.errno == errno.ENOSPC:
        return message("error.disk_full", path=str(err.filename or "the output"))
    if isinstance(err, OSError) and err.errno == errno.ELOOP and err.filename:
        return message("error.symlink_loop", path=str(err.filename))
    if isinstance(err, PermissionError) and err.filename:
        return (f"permission denied: {str(err.filename)!r}; choose a path you may read and write, "
                "or change its permissions")
    if isinstance(err, OSError) and err.filename and err.strerror:
        return f"{err.strerror.lower()}: {str(err.filename)!r}"
    if isinstance(err, lmdb.Error):
        return f"cannot read the LMDB: {err} (is it a complete clovaai-layout LMDB folder?)"
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:500] + " ..." if len(text) > 500 else text  # TensorFlow's messages can run to pages
