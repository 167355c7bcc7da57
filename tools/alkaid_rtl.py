#!/usr/bin/env python3
"""Build da-gen's version-1 model.json network with alkaid's trace API and write alkaid's Verilog.

    tools/alkaid_rtl.py MODEL.json -o DIR [--pipeline N | --n-stages K] [--no-ternary]
                        [--name NAME] [--verify S] [--seed S]

Run it with the alkaid venv (benchmarks/.venv-alkaid/bin/python, benchmarks/requirements-alkaid.txt).
alkaid (PyPI `alkaid`, da4ml's successor) is called as its `alkaid convert` CLI does, with the
CLI's defaults: HWConfig(1, 1, -1), hard_dc 5, RTLModel(..., flavor='verilog') with ternary-adder
fusion on (ternary_fuse=True; --no-ternary is the CLI's --no-ternary).

    x = FVArray.from_kif(k, i, f, HWConfig(1, 1, -1), 0, {'hard_dc': 5})   # input.type
    dense:    x = x @ W + b        (alkaid's CMVM: binary_lut for 1-bit inputs, then its solver)
    relu:     x = relu(x)          (no requantization)
    quantize: x = quantize(x, k, i, f, overflow_mode, round_mode)  (per-element kif allowed)
    comb = trace(inp, x, optimize=True, keep_dead_inputs=True)
    RTLModel(comb, DIR/alkaid_project, NAME, flavor='verilog', latency_cutoff=N | n_stages=K,
             ternary_fuse=...).write()

keep_dead_inputs keeps every model.json input in the port (the CLI drops unused ones; they cost
no logic either way). The model.json reader and the exact reference are tools/da4ml_rtl.py's
(imported); the flat design directories, port layouts, Icarus simulation and ternary statistics
are benchmarks/alkaid_v2.py's (imported).

Writes:
    DIR/*.v             alkaid's design (its src/*.v and src/static/*.v, without the wrapper), top NAME
    DIR/lut3/*.v        (ternary fusion on) the same design with alkaid's ternary_adder swapped for
                        benchmarks/alkaid_ternary_lut.v on rtl_lib/dagen_add3.v, the LUT6_2 + CARRY8
                        ternary adder da-gen --ternary instantiates (simulate with SYNTHESIS defined
                        and Yosys' xilinx/cells_sim.v)
    DIR/ports.json      port layout, latency, stages, alkaid settings, ternary adder counts and each
                        stage's delay by da-gen's delay models (estimated_stage_ns, estimated_period_ns)
    DIR/alkaid_project/ alkaid's untouched RTLModel project

Ports (alkaid 0.8.2): module NAME([input clk,] input [WI-1:0] model_inp, output [WO-1:0] model_out),
clk only when pipelined. Elements packed back to back, element 0 in the LSBs, each k + i + f bits of
its (keep-negative, integer, fractional) precision; inputs are exactly model.json's input.type,
outputs alkaid's minimal type of their range. Pipelined: registers on the input, between stages
and on the output, latency_cycles = n_stages + 1.

--verify S: stream S vectors (corners, then seeded random codes) through DIR/*.v (and DIR/lut3) in
Icarus Verilog, one per clock, and compare with da4ml_rtl.reference_forward; exit 1 on a mismatch.
"""
from __future__ import annotations

import argparse
import contextlib
import glob
import io
import json
import os
import shutil
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / 'benchmarks'))
import alkaid_v2 as av2  # noqa: E402
import da4ml_rtl as d4  # noqa: E402

HWCONF = av2.ALKAID_HWCONF
HARD_DC = av2.ALKAID_HARD_DC


def build_alkaid(model: dict, hwconf=HWCONF, hard_dc: int = HARD_DC):
    """(input FVArray, output FVArray) of the model.json network traced in alkaid."""
    from alkaid.trace import FVArray, HWConfig
    from alkaid.trace.ops import quantize, relu

    return d4.trace_network(model, FVArray, HWConfig, relu, quantize, hwconf, hard_dc, 'alkaid')


# ---------------------------------------------------------------- da-gen's delay model on alkaid's ops

def _kif(op):
    k, i, f = op.qint.kif
    return int(k) + int(i) + int(f), -int(f)  # width, lsb position


def op_delay_ns(op, ops, m: dict) -> float:
    """One alkaid op by da-gen's delay model (src/target/delay_model.cpp, as da4ml_rtl.op_delay_ns
    does for da4ml's encoding): an adder is a route, a LUT, the carry entry and a ripple over the
    bits that do not pass straight through; a ternary adder (opcode 11) adds the LUT level of its
    carry-save sum (src/sched/pipeline.cpp, ternary_delays)."""
    def chain(bits: int) -> float:
        return m['route'] + m['lut'] + m.get('carry', 0.0) + m['carry_per_bit'] * bits

    w, _ = _kif(op)
    if op.opcode in (-1, 3, 5) or w <= 0:  # input, bit selection, constant
        return 0.0
    if op.opcode in (0, 1):  # addr[0] +/- addr[1] << data[0]
        lsb_a = _kif(ops[op.addr[0]])[1]
        lsb_b = _kif(ops[op.addr[1]])[1] + op.data[0]
        low = abs(lsb_a - lsb_b)
        passes = lsb_a < lsb_b or op.opcode == 0
        return chain(max(1, w - low if passes else w))
    if op.opcode in (-2, 4, 7):  # negation, constant add, multiplier (not produced here)
        return chain(w)
    if op.opcode == 11:
        return m['route'] + m['lut'] + chain(w)
    return m['route'] + m['lut']  # relu, mux, lookup, bitwise: a LUT level


def estimated_stage_ns(rtl, target: str = 'xcup') -> list[float]:
    """Longest combinational path of each of alkaid's stages by da-gen's delay model (ns)."""
    m = d4.DELAY_MODELS[target]
    out = []
    for st in rtl.fsm.logic.values():
        finish = []
        for k, op in enumerate(st.ops):
            reads = op.addr if op.opcode != -1 else ()
            start = max((finish[i] for i in reads if 0 <= i < k), default=0.0)
            finish.append(start + op_delay_ns(op, st.ops, m))
        out.append(max(finish, default=0.0))
    return out


# ---------------------------------------------------------------- write

def elements(precisions) -> list[dict]:
    return [{'index': j, 'offset': o, 'width': w, 'signed': s, 'frac_bits': f}
            for j, (o, w, s, f) in enumerate(av2.elem_layout_kif(precisions))]


def write_rtl(model: dict, outdir: Path, name: str, pipeline: float = 0, n_stages: int = -1,
              ternary: bool = True, quiet: bool = False):
    """Trace, write alkaid's project and the flat design directories; returns (rtl, info)."""
    import alkaid
    from alkaid.codegen import RTLModel
    from alkaid.trace import trace

    inp, out = build_alkaid(model)
    comb = trace(inp, out, optimize=True, keep_dead_inputs=True)
    if any(int(s) != 0 for s in comb.inp_shifts):
        raise RuntimeError('alkaid input shifts are not zero: the port layout would not hold')
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob('*.v'):
        old.unlink()
    prj = outdir / 'alkaid_project'
    shutil.rmtree(prj, ignore_errors=True)
    pipelined = pipeline > 0 or n_stages > 0
    with contextlib.redirect_stdout(io.StringIO()):  # alkaid prints its latency
        rtl = RTLModel(comb, prj, name, flavor='verilog', latency_cutoff=pipeline if pipeline > 0 and n_stages <= 0 else -1,
                       n_stages=n_stages if n_stages > 0 else -1, ternary_fuse=ternary)
        rtl.write()
    tmp = av2.alkaid_flat(str(prj), str(outdir / '.flat'))
    for p in glob.glob(os.path.join(tmp, '*.v')):
        shutil.move(p, outdir / os.path.basename(p))
    shutil.rmtree(tmp)
    shutil.rmtree(outdir / 'lut3', ignore_errors=True)
    n3, all_neg = av2.ternary_stats(str(outdir))
    if ternary:
        av2.alkaid_flat(str(prj), str(outdir / 'lut3'), fair=True)
    stages = len(rtl.fsm.logic)
    has_regs = any(s.reg for s in rtl.fsm.signals.values())
    stage_ns = estimated_stage_ns(rtl) if has_regs or stages else []
    ops = [op for st in rtl.fsm.logic.values() for op in st.ops]
    info = {
        'tool': 'alkaid', 'alkaid_version': alkaid.__version__, 'top': name,
        'files': sorted(p.name for p in outdir.glob('*.v')),
        'lut3_dir': 'lut3' if ternary else None,
        'pipelined': has_regs, 'latency_cutoff': pipeline if pipelined and n_stages <= 0 else None,
        'n_stages': stages if has_regs else 0, 'latency_cycles': stages + 1 if has_regs else 0,
        'ternary_fuse': ternary, 'ternary_adders': n3, 'ternary_all_negated': all_neg,
        'hwconf': list(HWCONF), 'hard_dc': HARD_DC,
        'adders': sum(1 for op in ops if op.opcode in (0, 1)),
        'const_adds': sum(1 for op in ops if op.opcode == 4),
        'alkaid_cost': float(comb.cost), 'alkaid_latency': rtl.latency, 'reg_bits': rtl.reg_bits if has_regs else 0,
        'estimated_stage_ns': [round(x, 4) for x in stage_ns],
        'estimated_period_ns': {t: round(max(estimated_stage_ns(rtl, t), default=0.0) + (m['register'] if has_regs else 0), 4)
                                for t, m in d4.DELAY_MODELS.items()},
        'ports': {'clk': has_regs,
                  'model_inp': {'width': av2.layout_width(av2.elem_layout_kif(rtl.fsm.inp_signals[0].precisions)),
                                'elements': elements(rtl.fsm.inp_signals[0].precisions)},
                  'model_out': {'width': av2.layout_width(av2.elem_layout_kif(rtl.fsm.out_signals[0].precisions)),
                                'elements': elements(rtl.fsm.out_signals[0].precisions)}},
        'packing': 'element 0 in the LSBs; element j at [offset+width-1:offset]; value = code * 2^-frac_bits '
                   "(two's complement if signed); width-0 elements are constant 0 and absent",
    }
    (outdir / 'ports.json').write_text(json.dumps(info, indent=1))
    if not quiet:
        print(f"alkaid {alkaid.__version__}: wrote {len(info['files'])} Verilog files to {outdir} (top {name}, "
              + (f"{stages} stages, latency {stages + 1}" if has_regs else 'combinational')
              + f"; {info['adders']} adders, {n3} ternary; est. {info['estimated_period_ns']['xcup']} ns)")
    return rtl, info


def layouts(info: dict):
    lay = lambda es: [(e['offset'], e['width'], e['signed'], e['frac_bits']) for e in es]  # noqa: E731
    return lay(info['ports']['model_inp']['elements']), lay(info['ports']['model_out']['elements'])


def verify(model: dict, outdir: Path, info: dict, samples: int, seed: int) -> dict:
    """Mismatching vectors of DIR/*.v (and DIR/lut3) against the exact model.json reference."""
    ain, aout = layouts(info)
    rows = av2.make_vectors(ain, samples, seed)
    codes = [[int(v * (Fraction(2) ** f)) for v, (_, _, _, f) in zip(r, ain)] for r in rows]
    ref_codes, F = d4.reference_forward(model, codes)
    ref = [[Fraction(c) / (Fraction(2) ** F) for c in r] for r in ref_codes]
    words = [av2.pack(r, ain) for r in rows]
    result = {}
    for tag, d in (('rtl', outdir), ('lut3', outdir / 'lut3')):
        if tag == 'lut3' and not info['lut3_dir']:
            continue
        fair = tag == 'lut3'
        files = glob.glob(str(d / '*.v')) + ([av2.CELLS_SIM] if fair else [])
        outs = av2.simulate(files, info['top'], ('clk', 'model_inp', 'model_out'), words,
                            info['ports']['model_inp']['width'], info['ports']['model_out']['width'],
                            info['latency_cycles'], str(outdir / 'sim' / tag), defines=('SYNTHESIS',) if fair else ())
        bad, first = av2.compare(ref, outs, aout)
        result[tag] = {'vectors': len(rows), 'mismatches': bad, 'first': first}
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('model', type=Path)
    ap.add_argument('-o', '--out', type=Path, required=True, help='output directory')
    g = ap.add_mutually_exclusive_group()
    g.add_argument('--pipeline', type=float, default=0,
                   help="alkaid latency_cutoff (its delay units, about one adder each); 0 = combinational")
    g.add_argument('--n-stages', type=int, default=-1, help='exactly K pipeline stages (alkaid convert --n-stages)')
    ap.add_argument('--no-ternary', action='store_true', help='no ternary-adder fusion (alkaid convert --no-ternary)')
    ap.add_argument('--name', default='model', help='top module name (default: model, as alkaid convert)')
    ap.add_argument('--verify', type=int, default=0, metavar='S', help='simulate S vectors against the exact reference')
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args(argv)
    if args.pipeline < 0:
        ap.error('--pipeline: must be >= 0')
    if args.n_stages == 0 or args.n_stages < -1:
        ap.error('--n-stages: must be >= 1')
    try:
        model = d4.load_model(args.model)
        d4.layer_sizes(model)
        _, info = write_rtl(model, args.out, args.name, args.pipeline, args.n_stages, not args.no_ternary)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:  # bad model: one line, nothing written
        print(f'alkaid_rtl.py: {args.model}: {type(e).__name__}: {e}', file=sys.stderr)
        return 1
    if args.verify:
        res = verify(model, args.out, info, args.verify, args.seed)
        for tag, r in res.items():
            print(f"verify {tag}: {r['vectors'] - r['mismatches']}/{r['vectors']} vectors match the model.json reference")
            for f in r['first']:
                print(f"  MISMATCH {f}", file=sys.stderr)
        return 1 if any(r['mismatches'] for r in res.values()) else 0
    return 0


if __name__ == '__main__':
    sys.exit(main())
