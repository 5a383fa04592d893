"""The run-folder lock: one training run at a time in a `--run-dir`.

Taught with training in notebook 04. Two runs sharing a folder would each overwrite the
other's state, history and best checkpoint (and `--restart` beside a live run would delete
its files), so `ocr_lab.train.train` holds this lock while it runs. It is an `fcntl.flock`
on `run_dir/.lock`: the operating system releases it when its process ends, however it
ends, so a lock left by a killed run never blocks the next one. The file records the
holder's pid and host, for the message that refuses a second run, and is removed when
the run ends normally; one still there with a holder recorded was left by a run that
died, and is taken over with a note.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import inspect
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Iterator

from ocr_lab.messages import message

LOCK_NAME = ".lock"


class RunDirBusy(OSError):
    """Another live process holds the run folder's lock."""


def holds_run_dir(function):
    """Decorate a function with a `run_dir` argument so that it runs holding that folder's lock."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def locked(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        with hold_run_dir(bound.arguments["run_dir"]):
            return function(*args, **kwargs)

    return locked


@contextlib.contextmanager
def hold_run_dir(run_dir: str | os.PathLike) -> Iterator[Path]:
    """Create `run_dir` if needed and hold its lock until the block ends; refuse when another run holds it."""
    run_dir = Path(run_dir)
    if run_dir.is_symlink() and not run_dir.exists():
        raise FileNotFoundError(message("error.symlink_loop", path=str(run_dir)))
    if run_dir.exists() and not run_dir.is_dir():
        raise NotADirectoryError(message("run.not_a_folder", run_dir=str(run_dir)))
    created = not run_dir.exists()
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / LOCK_NAME
    fd = _acquire(path, run_dir)
    try:
        left = _read_holder(fd)
        if left:  # a run that ended normally removes the file: this one's holder died
            print(message("run.lock_taken_over", run_dir=str(run_dir), pid=left.get("pid", "?"),
                          host=left.get("host", "?")), file=sys.stderr)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "since": time.strftime("%Y-%m-%d %H:%M:%S")}).encode(), 0)
        yield run_dir
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # first, so a process waiting on this file's lock sees it gone (see _acquire)
        os.close(fd)  # releases the lock
        if created:  # a run refused before it wrote anything leaves no empty folder behind
            with contextlib.suppress(OSError):
                run_dir.rmdir()


def _acquire(path: Path, run_dir: Path) -> int:
    """An open descriptor of `path` holding its exclusive lock, or RunDirBusy naming the holder."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise RunDirBusy(message("run.locked", run_dir=str(run_dir), pid=holder.get("pid", "?"),
                                     host=holder.get("host", "?"), since=holder.get("since", "?"))) from None
        except BaseException:
            os.close(fd)
            raise
        # The holder before us may have removed the file between our open and our lock:
        # then we hold a lock on a file nobody else can find, so start again.
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def _read_holder(fd: int) -> dict:
    try:
        holder = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
    except ValueError:
        return {"pid": "?"}
    return holder if isinstance(holder, dict) else {"pid": "?"}
