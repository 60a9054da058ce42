"""The peers the book's recipes race in `make bench`: the tutorials' own training code.

Each peer is run as its own process (`python -m benchmarks.peers.<name>`), so that its
framework's threads and memory never share a process with the book's TensorFlow, and
prints one JSON object: its recipe's name and every run's race (`benchmarks.race`).
"""

from __future__ import annotations

import argparse


def race_arguments(description: str, argv: list[str] | None) -> argparse.Namespace:
    """A peer's command line: ``--target`` test accuracy and the number of ``--runs``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--target", type=float, required=True)
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args(argv)
