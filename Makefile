# The project's commands by name (README.md, CONTRIBUTING.md). Each is a thin wrapper: the scripts and
# `python -m ...` commands below work as well without make.
PYTHON := .venv/bin/python

.PHONY: help setup run test fast lint format validate bench bench-quick

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup:  ## install everything the tests need into .venv (the project itself editable, Chromium, the map's assets)
	./scripts/setup.sh --dev

run:  ## start the dashboard on http://localhost:8501 (installs on first use): ./scripts/run.sh
	./scripts/run.sh

test:  ## lint and the whole test suite, as CI runs it: ./scripts/test.sh
	./scripts/test.sh

fast:  ## the fast tier, for the edit-test loop (under a minute): no browser, no dashboard run, no server
	$(PYTHON) -m pytest -q -m "not browser and not slow"

lint:  ## ruff (lint and format), mypy and the layers' import contracts, as CI runs them
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy
	.venv/bin/lint-imports

format:  ## rewrite the code in ruff's format (CI checks it)
	$(PYTHON) -m ruff format .

validate:  ## check the data files (events.yaml, geo/data/places.yaml)
	$(PYTHON) -m geo validate

bench:  ## the full benchmark (~20 min, Chromium): prints its table; BENCH_ARGS="--write BENCHMARKS.md" keeps it
	$(PYTHON) -m geo bench $(BENCH_ARGS)

bench-quick:  ## a tiny benchmark run that proves the benchmark works
	$(PYTHON) -m geo bench --quick
