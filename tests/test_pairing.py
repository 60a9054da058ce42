"""Every notebook has a kernelspec and a MyST Markdown twin (jupytext.toml) with the same cells,
so that a change to a chapter reads as a diff of text."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

from .conftest import NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_text_source_has_the_notebooks_cells(notebook: Path):
    text = notebook.with_suffix(".md")
    assert text.is_file(), f"{text.name} is missing: run `make sync`"
    expected = jupytext.writes(jupytext.read(notebook), fmt="md:myst")
    assert text.read_text(encoding="utf-8") == expected, (
        f"{text.name} and {notebook.name} differ: edit one, then run `make sync`")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_notebook_names_its_kernel(notebook: Path):
    assert jupytext.read(notebook).metadata["kernelspec"]["name"] == "python3"
