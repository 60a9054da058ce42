"""Measurements used by `benchmarks.run`: matmul speed, training throughput, time to accuracy,
and executing the notebooks with their peak memory."""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

REPEATS = 3


def matmul_gflops(batch: int, shapes: list[tuple[int, int]], repeats: int = 200) -> float:
    """Best-of-three float32 matmul speed at an MLP's layer shapes, in GFLOP/s.

    The repeats run inside one TensorFlow graph, so Python's per-call overhead is not
    counted; each repeat scales the inputs slightly so that no product can be reused.
    """
    import tensorflow as tf

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


def warm_up(model, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
    """Train on 20 batches, so that tracing the training step is not timed later."""
    model.fit(x[: batch_size * 20], y[: batch_size * 20], batch_size=batch_size, verbose=0)


def seconds_per_epoch(model, x: np.ndarray, y: np.ndarray, batch_size: int) -> float:
    """Median wall-clock seconds of one training epoch, after a warm-up on a slice."""
    warm_up(model, x, y, batch_size)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass(frozen=True)
class RaceResult:
    """How one training run went against an accuracy target."""

    seconds_to_target: float | None  # training seconds until the target; None: never reached
    training_seconds: float  # all the training time spent
    best_accuracy: float  # the best test accuracy seen after any epoch
    epochs: int


def seconds_to_accuracy(model, data, batch_size: int, max_epochs: int,
                        target: float) -> RaceResult:
    """Train epoch by epoch until the test accuracy first reaches ``target``.

    Only ``fit`` is timed; the test accuracy is measured after every epoch, untimed.
    """
    x_train, y_train, x_test, y_test = data
    training, best = 0.0, 0.0
    for epoch in range(max_epochs):
        start = time.perf_counter()
        model.fit(x_train, y_train, batch_size=batch_size, epochs=epoch + 1,
                  initial_epoch=epoch, verbose=0)
        training += time.perf_counter() - start
        logits = model.predict(x_test, batch_size=2000, verbose=0)
        best = max(best, float((logits.argmax(axis=1) == y_test).mean()))
        if best >= target:
            return RaceResult(training, training, best, epoch + 1)
    return RaceResult(None, training, best, max_epochs)


def execute_notebook(notebook: Path, output_dir: Path) -> tuple[float, float]:
    """Run ``notebook`` in a fresh kernel; return (seconds, peak resident MiB of the kernel)."""
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
               "--ExecutePreprocessor.timeout=1800", "--output-dir", str(output_dir),
               str(notebook)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=notebook.parent, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    peak = PeakMemory(process.pid)
    peak.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    peak.stop()
    if process.returncode != 0:
        raise RuntimeError(f"{notebook.name} failed:\n{errors[-3000:]}")
    return seconds, peak.mib


class PeakMemory:
    """Poll the largest resident memory of any descendant (the kernel) of a process."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.mib = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._done.is_set():
            try:
                processes = self.root.children(recursive=True)
                rss = [process.memory_info().rss for process in processes]
            except psutil.Error:
                rss = []
            self.mib = max([self.mib, *(value / 2**20 for value in rss)])
            self._done.wait(self.interval)

