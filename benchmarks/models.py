"""The models `make bench` measures: each chapter's final network with its batch size and
epochs, the reference `mlp-3x512`, and the two time-to-accuracy recipes on 784-100-10.

A chapter's network is written here a second time only where the notebook builds it
inline; `benchmarks.run` compares each parameter count with the one the notebook glued,
so the two cannot drift apart silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from mnist_book import compile_with_cosine, dropout_mlp

layers = keras.layers


@dataclass(frozen=True)
class ModelSpec:
    """A network to time: `build` returns it uncompiled, ten logits out."""

    chapter: str
    name: str
    build: Callable[[], keras.Model]
    batch_size: int
    epochs: int

    def compiled(self) -> keras.Model:
        return compile_with_cosine(self.build(), learning_rate=1e-3, epochs=self.epochs,
                                   batch_size=self.batch_size)


def dense_stack(*widths: int, input_dropout: float = 0.0, dropout: float = 0.0,
                augment: bool = False) -> keras.Model:
    """28 x 28 -> [augmentation] -> [dropout] -> ReLU layers of `widths` [+ dropout] -> 10."""
    model = keras.Sequential([keras.Input((28, 28))])
    if augment:  # chapter 7's augmentation
        model.add(layers.Reshape((28, 28, 1)))
        model.add(layers.RandomTranslation(2 / 28, 2 / 28, fill_mode="constant"))
        model.add(layers.RandomRotation(8 / 360, fill_mode="constant"))
    model.add(layers.Flatten())
    if input_dropout:
        model.add(layers.Dropout(input_dropout))
    for width in widths:
        model.add(layers.Dense(width, activation="relu"))
        if dropout:
            model.add(layers.Dropout(dropout))
    model.add(layers.Dense(10))
    return model


def small_cnn() -> keras.Model:
    """Chapter 9's CNN."""
    return keras.Sequential([
        keras.Input((28, 28)),
        layers.Reshape((28, 28, 1)),
        layers.Conv2D(16, 5, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 5, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(10),
    ])


MODELS: list[ModelSpec] = [
    ModelSpec("02", "softmax regression", dense_stack, batch_size=512, epochs=10),
    ModelSpec("03", "784-100-10 dropout",
              lambda: dense_stack(100, input_dropout=0.1, dropout=0.2), 256, 20),
    ModelSpec("04", "784-128-64-10 dropout",
              lambda: dense_stack(128, 64, input_dropout=0.1, dropout=0.1), 512, 15),
    ModelSpec("05", "tuned 3 x 512", lambda: dense_stack(512, 512, 512, dropout=0.3), 256, 15),
    ModelSpec("06", "784-256-10 dropout", dropout_mlp, 256, 10),
    ModelSpec("07", "2 x 512 augmented", lambda: dense_stack(512, 512, dropout=0.3, augment=True),
              256, 15),
    ModelSpec("08", "784-256-10 dropout", dropout_mlp, 256, 8),
    ModelSpec("09", "small CNN", small_cnn, 128, 6),
    # Not a chapter's model: the throughput reference, tested after its timed epochs.
    ModelSpec("-", "mlp-3x512", lambda: dense_stack(512, 512, 512), 256, 3),
]


def training_flops_per_sample(model: keras.Model) -> float:
    """Training FLOPs per image: 6 per weight use (2 forward, 4 backward).

    A Dense weight is used once per image; a convolution kernel weight once per output
    position, so its count is multiplied by the output's height x width.
    """
    flops = 0.0
    for layer in model.layers:
        if isinstance(layer, layers.Conv2D):
            positions = int(np.prod(layer.output.shape[1:3]))
            flops += 6 * int(np.prod(layer.kernel.shape)) * positions
        elif isinstance(layer, layers.Dense):
            flops += 6 * int(np.prod(layer.kernel.shape))
    return flops


@dataclass(frozen=True)
class Recipe:
    """A way to train 784-100-10: the compiled model, batch size, epoch limit, label form."""

    model: keras.Model
    batch_size: int
    max_epochs: int
    one_hot: bool


def article_recipe() -> Recipe:
    """A popular PyTorch tutorial's recipe ported as written: Adam 1e-3, batch 32,
    binary cross-entropy on one-hot targets, up to 10 epochs, one step per call."""
    model = dense_stack(100)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    return Recipe(model, batch_size=32, max_epochs=10, one_hot=True)


def book_recipe() -> Recipe:
    """Chapter 3's recipe: dropout 0.1 on the pixels and 0.2 on the hidden layer, Adam with a
    cosine schedule from 4e-3 over 20 epochs, batch 256, 20 steps per call."""
    model = dense_stack(100, input_dropout=0.1, dropout=0.2)
    return Recipe(compile_with_cosine(model, learning_rate=4e-3, epochs=20, batch_size=256),
                  batch_size=256, max_epochs=20, one_hot=False)
