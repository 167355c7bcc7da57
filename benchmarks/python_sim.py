#!/usr/bin/env python3
"""Speed of dagen.sim: compile times and sim.predict on a batch of random inputs.

    PYTHONPATH=python /usr/bin/python3 benchmarks/python_sim.py [--dagen build/da-gen]
        [--model models/jsc_cernbox_acc75.16.json] [--pipeline 3] [-n 100000]

Writes the design with the CLI and builds it three times in a scratch cache: cold (the Verilator
runtime and the design), the design alone (the runtime cached) and a cache hit; then times
sim.predict (values) and sim.predict_codes on n random in-range inputs.  Prints one line each.
--no-pch: also times the design's build without the precompiled header (then with it again).
--make: also times Verilator's own build of the design (`verilator --cc --build`, its Makefile,
the same -O0 and -fPIC), to compare with dagen.sim's.
"""

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

import dagen.sim as dsim
from dagen._codes import element_types

REPO = Path(__file__).resolve().parents[1]


def make_build(design: Path, work: Path, top: str):
    """Verilator's Makefile build of the same sources (without --exe: the design's archive
    alone, no runtime), to compare with dagen.sim's design build."""
    work.mkdir()
    opt = ["-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0", "-CFLAGS", "-fPIC"]
    argv = ["verilator", "--cc", "--build", "-j", "2", *opt, "--top-module", top]
    argv += [str(v) for v in sorted(design.glob("*.v"))]
    t = time.perf_counter()
    subprocess.run(argv, cwd=work, check=True, capture_output=True)
    print(f"verilator --cc --build -j 2 (its Makefile, the design alone): "
          f"{time.perf_counter() - t:.2f} s")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dagen", default=str(REPO / "build" / "da-gen"))
    p.add_argument("--model", default=str(REPO / "models" / "jsc_cernbox_acc75.16.json"))
    p.add_argument("--pipeline", type=int, default=3)
    p.add_argument("-n", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--make", action="store_true", help="also time Verilator's Makefile build")
    p.add_argument("--no-pch", action="store_true",
                   help="also time the design's build without the precompiled header")
    args = p.parse_args()

    with tempfile.TemporaryDirectory(prefix="dagen-sim-bench-") as work:
        work = Path(work)
        design, cache = work / "design", work / "cache"
        subprocess.run([args.dagen, args.model, "--pipeline", str(args.pipeline), "-o",
                        str(design)], check=True, capture_output=True)

        def timed_compile():
            t = time.perf_counter()
            sim = dsim.compile(design, build_dir=cache)
            return sim, time.perf_counter() - t

        sim, cold = timed_compile()
        sim.close()
        shutil.rmtree(sim.library.parent)  # keep the runtime, drop the design's library
        sim, design_only = timed_compile()
        sim.close()
        sim, hit = timed_compile()
        print(f"{Path(args.model).name} pipeline {args.pipeline}: compile {cold:.2f} s cold "
              f"(runtime + design), {design_only:.2f} s with the runtime cached, "
              f"{hit:.3f} s cached")

        if args.no_pch:
            shutil.rmtree(sim.library.parent)
            init = dsim._sim_build.Tools.__init__

            def without_pch(tools):
                init(tools)
                tools.gcc_pch = False

            dsim._sim_build.Tools.__init__ = without_pch
            no_pch = timed_compile()[1]
            dsim._sim_build.Tools.__init__ = init
            shutil.rmtree(sim.library.parent)
            with_pch = timed_compile()[1]
            print(f"with the runtime cached: {no_pch:.2f} s without the precompiled header, "
                  f"{with_pch:.2f} s with it")
        if args.make:
            make_build(design, work / "make", sim.top)
        rng = np.random.default_rng(args.seed)
        types = element_types(sim.inputs)  # the benchmark's models have inputs of <= 53 bits
        codes = np.stack([rng.integers(t.low, t.high + 1, size=args.n, dtype=np.int64)
                          for t in types], axis=1)
        x = codes * np.array([2.0 ** -t["frac_bits"] for t in sim.inputs])
        t = time.perf_counter()
        y = sim.predict(x)
        values_time = time.perf_counter() - t
        t = time.perf_counter()
        yc = sim.predict_codes(codes)
        codes_time = time.perf_counter() - t
        assert y.shape == (args.n, len(sim.outputs)) and yc.shape == y.shape
        print(f"sim.predict: {args.n} vectors in {values_time:.2f} s "
              f"({args.n / values_time:,.0f} vectors/s); predict_codes {codes_time:.2f} s")
        print(json.dumps({"model": Path(args.model).name, "pipeline": args.pipeline,
                          "compile_cold_s": round(cold, 2),
                          "compile_runtime_cached_s": round(design_only, 2),
                          "compile_cached_s": round(hit, 3), "n": args.n,
                          "predict_s": round(values_time, 2),
                          "predict_codes_s": round(codes_time, 2)}))
        sim.close()


if __name__ == "__main__":
    main()
