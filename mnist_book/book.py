"""Links between the notebooks and the book: glued numbers and the results table.

Chapters publish their headline numbers with `glue`; `chapter_results` reads them
back from the stored notebook outputs, so a table of every chapter never holds a
measured number typed by hand, and takes each chapter's target from `mnist_book.chapters`.
"""

from __future__ import annotations

import ast
import os
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from mnist_book.chapters import CHAPTERS, NOTEBOOKS_DIR

# IPython and nbformat are imported where they are used: the package does not depend on
# them, only the notebooks and the book that call these functions.

RESULT_KEYS = ("params", "train_seconds", "test_accuracy")
IMPORTED_AT = time.perf_counter()  # a chapter's setup cell imports the package first
GLUE_PREFIX = "application/papermill.record/"  # as MyST-NB writes and reads it


def glue(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` for the book's ``{glue:text}`` roles, without showing it.

    Writes the output that MyST-NB's ``glue(name, value, display=False)`` writes: a
    display of the value's text under a MIME type that notebook front ends do not show.
    It needs only IPython, so a chapter runs unchanged in Colab, which has no MyST-NB.

    Example:
        >>> glue("test_accuracy", 0.981)  # doctest: +SKIP
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    if isinstance(value, np.generic):
        value = value.item()  # store 0.98, not np.float64(0.98)
    text = format_display_data(value)[0]["text/plain"]
    display({GLUE_PREFIX + "text/plain": text}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})


def glue_chapter_seconds() -> None:
    """Glue ``chapter_seconds``, the seconds since the package was imported: in a chapter's
    last cell, how long the chapter took to run from its setup cell on, for its Overview."""
    glue("chapter_seconds", time.perf_counter() - IMPORTED_AT)


def read_glued(notebook: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the values glued in a stored notebook, by name.

    Raises:
        FileNotFoundError: the notebook does not exist.
        ValueError: the file is not a notebook.
    """
    import nbformat

    path = Path(notebook)
    try:
        cells = nbformat.read(path, as_version=4).cells
    except (nbformat.reader.NotJSONError, nbformat.ValidationError, KeyError) as error:
        raise ValueError(f"{path}: not a Jupyter notebook ({error})") from error
    return glued_values(output for cell in cells for output in cell.get("outputs", []))


def glued_values(outputs: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The values glued in notebook cell outputs, by name, as Python values."""
    values = {}
    for output in outputs:
        name = output.get("metadata", {}).get("scrapbook", {}).get("name")
        text = output.get("data", {}).get(GLUE_PREFIX + "text/plain")
        if name is not None and text is not None:
            values[name] = _literal(text)
    return values


def _literal(text: str) -> Any:
    """Python literals as glued; NumPy scalars' reprs such as ``np.float64(0.98)`` too."""
    numpy_scalar = re.fullmatch(r"np\.\w+\((.*)\)", text.strip())
    if numpy_scalar:
        text = numpy_scalar.group(1)
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def chapter_results(notebooks_dir: str | os.PathLike[str] = NOTEBOOKS_DIR
                    ) -> list[dict[str, Any]]:
    """Collect every chapter's glued ``params``, ``train_seconds`` and ``test_accuracy``.

    Args:
        notebooks_dir: the folder holding the ``NN_topic.ipynb`` chapters of
            `mnist_book.chapters.CHAPTERS`; the repository's by default.

    Returns:
        One dict per chapter whose notebook there glued all three numbers, in chapter
        order, with keys ``chapter`` (e.g. "03"), ``notebook``, the three numbers,
        ``target_accuracy``, the chapter's target (`Chapter.target`: None where it has
        none), and ``chapter_seconds``, the chapter's run time its Overview quotes
        (`glue_chapter_seconds`; None where it glued none).

    Raises:
        FileNotFoundError: the folder does not exist.

    Example:
        >>> chapter_results("notebooks")[0]["chapter"]  # doctest: +SKIP
        '02'
    """
    folder = Path(notebooks_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of notebooks")
    rows = []
    for chapter in CHAPTERS:
        notebook = folder / chapter.notebook.name
        glued = read_glued(notebook) if notebook.is_file() else {}
        if all(key in glued for key in RESULT_KEYS):
            row = {"chapter": chapter.stem[:2], "notebook": chapter.stem}
            rows.append(row | {key: glued[key] for key in RESULT_KEYS}
                        | {"target_accuracy": chapter.target,
                           "chapter_seconds": glued.get("chapter_seconds")})
    return rows
