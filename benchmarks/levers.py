"""What makes training fast on a CPU: one setting changed at a time on `mlp-3x512`.

Each lever trains the same 784-512-512-512-10 network and reports the median seconds of
one epoch over the book's 50,000 training images, after a warm-up, timed in interleaved
rounds. The baseline is the book's recipe: batches of 256, 20 steps per call into
TensorFlow, NumPy arrays in, float32.
Thread counts are not a lever here: TensorFlow fixes them when it starts.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from benchmarks.measure import REPEATS
from benchmarks.models import dense_stack


@dataclass(frozen=True)
class Lever:
    """One training set-up; the defaults are the book's."""

    name: str
    batch_size: int = 256
    steps_per_execution: int = 20
    jit_compile: bool = False
    tf_data: bool = False  # feed a shuffled, prefetched tf.data pipeline instead of arrays
    dtype_policy: str = "float32"
    validate: bool = False  # evaluate on 10,000 validation images after every epoch


LEVERS = [
    Lever("book recipe (batch 256, 20 steps per call)"),
    Lever("batch 32, one step per call (the tutorials)", batch_size=32, steps_per_execution=1),
    Lever("batch 256, one step per call", steps_per_execution=1),
    Lever("batch 1024", batch_size=1024),
    Lever("jit_compile=True (XLA)", jit_compile=True),
    Lever("tf.data with prefetch", tf_data=True),
    Lever("mixed bfloat16", dtype_policy="mixed_bfloat16"),
    Lever("+ validation after every epoch", validate=True),
]


def build(lever: Lever) -> keras.Model:
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(lever.dtype_policy)
    try:
        model = dense_stack(512, 512, 512)
    finally:
        keras.config.set_dtype_policy(previous)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  steps_per_execution=lever.steps_per_execution, jit_compile=lever.jit_compile)
    return model


def epoch_runner(lever: Lever, x: np.ndarray, y: np.ndarray,
                 validation: tuple[np.ndarray, np.ndarray]) -> Callable[[], float]:
    """Build and warm up the model of ``lever``; return a function timing one epoch."""
    model = build(lever)
    if lever.tf_data:
        train = (tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x))
                 .batch(lever.batch_size).prefetch(tf.data.AUTOTUNE))
        inputs = {"x": train}
    else:
        inputs = {"x": x, "y": y, "batch_size": lever.batch_size}
    extra = {"validation_data": validation} if lever.validate else {}
    warm_up = lever.batch_size * 40
    model.fit(x[:warm_up], y[:warm_up], batch_size=lever.batch_size, verbose=0, **extra)

    def one_epoch() -> float:
        start = time.perf_counter()
        model.fit(**inputs, epochs=1, verbose=0, **extra)
        return time.perf_counter() - start

    one_epoch()  # the first full epoch may trace again (tf.data, validation)
    return one_epoch


def measure_levers(x: np.ndarray, y: np.ndarray,
                   validation: tuple[np.ndarray, np.ndarray]) -> list[dict]:
    """Median seconds per epoch of every lever, timed in interleaved rounds.

    The machine's speed drifts over minutes; timing one epoch of each lever per round,
    round after round, spreads that drift evenly over the levers.
    """
    runners = [epoch_runner(lever, x, y, validation) for lever in LEVERS]
    times: list[list[float]] = [[] for _ in LEVERS]
    for _ in range(REPEATS):
        for runner, lever_times in zip(runners, times, strict=True):
            lever_times.append(runner())
    rows = []
    for lever, lever_times in zip(LEVERS, times, strict=True):
        seconds = statistics.median(lever_times)
        rows.append({"lever": lever.name, "batch_size": lever.batch_size,
                     "seconds_per_epoch": round(seconds, 3),
                     "epoch_seconds": [round(value, 3) for value in lever_times]})
        print(f"lever {lever.name}: {seconds:.2f} s/epoch", flush=True)
    baseline = rows[0]["seconds_per_epoch"]
    for row in rows:
        row["relative_to_book_recipe"] = round(row["seconds_per_epoch"] / baseline, 2)
    return rows
