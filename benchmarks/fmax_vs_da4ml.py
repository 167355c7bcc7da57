#!/usr/bin/env python3
"""Registers against da4ml at equal latency, checked by place and route on iCE40.

    benchmarks/fmax_vs_da4ml.py [--n 8 16] [--bits 4] [--cutoff 3] [--pnr-seed 1] [--out benchmarks/results]

For a random N x N dense layer (integer weights over `bits` signed bits, 8-bit
signed inputs) it builds da4ml's pipelined Verilog (tools/da4ml_rtl.py,
latency_cutoff C: latency L cycles counting its input and output registers) and
da-gen's at the same latency L for the iCE40 delay model:

  da4ml cC        da4ml's own Verilog
  da-gen pL       --pipeline L: least estimated stage delay, fewest registers there
  da-gen pL @da4ml  --pipeline L --clock-period P, P = da4ml's estimated period by
                  the same iCE40 model: equal latency and estimated clock, fewest registers

and puts each through tools/ice40_fmax.py (Yosys synth_ice40 + nextpnr-ice40,
HX8K, fixed seed), so flip-flops and post-route Fmax come from the same
independent tools.  Needs benchmarks/.venv with da4ml, nextpnr-ice40 and
fpga-icestorm.  Writes OUT/fmax_vs_da4ml.json and prints a Markdown table.
"""
import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DA4ML_PY = ROOT / "benchmarks" / ".venv" / "bin" / "python"


def run(cmd):
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True)


def place_and_route(design, top, work, seed, in_port="x", out_port="y"):
    """ice40_fmax.py's result; a design nextpnr cannot route gets fmax_mhz None and its
    error's last line (the other rows are still measured)."""
    out = work / f"{design.name}.fmax.json"
    subprocess.run([str(c) for c in [sys.executable, ROOT / "tools" / "ice40_fmax.py", design, "--top", top,
                                     "--json", out, "--in-port", in_port, "--out-port", out_port,
                                     "--seed", seed]], capture_output=True, text=True)
    res = json.loads(out.read_text())
    if not res.get("ok"):
        print(f"{design}: nextpnr seed {seed} failed", file=sys.stderr)
        res["fmax_mhz"] = None
        res["route_error"] = (res.get("error") or "").strip().splitlines()[-1:]
    return res


def layer(n, bits, seed):
    rng = random.Random(seed)
    lim = 2 ** (bits - 1)
    return {"name": f"layer_{n}x{n}_w{bits}",
            "input": {"size": n, "type": {"signed": True, "int_bits": 7, "frac_bits": 0}},
            "layers": [{"type": "dense",
                        "weights": [[rng.randrange(-lim, lim) for _ in range(n)] for _ in range(n)]}]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--da-gen", default=ROOT / "build" / "da-gen")
    ap.add_argument("--n", type=int, nargs="+", default=[8, 16])
    ap.add_argument("--bits", type=int, default=4)
    ap.add_argument("--cutoff", type=int, default=3, help="da4ml latency_cutoff")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pnr-seed", type=int, default=1, help="nextpnr-ice40 --seed for every design")
    ap.add_argument("--out", default=ROOT / "benchmarks" / "results")
    a = ap.parse_args()
    rows = []
    for n in a.n:
        model = layer(n, a.bits, a.seed)
        work = Path(a.out) / "work" / "fmax_vs_da4ml" / model["name"]
        work.mkdir(parents=True, exist_ok=True)
        model_path = work / "model.json"
        model_path.write_text(json.dumps(model))

        d4 = work / "da4ml"
        run([DA4ML_PY, ROOT / "tools" / "da4ml_rtl.py", model_path, "-o", d4, "--pipeline", a.cutoff])
        ports = json.loads((d4 / "ports.json").read_text())
        latency, period = ports["latency_cycles"], ports["estimated_period_ns"]["ice40"]
        res = place_and_route(d4, ports["top"], work, a.pnr_seed, "model_inp", "model_out")
        rows.append({"case": model["name"], "row": f"da4ml c{a.cutoff}", "latency": latency,
                     "estimated_period_ns": period, "lut": res["dut_lut"], "ff": res["dut_ff"],
                     "fmax_mhz": res["fmax_mhz"], "route_error": res.get("route_error")})
        print(json.dumps(rows[-1]), flush=True)

        for label, extra in ((f"da-gen p{latency}", []),
                             (f"da-gen p{latency} @da4ml", ["--clock-period", str(period)])):
            d = work / label.replace(" ", "_").replace("@", "at_")
            run([a.da_gen, model_path, "--target", "ice40", "--pipeline", latency, *extra, "-o", d,
                 "--force"])
            rep = json.loads((d / f"{model['name']}.json").read_text())
            res = place_and_route(d, model["name"], work, a.pnr_seed)
            rows.append({"case": model["name"], "row": label, "latency": latency,
                         "estimated_period_ns": rep["pipeline"]["estimated_period_ns"],
                         "lut": res["dut_lut"], "ff": res["dut_ff"], "fmax_mhz": res["fmax_mhz"],
                         "route_error": res.get("route_error")})
            print(json.dumps(rows[-1]), flush=True)
    (Path(a.out) / "fmax_vs_da4ml.json").write_text(json.dumps(rows, indent=1) + "\n")

    print("| case | row | latency | estimated period (ns) | LUT4 | DFF | post-route Fmax (MHz) "
          "| DFF / da4ml | Fmax / da4ml |")
    print("|---|---|---|---|---|---|---|---|---|")
    ref = {}
    for r in rows:
        ref.setdefault(r["case"], r)
        d = ref[r["case"]]
        both = r["fmax_mhz"] and d["fmax_mhz"]
        fmax_ratio = f"{r['fmax_mhz'] / d['fmax_mhz']:.2f}" if both else ""
        print(f"| {r['case']} | {r['row']} | {r['latency']} | {r['estimated_period_ns']} | {r['lut']} | "
              f"{r['ff']} | {r['fmax_mhz'] or 'not routed'} | {r['ff'] / d['ff']:.2f} | {fmax_ratio} |")

if __name__ == "__main__":
    main()
