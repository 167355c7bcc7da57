#!/usr/bin/env python3
"""Would a layer accumulated over its pipeline stages need fewer registers?

    benchmarks/accumulate_groups.py MODEL.json --groups 4 3 3 3 3 [--clock-period 2.72] [-- DA_GEN_OPTIONS]

An experiment behind docs/pipelining.md ("Where a single layer's registers go"),
not a da-gen feature.  The inputs of a one-dense-layer model are split into
consecutive groups; stage s adds group s's products to a running partial sum of
every output, so each register rank holds one partial sum per output plus the
inputs still to come, instead of the wide middle of one shared adder graph.

Each stage is compiled on its own with da-gen (default options
`--objective bits --ternary --dc 0`): a model whose inputs are the group's
inputs plus, after the first stage, the running sums (one extra input per
output with an identity weight block).  Prints, per stage, the adders, the
estimated adder LUTs, the estimated combinational period and the register bits
of the rank after it (the partial sums at the widths of their exact ranges, plus
the inputs still waiting), then the totals and whether every stage meets the
clock.  A stage sees its running sums through power-of-two integer input types,
so its adders can be a bit wider than one graph would build them: the LUTs are
an upper estimate.
"""
import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def integer_type(lo, hi):
    """The narrowest signed integer type holding [lo, hi]."""
    return {"signed": True, "int_bits": max(1, (-lo - 1).bit_length(), hi.bit_length()), "frac_bits": 0}


def exact_width(lo, hi, zeros):
    """Bits of an integer in [lo, hi] whose `zeros` low bits are always 0 (not stored;
    two's complement when it can be negative)."""
    lo, hi = lo >> zeros, hi >> zeros
    if lo >= 0:
        return max(1, hi.bit_length())
    return max((-lo - 1).bit_length(), hi.bit_length()) + 1


def trailing_zeros(w):
    return (w & -w).bit_length() - 1 if w else math.inf


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--groups", type=int, nargs="+", required=True, help="inputs per stage, in order")
    ap.add_argument("--clock-period", type=float, default=2.72)
    ap.add_argument("--da-gen", default=ROOT / "build" / "da-gen")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    a = ap.parse_args(argv[:split])
    a.options = argv[split + 1:] or ["--objective", "bits", "--ternary", "--dc", "0"]

    model = json.loads(Path(a.model).read_text())
    layer = model["layers"][0]
    if len(model["layers"]) != 1 or layer["type"] != "dense" or "bias" in layer:
        sys.exit("accumulate_groups: needs a model of one dense layer without bias")
    in_type = model["input"]["type"]
    if not isinstance(in_type, dict) or in_type["frac_bits"] != 0 or not in_type["signed"]:
        sys.exit("accumulate_groups: needs one signed integer input type")
    weights = layer["weights"]  # [n_in][n_out]
    n_in, n_out = len(weights), len(weights[0])
    if sum(a.groups) != n_in:
        sys.exit(f"accumulate_groups: --groups must add up to {n_in} inputs")
    in_width = in_type["int_bits"] + 1
    x_max = 2 ** in_type["int_bits"]

    print("| stage | inputs | adders | adder LUTs | est. period (ns) | rank bits after |")
    print("|---|---|---|---|---|---|")
    lo, hi = [0] * n_out, [0] * n_out  # exact range of each partial sum
    zeros = [math.inf] * n_out  # its low bits that are always 0 (all its weights even, ...)
    first, luts, bits, worst = 0, 0, 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for stage, size in enumerate(a.groups):
            cols = range(first, first + size)
            rows = [weights[c] for c in cols]
            types = [in_type] * size
            if stage:
                rows += [[int(i == o) for i in range(n_out)] for o in range(n_out)]
                types += [integer_type(lo[o], hi[o]) for o in range(n_out)]
            name = f"stage{stage}"
            path = Path(tmp) / f"{name}.json"
            path.write_text(json.dumps({"name": name, "input": {"size": len(rows), "type": types},
                                        "layers": [{"type": "dense", "weights": rows}]}))
            out = Path(tmp) / name
            subprocess.run([a.da_gen, path, "-o", out, *a.options], check=True, capture_output=True)
            rep = json.loads((out / f"{name}.json").read_text())
            for o in range(n_out):
                lo[o] += sum(min(weights[c][o] * -x_max, weights[c][o] * (x_max - 1)) for c in cols)
                hi[o] += sum(max(weights[c][o] * -x_max, weights[c][o] * (x_max - 1)) for c in cols)
                zeros[o] = min([zeros[o]] + [trailing_zeros(weights[c][o]) for c in cols])
            first += size
            waiting = (n_in - first) * in_width
            rank = sum(exact_width(lo[o], hi[o], 0 if zeros[o] == math.inf else zeros[o])
                       for o in range(n_out)) + waiting
            period = rep["pipeline"]["estimated_period_ns"]
            luts += rep["stats"]["adder_luts"]
            bits += rank if first < n_in else 0  # the last stage ends at the output port
            worst = max(worst, period)
            after = rank if first < n_in else f"{rank} (output port)"
            print(f"| {stage} | {size} | {rep['stats']['adders']} | {rep['stats']['adder_luts']} | "
                  f"{period} | {after} |")
    print(f"\n{len(a.groups) - 1} ranks: {bits} register bits, {luts} adder LUTs, worst stage "
          f"{worst:.2f} ns ({'meets' if worst <= a.clock_period else 'misses'} {a.clock_period} ns)")


if __name__ == "__main__":
    main()
