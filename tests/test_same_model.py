"""Chapters 7, 9 and 10 retrain one recipe from one seed, and the prose says they agree."""

from mnist_book.book import read_glued
from mnist_book.chapters import chapter


def test_chapters_7_9_and_10_train_the_same_mlp():
    chapter_7, chapter_9, chapter_10 = (read_glued(chapter(number).notebook)
                                        for number in (7, 9, 10))
    assert chapter_9["final_model_config"] == chapter_7["final_model_config"]
    assert chapter_9["test_accuracy"] == chapter_7["test_accuracy"]
    assert chapter_10["mlp_accuracy"] == chapter_7["test_accuracy"]
    assert chapter_10["mlp_errors"] == chapter_7["test_errors"]
