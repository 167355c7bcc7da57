#!/usr/bin/env python3
"""LUT/FF/carry table: da-gen vs an unshared CSD adder tree vs da4ml, one Yosys flow.

    benchmarks/resources.py [--cases all|quick|NAME,...] [--out benchmarks/results]

For every case (random N x N layers with 8- and 4-bit weights, a JSC-shaped
network, the trained QKeras MLP, the two real HGQ2 jet classifiers) it writes
the model.json, then generates and synthesizes these rows:

  da-gen p0        da-gen combinational (default: fewest adders, free depth)
  da-gen bits p0   --objective bits (fewest adder bits)
  da-gen pL        pipelined at the same latency L as da4ml's pipelined row
  da-gen dc2 pL    the same with --dc 2 (da4ml's converter defaults to hard_dc=2)
  da-gen pL @da4ml  pipelined at latency L with --clock-period P, P = da4ml's own
                   estimated period by the same delay model (tools/da4ml_rtl.py):
                   equal latency and equal estimated clock, fewest registers
  da-gen dc2 pL @da4ml  the same with --dc 2
  da-gen bits pL @da4ml  the same with --objective bits
  da-gen bits tern p0 / pL @da4ml  --objective bits --ternary: adder pairs fused into
                   Xilinx ternary adders (LUT6_2 + CARRY8, rtl_lib/dagen_add3.v)
  da-gen bits @da4ml, da-gen bits tern @da4ml  --clock-period P alone: da4ml's clock,
                   the least latency that meets it (FF / da4ml against da4ml's row of P)
  da-gen pL slack0.5  --stage-slack 0.5: stages up to 1.5x the least delay, fewer registers
  CSD tree p0      da-gen --no-share: canonical signed digits, no sharing
  CSD tree tern p0  the same with --ternary
  da4ml p0 / pL    da4ml's own Verilog for the same model (tools/da4ml_rtl.py),
                   when benchmarks/.venv has da4ml (benchmarks/da4ml/README.md)

Every design goes through tools/yosys_report.py (Xilinx UltraScale+ flow,
two-input carry adders, no DSP, no SRL; tools/README.md).  Results go to
OUT/resources.json and OUT/resources.md; `benchmarks/plot_luts.py` draws
LUTs against N.  Stdlib only.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DA4ML_PY = ROOT / "benchmarks" / ".venv" / "bin" / "python"


def t(signed, i, f):
    return {"signed": signed, "int_bits": i, "frac_bits": f}


def random_layer(n, bits, seed):
    """One dense N x N layer, integer weights uniform over `bits` signed bits, 8-bit inputs."""
    rng = random.Random(seed)
    lim = 2 ** (bits - 1)
    w = [[rng.randrange(-lim, lim) for _ in range(n)] for _ in range(n)]
    return {"name": f"rand{n}x{n}_w{bits}", "input": {"size": n, "type": t(True, 7, 0)},
            "layers": [{"type": "dense", "name": "fc", "weights": w}]}


def jsc_shaped(seed):
    """16 -> 64 -> 32 -> 32 -> 5 with sparse 3-5-bit weights and quantized ReLUs."""
    rng = random.Random(seed)
    sizes = [16, 64, 32, 32, 5]
    layers = []
    for k in range(4):
        bits = [4, 3, 5, 4][k]
        lim = 2 ** (bits - 1)
        w = [[(rng.randrange(-lim, lim) / lim) if rng.random() < 0.4 else 0
              for _ in range(sizes[k + 1])] for _ in range(sizes[k])]
        layers.append({"type": "dense", "name": f"fc{k + 1}", "weights": w,
                       "bias": [rng.randrange(-8, 8) / 8 for _ in range(sizes[k + 1])]})
        if k < 3:
            layers += [{"type": "relu"},
                       {"type": "quantize", "to": t(False, 3, 3), "rounding": "TRN", "overflow": "SAT"}]
    return {"name": "jsc_shaped", "input": {"size": 16, "type": t(True, 3, 4)}, "layers": layers}


def cases():
    out = {}
    for bits in (8, 4):
        for n in (8, 16, 32, 64):
            m = random_layer(n, bits, seed=100 * n + bits)
            out[m["name"]] = m
    out["jsc_shaped"] = jsc_shaped(7)
    # the 4-layer QKeras-style MLP (32-64-32-32-10, 8-bit weights) of the e2e tests
    out["qkeras_style_mlp"] = json.loads((ROOT / "tests" / "models" / "qkeras_style_mlp.json").read_text())
    for name in ("qkeras_mlp", "jsc_cernbox_acc75.16", "jsc_cernbox_acc74.98"):
        path = ROOT / "models" / f"{name}.json"
        if path.exists():
            out[name] = json.loads(path.read_text())
    return out


def run(cmd, **kw):
    start = time.perf_counter()
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{p.stdout}\n{p.stderr}")
    return p, time.perf_counter() - start


def yosys(design_dir, top, work):
    out = work / "yosys.json"
    run([sys.executable, ROOT / "tools" / "yosys_report.py", design_dir, "--top", top, "--json", out])
    return json.loads(out.read_text())


def dagen_row(da_gen, model_path, work, label, args):
    design = work / "rtl"
    _, seconds = run([da_gen, model_path, "-o", design, "--force", *args])
    report = next(p for p in design.glob("*.json") if not p.name.endswith(".graph.json"))
    rep = json.loads(report.read_text())
    syn = yosys(design, rep["top"], work)
    s = rep["stats"]
    return {"row": label, "adders": s["adders"], "adder_bits": s["adder_bits"], "depth": s["adder_depth"],
            "latency": rep["latency_cycles"], "period_ns": rep["pipeline"]["estimated_period_ns"],
            "lut": syn["lut"], "ff": syn["ff"], "carry": syn["carry"],
            "tool_s": round(seconds, 3), "yosys_s": syn["yosys_seconds"]}


def da4ml_row(model_path, work, label, pipeline):
    design = work / "rtl"
    args = ["--pipeline", str(pipeline)] if pipeline else []
    _, seconds = run([DA4ML_PY, ROOT / "tools" / "da4ml_rtl.py", model_path, "-o", design, *args])
    ports = json.loads((design / "ports.json").read_text())
    syn = yosys(design, ports["top"], work)
    return {"row": label, "adders": f"{ports['adders']}+{ports['const_adds']}", "adder_bits": "",
            "depth": ports["comb_depth"], "latency": ports["latency_cycles"],
            "period_ns": ports["estimated_period_ns"]["xcup"], "lut": syn["lut"],
            "ff": syn["ff"], "carry": syn["carry"], "tool_s": round(seconds, 3),
            "yosys_s": syn["yosys_seconds"]}


# Rows at da4ml's clock but their own latency (compared with da4ml's row of that clock).
OWN_LATENCY_AT_DA4ML = ("da-gen bits @da4ml", "da-gen bits tern @da4ml")
# --rows keys, in table order (see the module docstring for what each row is).
ROW_KEYS = ["da4ml", "p0", "bits", "tern", "pL", "dc2pL", "at", "dc2at", "bitsat", "ternat", "clk",
            "ternclk", "slack", "csd", "csdtern"]
ROW_PATTERNS = [r"da4ml p0", r"da4ml c\d+", r"da-gen p0", r"da-gen bits p0", r"da-gen bits tern p0",
                r"da-gen p\d+", r"da-gen dc2 p\d+", r"da-gen p\d+ @da4ml", r"da-gen dc2 p\d+ @da4ml",
                r"da-gen bits p\d+ @da4ml", r"da-gen bits tern p\d+ @da4ml", *OWN_LATENCY_AT_DA4ML,
                r"da-gen p\d+ slack0\.5", r"CSD tree p0", r"CSD tree tern p0"]
# da4ml's pipelined row (its latency_cutoff).
DA4ML_CLOCKED = r"da4ml c(\d+)"
# Rows that need da4ml's period.
AT_DA4ML = ("at", "dc2at", "bitsat", "ternat", "clk", "ternclk")


def dagen_rows(latency, da4ml_period):
    """(--rows key, label, da-gen arguments) of every da-gen row, for da4ml's latency and period."""
    at = ("--pipeline", str(latency), "--clock-period", str(da4ml_period))
    return [("p0", "da-gen p0", ()),
            ("bits", "da-gen bits p0", ("--objective", "bits")),
            ("tern", "da-gen bits tern p0", ("--objective", "bits", "--ternary")),
            ("pL", f"da-gen p{latency}", ("--pipeline", str(latency))),
            ("dc2pL", f"da-gen dc2 p{latency}", ("--dc", "2", "--pipeline", str(latency))),
            ("at", f"da-gen p{latency} @da4ml", at),
            ("dc2at", f"da-gen dc2 p{latency} @da4ml", ("--dc", "2", *at)),
            ("bitsat", f"da-gen bits p{latency} @da4ml", ("--objective", "bits", *at)),
            ("ternat", f"da-gen bits tern p{latency} @da4ml", ("--objective", "bits", "--ternary", *at)),
            ("clk", OWN_LATENCY_AT_DA4ML[0], ("--objective", "bits", "--clock-period", str(da4ml_period))),
            ("ternclk", OWN_LATENCY_AT_DA4ML[1],
             ("--objective", "bits", "--ternary", "--clock-period", str(da4ml_period))),
            ("slack", f"da-gen p{latency} slack0.5", ("--pipeline", str(latency), "--stage-slack", "0.5")),
            ("csd", "CSD tree p0", ("--no-share",)),
            ("csdtern", "CSD tree tern p0", ("--no-share", "--ternary"))]


def da4ml_pipelined(rows, cutoff=3):
    """da4ml's latency and estimated period from its pipelined row (None, None without one)."""
    r = next((r for r in rows if r["row"] == f"da4ml c{cutoff}" and "latency" in r), None)
    return (r["latency"], r.get("period_ns")) if r else (None, None)


def row_latency(label):
    """The latency a da-gen row label names (0 for combinational and other rows)."""
    m = re.match(r"da-gen (?:dc2 |bits )?(?:tern )?p(\d+)", label)
    return int(m.group(1)) if m else 0


def row_rank(label):
    """Position of a row label in the table (None: not a row this script writes)."""
    return next((k for k, p in enumerate(ROW_PATTERNS) if re.fullmatch(p, label)), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--da-gen", default=ROOT / "build" / "da-gen")
    ap.add_argument("--cases", default="all", help="all, quick (N <= 16 and jsc_shaped), or NAME,NAME")
    ap.add_argument("--da4ml-cutoff", type=int, default=3,
                    help="da4ml latency_cutoff of its pipelined row; da-gen gets the same latency")
    ap.add_argument("--out", default=ROOT / "benchmarks" / "results")
    ap.add_argument("--label", help="what da-gen was measured (default: this checkout's commit)")
    ap.add_argument("--render", action="store_true",
                    help="only rewrite OUT/resources.md from OUT/resources.json")
    ap.add_argument("--rows", default=",".join(ROW_KEYS),
                    help="rows to run, from " + ",".join(ROW_KEYS) + " (large cases: fewer rows)")
    a = ap.parse_args()
    keys = set(a.rows.split(","))
    if not keys <= set(ROW_KEYS):
        ap.error(f"unknown --rows {sorted(keys - set(ROW_KEYS))}")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.render:
        render(json.loads((out / "resources.json").read_text()), out)
        return
    all_cases = cases()
    if a.cases == "all":
        names = list(all_cases)
    elif a.cases == "quick":
        names = [n for n in all_cases if n.startswith(("rand8x", "rand16x")) or n == "jsc_shaped"]
    else:
        names = a.cases.split(",")
    have_da4ml = DA4ML_PY.exists() and subprocess.run(
        [DA4ML_PY, "-c", "import da4ml"], capture_output=True).returncode == 0
    if not have_da4ml:
        print("da4ml not installed (benchmarks/.venv): its rows are skipped", file=sys.stderr)

    # Cases and rows already measured in OUT stay; the rows run now replace theirs.
    results_path = out / "resources.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    measured_at = a.label or "commit " + subprocess.run(
        ["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    for name in names:
        work = out / "work" / name
        work.mkdir(parents=True, exist_ok=True)
        model_path = work / "model.json"
        model_path.write_text(json.dumps(all_cases[name]))
        rows = []

        def add(label, make_row):
            row_work = work / label.replace(" ", "_")
            row_work.mkdir(exist_ok=True)
            try:
                rows.append(make_row(row_work, label) | {"measured_at": measured_at})
            except RuntimeError as e:
                print(f"{name} / {label}: {e}", file=sys.stderr)
                rows.append({"row": label, "error": str(e).splitlines()[0]})
            print(f"{name:24s} {label:12s} {json.dumps(rows[-1])}", flush=True)

        def dagen(*args):
            return lambda w, label: dagen_row(a.da_gen, model_path, w, label, list(args))

        def da4ml(pipeline):
            return lambda w, label: da4ml_row(model_path, w, label, pipeline)

        latency, da4ml_period = 2, None
        previous = results.get(name, [])
        if have_da4ml and "da4ml" in keys:
            add("da4ml p0", da4ml(0))
            add(f"da4ml c{a.da4ml_cutoff}", da4ml(a.da4ml_cutoff))
            latency = rows[-1].get("latency", latency)
            da4ml_period = rows[-1].get("period_ns")
        elif da4ml_pipelined(previous, a.da4ml_cutoff)[0] is not None:
            # da4ml's pipelined row from an earlier run sets the latency
            latency, da4ml_period = da4ml_pipelined(previous, a.da4ml_cutoff)
        for key, label, args in dagen_rows(latency, da4ml_period):
            if key in keys and (da4ml_period or key not in AT_DA4ML):
                add(label, dagen(*args))
        new = {r["row"]: r for r in rows}
        merged = [new.pop(r["row"], r) for r in previous
                  if row_rank(r["row"]) is not None and row_latency(r["row"]) in (0, latency)]
        results[name] = sorted(merged + [r for r in rows if r["row"] in new],
                               key=lambda r: row_rank(r["row"]))
        (out / "resources.json").write_text(json.dumps(results, indent=1) + "\n")

    render(results, out)


def render(results, out):
    measured = sorted({r.get("measured_at", "earlier") for rs in results.values() for r in rs
                       if not r["row"].startswith("da4ml")})
    write_markdown(results, out / "resources.md", "da-gen rows measured at: " + ", ".join(measured))
    print((out / "resources.md").read_text())


def row_command(label, rows):
    """The generator and options that made a row of a case (the same mapping main() runs)."""
    own = re.fullmatch(DA4ML_CLOCKED, label)
    if label == "da4ml p0" or own:
        return "tools/da4ml_rtl.py" + (f" --pipeline {own.group(1)}" if own else "")
    cutoff = next((int(m.group(1)) for r in rows if (m := re.fullmatch(DA4ML_CLOCKED, r["row"]))), None)
    latency, period = da4ml_pipelined(rows, cutoff) if cutoff is not None else (None, None)
    for _, row_label, args in dagen_rows(latency if latency is not None else row_latency(label), period):
        if row_label == label:
            return " ".join(("da-gen",) + args)
    return ""


def write_markdown(results, path, caption):
    cols = ["row", "adders", "adder_bits", "depth", "latency", "period_ns", "lut", "ff", "carry", "tool_s",
            "yosys_s"]
    head = ["case", "row", "adders", "adder bits", "depth", "latency", "est. ns", "LUT", "FF", "carry",
            "tool s", "Yosys s", "LUT / da4ml", "FF / da4ml", "command"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, rows in results.items():
        ref = {r["latency"]: r for r in rows if r["row"].startswith("da4ml") and "lut" in r}
        clocked = next((r for r in rows if re.fullmatch(DA4ML_CLOCKED, r["row"]) and "lut" in r), None)
        for r in rows:
            command = f"`{row_command(r['row'], rows)}`"
            if "error" in r:
                lines.append(f"| {name} | {r['row']} | error: {r['error']} |" + " |" * (len(head) - 4)
                             + f" {command} |")
                continue
            d = clocked if r["row"] in OWN_LATENCY_AT_DA4ML else ref.get(r["latency"])
            lut_ratio = f"{r['lut'] / d['lut']:.2f}" if d and d["lut"] else ""
            ff_ratio = f"{r['ff'] / d['ff']:.2f}" if d and d["ff"] else ""
            lines.append("| " + " | ".join([name] + [str(r.get(c, "")) for c in cols]
                                           + [lut_ratio, ff_ratio, command]) + " |")
    path.write_text(caption + "\n\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
