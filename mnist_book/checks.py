"""Input validation shared by the public helpers.

Each check converts what it is given to a NumPy array, or raises `TypeError` /
`ValueError` with a message that says what was expected and what was given.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np

NUM_CLASSES = 10
IMAGE_SIDE = 28


def as_array(value: Any, name: str) -> np.ndarray:
    """Convert ``value`` to a numeric NumPy array, or raise `TypeError`."""
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(f"{name}: expected an array, got {type(value).__name__}")
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()  # a TensorFlow tensor
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name}: expected an array, got {type(value).__name__} ({error})"
        ) from error
    if array.dtype.kind not in "buif":  # bool, int, uint, float: no complex, time or object
        raise TypeError(f"{name}: expected a numeric array, got dtype {array.dtype}")
    return array


def check_images(images: Any, name: str = "images", *, pixel_range: bool = True) -> np.ndarray:
    """Return ``images`` as an (n, 28, 28) array of values in 0-1 (floats) or 0-255 (integers).

    Accepts shape (n, 28, 28), (n, 784) or (n, 28, 28, 1). Integer images must lie in
    0-255; float images must lie in 0-1 (divide raw pixels by 255 first). With
    ``pixel_range=False`` any finite values pass: a model's inputs may be standardised.
    """
    array = as_array(images, name)
    if array.ndim == 2 and array.shape[1] == IMAGE_SIDE * IMAGE_SIDE:
        array = array.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    elif array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3 or array.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise ValueError(
            f"{name}: expected shape (n, 28, 28), (n, 784) or (n, 28, 28, 1), got {array.shape}"
        )
    if len(array) == 0:
        raise ValueError(f"{name}: expected at least one image, got none")
    if pixel_range:
        check_pixel_range(array, name)
    elif not np.isfinite(array).all():
        raise ValueError(f"{name}: expected finite pixel values, got NaN or infinity")
    return array


def check_pixel_range(array: np.ndarray, name: str) -> None:
    """Raise `ValueError` unless ``array`` is finite and in 0-255 (integers) or 0-1 (floats)."""
    if np.issubdtype(array.dtype, np.floating):
        if not np.isfinite(array).all():
            raise ValueError(f"{name}: expected finite pixel values, got NaN or infinity")
        low, high, expected = 0.0, 1.0, "0-1 for floats (divide raw pixels by 255)"
    else:
        low, high, expected = 0, 255, "0-255 for integers"
    if array.size and (array.min() < low or array.max() > high):
        raise ValueError(
            f"{name}: expected values in {expected}, got {array.min()}..{array.max()}"
        )


def check_labels(labels: Any, name: str = "labels", length: int | None = None) -> np.ndarray:
    """Return ``labels`` as a 1-D int64 array of digits 0-9, optionally of a given length."""
    array = as_array(labels, name)
    if array.ndim == 2 and array.shape[1] == NUM_CLASSES:
        raise ValueError(
            f"{name}: expected class labels of shape (n,), got {array.shape}, which looks "
            "like probabilities or one-hot rows; pass .argmax(axis=1)"
        )
    if array.ndim != 1:
        raise ValueError(f"{name}: expected shape (n,), got {array.shape}")
    if len(array) == 0:
        raise ValueError(f"{name}: expected at least one label, got none")
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(
            f"{name}: expected integer class labels 0-9, got dtype {array.dtype}; "
            "for probabilities pass .argmax(axis=1)"
        )
    if array.min() < 0 or array.max() >= NUM_CLASSES:
        raise ValueError(f"{name}: expected labels 0-9, got values {array.min()}..{array.max()}")
    if length is not None and len(array) != length:
        raise ValueError(f"{name}: expected {length} labels to match the images, got {len(array)}")
    return array.astype(np.int64)


def check_probabilities(probabilities: Any, length: int, name: str = "probabilities") -> np.ndarray:
    """Return ``probabilities`` as a (length, 10) float array of finite values in 0-1."""
    array = as_array(probabilities, name).astype(np.float64)
    if array.shape != (length, NUM_CLASSES):
        raise ValueError(f"{name}: expected shape ({length}, 10), got {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name}: expected finite values in 0-1, got NaN or infinity")
    if array.min() < 0 or array.max() > 1:
        raise ValueError(
            f"{name}: expected values in 0-1 (softmax outputs), got "
            f"{array.min()}..{array.max()}; apply keras.ops.softmax to logits"
        )
    return array


def check_positive_int(value: Any, name: str) -> None:
    """Raise unless ``value`` is an int of at least 1 (a bool is not a count)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, Integral):
        raise TypeError(f"{name}: expected a positive int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name}: expected a positive int, got {value}")
