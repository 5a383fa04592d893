"""nbval settings for the course notebooks: `pytest --nbval-lax notebooks` (what `make test-notebooks` runs).

- Kernels start with the environment `python -m ocr_lab.notebooks execute` used for the
  committed outputs: seeded hashing, quiet TensorFlow, Keras 2, and the QUICK setting.
- The generated exercise copies are not run here: their exercise cells raise
  `NotImplementedError` by design. tests/test_grade.py grades them instead.
- stderr is not compared: TensorFlow writes changing start-up logs there that no
  setting silences. Only stdout and rich outputs of `# NBVAL_CHECK_OUTPUT` cells are.
"""
import os

from nbval.plugin import IPyNbCell

from ocr_lab.notebooks import EXERCISE_SUFFIX, NOTEBOOK_ENV, QUICK_ENV

os.environ.update(NOTEBOOK_ENV)
os.environ[QUICK_ENV] = "1"  # the committed outputs are QUICK runs

collect_ignore_glob = ["*" + EXERCISE_SUFFIX]

_compare_outputs = IPyNbCell.compare_outputs


def _without_stderr(outputs):
    return [out for out in outputs if not (out.get("output_type") == "stream" and out.get("name") == "stderr")]


def compare_outputs(self, test, ref, skip_compare=None):
    return _compare_outputs(self, _without_stderr(test), _without_stderr(ref), skip_compare)


IPyNbCell.compare_outputs = compare_outputs
