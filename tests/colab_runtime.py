"""Colab's runtimes, rebuilt offline, and a chapter executed in one as Colab would run it.

A runtime is Colab's own published ``pip freeze`` (``tests/colab/pip-freeze-<date>.txt``).
`colab_venv` builds a fresh virtual environment on the matching Python with the packages the
book touches, each at exactly Colab's version (the freeze file is pip's constraints file, so
their dependencies come at Colab's versions too) and nothing of the project's own `.venv`.
`run_chapter` then executes a notebook there top to bottom in a kernel that has imported a
stand-in `google.colab`, in an empty folder, so the notebook's own setup cell must install
the helper package (from ``MNIST_BOOK_REPO``) before anything else works.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from benchmarks.execute import notebook_client
from tests.machine import MACHINES

ROOT = Path(__file__).resolve().parents[1]
FREEZE_DIR = ROOT / "tests" / "colab"
VENV_ROOT = ROOT / ".venv-colab"
# What the chapters import (jinja2: pandas' table styling), and the kernel that runs them;
# Colab has all of them.
BOOK_PACKAGES = ["tensorflow", "keras", "numpy", "matplotlib", "seaborn", "pandas", "jinja2",
                 "pillow", "ipykernel", "ipython"]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")


@dataclass(frozen=True)
class Runtime:
    """One published Colab runtime: its date, Python version and freeze file."""

    date: str
    python: str  # major.minor, e.g. "3.13"

    @property
    def freeze_file(self) -> Path:
        return FREEZE_DIR / f"pip-freeze-{self.date}.txt"

    def pins(self) -> dict[str, str]:
        """Every ``name==version`` line of the freeze file, by lower-case name."""
        pins = {}
        for line in self.freeze_file.read_text().splitlines():
            match = PIN.match(line.strip())
            if match:
                pins[match.group(1).lower()] = match.group(2)
        return pins


# The emulated machine the Colab check runs as (machine (a) of tests/machine.py).
COLAB_MACHINE = "avx2-4-threads"
CURRENT = Runtime("2026-08-19", "3.13")
PAST = Runtime("2026-03-06", "3.12")
RUNTIMES = [CURRENT, PAST]


def find_python(minor: str) -> Path:
    """An interpreter of Python ``minor`` (e.g. "3.13"): pyenv's newest, else one on PATH."""
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True,
                              check=True).stdout.strip()
        versions = sorted((Path(root) / "versions").glob(f"{minor}.*"),
                          key=lambda path: [int(part) for part in path.name.split(".")
                                            if part.isdigit()])
        if versions:
            return versions[-1] / "bin" / f"python{minor}"
    except (OSError, subprocess.CalledProcessError):
        pass
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder) / f"python{minor}"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no Python {minor} found (pyenv or python{minor} on PATH)")


def colab_venv(runtime: Runtime) -> Path:
    """Build (or reuse) the runtime's virtual environment; return its folder."""
    venv = VENV_ROOT / runtime.date
    recipe = json.dumps([runtime.freeze_file.read_text(), BOOK_PACKAGES, runtime.python])
    stamp = venv / ".built-from"
    digest = hashlib.sha256(recipe.encode()).hexdigest()
    if stamp.is_file() and stamp.read_text() == digest and _built_list(venv).is_file():
        return venv
    subprocess.run([str(find_python(runtime.python)), "-m", "venv", "--clear", str(venv)],
                   check=True)
    constraints = venv / "colab-constraints.txt"
    constraints.write_text("".join(f"{name}=={version}\n"
                                   for name, version in runtime.pins().items()))
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check"]
    # Colab's pip is recent; an old Python's bundled pip rejects git+file:// requirements.
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-c", str(constraints), *BOOK_PACKAGES], check=True)
    _add_colab_stand_in(venv)
    _built_list(venv).write_text(json.dumps(installed(venv), indent=1, sort_keys=True))
    stamp.write_text(digest)
    return venv


def _built_list(venv: Path) -> Path:
    return venv / ".built-packages.json"


def built_packages(venv: Path) -> dict[str, str]:
    """The packages the runtime was built with: a run stopped half-way may have left a
    chapter's additions installed, and the next run must still remove them."""
    return json.loads(_built_list(venv).read_text())


def _add_colab_stand_in(venv: Path) -> None:
    """An empty ``google.colab`` module and a kernel that imports it at start, as Colab's."""
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    package = Path(site) / "google" / "colab"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""Stand-in for Colab\'s module, for tests."""\n')
    kernel = venv / "share" / "jupyter" / "kernels" / "colab"
    kernel.mkdir(parents=True, exist_ok=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f",
                 "{connection_file}", "--IPKernelApp.exec_lines=import google.colab"],
        "display_name": f"Colab {venv.name}", "language": "python"}))


def installed(venv: Path) -> dict[str, str]:
    """Every installed distribution's version, by normalised name (``keras-tuner``)."""
    listing = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list",
                              "--format=json", "--disable-pip-version-check"],
                             capture_output=True, text=True, check=True).stdout
    return {re.sub(r"[-_.]+", "-", row["name"]).lower(): row["version"]
            for row in json.loads(listing)}


@dataclass(frozen=True)
class ChapterRun:
    notebook: nbformat.NotebookNode  # with its fresh outputs
    seconds: float


def run_chapter(venv: Path, notebook: Path, workdir: Path, env: dict[str, str]) -> ChapterRun:
    """Execute ``notebook`` top to bottom in the runtime's kernel, in ``workdir``.

    Raises `nbclient.exceptions.CellExecutionError` at the first cell that fails.
    """
    nb = nbformat.read(notebook, as_version=4)
    specs = KernelSpecManager(kernel_dirs=[str(venv / "share" / "jupyter" / "kernels")])
    manager = KernelManager(kernel_name="colab", kernel_spec_manager=specs)
    client = notebook_client(nb, workdir, km=manager)
    start = time.perf_counter()
    # the client shuts down only kernels it started itself: ask it to, or each chapter's
    # kernel stays alive, holding its memory, until pytest exits
    client.execute(env=env, cleanup_kc=True)
    return ChapterRun(nb, time.perf_counter() - start)


def kernel_env(repo_url: str, mnist_dir: str) -> dict[str, str]:
    """The kernel's environment: nothing of this process's virtual environment, and the
    arithmetic of another machine (a CPU without AVX-512, 4 threads: tests/machine.py), so
    that every run of the Colab check also checks the book on another machine."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(folder for folder in env.get("PATH", "").split(os.pathsep)
                                  if folder != venv_bin)
    return env | MACHINES[COLAB_MACHINE] | {"MNIST_BOOK_REPO": repo_url, "MNIST_DIR": mnist_dir,
                  "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0",
                  "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
