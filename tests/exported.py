"""Read a model exported for the browser back into Keras, written from the file format alone.

The tests use it to check the exporter (tests/test_export.py) and to give the "Draw a
digit" page's JavaScript a Keras model to agree with (tests/test_draw.py). It does not
import `mnist_book.export`: it only trusts what the manifest says. `small_cnn` is a model
using every layer option the exporter accepts, for both test files.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def read_manifest(manifest_path: Path) -> tuple[dict, bytes]:
    """Return the manifest and the bytes of its weights file."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    weights = (Path(manifest_path).parent / manifest["weights_file"]).read_bytes()
    return manifest, weights


def load_exported(manifest_path: Path):
    """Return a Keras model with the layers and weights the manifest describes."""
    import keras

    manifest, weights = read_manifest(manifest_path)
    assert manifest["dtype"] == "float32" and manifest["byte_order"] == "little"
    assert len(weights) == manifest["weights_bytes"]
    layers, values = [keras.Input(tuple(manifest["input_shape"]))], []
    for spec in manifest["layers"]:
        kind = spec["kind"]
        if kind == "flatten":
            layers.append(keras.layers.Flatten())
        elif kind == "reshape":
            layers.append(keras.layers.Reshape(tuple(spec["output_shape"])))
        elif kind == "dense":
            layers.append(keras.layers.Dense(spec["units"], activation=spec["activation"],
                                             use_bias="bias" in spec))
        elif kind == "conv2d":
            layers.append(keras.layers.Conv2D(
                spec["filters"], tuple(spec["kernel_size"]), strides=tuple(spec["strides"]),
                padding=spec["padding"], activation=spec["activation"],
                use_bias="bias" in spec))
        elif kind == "maxpool":
            layers.append(keras.layers.MaxPooling2D(
                tuple(spec["pool_size"]), strides=tuple(spec["strides"]),
                padding=spec["padding"]))
        else:
            raise AssertionError(f"unknown layer kind {kind!r}")
        for role in ("kernel", "bias"):
            if role in spec:
                shape, offset = spec[role]["shape"], spec[role]["offset"]
                count = int(np.prod(shape))
                values.append(np.frombuffer(weights, "<f4", count, offset).reshape(shape))
    model = keras.Sequential(layers, name=manifest["name"])
    for layer, spec in zip(model.layers, manifest["layers"], strict=True):
        assert list(layer.output.shape[1:]) == spec["output_shape"], (layer, spec)
    model.set_weights(values)
    return model


def probabilities(model, manifest: dict, images: np.ndarray) -> np.ndarray:
    """Return the (n, 10) probabilities the model gives, applying softmax to logits."""
    import keras

    outputs = model.predict(images, batch_size=1000, verbose=0)
    if manifest["outputs"] == "logits":
        outputs = keras.ops.convert_to_numpy(keras.ops.softmax(outputs))
    return np.asarray(outputs, dtype=np.float64)


def small_cnn():
    """A model with every layer kind and option the page supports, and layers it skips."""
    import keras

    return keras.Sequential([
        keras.Input((28, 28)),
        keras.layers.Reshape((28, 28, 1)),
        keras.Sequential([keras.layers.RandomTranslation(0.1, 0.1),
                          keras.layers.RandomRotation(0.05)], name="augment"),
        keras.layers.Conv2D(4, 5, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(6, 3, strides=2, activation="relu"),
        keras.layers.MaxPooling2D(3, strides=2, padding="same"),
        keras.layers.Conv2D(3, (2, 3), use_bias=False),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(12, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ], name="small_cnn")
