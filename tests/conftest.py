"""Shared test setup: draw without a display, close figures, and provide verified MNIST files."""

import gzip
import os
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest

from mnist_book.data import MNIST_FILES, find_repo_data_dir, idx_bytes, read_idx_dir

matplotlib.use("Agg")


def pytest_addoption(parser):
    parser.addoption("--colab-all", action="store_true",
                     help="run the chapters in every Colab runtime, not only the current one")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def source_dir() -> Path:
    """The folder `make data` or CI provides: $MNIST_DIR, else the repository's data/mnist/."""
    folder = os.environ.get("MNIST_DIR") or find_repo_data_dir()
    if folder is None:
        pytest.fail("no MNIST copy found: run `make data` (or set MNIST_DIR) before the tests")
    return Path(folder)


@pytest.fixture(scope="session")
def mnist(source_dir):
    return read_idx_dir(source_dir)


@pytest.fixture(scope="session")
def raw_bytes(mnist) -> dict[str, bytes]:
    """The four uncompressed files, rebuilt from the verified arrays."""
    (x_train, y_train), (x_test, y_test) = mnist
    arrays = [x_train, y_train, x_test, y_test]
    return {name: idx_bytes(array) for name, array in zip(MNIST_FILES, arrays, strict=True)}


def make_dir(folder: Path, raw_bytes: dict[str, bytes], gz: bool = False, **replace: bytes) -> Path:
    """Write the four files into ``folder``, with ``replace`` overriding named files' bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in raw_bytes.items():
        key = name.replace("-", "_")
        data = replace.get(key, data)
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data, compresslevel=1))
        else:
            (folder / name).write_bytes(data)
    return folder


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def book_build() -> tuple[Path, str]:
    """Build the book once per test session, as a reader's `make book` would, but strict:
    warnings are errors (-W), broken references too (-n). Returns the HTML folder and log."""
    import subprocess
    import sys

    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, cwd=ROOT,
    )
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"jupyter-book build failed:\n{log[-5000:]}")
    return ROOT / "_build" / "html", log
