"""Measurements used by `benchmarks.run`: matmul speed, training throughput and FLOPs, and
the peak memory of the notebooks' kernels."""

from __future__ import annotations

import resource
import statistics
import time
from typing import Any

import numpy as np
import tensorflow as tf
from keras import layers

REPEATS = 3


def matmul_gflops(batch: int, shapes: list[tuple[int, int]], repeats: int = 200) -> float:
    """Best-of-three float32 matmul speed at an MLP's layer shapes, in GFLOP/s.

    The repeats run inside one TensorFlow graph, so Python's per-call overhead is not
    counted; each repeat scales the inputs slightly so that no product can be reused.
    """
    pairs = [(tf.random.normal((batch, n_in)), tf.random.normal((n_in, n_out)))
             for n_in, n_out in shapes]

    @tf.function
    def run(count):
        total = tf.constant(0.0)
        for step in tf.range(count):
            scale = 1.0 + tf.cast(step, tf.float32) * 1e-6
            for a, b in pairs:
                total += tf.reduce_sum(tf.matmul(a * scale, b))
        return total

    run(tf.constant(1)).numpy()  # trace and warm up
    flops = sum(2 * batch * n_in * n_out for n_in, n_out in shapes) * repeats
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        run(tf.constant(repeats)).numpy()
        best = min(best, time.perf_counter() - start)
    return flops / best / 1e9


def training_flops_per_sample(model: Any) -> float:
    """Training FLOPs per image: 6 per weight use (2 forward, 4 backward).

    A Dense weight is used once per image; a convolution kernel weight once per output
    position, so its count is multiplied by the output's height x width.
    """
    flops = 0.0
    for layer in model.layers:
        if isinstance(layer, layers.Conv2D):
            positions = int(np.prod(layer.output.shape[1:3]))
            flops += 6 * int(np.prod(layer.kernel.shape)) * positions
        elif isinstance(layer, layers.Dense):
            flops += 6 * int(np.prod(layer.kernel.shape))
    return flops


def seconds_per_epoch(model: Any, x: Any, y: Any, batch_size: int) -> float:
    """Median wall-clock seconds of one training epoch, after an epoch that traces."""
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_child_memory_mib() -> float:
    """The largest resident memory of any finished child process (the kernels), in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
