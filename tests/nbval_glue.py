"""pytest plugin: every notebook cell nbval runs is also compared, glued value by glued value,
with the values the stored notebook quotes in its prose (rules: tests/stale.py).

nbval compares what a cell prints, except in cells tagged ``nbval-ignore-output``; the glued
values are compared in every cell, tagged or not. conftest.py loads this plugin.
"""

from __future__ import annotations

import pytest

from tests.stale import glue_differences


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    fresh = getattr(item, "test_outputs", None)  # nbval's outputs of the cell it just ran
    if fresh is not None:
        problems = glue_differences(item.cell.outputs, fresh)
        if problems:
            raise AssertionError("glued values differ from the stored notebook; run "
                                 "`make execute` and check the prose:\n  "
                                 + "\n  ".join(problems))
    return result
