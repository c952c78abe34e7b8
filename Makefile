# The two commands of the README: `make run` (demo portal on the embedded default) and `make test`
# (the whole suite on real PostgreSQL, Redis and Chromium). Both set up whatever is missing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMPS := .cache/stamps

.PHONY: run test bench setup lint format clean lock

setup: $(STAMPS)/python $(STAMPS)/frontend

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Installed versions come from the lock only (requirements/README.md): every package pinned with hashes,
# nothing resolved on the day; `pip-sync`-like: a package the lock drops is not left behind by accident.
$(STAMPS)/python: requirements/dev.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --no-deps --require-hashes -r requirements/dev.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/frontend: package.json package-lock.json static/scss/portal.scss
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	@mkdir -p $(STAMPS) && touch $@

PORT ?= 8000

run: setup
	$(VENV)/bin/python manage.py runportal --port $(PORT)

test: setup
	.ci/ensure-system-packages.sh
	.ci/test.sh

# The load test of issue 10: seeds the scale data once (kept), serves it with gunicorn, writes
# docs/benchmarks.md. BENCH_BOARDS, BENCH_SCALE, BENCH_DURATION etc.: see .ci/bench.sh.
bench: setup
	.ci/ensure-system-packages.sh
	.ci/bench.sh

# Take newer versions within pyproject.toml's ranges: recompile both lock files, reinstall .venv from them
# and run the whole suite. Commit requirements/ when it passes.
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --quiet --no-header \
	--python-version 3.11 --python-platform x86_64-manylinux_2_28 --upgrade
lock: setup
	$(UV_COMPILE) --extra dev -o requirements/dev.txt
	$(UV_COMPILE) -c requirements/dev.txt -o requirements/main.txt
	rm -rf $(VENV) $(STAMPS)/python
	$(MAKE) test

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	.ci/services.sh stop || true
	rm -rf .cache static/build
