#!/usr/bin/env python3
"""Formal equivalence of a da-gen design with a multiply-accumulate description.

    tools/formal_equiv.py MODEL.json [--da-gen PATH] [--yosys PATH] [--keep DIR] [-- DA-GEN FLAGS...]

Runs da-gen on MODEL.json at --pipeline 0 (combinational), writes a
straightforward reference of the same model in Verilog -- every dense layer a
sum of `x * w` products plus bias on an exact grid, ReLU as a compare, every
quantizer with explicit rounding (TRN/RND) and overflow (WRAP/SAT/SAT_SYM)
logic -- and a miter that compares every output element of both *as exact
values* (da-gen chooses its own output formats, read from its JSON report).
Yosys (`sat -prove trigger 0`) then proves the miter's trigger is 0 for all
inputs.  Prints PROVED, or the counterexample; exit 0 when proved, 1 when
disproved, 2 on usage errors, 4 when a tool fails.

The reference is written from model.json alone (never from da-gen's graph);
widths come from exact interval arithmetic in Python (fractions), and all
arithmetic is exact modulo 2^W with W large enough for the final value.
"""
import argparse
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


def miter_verilog(model, report, dagen_top, mutate=False):
    lines, ref, x_width = reference_verilog(model)
    assert report["x_width"] == x_width or (report["x_width"] <= 1 and x_width <= 1), \
        "input layout differs: report x_width %s, reference %s" % (report["x_width"], x_width)
    y_width = report["y_width"]
    out = ["module miter (input wire [%d:0] x, output wire trigger);" % (max(x_width, 1) - 1)]
    out.append("  wire [%d:0] y;" % (max(y_width, 1) - 1))
    out.append("  wire [%d:0] y_dut;" % (max(y_width, 1) - 1))
    out.append("  %s dut (.x(x[%d:0]), .y(y_dut));" % (dagen_top, max(report["x_width"], 1) - 1))
    # --mutate: flip y bit 0 (a deliberately wrong design the proof must reject).
    out.append("  assign y = y_dut ^ %d'd%d;" % (max(y_width, 1), 1 if mutate else 0))
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
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--da-gen", default=os.environ.get("DAGEN_BIN", os.path.join(ROOT, "build", "da-gen")))
    ap.add_argument("--yosys", default=shutil.which("yosys") or "/usr/bin/yosys")
    ap.add_argument("--keep", help="keep the generated files in this directory")
    ap.add_argument("--timeout", type=int, default=300, help="seconds for the SAT proof")
    ap.add_argument("--mutate", action="store_true",
                    help="self-test: flip output bit 0 of the design; the proof must then fail")
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
        cmd = [a.da_gen, a.model, "-o", out, "--pipeline", "0", "--force", "--top", "dut_top"] + a.extra
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            print("formal_equiv: da-gen failed (exit %d): %s" % (p.returncode, p.stderr.strip()), file=sys.stderr)
            return 4
        with open(os.path.join(out, "dut_top.json")) as fh:
            report = json.load(fh)
        miter = os.path.join(work, "miter.v")
        with open(miter, "w") as fh:
            fh.write(miter_verilog(model, report, "dut_top", a.mutate))
        files = sorted(f for f in os.listdir(out) if f.endswith(".v"))
        sources = " ".join(os.path.join(out, f) for f in files)
        # --ternary: Yosys (which defines SYNTHESIS) reads dagen_add3's LUT6_2/CARRY8
        # netlist, proven here with Yosys' own models of those cells.
        cells = "read_verilog +/xilinx/cells_sim.v\n" if "dagen_add3.v" in files else ""
        script = ("%sread_verilog %s\nread_verilog %s\nhierarchy -top miter\nproc\nflatten\nopt_clean\n"
                  "sat -verify -prove trigger 0 -show-inputs -timeout %d miter\n" % (cells, sources, miter, a.timeout))
        with open(os.path.join(work, "prove.ys"), "w") as fh:
            fh.write(script)
        p = subprocess.run([a.yosys, "-q", "-l", os.path.join(work, "yosys.log"), "-s", os.path.join(work, "prove.ys")],
                           capture_output=True, text=True)
        log = open(os.path.join(work, "yosys.log")).read()
        if p.returncode == 0 and "SUCCESS!" in log:
            print("PROVED: %s (%d outputs)" % (a.model, len(report["outputs"])))
            return 1 if a.expect_disproved else 0
        if "FAIL!" in log or "failed" in log.lower():
            m = re.search(r"(Signal Name.*?)(?:\n\n|\Z)", log, re.S)
            print("DISPROVED: %s\n%s" % (a.model, m.group(1) if m else log[-3000:]))
            return 0 if a.expect_disproved else 1
        print("formal_equiv: yosys failed:\n%s%s" % (p.stderr[-2000:], log[-2000:]), file=sys.stderr)
        return 4
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
