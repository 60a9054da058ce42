"""The registry of the book's chapters (`mnist_book.chapters`) is the book as it stands."""

from __future__ import annotations

import re

import pytest

from mnist_book import RECIPES
from mnist_book.book import read_glued
from mnist_book.chapters import CHAPTERS, chapter, drawing_page_models

from .conftest import ROOT


def test_the_registry_lists_every_chapter_notebook_numbered_in_order():
    assert [entry.notebook for entry in CHAPTERS] == sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [entry.number for entry in CHAPTERS] == list(range(1, len(CHAPTERS) + 1))


def test_each_final_model_is_built_by_one_of_the_books_recipes():
    assert {entry.recipe for entry in CHAPTERS if entry.recipe} <= set(RECIPES)


def test_a_chapter_is_found_by_its_number_and_another_number_is_refused():
    assert chapter(7).notebook == ROOT / "notebooks" / "07_error_analysis.ipynb"
    with pytest.raises(ValueError, match=f"1 to {len(CHAPTERS)}, got 0"):
        chapter(0)


def test_the_drawing_page_offers_each_exported_model_under_its_chapter():
    options = re.findall(r'<option value="(\w+)".*\(chapter (\d+)\)</option>',
                         (ROOT / "book" / "draw.md").read_text())
    assert {name: int(number) for name, number in options} == {
        name: entry.number for name, entry in drawing_page_models().items()}


@pytest.mark.parametrize("entry", CHAPTERS, ids=lambda entry: entry.stem)
def test_each_overview_says_how_long_its_chapter_ran(entry):
    overview = entry.notebook.with_suffix(".md").read_text().split("\n## Setup")[0]
    assert "{glue:text}`chapter_seconds" in overview
    assert read_glued(entry.notebook)["chapter_seconds"] > 0
