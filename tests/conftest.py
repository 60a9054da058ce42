"""Shared test setup: draw without a display, close figures, and provide verified MNIST files."""

import functools
import gzip
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest

from mnist_book.chapters import CHAPTERS
from mnist_book.data import MNIST_FILES, find_data_dir, idx_bytes, read_idx_dir

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
    folder = find_data_dir()
    if folder is None:
        pytest.fail("no MNIST copy found: run `make data` (or set MNIST_DIR) before the tests")
    return folder


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
# Every notebook of the book: the chapters, then the results page.
NOTEBOOKS = [*(chapter.notebook for chapter in CHAPTERS), ROOT / "book" / "results.ipynb"]


@pytest.fixture(scope="session")
def book_build() -> tuple[Path, str]:
    """Build the book once per test session, as a reader's `make book` would, but strict:
    warnings are errors (-W), broken references too (-n). Returns the HTML folder and log."""
    import subprocess

    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, cwd=ROOT,
    )
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"jupyter-book build failed:\n{log[-5000:]}")
    return ROOT / "_build" / "html", log


# The built book in headless Chromium (tests/test_browser.py, tests/test_draw.py).
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Flags for a sandboxed, offline CI machine: no background traffic, no GPU, no first-run UI.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(book_build):
    """Serve the built HTML on 127.0.0.1 for the duration of the module."""
    html, _ = book_build
    handler = functools.partial(QuietHandler, directory=str(html))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep test output clean
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a page closed mid-download
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test module (Playwright's event loop ends with it)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
                    "(make test does it with apt-get) or set CHROMIUM=/path/to/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
