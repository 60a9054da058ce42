"""compare_models and seed_spread, against hand counts and against SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from mnist_book.stats import compare_models, mcnemar_exact, seed_spread


def predictions_with(both: int, only_a: int, only_b: int, neither: int):
    """Labels (all 3) and two models' predictions with the given 2 x 2 table of outcomes."""
    right_a = [True] * both + [True] * only_a + [False] * only_b + [False] * neither
    right_b = [True] * both + [False] * only_a + [True] * only_b + [False] * neither
    y_true = np.full(len(right_a), 3)
    return y_true, np.where(right_a, 3, 5), np.where(right_b, 3, 8)


def test_a_hand_counted_table():
    # 10 digits: 5 both right, 3 only A, 1 only B, 1 neither.
    result = compare_models(*predictions_with(5, 3, 1, 1))
    assert (result.only_a, result.only_b, result.count) == (3, 1, 10)
    assert result.difference == pytest.approx(0.2)  # 8/10 - 6/10
    # the paired standard error: sqrt(3 + 1 - 2**2 / 10) / 10 = sqrt(3.6) / 10
    half_width = 1.959964 * math.sqrt(3.6) / 10
    assert (result.low, result.high) == pytest.approx((0.2 - half_width, 0.2 + half_width))
    # 4 disputed digits split 3 : 1; P(at most 1 of 4 fair tosses) = 5/16, doubled
    assert result.p_value == pytest.approx(10 / 16)


def test_mcnemar_by_hand():
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(5, 0) == pytest.approx(2 / 32)
    assert mcnemar_exact(0, 5) == pytest.approx(2 / 32)
    assert mcnemar_exact(2, 2) == 1.0  # an even split is the likeliest: capped at 1


@pytest.mark.parametrize(("only_a", "only_b"), [(0, 1), (3, 9), (40, 55), (12, 12), (150, 90)])
def test_mcnemar_matches_scipys_exact_binomial_test(only_a, only_b):
    expected = stats.binomtest(only_a, only_a + only_b, 0.5).pvalue
    assert mcnemar_exact(only_a, only_b) == pytest.approx(expected, rel=1e-12)


def test_interval_matches_an_independent_computation():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, 10_000)
    pred_a = np.where(rng.random(10_000) < 0.98, y_true, (y_true + 1) % 10)
    pred_b = np.where(rng.random(10_000) < 0.97, y_true, (y_true + 2) % 10)
    result = compare_models(y_true, pred_a, pred_b)
    # each digit contributes right_a - right_b; the interval is mean +- z * sd / sqrt(n)
    scores = (pred_a == y_true).astype(float) - (pred_b == y_true)
    z = stats.norm.ppf(0.975)
    half_width = z * scores.std() / math.sqrt(len(scores))
    assert result.difference == pytest.approx(scores.mean())
    assert (result.low, result.high) == pytest.approx(
        (scores.mean() - half_width, scores.mean() + half_width))


def test_identical_models_differ_by_nothing():
    y_true = np.arange(20) % 10
    result = compare_models(y_true, y_true, y_true)
    assert (result.difference, result.low, result.high, result.p_value) == (0, 0, 0, 1)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="pred_b: expected 3 labels"):
        compare_models([1, 2, 3], [1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="probabilities"):
        compare_models([1, 2], np.eye(10)[[1, 2]], [1, 2])


def test_seed_spread_reseeds_before_every_run():
    spread = seed_spread(lambda: np.random.rand(), seeds=[1, 2, 3])  # noqa: NPY002
    again = seed_spread(lambda: np.random.rand(), seeds=[1, 2, 3])  # noqa: NPY002
    assert spread.values == again.values and spread.seeds == (1, 2, 3)
    assert spread.mean == pytest.approx(np.mean(spread.values))
    assert spread.sd == pytest.approx(np.std(spread.values, ddof=1))


def test_seed_spread_needs_distinct_seeds():
    with pytest.raises(ValueError, match="two distinct seeds"):
        seed_spread(lambda: 1.0, seeds=[4, 4])


def test_standard_errors_between_spreads_is_welchs_t_statistic():
    from mnist_book.stats import SeedSpread

    a = SeedSpread((0, 1, 2), (0.960, 0.962, 0.958))
    b = SeedSpread((0, 1, 2), (0.950, 0.955, 0.951))
    expected = stats.ttest_ind(a.values, b.values, equal_var=False).statistic
    assert a.standard_errors_from(b) == pytest.approx(expected)
    assert b.standard_errors_from(a) == pytest.approx(-expected)
