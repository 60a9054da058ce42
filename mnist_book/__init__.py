"""Helpers shared by the chapters of the MNIST book.

- `load_mnist`, `split_validation`, `scale_pixels`, `load_splits`: the data
  (`mnist_book.data`);
- `mlp`, `small_cnn`, `compile_with_cosine`, `STEPS_PER_EXECUTION`: the networks several
  chapters (and `benchmarks/`) train (`mnist_book.models`);
- `Recipe`, `RECIPES`: each chapter's final network and how it is trained
  (`mnist_book.recipes`);
- `evaluate`, `predict_proba`, `shifted_accuracy`, `confusion_matrix`,
  `plot_confusion_matrix`, `plot_misclassified`: a model's answers on test digits, and
  their figures (`mnist_book.evaluation`);
- `compare_models`, `seed_spread`: how much a difference means (`mnist_book.stats`);
- `plot_digits`, `plot_history`, `plot_seed_spreads`: figures (`mnist_book.plots`);
- `preprocess_digit`, `shift_digits`: your own images as MNIST-style inputs, and moved
  digits (`mnist_book.preprocess`);
- `set_seed`, `fit_timed`: reproducible, timed training (`mnist_book.training`);
- `export_for_browser`: weights for the book's "Draw a digit" page (`mnist_book.export`);
- `glue`, `glue_chapter_seconds`, `chapter_results`: numbers shared between notebooks and
  the book (`mnist_book.book`);
- `CHAPTERS`: what each chapter is, its notebook, recipe, target and exported model
  (`mnist_book.chapters`).

Importing the package changes nothing: no seeding, no matplotlib settings, no TensorFlow.
"""

from mnist_book.book import chapter_results, glue, glue_chapter_seconds
from mnist_book.chapters import CHAPTERS
from mnist_book.data import (
    MnistDataError,
    MnistNotFoundError,
    load_mnist,
    load_splits,
    scale_pixels,
    split_validation,
)
from mnist_book.evaluation import (
    Evaluation,
    confusion_matrix,
    evaluate,
    plot_confusion_matrix,
    plot_misclassified,
    predict_proba,
    shifted_accuracy,
)
from mnist_book.export import export_for_browser
from mnist_book.models import STEPS_PER_EXECUTION, compile_with_cosine, mlp, small_cnn
from mnist_book.plots import plot_digits, plot_history, plot_seed_spreads
from mnist_book.preprocess import preprocess_digit, shift_digits
from mnist_book.recipes import RECIPES, Recipe
from mnist_book.stats import compare_models, seed_spread
from mnist_book.training import fit_timed, set_seed

__all__ = [
    "CHAPTERS",
    "RECIPES",
    "STEPS_PER_EXECUTION",
    "Evaluation",
    "MnistDataError",
    "MnistNotFoundError",
    "Recipe",
    "chapter_results",
    "compare_models",
    "compile_with_cosine",
    "confusion_matrix",
    "evaluate",
    "export_for_browser",
    "fit_timed",
    "glue",
    "glue_chapter_seconds",
    "load_mnist",
    "load_splits",
    "mlp",
    "plot_confusion_matrix",
    "plot_digits",
    "plot_history",
    "plot_misclassified",
    "plot_seed_spreads",
    "predict_proba",
    "preprocess_digit",
    "scale_pixels",
    "seed_spread",
    "set_seed",
    "shift_digits",
    "shifted_accuracy",
    "small_cnn",
    "split_validation",
]
