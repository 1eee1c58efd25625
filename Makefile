# The two commands of the README: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false

.PHONY: run test setup setup-test chromium lint bench clean

# The machine's pip 23.x mis-resolves trafilatura's lxml[html-clean] extra: upgrade pip first.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e '.[test]'
	@touch $(VENV)/.installed $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

## make chromium: Debian's chromium for the digest's browser test (installed once; CI runs as root)
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## make run: ingest seeds/ (and enabled feeds) into data/mediawatch.duckdb, then write the digest
run: setup
	$(BIN)/mediawatch ingest
	$(BIN)/mediawatch digest --latest

## make test: import every dependency, then run the whole test suite on every core
## One worker more than cores: many tests wait on servers, schedules and subprocesses, and
## a waiting worker leaves its core to the others. A test file is one unit of work (its
## module fixtures run once; tests/conftest.py's SAME_WORKER adds groups), slow files first.
## TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
# Bytecode is written here even where PYTHONDONTWRITEBYTECODE is set (it is on the shared
# machine): otherwise each of the ~100 Python processes of a run (workers, `mediawatch`
# commands, extraction processes) compiles our modules and pytest rewrites the tests again.
test: export PYTHONDONTWRITEBYTECODE =
test: setup-test chromium
	$(BIN)/python -m tests.check_imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

bench: setup-test
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/tagging.py
	$(BIN)/python benchmarks/warehouse.py

clean:
	rm -rf $(VENV) data exports
