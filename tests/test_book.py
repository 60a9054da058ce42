"""The book builds with Jupyter Book v1 without a single warning, and renders what the
notebooks stored as a reader should see it."""

import re

from mnist_book.chapters import CHAPTERS


def test_book_builds_without_warnings(book_build):
    html, log = book_build
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert warnings == []
    assert (html / "book" / "intro.html").is_file()


def test_every_chapter_is_in_the_book(book_build):
    html, _ = book_build
    built = sorted(path.stem for path in (html / "notebooks").glob("*.html"))
    assert built == [chapter.stem for chapter in CHAPTERS]


def test_what_a_cell_prints_renders_as_one_block(book_build):
    html, _ = book_build
    cells = [cell for chapter in CHAPTERS  # a cell's div: class "cell", then its tags
             for cell in re.split(r'<div class="cell[ "]',
                                  (html / "notebooks" / f"{chapter.stem}.html").read_text())[1:]]
    training_logs = [cell for cell in cells if "Epoch 1/" in cell]
    assert len(training_logs) >= 10  # one per fit with verbose=2 in chapters 2-10
    assert all(cell.count('class="output stream') <= 1 for cell in cells)
