#!/usr/bin/env python3
"""The shipped resource table (benchmarks/results/resources.json) renders with the
command of every row, and each row agrees with its command: the latency it names,
the clock it names (met by the row's estimated period), da4ml's clock for the
`@da4ml` rows; and a few cheap rows, re-run now with `test_resources_table.py DA_GEN`,
still give the shipped da-gen figures (the table is not stale).  Stdlib only; exits 1
with one line per problem."""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import resources  # noqa: E402


def option(args, name):
    return args[args.index(name) + 1] if name in args else None


def check_case(name, rows):
    problems = []
    da4ml = next((r for r in rows if re.fullmatch(resources.DA4ML_CLOCKED, r["row"])), None)
    for r in rows:
        command = resources.row_command(r["row"], rows)
        where = f"{name} / {r['row']}"
        if not command:
            problems.append(f"{where}: no command")
            continue
        args = command.split()[1:]
        pipeline, period = option(args, "--pipeline"), option(args, "--clock-period")
        if command.startswith("da-gen"):
            if pipeline is not None and int(pipeline) != r["latency"]:
                problems.append(f"{where}: --pipeline {pipeline} but latency {r['latency']}")
            if pipeline is None and period is None and r["latency"] != 0:
                problems.append(f"{where}: combinational command, latency {r['latency']}")
        if period is not None:
            if da4ml is None or float(period) != da4ml["period_ns"]:
                problems.append(f"{where}: clock {period} is not da4ml's")
            elif r["period_ns"] > float(period) + 0.005:
                problems.append(f"{where}: estimated {r['period_ns']} ns misses its {period} ns clock")
        if r["row"].endswith("@da4ml") and period is None:
            problems.append(f"{where}: an @da4ml row without da4ml's clock")
    return problems


# Rows cheap enough to re-run in every test run (da-gen only; Yosys' figures depend on
# its version, so LUT/FF/carry are not compared).
FRESH = ("rand8x8_w4", ("da-gen p0", "da-gen p3", "da-gen bits tern p0", "da-gen p3 slack0.5"))


def check_fresh(da_gen, results):
    """The da-gen fields of the FRESH rows, from a run of the row's command now."""
    name, labels = FRESH
    rows = results.get(name, [])
    problems = []
    with tempfile.TemporaryDirectory() as work:
        model = Path(work) / "model.json"
        model.write_text(json.dumps(resources.cases()[name]))
        for label in labels:
            r = next((r for r in rows if r["row"] == label), None)
            if r is None or "error" in r:
                problems.append(f"{name} / {label}: not in the shipped table")
                continue
            args = resources.row_command(label, rows).split()[1:]
            out = Path(work) / "rtl"
            p = subprocess.run([da_gen, str(model), "-o", str(out), "--force", *args],
                               capture_output=True, text=True)
            if p.returncode != 0:
                problems.append(f"{name} / {label}: da-gen {' '.join(args)} failed: {p.stderr.strip()}")
                continue
            rep = json.loads(next(f for f in out.glob("*.json")
                                  if not f.name.endswith(".graph.json")).read_text())
            s = rep["stats"]
            fresh = {"adders": s["adders"], "adder_bits": s["adder_bits"], "depth": s["adder_depth"],
                     "latency": rep["latency_cycles"], "period_ns": rep["pipeline"]["estimated_period_ns"]}
            for key, value in fresh.items():
                if value != r[key]:
                    problems.append(f"{name} / {label}: {key} is {value} now, {r[key]} in the table "
                                    "(re-run benchmarks/resources.py)")
    return problems, len(labels)


def main():
    if len(sys.argv) != 2:
        print("usage: test_resources_table.py DA_GEN", file=sys.stderr)
        return 2
    results = json.loads((ROOT / "benchmarks" / "results" / "resources.json").read_text())
    problems = [p for name, rows in results.items() for p in check_case(name, rows)]
    fresh_problems, fresh = check_fresh(sys.argv[1], results)
    problems += fresh_problems
    with tempfile.TemporaryDirectory() as out:
        resources.write_markdown(results, Path(out) / "resources.md", "caption")
        lines = [l for l in (Path(out) / "resources.md").read_text().splitlines()
                 if l.startswith("| ") and not l.startswith("| case")]
    count = sum(len(rows) for rows in results.values())
    if len(lines) != count:
        problems.append(f"{len(lines)} table lines for {count} rows")
    problems += [f"no command: {l[:60]}" for l in lines if l.rstrip().endswith("| `` |")]
    for p in problems:
        print("FAIL:", p)
    if not problems:
        print(f"PASS: {count} rows, each with its command and consistent with it; "
              f"{fresh} re-run rows agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
