#!/usr/bin/env python3
"""da-gen against alkaid on the version-1 networks (issue 18, item 1; item 2's first measurement),
through the one Yosys flow of tools/yosys_report.py, every design checked first.

    nice benchmarks/.venv-alkaid/bin/python benchmarks/alkaid_resources.py \\
        [--cases jsc_cernbox_acc75.16,...] [--da-gen build/da-gen] [--vectors 300] \\
        [--out benchmarks/results] [--render]

Cases: the two shipped HGQ jet classifiers, jsc_shaped, rand16x16_w8 and rand8x8_w8 (generators of
benchmarks/resources.py, imported) and the QKeras MLP (models/qkeras_mlp.json). Per case, in one run:

  alkaid (tools/alkaid_rtl.py, `alkaid convert`'s defaults: HWConfig(1, 1, -1), hard_dc 5)
    comb        combinational, ternary fusion on (its default): LUTs counted twice, as Yosys maps
                its `a + b + c` (two carry chains) and with alkaid's ternary_adder swapped for
                benchmarks/alkaid_ternary_lut.v (the LUT6_2 + CARRY8 adder da-gen --ternary uses)
    comb_notern combinational, ternary_fuse=False (two-input adders only)
    pipe        latency_cutoff 5 (the CLI default): n_stages stages, latency L = n_stages + 1;
                counted both ways as comb
    pipe_notern ternary_fuse=False at the same n_stages
  da-gen
    p0, p0_tern, pL, pL_tern                       --pipeline 0 / L, with and without --ternary
    bits_*                                         the same with --objective bits, synthesized when
                                                   da-gen's own LUT estimate is below the default's
    pL_at, pL_tern_at (and bits_ of them)          --pipeline L --clock-period P, P = da-gen's delay
                                                   model applied to alkaid's own stages
                                                   (tools/alkaid_rtl.py estimated_period_ns: the
                                                   no-ternary design for the two-input rows, the
                                                   default one for the ternary rows)

Function check before any count: corners and seeded random codes of da-gen's input types through
`da-gen --eval` (exact), and every design in Icarus Verilog, one vector per clock, each output read
L cycles later; the ternary designs of both tools also as synthesized (SYNTHESIS defined, their
ternary adders as LUT6_2 / CARRY8 instances with Yosys' xilinx/cells_sim.v models) on the first
--cell-vectors vectors (corners first; Icarus is slow on cell models). A design that differs is not synthesized. Then tools/yosys_report.py (xilinx)
and, for netlists without LUT6_2 / CARRY8, Yosys `sta` with cells_sim.v's specify delays (cell
delays only, no routing; benchmarks/alkaid_v2.py, whose helpers this script imports).

LUT breakdown (--breakdown, on by default for the jet classifiers): every two-input adder of both
tools' combinational two-input designs (da-gen's --dump-graph, alkaid's ops), binned by output width
and by the wider operand's width, each with its LUTs by one formula for both tools (one LUT per bit
from the higher operand LSB, the lower one for a subtraction, up to the operands' top; constant
adds: one LUT per 1 bit of the constant there), next to the Yosys total.

Writes OUT/alkaid_resources.json (every number, commands, versions) and OUT/alkaid_resources.md.
"""
from __future__ import annotations

import argparse
import glob
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tools"))
import alkaid_rtl  # noqa: E402
import alkaid_v2 as av2  # noqa: E402
import resources  # noqa: E402

CASES = ["jsc_cernbox_acc75.16", "jsc_cernbox_acc74.98", "jsc_shaped", "rand16x16_w8", "rand8x8_w8", "qkeras_mlp"]
TARGETS = ["jsc_cernbox_acc75.16", "jsc_cernbox_acc74.98", "jsc_shaped"]
JETS = TARGETS[:2]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def case_model(name):
    if name == "jsc_shaped":
        return resources.jsc_shaped(7)
    if name.startswith("rand"):
        n, bits = name[4:].split("x")[0], name.split("_w")[1]
        return resources.random_layer(int(n), int(bits), seed=100 * int(n) + int(bits))
    return json.loads((REPO / "models" / f"{name}.json").read_text())


def dagen(da_gen, model_path, outdir, args):
    shutil.rmtree(outdir, ignore_errors=True)
    cmd = [da_gen, str(model_path), "-o", str(outdir)] + list(args)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"da-gen {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
    rep = json.loads(next(p for p in Path(outdir).glob("*.json") if not p.name.endswith(".graph.json")).read_text())
    return rep, dt


def est_luts(rep):
    s = rep["stats"]
    return s["adder_luts"] + (s.get("logic_luts") or 0)


def bench_case(name, a, work):
    cdir = work / name
    shutil.rmtree(cdir, ignore_errors=True)
    cdir.mkdir(parents=True)
    model = case_model(name)
    mpath = cdir / "model.json"
    mpath.write_text(json.dumps(model))
    res = {"case": name, "designs": {}, "notes": []}
    D = res["designs"]

    # alkaid: the pipelined default design sets L and the no-ternary design's stages
    for key, kw in (("alkaid_comb", {}), ("alkaid_comb_notern", {"ternary": False}),
                    ("alkaid_pipe", {"pipeline": av2.ALKAID_LATENCY_CUTOFF}),
                    ("alkaid_pipe_notern", {"ternary": False})):
        if key == "alkaid_pipe_notern":
            kw["n_stages"] = D["alkaid_pipe"]["n_stages"]
        t0 = time.perf_counter()
        try:
            _, info = alkaid_rtl.write_rtl(alkaid_rtl.d4.load_model(mpath), cdir / key, "model", quiet=True, **kw)
        except Exception as e:
            res["notes"].append(f"{key}: alkaid failed: {type(e).__name__}: {e}")
            log(f"  {key}: alkaid FAILED {e}")
            continue
        dt = time.perf_counter() - t0
        call = "tools/alkaid_rtl.py model.json -o DIR" + (
            f" --n-stages {kw['n_stages']}" if "n_stages" in kw else f" --pipeline {kw['pipeline']}" if "pipeline" in kw
            else "") + (" --no-ternary" if kw.get("ternary") is False else "")
        D[key] = {"tool": "alkaid", "ternary": info["ternary_fuse"], "latency": info["latency_cycles"],
                  "n_stages": info["n_stages"], "gen_s": round(dt, 3), "command": call, "info": info,
                  "est_period_ns": info["estimated_period_ns"]["xcup"], "dir": str(cdir / key), "top": "model"}
        log(f"  {key}: latency {info['latency_cycles']}, est {info['estimated_period_ns']['xcup']} ns, "
            f"{info['ternary_adders']} ternary, {dt:.1f} s")
    L = D.get("alkaid_pipe", {}).get("latency", 3)
    res["latency"] = L
    P2 = D.get("alkaid_pipe_notern", {}).get("est_period_ns")
    P3 = D.get("alkaid_pipe", {}).get("est_period_ns")

    # da-gen
    specs = [("dagen_p0", ["--pipeline", "0"]), ("dagen_p0_tern", ["--pipeline", "0", "--ternary"]),
             ("dagen_pL", ["--pipeline", str(L)]), ("dagen_pL_tern", ["--pipeline", str(L), "--ternary"])]
    if P2:
        specs.append(("dagen_pL_at", ["--pipeline", str(L), "--clock-period", str(P2)]))
    if P3:
        specs.append(("dagen_pL_tern_at", ["--pipeline", str(L), "--clock-period", str(P3), "--ternary"]))
    specs += [("bits_" + k[6:], ["--objective", "bits"] + s) for k, s in specs]
    for key, args in specs:
        if key.startswith("bits_"):
            key = "dagen_bits_" + key[5:]
        try:
            rep, dt = dagen(a.da_gen, mpath, cdir / key, args + (["--dump-graph"] if key == "dagen_p0" else []))
        except Exception as e:
            res["notes"].append(str(e))
            log(f"  {key}: {e}")
            continue
        D[key] = {"tool": "da-gen", "ternary": "--ternary" in args, "latency": rep["latency_cycles"],
                  "gen_s": round(dt, 3), "command": "da-gen model.json -o DIR " + " ".join(args),
                  "est_period_ns": rep["pipeline"]["estimated_period_ns"], "est_luts": est_luts(rep),
                  "stats": rep["stats"], "register_bits": rep["pipeline"]["register_bits"],
                  "dir": str(cdir / key), "top": rep["top"], "report": rep,
                  "x_width": rep["x_width"], "y_width": rep["y_width"]}
        log(f"  {key}: latency {rep['latency_cycles']}, est {rep['pipeline']['estimated_period_ns']} ns, "
            f"est LUT {est_luts(rep)}, {dt:.3f} s")
    # --objective bits only where da-gen's own estimate says it is better
    for key in [k for k in D if k.startswith("dagen_bits_")]:
        base = "dagen_" + key[len("dagen_bits_"):]
        if base in D and D[key]["est_luts"] >= D[base]["est_luts"]:
            D[key]["skip"] = f"not synthesized: estimated LUTs {D[key]['est_luts']} >= {D[base]['est_luts']} ({base})"

    # function check
    rep0 = D["dagen_p0"]["report"]
    in_layout = av2.elem_layout_dagen(rep0["inputs"])
    out_layout = av2.elem_layout_dagen(rep0["outputs"])
    rows = av2.make_vectors(in_layout, a.vectors, a.seed)
    ref = av2.dagen_eval(a.da_gen, str(mpath), rows, str(cdir / "eval_in.json"))
    res["vectors"] = len(rows)
    make_chain_dirs(D)
    check_designs(D, rows, ref, in_layout, out_layout, cdir, a)
    synth_designs(D, cdir)
    if name in JETS or a.breakdown_all:
        res["breakdown"] = breakdown(cdir)
    for d in D.values():
        d.pop("report", None)
    return res


def variants(d):
    """(tag suffix, target dict, directory, ternary cells) of each way a design is counted: as
    written; alkaid's ternary designs also with the LUT6_2 + CARRY8 swap (lut3); every alkaid
    design also with its shift_adder as one carry chain (chain, lut3_chain)."""
    out = [("", d, d["dir"], d["ternary"])]
    for name in ("lut3", "chain", "lut3_chain"):
        if name in d:
            out.append(("_" + name, d[name], d[name]["dir"], d["ternary"] and name.startswith("lut3")))
    return out


def make_chain_dirs(D):
    """The lut3 entry of alkaid's ternary designs (tools/alkaid_rtl.py wrote DIR/lut3), and alkaid's
    designs with benchmarks/alkaid_shift_adder_chain.v for its shift_adder (chain, lut3_chain)."""
    for d in D.values():
        if d["tool"] != "alkaid":
            continue
        if d["ternary"]:
            d.setdefault("lut3", {"dir": os.path.join(d["dir"], "lut3")})
        for name, src in (("chain", d["dir"]), ("lut3_chain", os.path.join(d["dir"], "lut3"))):
            if name == "lut3_chain" and not d["ternary"]:
                continue
            dest = os.path.join(d["dir"], name)
            shutil.rmtree(dest, ignore_errors=True)
            os.makedirs(dest)
            for f in glob.glob(os.path.join(src, "*.v")):
                if os.path.basename(f) != "shift_adder.v":
                    shutil.copy(f, dest)
            shutil.copy(HERE / "alkaid_shift_adder_chain.v", dest)
            d[name] = {"dir": dest}


def check_designs(D, rows, ref, in_layout, out_layout, cdir, a, only=None):
    """Simulate every variant (only: those tag suffixes) against the reference rows."""
    for key, d in D.items():
        for suffix, tgt, ydir, cells in variants(d):
            if only is not None and suffix not in only:
                continue
            try:
                files = glob.glob(os.path.join(ydir, "*.v")) + ([av2.CELLS_SIM] if cells else [])
                if d["tool"] == "da-gen":
                    ports, lay_in, lay_out = ("clk", "x", "y"), in_layout, out_layout
                    wi, wo = d["x_width"], d["y_width"]
                else:
                    ports = ("clk", "model_inp", "model_out")
                    lay_in, lay_out = alkaid_rtl.layouts(d["info"])
                    wi, wo = d["info"]["ports"]["model_inp"]["width"], d["info"]["ports"]["model_out"]["width"]
                    tgt["in_types_equal_model_json"] = [x[1:] for x in lay_in] == [x[1:] for x in in_layout]
                words = [av2.pack(r, lay_in) for r in rows]
                # every vector through the behavioural design; ternary designs also as synthesized
                # (LUT6_2 / CARRY8 cell models, slow in Icarus) on the first --cell-vectors
                runs = [(files if not cells else [f for f in files if f != av2.CELLS_SIM], (), len(rows), "")]
                if cells:
                    runs.append((files, ("SYNTHESIS",), min(a.cell_vectors, len(rows)), "_cells"))
                tgt["sim"] = {"mismatches": 0, "first": [], "vectors": {}}
                for fs, defs, n, tag in runs:
                    outs = av2.simulate(fs, d["top"], ports, words[:n], wi, wo, d["latency"],
                                        str(cdir / "sim" / (key + suffix + tag)), defines=defs)
                    bad, first = av2.compare(ref[:n], outs, lay_out)
                    tgt["sim"]["mismatches"] += bad
                    tgt["sim"]["first"] += first
                    tgt["sim"]["vectors"]["as synthesized" if tag else "behavioural"] = n
            except Exception as e:
                tgt["sim"] = {"error": f"{type(e).__name__}: {e}"[:500]}
            log(f"  sim {key}{suffix}: {tgt['sim'].get('mismatches', tgt['sim'])}")


def synth_designs(D, cdir, only=None):
    """tools/yosys_report.py and Yosys sta on every variant that passed the function check."""
    for key, d in D.items():
        for suffix, tgt, ydir, _ in variants(d):
            if (only is not None and suffix not in only) or d.get("skip"):
                continue
            if tgt.get("sim", {}).get("mismatches") != 0:
                tgt["yosys_note"] = "not synthesized: the design failed the function check"
                continue
            tag = key + suffix
            net = str(cdir / f"{tag}.netlist.v")
            try:
                y = av2.yosys(ydir, d["top"], str(cdir / f"{tag}.yosys.json"), netlist=net)
                tgt["yosys"] = {k: y[k] for k in ("lut", "ff", "carry", "carry_bits", "srl", "dsp", "muxf", "yosys_seconds")}
                tgt["yosys"]["cells"] = y["cells"]
                sdir = cdir / "sta" / tag
                sdir.mkdir(parents=True, exist_ok=True)
                tgt["sta_ns"], why = av2.yosys_sta(net, d["top"], str(sdir))
                if why:
                    tgt["sta_note"] = why
                log(f"  yosys {tag}: LUT {y['lut']} FF {y['ff']} sta {tgt['sta_ns']} ({y['yosys_seconds']} s)")
            except Exception as e:
                tgt["yosys_note"] = str(e)[:500]
                log(f"  yosys {tag}: {e}")


def chain_only(doc, out, a):
    """Add the one-chain variants to the alkaid designs of a finished run (same vectors)."""
    for r in doc["results"]:
        if r["case"] not in a.cases.split(","):
            continue
        cdir = out / "work" / "alkaid_resources" / r["case"]
        D = r["designs"]
        rep = json.loads(next(p for p in (cdir / "dagen_p0").glob("*.json") if not p.name.endswith(".graph.json")).read_text())
        in_layout, out_layout = av2.elem_layout_dagen(rep["inputs"]), av2.elem_layout_dagen(rep["outputs"])
        rows = av2.make_vectors(in_layout, a.vectors, a.seed)
        ref = av2.dagen_eval(a.da_gen, str(cdir / "model.json"), rows, str(cdir / "eval_in.json"))
        if len(rows) != r["vectors"]:
            raise SystemExit(f"--chain-only: {r['case']} was checked on {r['vectors']} vectors, not {len(rows)}")
        log(f"== {r['case']} (one-chain variants)")
        make_chain_dirs(D)
        check_designs(D, rows, ref, in_layout, out_layout, cdir, a, only={"_chain", "_lut3_chain"})
        synth_designs(D, cdir, only={"_chain", "_lut3_chain"})


# ---------------------------------------------------------------- where the LUTs go

WIDTH_BINS = [(1, 4), (5, 8), (9, 12), (13, 16), (17, 99)]


def _bin(w):
    return next(f"{lo}-{hi}" if hi < 99 else f">={lo}" for lo, hi in WIDTH_BINS if lo <= w <= hi)


def _operand_bit(p, lsb, width, signed, const=None):
    """The bit of an operand at absolute position p (units of 2^p): ('c', 0/1) for a known bit,
    else ('w', bit index), sign-extended when signed."""
    if const is not None:
        return ("c", (const >> (p - lsb)) & 1 if p >= lsb else 0)
    if p < lsb or width <= 0:
        return ("c", 0)
    j = p - lsb
    if j >= width:
        if not signed:
            return ("c", 0)
        j = width - 1
    return ("w", j)


def _adder_luts(a, b, lo, wo, sub):
    """(one-input LUTs, two-input LUTs) of a two-input adder over its output bits, by the rule of
    src/target/lut_cost.cpp within one adder: a bit needs its propagate LUT a XOR b (XNOR for a
    subtraction) unless it is a wire (an addition with a known 0), a constant, or a repeat of a
    bit already computed (above both sign bits). a, b: (lsb, width, signed, constant or None)."""
    seen, one, two = set(), 0, 0
    for p in range(lo, lo + wo):
        x, y = _operand_bit(p, *a), ("b",) + _operand_bit(p, *b)
        x = ("a",) + x
        if x[1] == "c" and y[1] == "c":
            continue
        if x[1] == "c":
            x, y = y, x
        if y[1] == "c":  # x or NOT x
            if (y[2] != 0) == sub:
                continue
            key = (x, None)
        else:
            key = (x, y)
        if key in seen:
            continue
        seen.add(key)
        one += key[1] is None
        two += key[1] is not None
    return one, two


def _tally(tab, key, luts):
    e = tab.setdefault(key, {"adders": 0, "luts": 0, "one_input": 0})
    e["adders"] += 1
    e["luts"] += sum(luts)
    e["one_input"] += luts[0]


def dagen_adders(graph):
    """(output width, wider operand width, (one-input, two-input) LUTs, constant operand) of every
    add node of a da-gen --dump-graph graph."""
    def tw(t):  # 's4.5' -> (width, lsb, signed)
        s, rest = t[0] == "s", t[1:]
        i, f = (int(x) for x in rest.split("."))
        return int(s) + i + f, -f, s

    nodes = {n["id"]: n for n in graph["nodes"]}
    out = []
    for n in graph["nodes"]:
        if n["kind"] != "add":
            continue
        wo, lo, _ = tw(n["type"])
        ops = []
        for o in n["operands"]:
            m = nodes[o["node"]]
            w, lsb, sg = tw(m["type"])
            ops.append((lsb + o["shift"], w, sg, int(m["code"]) if m["kind"] == "const" else None))
        const = any(x[3] is not None for x in ops)
        wi = max(x[1] for x in ops if x[3] is None) if not all(x[3] is not None for x in ops) else 0
        out.append((wo, wi, _adder_luts(ops[0], ops[1], lo, wo, bool(n.get("sub"))), const))
    return out


def alkaid_adders(comb):
    """The same for alkaid's ops (opcodes 0/1: a +/- b << s; 4: a + constant)."""
    out = []
    ops = comb.ops
    ref = comb.ref_count
    for k, op in enumerate(ops):
        if ref[k] == 0 or op.opcode not in (0, 1, 4):
            continue
        wo, lo = alkaid_rtl._kif(op)
        if wo <= 0:
            continue
        wa, la = alkaid_rtl._kif(ops[op.addr[0]])
        a = (la, wa, bool(ops[op.addr[0]].qint.kif[0]), None)
        if op.opcode == 4:
            val, f1 = op.data
            out.append((wo, wa, _adder_luts(a, (-int(f1), 0, True, int(val)), lo, wo, False), True))
            continue
        wb, lb = alkaid_rtl._kif(ops[op.addr[1]])
        b = (lb + op.data[0], wb, bool(ops[op.addr[1]].qint.kif[0]), None)
        out.append((wo, max(wa, wb), _adder_luts(a, b, lo, wo, op.opcode == 1), False))
    return out


def breakdown(cdir):
    """Adders and formula LUTs by output width and by operand width, both tools' two-input
    combinational designs, with their Yosys LUT totals."""
    from alkaid.codegen import RTLModel  # noqa: F401  (the venv check)

    graph = json.loads(next((cdir / "dagen_p0").glob("*.graph.json")).read_text())
    dg = dagen_adders(graph)
    # alkaid's no-ternary combinational design: rebuild its comb (the same deterministic trace)
    from alkaid.trace import trace

    inp, out = alkaid_rtl.build_alkaid(alkaid_rtl.d4.load_model(cdir / "model.json"))
    comb = trace(inp, out, optimize=True, keep_dead_inputs=True)
    ak = alkaid_adders(comb)
    # ReLUs of a signed value: one LUT per output bit (the bit AND NOT the sign)
    types = {n["id"]: n["type"] for n in graph["nodes"]}
    relu = {"da-gen": sum(int(n["type"][1:].split(".")[0]) + int(n["type"].split(".")[1]) for n in graph["nodes"]
                          if n["kind"] == "relu" and types[n["operands"][0]["node"]].startswith("s")),
            "alkaid": sum(alkaid_rtl._kif(op)[0] for k, op in enumerate(comb.ops) if op.opcode == 2 and comb.ref_count[k]
                          and comb.ops[op.addr[0]].qint.min < 0)}
    res = {}
    for tool, items in (("da-gen", dg), ("alkaid", ak)):
        by_out, by_in = {}, {}
        for wo, wi, luts, const in items:
            _tally(by_out, ("const " if const else "") + _bin(wo), luts)
            _tally(by_in, ("const " if const else "") + (_bin(wi) if wi else "0"), luts)
        res[tool] = {"by_output_width": by_out, "by_operand_width": by_in,
                     "formula_luts": sum(sum(x[2]) for x in items),
                     "formula_one_input": sum(x[2][0] for x in items), "adders": len(items),
                     "relu_luts": relu[tool]}
    return res


# ---------------------------------------------------------------- tables

def lut(d):
    return (d or {}).get("yosys", {}).get("lut") if d and d.get("yosys") else None


def ff(d):
    return (d or {}).get("yosys", {}).get("ff") if d and d.get("yosys") else None


def geomean(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt(v, nd=None):
    if v is None:
        return "—"
    return f"{v:.{nd}f}" if nd is not None else str(v)


ROW_ORDER = ["alkaid_comb", "alkaid_comb_notern", "dagen_p0", "dagen_bits_p0", "dagen_p0_tern", "dagen_bits_p0_tern",
             "alkaid_pipe", "alkaid_pipe_notern", "dagen_pL", "dagen_bits_pL", "dagen_pL_tern", "dagen_bits_pL_tern",
             "dagen_pL_at", "dagen_bits_pL_at", "dagen_pL_tern_at", "dagen_bits_pL_tern_at"]


def best(D, keys):
    """The design of `keys` with the fewest Yosys LUTs (None if none was synthesized)."""
    c = [(lut(D.get(k)), k) for k in keys if lut(D.get(k))]
    return min(c)[1] if c else None


def comparisons(r):
    """Per case: label -> (da-gen key, alkaid key, alkaid variant: None (as written), lut3, chain or
    lut3_chain) of the ratio columns; da-gen's is the one of its designs with the fewest LUTs."""
    D = r["designs"]
    c = {}
    for mode, L in (("comb", "p0"), ("pipe", "pL"), ("pipe", "pL_at")):
        at = " @alkaid clock" if L.endswith("_at") else ""
        two = best(D, [f"dagen_{L}", f"dagen_bits_{L}"])
        ter = best(D, [f"dagen_{L.replace('_at', '')}_tern{'_at' if at else ''}",
                       f"dagen_bits_{L.replace('_at', '')}_tern{'_at' if at else ''}"])
        c[f"{mode}{at} two-input"] = (two, f"alkaid_{mode}_notern", None)
        c[f"{mode}{at} ternary"] = (ter, f"alkaid_{mode}", "lut3")
        c[f"{mode}{at} two-input, alkaid one-chain"] = (two, f"alkaid_{mode}_notern", "chain")
        c[f"{mode}{at} ternary, alkaid one-chain"] = (ter, f"alkaid_{mode}", "lut3_chain")
    return c


def ratio_of(r, label):
    D = r["designs"]
    dk, ak, variant = comparisons(r)[label]
    if not dk or ak not in D:
        return None, None
    a = D[ak].get(variant) if variant else D[ak]
    lr = lut(D[dk]) / lut(a) if lut(D[dk]) and lut(a) else None
    fr = ff(D[dk]) / ff(a) if ff(D[dk]) and ff(a) else None
    return lr, fr


def markdown(doc):
    out = []
    hdr = ["case", "design", "latency", "est. ns (da-gen model)", "Yosys LUT", "LUT (a+b+c as LUT6_2+CARRY8)",
           "LUT (one-chain shift_adder)", "LUT (both)", "FF", "carry", "sta ns", "tool s", "command / note"]
    out += ["| " + " | ".join(hdr) + " |", "|---|---|" + "---:|" * (len(hdr) - 3) + "---|"]
    for r in doc["results"]:
        D = r["designs"]
        for k in ROW_ORDER:
            d = D.get(k)
            if d is None:
                continue
            note = d.get("skip") or d.get("yosys_note") or ""
            if d.get("sim", {}).get("mismatches") not in (0, None) or "error" in d.get("sim", {}):
                note = f"MISMATCH {d['sim']}: not synthesized"
            v = lambda n: fmt(lut(d[n])) if n in d else ""  # noqa: E731
            out.append(f"| {r['case']} | {k} | {d['latency']} | {fmt(d.get('est_period_ns'))} | {fmt(lut(d))} | "
                       f"{v('lut3')} | {v('chain')} | {v('lut3_chain')} | {fmt(ff(d))} | {fmt((d.get('yosys') or {}).get('carry'))} | "
                       f"{fmt(d.get('sta_ns'))} | {fmt(d.get('gen_s'), 2)} | `{d['command'].replace('model.json -o DIR ', '')}`"
                       f"{' ' + note if note else ''} |")
    out.append("")
    labels = list(comparisons(doc["results"][0]).keys())
    cases = [r["case"] for r in doc["results"]]
    tr = [r for r in doc["results"] if r["case"] in TARGETS]
    hdr = ["da-gen / alkaid", "which"] + cases + ([f"geomean of the {len(tr)} targets"] if tr else [])
    out += ["| " + " | ".join(hdr) + " |", "|---|---|" + "---:|" * (len(hdr) - 2)]
    for x in labels:
        for which, idx in (("LUT", 0), ("FF", 1)):
            if which == "FF" and x.startswith("comb"):
                continue
            vals = [ratio_of(r, x)[idx] for r in doc["results"]]
            g = geomean([ratio_of(r, x)[idx] for r in tr]) if tr else None
            out.append(f"| {x} | {which} | " + " | ".join(fmt(v_, 3) for v_ in vals) + (f" | {fmt(g, 3)}" if tr else "") + " |")
    out.append("")
    for r in doc["results"]:
        if "breakdown" not in r:
            continue
        b = r["breakdown"]
        D = r["designs"]
        cells = lambda k: (D.get(k) or {}).get("yosys", {}).get("cells", {})  # noqa: E731
        inv = lambda k: cells(k).get("INV", 0)  # noqa: E731
        multi = lambda k: sum(v for c, v in cells(k).items() if c.startswith("LUT"))  # noqa: E731
        out.append(f"**{r['case']}**, two-input combinational designs (`dagen_p0`, `alkaid_comb_notern`):")
        out.append("")
        out.append("| | da-gen | alkaid | da-gen / alkaid |")
        out.append("|---|---:|---:|---:|")
        for label, g, a_ in (
                ("Yosys LUTs in all", lut(D.get("dagen_p0")), lut(D.get("alkaid_comb_notern"))),
                ("Yosys INV cells (all drive a CARRY4 S input: a one-input propagate)", inv("dagen_p0"),
                 inv("alkaid_comb_notern")),
                ("Yosys LUT1..LUT6 cells", multi("dagen_p0"), multi("alkaid_comb_notern")),
                ("Yosys CARRY4 cells", cells("dagen_p0").get("CARRY4"), cells("alkaid_comb_notern").get("CARRY4")),
                ("two-input adders (incl. constant adds)", b["da-gen"]["adders"], b["alkaid"]["adders"]),
                ("adder LUTs by the formula", b["da-gen"]["formula_luts"], b["alkaid"]["formula_luts"]),
                ("  of them one-input (x or NOT x)", b["da-gen"]["formula_one_input"], b["alkaid"]["formula_one_input"]),
                ("da-gen's own adder_luts estimate", D["dagen_p0"]["stats"]["adder_luts"], None),
                ("ReLU LUTs (one per bit of a ReLU of a signed value)", b["da-gen"].get("relu_luts"),
                 b["alkaid"].get("relu_luts"))):
            out.append(f"| {label} | {fmt(g)} | {fmt(a_)} | {fmt(g / a_, 2) if g and a_ else '—'} |")
        out.append("")
        for axis, title in (("by_output_width", "adder output width"), ("by_operand_width", "wider operand width")):
            keys = sorted(set(b["da-gen"][axis]) | set(b["alkaid"][axis]),
                          key=lambda s: (s.startswith("const"), int(s.split()[-1].lstrip(">=").split("-")[0])))
            out.append(f"| {title} | da-gen adders | da-gen LUTs | alkaid adders | alkaid LUTs | LUT ratio |")
            out.append("|---|---:|---:|---:|---:|---:|")
            for k in keys:
                g, a_ = b["da-gen"][axis].get(k, {"adders": 0, "luts": 0}), b["alkaid"][axis].get(k, {"adders": 0, "luts": 0})
                out.append(f"| {k} | {g['adders']} | {g['luts']} | {a_['adders']} | {a_['luts']} | "
                           f"{fmt(g['luts'] / a_['luts'], 2) if a_['luts'] else '—'} |")
            out.append("")
    return "\n".join(out) + "\n"


def versions():
    from importlib.metadata import version

    v = {k: version(k) for k in ("alkaid", "numpy")}
    v["python"] = platform.python_version()
    for tool, args in (("yosys", ["-V"]), ("iverilog", ["-V"])):
        v[tool] = subprocess.run([tool] + args, capture_output=True, text=True).stdout.splitlines()[0].strip()
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--da-gen", default=str(REPO / "build" / "da-gen"))
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--vectors", type=int, default=300)
    ap.add_argument("--cell-vectors", type=int, default=24,
                    help="vectors of the as-synthesized simulation of ternary designs (the first ones: corners first)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--breakdown-all", action="store_true", help="LUT breakdown on every case, not only the jets")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results"))
    ap.add_argument("--render", action="store_true", help="only rewrite the Markdown from the JSON")
    ap.add_argument("--chain-only", action="store_true",
                    help="only add the one-chain alkaid variants to the JSON's cases (their work directories)")
    ap.add_argument("--breakdown-only", action="store_true",
                    help="only recompute the LUT breakdown of the JSON's jet cases from their work directories")
    a = ap.parse_args(argv)
    out = Path(a.out)
    jpath, mpath = out / "alkaid_resources.json", out / "alkaid_resources.md"
    if a.render or a.breakdown_only or a.chain_only:
        doc = json.loads(jpath.read_text())
        if a.chain_only:
            a.da_gen = os.path.abspath(a.da_gen)
            chain_only(doc, out, a)
        if a.breakdown_only or a.chain_only:
            for r in doc["results"]:
                if r["case"] in JETS or a.breakdown_all:
                    r["breakdown"] = breakdown(out / "work" / "alkaid_resources" / r["case"])
            jpath.write_text(json.dumps(doc, indent=1, default=str) + "\n")
        mpath.write_text(render(doc))
        return 0
    names = a.cases.split(",")
    for n in names:
        if n not in CASES:
            ap.error(f"--cases: unknown case {n!r} (one of {', '.join(CASES)})")
    a.da_gen = os.path.abspath(a.da_gen)
    if not os.path.exists(a.da_gen):
        ap.error(f"--da-gen: no binary at {a.da_gen}")
    work = out / "work" / "alkaid_resources"
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    meta = {"command": "nice benchmarks/.venv-alkaid/bin/python benchmarks/alkaid_resources.py " + " ".join(argv or sys.argv[1:]),
            "versions": versions(),
            "da_gen_version": subprocess.run([a.da_gen, "--version"], capture_output=True, text=True).stdout.strip(),
            "git_commit": subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                         text=True).stdout.strip(),
            "worktree_clean": subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                                             capture_output=True, text=True).stdout.strip() == "",
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
            "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    results = []
    for n in names:
        log(f"== {n}")
        results.append(bench_case(n, a, work))
        meta["seconds"] = round(time.time() - t0)
        doc = {"meta": meta, "results": results}
        jpath.write_text(json.dumps(doc, indent=1, default=str) + "\n")
        mpath.write_text(render(doc))
    print(mpath.read_text())
    bad = [(r["case"], k) for r in results for k, d in r["designs"].items()
           if d.get("sim", {}).get("mismatches") != 0 or (d.get("lut3") or {}).get("sim", {"mismatches": 0}).get("mismatches") != 0]
    if bad:
        log(f"function check failed: {bad}")
        return 1
    return 0


def render(doc):
    m = doc["meta"]
    v = m["versions"]
    return (f"Generated by benchmarks/alkaid_resources.py; do not edit by hand.\n\n`{m['command'].strip()}` "
            f"({m.get('seconds', '?')} s)\n\n- {m['da_gen_version']} (commit {m['git_commit']}"
            f"{'' if m.get('worktree_clean', True) else ', with uncommitted changes'}); alkaid {v['alkaid']}, numpy "
            f"{v['numpy']}, Python {v['python']}; {v['yosys']}; {v['iverilog']}; {m['machine']}; started {m['started']}.\n\n"
            + markdown(doc))


if __name__ == "__main__":
    sys.exit(main())
