"""The benchmark times the chapters' own networks, counts FLOPs by hand, and races fairly."""

from __future__ import annotations

import json
import math

import keras
import numpy as np
import pytest

from benchmarks import levers, measure, race, run
from benchmarks.levers import PER_EPOCH, RACES, TO_TARGET, Lever, Setup
from mnist_book import RECIPES, mlp, small_cnn
from mnist_book.book import read_glued
from mnist_book.chapters import CHAPTERS
from mnist_book.data import TRAIN_SIZE
from mnist_book.models import describe


@pytest.mark.parametrize("chapter", [chapter for chapter in CHAPTERS if chapter.recipe],
                         ids=lambda chapter: chapter.stem)
def test_each_timed_recipe_is_the_network_its_chapter_trained_and_compiled(chapter):
    glued = json.loads(read_glued(chapter.notebook)["final_model_config"])
    # through JSON, as the chapter glued it: tuples become lists
    assert json.loads(json.dumps(describe(RECIPES[chapter.recipe].build()))) == glued


def test_dense_flops_are_six_per_weight():
    assert measure.training_flops_per_sample(mlp()) == 6 * 784 * 10
    assert measure.training_flops_per_sample(mlp(100)) == 6 * (784 * 100 + 100 * 10)


def test_convolution_flops_count_every_output_position():
    conv1 = 5 * 5 * 1 * 16 * 28 * 28  # padding="same" keeps 28 x 28 positions
    conv2 = 5 * 5 * 16 * 32 * 10 * 10  # 14 x 14 in, 5 x 5 kernel, no padding
    dense = 800 * 128 + 128 * 10
    assert measure.training_flops_per_sample(small_cnn()) == 6 * (conv1 + conv2 + dense)


def test_the_throughput_reference_is_784_512_512_512_10_with_an_epoch_per_call():
    model = run.mlp_3x512()
    assert [layer.units for layer in model.layers if hasattr(layer, "units")] == [512] * 3 + [10]
    assert model.steps_per_execution == math.ceil(TRAIN_SIZE / run.SHARE_BATCH)


@pytest.mark.parametrize("name", sorted(RACES))
def test_each_lever_changes_one_thing_of_the_chapter_recipe(name):
    race_ = RACES[name]
    base = RECIPES[race_.chapter.recipe]
    rows = race_.levers()
    assert rows[0].recipe == base and rows[0].measures == TO_TARGET
    for lever in rows:
        if lever.name.startswith("all combined"):
            assert lever.recipe == RECIPES[race_.race_recipe]
            continue
        changed = [field for field in ("network", "layers", "options", "learning_rate", "epochs",
                                       "batch_size", "weight_decay", "warmup_epochs",
                                       "steps_per_execution")
                   if getattr(lever.recipe, field) != getattr(base, field)]
        changed += [field for field in ("feed", "dtype_policy", "validate", "threads", "onednn")
                    if getattr(lever.setup, field) != getattr(Setup(), field)]
        # a matched batch size also changes its learning rate and warm-up
        assert len(changed) <= 1 or changed == ["learning_rate", "batch_size", "warmup_epochs"], \
            (lever.name, changed)
    assert {lever.measures for lever in rows} == {TO_TARGET, PER_EPOCH}


def test_the_race_recipes_drop_dropout_as_the_race_allows():
    assert RECIPES["race_mlp"].layers == RECIPES["one_hidden_layer"].layers == (100,)
    assert not RECIPES["race_mlp"].options
    assert RECIPES["race_cnn"].network == "small_cnn"
    assert RECIPES["race_cnn"].options == {"dropout": 0.0}


def blank_digits(count: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros((count, 28, 28), dtype=np.float32), np.arange(count) % 10


def test_a_target_out_of_reach_runs_every_epoch_and_is_reported_never_reached():
    images, labels = blank_digits(60)  # blank images: at most 10 % can be right
    model = RECIPES["race_mlp"].build()
    result = race.race_fit(model, images, labels, (images, labels), 0.5, epochs=2, batch_size=32)
    assert result.seconds_to_target is None and result.epochs == 2
    assert max(result.test_accuracies) <= 0.1 and result.training_seconds > 0


def test_a_reached_target_stops_the_race_and_the_clock_at_that_epoch():
    images = np.zeros((64, 28, 28), dtype=np.float32)
    labels = np.zeros(64, dtype=int)  # one class: a model that predicts it is right
    model = RECIPES["race_mlp"].build()
    result = race.race_fit(model, images, labels, (images, labels), 0.0, epochs=5, batch_size=32)
    assert result.epochs == 1 and result.seconds_to_target == result.training_seconds


def test_the_clock_leaves_the_evaluation_out():
    clock = race.RaceClock(*blank_digits(10), target=1.0)
    clock.set_model(mlp())
    clock.start -= 5.0  # five seconds of training so far
    clock.on_epoch_end(0)
    assert 5.0 <= clock.training_seconds < 5.5
    clock.start -= 2.0
    clock.on_epoch_end(1)  # the first evaluation's time is not training time
    assert 7.0 <= clock.training_seconds < 7.5 and len(clock.accuracies) == 2


def race_rows(*seconds_to_target: float | None) -> list[dict]:
    return [{"seconds_to_target": seconds, "training_seconds": 10.0}
            for seconds in seconds_to_target]


def test_a_run_that_misses_counts_as_never_for_the_book_and_at_its_end_for_a_peer():
    assert levers.median_seconds(race_rows(3.0, 1.0, 2.0)) == 2.0
    assert levers.median_seconds(race_rows(3.0, None, 2.0)) == 3.0  # the miss is slowest
    assert levers.median_seconds(race_rows(3.0, None, None)) is None  # the median run missed
    assert levers.median_seconds(race_rows(3.0, None, None), missed_as="the end") == 10.0
    assert levers.median_seconds(race_rows(1.0, 2.0, None, None), missed_as="the end") == 6.0
    with pytest.raises(ValueError, match="missed_as"):
        levers.median_seconds(race_rows(1.0), missed_as="never mind")


@pytest.mark.parametrize("feed", levers.FEEDS)
def test_every_feed_trains_the_same_network_on_the_same_digits(feed):
    images, labels = blank_digits(64)
    arguments = levers.fit_arguments(Setup(feed=feed), images, labels, 32, (images, labels))
    model = RECIPES["race_mlp"].build()
    history = model.fit(**arguments, epochs=1, verbose=0)
    assert history.history["loss"][0] > 0


def test_a_bfloat16_lever_leaves_the_global_policy_as_it_was():
    model = levers.build(Lever("bf16", RECIPES["race_mlp"], Setup(dtype_policy="mixed_bfloat16")))
    assert model.layers[-1].dtype_policy.name == "mixed_bfloat16"
    assert keras.config.dtype_policy().name == "float32"
