"""`python -m ocr_lab <verb>`: the library's verbs and the course's (`grade`), in one command."""
from ocr_lab.course import main

raise SystemExit(main())
