"""`preprocess_digit` turns any picture of a digit into an MNIST-style 28x28 input."""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mnist_book.data import find_data_dir, read_idx_dir
from mnist_book.preprocess import preprocess_digit

# A "7": a top bar and a diagonal, as (row, column) fractions of the image.
SEVEN = [((0.2, 0.25), (0.2, 0.75)), ((0.2, 0.75), (0.85, 0.4))]


def draw(shape=(120, 90), strokes=SEVEN, thickness=8.0):
    """Return a float image in 0-1 with white strokes (1) on black (0)."""
    rows, columns = np.mgrid[0 : shape[0], 0 : shape[1]]
    image = np.zeros(shape)
    for start, end in strokes:
        (r0, c0), (r1, c1) = np.multiply(start, shape), np.multiply(end, shape)
        along = ((rows - r0) * (r1 - r0) + (columns - c0) * (c1 - c0)) / (
            (r1 - r0) ** 2 + (c1 - c0) ** 2
        )
        along = np.clip(along, 0, 1)
        distance = np.hypot(rows - (r0 + along * (r1 - r0)), columns - (c0 + along * (c1 - c0)))
        image[distance <= thickness / 2] = 1
    return image


def assert_mnist_like(digit):
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.min() >= 0 and digit.max() <= 1
    rows = np.flatnonzero(digit.any(axis=1))
    columns = np.flatnonzero(digit.any(axis=0))
    assert rows[-1] - rows[0] < 20 and columns[-1] - columns[0] < 20


def centre_of_mass(digit):
    indices = np.arange(28)
    total = digit.sum()
    return (digit.sum(axis=1) @ indices / total, digit.sum(axis=0) @ indices / total)


def correlation(a, b):
    return np.corrcoef(np.ravel(a), np.ravel(b))[0, 1]


@pytest.fixture(scope="module")
def reference():
    """The drawn seven, white on black, preprocessed."""
    return preprocess_digit(draw())


@pytest.fixture(scope="module")
def mnist_test_digits():
    folder = find_data_dir()
    if folder is None:
        pytest.skip("no MNIST copy: run `make data` or set MNIST_DIR")
    _, (x_test, _) = read_idx_dir(folder)
    return x_test


def test_output_is_an_mnist_style_digit(reference):
    assert_mnist_like(reference)
    assert reference.max() == 1
    assert np.allclose(centre_of_mass(reference), (14, 14), atol=1)


def test_longer_side_is_scaled_to_20_pixels():
    tall_bar = np.zeros((300, 300))
    tall_bar[50:250, 140:160] = 1
    digit = preprocess_digit(tall_bar)
    assert np.flatnonzero(digit.max(axis=1) > 0.5).size == 20


def test_dark_ink_on_white_paper_is_inverted(reference):
    dark_on_white = np.round((1 - draw()) * 255).astype(np.uint8)
    np.testing.assert_allclose(preprocess_digit(dark_on_white), reference, atol=0.02)


def test_pencil_on_grey_paper_matches(reference):
    pencil = 0.7 - 0.4 * draw()
    assert correlation(preprocess_digit(pencil), reference) > 0.99


def test_bool_image_matches(reference):
    np.testing.assert_allclose(preprocess_digit(draw() > 0.5), reference, atol=1e-6)


def test_rgb_blue_ink_on_yellow_paper(reference):
    ink = draw()[..., None]
    yellow, blue = np.array([255, 230, 40]), np.array([20, 30, 200])
    page = np.round(ink * blue + (1 - ink) * yellow).astype(np.uint8)
    assert correlation(preprocess_digit(page), reference) > 0.99


def test_rgba_transparent_pixels_are_paper_whatever_their_colour(reference):
    ink = draw()
    rng = np.random.default_rng(1)
    page = rng.integers(0, 256, (*ink.shape, 4), dtype=np.uint8)  # garbage colours
    page[ink > 0, :3] = 0  # black, opaque strokes
    page[..., 3] = np.where(ink > 0, 255, 0)  # everything else fully transparent
    np.testing.assert_allclose(preprocess_digit(page), reference, atol=1e-5)


def test_half_transparent_ink_is_lighter_but_the_same_digit(reference):
    page = np.zeros((*draw().shape, 4))
    page[..., 3] = draw() * 0.5  # black ink at half opacity, on a transparent sheet
    assert correlation(preprocess_digit(page), reference) > 0.99


def test_real_mnist_digits_come_back_nearly_unchanged(mnist_test_digits):
    digits = mnist_test_digits[:100]
    correlations = [correlation(preprocess_digit(digit), digit) for digit in digits]
    assert correlations[0] > 0.9
    assert np.median(correlations) > 0.95


def test_a_4000_pixel_photo_takes_well_under_a_second():
    small = np.round((1 - draw((400, 400), thickness=40)) * 255).astype(np.uint8)
    photo = np.repeat(np.repeat(small, 10, axis=0), 10, axis=1)  # 4000 x 4000
    start = time.perf_counter()
    digit = preprocess_digit(photo)
    assert time.perf_counter() - start < 1
    assert correlation(digit, preprocess_digit(small)) > 0.98


@pytest.mark.parametrize(
    "image, error, match",
    [
        pytest.param(np.full((50, 50), 255, np.uint8), ValueError, "blank: no digit found",
                     id="white page"),
        pytest.param(np.full((9, 9, 3), 0.3), ValueError, "blank", id="grey rgb"),
        pytest.param(0.5 + 0.01 * draw(), ValueError, "blank", id="too faint"),
        pytest.param(np.zeros((1, 1)), ValueError, "blank", id="one pixel"),
        pytest.param(np.ones(784), ValueError, r"got \(784,\)", id="1-D"),
        pytest.param(np.ones((1, 28, 28, 1)), ValueError, r"got \(1, 28, 28, 1\)", id="4-D"),
        pytest.param(np.ones((28, 28, 2)), ValueError, r"got \(28, 28, 2\)", id="2 channels"),
        pytest.param(np.zeros((0, 28)), ValueError, "non-empty", id="empty"),
        pytest.param([], ValueError, "non-empty", id="empty list"),
        pytest.param(np.where(draw(), np.nan, 0), ValueError, "finite", id="nan"),
        pytest.param(np.where(draw(), np.inf, 0), ValueError, "finite", id="inf"),
        pytest.param(draw() * 255, ValueError, "0-1 for floats.*divide raw pixels by 255",
                     id="float 0-255"),
        pytest.param(draw().astype(int) * 300, ValueError, "0-255", id="int 300"),
        pytest.param("seven.png", TypeError, "expected an array, got str", id="str"),
        pytest.param(None, TypeError, "expected an array, got NoneType", id="None"),
        pytest.param({"pixels": 1}, TypeError, "expected an array, got dict", id="dict"),
    ],
)
def test_bad_images_are_rejected(image, error, match):
    with pytest.raises(error, match=match):
        preprocess_digit(image)


@st.composite
def pages_with_a_blob(draw_from):
    """A grey, RGB or RGBA page, uint8 or float, holding one rectangle of ink."""
    height, width = draw_from(st.integers(2, 200)), draw_from(st.integers(2, 200))
    top, left = draw_from(st.integers(0, height - 1)), draw_from(st.integers(0, width - 1))
    bottom = draw_from(st.integers(top + 1, height))
    right = draw_from(st.integers(left + 1, width))
    paper, ink = draw_from(st.floats(0, 1)), draw_from(st.floats(0, 1))
    rng = np.random.default_rng(draw_from(st.integers(0, 2**32 - 1)))
    noise = draw_from(st.floats(0, 0.1)) * rng.standard_normal((height, width))
    grey = np.clip(paper + noise, 0, 1)
    grey[top:bottom, left:right] = ink
    channels = draw_from(st.sampled_from([None, 3, 4]))
    if channels is not None:
        grey = np.repeat(grey[..., None], channels, axis=2)
    if channels == 4:
        grey[..., 3] = rng.random((height, width)) > 0.2  # some transparent pixels
        grey[grey[..., 3] == 0, :3] = rng.random(3)  # holding garbage colour
    return np.round(grey * 255).astype(np.uint8) if draw_from(st.booleans()) else grey


@given(page=pages_with_a_blob())
@settings(max_examples=30, deadline=None)
def test_any_page_gives_a_digit_or_a_value_error(page):
    try:
        digit = preprocess_digit(page)
    except ValueError:
        return
    assert_mnist_like(digit)
