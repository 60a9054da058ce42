"""How a fresh run's glued values are compared with the stored notebook's (see conftest.py).

The rules, by the glued value and its name:
- timings, named ``*_seconds``, ``*_speedup`` or ``*_slowdown``, other figures worked out
  from timings, named ``timed_*``, and figures read from `make bench`'s results, named
  ``bench_*``: the machine's, not the code's; not compared, and a fresh run may leave
  them out (without benchmarks/results.json it has none to glue);
- figures from training on raw 0-255 pixels, named ``raw_*``: chaotic, so that the last
  bits of another CPU's arithmetic move them by points (chapter 3 shows three seeds landing
  points apart): shares within CHAOTIC_TOLERANCE, other numbers within 50 %, p-values not
  compared;
- a model's whole configuration, named ``*model_config`` (a JSON text of
  `mnist_book.models.describe`): every setting both runs write must agree; under one Keras
  that is all of them, and an older Keras (Colab's) writes a few settings fewer;
- strings, booleans, and integers that count things fixed by the code (parameters, images,
  epochs): exactly;
- learning rates a chapter chose (``*_learning_rate``) and its accuracy target
  (``target_accuracy``): exactly;
- counts of digits that depend on training, named ``*_errors``, ``*_mistakes``, ``*_count``
  or ``*_correct``: within 10 % (at least 2 digits either way);
- p-values, named ``*_p``: both under 0.001 (the prose calls such a difference clear), or
  within a factor of P_VALUE_FACTOR of each other (a p-value moves a lot when a handful of
  digits change sides, as they do on another CPU or TensorFlow version; the prose never
  rests a claim on which side of 0.05 it falls);
- other numbers in -1 to 1 (accuracies, shares, probabilities, differences between
  accuracies): within SHARE_TOLERANCE;
- any other number (losses, ratios): within 10 %.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from mnist_book.book import glued_values

# An accuracy or other share may move by this much between two runs of the same code: about
# three standard deviations of the seed spread the error-analysis chapter measures
# (`seed_sd`), rounded up to 0.2 points; tests/test_stale.py checks the relation. On the same
# machine a rerun gives the very same numbers, and Colab's TensorFlow moves none of them
# beyond these rules (tests/test_colab.py compares them). Another CPU's last bits move
# them more: some of the chapters' short experiments beyond these tolerances, so a
# notebook executed elsewhere is compared on the machine that executed it.
SHARE_TOLERANCE = 0.002
CHAOTIC_TOLERANCE = 0.05
RELATIVE_TOLERANCE = 0.10
TIMING = re.compile(r"^(bench|timed)_|(seconds|speedup|slowdown)$")
CHAOTIC = re.compile(r"^raw_")
MODEL_CONFIG = re.compile(r"model_config$")
SETTING = re.compile(r"(learning_rate|target_accuracy)$")
TRAINED_COUNT = re.compile(r"(errors|mistakes|_count|_correct)$")
P_VALUE = re.compile(r"_p$")
P_VALUE_CLEAR = 0.001
P_VALUE_FACTOR = 3.0


def glue_rule(name: str, stored: Any) -> str:
    """How a glued value is compared: "timing", "chaotic", "config", "exact", "p-value",
    "count", "share" or "relative"."""
    if TIMING.search(name):
        return "timing"
    if MODEL_CONFIG.search(name) and isinstance(stored, str):
        return "config"
    if CHAOTIC.search(name) and isinstance(stored, int | float) and not isinstance(stored, bool):
        return "chaotic"
    if isinstance(stored, bool | str) or SETTING.search(name):
        return "exact"
    if P_VALUE.search(name):
        return "p-value"
    if isinstance(stored, int):
        return "count" if TRAINED_COUNT.search(name) else "exact"
    if isinstance(stored, float) and -1.0 <= stored <= 1.0:
        return "share"
    return "relative"


def glue_matches(name: str, stored: Any, fresh: Any) -> bool:
    """Whether a fresh run's value passes for the stored one under `glue_rule`."""
    rule = glue_rule(name, stored)
    if rule == "timing":
        return True
    if rule == "chaotic":
        if isinstance(fresh, bool) or not isinstance(fresh, int | float):
            return False
        if P_VALUE.search(name):
            return True
        if abs(stored) <= 1.0:
            return abs(fresh - stored) <= CHAOTIC_TOLERANCE
        return math.isclose(fresh, stored, rel_tol=0.5)
    if rule == "config":
        return isinstance(fresh, str) and same_settings(json.loads(stored), json.loads(fresh))
    if rule == "exact" or isinstance(fresh, bool) or not isinstance(fresh, int | float):
        return stored == fresh
    if rule == "count":
        return abs(fresh - stored) <= max(2, RELATIVE_TOLERANCE * abs(stored))
    if rule == "p-value":
        if fresh < P_VALUE_CLEAR and stored < P_VALUE_CLEAR:
            return True
        return stored / P_VALUE_FACTOR <= fresh <= stored * P_VALUE_FACTOR
    if rule == "share":
        return abs(fresh - stored) <= SHARE_TOLERANCE
    return math.isclose(fresh, stored, rel_tol=RELATIVE_TOLERANCE)


def same_settings(first: Any, second: Any) -> bool:
    """Whether two model configurations agree on every setting both of them hold."""
    if isinstance(first, dict) and isinstance(second, dict):
        return all(same_settings(first[key], second[key]) for key in first.keys() & second.keys())
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(map(same_settings, first, second))
    return first == second


def glue_differences(stored_outputs: Iterable[Mapping[str, Any]],
                     fresh_outputs: Iterable[Mapping[str, Any]]) -> list[str]:
    """What a fresh run of a cell glued differently from the stored cell, one line each."""
    stored, fresh = glued_values(stored_outputs), glued_values(fresh_outputs)
    problems = [f"{name}: stored {value!r}, no longer glued" for name, value in stored.items()
                if name not in fresh and glue_rule(name, value) != "timing"]
    problems += [f"{name}: glued {value!r}, not in the stored notebook"
                 for name, value in fresh.items() if name not in stored]
    problems += [f"{name}: stored {stored[name]!r}, fresh run {fresh[name]!r} "
                 f"(compared as {glue_rule(name, stored[name])})"
                 for name in sorted(stored.keys() & fresh.keys())
                 if not glue_matches(name, stored[name], fresh[name])]
    return problems
