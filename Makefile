# Two commands for a new user: `make run` and `make test` (and `make viz`, `make lessons`).
# Mesa 3.5 needs Python 3.12 or newer; we look for python3.13, then python3.12,
# and accept a candidate only if it actually runs and is new enough.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
PYTHON_CANDIDATES := $(PYTHON) python3.13 python3.12 python3 \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) \
	$(wildcard /usr/local/bin/python3.1[3-9]) $(wildcard /usr/bin/python3.1[2-9])
FIND_PYTHON := for c in $(PYTHON_CANDIDATES); do \
	  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; \
	done; exit 1

.PHONY: run test test-all lint bench experiments viz lessons screenshots validate mutation clean

# One stamp per set of extras: `make run` installs what running needs ([viz]: the
# model, the app and its offline assets); `make test` adds pytest, Playwright and the
# notebook runner ([test]); `make lessons` adds the notebook runner ([notebooks]) and
# builds the books with Jupyter Book from an environment of its own (.venv-book).
$(VENV)/bin/python:
	@py="$$($(FIND_PYTHON))" || { echo "error: Python 3.12 or newer is required (Mesa 3.5 needs it)." >&2; \
	  echo "       Install python3.12 or python3.13, or run: make PYTHON=/path/to/python3.12" >&2; exit 1; }; \
	echo "using $$py ($$($$py --version))"; \
	"$$py" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-%: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[$*]'
	@touch $@

# Older name of the full install (every extra the tests need), kept for targets that use it.
$(VENV)/.installed: $(VENV)/.installed-test
	@touch $@

run: $(VENV)/.installed-viz
	$(BIN)/sim run scenarios/baseline.toml --out out/baseline

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 -m "not slow"

test-all: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2

lint: $(VENV)/.installed-test
	$(BIN)/ruff check sim tests experiments

bench: $(VENV)/.installed-viz
	$(BIN)/sim bench

experiments: $(VENV)/.installed-viz
	$(BIN)/sim experiments

viz: $(VENV)/.installed-viz
	$(BIN)/sim viz

# Jupyter Book in its own environment: it pins markdown-it-py < 4 and Sphinx 7, which
# must not downgrade the app's packages in .venv (lessons/requirements-book.txt).
BOOK_VENV := .venv-book
$(BOOK_VENV)/.installed: lessons/requirements-book.txt
	@py="$$($(FIND_PYTHON))" || { echo "error: Python 3.12 or newer is required." >&2; exit 1; }; \
	"$$py" -m venv $(BOOK_VENV)
	$(BOOK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BOOK_VENV)/bin/python -m pip install --quiet -r lessons/requirements-book.txt
	@touch $@

# Run the lesson notebooks (every number they quote comes from these runs) and build
# the student and instructor books: out/lessons/{student,instructor}/_build/html.
lessons: $(VENV)/.installed-notebooks $(BOOK_VENV)/.installed
	JUPYTER_BOOK=$(BOOK_VENV)/bin/jupyter-book $(BIN)/sim lessons --out out/lessons

# The app's screenshots (README, lessons) from runs of the current model, taken with
# the system Chromium (apt-get install chromium; no browser is downloaded).
screenshots: $(VENV)/.installed-viz $(VENV)/.installed-browser
	$(BIN)/sim screenshots --out docs/figures

# Score the baseline against the sourced targets; refresh docs/validation.md and its figures.
validate: $(VENV)/.installed-viz
	$(BIN)/sim validate scenarios/baseline.toml --out out/validation --doc docs/validation.md
	mkdir -p docs/figures && cp out/validation/figures/validation_*.png docs/figures/

# Mutation testing of the economic core (docs/testing.md); not part of CI. mutmut skips
# decorated functions, so it runs in a staged copy whose numba decorators are removed:
# the compiled loops are mutated too, and run as Python (NUMBA_DISABLE_JIT=1). The copy
# keeps mutmut's results (build/mutation/mutants), so a stopped run resumes and a rerun
# tests only the mutants of functions that changed; `rm -rf build/mutation` starts afresh.
# CPU time of mutmut and its children: build/mutation/time.log (one block per run).
# Report: build/mutation/report.txt; then tests/mutation_report.py lists every survivor not
# listed as equivalent in tests/mutation_equivalents/ (and fails if there is one).
MUTATION_DIR := build/mutation
MUTMUT := $(abspath $(BIN))/mutmut
mutation: $(VENV)/.installed-test $(VENV)/.installed-mutation
	mkdir -p $(MUTATION_DIR) && rm -rf $(MUTATION_DIR)/sim $(MUTATION_DIR)/tests $(MUTATION_DIR)/scenarios
	cp -r sim tests scenarios pyproject.toml $(MUTATION_DIR)/
	find $(MUTATION_DIR) -name __pycache__ -prune -exec rm -rf {} +
	find $(MUTATION_DIR)/sim -name '*.py' -exec sed -i '/^@numba\.njit(/d' {} +
	cd $(MUTATION_DIR) && NUMBA_DISABLE_JIT=1 /usr/bin/time -v -a -o time.log \
	  nice -n 10 $(MUTMUT) run --max-children 2 > run.log 2>&1; \
	  $(MUTMUT) export-cicd-stats && $(MUTMUT) results --all true > results.txt; \
	  { cat mutants/mutmut-cicd-stats.json; echo; \
	    for m in $$(awk -F: '/: survived/ {print $$1}' results.txt); do $(MUTMUT) show $$m; echo; done; \
	  } > report.txt
	@cat $(MUTATION_DIR)/mutants/mutmut-cicd-stats.json; echo; echo "report: $(MUTATION_DIR)/report.txt"
	$(BIN)/python tests/mutation_report.py $(MUTATION_DIR)

clean:
	rm -rf $(VENV) $(BOOK_VENV) out .pytest_cache build
