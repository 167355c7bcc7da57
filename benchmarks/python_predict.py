"""Benchmark (not a test): dagen.Model.predict on 100,000 random inputs of the shipped JSC model.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python_predict.py [MODEL.json] [N]

Prints the best of three wall-clock times; docs/python.md quotes it."""

import sys
import time

import numpy as np

import dagen

path = sys.argv[1] if len(sys.argv) > 1 else "models/jsc_cernbox_acc75.16.json"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
model = dagen.load(path)
rng = np.random.default_rng(1)
codes = np.array([rng.integers(lo, hi + 1, size=n) for lo, hi in
                  ((-(1 << (t["width"] - 1)) if t["signed"] else 0,
                    (1 << (t["width"] - t["signed"])) - 1) for t in model.inputs)]).T
x = codes * np.array([2.0 ** -t["frac_bits"] for t in model.inputs])
model.predict(x[:10])  # prepares the batch reference once
times = []
for _ in range(3):
    start = time.perf_counter()
    y = model.predict(x)
    times.append(time.perf_counter() - start)
print(f"{path}: predict on {n} inputs: best {min(times):.3f} s of 3 "
      f"({n / min(times):,.0f} vectors/s), outputs {y.shape} {y.dtype}")
