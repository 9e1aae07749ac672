# mbctracker: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEPS_SUM := $(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
STAMP  := $(VENV)/.installed-$(DEPS_SUM)
TSTAMP := $(VENV)/.installed-test-$(DEPS_SUM)
MSTAMP := $(VENV)/.installed-mutation-$(DEPS_SUM)
PSTAMP := $(VENV)/.installed-package-$(DEPS_SUM)
# constraints.txt pins every version CI tested, so a fresh machine installs the same set
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c constraints.txt
DEMO_DB ?= $(CURDIR)/demo.sqlite3

.PHONY: constraints package run test translations test-fast mutation lint typecheck bench demo screenshots system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e .
	touch $@

$(TSTAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e '.[test]'
	touch $@ $(STAMP)

$(MSTAMP): $(TSTAMP)
	$(PIP_INSTALL) -e '.[test,mutation]'
	touch $@

## run: set up if needed, then open the app on the default local database
run: $(STAMP) system-deps
	$(BIN)/mbctracker

## system-deps: Debian/Ubuntu libraries the Qt window needs (ldd on the xcb platform plugin),
## plus the tools the tests use to look at output (pdftoppm) and to drive a real window
## (Xvfb, xdotool), and PostgreSQL for the clinic-server half of the tests (a throw-away cluster
## on a unix socket, started by tests/pg_cluster.py as an unprivileged user; skipped, with the
## reason, where it is missing). Installed when missing and run as root; otherwise the apt
## command is printed.
QT_RUNTIME_DEBS := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 \
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 \
  libfontconfig1 libdbus-1-3 libglib2.0-0
TEST_TOOL_DEBS  := poppler-utils xvfb xdotool desktop-file-utils appstream postgresql
SYSTEM_DEBS     := $(QT_RUNTIME_DEBS) $(TEST_TOOL_DEBS)
system-deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(SYSTEM_DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	  done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "note: some system packages are missing; install them with:"; \
	    echo "  sudo apt-get install$$missing"; \
	  fi; \
	fi

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

$(PSTAMP): $(STAMP)
	$(PIP_INSTALL) -e '.[package]'
	touch $@

## package: the one-folder app in dist/mbctracker (PyInstaller), then the frozen app's
## --version, demo and report are run from it, as a clinic's machine would
package: $(PSTAMP)
	rm -rf dist/mbctracker build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
	  packaging/mbctracker.spec
	sh packaging/check-frozen.sh dist/mbctracker/mbctracker

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
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.screenshots_es

## translations: the Spanish catalogue. lupdate reads every translatable text in the window's
## code (ui/ and app.py) into the .ts (no line numbers, so unrelated edits do not touch it);
## translate what it marks unfinished (Qt Linguist: .venv/bin/pyside6-linguist), then this
## compiles the .qm the app loads. The tests fail while a text is missing or unfinished.
TS_FILES  := src/mbctracker/resources/translations/mbctracker_es.ts
TR_SOURCES = $(shell find src/mbctracker/ui -name '*.py' | sort) src/mbctracker/app.py
translations: $(STAMP)
	$(BIN)/pyside6-lupdate $(TR_SOURCES) -ts $(TS_FILES) -no-obsolete -locations none \
	  -source-language en -target-language es
	for ts in $(TS_FILES); do $(BIN)/pyside6-lrelease -nounfinished $$ts -qm $${ts%.ts}.qm; done

## constraints: re-pin constraints.txt from a fresh venv with the newest allowed versions
constraints:
	rm -rf .venv-pin && $(PYTHON) -m venv .venv-pin
	.venv-pin/bin/python -m pip install --quiet --upgrade pip
	.venv-pin/bin/python -m pip install --quiet -e '.[test]'
	{ sed -n '1,2p' constraints.txt; .venv-pin/bin/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .venv-pin

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
