# ocr-lab: every command a person types. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export TF_USE_LEGACY_KERAS := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: help venv demo data data-quick test test-unit test-notebooks notebooks clean

help:
	@echo "make demo            the main job: OCR the sample photo (sets everything up first)"
	@echo "make test            all tests: unit tests + every notebook under nbval"
	@echo "make data            build the default synthetic data set under data/synth"
	@echo "make notebooks       re-execute every notebook in place (commit the result)"
	@echo "make clean           remove the venv and generated data"

# The venv is rebuilt only when requirements.txt or pyproject.toml change.
$(VENV)/.installed: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $@

venv: $(VENV)/.installed

data/synth/.complete: | $(VENV)/.installed
	$(PY) -m ocr_lab synth --out data/synth

data: $(VENV)/.installed
	$(PY) -m ocr_lab synth --out data/synth

demo: $(VENV)/.installed
	$(PY) -m ocr_lab demo

test: test-unit test-notebooks

test-unit: $(VENV)/.installed
	$(PY) -m pytest -q tests

test-notebooks: $(VENV)/.installed
	$(PY) -m pytest -q --nbval-lax notebooks

notebooks: $(VENV)/.installed
	$(PY) -m ocr_lab.notebooks execute

clean:
	rm -rf $(VENV) data/synth
