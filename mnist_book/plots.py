"""Figures for the chapters, and the numbers behind them.

This module holds everything the book draws: grids of digits, training curves,
confusion matrices and the model's mistakes, plus `confusion_matrix`, the counts the
heatmap shows. Each function checks its inputs first (raising `TypeError` or
`ValueError` that say what was expected), draws into a new white figure unless it is
given a figure or axes, and returns what it drew on. Nothing here calls ``plt.show()``
or changes matplotlib's global settings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from numpy.typing import ArrayLike

from mnist_book.checks import NUM_CLASSES, as_array, check_images, check_labels, check_probabilities

__all__ = [
    "confusion_matrix",
    "plot_confusion_matrix",
    "plot_digits",
    "plot_history",
    "plot_misclassified",
]

FACECOLOR = "white"  # opaque, so black text stays readable on a dark page
WRONG_COLOUR = "tab:red"
NEUTRAL_COLOUR = "black"
DIAGONAL_COLOUR = "0.85"  # light grey: the correct answers, outside the mistakes' scale
DIGIT_CMAP = "gray_r"
CELL_INCHES = 1.2  # width and image height of one digit in a grid
TITLE_LINE_INCHES = 0.2


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, normalize: bool = False) -> np.ndarray:
    """Count how often each true digit was predicted as each digit.

    Args:
        y_true: the correct digits, integers 0-9, shape (n,).
        y_pred: the predicted digits, integers 0-9, shape (n,). For model outputs of
            shape (n, 10) pass ``.argmax(axis=1)``.
        normalize: divide each row by its total, giving the fraction of each true
            digit that went to each prediction. Rows of digits absent from
            ``y_true`` stay 0.

    Returns:
        A (10, 10) array, rows = true digit, columns = predicted digit: int64 counts,
        or float64 fractions whose non-empty rows sum to 1 when ``normalize`` is true.

    Raises:
        TypeError: a non-array input, float labels, or a non-bool ``normalize``.
        ValueError: wrong shapes, labels outside 0-9, empty or unequal-length inputs.

    Example:
        >>> confusion_matrix([0, 1, 1], [0, 1, 0])[:2, :2]
        array([[1, 0],
               [1, 1]])
    """
    y_true, y_pred = _check_label_pair(y_true, y_pred)
    _check_bool(normalize, "normalize")
    counts = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    if not normalize:
        return counts
    row_totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, row_totals, out=np.zeros(counts.shape), where=row_totals > 0)


def plot_digits(
    images: ArrayLike,
    labels: ArrayLike | None = None,
    predictions: ArrayLike | None = None,
    *,
    columns: int = 10,
    max_digits: int = 50,
    fig: Figure | None = None,
    cmap: str | Colormap = DIGIT_CMAP,
) -> Figure:
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
        fig: an empty figure to draw into; by default a new one is created.
        cmap: a matplotlib colormap or its name; ``"gray_r"`` shows dark ink on white.

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
    labels = _check_optional_labels(labels, "labels", len(images))
    predictions = _check_optional_labels(predictions, "predictions", len(images))
    _check_positive_int(columns, "columns")
    _check_positive_int(max_digits, "max_digits")
    count = min(len(images), max_digits)
    true = [None] * count if labels is None else labels[:count]
    predicted = [None] * count if predictions is None else predictions[:count]
    titles = [_digit_title(t, p) for t, p in zip(true, predicted, strict=True)]
    colours = [_title_colour(t, p) for t, p in zip(true, predicted, strict=True)]
    return _draw_digit_grid(images[:count], titles, colours, columns=columns, fig=fig, cmap=cmap)


def plot_history(
    history: Any,
    *,
    metrics: str | Sequence[str] = ("loss", "accuracy"),
    axes: Axes | Sequence[Axes] | np.ndarray | None = None,
    title: str | None = None,
) -> np.ndarray:
    """Plot training curves, one subplot per metric, with validation when recorded.

    Args:
        history: what ``model.fit`` returned (a Keras ``History``), or its
            ``.history`` dict mapping metric names to one value per epoch.
        metrics: the metric names to plot; ``val_<metric>`` is added to the same
            subplot when the history has it.
        axes: one Axes per metric to draw into; by default a new figure is created.
        title: a title for the whole figure.

    Returns:
        A 1-D array of the Axes, in the order of ``metrics``. The x axis counts
        epochs from 1.

    Raises:
        TypeError: ``history`` is neither a History nor a dict, or ``metrics`` are not
            names.
        ValueError: the history is empty, lacks a metric (the message lists the
            recorded ones), or ``axes`` does not hold one Axes per metric.

    Example:
        >>> axes = plot_history({"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]}, metrics="loss")
        >>> [line.get_label() for line in axes[0].lines]
        ['training', 'validation']
    """
    recorded = _history_dict(history)
    metrics = _check_metrics(metrics, recorded)
    curves = [_curves(recorded, metric) for metric in metrics]
    axes = _axes_per_metric(axes, metrics)
    for ax, metric, metric_curves in zip(axes, metrics, curves, strict=True):
        _plot_curves(ax, metric, metric_curves)
    if title is not None:
        axes[0].figure.suptitle(title)
    return axes


def plot_confusion_matrix(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    title: str | None = None,
    normalize: bool = False,
    ax: Axes | None = None,
    cmap: str | Colormap = "Blues",
) -> Axes:
    """Draw `confusion_matrix` so that the mistakes, not the correct answers, catch the eye.

    A good model puts about 98 % of its answers on the diagonal; on a single colour scale
    they would leave every mistake the same pale colour. So only the mistakes are coloured,
    on their own scale (the colour bar); the diagonal is grey, with its numbers written in
    it; and a pair of digits never confused is a blank cell.

    Args:
        y_true: the correct digits, integers 0-9, shape (n,).
        y_pred: the predicted digits, integers 0-9, shape (n,).
        title: the title of the Axes, e.g. the model's name.
        normalize: show each row as percentages of its true digit instead of counts.
        ax: the Axes to draw into; by default a new figure is created.
        cmap: a matplotlib colormap, or its name, for the mistakes.

    Returns:
        The Axes, with rows labelled "true" and columns "predicted", digits 0-9, and a
        number written in every diagonal cell and every cell with mistakes.

    Raises:
        TypeError: a non-array input, float labels, or a non-bool ``normalize``.
        ValueError: wrong shapes, labels outside 0-9, empty or unequal-length inputs.

    Example:
        >>> ax = plot_confusion_matrix([3, 3, 5], [3, 5, 5], title="toy model")
        >>> ax.get_title(), len(ax.texts)  # the 10 diagonal cells and one 3 read as 5
        ('toy model', 11)
    """
    matrix = confusion_matrix(y_true, y_pred, normalize=normalize)
    cmap = colormaps.get_cmap(cmap).with_extremes(bad=FACECOLOR)  # masked cells: blank
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6), facecolor=FACECOLOR, layout="constrained")
    diagonal = np.eye(NUM_CLASSES, dtype=bool)
    largest_mistake = matrix[~diagonal].max() or 1  # a scale even when there are none
    mistakes = ax.imshow(
        np.ma.masked_where(diagonal | (matrix == 0), matrix),
        cmap=cmap,
        vmin=0,
        vmax=largest_mistake,
    )
    ax.imshow(np.ma.masked_where(~diagonal, matrix), cmap=ListedColormap([DIAGONAL_COLOUR]))
    scale = ax.figure.colorbar(
        mistakes, ax=ax, label="share of the true digit" if normalize else "mistakes"
    )
    if normalize:
        scale.formatter = PercentFormatter(xmax=1)
    else:
        scale.locator = MaxNLocator(integer=True)
    number = "{:.1%}" if normalize else "{:d}"
    for (row, column), value in np.ndenumerate(matrix):
        if row == column or value > 0:
            colour = NEUTRAL_COLOUR if row == column else _ink_for(mistakes.to_rgba(value))
            ax.text(column, row, number.format(value), ha="center", va="center", color=colour,
                    fontsize=8)
    digits = range(NUM_CLASSES)
    ax.set_xticks(digits, labels=[str(digit) for digit in digits])
    ax.set_yticks(digits, labels=[str(digit) for digit in digits])
    ax.set(xlabel="predicted", ylabel="true")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_misclassified(
    images: ArrayLike,
    y_true: ArrayLike,
    y_pred: ArrayLike,
    probabilities: ArrayLike | None = None,
    *,
    max_digits: int = 20,
    columns: int = 10,
    fig: Figure | None = None,
) -> Figure:
    """Draw the digits the model got wrong, the most confident mistakes first.

    Args:
        images: shape (n, 28, 28), (n, 784) or (n, 28, 28, 1); integers 0-255 or
            floats 0-1.
        y_true: the correct digits, integers 0-9, one per image.
        y_pred: the predicted digits, integers 0-9, one per image.
        probabilities: the model's (n, 10) softmax outputs. When given, mistakes are
            sorted by the probability of the wrong prediction, which is shown in the
            title; otherwise they keep their original order.
        max_digits: draw at most this many mistakes (positive int).
        columns: digits per row (positive int).
        fig: an empty figure to draw into; by default a new one is created.

    Returns:
        The figure: one red-titled axis per mistake drawn (``"true 4, pred 9"``, plus
        ``"97%"`` on a second line with probabilities), or a single axis saying
        "no mistakes" when there are none.

    Raises:
        TypeError: a non-array input, float labels, or non-int counts.
        ValueError: wrong shapes, values out of range, lengths that differ from the
            number of images, or non-positive counts.

    Example:
        >>> images = np.zeros((3, 28, 28), np.uint8)
        >>> probabilities = np.eye(10)[[1, 2, 3]] * 0.9
        >>> fig = plot_misclassified(images, [1, 5, 6], [1, 2, 3], probabilities)
        >>> fig.axes[0].get_title()
        'true 5, pred 2\\n90%'
    """
    images = check_images(images)
    y_true, y_pred = _check_label_pair(y_true, y_pred, length=len(images))
    confidences = None
    if probabilities is not None:
        probabilities = check_probabilities(probabilities, len(images))
        confidences = probabilities[np.arange(len(images)), y_pred]
    _check_positive_int(max_digits, "max_digits")
    _check_positive_int(columns, "columns")
    shown = _mistakes_most_confident_first(y_true, y_pred, confidences)[:max_digits]
    if len(shown) == 0:
        return _no_mistakes_figure(fig)
    shown_confidences = [None] * len(shown) if confidences is None else confidences[shown]
    titles = [
        _digit_title(y_true[i], y_pred[i], confidence)
        for i, confidence in zip(shown, shown_confidences, strict=True)
    ]
    colours = [WRONG_COLOUR] * len(shown)
    return _draw_digit_grid(
        images[shown], titles, colours, columns=columns, fig=fig, cmap=DIGIT_CMAP
    )


def _check_label_pair(
    y_true: ArrayLike, y_pred: ArrayLike, length: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Validate true and predicted labels of equal length (and of ``length`` if given)."""
    y_true = check_labels(y_true, "y_true", length)
    y_pred = check_labels(y_pred, "y_pred")
    if len(y_pred) != len(y_true):
        raise ValueError(f"y_pred: expected {len(y_true)} labels like y_true, got {len(y_pred)}")
    return y_true, y_pred


def _check_optional_labels(labels: ArrayLike | None, name: str, length: int) -> np.ndarray | None:
    return None if labels is None else check_labels(labels, name, length)


def _check_bool(value: Any, name: str) -> None:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__}")


def _check_positive_int(value: Any, name: str) -> None:
    if isinstance(value, bool | np.bool_) or not isinstance(value, Integral):
        raise TypeError(f"{name}: expected a positive int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name}: expected a positive int, got {value}")


def _ink_for(background: tuple[float, float, float, float]) -> str:
    """Black text on a light cell, white on a dark one."""
    red, green, blue, _ = background
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white"


def _digit_title(
    label: int | None, prediction: int | None, confidence: float | None = None
) -> str:
    """Return "5", "pred 3" or "true 5, pred 3", plus the confidence as a percentage."""
    if prediction is None:
        title = "" if label is None else str(label)
    elif label is None:
        title = f"pred {prediction}"
    else:
        title = f"true {label}, pred {prediction}"
    return title if confidence is None else f"{title}\n{confidence:.0%}"


def _title_colour(label: int | None, prediction: int | None) -> str:
    is_wrong = label is not None and prediction is not None and label != prediction
    return WRONG_COLOUR if is_wrong else NEUTRAL_COLOUR


def _draw_digit_grid(
    images: np.ndarray,
    titles: list[str],
    colours: list[str],
    *,
    columns: int,
    fig: Figure | None,
    cmap: str | Colormap,
) -> Figure:
    """Draw ``images`` in a grid of ``columns``, one titled, axis-free subplot each."""
    count = len(images)
    columns = min(columns, count)
    rows = math.ceil(count / columns)
    title_lines = max(title.count("\n") + 1 if title else 0 for title in titles)
    row_inches = CELL_INCHES + TITLE_LINE_INCHES * title_lines
    fig = _figure_or_new(fig, figsize=(columns * CELL_INCHES, rows * row_inches))
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    brightest = 255 if np.issubdtype(images.dtype, np.integer) else 1  # floats and bools: 1
    for ax, image, title, colour in zip(axes[:count], images, titles, colours, strict=True):
        ax.imshow(image.astype(np.float32), cmap=cmap, vmin=0, vmax=brightest)
        ax.set_title(title, color=colour, fontsize=9)
        ax.set_axis_off()
    for unused in axes[count:]:
        unused.remove()
    return fig


def _figure_or_new(fig: Figure | None, figsize: tuple[float, float]) -> Figure:
    if fig is None:
        fig = plt.figure(figsize=figsize, facecolor=FACECOLOR, layout="constrained")
    return fig


def _mistakes_most_confident_first(
    y_true: np.ndarray, y_pred: np.ndarray, confidences: np.ndarray | None
) -> np.ndarray:
    wrong = np.flatnonzero(y_true != y_pred)
    if confidences is None:
        return wrong
    return wrong[np.argsort(-confidences[wrong], kind="stable")]


def _no_mistakes_figure(fig: Figure | None) -> Figure:
    fig = _figure_or_new(fig, figsize=(3, 1))
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "no mistakes", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _history_dict(history: Any) -> Mapping[str, Any]:
    """Return the metric dict of a Keras ``History`` (or the dict itself)."""
    recorded = getattr(history, "history", history)
    if not isinstance(recorded, Mapping):
        raise TypeError(
            "history: expected a Keras History or a dict of per-epoch metric lists, "
            f"got {type(history).__name__}"
        )
    if not recorded:
        raise ValueError("history: expected recorded metrics, got an empty history")
    return recorded


def _check_metrics(metrics: Any, recorded: Mapping[str, Any]) -> tuple[str, ...]:
    metrics = (metrics,) if isinstance(metrics, str) else metrics
    if not isinstance(metrics, Sequence) or not all(isinstance(m, str) for m in metrics):
        raise TypeError(f"metrics: expected metric names (str), got {metrics!r}")
    if not metrics:
        raise ValueError("metrics: expected at least one metric name, got none")
    for metric in metrics:
        if metric not in recorded:
            raise ValueError(
                f"history: no metric {metric!r}; the recorded ones are {sorted(recorded)}"
            )
    return tuple(metrics)


def _axes_per_metric(axes: Any, metrics: tuple[str, ...]) -> np.ndarray:
    """Return the given Axes (one per metric) as a 1-D array, or new ones in a row."""
    if axes is None:
        _, axes = plt.subplots(
            1,
            len(metrics),
            figsize=(4.5 * len(metrics), 3.5),
            facecolor=FACECOLOR,
            layout="constrained",
            squeeze=False,
        )
        return axes.ravel()
    axes = np.asarray(axes, dtype=object).ravel()
    if len(axes) != len(metrics):
        raise ValueError(f"axes: expected {len(metrics)} Axes for {list(metrics)}, got {len(axes)}")
    return axes


def _metric_values(recorded: Mapping[str, Any], key: str) -> np.ndarray:
    values = as_array(recorded[key], f"history[{key!r}]").astype(np.float64)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(
            f"history[{key!r}]: expected one value per epoch, got shape {values.shape}"
        )
    return values


def _curves(recorded: Mapping[str, Any], metric: str) -> dict[str, np.ndarray]:
    """Return the training values of ``metric`` and, when recorded, its validation values."""
    keys = {"training": metric, "validation": f"val_{metric}"}
    return {label: _metric_values(recorded, key) for label, key in keys.items() if key in recorded}


def _plot_curves(ax: Axes, metric: str, curves: dict[str, np.ndarray]) -> None:
    """Plot each curve against epochs 1, 2, ... on ``ax``."""
    for label, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, marker="o", markersize=3, label=label)
    ax.set(xlabel="epoch", ylabel=metric, title=metric)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
