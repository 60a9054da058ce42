"""Helpers shared by the chapters of the MNIST book.

- `load_mnist`, `split_validation`, `scale_pixels`: the data (`mnist_book.data`);
- `plot_digits`, `plot_history`, `plot_confusion_matrix`, `plot_misclassified`,
  `confusion_matrix`: figures and their numbers (`mnist_book.plots`);
- `preprocess_digit`: turn your own image into an MNIST-style input (`mnist_book.preprocess`);
- `shift_digits`: move digits off-centre (`mnist_book.preprocess`);
- `dropout_mlp`, `compile_with_cosine`, `shifted_accuracy`: models several chapters
  share (`mnist_book.models`);
- `set_seed`, `fit_timed`: reproducible, timed training (`mnist_book.training`);
- `export_for_browser`: weights for the book's "Draw a digit" page (`mnist_book.export`);
- `glue`, `chapter_results`: numbers shared between notebooks and the book (`mnist_book.book`).

Importing the package changes nothing: no seeding, no matplotlib settings.
"""

from mnist_book.book import chapter_results, glue
from mnist_book.data import (
    MnistDataError,
    MnistNotFoundError,
    load_mnist,
    scale_pixels,
    split_validation,
)
from mnist_book.export import export_for_browser
from mnist_book.models import compile_with_cosine, dropout_mlp, shifted_accuracy
from mnist_book.plots import (
    confusion_matrix,
    plot_confusion_matrix,
    plot_digits,
    plot_history,
    plot_misclassified,
)
from mnist_book.preprocess import preprocess_digit, shift_digits
from mnist_book.training import fit_timed, set_seed

__all__ = [
    "MnistDataError",
    "MnistNotFoundError",
    "chapter_results",
    "compile_with_cosine",
    "confusion_matrix",
    "dropout_mlp",
    "export_for_browser",
    "fit_timed",
    "glue",
    "load_mnist",
    "plot_confusion_matrix",
    "plot_digits",
    "plot_history",
    "plot_misclassified",
    "preprocess_digit",
    "scale_pixels",
    "set_seed",
    "shift_digits",
    "shifted_accuracy",
    "split_validation",
]
