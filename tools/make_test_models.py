#!/usr/bin/env python3
"""Writes the end-to-end test models in tests/models/ (deterministic, stdlib only).

Each model exercises one corner of the model.json semantics; tests/e2e runs
every one through `da-gen --verify` at pipeline 0, 1 and 3.
Usage: tools/make_test_models.py [OUT_DIR]
"""
import json
import random
import sys
from pathlib import Path


def t(signed, i, f):
    return {"signed": signed, "int_bits": i, "frac_bits": f}


def weights(rng, n_in, n_out, bits, frac, density=1.0):
    """Random `bits`-bit signed weights on a 2^-frac grid, some zeroed."""
    lim = 2 ** (bits - 1)
    return [[(rng.randrange(-lim, lim) / 2 ** frac) if rng.random() < density else 0
             for _ in range(n_out)] for _ in range(n_in)]


def bias(rng, n, frac, mag=8):
    return [rng.randrange(-mag * 2 ** frac, mag * 2 ** frac) / 2 ** frac for _ in range(n)]


def qkeras_style_mlp(rng):
    """The classic 4-layer QKeras MLP shape: 32 -> 64 -> 32 -> 32 -> 10, 8-bit weights."""
    sizes = [32, 64, 32, 32, 10]
    layers = []
    for k in range(4):
        layers.append({"type": "dense", "name": f"fc{k + 1}",
                       "weights": weights(rng, sizes[k], sizes[k + 1], 8, 7),
                       "bias": bias(rng, sizes[k + 1], 4, 1)})
        if k < 3:
            layers += [{"type": "relu"},
                       {"type": "quantize", "to": t(False, 2, 4), "rounding": "TRN", "overflow": "SAT"}]
    return {"name": "qkeras_style_mlp", "input": {"size": 32, "type": t(True, 3, 4)}, "layers": layers}


def mixed_inputs(rng):
    """Per-element input types: signed/unsigned, negative int and frac bits, width 0."""
    types = [t(True, 3, 4), t(False, 0, 6), t(True, -2, 7), t(False, 5, -2), t(True, 0, 0),
             t(False, 0, 0), t(True, 9, 2), t(False, 1, 1)]
    layers = [{"type": "dense", "name": "mix", "weights": weights(rng, len(types), 6, 6, 3),
               "bias": bias(rng, 6, 2)},
              {"type": "quantize", "to": [t(True, 6, 2), t(False, 4, 3), t(True, 2, 5), t(True, 8, 0),
                                          t(False, 3, 3), t(True, 5, 1)],
               "rounding": "RND", "overflow": "WRAP"}]
    return {"name": "mixed_inputs", "input": {"size": len(types), "type": types}, "layers": layers}


def widths(rng):
    """Unsigned, 1-bit and 24-bit inputs in one layer (values past 32 bits inside)."""
    types = [t(False, 4, 4), t(False, 1, 0), t(True, 0, 0), t(True, 11, 12), t(False, 24, 0), t(True, 23, 0)]
    return {"name": "widths", "input": {"size": len(types), "type": types},
            "layers": [{"type": "dense", "name": "wide", "weights": weights(rng, len(types), 5, 12, 6),
                        "bias": bias(rng, 5, 6, 1000)},
                       {"type": "relu"},
                       {"type": "dense", "name": "wide2", "weights": weights(rng, 5, 3, 10, 2)}]}


def saturation(rng):
    """RND with SAT and with SAT_SYM, narrow targets so clamping really happens."""
    return {"name": "saturation", "input": {"size": 6, "type": t(True, 4, 3)},
            "layers": [{"type": "dense", "name": "s1", "weights": weights(rng, 6, 8, 8, 4), "bias": bias(rng, 8, 3)},
                       {"type": "quantize", "to": t(True, 2, 2), "rounding": "RND", "overflow": "SAT"},
                       {"type": "dense", "name": "s2", "weights": weights(rng, 8, 5, 6, 2)},
                       {"type": "quantize", "to": t(True, 1, 3), "rounding": "RND", "overflow": "SAT_SYM"},
                       {"type": "dense", "name": "s3", "weights": weights(rng, 5, 4, 5, 1)},
                       {"type": "quantize", "to": t(False, 2, 1), "rounding": "TRN", "overflow": "SAT_SYM"}]}


def wrap(rng):
    """WRAP overflow into narrow signed and unsigned targets, then ReLU."""
    return {"name": "wrap", "input": {"size": 5, "type": t(True, 3, 2)},
            "layers": [{"type": "dense", "name": "w1", "weights": weights(rng, 5, 6, 7, 2), "bias": bias(rng, 6, 1)},
                       {"type": "quantize", "to": [t(True, 1, 1), t(False, 2, 0), t(True, 3, -1),
                                                   t(False, 0, 3), t(True, 0, 2), t(False, 5, 1)],
                        "rounding": "TRN", "overflow": "WRAP"},
                       {"type": "relu"},
                       {"type": "dense", "name": "w2", "weights": weights(rng, 6, 3, 5, 0)}]}


def special_columns(rng):
    """Zero, power-of-two, duplicate and negated weight columns, a zero row, no bias."""
    n_in = 7
    base = weights(rng, n_in, 3, 8, 3)
    cols = [[0] * n_in,                      # zero column
            [2.0 ** (i % 4 - 1) for i in range(n_in)],  # powers of two
            [row[0] for row in base],        # a column ...
            [row[0] for row in base],        # ... and its duplicate
            [-row[0] for row in base],       # ... and its negation
            [row[1] for row in base],
            [-0.125 if i == 3 else 0 for i in range(n_in)]]  # a single negated digit
    w = [[c[i] for c in cols] for i in range(n_in)]
    w[5] = [0] * len(cols)                   # an input nobody uses
    return {"name": "special_columns", "input": {"size": n_in, "type": t(True, 2, 5)},
            "layers": [{"type": "dense", "name": "cols", "weights": w}]}


MODELS = [qkeras_style_mlp, mixed_inputs, widths, saturation, wrap, special_columns]


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "tests" / "models")
    out.mkdir(parents=True, exist_ok=True)
    for k, make in enumerate(MODELS):
        model = make(random.Random(1000 + k))
        (out / f"{model['name']}.json").write_text(json.dumps(model, indent=1) + "\n")
        print(out / f"{model['name']}.json")


if __name__ == "__main__":
    main()
