"""Figures for the chapters: grids of digits with Matplotlib, statistics with seaborn.

- `plot_digits` draws digits with their labels and predictions; `mistake_grid` the
  mistakes an `Evaluation` found, most confident first.
- `plot_history` draws learning curves, of one run or of several seeds as a mean with a
  band; `plot_seed_spreads` draws results over seeds as points with error bars;
  `confusion_heatmap` draws confusion counts with the mistakes on their own scale.

The public functions readers call (`plot_digits`, `plot_history`, `plot_seed_spreads`)
check their inputs before drawing anything. `confusion_heatmap` and `mistake_grid` draw
what `mnist_book.evaluation` has already checked. Each draws into a new white figure,
opaque so that black text stays readable on the book's dark theme, unless it is given
Axes, and returns what it drew on. Nothing here calls ``plt.show()`` or changes
Matplotlib's or seaborn's global settings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from mnist_book.checks import (
    NUM_CLASSES,
    as_array,
    check_images,
    check_labels,
    check_positive_int,
)

__all__ = ["confusion_heatmap", "mistake_grid", "plot_digits", "plot_history",
           "plot_seed_spreads"]

FACECOLOR = "white"
WRONG_COLOUR = "tab:red"
NEUTRAL_COLOUR = "black"
DIAGONAL_COLOUR = "0.85"  # light grey: the correct answers, outside the mistakes' scale
MISTAKES_CMAP = "Blues"
DIGIT_CMAP = "gray_r"  # dark ink on white
CELL_INCHES = 1.2  # width and image height of one digit in a grid
TITLE_LINE_INCHES = 0.2
SPLITS = {"training": "{}", "validation": "val_{}"}  # curve label: history key


def plot_digits(images: ArrayLike, labels: ArrayLike | None = None,
                predictions: ArrayLike | None = None, *, columns: int = 10,
                max_digits: int = 50) -> Figure:
    """Draw a grid of digits, titled with their labels and, optionally, predictions.

    Titles read ``"5"`` with labels only, ``"true 5, pred 3"`` with labels and
    predictions (red when they differ) and ``"pred 3"`` with predictions only.

    Args:
        images: shape (n, 28, 28), (n, 784) or (n, 28, 28, 1); integers 0-255 or
            floats 0-1.
        labels: the true digits, integers 0-9, one per image.
        predictions: the predicted digits, integers 0-9, one per image.
        columns: digits per row (positive int).
        max_digits: draw only the first ``max_digits`` images (positive int).

    Returns:
        The figure; its axes are the ``min(n, max_digits)`` digits, one image each.

    Raises:
        TypeError: a non-array input, float labels, or non-int counts.
        ValueError: wrong shapes, pixels out of range, labels outside 0-9, lengths
            that differ from the number of images, or non-positive counts.

    Example:
        >>> fig = plot_digits(np.zeros((3, 28, 28), np.uint8), [7, 2, 1], [7, 2, 4])
        >>> [ax.get_title() for ax in fig.axes]
        ['true 7, pred 7', 'true 2, pred 2', 'true 1, pred 4']
    """
    images = check_images(images)
    labels, predictions = (None if given is None else check_labels(given, name, len(images))
                           for given, name in ((labels, "labels"),
                                               (predictions, "predictions")))
    check_positive_int(columns, "columns")
    check_positive_int(max_digits, "max_digits")
    count = min(len(images), max_digits)
    true = [None] * count if labels is None else labels[:count]
    predicted = [None] * count if predictions is None else predictions[:count]
    titles = [_digit_title(t, p) for t, p in zip(true, predicted, strict=True)]
    colours = [WRONG_COLOUR if None not in (t, p) and t != p else NEUTRAL_COLOUR
               for t, p in zip(true, predicted, strict=True)]
    return _digit_grid(images[:count], titles, colours, columns)


def mistake_grid(images: np.ndarray, labels: np.ndarray, predictions: np.ndarray,
                 confidences: np.ndarray | None, *, columns: int = 10) -> Figure:
    """Draw the given mistakes in order, red-titled ``"true 4, pred 9"`` (and ``"97%"``).

    The arrays are checked already (`mnist_book.evaluation`): one entry per mistake.
    With no mistakes the figure is a single axis saying "no mistakes".
    """
    if len(images) == 0:
        fig = _new_figure((3, 1))
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no mistakes", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    shown = [None] * len(images) if confidences is None else confidences
    titles = [_digit_title(label, prediction, confidence)
              for label, prediction, confidence in zip(labels, predictions, shown, strict=True)]
    return _digit_grid(images, titles, [WRONG_COLOUR] * len(images), columns)


def plot_history(history: Any, *, metrics: str | Sequence[str] = ("loss", "accuracy"),
                 axes: Axes | Sequence[Axes] | np.ndarray | None = None,
                 title: str | None = None) -> np.ndarray:
    """Plot learning curves, one subplot per metric, with validation when recorded.

    Given the histories of several runs (seeds), each curve is their mean with a band of
    one standard deviation either side.

    Args:
        history: what ``model.fit`` returned (a Keras ``History``), its ``.history``
            dict mapping metric names to one value per epoch, or a list of either.
        metrics: the metric names to plot; ``val_<metric>`` is added to the same
            subplot when the history has it.
        axes: one Axes per metric to draw into; by default a new figure is created.
        title: a title for the whole figure.

    Returns:
        A 1-D array of the Axes, in the order of ``metrics``. The x axis counts
        epochs from 1.

    Raises:
        TypeError: a history that is neither a History nor a dict, or metrics that are
            not names.
        ValueError: an empty history, a missing metric (the message lists the recorded
            ones), runs of different lengths, or not one Axes per metric.

    Example:
        >>> axes = plot_history({"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]}, metrics="loss")
        >>> [text.get_text() for text in axes[0].get_legend().get_texts()]
        ['training', 'validation']
    """
    runs = history if isinstance(history, list | tuple) else [history]
    if not runs:
        raise ValueError("history: expected at least one run, got an empty list")
    runs = [_history_dict(run) for run in runs]
    metrics = _check_metrics(metrics, runs)
    curves = _curves_table(runs, metrics)
    axes = _axes_per_metric(axes, metrics)
    for ax, metric in zip(axes, metrics, strict=True):
        sns.lineplot(curves[curves["metric"] == metric], x="epoch", y="value", hue="split",
                     errorbar="sd" if len(runs) > 1 else None, marker="o", markersize=4,
                     markeredgewidth=0, ax=ax)
        spread = f", mean ± sd over {len(runs)} runs" if len(runs) > 1 else ""
        ax.set(xlabel="epoch", ylabel=metric, title=metric + spread)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(title=None)
    if title is not None:
        axes[0].figure.suptitle(title)
    return axes


def plot_seed_spreads(results: Mapping[str, ArrayLike], *, xlabel: str,
                      title: str | None = None, ax: Axes | None = None) -> Axes:
    """Draw each recipe's results over seeds: its mean ± one sd, and each seed as a dot.

    Args:
        results: for each recipe's name, its result under each seed (at least two).
        xlabel: what the numbers are, with their unit.
        title: the title of the Axes.
        ax: the Axes to draw into; by default a new figure is created.

    Returns:
        The Axes, one row per recipe in the order given.

    Raises:
        TypeError: ``results`` is not a mapping of names to numbers.
        ValueError: a recipe with fewer than two results, or with NaN or infinity.

    Example:
        >>> ax = plot_seed_spreads({"a": [1.0, 2.0, 3.0], "b": [2.0, 2.5]}, xlabel="gap")
        >>> [label.get_text() for label in ax.get_yticklabels()]
        ['a', 'b']
    """
    if not isinstance(results, Mapping) or not results:
        raise TypeError(f"results: expected a dict of names to results, got {results!r}")
    table = pd.concat([_seed_column(name, values) for name, values in results.items()])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 * len(results) + 1.2), facecolor=FACECOLOR,
                             layout="constrained")
    sns.pointplot(table, x="value", y="recipe", errorbar="sd", capsize=0.25,
                  linestyle="none", marker="D", color="tab:blue", ax=ax)
    sns.stripplot(table, x="value", y="recipe", jitter=False, color=NEUTRAL_COLOUR, size=4,
                  ax=ax)
    ax.set(xlabel=xlabel, ylabel=None, title=title)
    ax.grid(axis="x", alpha=0.3)
    return ax


def confusion_heatmap(counts: np.ndarray, *, title: str | None = None,
                      ax: Axes | None = None) -> Axes:
    """Draw (10, 10) confusion counts so that the mistakes, not the correct answers, stand out.

    A good model puts about 98 % of its answers on the diagonal; on a single colour scale
    they would leave every mistake the same pale colour. So only the mistakes are coloured,
    on their own scale (the colour bar); the diagonal is grey, with its counts written in
    it; a pair of digits never confused is a blank cell. ``counts`` come from
    `mnist_book.evaluation` (rows: true digit, columns: predicted digit).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6), facecolor=FACECOLOR, layout="constrained")
    diagonal = np.eye(NUM_CLASSES, dtype=bool)
    largest_mistake = counts[~diagonal].max() or 1  # a scale even when there are none
    text = {"fontsize": 8}
    sns.heatmap(counts, mask=~diagonal, cmap=ListedColormap([DIAGONAL_COLOUR]), cbar=False,
                annot=True, fmt="d", annot_kws=text, square=True, ax=ax)
    sns.heatmap(counts, mask=diagonal | (counts == 0), cmap=MISTAKES_CMAP, vmin=0,
                vmax=largest_mistake, annot=True, fmt="d", annot_kws=text, square=True,
                cbar_kws={"label": "mistakes", "ticks": MaxNLocator(integer=True)}, ax=ax)
    ax.set(xlabel="predicted", ylabel="true", title=title)
    ax.tick_params(axis="y", labelrotation=0)
    return ax


def _digit_title(label: int | None, prediction: int | None,
                confidence: float | None = None) -> str:
    """Return "5", "pred 3" or "true 5, pred 3", plus the confidence as a percentage."""
    if prediction is None:
        title = "" if label is None else str(label)
    elif label is None:
        title = f"pred {prediction}"
    else:
        title = f"true {label}, pred {prediction}"
    return title if confidence is None else f"{title}\n{confidence:.0%}"


def _new_figure(figsize: tuple[float, float]) -> Figure:
    return plt.figure(figsize=figsize, facecolor=FACECOLOR, layout="constrained")


def _digit_grid(images: np.ndarray, titles: list[str], colours: list[str],
                columns: int) -> Figure:
    """Draw ``images`` in rows of ``columns``, one titled, axis-free subplot each."""
    count = len(images)
    columns = min(columns, count)
    rows = math.ceil(count / columns)
    title_lines = max(title.count("\n") + 1 if title else 0 for title in titles)
    fig = _new_figure((columns * CELL_INCHES,
                       rows * (CELL_INCHES + TITLE_LINE_INCHES * title_lines)))
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    brightest = 255 if np.issubdtype(images.dtype, np.integer) else 1  # floats and bools: 1
    for ax, image, title, colour in zip(axes, images, titles, colours, strict=False):
        ax.imshow(image.astype(np.float32), cmap=DIGIT_CMAP, vmin=0, vmax=brightest)
        ax.set_title(title, color=colour, fontsize=9)
        ax.set_axis_off()
    for unused in axes[count:]:
        unused.remove()
    return fig


def _history_dict(history: Any) -> Mapping[str, Any]:
    """Return the metric dict of a Keras ``History`` (or the dict itself)."""
    recorded = getattr(history, "history", history)
    if not isinstance(recorded, Mapping):
        raise TypeError("history: expected a Keras History or a dict of per-epoch metric "
                        f"lists, got {type(history).__name__}")
    if not recorded:
        raise ValueError("history: expected recorded metrics, got an empty history")
    return recorded


def _check_metrics(metrics: Any, runs: list[Mapping[str, Any]]) -> tuple[str, ...]:
    metrics = (metrics,) if isinstance(metrics, str) else metrics
    if not isinstance(metrics, Sequence) or not all(isinstance(m, str) for m in metrics):
        raise TypeError(f"metrics: expected metric names (str), got {metrics!r}")
    if not metrics:
        raise ValueError("metrics: expected at least one metric name, got none")
    for recorded in runs:
        for metric in metrics:
            if metric not in recorded:
                raise ValueError(f"history: no metric {metric!r}; the recorded ones are "
                                 f"{sorted(recorded)}")
    return tuple(metrics)


def _curves_table(runs: list[Mapping[str, Any]], metrics: tuple[str, ...]) -> pd.DataFrame:
    """One row per run, metric, split and epoch: the long table seaborn draws from."""
    rows = []
    for metric in metrics:
        for split, key in SPLITS.items():
            name = key.format(metric)
            recorded = [name in run for run in runs]
            if not any(recorded):
                continue
            if not all(recorded):
                raise ValueError(f"history: {name!r} is recorded in some runs only")
            curves = [_epoch_values(run, name) for run in runs]
            if len({len(curve) for curve in curves}) > 1:
                raise ValueError(f"history[{name!r}]: expected runs of the same number of "
                                 f"epochs, got {[len(curve) for curve in curves]}")
            rows += [(run, metric, split, epoch, value) for run, curve in enumerate(curves)
                     for epoch, value in enumerate(curve, start=1)]
    return pd.DataFrame(rows, columns=["run", "metric", "split", "epoch", "value"])


def _epoch_values(recorded: Mapping[str, Any], key: str) -> np.ndarray:
    values = as_array(recorded[key], f"history[{key!r}]").astype(np.float64)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"history[{key!r}]: expected one value per epoch, "
                         f"got shape {values.shape}")
    return values


def _axes_per_metric(axes: Any, metrics: tuple[str, ...]) -> np.ndarray:
    """Return the given Axes (one per metric) as a 1-D array, or new ones in a row."""
    count = len(metrics)
    if axes is None:
        _, axes = plt.subplots(1, count, figsize=(4.5 * count, 3.5), facecolor=FACECOLOR,
                               layout="constrained", squeeze=False)
        return axes.ravel()
    axes = np.asarray(axes, dtype=object).ravel()
    if len(axes) != count:
        raise ValueError(f"axes: expected {count} Axes for {list(metrics)}, got {len(axes)}")
    return axes


def _seed_column(name: Any, values: ArrayLike) -> pd.DataFrame:
    values = as_array(values, f"results[{name!r}]").astype(np.float64).ravel()
    if len(values) < 2 or not np.isfinite(values).all():
        raise ValueError(f"results[{name!r}]: expected finite results of two or more seeds, "
                         f"got {values.tolist()}")
    return pd.DataFrame({"recipe": str(name), "value": values})
