"""Helpers shared by the chapters of the MNIST book.

- `load_mnist`, `split_validation`, `scale_pixels`: the data (`mnist_book.data`);
- `plot_digits`, `plot_history`, `plot_confusion_matrix`, `plot_misclassified`,
  `confusion_matrix`: figures and their numbers (`mnist_book.plots`);
- `preprocess_digit`: turn your own image into an MNIST-style input (`mnist_book.preprocess`);
- `set_seed`: reproducible runs (`mnist_book.training`).

Importing the package changes nothing: no seeding, no matplotlib settings.
"""

from mnist_book.data import (
    MnistDataError,
    MnistNotFoundError,
    load_mnist,
    scale_pixels,
    split_validation,
)
from mnist_book.plots import (
    confusion_matrix,
    plot_confusion_matrix,
    plot_digits,
    plot_history,
    plot_misclassified,
)
from mnist_book.preprocess import preprocess_digit
from mnist_book.training import set_seed

__all__ = [
    "MnistDataError",
    "MnistNotFoundError",
    "confusion_matrix",
    "load_mnist",
    "plot_confusion_matrix",
    "plot_digits",
    "plot_history",
    "plot_misclassified",
    "preprocess_digit",
    "scale_pixels",
    "set_seed",
    "split_validation",
]
