"""`make execute`: run notebooks in place, each in a fresh kernel, and record in each the
machine that ran it (`mnist_book.machine`), which decides how strictly the tests compare.

    python -m benchmarks.execute notebooks/04_one_hidden_layer.ipynb [...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.measure import execute_notebook


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for notebook in map(Path, argv):
        seconds = execute_notebook(notebook, notebook)
        print(f"{notebook}: {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
