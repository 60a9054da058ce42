"""The time-to-accuracy race: the same rule for every contestant.

Train epoch by epoch; after each epoch measure the test accuracy with the clock stopped;
stop the clock at the first epoch whose test accuracy reaches the target. The clock
starts before ``fit`` is called, so it counts everything training costs (preparing the
data, tracing the training step), and it leaves out only the evaluations.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import keras
import numpy as np


@dataclass(frozen=True)
class RaceRun:
    """One training run against a target test accuracy."""

    seconds_to_target: float | None  # None: the target was never reached
    training_seconds: float  # all the training time, evaluations left out
    epochs: int  # epochs trained
    test_accuracies: list[float]  # after each epoch

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["seconds_to_target"] = (None if self.seconds_to_target is None
                                    else round(self.seconds_to_target, 3))
        row["training_seconds"] = round(self.training_seconds, 3)
        row["test_accuracies"] = [round(value, 4) for value in self.test_accuracies]
        return row


class RaceClock(keras.callbacks.Callback):
    """Measure the test accuracy after each epoch, off the clock, and stop at the target."""

    def __init__(self, x_test: Any, y_test: np.ndarray, target: float) -> None:
        super().__init__()
        self.x_test, self.y_test, self.target = x_test, np.asarray(y_test), target
        self.start = time.perf_counter()
        self.off_clock = 0.0
        self.accuracies: list[float] = []
        self.seconds_to_target: float | None = None
        self.training_seconds = 0.0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        stopped = time.perf_counter()
        self.training_seconds = stopped - self.start - self.off_clock
        self.accuracies.append(test_accuracy(self.model, self.x_test, self.y_test))
        if self.accuracies[-1] >= self.target and self.seconds_to_target is None:
            self.seconds_to_target = self.training_seconds
            self.model.stop_training = True
        self.off_clock += time.perf_counter() - stopped

    def run(self) -> RaceRun:
        return RaceRun(self.seconds_to_target, self.training_seconds, len(self.accuracies),
                       self.accuracies)


def test_accuracy(model: Any, images: Any, labels: np.ndarray, batch_size: int = 2000) -> float:
    """The share of ``images`` whose largest output is the label, in inference mode."""
    right = 0
    for start in range(0, len(labels), batch_size):
        logits = keras.ops.convert_to_numpy(model(images[start:start + batch_size],
                                                  training=False))
        right += int((logits.argmax(axis=1) == labels[start:start + batch_size]).sum())
    return right / len(labels)


def race_fit(model: Any, x: Any, y: Any, test: tuple[Any, np.ndarray], target: float,
             **fit_options: Any) -> RaceRun:
    """``model.fit(x, y, **fit_options)`` raced to ``target`` test accuracy."""
    clock = RaceClock(*test, target)  # the clock starts here, before fit prepares the data
    model.fit(x, y, callbacks=[clock], verbose=0, **fit_options)
    return clock.run()
