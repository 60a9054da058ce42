"""Colab: every chapter links to itself and installs the helper from the one repository URL.

The last test simulates Colab offline: a fresh virtual environment without the helper,
a fake `google.colab` module, and MNIST_BOOK_REPO pointing at a local clone; running
chapter 1's setup cell must install the helper so that `load_mnist` works.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REPO_URL = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def cells(notebook: Path, kind: str) -> list[str]:
    data = json.loads(notebook.read_text())
    return ["".join(cell["source"]) for cell in data["cells"] if cell["cell_type"] == kind]


def setup_cell(notebook: Path) -> str:
    return next(source for source in cells(notebook, "code") if "google.colab" in source)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_setup_cell_installs_from_the_configured_repository(notebook):
    source = setup_cell(notebook)
    assert source == cells(notebook, "code")[0], "the Colab install must be the first code cell"
    assert f'os.environ.get("MNIST_BOOK_REPO", "{REPO_URL}")' in source
    assert 'f"git+{BOOK_REPO}"' in source


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_colab_link_opens_this_notebook(notebook):
    repo = REPO_URL.removeprefix("https://github.com/")
    link = f"https://colab.research.google.com/github/{repo}/blob/main/notebooks/{notebook.name}"
    assert link in cells(notebook, "markdown")[0]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


def test_setup_cell_in_simulated_colab_installs_a_working_helper(tmp_path, source_dir):
    clone = tmp_path / "clone"
    run(["git", "clone", "--quiet", str(ROOT), str(clone)])
    venv = tmp_path / "colab"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    # Colab ships TensorFlow, Matplotlib and seaborn: expose this environment's packages as a
    # plain path. Its .pth files (and so the editable helper) are not processed this way.
    colab_site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    Path(colab_site.stdout.strip(), "colab_preinstalled.pth").write_text(
        sysconfig.get_path("purelib") + "\n")
    helper_missing = run([str(python), "-c", "import importlib.util as u; "
                          "print(u.find_spec('mnist_book') is None)"], cwd=tmp_path)
    assert helper_missing.stdout.strip() == "True"

    script = tmp_path / "colab_setup.py"
    script.write_text(textwrap.dedent("""\
        import sys, types
        sys.modules["google.colab"] = types.ModuleType("google.colab")
        """) + setup_cell(NOTEBOOKS[0]) + textwrap.dedent("""
        import mnist_book
        from mnist_book import load_mnist
        (_, y_train), _ = load_mnist()
        print(mnist_book.__file__)
        print(y_train[:10].tolist())
        """))
    environment = os.environ | {"MNIST_BOOK_REPO": f"file://{clone}", "MNIST_DIR": str(source_dir)}
    result = run([str(python), str(script)], cwd=tmp_path, env=environment, timeout=600)
    helper_file, labels = result.stdout.strip().splitlines()[-2:]
    assert Path(helper_file).is_relative_to(venv), helper_file
    assert labels == "[5, 0, 4, 1, 9, 2, 1, 3, 1, 4]"
