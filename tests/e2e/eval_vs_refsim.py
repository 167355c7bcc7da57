#!/usr/bin/env python3
"""da-gen's reference model (--eval) against the exporter's independent numpy
reference (dagen.keras.refsim) on every version 2 model given, bit for
bit, on corner and random inputs; then the exact vectors recorded beside a model
(NAME.vectors.json, made with Keras) when there are any.

    eval_vs_refsim.py DA_GEN MODEL.json... [--vectors N]

Exit 0 when all agree, 1 on a mismatch; 77 (skipped) without numpy.
"""
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

try:
    import numpy  # noqa: F401
except ImportError:
    print("SKIP: numpy is not installed")
    sys.exit(77)
from dagen.keras import refsim  # noqa: E402
from dagen.keras.checker import input_types, random_input_codes  # noqa: E402


def exact_text(v: Fraction) -> str:
    """An exact decimal for a binary fraction (what --eval reads exactly)."""
    k = 0
    while (v * 2**k).denominator != 1:
        k += 1
    n = v * 10**k  # a binary fraction with k fractional bits has k decimal digits
    assert n.denominator == 1
    s = str(abs(n.numerator)).rjust(k + 1, "0")
    text = s[:-k] + "." + s[-k:] if k else s
    return ("-" if v < 0 else "") + text


def run_eval(da_gen, model_path, inputs):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write('{"inputs": [' + ",".join("[" + ",".join(r) + "]" for r in inputs) + "]}")
        path = f.name
    try:
        out = subprocess.run([da_gen, model_path, "--eval", path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise SystemExit(f"FAIL: {model_path}: da-gen --eval: {out.stderr.strip()}")
    return [[Fraction(str(v)) if not isinstance(v, str) else Fraction(v) for v in row]
            for row in json.loads(out.stdout, parse_float=str, parse_int=str)["outputs"]]


def main(argv):
    n = 200
    if "--vectors" in argv:
        k = argv.index("--vectors")
        n = int(argv[k + 1])
        del argv[k:k + 2]
    da_gen, models = argv[1], argv[2:]
    failures = 0
    for path in models:
        with open(path) as f:
            model = json.load(f)
        types = input_types(model)
        codes = random_input_codes(model, n, seed=7)
        want = refsim.evaluate_fractions(model, codes)
        inputs = [[exact_text(Fraction(int(c)) * Fraction(2) ** -t["frac_bits"]) for c, t in zip(row, types)]
                  for row in codes]
        vectors = path[:-len(".json")] + ".vectors.json"
        if os.path.exists(vectors):
            with open(vectors) as f:
                recorded = json.load(f)
            inputs += [[exact_text(Fraction(str(v))) for v in row] for row in recorded["inputs"]]
            want += [[Fraction(str(v)) for v in row] for row in recorded["outputs"]]
        got = run_eval(da_gen, path, inputs)
        bad = [(i, j) for i, (w, g) in enumerate(zip(want, got)) for j, (a, b) in enumerate(zip(w, g)) if a != b]
        if len(got) != len(want) or any(len(w) != len(g) for w, g in zip(want, got)) or bad:
            failures += 1
            i, j = bad[0] if bad else (0, 0)
            print(f"FAIL: {os.path.basename(path)}: vector {i} output {j}: refsim {want[i][j] if bad else '?'}, "
                  f"da-gen {got[i][j] if bad else '?'} ({len(bad)} mismatches)")
        else:
            print(f"ok: {os.path.basename(path)}: {len(want)} vectors agree")
    if failures:
        return 1
    print(f"PASS: {len(models)} models")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
