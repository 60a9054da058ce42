"""Every chapter's accuracy target guards against a worse recipe, not against noise."""

import math

import pytest

from mnist_book import chapter_results

from .conftest import ROOT

ROWS = [row for row in chapter_results(ROOT / "notebooks") if row["target_accuracy"]]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["notebook"])
def test_each_target_is_one_and_a_half_standard_errors_below_the_stored_accuracy(row):
    accuracy = row["test_accuracy"]
    standard_error = math.sqrt(accuracy * (1 - accuracy) / 10_000)
    assert row["target_accuracy"] <= accuracy - 1.5 * standard_error, row
