PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
# the suite in parallel, two workers per CPU (tests marked xdist_group share a worker): many
# tests wait on a Pilot's frames, a pty or a server, so one per core leaves the cores idle
# (measured on 2 cores: 4:27 with 4 workers against 5:37 with 2, the same 1,842 tests)
WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")
PYTEST := $(BIN)/python -W error::RuntimeWarning -m pytest -q -n $(WORKERS) --dist loadgroup
SCREENSHOTS ?= screenshots

.PHONY: run test test-fast bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q relutui
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m compileall -q relutui
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/relutui

test: $(STAMP_TEST)
	$(PYTEST)

test-fast: $(STAMP_TEST)
	$(PYTEST) -m "not slow"

bench: $(STAMP_TEST)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]" && $(BIN)/python benchmarks/run_all.py

screenshots: $(STAMP_RUN)
	$(BIN)/python -m relutui.demos.make_screenshots $(SCREENSHOTS)

clean:
	rm -rf $(VENV) build *.egg-info
