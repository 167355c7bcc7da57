#!/usr/bin/env python3
"""LUTs against initiation interval: da-gen --ii K (issue 20, "Benchmarks and targets").

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/ii_tradeoff.py \\
        [--da-gen build/da-gen] [--models NAME,...] [--ks 2,3,4,6,8,12,max] [--vectors 100] \\
        [--out benchmarks/results] [--render]

For every model (the 16x16 8-bit random layer of benchmarks/resources.py, seed 1608; the two
real HGQ2 jet classifiers models/jsc_cernbox_acc75.16.json and acc74.98.json; the HGQ2 CNN
tests/models/v2/cnn2d.json, the largest CNN shipped) it builds
  - the II = 1 design: `--pipeline 3 --valid` (latency 3, the valid ports the --ii designs have);
  - `--ii K` for every K of --ks; `max` is the bit-serial extreme, the smallest K whose design has
    one-bit digits (`serial.digit_bits` == 1): the widest value's bit count (checked: K - 1 gives
    wider digits); K at or beyond it is not repeated.
Every design is first simulated with Icarus Verilog (iverilog -g2012): inputs presented with
x_valid high every reported `initiation_interval` cycles, with some longer gaps, x random garbage
whenever x_valid is low; y_valid must be 0 or 1 in every cycle and 1 exactly `latency_cycles` after
each input; y read in that cycle must equal, bit for bit, the package's reference
(dagen.load(model).predict_codes) on --vectors input vectors (corners, then seeded random codes).
A design that fails is recorded as an error, never as a row.  Then tools/yosys_report.py (the
Xilinx UltraScale+ flow of every table, -nosrl) counts LUT, FF, CARRY.

Writes OUT/ii_tradeoff.json, OUT/ii_tradeoff.md (one table per model: ratios to II = 1 and the
Pareto front of LUTs against II) and OUT/ii_tradeoff.svg (LUTs and FFs against II).  --render
only rewrites the .md and .svg from the .json.  Exit status 1 if any design failed its check.
"""
import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from resources import random_layer, run, yosys  # benchmarks/resources.py, beside this script

ROOT = Path(__file__).resolve().parent.parent

II1_ARGS = ("--pipeline", "3", "--valid")
DEFAULT_KS = "2,3,4,6,8,12,max"
MODELS = {
    "rand16x16_w8": ("benchmarks/resources.py random_layer(16, 8, seed=1608)",
                     lambda: random_layer(16, 8, seed=1608)),
    "jsc_cernbox_acc75.16": ("models/jsc_cernbox_acc75.16.json", None),
    "jsc_cernbox_acc74.98": ("models/jsc_cernbox_acc74.98.json", None),
    "cnn2d": ("tests/models/v2/cnn2d.json", None),
}
TARGET = ("rand16x16_w8", 0.15)  # bit-serial LUTs <= 0.15x II = 1, at the same or a faster clock
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


class CheckFailed(Exception):
    """A design's simulation disagrees with the reference."""


def build(da_gen, model_path, out_dir, args):
    """Run da-gen; returns (report, seconds)."""
    _, seconds = run([da_gen, model_path, "-o", out_dir, "--force", *args])
    report = next(p for p in out_dir.glob("*.json") if not p.name.endswith(".graph.json"))
    return json.loads(report.read_text()), seconds


def input_vectors(types, n, rng):
    """Corners (all minimum, all maximum, all zero, alternating) then random codes."""
    lo = [-(1 << (t["width"] - 1)) if t["signed"] else 0 for t in types]
    hi = [(1 << (t["width"] - 1)) - 1 if t["signed"] else (1 << t["width"]) - 1 for t in types]
    rows = [lo, hi, [0] * len(types), [lo[k] if k % 2 else hi[k] for k in range(len(types))]]
    rows += [[rng.randint(a, b) for a, b in zip(lo, hi)] for _ in range(max(0, n - len(rows)))]
    return rows[:n]


def pack(values, elements):
    """Element codes -> the port's bit vector (each element at its report offset)."""
    word = 0
    for v, e in zip(values, elements):
        if e["width"]:
            word |= (int(v) & ((1 << e["width"]) - 1)) << e["offset"]
    return word


TESTBENCH = """`timescale 1ns/1ps
module ii_tb;
  reg clk = 0;
  reg x_valid = 0;
  reg [{xw}-1:0] x = 0;
  wire y_valid;
  wire [{yw}-1:0] y;
  {top} dut(.clk(clk), .x_valid(x_valid), .x(x), .y_valid(y_valid), .y(y));
  integer c, fi, fo, got;
  reg v;
  reg [{xw}-1:0] word;
  initial begin
    fi = $fopen("{stim}", "r");
    fo = $fopen("{out}", "w");
    for (c = 0; c < {cycles}; c = c + 1) begin
      got = $fscanf(fi, "%h %h\\n", v, word);
      x_valid = v;
      x = word;
      #1;
      if (y_valid === 1'b1) $fwrite(fo, "%0d %h\\n", c, y);
      else if (y_valid !== 1'b0) $fwrite(fo, "%0d y_valid=%b\\n", c, y_valid);
      #4 clk = 1;
      #5 clk = 0;
    end
    $fclose(fo);
    $finish;
  end
endmodule
"""


def check(model, design_dir, rep, n_vectors, seed):
    """Simulate the design in Icarus against model.predict_codes; raises CheckFailed."""
    types = model.inputs
    if [t["width"] for t in types] != [e["width"] for e in rep["inputs"]]:
        raise CheckFailed("the report's input elements differ from the package's")
    rng = random.Random(seed)
    xs = input_vectors(types, n_vectors, rng)
    wide = any(t["width"] > 62 for t in types) or any(e["width"] > 62 for e in rep["outputs"])
    ys = model.predict_codes(np.array(xs, dtype=object if wide else np.int64))
    ii, latency = rep["initiation_interval"], rep["latency_cycles"]
    xw, yw = max(rep["x_width"], 1), max(rep["y_width"], 1)
    # Mostly back to back at the reported II; now and then a longer gap.
    starts, c = [], 2
    for _ in xs:
        starts.append(c)
        c += ii + rng.choice([0, 0, 0, 0, 1, ii, 3 * ii + 1])
    cycles = starts[-1] + latency + 2 * ii + 3
    stim, out = design_dir / "ii_tb.stim", design_dir / "ii_tb.out"
    lines, k = [], 0
    for c in range(cycles):
        if k < len(starts) and starts[k] == c:
            lines.append(f"1 {pack(xs[k], rep['inputs']):x}")
            k += 1
        else:
            lines.append(f"0 {rng.getrandbits(xw):x}")  # garbage: x is sampled only with x_valid
    stim.write_text("\n".join(lines) + "\n")
    tb = design_dir / "ii_tb.sv"
    tb.write_text(TESTBENCH.format(xw=xw, yw=yw, top=rep["top"], stim=stim, out=out, cycles=cycles))
    sim = design_dir / "ii_tb.vvp"
    sources = sorted(p for p in design_dir.glob("*.v"))
    run(["iverilog", "-g2012", "-o", sim, "-s", "ii_tb", tb, *sources])
    run(["vvp", "-n", sim])
    got = [line.split() for line in out.read_text().splitlines()]
    when = [int(g[0]) for g in got]
    want_when = [s + latency for s in starts]
    if when != want_when:
        first = next((i for i, (a, b) in enumerate(zip(when, want_when)) if a != b), min(len(when), len(want_when)))
        raise CheckFailed(f"y_valid timing: {len(when)} pulses, expected {len(want_when)}; first difference "
                          f"at output {first}: got {got[first] if first < len(got) else 'none'}, expected "
                          f"cycle {want_when[first] if first < len(want_when) else 'none'}")
    for i, (g, y) in enumerate(zip(got, ys)):
        want = pack(y, rep["outputs"])
        if any(ch in g[1].lower() for ch in "xz") or int(g[1], 16) != want:
            raise CheckFailed(f"vector {i} (x codes {xs[i][:8]}...): y = {g[1]}, expected {want:x}")
    return len(xs)


def measure(da_gen, model, model_path, work, label, args, n_vectors, seed):
    """Build, check, synthesize one design; a row dict."""
    design = work / "rtl"
    rep, seconds = build(da_gen, model_path, design, args)
    checked = check(model, design, rep, n_vectors, seed)
    syn = yosys(design, rep["top"], work)
    serial = rep.get("serial", {})
    ii, period = rep["initiation_interval"], rep["pipeline"]["estimated_period_ns"]
    return {"row": label, "args": " ".join(args), "ii": ii, "digit_bits": serial.get("digit_bits"),
            "frame_digits": serial.get("frame_digits"), "latency": rep["latency_cycles"],
            "period_ns": period, "lut": syn["lut"], "ff": syn["ff"], "carry": syn["carry"],
            "lut_x_ii": syn["lut"] * ii, "ns_per_input": round(ii * period, 3),
            "estimated_luts": serial.get("estimated_luts"), "checked_vectors": checked,
            "gen_s": round(seconds, 3), "yosys_s": syn["yosys_seconds"]}


def bit_serial_k(da_gen, model_path, work):
    """The smallest K whose --ii design has one-bit digits."""
    rep, _ = build(da_gen, model_path, work / "probe", ["--ii", "4096"])
    k = rep["serial"]["frame_digits"]
    if build(da_gen, model_path, work / "probe", ["--ii", str(k)])[0]["serial"]["digit_bits"] != 1:
        raise RuntimeError(f"--ii {k} (frame_digits of --ii 4096) does not give one-bit digits")
    if k > 1 and build(da_gen, model_path, work / "probe", ["--ii", str(k - 1)])[0]["serial"]["digit_bits"] == 1:
        raise RuntimeError(f"--ii {k - 1} already gives one-bit digits")
    return k


def pareto(rows):
    """Rows not dominated: no other row with LUT <= and II <= and one of them smaller."""
    ok = [r for r in rows if "lut" in r]
    return {r["row"] for r in ok
            if not any(o["lut"] <= r["lut"] and o["ii"] <= r["ii"] and (o["lut"], o["ii"]) != (r["lut"], r["ii"])
                       for o in ok)}


def write_markdown(results, path):
    head = ["design", "II", "digit bits x digits", "latency", "est. ns", "LUT", "FF", "CARRY", "LUT x II",
            "ns / input", "LUT / II=1", "clock / II=1", "Pareto", "est. LUT", "gen s", "Yosys s"]
    out = [f"Measured at {results['measured_at']}; II = 1 is `da-gen {' '.join(II1_ARGS)}`; every design "
           f"checked bit-exactly in Icarus against dagen.predict_codes ({results['vectors']} vectors, inputs every "
           f"II cycles with gaps, garbage on x between). Yosys: tools/yosys_report.py (xcup, -nosrl).", ""]
    for name, m in results["models"].items():
        rows = m["rows"]
        base = next((r for r in rows if r["row"] == "II=1" and "lut" in r), None)
        front = pareto(rows)
        out += [f"### {name} ({m['source']})", "", "| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
        for r in rows:
            if "error" in r:
                out.append(f"| {r['row']} | error: {r['error']} |" + " |" * (len(head) - 2))
                continue
            digits = f"{r['digit_bits']} x {r['frame_digits']}" if r["digit_bits"] else "parallel"
            lut_ratio = f"{r['lut'] / base['lut']:.3f}" if base else ""
            clk_ratio = f"{r['period_ns'] / base['period_ns']:.2f}" if base else ""
            cells = [r["row"], r["ii"], digits, r["latency"], r["period_ns"], r["lut"], r["ff"], r["carry"],
                     r["lut_x_ii"], r["ns_per_input"], lut_ratio, clk_ratio, "yes" if r["row"] in front else "no",
                     r["estimated_luts"] or "", r["gen_s"], r["yosys_s"]]
            out.append("| " + " | ".join(map(str, cells)) + " |")
        out.append("")
    name, limit = TARGET
    if name in results["models"]:
        rows = [r for r in results["models"][name]["rows"] if "lut" in r]
        base = next((r for r in rows if r["row"] == "II=1"), None)
        serial = [r for r in rows if r["digit_bits"] == 1]
        if base and serial:
            s = min(serial, key=lambda r: r["ii"])
            ratio, faster = s["lut"] / base["lut"], s["period_ns"] <= base["period_ns"]
            met = ratio <= limit and faster
            out.append(f"Target ({name}): bit-serial {s['row']} has {s['lut']} LUTs = {ratio:.3f}x the II = 1 "
                       f"design's {base['lut']} (target <= {limit}x), estimated clock {s['period_ns']} ns vs "
                       f"{base['period_ns']} ns: **{'met' if met else 'not met'}**.")
            out.append("")
    path.write_text("\n".join(out))


def panel(results, key, x0, title, width=440, height=330):
    """One log-log panel of `key` (lut or ff) against II, one line per model."""
    series = {n: sorted((r["ii"], r[key]) for r in m["rows"] if key in r and r[key] > 0)
              for n, m in results["models"].items()}
    pts = [p for s in series.values() for p in s]
    if not pts:
        return []
    iis = sorted({i for i, _ in pts})
    lo, hi = math.log10(min(v for _, v in pts)) - 0.1, math.log10(max(v for _, v in pts)) + 0.1
    left, top, w, h = x0 + 60, 40, width - 80, height - 90

    def px(i):
        return left + w * math.log2(i) / max(1e-9, math.log2(iis[-1]))

    def py(v):
        return top + h - h * (math.log10(v) - lo) / (hi - lo)

    out = [f'<text x="{x0 + width / 2}" y="22" text-anchor="middle" font-size="14">{title}</text>',
           f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#888"/>']
    for i in (1, 2, 4, 8, 16, 32, 64):
        if i <= iis[-1]:
            out.append(f'<text x="{px(i):.1f}" y="{top + h + 16}" text-anchor="middle" font-size="11">{i}</text>')
    for e in range(math.ceil(lo) - 1, math.floor(hi) + 1):
        for mant in (1, 2, 5):
            v = mant * 10 ** e
            if lo <= math.log10(v) <= hi:
                out.append(f'<line x1="{left}" x2="{left + w}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#eee"/>')
                out.append(f'<text x="{left - 4}" y="{py(v) + 4:.1f}" text-anchor="end" font-size="10">{v}</text>')
    out.append(f'<text x="{left + w / 2}" y="{top + h + 34}" text-anchor="middle" font-size="12">'
               'initiation interval (cycles per input)</text>')
    ylabel = f"{key.upper()}s (Yosys, UltraScale+)"
    out.append(f'<text x="{x0 + 14}" y="{top + h / 2}" font-size="12" text-anchor="middle" '
               f'transform="rotate(-90 {x0 + 14} {top + h / 2})">{ylabel}</text>')
    for k, (name, rows) in enumerate(series.items()):
        color = COLORS[k % len(COLORS)]
        if rows:
            path = " ".join(f"{'M' if j == 0 else 'L'}{px(i):.1f},{py(v):.1f}" for j, (i, v) in enumerate(rows))
            out.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
            out += [f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="3" fill="{color}"/>' for i, v in rows]
        out.append(f'<rect x="{left + w - 150}" y="{top + 8 + 16 * k}" width="12" height="3" fill="{color}"/>')
        out.append(f'<text x="{left + w - 134}" y="{top + 13 + 16 * k}" font-size="11">{name}</text>')
    return out


def write_svg(results, path):
    body = panel(results, "lut", 0, "LUTs against II (da-gen --ii K)") + panel(results, "ff", 450, "FFs against II")
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="330" font-family="sans-serif">'
                    '<rect width="100%" height="100%" fill="white"/>' + "".join(body) + "</svg>\n")


def parse_ks(text):
    ks = []
    for part in text.split(","):
        if part == "max":
            ks.append("max")
        elif part.isdigit() and int(part) >= 2:
            ks.append(int(part))
        else:
            raise SystemExit(f"--ks: {part!r} is not an integer >= 2 or 'max'")
    return ks


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--da-gen", default=ROOT / "build" / "da-gen")
    ap.add_argument("--models", default=",".join(MODELS), help="from " + ",".join(MODELS))
    ap.add_argument("--ks", default=DEFAULT_KS, help="K values >= 2; max = the bit-serial extreme")
    ap.add_argument("--vectors", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--out", default=ROOT / "benchmarks" / "results")
    ap.add_argument("--render", action="store_true", help="only rewrite the .md and .svg from the .json")
    a = ap.parse_args()
    out = Path(a.out)
    if a.render:
        results = json.loads((out / "ii_tradeoff.json").read_text())
        write_markdown(results, out / "ii_tradeoff.md")
        write_svg(results, out / "ii_tradeoff.svg")
        return 0
    names = a.models.split(",")
    if unknown := [n for n in names if n not in MODELS]:
        ap.error(f"--models: unknown {unknown}; known: {', '.join(MODELS)}")
    ks = parse_ks(a.ks)
    try:
        import dagen
    except ImportError as e:
        raise SystemExit(f"the dagen package is not importable ({e}): run with PYTHONPATH=build/python") from e
    out.mkdir(parents=True, exist_ok=True)
    measured_at = "commit " + subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                                             capture_output=True, text=True).stdout.strip()
    results = {"measured_at": measured_at, "vectors": a.vectors, "ii1_args": " ".join(II1_ARGS), "models": {}}
    failed = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ii_tradeoff_") as tmp:
        for name in names:
            source, make = MODELS[name]
            work = Path(tmp) / name
            work.mkdir()
            model_path = work / "model.json" if make else ROOT / source
            if make:
                model_path.write_text(json.dumps(make()))
            model = dagen.load(str(model_path))
            extreme = bit_serial_k(a.da_gen, model_path, work)
            sweep = sorted({extreme if k == "max" else k for k in ks if k == "max" or k < extreme})
            designs = [("II=1", list(II1_ARGS))] + [(f"K={k}", ["--ii", str(k)]) for k in sweep]
            rows = []
            for label, args in designs:
                row_work = work / label.replace("=", "")
                row_work.mkdir()
                try:
                    rows.append(measure(a.da_gen, model, model_path, row_work, label, args, a.vectors, a.seed))
                except (CheckFailed, RuntimeError) as e:
                    failed += 1
                    rows.append({"row": label, "args": " ".join(args), "error": str(e).splitlines()[0]})
                    print(f"{name} {label}: ERROR {e}", file=sys.stderr)
                print(f"{name:22s} {json.dumps(rows[-1])}", flush=True)
            results["models"][name] = {"source": source, "bit_serial_k": extreme, "rows": rows}
    results["seconds"] = round(time.perf_counter() - start, 1)
    (out / "ii_tradeoff.json").write_text(json.dumps(results, indent=1) + "\n")
    write_markdown(results, out / "ii_tradeoff.md")
    write_svg(results, out / "ii_tradeoff.svg")
    print((out / "ii_tradeoff.md").read_text())
    print(f"{results['seconds']} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
