"""The keras.io "Simple MNIST convnet" example's recipe, raced to a test accuracy.

The example's network: 3 × 3 convolutions with 32 then 64 filters, each followed by 2 × 2
max pooling, then dropout 0.5 and a softmax layer; categorical cross-entropy on one-hot
targets, Adam with Keras' defaults, batches of 128, 15 epochs, NumPy arrays in, Keras'
default one step per call. Its ``validation_split=0.1`` trains on the first 54,000 of the
60,000 training digits; the race trains on those and, like every contestant, leaves the
evaluations off the clock (`benchmarks.race`), the per-epoch validation pass included.

Run: ``python -m benchmarks.peers.keras_io_convnet --target 0.99 --runs 3``
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # as the chapters do

import keras  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.peers import race_arguments  # noqa: E402
from benchmarks.race import race_fit  # noqa: E402
from mnist_book.data import load_mnist  # noqa: E402

NAME = "keras.io convnet (batch 128, Adam, 15 epochs)"
TRAIN_IMAGES = 54_000  # what validation_split=0.1 leaves for training


def network() -> keras.Model:
    layers = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])


def main(argv: list[str] | None = None) -> int:
    args = race_arguments(__doc__.splitlines()[0], argv)
    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train = np.expand_dims(x_train[:TRAIN_IMAGES].astype("float32") / 255, -1)
    y_train = keras.utils.to_categorical(y_train[:TRAIN_IMAGES], 10)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
    runs = []
    for seed in range(args.runs):
        keras.utils.set_random_seed(seed)
        model = network()
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        runs.append(race_fit(model, x_train, y_train, (x_test, y_test), args.target,
                             batch_size=128, epochs=15).as_dict())
    print(json.dumps({"name": NAME, "keras": keras.__version__, "runs": runs}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
