#!/usr/bin/env python3
"""benchmarks/accumulate_groups.py counts what it claims: on a random 8-input
layer, one group reproduces da-gen's adder LUTs and output widths for the whole
layer; with two groups the final sums are as wide as the whole layer's, and the
rank holds the first five inputs' partial sums (as wide as da-gen makes them for
a layer of those five inputs) plus the three inputs still to come.  Stdlib only.

    test_accumulate_groups.py DA_GEN"""
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "accumulate_groups.py"
OPTIONS = ["--objective", "bits", "--dc", "0"]


def run_script(da_gen, model, groups):
    """(ranks, register bits, adder LUTs, output-port bits) as the script prints them."""
    out = subprocess.run([sys.executable, SCRIPT, model, "--groups", *map(str, groups),
                          "--da-gen", da_gen, "--", *OPTIONS],
                         check=True, capture_output=True, text=True).stdout
    total = re.search(r"(\d+) ranks: (\d+) register bits, (\d+) adder LUTs", out)
    port = re.search(r"\| (\d+) \(output port\) \|", out)
    return int(total[1]), int(total[2]), int(total[3]), int(port[1])


def main():
    da_gen = sys.argv[1]
    rng = random.Random(5)
    n_in, n_out = 8, 6
    model = {"name": "acc", "input": {"size": n_in, "type": {"signed": True, "int_bits": 7, "frac_bits": 0}},
             "layers": [{"type": "dense",
                         "weights": [[rng.randrange(-128, 128) for _ in range(n_out)] for _ in range(n_in)]}]}
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "acc.json"
        path.write_text(json.dumps(model))
        subprocess.run([da_gen, path, "-o", Path(tmp) / "whole", *OPTIONS], check=True, capture_output=True)
        whole = json.loads((Path(tmp) / "whole" / "acc.json").read_text())
        out_bits = sum(p["width"] for p in whole["outputs"])
        got = run_script(da_gen, path, [n_in])
        if got != (0, 0, whole["stats"]["adder_luts"], out_bits):
            problems.append(f"one group: (ranks, bits, LUTs, output bits) = {got}, "
                            f"da-gen: {whole['stats']['adder_luts']} LUTs, {out_bits} output bits")
        head = dict(model, layers=[dict(model["layers"][0], weights=model["layers"][0]["weights"][:5])])
        head["input"] = dict(model["input"], size=5)
        (Path(tmp) / "head.json").write_text(json.dumps(head))
        subprocess.run([da_gen, Path(tmp) / "head.json", "-o", Path(tmp) / "head", *OPTIONS],
                       check=True, capture_output=True)
        head_rep = json.loads((Path(tmp) / "head" / "acc.json").read_text())
        rank_bits = sum(p["width"] for p in head_rep["outputs"]) + 3 * 8
        got = run_script(da_gen, path, [5, 3])
        if (got[0], got[1]) != (1, rank_bits) or not out_bits <= got[3] <= out_bits + n_out:
            problems.append(f"two groups: (ranks, bits, LUTs, output bits) = {got}; expected 1 rank "
                            f"of {rank_bits} bits, {out_bits}..{out_bits + n_out} output bits")
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print("PASS test_accumulate_groups")


if __name__ == "__main__":
    main()
