#!/usr/bin/env python3
"""Independent streaming check of a generated design: Icarus Verilog + the Python reference.

    tools/stream_check.py MODEL.json [--vectors N] [--seed S] [--da-gen PATH] [--keep DIR]
                          [--rtl DIR] [-- da-gen options...]

Runs da-gen on MODEL.json (with the options after `--`), then simulates the design
with Icarus Verilog (not Verilator, which --verify uses) while streaming one input
vector per clock cycle, and compares every output with dagen.keras.refsim
(the exporter's evaluator, written from docs/model-format.md; not da-gen's C++
reference).  With --valid designs, x_valid follows a seeded random pattern and
y_valid must repeat it `latency_cycles` later.  Ports, element offsets and formats
come from the design's JSON report.

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

COMB_BODY = """for (i = 0; i < N; i = i + 1) begin
      x = xs[i]; {vset}
      #5 $fwrite(f, "%h {vout}\\n", y{vval});
    end"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--vectors", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--da-gen", default=os.path.join(os.path.dirname(HERE), "build", "da-gen"))
    ap.add_argument("--keep", help="work directory to keep (default: a temporary one)")
    ap.add_argument("--rtl", help="check this existing da-gen output directory instead of generating")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    args.options = argv[cut + 1:]

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

        codes = input_vectors(model, n, args.seed)
        rng = random.Random(args.seed * 7919 + 1)
        vbits = [1 if not valid else int(rng.random() < 0.7) for _ in range(n)]
        xfile, vfile, yfile = (os.path.join(work, f) for f in ("x.hex", "v.hex", "y.hex"))
        with open(xfile, "w") as fh:
            fh.writelines("%x\n" % pack(c, rep["inputs"]) for c in codes)
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
        if clocked:
            body = CLOCKED_BODY.format(vinit="xv = 0;" if valid else "", vset="xv = vs[i];" if valid else "",
                                       vzero="xv = 0;" if valid else "", vout="%b" if valid else "",
                                       vstart='else $fwrite(f, "start%b\\n", yv);' if valid else "",
                                       vval=", yv" if valid else "")
        else:
            body = COMB_BODY.format(vset="xv = vs[i];" if valid else "", vout="%b" if valid else "",
                                    vval=", yv" if valid else "")
        tb = TESTBENCH.format(n=n, latency=lat, xw=xw - 1, yw=yw - 1, clock_decl=decl, dut=dut,
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
        with open(yfile) as fh:
            lines = fh.read().split()
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
            problems = []
            if any(c in got[i].lower() for c in "xz"):
                problems.append("output has x/z bits: %s" % got[i])
            else:
                out_codes = unpack(int(got[i], 16), rep["outputs"])
                want = []
                for j, f in enumerate(rep["outputs"]):
                    e = f["frac_bits"] - F  # code = Y * 2^(frac_bits - F), exact by the format
                    v = int(Y[i][j])
                    want.append(v << e if e >= 0 else v >> -e if v % (1 << -e) == 0 else None)
                if out_codes != want:
                    problems.append("got  %s\n  want %s" % (out_codes, want))
            if valid and got_valid[i] != str(vbits[i]):
                problems.append("y_valid %s, x_valid was %d" % (got_valid[i], vbits[i]))
            if problems:
                bad += 1
                if bad <= 5:
                    print("vector %d: inputs %s\n  %s" % (i, codes[i], "\n  ".join(problems)))
        if bad:
            print("FAIL: %d of %d vectors differ (%s %s)" % (bad, n, args.model, " ".join(args.options)))
            return 1
        print("PASS: %d vectors streamed, latency %d, Icarus vs Python reference (%s %s)"
              % (n, lat, os.path.basename(args.model), " ".join(args.options)))
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
