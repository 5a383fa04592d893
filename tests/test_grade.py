"""python -m ocr_lab grade: grades come from what the functions return on an exam made at grading time,
inside a box; forged output, calls to the reference, stalls, floods and broken files do not fool or stop it.

One folder of small submissions is graded once (a module fixture, two at a time) and every test reads
its CSV. The real solution notebook is graded in test_notebooks' nbgrader test and by nbval.
"""
import contextlib
import csv
import io
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import shutil
import tempfile

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ocr_lab.course import box, checks, grade
from ocr_lab.course import main as course_main
from ocr_lab.course.learner import NOTEBOOK_DIR, REPO

EXERCISE = NOTEBOOK_DIR / "06_end_to_end_exercise.ipynb"

BOXED = box.boxed()
NO_BOX = f"grading is not isolated on this machine ({box.isolation()}); install Debian's bubblewrap"
SLEEPER = "987.654321"  # the argument of a detached `sleep` a notebook starts: it must not outlive grading

IMPORTS = """
import numpy as np
from PIL import Image, ImageDraw
from ocr_lab.decode import decode_predict_ctc
from ocr_lab.labels import TARGET_CHARACTERS
"""

DETECT = '''
def detect_text(img_path, detector):
    img_pil = Image.open(img_path).convert("RGB")
    ocr_result = detector.detect([np.asarray(img_pil)])[0]
    result_img = img_pil.copy()
    img_draw = ImageDraw.Draw(result_img)
    cropped_imgs = []
    for box in ocr_result:
        img_draw.polygon([tuple(p) for p in box], outline="red", width=2)
        cropped_imgs.append(img_pil.crop((box[:, 0].min() - 5, box[:, 1].min() - 5, box[:, 0].max() + 5, box[:, 1].max() + 5)))
    return result_img, cropped_imgs
'''

# Crops warped with keras-ocr's warpBox, no margin, in reverse order: as right as the lecture's crops.
DETECT_WARPED = '''
import keras_ocr.tools

def detect_text(img_path, detector):
    img_pil = Image.open(img_path).convert("RGB")
    boxes = detector.detect([np.asarray(img_pil)])[0]
    result_img = img_pil.copy()
    for box in boxes:
        ImageDraw.Draw(result_img).polygon([tuple(p) for p in box], outline="red")
    return result_img, [Image.fromarray(keras_ocr.tools.warpBox(np.asarray(img_pil), box)) for box in boxes][::-1]
'''

RECOGNIZE = '''
def recognize_img(pil_img, model_pred):
    width, height = pil_img.size
    target_width = max(1, min(int(width * 32 / height), 100))
    img = np.array(pil_img.convert("RGB").resize((target_width, 32)))
    batch = np.zeros((1, 100, 32, 3), dtype=np.float32)
    batch[0, :target_width] = img.transpose(1, 0, 2)
    return decode_predict_ctc(model_pred.predict(batch, verbose=0), TARGET_CHARACTERS)[0]
'''

# The raw prediction of every crop, eight times over: the value that once flooded the CSV.
RECOGNIZE_HUGE = RECOGNIZE.replace("return decode_predict_ctc(model_pred.predict(batch, verbose=0), TARGET_CHARACTERS)[0]",
                                   "return [model_pred.predict(batch, verbose=0)] * 8")

CALLS_REFERENCE = '''
from ocr_lab.detect import detect_text as course_detect_text
import ocr_lab.pipeline

def detect_text(img_path, detector):
    return course_detect_text(img_path, detector)

def recognize_img(pil_img, model_pred):
    return ocr_lab.pipeline.recognize_img(pil_img, model_pred)
'''

# Exercise 1 never ends; exercise 2 is right.
LOOPS = '''
def detect_text(img_path, detector):
    while True:
        pass
''' + RECOGNIZE

FORGED = '''
from IPython.display import display
for name in ["detect_text", "recognize_img", "end_to_end"]:
    display({"application/vnd.ocr-lab.check+json": {"check": name, "passed": True, "message": "ok", "details": {}},
             "text/plain": f"passed {name}"}, raw=True)
'''


# ----------------------------------------------------------------------------- ways around the reference stand-ins

ANSWERS_MODULES = ("ocr_lab.answers", "ocr_lab.course.answers")  # the grader's module, before and after the move

CALL_REFERENCES = """
def detect_text(img_path, detector):
    return REF_DETECT(img_path, detector)

def recognize_img(pil_img, model_pred):
    return REF_RECOGNIZE(pil_img, model_pred)
"""


def bypasses() -> dict[str, str]:
    """Seven ways a notebook once scored 3 of 3 by calling the course's reference implementations."""
    solution = NOTEBOOK_DIR / "06_end_to_end_solution.ipynb"
    return {
        "empty_reference": f"""
import importlib
from ocr_lab.detect import detect_text as REF_DETECT
from ocr_lab.pipeline import recognize_img as REF_RECOGNIZE
for name in {ANSWERS_MODULES!r}:
    try:
        importlib.import_module(name).REFERENCE = ()
    except ImportError:
        pass
""" + CALL_REFERENCES,
        "no_standins": f"""
import contextlib, importlib
from ocr_lab.detect import detect_text as REF_DETECT
from ocr_lab.pipeline import recognize_img as REF_RECOGNIZE
for name in {ANSWERS_MODULES!r}:
    try:
        importlib.import_module(name).reference_standins = lambda *args, **kwargs: contextlib.nullcontext([])
    except ImportError:
        pass
""" + CALL_REFERENCES,
        "import_hook": f"""
import builtins, importlib
from ocr_lab.detect import detect_text as REF_DETECT
from ocr_lab.pipeline import recognize_img as REF_RECOGNIZE
_import = builtins.__import__
def _hook(name, *args, **kwargs):
    module = _import(name, *args, **kwargs)
    for answers in {ANSWERS_MODULES!r}:
        try:
            importlib.import_module(answers).REFERENCE = ()
        except ImportError:
            pass
    return module
builtins.__import__ = _hook
""" + CALL_REFERENCES,
        "function_copies": """
import types, ocr_lab.detect, ocr_lab.pipeline
def _copy(f):
    return types.FunctionType(f.__code__, f.__globals__, f.__name__, f.__defaults__, f.__closure__)
REF_DETECT, REF_RECOGNIZE = _copy(ocr_lab.detect.detect_text), _copy(ocr_lab.pipeline.recognize_img)
""" + CALL_REFERENCES,
        "reload": """
import importlib, ocr_lab.detect, ocr_lab.pipeline
REF_DETECT, REF_RECOGNIZE = ocr_lab.detect.detect_text, ocr_lab.pipeline.recognize_img
importlib.reload(ocr_lab.detect)
importlib.reload(ocr_lab.pipeline)
""" + CALL_REFERENCES,
        "exec_source": """
import importlib.util, sys, ocr_lab.detect, ocr_lab.pipeline
def _load_copy(name, path):  # the module's source run again under another name, as importlib would
    spec = importlib.util.spec_from_file_location(name, path)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
REF_DETECT = _load_copy("copy_detect", ocr_lab.detect.__file__).detect_text
REF_RECOGNIZE = _load_copy("copy_pipeline", ocr_lab.pipeline.__file__).recognize_img
""" + CALL_REFERENCES,
        "solution_from_disk": f"""
import json
for cell in json.load(open({str(solution)!r}))["cells"]:
    source = "".join(cell["source"])
    if cell["cell_type"] == "code" and ("def detect_text" in source or "def recognize_img" in source):
        exec(source, globals())
""",
    }


ESCAPES = "\x1b[2J\x1b[1;32m\r\nright.ipynb: 3 of 3 checks passed\u202e"
ESCAPING = f"""
def detect_text(img_path, detector):
    raise RuntimeError({ESCAPES!r})

raise RuntimeError({ESCAPES!r})
"""

HUGE_ERROR = 'raise ValueError("x" * (6 << 20))  # a reply larger than the grader reads'


def peeking(folder: Path, socket_path: Path) -> str:
    """A cell that connects to a Unix socket outside the box and lists what it can see of the machine."""
    home_entries = sorted(os.listdir(Path.home())) if Path.home().is_dir() else []
    paths = ["/run", "/var/run", str(folder), str(folder / "victim" / "keep.txt"), str(REPO / "notebooks"),
             str(REPO / "ocr_lab"), *[str(Path.home() / e) for e in home_entries]]
    return f"""
import os, socket
client = socket.socket(socket.AF_UNIX)
try:
    client.connect({str(socket_path)!r})
    outcome = "connected"
except OSError as err:
    outcome = type(err).__name__
raise RuntimeError(f"socket {{outcome}}; visible {{[p for p in {paths!r} if os.path.exists(p)]}}")
"""


def attacks(folder: Path) -> str:
    """A cell that writes into the course and the submissions folder, deletes a folder and leaves a process."""
    targets = ["../checkpoints/PWNED.txt", "../data/PWNED.txt", str(REPO / "checkpoints" / "PWNED.txt"),
               str(REPO / "data" / "PWNED.txt"), str(folder / "PWNED.txt")]
    return f'''
import os, shutil, subprocess
for target in {targets!r}:
    try:
        with open(target, "w") as f:
            f.write("pwned")
    except OSError:
        pass
shutil.rmtree({str(folder / "victim")!r}, ignore_errors=True)
subprocess.Popen(["sleep", "{SLEEPER}"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    hog = bytearray(6 << 30)  # more than the memory limit
except MemoryError:
    raise MemoryError("the memory limit held")
'''


def write_notebook(folder: Path, name: str, *sources: str) -> None:
    nb = new_notebook(cells=[new_code_cell(s.strip("\n")) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / name)


def run_cli(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = course_main(["grade", *map(str, argv)])
    return rc, out.getvalue()


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_csv_text(text):
    return list(csv.DictReader(io.StringIO(text)))


def sleepers() -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and SLEEPER.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    (folder / "victim").mkdir()
    (folder / "victim" / "keep.txt").write_text("keep")
    write_notebook(folder, "right.ipynb", IMPORTS, DETECT, RECOGNIZE)
    forged = nbformat.read(EXERCISE, as_version=4)  # the exercise as generated, every TODO blank, then:
    forged.cells += [new_code_cell(FORGED.strip())] + ([new_code_cell(attacks(folder).strip())] if BOXED else [])
    nbformat.write(forged, folder / "forged.ipynb")
    write_notebook(folder, "calls_reference.ipynb", IMPORTS, CALLS_REFERENCE)
    write_notebook(folder, "loops.ipynb", IMPORTS, LOOPS)
    write_notebook(folder, "wrong.ipynb", IMPORTS, DETECT_WARPED, RECOGNIZE_HUGE)
    write_notebook(folder, "dies.ipynb", IMPORTS, "import os\nos._exit(1)", DETECT, "x = 1 / 0")
    (folder / "broken.ipynb").write_text("{not json")
    for name, source in bypasses().items():
        write_notebook(folder, f"bypass_{name}.ipynb", IMPORTS, source)
    write_notebook(folder, "escapes.ipynb", IMPORTS, ESCAPING, RECOGNIZE)
    write_notebook(folder, "huge_error.ipynb", IMPORTS, HUGE_ERROR, DETECT, RECOGNIZE)
    listener = socket.socket(socket.AF_UNIX)
    socket_path = folder.parent / f"listener-{os.getpid()}.sock"  # outside the submission, as /var/run/*.sock is
    listener.bind(str(socket_path))
    listener.listen(5)
    listener.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    if BOXED:
        write_notebook(folder, "peeks.ipynb", IMPORTS, peeking(folder, socket_path))
    before = {p: p.read_bytes() for d in ("checkpoints", "data") for p in (REPO / d).rglob("*") if p.is_file()
              and p.stat().st_size < 1 << 20}
    out = folder / "grades.csv"
    try:
        rc, stdout = run_cli(folder, "--jobs", 2, "--csv", out, "--check-timeout", 45, "--seed", 1234)
    finally:
        stop.set()
        thread.join()
        listener.close()
    rows = read_csv(out)
    return {"rc": rc, "stdout": stdout, "rows": rows, "by_name": {r["notebook"]: r for r in rows},
            "folder": folder, "before": before, "accepted": accepted, "csv_text": out.read_text(encoding="utf-8")}


def test_a_right_notebook_passes_every_check(graded):
    row = graded["by_name"]["right.ipynb"]
    assert row["status"] == "finished"
    assert [row[c.name] for c in checks.of_notebook("06_end_to_end")] == ["pass"] * 3, row
    assert row["passed"] == "3" and row["errors"] == "" and row["seed"] == "1234"
    assert "/" in row["end_to_end_words"]  # "n/m words: ..."


def test_a_forged_notebook_scores_zero(graded):
    row = graded["by_name"]["forged.ipynb"]
    assert row["passed"] == "0", row
    assert "not written yet" in row["detect_text_message"]
    assert "not written yet" in row["recognize_img_message"]


def test_calling_the_reference_fails_the_affected_checks(graded):
    row = graded["by_name"]["calls_reference.ipynb"]
    assert row["passed"] == "0", row
    for name, called in [("detect_text", "ocr_lab.detect.detect_text"), ("recognize_img", "ocr_lab.pipeline.recognize_img"),
                         ("end_to_end", "ocr_lab.detect.detect_text")]:
        assert checks.STANDIN_MESSAGE in row[f"{name}_message"] and called in row[f"{name}_message"], row


def test_a_stalled_exercise_1_still_lets_exercise_2_score(graded):
    row = graded["by_name"]["loops.ipynb"]
    assert row["detect_text"] == "FAIL" and "was interrupted" in row["detect_text_message"], row
    assert row["recognize_img"] == "pass", row
    assert row["end_to_end"] == "FAIL"


def test_warped_crops_in_any_order_pass_and_a_huge_return_gets_a_short_message(graded):
    row = graded["by_name"]["wrong.ipynb"]
    assert row["detect_text"] == "pass", row["detect_text_message"]
    message = row["recognize_img_message"]
    assert row["recognize_img"] == "FAIL" and "should return one string" in message
    assert re.search(r"a list of 8, each a numpy array of shape \(1, \d+, 37\)", message), message  # (1, time steps, classes)
    names = [c.name for c in checks.of_notebook("06_end_to_end")]
    assert all(len(row[f"{name}_message"]) <= checks.MESSAGE_LIMIT for name in names)
    assert sum(len(v) for v in row.values()) < 3000


def test_a_folder_with_broken_notebooks_yields_a_full_csv(graded):
    names = [r["notebook"] for r in graded["rows"]]
    assert names == sorted(p.name for p in graded["folder"].glob("*.ipynb"))
    broken = graded["by_name"]["broken.ipynb"]
    assert broken["status"].startswith("could not be read (NotJSONError")
    dies = graded["by_name"]["dies.ipynb"]
    assert "the kernel died" in dies["errors"] and "ZeroDivisionError" in dies["errors"]  # later cells still ran
    assert dies["detect_text"] == "pass"  # defined after the cell that killed the kernel
    assert graded["rc"] == 1


def test_the_rubric_table_is_printed(graded):
    stdout = graded["stdout"]
    assert "right.ipynb: 3 of 3 checks passed" in stdout
    assert "forged.ipynb: 0 of 3 checks passed" in stdout
    assert "end-to-end on a generated scene:" in stdout
    assert stdout.startswith(f"grading {len(graded['rows'])} notebook(s), ")


@pytest.mark.skipif(not BOXED, reason=NO_BOX)
def test_learner_code_cannot_touch_the_course_the_submissions_or_outlive_grading(graded):
    folder = graded["folder"]
    assert not (folder / "PWNED.txt").exists()
    assert (folder / "victim" / "keep.txt").read_text() == "keep"
    for d in ("checkpoints", "data"):
        assert not (REPO / d / "PWNED.txt").exists()
    after = {p: p.read_bytes() for p in graded["before"]}
    assert after == graded["before"]
    assert sleepers() == []
    assert "MemoryError: the memory limit held" in graded["by_name"]["forged.ipynb"]["errors"]


def test_a_kernel_that_cannot_be_interrupted_is_restarted_and_the_cells_before_run_again(tmp_path, monkeypatch):
    monkeypatch.setattr(box, "INTERRUPT_GRACE", 3)
    cells = [(0, "x = 1"), (1, "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
                                 "    time.sleep(0.2)"), (2, "y = x + 1")]
    run = grade._Run(cells, tmp_path / "work", 2 << 30, cell_timeout=3)
    try:
        run.start()
        assert run.run_cells(120) == "finished"
        assert run.restarts == 1 and run.stalled == {1}
        assert "could not be interrupted; the kernel was restarted" in run.errors[0]
        assert run.box.run("assert y == 2", 10).status == "ok"  # cell 0 ran again in the new kernel
    finally:
        run.box.stop()


def test_without_bubblewrap_the_grader_says_it_is_not_isolated(monkeypatch):
    monkeypatch.setattr(box, "_bwrap_problem", lambda: "bubblewrap is not installed")
    assert box.isolation().startswith("NOT isolated: bubblewrap is not installed")


def test_grade_help_says_what_is_protected(capsys):
    with pytest.raises(SystemExit):
        course_main(["grade", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "read-only" in text and "no network" in text and "NOT isolated" in text and "does not protect" in text
    # exactly what holds: sockets, memory as it is limited here, root, nbgrader's route
    assert "Unix sockets outside" in text and "where a memory cgroup can be made, else per process" in text
    assert "Grading as root" in text and "nbgrader's route" in text and "unboxed" in text


def test_bad_usage_is_a_clear_error(tmp_path, capsys):
    assert course_main(["grade", str(tmp_path / "missing.ipynb")]) == 2
    assert "no notebook or folder" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("hi")
    assert course_main(["grade", str(tmp_path / "notes.txt")]) == 2
    assert course_main(["grade", str(tmp_path)]) == 2  # a folder without notebooks
    assert "no .ipynb files" in capsys.readouterr().err
    write_notebook(tmp_path, "x.ipynb", "1")
    assert course_main(["grade", str(tmp_path), "--jobs", "0"]) == 2


def test_format_grade_wraps_long_messages():
    g = grade.Grade("x.ipynb", "finished", 3.0, {"detect_text": {"passed": False, "message": "word " * 60}})
    text = grade.format_grade(g, width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "x.ipynb: 0 of 3 checks passed, ran 3 s, finished" in text


def test_the_csv_is_written_whole_or_not_at_all(tmp_path):
    out = grade.write_csv([grade.Grade("a.ipynb", "finished", 1.0), grade.Grade("b.ipynb", "could not be read", 0)],
                          tmp_path / "g.csv")
    assert [r["notebook"] for r in read_csv(out)] == ["a.ipynb", "b.ipynb"]
    assert not (tmp_path / "g.csv.tmp").exists()


def test_a_notebook_the_grader_cannot_grade_is_one_row_not_a_crash(tmp_path, monkeypatch):
    class Exam:
        seed = 3
        parts = {"detect_text": None}

    write_notebook(tmp_path, "a.ipynb", "1")
    monkeypatch.setattr(grade._Run, "start", lambda self: (_ for _ in ()).throw(RuntimeError("no kernel")))
    g = grade.grade_notebook(tmp_path / "a.ipynb", Exam())
    assert g.status == "could not be graded (RuntimeError: no kernel)" and g.seed == 3
    assert os.listdir(tmp_path) == ["a.ipynb"]



# ----------------------------------------------------------------------------- what the box holds against (issue 29)

@pytest.mark.parametrize("name", sorted(bypasses()))
def test_no_way_around_the_reference_scores(graded, name):
    """The box's package has no reference implementations: no trick in the kernel brings them back."""
    row = graded["by_name"][f"bypass_{name}.ipynb"]
    assert row["passed"] == "0", {k: v for k, v in row.items() if k.endswith("_message")}
    if name != "solution_from_disk":  # that one finds no solution notebook: its functions are never defined
        assert checks.STANDIN_MESSAGE in row["detect_text_message"], row["detect_text_message"]
    else:
        assert "No such file" in row["errors"] or "FileNotFoundError" in row["errors"], row["errors"]


@pytest.mark.skipif(not BOXED, reason=NO_BOX)
def test_the_box_reaches_no_socket_and_sees_only_what_the_kernel_needs(graded):
    row = graded["by_name"]["peeks.ipynb"]
    assert graded["accepted"] == []
    assert "socket FileNotFoundError" in row["errors"], row["errors"]
    visible = re.search(r"visible (\[.*?\])", row["errors"]).group(1)
    needed = {str(Path.home() / part) for p in (sys.base_prefix, sys.prefix, os.path.realpath(sys.prefix))
              if Path(p).is_relative_to(Path.home()) for part in [Path(p).relative_to(Path.home()).parts[0]]}
    assert set(eval(visible)) <= needed, visible  # only the way to the Python and the venv, if they are there


def test_learner_text_cannot_draw_on_the_terminal_or_add_rows(graded):
    row = graded["by_name"]["escapes.ipynb"]
    assert row["detect_text"] == "FAIL" and "\\x1b[2J" in row["errors"] and "\\x1b[2J" in row["detect_text_message"]
    assert row["recognize_img"] == "pass" and row["passed"] == "1"  # its recognize_img is right: it still scores
    for text in (graded["stdout"], graded["csv_text"]):
        assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    starts = [line for line in graded["stdout"].splitlines() if line.startswith("right.ipynb: 3 of 3")]
    assert len(starts) == 1  # the real row only: the learner's text drew none
    assert [r["notebook"] for r in read_csv_text(graded["csv_text"])] == [r["notebook"] for r in graded["rows"]]


def test_a_huge_error_message_is_reported_as_such_not_waited_out(graded):
    row = graded["by_name"]["huge_error.ipynb"]
    assert "larger than the 4 MB the grader reads" in row["errors"], row["errors"]
    assert "could not be interrupted" not in row["errors"] and "restarted" not in row["errors"]
    assert row["detect_text"] == "pass" and row["recognize_img"] == "pass"


def test_the_csv_never_replaces_an_input_or_a_file_the_grader_did_not_make(tmp_path, capsys):
    folder = tmp_path / "sub"
    folder.mkdir()
    write_notebook(folder, "a.ipynb", "1")
    before = (folder / "a.ipynb").read_bytes()
    assert course_main(["grade", str(folder), "--csv", str(folder / "a.ipynb")]) == 2
    assert (folder / "a.ipynb").read_bytes() == before and "never replaces an input" in capsys.readouterr().err
    (folder / "grades.csv").write_text("my own notes\n")
    assert course_main(["grade", str(folder)]) == 2  # the default FOLDER/grades.csv is someone else's file
    assert (folder / "grades.csv").read_text() == "my own notes\n"
    assert "was not written by the grader" in capsys.readouterr().err
    grade.write_csv([grade.Grade("a.ipynb", "finished", 1.0)], tmp_path / "earlier.csv")
    grade.check_csv_target(tmp_path / "earlier.csv", [folder / "a.ipynb"])  # an earlier grades CSV: replaced
    grade.write_by_learner_csv([grade.Grade("a.ipynb", "finished", 1.0)], tmp_path / "earlier_by_learner.csv")
    grade.check_csv_target(tmp_path / "earlier_by_learner.csv", [folder / "a.ipynb"])  # and its summary
    (folder / "mine_by_learner.csv").write_text("my own notes\n")  # the summary's path is checked before grading
    assert course_main(["grade", str(folder), "--csv", str(folder / "mine.csv"), "--by-learner"]) == 2
    assert (folder / "mine_by_learner.csv").read_text() == "my own notes\n" and not (folder / "mine.csv").exists()


@pytest.mark.skipif(not BOXED, reason=NO_BOX)
def test_memory_is_limited_for_the_notebook_as_a_whole(tmp_path):
    cells = [(0, "f = open('/tmp/fill', 'wb')\nfor _ in range(1536):\n    f.write(b'x' * (1 << 20))"),
             (1, "import os\nos.remove('/tmp/fill')"),
             (2, "import mmap\nshared = mmap.mmap(-1, 1536 << 20)\nfor _ in range(1536):\n    shared.write(b'x' * (1 << 20))")]
    run = grade._Run(cells, tmp_path / "work", 1 << 30, cell_timeout=60)
    try:
        run.start()
        run.run_cells(600)
    finally:
        run.box.stop()
    assert "No space left on device" in run.errors[0], run.errors  # /tmp holds no more than the limit
    if not box.MemoryCgroup.available():
        pytest.skip("no memory cgroup can be made here: only each process, /tmp and /dev/shm are limited")
    assert "went over its memory limit" in run.errors[1], run.errors  # a shared mapping counts too


@pytest.mark.skipif(not BOXED, reason=NO_BOX)
def test_a_course_and_venv_under_tmp_can_be_graded(tmp_path):
    course = Path(tempfile.mkdtemp(prefix="ocr_lab_course_", dir="/tmp"))
    try:
        shutil.copytree(REPO / "ocr_lab", course / "ocr_lab", ignore=shutil.ignore_patterns("__pycache__"))
        (course / "checkpoints").symlink_to(REPO / "checkpoints")
        (course / ".venv").symlink_to(Path(sys.prefix).resolve())
        script = """
import tempfile
from pathlib import Path
from ocr_lab.course.box import Box
from ocr_lab.course.stripped import strip_package
b = Box(Path(tempfile.mkdtemp()), 2 << 30, stripped=strip_package(Path(tempfile.mkdtemp())))
b.start()
print(b.run("import ocr_lab; assert ocr_lab.__file__.startswith('/tmp/'), ocr_lab.__file__", 60))
b.stop()
"""
        out = subprocess.run([str(course / ".venv" / "bin" / "python"), "-c", script], cwd=course, capture_output=True,
                             text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(course)})
        assert "Reply(status='ok'" in out.stdout, out.stdout + out.stderr[-2000:]
    finally:
        shutil.rmtree(course, ignore_errors=True)
