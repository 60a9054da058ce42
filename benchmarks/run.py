"""`make bench`: measure the book's models on this machine; write benchmarks/results.json.

Measures, in one run:
- float32 matmul speed at the MLP's batch shapes (the machine's practical peak);
- training throughput of every chapter's final model and of a 784-512-512-512-10 MLP,
  with achieved GFLOP/s;
- the speed levers (batch size, steps per call, XLA, tf.data, bfloat16, per-epoch
  validation) on that MLP, one at a time;
- time to 97.8 % test accuracy on 784-100-10: a popular tutorial's recipe (Adam 1e-3,
  batch 32, one-hot binary cross-entropy) against chapter 3's recipe;
- executing all nine notebooks in fresh kernels, and their peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks import measure  # noqa: E402
from benchmarks.levers import measure_levers  # noqa: E402
from benchmarks.models import (  # noqa: E402
    MODELS,
    ModelSpec,
    article_recipe,
    book_recipe,
    training_flops_per_sample,
)
from mnist_book import (  # noqa: E402
    chapter_results,
    load_mnist,
    scale_pixels,
    set_seed,
    split_validation,
)

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.978
TTA_REPEATS = 3
MLP_SHAPES = [(784, 512), (512, 512), (512, 512), (512, 10)]  # mlp-3x512's layers
SHARE_PAIRS = 5


def load_data() -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, np.ndarray]]:
    """MNIST loaded once, scaled to 0-1: ``(x_train, y_train, x_test, y_test)`` with the
    book's 50,000 training images, and the 10,000 validation images ``(x_val, y_val)``."""
    (x_full, y_full), (x_test, y_test) = load_mnist()
    (x_train, y_train), (x_val, y_val) = split_validation(x_full, y_full)
    return ((scale_pixels(x_train), y_train, scale_pixels(x_test), y_test),
            (scale_pixels(x_val), y_val))


def model_row(spec: ModelSpec, data, accuracy: float | None) -> dict:
    """Time one epoch of ``spec``; without a chapter's ``accuracy``, test the timed model."""
    x_train, y_train, x_test, y_test = data
    set_seed(0)
    model = spec.compiled()
    seconds = measure.seconds_per_epoch(model, x_train, y_train, spec.batch_size)
    if accuracy is None:  # the model has now trained for `measure.REPEATS` epochs
        accuracy = round(float(model.evaluate(x_test, y_test, verbose=0)[1]), 4)
    samples_per_second = len(x_train) / seconds
    return {
        "chapter": spec.chapter, "name": spec.name, "params": model.count_params(),
        "epochs": spec.epochs, "batch_size": spec.batch_size,
        "seconds_per_epoch": round(seconds, 3),
        "samples_per_second": round(samples_per_second, 1),
        "gflops": round(training_flops_per_sample(model) * samples_per_second / 1e9, 2),
        "test_accuracy": accuracy,
    }


def matmul_and_share(data) -> dict:
    """The matmul speed, and mlp-3x512's training speed as a share of it.

    The machine's speed drifts over minutes, so each matmul measurement is paired with a
    training epoch right after it; both numbers are medians over SHARE_PAIRS pairs.
    """
    x_train, y_train, _, _ = data
    [spec] = [spec for spec in MODELS if spec.name == "mlp-3x512"]
    set_seed(0)
    model = spec.compiled()
    measure.warm_up(model, x_train, y_train, spec.batch_size)
    flops_per_epoch = training_flops_per_sample(model) * len(x_train)
    pairs = []
    for _ in range(SHARE_PAIRS):
        matmul = measure.matmul_gflops(spec.batch_size, MLP_SHAPES)
        start = time.perf_counter()
        model.fit(x_train, y_train, batch_size=spec.batch_size, epochs=1, verbose=0)
        training = flops_per_epoch / (time.perf_counter() - start) / 1e9
        pairs.append({"matmul_gflops": round(matmul, 1), "mlp_3x512_gflops": round(training, 1),
                      "share": round(training / matmul, 3)})
    return {"matmul_gflops": statistics.median(pair["matmul_gflops"] for pair in pairs),
            "mlp_3x512_share_of_matmul": statistics.median(pair["share"] for pair in pairs),
            "share_pairs": pairs}


def time_to_accuracy(data) -> dict:
    """Race the two recipes to TARGET test accuracy, TTA_REPEATS runs each.

    ``<recipe>_seconds`` is the median training time to the target, or None when a recipe
    never reached it within its epochs; ``<recipe>_runs`` gives every run's details.
    """
    x_train, y_train, x_test, y_test = data
    rows: dict = {"target": TARGET}
    for key, make_recipe in (("article_recipe", article_recipe), ("book_recipe", book_recipe)):
        runs = []
        for repeat in range(TTA_REPEATS):
            set_seed(repeat)
            recipe = make_recipe()
            labels = keras.utils.to_categorical(y_train, 10) if recipe.one_hot else y_train
            runs.append(measure.seconds_to_accuracy(
                recipe.model, (x_train, labels, x_test, y_test), recipe.batch_size,
                recipe.max_epochs, TARGET))
        reached = [run.seconds_to_target for run in runs if run.seconds_to_target is not None]
        # A median over runs that all reached the target; otherwise no time to report.
        rows[f"{key}_seconds"] = (round(statistics.median(reached), 2)
                                  if len(reached) == len(runs) else None)
        rows[f"{key}_runs"] = [
            {"seconds_to_target": None if run.seconds_to_target is None
             else round(run.seconds_to_target, 2),
             "training_seconds": round(run.training_seconds, 2),
             "best_accuracy": round(run.best_accuracy, 4), "epochs": run.epochs}
            for run in runs]
    rows.update(book_to_article_ratio(rows))
    return rows


def book_to_article_ratio(rows: dict) -> dict:
    """The book's time as a share of the article's. When the article's recipe never reached
    the target, its time is more than all its training, so the share is an upper bound."""
    book = rows["book_recipe_seconds"]
    article = rows["article_recipe_seconds"]
    if book is None:
        return {"ratio": None, "ratio_is_upper_bound": False}
    if article is None:
        article = min(run["training_seconds"] for run in rows["article_recipe_runs"])
        return {"ratio": round(book / article, 3), "ratio_is_upper_bound": True}
    return {"ratio": round(book / article, 3), "ratio_is_upper_bound": False}


def execute_book(notebooks: list[Path], output: Path) -> tuple[float, float, dict[str, float]]:
    """Execute each notebook in a fresh kernel, one after another, writing to ``output``."""
    seconds, peaks = {}, []
    for notebook in notebooks:
        elapsed, peak = measure.execute_notebook(notebook, output)
        seconds[notebook.stem] = round(elapsed, 1)
        peaks.append(peak)
        print(f"  {notebook.name}: {elapsed:.1f} s, peak {peak:.0f} MiB", flush=True)
    return round(sum(seconds.values()), 1), round(max(peaks), 1), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-book", action="store_true", help="do not execute the notebooks")
    parser.add_argument("--store", action="store_true",
                        help="store the executed notebooks in place (as `make execute` does)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args(argv)
    keras.config.disable_interactive_logging()
    data, validation = load_data()
    results: dict = matmul_and_share(data)
    print(f"matmul: {results['matmul_gflops']} GFLOP/s; mlp-3x512 trains at "
          f"{results['mlp_3x512_share_of_matmul']:.0%} of it", flush=True)

    glued = {row["chapter"]: row for row in chapter_results(ROOT / "notebooks")}
    results["models"] = []
    for spec in MODELS:
        accuracy = glued[spec.chapter]["test_accuracy"] if spec.chapter in glued else None
        row = model_row(spec, data, accuracy)
        if spec.chapter in glued and row["params"] != glued[spec.chapter]["params"]:
            raise SystemExit(f"chapter {spec.chapter}: benchmark model has {row['params']} "
                             f"parameters, the notebook's has {glued[spec.chapter]['params']}")
        results["models"].append(row)
        print(f"model {row['chapter']} {row['name']}: {row['seconds_per_epoch']} s/epoch, "
              f"{row['gflops']} GFLOP/s", flush=True)

    results["levers"] = measure_levers(data[0], data[1], validation)
    results["time_to_accuracy"] = time_to_accuracy(data)
    print(f"time to {TARGET:.1%}: {results['time_to_accuracy']}", flush=True)
    if not args.skip_book:
        notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        output = notebooks[0].parent if args.store else Path(tempfile.mkdtemp(prefix="book-"))
        if args.store:  # as `make execute`: the chapters export the draw page's weights
            os.environ["MNIST_BOOK_EXPORT_DIR"] = str(ROOT / "_static" / "models")
        total, peak, per_notebook = execute_book(notebooks, output)
        results.update(book_execution_seconds=total, peak_memory_mib=peak,
                       notebook_seconds=per_notebook)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"written to {args.output}")
    return 0


def print_table(results: dict) -> None:
    print(f"\n{'chapter':<8}{'model':<22}{'params':>10}{'batch':>7}{'s/epoch':>9}"
          f"{'samples/s':>11}{'GFLOP/s':>9}{'test acc':>10}")
    for row in results["models"]:
        accuracy = "" if row["test_accuracy"] is None else f"{row['test_accuracy']:.2%}"
        print(f"{row['chapter']:<8}{row['name']:<22}{row['params']:>10,}{row['batch_size']:>7}"
              f"{row['seconds_per_epoch']:>9.2f}{row['samples_per_second']:>11,.0f}"
              f"{row['gflops']:>9.1f}{accuracy:>10}")
    print(f"\nmatmul {results['matmul_gflops']} GFLOP/s; mlp-3x512 trains at "
          f"{results['mlp_3x512_share_of_matmul']:.0%} of it (median of "
          f"{len(results['share_pairs'])} back-to-back pairs)")
    print(f"\n{'lever (on mlp-3x512)':<46}{'s/epoch':>9}{'relative':>10}")
    for row in results["levers"]:
        print(f"{row['lever']:<46}{row['seconds_per_epoch']:>9.2f}"
              f"{row['relative_to_book_recipe']:>10.2f}")
    tta = results["time_to_accuracy"]
    for key in ("article_recipe", "book_recipe"):
        runs = tta[f"{key}_runs"]
        if tta[f"{key}_seconds"] is not None:
            print(f"{key}: {tta[f'{key}_seconds']} s to {tta['target']:.1%} (median)")
        else:
            print(f"{key}: did not reach {tta['target']:.1%} in every run; best accuracies "
                  f"{[run['best_accuracy'] for run in runs]} after "
                  f"{[run['training_seconds'] for run in runs]} s of training")
    if tta["ratio"] is not None:
        bound = "at most " if tta["ratio_is_upper_bound"] else ""
        print(f"book recipe / article recipe: {bound}{tta['ratio']:.0%}")
    if "book_execution_seconds" in results:
        print(f"book execution {results['book_execution_seconds']} s, "
              f"peak memory {results['peak_memory_mib']} MiB")


if __name__ == "__main__":
    raise SystemExit(main())
