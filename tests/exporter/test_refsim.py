"""Framework-free tests of the exporter's model.json reference evaluator and of the exact
round-half-to-even lowering (runs under either exporter venv, numpy only)."""
from __future__ import annotations

import os
import sys
from fractions import Fraction

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))

from dagen_export import refsim  # noqa: E402
from dagen_export.builder import ModelBuilder  # noqa: E402
from dagen_export.check import random_input_codes  # noqa: E402
from dagen_export.fxp import dumps_model, make_type  # noqa: E402


def T(s, i, f):
    return {"signed": s, "int_bits": i, "frac_bits": f}


def q1(x, t, rnd, ovf):
    """Quantize one exact value through refsim (input type s20.8)."""
    model = {"name": "t", "input": {"size": 1, "type": T(True, 20, 8)},
             "layers": [{"type": "quantize", "to": t, "rounding": rnd, "overflow": ovf}]}
    Y, F = refsim.evaluate(model, np.array([[int(Fraction(x) * 256)]]))
    return Fraction(int(Y[0, 0])) / Fraction(2) ** F


@pytest.mark.parametrize("x,t,rnd,ovf,want", [
    (1.375, T(True, 2, 1), "TRN", "WRAP", 1.0),
    (1.375, T(True, 2, 1), "RND", "WRAP", 1.5),
    (-1.25, T(True, 2, 1), "RND", "WRAP", -1.0),      # ties go up
    (-1.25, T(True, 2, 1), "TRN", "WRAP", -1.5),      # floor
    (4.5, T(True, 2, 1), "TRN", "WRAP", -3.5),        # wraps into [-4, 4)
    (4.5, T(True, 2, 1), "TRN", "SAT", 3.5),
    (-9.0, T(True, 2, 1), "TRN", "SAT", -4.0),
    (-9.0, T(True, 2, 1), "TRN", "SAT_SYM", -3.5),
    (-1.0, T(False, 3, 0), "TRN", "SAT", 0.0),
    (9.0, T(False, 3, 0), "TRN", "WRAP", 1.0),
    (6.0, T(False, 3, -1), "TRN", "WRAP", 6.0),       # negative frac bits: step 2
    (7.0, T(False, 3, -1), "RND", "WRAP", 0.0),       # 8 wraps to 0 in u3.-1
    (3.0, T(False, 0, 0), "TRN", "SAT", 0.0),         # width 0 = constant 0
    (0.75, T(False, -1, 2), "TRN", "WRAP", 0.25),     # width 1, values {0, 0.25}
])
def test_quantize_semantics(x, t, rnd, ovf, want):
    assert q1(x, t, rnd, ovf) == Fraction(want)


def test_dense_exact_big_values():
    model = {"name": "t", "input": {"size": 2, "type": T(True, 40, 20)},
             "layers": [{"type": "dense", "weights": [[2.0 ** -30], [3.0]], "bias": [2.0 ** 20]}]}
    codes = np.array([[(1 << 59) - 1, -(1 << 59)]], dtype=object)
    Y, F = refsim.evaluate(model, codes)
    x0 = Fraction((1 << 59) - 1, 1 << 20)
    x1 = Fraction(-(1 << 59), 1 << 20)
    assert Fraction(int(Y[0, 0])) / Fraction(2) ** F == x0 * Fraction(1, 1 << 30) + 3 * x1 + (1 << 20)


def rne(v: Fraction, f: int) -> Fraction:
    return Fraction(round(v * 2**f)) / 2**f  # Python rounds Fractions half to even


@pytest.mark.parametrize("ovf", ["SAT", "SAT_SYM", "WRAP"])
def test_rne_lowering_exact(ovf):
    rng = np.random.default_rng(7)
    b = ModelBuilder("rne")
    b.set_input(3, [make_type(True, 3, 4)] * 3)
    W = rng.integers(-16, 17, size=(3, 5)) / 8.0
    bias = rng.integers(-8, 9, size=5) / 16.0
    b.add_dense("fc", W, bias)
    tgt = [make_type(True, 2, 1), make_type(False, 3, 0), make_type(True, 1, 2), make_type(True, 4, -1), make_type(False, 0, 0)]
    b.add_quantize(tgt, "RNE", ovf, name="q")
    model = b.finish()
    assert all(l.get("rounding") != "RNE" for l in model["layers"])
    dumps_model(model)
    codes = random_input_codes(model, 3000, seed=3)
    Y, F = refsim.evaluate(model, codes)
    for r in range(len(codes)):
        x = [Fraction(int(c), 16) for c in codes[r]]
        for j, t in enumerate(tgt):
            acc = sum(x[i] * Fraction(W[i, j]) for i in range(3)) + Fraction(bias[j])
            from dagen_export.fxp import code_range, width
            if width(t) == 0:
                want = Fraction(0)
            else:
                q = rne(acc, t["frac_bits"]) * 2 ** t["frac_bits"]
                lo, hi = code_range(t)
                if ovf == "SAT_SYM" and t["signed"]:
                    lo = -hi
                if ovf == "WRAP":
                    w = width(t)
                    q = (q - lo) % (1 << w) + lo
                else:
                    q = min(max(q, lo), hi)
                want = q / Fraction(2) ** t["frac_bits"]
            got = Fraction(int(Y[r, j])) / Fraction(2) ** F
            assert got == want, (r, j, acc, got, want)
