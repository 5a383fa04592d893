"""Files: write atomically, and delete or replace only what a command can prove it made.

Every verb that writes follows two rules. A file is written under a temporary name
beside its target and renamed into place, so a crash or Ctrl-C never leaves half a
file under the real name. A folder is deleted or replaced only when everything in it
matches what the command itself writes (a training run folder, an LMDB), so a
mistyped path can never take a learner's notes, photos or input data with it.
"""
from __future__ import annotations

import fnmatch
import os
import shutil
import secrets
from pathlib import Path
from typing import Callable, Iterable


CACHE_ENV = "OCR_LAB_CACHE"


def cache_dir() -> Path:
    """Where ocr_lab keeps what it builds once per machine (the int8 detector, `detect_onnx.int8_model`).

    `$OCR_LAB_CACHE`, else `$XDG_CACHE_HOME/ocr_lab`, else `~/.cache/ocr_lab`. Everything in it
    may be deleted at any time: it is built again when next needed.
    """
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ocr_lab"


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` to fill a temporary file beside `path`, then rename it to `path`.

    The old file, if any, stays whole until the rename; on any error (Ctrl-C included)
    the temporary file is removed and the old file is left as it was.
    """
    path = Path(path)
    # A fresh name, created by `write` itself, so the file gets the usual mode (0666 minus the umask).
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError) and isinstance(err.filename, (str, os.PathLike)) and os.fspath(err.filename) == str(tmp):
            err.filename = str(path)  # name the file the person asked for, not the temporary one
        raise
    return path


def check_writable(path: str | os.PathLike, flag: str) -> None:
    """Refuse, before any work, a file destination that `atomic_write` could not write, naming the person's path.

    The temporary file goes beside `path`, so its folder (or the nearest part of it that
    exists, which `mkdir` will extend) must be a folder this process may write in.
    """
    from ocr_lab.messages import message

    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{flag} {str(path)!r} is a folder; give a file name such as {str(path / 'out.png')!r}")
    if path.is_symlink() and not path.exists():
        raise FileNotFoundError(message("error.symlink_loop", path=str(path)))
    parent = next(p for p in (path.parent, *path.parent.parents) if p.exists() or p.is_symlink())
    if not parent.is_dir():
        raise FileExistsError(message("error.under_a_file", flag=flag, path=str(path), parent=str(parent)))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PermissionError(message("error.not_writable", flag=flag, path=str(path), folder=str(parent)))


def atomic_copy(source: str | os.PathLike, target: str | os.PathLike) -> Path:
    """Copy `source` to `target` atomically: `target` is either the old file or the whole new one."""
    def copy(tmp: Path) -> None:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())  # on disk before the rename makes it the real file

    return atomic_write(target, copy)


def unexpected_entries(folder: str | os.PathLike, patterns: Iterable[str]) -> list[str]:
    """Paths under `folder` (relative, with '/') that match none of `patterns` (fnmatch, `*` spans '/').

    An empty list means the folder holds only what the patterns describe, so a command
    that writes exactly those names may delete it. Symbolic links are judged by their own
    name and never followed (`shutil.rmtree` removes a link, not what it points to).
    """
    folder, patterns = Path(folder), list(patterns)

    def expected(rel: str) -> bool:
        return any(fnmatch.fnmatchcase(rel, pattern) for pattern in patterns)

    found = []
    for root, dirs, files in os.walk(folder):
        base = Path(root).relative_to(folder)
        found += [(base / d).as_posix() + "/" for d in dirs if not expected((base / d).as_posix())]
        found += [(base / f).as_posix() for f in files if not expected((base / f).as_posix())]
        dirs[:] = [d for d in dirs if expected((base / d).as_posix())]  # an unexpected folder is named once
    return sorted(found)


def describe(entries: list[str], limit: int = 3) -> str:
    """'a.txt, b/, c.png and 4 more' for a message."""
    shown = ", ".join(entries[:limit])
    return shown + (f" and {len(entries) - limit} more" if len(entries) > limit else "")


def is_inside(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """True when `path` is `folder` or lies somewhere under it (symbolic links resolved)."""
    path, folder = resolved(path), resolved(folder)
    return path == folder or folder in path.parents


def resolved(path: str | os.PathLike) -> Path:
    """`path` with its symbolic links resolved, or only made absolute where they loop (Python 3.11 raises then)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))
