"""Reference vector files (tests/models/v2/NAME.vectors.json): a few on-grid inputs of a
version-2 model.json and its exact outputs from the reference evaluator (refsim)."""
from __future__ import annotations

import json
import os
from fractions import Fraction

from . import refsim
from .checker import codes_to_float, random_input_codes

COMMENT = ("exact reference outputs of python/dagen/keras/refsim.py; inputs and outputs are flat, in "
           "x/y port order (docs/model-format.md, Version 2); inputs is an --eval file")


def exact_number(fr):
    """A Fraction as the JSON number that denotes it exactly (all values here are binary fractions
    that a double holds; checked)."""
    v = float(fr)
    if Fraction(v) != fr:
        raise ValueError(f"{fr} is not exactly a double")
    return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v


def write_vectors(model_json_path, out_path, n=8, seed=1):
    """Write `n` input vectors (corners first, then random codes; seed `seed`) of the model and
    refsim's exact outputs, both flat in port order, to out_path."""
    with open(model_json_path) as f:
        m = json.load(f)
    g = refsim.V2Graph(m)
    codes = random_input_codes(m, n, seed)
    xs = codes_to_float(m, codes)
    ys = refsim.evaluate_fractions(m, codes)
    types = g.input_types()
    inputs = [[exact_number(Fraction(int(c)) * Fraction(2) ** -t["frac_bits"]) if t["int_bits"] + t["frac_bits"] +
               t["signed"] > 0 else 0 for c, t in zip(row, types)] for row in codes]
    assert all(float(a) == b for r1, r2 in zip(inputs, xs) for a, b in zip(r1, r2))
    doc = {"model": os.path.basename(model_json_path), "comment": COMMENT, "inputs": inputs,
           "outputs": [[exact_number(v) for v in row] for row in ys]}
    with open(out_path, "w") as f:
        f.write("{\n")
        f.write(f'  "model": {json.dumps(doc["model"])},\n  "comment": {json.dumps(doc["comment"])},\n')
        f.write('  "inputs": [\n' + ",\n".join("    " + json.dumps(r) for r in doc["inputs"]) + "\n  ],\n")
        f.write('  "outputs": [\n' + ",\n".join("    " + json.dumps(r) for r in doc["outputs"]) + "\n  ]\n}\n")
