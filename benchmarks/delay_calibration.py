#!/usr/bin/env python3
"""Fit the `xcup` delay model (src/target/targets.cpp) to the published Vivado result (issue 18).

    benchmarks/.venv/bin/python benchmarks/delay_calibration.py \\
        [--da-gen build/da-gen] [--before-da-gen OLD/da-gen] \\
        [--json benchmarks/results/delay_calibration.json] [--md benchmarks/results/delay_calibration.md]

The venv is the da4ml one of benchmarks/da4ml/README.md (da4ml 0.6.0); the model is applied to
da4ml's operations by tools/da4ml_rtl.py's op_delay_ns(), the Python copy of
src/target/delay_model.cpp. The method and the result: benchmarks/delay_calibration.md.

What is published, and what is rebuilt:
  - the da4ml paper (arXiv 2507.04535; artifact repository calad0i/da4ml-ae, convert.sh) builds
    its RTL designs with `da4ml convert --latency-cutoff 1 -dc 2` for the 1 GHz target: HWConfig(1,
    -1, -1), so every adder is one unit of da4ml's latency and a stage holds one adder level
    (plus the operations da4ml counts as free: constant adds, ReLU, quantizers). Its 76.5 % OpenML
    JSC net (16-64-32-32-5, HGQ) reaches 736 MHz in Vivado 2023.2, xcvu13p-2, out of context with
    global retiming, at 17 cycles (23.1 ns).
  - that net is an HGQ1 .h5 model (TensorFlow); it cannot be loaded here. The two HGQ2 jet
    classifiers of the same paper (models/jsc_cernbox_*.json: the same 16-64-32-32-5 shape and
    training method) are rebuilt at the same setting (tools/da4ml_rtl.py --pipeline 1: da4ml
    0.6.0, HWConfig(1, -1, -1), hard_dc 2, latency_cutoff 1) and taken as proxies that reach the
    same period. That is an assumption; the spread between the two proxies is part of the error.

Two estimates per design, both by the delay model on da4ml's operations:
  - placed: da4ml's own register placement (each stage's longest path + register overhead);
  - retimed: the least period any placement of the same graph with the same number of stages
    reaches (binary search on T with an as-soon-as-possible cut, operations atomic, as da-gen's
    --pipeline does): what Vivado's global retiming can do at best, moving registers across
    whole operations but not into a carry chain.
The fit uses the retimed estimate (the published design was retimed).

Parameters: lut, carry, carry_per_bit and the flip-flop part of register are Vivado timing-report
figures for UltraScale+ -2 as FloPoCo's VirtexUltrascalePlus target records them (FloPoCo,
code/HWTargets/src/Targets/VirtexUltrascalePlus.hpp: LUT6 0.148 ns, LUT2 0.050, LUT-to-carry net
0.011, CARRY8 entry 0.115 and exit 0.116, CIN->COUT 0.015 per CARRY8 plus 0.026 between CLBs,
flip-flop 0.150). One parameter is fitted: route, the delay of one net, which in a placed design
of a few thousand LUTs is longer than FloPoCo's "typical local routing" (0.180 ns); register is
the flip-flop plus the net into it. Least squares on log(estimate / published).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))

import da4ml_rtl as D  # noqa: E402

PUBLISHED = {
    'source': 'da4ml paper, arXiv 2507.04535 (Sun et al.); RTL settings from calad0i/da4ml-ae convert.sh',
    'design': 'JSC OpenML 76.5 % (HGQ, 16-64-32-32-5), da4ml convert --latency-cutoff 1 -dc 2',
    'tool': 'Vivado 2023.2, xcvu13p-flga2577-2-e, out of context, global retiming',
    'latency_cycles': 17,
    'fmax_mhz': 736.0,
}
PROXIES = ['jsc_cernbox_acc75.16', 'jsc_cernbox_acc74.98']
LATENCY_CUTOFF = 1

# The model before this calibration (data-sheet guesses, commit 8fdae5a).
BEFORE = {'route': 0.35, 'lut': 0.10, 'carry': 0.0, 'carry_per_bit': 0.02, 'register': 0.25}

# Vivado timing-report figures (FloPoCo VirtexUltrascalePlus.hpp), ns.
LUT6, LUT2, LUT_TO_CARRY, CARRY_IN, CARRY_OUT = 0.148, 0.050, 0.011, 0.115, 0.116
CARRY8, INTER_CLB, FLIP_FLOP = 0.015, 0.026, 0.150


def model_with_route(route: float) -> dict:
    # An adder: route + LUT + carry + per bit = route + FloPoCo's adder constant
    # (LUT2 + net + CARRY8 entry and exit) + its ripple; lut_ns is the LUT6 of a logic level.
    adder_constant = LUT2 + LUT_TO_CARRY + CARRY_IN + CARRY_OUT
    return {
        'route': route,
        'lut': round(LUT6, 2),
        'carry': round(adder_constant - round(LUT6, 2), 2),
        'carry_per_bit': round((CARRY8 + INTER_CLB) / 8, 3),
        'register': FLIP_FLOP + route,
    }


def build(name: str):
    """da4ml's combinational graph and its latency_cutoff=1 pipeline for models/NAME.json."""
    from da4ml.codegen import RTLModel
    from da4ml.trace import comb_trace

    model = D.load_model(ROOT / 'models' / f'{name}.json')
    inp, out = D.build_da4ml(model)
    comb = comb_trace(inp, out, keep_dead_inputs=True)
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        rtl = RTLModel(comb, name.replace('.', '_'), tmp, flavor='verilog', latency_cutoff=LATENCY_CUTOFF)
        pipe = rtl._pipe
    return comb, pipe


def placed_period(pipe, m: dict) -> float:
    worst = 0.0
    for st in pipe.solutions:
        finish: list[float] = []
        for k, op in enumerate(st.ops):
            start = max((finish[i] for i in D.op_operands(op) if 0 <= i < k), default=0.0)
            finish.append(start + D.op_delay_ns(op, st.ops, m))
        worst = max(worst, max(finish, default=0.0))
    return worst + m['register']


def segments(delays: list[float], operands: list[list[int]], t: float) -> int:
    """Stages an as-soon-as-possible cut needs for stage delay t (operations atomic)."""
    stage, arrive = [0] * len(delays), [0.0] * len(delays)
    for v, d in enumerate(delays):
        s = max((stage[u] for u in operands[v]), default=0)
        a = max((arrive[u] for u in operands[v] if stage[u] == s), default=0.0) + d
        if a > t + 1e-12:
            s, a = s + 1, d
        stage[v], arrive[v] = s, a
    return max(stage, default=0) + 1


def retimed_period(comb, n_stages: int, m: dict) -> float:
    delays = [D.op_delay_ns(op, comb.ops, m) for op in comb.ops]
    operands = [[i for i in D.op_operands(op) if 0 <= i < k] for k, op in enumerate(comb.ops)]
    lo, hi = max(delays), sum(delays)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if segments(delays, operands, mid) <= n_stages else (mid, hi)
    return hi + m['register']


def fit_route(designs, published_ns: float) -> float:
    def loss(route: float) -> float:
        m = model_with_route(route)
        return sum(math.log(retimed_period(c, len(p.solutions), m) / published_ns) ** 2 for c, p in designs)

    lo, hi = 0.0, 1.0  # golden-section search; the loss is unimodal in route (estimates grow with it)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = loss(a), loss(b)
    while hi - lo > 1e-4:
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = loss(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = loss(b)
    return round((lo + hi) / 2, 2)


def dagen_period(binary: str, name: str, latency: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / 'o'
        subprocess.run([binary, str(ROOT / 'models' / f'{name}.json'), '-o', str(out), '--pipeline', str(latency)],
                       check=True, capture_output=True)
        report = next(p for p in out.glob('*.json') if not p.name.endswith('.graph.json'))
        return json.loads(report.read_text())['pipeline']['estimated_period_ns']


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--da-gen', default=str(ROOT / 'build' / 'da-gen'), help='da-gen with the fitted model')
    ap.add_argument('--before-da-gen', help='da-gen with the model before the fit (optional column)')
    ap.add_argument('--json', type=Path)
    ap.add_argument('--md', type=Path)
    args = ap.parse_args(argv)

    published_ns = 1000.0 / PUBLISHED['fmax_mhz']
    designs = {name: build(name) for name in PROXIES}
    route = fit_route(list(designs.values()), published_ns)
    # The route each proxy alone would give: how much the choice of proxy moves the fit.
    alone = {name: fit_route([d], published_ns) for name, d in designs.items()}
    after = model_with_route(route)
    rows = []
    for name, (comb, pipe) in designs.items():
        n = len(pipe.solutions)
        row = {'design': name, 'da4ml_stages': n, 'latency_cycles': n + 1, 'published_ns': round(published_ns, 3)}
        for tag, m in (('before', BEFORE), ('after', after)):
            row[f'placed_{tag}_ns'] = round(placed_period(pipe, m), 3)
            row[f'retimed_{tag}_ns'] = round(retimed_period(comb, n, m), 3)
        row['dagen_after_ns'] = dagen_period(args.da_gen, name, n + 1)
        if args.before_da_gen:
            row['dagen_before_ns'] = dagen_period(args.before_da_gen, name, n + 1)
        rows.append(row)

    def ratios(key):
        return [r[key] / r['published_ns'] for r in rows]

    summary = {}
    for key in ('retimed_before_ns', 'retimed_after_ns', 'placed_before_ns', 'placed_after_ns'):
        rs = ratios(key)
        summary[key] = {'geomean_ratio': round(math.exp(sum(map(math.log, rs)) / len(rs)), 3),
                        'max_abs_log_ratio_as_factor': round(math.exp(max(abs(math.log(x)) for x in rs)), 3)}
    # tools/da4ml_rtl.py's copy of the xcup numbers must be the fitted ones (as targets.cpp's).
    in_sync = all(math.isclose(D.DELAY_MODELS['xcup'].get(k, 0.0), v, abs_tol=1e-9) for k, v in after.items())
    result = {'published': PUBLISHED, 'tools_da4ml_rtl_in_sync': in_sync, 'latency_cutoff': LATENCY_CUTOFF, 'before': BEFORE,
              'after': {k: round(v, 3) for k, v in after.items()}, 'fitted': {'route': route, 'route_fitted_on_each_alone': alone},
              'rows': rows, 'summary': summary}
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + '\n')
    if args.md:
        lines = ['| design | da4ml stages | latency | published (ns) | placed before | placed after | '
                 'retimed before | retimed after | da-gen before | da-gen after |', '|---' * 10 + '|']
        for r in rows:
            lines.append(f"| {r['design']} | {r['da4ml_stages']} | {r['latency_cycles']} | {r['published_ns']} | "
                         f"{r['placed_before_ns']} | {r['placed_after_ns']} | {r['retimed_before_ns']} | "
                         f"{r['retimed_after_ns']} | {r.get('dagen_before_ns', '')} | {r['dagen_after_ns']} |")
        args.md.write_text('\n'.join(lines) + '\n')
    if not in_sync:
        print(f"tools/da4ml_rtl.py DELAY_MODELS['xcup'] differs from the fit {after}", file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
