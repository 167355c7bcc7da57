#!/usr/bin/env python3
"""da-gen's own resource estimates against the Yosys figures of the resource table.

    benchmarks/estimates.py [--out benchmarks/results] [--da-gen build/da-gen]

For every da-gen row of OUT/resources.json (written by benchmarks/resources.py) it
regenerates the design from OUT/work/CASE/model.json with the row's arguments and
compares the report's `stats.adder_luts` with the row's Yosys LUTs and
`register_bits` with its FFs.  A row whose regenerated design differs from the
measured one (other adder count or adder bits: the table is older than the
binary) is listed as stale instead.  Writes OUT/estimates.md.  Stdlib only.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import resources  # noqa: E402  (row labels and their da-gen arguments)


def regenerate(da_gen, model, args):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([da_gen, model, "-o", tmp, "--force", *args], check=True, capture_output=True)
        report = next(p for p in Path(tmp).glob("*.json") if not p.name.endswith(".graph.json"))
        return json.loads(report.read_text())["stats"]


def ratio(measured, estimate):
    return f"{estimate / measured:.3f}" if measured else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=resources.ROOT / "benchmarks" / "results")
    ap.add_argument("--da-gen", default=resources.ROOT / "build" / "da-gen")
    a = ap.parse_args()
    results = json.loads((a.out / "resources.json").read_text())
    head = ["case", "row", "LUT (Yosys)", "adder_luts", "ratio", "FF (Yosys)", "register_bits", "ratio"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case, rows in results.items():
        latency, period = resources.da4ml_pipelined(rows)
        args = {label: args for _, label, args in resources.dagen_rows(latency, period)}
        model = a.out / "work" / case / "model.json"
        for r in rows:
            if r["row"] not in args or "lut" not in r:
                continue
            s = regenerate(a.da_gen, model, args[r["row"]])
            if (s["adders"], s["adder_bits"]) != (r["adders"], r["adder_bits"]):
                lines.append(f"| {case} | {r['row']} | stale: the binary builds another design |" + " |" * 5)
                continue
            lines.append(f"| {case} | {r['row']} | {r['lut']} | {s['adder_luts']} | {ratio(r['lut'], s['adder_luts'])}"
                         f" | {r['ff']} | {s['register_bits']} | {ratio(r['ff'], s['register_bits'])} |")
            print(lines[-1], flush=True)
    (a.out / "estimates.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
