"""Model builders that several chapters (and `benchmarks/`) share.

Only models used in more than one place live here; a chapter's own experiments stay in
its notebook, where the reader sees them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mnist_book.checks import check_images, check_labels
from mnist_book.preprocess import shift_digits


def dropout_mlp(hidden_units: int = 256, *, input_dropout: float = 0.1,
                hidden_dropout: float = 0.2, name: str = "mlp") -> Any:
    """A one-hidden-layer MLP with dropout that outputs ten logits (chapters 6, 8 and 9).

    28 × 28 pixels → Flatten → Dropout(``input_dropout``) → Dense(``hidden_units``, ReLU)
    → Dropout(``hidden_dropout``) → Dense(10). The model is not compiled: see
    `compile_with_cosine`.

    Args:
        hidden_units: width of the hidden layer, at least 1.
        input_dropout: share of pixels dropped during training, in [0, 1).
        hidden_dropout: share of hidden units dropped during training, in [0, 1).
        name: the model's name in its summary.

    Returns:
        An uncompiled ``keras.Sequential``.

    Raises:
        ValueError: a width below 1 or a dropout rate outside [0, 1).

    Example:
        >>> dropout_mlp(256).count_params()  # doctest: +SKIP
        203530
    """
    if isinstance(hidden_units, bool) or not isinstance(hidden_units, (int, np.integer)) \
            or hidden_units < 1:
        raise ValueError(f"hidden_units: expected a positive integer, got {hidden_units!r}")
    for label, rate in (("input_dropout", input_dropout), ("hidden_dropout", hidden_dropout)):
        if not 0 <= rate < 1:
            raise ValueError(f"{label}: expected a rate in [0, 1), got {rate!r}")
    import keras

    return keras.Sequential([
        keras.Input((28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dropout(input_dropout),
        keras.layers.Dense(int(hidden_units), activation="relu", name="hidden"),
        keras.layers.Dropout(hidden_dropout),
        keras.layers.Dense(10),
    ], name=name)


def compile_with_cosine(model: Any, *, learning_rate: float, epochs: int, batch_size: int,
                        train_size: int = 50_000, steps_per_execution: int = 20) -> Any:
    """Compile a logits model with Adam and a learning rate that decays to 0 along a cosine.

    The schedule spans ``epochs`` epochs of ``train_size`` images in batches of
    ``batch_size``. The loss is sparse categorical cross-entropy on logits, the metric
    accuracy. ``steps_per_execution`` training steps run per call into TensorFlow.

    Args:
        model: an uncompiled Keras model with ten logits out.
        learning_rate: the starting learning rate, above 0.
        epochs, batch_size, train_size, steps_per_execution: positive integers.

    Returns:
        ``model``, compiled.

    Raises:
        TypeError: ``model`` has no ``compile`` method.
        ValueError: a rate or count that is not positive.

    Example:
        >>> model = compile_with_cosine(dropout_mlp(), learning_rate=4e-3, epochs=8,
        ...                             batch_size=256)  # doctest: +SKIP
    """
    if not callable(getattr(model, "compile", None)):
        raise TypeError(f"model: expected a Keras model, got {type(model).__name__}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate: expected a positive number, got {learning_rate!r}")
    counts = {"epochs": epochs, "batch_size": batch_size, "train_size": train_size,
              "steps_per_execution": steps_per_execution}
    for label, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
            raise ValueError(f"{label}: expected a positive integer, got {count!r}")
    import keras

    steps = epochs * math.ceil(train_size / batch_size)
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(learning_rate, steps)),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def shifted_accuracy(model: Any, images: Any, labels: Any, shift: int) -> float:
    """Accuracy on ``images`` moved ``shift`` pixels right, left, down and up (the mean).

    Args:
        model: a Keras model (or anything with ``predict``) taking (n, 28, 28) images.
        images: (n, 28, 28) images, scaled as the model expects.
        labels: n integer labels in 0–9.
        shift: pixels to move, 0–27; 0 scores the unmoved images.

    Returns:
        The share of correct predictions over the four moved copies (over the images
        themselves when ``shift`` is 0).

    Raises:
        TypeError: ``model`` has no ``predict`` method.
        ValueError: images not of shape (n, 28, 28) or similar, labels outside 0–9 or of
            another length, or a shift outside 0–27.

    Example:
        >>> shifted_accuracy(model, x_test, y_test, 2)  # doctest: +SKIP
        0.7
    """
    if not callable(getattr(model, "predict", None)):
        raise TypeError(f"model: expected a Keras model, got {type(model).__name__}")
    if isinstance(shift, bool) or not isinstance(shift, (int, np.integer)) or not 0 <= shift < 28:
        raise ValueError(f"shift: expected an integer number of pixels in 0-27, got {shift!r}")
    images = check_images(images, "images")
    labels = check_labels(labels, "labels", length=len(images))
    directions = [(shift, 0), (-shift, 0), (0, shift), (0, -shift)] if shift else [(0, 0)]
    moved = np.concatenate([shift_digits(images, dx, dy) for dx, dy in directions])
    predictions = np.asarray(model.predict(moved, batch_size=1000, verbose=0)).argmax(axis=1)
    return float((predictions == np.tile(labels, len(directions))).mean())
