# The book's commands. `make book` builds and opens the site; `make test` runs every test.
# Both create .venv and fetch the data on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Quiet TensorFlow's C++ start-up messages in every command below.
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

.PHONY: setup data browser book sync execute test bench lint clean help
help:
	@echo "make book     build the HTML book into _build/html (sets everything up first)"
	@echo "make test     run every test: helper, notebooks (nbval), lint, book build"
	@echo "make data     fetch MNIST into data/mnist/ if it is not found"
	@echo "make execute  re-run every notebook in place, storing fresh outputs"
	@echo "make bench    measure speed and accuracy; writes benchmarks/results.json"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@# TensorFlow's C++ start-up log lines go to the terminal, not into notebook outputs.
	mkdir -p $(VENV)/etc/ipython
	echo 'c.IPKernelApp.capture_fd_output = False' > $(VENV)/etc/ipython/ipython_kernel_config.py
	touch $(STAMP)

setup: $(STAMP)

data: setup
	$(PY) -m mnist_book.fetch

book: data
	$(VENV)/bin/jupyter-book build . --keep-going
	@echo "The book is ready: $(CURDIR)/_build/html/index.html"

# Each notebook is paired with a MyST Markdown file (jupytext.toml): the newer of the two wins.
sync: setup
	$(VENV)/bin/jupytext --sync notebooks/[0-9]*.ipynb book/results.ipynb

# The chapters that train the "Draw a digit" page's models export their weights to
# MNIST_BOOK_EXPORT_DIR when it is set: here, not when the tests re-run the notebooks.
execute: data
	MNIST_BOOK_EXPORT_DIR=$(CURDIR)/_static/models \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=1200 notebooks/*.ipynb book/results.ipynb

# The browser test drives Debian's Chromium; install it when it is missing (needs root).
browser:
	@command -v chromium >/dev/null || test -x "$${CHROMIUM:-/usr/bin/chromium}" || { \
	  echo "Installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: data browser
	$(VENV)/bin/pytest

bench: data
	$(PY) -m benchmarks.run

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf _build
