"""The validation helpers accept what the book passes around and explain what they reject."""

import warnings

import numpy as np
import pytest

from mnist_book.checks import as_array, check_images, check_labels, check_probabilities


class FakeTensor:
    """Stands in for a TensorFlow tensor: converts itself with ``.numpy()``."""

    def __init__(self, values):
        self.values = np.asarray(values)

    def numpy(self):
        return self.values


def test_as_array_converts_lists_and_tensors():
    np.testing.assert_array_equal(as_array([1, 2], "x"), [1, 2])
    np.testing.assert_array_equal(as_array(FakeTensor([3, 4]), "x"), [3, 4])
    assert as_array(np.array([True]), "x").dtype == bool


@pytest.mark.parametrize(
    "value, match",
    [
        pytest.param("123", "expected an array, got str", id="str"),
        pytest.param(None, "expected an array, got NoneType", id="None"),
        pytest.param({"a": 1}, "expected an array, got dict", id="dict"),
        pytest.param([[1, 2], [3]], "expected an array, got list", id="ragged"),
        pytest.param(["a", "b"], "numeric array, got dtype <U1", id="strings"),
        pytest.param(np.array([1, None]), "numeric array, got dtype object", id="object"),
        pytest.param(np.array([1j]), "numeric array, got dtype complex128", id="complex"),
    ],
)
def test_as_array_rejects_non_numeric_input(value, match):
    with pytest.raises(TypeError, match=match):
        as_array(value, "x")


@pytest.mark.parametrize("shape", [(3, 28, 28), (3, 784), (3, 28, 28, 1)])
def test_check_images_accepts_the_keras_layouts(shape):
    assert check_images(np.zeros(shape, np.uint8)).shape == (3, 28, 28)


@pytest.mark.parametrize(
    "images, error, match",
    [
        pytest.param(np.zeros((28, 28)), ValueError, r"got \(28, 28\)", id="single image"),
        pytest.param(np.zeros((2, 28, 28, 3)), ValueError, r"\(n, 28, 28\)", id="rgb"),
        pytest.param(np.zeros((2, 1, 28, 28, 1)), ValueError, r"got \(2, 1, 28, 28, 1\)",
                     id="two extra axes"),
        pytest.param(np.zeros((2, 32, 32)), ValueError, r"got \(2, 32, 32\)", id="wrong size"),
        pytest.param(np.zeros((0, 28, 28)), ValueError, "at least one image", id="empty"),
        pytest.param(np.full((1, 28, 28), np.nan), ValueError, "finite", id="nan"),
        pytest.param(np.full((1, 28, 28), np.inf), ValueError, "finite", id="inf"),
        pytest.param(np.full((1, 28, 28), 255.0), ValueError, "divide raw", id="float 0-255"),
        pytest.param(np.full((1, 28, 28), 256), ValueError, "0-255", id="int 256"),
        pytest.param(np.full((1, 28, 28), -1), ValueError, "0-255", id="negative"),
        pytest.param("images", TypeError, "expected an array", id="str"),
    ],
)
def test_check_images_rejects(images, error, match):
    with pytest.raises(error, match=match):
        check_images(images)


def test_check_labels_returns_int64():
    labels = check_labels(np.array([0, 9], np.uint8))
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, [0, 9])


@pytest.mark.parametrize(
    "labels, error, match",
    [
        pytest.param([], ValueError, "at least one label", id="empty list"),
        pytest.param(np.zeros((3, 10)), ValueError, "argmax", id="probability rows"),
        pytest.param(np.zeros((3, 2), int), ValueError, r"shape \(n,\)", id="2-D"),
        pytest.param([0.2, 0.8], TypeError, "integer class labels", id="floats"),
        pytest.param([0, 10], ValueError, "labels 0-9", id="too large"),
        pytest.param([-1, 3], ValueError, "labels 0-9", id="negative"),
        pytest.param(None, TypeError, "expected an array", id="None"),
    ],
)
def test_check_labels_rejects(labels, error, match):
    with pytest.raises(error, match=match):
        check_labels(labels)


def test_check_labels_checks_the_length():
    with pytest.raises(ValueError, match="expected 3 labels to match the images, got 2"):
        check_labels([1, 2], length=3)


@pytest.mark.parametrize(
    "probabilities, match",
    [
        pytest.param(np.full((2, 9), 0.1), r"expected shape \(2, 10\), got \(2, 9\)", id="shape"),
        pytest.param(np.full((1, 10), 0.1), r"expected shape \(2, 10\), got \(1, 10\)",
                     id="too few rows"),
        pytest.param(np.full((2, 10), np.nan), "NaN or infinity", id="all nan"),
        pytest.param(np.full((2, 10), 3.0), "softmax", id="logits"),
    ],
)
def test_check_probabilities_rejects(probabilities, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the error itself, not a NumPy warning, must explain
        with pytest.raises(ValueError, match=match):
            check_probabilities(probabilities, length=2)
