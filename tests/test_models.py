"""The shared networks, recipes and evaluation: shapes, hand counts, schedules, known answers."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from mnist_book.evaluation import evaluate, predict_proba, shifted_accuracy, whole_moves
from mnist_book.models import compile_with_cosine, describe, mlp, small_cnn
from mnist_book.recipes import RECIPES


def test_mlp_has_the_hand_counted_parameters_and_outputs_logits():
    assert mlp().count_params() == 784 * 10 + 10  # softmax regression
    model = mlp(256, input_dropout=0.1, dropout=0.2)
    assert model.count_params() == (784 * 256 + 256) + (256 * 10 + 10)
    assert model.output_shape == (None, 10)
    assert model.layers[-1].get_config()["activation"] == "linear"  # logits, no softmax
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Flatten", "Dropout", "Dense", "Dropout", "Dense"]
    assert model.layers[2].get_config()["activation"] == "relu"


def test_mlp_leaky_relu_has_pytorchs_slope_and_l2_is_half_the_coupled_decay():
    model = mlp(8, activation="leaky_relu", l2=0.01)
    assert model.layers[2].get_config()["negative_slope"] == pytest.approx(0.01)
    assert model.layers[1].kernel_regularizer.get_config()["l2"] == pytest.approx(0.005)


def test_the_cnn_has_the_hand_counted_parameters():
    conv1 = 5 * 5 * 1 * 16 + 16
    conv2 = 5 * 5 * 16 * 32 + 32
    dense = (5 * 5 * 32) * 128 + 128 + 128 * 10 + 10
    assert small_cnn().count_params() == conv1 + conv2 + dense == 117_066


def test_compile_with_cosine_decays_to_zero_over_the_whole_run():
    model = compile_with_cosine(mlp(8), learning_rate=4e-3, epochs=3, batch_size=256,
                                train_size=1000)
    schedule = model.optimizer.get_config()["learning_rate"]
    assert schedule["class_name"] == "CosineDecay"
    assert schedule["config"]["initial_learning_rate"] == pytest.approx(4e-3)
    assert schedule["config"]["decay_steps"] == 3 * 4  # ceil(1000 / 256) = 4 steps per epoch
    assert schedule["config"]["alpha"] == 0.0  # all the way down to zero
    assert type(model.optimizer).__name__ == "Adam"


def test_weight_decay_selects_adamw():
    model = compile_with_cosine(mlp(8), learning_rate=1e-3, epochs=1, batch_size=32,
                                weight_decay=0.05)
    assert type(model.optimizer).__name__ == "AdamW"
    assert model.optimizer.get_config()["weight_decay"] == pytest.approx(0.05)


@pytest.mark.parametrize("name", ["learning_rate", "epochs", "batch_size", "train_size"])
def test_compile_with_cosine_rejects_counts_that_are_not_positive(name):
    arguments = {"learning_rate": 1e-3, "epochs": 1, "batch_size": 32, name: 0}
    with pytest.raises(ValueError, match=name):
        compile_with_cosine(mlp(), **arguments)


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_recipe_builds_a_compiled_logits_model(name):
    model = RECIPES[name].build()
    assert model.output_shape == (None, 10)
    assert model.steps_per_execution >= 1 and model.optimizer is not None


def test_describe_sees_every_setting_and_ignores_keras_numbering():
    first, second = RECIPES["one_hidden_layer"].build(), RECIPES["one_hidden_layer"].build()
    assert first.layers[1].name != second.layers[1].name  # dense_3, dense_5, ...
    assert describe(first) == describe(second)
    assert describe(first) != describe(RECIPES["dropout_mlp"].build())
    recompiled = compile_with_cosine(mlp(100, input_dropout=0.1, dropout=0.2),
                                     learning_rate=4e-3, epochs=19, batch_size=256)
    assert describe(first) != describe(recompiled)  # one epoch less: another schedule


class CentrePixel(keras.Model):
    """Logits that say 1 when the centre pixel is lit, else 0: answers we can count."""

    def call(self, images, training=False):
        lit = keras.ops.cast(images[:, 14, 14] > 0, "float32")
        return keras.ops.stack([10 * (1 - lit), 10 * lit], axis=1) - 5


def centre_dots(count: int) -> np.ndarray:
    images = np.zeros((count, 28, 28), dtype=np.float32)
    images[:, 14, 14] = 1.0
    return images


def test_predict_proba_is_a_softmax_of_the_logits():
    probabilities = predict_proba(CentrePixel(), centre_dots(3))
    assert probabilities.shape == (3, 2)
    np.testing.assert_allclose(probabilities[:, 1], 1 / (1 + np.exp(-10)), rtol=1e-6)


def test_evaluate_counts_against_a_model_with_known_answers():
    images = centre_dots(4)
    images[3] = 0  # blank: the model says 0
    result = evaluate(CentrePixel(), images, [1, 1, 0, 1])
    assert result.predictions.tolist() == [1, 1, 1, 0]
    assert (result.accuracy, result.errors) == (0.5, 2)
    assert result.confusion[1, 0] == 1 and result.confusion[0, 1] == 1
    assert sorted(result.mistakes.tolist()) == [2, 3]


def test_whole_moves_leave_out_moves_that_cut_off_ink():
    images = centre_dots(2)
    images[1, 27, 10] = 1.0  # ink on the bottom row: moving down would cut it off
    kept = whole_moves(images, 2)
    assert kept.tolist() == [[True] * 4, [True, True, False, True]]


def test_shifted_accuracy_counts_against_a_model_with_known_answers():
    images, labels = centre_dots(5), np.ones(5, dtype=int)
    assert shifted_accuracy(CentrePixel(), images, labels, 0) == 1.0
    assert shifted_accuracy(CentrePixel(), images, labels, 1) == 0.0  # the pixel moved away
    images[:3, 14, 15] = 1.0  # these stay lit when moved one pixel left only
    assert shifted_accuracy(CentrePixel(), images, labels, 1) == pytest.approx(3 / 20)
    images[4, 0, 14] = 1.0  # ink on the top row: its upward move is left out
    assert shifted_accuracy(CentrePixel(), images, labels, 1) == pytest.approx(3 / 19)


@pytest.mark.parametrize(
    ("images", "labels", "shift", "message"),
    [(np.zeros((2, 28, 28)), [0, 1], 28, "0-27"),
     (np.zeros((2, 28, 28)), [0, 1], -1, "0-27"),
     (np.zeros((2, 28, 28)), [0, 1, 2], 1, "expected 2 labels"),
     (np.zeros((2, 27, 27)), [0, 1], 1, "28, 28"),
     (np.zeros((2, 28, 28)), [0, 10], 1, "0-9")],
)
def test_shifted_accuracy_rejects_bad_arguments(images, labels, shift, message):
    with pytest.raises(ValueError, match=message):
        shifted_accuracy(CentrePixel(), images, labels, shift)
