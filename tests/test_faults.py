"""Faults beyond bad bytes: unreadable files, read-only destinations, unsafe or missing models,
and notebooks that must survive being run twice in the same kernel."""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
import pytest

from benchmarks.execute import notebook_client
from mnist_book.chapters import chapter
from mnist_book.data import read_idx_dir
from mnist_book.fetch import fetch

from .conftest import make_dir


def test_unreadable_file_is_an_oserror_naming_it(tmp_path, raw_bytes, monkeypatch):
    folder = make_dir(tmp_path, raw_bytes)
    original = Path.read_bytes

    def denied(path):
        if path.name == "t10k-images-idx3-ubyte":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(OSError, match="t10k-images-idx3-ubyte: cannot be read") as error:
        read_idx_dir(folder)
    assert "make data" in str(error.value)


def test_read_only_destination_fails_clearly_and_writes_nothing(tmp_path, raw_bytes, monkeypatch):
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", read_only)
    dest = tmp_path / "dest"
    with pytest.raises(OSError, match="Permission denied") as error:
        fetch(dest, [("Keras download", lambda: raw_bytes)])
    assert "MNIST_DIR" in str(error.value)
    assert not any(dest.iterdir())


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def test_model_with_lambda_layer_is_refused_by_default(tmp_path, keras):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda x: x * 2)])
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(path)


def test_missing_model_file_names_its_path(tmp_path, keras):
    path = tmp_path / "never_saved.keras"
    with pytest.raises(ValueError, match="never_saved.keras"):
        keras.models.load_model(path)


def test_training_chapter_runs_twice_in_the_same_kernel():
    """The learning-loop chapter (NumPy training, then Keras' `fit` and a gradient tape) run
    top to bottom twice in one kernel: no state breaks the second run."""
    path = chapter(2).notebook
    notebook = nbformat.read(path, as_version=4)
    client = notebook_client(notebook, path.parent)
    with client.setup_kernel():
        for _ in range(2):
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert errors == []
