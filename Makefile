# passend: the two commands of the README, and the tools behind them.
# `make run`  – virtual environment, install, migrate SQLite under var/, demo data, serve :8000
# `make test` – install what tests need and run the whole suite on SQLite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: run test bench install install-dev messages migrate demo lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A pip that handles extras in hash-checked locks (see requirements/pip.lock).
$(VENV)/.installed-pip: requirements/pip.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/pip.lock
	touch $@

# Runtime dependencies, hash-checked from the lock file.
$(VENV)/.installed-main: requirements/main.lock pyproject.toml $(VENV)/.installed-pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/main.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# Test and development dependencies on top.
$(VENV)/.installed-dev: requirements/dev.lock $(VENV)/.installed-main
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	touch $@

install: $(VENV)/.installed-main
install-dev: $(VENV)/.installed-dev

messages: install
	$(BIN)/passend compilemessages --ignore=.venv --ignore=var -v0

migrate: install messages
	mkdir -p var/static
	$(BIN)/passend migrate --no-input -v0

demo: migrate
	$(BIN)/passend demo

run: demo
	@echo "passend serves http://$(HOST):$(PORT) (Ctrl-C stops)"
	PASSEND_REQUIRE_2FA=0 PASSEND_DEBUG=$${PASSEND_DEBUG:-0} $(BIN)/passend runserver $(HOST):$(PORT)

test: install-dev messages
	$(BIN)/pytest $(PYTEST_ARGS)

# Budgets are measured here, not in timed tests: prints the table, writes docs/benchmarks.md,
# fails when a budget is exceeded. BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL
# (a database it may fill and leave behind).
bench: install messages
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check passend tests bench conftest.py
	$(BIN)/ruff format --check passend tests bench conftest.py
	$(BIN)/passend check --fail-level WARNING
	$(BIN)/passend makemigrations --check --dry-run -v0

# Regenerate the lock files after changing pyproject.toml (needs `uv`: pip install uv).
lock:
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements/main.lock -q
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.lock -q

clean:
	rm -rf $(VENV) var .pytest_cache
