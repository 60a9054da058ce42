"""How a fresh run's glued values are compared with the stored notebook's (see nbval_glue.py).

Every glued value has a rule, declared in its chapter's table of rules, the file beside the
notebook named like it, ``NN_topic.rules.toml`` (lines ``rule = ["name", ...]``). A rule says
how far the value may move in two places:

- ``here``, on the machine that executed the notebook: its record (`mnist_book.machine`)
  equals this machine's. TensorFlow is deterministic there, so a rerun gives the same
  numbers; the tolerance only lets a stale number through if it is nearly right.
- ``elsewhere``, on any other machine: another CPU, kernel set, thread count or version
  adds sums in another order, and a trained model comes out as if from another seed. Each
  such limit rests on a measurement, the largest move seen (``moved``, listed in
  notebooks/AUTHORING.md): the book run as other machines, emulated (`tests/machine.py`) and
  in Colab's runtime, and the seed spreads the chapters measure.

A name glued but in no table, a table naming an unknown rule, and a name listed twice are
errors.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mnist_book.book import glued_values


@dataclass(frozen=True)
class Check:
    """A comparison of a fresh value with the stored one, and what it allows, in words."""

    says: str
    test: Callable[[Any, Any], bool]

    def __call__(self, stored: Any, fresh: Any) -> bool:
        return self.test(stored, fresh)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


exactly = Check("equal", lambda stored, fresh: stored == fresh and type(stored) is type(fresh))
anything = Check("not compared", lambda stored, fresh: True)


def within(limit: float) -> Check:
    """At most ``limit`` apart."""
    return Check(f"within {limit:g}",
                 lambda stored, fresh: is_number(fresh) and abs(fresh - stored) <= limit)


def relative(share: float, floor: float = 0.0) -> Check:
    """At most ``share`` of the stored value apart, and at least ``floor`` is allowed."""
    return Check(f"within {share:.0%}" + (f", at least {floor:g}" if floor else ""),
                 lambda stored, fresh: (is_number(fresh) and abs(fresh - stored)
                                        <= max(floor, share * abs(stored))))


def factor(times: float) -> Check:
    """Within a factor of ``times`` either way (same sign)."""
    return Check(f"within a factor of {times:g}",
                 lambda stored, fresh: (is_number(fresh) and stored * fresh > 0
                                        and 1 / times <= fresh / stored <= times))


def share_or_relative(limit: float, share: float) -> Check:
    """Within ``limit`` for a share (a value in -1 to 1), else within ``share`` of it."""
    return Check(f"within {limit:g} for a share, {share:.0%} otherwise",
                 lambda stored, fresh: (within(limit) if abs(stored) <= 1
                                        else relative(share))(stored, fresh))


def p_value(times: float, clear: float) -> Check:
    """Both under ``clear`` (a clear difference), or within a factor of ``times``."""
    return Check(f"both under {clear:g}, or within a factor of {times:g}",
                 lambda stored, fresh: is_number(fresh) and (
                     (stored < clear and fresh < clear) or factor(times)(stored, fresh)))


def same_side_of(clear: float) -> Check:
    """Both under ``clear``, or both at or above it: a clear difference stays clear."""
    return Check(f"on the same side of {clear:g}",
                 lambda stored, fresh: is_number(fresh) and (stored < clear) == (fresh < clear))


# A model configuration (JSON of `mnist_book.models.describe`): every setting both runs write
# agrees. Under one Keras that is all of them; Colab's older Keras writes a few fewer.
settings = Check("setting by setting", lambda stored, fresh: isinstance(fresh, str) and
                 same_settings(json.loads(stored), json.loads(fresh)))


def same_settings(first: Any, second: Any) -> bool:
    """Whether two model configurations agree on every setting both of them hold."""
    if isinstance(first, dict) and isinstance(second, dict):
        return all(same_settings(first[key], second[key]) for key in first.keys() & second.keys())
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(map(same_settings, first, second))
    return first == second


@dataclass(frozen=True)
class Rule:
    """How far a glued value may move on the machine that made it, and on another."""

    here: Check
    elsewhere: Check
    what: str  # the values it is for
    moved: str  # the largest move measured on other machines, behind the elsewhere limit

    def matches(self, stored: Any, fresh: Any, same_machine: bool) -> bool:
        if is_number(stored) and not is_number(fresh):
            return False
        return (self.here if same_machine else self.elsewhere)(stored, fresh)


# The limits on the machine that executed the notebook, as they were before a machine was
# recorded: an accuracy or share within 0.2 points (three seed standard deviations of
# chapter 7's recipe, rounded up: tests/test_stale.py), counts and other figures within 10 %.
SHARE_HERE = within(0.002)
RELATIVE_HERE = relative(0.10)
COUNT_HERE = relative(0.10, floor=2)
# A trained model's accuracy on another machine: 3.5 times the 0.14-point standard error of
# an accuracy near 98 % on 10,000 digits, the amount a new seed moves it by (chapter 7).
ACCURACY_ELSEWHERE = 0.005
# A chaotic run's share on another machine: 3 times the seed spread of the raw-pixel test
# accuracy (chapter 3 measures it over three seeds: 4.9 points on an AVX-512 Xeon, 3.8 on an
# AMD EPYC without AVX-512).
CHAOTIC_SHARE_ELSEWHERE = 0.15
# A standard deviation over three seeds is itself uncertain by about half: how far another
# machine's may lie from the stored one.
SEED_SPREAD_SHARE = 0.6
CLEAR_P = 0.001  # the prose calls a difference clear below this p-value

RULES: dict[str, Rule] = {
    "fixed": Rule(exactly, exactly, "set by the code or the data: settings, sizes, parameter "
                  "counts, facts of the data set", "nothing"),
    "choice": Rule(exactly, exactly, "a pick the trained numbers make: the worst digit, the "
                   "best learning rate, the search's winner", "nothing (9 picks)"),
    "config": Rule(settings, settings, "a model's configuration (`final_model_config`)",
                   "nothing; Colab's older Keras writes a few settings fewer"),
    "timing": Rule(anything, anything, "the machine's speed: seconds, speed-ups, figures read "
                   "from `make bench` (a fresh run may leave those out)", "everything"),
    "accuracy": Rule(SHARE_HERE, within(ACCURACY_ELSEWHERE), "a trained model's accuracy or "
                     "error rate on thousands of digits", "0.28 points (4: `categorical_test`)"),
    "difference": Rule(SHARE_HERE, within(0.006), "a difference between two accuracies, or "
                       "an end of its 95 % interval (0.6 points: 3 standard errors of a "
                       "difference, chapter 7)", "0.33 points (4: `loss_low`)"),
    "fragile-accuracy": Rule(SHARE_HERE, within(0.03), "an accuracy after a short or unstable "
                             "run, on shifted digits, or of one digit's thousand images",
                             "0.95 points (10: `cnn_shift4`)"),
    "probability": Rule(SHARE_HERE, within(0.1), "one image's probability, a sum of "
                        "probabilities, or a cosine similarity", "0.042 (9: `naive_probability`)"),
    "test-errors": Rule(COUNT_HERE, within(ACCURACY_ELSEWHERE * 10_000), "errors among the "
                        "10,000 test digits (the accuracy's limit, in digits)",
                        "14 digits (6: `test_errors`)"),
    "count": Rule(COUNT_HERE, relative(0.3, floor=6), "digits counted in a small group: of "
                  "the 20 surest mistakes, those only one model reads right",
                  "6 of 47 (7: `two_seeds_only_b`), 3 of 5 (7: `read_model_error_count`)"),
    "seed-spread": Rule(SHARE_HERE, relative(SEED_SPREAD_SHARE, floor=0.002), "a standard "
                        "deviation or range over three seeds, itself uncertain by about half",
                        "0.08 points, 2.5 times (8: `augment_val_sd`)"),
    "standard-errors": Rule(RELATIVE_HERE, relative(0.9, floor=2.0), "a difference counted "
                            "in standard errors of a three-seed spread, whose spread is "
                            "itself uncertain by about half",
                            "45 % (8: `augment_gap_se`), 0.72 (8: `decay_val_se`)"),
    "relative": Rule(RELATIVE_HERE, relative(0.25), "a loss, a ratio or a standard error of "
                     "a trained model", "10 % (8: `base_loss_fall`), 5 % (5: `error_ratio`)"),
    "loss-change": Rule(SHARE_HERE, within(0.1), "the relative change of one run's "
                        "validation loss between two epochs, which jumps up and down from "
                        "epoch to epoch (the prose reads only that it is under a quarter)",
                        "0.046: -12 % to -17 % (8: `base_val_loss_change`)"),
    "rounding": Rule(RELATIVE_HERE, factor(4), "the size of float32 rounding errors",
                     "a factor of 1.6 (2: `autodiff_max_rel_error`)"),
    "p-value": Rule(p_value(3.0, clear=CLEAR_P), same_side_of(CLEAR_P), "a McNemar p-value: "
                    "a clear difference stays clear, an unclear one may move anywhere above "
                    "0.001, so the prose never reads which side of 0.05 it falls",
                    "0.029 to 0.94 (4: `loss_p`); every clear one stayed clear"),
    "chaotic": Rule(share_or_relative(0.002, 0.1), share_or_relative(CHAOTIC_SHARE_ELSEWHERE, 0.5),
                    "a figure of a chaotic run, on raw 0-255 pixels or at a learning rate of 1 "
                    "(15 points is 3 times the seed spread of the raw-pixel test accuracy, "
                    "chapter 3, 3.8 to 4.9 points)", "4.3 points (3: `raw_test_min`), 2.4 "
                    "points (4: `largest_rate_val`), 5.5 % (3: `raw_logit_spread`)"),
    "chaotic-p": Rule(p_value(3.0, clear=CLEAR_P), anything, "a p-value between a chaotic "
                      "run and another", "0.0015 to 0.098 (3: `raw_to_scaled_p`)"),
}


def rules_markdown() -> str:
    """The rules as the Markdown table notebooks/AUTHORING.md shows (`python -m tests.stale`)."""
    rows = ["| rule | for | here | elsewhere | moved on other machines |",
            "| --- | --- | --- | --- | --- |"]
    rows += [f"| `{name}` | {rule.what} | {rule.here.says} | {rule.elsewhere.says} | "
             f"{rule.moved} |" for name, rule in RULES.items()]
    return "\n".join(rows)


class RuleTableError(ValueError):
    """A chapter's table of rules names an unknown rule, a name twice, or misses a name."""


def rules_file(notebook: Path) -> Path:
    """The table of rules of ``notebook``'s glued values: NN_topic.rules.toml beside it."""
    return notebook.with_suffix(".rules.toml")


@cache
def rule_table(notebook: Path) -> dict[str, str]:
    """The rule of each value the notebook glues, by name, from its table of rules."""
    path = rules_file(notebook)
    if not path.is_file():
        raise RuleTableError(f"{path}: no table of rules for {notebook.name}'s glued values")
    table: dict[str, str] = {}
    for rule, names in tomllib.loads(path.read_text()).items():
        if rule not in RULES:
            raise RuleTableError(f"{path.name}: unknown rule {rule!r} (known: {', '.join(RULES)})")
        for name in names:
            if name in table:
                raise RuleTableError(f"{path.name}: {name!r} has two rules")
            table[name] = rule
    return table


def rule_of(notebook: Path, name: str) -> str:
    table = rule_table(notebook)
    if name not in table:
        raise RuleTableError(f"{notebook.name}: {name!r} is glued but has no rule: add it to "
                             f"{rules_file(notebook).name}")
    return table[name]


def glue_differences(notebook: Path, stored_outputs: Iterable[Mapping[str, Any]],
                     fresh_outputs: Iterable[Mapping[str, Any]], same_machine: bool) -> list[str]:
    """What a fresh run of a cell glued differently from the stored cell, one line each."""
    stored, fresh = glued_values(stored_outputs), glued_values(fresh_outputs)
    for name in stored.keys() | fresh.keys():
        rule_of(notebook, name)  # every glued value has a declared rule
    problems = [f"{name}: stored {value!r}, no longer glued" for name, value in stored.items()
                if name not in fresh and rule_of(notebook, name) != "timing"]
    problems += [f"{name}: glued {value!r}, not in the stored notebook"
                 for name, value in fresh.items() if name not in stored]
    where = "this machine" if same_machine else "another machine"
    for name in sorted(stored.keys() & fresh.keys()):
        rule = rule_of(notebook, name)
        if not RULES[rule].matches(stored[name], fresh[name], same_machine):
            problems.append(f"{name}: stored {stored[name]!r}, fresh run {fresh[name]!r} "
                            f"(rule {rule!r} on {where})")
    return problems


def moved_values(notebook: Path, stored_outputs: Iterable[Mapping[str, Any]],
                 fresh_outputs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Each glued value a fresh run of a cell changed, timings aside: one tab-separated line
    each (notebook, name, rule, stored, fresh), the measurement a cross-machine rule rests on."""
    stored, fresh = glued_values(stored_outputs), glued_values(fresh_outputs)
    return [f"{notebook.name}\t{name}\t{rule}\t{stored[name]!r}\t{fresh[name]!r}"
            for name in sorted(stored.keys() & fresh.keys())
            if stored[name] != fresh[name] and (rule := rule_of(notebook, name)) != "timing"]


if __name__ == "__main__":
    print(rules_markdown())
