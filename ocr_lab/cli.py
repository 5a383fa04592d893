"""The command line: `python -m ocr_lab <verb>`, one verb per pipeline stage.

Each verb lives in its stage's module as `add_cli(subparsers)`, which adds its
arguments and sets `func(args) -> int`. Modules are imported only when listed
here, and TensorFlow only when a verb that needs it runs.
"""
from __future__ import annotations

import argparse
import importlib
import sys

VERB_MODULES = ["synth", "data", "train", "evaluate", "pipeline", "grade"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ocr_lab",
        description="ocr-lab: build, train, evaluate and use your own OCR (CRAFT detector + CRNN recognizer).",
    )
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    for name in VERB_MODULES:
        try:
            module = importlib.import_module(f"ocr_lab.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"ocr_lab.{name}":
                continue  # a stage that is not written yet
            raise
        if hasattr(module, "add_cli"):
            module.add_cli(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
