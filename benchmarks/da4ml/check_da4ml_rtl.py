#!/usr/bin/env python3
"""Check that da4ml's Verilog for a model.json computes the model's function.

    check_da4ml_rtl.py MODEL.json [MODEL2.json ...] [--samples S] [--pipeline N ...] [--work DIR]

For every model and every pipeline setting (0 = combinational), this
  1. runs tools/da4ml_rtl.py (da4ml trace + RTLModel) into WORK/<model>/p<N>/,
  2. compares da4ml's bit-exact DAIS emulation against the exact Python
     reference of model.json semantics (tools/da4ml_rtl.py:reference_forward),
  3. simulates the generated Verilog with Icarus Verilog (iverilog -g2012 -s tb)
     on the same random in-range inputs (first two samples: all-min, all-max),
     decodes model_out with ports.json and compares with the reference.
Exit status 1 on any mismatch. Needs the venv with da4ml and `iverilog`/`vvp`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _load_tool():
    spec = importlib.util.spec_from_file_location('da4ml_rtl', REPO / 'tools/da4ml_rtl.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore
    return mod


def pack_inputs(codes: list[int], elements: list[dict]) -> int:
    word = 0
    for c, e in zip(codes, elements):
        w = e['width']
        if w <= 0:
            continue
        word |= (c & ((1 << w) - 1)) << e['offset']
    return word


def unpack_outputs(word: int, elements: list[dict]) -> list[Fraction]:
    vals = []
    for e in elements:
        w = e['width']
        if w <= 0:
            vals.append(Fraction(0))
            continue
        c = (word >> e['offset']) & ((1 << w) - 1)
        if e['signed'] and c >= 1 << (w - 1):
            c -= 1 << w
        vals.append(Fraction(c) / Fraction(2) ** e['frac_bits'])
    return vals


TB = """`timescale 1ns/1ps
module tb;
  localparam S = {S};
  localparam L = {L};
  reg clk = 0;
  reg [{WI1}:0] mem [0:S-1];
  reg [{WI1}:0] model_inp;
  wire [{WO1}:0] model_out;
  integer c;
  {dut}
  initial begin
    $readmemh("{memfile}", mem);
    for (c = 0; c < S + (L > 0 ? L - 1 : 0); c = c + 1) begin
      model_inp = (c < S) ? mem[c] : {{({WI1}+1){{1'b0}}}};
      {step}
    end
    $finish;
  end
endmodule
"""


def simulate(outdir: Path, info: dict, in_words: list[int]) -> list[int]:
    name = info['top']
    wi = max(info['ports']['model_inp']['width'], 1)
    wo = max(info['ports']['model_out']['width'], 1)
    pipelined = info['pipelined']
    L = info['latency_cycles'] if pipelined else 0
    with tempfile.TemporaryDirectory(prefix='da4ml_sim_') as td:
        td = Path(td)
        mem = td / 'inp.hex'
        mem.write_text('\n'.join(f'{w:x}' for w in in_words) + '\n')
        if pipelined:
            dut = f'{name} dut (.clk(clk), .model_inp(model_inp), .model_out(model_out));'
            step = '#1 clk = 1; #1 clk = 0;\n      if (c + 1 >= L) $display("%h", model_out);'
        else:
            dut = f'{name} dut (.model_inp(model_inp), .model_out(model_out));'
            step = 'if (c < S) begin #1; $display("%h", model_out); end'
        (td / 'tb.v').write_text(
            TB.format(S=len(in_words), L=L, WI1=wi - 1, WO1=wo - 1, dut=dut, memfile=mem.as_posix(), step=step)
        )
        srcs = sorted(str(p) for p in outdir.glob('*.v'))
        exe = td / 'sim.vvp'
        r = subprocess.run(['iverilog', '-g2012', '-s', 'tb', '-o', str(exe), str(td / 'tb.v'), *srcs], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f'iverilog failed:\n{r.stderr}')
        r = subprocess.run(['vvp', '-n', str(exe)], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f'vvp failed:\n{r.stderr}')
    lines = [ln.strip() for ln in r.stdout.splitlines() if ln.strip() and not ln.startswith(('VCD', 'WARNING'))]
    lines = [ln for ln in lines if all(ch in '0123456789abcdefxzXZ' for ch in ln)]
    if len(lines) != len(in_words):
        raise RuntimeError(f'expected {len(in_words)} output lines, got {len(lines)}:\n{r.stdout[:300]}')
    if any(ch in ln for ln in lines for ch in 'xzXZ'):
        raise RuntimeError('X/Z in simulated outputs')
    return [int(ln, 16) for ln in lines]


def check_one(tool, model_path: Path, work: Path, pipeline: float, samples: int, seed: int, dc: int) -> bool:
    model = tool.load_model(model_path)
    outdir = work / model_path.stem / f'p{pipeline:g}'
    name = ''.join(c if c.isalnum() or c == '_' else '_' for c in model.get('name', 'model')) or 'model'
    if name[0].isdigit():
        name = 'm_' + name
    comb, info = tool.write_rtl(model, outdir, name, pipeline, (1, -1, -1), dc, quiet=True)
    bad_emu = tool.verify_predict(model, comb, samples, seed)

    codes = tool.random_input_codes(model, samples, seed)
    ref, F = tool.reference_forward(model, codes)
    in_el = info['ports']['model_inp']['elements']
    out_el = info['ports']['model_out']['elements']
    words = simulate(outdir, info, [pack_inputs(c, in_el) for c in codes])
    bad_sim = 0
    for s, w in enumerate(words):
        got = unpack_outputs(w, out_el)
        exp = [Fraction(v) / Fraction(2) ** F for v in ref[s]]
        if got != exp:
            if bad_sim < 3:
                print(f'  SIM MISMATCH sample {s}: in {codes[s]}\n    rtl {[float(x) for x in got]}\n    ref {[float(x) for x in exp]}')
            bad_sim += 1
    kind = f"pipelined (cutoff {info['latency_cutoff']}, {info['n_stages']} stages, latency {info['latency_cycles']})" if info['pipelined'] else 'combinational'
    ok = bad_emu == 0 and bad_sim == 0
    print(
        f"{'PASS' if ok else 'FAIL'} {model_path.name} {kind}: {info['adders']} adders, depth {info['comb_depth']:g}; "
        f"emulation {samples - bad_emu}/{samples}, iverilog {samples - bad_sim}/{samples} match the reference"
    )
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('models', type=Path, nargs='+')
    ap.add_argument('--samples', type=int, default=300)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--pipeline', type=float, nargs='+', default=[0, 3])
    ap.add_argument('--dc', type=int, default=2)
    ap.add_argument('--work', type=Path, default=REPO / 'build/da4ml-rtl-check')
    args = ap.parse_args(argv)
    if not shutil.which('iverilog'):
        print('iverilog not found (apt-get install iverilog)', file=sys.stderr)
        return 2
    tool = _load_tool()
    ok = True
    for m in args.models:
        for p in args.pipeline:
            try:
                ok &= check_one(tool, m, args.work, p, args.samples, args.seed, args.dc)
            except Exception as e:  # noqa: BLE001
                print(f'FAIL {m.name} pipeline={p:g}: {e}')
                ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
