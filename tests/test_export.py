"""`export_for_browser` writes weights the "Draw a digit" page can run, and refuses the rest.

Each exported model is rebuilt from its manifest and binary file alone (tests/exported.py)
and must predict what the original model predicts.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.execute import EXPORT_DIR
from mnist_book import export_for_browser, mlp
from mnist_book.book import read_glued
from mnist_book.chapters import drawing_page_models
from mnist_book.export import MAX_EXPORT_BYTES

from .exported import load_exported, read_manifest, small_cnn

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def digits():
    rng = np.random.default_rng(0)
    return rng.random((64, 28, 28), dtype=np.float32)


@pytest.mark.parametrize("build", [lambda: mlp(16, input_dropout=0.1, dropout=0.2), small_cnn],
                         ids=["mlp", "cnn"])
def test_a_model_rebuilt_from_its_files_predicts_the_same(tmp_path, digits, build):
    keras.utils.set_random_seed(1)
    model = build()
    manifest_path = export_for_browser(model, tmp_path / "models", "toy", test_accuracy=0.5)
    assert manifest_path == tmp_path / "models" / "toy.json"
    rebuilt = load_exported(manifest_path)
    np.testing.assert_allclose(rebuilt.predict(digits, verbose=0),
                               model.predict(digits, verbose=0), rtol=1e-5, atol=1e-6)


def test_the_manifest_lists_the_inference_layers_in_order(tmp_path):
    manifest, weights = read_manifest(export_for_browser(small_cnn(), tmp_path, "cnn",
                                                         test_accuracy=0.9876))
    assert [layer["kind"] for layer in manifest["layers"]] == [
        "reshape", "conv2d", "maxpool", "conv2d", "maxpool", "conv2d", "flatten", "dense",
        "dense"]  # no augmentation, no dropout
    assert manifest["name"] == "cnn" and manifest["weights_file"] == "cnn.bin"
    assert manifest["test_accuracy"] == 0.9876 and manifest["dtype"] == "float32"
    assert manifest["keras_version"] == keras.__version__ and manifest["format_version"] == 1
    assert manifest["input_shape"] == [28, 28] and manifest["outputs"] == "probabilities"
    conv = manifest["layers"][3]
    assert conv["kernel"]["shape"] == [3, 3, 4, 6] and conv["strides"] == [2, 2]
    assert conv["padding"] == "valid" and conv["activation"] == "relu"
    assert "bias" not in manifest["layers"][5]  # use_bias=False
    assert manifest["layers"][4]["padding"] == "same"
    assert manifest["layers"][6]["output_shape"] == [2 * 1 * 3]
    # 5x5x1x4+4, 3x3x4x6+6, 2x3x6x3, 6x12+12, 12x10+10 numbers of 4 bytes
    assert len(weights) == manifest["weights_bytes"] == 4 * (104 + 222 + 108 + 84 + 130)


def test_weights_are_little_endian_float32_kernels_then_biases(tmp_path):
    model = mlp(16, input_dropout=0.1, dropout=0.2)
    manifest, weights = read_manifest(export_for_browser(model, tmp_path, "mlp",
                                                         test_accuracy=0.9))
    kernel, bias = (weight.numpy() for weight in model.layers[2].weights)  # the hidden Dense
    hidden = manifest["layers"][1]
    assert hidden["kernel"] == {"offset": 0, "shape": [784, 16]}
    assert hidden["bias"] == {"offset": 784 * 16 * 4, "shape": [16]}
    raw = np.frombuffer(weights[: 784 * 16 * 4], dtype=np.uint8).reshape(-1, 4)
    first = int.from_bytes(raw[0].tobytes(), "little")  # bits of kernel[0, 0], read by hand
    assert np.array([first], dtype=np.uint32).view(np.float32)[0] == kernel[0, 0]
    stored_bias = np.frombuffer(weights, "<f4", 16, hidden["bias"]["offset"])
    np.testing.assert_array_equal(stored_bias, bias)
    assert manifest["outputs"] == "logits"


def test_a_model_of_1_mb_or_more_is_refused_and_nothing_is_written(tmp_path):
    model = mlp(400, input_dropout=0.1, dropout=0.2)  # 318,010 parameters: 1,272,040 bytes
    with pytest.raises(ValueError, match=r"1,272,040 bytes.*under 1,000,000"):
        export_for_browser(model, tmp_path, "big", test_accuracy=0.9)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("layers", "message"),
    [([keras.layers.Flatten(), keras.layers.BatchNormalization(name="norm")],
      r"layer 'norm' \(BatchNormalization\): not supported"),
     ([keras.layers.Flatten(), keras.layers.Dense(10, activation="tanh", name="out")],
      r"layer 'out' \(Dense\): activation 'tanh' is not supported"),
     ([keras.layers.Dense(10, name="early")], r"'early'.*add a Flatten layer"),
     ([keras.layers.Reshape((28, 28, 1)), keras.layers.Conv2D(2, 3, dilation_rate=2)],
      "dilation"),
     ([keras.layers.Reshape((1, 28, 28)),
       keras.layers.Conv2D(2, 3, data_format="channels_first", name="cf")],
      r"'cf'.*channels_last")],
    ids=["batch norm", "tanh", "dense on 2-D", "dilation", "channels first"],
)
def test_unsupported_layers_are_named(tmp_path, layers, message):
    model = keras.Sequential([keras.Input((28, 28)), *layers])
    with pytest.raises(ValueError, match=message):
        export_for_browser(model, tmp_path, "model", test_accuracy=0.9)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [({"name": "../mlp"}, ValueError, "file stem"),
     ({"name": ""}, ValueError, "file stem"),
     ({"test_accuracy": 98.1}, ValueError, "fraction in 0-1, got 98.1"),
     ({"test_accuracy": True}, ValueError, "fraction"),
     ({"test_accuracy": np.float32(0.5)}, None, None),
     ({"model": "mlp.keras"}, TypeError, "keras.Sequential model, got str"),
     ({"model": keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10)])},
      ValueError, "no input shape yet; start it with keras.Input")],
)
def test_bad_arguments_are_rejected_and_numpy_floats_accepted(tmp_path, kwargs, error, message):
    arguments = {"model": mlp(4), "name": "mlp", "test_accuracy": 0.9} | kwargs
    if error is None:  # accepted
        export_for_browser(arguments.pop("model"), tmp_path, arguments.pop("name"), **arguments)
        return
    with pytest.raises(error, match=message):
        export_for_browser(arguments.pop("model"), tmp_path, arguments.pop("name"),
                           **arguments)


@pytest.mark.parametrize("name", drawing_page_models())
def test_the_committed_page_models_are_small_and_consistent(name):
    manifest_path = EXPORT_DIR / f"{name}.json"
    manifest = json.loads(manifest_path.read_text())
    weights_path = EXPORT_DIR / manifest["weights_file"]
    for path in (manifest_path, weights_path):
        assert path.stat().st_size < MAX_EXPORT_BYTES, path
    assert manifest["name"] == name and manifest["dtype"] == "float32"
    assert weights_path.stat().st_size == manifest["weights_bytes"]
    assert 0.9 < manifest["test_accuracy"] <= 1


@pytest.mark.parametrize("name", drawing_page_models())
def test_the_served_weights_are_those_of_the_model_their_chapter_stored(name):
    """A chapter re-executed without `make execute` leaves its old weights behind."""
    glued = read_glued(drawing_page_models()[name].notebook)
    manifest, _ = read_manifest(EXPORT_DIR / f"{name}.json")
    assert manifest["test_accuracy"] == pytest.approx(glued["test_accuracy"], abs=1e-9)
    assert manifest["weights_bytes"] == 4 * glued["params"]  # float32
