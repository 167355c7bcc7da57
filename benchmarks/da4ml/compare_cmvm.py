#!/usr/bin/env python3
"""Side-by-side CMVM benchmark: da-gen's `cmvm_bench` vs da4ml, same matrices, one run.

For every N: da-gen's benchmark generates the random matrices and dumps them
(`--dump-matrices`), then da4ml solves exactly those matrices
(benchmarks/da4ml/cmvm_da4ml.py, paper-equivalent call). A Markdown table is
printed (and written with --md):

    | N | dc | da-gen adders | da-gen depth | da-gen ms | da4ml adders | da4ml depth | da4ml ms | adders ratio | depth ratio | time ratio |

ratios are da-gen / da4ml (< 1 = da-gen better/faster). ms are mean wall
times per matrix of the solver call alone, as each tool reports them.

da4ml is run with the venv interpreter (default benchmarks/.venv/bin/python);
if it or da4ml is missing, the da4ml columns are skipped with a message. If
the da-gen binary is missing, matrices are generated here (uniform [129,255],
as in the da4ml paper) and only da4ml runs.

This script itself needs only the Python standard library.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
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
    p.add_argument('--dc', type=int, nargs='+', default=[-1, 0, 2], help='delay constraints')
    p.add_argument('--count', type=int, default=100, help='matrices per N')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--python', default=str(REPO / 'benchmarks/.venv/bin/python'), help='interpreter with da4ml installed')
    p.add_argument('--threads', type=int, default=1, help='da4ml OMP threads (default 1)')
    p.add_argument('--out-dir', type=Path, default=REPO / 'build/bench-da4ml', help='where matrices and JSON results go')
    p.add_argument('--md', type=Path, help='also write the Markdown table here')
    p.add_argument('--bench-extra', default='', help='extra arguments for cmvm_bench (quoted string)')
    p.add_argument('--no-dagen', action='store_true', help='run da4ml only')
    p.add_argument('--no-da4ml', action='store_true', help='run da-gen only')
    return p.parse_args(argv)


def log(msg: str):
    print(msg, file=sys.stderr, flush=True)


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    log('+ ' + ' '.join(shlex.quote(str(c)) for c in cmd))
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True)


def da4ml_available(python: str) -> tuple[bool, str]:
    if not Path(python).exists() and '/' in python:
        return False, f'{python} not found (create it: python3 -m venv benchmarks/.venv && benchmarks/.venv/bin/pip install -r benchmarks/da4ml/requirements.txt)'
    try:
        r = subprocess.run([python, '-c', 'import da4ml, numpy; print(da4ml.__version__)'], capture_output=True, text=True)
    except OSError as e:
        return False, str(e)
    if r.returncode != 0:
        return False, f'da4ml not importable with {python}: {r.stderr.strip().splitlines()[-1:]}'
    return True, r.stdout.strip()


def generate_matrices(path: Path, n: int, count: int, seed: int):
    """Stdlib fallback generator (only used when cmvm_bench is unavailable)."""
    import random

    rng = random.Random(seed)
    mats = [[[rng.randint(129, 255) for _ in range(n)] for _ in range(n)] for _ in range(count)]
    path.write_text(json.dumps({'n': n, 'seed': seed, 'matrices': mats}))


# ---- reading da-gen's JSON (tolerant of the exact schema) -------------------------------------

_KEYS = {
    'adders': ('mean_adders', 'adders_mean', 'avg_adders', 'adders'),
    'depth': ('mean_depth', 'depth_mean', 'avg_depth', 'depth'),
    'ms': ('mean_ms', 'ms_mean', 'avg_ms', 'time_ms_mean', 'mean_time_ms', 'time_ms', 'ms'),
}


def _num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _summary_from_dict(d: dict) -> dict | None:
    out = {}
    for k, cands in _KEYS.items():
        for c in cands:
            if _num(d.get(c)) is not None:
                out[k] = float(d[c])
                break
    if 'adders' in out and 'depth' in out:
        return out
    return None


def _summary_from_list(lst: list) -> dict | None:
    recs = [r for r in lst if isinstance(r, dict)]
    if not recs or not all(_summary_from_dict(r) for r in recs):
        return None
    s = [_summary_from_dict(r) for r in recs]
    out = {k: statistics.fmean(x[k] for x in s) for k in ('adders', 'depth') if all(k in x for x in s)}
    if all('ms' in x for x in s):
        out['ms'] = statistics.fmean(x['ms'] for x in s)
    return out


def extract_dagen(obj, dc: int) -> dict | None:
    """Find the summary for `dc` in da-gen's JSON; prefers explicit summary keys, else averages per-matrix records."""
    candidates: list[tuple[int, dict]] = []

    def walk(o, inherited_dc, depth):
        if isinstance(o, dict):
            this_dc = o.get('dc', inherited_dc)
            s = _summary_from_dict(o)
            if s is not None and any(k.startswith(('mean', 'avg')) or k.endswith('mean') for k in o):
                candidates.append((depth, {**s, 'dc': this_dc}))
            for v in o.values():
                walk(v, this_dc, depth + 1)
        elif isinstance(o, list):
            s = _summary_from_list(o)
            if s is not None:
                candidates.append((depth + 100, {**s, 'dc': inherited_dc}))
            else:
                for v in o:
                    walk(v, inherited_dc, depth + 1)

    walk(obj, None, 0)
    match = [c for c in candidates if c[1].get('dc') in (dc, None)]
    if not match:
        return None
    match.sort(key=lambda c: (c[1].get('dc') is None, c[0]))
    return match[0][1]


# ---- main ----------------------------------------------------------------------------------------


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
    have_dagen = not args.no_dagen and bench.exists() and os.access(bench, os.X_OK)
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

    extra = shlex.split(args.bench_extra)
    rows = []
    rc = 0
    for n in args.n:
        mats = args.out_dir / f'matrices_n{n}_s{args.seed}.json'
        dagen: dict[int, dict | None] = {}
        if have_dagen:
            for dc in args.dc:
                out = args.out_dir / f'dagen_n{n}_dc{dc}.json'
                cmd = [bench, '--n', n, '--count', args.count, '--seed', args.seed, '--dc', dc, '--json', out, *extra]
                if dc == args.dc[0]:
                    cmd += ['--dump-matrices', mats]
                r = run(cmd)
                if r.returncode != 0:
                    log(f'cmvm_bench failed (rc={r.returncode}):\n{r.stdout}\n{r.stderr}')
                    rc = 1
                    dagen[dc] = None
                    continue
                try:
                    dagen[dc] = extract_dagen(json.loads(out.read_text()), dc)
                except (OSError, ValueError) as e:
                    log(f'cannot read {out}: {e}')
                    dagen[dc] = None
                if dagen[dc] is None:
                    log(f'WARNING: could not find adders/depth/ms for dc={dc} in {out}')
        else:
            generate_matrices(mats, n, args.count, args.seed)

        d4: dict[int, dict | None] = {}
        if have_da4ml:
            out = args.out_dir / f'da4ml_n{n}.json'
            cmd = [args.python, DA4ML_SCRIPT, '--matrices', mats, '--json', out, '--threads', args.threads, '--dc', *args.dc]
            r = run(cmd)
            sys.stderr.write(r.stdout)
            if r.returncode != 0:
                log(f'da4ml run failed (rc={r.returncode}):\n{r.stderr}')
                rc = 1
            if out.exists():
                res = json.loads(out.read_text())
                for run_ in res['runs']:
                    s = run_['summary']
                    d4[s['dc']] = {'adders': s['mean_adders'], 'depth': s['mean_depth'], 'ms': s['mean_ms']}

        for dc in args.dc:
            a, b = dagen.get(dc) or {}, d4.get(dc) or {}
            rows.append(
                [
                    str(n),
                    str(dc),
                    fmt(a.get('adders')),
                    fmt(a.get('depth')),
                    fmt(a.get('ms'), 3),
                    fmt(b.get('adders')),
                    fmt(b.get('depth')),
                    fmt(b.get('ms'), 3),
                    fmt(ratio(a.get('adders'), b.get('adders')), 3),
                    fmt(ratio(a.get('depth'), b.get('depth')), 3),
                    fmt(ratio(a.get('ms'), b.get('ms')), 3),
                ]
            )

    head = ['N', 'dc', 'da-gen adders', 'da-gen depth', 'da-gen ms', 'da4ml adders', 'da4ml depth', 'da4ml ms', 'adders ratio', 'depth ratio', 'time ratio']
    lines = [
        f'CMVM, {args.count} random NxN matrices per N (entries uniform in [129,255], signed 8-bit inputs), seed {args.seed}; '
        'means per matrix; ratio = da-gen / da4ml.',
        '',
        '| ' + ' | '.join(head) + ' |',
        '|' + '|'.join('---:' for _ in head) + '|',
    ]
    lines += ['| ' + ' | '.join(r) + ' |' for r in rows]
    table = '\n'.join(lines)
    print(table)
    if args.md:
        args.md.parent.mkdir(parents=True, exist_ok=True)
        args.md.write_text(table + '\n')
    return rc


if __name__ == '__main__':
    sys.exit(main())
