"""The book builds with Jupyter Book v1 without a single warning."""

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
