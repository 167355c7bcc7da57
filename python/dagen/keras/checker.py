"""Exactness check: Keras forward pass vs the exported model.json, bit for bit.

Three-way: Keras (float32, as the framework runs it) vs refsim (independent exact
integer evaluation of model.json) vs, when present, `da-gen MODEL.json --eval IN.json`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

import numpy as np

from . import refsim
from .fxp import ExportError, as_type_list, code_range, width


def input_types(model: dict):
    """Every input element's type, in x-port order (version 1 or 2)."""
    if refsim.is_v2(model):
        return refsim.V2Graph(model).input_types()
    return as_type_list(model["input"]["type"], model["input"]["size"])


def random_input_codes(model: dict, n: int, seed: int = 0):
    """n input vectors of integer codes on the input grid: corners first, then a mix of
    uniform codes and per-element extremes."""
    types = input_types(model)
    size = len(types)
    lo = np.array([code_range(t)[0] for t in types], dtype=np.int64)
    hi = np.array([code_range(t)[1] for t in types], dtype=np.int64)
    rng = np.random.default_rng(seed)
    rows = [lo.copy(), hi.copy(), np.zeros(size, dtype=np.int64),
            np.where(np.arange(size) % 2 == 0, lo, hi), np.where(np.arange(size) % 2 == 0, hi, lo)]
    one = np.clip(np.ones(size, dtype=np.int64), lo, hi)
    rows += [one, np.clip(-one, lo, hi)]
    rows = rows[: max(0, n)]
    m = n - len(rows)
    if m > 0:
        u = rng.integers(lo, hi + 1, size=(m, size), dtype=np.int64, endpoint=False) if size else np.zeros((m, 0), np.int64)
        # a quarter of the vectors push each element to an extreme with probability 1/4
        k = m // 4
        if k and size:
            pick = rng.random((k, size))
            u[:k] = np.where(pick < 0.125, lo, np.where(pick < 0.25, hi, u[:k]))
        rows = np.concatenate([np.array(rows, dtype=np.int64).reshape(-1, size), u], axis=0)
    else:
        rows = np.array(rows, dtype=np.int64).reshape(-1, size)
    return rows


def codes_to_float(model, codes):
    types = input_types(model)
    scale = np.array([2.0 ** -t["frac_bits"] if width(t) > 0 else 0.0 for t in types])
    return codes.astype(np.float64) * scale


def _exact_equal(keras_out, Y, F):
    """Boolean mask (N, n_out): keras float value == Y * 2**-F exactly."""
    k = np.asarray(keras_out, dtype=np.float64)
    if Y.dtype != object and -1000 < F < 1000:
        scaled = k * (2.0 ** F)
        ok_range = np.abs(Y) < 2**53
        if np.all(ok_range) and np.all(np.isfinite(scaled)):
            return scaled == Y.astype(np.float64)
    exact = refsim.to_fractions(Y, F)
    return np.array([[Fraction(float(a)) == b for a, b in zip(kr, er)] for kr, er in zip(k, exact)], dtype=bool)


def _report_mismatch(label, mask, inputs, got, Y, F):
    idx = np.argwhere(~mask)[0]
    r, c = int(idx[0]), int(idx[1])
    exact = Fraction(int(Y[r, c])) * Fraction(2) ** -F
    hint = ""
    g = Fraction(float(got[r][c]))
    if exact != 0 and abs(g - exact) <= abs(exact) * Fraction(1, 1 << 20):
        hint = (" [differs only in the last float32 bits: the framework's float32 arithmetic rounded, e.g. an "
                "unquantized bias or an accumulator wider than 24 bits]")
    return (f"MISMATCH ({label}) on input #{r}, output {c}: got {float(got[r][c])!r}, "
            f"model.json says {float(exact)!r} ({exact}); {int((~mask).sum())} mismatching values in "
            f"{int((~mask).any(axis=1).sum())} of {mask.shape[0]} inputs; input = {list(map(float, inputs[r]))}{hint}")


def keras_inputs(model, xs):
    """Flat x-port-order input values (N, n) -> what the Keras model takes: one array, or a list of
    arrays shaped like each input (version 2)."""
    if not refsim.is_v2(model):
        return xs
    g = refsim.V2Graph(model)
    parts, col = [], 0
    for _, shape, _ in g.inputs:
        k = int(np.prod(shape)) if shape else 1
        parts.append(xs[:, col:col + k].reshape((len(xs), *shape)))
        col += k
    return parts[0] if len(parts) == 1 else parts


def flatten_outputs(out, n):
    """Keras outputs (one array or a list, in the model's output order) -> (n, total) float64."""
    outs = out if isinstance(out, (list, tuple)) else [out]
    return np.concatenate([np.asarray(o, dtype=np.float64).reshape(n, -1) for o in outs], axis=1)


def dagen_accepts(dagen, model_path):
    """True when the da-gen binary evaluates this model (e.g. it reads model.json version 2)."""
    with tempfile.TemporaryDirectory() as td:
        inp = os.path.join(td, "in.json")
        with open(model_path) as f:
            m = json.load(f)
        with open(inp, "w") as f:
            json.dump({"inputs": [[0] * len(input_types(m))]}, f)
        p = subprocess.run([dagen, model_path, "--eval", inp], capture_output=True, text=True)
        return p.returncode == 0, (p.stderr.strip().splitlines() or [""])[-1]


def run_dagen(dagen, model_path, inputs_float):
    with tempfile.TemporaryDirectory() as td:
        inp = os.path.join(td, "in.json")
        with open(inp, "w") as f:
            json.dump({"inputs": [[float(v) for v in row] for row in inputs_float]}, f)
        p = subprocess.run([dagen, model_path, "--eval", inp], capture_output=True, text=True)
        if p.returncode != 0:
            raise ExportError(f"da-gen --eval failed (exit {p.returncode}): {p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ''}")
        out = json.loads(p.stdout)
        return out["outputs"]


def check_model(model: dict, model_path: str, keras_predict, n: int, seed: int = 0, dagen: str | None = None,
                log=print):
    """Returns 0 on success; raises ExportError on the first mismatch."""
    codes = random_input_codes(model, n, seed)
    xs = codes_to_float(model, codes)
    keras_out = np.asarray(keras_predict(keras_inputs(model, xs)), dtype=np.float64).reshape(len(xs), -1)
    Y, F = refsim.evaluate(model, codes)
    if Y.shape != keras_out.shape:
        raise ExportError(f"output shape mismatch: keras {keras_out.shape}, model.json {Y.shape}")
    mask = _exact_equal(keras_out, Y, F)
    if not mask.all():
        raise ExportError(_report_mismatch("keras vs model.json reference", mask, xs, keras_out, Y, F))
    log(f"check: keras == model.json reference (exact) on {len(xs)} inputs "
        f"({len(xs) * Y.shape[1]} output values)")
    if dagen:
        if os.path.isfile(dagen) and os.access(dagen, os.X_OK) and refsim.is_v2(model) and \
                not dagen_accepts(dagen, model_path)[0]:
            log(f"check: notice: {dagen} does not read this model.json version 2 "
                f"({dagen_accepts(dagen, model_path)[1]}); skipped the da-gen --eval comparison")
        elif os.path.isfile(dagen) and os.access(dagen, os.X_OK):
            got = run_dagen(dagen, model_path, xs)
            got = np.array([[float(v) for v in row] for row in got], dtype=np.float64)
            if got.shape != Y.shape:
                raise ExportError(f"da-gen --eval returned shape {got.shape}, expected {Y.shape}")
            mask = _exact_equal(got, Y, F)
            if not mask.all():
                raise ExportError(_report_mismatch("da-gen --eval vs model.json reference", mask, xs, got, Y, F))
            log(f"check: da-gen --eval == model.json reference == keras on {len(xs)} inputs")
        else:
            log(f"check: notice: da-gen binary not found at {dagen}; skipped the da-gen --eval comparison")
    return 0
