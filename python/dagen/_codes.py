"""Real values <-> integer codes of fixed-point elements (docs/model-format.md, "Fixed-point types").

A fixed-point element has a width w, a signedness and F fractional bits: the value of a code c
is c * 2**-F, c read as two's complement when signed.  A batch is a 2-D array (vectors, elements).

Codes travel as int64 arrays when every element is at most 63 bits wide (the fast path), else as
object arrays of Python ints (elements up to 120 bits wide).  Values are float64 where every
element is exact in a double (at most 53 bits), else the caller gets the codes (see decode()).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

__all__ = ["ElementType", "element_types", "encode", "decode", "CodeError"]

# Rounding modes of the caller's `quantize=`; the model format's quantize op spells them the same.
_ROUNDINGS = ("TRN", "RND")
_OVERFLOWS = ("WRAP", "SAT")
_INT64_MAX_WIDTH = 63  # every code of a <= 63-bit element fits in int64
_FLOAT_EXACT_WIDTH = 53  # every value of a <= 53-bit element is exact in float64


class CodeError(ValueError):
    """A value that is not a code of its element type (the message names the element)."""


class ElementType:
    """One element's fixed-point type: width, signedness, fractional bits."""

    __slots__ = ("width", "signed", "frac_bits")

    def __init__(self, width: int, signed: bool, frac_bits: int):
        if width < 0:
            raise ValueError(f"negative width {width}")
        self.width, self.signed, self.frac_bits = int(width), bool(signed), int(frac_bits)

    @property
    def low(self) -> int:
        return -(1 << (self.width - 1)) if self.signed and self.width > 0 else 0

    @property
    def high(self) -> int:
        if self.width == 0:
            return 0
        return (1 << (self.width - 1)) - 1 if self.signed else (1 << self.width) - 1

    def __repr__(self) -> str:
        kind = "fixed" if self.signed else "ufixed"
        return f"{kind}<{self.width},{self.width - self.frac_bits - int(self.signed)}>"


def element_types(types: Sequence[Mapping | ElementType]) -> list[ElementType]:
    """Element types from the report's port lists ({width, signed, frac_bits}) or model.json
    types ({signed, int_bits, frac_bits})."""
    out = []
    for t in types:
        if isinstance(t, ElementType):
            out.append(t)
        elif "width" in t:
            out.append(ElementType(t["width"], t["signed"], t["frac_bits"]))
        else:
            width = int(bool(t["signed"])) + t["int_bits"] + t["frac_bits"]
            out.append(ElementType(width, t["signed"], t["frac_bits"]))
    return out


def _as_batch(x, n_elements: int, what: str) -> np.ndarray:
    a = np.asarray(x) if not isinstance(x, np.ndarray) else x
    if a.ndim == 1 and a.shape[0] == n_elements:
        a = a.reshape(1, n_elements)
    if a.ndim != 2 or a.shape[1] != n_elements:
        raise CodeError(
            f"{what}: expected a batch of shape (n, {n_elements}), got shape {tuple(a.shape)}"
        )
    if a.dtype.kind not in "biufO":
        raise CodeError(f"{what}: expected numbers, got an array of dtype {a.dtype}")
    return a


def _check_modes(quantize, overflow):
    if quantize is not None and quantize not in _ROUNDINGS:
        raise ValueError(f"quantize must be None, 'TRN' or 'RND', not {quantize!r}")
    if overflow is not None and overflow not in _OVERFLOWS:
        raise ValueError(f"overflow must be None, 'WRAP' or 'SAT', not {overflow!r}")


def _not_exact(what, v, e, k, t):
    return CodeError(
        f"{what}[{v}, {k}] = {e!r} is not exactly representable in element {k} ({t!r}, "
        f"LSB 2**{-t.frac_bits}); pass quantize='TRN' or 'RND' to round it"
    )


def _out_of_range(what, v, e, k, t):
    lo = Fraction(t.low) / (Fraction(2) ** t.frac_bits)
    hi = Fraction(t.high) / (Fraction(2) ** t.frac_bits)
    return CodeError(
        f"{what}[{v}, {k}] = {e!r} is outside element {k}'s range [{float(lo):g}, {float(hi):g}] "
        f"({t!r}); pass overflow='WRAP' or 'SAT'"
    )


def _wrap(code: int, t: ElementType) -> int:
    if t.width == 0:
        return 0
    code &= (1 << t.width) - 1
    return code - (1 << t.width) if t.signed and code >> (t.width - 1) else code


def _encode_exact_python(a, types, quantize, overflow, what) -> np.ndarray:
    """Element by element with exact rationals: any width, any value type (int, float, Fraction)."""
    out = np.empty(a.shape, dtype=object)
    for v in range(a.shape[0]):
        for k, t in enumerate(types):
            e = a[v, k]
            try:
                q = Fraction(e) * (Fraction(2) ** t.frac_bits)
            except (TypeError, ValueError, OverflowError):
                raise CodeError(f"{what}[{v}, {k}] = {e!r} is not a finite number") from None
            if q.denominator != 1:
                if quantize is None:
                    raise _not_exact(what, v, e, k, t)
                q = math.floor(q + Fraction(1, 2)) if quantize == "RND" else math.floor(q)
            code = int(q)
            if not t.low <= code <= t.high:
                if overflow is None:
                    raise _out_of_range(what, v, e, k, t)
                code = _wrap(code, t) if overflow == "WRAP" else min(max(code, t.low), t.high)
            out[v, k] = code
    return out


def _encode_fast(a, types, quantize, overflow, what):
    """float64 arithmetic, exact: scaling by a power of two is exact, and every bound compared
    is a power of two or a small integer.  None when some element needs the exact path."""
    if a.dtype.kind == "O":
        return None
    if a.dtype.kind in "iu" and a.size and np.abs(a.astype(np.float64)).max() >= 2.0**53:
        return None  # integers a double would round
    c = a.astype(np.float64) * np.array([2.0**t.frac_bits for t in types])
    if not np.isfinite(c).all():
        bad = np.argwhere(~np.isfinite(c))[0]
        e = a[bad[0], bad[1]]
        if not np.isfinite(e):
            raise CodeError(f"{what}[{bad[0]}, {bad[1]}] = {e!r} is not a finite number")
        return None  # overflowed the scaling: the exact path reports it
    f = np.floor(c)
    if quantize == "RND":  # floor(c + 0.5) would round c + 0.5 itself when |c| >= 2**52
        f = f + (c - f >= 0.5)  # c - floor(c) is exact
    if quantize is None and not (f == c).all():
        v, k = np.argwhere(f != c)[0]
        raise _not_exact(what, v, a[v, k], k, types[k])
    low = np.array([float(t.low) for t in types])
    above = np.array([float(t.high) + 1.0 for t in types])  # a power of two: exact
    outside = (f < low) | (f >= above)
    if outside.any():
        if overflow is None:
            v, k = np.argwhere(outside)[0]
            raise _out_of_range(what, v, a[v, k], k, types[k])
        if overflow == "SAT":  # in integers: above - 1 is not a double beyond 53 bits
            codes = np.where(outside, 0.0, f).astype(np.int64)
            high = np.broadcast_to(np.array([t.high for t in types], dtype=np.int64), f.shape)
            codes[f >= above] = high[f >= above]
            return np.where(f < low, low.astype(np.int64), codes)
        if (np.abs(f) >= 2.0**62).any():
            return None  # wrapping such codes: exactly, in Python ints
        else:
            width = np.array([t.width for t in types], dtype=np.int64)
            codes = f.astype(np.int64) & ((np.int64(1) << width) - 1)
            signed = np.array([t.signed and t.width > 0 for t in types])
            top = np.where(signed, np.int64(1) << np.maximum(width - 1, 0), 0)
            return np.where(signed & (codes >= top), codes - (top << 1), codes)
    return f.astype(np.int64)


def encode(x, types, *, quantize=None, overflow=None, what="x") -> np.ndarray:
    """Codes of a batch of real values x (shape (n, elements) or one vector (elements,)).

    Every value must be exactly a code's value unless `quantize` is 'TRN' (floor) or 'RND'
    (floor(v + half an LSB)), and within its type's range unless `overflow` is 'WRAP' or 'SAT';
    otherwise CodeError names the first offending element.  Returns int64 codes when every
    element is at most 63 bits wide, else an object array of Python ints."""
    _check_modes(quantize, overflow)
    types = element_types(types)
    a = _as_batch(x, len(types), what)
    wide = any(t.width > _INT64_MAX_WIDTH for t in types)
    if not wide:
        codes = _encode_fast(a, types, quantize, overflow, what)
        if codes is not None:
            return codes
    codes = _encode_exact_python(a, types, quantize, overflow, what)
    return codes if wide else codes.astype(np.int64)


def decode(codes, types) -> tuple[np.ndarray, bool]:
    """(values, True) as float64 when every element is exact in a double (<= 53 bits wide),
    else (codes, False): the integer codes as given, value = code * 2**-frac_bits."""
    types = element_types(types)
    c = _as_batch(codes, len(types), "codes")
    if any(t.width > _FLOAT_EXACT_WIDTH for t in types):
        return c, False
    scale = np.array([2.0 ** -t.frac_bits for t in types])
    return c.astype(np.float64) * scale, True
