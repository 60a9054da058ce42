"""How far a measured accuracy can be trusted: paired comparisons and seed spreads.

- `compare_models` scores two models on the same test digits and asks whether their
  difference is more than luck: the accuracy difference, its 95 % interval, and an exact
  McNemar test on the digits only one of the two gets right.
- `seed_spread` repeats a training run over several seeds and reports mean and standard
  deviation: how much the seed alone moves a result.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from mnist_book.checks import check_labels
from mnist_book.training import set_seed

Z_95 = 1.959963984540054  # the standard normal's 97.5 % quantile


@dataclass(frozen=True)
class Comparison:
    """Two models scored on the same digits.

    Attributes:
        difference: accuracy of A minus accuracy of B.
        low, high: the 95 % interval of the difference.
        only_a: digits A gets right and B gets wrong.
        only_b: digits B gets right and A gets wrong.
        p_value: exact McNemar test, two-sided: how often a difference at least this
            lopsided would arise if either model were equally likely to win each of the
            ``only_a + only_b`` disputed digits.
        count: how many digits were scored.
    """

    difference: float
    low: float
    high: float
    only_a: int
    only_b: int
    p_value: float
    count: int

    def __str__(self) -> str:
        return (f"A - B = {100 * self.difference:+.2f} points "
                f"(95 % interval {100 * self.low:+.2f} to {100 * self.high:+.2f}); "
                f"only A right: {self.only_a}, only B right: {self.only_b}; "
                f"McNemar p = {self.p_value:.3g}")


def compare_models(y_true: ArrayLike, pred_a: ArrayLike, pred_b: ArrayLike) -> Comparison:
    """Compare two models' predictions on the same digits, pair by pair.

    Only the digits one model gets right and the other wrong carry information about
    which model is better. With ``b`` such digits for A and ``c`` for B, the difference
    in accuracy is ``(b - c) / n``; its standard error is
    ``sqrt(b + c - (b - c)**2 / n) / n`` (the variance of a paired difference), and the
    exact McNemar p-value is the two-sided binomial probability of a split at least as
    uneven as ``b : c`` when each disputed digit is a fair coin toss.

    Args:
        y_true: the correct digits, shape (n,).
        pred_a: model A's predicted digits, shape (n,).
        pred_b: model B's predicted digits, shape (n,).

    Returns:
        A `Comparison`.

    Raises:
        TypeError: labels that are not integers (e.g. probabilities: pass
            ``.argmax(axis=1)``).
        ValueError: labels outside 0-9, or arrays of different lengths.

    Example:
        >>> compare_models([1, 1, 1, 1], [1, 1, 1, 0], [1, 0, 0, 0]).only_a
        2
    """
    y_true = check_labels(y_true, "y_true")
    right_a = check_labels(pred_a, "pred_a", length=len(y_true)) == y_true
    right_b = check_labels(pred_b, "pred_b", length=len(y_true)) == y_true
    count = len(y_true)
    only_a = int((right_a & ~right_b).sum())
    only_b = int((right_b & ~right_a).sum())
    difference = (only_a - only_b) / count
    spread = math.sqrt(max(only_a + only_b - (only_a - only_b) ** 2 / count, 0.0)) / count
    return Comparison(difference, difference - Z_95 * spread, difference + Z_95 * spread,
                      only_a, only_b, mcnemar_exact(only_a, only_b), count)


def mcnemar_exact(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p-value for ``only_a`` against ``only_b`` disputed items.

    Example:
        >>> mcnemar_exact(1, 4)  # 2 * P(at most 1 head in 5 fair tosses) = 2 * 6 / 32
        0.375
    """
    disputed = only_a + only_b
    if disputed == 0:
        return 1.0
    fewer = min(only_a, only_b)
    tail = sum(math.comb(disputed, k) for k in range(fewer + 1)) / 2**disputed
    return min(1.0, 2 * tail)


@dataclass(frozen=True)
class SeedSpread:
    """One result measured under several seeds."""

    seeds: tuple[int, ...]
    values: tuple[float, ...]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values)

    @property
    def sd(self) -> float:
        """The sample standard deviation (n - 1 in the denominator)."""
        return statistics.stdev(self.values)

    def __str__(self) -> str:
        return f"{self.mean:.4f} ± {self.sd:.4f} (sd over {len(self.values)} seeds)"

    def standard_errors_from(self, other: SeedSpread) -> float:
        """How many standard errors this mean lies above ``other``'s (below: negative).

        The difference of the two means over its standard error,
        ``sqrt(sd_a² / n_a + sd_b² / n_b)`` (Welch's t statistic). With three seeds each,
        a value beyond ±3 is a difference the seeds alone rarely make: the book's rule
        calls it clear, and anything inside ±3 "about the same" (chapter 3).

        Example:
            >>> a, b = SeedSpread((0, 1), (0.97, 0.99)), SeedSpread((0, 1), (0.95, 0.97))
            >>> round(a.standard_errors_from(b), 3)  # 0.02 / sqrt(2 * 0.0002 / 2)
            1.414
        """
        spread = math.sqrt(self.sd**2 / len(self.values) + other.sd**2 / len(other.values))
        difference = self.mean - other.mean
        if not spread:
            return 0.0 if difference == 0 else math.copysign(math.inf, difference)
        return difference / spread


def seed_spread(run: Callable[[], float], seeds: Sequence[int]) -> SeedSpread:
    """Call ``run`` once per seed, each time right after `set_seed`, and collect its results.

    Args:
        run: trains a fresh model and returns one number, e.g. its validation accuracy.
        seeds: at least two distinct seeds.

    Returns:
        A `SeedSpread` with the values in the order of ``seeds``.

    Raises:
        ValueError: fewer than two seeds, or a repeated seed.

    Example:
        >>> spread = seed_spread(lambda: train_and_score(), seeds=range(5))  # doctest: +SKIP
        >>> print(spread)  # doctest: +SKIP
        0.9801 ± 0.0012 (sd over 5 seeds)
    """
    seeds = tuple(int(seed) for seed in seeds)
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds: expected at least two distinct seeds, got {seeds}")
    values = []
    for seed in seeds:
        set_seed(seed)
        values.append(float(np.asarray(run())))
    return SeedSpread(seeds, tuple(values))
