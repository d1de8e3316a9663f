PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/relutui

test: $(STAMP_TEST)
	$(BIN)/python -W error::RuntimeWarning -m pytest -q

bench: $(STAMP_TEST)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]" && $(BIN)/python benchmarks/run_all.py

screenshots: $(STAMP_RUN)
	$(BIN)/python -m relutui.demos.make_screenshots screenshots

clean:
	rm -rf $(VENV) build *.egg-info
