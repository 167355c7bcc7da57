#!/usr/bin/env python3
"""Side-by-side CMVM benchmark: da-gen's `cmvm_bench` vs da4ml, same matrices, one run.

    compare_cmvm.py [--bench build/benchmarks/cmvm_bench] [--n 2 4 8 16] [--dc -1 2 0]
                    [--count 100] [--seed S] [--md OUT.md] [--out-dir DIR]

1. da-gen: `cmvm_bench --n 2,4,8,16 --count C --seed S --modes free,dc2,dc0
   --dump-matrices DIR/matrices.json --json DIR/dagen.json` (dc -1 = mode `free`,
   dc K = mode `dcK`); its generator draws the matrices (uniform [129,255]) and
   dumps exactly what it solved (for N >= 32 it uses fewer matrices: see its --big-count).
2. da4ml: `cmvm_da4ml.py --matrices DIR/matrices.json --dc ...` with the venv
   interpreter (paper-equivalent solve call, signed 8-bit inputs like cmvm_bench).
3. prints a Markdown table (also written with --md):

   | N | dc | count | da-gen adders/depth/ms | da4ml adders/depth/ms | ratios | da4ml outputs over per-output bound |

   ratio = da-gen / da4ml (< 1: da-gen uses fewer adders / is shallower / faster);
   ms = mean wall time per matrix of the solver call alone, as each tool measures it.
   Caveat printed under the table: dc is per-output in da-gen, matrix-wide in da4ml; the
   last column counts da4ml outputs deeper than the per-output bound (usually very few).

If da4ml (or the venv) is missing, the da4ml columns show "—" and a note goes to
stderr. If the da-gen binary is missing, matrices are generated here (same
distribution, not the same numbers) and only da4ml runs. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DA4ML_SCRIPT = HERE / 'cmvm_da4ml.py'


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--bench', type=Path, default=REPO / 'build/benchmarks/cmvm_bench', help='da-gen cmvm_bench binary')
    p.add_argument('--n', type=int, nargs='+', default=[2, 4, 8, 16], help='matrix sizes N (NxN)')
    p.add_argument('--dc', type=int, nargs='+', default=[-1, 2, 0], help='delay constraints (-1 = unconstrained)')
    p.add_argument('--count', type=int, default=100, help='matrices per N')
    p.add_argument('--seed', type=int, default=20250704, help='seed (cmvm_bench default 20250704)')
    p.add_argument('--python', default=str(REPO / 'benchmarks/.venv/bin/python'), help='interpreter with da4ml installed')
    p.add_argument('--threads', type=int, default=1, help='da4ml OMP threads (default 1)')
    p.add_argument('--out-dir', type=Path, default=REPO / 'build/bench-da4ml', help='where matrices and JSON results go')
    p.add_argument('--md', type=Path, help='also write the Markdown table here')
    p.add_argument('--bench-extra', default='', help='extra arguments for cmvm_bench, e.g. "--effort 2"')
    p.add_argument('--no-dagen', action='store_true', help='run da4ml only')
    p.add_argument('--no-da4ml', action='store_true', help='run da-gen only')
    return p.parse_args(argv)


def log(msg: str):
    print(msg, file=sys.stderr, flush=True)


def run(cmd: list) -> subprocess.CompletedProcess:
    cmd = [str(c) for c in cmd]
    log('+ ' + ' '.join(shlex.quote(c) for c in cmd))
    return subprocess.run(cmd, capture_output=True, text=True)


def da4ml_available(python: str) -> tuple[bool, str]:
    if '/' in python and not Path(python).exists():
        return False, (
            f'{python} not found (python3 -m venv benchmarks/.venv && '
            'benchmarks/.venv/bin/pip install -r benchmarks/da4ml/requirements.txt)'
        )
    try:
        r = subprocess.run([python, '-c', 'import da4ml, numpy; print(da4ml.__version__)'], capture_output=True, text=True)
    except OSError as e:
        return False, str(e)
    if r.returncode != 0:
        return False, f'da4ml not importable with {python}: {r.stderr.strip().splitlines()[-1:]}'
    return True, r.stdout.strip()


def generate_matrices(path: Path, sizes: list[int], count: int, seed: int):
    """Stdlib fallback generator (only used when cmvm_bench is unavailable)."""
    import random

    blocks = []
    for n in sizes:
        rng = random.Random(seed + n)
        mats = [[[rng.randint(129, 255) for _ in range(n)] for _ in range(n)] for _ in range(count)]
        blocks.append({'n': n, 'seed': seed, 'matrices': mats})
    path.write_text(json.dumps(blocks if len(blocks) != 1 else blocks[0]))


def mode_of(dc: int) -> str:
    return 'free' if dc < 0 else f'dc{dc}'


def fmt(v, nd=2):
    return '—' if v is None else f'{v:.{nd}f}'


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def main(argv=None) -> int:
    args = parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    bench = args.bench
    have_dagen = not args.no_dagen and bench.is_file() and os.access(bench, os.X_OK)
    if not args.no_dagen and not have_dagen:
        log(f'NOTE: da-gen benchmark {bench} not found; generating matrices here and running da4ml only.')
    have_da4ml, info = (False, 'disabled') if args.no_da4ml else da4ml_available(args.python)
    if not have_da4ml:
        log(f'NOTE: skipping da4ml: {info}')
    else:
        log(f'da4ml {info} via {args.python}')
    if not have_dagen and not have_da4ml:
        log('nothing to run')
        return 1

    mats = args.out_dir / f'matrices_s{args.seed}.json'
    rc = 0
    dagen: dict[tuple[int, int], dict] = {}
    counts: dict[int, int] = {}
    if have_dagen:
        out = args.out_dir / f'dagen_s{args.seed}.json'
        cmd = [bench, '--n', ','.join(map(str, args.n)), '--count', args.count, '--seed', args.seed]
        cmd += ['--modes', ','.join(mode_of(dc) for dc in args.dc), '--dump-matrices', mats, '--json', out]
        cmd += shlex.split(args.bench_extra)
        r = run(cmd)
        sys.stderr.write(r.stdout)
        if r.returncode != 0:
            log(f'cmvm_bench failed (rc={r.returncode}):\n{r.stderr}')
            return 1
        res = json.loads(out.read_text())
        by_mode = {mode_of(dc): dc for dc in args.dc}
        for e in res.get('results', []):
            if e.get('mode') in by_mode:
                dagen[(int(e['n']), by_mode[e['mode']])] = {'adders': e['adders'], 'depth': e['depth'], 'ms': e['mean_ms']}
                counts[int(e['n'])] = int(e['count'])
    else:
        generate_matrices(mats, args.n, args.count, args.seed)

    d4: dict[tuple[int, int], dict] = {}
    if have_da4ml:
        out = args.out_dir / f'da4ml_s{args.seed}.json'
        cmd = [args.python, DA4ML_SCRIPT, '--matrices', mats, '--json', out, '--threads', args.threads, '--dc', *args.dc]
        r = run(cmd)
        sys.stderr.write(r.stdout)
        if r.returncode != 0:
            log(f'da4ml run failed (rc={r.returncode}):\n{r.stderr}')
            rc = 1
        if out.exists():
            for run_ in json.loads(out.read_text())['runs']:
                s = run_['summary']
                d4[(int(s['n']), int(s['dc']))] = {
                    'adders': s['mean_adders'],
                    'depth': s['mean_depth'],
                    'ms': s['mean_ms'],
                    'over': f"{s['per_output_over']}/{s['count'] * s['n']}" if s['dc'] >= 0 else '—',
                }
                counts.setdefault(int(s['n']), int(s['count']))

    rows = []
    for n in args.n:
        for dc in args.dc:
            a, b = dagen.get((n, dc), {}), d4.get((n, dc), {})
            rows.append(
                [
                    str(n),
                    str(dc),
                    str(counts.get(n, '—')),
                    fmt(a.get('adders'), 1),
                    fmt(a.get('depth')),
                    fmt(a.get('ms'), 3),
                    fmt(b.get('adders'), 1),
                    fmt(b.get('depth')),
                    fmt(b.get('ms'), 3),
                    fmt(ratio(a.get('adders'), b.get('adders')), 3),
                    fmt(ratio(a.get('depth'), b.get('depth')), 3),
                    fmt(ratio(a.get('ms'), b.get('ms')), 3),
                    b.get('over', '—'),
                ]
            )
    head = ['N', 'dc', 'count', 'da-gen adders', 'da-gen depth', 'da-gen ms', 'da4ml adders', 'da4ml depth', 'da4ml ms',
            'adders ratio', 'depth ratio', 'time ratio', 'da4ml outputs over per-output bound']
    src = 'matrices from cmvm_bench' if have_dagen else 'matrices generated by compare_cmvm.py'
    lines = [
        f'CMVM, random NxN matrices, entries uniform in [129,255], signed 8-bit inputs, seed {args.seed} ({src}); '
        f'means per matrix; ratio = da-gen / da4ml; da4ml {info if have_da4ml else "not run"}.',
        '',
        '| ' + ' | '.join(head) + ' |',
        '|' + '|'.join('---:' for _ in head) + '|',
    ]
    lines += ['| ' + ' | '.join(r) + ' |' for r in rows]
    lines += [
        '',
        'dc: da-gen bounds each output by its own column minimum + dc (minimum = ceil(log2 CSD digits of the column)); '
        'da4ml (hard_dc) bounds every output by the matrix-wide minimum (max over columns) + dc, a looser bound. '
        'The last column counts the da4ml outputs that exceed the per-output bound da-gen enforces.',
    ]
    table = '\n'.join(lines)
    print(table)
    if args.md:
        args.md.parent.mkdir(parents=True, exist_ok=True)
        args.md.write_text(table + '\n')
    return rc


if __name__ == '__main__':
    sys.exit(main())
