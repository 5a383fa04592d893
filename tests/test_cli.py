"""The command line: every verb's errors reach a person as one line that names the path."""
from __future__ import annotations

import lmdb
import pytest

from ocr_lab import data
from ocr_lab.cli import main


@pytest.mark.parametrize("error, expected", [
    (PermissionError(13, "Permission denied", "/srv/out/a.png"),
     "error: permission denied: '/srv/out/a.png'; choose a path you may read and write, or change its permissions"),
    (IsADirectoryError(21, "Is a directory", "/srv/out"), "error: is a directory: '/srv/out'"),
    (OSError(28, "No space left on device", "/srv/out/.lmdb.partial-1"),
     "error: no space left on device: '/srv/out/.lmdb.partial-1'"),
    (lmdb.InvalidError("/srv/x: MDB_INVALID: File is not an LMDB file"),
     "error: cannot read the LMDB: /srv/x: MDB_INVALID: File is not an LMDB file (is it a complete clovaai-layout LMDB folder?)"),
    (ValueError("a message\nthat a library\n  spread over lines"), "error: a message that a library spread over lines"),
], ids=["PermissionError", "IsADirectoryError", "disk full", "lmdb.InvalidError", "multi-line ValueError"])
def test_errors_of_the_system_and_of_libraries_become_one_line(monkeypatch, capsys, error, expected):
    def verb(args):
        raise error

    monkeypatch.setattr(data, "_run_make_lmdb", verb)  # any verb: the translation is in one place
    assert main(["make-lmdb", "in", "gt.txt", "out"]) == 2
    assert capsys.readouterr().err == expected + "\n"


def test_a_programming_error_still_shows_its_traceback(monkeypatch):
    monkeypatch.setattr(data, "_run_make_lmdb", lambda args: {}["missing"])
    with pytest.raises(KeyError):
        main(["make-lmdb", "in", "gt.txt", "out"])
