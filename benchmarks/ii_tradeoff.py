#!/usr/bin/env python3
"""LUTs against initiation interval: da-gen --ii K (issue 20, "Benchmarks and targets").

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/ii_tradeoff.py \\
        [--da-gen build/da-gen] [--models NAME,...] [--ks 2,3,4,6,8,12,max,stream,stream2x] \\
        [--vectors 100] [--out benchmarks/results] [--render]

For every model (the 16x16 8-bit random layer of benchmarks/resources.py, seed 1608; the two
real HGQ2 jet classifiers models/jsc_cernbox_acc75.16.json and acc74.98.json; the HGQ2 CNNs
tests/models/v2/cnn2d.json, the largest CNN shipped, and cnn1d.json) it builds
  - the II = 1 design: `--pipeline 3 --valid` (latency 3, the valid ports the --ii designs have);
  - `--ii K` for every K of --ks.  A design is one of the report's three `architecture`s:
    word-parallel (II = 1, built when estimated cheaper; the report then has `ii_requested`),
    digit-serial (`serial`) or streamed (`stream`).  `max` is the bit-serial extreme: the
    smallest K whose design is digit-serial with one-bit digits (found by building K = 2, 3, ...,
    since small K may build II = 1); numeric K beyond it are not built (on a model where no K up
    to 256 builds one, every K of --ks is built and `max` is left out).  `stream` is the least K
    that builds the streamed design with one kernel instance (the report's `stream.cycles` of a
    K = 4096 build, checked: that K builds it and K - 1 does not; a shorter K streams with several
    instances), `stream2x` twice it; both only on models that stream.
K values that build the same design (the same Verilog but for comments) are duplicates: they are
still simulated at their own reported II, but synthesized once, and the Pareto front is taken
over distinct designs (each at the least II it was built for).
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
import hashlib
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
DEFAULT_KS = "2,3,4,6,8,12,max,stream,stream2x"
PROBE_LIMIT = 256  # the bit-serial extreme is sought up to this K
MODELS = {
    "rand16x16_w8": ("benchmarks/resources.py random_layer(16, 8, seed=1608)",
                     lambda: random_layer(16, 8, seed=1608)),
    "jsc_cernbox_acc75.16": ("models/jsc_cernbox_acc75.16.json", None),
    "jsc_cernbox_acc74.98": ("models/jsc_cernbox_acc74.98.json", None),
    "cnn2d": ("tests/models/v2/cnn2d.json", None),
    "cnn1d": ("tests/models/v2/cnn1d.json", None),
}
TARGET = ("rand16x16_w8", 0.15)  # bit-serial LUTs <= 0.15x II = 1, at the same or a faster clock
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]


class CheckFailed(Exception):
    """A design's simulation disagrees with the reference."""


def build(da_gen, model_path, out_dir, args):
    """Run da-gen; returns (report, seconds)."""
    _, seconds = run([da_gen, model_path, "-o", out_dir, "--force", *args])
    report = next(p for p in out_dir.glob("*.json") if not p.name.endswith(".graph.json"))
    return json.loads(report.read_text()), seconds


def design_hash(design_dir):
    """The design's Verilog without comment lines (they name the K it was built for)."""
    h = hashlib.sha256()
    for v in sorted(design_dir.glob("*.v")):
        h.update(v.name.encode())
        h.update("".join(l for l in v.read_text().splitlines(True) if not l.lstrip().startswith("//")).encode())
    return h.hexdigest()[:16]


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


def measure(da_gen, model, model_path, work, label, args, n_vectors, seed, synthesized):
    """Build, check, synthesize one design; a row dict.  `synthesized` maps design hashes to the
    rows already synthesized: a duplicate takes that row's Yosys figures and names it."""
    design = work / "rtl"
    rep, seconds = build(da_gen, model_path, design, args)
    checked = check(model, design, rep, n_vectors, seed)
    digest = design_hash(design)
    arch = rep["architecture"]
    serial = rep.get("serial", {}) if arch == "digit-serial" else {}
    stream = rep.get("stream", {}) if arch == "streamed" else {}
    ii, period = rep["initiation_interval"], rep["pipeline"]["estimated_period_ns"]
    row = {"row": label, "args": " ".join(args), "k": int(args[1]) if args[0] == "--ii" else 1,
           "architecture": arch, "ii": ii, "ii_requested": rep.get("ii_requested"),
           "digit_bits": serial.get("digit_bits"), "frame_digits": serial.get("frame_digits"),
           "stream_positions": stream.get("positions"), "stream_cycles": stream.get("cycles"),
           "stream_kernel_adders": stream.get("kernel", {}).get("adders"),
           "stream_tail": stream.get("tail", {}).get("architecture"),
           "latency": rep["latency_cycles"], "period_ns": period,
           "estimated_luts": serial.get("estimated_luts") or stream.get("estimated_luts"),
           "checked_vectors": checked, "gen_s": round(seconds, 3), "design_hash": digest}
    if digest in synthesized:
        first = synthesized[digest]
        row.update({key: first[key] for key in ("lut", "ff", "carry")}, same_as=first["row"], yosys_s=0)
    else:
        syn = yosys(design, rep["top"], work)
        row.update(lut=syn["lut"], ff=syn["ff"], carry=syn["carry"], yosys_s=syn["yosys_seconds"])
        synthesized[digest] = row
    row.update(lut_x_ii=row["lut"] * ii, ns_per_input=round(ii * period, 3))
    return row


def probe(da_gen, model_path, work, k):
    return build(da_gen, model_path, work / "probe", ["--ii", str(k)])[0]


def bit_serial_k(da_gen, model_path, work, limit=PROBE_LIMIT):
    """The smallest K whose --ii design is digit-serial with one-bit digits.  Small K may build
    II = 1 and large K a streamed design, so K = 2, 3, ... are built until one is; None when no
    K up to `limit` does (a CNN whose streamed design wins at every K)."""
    for k in range(2, limit + 1):
        rep = probe(da_gen, model_path, work, k)
        if rep["architecture"] == "digit-serial" and rep["serial"]["digit_bits"] == 1:
            return k
    return None


def one_instance(rep):
    return rep["architecture"] == "streamed" and rep["stream"]["kernel_instances"] == 1


def stream_k(da_gen, model_path, work):
    """The least K that builds the streamed design with one kernel instance (None if K = 4096
    does not stream); a shorter K shares the positions among several instances."""
    rep = probe(da_gen, model_path, work, 4096)
    if not one_instance(rep):
        return None
    k = rep["stream"]["cycles"]
    if not one_instance(probe(da_gen, model_path, work, k)):
        raise RuntimeError(f"--ii {k} (stream.cycles of --ii 4096) does not stream with one instance")
    if one_instance(probe(da_gen, model_path, work, k - 1)):
        raise RuntimeError(f"--ii {k - 1}, below stream.cycles, streams with one instance")
    return k


def distinct(rows):
    """Synthesized rows of distinct designs, each at the least II any of its duplicates reports."""
    reps = {r["row"]: dict(r) for r in rows if "lut" in r and not r.get("same_as")}
    for r in rows:
        if r.get("same_as") in reps:
            reps[r["same_as"]]["ii"] = min(reps[r["same_as"]]["ii"], r["ii"])
    return list(reps.values())


def pareto(rows):
    """Distinct designs not dominated: no other with LUT <= and II <= and one of them smaller.
    Duplicates (`same_as`) are neither on nor off the front: their first row stands for them."""
    ok = distinct(rows)
    return {r["row"] for r in ok
            if not any(o["lut"] <= r["lut"] and o["ii"] <= r["ii"] and (o["lut"], o["ii"]) != (r["lut"], r["ii"])
                       for o in ok)}


def design_cell(r):
    """What the architecture is made of: digits, or the stream's positions and cycles."""
    if r["architecture"] == "digit-serial":
        return f"{r['digit_bits']} x {r['frame_digits']} digits"
    if r["architecture"] == "streamed":
        return (f"{r['stream_positions']} positions in {r['stream_cycles']} cycles, kernel "
                f"{r['stream_kernel_adders']} adders, {r['stream_tail']} tail")
    return f"II = 1 for K = {r['ii_requested']}" if r.get("ii_requested") else ""


def write_markdown(results, path):
    head = ["design", "architecture", "II", "made of", "latency", "est. ns", "LUT", "FF", "CARRY", "LUT x II",
            "ns / input", "LUT / II=1", "clock / II=1", "Pareto", "est. LUT", "gen s", "Yosys s"]
    out = [f"Measured at {results['measured_at']}; II = 1 is `da-gen {' '.join(II1_ARGS)}`; every design "
           f"checked bit-exactly in Icarus against dagen.predict_codes ({results['vectors']} vectors, inputs every "
           f"reported II cycles with gaps, garbage on x between). Yosys: tools/yosys_report.py (xcup, -nosrl). "
           f"Pareto: on the front of LUTs against II among distinct designs; \"= K=a\": the same Verilog as "
           f"row K=a (a duplicate, synthesized once).", ""]
    for name, m in results["models"].items():
        rows = m["rows"]
        base = next((r for r in rows if r["row"] == "II=1" and "lut" in r), None)
        front = pareto(rows)
        ks = (f"bit-serial extreme K = {m['bit_serial_k']}" if m["bit_serial_k"]
              else "no K builds a bit-serial design")
        ks += f", least streamed K = {m['stream_k']}" if m.get("stream_k") else ", no streamed design"
        out += [f"### {name} ({m['source']}; {ks})", "", "| " + " | ".join(head) + " |",
                "|---|---|---:|---" + "|---:" * (len(head) - 4) + "|"]
        for r in rows:
            if "error" in r:
                out.append(f"| {r['row']} | error: {r['error']} |" + " |" * (len(head) - 2))
                continue
            lut_ratio = f"{r['lut'] / base['lut']:.3f}" if base else ""
            clk_ratio = f"{r['period_ns'] / base['period_ns']:.2f}" if base else ""
            on_front = f"= {r['same_as']}" if r.get("same_as") else "yes" if r["row"] in front else "**no**"
            cells = [r["row"], r["architecture"], r["ii"], design_cell(r), r["latency"], r["period_ns"], r["lut"],
                     r["ff"], r["carry"], r["lut_x_ii"], r["ns_per_input"], lut_ratio, clk_ratio, on_front,
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
    series = {n: sorted((r["ii"], r[key], r["architecture"]) for r in distinct(m["rows"]) if r[key] > 0)
              for n, m in results["models"].items()}
    pts = [(i, v) for s in series.values() for i, v, _ in s]
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
    for i in (1, 2, 4, 8, 16, 32, 64, 128):
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
            path = " ".join(f"{'M' if j == 0 else 'L'}{px(i):.1f},{py(v):.1f}" for j, (i, v, _) in enumerate(rows))
            out.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
            for i, v, arch in rows:  # squares: streamed designs
                if arch == "streamed":
                    out.append(f'<rect x="{px(i) - 4:.1f}" y="{py(v) - 4:.1f}" width="8" height="8" fill="{color}"/>')
                else:
                    out.append(f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="3" fill="{color}"/>')
        out.append(f'<rect x="{left + w - 150}" y="{top + 8 + 16 * k}" width="12" height="3" fill="{color}"/>')
        out.append(f'<text x="{left + w - 134}" y="{top + 13 + 16 * k}" font-size="11">{name}</text>')
    return out


def write_svg(results, path):
    body = panel(results, "lut", 0, "LUTs against II (da-gen --ii K)") + panel(results, "ff", 450, "FFs against II")
    body.append('<text x="450" y="322" text-anchor="middle" font-size="11">distinct designs; circles: II = 1, '
                'word-parallel or digit-serial; squares: streamed</text>')
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="330" font-family="sans-serif">'
                    '<rect width="100%" height="100%" fill="white"/>' + "".join(body) + "</svg>\n")


def parse_ks(text):
    ks = []
    for part in text.split(","):
        if part in ("max", "stream", "stream2x"):
            ks.append(part)
        elif part.isdigit() and int(part) >= 2:
            ks.append(int(part))
        else:
            raise SystemExit(f"--ks: {part!r} is not an integer >= 2, 'max', 'stream' or 'stream2x'")
    return ks


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--da-gen", default=ROOT / "build" / "da-gen")
    ap.add_argument("--models", default=",".join(MODELS), help="from " + ",".join(MODELS))
    ap.add_argument("--ks", default=DEFAULT_KS, help="K values >= 2; max = the bit-serial extreme, stream = the "
                    "least K that streams a convolution, stream2x = twice it")
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
            streamed = stream_k(a.da_gen, model_path, work) if {"stream", "stream2x"} & set(ks) else None
            named = {"max": extreme, "stream": streamed, "stream2x": 2 * streamed if streamed else None}
            sweep = sorted({named[k] if k in named else k for k in ks
                            if (k in named and named[k]) or (k not in named and (extreme is None or k < extreme))})
            designs = [("II=1", list(II1_ARGS))] + [(f"K={k}", ["--ii", str(k)]) for k in sweep]
            rows, synthesized = [], {}
            for label, args in designs:
                row_work = work / label.replace("=", "")
                row_work.mkdir()
                try:
                    rows.append(measure(a.da_gen, model, model_path, row_work, label, args, a.vectors, a.seed,
                                        synthesized))
                except (CheckFailed, RuntimeError) as e:
                    failed += 1
                    rows.append({"row": label, "args": " ".join(args), "error": str(e).splitlines()[0]})
                    print(f"{name} {label}: ERROR {e}", file=sys.stderr)
                print(f"{name:22s} {json.dumps(rows[-1])}", flush=True)
            results["models"][name] = {"source": source, "bit_serial_k": extreme, "stream_k": streamed,
                                       "rows": rows}
    results["seconds"] = round(time.perf_counter() - start, 1)
    (out / "ii_tradeoff.json").write_text(json.dumps(results, indent=1) + "\n")
    write_markdown(results, out / "ii_tradeoff.md")
    write_svg(results, out / "ii_tradeoff.svg")
    print((out / "ii_tradeoff.md").read_text())
    print(f"{results['seconds']} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
