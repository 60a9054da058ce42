"""The networks the book trains in more than one place, and how they are compiled.

- `mlp` builds every multilayer perceptron of the book, from softmax regression (no hidden
  layer) to the regularised MLPs; `small_cnn` builds the convolutional network;
  `shift_and_turn` is the data augmentation of the regularisation chapter.
- `compile_with_cosine` compiles a logits model with Adam (AdamW with weight decay) and a
  learning rate that decays to zero along a cosine.

Each chapter's final network and its settings are a recipe (`mnist_book.recipes`); a
chapter's own experiments stay in its notebook, where the reader sees them.

Keras is imported inside the functions, not at the top: `import mnist_book` stays free of
TensorFlow, so that importing the package is fast and changes nothing.
"""

from __future__ import annotations

import math
from typing import Any

from mnist_book.checks import IMAGE_SIDE
from mnist_book.data import TRAIN_SIZE

# Training steps per call into TensorFlow: the Python overhead of a call is paid once for
# this many steps. The updates are the same for any value.
STEPS_PER_EXECUTION = 100
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
