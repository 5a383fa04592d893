"""ocr_lab.course: the course machinery stands above the library. No library module imports it (at the top
or inside a function), and the old spellings of the committed notebooks still answer."""
import ast
import subprocess
import sys
from pathlib import Path

import ocr_lab

PACKAGE = Path(ocr_lab.__file__).parent
ALIASES = {"notebooks.py", "checks.py", "__main__.py"}  # the course's old names and the entry point, not the library


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("ocr_lab."):
            found.add(node.value)  # importlib.import_module("ocr_lab.x"), __import__("ocr_lab.x")
    return found


def test_the_library_never_imports_the_course():
    library = [p for p in sorted(PACKAGE.glob("*.py")) if p.name not in ALIASES]
    assert len(library) > 15
    upward = {p.name: sorted(m for m in imported_modules(p) if m.startswith("ocr_lab.course") or m == "ocr_lab.course")
              for p in library}
    assert {name: mods for name, mods in upward.items() if mods} == {}


def test_the_old_spellings_still_answer():
    from ocr_lab import checks, notebooks
    from ocr_lab.course import checks as course_checks
    from ocr_lab.course import learner

    assert checks is course_checks
    assert notebooks.show_source is learner.show_source and notebooks.QUICK is learner.QUICK
    out = subprocess.run([sys.executable, "-m", "ocr_lab.notebooks", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "verify" in out.stdout
    out = subprocess.run([sys.executable, "-m", "ocr_lab", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "grade" in out.stdout and "synth" in out.stdout
