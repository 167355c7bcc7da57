#!/usr/bin/env python3
"""The shipped resource table (benchmarks/results/resources.json) renders with the
command of every row, and each row agrees with its command: the latency it names,
the clock it names (met by the row's estimated period), da4ml's clock for the
`@da4ml` rows.  Stdlib only; exits 1 with one line per problem."""
import json
import re
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


def main():
    results = json.loads((ROOT / "benchmarks" / "results" / "resources.json").read_text())
    problems = [p for name, rows in results.items() for p in check_case(name, rows)]
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
        print(f"PASS: {count} rows, each with its command and consistent with it")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
