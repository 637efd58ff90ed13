# make run   — install what is missing, then start the workstation
# make test  — install what is missing, then run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export OMP_THREAD_LIMIT := 1
TEST_ENV := QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1

.PHONY: setup system run test lint stress bench screenshots clean

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

# make lint — ruff (style, bugs), mypy (types: strict for the typed core), import-linter (layers)
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy app hub
	$(VENV)/bin/lint-imports

test: setup lint
	$(TEST_ENV) $(PY) -m pytest -m "not slow" -q $(PYTEST_ARGS)

stress: setup
	$(TEST_ENV) VANTHU_STRESS=1 $(PY) -m pytest -m slow -q $(PYTEST_ARGS)

bench: setup
	@for b in bench/[!_]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# make screenshots [DATA=dir] [SHOT_SIZE=1366x768] [SHOT_SIZES="1366x768 1920x1080"] [SHOT_SCALE=1.5]
#   a PNG of every screen in build/screenshots/<size>/; without DATA, a realistic sample folder
#   (300 incoming + 100 outgoing entries) is made once in build/sample-data
SHOT_VIEWS := incoming outgoing search inbox outbox books settings form-incoming form-outgoing detail number error intake first-run guide
SHOT_SIZE ?= 1366x768
SHOT_SIZES ?= $(SHOT_SIZE)
SHOT_SCALE ?= 1
SHOT_DATA := $(if $(DATA),$(DATA),build/sample-data)
screenshots: setup
	@test -n "$(DATA)" || $(PY) tests/ui/sample_data.py build/sample-data --incoming 300 --outgoing 100
	@for s in $(SHOT_SIZES); do mkdir -p build/screenshots/$$s; \
	  for v in $(SHOT_VIEWS); do PYTHONDONTWRITEBYTECODE=1 $(PY) -m app --screenshot build/screenshots/$$s/$$v.png \
	    --view $$v --size $$s --scale $(SHOT_SCALE) --data-dir $(SHOT_DATA) || exit 1; done; done
	@echo "build/screenshots/{$(SHOT_SIZES)}/: $(SHOT_VIEWS)"

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

# make dist       — one-folder application (PyInstaller) in dist/vanthu/ and, on Linux, dist/vanthu_<version>_<arch>.deb
# make dist-check — make dist, then install the .deb on this machine (root), smoke-test it, uninstall it
.PHONY: dist dist-check
DIST_STAMP := $(VENV)/.installed-dist

$(DIST_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -q -e '.[dev,dist]'
	@touch $(DIST_STAMP)

dist: setup $(DIST_STAMP)
	$(PY) installer/build.py dist

dist-check: dist
	$(PY) installer/build.py check
