# Two commands matter: `make run` (set up, build the index if needed, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# axe-core for the accessibility test (tests/test_a11y.py), from npm into the git-ignored node_modules/.
AXE_VERSION := 4.14.1
AXE := node_modules/axe-core/axe.min.js

# Locally `make test` leaves out the tests marked slow (pyproject's addopts); CI sets PRESSE_REQUIRE_SHARED=1
# (.ci/run) and so runs every test.
PYTEST_ALL := $(if $(filter 1,$(PRESSE_REQUIRE_SHARED)),-m "slow or not slow")

.PHONY: run test check typecheck install bench bench-relevance bench-speed bench-build stress clean axe

run: $(VENV)/.installed
	$(BIN)/presse rebuild --if-needed
	$(BIN)/presse serve --host $(HOST) --port $(PORT)

# The accessibility test needs axe-core: installed first wherever npm is there (CI installs npm); elsewhere it skips.
test: $(VENV)/.installed-test $(if $(shell command -v npm),$(AXE))
	$(BIN)/ruff check search web tests benchmarks tools
	$(BIN)/mypy search web
	$(BIN)/python -m pytest $(PYTEST_ALL)

# The quick loop after a change: everything but the slow and the browser tests (those run in `make test`).
check: $(VENV)/.installed-test
	$(BIN)/ruff check search web tests benchmarks tools
	$(BIN)/mypy search web
	$(BIN)/python -m pytest -m "not slow and not browser"

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy search web

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.updates
	$(BIN)/python -m benchmarks.relevance

# XQuAD German, the known-item queries over the shared releases and their cost: writes benchmarks/results/relevance.md.
bench-relevance: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.relevance

# Issue 10's build figures: the full build (wall, CPU, peak memory of all processes, index size) next to the textbook
# Whoosh build, then add and sync on the full corpus: writes benchmarks/results/build.md.
bench-build: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.build

# Issue 9's speed, load and memory figures next to Tantivy, SQLite FTS5 and textbook Whoosh: results/speed.md.
bench-speed: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks.speed_report

# Issue 12's faults and attacks on a temporary corpus, a few minutes: results/stress.md. Not part of `make test`.
stress: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.stress

install: $(VENV)/.installed

axe: $(AXE)

$(AXE):
	npm install --no-save --no-package-lock --no-audit --no-fund axe-core@$(AXE_VERSION)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

clean:
	rm -rf $(VENV) node_modules index/CURRENT index/gen-* index/build-* index/WRITELOCK
