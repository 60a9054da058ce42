"""A stale number fails the tests: the glue comparison's rules, and a notebook edited without
re-executing it caught by nbval with the plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT
from .stale import SHARE_TOLERANCE, glue_differences, glue_matches, glue_rule


@pytest.mark.parametrize(("name", "value", "rule"), [
    ("train_seconds", 12.5, "timing"), ("batch_speedup", 3.1, "timing"),
    ("bench_mlp_ratio", 0.3, "timing"), ("timed_fixed_share", 0.59, "timing"),
    ("params", 79510, "exact"), ("best_config", "depth 3", "exact"),
    ("best_learning_rate", 0.01, "exact"), ("test_errors", 187, "count"),
    ("test_accuracy", 0.9813, "share"), ("final_loss", 264.0, "relative"),
    ("linear_p", 0.87, "p-value"), ("target_accuracy", 0.98, "exact"),
    ("raw_val_first", 0.857, "chaotic"), ("raw_to_scaled_p", 0.0015, "chaotic"),
    ("loss_difference", -0.003, "share"), ("final_model_config", "{}", "config"),
    ("batch_64_slowdown", 2.2, "timing"),
])
def test_each_kind_of_value_has_its_rule(name, value, rule):
    assert glue_rule(name, value) == rule


def test_tolerances():
    assert glue_matches("test_accuracy", 0.9813, 0.9813 + SHARE_TOLERANCE * 0.9)
    assert not glue_matches("test_accuracy", 0.9813, 0.9813 + SHARE_TOLERANCE * 1.1)
    assert glue_matches("test_errors", 187, 200) and not glue_matches("test_errors", 187, 210)
    assert glue_matches("final_loss", 264.0, 280.0)
    assert not glue_matches("final_loss", 264.0, 300.0)
    assert not glue_matches("params", 79510, 79511)
    assert glue_matches("train_seconds", 12.5, 99.0)
    assert glue_matches("linear_p", 0.87, 1.0) and glue_matches("adam_p", 1e-40, 2e-30)
    assert glue_matches("loss_p", 0.028, 0.053)  # either side of 0.05: the prose says so
    assert not glue_matches("loss_p", 0.03, 0.3) and not glue_matches("loss_p", 0.3, 0.03)
    assert not glue_matches("gain_p", 1e-5, 0.004)
    assert glue_matches("loss_difference", -0.0030, -0.0026)
    assert not glue_matches("loss_difference", -0.003, 0.001)
    # raw pixels: the stored and a re-run on another CPU, from chapter 3
    assert glue_matches("raw_val_first", 0.8569, 0.8879)
    assert not glue_matches("raw_val_first", 0.8569, 0.95)
    assert glue_matches("raw_to_scaled_p", 0.0015, 0.048)
    assert glue_matches("raw_first_loss", 264.0, 269.0)
    assert not glue_matches("raw_first_loss", 264.0, 30.0)


def test_a_model_configuration_agrees_on_the_settings_both_kerases_write():
    adam = {"learning_rate": 0.004}
    newer = {"layers": [{"class_name": "Dense", "units": 10, "quantization_config": None}],
             "optimizer": adam}
    older = {"layers": [{"class_name": "Dense", "units": 10}], "optimizer": adam}
    assert glue_matches("final_model_config", json.dumps(newer), json.dumps(older))
    wider = {"layers": [{"class_name": "Dense", "units": 12}], "optimizer": adam}
    deeper = {"layers": older["layers"] * 2, "optimizer": adam}
    for changed in (wider, deeper, older | {"optimizer": {"learning_rate": 0.001}}):
        assert not glue_matches("final_model_config", json.dumps(newer), json.dumps(changed))


def test_the_share_tolerance_is_three_seed_spreads_of_chapter_7s_recipe():
    from mnist_book.book import read_glued

    seed_sd = read_glued(ROOT / "notebooks" / "07_error_analysis.ipynb")["seed_sd"]
    assert 3 * seed_sd <= SHARE_TOLERANCE <= 3 * seed_sd + 0.001, seed_sd


def display(name: str, value: object) -> dict:
    return {"output_type": "display_data", "metadata": {"scrapbook": {"name": name}},
            "data": {"application/papermill.record/text/plain": repr(value)}}


def test_missing_new_and_changed_values_are_all_named():
    stored = [display("epochs", 15), display("test_accuracy", 0.98), display("gone", 1),
              display("bench_mlp_ratio", 0.3)]  # no benchmark results here: not missed
    fresh = [display("epochs", 10), display("test_accuracy", 0.981), display("new", 2)]
    problems = glue_differences(stored, fresh)
    assert [problem.split(":")[0] for problem in problems] == ["gone", "new", "epochs"]


NOTEBOOK_CODE = """\
from mnist_book import glue

EPOCHS = 15
glue("epochs", EPOCHS)
glue("train_seconds", 0.1 * EPOCHS)
"""


def test_a_code_change_without_make_execute_fails(tmp_path):
    notebook = tmp_path / "chapter.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CODE)])
    nb.cells[0].metadata["tags"] = ["nbval-ignore-output"]  # as glue cells are
    NotebookClient(nb, kernel_name="python3").execute()  # the stored outputs
    nb.cells[0].source = NOTEBOOK_CODE.replace("EPOCHS = 15", "EPOCHS = 10")  # not re-run
    nbformat.write(nb, notebook)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p",
               "tests.nbval_glue", "--nbval", "--nbval-current-env", "--rootdir", str(tmp_path),
               "-c", os.devnull, str(notebook)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path,
                            env=os.environ | {"PYTHONPATH": str(ROOT)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "epochs: stored 15, fresh run 10" in result.stdout
    assert "train_seconds" not in result.stdout.split("glued values differ")[-1]
