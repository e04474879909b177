# Ortaq — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ORTAQ := $(BIN)/ortaq
PG_URL ?= postgres://postgres@127.0.0.1:5432/ortaq
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev messages compilemessages gettext lint importlint templatelint \
        typecheck migrations-check security bandit pip-audit deploy-check \
        test-sqlite test-postgres e2e chromium bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# gettext's msgfmt compiles the catalogues; Debian ships it in the gettext package.
gettext:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }

compilemessages: install gettext
	cd src/ortaq && ../../$(ORTAQ) compilemessages --verbosity 0

# Re-extract every app's strings into its own catalogue (<app>/locale/{kk,ru}).
messages: install gettext
	@for app in $$(ls -d src/ortaq/*/locale | xargs -n1 dirname); do \
	  (cd $$app && ../../../$(BIN)/python ../../../tools/makemessages.py) || exit 1; \
	done

run: install compilemessages
	DJANGO_SETTINGS_MODULE=ortaq.settings.dev $(ORTAQ) migrate --verbosity 0
	DJANGO_SETTINGS_MODULE=ortaq.settings.dev $(ORTAQ) seed_demo
	@echo ""
	@echo "Ortaq is starting on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	DJANGO_SETTINGS_MODULE=ortaq.settings.dev $(ORTAQ) runserver $(HOST):$(PORT)

LINT_PATHS := src tests tools security $(wildcard e2e bench)

lint: install-dev importlint templatelint
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

# Imports between apps and between funding's stages point one way: the contracts of
# [tool.importlinter] in pyproject.toml (docs/architecture.md, "Dependencies").
importlint: install-dev
	PYTHONPATH=src $(BIN)/lint-imports --no-cache

# Templates are linted, never reformatted ([tool.djlint] in pyproject.toml).
templatelint: install-dev
	$(BIN)/djlint --lint src/ortaq/*/templates

# Static security checks (security issue item 12): our code (bandit, HIGH findings fail; config
# and reviewed findings in [tool.bandit] of pyproject.toml), the installed dependencies
# (pip-audit; exceptions with their reasons in security/pip-audit-exceptions.txt; SKIPPED with a
# notice when the vulnerability service cannot be reached) and Django's deployment checks with
# the production settings and a random 50-character secret.
security: bandit pip-audit deploy-check

bandit: install-dev
	$(BIN)/bandit -q -c pyproject.toml -r src/ortaq --severity-level high

pip-audit: install-dev
	$(BIN)/python security/pip_audit.py

deploy-check: install
	DJANGO_SETTINGS_MODULE=ortaq.settings.prod \
	  SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64)[:50])')" \
	  $(ORTAQ) check --deploy --fail-level WARNING

typecheck: install-dev
	$(BIN)/mypy

migrations-check: install-dev
	DJANGO_SETTINGS_MODULE=ortaq.settings.test $(ORTAQ) makemigrations --check --dry-run

# pytest-xdist: one worker per core (at most 4; TEST_WORKERS=1 runs in one process). Each
# worker has its own test database (PostgreSQL: test_<name>_gw0, _gw1...) and temporary folders;
# `loadgroup`: tests/conftest.py keeps tests/demo/ on one worker, which seeds the demo once.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadgroup

test-sqlite: install-dev compilemessages
	$(BIN)/pytest -q -p no:cacheprovider $(PYTEST_PARALLEL) tests

# PostgreSQL: skipped with a visible notice only when no server answers; CI always has one.
test-postgres: install-dev compilemessages
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider $(PYTEST_PARALLEL) tests; \
	elif [ -n "$$CI" ]; then \
	  echo "PostgreSQL is not reachable at $(PG_URL) and CI must test on it."; exit 1; \
	else \
	  echo ""; echo "*** NOTICE: PostgreSQL not reachable at $(PG_URL): the PostgreSQL run is SKIPPED. ***"; echo ""; \
	fi

# Debian's chromium drives the browser tests; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

e2e: install-dev compilemessages chromium
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pytest -q -p no:cacheprovider e2e

test: lint security typecheck migrations-check compilemessages test-sqlite test-postgres e2e
	@echo "make test: all checks passed."

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
