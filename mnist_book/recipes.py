"""Each chapter's final network with its training settings, in one place.

`Recipe` and `RECIPES`: the chapters and `benchmarks/` build their final models from here,
so the two cannot drift apart; `describe` gives a compiled model's whole configuration
for tests to compare.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from mnist_book.data import TRAIN_SIZE
from mnist_book.models import STEPS_PER_EXECUTION, compile_with_cosine, mlp, small_cnn
from mnist_book.training import fit_timed

BUILDERS: Mapping[str, Callable[..., Any]] = MappingProxyType({"mlp": mlp,
                                                               "small_cnn": small_cnn})


@dataclass(frozen=True)
class Recipe:
    """A final network of the book and how it is trained.

    Attributes:
        network: the builder's name, "mlp" or "small_cnn".
        layers: the builder's positional arguments (the MLP's hidden widths).
        options: the builder's keyword arguments.
        learning_rate: the starting learning rate of the cosine schedule.
        epochs: epochs over the 50,000 training images.
        batch_size: images per step.
        weight_decay: AdamW's decoupled weight decay (0: plain Adam).
        warmup_epochs: epochs of linear warm-up before the cosine (`compile_with_cosine`).
        steps_per_execution: training steps per call into TensorFlow.
    """

    network: str
    layers: tuple[int, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    learning_rate: float = 1e-3
    epochs: int = 10
    batch_size: int = 256
    weight_decay: float = 0.0
    warmup_epochs: float = 0.0
    steps_per_execution: int = STEPS_PER_EXECUTION

    def build(self) -> Any:
        """A fresh model of this recipe, compiled for its schedule."""
        model = BUILDERS[self.network](*self.layers, **self.options)
        return compile_with_cosine(model, learning_rate=self.learning_rate,
                                   epochs=self.epochs, batch_size=self.batch_size,
                                   weight_decay=self.weight_decay,
                                   warmup_epochs=self.warmup_epochs,
                                   steps_per_execution=self.steps_per_execution)

    def fit(self, model: Any, x: Any, y: Any, **kwargs: Any) -> tuple[Any, float]:
        """Train ``model`` for the recipe's epochs and batch size; ``(history, seconds)``."""
        return fit_timed(model, x, y, epochs=self.epochs, batch_size=self.batch_size,
                         **kwargs)


RECIPES: Mapping[str, Recipe] = MappingProxyType({
    "softmax_regression": Recipe("mlp", learning_rate=1e-2, epochs=10, batch_size=512),
    "one_hidden_layer": Recipe("mlp", (100,), {"input_dropout": 0.1, "dropout": 0.2},
                               learning_rate=4e-3, epochs=20, batch_size=256),
    "two_hidden_layers": Recipe("mlp", (128, 64), {"input_dropout": 0.1, "dropout": 0.1},
                                learning_rate=6e-3, epochs=15, batch_size=512),
    "tuned_deep_mlp": Recipe("mlp", (512, 512, 512), {"dropout": 0.2}, learning_rate=2e-3,
                             epochs=15, batch_size=256, weight_decay=1e-4),
    "dropout_mlp": Recipe("mlp", (256,), {"input_dropout": 0.1, "dropout": 0.2},
                          learning_rate=4e-3, epochs=8, batch_size=256),
    "regularised_mlp": Recipe("mlp", (512, 512), {"dropout": 0.3, "augment": True},
                              learning_rate=2e-3, epochs=15, batch_size=256,
                              weight_decay=0.05),
    "small_cnn": Recipe("small_cnn", learning_rate=3e-3, epochs=6, batch_size=128),
    # The appendix's time-to-accuracy races (`benchmarks/`): no dropout, a whole epoch per
    # call into TensorFlow; chosen on the validation split among `benchmarks.levers`'s
    # candidates.
    "race_mlp": Recipe("mlp", (100,), learning_rate=3e-3, epochs=12, batch_size=128,
                       steps_per_execution=math.ceil(TRAIN_SIZE / 128)),
    "race_cnn": Recipe("small_cnn", options={"dropout": 0.0}, learning_rate=4e-3, epochs=4,
                       batch_size=256, steps_per_execution=math.ceil(TRAIN_SIZE / 256)),
})
