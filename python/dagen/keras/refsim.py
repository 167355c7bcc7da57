"""Independent, exact evaluator of model.json (version 1) semantics.

Written from the format spec only (it does not look at Keras): every activation
vector is held as integers X at a common scale 2**-F (value = X * 2**-F), in numpy
int64 when a bound proves it cannot overflow, otherwise in Python ints (dtype=object).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .fxp import ExportError, as_type_list, code_range, value_range, width

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
    Returns (Y, F) with outputs = Y * 2**-F exactly.  A version-2 model: evaluate_v2."""
    if isinstance(model, V2Graph) or is_v2(model):
        return evaluate_v2(model, inputs_codes)
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


# ============================================================================
# Version 2: a graph of tensor ops (docs/model-format.md, "Version 2").
#
# A tensor's values over a batch are held as integer codes X of shape (batch, *shape) at one
# common scale 2**-F (value = X * 2**-F): numpy int64 where a bound proves no overflow, Python
# ints (dtype=object) otherwise.  Nothing is ever a float.

NONE_GRID = -(10**6)  # the grid of a constant-zero element (on every grid)

V2_OPS = ("dense", "conv1d", "conv2d", "relu", "quantize", "lookup", "scale", "add", "sub", "max", "min",
          "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "global_max_pool", "global_avg_pool",
          "sum", "concat", "reshape", "flatten", "transpose", "argmax")
_OP_KEYS = {
    "dense": {"weights", "bias"}, "conv1d": {"kernel", "bias", "strides", "dilation", "padding"},
    "conv2d": {"kernel", "bias", "strides", "dilation", "padding"}, "relu": set(),
    "quantize": {"to", "rounding", "overflow"}, "lookup": {"domain", "table", "to"}, "scale": {"factor", "bias"},
    "add": set(), "sub": set(), "max": set(), "min": set(),
    "max_pool1d": {"pool", "strides", "padding"}, "max_pool2d": {"pool", "strides", "padding"},
    "avg_pool1d": {"pool", "strides", "padding"}, "avg_pool2d": {"pool", "strides", "padding"},
    "global_max_pool": set(), "global_avg_pool": set(), "sum": {"axes"}, "concat": {"axis"},
    "reshape": {"shape"}, "flatten": set(), "transpose": {"perm"}, "argmax": set(),
}
MAX_RANK = 8
MAX_INPUT_ELEMENTS = 1 << 16
MAX_TENSOR_ELEMENTS = 1 << 18
MAX_WINDOW = 4096
MAX_LOOKUP_BITS = 16


def is_v2(model: dict) -> bool:
    return model.get("version") == 2


def _prod(shape) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


def _err(at, msg):
    raise ExportError(f"{at}: {msg}")


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _exact(v, at, max_frac=32):
    """An exact JSON number -> Fraction (binary fraction with <= max_frac fractional bits)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        _err(at, f"expected a number, got {v!r}")
    fr = Fraction(v)
    d = fr.denominator
    if d & (d - 1) or d.bit_length() - 1 > max_frac:
        _err(at, f"{v!r} is not an exact binary fraction with at most {max_frac} fractional bits")
    return fr


def _number_array(v, shape, at, max_frac=32):
    """Nested lists of the given shape -> numpy object array of Fractions."""
    flat = []

    def walk(v, k, at):
        if k == len(shape):
            flat.append(_exact(v, at, max_frac))
            return
        if not isinstance(v, list) or len(v) != shape[k]:
            got = f"{len(v)} entries" if isinstance(v, list) else repr(v)
            _err(at, f"expected a list of {shape[k]} entries (shape {list(shape)}), got {got}")
        for i, e in enumerate(v):
            walk(e, k + 1, f"{at}[{i}]")

    walk(v, 0, at)
    out = np.empty(len(flat), dtype=object)
    for i, x in enumerate(flat):
        out[i] = x
    return out.reshape(tuple(shape))


def _nested_shape(v):
    s = []
    while isinstance(v, list):
        s.append(len(v))
        if not v:
            break
        v = v[0]
    return s


def _frac_ints(fr):
    """Object array of Fractions -> (integer array at scale 2**-F, F >= 0)."""
    F = 0
    for x in fr.ravel():
        F = max(F, x.denominator.bit_length() - 1)
    ints = np.empty(fr.shape, dtype=object)
    for idx, x in np.ndenumerate(fr):
        ints[idx] = int(x * (1 << F))
    if ints.size == 0 or _maxabs(ints) < _I64_SAFE:
        ints = ints.astype(np.int64)
    return ints, F


def _fb_frac(x: Fraction) -> int:
    """Grid exponent of an exact binary fraction (NONE_GRID for 0)."""
    if x == 0:
        return NONE_GRID
    d = x.denominator
    if d > 1:
        return d.bit_length() - 1
    n = abs(x.numerator)
    return -((n & -n).bit_length() - 1)


def _check_type(t, at):
    if not isinstance(t, dict) or set(t) != {"signed", "int_bits", "frac_bits"} or not isinstance(t["signed"], bool) \
            or not _is_int(t["int_bits"]) or not _is_int(t["frac_bits"]):
        _err(at, f"expected a fixed-point type {{signed, int_bits, frac_bits}}, got {t!r}")
    if not (-512 <= t["int_bits"] <= 512 and -512 <= t["frac_bits"] <= 512):
        _err(at, "int_bits and frac_bits must be in [-512, 512]")
    w = width(t)
    if w < 0:
        _err(at, f"width {w} is negative")
    if w > 120:
        _err(at, f"width {w} exceeds the limit of 120 bits")
    return t


def _types(v, n, at):
    if isinstance(v, list):
        if len(v) != n:
            _err(at, f"has {len(v)} types for a tensor of {n} elements")
        return [_check_type(t, f"{at}[{i}]") for i, t in enumerate(v)]
    return [_check_type(v, at)] * n


def _spatial(v, r, at, default):
    if v is None:
        return list(default)
    if _is_int(v):
        v = [v] * r
    if not isinstance(v, list) or len(v) != r or not all(_is_int(e) and 1 <= e <= MAX_WINDOW for e in v):
        _err(at, f"expected an integer in [1, {MAX_WINDOW}] or a list of {r}")
    return list(v)


def window_axis(n, k, s, d, same):
    """(out, pad_before, pad_total) of one spatial axis (Keras/TF rules); out < 1: does not fit."""
    span = (k - 1) * d + 1
    if not same:
        return ((n - span) // s + 1 if n >= span else 0), 0, 0
    out = -(-n // s)
    total = max((out - 1) * s + span - n, 0)
    return out, total // 2, total


def _axis(a, rank, at):
    if not _is_int(a) or not (-rank <= a < rank):
        _err(at, f"axis {a!r} is out of range [{-rank}, {rank - 1}]" if rank else "the input has no axes")
    return a + rank if a < 0 else a


class V2Node:
    def __init__(self, at, op, name, inputs, shape, p):
        self.at, self.op, self.name, self.inputs, self.shape, self.p = at, op, name, inputs, shape, p


class V2Graph:
    """A parsed, validated version-2 model."""

    def __init__(self, model: dict):
        if not isinstance(model, dict):
            _err("(top level)", "expected an object")
        extra = set(model) - {"version", "name", "inputs", "outputs", "nodes", "comment", "metadata"}
        if extra:
            _err(sorted(extra)[0], "unknown key")
        if model.get("version") != 2:
            _err("version", "expected 2")
        self.name = model.get("name", "model")
        self.shapes = {}
        self.defined_at = {}
        ins = model.get("inputs")
        if not isinstance(ins, list) or not ins:
            _err("inputs", "expected a non-empty list of inputs")
        nodes = model.get("nodes")
        if not isinstance(nodes, list) or not nodes:
            _err("nodes", "expected a non-empty list of nodes")
        self.inputs = []
        total = 0
        for k, inp in enumerate(ins):
            at = f"inputs[{k}]"
            if not isinstance(inp, dict):
                _err(at, "expected an object")
            extra = set(inp) - {"name", "shape", "type", "comment"}
            if extra:
                _err(f"{at}.{sorted(extra)[0]}", "unknown key")
            for key in ("name", "shape", "type"):
                if key not in inp:
                    _err(at, f"missing '{key}'")
            name = self._declare(inp["name"], f"{at}.name", at)
            shape = self._shape(inp["shape"], f"{at}.shape")
            total += _prod(shape)
            if total > MAX_INPUT_ELEMENTS:
                _err(f"{at}.shape", f"the inputs have more than {MAX_INPUT_ELEMENTS} elements in all")
            types = _types(inp["type"], _prod(shape), f"{at}.type")
            self.inputs.append((name, shape, types))
            self.shapes[name] = shape
        for k, nd in enumerate(nodes):
            at = f"nodes[{k}]"
            if not isinstance(nd, dict):
                _err(at, "expected an object")
            if "name" not in nd:
                _err(at, "missing 'name'")
            self._declare(nd["name"], f"{at}.name", at, defer=True)
        self.nodes = []
        self._ready = {n for n, _, _ in self.inputs}
        for k, nd in enumerate(nodes):
            node = self._node(k, nd)
            self.nodes.append(node)
            self.shapes[node.name] = node.shape
            self._ready.add(node.name)
        outs = model.get("outputs")
        if outs is None:
            self.outputs = [self.nodes[-1].name]
        else:
            if not isinstance(outs, list) or not outs:
                _err("outputs", "expected a non-empty list of tensor names")
            self.outputs = [self._resolve(o, f"outputs[{i}]") for i, o in enumerate(outs)]
        self._analysis = None

    # --- parsing helpers ------------------------------------------------------------------
    def _declare(self, name, at, where, defer=False):
        if not isinstance(name, str) or not name:
            _err(at, "a tensor name must be a non-empty string")
        if name in self.defined_at:
            _err(at, f"duplicate name '{name}' (also {self.defined_at[name]})")
        self.defined_at[name] = where
        return name

    def _resolve(self, name, at):
        if not isinstance(name, str) or not name:
            _err(at, "expected a tensor name")
        if name in self._ready:
            return name
        if name in self.defined_at:
            _err(at, f"tensor '{name}' is used before its definition ({self.defined_at[name]})")
        _err(at, f"unknown tensor '{name}'")

    @staticmethod
    def _shape(v, at):
        if not isinstance(v, list) or not all(_is_int(d) for d in v):
            _err(at, "expected a list of dimensions")
        if len(v) > MAX_RANK:
            _err(at, f"more than {MAX_RANK} axes")
        for i, d in enumerate(v):
            if d < 1:
                _err(f"{at}[{i}]", "a dimension must be positive")
        if _prod(v) > MAX_TENSOR_ELEMENTS:
            _err(at, f"shape {v} has more than {MAX_TENSOR_ELEMENTS} elements")
        return list(v)

    def _node(self, k, nd):
        at = f"nodes[{k}]"
        op = nd.get("op")
        if op not in V2_OPS:
            _err(f"{at}.op", f"unknown op {op!r} ({', '.join(V2_OPS)})")
        extra = set(nd) - {"op", "name", "input", "inputs", "comment"} - _OP_KEYS[op]
        if extra:
            _err(f"{at}.{sorted(extra)[0]}", f"unknown key for op '{op}'")
        if ("input" in nd) == ("inputs" in nd):
            _err(at, "needs exactly one of 'input' (a tensor) and 'inputs' (a list)")
        if "input" in nd:
            ins = [self._resolve(nd["input"], f"{at}.input")]
        else:
            lst = nd["inputs"]
            if not isinstance(lst, list) or not lst:
                _err(f"{at}.inputs", "expected a non-empty list of tensor names")
            ins = [self._resolve(n, f"{at}.inputs[{i}]") for i, n in enumerate(lst)]
        shapes = [self.shapes[i] for i in ins]
        want = {"sub": (2, 2), "add": (2, None), "max": (2, None), "min": (2, None), "concat": (1, None)}.get(op, (1, 1))
        if len(ins) < want[0] or (want[1] is not None and len(ins) > want[1]):
            n = "exactly 2" if op == "sub" else (f"at least {want[0]}" if want[1] is None else "1")
            _err(at, f"'{op}' takes {n} input(s), got {len(ins)}")
        p = {}
        s0 = shapes[0]

        def rank(lo, exact=None, what=""):
            if (exact is not None and len(s0) != exact) or len(s0) < lo:
                _err(at, f"'{op}' needs {what}, got an input of shape {s0}")

        if op == "dense":
            rank(1, None, "an input with at least one axis")
            wshape = _nested_shape(nd.get("weights"))
            if "weights" not in nd:
                _err(at, "missing 'weights'")
            if len(wshape) != 2 or wshape[0] != s0[-1] or wshape[1] < 1:
                _err(f"{at}.weights", f"expected [{s0[-1]}][n_out] (the input's last axis is {s0[-1]}), got shape {wshape}")
            p["W"] = _number_array(nd["weights"], wshape, f"{at}.weights")
            p["b"] = _number_array(nd["bias"], [wshape[1]], f"{at}.bias") if "bias" in nd else None
            shape = s0[:-1] + [wshape[1]]
        elif op in ("conv1d", "conv2d"):
            r = 1 if op == "conv1d" else 2
            rank(0, r + 1, "an input [length, channels]" if r == 1 else "an input [height, width, channels]")
            if "kernel" not in nd:
                _err(at, "missing 'kernel'")
            ks = _nested_shape(nd["kernel"])
            if len(ks) != r + 2 or ks[r] != s0[-1] or min(ks) < 1:
                _err(f"{at}.kernel", f"expected shape [{'][' .join(['K'] * r)}][{s0[-1]}][Cout] (the input has {s0[-1]} channels), got {ks}")
            if max(ks[:r]) > MAX_WINDOW:
                _err(f"{at}.kernel", f"a kernel dimension exceeds {MAX_WINDOW}")
            p["K"] = _number_array(nd["kernel"], ks, f"{at}.kernel")
            cout = ks[-1]
            p["b"] = _number_array(nd["bias"], [cout], f"{at}.bias") if "bias" in nd else None
            p["k"] = ks[:r]
            p["s"] = _spatial(nd.get("strides"), r, f"{at}.strides", [1] * r)
            p["d"] = _spatial(nd.get("dilation"), r, f"{at}.dilation", [1] * r)
            p["same"] = self._padding(nd, at)
            shape = self._windows(at, s0, p) + [cout]
        elif op in ("max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d"):
            r = 1 if op.endswith("1d") else 2
            rank(0, r + 1, "an input [length, channels]" if r == 1 else "an input [height, width, channels]")
            if "pool" not in nd:
                _err(at, "missing 'pool'")
            p["k"] = _spatial(nd["pool"], r, f"{at}.pool", None)
            p["s"] = _spatial(nd.get("strides"), r, f"{at}.strides", p["k"])
            p["d"] = [1] * r
            p["same"] = self._padding(nd, at)
            if op.startswith("avg"):
                if p["same"]:
                    _err(f"{at}.padding", "average pooling is exact only with valid padding; use sum + scale")
                cnt = _prod(p["k"])
                if cnt & (cnt - 1):
                    _err(at, f"the mean of a window of {cnt} elements is not exact; average pooling needs a "
                             "power-of-two window (use sum + scale)")
            shape = self._windows(at, s0, p) + [s0[-1]]
        elif op in ("global_max_pool", "global_avg_pool"):
            rank(2, None, "an input with a spatial axis and a channel axis")
            cnt = _prod(s0[:-1])
            if op == "global_avg_pool" and cnt & (cnt - 1):
                _err(at, f"the mean of {cnt} elements is not exact; global_avg_pool needs a power-of-two count "
                         "(use sum + scale)")
            shape = [s0[-1]]
        elif op in ("relu",):
            shape = list(s0)
        elif op == "quantize":
            if "to" not in nd:
                _err(at, "missing 'to'")
            p["to"] = _types(nd["to"], _prod(s0), f"{at}.to")
            p["rounding"] = nd.get("rounding", "TRN")
            p["overflow"] = nd.get("overflow", "WRAP")
            if p["rounding"] not in ("TRN", "RND"):
                _err(f"{at}.rounding", f"unknown rounding {p['rounding']!r} (TRN or RND)")
            if p["overflow"] not in ("WRAP", "SAT", "SAT_SYM"):
                _err(f"{at}.overflow", f"unknown overflow {p['overflow']!r} (WRAP, SAT or SAT_SYM)")
            shape = list(s0)
        elif op == "lookup":
            for key in ("domain", "table", "to"):
                if key not in nd:
                    _err(at, f"missing '{key}'")
            dom = _check_type(nd["domain"], f"{at}.domain")
            w = width(dom)
            if w > MAX_LOOKUP_BITS:
                _err(f"{at}.domain", f"a domain of {w} bits is wider than the limit of {MAX_LOOKUP_BITS} bits")
            tab = nd["table"]
            if not isinstance(tab, list) or len(tab) != (1 << w):
                _err(f"{at}.table", f"expected {1 << w} entries (2^{w}, one per code of the domain), got "
                                    f"{len(tab) if isinstance(tab, list) else repr(tab)}")
            vals = [_exact(v, f"{at}.table[{i}]", 512) for i, v in enumerate(tab)]
            to = _types(nd["to"], _prod(s0), f"{at}.to")
            for t in {json_key(t): t for t in to}.values():
                lo, hi = value_range(t)
                g = Fraction(2) ** -t["frac_bits"] if width(t) else None
                for i, v in enumerate(vals):
                    ok = (v == 0) if g is None else ((v / g).denominator == 1 and lo <= v <= hi)
                    if not ok:
                        _err(f"{at}.table[{i}]", f"{v} is not representable in the output type {t}")
            p.update(domain=dom, table=vals, to=to)
            shape = list(s0)
        elif op == "scale":
            rank(1, None, "an input with at least one axis")
            C = s0[-1]
            if "factor" not in nd:
                _err(at, "missing 'factor'")
            p["factor"] = self._per_channel(nd["factor"], C, f"{at}.factor")
            p["bias"] = self._per_channel(nd.get("bias", 0), C, f"{at}.bias")
            shape = list(s0)
        elif op in ("add", "sub", "max", "min"):
            for i, s in enumerate(shapes):
                if s != s0:
                    _err(at, f"inputs must have the same shape: input 0 is {s0}, input {i} is {s}")
            shape = list(s0)
        elif op == "sum":
            axes = nd.get("axes")
            if not isinstance(axes, list) or not axes:
                _err(f"{at}.axes", "expected a non-empty list of axes")
            ax = []
            for i, a in enumerate(axes):
                a = _axis(a, len(s0), f"{at}.axes[{i}]")
                if a in ax:
                    _err(f"{at}.axes[{i}]", f"axis {a} appears twice")
                ax.append(a)
            p["axes"] = sorted(ax)
            shape = [d for i, d in enumerate(s0) if i not in ax]
        elif op == "concat":
            r0 = len(s0)
            a = _axis(nd.get("axis", -1), r0, f"{at}.axis" if "axis" in nd else at)
            for i, s in enumerate(shapes):
                if len(s) != r0 or any(s[j] != s0[j] for j in range(r0) if j != a):
                    _err(at, f"input {i} has shape {s}, which does not match input 0's {s0} on every axis but {a}")
            p["axis"] = a
            shape = list(s0)
            shape[a] = sum(s[a] for s in shapes)
        elif op == "reshape":
            v = nd.get("shape")
            n = _prod(s0)
            if not isinstance(v, list) or not all(_is_int(d) for d in v):
                _err(f"{at}.shape", "expected a list of dimensions")
            if len(v) > MAX_RANK:
                _err(f"{at}.shape", f"more than {MAX_RANK} axes")
            if any(d == 0 or d < -1 for d in v):
                _err(f"{at}.shape", "a dimension must be positive (or -1)")
            if v.count(-1) > 1:
                _err(f"{at}.shape", "only one dimension may be -1")
            known = _prod([d for d in v if d != -1])
            if (-1 in v and (known == 0 or n % known)) or (-1 not in v and known != n):
                _err(f"{at}.shape", f"cannot reshape {n} elements (shape {s0}) to {v}")
            shape = [n // known if d == -1 else d for d in v]
        elif op == "flatten":
            shape = [_prod(s0)]
        elif op == "transpose":
            perm = nd.get("perm")
            if not isinstance(perm, list) or len(perm) != len(s0) or not all(_is_int(a) for a in perm) \
                    or sorted(perm) != list(range(len(s0))):
                _err(f"{at}.perm", f"expected a permutation of the {len(s0)} axes of shape {s0}, got {perm!r}")
            p["perm"] = list(perm)
            shape = [s0[a] for a in perm]
        elif op == "argmax":
            rank(1, None, "an input with at least one axis")
            shape = s0[:-1]
        else:  # pragma: no cover
            raise AssertionError(op)
        if _prod(shape) > MAX_TENSOR_ELEMENTS:
            _err(at, f"output shape {shape} exceeds the limit of {MAX_TENSOR_ELEMENTS} elements")
        return V2Node(at, op, nd["name"], ins, shape, p)

    @staticmethod
    def _padding(nd, at):
        pad = nd.get("padding", "valid")
        if pad not in ("valid", "same"):
            _err(f"{at}.padding", f"unknown padding {pad!r} (valid or same)")
        return pad == "same"

    @staticmethod
    def _windows(at, s0, p):
        out, pb = [], []
        for a in range(len(p["k"])):
            o, b, _ = window_axis(s0[a], p["k"][a], p["s"][a], p["d"][a], p["same"])
            if o < 1:
                _err(at, f"a window of {p['k'][a]} (dilation {p['d'][a]}) does not fit axis {a} of length "
                         f"{s0[a]} with valid padding")
            out.append(o)
            pb.append(b)
        p["out"], p["pad"] = out, pb
        return out

    @staticmethod
    def _per_channel(v, C, at):
        if isinstance(v, list):
            return _number_array(v, [C], at)
        return np.array([_exact(v, at)] * C, dtype=object)

    # --- layout ---------------------------------------------------------------------------
    def input_layout(self):
        """[(tensor, index tuple, type)] in x-port order."""
        out = []
        for name, shape, types in self.inputs:
            for e, idx in enumerate(np.ndindex(*shape)):
                out.append((name, idx, types[e]))
        return out

    def output_layout(self):
        return [(name, idx) for name in self.outputs for idx in np.ndindex(*self.shapes[name])]

    def input_types(self):
        return [t for _, _, t in self.input_layout()]


def json_key(t):
    return (t["signed"], t["int_bits"], t["frac_bits"])


# --- evaluation ---------------------------------------------------------------------------

def _norm(X):
    """object -> int64 when every value fits comfortably."""
    if X.dtype == object and (X.size == 0 or _maxabs(X) < _I64_SAFE):
        return X.astype(np.int64)
    return X


def _up(X, s):
    """X * 2**s, s >= 0, exact."""
    if s == 0:
        return X
    assert s > 0
    if X.dtype != object and _maxabs(X) < (_I64_SAFE >> min(s, 62)) and s < 62:
        return X << s
    return _to_obj(X) * (1 << s)


def _align(vals):
    """[(X, F)] -> ([X at the common scale], F)."""
    F = max(f for _, f in vals)
    return [_up(X, F - f) for X, f in vals], F


def _addx(a, b, sub=False):
    if a.dtype != object and b.dtype != object and _maxabs(a) + _maxabs(b) < _I64_SAFE:
        return a - b if sub else a + b
    a, b = _to_obj(a), _to_obj(b)
    return _norm(a - b if sub else a + b)


def _matmul(X2, W):
    """(M, n) @ (n, m), exact."""
    if X2.shape[0] == 0 or W.size == 0:
        return np.zeros((X2.shape[0], W.shape[1]), dtype=np.int64)
    bound = _maxabs(X2) * int(np.abs(_to_obj(W)).sum(axis=0).max())
    if X2.dtype != object and W.dtype != object and bound < _I64_SAFE:
        return X2 @ W
    return _norm(_to_obj(X2).dot(_to_obj(W)))


def _with_bias(Y, Fy, b):
    if b is None:
        return Y, Fy
    B, Fb = _frac_ints(b)
    (Y, B), F = _align([(Y, Fy), (B, Fb)])
    return _addx(Y, B), F


def _window_index(in_sp, p):
    """Index arrays (one per spatial axis) broadcasting to (*out, *k) into the padded input."""
    r = len(p["k"])
    idx = []
    for a in range(r):
        o = np.arange(p["out"][a]) * p["s"][a]
        t = np.arange(p["k"][a]) * p["d"][a]
        ia = o[:, None] + t[None, :]  # (out_a, k_a)
        shp = [1] * (2 * r)
        shp[a], shp[r + a] = p["out"][a], p["k"][a]
        idx.append(ia.reshape(shp))
    return idx


def _padded(X, in_sp, p, fill):
    r = len(p["k"])
    pads = [(0, 0)]
    for a in range(r):
        _, pb, tot = window_axis(in_sp[a], p["k"][a], p["s"][a], p["d"][a], p["same"])
        pads.append((pb, tot - pb))
    pads.append((0, 0))
    if all(pp == (0, 0) for pp in pads):
        return X
    return np.pad(X, pads, mode="constant", constant_values=fill)


def _windows_of(X, in_sp, p, fill):
    """(B, *sp, C) -> (B, *out, *k, C): each output position's window."""
    Xp = _padded(X, in_sp, p, fill)
    idx = _window_index(in_sp, p)
    return Xp[(slice(None), *idx, slice(None))]


def _conv(X, F, shape_in, p):
    r = len(p["k"])
    Wn = _windows_of(X, shape_in, p, 0)  # (B, *out, *k, Cin)
    B = X.shape[0]
    K, Fk = _frac_ints(p["K"])
    cin, cout = K.shape[-2], K.shape[-1]
    M = _prod(p["out"])
    Y = _matmul(Wn.reshape(B * M, _prod(p["k"]) * cin), K.reshape(-1, cout))
    Y = Y.reshape((B, *p["out"], cout))
    return _with_bias(Y, F + Fk, p.get("b"))


def _dense(X, F, p):
    W, Fw = _frac_ints(p["W"])
    B = X.shape[0]
    lead = X.shape[1:-1]
    Y = _matmul(X.reshape(-1, W.shape[0]), W).reshape((B, *lead, W.shape[1]))
    return _with_bias(Y, F + Fw, p.get("b"))


def _scale(X, F, p):
    fa, Ff = _frac_ints(p["factor"])
    if X.dtype != object and fa.dtype != object and _maxabs(X) * max(_maxabs(fa), 1) < _I64_SAFE:
        Y = X * fa
    else:
        Y = _norm(_to_obj(X) * _to_obj(fa))
    return _with_bias(Y, F + Ff, p["bias"] if any(v != 0 for v in p["bias"]) else None)


def _reduce_sum(X, axes):
    n = _prod([X.shape[a] for a in axes])
    if X.dtype != object and _maxabs(X) * max(n, 1) < _I64_SAFE:
        return X.sum(axis=tuple(axes))
    return _norm(_to_obj(X).sum(axis=tuple(axes)))


def _relu(X):
    return np.where(X > 0, X, 0) if X.dtype != object else _norm(np.where(X > 0, X, 0).astype(object))


def _quantize(X, F, types, rnd, ovf):
    B = X.shape[0]
    shape = X.shape[1:]
    Y, Fo = quantize_codes(X.reshape(B, -1), F, types, rnd, ovf)
    return Y.reshape((B, *shape)), Fo


def _lookup(X, F, p, at):
    dom = p["domain"]
    Fd = dom["frac_bits"]
    lo, hi = code_range(dom)
    B = X.shape[0]
    flat = _to_obj(X.reshape(B, -1))
    if Fd >= F:
        codes = flat * (1 << (Fd - F))
    else:
        q = 1 << (F - Fd)
        if np.any(flat % q != 0):
            e = int(np.argwhere(flat % q != 0)[0][1])
            _err(at, f"element {e} has a value off the grid of the domain {dom}")
        codes = flat // q
    if width(dom) == 0:
        bad = codes != 0
    else:
        bad = (codes < lo) | (codes > hi)
    if np.any(bad):
        r, e = np.argwhere(bad)[0]
        _err(at, f"element {int(e)} is {Fraction(int(flat[r, e])) * Fraction(2) ** -F}, "
                 f"not a value of the domain {dom}")
    tab = np.array(p["table"], dtype=object)
    ti, Ft = _frac_ints(tab)
    Y = ti[(codes - lo).astype(np.int64)]
    return _norm(Y.reshape(X.shape)), Ft


def _argmax(X):
    if X.dtype == object:
        # np.argmax on objects compares with Python semantics and returns the first maximum
        out = np.zeros(X.shape[:-1], dtype=np.int64)
        for idx in np.ndindex(*X.shape[:-1]):
            row = list(X[idx])
            out[idx] = row.index(max(row))
        return out
    return np.argmax(X, axis=-1).astype(np.int64)


def _node_eval(node, vals, g):
    """vals: list of (X, F) per input tensor; returns (X, F)."""
    op, p = node.op, node.p
    X, F = vals[0]
    sh_in = g.shapes[node.inputs[0]]
    if op == "dense":
        return _dense(X, F, p)
    if op in ("conv1d", "conv2d"):
        return _conv(X, F, sh_in, p)
    if op == "relu":
        return _relu(X), F
    if op == "quantize":
        return _quantize(X, F, p["to"], p["rounding"], p["overflow"])
    if op == "lookup":
        return _lookup(X, F, p, node.at)
    if op == "scale":
        return _scale(X, F, p)
    if op in ("add", "sub"):
        xs, Fc = _align(vals)
        acc = xs[0]
        for x in xs[1:]:
            acc = _addx(acc, x, sub=(op == "sub"))
        return acc, Fc
    if op in ("max", "min"):
        xs, Fc = _align(vals)
        f = np.maximum if op == "max" else np.minimum
        acc = xs[0]
        for x in xs[1:]:
            acc = f(acc, x) if acc.dtype != object and x.dtype != object else _norm(f(_to_obj(acc), _to_obj(x)))
        return acc, Fc
    if op in ("max_pool1d", "max_pool2d"):
        fill = X.min() if X.size else 0
        Wn = _windows_of(X, sh_in, p, fill)
        r = len(p["k"])
        return Wn.max(axis=tuple(range(1 + r, 1 + 2 * r))), F
    if op in ("avg_pool1d", "avg_pool2d"):
        Wn = _windows_of(X, sh_in, p, 0)
        r = len(p["k"])
        cnt = _prod(p["k"])
        return _reduce_sum(Wn, list(range(1 + r, 1 + 2 * r))), F + (cnt.bit_length() - 1)
    if op == "global_max_pool":
        return X.max(axis=tuple(range(1, X.ndim - 1))), F
    if op == "global_avg_pool":
        cnt = _prod(sh_in[:-1])
        return _reduce_sum(X, list(range(1, X.ndim - 1))), F + (cnt.bit_length() - 1)
    if op == "sum":
        return _reduce_sum(X, [a + 1 for a in p["axes"]]), F
    if op == "concat":
        xs, Fc = _align(vals)
        if any(x.dtype == object for x in xs):
            xs = [_to_obj(x) for x in xs]
        return np.concatenate(xs, axis=p["axis"] + 1), Fc
    if op in ("reshape", "flatten"):
        return X.reshape((X.shape[0], *node.shape)), F
    if op == "transpose":
        return np.transpose(X, [0] + [a + 1 for a in p["perm"]]), F
    if op == "argmax":
        return _argmax(X), 0
    raise AssertionError(op)  # pragma: no cover


def inputs_from_codes(g: V2Graph, codes):
    """Flat port-order input codes (N, n) -> {name: (X, F)} at each tensor's common scale."""
    codes = np.asarray(codes)
    if codes.dtype != object:
        codes = codes.astype(np.int64)
    N = codes.shape[0]
    env = {}
    col = 0
    for name, shape, types in g.inputs:
        n = _prod(shape)
        part = codes[:, col:col + n]
        col += n
        live = [t["frac_bits"] for t in types if width(t) > 0]
        F = max(live) if live else 0
        cols = [(_up(part[:, j], F - t["frac_bits"]) if width(t) > 0 else np.zeros(N, dtype=np.int64)) for j, t in
                enumerate(types)]
        if any(c.dtype == object for c in cols):
            cols = [_to_obj(c) for c in cols]
        X = np.stack(cols, axis=1) if cols else np.zeros((N, 0), dtype=np.int64)
        env[name] = (_norm(X).reshape((N, *shape)), F)
    if col != codes.shape[1]:
        raise ExportError(f"expected {col} input codes per vector, got {codes.shape[1]}")
    return env


def evaluate_v2(model, inputs_codes, return_all=False):
    """Version-2 model (dict or V2Graph); inputs_codes (N, n_in) in x-port order, each code on its
    element's frac_bits.  Returns (Y, F): the outputs in y-port order = Y * 2**-F exactly."""
    g = model if isinstance(model, V2Graph) else V2Graph(model)
    env = inputs_from_codes(g, inputs_codes)
    for node in g.nodes:
        env[node.name] = _node_eval(node, [env[i] for i in node.inputs], g)
    N = np.asarray(inputs_codes).shape[0]
    outs, F = _align([env[o] for o in g.outputs])
    flat = [o.reshape(N, -1) for o in outs]
    if any(f.dtype == object for f in flat):
        flat = [_to_obj(f) for f in flat]
    Y = np.concatenate(flat, axis=1)
    if return_all:
        return Y, F, env
    return Y, F


def evaluate_fractions(model, inputs_codes):
    """Outputs as lists of Fractions, one list per input vector, in y-port order."""
    Y, F = evaluate(model, inputs_codes)
    return to_fractions(Y, F)


# --- exact interval analysis (docs/model-format.md, "Values, types and intervals") -----------
#
# A tensor's state: LH (2, *shape) integer codes at scale 2**-F (row 0 = lo, row 1 = hi) and a grid
# array G (*shape) of exponents (every value is a multiple of 2**-G; NONE_GRID = constant 0).

def _split(fr):
    pos = np.array([x if x > 0 else Fraction(0) for x in fr.ravel()], dtype=object).reshape(fr.shape)
    neg = np.array([x if x < 0 else Fraction(0) for x in fr.ravel()], dtype=object).reshape(fr.shape)
    return pos, neg


def _grid_of(fr):
    return np.array([_fb_frac(x) for x in fr.ravel()], dtype=np.int64).reshape(fr.shape)


def _lin_interval(apply, LH, F, params_pos, params_neg):
    """lo/hi of a linear map given as apply(X, F, params) -> (Y, Fy)."""
    lo, hi = LH[0:1], LH[1:2]
    a, Fa = apply(lo, F, params_pos)
    b, Fb = apply(hi, F, params_neg)
    c, Fc = apply(hi, F, params_pos)
    d, Fd = apply(lo, F, params_neg)
    (a, b, c, d), Fo = _align([(a, Fa), (b, Fb), (c, Fc), (d, Fd)])
    lo2, hi2 = _addx(a, b), _addx(c, d)
    if lo2.dtype != hi2.dtype:
        lo2, hi2 = _to_obj(lo2), _to_obj(hi2)
    return np.concatenate([lo2, hi2], axis=0), Fo


def _maxplus(G, fbW):
    """Grid of y_j = sum_i w_ij x_i: max over i with w_ij != 0 of G_i + fb(w_ij); G (M, n), fbW (n, m)."""
    out = np.full((G.shape[0], fbW.shape[1]), NONE_GRID, dtype=np.int64)
    for i in range(fbW.shape[0]):
        term = G[:, i:i + 1] + fbW[i:i + 1, :]
        ok = (G[:, i:i + 1] > NONE_GRID) & (fbW[i:i + 1, :] > NONE_GRID)
        out = np.maximum(out, np.where(ok, term, NONE_GRID))
    return out


def _bias_grid(G, b):
    if b is None:
        return G
    return np.maximum(G, _grid_of(b))


def _fix_const(LH, G):
    zero = (LH[0] == 0) & (LH[1] == 0)
    return np.where(zero, NONE_GRID, G)


def _q_interval(lo, hi, F, t, rnd, ovf):
    """Interval (codes on t's grid) of a quantizer on [lo, hi] * 2**-F."""
    if width(t) <= 0:
        return 0, 0
    s = F - t["frac_bits"]

    def r(c):
        if s > 0:
            return (c + (1 << (s - 1))) >> s if rnd == "RND" else c >> s
        return c << (-s)

    rl, rh = r(int(lo)), r(int(hi))
    cl, ch = code_range(t)
    low = -ch if ovf == "SAT_SYM" and t["signed"] else cl
    if rl >= low and rh <= ch:
        return rl, rh
    if ovf == "WRAP":
        return cl, ch
    return min(max(rl, low), ch), min(max(rh, low), ch)


def analyze_v2(model):
    """{tensor name: (LH, F, G)}: exact per-element intervals and grids; also checks every lookup's
    input against its domain (the model error of docs/model-format.md)."""
    g = model if isinstance(model, V2Graph) else V2Graph(model)
    if g._analysis is not None:
        return g._analysis
    st = {}
    for name, shape, types in g.inputs:
        live = [t["frac_bits"] for t in types if width(t) > 0]
        F = max(live) if live else 0
        lo = [code_range(t)[0] << (F - t["frac_bits"]) if width(t) else 0 for t in types]
        hi = [code_range(t)[1] << (F - t["frac_bits"]) if width(t) else 0 for t in types]
        LH = _norm(np.array([lo, hi], dtype=object)).reshape((2, *shape))
        G = np.array([t["frac_bits"] if width(t) else NONE_GRID for t in types], dtype=np.int64).reshape(shape)
        st[name] = (LH, F, _fix_const(LH, G))
    for node in g.nodes:
        st[node.name] = _node_interval(node, [st[i] for i in node.inputs], g)
    g._analysis = st
    return st


def _node_interval(node, ins, g):
    op, p = node.op, node.p
    LH, F, G = ins[0]
    sh_in = g.shapes[node.inputs[0]]
    if op == "dense":
        Wp, Wn = _split(p["W"])
        b = p.get("b")

        def ap(X, F, W):
            return _dense(X, F, {"W": W, "b": None})

        LH2, F2 = _lin_interval(ap, LH, F, Wp, Wn)
        if b is not None:
            LH2, F2 = _with_bias(LH2, F2, b)
        n_in = sh_in[-1]
        G2 = _maxplus(G.reshape(-1, n_in), _grid_of(p["W"])).reshape(node.shape)
        G2 = _bias_grid(G2, b)
    elif op in ("conv1d", "conv2d"):
        Kp, Kn = _split(p["K"])

        def ap(X, F, K):
            return _conv(X, F, sh_in, dict(p, K=K, b=None))

        LH2, F2 = _lin_interval(ap, LH, F, Kp, Kn)
        if p.get("b") is not None:
            LH2, F2 = _with_bias(LH2, F2, p["b"])
        Wg = _windows_of(G[None], sh_in, p, NONE_GRID)[0]  # (*out, *k, Cin)
        cout = p["K"].shape[-1]
        G2 = _maxplus(Wg.reshape(_prod(p["out"]), -1), _grid_of(p["K"]).reshape(-1, cout)).reshape(node.shape)
        G2 = _bias_grid(G2, p.get("b"))
    elif op == "scale":
        fp, fn = _split(p["factor"])

        def ap(X, F, fa):
            return _scale(X, F, {"factor": fa, "bias": np.zeros(len(fa), dtype=object)})

        LH2, F2 = _lin_interval(ap, LH, F, fp, fn)
        if any(v != 0 for v in p["bias"]):
            LH2, F2 = _with_bias(LH2, F2, p["bias"])
        fg = _grid_of(p["factor"])
        G2 = np.where((G > NONE_GRID) & (fg > NONE_GRID), G + fg, NONE_GRID)
        G2 = _bias_grid(G2, p["bias"])
    elif op in ("add", "sub"):
        xs, F2 = _align([(s[0], s[1]) for s in ins])
        lo, hi = xs[0][0:1], xs[0][1:2]
        for k, x in enumerate(xs[1:]):
            if op == "sub":
                lo, hi = _addx(lo, x[1:2], sub=True), _addx(hi, x[0:1], sub=True)
            else:
                lo, hi = _addx(lo, x[0:1]), _addx(hi, x[1:2])
        if lo.dtype != hi.dtype:
            lo, hi = _to_obj(lo), _to_obj(hi)
        LH2 = np.concatenate([lo, hi], axis=0)
        G2 = np.max(np.stack([s[2] for s in ins]), axis=0)
    elif op in ("relu", "max", "min", "max_pool1d", "max_pool2d", "global_max_pool", "concat", "reshape", "flatten",
                "transpose"):
        LH2, F2 = _node_eval(node, [(s[0], s[1]) for s in ins], g)
        if op == "relu":
            G2 = G
        elif op in ("max", "min"):
            G2 = np.max(np.stack([s[2] for s in ins]), axis=0)
        else:
            Gs = [(s[2][None], 0) for s in ins]
            G2 = _node_eval(node, Gs, g)[0][0]
            if op in ("max_pool1d", "max_pool2d", "global_max_pool"):
                pass  # max of the grids over the window (padding filled with a grid already present)
    elif op in ("avg_pool1d", "avg_pool2d", "global_avg_pool", "sum"):
        LH2, F2 = _node_eval(node, [(LH, F)], g)  # a sum of non-negative-coefficient terms: ends add up
        if op == "sum":
            G2 = G.max(axis=tuple(p["axes"])) if p["axes"] else G
        elif op == "global_avg_pool":
            G2 = G.max(axis=tuple(range(G.ndim - 1))) + (_prod(sh_in[:-1]).bit_length() - 1)
        else:
            Wg = _windows_of(G[None], sh_in, p, NONE_GRID)[0]
            r = len(p["k"])
            G2 = Wg.max(axis=tuple(range(r, 2 * r))) + (_prod(p["k"]).bit_length() - 1)
        G2 = np.where(G2 > NONE_GRID // 2, G2, NONE_GRID)
    elif op == "quantize":
        to = p["to"]
        Fo = max([t["frac_bits"] for t in to]) if to else 0
        flat = LH.reshape(2, -1)
        lo2, hi2 = [], []
        for e, t in enumerate(to):
            a, b = _q_interval(flat[0, e], flat[1, e], F, t, p["rounding"], p["overflow"])
            sh = Fo - t["frac_bits"] if width(t) else 0
            lo2.append(a << sh)
            hi2.append(b << sh)
        LH2, F2 = _norm(np.array([lo2, hi2], dtype=object)).reshape((2, *node.shape)), Fo
        G2 = np.array([t["frac_bits"] if width(t) else NONE_GRID for t in to], dtype=np.int64).reshape(node.shape)
    elif op == "lookup":
        LH2, F2, G2 = _lookup_interval(node, LH, F, G)
    elif op == "argmax":
        n = sh_in[-1]
        LH2 = np.zeros((2, *node.shape), dtype=np.int64)
        LH2[1] = n - 1
        F2 = 0
        G2 = np.full(node.shape, 0 if n > 1 else NONE_GRID, dtype=np.int64)
    else:  # pragma: no cover
        raise AssertionError(op)
    LH2 = _norm(LH2)
    return LH2, F2, _fix_const(LH2, np.asarray(G2, dtype=np.int64).reshape(node.shape))


def _lookup_interval(node, LH, F, G):
    p = node.p
    dom, tab, to = p["domain"], p["table"], p["to"]
    Fd = dom["frac_bits"]
    cmin, cmax = code_range(dom)
    flat = LH.reshape(2, -1)
    gflat = G.reshape(-1)
    Ft = max([t["frac_bits"] for t in to]) if to else 0
    cache = {}
    lo2, hi2, g2 = [], [], []
    for e in range(flat.shape[1]):
        lo, hi, ge = int(flat[0, e]), int(flat[1, e]), int(gflat[e])
        vlo, vhi = Fraction(lo) / Fraction(2) ** F, Fraction(hi) / Fraction(2) ** F
        const = lo == hi
        cl, ch = vlo * Fraction(2) ** Fd, vhi * Fraction(2) ** Fd
        ok = cl.denominator == 1 and ch.denominator == 1 and cmin <= cl and ch <= cmax and (const or ge <= Fd)
        if not ok:
            _err(node.at, f"element {e} takes values in [{vlo}, {vhi}] on the grid 2^-{ge}, not all of them values "
                          f"of the domain {dom}")
        step = 1 if const else 1 << (Fd - ge)
        key = (int(cl), int(ch), step)
        if key not in cache:
            vals = [tab[c - cmin] for c in range(int(cl), int(ch) + 1, step)]
            cache[key] = (min(vals), max(vals), max(_fb_frac(v) for v in vals))
        a, b, gg = cache[key]
        lo2.append(int(a * (1 << Ft)) if Ft >= 0 else int(a / (1 << -Ft)))
        hi2.append(int(b * (1 << Ft)) if Ft >= 0 else int(b / (1 << -Ft)))
        g2.append(gg)
    LH2 = _norm(np.array([lo2, hi2], dtype=object)).reshape((2, *node.shape))
    return LH2, Ft, np.array(g2, dtype=np.int64).reshape(node.shape)


def interval_of(state, idx):
    """(lo, hi, grid) of one element of an analyze_v2 state, as Fractions / int."""
    LH, F, G = state
    s = Fraction(2) ** -F
    return Fraction(int(LH[(0, *idx)])) * s, Fraction(int(LH[(1, *idx)])) * s, int(G[idx])
