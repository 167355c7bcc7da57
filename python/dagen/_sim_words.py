"""Integer codes <-> the 32-bit words of a packed port (docs/model-format.md, "Ports").

Element k of a port occupies bits [offset_k + width_k - 1 : offset_k], two's complement when
signed; a vector's port is `words` 32-bit words, least significant first (the C ABI of
sim/pysim.cpp).  Elements of at most 63 bits go through numpy, column by column; wider ones
through Python ints, vector by vector.
"""

from __future__ import annotations

import numpy as np

from ._codes import CodeError, ElementType

_NARROW = 63  # every code of such an element fits in int64
_U64 = np.uint64


def _word_pairs(words32: int) -> int:
    return (words32 + 1) // 2


def check_codes(codes, types: list[ElementType], what: str = "codes") -> np.ndarray:
    """A batch (n, elements) of integer codes, each within its element's range: int64 when every
    element is at most 63 bits wide, else an object array of Python ints.  CodeError otherwise."""
    a = codes if isinstance(codes, np.ndarray) else np.asarray(codes)
    if a.ndim == 1 and a.shape[0] == len(types):
        a = a.reshape(1, len(types))
    if a.ndim != 2 or a.shape[1] != len(types):
        raise CodeError(
            f"{what}: expected a batch of shape (n, {len(types)}), got shape {tuple(a.shape)}"
        )
    wide = any(t.width > _NARROW for t in types)
    if a.dtype.kind in "iu" and not (a.dtype.kind == "u" and a.dtype.itemsize >= 8):
        a = a.astype(np.int64, copy=False)
        low = np.array([max(t.low, -(1 << 63)) for t in types], dtype=np.int64)
        high = np.array([min(t.high, (1 << 63) - 1) for t in types], dtype=np.int64)
        outside = (a < low) | (a > high)
        if outside.any():
            v, k = np.argwhere(outside)[0]
            raise _out_of_range(what, v, k, int(a[v, k]), types[k])
        return a.astype(object) if wide else a
    if a.dtype.kind not in "uO":
        raise CodeError(f"{what}: expected integer codes, got an array of dtype {a.dtype}")
    out = np.empty(a.shape, dtype=object)
    for v in range(a.shape[0]):
        for k, t in enumerate(types):
            c = a[v, k]
            if isinstance(c, (bool, np.bool_)) or not isinstance(c, (int, np.integer)):
                raise CodeError(f"{what}[{v}, {k}] = {c!r} is not an integer code")
            c = int(c)
            if not t.low <= c <= t.high:
                raise _out_of_range(what, v, k, c, t)
            out[v, k] = c
    return out if wide else out.astype(np.int64)


def _out_of_range(what, v, k, c, t):
    return CodeError(
        f"{what}[{v}, {k}] = {c} is outside element {k}'s codes [{t.low}, {t.high}] ({t!r})"
    )


def pack(codes: np.ndarray, types: list[ElementType], offsets: list[int], words32: int):
    """The port words (n, words32) uint32 of checked codes (see check_codes)."""
    n = codes.shape[0]
    w64 = np.zeros((n, _word_pairs(words32)), dtype=_U64)
    wide = np.zeros(n, dtype=object) if any(t.width > _NARROW for t in types) else None
    for k, (t, offset) in enumerate(zip(types, offsets)):
        if t.width == 0:
            continue
        if t.width > _NARROW:
            mask = (1 << t.width) - 1
            column = codes[:, k]
            for v in range(n):
                wide[v] |= (int(column[v]) & mask) << offset
            continue
        c = np.asarray(codes[:, k], dtype=np.int64).view(_U64) & _U64((1 << t.width) - 1)
        i, s = divmod(offset, 64)
        w64[:, i] |= c << _U64(s)
        if s + t.width > 64:
            w64[:, i + 1] |= c >> _U64(64 - s)
    if wide is not None:
        size = w64.shape[1] * 8
        raw = b"".join(int(big).to_bytes(size, "little") for big in wide)
        w64 |= np.frombuffer(raw, dtype="<u8").reshape(n, w64.shape[1]).astype(_U64)
    out = np.empty((n, 2 * w64.shape[1]), dtype=np.uint32)
    out[:, 0::2] = w64 & _U64(0xFFFFFFFF)
    out[:, 1::2] = w64 >> _U64(32)
    return np.ascontiguousarray(out[:, :words32])


def unpack(words: np.ndarray, types: list[ElementType], offsets: list[int]) -> np.ndarray:
    """Codes (n, elements) of port words (n, words32) uint32, sign-extended: int64 when every
    element is at most 63 bits wide, else an object array of Python ints."""
    n, words32 = words.shape
    padded = np.zeros((n, 2 * _word_pairs(words32)), dtype=_U64)
    padded[:, :words32] = words
    w64 = padded[:, 0::2] | (padded[:, 1::2] << _U64(32))
    wide = any(t.width > _NARROW for t in types)
    out = np.empty((n, len(types)), dtype=object if wide else np.int64)
    bigs = None
    for k, (t, offset) in enumerate(zip(types, offsets)):
        if t.width == 0:
            out[:, k] = 0
            continue
        if t.width > _NARROW:
            if bigs is None:
                raw = w64.astype("<u8").tobytes()
                size = w64.shape[1] * 8
                bigs = [int.from_bytes(raw[v * size : (v + 1) * size], "little") for v in range(n)]
            mask, sign = (1 << t.width) - 1, 1 << (t.width - 1)
            for v in range(n):
                c = (bigs[v] >> offset) & mask
                out[v, k] = c - (sign << 1) if t.signed and c & sign else c
            continue
        i, s = divmod(offset, 64)
        c = w64[:, i] >> _U64(s)
        if s + t.width > 64:
            c |= w64[:, i + 1] << _U64(64 - s)
        up = _U64(64 - t.width)  # sign or zero extension from bit width - 1
        c = (c << up).view(np.int64) >> np.int64(up) if t.signed else (c << up) >> up
        column = c.astype(np.int64)
        out[:, k] = column.astype(object) if wide else column
    return out
