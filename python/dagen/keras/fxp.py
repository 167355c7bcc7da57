"""Fixed-point type helpers and model.json (version 1) writing.

A fixed-point type is a dict {"signed": bool, "int_bits": int, "frac_bits": int};
width = signed + int_bits + frac_bits, int_bits excludes the sign bit, a width-0
element is the constant 0.  Value = integer code * 2**-frac_bits.
"""
from __future__ import annotations

import json
import math
from fractions import Fraction

MAX_FRAC_BITS = 32


class ExportError(Exception):
    """A model that cannot be exported exactly. The message is one line."""


ZERO_TYPE = {"signed": False, "int_bits": 0, "frac_bits": 0}


def make_type(signed, int_bits, frac_bits):
    signed = bool(signed)
    int_bits = int(int_bits)
    frac_bits = int(frac_bits)
    if (1 if signed else 0) + int_bits + frac_bits <= 0:
        return dict(ZERO_TYPE)
    return {"signed": signed, "int_bits": int_bits, "frac_bits": frac_bits}


def width(t):
    return (1 if t["signed"] else 0) + t["int_bits"] + t["frac_bits"]


def code_range(t):
    """(min_code, max_code) of a type; (0, 0) for width 0."""
    w = width(t)
    if w <= 0:
        return 0, 0
    if t["signed"]:
        return -(1 << (w - 1)), (1 << (w - 1)) - 1
    return 0, (1 << w) - 1


def value_range(t):
    lo, hi = code_range(t)
    s = Fraction(2) ** -t["frac_bits"]
    return lo * s, hi * s


def as_type_list(t, n):
    """Expand a single type or a per-element list to a list of n types."""
    if isinstance(t, dict):
        return [t] * n
    if len(t) != n:
        raise ExportError(f"type list has {len(t)} entries, expected {n}")
    return list(t)


def compact_types(types):
    """One dict if all elements share a type, else the list."""
    if all(t == types[0] for t in types):
        return dict(types[0])
    return [dict(t) for t in types]


def frac_bits_of(v) -> int:
    """Number of fractional bits of an exact binary fraction (float or Fraction).
    Returns a value <= 0 for integers (-(trailing zero bits)); raises if not dyadic."""
    fr = Fraction(v)
    if fr == 0:
        return -(10**9)
    den = fr.denominator
    if den & (den - 1):
        raise ValueError(f"{float(v)!r} is not a binary fraction")
    f = den.bit_length() - 1
    if f == 0:
        num = abs(fr.numerator)
        tz = (num & -num).bit_length() - 1
        return -tz
    return f


def check_dyadic(arr, what):
    """Verify every element of arr (numpy float array) is a binary fraction with at
    most MAX_FRAC_BITS fractional bits; returns the max frac bits (>= 0)."""
    import numpy as np

    a = np.asarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise ExportError(f"{what}: non-finite values")
    scaled = a * (2.0 ** MAX_FRAC_BITS)
    if not np.all(scaled == np.round(scaled)):
        bad = a.ravel()[np.argmax((scaled != np.round(scaled)).ravel())]
        raise ExportError(f"{what}: value {bad!r} is not a binary fraction with <= {MAX_FRAC_BITS} fractional bits")
    fb = 0
    for v in np.unique(a):
        if v != 0:
            fb = max(fb, frac_bits_of(float(v)))
    return fb


def _num(v) -> str:
    v = float(v)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)


def dumps_model(model: dict) -> str:
    """Deterministic, diff-friendly JSON: one layer per block, one weight row per line."""
    out = ["{"]
    out.append(f'  "version": 1,')
    out.append(f'  "name": {json.dumps(model["name"])},')
    inp = model["input"]
    out.append('  "input": {')
    out.append(f'    "size": {inp["size"]},')
    out.append(f'    "type": {json.dumps(inp["type"])}')
    out.append("  },")
    out.append('  "layers": [')
    layer_strs = []
    for layer in model["layers"]:
        if layer["type"] == "dense":
            parts = [f'    {{ "type": "dense"']
            if "name" in layer:
                parts[0] += f', "name": {json.dumps(layer["name"])}'
            parts[0] += ","
            rows = ["        [" + ", ".join(_num(v) for v in row) + "]" for row in layer["weights"]]
            parts.append('      "weights": [\n' + ",\n".join(rows) + "\n      ]" + ("," if "bias" in layer else ""))
            if "bias" in layer:
                parts.append('      "bias": [' + ", ".join(_num(v) for v in layer["bias"]) + "]")
            parts.append("    }")
            layer_strs.append("\n".join(parts))
        else:
            layer_strs.append("    " + json.dumps(layer))
    out.append(",\n".join(layer_strs))
    out.append("  ]")
    out.append("}")
    return "\n".join(out) + "\n"


def fmt_type(t) -> str:
    if width(t) == 0:
        return "zero"
    return f"{'s' if t['signed'] else 'u'}{t['int_bits']}.{t['frac_bits']}"


def summarize_types(types) -> str:
    types = types if isinstance(types, list) else [types]
    n0 = sum(1 for t in types if width(t) == 0)
    ws = [width(t) for t in types]
    s = f"{len(types)} elems, width {min(ws)}..{max(ws)} (total {sum(ws)} bits)"
    if n0:
        s += f", {n0} constant-zero"
    return s


def log2_ceil(x: int) -> int:
    return max(0, math.ceil(math.log2(x))) if x > 0 else 0
