"""Every arrow points down: no module of the library imports, even inside a function, one that imports it back.

The import graph is read from the source with `ast` (module-level and function-level imports
alike, since a lazy import is still an arrow), not by importing, so the test needs no TensorFlow.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ocr_lab"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The ocr_lab modules a file imports, wherever the import statement stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from .sub import y
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from ocr_lab import synth` imports the module ocr_lab.synth; `from ocr_lab.x import f` imports ocr_lab.x
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import ocr_lab.synth.render` -> ocr_lab.synth.render
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("ocr_lab"):
                found.add(target)
    found.discard("ocr_lab")  # the package's __init__ only sets the Keras switch and names lazy attributes
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imported_modules(p, modules) for p in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_checker_finds_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle)


# Modules outside ocr_lab/course that stand on the course's side: the command that joins the library's
# verbs and the course's `grade`, and the old names the committed notebooks import (aliases of course modules).
COURSE_SIDE = {"ocr_lab.__main__", "ocr_lab.checks", "ocr_lab.notebooks"}


def test_the_library_does_not_import_the_course():
    graph = import_graph()
    library = [m for m in graph
               if not (m == "ocr_lab.course" or m.startswith("ocr_lab.course.")) and m not in COURSE_SIDE]
    wrong = {m: sorted(t for t in graph[m] if t == "ocr_lab.course" or t.startswith("ocr_lab.course."))
             for m in library}
    wrong = {m: t for m, t in wrong.items() if t}
    assert not wrong, f"library modules that import ocr_lab.course: {wrong}"


def test_the_course_side_modules_are_only_the_entry_point_and_aliases():
    """An exception that grew would hide a library module leaning on the course: each must stay tiny."""
    for name in COURSE_SIDE:
        path = PACKAGE / (name.split(".", 1)[1] + ".py")
        if path.exists():
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 30, f"{path} is more than an alias"
