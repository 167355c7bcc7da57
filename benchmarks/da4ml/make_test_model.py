#!/usr/bin/env python3
"""Write random model.json (version 1) files for exercising tools/da4ml_rtl.py.

    make_test_model.py OUT.json [--kind jet|mixed|tiny] [--seed S]

jet:   16 -> 64 -> 32 -> 32 -> 5 MLP (weights 6-bit signed / 2^4, ~50% zero, bias,
       relu + quantize ufixed<3,3> TRN WRAP between layers), the usual jet-tagging shape.
mixed: small net hitting the semantic corners: per-element input and quantizer
       types, RND/TRN, WRAP/SAT/SAT_SYM, negative int/frac bits, width-0
       elements, zero weight columns, odd biases.
tiny:  4 -> 3 dense + relu + quantize, for eyeballing.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def t(signed, i, f):
    return {'signed': bool(signed), 'int_bits': i, 'frac_bits': f}


def rand_w(rng, n_in, n_out, bits, frac, p_zero):
    m = (1 << (bits - 1)) - 1
    return [[0.0 if rng.random() < p_zero else rng.randint(-m, m) / 2**frac for _ in range(n_out)] for _ in range(n_in)]


def jet(rng):
    sizes = [16, 64, 32, 32, 5]
    layers = []
    for li in range(len(sizes) - 1):
        n_in, n_out = sizes[li], sizes[li + 1]
        layers.append(
            {
                'type': 'dense',
                'name': f'fc{li + 1}',
                'weights': rand_w(rng, n_in, n_out, 6, 4, 0.5),
                'bias': [rng.randint(-64, 64) / 2**5 for _ in range(n_out)],
            }
        )
        if li < len(sizes) - 2:
            layers.append({'type': 'relu'})
            layers.append({'type': 'quantize', 'to': t(0, 3, 3), 'rounding': 'TRN', 'overflow': 'WRAP'})
    return {'name': 'jet_mlp', 'input': {'size': 16, 'type': t(1, 3, 4)}, 'layers': layers}


def mixed(rng):
    n0 = 6
    in_types = [t(1, 3, 4), t(0, 2, 5), t(1, -1, 6), t(1, 6, -2), t(0, 0, 0), t(1, 0, 3)]
    w1 = rand_w(rng, n0, 8, 7, 5, 0.3)
    for r in w1:
        r[3] = 0.0  # an all-zero output column
    l1_to = [t(1, 4, 2), t(1, 2, 3), t(0, 3, 1), t(1, 5, -1), t(1, 1, 4), t(1, 3, 3), t(0, 0, 0), t(1, 2, 2)]
    return {
        'name': 'mixed_corners',
        'input': {'size': n0, 'type': in_types},
        'layers': [
            {'type': 'dense', 'name': 'd1', 'weights': w1, 'bias': [rng.randint(-100, 100) / 2**6 for _ in range(8)]},
            {'type': 'quantize', 'to': l1_to, 'rounding': 'RND', 'overflow': 'SAT'},
            {'type': 'dense', 'name': 'd2', 'weights': rand_w(rng, 8, 7, 5, 2, 0.2)},
            {'type': 'quantize', 'to': t(1, 3, 2), 'rounding': 'TRN', 'overflow': 'SAT_SYM'},
            {'type': 'relu'},
            {'type': 'dense', 'name': 'd3', 'weights': rand_w(rng, 7, 5, 4, 1, 0.2), 'bias': [0.5, -0.25, 0, 1, 2]},
            {'type': 'quantize', 'to': t(1, 2, 1), 'rounding': 'RND', 'overflow': 'WRAP'},
            {'type': 'dense', 'name': 'd4', 'weights': rand_w(rng, 5, 4, 4, 0, 0.1)},
            {'type': 'quantize', 'to': [t(1, 2, 0), t(1, 1, 1), t(0, 3, 0), t(1, 4, -1)], 'rounding': 'RND', 'overflow': 'SAT_SYM'},
        ],
    }


def tiny(rng):
    return {
        'name': 'tiny',
        'input': {'size': 4, 'type': t(1, 3, 2)},
        'layers': [
            {'type': 'dense', 'name': 'fc', 'weights': rand_w(rng, 4, 3, 5, 3, 0.2), 'bias': [0.25, -1, 0]},
            {'type': 'relu'},
            {'type': 'quantize', 'to': t(0, 3, 2), 'rounding': 'RND', 'overflow': 'SAT'},
        ],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('out', type=Path)
    ap.add_argument('--kind', choices=['jet', 'mixed', 'tiny'], default='jet')
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    m = {'jet': jet, 'mixed': mixed, 'tiny': tiny}[a.kind](rng)
    m['version'] = 1
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(m, indent=1))
    print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
