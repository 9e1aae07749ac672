# mbctracker: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
TSTAMP := $(VENV)/.installed-test-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
MSTAMP := $(VENV)/.installed-mutation-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_DB ?= $(CURDIR)/demo.sqlite3

.PHONY: run test test-fast mutation lint typecheck bench demo screenshots system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

$(MSTAMP): $(TSTAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	touch $@

## run: set up if needed, then open the app on the default local database
run: $(STAMP)
	$(BIN)/mbctracker

## system-deps: Debian tools the tests use to look at output (pdftoppm); best effort
system-deps:
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; \
	  else echo "note: install poppler-utils for the PDF rendering tests"; fi; }

## test: set up if needed, then the whole suite, headless
test: $(TSTAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/vulture
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -n 2 $(PYTEST_ARGS)

## test-fast: the same checks without the tests marked slow (kill loops, stateful runs);
## CI and the last run before a commit use `make test`, which runs them
test-fast: PYTEST_ARGS += -m "not slow"
test-fast: test

## mutation: mutmut on src/mbctracker/domain against tests/domain; prints the survivors
## (minutes; not part of `make test`). `.venv/bin/mutmut browse` shows each one.
mutation: $(MSTAMP)
	rm -rf mutants
	QT_QPA_PLATFORM=offscreen $(BIN)/mutmut run --max-children 2
	@$(BIN)/mutmut results | grep -c ': survived' | sed 's/^/surviving mutants in domain: /'

lint: $(TSTAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

typecheck: $(TSTAMP)
	$(BIN)/mypy

## bench: speed figures (medians and ratios), printed, never asserted
bench: $(TSTAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

## demo: a 200-patient synthetic database at $(DEMO_DB)
demo: $(STAMP)
	$(BIN)/mbctracker demo --db $(DEMO_DB) --patients 200 --seed 1

## screenshots: regenerate docs/*.png from a demo database
screenshots: $(TSTAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.screenshots_procedure

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
