"""Differential test: dagen.keras.refsim (written from docs/model-format.md) against
`da-gen MODEL --eval` (the C++ reference) on seeded random version-2 graphs over every op kind,
and on the shipped tests/models/v2 vectors.  numpy only.

The binary is $DAGEN_BIN (ctest passes the built da-gen), else build/da-gen.  The whole module
is skipped while that binary does not read model.json version 2."""
from __future__ import annotations

import json
import os
import random
import subprocess
from fractions import Fraction

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dagen.keras import refsim  # noqa: E402
from dagen.keras.checker import codes_to_float, random_input_codes  # noqa: E402

DAGEN = os.environ.get("DAGEN_BIN") or os.path.join(REPO, "build", "da-gen")


def T(s, i, f):
    return {"signed": s, "int_bits": i, "frac_bits": f}


def _reads_v2():
    if not (os.path.isfile(DAGEN) and os.access(DAGEN, os.X_OK)):
        return False, f"no da-gen binary at {DAGEN}"
    import tempfile

    with tempfile.TemporaryDirectory() as td:
        m = {"version": 2, "inputs": [{"name": "x", "shape": [2], "type": T(False, 2, 0)}],
             "nodes": [{"op": "relu", "name": "r", "input": "x"}]}
        with open(os.path.join(td, "m.json"), "w") as f:
            json.dump(m, f)
        with open(os.path.join(td, "i.json"), "w") as f:
            json.dump({"inputs": [[1, 2]]}, f)
        p = subprocess.run([DAGEN, os.path.join(td, "m.json"), "--eval", os.path.join(td, "i.json")],
                           capture_output=True, text=True)
        return p.returncode == 0, p.stderr.strip()


_ok, _why = _reads_v2()
if not _ok:
    pytest.skip(f"{DAGEN} does not read model.json version 2 ({_why})", allow_module_level=True)


def dagen_eval(tmp_path, model, xs):
    mp, ip = tmp_path / "m.json", tmp_path / "in.json"
    mp.write_text(json.dumps(model))
    ip.write_text(json.dumps({"inputs": [[float(v) for v in row] for row in xs]}))
    p = subprocess.run([DAGEN, str(mp), "--eval", str(ip)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return [[Fraction(v) for v in row] for row in json.loads(p.stdout)["outputs"]]


def _w(rng, shape, fb=2, lo=-4, hi=4):
    return (rng.integers(lo, hi + 1, size=shape) / (1 << fb)).tolist()


def random_graph(seed):
    """conv2d (random strides / dilation / padding) -> relu -> quantize -> max_pool2d -> lookup ->
    scale -> flatten -> dense, merged with a dense of a second input, argmax, a global pool,
    concat, transpose, sum, avg_pool, conv1d with same padding, reshape."""
    rng = np.random.default_rng(seed)
    r = random.Random(seed)
    H, W, C = r.randint(3, 6), r.randint(3, 6), r.randint(1, 3)
    t_in = T(bool(r.getrandbits(1)), r.randint(1, 3), r.randint(-1, 3))
    k = [r.randint(1, 3), r.randint(1, 3)]
    s = [r.randint(1, 3), r.randint(1, 2)]
    d = [r.randint(1, 2), r.randint(1, 2)]
    same = r.random() < 0.5
    if any(refsim.window_axis(n, kk, ss, dd, False)[0] < 1 for n, kk, ss, dd in zip((H, W), k, s, d)):
        same = True
    co = r.randint(1, 3)
    nv = r.randint(2, 5)
    conv = {"op": "conv2d", "name": "c", "input": "x", "kernel": _w(rng, (k[0], k[1], C, co)), "bias": _w(rng, (co,), 3),
            "strides": s, "dilation": d, "padding": "same" if same else "valid"}
    oh, ow = refsim.V2Graph({"version": 2, "inputs": [{"name": "x", "shape": [H, W, C], "type": t_in}],
                             "nodes": [conv]}).shapes["c"][:2]
    nodes = [
        conv,
        {"op": "relu", "name": "r", "input": "c"},
        {"op": "quantize", "name": "q", "input": "r", "to": T(False, 2, 1), "rounding": r.choice(["TRN", "RND"]),
         "overflow": r.choice(["WRAP", "SAT", "SAT_SYM"])},
        {"op": "max_pool2d", "name": "mp", "input": "q", "pool": [r.randint(1, min(2, oh)), r.randint(1, min(2, ow))],
         "padding": r.choice(["valid", "same"]), "strides": [1, r.randint(1, 2)]},
        {"op": "lookup", "name": "lk", "input": "mp", "domain": T(False, 2, 1), "table": _w(rng, (8,), 2, -8, 7),
         "to": T(True, 1, 2)},
        {"op": "scale", "name": "sc", "input": "lk", "factor": _w(rng, (co,), 1), "bias": 0.25},
        {"op": "flatten", "name": "fl", "input": "sc"},
    ]
    g = refsim.V2Graph({"version": 2, "inputs": [{"name": "x", "shape": [H, W, C], "type": t_in}], "nodes": nodes})
    n = g.shapes["fl"][0]
    st1 = r.randint(1, 2)
    nodes += [
        {"op": "dense", "name": "de", "input": "fl", "weights": _w(rng, (n, 3)), "bias": [0.5, 0, -1]},
        {"op": "dense", "name": "dv", "input": "v", "weights": _w(rng, (nv, 3))},
        {"op": r.choice(["add", "sub", "max", "min"]), "name": "ad", "inputs": ["de", "dv"]},
        {"op": "argmax", "name": "am", "input": "ad"},
        {"op": "global_avg_pool" if (oh * ow) & (oh * ow - 1) == 0 else "global_max_pool", "name": "gp", "input": "q"},
        {"op": "concat", "name": "ct", "inputs": ["gp", "ad"]},
        {"op": "transpose", "name": "tr", "input": "q", "perm": r.choice([[2, 0, 1], [1, 2, 0], [0, 2, 1]])},
        {"op": "sum", "name": "su", "input": "tr", "axes": [r.choice([0, 1, -1])]},
        {"op": "reshape", "name": "rs", "input": "v", "shape": [nv, 1]},
        {"op": "conv1d", "name": "c1", "input": "rs", "kernel": _w(rng, (r.randint(1, 3), 1, 2)), "padding": "same",
         "strides": st1, "dilation": r.randint(1, 2)},
        {"op": "avg_pool1d", "name": "ap", "input": "c1", "pool": 2 if -(-nv // st1) >= 2 else 1},
    ]
    return {"version": 2, "name": f"r{seed}",
            "inputs": [{"name": "x", "shape": [H, W, C], "type": t_in}, {"name": "v", "shape": [nv], "type": T(True, 2, 2)}],
            "nodes": nodes, "outputs": ["am", "ct", "su", "ad", "ap"]}


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_refsim_equals_dagen(tmp_path, seed):
    m = random_graph(seed)
    refsim.analyze_v2(m)
    codes = random_input_codes(m, 30, seed)
    assert dagen_eval(tmp_path, m, codes_to_float(m, codes)) == refsim.evaluate_fractions(m, codes)


V2_DIR = os.path.join(REPO, "tests", "models", "v2")


@pytest.mark.parametrize("name", sorted(f[:-5] for f in os.listdir(V2_DIR) if f.endswith(".json")
                                        and not f.endswith(".vectors.json")))
def test_shipped_vectors_equal_dagen(tmp_path, name):
    with open(os.path.join(V2_DIR, f"{name}.json")) as f:
        m = json.load(f)
    with open(os.path.join(V2_DIR, f"{name}.vectors.json")) as f:
        v = json.load(f)
    assert dagen_eval(tmp_path, m, v["inputs"]) == [[Fraction(x) for x in row] for row in v["outputs"]]
