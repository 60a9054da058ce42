"""The figures show the right digits, titles, curves and counts, and reject bad input."""

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.colors import same_color, to_rgb

from mnist_book.evaluation import (
    Evaluation,
    confusion_matrix,
    plot_confusion_matrix,
    plot_misclassified,
)
from mnist_book.plots import (
    NEUTRAL_COLOUR,
    WRONG_COLOUR,
    plot_digits,
    plot_history,
    plot_seed_spreads,
)

# A small case counted by hand: three 0s (one read as 6), two 1s (one read as 7),
# three correct 2s and a 9 read as 4.
Y_TRUE = [0, 0, 0, 1, 1, 2, 2, 2, 9]
Y_PRED = [0, 0, 6, 1, 7, 2, 2, 2, 4]
COUNTED = np.array(
    [
        [2, 0, 0, 0, 0, 0, 1, 0, 0, 0],
        [0, 1, 0, 0, 0, 0, 0, 1, 0, 0],
        [0, 0, 3, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
    ]
)

IMAGES = np.random.default_rng(0).integers(0, 256, (6, 28, 28), dtype=np.uint8)
LABELS = np.array([5, 0, 4, 1, 9, 2])
PREDICTIONS = np.array([5, 0, 9, 1, 9, 7])  # wrong at 2 and 5
HISTORY = {
    "loss": [0.9, 0.5, 0.3],
    "val_loss": [1.0, 0.6, 0.5],
    "accuracy": [0.7, 0.85, 0.9],
    "val_accuracy": [0.65, 0.8, 0.86],
}


class History:
    """What ``model.fit`` returns, as far as plotting is concerned."""

    def __init__(self, history):
        self.history = history


def titles(fig):
    return [ax.get_title() for ax in fig.axes]


def image_count(fig):
    return sum(len(ax.images) for ax in fig.axes)


def curves(ax):
    """The lines with data (seaborn also adds empty ones for its legend)."""
    return [line for line in ax.lines if len(line.get_xdata())]


def is_red(ax):
    return same_color(ax.title.get_color(), WRONG_COLOUR)


def probabilities_with(confidences, predictions):
    """Softmax-like rows giving each prediction the stated confidence."""
    rows = np.full((len(predictions), 10), 0.0)
    for row, confidence, prediction in zip(rows, confidences, predictions, strict=True):
        row[:] = (1 - confidence) / 9
        row[prediction] = confidence
    return rows


# confusion_matrix


def test_confusion_matrix_matches_hand_count():
    counts = confusion_matrix(Y_TRUE, Y_PRED)
    assert counts.dtype == np.int64
    np.testing.assert_array_equal(counts, COUNTED)


def test_confusion_matrix_rows_are_true_and_columns_predicted():
    counts = confusion_matrix([3, 3, 5], [5, 5, 3])
    assert counts[3, 5] == 2 and counts[5, 3] == 1 and counts.sum() == 3


@given(
    y_true=arrays(np.int64, st.integers(1, 50), elements=st.integers(0, 9)),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=30, deadline=None)
def test_confusion_matrix_counts_every_pair_once(y_true, seed):
    y_pred = np.random.default_rng(seed).integers(0, 10, len(y_true))
    counts = confusion_matrix(y_true, y_pred)
    assert counts.sum() == len(y_true)
    np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(y_true, minlength=10))
    assert np.trace(counts) == (y_true == y_pred).sum()


# plot_digits


def test_plot_digits_titles_show_labels():
    fig = plot_digits(IMAGES, LABELS)
    assert titles(fig) == ["5", "0", "4", "1", "9", "2"]
    assert image_count(fig) == 6
    assert not any(is_red(ax) for ax in fig.axes)


def test_plot_digits_marks_wrong_predictions_red():
    fig = plot_digits(IMAGES, LABELS, PREDICTIONS)
    assert titles(fig)[:3] == ["true 5, pred 5", "true 0, pred 0", "true 4, pred 9"]
    assert [is_red(ax) for ax in fig.axes] == [False, False, True, False, False, True]
    assert same_color(fig.axes[0].title.get_color(), NEUTRAL_COLOUR)


def test_plot_digits_without_labels():
    assert titles(plot_digits(IMAGES[:2], predictions=[3, 8])) == ["pred 3", "pred 8"]
    assert titles(plot_digits(IMAGES[:2])) == ["", ""]


def test_plot_digits_grid_shape_limit_and_hidden_axes():
    fig = plot_digits(IMAGES, columns=4, max_digits=5)
    assert len(fig.axes) == image_count(fig) == 5  # the three unused cells are removed
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 4)
    assert not any(ax.axison for ax in fig.axes)
    np.testing.assert_array_equal(fig.axes[4].images[0].get_array(), IMAGES[4])


def test_plot_digits_figure_is_opaque_white():
    assert same_color(plot_digits(IMAGES[:3]).get_facecolor(), "white")


@pytest.mark.parametrize(
    "images, brightest",
    [
        pytest.param(IMAGES, 255, id="uint8"),
        pytest.param(IMAGES.reshape(6, 784) / 255, 1, id="flat floats"),
        pytest.param(IMAGES[..., None] > 127, 1, id="bool with channel axis"),
    ],
)
def test_plot_digits_scales_each_pixel_type(images, brightest):
    fig = plot_digits(images, LABELS)
    assert image_count(fig) == 6
    assert fig.axes[0].images[0].get_clim() == (0, brightest)


@given(
    labels=arrays(np.int64, st.integers(1, 30), elements=st.integers(0, 9)),
    max_digits=st.integers(1, 12),
    columns=st.integers(1, 12),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=20, deadline=None)
def test_plot_digits_draws_one_image_per_shown_digit(labels, max_digits, columns, seed):
    rng = np.random.default_rng(seed)
    images = rng.random((len(labels), 28, 28))
    predictions = rng.integers(0, 10, len(labels))
    fig = plot_digits(images, labels, predictions, columns=columns, max_digits=max_digits)
    shown = min(len(labels), max_digits)
    assert len(fig.axes) == image_count(fig) == shown
    wrong = labels[:shown] != predictions[:shown]
    assert [is_red(ax) for ax in fig.axes] == wrong.tolist()
    plt.close(fig)


# plot_history


@pytest.mark.parametrize("history", [HISTORY, History(HISTORY)], ids=["dict", "History"])
def test_plot_history_draws_training_and_validation(history):
    axes = plot_history(history, title="run 1")
    assert len(axes) == 2
    for ax, metric in zip(axes, ["loss", "accuracy"], strict=True):
        assert len(curves(ax)) == 2
        assert ax.get_ylabel() == metric and ax.get_xlabel() == "epoch"
        assert [text.get_text() for text in ax.get_legend().get_texts()] == [
            "training",
            "validation",
        ]
        np.testing.assert_array_equal(curves(ax)[0].get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(curves(ax)[1].get_ydata(), HISTORY[f"val_{metric}"])
    assert axes[0].figure.get_suptitle() == "run 1"


def test_plot_history_without_validation_and_into_given_axes():
    _, given_axes = plt.subplots(1, 1)
    axes = plot_history({"loss": [3, 2, 1]}, metrics="loss", axes=given_axes)
    assert axes[0] is given_axes
    assert len(curves(given_axes)) == 1


@pytest.mark.parametrize(
    "history, options, error, match",
    [
        pytest.param({}, {}, ValueError, "empty history", id="empty dict"),
        pytest.param(History({}), {}, ValueError, "empty history", id="empty History"),
        pytest.param(
            {"loss": [1]}, {}, ValueError, r"'accuracy'.*recorded ones are \['loss'\]",
            id="missing metric",
        ),
        pytest.param({"loss": []}, {"metrics": "loss"}, ValueError, "one value per epoch",
                     id="no epochs"),
        pytest.param({"loss": ["a"]}, {"metrics": "loss"}, TypeError, "numeric", id="text"),
        pytest.param([0.5, 0.4], {}, TypeError, "History or a dict", id="list"),
        pytest.param(None, {}, TypeError, "History or a dict", id="None"),
        pytest.param(HISTORY, {"metrics": [1]}, TypeError, "metric names", id="metric int"),
        pytest.param(HISTORY, {"metrics": []}, ValueError, "at least one", id="no metrics"),
    ],
)
def test_plot_history_rejects(history, options, error, match):
    with pytest.raises(error, match=match):
        plot_history(history, **options)


RUNS = [{"loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.6, 0.5]},
        {"loss": [0.7, 0.3, 0.1], "val_loss": [0.8, 0.6, 0.3]}]


def test_plot_history_of_several_runs_draws_their_mean_and_a_band():
    [ax] = plot_history([History(RUNS[0]), RUNS[1]], metrics="loss")
    assert len(curves(ax)) == 2 and len(ax.collections) == 2  # a band around each mean
    np.testing.assert_allclose(curves(ax)[0].get_ydata(), [0.8, 0.4, 0.2])
    np.testing.assert_allclose(curves(ax)[1].get_ydata(), [0.9, 0.6, 0.4])
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    sd = np.std([RUNS[0]["loss"], RUNS[1]["loss"]], axis=0, ddof=1)  # 0.141 at each epoch
    np.testing.assert_allclose([band.min(), band.max()], [0.2 - sd[2], 0.8 + sd[0]])
    assert ax.get_title() == "loss, mean ± sd over 2 runs"


@pytest.mark.parametrize(
    "runs, match",
    [
        pytest.param([], "at least one run", id="no runs"),
        pytest.param([RUNS[0], {"loss": [1, 2]}], r"same number of epochs, got \[3, 2\]",
                     id="other lengths"),
        pytest.param([RUNS[0], {"loss": [1, 2, 3]}], "'val_loss' is recorded in some runs",
                     id="validation in one run"),
    ],
)
def test_plot_history_rejects_runs_that_do_not_match(runs, match):
    with pytest.raises(ValueError, match=match):
        plot_history(runs, metrics="loss")


def test_plot_history_needs_one_axes_per_metric():
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="expected 2 Axes"):
        plot_history(HISTORY, axes=axes)


# plot_confusion_matrix


def written_cells(ax):
    """{(true, predicted): text} of the numbers on the matrix, each placed by its tick labels."""
    def digits(ticks, labels):
        return {tick: int(label.get_text()) for tick, label in zip(ticks, labels, strict=True)}

    columns = digits(ax.get_xticks(), ax.get_xticklabels())
    rows = digits(ax.get_yticks(), ax.get_yticklabels())
    return {(rows[text.get_position()[1]], columns[text.get_position()[0]]): text
            for text in ax.texts}


def cell_colour(ax, true, predicted):
    """The RGB colour drawn near the corner of a cell (clear of its number), from the pixels."""
    ax.figure.canvas.draw()
    pixels = np.asarray(ax.figure.canvas.buffer_rgba())
    centre = ax.get_xticks()[predicted], ax.get_yticks()[true]
    x, y = ax.transData.transform((centre[0] - 0.35, centre[1] - 0.35))
    return pixels[round(pixels.shape[0] - y), round(x), :3] / 255


def assert_colour(rgb, colour):
    np.testing.assert_allclose(rgb, to_rgb(colour), atol=2 / 255)  # pixels are whole /255


def test_plot_confusion_matrix_writes_the_diagonal_and_the_mistakes_only():
    ax = plot_confusion_matrix(Y_TRUE, Y_PRED)
    expected = {(true, predicted): str(count)
                for (true, predicted), count in np.ndenumerate(COUNTED)
                if true == predicted or count > 0}  # off the diagonal, no mistakes: blank
    assert {cell: text.get_text() for cell, text in written_cells(ax).items()} == expected
    assert ax.get_xlabel() == "predicted" and ax.get_ylabel() == "true"
    digits = [str(d) for d in range(10)]
    assert [label.get_text() for label in ax.get_xticklabels()] == digits
    assert [label.get_text() for label in ax.get_yticklabels()] == digits
    assert ax.figure.axes[1].get_ylabel() == "mistakes"  # the colour bar
    assert same_color(ax.figure.get_facecolor(), "white")
    assert ax.get_title() == ""


# Six correct 0s and three read as 5, two correct 1s and one read as 7, one correct 2.
SKEWED_TRUE = [0] * 9 + [1] * 3 + [2]
SKEWED_PRED = [0] * 6 + [5] * 3 + [1, 1, 7] + [2]


def is_light(colour):
    return np.dot(to_rgb(colour), [0.299, 0.587, 0.114]) > 0.5


def test_plot_confusion_matrix_colours_only_the_mistakes():
    cmap = "Blues"
    ax = plot_confusion_matrix(SKEWED_TRUE, SKEWED_PRED)
    grey = cell_colour(ax, 0, 0)
    assert grey[0] == grey[1] == grey[2] and 0.5 < grey[0] < 0.95  # neutral, light, not white
    for digit in range(1, 10):  # 6 correct or none: the same grey, off the mistakes' scale
        assert_colour(cell_colour(ax, digit, digit), grey)
    assert_colour(cell_colour(ax, 0, 5), plt.get_cmap(cmap)(1.0))  # 3, the most mistakes
    assert_colour(cell_colour(ax, 1, 7), plt.get_cmap(cmap)(1 / 3))
    assert_colour(cell_colour(ax, 5, 0), "white")  # no 5 read as 0: blank
    assert ax.figure.axes[1].get_ylim() == (0, 3)  # the scale ends at the largest mistake
    text = written_cells(ax)
    assert is_light(text[0, 5].get_color())  # light ink on the darkest cell
    assert not is_light(text[1, 7].get_color()) and not is_light(text[0, 0].get_color())


def test_plot_confusion_matrix_without_mistakes(recwarn):
    ax = plot_confusion_matrix(LABELS, LABELS)
    assert set(written_cells(ax)) == {(digit, digit) for digit in range(10)}
    assert_colour(cell_colour(ax, 1, 0), "white")
    assert len(recwarn) == 0


def test_plot_confusion_matrix_titles_the_axes_with_the_model():
    ax = plot_confusion_matrix(Y_TRUE, Y_PRED, title="784-100-10 with dropout")
    assert ax.get_title() == "784-100-10 with dropout"


def test_evaluation_plots_its_confusion_titled():
    probabilities = probabilities_with([0.9] * 6, PREDICTIONS)
    ax = Evaluation(LABELS, probabilities).plot_confusion("784-100-10 with dropout")
    assert ax.get_title() == "784-100-10 with dropout"
    assert written_cells(ax)[4, 9].get_text() == "1"  # the 4 read as 9


def test_evaluation_plots_its_mistakes_most_confident_first():
    probabilities = probabilities_with([0.9, 0.9, 0.6, 0.9, 0.9, 0.8], PREDICTIONS)
    fig = Evaluation(LABELS, probabilities).plot_mistakes(IMAGES)
    assert titles(fig) == ["true 2, pred 7\n80%", "true 4, pred 9\n60%"]
    with pytest.raises(ValueError, match="expected the 6 images that were scored, got 5"):
        Evaluation(LABELS, probabilities).plot_mistakes(IMAGES[:5])


def test_plot_confusion_matrix_draws_into_given_axes():
    _, given_ax = plt.subplots()
    assert plot_confusion_matrix([1], [1], ax=given_ax) is given_ax


# plot_misclassified


def test_plot_misclassified_most_confident_first():
    images = IMAGES[:5]
    y_true, y_pred = [1, 2, 3, 4, 5], [1, 7, 8, 9, 5]
    probabilities = probabilities_with([0.9, 0.6, 0.95, 0.8, 0.9], y_pred)
    fig = plot_misclassified(images, y_true, y_pred, probabilities)
    assert titles(fig) == ["true 3, pred 8\n95%", "true 4, pred 9\n80%", "true 2, pred 7\n60%"]
    assert all(is_red(ax) for ax in fig.axes)
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), images[2])


def test_plot_misclassified_keeps_order_without_probabilities():
    fig = plot_misclassified(IMAGES, LABELS, PREDICTIONS)
    assert titles(fig) == ["true 4, pred 9", "true 2, pred 7"]


def test_plot_misclassified_limits_the_count():
    fig = plot_misclassified(IMAGES, LABELS, PREDICTIONS, max_digits=1)
    assert image_count(fig) == 1


def test_plot_misclassified_without_mistakes_says_so():
    fig = plot_misclassified(IMAGES, LABELS, LABELS)
    assert len(fig.axes) == 1 and image_count(fig) == 0
    assert [text.get_text() for text in fig.axes[0].texts] == ["no mistakes"]


@given(
    y_true=arrays(np.int64, st.integers(1, 30), elements=st.integers(0, 9)),
    max_digits=st.integers(1, 12),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=20, deadline=None)
def test_plot_misclassified_draws_each_shown_mistake(y_true, max_digits, seed):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (len(y_true), 28, 28), dtype=np.uint8)
    y_pred = np.where(rng.random(len(y_true)) < 0.5, y_true, rng.integers(0, 10, len(y_true)))
    probabilities = rng.dirichlet(np.ones(10), len(y_true))
    fig = plot_misclassified(images, y_true, y_pred, probabilities, max_digits=max_digits)
    mistakes = int((y_true != y_pred).sum())
    assert image_count(fig) == min(mistakes, max_digits)
    shown_confidences = [int(title.split("\n")[1][:-1]) for title in titles(fig) if title]
    assert shown_confidences == sorted(shown_confidences, reverse=True)
    plt.close(fig)


# plot_seed_spreads

SPREADS = {"no regularisation": [3.1, 3.5, 3.3], "+ dropout": [1.0, 1.4, 1.6, 1.2]}


def test_plot_seed_spreads_draws_mean_sd_and_every_seed_per_recipe():
    ax = plot_seed_spreads(SPREADS, xlabel="gap (points)", title="three seeds")
    assert [label.get_text() for label in ax.get_yticklabels()] == list(SPREADS)
    assert ax.get_xlabel() == "gap (points)" and ax.get_title() == "three seeds"
    means, *error_bars = curves(ax)  # the means, then one bar with its caps per recipe
    for row, values in enumerate(SPREADS.values()):
        mean, sd = np.mean(values), np.std(values, ddof=1)
        assert means.get_xdata()[row] == pytest.approx(mean)
        bar = error_bars[row].get_xdata()
        np.testing.assert_allclose([np.nanmin(bar), np.nanmax(bar)], [mean - sd, mean + sd])
    dots = np.concatenate([dots.get_offsets()[:, 0] for dots in ax.collections])
    np.testing.assert_allclose(dots, sum(SPREADS.values(), []))  # each seed
    assert same_color(ax.figure.get_facecolor(), "white")


@pytest.mark.parametrize(
    "results, error, match",
    [
        pytest.param({}, TypeError, "a dict of names", id="empty"),
        pytest.param([1.0, 2.0], TypeError, "a dict of names", id="list"),
        pytest.param({"a": [0.98]}, ValueError, r"results\['a'\]: .*two or more seeds",
                     id="one seed"),
        pytest.param({"a": [0.98, np.nan]}, ValueError, "finite", id="NaN"),
        pytest.param({"a": "high"}, TypeError, "expected an array", id="text"),
    ],
)
def test_plot_seed_spreads_rejects(results, error, match):
    with pytest.raises(error, match=match):
        plot_seed_spreads(results, xlabel="accuracy")


# Validation. The checks themselves, with every bad input they catch, are tested once in
# test_checks.py; here, one bad value per argument shows that each entry point runs that
# argument through them, so the message names the argument the reader got wrong.

MODEL_OUTPUTS = np.full((6, 10), 0.1)  # (n, 10) rows where digits belong: forgot .argmax(axis=1)


@pytest.mark.parametrize("argument", ["y_true", "y_pred"])
def test_confusion_matrix_checks_its_labels(argument):
    labels = {"y_true": LABELS, "y_pred": PREDICTIONS, argument: MODEL_OUTPUTS}
    with pytest.raises(ValueError, match=rf"^{argument}: .*argmax"):
        confusion_matrix(**labels)


@pytest.mark.parametrize("argument", ["y_true", "y_pred"])
def test_plot_confusion_matrix_checks_its_labels(argument):
    labels = {"y_true": LABELS, "y_pred": PREDICTIONS, argument: [5, 0, 4, 1, 9, 10]}
    with pytest.raises(ValueError, match=rf"^{argument}: expected labels 0-9"):
        plot_confusion_matrix(**labels)


@pytest.mark.parametrize(
    "argument, bad, match",
    [
        pytest.param("images", IMAGES * 1.0, "divide raw pixels by 255", id="images"),
        pytest.param("labels", [5, 0, 4], "expected 6 labels to match the images", id="labels"),
        pytest.param("predictions", [5, 0, 4], "expected 6 labels", id="predictions"),
    ],
)
def test_plot_digits_checks_its_inputs(argument, bad, match):
    inputs = {"images": IMAGES, "labels": LABELS, "predictions": PREDICTIONS, argument: bad}
    with pytest.raises(ValueError, match=f"^{argument}: .*{match}"):
        plot_digits(**inputs)


@pytest.mark.parametrize(
    "argument, bad, match",
    [
        pytest.param("images", np.full((6, 28, 28), np.nan), "finite", id="images"),
        pytest.param("y_true", MODEL_OUTPUTS, "argmax", id="y_true"),
        pytest.param("y_pred", MODEL_OUTPUTS, "argmax", id="y_pred"),
        pytest.param("probabilities", np.full((6, 10), 4.0), "softmax", id="probabilities"),
    ],
)
def test_plot_misclassified_checks_its_inputs(argument, bad, match):
    inputs = {"images": IMAGES, "y_true": LABELS, "y_pred": PREDICTIONS,
              "probabilities": probabilities_with([0.9] * 6, PREDICTIONS), argument: bad}
    with pytest.raises(ValueError, match=f"^{argument}: .*{match}"):
        plot_misclassified(**inputs)


def test_predictions_must_match_the_true_labels_in_length():
    with pytest.raises(ValueError, match="y_pred: expected 6 labels like y_true, got 3"):
        confusion_matrix(LABELS, [5, 0, 4])


BAD_OPTIONS = [
    pytest.param(plot_digits, {"columns": 0}, ValueError, "columns: expected a positive int"),
    pytest.param(plot_digits, {"columns": 2.5}, TypeError, "columns: expected a positive int"),
    pytest.param(plot_digits, {"max_digits": -1}, ValueError, "max_digits"),
    pytest.param(plot_digits, {"max_digits": True}, TypeError, "max_digits"),
    pytest.param(plot_misclassified, {"columns": 0}, ValueError, "columns"),
    pytest.param(plot_misclassified, {"max_digits": 0}, ValueError, "max_digits"),
    pytest.param(plot_misclassified, {"max_digits": "20"}, TypeError, "max_digits"),
]


@pytest.mark.parametrize("plot, options, error, match", BAD_OPTIONS)
def test_bad_options_are_rejected(plot, options, error, match):
    arguments = (IMAGES, LABELS, PREDICTIONS)[: 3 if plot is plot_misclassified else 1]
    with pytest.raises(error, match=match):
        plot(*arguments, **options)


def test_failed_calls_leave_no_figure_behind():
    plt.close("all")
    with pytest.raises(ValueError):
        plot_misclassified(IMAGES, LABELS, PREDICTIONS, columns=0)
    with pytest.raises(ValueError):
        plot_history({"loss": [1]})
    with pytest.raises(ValueError):
        plot_confusion_matrix(LABELS, MODEL_OUTPUTS)
    with pytest.raises(ValueError):
        plot_seed_spreads({"one seed": [0.98]}, xlabel="accuracy")
    assert plt.get_fignums() == []


def test_nothing_calls_show(monkeypatch):
    def fail():
        raise AssertionError("plt.show() was called")

    monkeypatch.setattr(plt, "show", fail)
    plot_digits(IMAGES)
    plot_history(HISTORY)
    plot_confusion_matrix(LABELS, PREDICTIONS)
    plot_misclassified(IMAGES, LABELS, PREDICTIONS)
    plot_misclassified(IMAGES, LABELS, LABELS)
    plot_seed_spreads({"a": [1, 2]}, xlabel="gap")


def test_importing_the_package_changes_no_matplotlib_setting():
    code = (
        "import matplotlib, matplotlib.pyplot as plt\n"
        "before = dict(matplotlib.rcParams)\n"
        "import mnist_book\n"
        "assert dict(matplotlib.rcParams) == before, 'rcParams changed'\n"
        "assert plt.get_fignums() == [], 'a figure was opened'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
