"""The command line: `python -m ocr_lab <verb>`, one verb per pipeline stage.

Each verb lives in its stage's module as `add_cli(subparsers)`, which adds its
arguments and sets `func(args) -> int`. Modules are imported only when listed
here, and TensorFlow only when a verb that needs it runs.
"""
from __future__ import annotations

import argparse
import importlib
import sys

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
    "grade": ("grade", "instructors: run and grade learners' exercise notebooks"),
}


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ocr_lab",
        description="ocr-lab: build, train, evaluate and use your own OCR (CRAFT detector + CRNN recognizer).",
    )
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    if verb in VERBS:
        importlib.import_module(f"ocr_lab.{VERBS[verb][0]}").add_cli(subparsers)
    for name, (_, help_text) in VERBS.items():
        if name not in subparsers.choices:
            subparsers.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    verb = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(verb)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, FileExistsError, ValueError) as err:
        # Errors meant for people: one line, no stack trace.
        print(f"error: {err}", file=sys.stderr)
        return 2
