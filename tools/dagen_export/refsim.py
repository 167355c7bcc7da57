"""Independent, exact evaluator of model.json (version 1) semantics.

Written from the format spec only (it does not look at Keras): every activation
vector is held as integers X at a common scale 2**-F (value = X * 2**-F), in numpy
int64 when a bound proves it cannot overflow, otherwise in Python ints (dtype=object).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .fxp import ExportError, as_type_list, code_range, width

_I64_SAFE = 1 << 62


def _to_obj(a):
    return a.astype(object) if a.dtype != object else a


def _maxabs(a) -> int:
    if a.size == 0:
        return 0
    return int(max(abs(int(a.max())), abs(int(a.min()))))


def _shift(a, s):
    """a * 2**s for integer arrays, s may be negative (floor for right shifts)."""
    if s == 0:
        return a
    if s > 0:
        if a.dtype != object and _maxabs(a) < (_I64_SAFE >> s):
            return a << s
        return _to_obj(a) * (1 << s)
    if a.dtype != object:
        return a >> (-s)  # arithmetic shift = floor
    return a // (1 << (-s))


def _dyadic_ints(values, what):
    """Exact integer matrix and scale for a list/array of JSON numbers."""
    fr = np.vectorize(lambda v: Fraction(v), otypes=[object])(np.asarray(values, dtype=object))
    F = 0
    for v in fr.ravel():
        d = v.denominator
        if d & (d - 1):
            raise ExportError(f"{what}: {float(v)!r} is not a binary fraction")
        F = max(F, d.bit_length() - 1)
    ints = np.vectorize(lambda v: int(v * (1 << F)), otypes=[object])(fr)
    m = _maxabs(ints) if ints.size else 0
    if m < _I64_SAFE:
        ints = ints.astype(np.int64)
    return ints, F


def quantize_codes(X, F, types, rounding, overflow):
    """Quantize values X*2**-F per element to `types`; returns (codes-at-common-scale, Fo)."""
    n = X.shape[1]
    fs = [t["frac_bits"] for t in types]
    Fo = max(fs) if n else 0
    cols = []
    for j, t in enumerate(types):
        x = X[:, j]
        w = width(t)
        if w <= 0:
            cols.append(np.zeros(X.shape[0], dtype=np.int64))
            continue
        s = F - t["frac_bits"]
        if s > 0:
            if rounding == "RND":
                half = 1 << (s - 1)
                if x.dtype == object or _maxabs(x) + half >= _I64_SAFE:
                    x = _to_obj(x)
                x = _shift(x + half, -s)
            elif rounding == "TRN":
                x = _shift(x, -s)
            else:
                raise ExportError(f"unknown rounding {rounding!r}")
        elif s < 0:
            x = _shift(x, -s)
        lo, hi = code_range(t)
        if overflow == "WRAP":
            m = 1 << w
            if t["signed"]:
                x = ((_to_obj(x) + (1 << (w - 1))) % m) - (1 << (w - 1)) if x.dtype == object or w >= 62 else ((x + (1 << (w - 1))) % m) - (1 << (w - 1))
            else:
                x = (_to_obj(x) % m) if x.dtype == object or w >= 62 else x % m
        elif overflow in ("SAT", "SAT_SYM"):
            if overflow == "SAT_SYM" and t["signed"]:
                lo = -hi
            if x.dtype == object:
                x = np.array([min(max(v, lo), hi) for v in x], dtype=object)
            else:
                x = np.clip(x, lo, hi)
        else:
            raise ExportError(f"unknown overflow {overflow!r}")
        cols.append(_shift(x if x.dtype == object or _maxabs(x) < _I64_SAFE else _to_obj(x), Fo - t["frac_bits"]))
    if any(c.dtype == object for c in cols):
        cols = [_to_obj(c) for c in cols]
        out = np.stack(cols, axis=1) if cols else np.zeros((X.shape[0], 0), dtype=object)
        if out.size and _maxabs(out) < _I64_SAFE:
            out = out.astype(np.int64)
        return out, Fo
    return (np.stack(cols, axis=1) if cols else np.zeros((X.shape[0], 0), dtype=np.int64)), Fo


def dense(X, F, weights, bias, what):
    W, Fw = _dyadic_ints(weights, f"{what} weights")
    n_in, n_out = W.shape
    if X.shape[1] != n_in:
        raise ExportError(f"{what}: weights have {n_in} rows but the layer input has {X.shape[1]} elements")
    Fb = 0
    if bias is not None:
        if len(bias) != n_out:
            raise ExportError(f"{what}: bias has {len(bias)} entries, expected {n_out}")
        B, Fb = _dyadic_ints(np.asarray(bias, dtype=object).reshape(1, -1), f"{what} bias")
    Fs = max(Fw, Fb)
    W = _shift(W, Fs - Fw)
    bound = _maxabs(X) * int(np.abs(_to_obj(W)).sum(axis=0).max() if W.size else 0)
    if bias is not None:
        B = _shift(B, Fs - Fb)
        bbound = _maxabs(B) << max(F, 0)
    else:
        bbound = 0
    if X.dtype != object and W.dtype != object and bound + bbound < _I64_SAFE:
        Y = X @ W
    else:
        Y = _to_obj(X).dot(_to_obj(W))
    Fy = F + Fs
    if bias is not None:
        Bs = _shift(_to_obj(B) if Y.dtype == object else B, F) if F >= 0 else None
        if Bs is None:  # negative input scale: bring Y up instead
            Y = _shift(Y, -F)
            Fy = Fs
            Bs = B
        Y = Y + Bs
    return Y, Fy


def evaluate(model: dict, inputs_codes):
    """inputs_codes: int array (N, n) of input codes (each on its element's frac_bits).
    Returns (Y, F) with outputs = Y * 2**-F exactly."""
    n = model["input"]["size"]
    types = as_type_list(model["input"]["type"], n)
    X = np.asarray(inputs_codes)
    if X.dtype != object:
        X = X.astype(np.int64)
    F = max(t["frac_bits"] for t in types) if n else 0
    X = np.stack([_shift(X[:, j], F - t["frac_bits"]) if width(t) > 0 else np.zeros(X.shape[0], dtype=X.dtype) for j, t in enumerate(types)], axis=1)
    for k, layer in enumerate(model["layers"]):
        kind = layer["type"]
        what = f"layers[{k}] ({kind} {layer.get('name', '')})".replace(" )", ")")
        if kind == "dense":
            X, F = dense(X, F, layer["weights"], layer.get("bias"), what)
        elif kind == "relu":
            X = np.where(X > 0, X, 0) if X.dtype != object else np.array([[max(v, 0) for v in row] for row in X], dtype=object).reshape(X.shape)
        elif kind == "quantize":
            ts = as_type_list(layer["to"], X.shape[1])
            X, F = quantize_codes(X, F, ts, layer.get("rounding", "TRN"), layer.get("overflow", "WRAP"))
        else:
            raise ExportError(f"{what}: unknown layer type")
    return X, F


def to_fractions(Y, F):
    s = Fraction(2) ** -F
    return [[Fraction(int(v)) * s for v in row] for row in Y]


# ----------------------------------------------------------------------------
# Exact interval analysis (used by lowering passes and for documentation).

def analyze(model: dict, stop=None):
    """Per-element (lo, hi, frac) after each layer, as Fractions / int.
    Returns the list of states before each layer, plus the final one."""
    n = model["input"]["size"]
    types = as_type_list(model["input"]["type"], n)
    from .fxp import value_range

    state = [(*value_range(t), t["frac_bits"] if width(t) > 0 else -(10**6)) for t in types]
    states = [state]
    for k, layer in enumerate(model["layers"]):
        if stop is not None and k >= stop:
            break
        kind = layer["type"]
        if kind == "dense":
            W = layer["weights"]
            b = layer.get("bias")
            n_out = len(W[0]) if W else 0
            new = []
            for j in range(n_out):
                lo = hi = Fraction(b[j]) if b is not None else Fraction(0)
                fr = _fb(b[j]) if b is not None else -(10**6)
                for i, (xl, xh, xf) in enumerate(state):
                    w = Fraction(W[i][j])
                    if w == 0 or (xl == 0 and xh == 0):
                        continue
                    a, c = w * xl, w * xh
                    lo += min(a, c)
                    hi += max(a, c)
                    fr = max(fr, xf + _fb(W[i][j]))
                new.append((lo, hi, fr))
            state = new
        elif kind == "relu":
            state = [(max(lo, Fraction(0)), max(hi, Fraction(0)), f) for lo, hi, f in state]
        elif kind == "quantize":
            ts = as_type_list(layer["to"], len(state))
            new = []
            for (lo, hi, f), t in zip(state, ts):
                if width(t) <= 0:
                    new.append((Fraction(0), Fraction(0), -(10**6)))
                    continue
                tl, th = value_range(t)
                ov = layer.get("overflow", "WRAP")
                if ov == "WRAP":
                    nl, nh = tl, th
                else:
                    if ov == "SAT_SYM" and t["signed"]:
                        tl = -th
                    nl, nh = max(tl, min(lo, th)), min(th, max(hi, tl))
                    s = Fraction(2) ** -t["frac_bits"]
                    nl = (nl / s).__floor__() * s
                    nh = ((nh / s).__floor__() + 1) * s if layer.get("rounding", "TRN") == "RND" else (nh / s).__floor__() * s
                    nh = min(nh, th)
                new.append((nl, nh, t["frac_bits"]))
            state = new
        states.append(state)
    return states


def _fb(v):
    fr = Fraction(v)
    if fr == 0:
        return -(10**6)
    d = fr.denominator
    return d.bit_length() - 1 if d > 1 else -(((abs(fr.numerator)) & -abs(fr.numerator)).bit_length() - 1)
