#!/usr/bin/env python3
"""Independent streaming check of a generated design: Icarus Verilog + the Python reference.

    tools/stream_check.py MODEL.json [--vectors N] [--seed S] [--da-gen PATH] [--keep DIR]
                          [--rtl DIR] [--ii K] [-- da-gen options...]

Runs da-gen on MODEL.json (with the options after `--`), then simulates the design
with Icarus Verilog (not Verilator, which --verify uses) while streaming one input
vector per clock cycle, and compares every output with dagen.keras.refsim
(the exporter's evaluator, written from docs/model-format.md; not da-gen's C++
reference).  With --valid designs, x_valid follows a seeded random pattern and
y_valid must repeat it `latency_cycles` later.  Ports, element offsets and formats
come from the design's JSON report.

At an initiation interval K > 1 (the report's "initiation_interval", 1 when absent, or
--ii K to force it, e.g. on an II = 1 --valid design, which accepts any K): vector k is
presented with x_valid high in cycle t_k only, t_0 = 3, t_k+1 = t_k + K + a seeded gap
(0 for 5 of 8 inputs, 1 for 2 of 8, else 2 .. 2K); in every other cycle x carries garbage
(the complement of the vector just taken in the cycle after it, random bits otherwise).
In every cycle, up to latency + K cycles after the last input, y_valid must be high exactly
`latency_cycles` after an input cycle (low otherwise), and y then that input's output.

Needs numpy and the package dagen (installed, or PYTHONPATH=python from the repository root,
as ctest sets it); exit 0 and one PASS line when every output matches, 1 and the
first mismatches otherwise, 2 when a tool fails.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

from dagen.keras import refsim  # noqa: E402
from dagen.keras.fxp import as_type_list, code_range  # noqa: E402


def input_vectors(model: dict, n: int, seed: int) -> list[list[int]]:
    """Corner vectors first (all lows, all highs, zeros, alternating), then seeded random
    codes, a quarter of them pushed to per-element extremes.  Python ints: any width."""
    if refsim.is_v2(model):  # model.json version 2: every input element in x-port order
        types = refsim.V2Graph(model).input_types()
    else:
        types = as_type_list(model["input"]["type"], model["input"]["size"])
    ranges = [code_range(t) for t in types]
    lo = [int(r[0]) for r in ranges]
    hi = [int(r[1]) for r in ranges]
    rows = [lo, hi, [max(l, min(0, h)) for l, h in zip(lo, hi)],
            [l if i % 2 == 0 else h for i, (l, h) in enumerate(zip(lo, hi))],
            [h if i % 2 == 0 else l for i, (l, h) in enumerate(zip(lo, hi))]]
    rng = random.Random(seed)
    while len(rows) < n:
        extreme = rng.random() < 0.25
        row = []
        for l, h in zip(lo, hi):
            p = rng.random()
            row.append(l if extreme and p < 0.15 else h if extreme and p < 0.3 else rng.randint(l, h))
        rows.append(row)
    return rows[:n]


def pack(codes: list[int], fields: list[dict]) -> int:
    word = 0
    for c, f in zip(codes, fields):
        if f["width"] > 0:
            word |= (c & ((1 << f["width"]) - 1)) << f["offset"]
    return word


def unpack(word: int, fields: list[dict]) -> list[int]:
    out = []
    for f in fields:
        w = f["width"]
        v = (word >> f["offset"]) & ((1 << w) - 1) if w > 0 else 0
        if f["signed"] and w > 0 and v >> (w - 1):
            v -= 1 << w
        out.append(v)
    return out


TESTBENCH = """`timescale 1ns/1ps
module stream_tb;
  localparam integer N = {n};
  localparam integer L = {latency};
  reg [{xw}:0] xs [0:N-1];
  reg vs [0:N-1];
  reg [{xw}:0] x;
  wire [{yw}:0] y;
  {clock_decl}
  integer i, f;
  {dut}
  initial begin
    $readmemh("{xfile}", xs);
    $readmemh("{vfile}", vs);
    f = $fopen("{yfile}", "w");
    {body}
    $fclose(f);
    $finish;
  end
endmodule
"""

CLOCKED_BODY = """x = 0; {vinit}
    // One vector per rising edge; sample y just before the edge that follows
    // cycle i + L, i.e. the output of vector i after L register ranks.
    for (i = 0; i < N + L; i = i + 1) begin
      if (i < N) begin x = xs[i]; {vset} end
      else begin x = 0; {vzero} end
      #4;
      if (i >= L) $fwrite(f, "%h {vout}\\n", y{vval});
      {vstart}
      #1 clk = 1; #5 clk = 0;
    end"""

# II > 1: one line per cycle (x and x_valid from the per-cycle stimulus), y sampled before the
# edge; clk is a plain reg that combinational designs do not read.
CYCLE_BODY = """{vinit}
    for (i = 0; i < N; i = i + 1) begin
      x = xs[i]; {vset}
      #4 $fwrite(f, "%h {vout}\\n", y{vval});
      #1 clk = 1; #5 clk = 0;
    end"""

COMB_BODY = """for (i = 0; i < N; i = i + 1) begin
      x = xs[i]; {vset}
      #5 $fwrite(f, "%h {vout}\\n", y{vval});
    end"""


def ii_stimulus(words: list[int], ii: int, latency: int, xw: int, rng: random.Random):
    """The per-cycle x words and x_valid bits at initiation interval ii > 1, and for each
    cycle the vector taken in it (None: x is garbage then); cycles run latency + ii past the
    last input (see the module docstring)."""
    at, t = [], 3
    for _ in words:
        at.append(t)
        p = rng.random()
        t += ii + (0 if p < 5 / 8 else 1 if p < 7 / 8 else rng.randint(2, 2 * ii))
    cycles = (at[-1] if at else 0) + latency + ii + 1
    taken = [None] * cycles
    for k, c in enumerate(at):
        taken[c] = k
    mask = (1 << xw) - 1
    xs = []
    for c in range(cycles):
        if taken[c] is not None:
            xs.append(words[taken[c]])
        elif c > 0 and taken[c - 1] is not None:
            xs.append(~words[taken[c - 1]] & mask)  # a design sampling x late sees every bit wrong
        else:
            xs.append(rng.getrandbits(xw))
    return xs, [int(k is not None) for k in taken], taken


def check_cycles(lines, valid, taken, latency, n, ii, codes, problems_of, what) -> int:
    """II > 1: y_valid high exactly `latency` cycles after each input cycle and low in every
    other, y then that input's output."""
    step = 2 if valid else 1
    got, got_valid = lines[0::step], lines[1::step] if valid else None
    if len(got) != len(taken) or (valid and len(got_valid) != len(taken)):
        print("FAIL: %d cycles captured, %d expected" % (len(got), len(taken)))
        return 1
    bad, extra, shown = set(), 0, 0
    for c in range(len(taken)):
        due = taken[c - latency] if c >= latency else None
        problems = []
        if valid and got_valid[c] != ("1" if due is not None else "0"):
            if due is None:
                extra += 1
                problems.append("cycle %d: y_valid %s, no input %d cycles before" % (c, got_valid[c], latency))
            else:
                problems.append("cycle %d: y_valid %s, %d cycles after vector %d" % (c, got_valid[c], latency, due))
        elif due is not None:
            problems = ["vector %d: inputs %s\n  %s" % (due, codes[due], p) for p in problems_of(due, got[c])]
        if problems:
            if due is not None:
                bad.add(due)
            shown += 1
            if shown <= 5:
                print("\n".join(problems))
    if bad or extra:
        print("FAIL: %d of %d vectors differ, %d extra y_valid cycles, ii %d (%s)" % (len(bad), n, extra, ii, what))
        return 1
    print("PASS: %d vectors streamed, latency %d, ii %d, Icarus vs Python reference (%s)" % (n, latency, ii, what))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--vectors", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--da-gen", default=os.path.join(os.path.dirname(HERE), "build", "da-gen"))
    ap.add_argument("--keep", help="work directory to keep (default: a temporary one)")
    ap.add_argument("--rtl", help="check this existing da-gen output directory instead of generating")
    ap.add_argument("--ii", type=int, metavar="K",
                    help="present inputs at most every K cycles (default: the report's initiation_interval)")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    args.options = argv[cut + 1:]
    if args.ii is not None and args.ii < 1:
        ap.error("--ii: K must be at least 1, not %d" % args.ii)

    with open(args.model) as fh:
        model = json.load(fh)
    work = args.keep or tempfile.mkdtemp(prefix="stream-check-")
    os.makedirs(work, exist_ok=True)
    try:
        out = args.rtl or os.path.join(work, "rtl")
        if not args.rtl:
            shutil.rmtree(out, ignore_errors=True)
            gen = subprocess.run([args.da_gen, args.model, "-o", out, *args.options],
                                 capture_output=True, text=True)
            if gen.returncode != 0:
                print(gen.stderr.strip() or gen.stdout.strip())
                print("FAIL: da-gen exited with %d" % gen.returncode)
                return 2
        reports = [f for f in os.listdir(out) if f.endswith(".json")]
        with open(os.path.join(out, reports[0])) as fh:
            rep = json.load(fh)
        n, lat, clocked, valid = args.vectors, rep["latency_cycles"], rep["clocked"], rep["valid"]
        xw, yw = max(rep["x_width"], 1), max(rep["y_width"], 1)

        ii = args.ii if args.ii is not None else int(rep.get("initiation_interval", 1))

        codes = input_vectors(model, n, args.seed)
        rng = random.Random(args.seed * 7919 + 1)
        words = [pack(c, rep["inputs"]) for c in codes]
        if ii == 1:
            vbits = [1 if not valid else int(rng.random() < 0.7) for _ in range(n)]
        else:
            words, vbits, taken = ii_stimulus(words, ii, lat, xw, rng)
        xfile, vfile, yfile = (os.path.join(work, f) for f in ("x.hex", "v.hex", "y.hex"))
        with open(xfile, "w") as fh:
            fh.writelines("%x\n" % w for w in words)
        with open(vfile, "w") as fh:
            fh.writelines("%x\n" % v for v in vbits)

        # A zero-width side is still a one-bit port (constant zero for y).
        ports = [".x(x)", ".y(y)"]
        if clocked:
            ports.insert(0, ".clk(clk)")
        if valid:
            ports += [".x_valid(xv)", ".y_valid(yv)"]
        dut = "%s dut (%s);" % (rep["top"], ", ".join(p for p in ports if p))
        decl = "reg clk = 0;" + (" reg xv; wire yv;" if valid else "")
        if ii > 1:
            body = CYCLE_BODY.format(vinit="xv = 0;" if valid else "", vset="xv = vs[i];" if valid else "",
                                     vout="%b" if valid else "", vval=", yv" if valid else "")
        elif clocked:
            body = CLOCKED_BODY.format(vinit="xv = 0;" if valid else "", vset="xv = vs[i];" if valid else "",
                                       vzero="xv = 0;" if valid else "", vout="%b" if valid else "",
                                       vstart='else $fwrite(f, "start%b\\n", yv);' if valid else "",
                                       vval=", yv" if valid else "")
        else:
            body = COMB_BODY.format(vset="xv = vs[i];" if valid else "", vout="%b" if valid else "",
                                    vval=", yv" if valid else "")
        tb = TESTBENCH.format(n=len(words), latency=lat, xw=xw - 1, yw=yw - 1, clock_decl=decl, dut=dut,
                              xfile=xfile, vfile=vfile, yfile=yfile, body=body)
        tb_path = os.path.join(work, "stream_tb.v")
        with open(tb_path, "w") as fh:
            fh.write(tb)
        vvp = os.path.join(work, "tb.vvp")
        sources = sorted(os.path.join(out, f) for f in os.listdir(out) if f.endswith(".v"))
        for cmd in (["iverilog", "-g2012", "-s", "stream_tb", "-o", vvp, tb_path, *sources], ["vvp", "-n", vvp]):
            r = subprocess.run(cmd, capture_output=True, text=True, cwd=work)
            if r.returncode != 0:
                print(r.stdout + r.stderr)
                print("FAIL: %s" % cmd[0])
                return 2

        Y, F = refsim.evaluate(model, np.array(codes, dtype=object))

        def problems_of(i, y):  # vector i's output y (hex) against the reference
            if any(c in y.lower() for c in "xz"):
                return ["output has x/z bits: %s" % y]
            out_codes = unpack(int(y, 16), rep["outputs"])
            want = []
            for j, f in enumerate(rep["outputs"]):
                e = f["frac_bits"] - F  # code = Y * 2^(frac_bits - F), exact by the format
                v = int(Y[i][j])
                want.append(v << e if e >= 0 else v >> -e if v % (1 << -e) == 0 else None)
            return [] if out_codes == want else ["got  %s\n  want %s" % (out_codes, want)]

        with open(yfile) as fh:
            lines = fh.read().split()
        what = "%s %s" % (os.path.basename(args.model), " ".join(args.options))
        if ii > 1:
            return check_cycles(lines, valid, taken, lat, n, ii, codes, problems_of, what)
        # y_valid in the cycles before the first input reaches the output: must be 0.
        early = [t for t in lines if t.startswith("start")]
        lines = [t for t in lines if not t.startswith("start")]
        if any(t != "start0" for t in early):
            print("FAIL: y_valid before the first input arrived: %s" % " ".join(early))
            return 1
        step = 2 if valid else 1
        got = lines[0::step]
        got_valid = lines[1::step] if valid else None
        if len(got) != n:
            print("FAIL: %d outputs captured, %d expected" % (len(got), n))
            return 1
        bad = 0
        for i in range(n):
            problems = problems_of(i, got[i])
            if valid and got_valid[i] != str(vbits[i]):
                problems.append("y_valid %s, x_valid was %d" % (got_valid[i], vbits[i]))
            if problems:
                bad += 1
                if bad <= 5:
                    print("vector %d: inputs %s\n  %s" % (i, codes[i], "\n  ".join(problems)))
        if bad:
            print("FAIL: %d of %d vectors differ (%s %s)" % (bad, n, args.model, " ".join(args.options)))
            return 1
        print("PASS: %d vectors streamed, latency %d, Icarus vs Python reference (%s)" % (n, lat, what))
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
