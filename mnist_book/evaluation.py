"""What every chapter reports about a trained model on test digits, computed in one place.

- `evaluate` turns a model and labelled images into an `Evaluation`: the probabilities,
  the predicted digits, the accuracy, the confusion counts and the mistakes, most
  confident first, with the two figures the chapters draw from them.
- `predict_proba`: a logits model's probabilities.
- `confusion_matrix`, `plot_confusion_matrix`, `plot_misclassified`: the same counts and
  figures from predictions made elsewhere.
- `shifted_accuracy`: accuracy on digits moved a few pixels, over the moves that cut off
  no ink (`whole_moves`).

The public functions check their inputs; what they call inside does not check again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from mnist_book.checks import (
    IMAGE_SIDE,
    NUM_CLASSES,
    check_images,
    check_labels,
    check_positive_int,
    check_probabilities,
)
from mnist_book.plots import confusion_heatmap, mistake_grid
from mnist_book.preprocess import move_batch

PREDICT_BATCH = 2000  # images per call when predicting
DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1))  # right, left, down, up


def predict_proba(model: Any, images: ArrayLike) -> np.ndarray:
    """The (n, 10) probabilities of a model that outputs logits: a softmax of its outputs.

    The model is called directly, in inference mode (dropout and augmentation off), a
    batch of 2,000 images at a time.

    Raises:
        ValueError: images that are not 28 × 28 (or 784 pixels), or that hold NaN or
            infinity. Any other values pass: a model may take standardised inputs.
    """
    return _probabilities(model, check_images(images, pixel_range=False))


def _probabilities(model: Any, images: np.ndarray) -> np.ndarray:
    import keras  # here, not at the top: `import mnist_book` stays free of TensorFlow

    batch = images.astype(np.float32)
    logits = [keras.ops.convert_to_numpy(model(batch[start:start + PREDICT_BATCH],
                                               training=False))
              for start in range(0, len(batch), PREDICT_BATCH)]
    return keras.ops.convert_to_numpy(keras.ops.softmax(np.concatenate(logits)))


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """Count how often each true digit was predicted as each digit.

    Args:
        y_true: the correct digits, integers 0-9, shape (n,).
        y_pred: the predicted digits, integers 0-9, shape (n,). For model outputs of
            shape (n, 10) pass ``.argmax(axis=1)``.

    Returns:
        A (10, 10) int64 array, rows = true digit, columns = predicted digit.

    Raises:
        TypeError: a non-array input or float labels.
        ValueError: wrong shapes, labels outside 0-9, empty or unequal-length inputs.

    Example:
        >>> confusion_matrix([0, 1, 1], [0, 1, 0])[:2, :2]
        array([[1, 0],
               [1, 1]])
    """
    return _count_confusions(*_check_label_pair(y_true, y_pred))


def plot_confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, *, title: str | None = None,
                          ax: Axes | None = None) -> Axes:
    """Draw `confusion_matrix` as `mnist_book.plots.confusion_heatmap` does: only the
    mistakes coloured, on their own scale; the diagonal grey, its counts written in it.

    Args:
        y_true: the correct digits, integers 0-9, shape (n,).
        y_pred: the predicted digits, integers 0-9, shape (n,).
        title: the title of the Axes, e.g. the model's name.
        ax: the Axes to draw into; by default a new figure is created.

    Returns:
        The Axes, with rows labelled "true" and columns "predicted", digits 0-9, and a
        count written in every diagonal cell and every cell with mistakes.

    Raises:
        TypeError, ValueError: as `confusion_matrix`.

    Example:
        >>> ax = plot_confusion_matrix([3, 3, 5], [3, 5, 5], title="toy model")
        >>> ax.get_title(), len(ax.texts)  # the 10 diagonal cells and one 3 read as 5
        ('toy model', 11)
    """
    return confusion_heatmap(confusion_matrix(y_true, y_pred), title=title, ax=ax)


def plot_misclassified(images: ArrayLike, y_true: ArrayLike, y_pred: ArrayLike,
                       probabilities: ArrayLike | None = None, *, max_digits: int = 20,
                       columns: int = 10) -> Figure:
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
    if probabilities is not None:
        probabilities = check_probabilities(probabilities, len(images))
    check_positive_int(max_digits, "max_digits")
    check_positive_int(columns, "columns")
    confidences = (None if probabilities is None
                   else probabilities[np.arange(len(images)), y_pred])
    shown = _mistakes(y_true, y_pred, confidences)[:max_digits]
    return mistake_grid(images[shown], y_true[shown], y_pred[shown],
                        None if confidences is None else confidences[shown], columns=columns)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A model's answers on labelled digits, and what the chapters read from them.

    Made by `evaluate`, which checks what it is given.

    Attributes:
        labels: the correct digits, shape (n,).
        probabilities: the model's (n, 10) softmax outputs.
    """

    labels: np.ndarray
    probabilities: np.ndarray

    @cached_property
    def predictions(self) -> np.ndarray:
        """The most probable digit for each image."""
        return self.probabilities.argmax(axis=1)

    @property
    def accuracy(self) -> float:
        return float((self.predictions == self.labels).mean())

    @property
    def errors(self) -> int:
        return int((self.predictions != self.labels).sum())

    @cached_property
    def confusion(self) -> np.ndarray:
        """(10, 10) counts: row = true digit, column = predicted digit."""
        return _count_confusions(self.labels, self.predictions)

    @cached_property
    def confidences(self) -> np.ndarray:
        """The probability each image's prediction was given."""
        return self.probabilities[np.arange(len(self.labels)), self.predictions]

    @cached_property
    def mistakes(self) -> np.ndarray:
        """Indices of the wrong predictions, the most confident (highest probability) first."""
        return _mistakes(self.labels, self.predictions, self.confidences)

    def plot_confusion(self, title: str, ax: Axes | None = None) -> Axes:
        """The confusion heatmap of these answers, titled with the model's name."""
        return confusion_heatmap(self.confusion, title=title, ax=ax)

    def plot_mistakes(self, images: ArrayLike, max_digits: int = 20) -> Figure:
        """The mistakes, most confident first, each with its probability.

        Args:
            images: the images the model was scored on, as `plot_digits` takes them.
            max_digits: draw at most this many mistakes (positive int).
        """
        images = check_images(images)
        if len(images) != len(self.labels):
            raise ValueError(f"images: expected the {len(self.labels)} images that were "
                             f"scored, got {len(images)}")
        check_positive_int(max_digits, "max_digits")
        shown = self.mistakes[:max_digits]
        return mistake_grid(images[shown], self.labels[shown], self.predictions[shown],
                            self.confidences[shown])


def evaluate(model: Any, images: ArrayLike, labels: ArrayLike) -> Evaluation:
    """Score a logits model on labelled images.

    Args:
        model: a Keras model (or any callable) taking the images and returning logits.
        images: (n, 28, 28) images scaled as the model was trained.
        labels: the n correct digits.

    Returns:
        An `Evaluation`.

    Raises:
        TypeError: labels that are not integers (probabilities: pass ``.argmax(axis=1)``).
        ValueError: images or labels of the wrong shape, NaN pixels, labels outside 0-9,
            or different lengths.

    Example:
        >>> result = evaluate(model, x_test, y_test)  # doctest: +SKIP
        >>> result.accuracy, result.errors  # doctest: +SKIP
        (0.9813, 187)
    """
    images = check_images(images, pixel_range=False)
    labels = check_labels(labels, length=len(images))
    return Evaluation(labels, _probabilities(model, images))


def whole_moves(images: ArrayLike, shift: int) -> np.ndarray:
    """Which moves of ``shift`` pixels keep every inked pixel of a digit inside the frame.

    Returns:
        A bool array of shape (n, 4): moving right, left, down and up. A move is whole
        when no ink lies in the ``shift`` outermost rows or columns it moves towards.

    Raises:
        ValueError: images not of shape (n, 28, 28) or similar, or a shift outside 0-27.
    """
    return _whole_moves(check_images(images), _check_shift(shift))


def shifted_accuracy(model: Any, images: ArrayLike, labels: ArrayLike, shift: int) -> float:
    """Accuracy on digits moved ``shift`` pixels, over the moves that cut off no ink.

    Each digit is moved right, left, down and up; a move that would push ink out of the
    28 × 28 frame is left out (see `whole_moves`), so that a lower score means the
    model is confused by where the digit is, not by a digit with a piece missing.

    Args:
        model: a model taking (n, 28, 28) images and returning ten logits.
        images: (n, 28, 28) images, scaled as the model expects.
        labels: n integer labels in 0–9.
        shift: pixels to move, 0–27; 0 scores the unmoved images.

    Returns:
        The share of correct predictions over the kept moves.

    Raises:
        ValueError: images not of shape (n, 28, 28) or similar, labels outside 0–9 or
            of another length, or a shift outside 0–27.

    Example:
        >>> shifted_accuracy(model, x_test, y_test, 2)  # doctest: +SKIP
        0.83
    """
    shift = _check_shift(shift)
    images = check_images(images, "images")
    labels = check_labels(labels, "labels", length=len(images))
    kept = _whole_moves(images, shift)
    directions = DIRECTIONS if shift else DIRECTIONS[:1]
    right = 0
    for column, (dx, dy) in enumerate(directions):
        moved = images[kept[:, column]]
        if len(moved) == 0:
            continue
        predicted = _probabilities(model, move_batch(moved, dx * shift, dy * shift))
        right += int((predicted.argmax(axis=1) == labels[kept[:, column]]).sum())
    return right / int(kept[:, :len(directions)].sum())


def _check_shift(shift: Any) -> int:
    if isinstance(shift, bool) or not isinstance(shift, (int, np.integer)) or \
            not 0 <= shift < IMAGE_SIDE:
        raise ValueError(f"shift: expected an integer number of pixels in 0-27, got {shift!r}")
    return int(shift)


def _whole_moves(images: np.ndarray, shift: int) -> np.ndarray:
    ink = images > 0
    if shift == 0:
        return np.ones((len(ink), len(DIRECTIONS)), dtype=bool)
    edges = [ink[:, :, -shift:], ink[:, :, :shift], ink[:, -shift:, :], ink[:, :shift, :]]
    return np.stack([~edge.any(axis=(1, 2)) for edge in edges], axis=1)


def _check_label_pair(y_true: ArrayLike, y_pred: ArrayLike,
                      length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Validate true and predicted labels of equal length (and of ``length`` if given)."""
    y_true = check_labels(y_true, "y_true", length)
    y_pred = check_labels(y_pred, "y_pred")
    if len(y_pred) != len(y_true):
        raise ValueError(f"y_pred: expected {len(y_true)} labels like y_true, got {len(y_pred)}")
    return y_true, y_pred


def _count_confusions(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    counts = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def _mistakes(y_true: np.ndarray, y_pred: np.ndarray,
              confidences: np.ndarray | None) -> np.ndarray:
    """Indices of the wrong predictions: the most confident first, or in their order."""
    wrong = np.flatnonzero(y_true != y_pred)
    if confidences is None:
        return wrong
    return wrong[np.argsort(-confidences[wrong], kind="stable")]
