"""The package as the grader's box sees it: a copy whose reference implementations are absent.

The exercise is to write `detect_text` and `recognize_img`, not to call the course's own
(`answers.REFERENCE`). Swapping those functions inside the learner's kernel cannot hold:
code in the same kernel can undo any swap, keep a copy made before it, reload the module
or exec its source. So the grader never lets their code into the box. `strip_package`
writes a copy of `ocr_lab` (the `.py` files and package data, no bytecode) in which the
body of every reference function is replaced by a stub that records the call and raises
`answers.ReferenceCalled`; the box mounts that copy read-only where the kernel imports
`ocr_lab` from, and does not mount the repository, its notebooks or the installed source.
A reference that lives in another package (keras-ocr's `Pipeline.recognize`) gets a
stripped copy of its file, which the box mounts over the original, with the original's
cached bytecode hidden.
"""
from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import ocr_lab
from ocr_lab.course.answers import REFERENCE, reference_function

PACKAGE = Path(ocr_lab.__file__).resolve().parent
PACKAGE_DATA = ("*.json",)  # files beside the modules that the package reads (craft_int8_ranges.json)


@dataclass
class Stripped:
    """A stripped copy: `root/ocr_lab`, and the files to mount over other packages' (copy -> original)."""

    root: Path
    overlays: dict[Path, Path] = field(default_factory=dict)  # stripped copy -> the installed file it hides
    hidden: list[Path] = field(default_factory=list)          # cached bytecode of those files, hidden too
    absent: list[str] = field(default_factory=list)           # the reference names whose bodies are stubs


def _stub(name: str, indent: str) -> list[str]:
    return [f"{indent}# absent while grading: the exercise is to write this (ocr_lab.course.stripped)\n",
            f"{indent}raise __import__('ocr_lab.course.answers', fromlist=['reference_absent'])"
            f".reference_absent({name!r})\n"]


def strip_source(source: str, targets: dict[int, str]) -> str:
    """`source` with the body of each function that starts on line `n` (decorators aside) of `targets`
    replaced by a stub that raises `ReferenceCalled(targets[n])`; everything else as it was."""
    lines = source.splitlines(keepends=True)
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            for line in (node.lineno, start):
                if line in targets:
                    found[line] = node
    missing = set(targets) - set(found)
    if missing:
        raise ValueError(f"no function starts on line(s) {sorted(missing)}: {[targets[n] for n in sorted(missing)]}")
    for line, node in sorted(found.items(), key=lambda item: -item[1].body[0].lineno):  # bottom up
        first, last = node.body[0].lineno, node.end_lineno
        indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]
        lines[first - 1:last] = _stub(targets[line], indent)
    return "".join(lines)


def _reference_sites(names: tuple[str, ...] = REFERENCE) -> dict[Path, dict[int, str]]:
    """{source file: {first line of a reference function: its name}} for every REFERENCE that exists here."""
    sites: dict[Path, dict[int, str]] = {}
    for name in names:
        fn = reference_function(name)
        if fn is None:
            continue
        code = fn.__code__
        sites.setdefault(Path(code.co_filename).resolve(), {})[code.co_firstlineno] = name
    return sites


def strip_package(dest: Path, names: tuple[str, ...] = REFERENCE) -> Stripped:
    """Write the stripped copy of `ocr_lab` to `dest/ocr_lab` (and other packages' stripped files to
    `dest/.overlays`); `dest` must not hold an `ocr_lab` yet."""
    dest = Path(dest)
    target = dest / "ocr_lab"
    shutil.copytree(PACKAGE, target, ignore=lambda d, names: [n for n in names if n == "__pycache__" or (
        (Path(d) / n).is_file() and not n.endswith(".py") and not any(Path(n).match(p) for p in PACKAGE_DATA))])
    out = Stripped(dest)
    for path, targets in _reference_sites(names).items():
        stripped = strip_source(path.read_text(encoding="utf-8"), targets)
        if path.is_relative_to(PACKAGE):
            (target / path.relative_to(PACKAGE)).write_text(stripped, encoding="utf-8")
        else:  # another package's file, installed in the venv: mounted over the original in the box
            copy = dest / ".overlays" / f"{len(out.overlays)}_{path.name}"
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(stripped, encoding="utf-8")
            out.overlays[copy] = path
            out.hidden += sorted((path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"))
        out.absent += sorted(targets.values())
    return out
