"""What makes training fast on a CPU: the levers, one at a time and then combined.

Each race starts from a chapter's recipe (`mnist_book.RECIPES`) and changes one thing:
- levers that change what the network learns (dropout, the batch size with its learning
  rate and warm-up, the length of the schedule) are timed to the race's target test
  accuracy (`benchmarks.race`);
- levers that change only the speed (steps per call, how the data is fed, the number
  type, threads, a validation pass per epoch) are timed per epoch.
The last rows are the race recipe, every helpful lever combined. Every figure is the
median of `REPEATS` runs.

A lever with a thread count, or without oneDNN's kernels, runs in a process of its own:
TensorFlow fixes both when it starts (``python -m benchmarks.levers --race mlp --lever
"one thread"``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # as the chapters do

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from benchmarks.race import RaceRun, race_fit  # noqa: E402
from mnist_book import RECIPES, Recipe, load_splits, set_seed  # noqa: E402
from mnist_book.chapters import Chapter, chapter  # noqa: E402
from mnist_book.data import TRAIN_SIZE  # noqa: E402

REPEATS = 3
TO_TARGET, PER_EPOCH = "seconds to target", "seconds per epoch"
FEEDS = ("numpy", "tf.data", "tensors")


@dataclass(frozen=True)
class Setup:
    """How a recipe is run, apart from the recipe itself."""

    feed: str = "numpy"  # NumPy arrays, a shuffled and prefetched tf.data pipeline, or tensors
    dtype_policy: str = "float32"
    validate: bool = False  # a pass over the 10,000 validation digits after every epoch
    threads: int | None = None  # TensorFlow's intra- and inter-op threads; None: its default
    onednn: bool = True  # TF_ENABLE_ONEDNN_OPTS, as the chapters set it

    @property
    def needs_own_process(self) -> bool:
        """TensorFlow fixes its threads and kernels when it starts."""
        return self.threads is not None or not self.onednn


@dataclass(frozen=True)
class Lever:
    name: str
    recipe: Recipe
    setup: Setup = field(default_factory=Setup)
    measures: str = PER_EPOCH


@dataclass(frozen=True)
class Race:
    """A race: its target, the chapter whose recipe it starts from and the levers tried on it."""

    name: str
    target: float
    chapter: Chapter
    race_recipe: str
    timing_images: int  # images per timed epoch for the per-epoch levers, scaled to TRAIN_SIZE
    learning_levers: tuple[tuple[str, dict[str, Any]], ...]
    # changes to the race recipe it was chosen against, on the validation split
    candidates: tuple[tuple[str, dict[str, Any]], ...]

    def candidate_levers(self) -> list[Lever]:
        fast = RECIPES[self.race_recipe]
        return [Lever("the race recipe", fast, RACE_SETUP, TO_TARGET)] + [
            Lever(name, replace(fast, **changes), RACE_SETUP, TO_TARGET)
            for name, changes in self.candidates]

    def levers(self) -> list[Lever]:
        base, fast = RECIPES[self.chapter.recipe], RECIPES[self.race_recipe]
        whole_epoch = math.ceil(TRAIN_SIZE / base.batch_size)
        chapter = f"chapter {self.chapter.number}'s recipe"
        rows = [Lever(chapter, base, measures=TO_TARGET)]
        rows += [Lever(name, replace(base, **changes), measures=TO_TARGET)
                 for name, changes in self.learning_levers]
        rows += [Lever("all combined: the race recipe", fast, RACE_SETUP, TO_TARGET),
                 Lever(chapter, base),
                 Lever("one step per call", replace(base, steps_per_execution=1)),
                 Lever("a whole epoch per call",
                       replace(base, steps_per_execution=whole_epoch)),
                 Lever("tf.data with prefetch", base, Setup(feed="tf.data")),
                 Lever("data as tensors", base, Setup(feed="tensors")),
                 Lever("mixed bfloat16", base, Setup(dtype_policy="mixed_bfloat16")),
                 Lever("one thread", base, Setup(threads=1)),
                 Lever("without oneDNN's kernels", base, Setup(onednn=False)),
                 Lever("+ validation after every epoch", base, Setup(validate=True)),
                 Lever("all combined: the race recipe", fast, RACE_SETUP)]
        return rows


RACE_SETUP = Setup(feed="tensors")
RACES = {
    "mlp": Race("mlp", 0.978, chapter(4), "race_mlp", TRAIN_SIZE, (
        ("no dropout", {"options": {}}),
        ("schedule over 8 epochs instead of 20", {"epochs": 8}),
        ("batch 1024, learning rate x 2, warm-up", {"batch_size": 1024, "learning_rate": 8e-3,
                                                    "warmup_epochs": 1}),
    ), (
        ("batch 256, learning rate 4e-3", {"batch_size": 256, "learning_rate": 4e-3,
                                           "steps_per_execution": 196}),
        ("schedule over 8 epochs", {"epochs": 8}),
        ("batch 64, learning rate 2e-3", {"batch_size": 64, "learning_rate": 2e-3,
                                          "steps_per_execution": 782}),
    )),
    "cnn": Race("cnn", 0.990, chapter(10), "race_cnn", 12_800, (
        ("no dropout", {"options": {"dropout": 0.0}}),
        ("schedule over 3 epochs instead of 6", {"epochs": 3}),
        ("batch 512, learning rate x 2, warm-up", {"batch_size": 512, "learning_rate": 6e-3,
                                                   "warmup_epochs": 1}),
    ), (
        ("schedule over 3 epochs", {"epochs": 3}),
        ("batch 128, learning rate 3e-3", {"batch_size": 128, "learning_rate": 3e-3,
                                           "steps_per_execution": 391}),
    )),
}


@contextmanager
def dtype_policy(name: str) -> Iterator[None]:
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def fit_arguments(setup: Setup, x: np.ndarray, y: np.ndarray, batch_size: int,
                  validation: tuple[np.ndarray, np.ndarray]) -> dict[str, Any]:
    """``model.fit`` keyword arguments that feed ``x, y`` as ``setup`` says."""
    if setup.feed not in FEEDS:
        raise ValueError(f"feed: expected one of {FEEDS}, got {setup.feed!r}")
    extra = {"validation_data": validation} if setup.validate else {}
    if setup.feed == "tf.data":
        dataset = (tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x))
                   .batch(batch_size).prefetch(tf.data.AUTOTUNE))
        return {"x": dataset, "shuffle": False, **extra}  # the pipeline shuffles
    if setup.feed == "tensors":
        x, y = tf.constant(x), tf.constant(y)
    return {"x": x, "y": y, "batch_size": batch_size, **extra}


def build(lever: Lever) -> Any:
    with dtype_policy(lever.setup.dtype_policy):
        return lever.recipe.build()


def epoch_seconds(lever: Lever, data: Any, images: int) -> list[float]:
    """Seconds of one epoch over the training split, timed on ``images`` of it, per repeat."""
    (x_train, y_train), validation, _ = data
    x, y = x_train[:images], y_train[:images]
    set_seed(0)
    model = build(lever)
    arguments = fit_arguments(lever.setup, x, y, lever.recipe.batch_size, validation)
    model.fit(**arguments, epochs=1, verbose=0)  # traces the training step
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        model.fit(**arguments, epochs=1, verbose=0)
        seconds.append((time.perf_counter() - start) * len(x_train) / images)
    return seconds


def race_runs(lever: Lever, data: Any, target: float, repeats: int = REPEATS,
              on_validation: bool = False) -> list[RaceRun]:
    """Train ``lever``'s recipe from seeds 0, 1, ... until the test accuracy (or, to choose a
    recipe, the validation accuracy) reaches ``target``; one `RaceRun` per seed."""
    (x_train, y_train), validation, test = data
    x_test, y_test = validation if on_validation else test
    runs = []
    for seed in range(repeats):
        set_seed(seed)
        model = build(lever)
        arguments = fit_arguments(lever.setup, x_train, y_train, lever.recipe.batch_size,
                                  validation)
        x = arguments.pop("x")
        runs.append(race_fit(model, x, arguments.pop("y", None), (x_test, y_test), target,
                             epochs=lever.recipe.epochs, **arguments))
    return runs


def median_seconds(runs: list[dict[str, Any]], missed_as: str = "never") -> float | None:
    """The median seconds to the target over ``runs`` (`RaceRun.as_dict` rows).

    A run that missed the target counts as ``"never"`` reaching it (slower than every run
    that did; the book's own runs), or as reaching it at ``"the end"`` of its training,
    sooner than it truly would (the peers' runs). Either way the median is an order
    statistic, so the book's median can only be too high and a peer's only too low: the
    book-to-peer ratio they give is an upper bound, exact when every run reached.

    Returns:
        The median seconds, or None when the median run never reached the target.
    """
    if missed_as not in ("never", "the end"):
        raise ValueError(f"missed_as: expected 'never' or 'the end', got {missed_as!r}")
    seconds = [run["seconds_to_target"] if run["seconds_to_target"] is not None
               else math.inf if missed_as == "never" else run["training_seconds"]
               for run in runs]
    median = statistics.median(seconds)
    return None if math.isinf(median) else median


def measure_lever(race: Race, lever: Lever, data: Any) -> dict[str, Any]:
    """One row of the levers table; some levers are measured in a fresh process."""
    if lever.setup.needs_own_process and os.environ.get("BENCH_LEVER_CHILD") != "1":
        return measure_in_child(race, lever)
    row: dict[str, Any] = {"lever": lever.name, "measures": lever.measures}
    if lever.measures == TO_TARGET:
        row["runs"] = [run.as_dict() for run in race_runs(lever, data, race.target)]
        row["seconds"] = median_seconds(row["runs"])
    else:
        row["runs"] = [round(value, 3) for value in epoch_seconds(lever, data,
                                                                  race.timing_images)]
        row["seconds"] = statistics.median(row["runs"])
    return row


def measure_in_child(race: Race, lever: Lever) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.levers", "--race", race.name,
               "--lever", lever.name]
    env = os.environ | {"BENCH_LEVER_CHILD": "1",
                        "TF_ENABLE_ONEDNN_OPTS": "1" if lever.setup.onednn else "0"}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"lever {lever.name!r} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_race_levers(race: Race, data: Any) -> list[dict[str, Any]]:
    """Every lever of ``race``; ``relative`` is each row's seconds over its kind's first."""
    rows = []
    for lever in race.levers():
        row = measure_lever(race, lever, data)
        print(f"{race.name} lever {lever.name} ({lever.measures}): {row['seconds']}", flush=True)
        rows.append(row)
    for kind in (TO_TARGET, PER_EPOCH):
        same = [row for row in rows if row["measures"] == kind]
        for row in same:
            row["relative"] = (None if row["seconds"] is None or same[0]["seconds"] is None
                               else round(row["seconds"] / same[0]["seconds"], 3))
    return rows


def choose_race_recipe(race: Race, data: Any) -> list[dict[str, Any]]:
    """The race recipe against its candidates, raced once each to the target on the
    validation split: the evidence it was chosen on (the test set plays no part)."""
    rows = []
    for lever in race.candidate_levers():
        [run] = race_runs(lever, data, race.target, repeats=1, on_validation=True)
        rows.append({"candidate": lever.name, "run": run.as_dict(),
                     "seconds": run.seconds_to_target})
        print(f"{race.name} candidate {lever.name}: {run.seconds_to_target} s on validation",
              flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Measure one lever in this process and print its row as JSON (`measure_in_child`)."""
    parser = argparse.ArgumentParser(description="measure one lever in a fresh process")
    parser.add_argument("--race", choices=sorted(RACES), required=True)
    parser.add_argument("--lever", required=True)
    args = parser.parse_args(argv)
    race = RACES[args.race]
    [lever] = [lever for lever in race.levers()
               if lever.name == args.lever and lever.setup.needs_own_process]
    if lever.setup.threads is not None:
        tf.config.threading.set_intra_op_parallelism_threads(lever.setup.threads)
        tf.config.threading.set_inter_op_parallelism_threads(lever.setup.threads)
    print(json.dumps(measure_lever(race, lever, load_splits())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
