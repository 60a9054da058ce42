"""Which machine a notebook was executed on, and the other machines the tests emulate.

`make execute` stores `mnist_book.machine.describe()` in each notebook's metadata. A test
run on a machine with the same record compares the glued numbers strictly; anywhere else,
each number is held to its cross-machine rule (`tests/stale.py`) and nbval compares printed
outputs with their numbers masked (`tests/nbval_elsewhere.cfg`).

``MACHINES`` are the emulated machines `make test-machines` runs the notebooks' tests as
(``make test-machines MACHINE=no-onednn`` for one): each changes what decides the arithmetic
through environment variables TensorFlow and oneDNN read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from mnist_book.machine import describe

ROOT = Path(__file__).resolve().parents[1]
RECORD_KEY = "mnist_book"
MOVES_LOG = "MNIST_BOOK_MOVES_LOG"  # where tests/nbval_glue.py lists the glued values that moved

MACHINES: dict[str, dict[str, str]] = {
    # A CPU without AVX-512 (GitHub's standard runners, many laptops), with 4 threads.
    "avx2-4-threads": {"ONEDNN_MAX_CPU_ISA": "AVX2", "TF_NUM_INTRAOP_THREADS": "4"},
    # TensorFlow's own (Eigen) kernels instead of oneDNN's, as on a CPU or a build that
    # does not use oneDNN.
    "no-onednn": {"TF_ENABLE_ONEDNN_OPTS": "0"},
}


# The environment variables that can change what `describe` finds. The others (pytest sets
# PYTEST_CURRENT_TEST for each test) must not cost a fresh probe, a TensorFlow start-up each.
ARITHMETIC_VARIABLES = ("TF_", "ONEDNN_", "DNNL_", "OMP_", "KMP_")
_machines: dict[tuple, dict] = {}


def this_machine(python: str = sys.executable, env: Mapping[str, str] | None = None) -> dict:
    """`mnist_book.machine.describe`, worked out once per interpreter and arithmetic settings."""
    env = dict(os.environ if env is None else env)
    key = (python, *sorted(item for item in env.items()
                           if item[0].startswith(ARITHMETIC_VARIABLES)))
    if key not in _machines:
        _machines[key] = describe(python, env)
    return _machines[key]


def recorded_machine(metadata: Mapping) -> dict | None:
    """The machine a notebook's metadata says executed it; None if it says none."""
    return metadata.get(RECORD_KEY, {}).get("machine")


def executed_here(metadata: Mapping, python: str = sys.executable,
                  env: Mapping[str, str] | None = None) -> bool:
    """Whether the notebook whose metadata this is was executed on a machine like this one."""
    return recorded_machine(metadata) == this_machine(python, env)


def run_as(name: str) -> int:
    """Run the notebooks' tests as emulated machine ``name``; its log, and the list of the
    glued values that moved (tests/nbval_glue.py), go to _build/machines/."""
    log = ROOT / "_build" / "machines" / f"{name}.log"
    moves = log.with_suffix(".moves.tsv")
    log.parent.mkdir(parents=True, exist_ok=True)
    moves.write_text("")
    print(f"== the notebooks as machine {name} ({MACHINES[name]}); log: {log}", flush=True)
    with log.open("w") as output:
        result = subprocess.run([sys.executable, "-m", "pytest", "notebooks", "book/results.ipynb"],
                                cwd=ROOT, env=os.environ | MACHINES[name] | {MOVES_LOG: str(moves)},
                                stdout=output, stderr=subprocess.STDOUT)
    print(log.read_text().rstrip().splitlines()[-1], flush=True)  # pytest's summary line
    print(f"{len(moves.read_text().splitlines())} glued values moved: {moves}", flush=True)
    return result.returncode


def main(names: list[str]) -> int:
    unknown = set(names) - set(MACHINES)
    if unknown:
        print(f"unknown machine {', '.join(sorted(unknown))}; known: {', '.join(MACHINES)}")
        return 2
    failed = [name for name in names or MACHINES if run_as(name) != 0]
    if failed:
        print(f"failed as: {', '.join(failed)} (see _build/machines/)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
