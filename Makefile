# Backpropagation, Executed: build the book, run the tests, open the notebooks.
# Every target creates .venv from requirements.txt first if it is missing or stale.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The one place the book's build flags live: `make book` uses them, and the strict-build
# test (tests/test_strict_build.py) reads them from this line.
JB_FLAGS := -W -n --keep-going

.PHONY: help install book translations serve test test-fast lab bench lint clean distclean pdf bundle

help:
	@echo "make install    create .venv from requirements.txt and install bplib (editable)"
	@echo "make book       build the book into _build/html and its Korean edition into _build/html/ko"
	@echo "make translations  after changing English text: update the Korean catalogs in locales/"
	@echo "make test       build the book, lint, then run every test (unit, chapters, strictness, browser)"
	@echo "make test-fast  lint, then the unit tests only (no book build, no browser)"
	@echo "make lint       ruff over bplib, tests, benchmarks and _ext"
	@echo "make serve      serve _build/html on http://127.0.0.1:8000/ (PORT=... to change), gzip-compressed"
	@echo "make lab        open chapters/ in JupyterLab, .md chapters as notebooks"
	@echo "make pdf        the whole book as one PDF (Chromium): _build/html/downloads/backprop-executed.pdf, Korean in _build/html/ko/downloads/"
	@echo "make bundle     notebooks + bplib wheel + pins: _build/html/downloads/backprop-executed-notebooks.zip"
	@echo "make bench      run the benchmarks and print the tables (BENCH_FLAGS=--cpu: CPU time, one thread)"
	@echo "make clean      remove _build (keeps .venv)"
	@echo "make distclean  remove _build and .venv"

$(STAMP): requirements.txt pyproject.toml
	@echo "==> Python environment: $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "==> installing requirements.txt (pinned) and bplib (editable)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# Chapters are re-executed when their own text changes (jupyter-cache), but they also
# depend on bplib and the configuration: when those change, or when the last build did
# not succeed, the execution cache and doctrees are dropped so nothing stale survives.
# (_ext/serve.py only serves the built pages: not an input of the build)
BOOK_INPUTS = $(shell find bplib _ext -name '*.py' ! -name serve.py | sort) _config.yml _toc.yml requirements.txt \
	$(wildcard locales/*/LC_MESSAGES/bplib.po locales/*/LC_MESSAGES/sphinx.po locales/*/LC_MESSAGES/booktheme.po)
INPUTS_HASH = $(shell cat $(BOOK_INPUTS) | sha256sum | cut -c1-16)
BOOK_OK := _build/.book-ok

# The book in English (_build/html) and its Korean edition from the same sources
# (_build/html/ko), side by side (each executes its chapters in one kernel at a time): the
# Korean one only once its catalogs are complete and current, and with BPLIB_LANG=ko, so
# that what code writes is Korean too.
book: $(STAMP)
	@if [ "$$(cat $(BOOK_OK) 2>/dev/null)" != "$(INPUTS_HASH)" ]; then \
		echo "==> bplib/config changed or last build failed: re-executing every chapter"; \
		rm -rf _build/.jupyter_cache _build/.jupyter_cache_ko _build/.doctrees _build/jupyter_execute \
			_build/html _build/i18n $(BOOK_OK); \
	fi
	@echo "==> building the book (jupyter-book build $(JB_FLAGS); unchanged chapters come from the cache)"
	@echo "    and beside it the Korean edition: are its catalogs complete and current? then its"
	@echo "    build (BPLIB_LANG=ko); its log: _build/korean-build.log"
	@mkdir -p _build; \
	( $(BIN)/python _ext/translations.py pots && $(BIN)/python _ext/translations.py check && \
	  BPLIB_LANG=ko $(BIN)/jupyter-book build . --config "$$($(BIN)/python _ext/translations.py config ko)" \
		--toc "$$($(BIN)/python _ext/translations.py toc ko)" --path-output _build/i18n/ko $(JB_FLAGS) \
	) > _build/korean-build.log 2>&1 & ko=$$!; \
	$(BIN)/jupyter-book build . $(JB_FLAGS); en=$$?; \
	wait $$ko; kr=$$?; \
	if [ $$kr -ne 0 ]; then echo "==> the Korean edition FAILED:"; cat _build/korean-build.log; \
	else grep -h "translation catalogs" _build/korean-build.log; \
		echo "==> the Korean edition built (_build/korean-build.log)"; fi; \
	test $$en -eq 0 && test $$kr -eq 0
	@rm -rf _build/html/ko && cp -r _build/i18n/ko/_build/html _build/html/ko
	@echo "$(INPUTS_HASH)" > $(BOOK_OK)
	@echo "==> book written to _build/html/index.html (Korean: _build/html/ko/index.html)"

# After changing any English text: new and changed texts reach locales/<lang>/*.po
# (changed ones marked fuzzy) for translation; make book refuses to build until they are.
translations: $(STAMP)
	@$(BIN)/python _ext/translations.py update

# Read the built book locally: 127.0.0.1 only, text files sent gzip-compressed.
PORT ?= 8000
serve: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) --no-print-directory book
	@$(BIN)/python _ext/serve.py --port $(PORT) --dir _build/html

# The chapter tests read the notebooks this build executed (_build/jupyter_execute):
# each chapter runs once.
test: book lint
	@echo "==> running the test suite"
	@$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: lint
	@$(BIN)/python -m pytest -m "not book and not browser"

lab: $(STAMP)
	@echo "==> JupyterLab on chapters/ (MyST .md files open as notebooks via jupytext)"
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp .jupyter/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@$(BIN)/jupyter lab --notebook-dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root,)

# The whole book as one PDF, printed from the HTML build by Debian's Chromium (no LaTeX);
# the intro links it. Needs /usr/bin/chromium and a CJK font (fonts-noto-cjk).
pdf: book
	@echo "==> printing the whole book to one PDF (headless Chromium), in English and in Korean"
	@$(BIN)/python _ext/book_pdf.py
	@$(BIN)/python _ext/book_pdf.py --html _build/html/ko

# The notebook bundle is written by every book build (_ext/book_downloads.py); the intro links it.
bundle: book
	@ls -l _build/html/downloads/backprop-executed-notebooks.zip

# BENCH_FLAGS=--cpu: CPU time on one thread, steadier on a shared machine (see benchmarks/__main__.py)
bench: $(STAMP)
	@echo "==> benchmarks (torch is optional: pip install torch==2.13.0 into .venv to compare)"
	@$(BIN)/python -m benchmarks $(BENCH_FLAGS)

lint: $(STAMP)
	@echo "==> ruff"
	@$(BIN)/ruff check bplib tests benchmarks _ext

clean:
	@echo "==> removing _build"
	@rm -rf _build

distclean: clean
	@rm -rf $(VENV)
