"""The old name of the course's notebook helpers and tools, kept so committed notebooks and habits work.

    from ocr_lab.notebooks import QUICK, course_data, rel, show_source   # = ocr_lab.course.learner
    python -m ocr_lab.notebooks execute | exercise | translate | verify | nbgrader   # = ocr_lab.course.notebooks

An alias of `ocr_lab.course`, not a library module (the library never imports the course).
"""
from ocr_lab.course.exercises import *  # noqa: F401,F403
from ocr_lab.course.exercises import BEGIN_SOLUTION, END_SOLUTION, STUB, make_exercise  # noqa: F401
from ocr_lab.course.learner import *  # noqa: F401,F403
from ocr_lab.course.learner import NOTEBOOK_DIR, NOTEBOOK_ENV, QUICK, QUICK_ENV, REPO  # noqa: F401
from ocr_lab.course.nbgrader_source import *  # noqa: F401,F403
from ocr_lab.course.nbgrader_source import BEGIN_HIDDEN, END_HIDDEN, make_nbgrader_source  # noqa: F401
from ocr_lab.course.notebooks import *  # noqa: F401,F403
from ocr_lab.course.notebooks import main, verify  # noqa: F401
from ocr_lab.course.translate import *  # noqa: F401,F403
from ocr_lab.course.translate import EDITIONS, TRANSLATIONS  # noqa: F401

if __name__ == "__main__":
    raise SystemExit(main())
