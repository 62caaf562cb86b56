# Backpropagation, Executed: build the book, run the tests, open the notebooks.
# Every target creates .venv from requirements.txt first if it is missing or stale.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going

.PHONY: help install book serve test test-fast lab bench lint clean distclean

help:
	@echo "make book   build the book into _build/html (executes changed chapters)"
	@echo "make serve  serve _build/html on http://127.0.0.1:8000/ (PORT=... to change)"
	@echo "make test   build the book, then run every test (unit, chapters, strictness, browser)"
	@echo "make lab    open chapters/ in JupyterLab, .md chapters as notebooks"
	@echo "make bench  run the benchmarks and print the tables"
	@echo "make clean  remove _build (keeps .venv)"

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
BOOK_INPUTS = $(shell find bplib _ext -name '*.py' ! -name serve.py | sort) _config.yml _toc.yml requirements.txt
INPUTS_HASH = $(shell cat $(BOOK_INPUTS) | sha256sum | cut -c1-16)
BOOK_OK := _build/.book-ok

book: $(STAMP)
	@if [ "$$(cat $(BOOK_OK) 2>/dev/null)" != "$(INPUTS_HASH)" ]; then \
		echo "==> bplib/config changed or last build failed: re-executing every chapter"; \
		rm -rf _build/.jupyter_cache _build/.doctrees _build/jupyter_execute _build/html $(BOOK_OK); \
	fi
	@echo "==> building the book (jupyter-book build $(JB_FLAGS); unchanged chapters come from the cache)"
	@$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "$(INPUTS_HASH)" > $(BOOK_OK)
	@echo "==> book written to _build/html/index.html"

# Read the built book locally: 127.0.0.1 only, text files sent gzip-compressed.
PORT ?= 8000
serve: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) --no-print-directory book
	@$(BIN)/python _ext/serve.py --port $(PORT) --dir _build/html

test: book
	@echo "==> running the test suite"
	@$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP)
	@$(BIN)/python -m pytest -m "not book and not browser"

lab: $(STAMP)
	@echo "==> JupyterLab on chapters/ (MyST .md files open as notebooks via jupytext)"
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp .jupyter/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@$(BIN)/jupyter lab --notebook-dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: $(STAMP)
	@echo "==> benchmarks (torch is optional: pip install torch==2.13.0 into .venv to compare)"
	@$(BIN)/python -m benchmarks

lint: $(STAMP)
	@$(BIN)/ruff check bplib tests benchmarks

clean:
	@echo "==> removing _build"
	@rm -rf _build

distclean: clean
	@rm -rf $(VENV)
