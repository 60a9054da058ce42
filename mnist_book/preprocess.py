"""Turn your own picture of a digit into an MNIST-style 28x28 input.

MNIST digits are light strokes on a black background, scaled to fit a 20x20 box and
placed in a 28x28 frame so that their centre of mass is at the centre. `preprocess_digit`
applies the same steps to a photo, a scan or a drawing, so that a model trained on
MNIST sees the kind of input it was trained on.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from PIL import Image

from mnist_book.checks import IMAGE_SIDE, as_array, check_images, check_pixel_range

__all__ = ["preprocess_digit", "shift_digits"]

DIGIT_BOX = 20  # MNIST fits each digit into 20x20 pixels, then frames it in 28x28
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # BT.601, as PIL's "L"
MAX_WORKING_SIDE = 560  # larger images are shrunk by averaging blocks of pixels first
MIN_CONTRAST = 0.05  # on a 0-1 scale, ink must differ at least this much from the paper
INK_THRESHOLD = 0.2  # pixels above this fraction of the strongest ink define the digit's box


def preprocess_digit(image: ArrayLike) -> np.ndarray:
    """Turn a picture of one handwritten digit into a 28x28 MNIST-style image.

    The steps follow how MNIST itself was made:

    1. Convert to grey with the luminance weights 0.299 R + 0.587 G + 0.114 B. An
       alpha channel is composited onto white paper first, so fully transparent
       pixels count as paper whatever colour they hold.
    2. Scale to 0-1. Images longer than 560 pixels are first shrunk with Pillow's
       ``Image.reduce``, which averages blocks of pixels (a 4000x4000 photo takes a
       fraction of a second).
    3. Find the polarity: the paper is the median of the border pixels, and the ink
       is whichever extreme (darker or lighter) differs more from it. Dark ink on
       light paper is inverted so that the digit is light on black, as in MNIST.
    4. Subtract the paper so that it becomes 0.
    5. Crop to the bounding box of the ink (pixels above 0.2 of the strongest ink)
       and resize it, keeping its aspect ratio, so that its longer side is 20 pixels.
    6. Place it in a 28x28 frame with its centre of mass at pixel (14, 14) (as close
       as an integer shift allows without leaving the frame), and stretch the values
       so that the strongest ink is 1.

    Args:
        image: a 2-D grey image (height, width), an RGB image (height, width, 3) or
            an RGBA image (height, width, 4), of any size: a NumPy array, a nested
            list, a TensorFlow tensor or a PIL image (``np.asarray`` of it). Values
            are integers 0-255, floats 0-1, or booleans (read as 0 and 1).

    Returns:
        A float32 array of shape (28, 28) with values in 0-1: the digit light on a
        black (0) background, inside a centred 20x20 box.

    Raises:
        TypeError: ``image`` is not an array (a str, None, a dict) or is not numeric.
        ValueError: the array is empty; its shape is not (h, w), (h, w, 3) or
            (h, w, 4); it holds NaN or infinity; integers lie outside 0-255 or floats
            outside 0-1 (divide raw pixels by 255); or the image is blank, with no ink
            differing from the paper by at least 0.05.

    Example:
        >>> page = np.full((100, 60), 255, dtype=np.uint8)  # white paper
        >>> page[20:80, 27:33] = 0  # a black "1"
        >>> digit = preprocess_digit(page)
        >>> digit.shape, digit.dtype, float(digit.max())
        ((28, 28), dtype('float32'), 1.0)
    """
    pixels = _check_image(image)
    ink = _ink_on_black(_working_grey(pixels))
    digit = _fit_in_box(_crop_to_ink(ink), DIGIT_BOX)
    framed = _frame_by_centre_of_mass(digit, IMAGE_SIDE)
    return np.clip(framed / framed.max(), 0, 1).astype(np.float32)


def _check_image(image: ArrayLike) -> np.ndarray:
    """Return ``image`` as an array of a supported shape and range, or raise."""
    array = as_array(image, "image")
    if array.size == 0:
        raise ValueError(f"image: expected a non-empty image, got shape {array.shape}")
    is_grey = array.ndim == 2
    is_colour = array.ndim == 3 and array.shape[-1] in (3, 4)
    if not (is_grey or is_colour):
        raise ValueError(
            "image: expected shape (height, width), (height, width, 3) or "
            f"(height, width, 4), got {array.shape}"
        )
    check_pixel_range(array, "image")
    return array


def _working_grey(pixels: np.ndarray) -> np.ndarray:
    """Return the grey image, shrunk with Pillow first when longer than 560 pixels.

    ``Image.reduce`` averages blocks of ``factor`` x ``factor`` pixels (the partial blocks
    at the right and bottom edges over the pixels they hold). Integer images are reduced
    as 8-bit L, RGB or RGBA images (Pillow weights colours by their opacity), other
    images as a float32 grey ("F") image.
    """
    factor = math.ceil(max(pixels.shape[:2]) / MAX_WORKING_SIDE)
    if factor == 1:
        return _to_grey(pixels)
    if np.issubdtype(pixels.dtype, np.integer):  # checked to lie in 0-255
        return _to_grey(np.asarray(Image.fromarray(pixels.astype(np.uint8)).reduce(factor)))
    return np.asarray(Image.fromarray(_to_grey(pixels)).reduce(factor))


def _to_grey(pixels: np.ndarray) -> np.ndarray:
    """Return a float32 (height, width) luminance in 0-1, transparent pixels as white.

    One float32 operation at a time, in a fixed order, so that the book's "Draw a digit"
    page, which repeats these steps in JavaScript, computes the very same numbers.
    """
    full_scale = np.float32(255 if np.issubdtype(pixels.dtype, np.integer) else 1)
    values = pixels.astype(np.float32) / full_scale
    if values.ndim == 2:
        return values
    red, green, blue = (values[..., channel] for channel in range(3))
    grey = red * LUMA_WEIGHTS[0] + green * LUMA_WEIGHTS[1] + blue * LUMA_WEIGHTS[2]
    if values.shape[-1] == 4:
        opacity = values[..., 3]
        grey = grey * opacity + (1 - opacity)  # composite onto white paper
    return grey


def _ink_on_black(grey: np.ndarray) -> np.ndarray:
    """Return how much each pixel differs from the paper, on the ink's side, as 0 or more."""
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = np.float32(np.median(border))
    darker_ink, lighter_ink = paper - grey.min(), grey.max() - paper
    contrast = max(darker_ink, lighter_ink)
    if contrast < MIN_CONTRAST:
        raise ValueError(
            f"image: looks blank: no digit found (nothing differs from the paper by more "
            f"than {contrast:.3f}; at least {MIN_CONTRAST} is needed)"
        )
    ink = paper - grey if darker_ink > lighter_ink else grey - paper
    return np.clip(ink, 0, None)


def _crop_to_ink(ink: np.ndarray) -> np.ndarray:
    """Crop to the bounding box of the pixels holding a good share of the strongest ink."""
    strong = ink > INK_THRESHOLD * ink.max()
    rows = np.flatnonzero(strong.any(axis=1))
    columns = np.flatnonzero(strong.any(axis=0))
    return ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def _fit_in_box(digit: np.ndarray, box: int) -> np.ndarray:
    """Resize so that the longer side is ``box`` pixels, keeping the aspect ratio."""
    scale = box / max(digit.shape)
    height, width = (max(1, round(side * scale)) for side in digit.shape)
    # bilinear weights are never negative, and PIL widens them when shrinking (antialiasing)
    resized = Image.fromarray(digit.astype(np.float32)).resize(
        (width, height), Image.Resampling.BILINEAR
    )
    return np.asarray(resized)


def _frame_by_centre_of_mass(digit: np.ndarray, side: int) -> np.ndarray:
    """Place ``digit`` in a ``side`` x ``side`` frame with its centre of mass at the centre."""
    top = _offset_centring_mass(digit.sum(axis=1), side)
    left = _offset_centring_mass(digit.sum(axis=0), side)
    framed = np.zeros((side, side), dtype=np.float32)
    framed[top : top + digit.shape[0], left : left + digit.shape[1]] = digit
    return framed


def _offset_centring_mass(profile: np.ndarray, side: int) -> int:
    """Return the offset that moves the profile's centre of mass nearest ``side / 2``."""
    centre_of_mass = (profile * np.arange(len(profile))).sum() / profile.sum()
    return int(np.clip(round(side / 2 - centre_of_mass), 0, side - len(profile)))


def shift_digits(images: ArrayLike, dx: int, dy: int) -> np.ndarray:
    """Move every digit ``dx`` pixels right and ``dy`` pixels down, filling with 0.

    Used to test how a model copes with digits that are not centred.

    Args:
        images: a batch of shape (n, 28, 28) (or (n, 784), (n, 28, 28, 1)), integers
            0-255 or floats 0-1.
        dx: pixels to the right (negative: left), from -27 to 27.
        dy: pixels down (negative: up), from -27 to 27.

    Returns:
        An array of shape (n, 28, 28) and the input's dtype.

    Raises:
        TypeError: ``dx`` or ``dy`` is not an integer.
        ValueError: the images fail the checks of `mnist_book.checks.check_images`,
            or a shift is 28 pixels or more.

    Example:
        >>> digit = np.zeros((1, 28, 28), dtype=np.uint8); digit[0, 10, 10] = 255
        >>> np.argwhere(shift_digits(digit, dx=2, dy=-1)[0])
        array([[ 9, 12]])
    """
    batch = check_images(images)
    for name, value in (("dx", dx), ("dy", dy)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name}: expected an integer number of pixels, got {value!r}")
        if abs(value) >= IMAGE_SIDE:
            raise ValueError(f"{name}: expected -27..27 pixels, got {value}")
    return move_batch(batch, dx, dy)


def move_batch(batch: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """`shift_digits` of a checked (n, 28, 28) batch and shifts within -27..27."""
    shifted = np.zeros_like(batch)
    rows = slice(max(dy, 0), IMAGE_SIDE + min(dy, 0))
    cols = slice(max(dx, 0), IMAGE_SIDE + min(dx, 0))
    source_rows = slice(max(-dy, 0), IMAGE_SIDE + min(-dy, 0))
    source_cols = slice(max(-dx, 0), IMAGE_SIDE + min(-dx, 0))
    shifted[:, rows, cols] = batch[:, source_rows, source_cols]
    return shifted
