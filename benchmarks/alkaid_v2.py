#!/usr/bin/env python3
"""da-gen against alkaid on the six model.json version 2 models (issue 17, "Benchmarks"), through
the one Yosys flow of tools/yosys_report.py.

    PYTHONPATH=python benchmarks/.venv-alkaid/bin/python benchmarks/alkaid_v2.py \\
        [--da-gen build/da-gen] [--only cnn2d ...] [--vectors 500] [--no-yosys] \\
        [--json benchmarks/results/v2_alkaid.json] [--md benchmarks/results/v2_alkaid_table.md]

The venv (benchmarks/requirements-alkaid.txt) holds alkaid and the HGQ2 / Keras / JAX set the
exporter uses; the exporter is this repository's package dagen.keras (PYTHONPATH=python, or
installed); yosys, iverilog and the da-gen binary come from the machine.

For each model of tools/examples/make_v2_models.py (its builders and seeds, imported):
  1. build the HGQ2 model and randomize its weights exactly as make_v2_models.py does;
  2. export it with dagen-export (dagen.keras.cli, --check 0, timed; the JSON is compared with the
     shipped tests/models/v2/NAME.json);
  3. alkaid, as its `alkaid convert` CLI does with its defaults (HWConfig(1, 1, -1),
     hard_dc 5): trace_model(model) -> trace(inp, out, optimize=True) -> RTLModel(...).write(),
     combinational (RTLModel's default: no latency cutoff, one stage without registers) and
     pipelined with the CLI's default latency_cutoff=5; each with its default ternary-adder
     fusion (ternary_fuse=True) and without (ternary_fuse=False). Timed: the whole trace + write;
  4. da-gen on the exported model.json: --pipeline 0, and --pipeline L where L is the latency of
     alkaid's pipelined design (alkaid: n_stages logic stages between an input register and an
     output register, L = n_stages + 1 clock edges from input to output; da-gen: L register
     ranks placed by its delay model), each with and without --ternary. Timed: the process;
  5. function check before any count: the same input vectors (corners, then seeded random codes
     of each input element's type) through `da-gen --eval` (the exact reference), through Keras
     (model.predict) and through every generated design in Icarus Verilog, one vector per clock,
     each output read L cycles later and decoded with the tool's own port layout; any
     difference stops that design's row (no Yosys) with a note;
  6. tools/yosys_report.py (the xilinx flow every table uses) on every design: LUT, FF, CARRY4;
     alkaid's ternary-fused designs twice: as Yosys maps them (its `a + b + c` becomes two
     carry-chain adders, about two LUTs per bit), and with alkaid's ternary_adder module swapped
     for benchmarks/alkaid_ternary_lut.v, the same LUT6_2 + CARRY8 ternary adder
     (rtl_lib/dagen_add3.v) da-gen --ternary instantiates, which is how a vendor tool would build
     it (the swapped designs pass the same simulation);
  7. clock: da-gen's estimated period from its report; for designs without LUT6_2 / CARRY8 cells
     (Yosys' cell library has no timing for those) also Yosys `sta` on the mapped netlist with
     the specify-block delays of Yosys' xilinx cells_sim.v (cell delays only, no routing: a
     relative number, the same for both tools).

Port layout. alkaid: `model(clk, model_inp, model_out)` (no clk when combinational); elements
packed back to back, element 0 at bit 0, each k + i + f bits wide (kif = keep-negative, integer,
fractional bits of the element, read from RTLModel.fsm's port signals), value = code * 2^-f, two's
complement when k. Inputs in the order of the Keras inputs, each flattened in C order (the same
order as da-gen's x). Outputs: alkaid's minimal type of each element's range, which can be
narrower than da-gen's (values are compared, not bits). da-gen: x / y as in
docs/model-format.md, read from its report.

Writes the JSON (every measured number, commands, versions) and a Markdown table; the work
directory (benchmarks/results/work/alkaid_v2, git-ignored) keeps every design.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from fractions import Fraction

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

MODELS = ["cnn2d", "cnn1d", "resmlp", "mixer", "tanh_argmax", "two_input"]
ALKAID_LATENCY_CUTOFF = 5  # alkaid convert's default --latency-cutoff
ALKAID_HARD_DC = 5  # alkaid convert's default --delay-constraint
ALKAID_HWCONF = (1, 1, -1)  # alkaid convert's default --hw-config
CELLS_SIM = "/usr/share/yosys/xilinx/cells_sim.v"  # Yosys' simulation models of the Xilinx cells


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- vectors and port layouts

def elem_layout_dagen(entries):
    """da-gen report inputs/outputs -> [(offset, width, signed, frac)]."""
    return [(e["offset"], e["width"], bool(e["signed"]), e["frac_bits"]) for e in entries]


def elem_layout_kif(precisions):
    """alkaid port precisions (keep_negative, int, frac) per element -> [(offset, width, signed, frac)]."""
    out, off = [], 0
    for p in precisions:
        k, i, f = (int(p[0]), int(p[1]), int(p[2]))
        w = k + i + f
        w = max(w, 0)
        out.append((off, w, bool(k), f))
        off += w
    return out


def layout_width(layout):
    return max([o + w for o, w, _, _ in layout] + [0])


def code_range(width, signed):
    if width == 0:
        return 0, 0
    return (-(1 << (width - 1)), (1 << (width - 1)) - 1) if signed else (0, (1 << width) - 1)


def make_vectors(layout, n, seed):
    """Per input element codes: corners (all min, all max, all zero, alternating min/max both ways,
    all -1 LSB), then seeded uniform random codes. Returns exact Fraction values."""
    rng = random.Random(seed)
    rows = []
    rngs = [code_range(w, s) for _, w, s, _ in layout]
    rows.append([lo for lo, hi in rngs])
    rows.append([hi for lo, hi in rngs])
    rows.append([0 for _ in rngs])
    rows.append([lo if j % 2 == 0 else hi for j, (lo, hi) in enumerate(rngs)])
    rows.append([hi if j % 2 == 0 else lo for j, (lo, hi) in enumerate(rngs)])
    rows.append([max(lo, -1) for lo, hi in rngs])
    while len(rows) < n:
        rows.append([rng.randint(lo, hi) for lo, hi in rngs])
    return [[Fraction(c) / (1 << f) if f >= 0 else Fraction(c) * (1 << -f)
             for c, (_, _, _, f) in zip(r, layout)] for r in rows[:max(n, 6)]]


def pack(values, layout):
    """Exact values -> integer bit vector in a port layout; raises if a value is not representable."""
    word = 0
    for v, (off, w, s, f) in zip(values, layout):
        if w == 0:
            if v != 0:
                raise ValueError(f"value {v} on a width-0 element")
            continue
        c = v * (Fraction(2) ** f)
        if c.denominator != 1:
            raise ValueError(f"value {v} not on the grid of frac {f}")
        c = int(c)
        lo, hi = code_range(w, s)
        if not lo <= c <= hi:
            raise ValueError(f"value {v} outside the element type ({w} bits, signed={s}, frac {f})")
        word |= (c & ((1 << w) - 1)) << off
    return word


def unpack(word, layout):
    vals = []
    for off, w, s, f in layout:
        if w == 0:
            vals.append(Fraction(0))
            continue
        c = (word >> off) & ((1 << w) - 1)
        if s and c >> (w - 1):
            c -= 1 << w
        vals.append(Fraction(c) * (Fraction(2) ** -f))
    return vals


def fr_json(v):
    f = float(v)
    assert Fraction(f) == v
    return int(f) if f.is_integer() else f


# ---------------------------------------------------------------- simulation (Icarus)

def simulate(files, top, ports, in_words, wi, wo, latency, workdir, defines=()):
    """Stream the words through the design, one per clock; return the output words, each read
    `latency` rising edges after its input was applied (0: combinational, read after settling)."""
    os.makedirs(workdir, exist_ok=True)
    clk, xin, yout = ports
    n = len(in_words)
    hexw = max((wi + 3) // 4, 1)
    with open(os.path.join(workdir, "in.hex"), "w") as f:
        for w in in_words:
            f.write(f"{w:0{hexw}x}\n")
    clk_conn = f".{clk}(clk), " if (clk and latency > 0) else ""
    tb = f"""`timescale 1ns/1ps
module tb;
  reg [{max(wi,1)-1}:0] mem [0:{n-1}];
  reg [{max(wi,1)-1}:0] xv;
  wire [{max(wo,1)-1}:0] yv;
  reg clk = 0;
  integer i, fo;
  {top} dut ({clk_conn}.{xin}(xv), .{yout}(yv));
  initial begin
    $readmemh("in.hex", mem);
    fo = $fopen("out.hex", "w");
    for (i = 0; i < {n + latency}; i = i + 1) begin
      xv = (i < {n}) ? mem[i] : 0;
      #1;
      if (i >= {latency}) $fwrite(fo, "%h\\n", yv);
      #4 clk = 1; #5 clk = 0;
    end
    $fclose(fo);
    $finish;
  end
endmodule
"""
    with open(os.path.join(workdir, "tb.v"), "w") as f:
        f.write(tb)
    cmd = ["iverilog", "-g2012", "-o", "sim.vvp", "-s", "tb"] + [f"-D{d}" for d in defines] + ["tb.v"] + \
          [os.path.abspath(p) for p in files]
    r = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("iverilog failed: " + r.stderr[-2000:])
    r = subprocess.run(["vvp", "-n", "sim.vvp"], cwd=workdir, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("vvp failed: " + r.stderr[-2000:])
    outs = []
    with open(os.path.join(workdir, "out.hex")) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if any(ch in line.lower() for ch in "xz"):
                outs.append(None)
            else:
                outs.append(int(line, 16))
    return outs


def compare(ref_rows, words, layout):
    """Number of mismatching vectors and the first few differences."""
    bad, first = 0, []
    for k, (ref, w) in enumerate(zip(ref_rows, words)):
        got = None if w is None else unpack(w, layout)
        if got != ref:
            bad += 1
            if len(first) < 3:
                first.append({"vector": k, "expected": [str(v) for v in ref],
                              "got": None if got is None else [str(v) for v in got]})
    if len(words) != len(ref_rows):
        bad += abs(len(words) - len(ref_rows))
    return bad, first


# ---------------------------------------------------------------- Yosys

def yosys(design_dir, top, out_json, netlist=None):
    cmd = [sys.executable, os.path.join(REPO, "tools", "yosys_report.py"), design_dir, "--top", top, "--json", out_json]
    if netlist:
        cmd += ["--netlist", netlist]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("yosys_report failed: " + (r.stderr or r.stdout)[-2000:])
    with open(out_json) as f:
        return json.load(f)


def yosys_sta(netlist, top, workdir):
    """Yosys `sta` on a mapped netlist with the specify delays of Yosys' xilinx cells_sim.v.
    Returns the latest arrival time in ns, or None with a reason when the netlist has cells
    without timing there (LUT6_2, CARRY8)."""
    with open(netlist) as f:
        text = f.read()
    untimed = sorted({c for c in ("LUT6_2", "CARRY8") if re.search(rf"^\s*{c}\b", text, re.M)})
    if untimed:
        return None, "cells without timing in Yosys' library: " + ", ".join(untimed)
    ys = os.path.join(workdir, "sta.ys")
    with open(ys, "w") as f:
        f.write(f"read_verilog -lib -specify +/xilinx/cells_sim.v\nread_verilog {os.path.abspath(netlist)}\n"
                f"hierarchy -top {top}\nsta\n")
    r = subprocess.run(["yosys", "-q", "-l", os.path.join(workdir, "sta.log"), ys], capture_output=True, text=True)
    if r.returncode != 0:
        return None, "yosys sta failed"
    with open(os.path.join(workdir, "sta.log")) as f:
        m = re.search(r"Latest arrival time in '\S+' is (\d+)", f.read())
    if not m:
        return None, "no arrival time in the sta log"
    return int(m.group(1)) / 1000.0, None


# ---------------------------------------------------------------- the tools

def run_dagen(dagen, model_json, outdir, pipeline, ternary):
    shutil.rmtree(outdir, ignore_errors=True)
    cmd = [dagen, model_json, "-o", outdir, "--pipeline", str(pipeline)] + (["--ternary"] if ternary else [])
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"da-gen failed ({r.returncode}): {r.stderr}")
    reports = [p for p in glob.glob(os.path.join(outdir, "*.json"))]
    assert len(reports) == 1, reports
    with open(reports[0]) as f:
        rep = json.load(f)
    return rep, dt, " ".join(cmd[0:1] + [os.path.relpath(c, REPO) if os.path.exists(c) else c for c in cmd[1:]]), \
        r.stderr.strip()


def dagen_eval(dagen, model_json, rows, path):
    with open(path, "w") as f:
        json.dump({"inputs": [[fr_json(v) for v in r] for r in rows]}, f)
    r = subprocess.run([dagen, model_json, "--eval", path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("da-gen --eval failed: " + r.stderr)
    doc = json.loads(r.stdout, parse_float=Fraction, parse_int=Fraction)
    return [[Fraction(v) for v in row] for row in doc["outputs"]]


def alkaid_convert(model, outdir, pipelined, ternary, n_stages=-1):
    """alkaid convert's steps with its CLI defaults, timed as one run (n_stages > 0: exactly that
    many stages, as `alkaid convert --n-stages`). Returns RTLModel, CombLogic, seconds."""
    from alkaid.codegen import RTLModel
    from alkaid.converter import trace_model
    from alkaid.trace import HWConfig, trace

    shutil.rmtree(outdir, ignore_errors=True)
    t0 = time.perf_counter()
    inp, out = trace_model(model, HWConfig(*ALKAID_HWCONF), {"hard_dc": ALKAID_HARD_DC}, False)
    comb = trace(inp, out, optimize=True)
    rtl = RTLModel(comb, outdir, "model", flavor="verilog",
                   latency_cutoff=ALKAID_LATENCY_CUTOFF if pipelined and n_stages <= 0 else -1,
                   n_stages=n_stages if pipelined else -1, ternary_fuse=ternary)
    rtl.write()
    dt = time.perf_counter() - t0
    if any(int(s) != 0 for s in comb.inp_shifts):
        raise RuntimeError("alkaid input shifts are not zero: the port layout below would not hold")
    return rtl, comb, dt


def alkaid_flat(src_dir, dest, fair=False):
    """alkaid's design as one directory of .v files (the wrapper, which Yosys does not need, left
    out); fair: its ternary_adder swapped for benchmarks/alkaid_ternary_lut.v + dagen_add3.v."""
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    for p in glob.glob(os.path.join(src_dir, "src", "*.v")) + glob.glob(os.path.join(src_dir, "src", "static", "*.v")):
        if p.endswith("_wrapper.v"):
            continue
        if fair and os.path.basename(p) == "ternary_adder.v":
            continue
        shutil.copy(p, dest)
    if fair:
        shutil.copy(os.path.join(HERE, "alkaid_ternary_lut.v"), dest)
        shutil.copy(os.path.join(REPO, "rtl_lib", "dagen_add3.v"), dest)
    return dest


def ternary_stats(flat_dir):
    """alkaid ternary_adder instances, and how many have all three terms negated (those keep the
    behavioural sum in alkaid_ternary_lut.v)."""
    n, all_neg = 0, 0
    for p in glob.glob(os.path.join(flat_dir, "logic*.v")):
        with open(p) as f:
            for m in re.finditer(r"ternary_adder #\(([-\d,]+)\)", f.read()):
                v = [int(x) for x in m.group(1).split(",")]
                n += 1
                if v[2] and v[6] and v[10]:
                    all_neg += 1
    return n, all_neg


def keras_predict(model, rows, input_shapes):
    import numpy as np

    rows_f = np.array([[float(v) for v in r] for r in rows], dtype=np.float64)
    xs, off = [], 0
    for shp in input_shapes:
        size = int(np.prod(shp))
        xs.append(rows_f[:, off:off + size].reshape((len(rows),) + tuple(shp)).astype(np.float32))
        off += size
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0, batch_size=4096)
    if not isinstance(ys, (list, tuple)):
        ys = [ys]
    flat = np.concatenate([np.asarray(y, dtype=np.float64).reshape(len(rows), -1) for y in ys], axis=1)
    return [[Fraction(float(v)) for v in r] for r in flat]


def versions():
    from importlib.metadata import version

    v = {k: version(k) for k in ("alkaid", "hgq2", "keras", "jax", "numpy")}
    v["python"] = platform.python_version()
    for tool, args in (("yosys", ["-V"]), ("iverilog", ["-V"])):
        try:
            out = subprocess.run([tool] + args, capture_output=True, text=True).stdout.splitlines()[0]
        except Exception:
            out = "not found"
        v[tool] = out.strip()
    return v


# ---------------------------------------------------------------- one model

def bench_model(name, args, work):
    import keras  # noqa: F401
    import importlib.util

    from dagen.keras import cli

    # the model builders and seeds of tools/examples/make_v2_models.py (a script, loaded from its file)
    spec = importlib.util.spec_from_file_location("make_v2_models",
                                                  os.path.join(REPO, "tools", "examples", "make_v2_models.py"))
    mv = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mv)

    mdir = os.path.join(work, name)
    shutil.rmtree(mdir, ignore_errors=True)
    os.makedirs(mdir)
    res = {"model": name, "designs": {}, "notes": []}

    model, seed = mv.MODELS[name]()
    mv.randomize(model, seed)
    kpath = os.path.join(mdir, f"{name}.keras")
    model.save(kpath)
    mjson = os.path.join(mdir, f"{name}.json")
    t0 = time.perf_counter()
    rc = cli.main([kpath, "-o", mjson, "--name", name, "--check", "0", "-q"])
    res["export_s"] = round(time.perf_counter() - t0, 3)
    if rc != 0:
        res["notes"].append("dagen-export failed")
        return res
    shipped = os.path.join(REPO, "tests", "models", "v2", f"{name}.json")
    with open(mjson) as a, open(shipped) as b:
        res["export_equals_shipped"] = a.read() == b.read()

    # alkaid: pipelined first (its latency sets da-gen's)
    alk = {}
    for pipelined in (False, True):
        for tern in (True, False):
            key = f"alkaid_{'pipe' if pipelined else 'comb'}{'' if tern else '_notern'}"
            # the pipelined design without ternary fusion gets exactly the stages of the default one
            # (its own latency_cutoff split can differ: fusion changes alkaid's latency estimate)
            k = res["designs"].get("alkaid_pipe", {}).get("n_stages", -1) if pipelined and not tern else -1
            try:
                rtl, comb, dt = alkaid_convert(model, os.path.join(mdir, key), pipelined, tern, n_stages=k)
            except Exception as e:  # an unsupported layer: say which and why
                res["notes"].append(f"{key}: alkaid failed: {type(e).__name__}: {e}")
                log(f"  {key}: alkaid FAILED: {e}")
                continue
            n_stages = len(rtl.fsm.logic)
            has_regs = any(s.reg for s in rtl.fsm.signals.values())
            lat = n_stages + 1 if has_regs else 0  # input register, n_stages - 1 stage registers, output register
            alk[key] = {"rtl": rtl, "comb": comb}
            res["designs"][key] = {
                "tool": "alkaid", "pipelined": pipelined, "ternary": tern, "gen_s": round(dt, 3),
                "latency": lat, "n_stages": n_stages, "alkaid_latency_property": rtl.latency,
                "alkaid_reg_bits": rtl.reg_bits if has_regs else 0, "alkaid_cost": float(comb.cost),
                "alkaid_comb_latency": [float(x) for x in comb.latency],
                "call": (f"trace_model(model, HWConfig{ALKAID_HWCONF}, {{'hard_dc': {ALKAID_HARD_DC}}}); "
                         f"trace(inp, out, optimize=True); RTLModel(comb, DIR, 'model', flavor='verilog', " +
                         (f"n_stages={k}" if k > 0 else
                          f"latency_cutoff={ALKAID_LATENCY_CUTOFF if pipelined else -1}") +
                         f", ternary_fuse={tern}).write()"),
            }
            log(f"  {key}: {dt:.2f} s, latency {lat}")
    L = res["designs"].get("alkaid_pipe", res["designs"].get("alkaid_pipe_notern", {})).get("latency")
    if L is None:
        L = 3
        res["notes"].append("no pipelined alkaid design; da-gen pipelined at 3")
    if res["designs"].get("alkaid_pipe_notern", {}).get("latency", L) != L:
        res["notes"].append("alkaid's pipelined latency differs with and without ternary fusion")
    res["pipelined_latency"] = L

    # da-gen
    dg = {}
    for pipe in (0, L):
        for tern in (False, True):
            key = f"dagen_{'pipe' if pipe else 'comb'}{'_tern' if tern else ''}"
            outdir = os.path.join(mdir, key)
            try:
                rep, dt, cmd, msg = run_dagen(args.da_gen, mjson, outdir, pipe, tern)
            except Exception as e:
                res["notes"].append(f"{key}: {e}")
                continue
            dg[key] = rep
            res["designs"][key] = {
                "tool": "da-gen", "pipelined": pipe > 0, "ternary": tern, "gen_s": round(dt, 3),
                "latency": rep["latency_cycles"], "est_period_ns": rep["pipeline"]["estimated_period_ns"],
                "dagen_adder_luts": rep["stats"]["adder_luts"], "dagen_logic_luts": rep["stats"].get("logic_luts"),
                "dagen_register_bits": rep["pipeline"]["register_bits"], "command": cmd, "message": msg,
                "dagen_ternary_adders": rep["stats"].get("ternary_adders"),
            }
            log(f"  {key}: {dt:.3f} s, latency {rep['latency_cycles']}, est {rep['pipeline']['estimated_period_ns']} ns")

    # vectors from da-gen's input layout (identical for all its designs)
    any_rep = next(iter(dg.values()))
    in_layout = elem_layout_dagen(any_rep["inputs"])
    out_layout_dg = elem_layout_dagen(any_rep["outputs"])
    rows = make_vectors(in_layout, args.vectors, args.seed)
    ref = dagen_eval(args.da_gen, mjson, rows, os.path.join(mdir, "eval_in.json"))
    res["vectors"] = len(rows)
    try:
        kshapes = [tuple(i.shape[1:]) for i in model.inputs]
        kout = keras_predict(model, rows, kshapes)
        kbad = sum(1 for a, b in zip(kout, ref) if a != b)
        res["keras_vs_eval_mismatches"] = kbad
        if kbad:
            res["notes"].append(f"Keras and da-gen --eval differ on {kbad} of {len(rows)} vectors")
    except Exception as e:
        res["notes"].append(f"keras predict failed: {e}")

    # simulate everything
    for key, d in res["designs"].items():
        try:
            if d["tool"] == "da-gen":
                files = glob.glob(os.path.join(mdir, key, "*.v"))
                rep = dg[key]
                words_in = [pack(r, in_layout) for r in rows]
                # --ternary designs: simulated as synthesized, the LUT6_2 / CARRY8 instances of
                # dagen_add3.v with Yosys' cell models (SYNTHESIS defined)
                prim = CELLS_SIM if d["ternary"] else None
                outs = simulate(files + ([prim] if prim else []), rep["top"], ("clk", "x", "y"), words_in,
                                rep["x_width"], rep["y_width"], rep["latency_cycles"], os.path.join(mdir, "sim", key),
                                defines=("SYNTHESIS",) if prim else ())
                d["sim_primitives"] = bool(prim)
                bad, first = compare(ref, outs, out_layout_dg)
                d["sim"] = {"mismatches": bad, "first": first}
                d["yosys_dir"] = os.path.join(mdir, key)
                d["top"] = rep["top"]
            else:
                rtl = alk[key]["rtl"]
                ain = elem_layout_kif(rtl.fsm.inp_signals[0].precisions)
                aout = elem_layout_kif(rtl.fsm.out_signals[0].precisions)
                d["port_layout"] = {"in_bits": layout_width(ain), "out_bits": layout_width(aout),
                                    "in_types_equal_model_json": [(w, s, f) for _, w, s, f in ain] ==
                                    [(w, s, f) for _, w, s, f in in_layout]}
                words_in = [pack(r, ain) for r in rows]
                variants = [("", False)] + ([("_lut3", True)] if d["ternary"] else [])
                for suffix, fair in variants:
                    flat = alkaid_flat(os.path.join(mdir, key), os.path.join(mdir, key + suffix + "_flat"), fair)
                    # the swapped ternary adders are simulated as synthesized: LUT6_2 / CARRY8 cell models
                    outs = simulate(glob.glob(os.path.join(flat, "*.v")) + ([CELLS_SIM] if fair else []), "model",
                                    ("clk", "model_inp", "model_out"), words_in, layout_width(ain), layout_width(aout),
                                    d["latency"], os.path.join(mdir, "sim", key + suffix),
                                    defines=("SYNTHESIS",) if fair else ())
                    bad, first = compare(ref, outs, aout)
                    if suffix:
                        n3, alln = ternary_stats(flat)
                        d["lut3"] = {"sim": {"mismatches": bad, "first": first}, "yosys_dir": flat,
                                     "ternary_adders": n3, "all_negated_kept_behavioural": alln}
                    else:
                        d["sim"] = {"mismatches": bad, "first": first}
                        d["yosys_dir"] = flat
                        d["ternary_adders"] = ternary_stats(flat)[0]
                d["top"] = "model"
        except Exception as e:
            d["sim"] = {"error": f"{type(e).__name__}: {e}"}
        s = d.get("sim", {})
        status = "ok" if s.get("mismatches") == 0 else f"MISMATCH/ERROR {s}"
        log(f"  sim {key}: {status}" + (f"; lut3 {d['lut3']['sim']['mismatches']}" if "lut3" in d else ""))

    if args.no_yosys:
        return res
    for key, d in res["designs"].items():
        targets = [(d, d.get("yosys_dir"), d.get("sim", {}))]
        if "lut3" in d:
            targets.append((d["lut3"], d["lut3"]["yosys_dir"], d["lut3"]["sim"]))
        for tgt, ydir, sim in targets:
            if ydir is None or sim.get("mismatches") != 0:
                tgt["yosys"] = None
                tgt["yosys_note"] = "not synthesized: the design failed the function check"
                continue
            tag = os.path.basename(ydir.rstrip("/"))
            net = os.path.join(mdir, f"{tag}.netlist.v")
            try:
                y = yosys(ydir, d["top"], os.path.join(mdir, f"{tag}.yosys.json"), netlist=net)
                tgt["yosys"] = {k: y[k] for k in ("lut", "ff", "carry", "carry_bits", "srl", "dsp", "muxf", "other",
                                                  "yosys_seconds")}
                tgt["yosys"]["cells"] = y["cells"]
                sta, why = yosys_sta(net, d["top"], os.path.join(mdir, "sim"))
                tgt["sta_ns"] = sta
                if why:
                    tgt["sta_note"] = why
                log(f"  yosys {tag}: LUT {y['lut']} FF {y['ff']} CARRY {y['carry']} sta {sta}")
            except Exception as e:
                tgt["yosys"] = None
                tgt["yosys_note"] = str(e)[:500]
    return res


# ---------------------------------------------------------------- tables

def fmt(v, nd=None):
    if v is None:
        return "—"
    if nd is not None:
        return f"{v:.{nd}f}"
    return str(v)


def ratio(a, b, nd=2):
    if a is None or b in (None, 0):
        return "—"
    return f"{a / b:.{nd}f}"


def lut(d):
    return d["yosys"]["lut"] if d and d.get("yosys") else None


def ff(d):
    return d["yosys"]["ff"] if d and d.get("yosys") else None


def markdown(results):
    lines = []
    hdr = ("| model | mode | latency | da-gen LUT | da-gen --ternary LUT | alkaid no-ternary LUT | "
           "alkaid LUT (Yosys maps a+b+c) | alkaid LUT (a+b+c as LUT6_2+CARRY8) | "
           "LUT ratio two-input | LUT ratio ternary | da-gen FF | da-gen --ternary FF | alkaid FF | "
           "alkaid no-ternary FF |")
    lines.append(hdr)
    lines.append("|" + "---|" * 2 + "---:|" * (hdr.count("|") - 3) )
    for r in results:
        D = r["designs"]
        for mode in ("comb", "pipe"):
            g = lambda k: D.get(k)  # noqa: E731
            dg, dgt = g(f"dagen_{mode}"), g(f"dagen_{mode}_tern")
            an, at = g(f"alkaid_{mode}_notern"), g(f"alkaid_{mode}")
            at3 = at.get("lut3") if at else None
            lat = (dg or {}).get("latency")
            alat = (at or an or {}).get("latency")
            latc = fmt(lat) if lat == alat else f"{fmt(lat)} / alkaid {fmt(alat)}"
            lines.append(
                f"| {r['model']} | {'combinational' if mode == 'comb' else 'pipelined'} | {latc} | "
                f"{fmt(lut(dg))} | {fmt(lut(dgt))} | {fmt(lut(an))} | {fmt(lut(at))} | {fmt(lut(at3))} | "
                f"{ratio(lut(dg), lut(an))} | {ratio(lut(dgt), lut(at3))} | "
                f"{fmt(ff(dg))} | {fmt(ff(dgt))} | {fmt(ff(at))} | {fmt(ff(an))} |")
    lines.append("")
    hdr2 = ("| model | mode | da-gen est. period ns | da-gen --ternary est. ns | da-gen sta ns | "
            "alkaid no-ternary sta ns | alkaid sta ns (Yosys a+b+c) | da-gen s | da-gen --ternary s | "
            "alkaid s | alkaid no-ternary s | time ratio alkaid / da-gen | exporter s (model.json, once) |")
    lines.append(hdr2)
    lines.append("|" + "---|" * 2 + "---:|" * (hdr2.count("|") - 3))
    for r in results:
        D = r["designs"]
        for mode in ("comb", "pipe"):
            dg, dgt = D.get(f"dagen_{mode}"), D.get(f"dagen_{mode}_tern")
            an, at = D.get(f"alkaid_{mode}_notern"), D.get(f"alkaid_{mode}")
            gs = lambda d: (d or {}).get("gen_s")  # noqa: E731
            lines.append(
                f"| {r['model']} | {'combinational' if mode == 'comb' else 'pipelined'} | "
                f"{fmt((dg or {}).get('est_period_ns'))} | {fmt((dgt or {}).get('est_period_ns'))} | "
                f"{fmt((dg or {}).get('sta_ns'))} | {fmt((an or {}).get('sta_ns'))} | {fmt((at or {}).get('sta_ns'))} | "
                f"{fmt(gs(dg), 3)} | {fmt(gs(dgt), 3)} | {fmt(gs(at), 2)} | {fmt(gs(an), 2)} | "
                f"{ratio(gs(at), gs(dg), 0)} | {fmt(r.get('export_s'), 2)} |")
    return "\n".join(lines) + "\n"


def check_table(results):
    hdr = ("| model | vectors | Keras = da-gen --eval | exported = shipped json | alkaid input types = model.json | "
           "designs checked | mismatching designs | alkaid ternary adders (comb / pipe) | of them all-negated | "
           "da-gen ternary adders (comb / pipe) |")
    lines = [hdr, "|---|" + "---:|" * (hdr.count("|") - 2)]
    for r in results:
        D = r["designs"]
        checked, bad = 0, []
        for k, d in D.items():
            for tag, s in ((k, d.get("sim", {})), (k + "_lut3", (d.get("lut3") or {}).get("sim"))):
                if s is None:
                    continue
                checked += 1
                if s.get("mismatches") != 0:
                    bad.append(tag)
        kv = r.get("keras_vs_eval_mismatches")
        pl = [d.get("port_layout", {}).get("in_types_equal_model_json") for d in D.values() if d["tool"] == "alkaid"]
        tn = lambda k: (D.get(k) or {}).get("ternary_adders")  # noqa: E731
        ng = lambda k: ((D.get(k) or {}).get("lut3") or {}).get("all_negated_kept_behavioural")  # noqa: E731
        dt = lambda k: (D.get(k) or {}).get("dagen_ternary_adders")  # noqa: E731
        lines.append(f"| {r['model']} | {r.get('vectors')} | {'yes' if kv == 0 else fmt(kv) + ' differ'} | "
                     f"{'yes' if r.get('export_equals_shipped') else 'no'} | "
                     f"{'yes' if pl and all(pl) else 'no'} | {checked} | {', '.join(bad) if bad else 'none'} | "
                     f"{fmt(tn('alkaid_comb'))} / {fmt(tn('alkaid_pipe'))} | {fmt(ng('alkaid_comb'))} / "
                     f"{fmt(ng('alkaid_pipe'))} | {fmt(dt('dagen_comb_tern'))} / {fmt(dt('dagen_pipe_tern'))} |")
    return "\n".join(lines) + "\n"


def geomean(xs):
    import math

    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def summary(results):
    out = []
    for mode, label in (("comb", "combinational"), ("pipe", "pipelined")):
        two = [lut(r["designs"].get(f"dagen_{mode}")) / lut(r["designs"].get(f"alkaid_{mode}_notern"))
               for r in results if lut(r["designs"].get(f"dagen_{mode}")) and lut(r["designs"].get(f"alkaid_{mode}_notern"))]
        ter = [lut(r["designs"].get(f"dagen_{mode}_tern")) / lut((r["designs"].get(f"alkaid_{mode}") or {}).get("lut3"))
               for r in results if lut(r["designs"].get(f"dagen_{mode}_tern")) and
               lut((r["designs"].get(f"alkaid_{mode}") or {}).get("lut3"))]
        ffr = [ff(r["designs"].get(f"dagen_{mode}")) / ff(r["designs"].get(f"alkaid_{mode}_notern"))
               for r in results if ff(r["designs"].get(f"dagen_{mode}")) and ff(r["designs"].get(f"alkaid_{mode}_notern"))]
        wins2 = sum(1 for x in two if x < 1)
        wins3 = sum(1 for x in ter if x < 1)
        s = (f"- {label}: da-gen / alkaid LUTs, two-input adders on both sides: geometric mean "
             f"{fmt(geomean(two), 3)} (range {fmt(min(two) if two else None, 2)}–{fmt(max(two) if two else None, 2)}, "
             f"fewer LUTs on {wins2} of {len(two)}); ternary adders on both sides (alkaid's as LUT6_2 + CARRY8): "
             f"{fmt(geomean(ter), 3)} (range {fmt(min(ter) if ter else None, 2)}–{fmt(max(ter) if ter else None, 2)}, "
             f"fewer on {wins3} of {len(ter)})")
        if ffr:
            s += f"; FF ratio (two-input designs) geometric mean {fmt(geomean(ffr), 3)}"
        out.append(s + ".")
    return "\n".join(out) + "\n"


def render_doc(doc):
    meta, results = doc["meta"], doc["results"]
    v = meta["versions"]
    parts = [
        "Generated by benchmarks/alkaid_v2.py from benchmarks/results/v2_alkaid.json; do not edit by hand.",
        "",
        "```sh",
        meta["command"].strip(),
        "```",
        "",
        f"- {meta['da_gen_version']} (commit {meta['git_commit']}"
        f"{'' if meta.get('worktree_clean', True) else ', with uncommitted changes'}); alkaid {v['alkaid']}, hgq2 {v['hgq2']}, "
        f"keras {v['keras']}, jax {v['jax']}, numpy {v['numpy']}, Python {v['python']}; {v['yosys']}; {v['iverilog']}.",
        f"- alkaid settings (its `alkaid convert` defaults): HWConfig{tuple(meta['alkaid_settings']['hwconf'])}, "
        f"hard_dc {meta['alkaid_settings']['hard_dc']}, pipelined with latency_cutoff "
        f"{meta['alkaid_settings']['latency_cutoff_pipelined']}.",
        f"- Machine: {meta['machine']}; run started {meta['started']}.",
        "",
        "### LUTs and flip-flops (tools/yosys_report.py, xilinx flow)",
        "",
        markdown(results).split("\n\n")[0],
        "",
        summary(results),
        "### Clock and generation time",
        "",
        markdown(results).split("\n\n")[1].rstrip("\n"),
        "",
        "### Function check and ternary adders",
        "",
        check_table(results),
    ]
    return "\n".join(parts)


def update_doc(path, doc):
    """Replace the block between the BEGIN/END markers of the Markdown file (created if absent)."""
    begin, end = "<!-- BEGIN alkaid_v2.py -->", "<!-- END alkaid_v2.py -->"
    block = begin + "\n" + render_doc(doc) + end
    text = open(path).read() if os.path.exists(path) else f"{begin}\n{end}\n"
    if begin not in text or end not in text:
        text += f"\n{begin}\n{end}\n"
    i, j = text.index(begin), text.index(end) + len(end)
    with open(path, "w") as f:
        f.write(text[:i] + block + text[j:])


def strip(results):
    """JSON-safe copy (no RTLModel objects)."""
    return json.loads(json.dumps(results, default=str))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--da-gen", default=os.path.join(REPO, "build", "da-gen"))
    ap.add_argument("--only", nargs="*", choices=MODELS)
    ap.add_argument("--vectors", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-yosys", action="store_true")
    ap.add_argument("--work", default=os.path.join(REPO, "benchmarks", "results", "work", "alkaid_v2"))
    ap.add_argument("--json", default=os.path.join(REPO, "benchmarks", "results", "v2_alkaid.json"))
    ap.add_argument("--md", default=os.path.join(REPO, "benchmarks", "results", "v2_alkaid_table.md"))
    ap.add_argument("--doc", default=os.path.join(REPO, "benchmarks", "v2_alkaid.md"),
                    help="Markdown file whose generated block is rewritten (between its markers)")
    ap.add_argument("--render", action="store_true", help="only re-render --md and --doc from --json")
    args = ap.parse_args(argv)
    if args.render:
        with open(args.json) as f:
            doc = json.load(f)
        with open(args.md, "w") as f:
            f.write(markdown(doc["results"]))
        update_doc(args.doc, doc)
        return 0
    if not os.path.exists(args.da_gen):
        ap.error(f"no da-gen binary at {args.da_gen} (build it, or pass --da-gen)")
    args.da_gen = os.path.abspath(args.da_gen)
    os.makedirs(args.work, exist_ok=True)
    r = subprocess.run([args.da_gen, "--version"], capture_output=True, text=True)
    meta = {"command": "benchmarks/.venv-alkaid/bin/python benchmarks/alkaid_v2.py " + " ".join(argv or sys.argv[1:]),
            "versions": versions(), "da_gen_version": (r.stdout or r.stderr).strip(),
            "git_commit": subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                                         text=True).stdout.strip(),
            "worktree_clean": subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                                             capture_output=True, text=True).stdout.strip() == "",
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), {platform.platform()}",
            "alkaid_settings": {"hwconf": ALKAID_HWCONF, "hard_dc": ALKAID_HARD_DC,
                                "latency_cutoff_pipelined": ALKAID_LATENCY_CUTOFF},
            "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    results = []
    for name in args.only or MODELS:
        log(f"== {name}")
        results.append(bench_model(name, args, args.work))
        doc = {"meta": meta, "results": strip(results)}
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
    md = markdown(strip(results))
    with open(args.md, "w") as f:
        f.write(md)
    if not args.only and not args.no_yosys:
        update_doc(args.doc, {"meta": meta, "results": strip(results)})
    print(md)
    bad = [(r["model"], k) for r in results for k, d in r["designs"].items()
           if d.get("sim", {}).get("mismatches") != 0 or (d.get("lut3") or {}).get("sim", {"mismatches": 0}).get("mismatches") != 0]
    if bad:
        log(f"function check failed: {bad}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
