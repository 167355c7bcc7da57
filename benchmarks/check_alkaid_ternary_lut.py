#!/usr/bin/env python3
"""Check benchmarks/alkaid_ternary_lut.v against alkaid's own ternary_adder.v, as synthesized:
random parameter sets (widths, signedness, negations — all-negated included — pads, dropped
LSBs, output widths, so alkaid's "lowcopy" and "full" cases and adders of zero width all occur),
each instance pair driven with random inputs in Icarus Verilog, the swapped module's dagen_add3
as LUT6_2 / CARRY8 instances (SYNTHESIS defined, Yosys' xilinx/cells_sim.v models).

    benchmarks/.venv-alkaid/bin/python benchmarks/check_alkaid_ternary_lut.py [--sets 300] [--vectors 300]

Prints one PASS / FAIL line; exit 1 on any difference. Needs iverilog and alkaid in the venv
(for its ternary_adder.v).
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CELLS_SIM = "/usr/share/yosys/xilinx/cells_sim.v"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", type=int, default=300)
    ap.add_argument("--vectors", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    import alkaid

    ref_src = os.path.join(os.path.dirname(alkaid.__file__), "codegen", "rtl", "verilog", "source", "ternary_adder.v")
    with open(ref_src) as f:
        ref = re.sub(r"\bmodule ternary_adder\b", "module ternary_adder_ref", f.read())
    rng = random.Random(args.seed)
    sets = []
    for _ in range(args.sets):
        p = []
        for _k in range(3):
            p += [rng.randint(1, 9), rng.randint(0, 1), rng.randint(0, 1), rng.choice([0, 0, 1, 2, 3, 5, 8])]
        p += [rng.randint(1, 14), rng.choice([0, 0, 1, 2, 3, 6])]
        sets.append(p)
    # make sure the all-negated and lowcopy-like cases are there
    sets.append([4, 1, 1, 0, 4, 1, 1, 0, 4, 0, 1, 2, 7, 0])
    sets.append([5, 0, 0, 0, 6, 1, 1, 4, 3, 1, 0, 6, 10, 1])
    lines = ["`timescale 1ns/1ps", "module tb;", "  integer v, bad; initial bad = 0;"]
    for j, p in enumerate(sets):
        w0, w1, w2, wo = p[0], p[4], p[8], p[12]
        ps = ",".join(map(str, p))
        lines += [f"  reg [{w0-1}:0] a{j}; reg [{w1-1}:0] b{j}; reg [{w2-1}:0] c{j}; wire [{wo-1}:0] r{j}, s{j};",
                  f"  ternary_adder_ref #({ps}) ref{j} (a{j}, b{j}, c{j}, r{j});",
                  f"  ternary_adder #({ps}) dut{j} (a{j}, b{j}, c{j}, s{j});"]
    lines.append("  initial begin")
    lines.append(f"    for (v = 0; v < {args.vectors}; v = v + 1) begin")
    for j, p in enumerate(sets):
        lines.append(f"      a{j} = $random; b{j} = $random; c{j} = $random;")
    lines.append("      #1;")
    for j, p in enumerate(sets):
        lines.append(f"      if (r{j} !== s{j}) begin bad = bad + 1; "
                     f"if (bad < 5) $display(\"set {j} ({','.join(map(str, p))}): %h %h %h ref %h got %h\", "
                     f"a{j}, b{j}, c{j}, r{j}, s{j}); end")
    lines += ["    end", '    $display("BAD %0d", bad);', "    $finish;", "  end", "endmodule"]
    with tempfile.TemporaryDirectory() as td:
        with open(os.path.join(td, "tb.v"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(td, "ref.v"), "w") as f:
            f.write(ref)
        cmd = ["iverilog", "-g2012", "-DSYNTHESIS", "-s", "tb", "-o", os.path.join(td, "t.vvp"),
               os.path.join(td, "tb.v"), os.path.join(td, "ref.v"), os.path.join(HERE, "alkaid_ternary_lut.v"),
               os.path.join(REPO, "rtl_lib", "dagen_add3.v"), CELLS_SIM]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print("FAIL: iverilog: " + r.stderr[-3000:])
            return 1
        r = subprocess.run(["vvp", "-n", os.path.join(td, "t.vvp")], capture_output=True, text=True)
    m = re.search(r"BAD (\d+)", r.stdout)
    ok = m is not None and m.group(1) == "0"
    print(("PASS" if ok else "FAIL") + f": alkaid_ternary_lut.v == alkaid's ternary_adder.v on {len(sets)} parameter "
          f"sets x {args.vectors} random vectors (LUT6_2/CARRY8 cell models)")
    if not ok:
        print(r.stdout[-3000:])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
