"""The shared model builders: shapes, parameter counts, the schedule, and bad arguments."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_book import compile_with_cosine, dropout_mlp, shifted_accuracy


def test_dropout_mlp_has_the_hand_counted_parameters_and_outputs_logits():
    model = dropout_mlp(256)
    assert model.count_params() == (784 * 256 + 256) + (256 * 10 + 10)
    assert model.output_shape == (None, 10)
    assert model.layers[-1].get_config()["activation"] == "linear"  # logits, no softmax


def test_compile_with_cosine_decays_to_zero_over_the_whole_run():
    model = compile_with_cosine(dropout_mlp(8), learning_rate=4e-3, epochs=3, batch_size=256,
                                train_size=1000)
    schedule = model.optimizer.get_config()["learning_rate"]
    assert schedule["class_name"] == "CosineDecay"
    assert schedule["config"]["initial_learning_rate"] == pytest.approx(4e-3)
    assert schedule["config"]["decay_steps"] == 3 * 4  # ceil(1000 / 256) = 4 steps per epoch
    assert schedule["config"]["alpha"] == 0.0  # all the way down to zero


class PixelModel:
    """Predicts 1 when the centre pixel is lit, else 0: a model whose answers we can count."""

    predicted = 0  # images seen by predict

    def predict(self, images, batch_size=None, verbose=0):
        self.predicted += len(images)
        lit = np.asarray(images)[:, 14, 14] > 0
        return np.stack([~lit, lit], axis=1).astype(float)


def test_shifted_accuracy_counts_against_a_model_with_known_answers():
    images = np.zeros((5, 28, 28), dtype=np.float32)
    images[:, 14, 14] = 1.0
    labels = np.ones(5, dtype=int)
    assert shifted_accuracy(PixelModel(), images, labels, 0) == 1.0
    assert shifted_accuracy(PixelModel(), images, labels, 1) == 0.0  # the pixel moved away
    images[:3, 14, 15] = 1.0  # these stay lit when moved one pixel left only
    assert shifted_accuracy(PixelModel(), images, labels, 1) == pytest.approx(3 / 20)


def test_shifted_accuracy_scores_unmoved_digits_once_and_moved_ones_four_times():
    images, labels = np.zeros((5, 28, 28), dtype=np.float32), np.zeros(5, dtype=int)
    for shift, expected in [(0, 5), (2, 20)]:
        model = PixelModel()
        shifted_accuracy(model, images, labels, shift)
        assert model.predicted == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"hidden_units": 0}, "hidden_units"), ({"hidden_units": 2.5}, "hidden_units"),
     ({"input_dropout": 1.0}, "input_dropout"), ({"hidden_dropout": -0.1}, "hidden_dropout")],
)
def test_dropout_mlp_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dropout_mlp(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"learning_rate": 0}, "learning_rate"), ({"epochs": 0}, "epochs"),
     ({"batch_size": 1.5}, "batch_size"), ({"train_size": -3}, "train_size")],
)
def test_compile_with_cosine_rejects_bad_arguments(kwargs, message):
    arguments = {"learning_rate": 1e-3, "epochs": 1, "batch_size": 32, **kwargs}
    with pytest.raises(ValueError, match=message):
        compile_with_cosine(dropout_mlp(4), **arguments)


def test_compile_with_cosine_rejects_a_non_model():
    with pytest.raises(TypeError, match="Keras model"):
        compile_with_cosine(np.zeros(3), learning_rate=1e-3, epochs=1, batch_size=32)


@pytest.mark.parametrize(
    ("model", "images", "labels", "shift", "error", "message"),
    [("not a model", np.zeros((2, 28, 28)), [0, 1], 1, TypeError, "Keras model"),
     (PixelModel(), np.zeros((2, 28, 28)), [0, 1], 28, ValueError, "0-27"),
     (PixelModel(), np.zeros((2, 28, 28)), [0, 1], -1, ValueError, "0-27"),
     (PixelModel(), np.zeros((2, 28, 28)), [0, 1, 2], 1, ValueError, "expected 2 labels"),
     (PixelModel(), np.zeros((2, 27, 27)), [0, 1], 1, ValueError, "28, 28"),
     (PixelModel(), np.zeros((2, 28, 28)), [0, 10], 1, ValueError, "0-9")],
)
def test_shifted_accuracy_rejects_bad_arguments(model, images, labels, shift, error, message):
    with pytest.raises(error, match=message):
        shifted_accuracy(model, images, labels, shift)
