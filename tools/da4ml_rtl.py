#!/usr/bin/env python3
"""Build da-gen's model.json network in da4ml and write da4ml's own Verilog.

    tools/da4ml_rtl.py MODEL.json -o DIR [--pipeline N] [--dc K] [--name NAME] [--verify S]

Run it with the benchmark venv (benchmarks/.venv/bin/python, see
benchmarks/da4ml/README.md). Everything needed to synthesize/simulate goes
flat into DIR/*.v, so the same Yosys flow can read `DIR/*.v`:

    DIR/NAME.v            top module (combinational, or the pipeline top with clk)
    DIR/NAME_stage<i>.v   pipeline stages (--pipeline only)
    DIR/shift_adder.v, negative.v, ...   the da4ml primitives the design instantiates
    DIR/ports.json        exact port layout (below), latency, da4ml settings, and each
                          stage's delay estimated by da-gen's delay models
                          (estimated_stage_ns, estimated_period_ns per target)
    DIR/da4ml_project/    da4ml's untouched RTLModel project (tcl, binder, model/*.json,
                          src/NAME_wrapper.v = da4ml's uniform-width I/O wrapper)

How the network is built (da4ml 0.6.0 trace API, same as its Keras/HGQ converter):

    x  = FixedVariableArray.from_kif(k, i, f, HWConfig(1, -1, -1), 0, {'hard_dc': K})  # input.type
    dense:    x = x @ W + b        (W float64 [n_in][n_out], exact; da4ml runs its CMVM solver)
    relu:     x = relu(x)          (no requantization)
    quantize: x = quantize(x, k, i, f, overflow_mode, round_mode)  (per-element kif allowed)
    comb = comb_trace(inp, x, keep_dead_inputs=True)
    RTLModel(comb, NAME, DIR/da4ml_project, flavor='verilog', latency_cutoff=N or -1).write()

HWConfig(1, -1, -1) and hard_dc=2 are the defaults of da4ml's own converter
(`da4ml convert`), i.e. what its paper's RTL results used; --dc / --hwconf
change them. --pipeline N is da4ml's `latency_cutoff`: at most ~N adder levels
(da4ml latency units, 1 per adder with carry_size=-1) between registers; da4ml
retimes to balance stages.

Port layout of module NAME (da4ml numbering):
  combinational: module NAME(input [WI-1:0] model_inp, output [WO-1:0] model_out)
  pipelined:     module NAME(input clk, input [WI-1:0] model_inp, output reg [WO-1:0] model_out)
  Elements are packed back to back, element 0 in the least significant bits:
  input j occupies model_inp[off_j + w_j - 1 : off_j], off_j = sum_{m<j} w_m, and
  is a two's complement (if signed) code with value code * 2^-f_j. For inputs,
  (signed, int_bits, frac_bits) are exactly model.json's input.type. Outputs use
  the same packing, but each output's format is the MINIMAL one da4ml derives from
  its value range (it may be narrower than the last quantizer's type, e.g.
  unsigned after relu, fewer int bits if the range is smaller); a width-0 output
  is constant 0 and takes no bits. ports.json lists every element's offset,
  width, signed, int_bits, frac_bits.
  Pipelined latency: registers on model_inp (stage0_inp), between stages, and on
  model_out, so an input applied before rising edge 1 appears at model_out after
  edge (n_stages + 1): latency_cycles = n_stages + 1 in ports.json.

--verify S: run da4ml's bit-exact DAIS interpreter (CombLogic.predict) on S
random in-range inputs and compare with a pure-Python exact implementation of
model.json semantics (reference_forward below). Exit 1 on any mismatch.
benchmarks/da4ml/check_da4ml_rtl.py additionally simulates the Verilog (iverilog).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import sys
from fractions import Fraction
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# model.json reading and exact reference semantics (no da4ml needed)
# ---------------------------------------------------------------------------------------------


def _kif(t: dict) -> tuple[int, int, int]:
    return int(bool(t.get('signed', True))), int(t.get('int_bits', 0)), int(t.get('frac_bits', 0))


def kif_list(t, n: int) -> list[tuple[int, int, int]]:
    """One type or a list of n types -> list of (k, i, f); width <= 0 normalised to (0, 0, 0)."""
    ts = t if isinstance(t, list) else [t] * n
    if len(ts) != n:
        raise ValueError(f'type list has {len(ts)} entries, expected {n}')
    out = []
    for x in ts:
        k, i, f = _kif(x)
        out.append((0, 0, 0) if k + i + f <= 0 else (k, i, f))
    return out


def load_model(path: Path) -> dict:
    m = json.loads(Path(path).read_text())
    if m.get('version', 1) != 1:
        raise ValueError(f'unsupported model.json version {m.get("version")}')
    return m


def layer_sizes(model: dict) -> list[int]:
    n = int(model['input']['size'])
    sizes = [n]
    for L in model['layers']:
        if L['type'] == 'dense':
            W = L['weights']
            if len(W) != n:
                raise ValueError(f"dense {L.get('name', '')}: {len(W)} weight rows, expected {n} inputs")
            n = len(W[0]) if W else 0
        sizes.append(n)
    return sizes


def _frac_of(x) -> Fraction:
    fr = Fraction(x)
    if fr.denominator & (fr.denominator - 1):
        raise ValueError(f'weight/bias {x} is not a binary fraction')
    return fr


def _lsb_exp(fr: Fraction) -> int:
    """number of fractional bits needed for fr (may be negative for even integers: not used)."""
    return fr.denominator.bit_length() - 1


def _quant_code(v: int, F: int, k: int, i: int, f: int, rnd: str, ovf: str) -> int:
    """v * 2^-F -> code at frac f with rounding rnd and overflow ovf (model.json semantics)."""
    w = k + i + f
    if w <= 0:
        return 0
    if rnd == 'RND' and F > f:
        v = v + (1 << (F - f - 1))
    q = v >> (F - f) if F >= f else v << (f - F)  # floor
    if ovf == 'WRAP':
        q &= (1 << w) - 1
        if k and q >= 1 << (w - 1):
            q -= 1 << w
    else:
        hi = (1 << (w - 1)) - 1 if k else (1 << w) - 1
        lo = (-(1 << (w - 1)) if ovf == 'SAT' else -hi) if k else 0
        q = min(max(q, lo), hi)
    return q


def reference_forward(model: dict, x_codes: list[list[int]]) -> tuple[list[list[int]], int]:
    """Exact model.json semantics. x_codes: per sample, integer codes of input.type.

    Returns (codes, F): output values are code * 2^-F (common F for all elements).
    """
    n = int(model['input']['size'])
    kifs = kif_list(model['input']['type'], n)
    F = max([f for _, _, f in kifs] + [0])
    vals = [[c << (F - kf[2]) if kf[0] + kf[1] + kf[2] > 0 else 0 for c, kf in zip(s, kifs)] for s in x_codes]
    for L in model['layers']:
        t = L['type']
        if t == 'dense':
            W = [[_frac_of(w) for w in row] for row in L['weights']]
            n_out = len(W[0]) if W else 0
            B = [_frac_of(b) for b in L.get('bias', [0] * n_out)] if L.get('bias') is not None else [Fraction(0)] * n_out
            fw = max([_lsb_exp(w) for row in W for w in row] + [0])
            fb = max([_lsb_exp(b) for b in B] + [0])
            Fn = max(F + fw, fb)
            Wi = [[int(w * (1 << fw)) for w in row] for row in W]
            Bi = [int(b * (1 << Fn)) for b in B]
            sh = Fn - F - fw
            new = []
            for s in vals:
                acc = [0] * n_out
                for xi, row in zip(s, Wi):
                    if xi:
                        for j, w in enumerate(row):
                            if w:
                                acc[j] += xi * w
                new.append([(a << sh) + b for a, b in zip(acc, Bi)])
            vals, F = new, Fn
        elif t == 'relu':
            vals = [[v if v > 0 else 0 for v in s] for s in vals]
        elif t == 'quantize':
            n_cur = len(vals[0]) if vals else 0
            qk = kif_list(L['to'], n_cur)
            rnd = L.get('rounding', 'TRN').upper()
            ovf = L.get('overflow', 'WRAP').upper()
            Fn = max([f for _, _, f in qk] + [0])
            vals = [[_quant_code(v, F, *kf, rnd, ovf) << (Fn - kf[2]) for v, kf in zip(s, qk)] for s in vals]
            F = Fn
        else:
            raise ValueError(f'unknown layer type {t}')
    return vals, F


def random_input_codes(model: dict, count: int, seed: int) -> list[list[int]]:
    import random

    rng = random.Random(seed)
    n = int(model['input']['size'])
    kifs = kif_list(model['input']['type'], n)
    out = []
    for s in range(count):
        row = []
        for k, i, f in kifs:
            w = k + i + f
            if w <= 0:
                row.append(0)
                continue
            lo, hi = (-(1 << (w - 1)), (1 << (w - 1)) - 1) if k else (0, (1 << w) - 1)
            # first samples hit the corners, then uniform
            row.append(lo if s == 0 else hi if s == 1 else rng.randint(lo, hi))
        out.append(row)
    return out


# ---------------------------------------------------------------------------------------------
# da4ml build
# ---------------------------------------------------------------------------------------------


def trace_network(model: dict, array, hwconfig, relu, quantize, hwconf, hard_dc: int, tool: str):
    """(inp, out) of the model.json network traced with a da4ml-style trace API: `array` its
    fixed-point variable array class (da4ml's FixedVariableArray, alkaid's FVArray), `hwconfig`,
    `relu` and `quantize` its own; shared by tools/da4ml_rtl.py and tools/alkaid_rtl.py."""
    import numpy as np

    n = int(model['input']['size'])
    kifs = np.array(kif_list(model['input']['type'], n), dtype=np.int64).reshape(n, 3)
    inp = array.from_kif(kifs[:, 0], kifs[:, 1], kifs[:, 2], hwconfig(*hwconf), 0.0, {'hard_dc': hard_dc})
    x = inp
    for L in model['layers']:
        t = L['type']
        if t == 'dense':
            W = np.array(L['weights'], dtype=np.float64).reshape(len(L['weights']), -1)
            if not np.array_equal(W.astype(np.float32).astype(np.float64), W):
                raise ValueError(f"dense {L.get('name', '')}: weights not exact in float32 ({tool}'s solver uses float32)")
            x = x @ W
            if L.get('bias') is not None:
                b = np.array(L['bias'], dtype=np.float64)
                if np.any(b != 0):
                    x = x + b
        elif t == 'relu':
            x = relu(x)
        elif t == 'quantize':
            q = np.array(kif_list(L['to'], x.shape[0]), dtype=np.int64).reshape(-1, 3)
            x = quantize(
                x,
                q[:, 0],
                q[:, 1],
                q[:, 2],
                overflow_mode=L.get('overflow', 'WRAP').upper(),
                round_mode=L.get('rounding', 'TRN').upper(),
            )
        else:
            raise ValueError(f'unknown layer type {t}')
    return inp, x


def build_da4ml(model: dict, hwconf=(1, -1, -1), hard_dc: int = 2):
    """Return (inp FixedVariableArray, out FixedVariableArray) traced in da4ml."""
    from da4ml.trace import FixedVariableArray, HWConfig
    from da4ml.trace.ops import quantize, relu

    return trace_network(model, FixedVariableArray, HWConfig, relu, quantize, hwconf, hard_dc, 'da4ml')


def port_layout(qints) -> list[dict]:
    from da4ml.types import minimal_kif

    out, off = [], 0
    for j, qi in enumerate(qints):
        k, i, f = map(int, minimal_kif(qi))
        w = k + i + f
        out.append({'index': j, 'offset': off, 'width': w, 'signed': bool(k), 'int_bits': i, 'frac_bits': f})
        off += max(w, 0)
    return out


# da-gen's delay models (src/target/delay_model.cpp), applied to da4ml's operations so
# both tools' stages are compared on one scale: an adder costs a route, a LUT, the way into
# and out of the carry chain ('carry', 0 where absent) and a ripple over the bits that do not
# pass straight through.  The xcup numbers are benchmarks/delay_calibration.py's fit.
DELAY_MODELS = {
    'xcup': {'route': 0.17, 'lut': 0.15, 'carry': 0.14, 'carry_per_bit': 0.005, 'register': 0.32},
    'ice40': {'route': 0.55, 'lut': 0.35, 'carry_per_bit': 0.12, 'register': 0.90},
}


def _width_lsb(qint) -> tuple[int, int]:
    from da4ml.types import minimal_kif

    k, i, f = minimal_kif(qint)
    return int(k) + int(i) + int(f), -int(f)


def op_delay_ns(op, ops, m: dict) -> float:
    def chain(bits: int) -> float:  # a carry chain: route, LUT, entering/leaving it, ripple
        return m['route'] + m['lut'] + m.get('carry', 0.0) + m['carry_per_bit'] * bits

    w, _ = _width_lsb(op.qint)
    if op.opcode == -1 or w <= 0:  # stage input (a register) or constant zero
        return 0.0
    if op.opcode in (0, 1):  # data[id0] +/- data[id1] * 2^shift
        lsb_a = _width_lsb(ops[op.id0].qint)[1]
        lsb_b = _width_lsb(ops[op.id1].qint)[1] + op.data
        low = abs(lsb_a - lsb_b)
        passes = lsb_a < lsb_b or op.opcode == 0
        return chain(max(1, w - low if passes else w))
    negate = chain(w)  # -2, -3: operand negated first
    if op.opcode in (3, 5):  # quantize (bit selection: wrap, truncate), constant
        return 0.0
    if op.opcode == -3:
        return negate
    if op.opcode in (2, 6, -6):  # relu, MSB mux: a LUT per bit
        return m['route'] + m['lut']
    if op.opcode == -2:
        return negate + m['route'] + m['lut']
    return chain(w)  # constant add and anything else


def op_operands(op) -> list[int]:
    """Buffer indices an operation reads (da4ml.codegen.rtl.verilog.comb's encoding)."""
    if op.opcode in (-1, 5):  # stage input, constant
        return []
    if op.opcode in (6, -6):  # MSB mux: two values and the selector
        return [op.id0, op.id1, op.data & 0xFFFFFFFF]
    if op.opcode in (0, 1, 7, 10):
        return [op.id0, op.id1]
    return [op.id0]


def estimated_stage_ns(comb_or_pipe, target: str = 'xcup') -> list[float]:
    """Longest combinational path of each stage by a da-gen delay model (ns, no register)."""
    stages = getattr(comb_or_pipe, 'solutions', None) or [comb_or_pipe]
    result = []
    for st in stages:
        finish = []
        for k, op in enumerate(st.ops):
            start = max((finish[i] for i in op_operands(op) if 0 <= i < k), default=0.0)
            finish.append(start + op_delay_ns(op, st.ops, DELAY_MODELS[target]))
        result.append(max(finish, default=0.0))
    return result


def write_rtl(model: dict, outdir: Path, name: str, pipeline: float, hwconf, hard_dc: int, quiet=False):
    import da4ml
    from da4ml.codegen import RTLModel
    from da4ml.trace import comb_trace

    inp, out = build_da4ml(model, hwconf, hard_dc)
    comb = comb_trace(inp, out, keep_dead_inputs=True)
    prj = outdir / 'da4ml_project'
    if prj.exists():
        shutil.rmtree(prj)
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob('*.v'):
        old.unlink()
    with contextlib.redirect_stdout(io.StringIO()):  # da4ml prints 'actual cutoff: ...'
        rtl = RTLModel(comb, name, prj, flavor='verilog', latency_cutoff=pipeline if pipeline > 0 else -1, print_latency=True)
        rtl.write()
    # generated modules (not the uniform-width *_wrapper: it stays in da4ml_project/src), then only the
    # primitives they instantiate (lookup_table.v has a placeholder $readmemh that breaks Yosys if read)
    gen = [p for p in sorted((prj / 'src').glob('*.v')) if p.stem != f'{name}_wrapper']
    text = '\n'.join(p.read_text() for p in gen)
    used = [p for p in sorted((prj / 'src/static').glob('*.v')) if re.search(rf'\b{re.escape(p.stem)}\s*(#|\w+\s*\()', text)]
    for src in gen + used:
        shutil.copy(src, outdir / src.name)
    mem = list((prj / 'src/memfiles').glob('*'))
    for src in mem:  # lookup tables: not produced by dense/relu/quantize, copied for completeness
        shutil.copy(src, outdir / src.name)

    pipe = rtl._pipe
    n_stages = len(pipe.solutions) if pipe is not None else 0
    n_adders = sum(1 for op in comb.ops if op.opcode in (0, 1))  # two-operand add/sub
    n_const_adds = sum(1 for op in comb.ops if op.opcode == 4)  # x + constant (biases, RND offsets)
    inp_ports, out_ports = port_layout(comb.inp_qint), port_layout(comb.out_qint)
    info = {
        'tool': 'da4ml',
        'da4ml_version': da4ml.__version__,
        'top': name,
        'files': sorted(p.name for p in outdir.glob('*.v')),
        'pipelined': pipe is not None,
        'latency_cutoff': rtl._latency_cutoff if pipe is not None else None,
        'n_stages': n_stages,
        'latency_cycles': n_stages + 1 if pipe is not None else 0,
        'comb_depth': float(comb.latency[1]),
        # by da-gen's xcup model; every stage sits between registers (inputs and outputs too)
        'estimated_stage_ns': [round(x, 4) for x in estimated_stage_ns(pipe if pipe is not None else comb)],
        'estimated_period_ns': {
            target: round(max(estimated_stage_ns(pipe if pipe is not None else comb, target))
                          + (m['register'] if pipe is not None else 0.0), 4)
            for target, m in DELAY_MODELS.items()},
        'hwconf': list(hwconf),
        'hard_dc': hard_dc,
        'adders': n_adders,
        'const_adds': n_const_adds,
        'da4ml_cost': float(comb.cost),
        'ports': {
            'clk': pipe is not None,
            'model_inp': {'width': sum(max(p['width'], 0) for p in inp_ports), 'elements': inp_ports},
            'model_out': {'width': sum(max(p['width'], 0) for p in out_ports), 'elements': out_ports},
        },
        'packing': 'element 0 in the LSBs; element j at [offset+width-1:offset]; value = code * 2^-frac_bits '
        '(two\'s complement if signed); width-0 elements are constant 0 and absent',
    }
    (outdir / 'ports.json').write_text(json.dumps(info, indent=1))
    if not quiet:
        print(
            f"da4ml {da4ml.__version__}: wrote {len(info['files'])} Verilog files to {outdir} "
            f"(top {name}, {'pipelined, ' + str(n_stages) + ' stages, latency ' + str(n_stages + 1) + ' cycles' if pipe is not None else 'combinational'}; "
            f"{n_adders} adder ops, depth {comb.latency[1]:g}; in {info['ports']['model_inp']['width']} b, out {info['ports']['model_out']['width']} b)"
        )
    return comb, info


def verify_predict(model: dict, comb, samples: int, seed: int) -> int:
    """da4ml's DAIS interpreter vs reference_forward. Returns number of mismatching samples."""
    import numpy as np

    n = int(model['input']['size'])
    kifs = kif_list(model['input']['type'], n)
    codes = random_input_codes(model, samples, seed)
    x = np.array([[c * 2.0 ** -kf[2] for c, kf in zip(s, kifs)] for s in codes], dtype=np.float64).reshape(samples, n)
    y = np.asarray(comb.predict(x, n_threads=1), dtype=np.float64).reshape(samples, -1)
    ref, F = reference_forward(model, codes)
    bad = 0
    for s in range(samples):
        r = [Fraction(v, 1) / (Fraction(2) ** F) for v in ref[s]]
        if any(Fraction(float(a)) != b for a, b in zip(y[s], r)) or len(r) != y.shape[1]:
            if bad < 5:
                print(f'MISMATCH sample {s}: inputs {codes[s]}\n  da4ml {list(y[s])}\n  ref   {[float(v) for v in r]}', file=sys.stderr)
            bad += 1
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('model', type=Path)
    ap.add_argument('-o', '--out', type=Path, required=True, help='output directory (DIR/*.v)')
    ap.add_argument('--pipeline', type=float, default=0, help="da4ml latency_cutoff (adder levels per stage); 0 = combinational")
    ap.add_argument('--dc', type=int, default=2, help='da4ml hard_dc for every CMVM (default 2 = da4ml converter default)')
    ap.add_argument('--hwconf', type=int, nargs=3, default=[1, -1, -1], metavar=('ADDER_SIZE', 'CARRY_SIZE', 'CUTOFF'))
    ap.add_argument('--name', default=None, help='top module name (default: model name, sanitised)')
    ap.add_argument('--verify', type=int, default=0, metavar='S', help='check S random samples: da4ml emulation vs exact reference')
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args(argv)

    model = load_model(args.model)
    layer_sizes(model)  # shape check
    name = args.name or ''.join(c if c.isalnum() or c == '_' else '_' for c in model.get('name', 'model')) or 'model'
    if name[0].isdigit():
        name = 'm_' + name
    comb, _ = write_rtl(model, args.out, name, args.pipeline, tuple(args.hwconf), args.dc)
    if args.verify:
        bad = verify_predict(model, comb, args.verify, args.seed)
        print(f'verify (da4ml DAIS emulation vs exact model.json reference): {args.verify - bad}/{args.verify} samples match')
        return 1 if bad else 0
    return 0


if __name__ == '__main__':
    sys.exit(main())
