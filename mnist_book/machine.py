"""What decides a machine's arithmetic: the record `make execute` keeps in each notebook.

Two runs of a chapter give the very same numbers when these agree: the CPU, the
instructions oneDNN's kernels use (AVX-512, AVX2, ...), whether TensorFlow uses oneDNN at
all, TensorFlow's thread count, and the versions of TensorFlow, Keras and NumPy. Where any
of them differs, floating-point sums are added up in another order, and a trained model
comes out slightly different. The tests compare a fresh run with the stored numbers
strictly on the machine that made them, and within each number's cross-machine rule
anywhere else (`tests/stale.py`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping

# Run in a fresh interpreter with ONEDNN_VERBOSE=1: oneDNN names the instructions it uses
# when it runs its first operation. The chapters switch oneDNN on unless told otherwise
# (their setup cell), and so does this probe.
_PROBE = """
import json, os, platform
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
import keras, numpy, tensorflow as tf
tf.linalg.matmul(tf.ones((64, 64)), tf.ones((64, 64))).numpy()
cpu = platform.processor()
if os.path.exists("/proc/cpuinfo"):
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo
                    if line.startswith("model name")), cpu)
print("probe:" + json.dumps({
    "cpu": cpu, "onednn": os.environ["TF_ENABLE_ONEDNN_OPTS"] not in ("0", "false"),
    "threads": int(os.environ.get("TF_NUM_INTRAOP_THREADS") or len(os.sched_getaffinity(0))),
    "tensorflow": tf.__version__, "keras": keras.__version__, "numpy": numpy.__version__}))
"""


def describe(python: str = sys.executable, env: Mapping[str, str] | None = None) -> dict:
    """What decides the arithmetic of a chapter run by ``python`` in environment ``env``.

    Args:
        python: the interpreter whose TensorFlow is described (e.g. a Colab runtime's).
        env: its environment; this process's when None.

    Returns:
        ``cpu`` (model name), ``onednn`` (on or off), ``isa`` (the instructions oneDNN
        reports using, None when oneDNN is off), ``threads``, and the ``tensorflow``,
        ``keras`` and ``numpy`` versions.

    Example:
        >>> describe()["isa"]  # doctest: +SKIP
        'Intel AVX2'
    """
    env = dict(os.environ if env is None else env) | {"ONEDNN_VERBOSE": "1",
                                                      "TF_CPP_MIN_LOG_LEVEL": "2"}
    lines = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, env=env,
                           check=True).stdout.splitlines()
    found = json.loads(next(line for line in lines if line.startswith("probe:"))[6:])
    isa = next((line.split("isa:", 1)[1] for line in lines
                if line.startswith("onednn_verbose") and ",isa:" in line), None)
    return found | {"isa": isa if found["onednn"] else None}


if __name__ == "__main__":
    print(json.dumps(describe(), indent=1))
