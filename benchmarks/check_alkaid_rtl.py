#!/usr/bin/env python3
"""ctest bench.alkaid_rtl: tools/alkaid_rtl.py builds the model.json network alkaid simulates.

    benchmarks/.venv-alkaid/bin/python benchmarks/check_alkaid_rtl.py [WORKDIR]

Three small test models (RND / SAT / SAT_SYM quantizers, per-element input types, a ReLU
between layers) through alkaid_rtl.write_rtl, combinational and pipelined (latency_cutoff 2), each
design (and its LUT6_2 + CARRY8 ternary swap) simulated in Icarus against the exact model.json
reference; then one output bit of a passing design is inverted and the check must catch it.
Exit 77 (skipped) when this Python has no alkaid or iverilog is missing, 1 on any failure.
"""
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MODELS = ["saturation", "mixed_inputs", "widths"]


def main():
    try:
        import alkaid  # noqa: F401
    except ImportError:
        print("SKIP: no alkaid in this Python (benchmarks/.venv-alkaid)")
        return 77
    if not shutil.which("iverilog"):
        print("SKIP: no iverilog")
        return 77
    sys.path.insert(0, str(REPO / "tools"))
    import alkaid_rtl

    if len(sys.argv) > 1:
        return check(alkaid_rtl, Path(sys.argv[1]))
    with tempfile.TemporaryDirectory(prefix="alkaid_rtl_") as tmp:
        return check(alkaid_rtl, Path(tmp))


def check(alkaid_rtl, work):
    fails = 0
    for name in MODELS:
        model = alkaid_rtl.d4.load_model(REPO / "tests" / "models" / f"{name}.json")
        for pipeline in (0, 2):
            out = work / f"{name}_p{pipeline}"
            _, info = alkaid_rtl.write_rtl(model, out, "model", pipeline=pipeline, quiet=True)
            res = alkaid_rtl.verify(model, out, info, 40, seed=3)
            ok = all(r["mismatches"] == 0 for r in res.values())
            fails += not ok
            print(f"{'PASS' if ok else 'FAIL'} {name} pipeline {pipeline}: latency {info['latency_cycles']}, "
                  + ", ".join(f"{t} {r['mismatches']} mismatches" for t, r in res.items()))
    # the check must see a wrong design: the combinational saturation design with its output's
    # LSB inverted
    out = work / "saturation_p0"
    info = alkaid_rtl.json.loads((out / "ports.json").read_text())
    top = out / "model.v"
    text = top.read_text()
    w = info["ports"]["model_out"]["width"]
    old = f"assign model_out[{w - 1}:0] = INTERNAL_logic0_outp[{w - 1}:0];"
    if text.count(old) != 1:
        print(f"FAIL: alkaid's top no longer has the line {old!r} this check mutates")
        return 1
    top.write_text(text.replace(old, old[:-1] + " ^ 1'b1;"))
    res = alkaid_rtl.verify(alkaid_rtl.d4.load_model(REPO / "tests" / "models" / "saturation.json"), out, info, 60, 3)
    caught = res["rtl"]["mismatches"] > 0
    fails += not caught
    print(f"{'PASS' if caught else 'FAIL'} an inverted output bit is caught: {res['rtl']['mismatches']} of 60 vectors differ")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
