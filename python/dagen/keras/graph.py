"""Framework-neutral builder of model.json version-2 graphs (docs/model-format.md, "Version 2").

The front ends walk a Keras functional graph and call the emitters below; this module
knows nothing about Keras beyond the callables it is handed (to compute lookup tables by
running Keras itself).  Lowerings done here, all exact:

* a quantizer on a model input whose type is not known yet *becomes* that input's type
  (on its own grid a quantizer is the identity), as in version 1;
* round-half-to-even (QKeras, HGQ2 RND_CONV), which model.json lacks:
      RNE_f(x) = RND_f(x - 2**-F + p * 2**-F),  p = floor(x * 2**f) mod 2,
  x on the grid 2**-F (F > f, from the exact interval analysis); in a graph x is simply used
  twice: p = quantize(x, u1 TRN/WRAP), then add(x, scale(p, 2**(f-F), -2**-F)), then RND;
* element-wise activations become `lookup` over the exact interval of their input, each entry
  computed by the framework on that input value.
"""
from __future__ import annotations

import json
from fractions import Fraction

import numpy as np

from . import refsim
from .fxp import ExportError, ZERO_TYPE, check_dyadic, compact_types, make_type, width

MAX_LOOKUP_BITS = refsim.MAX_LOOKUP_BITS


def lossless_type(lo: Fraction, hi: Fraction, F: int):
    """Smallest type on the 2**-F grid holding every value in [lo, hi]."""
    if lo == 0 and hi == 0:
        return dict(ZERO_TYPE)
    s = Fraction(2) ** F
    lc, hc = lo * s, hi * s
    assert lc.denominator == 1 and hc.denominator == 1, (lo, hi, F)
    lc, hc = int(lc), int(hc)
    if lc < 0:
        w = max(hc.bit_length(), (-lc - 1).bit_length()) + 1
        return make_type(True, w - 1 - F, F)
    w = max(hc.bit_length(), 1)
    return make_type(False, w - F, F)


def _numbers(a):
    """numpy array -> nested lists of Python floats/ints (exact binary fractions)."""
    return np.asarray(a, dtype=np.float64).tolist()


class GraphBuilder:
    def __init__(self, name: str, input_type=None):
        self.name = name
        self.inputs = []  # [name, shape, types | None]
        self.nodes = []
        self.shapes = {}
        self.outputs = []
        self.notes = []
        self.input_type = input_type  # --input-type: one type for every input element
        self._names = set()
        self._consumers = {}
        self.bn_scales = []  # BatchNormalization layers exported as `scale` (for error hints)

    # --- naming / bookkeeping ------------------------------------------------------------
    def fresh(self, base):
        name, k = base, 1
        while name in self._names:
            k += 1
            name = f"{base}_{k}"
        self._names.add(name)
        return name

    def add_input(self, name, shape):
        name = self.fresh(name)
        shape = [int(d) for d in shape]
        n = int(np.prod(shape)) if shape else 1
        types = [dict(self.input_type)] * n if self.input_type is not None else None
        self.inputs.append([name, shape, types])
        self.shapes[name] = shape
        return name

    def size(self, t):
        return int(np.prod(self.shapes[t])) if self.shapes[t] else 1

    def node(self, op, name, inputs, out_shape, **keys):
        name = self.fresh(name)
        nd = {"op": op, "name": name}
        if len(inputs) == 1 and op not in ("add", "sub", "max", "min", "concat"):
            nd["input"] = inputs[0]
        else:
            nd["inputs"] = list(inputs)
        nd.update(keys)
        self.nodes.append(nd)
        self.shapes[name] = [int(d) for d in out_shape]
        for i in inputs:
            self._consumers.setdefault(i, []).append(name)
        return name

    def _input_entry(self, t):
        for e in self.inputs:
            if e[0] == t:
                return e
        return None

    # --- analysis -------------------------------------------------------------------------
    def partial_model(self, outputs):
        for n, _, types in self.inputs:
            if types is None:
                raise ExportError(f"model input '{n}' has no input quantizer: pass --input-type SIGNED,INT,FRAC")
        return {"version": 2, "name": self.name,
                "inputs": [{"name": n, "shape": s, "type": compact_types(t) if t else dict(ZERO_TYPE)}
                           for n, s, t in self.inputs],
                "nodes": list(self.nodes), "outputs": list(outputs)}

    def intervals(self, t):
        """Per-element [(lo, hi, grid)] of tensor t (C order), exact."""
        m = self.partial_model([t])
        probe = "__probe"
        while probe in self._names:
            probe += "_"
        m["nodes"].append({"op": "flatten", "name": probe, "input": t})  # a graph needs a node
        st = refsim.analyze_v2(m)[t]
        return [refsim.interval_of(st, idx) for idx in np.ndindex(*self.shapes[t])]

    # --- emitters -------------------------------------------------------------------------
    def quantize(self, t, types, rounding, overflow, name):
        if rounding not in ("TRN", "RND", "RNE"):
            raise ExportError(f"quantizer '{name}': rounding mode {rounding} cannot be expressed")
        if overflow not in ("WRAP", "SAT", "SAT_SYM"):
            raise ExportError(f"quantizer '{name}': overflow mode {overflow} cannot be expressed")
        n = self.size(t)
        if len(types) != n:
            raise ExportError(f"quantizer '{name}': {len(types)} element types for {n} elements")
        types = [dict(x) for x in types]
        inp = self._input_entry(t)
        if inp is not None:
            if inp[2] is None:
                inp[2] = types
                self.notes.append(f"input '{t}' type taken from quantizer '{name}' (the identity on its own grid; "
                                  "not emitted)")
                return t
            if inp[2] == types:
                return t  # the identity on the input's own grid
        if rounding == "RNE":
            return self._rne(t, types, overflow, name)
        return self.node("quantize", name, [t], self.shapes[t], to=compact_types(types), rounding=rounding,
                         overflow=overflow)

    def _rne(self, t, types, overflow, name):
        iv = self.intervals(t)
        live = [g for lo, hi, g in iv if not (lo == 0 and hi == 0)]
        F = max(live) if live else refsim.NONE_GRID
        fs = {x["frac_bits"] for x in types if width(x) > 0}
        if not fs or F <= min(fs):
            # no element drops a bit: every rounding mode agrees
            return self.node("quantize", name, [t], self.shapes[t], to=compact_types(types), rounding="TRN",
                             overflow=overflow)
        shape = self.shapes[t]
        if len(fs) != 1:
            return self._rne_per_element(t, types, overflow, name, F)
        f = fs.pop()
        par = make_type(False, 1 - f, f)
        p = self.node("quantize", f"{name}_rne_parity", [t], shape, to=par, rounding="TRN", overflow="WRAP")
        adj = self.node("scale", f"{name}_rne_step", [p], shape, factor=2.0 ** (f - F), bias=-(2.0 ** -F))
        x2 = self.node("add", f"{name}_rne_adjust", [t, adj], shape)
        self.notes.append(f"quantizer '{name}': round-half-to-even lowered to a parity quantizer + add "
                          f"(input grid 2^-{F}, {f} fractional bits kept)")
        return self.node("quantize", name, [x2], shape, to=compact_types(types), rounding="RND", overflow=overflow)

    def _rne_per_element(self, t, types, overflow, name, F):
        """Half to even with a different f per element: the same identity per element, the parity
        scaled by a diagonal dense on the flattened tensor (linear: one CMVM with the add)."""
        shape = self.shapes[t]
        n = self.size(t)
        flat = t if len(shape) == 1 else self.reshape(t, [n], f"{name}_rne_flat")
        par, W, bias = [], np.zeros((n, n)), np.zeros(n)
        for e, ty in enumerate(types):
            f = ty["frac_bits"]
            if width(ty) > 0 and F > f:
                par.append(make_type(False, 1 - f, f))
                W[e, e] = 2.0 ** (f - F)
                bias[e] = -(2.0 ** -F)
            else:
                par.append(dict(ZERO_TYPE))
        p = self.node("quantize", f"{name}_rne_parity", [flat], [n], to=compact_types(par), rounding="TRN",
                      overflow="WRAP")
        adj = self.dense(p, W, bias, f"{name}_rne_step")
        x2 = self.node("add", f"{name}_rne_adjust", [flat, adj], [n])
        self.notes.append(f"quantizer '{name}': round-half-to-even (per-element fractional bits) lowered to a "
                          f"parity quantizer + add (input grid 2^-{F})")
        q = self.node("quantize", name if len(shape) == 1 else f"{name}_flat", [x2], [n], to=compact_types(types),
                      rounding="RND", overflow=overflow)
        return q if len(shape) == 1 else self.reshape(q, shape, name)

    def dense(self, t, W, b, name):
        W = np.asarray(W, dtype=np.float64)
        if W.ndim != 2 or W.shape[0] != self.shapes[t][-1]:
            raise ExportError(f"layer '{name}': kernel shape {W.shape} does not match its input {self.shapes[t]}")
        check_dyadic(W, f"layer '{name}' kernel")
        keys = {"weights": _numbers(W)}
        if b is not None:
            b = np.asarray(b, dtype=np.float64).reshape(-1)
            check_dyadic(b, f"layer '{name}' bias")
            if np.any(b != 0):
                keys["bias"] = _numbers(b)
        return self.node("dense", name, [t], self.shapes[t][:-1] + [W.shape[1]], **keys)

    def conv(self, t, K, b, strides, dilation, padding, name):
        K = np.asarray(K, dtype=np.float64)
        r = K.ndim - 2
        check_dyadic(K, f"layer '{name}' kernel")
        keys = {"kernel": _numbers(K)}
        if b is not None:
            b = np.asarray(b, dtype=np.float64).reshape(-1)
            check_dyadic(b, f"layer '{name}' bias")
            if np.any(b != 0):
                keys["bias"] = _numbers(b)
        strides, dilation = [int(s) for s in strides], [int(d) for d in dilation]
        if any(s != 1 for s in strides):
            keys["strides"] = strides if len(set(strides)) > 1 else strides[0]
        if any(d != 1 for d in dilation):
            keys["dilation"] = dilation if len(set(dilation)) > 1 else dilation[0]
        if padding != "valid":
            keys["padding"] = padding
        sp = self.shapes[t][:-1]
        out = [refsim.window_axis(sp[a], K.shape[a], strides[a], dilation[a], padding == "same")[0] for a in range(r)]
        if min(out) < 1:
            raise ExportError(f"layer '{name}': the kernel does not fit the input {self.shapes[t]}")
        return self.node(f"conv{r}d", name, [t], out + [K.shape[-1]], **keys)

    def pool(self, t, kind, pool, strides, padding, name):
        r = len(pool)
        sp = self.shapes[t][:-1]
        pool, strides = [int(p) for p in pool], [int(s) for s in strides]
        if kind == "avg" and padding == "same":
            if all(refsim.window_axis(sp[a], pool[a], strides[a], 1, True)[2] == 0 for a in range(r)) and all(
                    refsim.window_axis(sp[a], pool[a], strides[a], 1, True)[0] ==
                    refsim.window_axis(sp[a], pool[a], strides[a], 1, False)[0] for a in range(r)):
                padding = "valid"  # no position is padded: the same windows
            else:
                raise ExportError(f"layer '{name}': average pooling with 'same' padding averages fewer elements at "
                                  "the border, which is not exact; use 'valid' padding")
        keys = {"pool": pool if len(set(pool)) > 1 else pool[0]}
        if strides != pool:
            keys["strides"] = strides if len(set(strides)) > 1 else strides[0]
        if padding != "valid":
            keys["padding"] = padding
        out = [refsim.window_axis(sp[a], pool[a], strides[a], 1, padding == "same")[0] for a in range(r)]
        cnt = int(np.prod(pool))
        if kind == "avg" and cnt & (cnt - 1):
            raise ExportError(f"layer '{name}': an average over {cnt} elements is not an exact binary fraction "
                              "(power-of-two windows only)")
        return self.node(f"{kind}_pool{r}d", name, [t], out + [self.shapes[t][-1]], **keys)

    def global_pool(self, t, kind, name):
        if kind == "avg":
            cnt = int(np.prod(self.shapes[t][:-1]))
            if cnt & (cnt - 1):
                raise ExportError(f"layer '{name}': a global average over {cnt} elements is not an exact binary "
                                  "fraction (power-of-two counts only)")
        return self.node(f"global_{kind}_pool", name, [t], [self.shapes[t][-1]])

    def relu(self, t, name):
        return self.node("relu", name, [t], self.shapes[t])

    def merge(self, op, ts, name):
        return self.node(op, name, ts, self.shapes[ts[0]])

    def concat(self, ts, axis, name):
        if len(ts) == 1:
            return ts[0]
        shape = list(self.shapes[ts[0]])
        a = axis if axis >= 0 else axis + len(shape)
        shape[a] = sum(self.shapes[t][a] for t in ts)
        keys = {} if a == len(shape) - 1 else {"axis": a}
        return self.node("concat", name, ts, shape, **keys)

    def reshape(self, t, shape, name):
        shape = [int(d) for d in shape]
        if shape == self.shapes[t]:
            return t
        if len(shape) == 1:
            return self.node("flatten", name, [t], shape)
        return self.node("reshape", name, [t], shape, shape=shape)

    def transpose(self, t, perm, name):
        perm = [int(p) for p in perm]
        if perm == list(range(len(perm))):
            return t
        return self.node("transpose", name, [t], [self.shapes[t][p] for p in perm], perm=perm)

    def sum(self, t, axes, name):
        r = len(self.shapes[t])
        axes = sorted({a + r if a < 0 else a for a in axes})
        return self.node("sum", name, [t], [d for i, d in enumerate(self.shapes[t]) if i not in axes], axes=axes)

    def scale(self, t, factor, bias, name):
        factor = np.asarray(factor, dtype=np.float64).reshape(-1)
        bias = np.asarray(bias, dtype=np.float64).reshape(-1)
        check_dyadic(factor, f"layer '{name}' scale")
        check_dyadic(bias, f"layer '{name}' offset")
        C = self.shapes[t][-1]
        f = float(factor[0]) if np.all(factor == factor[0]) else np.broadcast_to(factor, (C,)).tolist()
        keys = {"factor": f}
        if np.any(bias != 0):
            keys["bias"] = float(bias[0]) if np.all(bias == bias[0]) else np.broadcast_to(bias, (C,)).tolist()
        return self.node("scale", name, [t], self.shapes[t], **keys)

    def argmax(self, t, name):
        return self.node("argmax", name, [t], self.shapes[t][:-1])

    def lookup(self, t, fn, out_types, name, what):
        """Element-wise y = fn(x) as `lookup` over the exact interval of t.

        fn(values) takes a float64 array (N, *shape) of input values (each row: one value in every
        element) and returns the framework's outputs of that shape; out_types: per-element output
        types or None (then each table's entries get the lossless type of their own values)."""
        iv = self.intervals(t)
        shape = self.shapes[t]
        n = len(iv)
        # the domain: every value any element can take, on the finest grid
        F = max((g for lo, hi, g in iv if not (lo == 0 and hi == 0)), default=0)
        lo = min(x[0] for x in iv)
        hi = max(x[1] for x in iv)
        dom = lossless_type(min(lo, Fraction(0)), max(hi, Fraction(0)), F)
        if width(dom) > MAX_LOOKUP_BITS:
            raise ExportError(f"{what}: its input takes {width(dom)} bits ([{float(lo)}, {float(hi)}] on the grid "
                              f"2^-{F}), more than a lookup table's {MAX_LOOKUP_BITS}; quantize its input first")
        from .fxp import code_range
        cmin, cmax = code_range(dom)
        vals = np.arange(cmin, cmax + 1, dtype=np.float64) * 2.0 ** -dom["frac_bits"] if width(dom) else np.zeros(1)
        batch = np.broadcast_to(vals.reshape((-1,) + (1,) * len(shape)), (len(vals), *shape)).astype(np.float32)
        out = np.asarray(fn(batch), dtype=np.float64).reshape(len(vals), n)
        if not np.all(np.isfinite(out)):
            raise ExportError(f"{what}: the activation is not finite on its input range")
        # elements sharing one table
        groups = {}
        for e in range(n):
            col = out[:, e]
            key = col.tobytes()
            groups.setdefault(key, []).append(e)
        tables = []
        for key, elems in groups.items():
            col = out[:, elems[0]]
            check_dyadic(col, f"{what}: table entry")
            tables.append((elems, col))
        if len(tables) == 1:
            elems, col = tables[0]
            to = out_types if out_types is not None else [self._entries_type(col)] * n
            return self.node("lookup", name, [t], shape, domain=dom, table=[_num(v) for v in col],
                             to=compact_types(to))
        # several tables: gather each group's elements (a 0/1 dense: wires), one lookup per group,
        # then concat and put the elements back in order (another 0/1 dense)
        flat = t if len(shape) == 1 else self.reshape(t, [n], f"{name}_flat")
        parts, order = [], []
        for gi, (elems, col) in enumerate(tables):
            S = np.zeros((n, len(elems)))
            for j, e in enumerate(elems):
                S[e, j] = 1.0
            sel = self.dense(flat, S, None, f"{name}_g{gi}_select")
            to = [out_types[e] for e in elems] if out_types is not None else [self._entries_type(col)] * len(elems)
            parts.append(self.node("lookup", f"{name}_g{gi}", [sel], [len(elems)], domain=dom,
                                   table=[_num(v) for v in col], to=compact_types(to)))
            order += elems
        cat = self.concat(parts, -1, f"{name}_cat")
        P = np.zeros((n, n))
        for j, e in enumerate(order):
            P[j, e] = 1.0
        back = self.dense(cat, P, None, f"{name}_order" if len(shape) == 1 else f"{name}_order_flat")
        self.notes.append(f"{what}: {len(tables)} different tables over its elements")
        if len(shape) == 1:
            return back
        return self.reshape(back, shape, name)

    @staticmethod
    def _entries_type(col):
        fr = [Fraction(float(v)) for v in col]
        lo, hi = min(fr + [Fraction(0)]), max(fr + [Fraction(0)])
        F = max([refsim._fb_frac(v) for v in fr if v != 0] or [0])
        return lossless_type(lo, hi, F)

    # --- finishing ------------------------------------------------------------------------
    def set_outputs(self, names):
        self.outputs = list(names)

    def finish(self, input_type_override=None):
        if input_type_override is not None and self.input_type is None:
            raise ExportError("internal: --input-type must be given to the graph builder up front")
        model = self.partial_model(self.outputs)
        model = _prune(model)
        g = refsim.V2Graph(model)  # every format rule
        refsim.analyze_v2(g)      # and every lookup domain
        return model


def _num(v):
    v = float(v)
    return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v


def _prune(model):
    """Drop nodes no output depends on."""
    need = set(model["outputs"])
    keep = []
    for nd in reversed(model["nodes"]):
        if nd["name"] in need:
            keep.append(nd)
            need.update(nd["inputs"] if "inputs" in nd else [nd["input"]])
    model = dict(model)
    model["nodes"] = list(reversed(keep))
    return model


# --- writing --------------------------------------------------------------------------------

def _fmt(v, indent):
    """Nested number lists: innermost lists on one line."""
    if isinstance(v, list) and v and isinstance(v[0], list):
        inner = [(" " * (indent + 2)) + _fmt(e, indent + 2) for e in v]
        return "[\n" + ",\n".join(inner) + "\n" + " " * indent + "]"
    if isinstance(v, list):
        return "[" + ", ".join(_numstr(e) for e in v) + "]"
    return _numstr(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else json.dumps(v)


def _numstr(v):
    if isinstance(v, bool):
        return json.dumps(v)
    v = float(v)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 2 ** 53:
        return str(int(v))
    return repr(v)


def dumps_model_v2(model: dict) -> str:
    out = ["{", '  "version": 2,', f'  "name": {json.dumps(model["name"])},', '  "inputs": [']
    out.append(",\n".join(f"    {json.dumps(i)}" for i in model["inputs"]))
    out.append("  ],")
    out.append(f'  "outputs": {json.dumps(model["outputs"])},')
    out.append('  "nodes": [')
    blocks = []
    for nd in model["nodes"]:
        small = {k: v for k, v in nd.items() if k not in ("weights", "kernel", "bias", "table", "factor")}
        big = [(k, nd[k]) for k in ("weights", "kernel", "bias", "factor", "table") if k in nd]
        head = json.dumps(small)
        if not big:
            blocks.append("    " + head)
            continue
        lines = ["    " + head[:-1] + ","]
        for i, (k, v) in enumerate(big):
            lines.append(f'      "{k}": ' + _fmt(v, 6) + ("," if i + 1 < len(big) else ""))
        lines.append("    }")
        blocks.append("\n".join(lines))
    out.append(",\n".join(blocks))
    out.append("  ]")
    out.append("}")
    return "\n".join(out) + "\n"
