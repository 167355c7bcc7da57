#!/usr/bin/env python3
"""Do the registers help?  Post-route Fmax on iCE40 against --pipeline, beside the model's estimate.

    benchmarks/fmax_ice40.py [--n 8] [--bits 4] [--pipelines 0 1 2 3] [--out benchmarks/results]

Generates one random N x N dense layer (integer weights over `bits` signed bits,
8-bit signed inputs), compiles it with `da-gen --target ice40 --pipeline P` for
each P, and runs tools/ice40_fmax.py (Yosys synth_ice40 + nextpnr-ice40, fixed
seed, HX8K) on each design.  Prints a Markdown table: the delay model's
estimated period and Fmax, the post-route Fmax, and their ratio.  Needs
Debian's nextpnr-ice40 and fpga-icestorm.
"""
import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--da-gen", default=ROOT / "build" / "da-gen")
    ap.add_argument("--n", type=int, default=8)
    ap.add_argument("--bits", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pipelines", type=int, nargs="+", default=[0, 1, 2, 3])
    ap.add_argument("--out", default=ROOT / "benchmarks" / "results")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    lim = 2 ** (a.bits - 1)
    model = {"name": f"ice40_{a.n}x{a.n}_w{a.bits}",
             "input": {"size": a.n, "type": {"signed": True, "int_bits": 7, "frac_bits": 0}},
             "layers": [{"type": "dense", "weights": [[rng.randrange(-lim, lim) for _ in range(a.n)]
                                                      for _ in range(a.n)]}]}
    work = Path(a.out) / "work" / "fmax_ice40"
    work.mkdir(parents=True, exist_ok=True)
    (work / "model.json").write_text(json.dumps(model))
    rows = []
    for p in a.pipelines:
        d = work / f"p{p}"
        subprocess.run([a.da_gen, work / "model.json", "--target", "ice40", "--pipeline", str(p),
                        "-o", d, "--force"], check=True, capture_output=True)
        rep = json.loads((d / f"{model['name']}.json").read_text())
        res = work / f"p{p}.fmax.json"
        subprocess.run([sys.executable, ROOT / "tools" / "ice40_fmax.py", d, "--top", model["name"],
                        "--json", res], check=True, capture_output=True)
        fmax = json.loads(res.read_text())
        est = rep["pipeline"]["estimated_period_ns"]
        rows.append({"pipeline": p, "adders": rep["stats"]["adders"], "estimated_period_ns": est,
                     "estimated_mhz": round(1000 / est, 1), "fmax_mhz": fmax["fmax_mhz"],
                     "lut": fmax.get("dut_lut"), "ff": fmax.get("dut_ff"),
                     "register_bits": rep["stats"]["register_bits"]})
        print(json.dumps(rows[-1]), flush=True)
    (Path(a.out) / "fmax_ice40.json").write_text(json.dumps(rows, indent=1) + "\n")
    print("| pipeline | adders | register bits | estimated period (ns) | estimated MHz | post-route Fmax (MHz) | post-route / estimate | LUT4 | DFF |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = r["fmax_mhz"] / r["estimated_mhz"] if r["fmax_mhz"] else 0
        print(f"| {r['pipeline']} | {r['adders']} | {r['register_bits']} | {r['estimated_period_ns']} | "
              f"{r['estimated_mhz']} | {r['fmax_mhz']} | {ratio:.2f} | {r['lut']} | {r['ff']} |")


if __name__ == "__main__":
    main()
