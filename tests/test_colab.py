"""Colab: every chapter installs what Colab lacks, and runs there top to bottom.

The static tests check each chapter's first cell and Colab link. The runtime tests rebuild
Colab's published runtimes offline (`tests/colab_runtime.py`) and execute every chapter in
them as Colab would: a stand-in `google.colab` module, the helper installed only by the
chapter's own setup cell from a copy of this checkout, MNIST from ``MNIST_DIR``. Every
assertion in the chapters must hold there, and every number the prose quotes must match the
stored one by the rules of `tests/stale.py`. `make test` runs the current runtime;
`make test-colab` both. Each run's seconds and glued test accuracy go to
``_build/colab/<runtime>.json``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from mnist_book import RECIPES, set_seed
from mnist_book.book import read_glued
from mnist_book.chapters import CHAPTERS, chapter

from .colab_runtime import (
    CURRENT,
    RUNTIMES,
    built_packages,
    colab_venv,
    installed,
    kernel_env,
    run_chapter,
)
from .conftest import ROOT
from .machine import executed_here
from .stale import glue_differences

NOTEBOOKS = [entry.notebook for entry in CHAPTERS]
REPO_URL = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
SETUP = re.compile(r'''import os
import subprocess
import sys

if "google\.colab" in sys\.modules:  # only in Colab: install what it lacks
    BOOK_REPO = os\.environ\.get\("MNIST_BOOK_REPO", "(?P<url>[^"]+)"\)
    subprocess\.run\(\[sys\.executable, "-m", "pip", "install", "--quiet",
                    f"mnist-book(?P<extras>\[\w+\])? @ git\+\{BOOK_REPO\}"\], check=True\)
''')
# What a chapter's setup cell may add to Colab: the helper and, for the tuning chapter, the
# `tuner` extra (KerasTuner and its own dependency). Nothing Colab has may change version.
EXTRA_PACKAGES = {"": {"mnist-book"}, "[tuner]": {"mnist-book", "keras-tuner", "kt-legacy"}}


def code_cells(notebook: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(notebook, as_version=4).cells
            if cell.cell_type == "code"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_setup_cell_installs_what_colab_lacks_from_the_configured_repository(notebook):
    cells = code_cells(notebook)
    setup = SETUP.match(cells[0])
    assert setup, f"{notebook.name}: the first code cell must start with the book's setup lines"
    assert setup["url"] == REPO_URL
    needs_tuner = any("import keras_tuner" in source for source in cells)
    assert (setup["extras"] == "[tuner]") == needs_tuner


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_colab_link_opens_this_notebook(notebook):
    repo = REPO_URL.removeprefix("https://github.com/")
    link = f"https://colab.research.google.com/github/{repo}/blob/main/notebooks/{notebook.name}"
    first_markdown = next(cell.source for cell in nbformat.read(notebook, as_version=4).cells
                          if cell.cell_type == "markdown")
    assert link in first_markdown


@pytest.fixture(scope="session")
def book_repo(tmp_path_factory) -> str:
    """A git repository holding this checkout as it is now, committed or not."""
    repo = tmp_path_factory.mktemp("book-repo")
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@localhost"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "checkout"]):
        subprocess.run(git + command, cwd=repo, check=True)
    return f"file://{repo}"


@pytest.fixture(scope="session", params=RUNTIMES, ids=lambda runtime: runtime.date)
def runtime(request):
    """A built runtime and the packages it starts with."""
    if request.param != CURRENT and not request.config.getoption("--colab-all"):
        pytest.skip("the past runtime runs in `make test-colab`")
    venv = colab_venv(request.param)
    return request.param, venv, built_packages(venv)


def uninstall_additions(venv: Path, baseline: dict[str, str]) -> None:
    """Return the runtime to its packages as built: each chapter starts as a fresh Colab."""
    added = sorted(set(installed(venv)) - set(baseline))
    if added:
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "uninstall", "--quiet",
                        "--yes", *added], check=True)


def record(runtime_date: str, chapter: str, result: dict) -> None:
    report = ROOT / "_build" / "colab" / f"{runtime_date}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    rows = json.loads(report.read_text()) if report.is_file() else {}
    report.write_text(json.dumps(rows | {chapter: result}, indent=1, sort_keys=True))


@pytest.mark.colab
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_chapter_runs_in_colab(runtime, notebook, book_repo, source_dir, tmp_path):
    colab, venv, baseline = runtime
    uninstall_additions(venv, baseline)
    env = kernel_env(book_repo, str(source_dir))
    run = run_chapter(venv, notebook, tmp_path, env)
    now = installed(venv)
    extras = SETUP.match(code_cells(notebook)[0])["extras"] or ""
    assert set(now) - set(baseline) == EXTRA_PACKAGES[extras]
    assert {name: now[name] for name in baseline} == baseline, "a Colab package changed version"
    executed = tmp_path / notebook.name
    nbformat.write(run.notebook, executed)
    record(colab.date, notebook.stem, {"seconds": round(run.seconds, 1),
                                       "test_accuracy": read_glued(executed).get("test_accuracy")})
    # the numbers the prose quotes hold in Colab's TensorFlow, on another CPU, too: within
    # tests/stale.py's cross-machine rules (or its strict ones on the very same machine)
    stored = nbformat.read(notebook, as_version=4)
    here = executed_here(stored.metadata, python=str(venv / "bin" / "python"), env=env)
    assert glue_differences(notebook, outputs(stored), outputs(run.notebook), here) == []


def outputs(nb: nbformat.NotebookNode) -> list:
    return [output for cell in nb.cells for output in cell.get("outputs", [])]


LOAD_AND_PREDICT = """\
import sys

import keras
import numpy as np

import mnist_book

folder, recipe = sys.argv[1:]
try:
    keras.models.load_model(f"{folder}/model.keras")
    print("keras file: loaded")
except Exception as error:  # what Keras raises for settings it does not know
    print(f"keras file: {type(error).__name__}")
model = mnist_book.RECIPES[recipe].build()
model.load_weights(f"{folder}/model.weights.h5")
np.save(f"{folder}/loaded.npy", model.predict(np.load(f"{folder}/images.npy"), verbose=0))
print(keras.__version__)
"""


@pytest.mark.colab
def test_a_chapter_leaves_no_kernel_running(runtime, source_dir, tmp_path):
    """Each chapter's kernel ends with the chapter: kept alive, 24 of them filled 24 GiB."""
    _, venv, _ = runtime
    notebook = tmp_path / "pid.ipynb"
    cell = nbformat.v4.new_code_cell("import os\nprint(os.getpid())")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)
    run = run_chapter(venv, notebook, tmp_path, kernel_env("file:///unused", str(source_dir)))
    pid = int(run.notebook.cells[0].outputs[0].text)
    assert not process_alive(pid, wait=10), f"the kernel (pid {pid}) still runs"


def process_alive(pid: int, wait: float) -> bool:
    """Whether process ``pid`` still exists after up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.2)
    return True


@pytest.mark.colab
def test_a_model_saved_by_the_books_keras_moves_to_colab_as_chapter_4_says(runtime, book_repo,
                                                                            tmp_path):
    """Chapter 4 saves its network. Its .keras file needs the book's Keras or newer (it writes
    settings older versions do not know); its weights file loads into the same network built
    by the helper in Colab's Keras, with the same predictions."""
    import keras
    import numpy as np

    _, venv, baseline = runtime
    uninstall_additions(venv, baseline)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    f"mnist-book @ git+{book_repo}"], check=True, env=kernel_env("", ""))
    set_seed(0)
    images = np.random.default_rng(0).random((256, 28, 28), dtype=np.float32)
    model = RECIPES[chapter(4).recipe].build()
    model.fit(images, np.arange(256) % 10, epochs=1, batch_size=64, verbose=0)
    model.save(tmp_path / "model.keras")
    model.save_weights(tmp_path / "model.weights.h5")
    np.save(tmp_path / "images.npy", images)
    (tmp_path / "load.py").write_text(LOAD_AND_PREDICT)
    result = subprocess.run([str(venv / "bin" / "python"), str(tmp_path / "load.py"),
                             str(tmp_path), chapter(4).recipe], capture_output=True, text=True,
                            env=kernel_env("", ""), cwd=tmp_path)
    uninstall_additions(venv, baseline)
    assert result.returncode == 0, result.stderr[-3000:]
    *_, keras_file, colab_keras = result.stdout.strip().splitlines()
    assert colab_keras != keras.__version__
    assert keras_file == "keras file: TypeError", keras_file  # as chapter 4 says
    loaded = np.load(tmp_path / "loaded.npy")
    expected = model.predict(images, verbose=0)
    np.testing.assert_array_equal(loaded.argmax(axis=1), expected.argmax(axis=1))
    np.testing.assert_allclose(loaded, expected, rtol=0, atol=1e-5)
