"""What every chapter reports about a trained model on a test set, computed in one place.

`evaluate` turns a model and labelled images into an `Evaluation`: the probabilities, the
predicted digits, the accuracy, the confusion counts and the mistakes, most confident
first, with the two figures the chapters draw from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from mnist_book.checks import check_images, check_labels

PREDICT_BATCH = 2000  # images per call when predicting


def predict_proba(model: Any, images: ArrayLike) -> np.ndarray:
    """The (n, 10) probabilities of a model that outputs logits: a softmax of its outputs.

    The model is called directly, in inference mode (dropout and augmentation off), a
    batch of 2,000 images at a time.

    Raises:
        ValueError: images that are not 28 × 28 (or 784 pixels), or that hold NaN or
            infinity. Any other values pass: a model may take standardised inputs.
    """
    import keras

    batch = check_images(images, pixel_range=False).astype(np.float32)
    logits = [keras.ops.convert_to_numpy(model(batch[start:start + PREDICT_BATCH],
                                               training=False))
              for start in range(0, len(batch), PREDICT_BATCH)]
    return keras.ops.convert_to_numpy(keras.ops.softmax(np.concatenate(logits)))


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A model's answers on labelled digits, and what the chapters read from them.

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
        from mnist_book.plots import confusion_matrix

        return confusion_matrix(self.labels, self.predictions)

    @cached_property
    def mistakes(self) -> np.ndarray:
        """Indices of the wrong predictions, the most confident (highest probability) first."""
        wrong = np.flatnonzero(self.predictions != self.labels)
        confidence = self.probabilities[wrong, self.predictions[wrong]]
        return wrong[np.argsort(-confidence, kind="stable")]

    def plot_confusion(self, title: str, ax: Any = None) -> Any:
        """`plot_confusion_matrix` of these answers, titled with the model's name."""
        from mnist_book.plots import plot_confusion_matrix

        return plot_confusion_matrix(self.labels, self.predictions, title=title, ax=ax)

    def plot_mistakes(self, images: ArrayLike, max_digits: int = 20) -> Any:
        """`plot_misclassified`: the mistakes, most confident first, with probabilities."""
        from mnist_book.plots import plot_misclassified

        return plot_misclassified(images, self.labels, self.predictions, self.probabilities,
                                  max_digits=max_digits)


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
    return Evaluation(labels, predict_proba(model, images))
