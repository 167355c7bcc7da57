"""Framework-free tests of the exporter's model.json reference evaluator and of the exact
round-half-to-even lowering (runs under either exporter venv, numpy only)."""
from __future__ import annotations

import os
from fractions import Fraction

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dagen.keras import refsim  # noqa: E402
from dagen.keras.builder import ModelBuilder  # noqa: E402
from dagen.keras.checker import random_input_codes  # noqa: E402
from dagen.keras.fxp import dumps_model, make_type  # noqa: E402


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
            from dagen.keras.fxp import code_range, width
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


# ============================================================================
# Version 2 (docs/model-format.md, "Version 2"): each op's reference by hand.

from dagen.keras.fxp import ExportError  # noqa: E402

S = lambda i, f: T(True, i, f)  # noqa: E731
U = lambda i, f: T(False, i, f)  # noqa: E731


def v2(inputs, nodes, outputs=None):
    m = {"version": 2, "name": "t", "inputs": [{"name": n, "shape": s, "type": t} for n, s, t in inputs],
         "nodes": nodes}
    if outputs is not None:
        m["outputs"] = outputs
    return m


def run(model, *vectors):
    """Evaluate on input vectors given as exact values (flat, port order); returns lists of Fractions."""
    g = refsim.V2Graph(model)
    types = g.input_types()
    codes = [[int(Fraction(v) * Fraction(2) ** t["frac_bits"]) for v, t in zip(vec, types)] for vec in vectors]
    for vec, cs in zip(vectors, codes):
        for v, c, t in zip(vec, cs, types):
            assert Fraction(c) / Fraction(2) ** t["frac_bits"] == Fraction(v), "input not on its grid"
    Y, F = refsim.evaluate(model, np.array(codes, dtype=object))
    return [[Fraction(int(y)) / Fraction(2) ** F for y in row] for row in Y]


def one(model, *vector):
    return run(model, list(vector))[0]


def test_v2_conv1d_same_stride2_odd_kernel():
    # n=4, k=3, s=2: out=2, pad total 1, before 0: windows [0..2], [2..4(pad)]
    m = v2([("x", [4, 1], S(4, 0))],
           [{"op": "conv1d", "name": "c", "input": "x", "kernel": [[[1]], [[2]], [[3]]], "strides": 2, "padding": "same"}])
    assert one(m, 1, 2, 3, 4) == [14, 11]


def test_v2_conv1d_same_stride2_even_kernel_pads_before():
    # n=5, k=4, s=2: out=3, pad total 3, before 1: windows [-1..2], [1..4], [3..6]
    m = v2([("x", [5, 1], S(4, 0))],
           [{"op": "conv1d", "name": "c", "input": "x", "kernel": [[[1]], [[10]], [[100]], [[1000]]],
             "strides": [2], "padding": "same"}])
    assert one(m, 1, 2, 3, 4, 5) == [3210, 5432, 54]


def test_v2_conv1d_dilation_valid_and_same():
    k = [[[1]], [[1]]]
    m = v2([("x", [5, 1], S(4, 0))], [{"op": "conv1d", "name": "c", "input": "x", "kernel": k, "dilation": 2}])
    assert one(m, 1, 2, 3, 4, 5) == [4, 6, 8]
    # same: out 5, pad total (5-1)+(2-1)*2+1-5 = 2, before 1: y_o = x[o-1] + x[o+1]
    m = v2([("x", [5, 1], S(4, 0))],
           [{"op": "conv1d", "name": "c", "input": "x", "kernel": k, "dilation": 2, "padding": "same"}])
    assert one(m, 1, 2, 3, 4, 5) == [2, 4, 6, 8, 4]


def test_v2_conv1d_channels_and_bias():
    # Cin=2, Cout=2, k=2 valid, bias; kernel[t][ci][co]
    K = [[[1, 0], [0, 1]], [[2, 0], [0, -1]]]
    m = v2([("x", [3, 2], S(4, 0))],
           [{"op": "conv1d", "name": "c", "input": "x", "kernel": K, "bias": [0.5, -1]}])
    x = [[1, 2], [3, 4], [5, 6]]  # x[l][c]
    want = []
    for o in range(2):
        want += [x[o][0] + 2 * x[o + 1][0] + Fraction(1, 2), x[o][1] - x[o + 1][1] - 1]
    assert one(m, *[v for row in x for v in row]) == want


def test_v2_conv2d_same_stride2():
    # 3x3 input, 2x2 kernel, stride 2: out 2x2, pad total 1 per axis, before 0 (after: bottom/right)
    m = v2([("img", [3, 3, 1], U(4, 0))],
           [{"op": "conv2d", "name": "c", "input": "img", "kernel": [[[[1]], [[2]]], [[[3]], [[4]]]],
             "strides": 2, "padding": "same"}])
    assert one(m, 1, 2, 3, 4, 5, 6, 7, 8, 9) == [37, 21, 23, 9]


def _conv2d_brute(x, K, bias, s, d, same):
    H, W, C = len(x), len(x[0]), len(x[0][0])
    KH, KW, _, CO = len(K), len(K[0]), len(K[0][0]), len(K[0][0][0])
    outs, pads = [], []
    for n, k, st, dl in ((H, KH, s[0], d[0]), (W, KW, s[1], d[1])):
        if same:
            o = -(-n // st)
            pads.append(max((o - 1) * st + (k - 1) * dl + 1 - n, 0) // 2)
        else:
            o = (n - (k - 1) * dl - 1) // st + 1
            pads.append(0)
        outs.append(o)
    y = []
    for oh in range(outs[0]):
        for ow in range(outs[1]):
            for co in range(CO):
                acc = Fraction(bias[co])
                for th in range(KH):
                    for tw in range(KW):
                        ph, pw = oh * s[0] + th * d[0] - pads[0], ow * s[1] + tw * d[1] - pads[1]
                        if 0 <= ph < H and 0 <= pw < W:
                            for ci in range(C):
                                acc += Fraction(K[th][tw][ci][co]) * Fraction(x[ph][pw][ci])
                y.append(acc)
    return y


@pytest.mark.parametrize("s,d,same", [((1, 1), (1, 1), False), ((2, 1), (1, 2), True), ((2, 2), (1, 1), True),
                                      ((1, 2), (2, 1), False), ((3, 2), (2, 2), True)])
def test_v2_conv2d_against_loops(s, d, same):
    rng = np.random.default_rng(sum(s) * 7 + sum(d) + same)
    H, W, C, CO = 5, 6, 2, 3
    K = (rng.integers(-8, 8, size=(3, 2, C, CO)) / 4).tolist()
    bias = (rng.integers(-8, 8, size=CO) / 8).tolist()
    m = v2([("img", [H, W, C], S(3, 2))],
           [{"op": "conv2d", "name": "c", "input": "img", "kernel": K, "bias": bias, "strides": list(s),
             "dilation": list(d), "padding": "same" if same else "valid"}])
    for trial in range(3):
        x = (rng.integers(-32, 32, size=(H, W, C)) / 4).tolist()
        assert one(m, *np.array(x).ravel().tolist()) == _conv2d_brute(x, K, bias, s, d, same)


def test_v2_dense_on_last_axis():
    # [2 particles, 3 features] -> dense 3->2 per particle
    W = [[1, 0], [0, 2], [1, -1]]
    m = v2([("p", [2, 3], S(4, 1))], [{"op": "dense", "name": "d", "input": "p", "weights": W, "bias": [0, 0.5]}])
    x = [[1, 2, 3], [-1, 0.5, 4]]
    want = []
    for r in x:
        want += [Fraction(r[0]) + Fraction(r[2]), 2 * Fraction(r[1]) - Fraction(r[2]) + Fraction(1, 2)]
    assert one(m, *[v for r in x for v in r]) == want


def test_v2_argmax_first_maximum():
    m = v2([("x", [2, 4], S(4, 0))], [{"op": "argmax", "name": "a", "input": "x"}])
    assert one(m, 3, 5, 5, 1, -2, -2, -2, -2) == [1, 0]   # ties -> lowest index
    assert one(m, -8, -8, -7, -7, 0, 1, 0, 1) == [2, 1]
    st = refsim.analyze_v2(m)["a"]
    assert refsim.interval_of(st, (0,)) == (0, 3, 0)
    m1 = v2([("x", [5], S(4, 0))], [{"op": "argmax", "name": "a", "input": "x"}])
    assert refsim.V2Graph(m1).shapes["a"] == []
    assert one(m1, 1, 7, 7, 7, -8) == [1]


def test_v2_argmax_across_scales():
    # elements on different grids: 0.75 (frac 2) beats 0.5 (frac 1)
    m = v2([("x", [3], [S(3, 1), S(3, 2), U(3, 0)])], [{"op": "argmax", "name": "a", "input": "x"}])
    assert one(m, 0.5, 0.75, 0) == [1]
    assert one(m, 0.5, 0.5, 0) == [0]


def test_v2_lookup_signed_domain():
    # domain s1.1: codes -4..3 = values -2, -1.5, ..., 1.5; table lowest code first
    table = [10, 11, 12, 13, 14, 15, 16, 17]
    m = v2([("x", [3], S(1, 1))],
           [{"op": "lookup", "name": "t", "input": "x", "domain": S(1, 1), "table": table, "to": U(5, 0)}])
    assert one(m, -2, 0, 1.5) == [10, 14, 17]
    assert one(m, -0.5, 0.5, -1.5) == [13, 15, 11]
    # a coarser, narrower input type (u0.1: 0 and 0.5) also lies in the domain
    m2 = v2([("x", [1], U(0, 1))],
            [{"op": "lookup", "name": "t", "input": "x", "domain": S(1, 1), "table": table, "to": U(5, 0)}])
    assert one(m2, 0.5) == [15]
    st = refsim.analyze_v2(m2)["t"]
    assert refsim.interval_of(st, (0,))[:2] == (14, 15)


def test_v2_lookup_fractional_entries_per_element_to():
    table = [-0.75, -0.25, 0.25, 0.75]  # domain s0.1: -1, -0.5, 0, 0.5
    m = v2([("x", [2], S(0, 1))],
           [{"op": "lookup", "name": "t", "input": "x", "domain": S(0, 1), "table": table,
             "to": [S(0, 2), S(1, 3)]}])
    assert one(m, -1, 0.5) == [Fraction(-3, 4), Fraction(3, 4)]


def test_v2_lookup_errors():
    def mk(inp_t, dom=S(1, 1), table=None, to=U(5, 0)):
        return v2([("x", [2], inp_t)], [{"op": "lookup", "name": "t", "input": "x", "domain": dom,
                                         "table": table if table is not None else list(range(8)), "to": to}])
    with pytest.raises(ExportError, match=r"nodes\[0\]: element 0 takes values"):
        refsim.analyze_v2(mk(S(2, 1)))          # -4..3.5 exceeds the domain
    with pytest.raises(ExportError, match=r"nodes\[0\]: element 0 takes values"):
        refsim.analyze_v2(mk(S(1, 2)))          # finer grid than the domain
    with pytest.raises(ExportError, match=r"nodes\[0\]\.table: expected 8 entries"):
        refsim.V2Graph(mk(S(1, 1), table=[0] * 7))
    with pytest.raises(ExportError, match=r"nodes\[0\]\.table\[4\]"):
        refsim.V2Graph(mk(S(1, 1), to=U(2, 0)))  # entry 4 is the first that does not fit u2.0 (max 3)
    with pytest.raises(ExportError, match=r"nodes\[0\]\.table\[1\]"):
        refsim.V2Graph(mk(S(1, 1), table=[0, 0.5] + [0] * 6, to=U(3, 0)))


def test_v2_avg_pool_exact_mean():
    m = v2([("x", [4, 1], S(4, 0))], [{"op": "avg_pool1d", "name": "a", "input": "x", "pool": 2}])
    assert one(m, 1, 2, 3, -4) == [Fraction(3, 2), Fraction(-1, 2)]
    m = v2([("x", [2, 4, 1], S(4, 0))],
           [{"op": "avg_pool2d", "name": "a", "input": "x", "pool": [2, 2], "strides": [1, 2]}])
    assert one(m, 1, 2, 3, 4, 5, 6, 7, 9) == [Fraction(14, 4), Fraction(23, 4)]
    m = v2([("x", [2, 2, 2], S(4, 0))], [{"op": "global_avg_pool", "name": "a", "input": "x"}])
    assert one(m, 1, 10, 2, 20, 3, 30, 5, 40) == [Fraction(11, 4), 25]
    # a window of 1 is a power of two too
    m = v2([("x", [3, 1], S(4, 0))], [{"op": "avg_pool1d", "name": "a", "input": "x", "pool": 1}])
    assert one(m, 1, 2, 3) == [1, 2, 3]


def test_v2_avg_pool_errors():
    with pytest.raises(ExportError, match=r"nodes\[0\]: the mean of a window of 3"):
        refsim.V2Graph(v2([("x", [4, 1], S(4, 0))], [{"op": "avg_pool1d", "name": "a", "input": "x", "pool": 3}]))
    with pytest.raises(ExportError, match=r"nodes\[0\]\.padding: .*sum \+ scale"):
        refsim.V2Graph(v2([("x", [4, 1], S(4, 0))],
                          [{"op": "avg_pool1d", "name": "a", "input": "x", "pool": 2, "padding": "same"}]))
    with pytest.raises(ExportError, match=r"power-of-two count"):
        refsim.V2Graph(v2([("x", [3, 1, 2], S(4, 0))], [{"op": "global_avg_pool", "name": "a", "input": "x"}]))


def test_v2_max_pool_same_ignores_padding():
    # n=3, pool 2, stride 2, same: out 2, pad total 1 after: windows [-3,-1], [-5, pad] -> -5 (not 0)
    m = v2([("x", [3, 1], S(4, 0))], [{"op": "max_pool1d", "name": "p", "input": "x", "pool": 2, "padding": "same"}])
    assert one(m, -3, -1, -5) == [-1, -5]
    # 2-D, 2 channels, valid, strides 1
    m = v2([("x", [2, 3, 2], S(4, 0))], [{"op": "max_pool2d", "name": "p", "input": "x", "pool": 2, "strides": 1}])
    x = [[[1, -1], [5, -2], [0, -3]], [[2, -4], [-1, -5], [7, -6]]]
    assert one(m, *np.array(x).ravel().tolist()) == [5, -1, 7, -2]
    m = v2([("x", [2, 3, 2], S(4, 0))], [{"op": "global_max_pool", "name": "p", "input": "x"}])
    assert one(m, *np.array(x).ravel().tolist()) == [7, -1]


def test_v2_merge_ops_and_scales():
    m = v2([("a", [2], S(3, 1)), ("b", [2], S(3, 2)), ("c", [2], U(2, 0))],
           [{"op": "add", "name": "s", "inputs": ["a", "b", "c"]},
            {"op": "sub", "name": "d", "inputs": ["a", "b"]},
            {"op": "max", "name": "mx", "inputs": ["a", "b", "c"]},
            {"op": "min", "name": "mn", "inputs": ["a", "b"]}], outputs=["s", "d", "mx", "mn"])
    assert one(m, 0.5, -1, 0.25, 1.75, 3, 0) == [Fraction(15, 4), Fraction(3, 4), Fraction(1, 4), Fraction(-11, 4),
                                                 3, Fraction(7, 4), Fraction(1, 4), -1]


def test_v2_scale_per_channel():
    m = v2([("x", [2, 2], S(3, 0))], [{"op": "scale", "name": "s", "input": "x", "factor": [0.5, -3], "bias": 0.25}])
    assert one(m, 1, 2, 3, -1) == [Fraction(3, 4), Fraction(-23, 4), Fraction(7, 4), Fraction(13, 4)]
    m = v2([("x", [3], S(3, 0))], [{"op": "scale", "name": "s", "input": "x", "factor": 2, "bias": [1, 0, -1]}])
    assert one(m, 1, 2, 3) == [3, 4, 5]


def test_v2_sum_axes():
    m = v2([("x", [2, 3], S(3, 0))], [{"op": "sum", "name": "s0", "input": "x", "axes": [0]},
                                      {"op": "sum", "name": "s1", "input": "x", "axes": [-1]},
                                      {"op": "sum", "name": "sa", "input": "x", "axes": [1, 0]}],
           outputs=["s0", "s1", "sa"])
    assert one(m, 1, 2, 3, 4, 5, 6) == [5, 7, 9, 6, 15, 21]
    assert refsim.V2Graph(m).shapes["sa"] == []


def test_v2_rearranging_ops():
    x = list(range(6))  # shape [2, 3]
    m = v2([("x", [2, 3], U(3, 0))], [{"op": "transpose", "name": "t", "input": "x", "perm": [1, 0]},
                                      {"op": "reshape", "name": "r", "input": "t", "shape": [-1, 2]},
                                      {"op": "flatten", "name": "f", "input": "r"}], outputs=["t", "r", "f"])
    g = refsim.V2Graph(m)
    assert g.shapes["t"] == [3, 2] and g.shapes["r"] == [3, 2] and g.shapes["f"] == [6]
    assert one(m, *x) == [0, 3, 1, 4, 2, 5] * 3
    m = v2([("x", [2, 3, 4], U(5, 0))], [{"op": "transpose", "name": "t", "input": "x", "perm": [2, 0, 1]}])
    got = one(m, *range(24))
    assert got == np.transpose(np.arange(24).reshape(2, 3, 4), [2, 0, 1]).ravel().tolist()


def test_v2_concat():
    m = v2([("a", [2, 1], U(3, 0)), ("b", [2, 2], S(3, 1))],
           [{"op": "concat", "name": "c", "inputs": ["a", "b"]},
            {"op": "concat", "name": "c0", "inputs": ["b", "b"], "axis": 0}], outputs=["c", "c0"])
    g = refsim.V2Graph(m)
    assert g.shapes["c"] == [2, 3] and g.shapes["c0"] == [4, 2]
    r = one(m, 1, 2, 0.5, -1, 1.5, 2)
    assert r[:6] == [1, Fraction(1, 2), -1, 2, Fraction(3, 2), 2]
    assert r[6:] == [Fraction(1, 2), -1, Fraction(3, 2), 2] * 2


def test_v2_quantize_per_element_and_relu():
    m = v2([("x", [2, 2], S(3, 3))],
           [{"op": "relu", "name": "r", "input": "x"},
            {"op": "quantize", "name": "q", "input": "r", "to": [U(2, 1), U(2, 0), U(1, 1), U(3, 2)],
             "rounding": "RND", "overflow": "SAT"}])
    assert one(m, 1.375, 2.5, -1, 7.875) == [Fraction(3, 2), 3, 0, Fraction(31, 4)]


def test_v2_ports_outputs_and_layout():
    m = v2([("a", [2, 2], S(2, 3)), ("b", [], U(4, 0))],
           [{"op": "add", "name": "s", "inputs": ["b", "b"]}], outputs=["s", "a", "s"])
    g = refsim.V2Graph(m)
    lay = g.input_layout()
    assert [(n, i) for n, i, _ in lay] == [("a", (0, 0)), ("a", (0, 1)), ("a", (1, 0)), ("a", (1, 1)), ("b", ())]
    assert g.output_layout()[0] == ("s", ()) and len(g.output_layout()) == 6
    assert one(m, 0.125, -4, 3.875, 0, 9) == [18, Fraction(1, 8), -4, Fraction(31, 8), 0, 18]
    # default output: the last node
    m2 = v2([("x", [1], U(2, 0))], [{"op": "relu", "name": "r", "input": "x"}, {"op": "relu", "name": "z", "input": "x"}])
    assert refsim.V2Graph(m2).outputs == ["z"]


def test_v2_big_values_use_python_ints():
    m = v2([("x", [2], S(60, 0))], [{"op": "dense", "name": "d", "input": "x", "weights": [[2 ** 40], [3]]},
                                    {"op": "sum", "name": "s", "input": "d", "axes": [0]}])
    x0, x1 = (1 << 60) - 1, -(1 << 60)
    assert one(m, x0, x1) == [x0 * 2 ** 40 + 3 * x1]


@pytest.mark.parametrize("model,match", [
    (v2([("x", [2], U(2, 0))], [{"op": "relu", "name": "r", "input": "y"}]), r"nodes\[0\]\.input: unknown tensor 'y'"),
    (v2([("x", [2], U(2, 0))], [{"op": "relu", "name": "r", "input": "z"}, {"op": "relu", "name": "z", "input": "x"}]),
     r"nodes\[0\]\.input: tensor 'z' is used before its definition"),
    (v2([("x", [2], U(2, 0))], [{"op": "relu", "name": "r", "input": "r"}]), r"used before its definition"),
    (v2([("x", [2], U(2, 0))], [{"op": "relu", "name": "x", "input": "x"}]), r"nodes\[0\]\.name: duplicate name 'x'"),
    (v2([("x", [2], U(2, 0)), ("y", [3], U(2, 0))], [{"op": "add", "name": "s", "inputs": ["x", "y"]}]),
     r"nodes\[0\]: inputs must have the same shape"),
    (v2([("x", [4, 2], U(2, 0))], [{"op": "conv1d", "name": "c", "input": "x", "kernel": [[[1], [1], [1]]]}]),
     r"nodes\[0\]\.kernel: expected shape"),
    (v2([("x", [4, 2], U(2, 0))], [{"op": "dense", "name": "d", "input": "x", "weights": [[1], [1], [1]]}]),
     r"nodes\[0\]\.weights: expected \[2\]"),
    (v2([("x", [2, 3], U(2, 0))], [{"op": "transpose", "name": "t", "input": "x", "perm": [0, 0]}]),
     r"nodes\[0\]\.perm: expected a permutation"),
    (v2([("x", [2, 3], U(2, 0))], [{"op": "transpose", "name": "t", "input": "x", "perm": [1, 2]}]), r"\.perm"),
    (v2([("x", [2], U(2, 0))], [{"op": "softmax", "name": "t", "input": "x"}]), r"nodes\[0\]\.op: unknown op"),
    (v2([("x", [2], U(2, 0))], [{"op": "relu", "name": "t", "input": "x", "inputs": ["x"]}]), r"exactly one of"),
    (v2([("x", [2], U(2, 0))], [{"op": "sub", "name": "t", "inputs": ["x", "x", "x"]}]), r"exactly 2"),
    (v2([("x", [2, 3], U(2, 0))], [{"op": "reshape", "name": "t", "input": "x", "shape": [4, -1]}]), r"cannot reshape"),
    (v2([("x", [2, 3], U(2, 0))], [{"op": "sum", "name": "t", "input": "x", "axes": [1, -1]}]), r"appears twice"),
    (v2([("x", [2, 3], U(2, 0))], [{"op": "concat", "name": "t", "inputs": ["x", "x"], "axis": 2}]), r"out of range"),
    (v2([("x", [2, 1], U(2, 0))], [{"op": "conv1d", "name": "c", "input": "x", "kernel": [[[1]]] * 3}]),
     r"does not fit axis 0"),
    (v2([("x", [2], U(2, 0))], [{"op": "relu", "name": "t", "input": "x"}], outputs=["q"]), r"outputs\[0\]: unknown"),
])
def test_v2_errors(model, match):
    with pytest.raises(ExportError, match=match):
        refsim.V2Graph(model)


def _random_graph(rng):
    """A small random v2 graph over every op kind, for the interval soundness test."""
    n = [{"op": "dense", "name": "d", "input": "x", "weights": (rng.integers(-4, 5, size=(3, 4)) / 2).tolist(),
          "bias": [0.25, 0, -1, 2]},
         {"op": "relu", "name": "r", "input": "d"},
         {"op": "quantize", "name": "q", "input": "r", "to": U(2, 1), "rounding": "RND", "overflow": "SAT"},
         {"op": "lookup", "name": "l", "input": "q", "domain": U(2, 1),
          "table": (rng.integers(-8, 8, size=8) / 4).tolist(), "to": S(1, 2)},
         {"op": "conv1d", "name": "c", "input": "x", "kernel": (rng.integers(-3, 4, size=(2, 3, 4)) / 4).tolist(),
          "padding": "same", "strides": 2},
         {"op": "max_pool1d", "name": "mp", "input": "c", "pool": 2, "padding": "same"},
         {"op": "transpose", "name": "t", "input": "l", "perm": [1, 0]},
         {"op": "dense", "name": "dt", "input": "t", "weights": (rng.integers(-4, 5, size=(4, 2)) / 4).tolist()},
         {"op": "transpose", "name": "tt", "input": "dt", "perm": [1, 0]},
         {"op": "concat", "name": "cc", "inputs": ["tt", "mp"], "axis": 0},
         {"op": "scale", "name": "sc", "input": "cc", "factor": [1, -0.5, 2, 0.75], "bias": 0.125},
         {"op": "avg_pool1d", "name": "ap", "input": "sc", "pool": 2},
         {"op": "sub", "name": "sb", "inputs": ["ap", "ap"]},
         {"op": "max", "name": "mx", "inputs": ["ap", "sb"]},
         {"op": "sum", "name": "s", "input": "mx", "axes": [0]},
         {"op": "argmax", "name": "am", "input": "mx"}]
    return v2([("x", [4, 3], S(2, 2))], n, outputs=["s", "am", "l", "q"])


def test_v2_intervals_contain_every_value():
    rng = np.random.default_rng(11)
    m = _random_graph(rng)
    g = refsim.V2Graph(m)
    st = refsim.analyze_v2(g)
    codes = random_input_codes({"input": {"size": 12, "type": S(2, 2)}}, 400, seed=2)
    _, _, env = refsim.evaluate_v2(g, codes, return_all=True)
    for name, (X, F) in env.items():
        LH, Fa, G = st[name]
        for idx in np.ndindex(*g.shapes[name]):
            lo, hi, grid = refsim.interval_of(st[name], idx)
            vals = {Fraction(int(v)) / Fraction(2) ** F for v in X[(slice(None), *idx)]}
            assert min(vals) >= lo and max(vals) <= hi, (name, idx)
            for v in vals:
                assert grid == refsim.NONE_GRID and v == 0 or (v * Fraction(2) ** grid).denominator == 1, (name, idx, v)


V2_DIR = os.path.join(REPO, "tests", "models", "v2")
V2_MODELS = sorted(f[:-5] for f in os.listdir(V2_DIR) if f.endswith(".json") and not f.endswith(".vectors.json")) \
    if os.path.isdir(V2_DIR) else []


@pytest.mark.parametrize("name", V2_MODELS)
def test_v2_shipped_vectors_reproduce(name):
    """tests/models/v2/NAME.vectors.json holds refsim's exact outputs; they must not drift."""
    import json

    with open(os.path.join(V2_DIR, f"{name}.json")) as f:
        model = json.load(f)
    with open(os.path.join(V2_DIR, f"{name}.vectors.json")) as f:
        vec = json.load(f)
    g = refsim.V2Graph(model)
    refsim.analyze_v2(g)
    assert vec["model"] == f"{name}.json"
    types = g.input_types()
    got = run(model, *vec["inputs"])
    want = [[Fraction(v) for v in row] for row in vec["outputs"]]
    assert got == want
    assert len(types) == len(vec["inputs"][0]) and len(got[0]) == len(g.output_layout())


@pytest.mark.parametrize("per_element", [False, True])
def test_v2_graph_rne_lowering_exact(per_element):
    """graph.GraphBuilder's half-to-even lowering against Python's round() on exact values."""
    from dagen.keras.graph import GraphBuilder

    b = GraphBuilder("rne", input_type=make_type(True, 3, 4))
    x = b.add_input("x", [2, 3])
    rng = np.random.default_rng(5)
    W = rng.integers(-16, 17, size=(3, 3)) / 8.0
    d = b.dense(x, W, [0.0625, 0, -0.5], "fc")
    if per_element:
        tgt = [make_type(True, 2, 1), make_type(True, 3, 0), make_type(True, 1, 2)] * 2
    else:
        tgt = [make_type(True, 2, 1)] * 6
    q = b.quantize(d, tgt, "RNE", "SAT", "q")
    b.set_outputs([q])
    model = b.finish()
    assert all(n.get("rounding") != "RNE" for n in model["nodes"])
    codes = random_input_codes(model, 2000, seed=4)
    Y, F = refsim.evaluate(model, codes)
    from dagen.keras.fxp import code_range
    for r in range(len(codes)):
        xs = [Fraction(int(c), 16) for c in codes[r]]
        for p in range(2):
            for j in range(3):
                acc = sum(xs[p * 3 + i] * Fraction(W[i, j]) for i in range(3)) + Fraction([0.0625, 0, -0.5][j])
                t = tgt[p * 3 + j]
                c = round(acc * 2 ** t["frac_bits"])
                lo, hi = code_range(t)
                want = Fraction(min(max(c, lo), hi)) / Fraction(2) ** t["frac_bits"]
                assert Fraction(int(Y[r, p * 3 + j])) / Fraction(2) ** F == want
