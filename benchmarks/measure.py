"""Measurements used by `benchmarks.run`: matmul speed, training throughput, time to accuracy,
and executing the notebooks with their peak memory."""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import psutil

REPEATS = 3


def matmul_gflops(batch: int, shapes: list[tuple[int, int]], repeats: int = 50) -> float:
    """Best-of-three float32 matmul speed at an MLP's layer shapes, in GFLOP/s."""
    import tensorflow as tf

    pairs = [(tf.random.normal((batch, n_in)), tf.random.normal((n_in, n_out)))
             for n_in, n_out in shapes]
    matmul = tf.function(lambda a, b: tf.matmul(a, b))
    flops = sum(2 * batch * n_in * n_out for n_in, n_out in shapes) * repeats
    for a, b in pairs:  # trace and warm up
        matmul(a, b).numpy()
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(repeats):
            results = [matmul(a, b) for a, b in pairs]
        results[-1].numpy()
        best = min(best, time.perf_counter() - start)
    return flops / best / 1e9


def seconds_per_epoch(model, x: np.ndarray, y: np.ndarray, batch_size: int) -> float:
    """Median wall-clock seconds of one training epoch, after a warm-up epoch on a slice."""
    model.fit(x[: batch_size * 20], y[: batch_size * 20], batch_size=batch_size, verbose=0)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seconds_to_accuracy(model, data, batch_size: int, max_epochs: int, target: float) -> float:
    """Training seconds (evaluation excluded) until test accuracy first reaches ``target``.

    Returns ``inf`` when ``max_epochs`` epochs do not reach it.
    """
    x_train, y_train, x_test, y_test = data
    training = 0.0
    for epoch in range(max_epochs):
        start = time.perf_counter()
        model.fit(x_train, y_train, batch_size=batch_size, epochs=epoch + 1,
                  initial_epoch=epoch, verbose=0)
        training += time.perf_counter() - start
        logits = model.predict(x_test, batch_size=2000, verbose=0)
        if float((logits.argmax(axis=1) == y_test).mean()) >= target:
            return training
    return float("inf")


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


def timed(function: Callable[[], float]) -> tuple[float, float]:
    """Return ``(result, seconds)`` of calling ``function``."""
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start
