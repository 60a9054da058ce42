"""Every chapter's accuracy target guards against a worse recipe, not against noise."""

import math

import pytest

from mnist_book.book import read_glued
from mnist_book.chapters import CHAPTERS

WITH_TARGETS = [chapter for chapter in CHAPTERS if chapter.target]


@pytest.mark.parametrize("chapter", WITH_TARGETS, ids=lambda chapter: chapter.stem)
def test_each_target_is_one_and_a_half_standard_errors_below_the_stored_accuracy(chapter):
    accuracy = read_glued(chapter.notebook)["test_accuracy"]
    standard_error = math.sqrt(accuracy * (1 - accuracy) / 10_000)
    assert chapter.target <= accuracy - 1.5 * standard_error, (chapter, accuracy)


@pytest.mark.parametrize("chapter", WITH_TARGETS, ids=lambda chapter: chapter.stem)
def test_each_chapter_glues_the_target_the_registry_gives_it(chapter):
    assert read_glued(chapter.notebook)["target_accuracy"] == chapter.target
