"""The old name of the exercise checks, kept so the committed notebook 06 (`from ocr_lab import checks`) works.

An alias of `ocr_lab.course.checks`, not a library module (the library never imports the course).
"""
import sys

from ocr_lab.course import checks as _checks

sys.modules[__name__] = _checks  # the same module object: one set of names, whichever spelling imported it
