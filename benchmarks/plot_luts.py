#!/usr/bin/env python3
"""Plot LUTs against N from benchmarks/resources.py results, as an SVG (stdlib only).

    benchmarks/plot_luts.py [benchmarks/results/resources.json] [-o benchmarks/results/luts_vs_n.svg]

One panel per weight width (8-bit and 4-bit random N x N layers), one line per
row kind (da-gen p0, da-gen bits p0, da-gen bits tern p0, CSD tree p0, da4ml p0), log-scaled LUT axis.
"""
import argparse
import json
import math
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = [("da-gen p0", "#1f77b4"), ("da-gen bits p0", "#17becf"),
        ("da-gen bits tern p0", "#9467bd"), ("CSD tree p0", "#d62728"), ("da4ml p0", "#2ca02c")]


def panel(series, x0, title, width=380, height=300):
    """One log-log panel at horizontal offset x0; returns SVG elements."""
    pts = [(n, lut) for rows in series.values() for n, lut in rows]
    if not pts:
        return []
    ns = sorted({n for n, _ in pts})
    lo, hi = math.log10(min(l for _, l in pts)) - 0.1, math.log10(max(l for _, l in pts)) + 0.1
    left, top, w, h = x0 + 60, 40, width - 80, height - 90

    def px(n):
        return left + w * (math.log2(n) - math.log2(ns[0])) / max(1e-9, math.log2(ns[-1]) - math.log2(ns[0]))

    def py(l):
        return top + h - h * (math.log10(l) - lo) / (hi - lo)

    out = [f'<text x="{x0 + width / 2}" y="22" text-anchor="middle" font-size="14">{title}</text>',
           f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#888"/>']
    for n in ns:
        out.append(f'<text x="{px(n):.1f}" y="{top + h + 16}" text-anchor="middle" font-size="11">{n}</text>')
    for e in range(math.ceil(lo), math.floor(hi) + 1):
        for m in (1, 2, 5):
            v = m * 10 ** e
            if lo <= math.log10(v) <= hi:
                out.append(f'<line x1="{left}" x2="{left + w}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#eee"/>')
                out.append(f'<text x="{left - 4}" y="{py(v) + 4:.1f}" text-anchor="end" font-size="10">{v}</text>')
    out.append(f'<text x="{left + w / 2}" y="{top + h + 34}" text-anchor="middle" font-size="12">N (N x N layer)</text>')
    out.append(f'<text x="{x0 + 14}" y="{top + h / 2}" font-size="12" transform="rotate(-90 {x0 + 14} {top + h / 2})" text-anchor="middle">LUTs (Yosys, UltraScale+)</text>')
    for k, (name, color) in enumerate(ROWS):
        rows = sorted(series.get(name, []))
        if rows:
            path = " ".join(f"{'M' if i == 0 else 'L'}{px(n):.1f},{py(l):.1f}" for i, (n, l) in enumerate(rows))
            out.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
            out += [f'<circle cx="{px(n):.1f}" cy="{py(l):.1f}" r="3" fill="{color}"/>' for n, l in rows]
        out.append(f'<rect x="{left + 8}" y="{top + 8 + 16 * k}" width="12" height="3" fill="{color}"/>')
        out.append(f'<text x="{left + 24}" y="{top + 13 + 16 * k}" font-size="11">{name}</text>')
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="?", default=ROOT / "benchmarks" / "results" / "resources.json")
    ap.add_argument("-o", "--output", default=ROOT / "benchmarks" / "results" / "luts_vs_n.svg")
    a = ap.parse_args()
    results = json.loads(Path(a.results).read_text())
    by_bits = {8: {}, 4: {}}
    for case, rows in results.items():
        m = re.fullmatch(r"rand(\d+)x\d+_w(\d+)", case)
        if not m:
            continue
        n, bits = int(m.group(1)), int(m.group(2))
        for r in rows:
            if "lut" in r and r["row"] in dict(ROWS):
                by_bits.setdefault(bits, {}).setdefault(r["row"], []).append((n, r["lut"]))
    body = panel(by_bits[8], 0, "8-bit weights") + panel(by_bits[4], 400, "4-bit weights")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="300" font-family="sans-serif">'
           '<rect width="100%" height="100%" fill="white"/>' + "".join(body) + "</svg>\n")
    Path(a.output).write_text(svg)
    print(a.output)


if __name__ == "__main__":
    main()
