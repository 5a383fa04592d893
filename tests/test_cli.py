"""The command line: every verb's errors reach a person as one line that names the path."""
from __future__ import annotations

import io
import os

import lmdb
import pytest
from PIL import Image

from ocr_lab import data
from ocr_lab.cli import VERBS, main


@pytest.mark.parametrize("error, expected", [
    (PermissionError(13, "Permission denied", "/srv/out/a.png"),
     "error: permission denied: '/srv/out/a.png'; choose a path you may read and write, or change its permissions"),
    (IsADirectoryError(21, "Is a directory", "/srv/out"), "error: is a directory: '/srv/out'"),
    (OSError(28, "No space left on device", "/srv/out/train"),
     "error: no space left on the disk while writing '/srv/out/train'; free some space or choose another folder, "
     "then run the command again"),
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


# ----------------------------------------------------------------------------- one line, not a traceback (issue 31)

def onnxruntime_error():
    from onnxruntime.capi.onnxruntime_pybind11_state import RuntimeException

    return RuntimeException("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Failed to allocate memory for requested "
                            "buffer of size 7516192768\n at bfc_arena.cc:376")


def tensorflow_error():
    from tensorflow.errors import InvalidArgumentError

    return InvalidArgumentError(None, None, "{{function_node __wrapped__CTCBeamSearchDecoder}} beam_width must be > 0")


@pytest.mark.parametrize("error, expected", [
    (lambda: RuntimeError("Symlink loop from '/srv/loop'"), "error: Symlink loop from '/srv/loop'"),
    (lambda: OSError(40, "Too many levels of symbolic links", "/srv/loop"),
     "error: '/srv/loop' is a symbolic link that leads nowhere (a loop, or a missing target); give a real file or folder"),
    (onnxruntime_error, "error: ONNX Runtime failed: [ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Failed to allocate "
                        "memory for requested buffer of size 7516192768 at bfc_arena.cc:376"),
    (tensorflow_error, "error: TensorFlow failed: {{function_node __wrapped__CTCBeamSearchDecoder}} beam_width must be > 0"),
], ids=["RuntimeError", "ELOOP", "ONNX Runtime", "TensorFlow"])
def test_more_errors_of_the_system_and_of_libraries_become_one_line(monkeypatch, capsys, error, expected):
    raised = error()

    def verb(args):
        raise raised

    monkeypatch.setattr(data, "_run_make_lmdb", verb)
    assert main(["make-lmdb", "in", "gt.txt", "out"]) == 2
    assert capsys.readouterr().err == expected + "\n"


def test_ctrl_c_exits_130_with_one_line_in_the_learners_language(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(data, "_run_make_lmdb", interrupted)
    assert main(["make-lmdb", "in", "gt.txt", "out"]) == 130
    assert capsys.readouterr().err == ("interrupted: 'out' is as it was before (the unfinished LMDB was removed); "
                                       "run the command again\n")
    monkeypatch.setenv("OCR_LAB_LANG", "ko")
    assert main(["make-lmdb", "in", "gt.txt", "out"]) == 130
    assert capsys.readouterr().err.startswith("중단됨: 'out'는 실행 전 그대로입니다")

# ----------------------------------------------------------------------------- a quiet command line

def _run_quietly(kit, code: str):
    """`code` in a fresh Python, with TF_CPP_MIN_LOG_LEVEL unset: ocr_lab must keep it quiet on its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_USE_LEGACY_KERAS")}
    return kit.fresh_python(code, env=env)


@pytest.mark.parametrize("verb", [None, *VERBS])
def test_help_never_imports_tensorflow_and_prints_nothing_else(verb, kit):
    argv = [verb, "--help"] if verb else ["--help"]
    done = _run_quietly(kit, "from ocr_lab.cli import main\n"
                             f"try:\n    main({argv!r})\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "usage: python -m ocr_lab" in done.stdout
    assert not {"tensorflow", "tf_keras", "keras"} & set(done.heavy), done.heavy


def test_help_leaves_the_verbs_module_whole_for_a_later_import():
    """`--help` imports the verb's module with tf-keras refused; a later import must get the real module."""
    with pytest.raises(SystemExit):
        main(["info", "--help"])
    from ocr_lab import data as again
    from tf_keras.utils import Sequence

    assert issubclass(again.MJDatasetSequence, Sequence)


def test_a_verb_that_imports_tensorflow_does_not_show_its_start_up_log(tmp_path, kit):
    image = io.BytesIO()
    Image.new("RGB", (40, 16), "white").save(image, format="PNG")
    data.write_lmdb(tmp_path / "tiny", [(image.getvalue(), "WORD")])
    done = _run_quietly(kit, f"from ocr_lab.cli import main\nmain(['info', {str(tmp_path / 'tiny')!r}])\n")
    assert done.returncode == 0, done.stderr
    assert "tensorflow" in done.heavy  # the verb's module imported it, so its start-up log was there to hide
    assert done.stderr == ""
