"""Reproducibility and training utilities used by every chapter.

Keras and TensorFlow are imported inside the functions: `import mnist_book` stays free of
TensorFlow, so that importing the package is fast and changes nothing.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any

import numpy as np


def set_seed(seed: int = 42) -> None:
    """Seed Python, NumPy and Keras, and make TensorFlow ops deterministic.

    Call it at the top of a notebook and again before each model whose numbers you
    compare. Op determinism makes a rerun on the same machine give the same numbers;
    other CPUs or library versions may still differ in the last digits.

    It also drops TensorFlow's warning that a function "triggered tf.function
    retracing": every new Keras model traces its training step once, so a notebook
    that trains several small models in a row sets it off by design.

    Args:
        seed: an integer from 0 to 2**32 - 1; NumPy rejects any other (`TypeError`,
            `ValueError`) before anything is seeded.

    Example:
        >>> set_seed(42)  # doctest: +SKIP
    """
    import keras
    import tensorflow as tf

    np.random.seed(seed)  # noqa: NPY002  (seeds code that uses the legacy global generator)
    random.seed(seed)
    keras.utils.set_random_seed(int(seed))
    tf.config.experimental.enable_op_determinism()
    tensorflow_log = logging.getLogger("tensorflow")
    if not any(isinstance(known, _NoRetracingWarning) for known in tensorflow_log.filters):
        tensorflow_log.addFilter(_NoRetracingWarning())


class _NoRetracingWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


def fit_timed(model: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Call ``model.fit(*args, **kwargs)`` and measure its wall-clock time.

    NumPy arrays among the images, labels and ``validation_data`` are handed to TensorFlow
    once, as tensors, before ``fit`` starts: the training is the same, update for update,
    but no epoch has to copy its batches out of NumPy (the appendix measures the gain).
    The time covers everything ``fit`` does, including the per-epoch validation
    pass when ``validation_data`` is given.

    Returns:
        ``(history, seconds)``: the Keras ``History`` and the seconds ``fit`` took.

    Example:
        >>> history, seconds = fit_timed(model, x, y, epochs=5, verbose=2)  # doctest: +SKIP
    """
    start = time.perf_counter()
    args = tuple(_as_tensor(value) for value in args)
    kwargs = {name: _as_tensor(value) if name in ("x", "y") else value
              for name, value in kwargs.items()}
    if "validation_data" in kwargs:
        kwargs["validation_data"] = tuple(_as_tensor(value)
                                          for value in kwargs["validation_data"])
    history = model.fit(*args, **kwargs)
    return history, time.perf_counter() - start


def _as_tensor(value: Any) -> Any:
    if not isinstance(value, np.ndarray):
        return value
    import tensorflow as tf

    return tf.convert_to_tensor(value)
