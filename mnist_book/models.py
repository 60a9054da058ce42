"""The networks the book trains in more than one place, and how each chapter trains its own.

- `mlp` builds every multilayer perceptron of the book, from softmax regression (no hidden
  layer) to the regularised MLPs; `small_cnn` builds the convolutional network;
  `shift_and_turn` is the data augmentation of the regularisation chapter.
- `compile_with_cosine` compiles a logits model with Adam (AdamW with weight decay) and a
  learning rate that decays to zero along a cosine.
- `Recipe` and `RECIPES`: each chapter's final network with its training settings. The
  chapters and `benchmarks/` build them from here, so the two cannot drift apart, and
  `describe` gives a model's whole configuration for tests to compare.
- `shifted_accuracy`: accuracy on digits moved a few pixels.

A chapter's own experiments stay in its notebook, where the reader sees them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from mnist_book.checks import IMAGE_SIDE, check_images, check_labels
from mnist_book.preprocess import shift_digits

# Training steps per call into TensorFlow: the Python overhead of a call is paid once for
# this many steps. The updates are the same for any value.
STEPS_PER_EXECUTION = 100
TRAIN_SIZE = 50_000  # the book's training split (`split_validation`)
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid")


def mlp(*hidden_units: int, activation: str = "relu", input_dropout: float = 0.0,
        dropout: float = 0.0, l2: float = 0.0, augment: bool = False,
        name: str = "mlp") -> Any:
    """A multilayer perceptron from 28 × 28 pixels to ten logits.

    28 × 28 → [`shift_and_turn`] → Flatten → [Dropout(``input_dropout``)] → one Dense
    layer of each width in ``hidden_units``, each followed by ``activation`` and
    [Dropout(``dropout``)] → Dense(10). With no hidden units it is softmax regression.

    Args:
        *hidden_units: the width of each hidden layer, in order.
        activation: "relu", "leaky_relu" (slope 0.01 for negative inputs, PyTorch's
            default), "tanh" or "sigmoid".
        input_dropout: share of pixels dropped during training.
        dropout: share of each hidden layer's outputs dropped during training.
        l2: an L2 penalty ``l2 / 2 · ‖w‖²`` on every weight and bias, added to the loss:
            what PyTorch's ``Adam(weight_decay=l2)`` does (coupled weight decay).
        augment: move and turn every training image a little (`shift_and_turn`).
        name: the model's name in its summary.

    Returns:
        An uncompiled ``keras.Sequential`` (see `compile_with_cosine`).

    Raises:
        ValueError: an unknown activation.

    Example:
        >>> mlp(100).count_params()  # doctest: +SKIP
        79510
    """
    import keras
    from keras import layers

    if activation not in ACTIVATIONS:
        raise ValueError(f"activation: expected one of {ACTIVATIONS}, got {activation!r}")
    penalty = {"kernel_regularizer": keras.regularizers.L2(l2 / 2),
               "bias_regularizer": keras.regularizers.L2(l2 / 2)} if l2 else {}
    model = keras.Sequential([keras.Input((IMAGE_SIDE, IMAGE_SIDE))], name=name)
    if augment:
        model.add(shift_and_turn())
    model.add(layers.Flatten())
    if input_dropout:
        model.add(layers.Dropout(input_dropout))
    for units in hidden_units:
        if activation == "leaky_relu":  # Keras' own "leaky_relu" has slope 0.2
            model.add(layers.Dense(units, **penalty))
            model.add(layers.LeakyReLU(negative_slope=0.01))
        else:
            model.add(layers.Dense(units, activation=activation, **penalty))
        if dropout:
            model.add(layers.Dropout(dropout))
    model.add(layers.Dense(10, **penalty))
    return model


def shift_and_turn() -> Any:
    """Data augmentation: move each image up to 2 pixels each way and turn it up to 8°.

    Like dropout, the layers act only in training; `predict` and `evaluate` see the
    images as they are. The new border is filled with black.
    """
    import keras
    from keras import layers

    return keras.Sequential([
        layers.Reshape((IMAGE_SIDE, IMAGE_SIDE, 1)),
        layers.RandomTranslation(2 / IMAGE_SIDE, 2 / IMAGE_SIDE, fill_mode="constant"),
        layers.RandomRotation(8 / 360, fill_mode="constant"),
        layers.Reshape((IMAGE_SIDE, IMAGE_SIDE)),
    ], name="shift_and_turn")


def small_cnn(*, filters: tuple[int, int] = (16, 32), kernel_size: int = 5,
              dense_units: int = 128, dropout: float = 0.3, name: str = "cnn") -> Any:
    """Two rounds of convolution and 2 × 2 max pooling, then a dense head, ten logits out.

    28 × 28 → Reshape (28, 28, 1) → Conv2D(``filters[0]``, ``kernel_size``, same padding,
    ReLU) → MaxPooling → Conv2D(``filters[1]``, ``kernel_size``, no padding, ReLU) →
    MaxPooling → Flatten → Dropout → Dense(``dense_units``, ReLU) → Dropout → Dense(10).
    """
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input((IMAGE_SIDE, IMAGE_SIDE)),
        layers.Reshape((IMAGE_SIDE, IMAGE_SIDE, 1)),
        layers.Conv2D(filters[0], kernel_size, padding="same", activation="relu",
                      name="conv1"),
        layers.MaxPooling2D(2),
        layers.Conv2D(filters[1], kernel_size, activation="relu", name="conv2"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(dropout),
        layers.Dense(dense_units, activation="relu"),
        layers.Dropout(dropout),
        layers.Dense(10),
    ], name=name)


def compile_with_cosine(model: Any, *, learning_rate: float, epochs: int, batch_size: int,
                        weight_decay: float = 0.0, warmup_epochs: float = 0.0,
                        train_size: int = TRAIN_SIZE,
                        steps_per_execution: int = STEPS_PER_EXECUTION) -> Any:
    """Compile a logits model: Adam, a cosine schedule to zero, cross-entropy on logits.

    The learning rate starts at ``learning_rate`` and follows a cosine down to zero over
    ``epochs`` epochs of ``train_size`` images in batches of ``batch_size``. With
    ``warmup_epochs`` it first climbs in a straight line from zero to ``learning_rate``
    over that many epochs, then follows the cosine over the rest. With a
    ``weight_decay`` the optimiser is AdamW, which shrinks every weight by
    ``learning rate × weight_decay`` of itself at each step, apart from the gradient
    (decoupled weight decay).

    Returns:
        ``model``, compiled, with accuracy as its metric.

    Raises:
        ValueError: a learning rate, epoch count, batch size or training-set size that
            is not positive, or a warm-up that is negative or as long as the run.

    Example:
        >>> model = compile_with_cosine(mlp(100), learning_rate=4e-3, epochs=8,
        ...                             batch_size=256)  # doctest: +SKIP
    """
    import keras

    counts = {"learning_rate": learning_rate, "epochs": epochs, "batch_size": batch_size,
              "train_size": train_size}
    for label, count in counts.items():
        if not count > 0:
            raise ValueError(f"{label}: expected a positive number, got {count!r}")
    if not 0 <= warmup_epochs < epochs:
        raise ValueError(f"warmup_epochs: expected 0 up to the {epochs} epochs, "
                         f"got {warmup_epochs!r}")
    steps = epochs * math.ceil(train_size / batch_size)
    if warmup_epochs:
        warmup = round(warmup_epochs * math.ceil(train_size / batch_size))
        schedule = keras.optimizers.schedules.CosineDecay(
            0.0, steps - warmup, warmup_target=learning_rate, warmup_steps=warmup)
    else:
        schedule = keras.optimizers.schedules.CosineDecay(learning_rate, steps)
    optimizer = (keras.optimizers.AdamW(schedule, weight_decay=weight_decay) if weight_decay
                 else keras.optimizers.Adam(schedule))
    model.compile(optimizer=optimizer,
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], steps_per_execution=steps_per_execution)
    return model


BUILDERS: Mapping[str, Callable[..., Any]] = MappingProxyType({"mlp": mlp,
                                                               "small_cnn": small_cnn})


@dataclass(frozen=True)
class Recipe:
    """A final network of the book and how it is trained.

    Attributes:
        network: the builder's name, "mlp" or "small_cnn".
        layers: the builder's positional arguments (the MLP's hidden widths).
        options: the builder's keyword arguments.
        learning_rate: the starting learning rate of the cosine schedule.
        epochs: epochs over the 50,000 training images.
        batch_size: images per step.
        weight_decay: AdamW's decoupled weight decay (0: plain Adam).
        warmup_epochs: epochs of linear warm-up before the cosine (`compile_with_cosine`).
        steps_per_execution: training steps per call into TensorFlow.
    """

    network: str
    layers: tuple[int, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    learning_rate: float = 1e-3
    epochs: int = 10
    batch_size: int = 256
    weight_decay: float = 0.0
    warmup_epochs: float = 0.0
    steps_per_execution: int = STEPS_PER_EXECUTION

    def build(self) -> Any:
        """A fresh model of this recipe, compiled for its schedule."""
        model = BUILDERS[self.network](*self.layers, **self.options)
        return compile_with_cosine(model, learning_rate=self.learning_rate,
                                   epochs=self.epochs, batch_size=self.batch_size,
                                   weight_decay=self.weight_decay,
                                   warmup_epochs=self.warmup_epochs,
                                   steps_per_execution=self.steps_per_execution)

    def fit(self, model: Any, x: Any, y: Any, **kwargs: Any) -> tuple[Any, float]:
        """Train ``model`` for the recipe's epochs and batch size; ``(history, seconds)``."""
        from mnist_book.training import fit_timed

        return fit_timed(model, x, y, epochs=self.epochs, batch_size=self.batch_size,
                         **kwargs)


RECIPES: Mapping[str, Recipe] = MappingProxyType({
    "softmax_regression": Recipe("mlp", learning_rate=1e-2, epochs=10, batch_size=512),
    "one_hidden_layer": Recipe("mlp", (100,), {"input_dropout": 0.1, "dropout": 0.2},
                               learning_rate=4e-3, epochs=20, batch_size=256),
    "two_hidden_layers": Recipe("mlp", (128, 64), {"input_dropout": 0.1, "dropout": 0.1},
                                learning_rate=6e-3, epochs=15, batch_size=512),
    "tuned_deep_mlp": Recipe("mlp", (512, 512, 512), {"dropout": 0.2}, learning_rate=2e-3,
                             epochs=15, batch_size=256, weight_decay=1e-4),
    "dropout_mlp": Recipe("mlp", (256,), {"input_dropout": 0.1, "dropout": 0.2},
                          learning_rate=4e-3, epochs=8, batch_size=256),
    "regularised_mlp": Recipe("mlp", (512, 512), {"dropout": 0.3, "augment": True},
                              learning_rate=2e-3, epochs=15, batch_size=256,
                              weight_decay=0.05),
    "small_cnn": Recipe("small_cnn", learning_rate=3e-3, epochs=6, batch_size=128),
    # The appendix's time-to-accuracy races (`benchmarks/`): no dropout, a whole epoch per
    # call into TensorFlow; chosen on the validation split among `benchmarks.levers`'s
    # candidates.
    "race_mlp": Recipe("mlp", (100,), learning_rate=3e-3, epochs=12, batch_size=128,
                       steps_per_execution=math.ceil(TRAIN_SIZE / 128)),
    "race_cnn": Recipe("small_cnn", options={"dropout": 0.0}, learning_rate=4e-3, epochs=4,
                       batch_size=256, steps_per_execution=math.ceil(TRAIN_SIZE / 256)),
})


def describe(model: Any) -> dict[str, Any]:
    """A compiled model's whole configuration, without the names Keras numbers itself.

    The layers' configurations (``model.get_config()``), the optimiser's with its
    schedule, the loss and the steps per execution: two models with equal descriptions
    are built and compiled alike.
    """
    import keras

    return _without_names({"model": model.get_config(),
                           "optimizer": model.optimizer.get_config(),
                           "loss": keras.losses.serialize(model.loss),
                           "steps_per_execution": model.steps_per_execution})


def _without_names(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_names(item) for key, item in value.items() if key != "name"}
    if isinstance(value, list | tuple):
        return [_without_names(item) for item in value]
    return value


DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1))  # right, left, down, up


def whole_moves(images: Any, shift: int) -> np.ndarray:
    """Which moves of ``shift`` pixels keep every inked pixel of a digit inside the frame.

    Returns:
        A bool array of shape (n, 4): moving right, left, down and up. A move is whole
        when no ink lies in the ``shift`` outermost rows or columns it moves towards.
    """
    ink = check_images(images) > 0
    if shift == 0:
        return np.ones((len(ink), len(DIRECTIONS)), dtype=bool)
    edges = [ink[:, :, -shift:], ink[:, :, :shift], ink[:, -shift:, :], ink[:, :shift, :]]
    return np.stack([~edge.any(axis=(1, 2)) for edge in edges], axis=1)


def shifted_accuracy(model: Any, images: Any, labels: Any, shift: int) -> float:
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
    from mnist_book.evaluation import predict_proba

    if isinstance(shift, bool) or not isinstance(shift, (int, np.integer)) or not 0 <= shift < 28:
        raise ValueError(f"shift: expected an integer number of pixels in 0-27, got {shift!r}")
    images = check_images(images, "images")
    labels = check_labels(labels, "labels", length=len(images))
    kept = whole_moves(images, shift)
    directions = DIRECTIONS if shift else DIRECTIONS[:1]
    right = 0
    for column, (dx, dy) in enumerate(directions):
        moved = images[kept[:, column]]
        if len(moved) == 0:
            continue
        predicted = predict_proba(model, shift_digits(moved, dx * shift, dy * shift))
        right += int((predicted.argmax(axis=1) == labels[kept[:, column]]).sum())
    return right / int(kept[:, :len(directions)].sum())
