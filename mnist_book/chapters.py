"""What each chapter of the book is: its notebook, the recipe of its final model, its
accuracy target and the "Draw a digit" page's model it exports.

`benchmarks/`, the tests and the results page (`chapter_results`) read these facts from
here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["CHAPTERS", "NOTEBOOKS_DIR", "Chapter", "chapter", "drawing_page_models"]

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"  # the repository's


@dataclass(frozen=True)
class Chapter:
    """One chapter: its notebook and, where it has them, its final model's facts."""

    stem: str  # its notebook's name without .ipynb, "NN_topic"
    recipe: str | None = None  # the name in `mnist_book.RECIPES` that builds its final model
    target: float | None = None  # the test accuracy its final model must reach
    exports: str | None = None  # the name of the model it exports for the "Draw a digit" page

    @property
    def number(self) -> int:
        return int(self.stem[:2])

    @property
    def notebook(self) -> Path:
        """The chapter's notebook in this repository."""
        return NOTEBOOKS_DIR / f"{self.stem}.ipynb"


CHAPTERS = (
    Chapter("01_data"),
    Chapter("02_learning_loop", target=0.92),
    Chapter("03_softmax_regression", "softmax_regression", 0.920),
    Chapter("04_one_hidden_layer", "one_hidden_layer", 0.978),
    Chapter("05_two_hidden_layers", "two_hidden_layers", 0.980),
    Chapter("06_deep_mlp_tuning", "tuned_deep_mlp", 0.983),
    Chapter("07_error_analysis", "dropout_mlp", 0.975),
    Chapter("08_regularisation", "regularised_mlp", 0.986),
    Chapter("09_your_own_digits", "dropout_mlp", 0.975, exports="mlp"),
    Chapter("10_small_cnn", "small_cnn", 0.991, exports="cnn"),
    Chapter("11_training_fast"),
)


def chapter(number: int) -> Chapter:
    """The chapter numbered ``number``, e.g. ``chapter(7).notebook``."""
    for entry in CHAPTERS:
        if entry.number == number:
            return entry
    raise ValueError(f"number: expected a chapter, 1 to {len(CHAPTERS)}, got {number!r}")


def drawing_page_models() -> dict[str, Chapter]:
    """The "Draw a digit" page's models, by name, each with the chapter that exports it."""
    return {entry.exports: entry for entry in CHAPTERS if entry.exports}
