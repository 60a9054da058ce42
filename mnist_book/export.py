"""Export a trained model's weights for the book's "Draw a digit" page.

The page runs the models in the reader's browser with a few lines of plain JavaScript
(no TensorFlow.js), so it needs the weights in the simplest form: one binary file of
little-endian float32 numbers and a JSON manifest saying which layer they belong to.
`export_for_browser` writes both; the chapters that train the page's models call it.
"""

from __future__ import annotations

import json
import numbers
import re
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MAX_EXPORT_BYTES", "export_for_browser"]

FORMAT_VERSION = 1
MAX_EXPORT_BYTES = 1_000_000  # each file stays under 1 MB, so the page loads fast
ACTIVATIONS = ("linear", "relu", "softmax")
# Layers that change nothing at inference: dropout, noise and random augmentation.
SKIPPED_LAYERS = (
    "InputLayer", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
    "AlphaDropout", "GaussianDropout", "GaussianNoise", "ActivityRegularization",
    "RandomTranslation", "RandomRotation", "RandomZoom", "RandomFlip", "RandomContrast",
    "RandomBrightness",
)


def export_for_browser(model: Any, folder: str | Path, name: str, *,
                       test_accuracy: float) -> Path:
    """Write ``<name>.json`` and ``<name>.bin`` for a Keras model into ``folder``.

    The binary file holds every kernel and bias, in layer order, as little-endian
    float32. The manifest lists the layers that compute something at inference, in
    order, with their kind (``dense``, ``conv2d``, ``maxpool``, ``flatten``,
    ``reshape``), activation, input and output shapes, padding and the byte offset and
    shape of each weight array, plus the model's name, the Keras version and its test
    accuracy. Kernels keep Keras' layout: (inputs, units) for a dense layer and
    (height, width, input channels, filters) for a convolution, channels last. Layers
    that do nothing at inference (InputLayer, Dropout, random augmentation) are left
    out. float32 keeps every weight exactly, so the page can score the test set exactly
    as Keras does.

    Args:
        model: a built ``keras.Sequential`` model (nested Sequential blocks are
            flattened) made of Dense, Conv2D, MaxPooling2D, Flatten and Reshape layers,
            with linear, ReLU or softmax activations. A last layer without softmax is
            recorded as giving logits.
        folder: where to write the two files; created if missing.
        name: the files' stem and the model's name on the page, e.g. ``"mlp"``:
            letters, digits, ``-`` and ``_``.
        test_accuracy: the model's accuracy on the test set, a fraction in 0-1, as the
            chapter glued it.

    Returns:
        The path of the JSON manifest.

    Raises:
        TypeError: ``model`` is not a Keras Sequential model.
        ValueError: a model without an input shape; an unsupported layer (its name and
            class are in the message) or option (dilation, groups, channels-first data,
            a Dense layer on unflattened input); a ``name`` that is not a plain file
            stem; a ``test_accuracy`` outside 0-1 (a percentage?); or weights of 1 MB or
            more.

    Example:
        >>> export_for_browser(cnn, "_static/models", "cnn",
        ...                    test_accuracy=0.9921)  # doctest: +SKIP
        PosixPath('_static/models/cnn.json')
    """
    import keras

    if not isinstance(model, keras.Sequential):
        raise TypeError(f"model: expected a keras.Sequential model, got {type(model).__name__}")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise ValueError(f"name: expected a file stem of letters, digits, - and _, got {name!r}")
    if isinstance(test_accuracy, bool) or not isinstance(test_accuracy, numbers.Real) \
            or not 0 <= test_accuracy <= 1:
        raise ValueError(f"test_accuracy: expected a fraction in 0-1, got {test_accuracy!r}")
    try:
        input_shape = tuple(model.inputs[0].shape[1:])
    except AttributeError as error:  # Keras: "has no defined inputs yet"
        raise ValueError(f"model: {model.name!r} has no input shape yet; start it with "
                         "keras.Input((28, 28))") from error

    shape = input_shape
    layers, arrays, offset = [], [], 0
    for layer in _inference_layers(model):
        output_shape = tuple(layer.compute_output_shape((None, *shape))[1:])
        entry = _describe(layer, shape) | {"name": layer.name, "input_shape": list(shape),
                                           "output_shape": list(output_shape)}
        for role, weight in zip(("kernel", "bias"), _weights(layer), strict=False):
            array = np.ascontiguousarray(weight.numpy(), dtype="<f4")
            entry[role] = {"offset": offset, "shape": list(array.shape)}
            arrays.append(array)
            offset += array.nbytes
        layers.append(entry)
        shape = output_shape

    weights = b"".join(array.tobytes() for array in arrays)
    last = next((layer for layer in reversed(layers) if "activation" in layer), None)
    manifest = {
        "format": "mnist-book-browser-model",
        "format_version": FORMAT_VERSION,
        "name": name,
        "keras_version": keras.__version__,
        "dtype": "float32",
        "byte_order": "little",
        "weights_file": f"{name}.bin",
        "weights_bytes": len(weights),
        "test_accuracy": float(test_accuracy),
        "input_shape": list(input_shape),
        "outputs": "probabilities" if last and last["activation"] == "softmax" else "logits",
        "layers": layers,
    }
    text = _manifest_text(manifest)
    for label, size in (("weights", len(weights)), ("manifest", len(text.encode()))):
        if size >= MAX_EXPORT_BYTES:
            raise ValueError(f"{name}: {label} take {size:,} bytes; the page needs each file "
                             f"under {MAX_EXPORT_BYTES:,} (use a smaller model)")

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.bin").write_bytes(weights)
    manifest_path = folder / f"{name}.json"
    manifest_path.write_text(text, encoding="utf-8")
    return manifest_path


def _manifest_text(manifest: dict[str, Any]) -> str:
    """Return the manifest as JSON with one line per key and per layer, easy to diff."""
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in manifest.items()
             if key != "layers"]
    layers = ",\n".join(f"    {json.dumps(layer)}" for layer in manifest["layers"])
    return "{\n" + ",\n".join([*lines, f'  "layers": [\n{layers}\n  ]']) + "\n}\n"


def _inference_layers(model: Any) -> list[Any]:
    """Return the model's layers in order, nested Sequential blocks flattened, minus no-ops."""
    import keras

    layers = []
    for layer in model.layers:
        if isinstance(layer, keras.Sequential):
            layers.extend(_inference_layers(layer))
        elif type(layer).__name__ not in SKIPPED_LAYERS:
            layers.append(layer)
    return layers


def _describe(layer: Any, input_shape: tuple[int, ...]) -> dict[str, Any]:
    """Return a layer's kind and options for the manifest, or raise for what the page lacks."""
    import keras

    where = f"layer {layer.name!r} ({type(layer).__name__})"
    if isinstance(layer, keras.layers.Flatten):
        return {"kind": "flatten"}
    if isinstance(layer, keras.layers.Reshape):
        return {"kind": "reshape"}
    if isinstance(layer, keras.layers.Dense):
        if len(input_shape) != 1:
            raise ValueError(f"{where}: expected a flat input, got shape {input_shape}; "
                             "add a Flatten layer before it")
        return {"kind": "dense", "units": layer.units, "activation": _activation(layer, where)}
    if isinstance(layer, keras.layers.Conv2D):
        _check_channels_last(layer, where)
        if tuple(layer.dilation_rate) != (1, 1) or layer.groups != 1:
            raise ValueError(f"{where}: dilation and groups are not supported, got "
                             f"dilation_rate={layer.dilation_rate}, groups={layer.groups}")
        return {"kind": "conv2d", "filters": layer.filters,
                "kernel_size": list(layer.kernel_size), "strides": list(layer.strides),
                "padding": layer.padding, "activation": _activation(layer, where)}
    if isinstance(layer, keras.layers.MaxPooling2D):
        _check_channels_last(layer, where)
        return {"kind": "maxpool", "pool_size": list(layer.pool_size),
                "strides": list(layer.strides), "padding": layer.padding}
    raise ValueError(f"{where}: not supported by the browser export (supported: Dense, "
                     "Conv2D, MaxPooling2D, Flatten, Reshape, and layers that do nothing "
                     "at inference such as Dropout)")


def _activation(layer: Any, where: str) -> str:
    activation = getattr(layer.activation, "__name__", str(layer.activation))
    if activation not in ACTIVATIONS:
        raise ValueError(f"{where}: activation {activation!r} is not supported "
                         f"(supported: {', '.join(ACTIVATIONS)})")
    return activation


def _check_channels_last(layer: Any, where: str) -> None:
    if layer.data_format != "channels_last":
        raise ValueError(f"{where}: expected data_format='channels_last', "
                         f"got {layer.data_format!r}")


def _weights(layer: Any) -> list[Any]:
    """Return the layer's kernel, then its bias if it has one."""
    kernel = getattr(layer, "kernel", None)
    if kernel is None:
        return []
    bias = getattr(layer, "bias", None)
    return [kernel] if bias is None else [kernel, bias]
