# The two commands of the README: `make run` (demo portal on the embedded default) and `make test`
# (the whole suite on real PostgreSQL, Redis and Chromium). Both set up whatever is missing.
SHELL := /bin/bash
# The interpreter: the distribution's own python3.11 where it has one with venv support, else the first on
# PATH. Debian's is optimised and linked statically; a python3.11 built as a shared library without
# optimisations (pyenv's default) spends 10-15% more CPU on every page and document (docs/benchmarks.md).
PYTHON ?= $(shell for p in /usr/bin/python3.11 "$$(command -v python3.11)" "$$(command -v python3)"; do \
  [ -x "$$p" ] && "$$p" -c "import ensurepip, venv" 2>/dev/null && echo "$$p" && break; done)
VENV := .venv
STAMPS := .cache/stamps

.PHONY: run test bench setup lint format clean lock

setup: $(STAMPS)/python $(STAMPS)/frontend

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Installed versions come from the lock only (requirements/README.md): every package pinned with hashes,
# nothing resolved on the day; `pip-sync`-like: a package the lock drops is not left behind by accident.
$(STAMPS)/python: requirements/dev.txt uv.lock | $(VENV)/bin/python
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

# Take newer versions within pyproject.toml's ranges: `uv lock --upgrade` rewrites uv.lock, the one lock;
# the two pip files are exported from it (with hashes); .venv is rebuilt from them and the whole suite runs.
# Commit uv.lock and requirements/ when it passes.
UV_EXPORT = $(VENV)/bin/uv export --frozen --no-dev --no-emit-project --format requirements-txt --no-header --quiet
lock: setup
	$(VENV)/bin/uv lock --upgrade --python 3.11
	$(UV_EXPORT) --extra dev -o requirements/dev.txt
	$(UV_EXPORT) -o requirements/main.txt
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
