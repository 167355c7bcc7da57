#!/usr/bin/env python3
"""Writes the version 2 models of docs/limits.md ("Version 2 graphs") into DIR:
conv_big (conv2d 16x16x4 -> 8, 3x3 same), mixer_big (32 x 16 particle mixer) and
big_tensor (the largest tensor, 262,144 elements).  Deterministic (fixed seeds).

    python3 benchmarks/v2_sizes.py DIR
"""
import json
import os
import random
import sys

CHOICES = [0, 0, 0.25, -0.25, 0.5, -0.5, 0.75, -0.75, 1, -1, 0.125, -0.375]


def t(signed, i, f):
    return {"signed": signed, "int_bits": i, "frac_bits": f}


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = random.Random(7)
    w = lambda: rng.choice(CHOICES)  # noqa: E731
    conv = {"version": 2, "name": "conv_big",
            "inputs": [{"name": "img", "shape": [16, 16, 4], "type": t(False, 2, 2)}],
            "nodes": [{"op": "conv2d", "name": "c", "input": "img",
                       "kernel": [[[[w() for _ in range(8)] for _ in range(4)] for _ in range(3)]
                                  for _ in range(3)],
                       "bias": [w() for _ in range(8)], "padding": "same"}]}
    mixer = {"version": 2, "name": "mixer_big",
             "inputs": [{"name": "x", "shape": [32, 16], "type": t(True, 2, 3)}],
             "nodes": [
                 {"op": "dense", "name": "d1", "input": "x",
                  "weights": [[w() for _ in range(16)] for _ in range(16)]},
                 {"op": "quantize", "name": "q1", "input": "d1", "to": t(True, 3, 3), "overflow": "SAT"},
                 {"op": "transpose", "name": "t", "input": "q1", "perm": [1, 0]},
                 {"op": "dense", "name": "d2", "input": "t",
                  "weights": [[w() for _ in range(32)] for _ in range(32)]},
                 {"op": "quantize", "name": "q2", "input": "d2", "to": t(True, 3, 3), "overflow": "SAT"},
                 {"op": "sum", "name": "s", "input": "q2", "axes": [1]}]}
    rng = random.Random(3)
    big = {"version": 2, "name": "big_tensor",
           "inputs": [{"name": "x", "shape": [256, 4], "type": t(True, 2, 2)}],
           "nodes": [
               {"op": "dense", "name": "d", "input": "x",
                "weights": [[rng.choice([0, 0.25, -0.5, 0.75, 1]) for _ in range(1024)] for _ in range(4)]},
               {"op": "relu", "name": "r", "input": "d"},
               {"op": "sum", "name": "s", "input": "r", "axes": [0]}]}
    for m in (conv, mixer, big):
        with open(os.path.join(out, m["name"] + ".json"), "w") as f:
            json.dump(m, f)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
