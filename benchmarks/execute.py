"""`make execute`: run notebooks in place, each in a fresh kernel, and record in each the
machine that ran it (`mnist_book.machine`), which decides how strictly the tests compare.
The chapters that train the "Draw a digit" page's models export their weights into
`EXPORT_DIR` here, not when the tests re-run the notebooks.

    python -m benchmarks.execute notebooks/04_one_hidden_layer.ipynb [...]

Every run of the book's notebooks (`make execute`, `make bench`, the tests, the Colab check)
goes through `notebook_client`, with one cell timeout.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from mnist_book.machine import describe

ROOT = Path(__file__).resolve().parents[1]
EXPORT_DIR = ROOT / "_static" / "models"  # the weights the "Draw a digit" page serves
CELL_TIMEOUT = 1800  # seconds one cell may run, a whole training on a slow machine


def notebook_client(nb: nbformat.NotebookNode, folder: Path, **options: Any) -> NotebookClient:
    """A client that runs ``nb`` in ``folder``, each cell within `CELL_TIMEOUT` seconds;
    ``options`` go to `nbclient.NotebookClient` (``km``, ``kernel_name``)."""
    return NotebookClient(nb, timeout=CELL_TIMEOUT,
                          resources={"metadata": {"path": str(folder)}}, **options)


def execute_notebook(notebook: Path, output: Path, export_weights: bool = False) -> float:
    """Run ``notebook`` in a fresh kernel, in its own folder; write the executed copy to
    ``output`` with a record of the machine that ran it (`mnist_book.machine`); return the
    seconds it took, kernel start included. With ``export_weights``, a chapter that trains
    one of the "Draw a digit" page's models writes its weights into `EXPORT_DIR`."""
    nb = nbformat.read(notebook, as_version=4)
    env = os.environ | ({"MNIST_BOOK_EXPORT_DIR": str(EXPORT_DIR)} if export_weights else {})
    start = time.perf_counter()
    notebook_client(nb, notebook.parent, kernel_name="python3").execute(env=env)
    seconds = time.perf_counter() - start
    nb.metadata["mnist_book"] = {"machine": describe()}
    nbformat.write(nb, output)
    return seconds


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for notebook in map(Path, argv):
        seconds = execute_notebook(notebook, notebook, export_weights=True)
        print(f"{notebook}: {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
