"""Quiet TensorFlow: its C++ start-up log kept off a learner's screen, in notebooks and on the command line.

Importing TensorFlow (>= 2.19) writes absl's "All log messages before
absl::InitializeLog() ..." and "Could not find cuda drivers" lines straight to
file descriptor 2, whatever TF_CPP_MIN_LOG_LEVEL says: a live Jupyter kernel shows
them under the first cell that imports it, a terminal after the command. Only that
import is silenced: Python errors still raise, and later TensorFlow messages still show.
Used by `ocr_lab.notebooks` (every notebook's first cell) and `ocr_lab.cli` (every verb).
"""
from __future__ import annotations

import os
import sys


def _silenced_stderr_import(loader):
    """Wrap a module loader so that executing the module sends file descriptor 2 to /dev/null."""

    class QuietLoader:
        def __getattr__(self, name):
            return getattr(loader, name)

        def create_module(self, spec):
            return loader.create_module(spec)

        def exec_module(self, module):
            sys.stderr.flush()
            saved = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 2)
                loader.exec_module(module)
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                os.close(devnull)

    return QuietLoader()


class _QuietTensorFlowImport:
    """A `sys.meta_path` finder that imports TensorFlow with its C++ start-up log silenced."""

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once: the real finders do the finding
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _silenced_stderr_import(spec.loader)
        return spec


def quiet_tensorflow_import() -> None:
    """Silence TensorFlow's C++ start-up log for the first `import tensorflow` of this process."""
    if "tensorflow" not in sys.modules and not any(isinstance(f, _QuietTensorFlowImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietTensorFlowImport())
