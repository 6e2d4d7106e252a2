# The course's commands. `make book` builds the HTML book; `make test` runs every test.
# Both create (or refresh) the virtual environment .venv/ from requirements.txt first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED_DATA := $(abspath ../shared/data)

# Use the offline FSDD mirror when it sits beside the repository and nothing else was chosen.
ifeq ($(origin COURSE_DATA_DIR), undefined)
ifneq ($(wildcard $(SHARED_DATA)/fsdd/recordings),)
export COURSE_DATA_DIR := $(SHARED_DATA)
endif
endif
# Run notebooks with this environment's kernel, and keep TensorFlow quiet. (No MPLBACKEND here:
# a kernel draws its figures into the page only with its own inline backend.)
export JUPYTER_PREFER_ENV_PATH := 1
export TF_CPP_MIN_LOG_LEVEL := 3
# The course's models are small: one math thread per process is as fast on a quiet machine and
# avoids a many-fold slow-down when other programs share the cores. Override with OMP_NUM_THREADS=N.
OMP_NUM_THREADS ?= 1
export OMP_NUM_THREADS

.PHONY: book test lab clean venv

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W
	@echo "The book is ready: $(abspath _build/html/index.html)"

test: $(STAMP)
	$(BIN)/python -m pytest --cov=course_lib --cov-fail-under=90 --durations=20

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf _build .pytest_cache .ruff_cache .coverage htmlcov
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +
