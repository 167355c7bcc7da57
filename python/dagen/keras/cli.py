"""Export a trained HGQ2 (Keras 3) or QKeras (Keras 2) model to da-gen's model.json, exactly.

    dagen-export MODEL.keras -o out.json      # HGQ2   (pip install "dagen[hgq2]")
    dagen-export MODEL.h5 -o out.json         # QKeras (pip install "dagen[qkeras]")
    python -m dagen.keras ...                 # the same

After the export, it is checked bit for bit (--check N, default 10000): the Keras model is
run on N random inputs on the input quantizer's grid (corners included) and compared with an
independent exact evaluation of the model.json and, when the binary exists, with
`da-gen OUT.json --eval IN.json`. OUT.json is written only when that passed. Any error or
difference: one line on stderr, exit 1. See docs/exporter.md.
"""
from __future__ import annotations

import argparse
import sys

from ._export import default_dagen, export, parse_type as _parse_type
from .fxp import ExportError, fmt_type, summarize_types


def parse_type(s):
    try:
        return _parse_type(s)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def describe_v2(model):
    from . import refsim

    g = refsim.V2Graph(model)
    lines = [f"input {n}: shape {s}, " + summarize_types(t) for n, s, t in g.inputs]
    for k, nd in enumerate(g.nodes):
        extra = ""
        if nd.op in ("dense", "conv1d", "conv2d"):
            w = nd.p["W"] if nd.op == "dense" else nd.p["K"]
            extra = f", {int(sum(1 for v in w.ravel() if v != 0))} nonzero weights"
        elif nd.op == "lookup":
            extra = f", domain {fmt_type(nd.p['domain'])}"
        elif nd.op == "quantize":
            extra = f", {nd.p['rounding']}/{nd.p['overflow']}"
        lines.append(f"[{k}] {nd.op} {nd.name}: {[g.shapes[i] for i in nd.inputs]} -> {nd.shape}{extra}")
    lines.append(f"outputs: {g.outputs}")
    return lines


def describe(model):
    if model.get("version") == 2:
        return describe_v2(model)
    it = model["input"]["type"]
    lines = [f"input: {model['input']['size']} x " + fmt_type(it) if isinstance(it, dict) else f"input: {summarize_types(it)}"]
    n = model["input"]["size"]
    for k, l in enumerate(model["layers"]):
        if l["type"] == "dense":
            n_in, n_out = len(l["weights"]), len(l["weights"][0])
            nz = sum(1 for row in l["weights"] for v in row if v != 0)
            lines.append(f"[{k}] dense {l.get('name', '')}: {n_in} -> {n_out}, {nz} nonzero weights"
                         + (", bias" if "bias" in l else ""))
            n = n_out
        elif l["type"] == "relu":
            lines.append(f"[{k}] relu")
        else:
            t = l["to"]
            ts = t if isinstance(t, dict) else None
            lines.append(f"[{k}] quantize {l.get('name', '')}: {l['rounding']}/{l['overflow']}, "
                         + (fmt_type(ts) if ts else summarize_types(t)))
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(prog="dagen-export", description=__doc__.split("\n\n")[0])
    ap.add_argument("model", help="Keras model file (.keras for HGQ2, .h5/.keras for QKeras)")
    ap.add_argument("-o", "--output", required=True, help="model.json to write")
    ap.add_argument("--name", help="model name (default: file stem)")
    ap.add_argument("--framework", choices=["auto", "hgq2", "qkeras"], default="auto",
                    help="auto: HGQ2 under Keras 3, QKeras under Keras 2")
    ap.add_argument("--input-type", type=parse_type,
                    help="input type SIGNED,INT,FRAC for models without an input quantizer")
    ap.add_argument("--check", type=int, default=10000, metavar="N",
                    help="check bit-exactness on N random inputs (default 10000; 0 disables)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--da-gen", default=None,
                    help="da-gen binary for the --eval comparison (default: build/da-gen of the source tree, "
                         "else da-gen on PATH, else ./build/da-gen); skipped with a notice when absent")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))

    try:
        model, _, fw, notes = export(args.model, output=args.output, name=args.name, framework=args.framework,
                                     input_type=args.input_type, check=args.check, seed=args.seed,
                                     da_gen=args.da_gen if args.da_gen is not None else default_dagen(),
                                     quiet=args.quiet)
        log(f"wrote {args.output} ({fw}): " + "; ".join(notes) if notes else f"wrote {args.output} ({fw})")
        for line in describe(model):
            log("  " + line)
    except (ExportError, ImportError, OSError) as e:
        print(f"dagen-export: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
