"""nbval settings for the course notebooks: `pytest --nbval-lax notebooks` (what `make test-notebooks` runs).

- Kernels start with the environment `python -m ocr_lab.notebooks execute` used for the
  committed outputs: seeded hashing, quiet TensorFlow, Keras 2, the QUICK setting, English.
- Cells tagged `nbval-check-output` have their outputs compared; `nbval-ignore-output`
  marks the noisy ones (training logs, timings). Tags live in the cell metadata, so the
  code a learner reads carries no test markers.
- The generated exercise copies are not run here: their exercise cells raise
  `NotImplementedError` by design. tests/test_grade.py grades them instead.
- The Korean edition (notebooks/ko/) is not run here either: its code cells are the
  English ones, which run here, and running them twice would double the 20-minute
  budget of `make test`. tests/test_notebooks.py checks instead that its markdown is
  the current translation and its code is the English code (`ocr_lab.notebooks.verify`).
- stderr is not compared: TensorFlow writes changing start-up logs there that no
  setting silences. Only stdout and rich outputs of checked cells are.
"""
import os

from nbval.plugin import IPyNbCell

from ocr_lab.messages import LANG_ENV
from ocr_lab.course.exercises import EXERCISE_SUFFIX
from ocr_lab.course.learner import NOTEBOOK_ENV, QUICK_ENV
from ocr_lab.course.translate import EDITIONS

os.environ.update(NOTEBOOK_ENV)
os.environ[QUICK_ENV] = "1"  # the committed outputs are QUICK runs
os.environ[LANG_ENV] = "en"

collect_ignore_glob = ["*" + EXERCISE_SUFFIX] + [f"{lang}/*" for lang in EDITIONS]

_compare_outputs = IPyNbCell.compare_outputs


def _without_stderr(outputs):
    return [out for out in outputs if not (out.get("output_type") == "stream" and out.get("name") == "stderr")]


def compare_outputs(self, test, ref, skip_compare=None):
    return _compare_outputs(self, _without_stderr(test), _without_stderr(ref), skip_compare)


IPyNbCell.compare_outputs = compare_outputs
