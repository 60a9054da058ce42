"""The book builds with Jupyter Book v1 without a single warning."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def test_book_builds_without_warnings():
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, cwd=ROOT,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    assert "WARNING" not in output, output[-5000:]
    assert (ROOT / "_build" / "html" / "index.html").is_file()
