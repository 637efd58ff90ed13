# make run   — install what is missing, then start the workstation
# make test  — install what is missing, then run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export OMP_THREAD_LIMIT := 1
TEST_ENV := QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1

.PHONY: setup system run test stress bench clean

system:
	@bash installer/bootstrap-debian.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: system $(STAMP)

run: setup
	$(PY) -m app

test: setup
	$(TEST_ENV) $(PY) -m pytest -m "not slow" -q $(PYTEST_ARGS)

stress: setup
	$(TEST_ENV) VANTHU_STRESS=1 $(PY) -m pytest -m slow -q $(PYTEST_ARGS)

bench: setup
	@for b in bench/[!_]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
