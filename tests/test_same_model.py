"""Chapters 7, 9 and 10 retrain one recipe from one seed, and the prose says they agree."""

from pathlib import Path

from mnist_book.book import read_glued

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_chapters_7_9_and_10_train_the_same_mlp():
    chapter_7 = read_glued(NOTEBOOKS / "07_error_analysis.ipynb")
    chapter_9 = read_glued(NOTEBOOKS / "09_your_own_digits.ipynb")
    chapter_10 = read_glued(NOTEBOOKS / "10_small_cnn.ipynb")
    assert chapter_9["final_model_config"] == chapter_7["final_model_config"]
    assert chapter_9["test_accuracy"] == chapter_7["test_accuracy"]
    assert chapter_10["mlp_accuracy"] == chapter_7["test_accuracy"]
    assert chapter_10["mlp_errors"] == chapter_7["test_errors"]
