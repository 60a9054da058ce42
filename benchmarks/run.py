"""`make bench`: measure the book's models on this machine; write benchmarks/results.json.

Measures, in one run:
- float32 matmul speed at a 784-512-512-512-10 MLP's shapes (the machine's practical
  peak), each measurement paired with a training epoch of that MLP;
- seconds per epoch and achieved GFLOP/s of every chapter's final model
  (`mnist_book.RECIPES`, as the chapters train them);
- each race recipe against the candidates it was chosen from, on the validation split;
- the speed levers of each race, one at a time and combined (`benchmarks.levers`);
- the time-to-accuracy races: the book's 784-100-10 against article B's PyTorch loop to
  97.8 %, the book's CNN against the keras.io convnet to 99.0 % (`benchmarks.race`,
  `benchmarks.peers`);
- executing every notebook in a fresh kernel, one after another, and their peak memory.

``--store`` keeps the executed notebooks in place, as `make execute` does.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # as the chapters do

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from benchmarks import measure  # noqa: E402
from benchmarks.execute import execute_notebook  # noqa: E402
from benchmarks.levers import (  # noqa: E402
    RACE_SETUP,
    RACES,
    Lever,
    choose_race_recipe,
    measure_race_levers,
    median_seconds,
    race_runs,
)
from mnist_book import RECIPES, load_splits, mlp, set_seed  # noqa: E402
from mnist_book.chapters import CHAPTERS  # noqa: E402
from mnist_book.data import TRAIN_SIZE  # noqa: E402
from mnist_book.models import compile_with_cosine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PEERS = {"mlp": "benchmarks.peers.pytorch_mlp", "cnn": "benchmarks.peers.keras_io_convnet"}
RACE_REPEATS = 5
SHARE_BATCH = 1024  # mlp-3x512's batch in the matmul comparison
SHARE_PAIRS = 5


def mlp_3x512() -> keras.Model:
    """784-512-512-512-10, no dropout, a whole epoch per call: the throughput reference."""
    steps = math.ceil(TRAIN_SIZE / SHARE_BATCH)
    return compile_with_cosine(mlp(512, 512, 512), learning_rate=1e-3, epochs=3,
                               batch_size=SHARE_BATCH, steps_per_execution=steps)


def matmul_and_share(x_train: tf.Tensor, y_train: tf.Tensor) -> dict:
    """The matmul speed, and mlp-3x512's training speed as a share of it.

    The machine's speed drifts over minutes, so each matmul measurement is paired with a
    training epoch right after it; both numbers are medians over SHARE_PAIRS pairs.
    """
    set_seed(0)
    model = mlp_3x512()
    model.fit(x_train, y_train, batch_size=SHARE_BATCH, epochs=1, verbose=0)  # traces
    flops_per_epoch = measure.training_flops_per_sample(model) * len(x_train)
    shapes = [(784, 512), (512, 512), (512, 512), (512, 10)]
    pairs = []
    for _ in range(SHARE_PAIRS):
        matmul = measure.matmul_gflops(SHARE_BATCH, shapes)
        start = time.perf_counter()
        model.fit(x_train, y_train, batch_size=SHARE_BATCH, epochs=1, verbose=0)
        training = flops_per_epoch / (time.perf_counter() - start) / 1e9
        pairs.append({"matmul_gflops": round(matmul, 1), "mlp_3x512_gflops": round(training, 1),
                      "share": round(training / matmul, 3)})
    return {"matmul_gflops": statistics.median(pair["matmul_gflops"] for pair in pairs),
            "mlp_3x512_share_of_matmul": statistics.median(pair["share"] for pair in pairs),
            "share_batch_size": SHARE_BATCH, "share_pairs": pairs}


def model_rows(x_train: tf.Tensor, y_train: tf.Tensor) -> list[dict]:
    """Seconds per epoch and achieved GFLOP/s of each chapter's final model, built by its
    recipe (tests/test_benchmarks.py checks each against the configuration its chapter glued)."""
    rows = []
    for chapter in [chapter for chapter in CHAPTERS if chapter.recipe]:
        number, name, recipe = chapter.stem[:2], chapter.recipe, RECIPES[chapter.recipe]
        set_seed(0)
        model = recipe.build()
        seconds = measure.seconds_per_epoch(model, x_train, y_train, recipe.batch_size)
        gflops = measure.training_flops_per_sample(model) * len(x_train) / seconds / 1e9
        rows.append({"chapter": number, "recipe": name, "params": model.count_params(),
                     "epochs": recipe.epochs, "batch_size": recipe.batch_size,
                     "seconds_per_epoch": round(seconds, 3), "gflops": round(gflops, 1)})
        print(f"chapter {number} {name}: {seconds:.2f} s/epoch, {gflops:.1f} GFLOP/s",
              flush=True)
    return rows


def peer_race(race: str, target: float) -> dict:
    """Run a peer in its own process; its name, runs and median seconds to the target."""
    command = [sys.executable, "-m", PEERS[race], "--target", str(target),
               "--runs", str(RACE_REPEATS)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{PEERS[race]} failed:\n{result.stderr[-3000:]}")
    peer = json.loads(result.stdout.strip().splitlines()[-1])
    peer["seconds"] = median_seconds(peer["runs"], missed_as="the end")
    return peer


def time_to_accuracy(data) -> dict:
    """Each race: the book's race recipe and its peer, RACE_REPEATS runs each."""
    results = {}
    for name, race in RACES.items():
        lever = Lever("race recipe", RECIPES[race.race_recipe], RACE_SETUP)
        runs = race_runs(lever, data, race.target, repeats=RACE_REPEATS)
        book = {"recipe": race.race_recipe, "runs": [run.as_dict() for run in runs]}
        book["seconds"] = median_seconds(book["runs"])
        peer = peer_race(name, race.target)
        ratio = (None if book["seconds"] is None or peer["seconds"] is None
                 else round(book["seconds"] / peer["seconds"], 3))
        every_run_reached = all(run["seconds_to_target"] is not None
                                for run in book["runs"] + peer["runs"])
        results[name] = {"target": race.target, "book": book, "peer": peer, "ratio": ratio,
                         "ratio_is_upper_bound": not every_run_reached}
        print(f"race {name}: book {book['seconds']} s, {peer['name']} {peer['seconds']} s, "
              f"ratio {ratio}", flush=True)
    return results


def execute_book(store: bool) -> dict:
    """Every chapter in a fresh kernel, one after another; total seconds and peak memory.
    With ``store``, as `make execute`: in place, exporting the drawing page's weights."""
    seconds = {}
    for notebook in [chapter.notebook for chapter in CHAPTERS]:
        output = notebook if store else ROOT / "_build" / "bench" / notebook.name
        output.parent.mkdir(parents=True, exist_ok=True)
        seconds[notebook.stem] = round(execute_notebook(notebook, output, export_weights=store), 1)
        print(f"  {notebook.name}: {seconds[notebook.stem]} s", flush=True)
    return {"book_execution_seconds": round(sum(seconds.values()), 1),
            "notebook_seconds": seconds,
            "peak_memory_mib": round(measure.peak_child_memory_mib(), 1)}


def machine() -> dict:
    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    try:
        import torch  # only to report its version: the peer runs in its own process
        torch_version = torch.__version__
    except ImportError:
        torch_version = None
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "tensorflow": tf.__version__, "keras": keras.__version__, "torch": torch_version}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-book", action="store_true", help="do not execute the notebooks")
    parser.add_argument("--store", action="store_true",
                        help="store the executed notebooks in place (as `make execute` does)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args(argv)
    keras.config.disable_interactive_logging()
    data = load_splits()
    x_train, y_train = (tf.constant(array) for array in data[0])
    results: dict = {"machine": machine()}
    results |= matmul_and_share(x_train, y_train)
    print(f"matmul: {results['matmul_gflops']} GFLOP/s; mlp-3x512 trains at "
          f"{results['mlp_3x512_share_of_matmul']:.0%} of it", flush=True)
    results["models"] = model_rows(x_train, y_train)
    results["choice"] = {name: choose_race_recipe(race, data) for name, race in RACES.items()}
    results["levers"] = {name: measure_race_levers(race, data) for name, race in RACES.items()}
    results["time_to_accuracy"] = time_to_accuracy(data)
    if not args.skip_book:
        results |= execute_book(args.store)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print_summary(results)
    print(f"written to {args.output}")
    return 0


def print_summary(results: dict) -> None:
    print(f"\nmatmul {results['matmul_gflops']} GFLOP/s; mlp-3x512 trains at "
          f"{results['mlp_3x512_share_of_matmul']:.0%} of it, batch "
          f"{results['share_batch_size']} (median of {len(results['share_pairs'])} pairs)")
    print(f"\n{'chapter':<8}{'recipe':<20}{'params':>10}{'batch':>7}{'s/epoch':>9}"
          f"{'GFLOP/s':>9}")
    for row in results["models"]:
        print(f"{row['chapter']:<8}{row['recipe']:<20}{row['params']:>10,}"
              f"{row['batch_size']:>7}{row['seconds_per_epoch']:>9.2f}{row['gflops']:>9.1f}")
    for name, rows in results["choice"].items():
        print(f"\n{name} recipe choice, seconds to the target on validation")
        for row in rows:
            print(f"  {row['candidate']:<44}{row['seconds'] or 'not reached':>12}")
    for name, rows in results["levers"].items():
        print(f"\n{name} levers")
        for row in rows:
            seconds = "not reached" if row["seconds"] is None else f"{row['seconds']:.2f}"
            print(f"  {row['lever']:<44}{row['measures']:<20}{seconds:>12}"
                  f"{row['relative'] or '':>8}")
    for name, race in results["time_to_accuracy"].items():
        print(f"\nrace {name} to {race['target']:.1%}: book {race['book']['seconds']} s, "
              f"{race['peer']['name']} {race['peer']['seconds']} s, ratio {race['ratio']}")
    if "book_execution_seconds" in results:
        print(f"\nbook execution {results['book_execution_seconds']} s, "
              f"peak memory {results['peak_memory_mib']} MiB")


if __name__ == "__main__":
    raise SystemExit(main())
