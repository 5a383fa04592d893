"""The run-folder lock: one training run per --run-dir, and a dead run's lock taken over with a note."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap

import pytest

from ocr_lab.runlock import LOCK_NAME, RunDirBusy, hold_run_dir


def test_a_second_holder_is_refused_with_the_first_ones_pid_and_host(tmp_path):
    with hold_run_dir(tmp_path / "run"):
        holder = json.loads((tmp_path / "run" / LOCK_NAME).read_text())
        assert holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
        with pytest.raises(RunDirBusy, match=rf"in use by another training run \(process {os.getpid()} on "
                                             rf"{socket.gethostname()}, since .*choose another --run-dir"):
            with hold_run_dir(tmp_path / "run"):
                pytest.fail("two holders")
    assert not (tmp_path / "run").exists()  # made for the run, left empty: removed with the lock


def test_a_lock_left_by_a_killed_run_is_taken_over_with_a_note(tmp_path, capsys):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "state.json").write_text("{}")
    code = textwrap.dedent(f"""
        import os
        from ocr_lab.runlock import hold_run_dir
        with hold_run_dir({str(run_dir)!r}):
            os._exit(9)  # killed: no clean-up runs, the operating system drops the lock
    """)
    subprocess.run([sys.executable, "-c", code], check=False, cwd=os.getcwd(),
                   env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    dead = json.loads((run_dir / LOCK_NAME).read_text())["pid"]
    with hold_run_dir(run_dir):
        assert json.loads((run_dir / LOCK_NAME).read_text())["pid"] == os.getpid()
    err = capsys.readouterr().err
    assert f"process {dead}" in err and "has ended" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in run_dir.iterdir()) == ["state.json"]


def test_a_file_given_as_run_dir_is_refused(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    with pytest.raises(NotADirectoryError, match="notes.txt.*not a folder"):
        with hold_run_dir(notes):
            pass
    assert notes.read_text() == "mine"


def test_a_symlink_loop_given_as_run_dir_is_named_as_one(tmp_path):
    loop = tmp_path / "run"
    loop.symlink_to(loop)
    with pytest.raises(FileNotFoundError, match="run' is a symbolic link that leads nowhere"):
        with hold_run_dir(loop):
            pass
