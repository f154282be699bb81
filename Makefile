# Accord: `make demo` runs the demo community, `make test` runs the whole suite.
# Both create .venv with Python 3.12+ (python3.13, python3.12, or one installed by pyenv).

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

# The first interpreter that really runs and is 3.12 or newer (pyenv shims may exist but fail).
FIND_PYTHON := for p in $$PYTHON python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3; do \
	  [ -n "$$p" ] || continue; \
	  if "$$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo "$$p"; break; fi; \
	done

.PHONY: demo test lint fmt bench bench-pages clean help

help:
	@echo "make demo   set up and serve the demo community at http://127.0.0.1:8000"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff, mypy and the import-layer contracts"
	@echo "make bench  the ledger and distribution benchmarks (several minutes)"
	@echo "make bench-pages  every page and API list under load, SQLite and PostgreSQL"
	@echo "            (seeds 100,000 members once into data/bench-pages: about 30 min each)"

$(PY):
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then \
	  echo "Accord needs Python 3.12 or newer, and none was found." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.13' or your system's python3.13 package)," >&2; \
	  echo "or point to it: make demo PYTHON=/path/to/python3.13" >&2; exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP) $@

demo: $(STAMP)
	$(VENV)/bin/accord demo

test: $(DEV_STAMP)
	$(VENV)/bin/pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(DEV_STAMP)
	$(PY) benchmarks/ledger.py
	$(PY) benchmarks/distribution.py

bench-pages: $(DEV_STAMP)
	$(PY) benchmarks/pages.py $(BENCH_PAGES_ARGS)

fmt: $(DEV_STAMP)
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

clean:
	rm -rf $(VENV) data
