"""shift_digits, fit_timed, set_seed and the glue/results links between notebooks."""

from __future__ import annotations

import json
import logging
import sys

import numpy as np
import pytest

from mnist_book import chapter_results, fit_timed, glue, set_seed, shift_digits
from mnist_book.book import read_glued
from mnist_book.chapters import chapter


def test_shift_digits_moves_pixels_and_drops_what_leaves_the_frame():
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    images[0, 0, 0] = 1
    images[1, 27, 27] = 2
    right_down = shift_digits(images, dx=3, dy=1)
    assert np.argwhere(right_down[0]).tolist() == [[1, 3]]
    assert right_down[1].sum() == 0  # the corner pixel left the frame
    left_up = shift_digits(images, dx=-2, dy=-4)
    assert np.argwhere(left_up[1]).tolist() == [[23, 25]]
    assert left_up.dtype == np.uint8
    np.testing.assert_array_equal(shift_digits(images, 0, 0), images)


@pytest.mark.parametrize(
    ("dx", "dy", "error", "message"),
    [(28, 0, ValueError, "-27..27"), (0, -30, ValueError, "-27..27"),
     (1.5, 0, TypeError, "integer"), (True, 0, TypeError, "integer")],
)
def test_shift_digits_rejects_bad_shifts(dx, dy, error, message):
    with pytest.raises(error, match=message):
        shift_digits(np.zeros((1, 28, 28)), dx, dy)


def test_shift_digits_rejects_bad_images():
    with pytest.raises(ValueError, match=r"\(n, 28, 28\)"):
        shift_digits(np.zeros((28, 28)), 1, 1)


def test_fit_timed_returns_history_and_seconds():
    class Model:
        def fit(self, x, epochs):
            return {"epochs": epochs, "samples": len(x)}

    history, seconds = fit_timed(Model(), [1, 2, 3], epochs=2)
    assert history == {"epochs": 2, "samples": 3}
    assert 0 <= seconds < 1


def test_fit_timed_feeds_tensors_and_trains_exactly_as_fit_on_arrays():
    import keras
    import tensorflow as tf

    from mnist_book import mlp

    class Recording(keras.Sequential):
        def fit(self, *args, **kwargs):
            self.fed = [type(value) for value in (*args, *kwargs["validation_data"])]
            return super().fit(*args, **kwargs)

    images = np.random.default_rng(0).random((256, 28, 28), dtype=np.float32)
    labels = np.arange(256) % 10
    weights = []
    for train in (fit_timed, lambda model, *args, **kwargs: (model.fit(*args, **kwargs), 0)):
        set_seed(0)
        model = Recording(mlp(16).layers)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        train(model, images, labels, epochs=2, batch_size=32, verbose=0, shuffle=True,
              validation_data=(images, labels))
        weights.append(np.concatenate([w.numpy().ravel() for w in model.weights]))
        if train is fit_timed:
            assert all(issubclass(kind, tf.Tensor) for kind in model.fed), model.fed
    np.testing.assert_array_equal(*weights)


@pytest.mark.parametrize(("seed", "error", "match"), [(-1, ValueError, "Seed must be"),
                                                     (1.5, TypeError, "Cannot cast"),
                                                     ("1", TypeError, "Cannot cast")])
def test_set_seed_rejects_bad_seeds(seed, error, match):
    """NumPy's own check, the first thing set_seed calls."""
    with pytest.raises(error, match=match):
        set_seed(seed)


def glue_output(name: str, value: object) -> dict:
    """An output cell as myst_nb.glue(name, value, display=False) stores it."""
    return {
        "output_type": "display_data",
        "data": {"application/papermill.record/text/plain": repr(value)},
        "metadata": {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    }


def write_notebook(path, outputs):
    cells = [{"cell_type": "code", "id": "cell", "source": "", "metadata": {},
              "outputs": outputs, "execution_count": 1}]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))


def test_chapter_results_reads_glued_numbers_in_chapter_order_with_each_target(tmp_path):
    results = [glue_output("params", 7850), glue_output("train_seconds", np.float64(4.0)),
               glue_output("test_accuracy", 0.926)]
    write_notebook(tmp_path / chapter(3).notebook.name, [glue_output("params", 79510),
                                                         glue_output("train_seconds", 21.5),
                                                         glue_output("test_accuracy", 0.9812),
                                                         glue_output("chapter_seconds", 41.5)])
    write_notebook(tmp_path / chapter(2).notebook.name, results)
    write_notebook(tmp_path / chapter(11).notebook.name, results)  # a chapter with no target
    write_notebook(tmp_path / chapter(1).notebook.name, [glue_output("train_images", 60000)])
    rows = chapter_results(tmp_path)
    assert [row["chapter"] for row in rows] == ["02", "03", "11"]
    assert rows[1] == {"chapter": "03", "notebook": "03_softmax_regression", "params": 79510,
                       "train_seconds": 21.5, "test_accuracy": 0.9812,
                       "target_accuracy": chapter(3).target, "chapter_seconds": 41.5}
    assert rows[0]["chapter_seconds"] is None and rows[2]["target_accuracy"] is None


def test_read_glued_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_glued(tmp_path / "missing.ipynb")
    (tmp_path / "broken.ipynb").write_text("{not json")
    with pytest.raises(ValueError, match="not a Jupyter notebook"):
        read_glued(tmp_path / "broken.ipynb")
    with pytest.raises(FileNotFoundError, match="no such folder"):
        chapter_results(tmp_path / "nowhere")


def capture(monkeypatch, module, name: str) -> list:
    """Replace ``module.name`` by a function that records its calls."""
    calls = []
    monkeypatch.setattr(module, name, lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def test_glue_writes_what_myst_nb_glue_writes_and_needs_no_myst_nb(monkeypatch, tmp_path):
    import IPython.display
    import myst_nb.ext.glue as myst_glue

    ours = capture(monkeypatch, IPython.display, "display")
    theirs = capture(monkeypatch, myst_glue, "ipy_display")
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # not importable, as in Colab
    values = {"accuracy": 0.9812, "params": 79510, "pair": "4 read as 9", "np": np.float64(0.5)}
    for name, value in values.items():
        glue(name, value)
        myst_glue.glue(name, value.item() if isinstance(value, np.generic) else value,
                       display=False)
    assert ours == theirs and len(ours) == len(values)
    outputs = [{"output_type": "display_data", "data": args[0], "metadata": kwargs["metadata"]}
               for args, kwargs in ours]
    write_notebook(tmp_path / "glued.ipynb", outputs)
    assert read_glued(tmp_path / "glued.ipynb") == {**values, "np": 0.5}


def test_set_seed_drops_only_tensorflows_retracing_warning(caplog):
    set_seed(0)
    set_seed(1)  # a second call adds no second filter
    log = logging.getLogger("tensorflow")
    assert sum(type(known).__name__ == "_NoRetracingWarning" for known in log.filters) == 1
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        log.warning("5 out of the last 6 calls to f triggered tf.function retracing.")
        log.warning("something else")
    assert [record.getMessage() for record in caplog.records] == ["something else"]
