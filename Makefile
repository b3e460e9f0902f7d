# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint fuzz system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/govstats build data/raw --out data/processed
	$(BIN)/govstats export data/processed/summary.xlsx data/processed
	@echo "Open the notebooks: $(BIN)/jupyter lab notebooks/"

# Debian packages: LibreOffice (DOC/WPS/RTF conversion, office-format tests) with python3-uno (its
# long-lived build converter, unoserver), CJK fonts, poppler and Chromium (the review page's browser
# test); only those not installed yet.
SYSTEM_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-noto-cjk poppler-utils chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	[ -z "$$missing" ] || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; }

# Style, the pipeline's layers (import-linter) and types: each must pass before the tests run.
lint: $(STAMP)
	$(BIN)/ruff check govstats tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest

# The long seeded fuzz run (tests/fuzz; `make test` runs a bounded one): counts by outcome, exit 1 on a failure.
CASES ?= 10000
SEED ?= 1
fuzz: $(STAMP) system-deps
	cd tests && ../$(BIN)/python -m fuzz --cases $(CASES) --seed $(SEED)

clean:
	rm -rf $(VENV) data/processed/* .pytest_cache
