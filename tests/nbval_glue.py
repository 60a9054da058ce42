"""pytest plugin: every notebook cell nbval runs is also compared, glued value by glued value,
with the values the stored notebook quotes in its prose (rules: tests/stale.py).

On the machine that executed the notebook (tests/machine.py), nbval compares what a cell
prints as it is, and every glued value is held to its rule's ``here`` limit. Elsewhere,
numbers in printed outputs are masked first (tests/nbval_elsewhere.cfg), so that the lines,
epochs, table rows and columns and single digits are still compared but not the figures,
and every glued value is held to its rule's ``elsewhere`` limit. Cells tagged
``nbval-ignore-output`` are not compared by nbval; their glued values still are. With
MNIST_BOOK_MOVES_LOG set (`make test-machines` sets it), each glued value that moved is
appended to that file (`tests.stale.moved_values`). conftest.py loads this plugin.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nbval.plugin import get_sanitize_patterns

from tests.machine import MOVES_LOG, executed_here
from tests.stale import glue_differences, moved_values

ELSEWHERE_PATTERNS = get_sanitize_patterns(
    (Path(__file__).with_name("nbval_elsewhere.cfg")).read_text())
GLUE_DATA = "application/papermill.record/text/plain"  # compared by its rule, not as text


def prepare_for_another_machine(notebook_file) -> None:
    """Mask numbers in what the notebook's cells print: once per notebook."""
    if GLUE_DATA not in notebook_file.skip_compare:
        notebook_file.sanitize_patterns.update(ELSEWHERE_PATTERNS)
        notebook_file.skip_compare += (GLUE_DATA,)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    notebook_file = getattr(item, "parent", None)
    is_cell = hasattr(item, "cell") and hasattr(notebook_file, "nb")
    here = is_cell and executed_here(notebook_file.nb.metadata)
    if is_cell and not here:
        prepare_for_another_machine(notebook_file)
    result = yield
    fresh = getattr(item, "test_outputs", None)  # nbval's outputs of the cell it just ran
    if is_cell and fresh is not None:
        notebook = Path(str(notebook_file.fspath))
        if os.environ.get(MOVES_LOG):
            with open(os.environ[MOVES_LOG], "a") as log:
                log.writelines(f"{line}\n" for line in moved_values(notebook, item.cell.outputs,
                                                                     fresh))
        problems = glue_differences(notebook, item.cell.outputs, fresh, same_machine=here)
        if problems:
            where = "" if here else " (another machine: cross-machine rules)"
            raise AssertionError(f"glued values differ from the stored notebook{where}; run "
                                 "`make execute` and check the prose:\n  "
                                 + "\n  ".join(problems))
    return result
