#!/usr/bin/env python3
"""Formal equivalence of a da-gen design with a multiply-accumulate description.

    tools/formal_equiv.py MODEL.json [--da-gen PATH] [--yosys PATH] [--keep DIR] [--timeout S]
                          [--mutate [KIND] --expect-disproved] [--values-only] [-- DA-GEN FLAGS...]

Runs da-gen on MODEL.json at --pipeline 0 (combinational), writes a
straightforward reference of the same model in Verilog -- every dense layer a
sum of `x * w` products plus bias on an exact grid, ReLU as a compare, every
quantizer with explicit rounding (TRN/RND) and overflow (WRAP/SAT/SAT_SYM)
logic -- and a miter that compares every output element of both *as exact
values* (da-gen chooses its own output formats, read from its JSON report).
Yosys (`sat -prove trigger 0`) then proves the miter's trigger is 0 for all
inputs.  Prints PROVED, or the counterexample; exit 0 when proved, 1 when
disproved, 2 on usage errors (or a model outside the spec), 3 when the SAT proof
timed out, 4 when a tool fails.

Version 2 models (a graph of tensors, docs/model-format.md "Version 2") get a
reference of the same kind, op by op from the spec: dense on the last axis and
conv1d/conv2d as sums of `x * w` over each window (Keras `same`/`valid`
geometry, strides, dilation, padded taps as zeros), scale/add/sub/sum as sums,
avg pools as a window's sum with the binary point moved by log2(count), relu and
quantize as above, max/min/max pools as a left fold of compare-and-mux (padded
positions left out), argmax as a scan that moves only on a strictly greater value
(the first maximum), lookup as a case table over every code of the domain (the
input's exact interval must lie in the domain, on its grid), and concat /
reshape / flatten / transpose as wiring.  Intervals follow the spec's rules.
The ports are checked against the spec's packing too: every input and output
element in order (tensor, index, offset; input types; the types the spec fixes
for quantize, lookup and argmax outputs).  An output whose format differs from
the spec's type is a failure (exit 1) even when the values are proved equal,
unless --values-only.

--mutate KIND is the checker's negative control: a deliberately wrong design
(output: y bit 0 flipped; ge: every >= of the design made >; mux: the first mux
of the design with its data inputs swapped) or reference (ties: argmax takes the
last maximum; pad: 'same' windows put the odd padding position before), which
with --expect-disproved must be disproved (exit 0).

The reference is written from model.json alone (never from da-gen's graph);
widths come from exact interval arithmetic in Python (fractions), and all
arithmetic is exact modulo 2^W with W large enough for the final value.
"""
import argparse
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Val:
    """An element of the reference datapath: a signed wire of `width` bits whose
    code (an integer in [lo, hi]) times 2^-frac is the value."""

    def __init__(self, name, width, frac, lo, hi):
        self.name, self.width, self.frac, self.lo, self.hi = name, width, frac, lo, hi


def bits_signed(lo, hi):
    """Least width of a signed two's-complement container for [lo, hi] (>= 1)."""
    w = 1
    while not (-(1 << (w - 1)) <= lo and hi <= (1 << (w - 1)) - 1):
        w += 1
    return w


def lit(value, width):
    """A signed Verilog literal of at least `width` bits, one more than the value
    needs (so that sign extension of the unnegated magnitude is always right)."""
    width = max(width, bits_signed(value, value) + 1)
    if value < 0:
        return "(-%d'sd%d)" % (width, -value)
    return "%d'sd%d" % (width, value)


def exact(x):
    """A JSON number as an exact Fraction (JSON doubles are exact binary fractions)."""
    if isinstance(x, bool):
        raise ValueError("boolean where a number is expected")
    return Fraction(x)


def frac_of(q):
    """Least f >= 0 with q * 2^f an integer (q a dyadic Fraction)."""
    f = 0
    while (q * (1 << f)).denominator != 1:
        f += 1
    return f


def type_tuple(t):
    return bool(t["signed"]), int(t["int_bits"]), int(t["frac_bits"])


def type_range(t):
    s, i, f = t
    w = (1 if s else 0) + i + f
    if w <= 0:
        return 0, 0, 0
    if s:
        return w, -(1 << (w - 1)), (1 << (w - 1)) - 1
    return w, 0, (1 << w) - 1


class Writer:
    def __init__(self):
        self.lines = []
        self.count = 0

    def wire(self, width, expr, prefix="t"):
        self.count += 1
        name = "%s%d" % (prefix, self.count)
        self.lines.append("  wire signed [%d:0] %s = %s;" % (width - 1, name, expr))
        return name


def const_val(w, value_frac, code):
    """A constant element."""
    width = bits_signed(code, code)
    return Val(lit(code, width), width, value_frac, code, code)


def input_val(w, t, offset, prefix):
    """(Val of an input element of fixed-point type t read from x at offset, its width in x)."""
    tt = type_tuple(t)
    width, lo, hi = type_range(tt)
    if width == 0:
        return Val("1'sd0", 1, tt[2], 0, 0), 0
    bits = "x[%d +: %d]" % (offset, width)
    expr = "$signed(%s)" % bits if tt[0] else "$signed({1'b0, %s})" % bits
    cw = width if tt[0] else width + 1
    return Val(w.wire(cw, expr, prefix), cw, tt[2], lo, hi), width


def linear_val(w, terms, bias, prefix):
    """bias + sum of c * v over terms [(Val, Fraction c)], exactly: one wire of `v * c`
    products on the finest grid of the terms (the constant 0 when nothing is left)."""
    terms = [(v, wt) for v, wt in terms if wt != 0 and not (v.lo == 0 and v.hi == 0)]
    f = frac_of(bias) if bias != 0 else None
    for v, wt in terms:
        g = v.frac + frac_of(wt)
        f = g if f is None else max(f, g)
    if f is None:  # the constant 0
        return Val("1'sd0", 1, 0, 0, 0)
    # Exact interval of the code on grid 2^-f.
    b = int(bias * (Fraction(2) ** f))
    lo = hi = b
    parts = []
    for v, wt in terms:
        c = int(wt * (Fraction(2) ** (f - v.frac)))  # integer: w * 2^(f - frac_x)
        lo += min(c * v.lo, c * v.hi)
        hi += max(c * v.lo, c * v.hi)
        parts.append((v, c))
    width = bits_signed(min(lo, b), max(hi, b)) + 1
    for v, c in parts:
        width = max(width, v.width + bits_signed(c, c) + 1)
    expr = " + ".join(["%s * %s" % (v.name, lit(c, bits_signed(c, c) + 1)) for v, c in parts] +
                      [lit(b, bits_signed(b, b))])
    return Val(w.wire(width, expr, prefix), width, f, lo, hi)


def relu_val(w, v, prefix):
    if v.lo >= 0:
        return v
    name = w.wire(v.width, "%s < 0 ? %s : %s" % (v.name, lit(0, v.width), v.name), prefix)
    return Val(name, v.width, v.frac, max(v.lo, 0), max(v.hi, 0))


def quantize_val(w, v, t, rounding, overflow, p, tight=False):
    """v quantized to type t: explicit rounding (TRN/RND) and overflow (WRAP/SAT/SAT_SYM).
    tight: the version-2 interval rule (rounded and saturated ends; under WRAP the
    rounded ends when they lie in the type's range) instead of the type's range."""
    tt = type_tuple(t)
    qw, qlo, qhi = type_range(tt)
    if qw == 0:
        return Val("1'sd0", 1, tt[2], 0, 0)
    d = v.frac - tt[2]
    # Rounded code on the target grid (exact, before overflow).
    if d > 0:
        cw = max(v.width, d + 1, qw + 1) + 2
        src = w.wire(cw, v.name, p + "ext")
        if rounding == "RND":
            src = w.wire(cw, "%s + %s" % (src, lit(1 << (d - 1), cw)), p + "half")
        r = w.wire(cw, "%s >>> %d" % (src, d), p + "rnd")
        rlo = (v.lo + ((1 << (d - 1)) if rounding == "RND" else 0)) >> d
        rhi = (v.hi + ((1 << (d - 1)) if rounding == "RND" else 0)) >> d
    else:
        cw = max(v.width - d, qw) + 2
        r = w.wire(cw, "%s <<< %d" % (w.wire(cw, v.name, p + "ext"), -d), p + "up")
        rlo, rhi = v.lo << -d, v.hi << -d
    ow = qw + 1  # signed container of the quantized code
    if overflow == "WRAP":
        bits = "%s[%d:0]" % (r, qw - 1)
        expr = "$signed(%s)" % bits if tt[0] else "$signed({1'b0, %s})" % bits
        name = w.wire(ow, expr, p + "wrap")
        if tight and qlo <= rlo and rhi <= qhi:
            qlo, qhi = rlo, rhi
    else:
        low = -qhi if (overflow == "SAT_SYM" and tt[0]) else qlo
        cmpw = max(cw, ow) + 1
        rr = w.wire(cmpw, r, p + "cmp")
        expr = "%s > %s ? %s : %s < %s ? %s : %s" % (
            rr, lit(qhi, cmpw), lit(qhi, cmpw), rr, lit(low, cmpw), lit(low, cmpw), rr)
        sat = w.wire(cmpw, expr, p + "sat")
        name = w.wire(ow, "%s[%d:0]" % (sat, ow - 1), p + "q")
        if tight:
            qlo, qhi = min(max(rlo, low), qhi), min(max(rhi, low), qhi)
        else:
            qlo, qhi = low, qhi
    return Val(name, ow, tt[2], qlo, qhi)


def reference_verilog(model):
    """Version 1: (verilog lines of the reference datapath, list of output Vals, x width)."""
    inp = model["input"]
    n = int(inp["size"])
    types = inp["type"] if isinstance(inp["type"], list) else [inp["type"]] * n
    w = Writer()
    values = []
    offset = 0
    for i, t in enumerate(types):
        v, width = input_val(w, t, offset, "x%d_" % i)
        values.append(v)
        offset += width
    x_width = max(offset, 1)

    for k, layer in enumerate(model["layers"]):
        kind = layer["type"]
        if kind == "dense":
            weights = [[exact(v) for v in row] for row in layer["weights"]]
            n_out = len(weights[0])
            bias = [exact(v) for v in layer.get("bias", [0] * n_out)]
            values = [linear_val(w, [(values[i], weights[i][j]) for i in range(len(values))], bias[j],
                                 "d%d_%d_" % (k, j)) for j in range(n_out)]
        elif kind == "relu":
            values = [relu_val(w, v, "r%d_%d_" % (k, j)) for j, v in enumerate(values)]
        elif kind == "quantize":
            to = layer["to"] if isinstance(layer["to"], list) else [layer["to"]] * len(values)
            rounding = layer.get("rounding", "TRN")
            overflow = layer.get("overflow", "WRAP")
            values = [quantize_val(w, v, t, rounding, overflow, "q%d_%d_" % (k, j))
                      for j, (v, t) in enumerate(zip(values, to))]
        else:
            raise ValueError("layers[%d]: unknown layer type %r" % (k, kind))
    return w.lines, values, x_width


# ---------------------------------------------------------------------------
# Version 2: a graph of tensors (docs/model-format.md "Version 2", issue 17).
# Every tensor is a list of Vals in C order plus, per element, the type the
# spec fixes for it (quantize / lookup `to`, argmax's unsigned index) or None
# (the exact type, da-gen's choice).  Written from the spec alone.


class ModelError(ValueError):
    """The model is outside what the spec accepts (or what this reference handles)."""


def prod(xs):
    n = 1
    for x in xs:
        n *= x
    return n


def multi_index(shape, e):
    idx = []
    for n in reversed(shape):
        idx.append(e % n)
        e //= n
    return tuple(reversed(idx))


def flat_index(shape, idx):
    e = 0
    for n, i in zip(shape, idx):
        e = e * n + i
    return e


def per_axis(node, key, rank, default, at):
    v = node.get(key, default)
    if isinstance(v, list):
        if len(v) != rank:
            raise ModelError("%s.%s: expected %d entries" % (at, key, rank))
        return [int(a) for a in v]
    return [int(v)] * rank


def axis_of(a, rank, at):
    a = int(a)
    if not -rank <= a < rank:
        raise ModelError("%s: axis %d out of range for rank %d" % (at, a, rank))
    return a + rank if a < 0 else a


def window_geometry(n, k, s, d, same, at, mutate_pad=False):
    """Keras/TF window on one axis: (out, pad_before).  mutate_pad: the wrong split of
    an odd total padding (more before than after), for the negative control."""
    span = (k - 1) * d + 1
    if not same:
        if n < span:
            raise ModelError("%s: a window of %d positions does not fit an axis of %d" % (at, span, n))
        return (n - span) // s + 1, 0
    out = -(-n // s)
    total = max((out - 1) * s + span - n, 0)
    return out, (total - total // 2 if mutate_pad else total // 2)


def windows(in_shape, size, strides, dilation, pads, outs):
    """Per output position (spatial multi-index): [(tap, input spatial index or None)]."""
    r = len(size)
    for pos in itertools.product(*[range(o) for o in outs]):
        taps = []
        for tap in itertools.product(*[range(k) for k in size]):
            p = tuple(pos[a] * strides[a] + tap[a] * dilation[a] - pads[a] for a in range(r))
            taps.append((tap, p if all(0 <= p[a] < in_shape[a] for a in range(r)) else None))
        yield pos, taps


def nested(value, idx):
    for i in idx:
        value = value[i]
    return value


def nested_shape(value, depth, at):
    shape = []
    level = value
    for _ in range(depth):
        if not isinstance(level, list) or not level:
            raise ModelError("%s: expected a nested list of depth %d" % (at, depth))
        shape.append(len(level))
        level = level[0]
    return shape


def align(w, v, frac, width, prefix):
    """v's code on the finer grid 2^-frac, in a signed wire of `width` bits."""
    return w.wire(width, "%s <<< %d" % (v.name, frac - v.frac) if frac > v.frac else v.name, prefix)


def common_grid(vals):
    f = max(v.frac for v in vals)
    width = max(v.width + f - v.frac for v in vals) + 1
    return f, width


class RefV2:
    def __init__(self, model, mutate=None):
        self.model, self.mutate = model, mutate
        self.w = Writer()
        self.tensors = {}  # name -> (shape, [Val], [declared type or None])
        self.mutated = False

    # -- element-wise building blocks -------------------------------------------------
    def extremum(self, vals, maximum, p):
        """max / min of vals: a left fold of compare-and-mux (`>` keeps the first)."""
        if len(vals) == 1:
            return vals[0]
        f, width = common_grid(vals)
        acc = align(self.w, vals[0], f, width, p + "a0_")
        for i, v in enumerate(vals[1:], 1):
            x = align(self.w, v, f, width, p + "a%d_" % i)
            acc = self.w.wire(width, "%s %s %s ? %s : %s" % (x, ">" if maximum else "<", acc, x, acc),
                              p + "m%d_" % i)
        pick = max if maximum else min
        return Val(acc, width, f, pick(v.lo << (f - v.frac) for v in vals),
                   pick(v.hi << (f - v.frac) for v in vals))

    def argmax(self, vals, p):
        """Index of the first maximum: a scan that moves only on a strictly greater value
        (the mutation 'ties' moves on >=, i.e. takes the last maximum)."""
        n = len(vals)
        iw = bits_signed(0, n - 1) if n > 1 else 1
        if n == 1:
            return Val("1'sd0", 1, 0, 0, 0)
        f, width = common_grid(vals)
        best = align(self.w, vals[0], f, width, p + "a0_")
        idx = lit(0, iw)
        op = ">"
        if self.mutate == "ties":
            op, self.mutated = ">=", True
        for i, v in enumerate(vals[1:], 1):
            x = align(self.w, v, f, width, p + "a%d_" % i)
            gt = self.w.wire(2, "{1'b0, %s %s %s}" % (x, op, best), p + "gt%d_" % i)
            best = self.w.wire(width, "%s[0] ? %s : %s" % (gt, x, best), p + "b%d_" % i)
            idx = self.w.wire(iw, "%s[0] ? %s : %s" % (gt, lit(i, iw), idx), p + "i%d_" % i)
        return Val(idx, iw, 0, 0, n - 1)

    def lookup(self, v, domain, table, to, at, e, p):
        """table[code_domain(v) - min code]: a case over every code of the domain."""
        dt = type_tuple(domain)
        dw, dlo, dhi = type_range(dt)
        df = dt[2]
        tt = type_tuple(to)
        ow_, olo, ohi = type_range(tt)
        codes = []
        for i, q in enumerate(table):
            c = q * (Fraction(2) ** tt[2])
            if c.denominator != 1 or not (olo <= c <= ohi) or (ow_ == 0 and c != 0):
                raise ModelError("%s.table[%d]: %s is not representable in the output type" % (at, i, q))
            codes.append(int(c))

        def domain_code(code, frac):  # the domain code of the value code * 2^-frac, or None
            c = Fraction(code) * (Fraction(2) ** (df - frac))
            return int(c) if c.denominator == 1 and dlo <= c <= dhi else None

        if v.lo == v.hi:  # a constant input: a constant output
            c = domain_code(v.lo, v.frac)
            if c is None:
                raise ModelError("%s: element %d is the constant %s, not a value of the domain"
                                 % (at, e, Fraction(v.lo) / (Fraction(2) ** v.frac)))
            out = codes[c - dlo]
            return Val("1'sd0", 1, tt[2], 0, 0) if out == 0 else const_val(self.w, tt[2], out)
        lo_c, hi_c = domain_code(v.lo, v.frac), domain_code(v.hi, v.frac)
        if v.frac > df or lo_c is None or hi_c is None:
            raise ModelError("%s: element %d takes values in [%s, %s] on the grid 2^%d, not all of "
                             "them values of the domain" % (at, e, Fraction(v.lo) / (Fraction(2) ** v.frac),
                                                            Fraction(v.hi) / (Fraction(2) ** v.frac), -v.frac))
        step = 1 << (df - v.frac)
        reach = [codes[c - dlo] for c in range(lo_c, hi_c + 1, step)]
        cw = max(v.width + df - v.frac, dw) + 1
        dc = align(self.w, v, df, cw, p + "dc")
        ow = max(bits_signed(min(codes), max(codes)), 1)
        self.w.count += 1
        name = "%slk%d" % (p, self.w.count)
        self.w.lines.append("  reg signed [%d:0] %s;" % (ow - 1, name))
        self.w.lines.append("  always @* begin")
        self.w.lines.append("    %s = %s;" % (name, lit(0, ow)))
        self.w.lines.append("    case (%s[%d:0])" % (dc, dw - 1))
        for c in range(dlo, dhi + 1):
            self.w.lines.append("      %d'd%d: %s = %s;" % (dw, c % (1 << dw), name, lit(codes[c - dlo], ow)))
        self.w.lines.append("    endcase")
        self.w.lines.append("  end")
        return Val(name, ow, tt[2], min(reach), max(reach))

    # -- ops -------------------------------------------------------------------------
    def op(self, k, node):
        at = "nodes[%d]" % k
        op = node["op"]
        names = node["inputs"] if "inputs" in node else [node["input"]]
        ins = []
        for nm in names:
            if nm not in self.tensors:
                raise ModelError("%s: unknown tensor %r" % (at, nm))
            ins.append(self.tensors[nm])
        shape, x, _ = ins[0]
        p = "n%d_" % k
        w = self.w
        if op == "dense":
            weights = [[exact(v) for v in row] for row in node["weights"]]
            n_in, n_out = len(weights), len(weights[0])
            if shape[-1] != n_in:
                raise ModelError("%s.weights: %d rows for %d inputs" % (at, n_in, shape[-1]))
            bias = [exact(v) for v in node.get("bias", [0] * n_out)]
            y = []
            for r in range(len(x) // n_in):
                for j in range(n_out):
                    y.append(linear_val(w, [(x[r * n_in + i], weights[i][j]) for i in range(n_in)], bias[j],
                                        p + "%d_%d_" % (r, j)))
            return shape[:-1] + [n_out], y, None
        if op in ("conv1d", "conv2d"):
            rank = 1 if op == "conv1d" else 2
            if len(shape) != rank + 1:
                raise ModelError("%s: needs an input of rank %d" % (at, rank + 1))
            kshape = nested_shape(node["kernel"], rank + 2, at + ".kernel")
            cin, cout = shape[-1], kshape[-1]
            if kshape[rank] != cin:
                raise ModelError("%s.kernel: %d input channels, the input has %d" % (at, kshape[rank], cin))
            strides = per_axis(node, "strides", rank, 1, at)
            dilation = per_axis(node, "dilation", rank, 1, at)
            same = node.get("padding", "valid") == "same"
            geo = [window_geometry(shape[a], kshape[a], strides[a], dilation[a], same, at,
                                   self.mutate == "pad") for a in range(rank)]
            if self.mutate == "pad" and geo != [window_geometry(shape[a], kshape[a], strides[a], dilation[a],
                                                                same, at) for a in range(rank)]:
                self.mutated = True
            outs, pads = [g[0] for g in geo], [g[1] for g in geo]
            bias = [exact(v) for v in node.get("bias", [0] * cout)]
            y = []
            for pos, taps in windows(shape, kshape[:rank], strides, dilation, pads, outs):
                for co in range(cout):
                    terms = []
                    for tap, src in taps:
                        if src is None:  # zero padding
                            continue
                        for ci in range(cin):
                            terms.append((x[flat_index(shape, src + (ci,))],
                                          exact(nested(node["kernel"], tap + (ci, co)))))
                    y.append(linear_val(w, terms, bias[co], p + "%s_%d_" % ("_".join(map(str, pos)), co)))
            return outs + [cout], y, None
        if op == "relu":
            return shape, [relu_val(w, v, p + "%d_" % e) for e, v in enumerate(x)], None
        if op == "quantize":
            to = node["to"] if isinstance(node["to"], list) else [node["to"]] * len(x)
            if len(to) != len(x):
                raise ModelError("%s.to: %d types for %d elements" % (at, len(to), len(x)))
            rounding, overflow = node.get("rounding", "TRN"), node.get("overflow", "WRAP")
            return shape, [quantize_val(w, v, t, rounding, overflow, p + "%d_" % e, tight=True)
                           for e, (v, t) in enumerate(zip(x, to))], [type_tuple(t) for t in to]
        if op == "lookup":
            to = node["to"] if isinstance(node["to"], list) else [node["to"]] * len(x)
            if len(to) != len(x):
                raise ModelError("%s.to: %d types for %d elements" % (at, len(to), len(x)))
            dw = type_range(type_tuple(node["domain"]))[0]
            table = [exact(q) for q in node["table"]]
            if len(table) != 1 << dw:
                raise ModelError("%s.table: %d entries for a domain of %d bits" % (at, len(table), dw))
            return shape, [self.lookup(v, node["domain"], table, t, at, e, p + "%d_" % e)
                           for e, (v, t) in enumerate(zip(x, to))], [type_tuple(t) for t in to]
        if op == "scale":
            c = shape[-1]

            def chan(key, default):
                v = node.get(key, default)
                v = v if isinstance(v, list) else [v] * c
                if len(v) != c:
                    raise ModelError("%s.%s: %d entries for %d channels" % (at, key, len(v), c))
                return [exact(q) for q in v]
            factor, bias = chan("factor", None), chan("bias", 0)
            return shape, [linear_val(w, [(v, factor[e % c])], bias[e % c], p + "%d_" % e)
                           for e, v in enumerate(x)], None
        if op in ("add", "sub", "max", "min"):
            if any(s != shape for s, _, _ in ins) or len(ins) < 2 or (op == "sub" and len(ins) != 2):
                raise ModelError("%s: needs inputs of one shape (sub: exactly 2)" % at)
            y = []
            for e in range(len(x)):
                vs = [t[1][e] for t in ins]
                if op == "add":
                    y.append(linear_val(w, [(v, Fraction(1)) for v in vs], Fraction(0), p + "%d_" % e))
                elif op == "sub":
                    y.append(linear_val(w, [(vs[0], Fraction(1)), (vs[1], Fraction(-1))], Fraction(0),
                                        p + "%d_" % e))
                else:
                    y.append(self.extremum(vs, op == "max", p + "%d_" % e))
            return shape, y, None
        if op in ("max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "global_max_pool", "global_avg_pool"):
            maximum = "max" in op
            if op.startswith("global"):
                if len(shape) < 2:
                    raise ModelError("%s: needs rank >= 2" % at)
                size = shape[:-1]
                strides, pads, outs, oshape = size, [0] * len(size), [1] * len(size), [shape[-1]]
            else:
                rank = int(op[-2])
                if len(shape) != rank + 1:
                    raise ModelError("%s: needs an input of rank %d" % (at, rank + 1))
                size = per_axis(node, "pool", rank, None, at)
                strides = per_axis(node, "strides", rank, size, at)
                same = node.get("padding", "valid") == "same"
                if same and not maximum:
                    raise ModelError("%s.padding: average pooling only with valid padding" % at)
                geo = [window_geometry(shape[a], size[a], strides[a], 1, same, at, self.mutate == "pad")
                       for a in range(rank)]
                if self.mutate == "pad" and geo != [window_geometry(shape[a], size[a], strides[a], 1, same, at)
                                                    for a in range(rank)]:
                    self.mutated = True
                outs, pads = [g[0] for g in geo], [g[1] for g in geo]
                oshape = outs + [shape[-1]]
            count = prod(size)
            if not maximum and count & (count - 1):
                raise ModelError("%s: the mean of %d elements is not exact (use sum + scale)" % (at, count))
            shift = count.bit_length() - 1
            y = []
            for pos, taps in windows(shape, size, strides, [1] * len(size), pads, outs):
                for ch in range(shape[-1]):
                    vs = [x[flat_index(shape, src + (ch,))] for _, src in taps if src is not None]
                    q = p + "%s_%d_" % ("_".join(map(str, pos)), ch)
                    if maximum:  # padded positions are left out
                        y.append(self.extremum(vs, True, q))
                    else:  # the window's sum with the binary point moved by log2(count)
                        s = linear_val(w, [(v, Fraction(1)) for v in vs], Fraction(0), q)
                        y.append(Val(s.name, s.width, s.frac + shift, s.lo, s.hi))
            return oshape, y, None
        if op == "sum":
            axes = sorted(set(axis_of(a, len(shape), at + ".axes") for a in node["axes"]))
            keep = [a for a in range(len(shape)) if a not in axes]
            oshape = [shape[a] for a in keep]
            groups = [[] for _ in range(prod(oshape))]
            for e, v in enumerate(x):
                idx = multi_index(shape, e)
                groups[flat_index(oshape, [idx[a] for a in keep])].append(v)
            return oshape, [linear_val(w, [(v, Fraction(1)) for v in g], Fraction(0), p + "%d_" % e)
                            for e, g in enumerate(groups)], None
        if op == "argmax":
            n = shape[-1]
            return shape[:-1], [self.argmax(x[r * n:(r + 1) * n], p + "%d_" % r) for r in range(len(x) // n)], \
                [(False, max(n - 1, 0).bit_length(), 0)] * (len(x) // n)
        # Rearrangements: (output shape, [(input number, flat index)]).
        if op == "concat":
            axis = axis_of(node.get("axis", -1), len(shape), at + ".axis")
            oshape = list(shape)
            oshape[axis] = sum(s[axis] for s, _, _ in ins)
            gather = []
            for e in range(prod(oshape)):
                idx = list(multi_index(oshape, e))
                slot = 0
                while idx[axis] >= ins[slot][0][axis]:
                    idx[axis] -= ins[slot][0][axis]
                    slot += 1
                gather.append((slot, flat_index(ins[slot][0], idx)))
        elif op in ("reshape", "flatten"):
            if op == "flatten":
                oshape = [len(x)]
            else:
                oshape = [int(d) for d in node["shape"]]
                if -1 in oshape:
                    oshape[oshape.index(-1)] = len(x) // -prod(oshape)
                if prod(oshape) != len(x):
                    raise ModelError("%s.shape: element count differs" % at)
            gather = [(0, e) for e in range(len(x))]
        elif op == "transpose":
            perm = [int(a) for a in node["perm"]]
            if sorted(perm) != list(range(len(shape))):
                raise ModelError("%s.perm: not a permutation" % at)
            oshape = [shape[a] for a in perm]
            gather = []
            for e in range(prod(oshape)):
                idx = multi_index(oshape, e)
                src = [0] * len(shape)
                for kk, a in enumerate(perm):
                    src[a] = idx[kk]
                gather.append((0, flat_index(shape, src)))
        else:
            raise ModelError("%s.op: unknown op %r" % (at, op))
        return oshape, [ins[s][1][e] for s, e in gather], [ins[s][2][e] for s, e in gather]

    def build(self):
        """(lines, output Vals, x width, input layout, output layout): a layout is one
        (tensor, index, declared type or None) per port element, in port order."""
        offset = 0
        in_layout = []
        for i, inp in enumerate(self.model["inputs"]):
            shape = [int(d) for d in inp["shape"]]
            n = prod(shape)
            types = inp["type"] if isinstance(inp["type"], list) else [inp["type"]] * n
            if len(types) != n:
                raise ModelError("inputs[%d].type: %d types for %d elements" % (i, len(types), n))
            vals = []
            for e, t in enumerate(types):
                v, width = input_val(self.w, t, offset, "x%d_%d_" % (i, e))
                vals.append(v)
                in_layout.append((inp["name"], list(multi_index(shape, e)), type_tuple(t), offset))
                offset += width
            self.tensors[inp["name"]] = (shape, vals, [type_tuple(t) for t in types])
        for k, node in enumerate(self.model["nodes"]):
            if node.get("name") in self.tensors:
                raise ModelError("nodes[%d].name: duplicate %r" % (k, node.get("name")))
            shape, vals, types = self.op(k, node)
            self.tensors[node["name"]] = (shape, vals, types or [None] * len(vals))
        outs, out_layout = [], []
        for i, name in enumerate(self.model.get("outputs", [self.model["nodes"][-1]["name"]])):
            if name not in self.tensors:
                raise ModelError("outputs[%d]: unknown tensor %r" % (i, name))
            shape, vals, types = self.tensors[name]
            outs.extend(vals)
            out_layout.extend((name, list(multi_index(shape, e)), types[e]) for e in range(len(vals)))
        if self.mutate in ("ties", "pad") and not self.mutated:
            raise ModelError("--mutate %s: the model has nothing it changes (%s)" % (
                self.mutate, "no argmax over two or more" if self.mutate == "ties"
                else "no 'same' window with an odd total padding"))
        return self.w.lines, outs, max(offset, 1), in_layout, out_layout


class LayoutError(Exception):
    """da-gen's ports differ from the spec's packing."""


def check_layout_v2(report, in_layout, out_layout, x_width):
    """The report's port elements against the spec: inputs in `inputs` order, each in C
    order at its type's width; outputs likewise, contiguous from bit 0.  Raises
    LayoutError when elements cannot be matched; returns the list of output elements
    whose format differs from the type the spec fixes (quantize / lookup `to`, argmax)."""
    def fmt(e):
        return "%s%s" % (e.get("tensor"), e.get("index"))
    rin, rout = report.get("inputs", []), report.get("outputs", [])
    if len(rin) != len(in_layout):
        raise LayoutError("the report lists %d input elements, the spec %d" % (len(rin), len(in_layout)))
    for k, (e, (tensor, index, t, offset)) in enumerate(zip(rin, in_layout)):
        width = type_range(t)[0]
        if (e.get("tensor"), e.get("index")) != (tensor, index) or e["width"] != width or e["offset"] != offset \
                or (width and (bool(e["signed"]) != t[0] or e["frac_bits"] != t[2])):
            raise LayoutError("input element %d: report %s at %d, %d bits (signed %s, frac %s); spec %s%s at %d, "
                              "type %s" % (k, fmt(e), e["offset"], e["width"], e["signed"], e["frac_bits"],
                                           tensor, index, offset, t))
    if report["x_width"] != x_width and not (report["x_width"] <= 1 and x_width <= 1):
        raise LayoutError("x is %d bits, the spec's packing %d" % (report["x_width"], x_width))
    if len(rout) != len(out_layout):
        raise LayoutError("the report lists %d output elements, the spec %d" % (len(rout), len(out_layout)))
    offset = 0
    problems = []
    for k, (e, (tensor, index, t)) in enumerate(zip(rout, out_layout)):
        if (e.get("tensor"), e.get("index")) != (tensor, index) or e["offset"] != offset:
            raise LayoutError("output element %d: report %s at bit %d; spec %s%s at bit %d"
                              % (k, fmt(e), e["offset"], tensor, index, offset))
        if t is not None:
            width = type_range(t)[0]
            if e["width"] != width or (width and (bool(e["signed"]) != t[0] or e["frac_bits"] != t[2])):
                problems.append("output element %d (%s): report %d bits, signed %s, frac %s; the spec's type "
                                "{signed %s, int_bits %d, frac_bits %d} is %d bits"
                                % (k, fmt(e), e["width"], e["signed"], e["frac_bits"], t[0], t[1], t[2], width))
        offset += e["width"]
    if report["y_width"] != offset and not (report["y_width"] <= 1 and offset <= 1):
        raise LayoutError("y is %d bits, its elements %d" % (report["y_width"], offset))
    return problems


def miter_verilog(model, report, dagen_top, mutate=None, problems=None, ii=None):
    """The miter's Verilog; `problems` (a list) receives the port format differences.
    With `ii`, a sequential miter of a --ii design (see below)."""
    if model.get("version", 1) == 2:
        lines, ref, x_width, in_layout, out_layout = RefV2(model, mutate).build()
        found = check_layout_v2(report, in_layout, out_layout, x_width)
        if problems is not None:
            problems.extend(found)
    else:
        lines, ref, x_width = reference_verilog(model)
        assert report["x_width"] == x_width or (report["x_width"] <= 1 and x_width <= 1), \
            "input layout differs: report x_width %s, reference %s" % (report["x_width"], x_width)
    if len(ref) != len(report["outputs"]):
        raise LayoutError("the report lists %d outputs, the reference has %d" % (len(report["outputs"]), len(ref)))
    y_width = report["y_width"]
    xw, yw = max(x_width, 1), max(y_width, 1)
    # The reference and the comparison of y with it, for any y.
    out = ["module differs (input wire [%d:0] x, input wire [%d:0] y, output wire trigger);" % (xw - 1, yw - 1)]
    out.extend(lines)
    diffs = []
    for k, (r, e) in enumerate(zip(ref, report["outputs"])):
        ew, ef, es = e["width"], e["frac_bits"], e["signed"]
        if ew == 0:
            dname, dwidth, dfrac = "1'sd0", 1, (r.frac if r.name != "1'sd0" else 0)
        else:
            bits = "y[%d +: %d]" % (e["offset"], ew)
            dwidth = ew if es else ew + 1
            dname = "o%d" % k
            out.append("  wire signed [%d:0] %s = %s;" % (
                dwidth - 1, dname, "$signed(%s)" % bits if es else "$signed({1'b0, %s})" % bits))
            dfrac = ef
        if r.name == "1'sd0":  # a constant 0 may sit on any grid: use the other side's
            r = Val(r.name, 1, dfrac, 0, 0)
        f = max(r.frac, dfrac)
        cw = max(r.width + f - r.frac, dwidth + f - dfrac) + 2
        out.append("  wire signed [%d:0] cr%d = %s;" % (cw - 1, k, r.name))
        out.append("  wire signed [%d:0] cd%d = %s;" % (cw - 1, k, dname))
        out.append("  wire ne%d = (cr%d <<< %d) != (cd%d <<< %d);" % (k, k, f - r.frac, k, f - dfrac))
        diffs.append("ne%d" % k)
    out.append("  assign trigger = %s;" % (" | ".join(diffs) if diffs else "1'b0"))
    out.append("endmodule")
    # --mutate: flip y bit 0 (a deliberately wrong design the proof must reject).
    flip = "%d'd%d" % (yw, 1 if mutate == "output" else 0)
    dx = max(report["x_width"], 1) - 1
    if ii is None:
        out += ["module miter (input wire [%d:0] x, output wire trigger);" % (xw - 1),
                "  wire [%d:0] y_dut;" % (yw - 1),
                "  %s dut (.x(x[%d:0]), .y(y_dut));" % (dagen_top, dx),
                "  differs check (.x(x), .y(y_dut ^ %s), .trigger(trigger));" % flip,
                "endmodule"]
    else:
        # --ii: two inputs, in cycles 0 and ii (back to back), x free in every other
        # cycle and the design's registers in any state but x_valid's delay line (which
        # starts at 0, as on the FPGA).  y_valid must be high exactly `latency` cycles
        # after each input and y then the reference of that input.
        latency = report["latency_cycles"]
        last = ii + latency
        sw = max(last, 1).bit_length() + 1
        out += ["module miter (input wire clk, input wire [%d:0] x, output wire trigger);" % (xw - 1),
                "  reg [%d:0] step;" % (sw - 1),
                "  initial step = 0;",
                "  always @(posedge clk) if (step <= %d) step <= step + 1'b1;" % last,
                "  wire x_valid = step == 0 || step == %d;" % ii,
                "  reg [%d:0] xa, xb;" % (xw - 1),
                "  always @(posedge clk) begin",
                "    if (step == 0) xa <= x;",
                "    if (step == %d) xb <= x;" % ii,
                "  end",
                "  wire y_valid;",
                "  wire [%d:0] y_dut;" % (yw - 1),
                "  %s dut (.clk(clk), .x_valid(x_valid), .x(x[%d:0]), .y_valid(y_valid), .y(y_dut));" % (dagen_top, dx),
                "  wire [%d:0] y = y_dut ^ %s;" % (yw - 1, flip),
                # The input of the output cycle: as it arrives (latency 0) or captured.
                "  wire [%d:0] xa_now = step == 0 ? x : xa;" % (xw - 1),
                "  wire [%d:0] xb_now = step == %d ? x : xb;" % (xw - 1, ii),
                "  wire wrong_a, wrong_b;",
                "  differs check_a (.x(xa_now), .y(y), .trigger(wrong_a));",
                "  differs check_b (.x(xb_now), .y(y), .trigger(wrong_b));",
                "  assign trigger = step == %d ? !y_valid || wrong_a : step == %d ? !y_valid || wrong_b :" % (latency, last),
                "                   step < %d && y_valid;" % last,
                "endmodule"]
    return "\n".join(out) + "\n"


MUTATIONS = {
    "output": "flip bit 0 of the design's y (the default)",
    "ge": "every >= comparison in the design made > (ties decided the other way)",
    "mux": "the first mux of the design with its two data inputs swapped",
    "ties": "the reference's argmax takes the last maximum instead of the first",
    "pad": "the reference's 'same' convolutions and max pools pad more before than after (odd totals)",
    "valid": "--ii designs: y_valid one cycle early",
    "gather": "--ii streamed designs: the first output position caught one cycle late",
}


def mutate_rtl(text, kind):
    """The generated design with a deliberate error, or None when it has no such site."""
    if kind == "valid":
        m = re.search(r"assign y_valid = ctl_t\[(\d+)\];", text)
        if not m or m.group(1) == "0":
            return None
        return text[:m.start()] + "assign y_valid = ctl_t[%d];" % (int(m.group(1)) - 1) + text[m.end():]
    if kind == "gather":
        m = re.search(r"if \(ctl_t\[(\d+)\]\) fmap", text)
        if not m:
            return None
        return text[:m.start()] + "if (ctl_t[%d]) fmap" % (int(m.group(1)) + 1) + text[m.end():]
    if kind == "ge":
        new, n = re.subn(r"(\$signed\(\w+\)) >= (\$signed\(\w+\))", r"\1 > \2", text)
        return new if n else None
    for m in re.finditer(r"^(\s*assign \w+ = [^;?]+ \? )([^;?]+);$", text, re.M):
        arms, depth = m.group(2), 0
        for i, ch in enumerate(arms):  # the ':' between the arms, outside [..], {..}, (..)
            depth += 1 if ch in "[{(" else -1 if ch in "]})" else 0
            if depth == 0 and arms.startswith(" : ", i):
                a, b = arms[:i], arms[i + 3:]
                return text[:m.start()] + "%s%s : %s;" % (m.group(1), b, a) + text[m.end():]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--da-gen", default=os.environ.get("DAGEN_BIN", os.path.join(ROOT, "build", "da-gen")))
    ap.add_argument("--yosys", default=shutil.which("yosys") or "/usr/bin/yosys")
    ap.add_argument("--keep", help="keep the generated files in this directory")
    ap.add_argument("--timeout", type=int, default=300, help="seconds for the SAT proof")
    ap.add_argument("--ii", type=int, help="prove the --ii K design (digit-serial) instead: two inputs "
                    "back to back, every cycle's y_valid and both results, for all inputs and garbage "
                    "x in between")
    ap.add_argument("--mutate", nargs="?", const="output", choices=MUTATIONS,
                    help="self-test, the proof must then fail: %s" % "; ".join(
                        "%s: %s" % kv for kv in MUTATIONS.items()))
    ap.add_argument("--values-only", action="store_true",
                    help="version 2: output formats that differ from the spec's types are warnings, not a failure")
    ap.add_argument("--expect-disproved", action="store_true",
                    help="exit 0 when the proof fails (with --mutate: the checker catches a broken design)")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    a = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    a.extra = extra
    with open(a.model) as fh:
        model = json.load(fh)
    work = a.keep or tempfile.mkdtemp(prefix="dagen-formal-")
    os.makedirs(work, exist_ok=True)
    try:
        out = os.path.join(work, "dagen")
        shape = ["--ii", str(a.ii)] if a.ii else ["--pipeline", "0"]
        cmd = [a.da_gen, a.model, "-o", out, "--force", "--top", "dut_top"] + shape + a.extra
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            print("formal_equiv: da-gen failed (exit %d): %s" % (p.returncode, p.stderr.strip()), file=sys.stderr)
            return 4
        with open(os.path.join(out, "dut_top.json")) as fh:
            report = json.load(fh)
        if a.mutate in ("ge", "mux", "valid", "gather"):
            top = os.path.join(out, "dut_top.v")
            with open(top) as fh:
                text = fh.read()
            text = mutate_rtl(text, a.mutate)
            if text is None:
                print("formal_equiv: --mutate %s: the design has nothing it changes" % a.mutate, file=sys.stderr)
                return 2
            with open(top, "w") as fh:
                fh.write(text)
        miter = os.path.join(work, "miter.v")
        problems = []
        try:
            ii = report["initiation_interval"] if a.ii else None
            text = miter_verilog(model, report, "dut_top", a.mutate, problems, ii)
        except ModelError as e:
            print("formal_equiv: %s: %s" % (a.model, e), file=sys.stderr)
            return 2
        except LayoutError as e:
            print("LAYOUT DIFFERS FROM THE SPEC: %s: %s" % (a.model, e))
            return 0 if a.expect_disproved else 1
        with open(miter, "w") as fh:
            fh.write(text)
        files = sorted(f for f in os.listdir(out) if f.endswith(".v"))
        sources = " ".join(os.path.join(out, f) for f in files)
        # --ternary: Yosys (which defines SYNTHESIS) reads dagen_add3's LUT6_2/CARRY8
        # netlist, proven here with Yosys' own models of those cells.
        cells = "read_verilog +/xilinx/cells_sim.v\n" if "dagen_add3.v" in files else ""
        # Version 2: lookup tables stay case logic (proc_rom would make them memories,
        # which `sat` cannot read).
        proc = "proc -norom" if model.get("version", 1) == 2 else "proc"
        # --ii: the time steps to the second result (sat -seq numbers them from 1).
        seq = "-seq %d " % (report["initiation_interval"] + report["latency_cycles"] + 1) if a.ii else ""
        if "dagen_sadd.v" in files or "dagen_load.v" in files:
            cells = "read_verilog +/xilinx/cells_sim.v\n"
        script = ("%sread_verilog %s\nread_verilog %s\nhierarchy -top miter\n%s\nflatten\nopt_clean\n"
                  "sat -verify %s-prove trigger 0 -show-inputs -timeout %d miter\n"
                  % (cells, sources, miter, proc, seq, a.timeout))
        with open(os.path.join(work, "prove.ys"), "w") as fh:
            fh.write(script)
        p = subprocess.run([a.yosys, "-q", "-l", os.path.join(work, "yosys.log"), "-s", os.path.join(work, "prove.ys")],
                           capture_output=True, text=True)
        log = open(os.path.join(work, "yosys.log")).read()
        # Port formats that differ from the types the spec fixes: the values may still be
        # equal (proved below), but the ports are not the spec's.  A failure, except for a
        # mutation test, which asks only whether the proof catches the mutation.
        for line in problems[:20]:
            print("PORT FORMAT DIFFERS FROM THE SPEC: %s" % line)
        if len(problems) > 20:
            print("... and %d more port format differences" % (len(problems) - 20))
        layout = 1 if problems and not (a.expect_disproved or a.values_only) else None
        if p.returncode == 0 and "SUCCESS!" in log:
            print("PROVED: %s (%d outputs)%s" % (a.model, len(report["outputs"]),
                                                 ", but the port formats differ from the spec" if problems else ""))
            return layout or (1 if a.expect_disproved else 0)
        if "did time out" in log:
            print("TIMEOUT: %s: the SAT proof took more than --timeout %d s" % (a.model, a.timeout))
            return 3
        if "FAIL!" in log or "failed" in log.lower():
            m = re.search(r"(Signal Name.*?)(?:\n\n|\Z)", log, re.S)
            print("DISPROVED: %s\n%s" % (a.model, m.group(1) if m else log[-3000:]))
            return layout or (0 if a.expect_disproved else 1)
        print("formal_equiv: yosys failed:\n%s%s" % (p.stderr[-2000:], log[-2000:]), file=sys.stderr)
        return 4
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
