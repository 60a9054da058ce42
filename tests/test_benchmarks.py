"""The benchmark's models match the chapters, and its FLOP counts match hand counts."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from benchmarks import levers, measure, run
from benchmarks.levers import LEVERS, Lever
from benchmarks.models import (
    MODELS,
    article_recipe,
    book_recipe,
    dense_stack,
    small_cnn,
    training_flops_per_sample,
)
from mnist_book import chapter_results

from .conftest import ROOT


@pytest.mark.parametrize("spec", [spec for spec in MODELS if spec.chapter != "-"],
                         ids=lambda spec: spec.chapter)
def test_each_benchmark_model_has_its_chapters_parameter_count(spec):
    glued = {row["chapter"]: row["params"] for row in chapter_results(ROOT / "notebooks")}
    assert spec.build().count_params() == glued[spec.chapter]


def test_the_reference_mlp_is_784_512_512_512_10():
    [reference] = [spec for spec in MODELS if spec.name == "mlp-3x512"]
    widths = [layer.units for layer in reference.build().layers if hasattr(layer, "units")]
    assert widths == [512, 512, 512, 10]


def test_dense_flops_are_six_per_weight():
    assert training_flops_per_sample(dense_stack()) == 6 * 784 * 10
    assert training_flops_per_sample(dense_stack(100)) == 6 * (784 * 100 + 100 * 10)


def test_convolution_flops_count_every_output_position():
    conv1 = 5 * 5 * 1 * 16 * 28 * 28  # padding="same" keeps 28 x 28 positions
    conv2 = 5 * 5 * 16 * 32 * 10 * 10  # 14 x 14 in, 5 x 5 kernel, no padding
    dense = 800 * 128 + 128 * 10
    assert training_flops_per_sample(small_cnn()) == 6 * (conv1 + conv2 + dense)


def test_the_two_recipes_are_the_ones_compared():
    article, book = article_recipe(), book_recipe()
    assert (article.batch_size, article.max_epochs, article.one_hot) == (32, 10, True)
    assert isinstance(article.model.loss, keras.losses.BinaryCrossentropy)
    assert (book.batch_size, book.max_epochs, book.one_hot) == (256, 20, False)
    assert article.model.count_params() == book.model.count_params() == 79_510


def test_a_target_out_of_reach_is_reported_as_never_reached():
    recipe = book_recipe()
    images = np.zeros((60, 28, 28), dtype=np.float32)
    labels = np.arange(60) % 10  # six of each digit
    data = (images, labels, images, labels)  # blank images: at most 10 % can be right
    race = measure.seconds_to_accuracy(recipe.model, data, 32, 2, 0.5)
    assert race.seconds_to_target is None and race.epochs == 2
    assert race.best_accuracy <= 0.1 and race.training_seconds > 0


def test_a_reached_target_stops_the_race_at_once():
    recipe = book_recipe()
    images = np.zeros((64, 28, 28), dtype=np.float32)
    labels = np.zeros(64, dtype=int)  # one class: any model that predicts it is right
    data = (images, labels, images, labels)
    race = measure.seconds_to_accuracy(recipe.model, data, 32, 5, 0.0)
    assert race.epochs == 1 and race.seconds_to_target == race.training_seconds


def test_the_ratio_is_an_upper_bound_when_the_article_never_gets_there():
    runs = [{"training_seconds": 100.0}, {"training_seconds": 90.0}]
    rows = {"book_recipe_seconds": 9.0, "article_recipe_seconds": None,
            "article_recipe_runs": runs}
    assert run.book_to_article_ratio(rows) == {"ratio": 0.1, "ratio_is_upper_bound": True}
    rows["article_recipe_seconds"] = 45.0
    assert run.book_to_article_ratio(rows) == {"ratio": 0.2, "ratio_is_upper_bound": False}


def test_each_lever_changes_one_setting_of_the_book_recipe():
    baseline, *others = LEVERS
    assert baseline == Lever(baseline.name)  # the defaults are the book's recipe
    for lever in others:
        changed = [name for name in ("batch_size", "steps_per_execution", "jit_compile",
                                     "tf_data", "dtype_policy", "validate")
                   if getattr(lever, name) != getattr(baseline, name)]
        assert 1 <= len(changed) <= 2, (lever.name, changed)  # batch 32 also drops the steps


def test_a_bfloat16_lever_leaves_the_global_policy_as_it_was():
    model = levers.build(Lever("bf16", dtype_policy="mixed_bfloat16"))
    assert model.layers[-1].dtype_policy.name == "mixed_bfloat16"
    assert keras.config.dtype_policy().name == "float32"
