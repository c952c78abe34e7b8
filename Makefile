# The two commands of the README: `make run` (demo portal on the embedded default) and `make test`
# (the whole suite on real PostgreSQL, Redis and Chromium). Both set up whatever is missing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMPS := .cache/stamps

.PHONY: run test bench setup lint format clean

setup: $(STAMPS)/python $(STAMPS)/frontend

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/python: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/frontend: package.json package-lock.json static/scss/portal.scss
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	@mkdir -p $(STAMPS) && touch $@

run: setup
	$(VENV)/bin/python manage.py runportal

test: setup
	.ci/ensure-system-packages.sh
	.ci/test.sh

# The load test of issue 10: seeds the scale data once (kept), serves it with gunicorn, writes
# docs/benchmarks.md. BENCH_BOARDS, BENCH_SCALE, BENCH_DURATION etc.: see .ci/bench.sh.
bench: setup
	.ci/ensure-system-packages.sh
	.ci/bench.sh

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	.ci/services.sh stop || true
	rm -rf .cache static/build
