# ocr-lab: every command a person types. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export TF_USE_LEGACY_KERAS := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: help venv demo data data-heldout test test-unit test-notebooks quick-data notebooks instructor learner clean

help:
	@echo "make demo            the main job: OCR two sample scenes and a real book page (sets everything up first)"
	@echo "make test            all tests: unit tests + every notebook under nbval, two at a time (pytest-xdist)"
	@echo "make data            build the default synthetic data set under data/synth"
	@echo "make data-heldout    build the test set rendered with fonts the training set never uses"
	@echo "make notebooks       re-execute every notebook in place (commit the result)"
	@echo "make instructor      show nbgrader's menu and sidebar in JupyterLab (hidden for learners)"
	@echo "make clean           remove the venv and generated data"

# The venv is rebuilt only when requirements.txt or pyproject.toml change.
$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { echo "error: ocr-lab needs Python 3.11 (found '$(PYTHON)'); run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $@

# nbgrader is an instructor's tool that shares the learners' venv: its JupyterLab menu, "Create
# Assignment" sidebar and server extensions are off unless an instructor turns them on.
NBGRADER_SERVER := formgrader validate_assignment assignment_list course_list
define nbgrader_ui
	$(PY) -m jupyter labextension $(1) --level=sys_prefix @jupyter/nbgrader
	for ext in $(NBGRADER_SERVER); do $(PY) -m jupyter server extension $(1) --sys-prefix nbgrader.server_extensions.$$ext || exit 1; done
endef

$(VENV)/.learner: $(VENV)/.installed
	$(call nbgrader_ui,disable)
	touch $@

venv: $(VENV)/.installed $(VENV)/.learner

instructor: $(VENV)/.installed
	$(call nbgrader_ui,enable)
	rm -f $(VENV)/.learner
	@echo "nbgrader's menu and sidebar are on; restart JupyterLab. 'make learner' turns them off."

learner: $(VENV)/.learner

# Built once; `python -m ocr_lab synth --force` rebuilds it.
data/synth/.complete: | $(VENV)/.installed
	$(PY) -m ocr_lab synth --out data/synth

data/synth_heldout/.complete: | $(VENV)/.installed
	$(PY) -m ocr_lab synth --fonts heldout --out data/synth_heldout

data: data/synth/.complete

data-heldout: data/synth_heldout/.complete

demo: $(VENV)/.installed
	$(PY) -m ocr_lab demo

test: test-unit test-notebooks

test-unit: $(VENV)/.installed quick-data
	$(PY) -m pytest -q -n 2 --dist loadfile --durations=15 tests

test-notebooks: $(VENV)/.installed quick-data
	$(PY) -m pytest -q -n 2 --dist loadfile --durations=10 --nbval-lax notebooks

# The data sets the notebooks and tests build on first use, built once, before two test workers could race to build them.
quick-data: $(VENV)/.installed
	$(PY) -c 'from ocr_lab.course.learner import course_data, first_steps_data, heldout_data; \
		course_data(quick=True); heldout_data(quick=True); first_steps_data()'

notebooks: $(VENV)/.installed
	$(PY) -m ocr_lab.notebooks execute

clean:
	rm -rf $(VENV) data/synth data/synth_heldout data/synth_quick data/synth_quick_heldout build
