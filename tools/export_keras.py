#!/usr/bin/env python3
"""Export a trained HGQ2 (Keras 3) or QKeras (Keras 2) model to da-gen's model.json, exactly.

    tools/.venv/bin/python tools/export_keras.py MODEL.keras -o out.json           # HGQ2
    tools/.venv-qkeras/bin/python tools/export_keras.py MODEL.h5 -o out.json       # QKeras

After writing, the export is checked bit for bit (--check N, default 10000): the Keras
model is run on N random inputs on the input quantizer's grid (corners included) and
compared with an independent exact evaluation of the written model.json and, when the
binary exists, with `da-gen OUT.json --eval IN.json`. Any difference: exit 1.
See docs/exporter.md.
"""
from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, HERE)

from dagen_export.fxp import ExportError, dumps_model, fmt_type, summarize_types  # noqa: E402
from dagen_export.graph import dumps_model_v2  # noqa: E402

DEFAULT_DAGEN = os.path.join(os.path.dirname(HERE), "build", "da-gen")


def detect_framework(path):
    try:
        from importlib.metadata import version

        major = int(version("keras").split(".")[0])
    except Exception:
        major = None
    if major is not None and major >= 3:
        return "hgq2"
    return "qkeras"


def parse_type(s):
    parts = s.split(",")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError("expected SIGNED,INT_BITS,FRAC_BITS, e.g. 1,3,4")
    return {"signed": parts[0].strip().lower() in ("1", "true", "s", "signed"),
            "int_bits": int(parts[1]), "frac_bits": int(parts[2])}


def describe_v2(model):
    from dagen_export import refsim

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
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
    ap.add_argument("--da-gen", default=DEFAULT_DAGEN,
                    help=f"da-gen binary for the --eval comparison (default {os.path.relpath(DEFAULT_DAGEN)}); "
                         "skipped with a notice when absent")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))

    fw = args.framework if args.framework != "auto" else detect_framework(args.model)
    name = args.name or os.path.splitext(os.path.basename(args.model))[0]
    try:
        if fw == "hgq2":
            from dagen_export import hgq2_front as front
        else:
            from dagen_export import qkeras_front as front
        kmodel = front.load(args.model)
        builder = front.export(kmodel, name, args.input_type)
        model = builder.finish(args.input_type)
        text = dumps_model_v2(model) if model.get("version") == 2 else dumps_model(model)
        with open(args.output, "w") as f:
            f.write(text)
        log(f"wrote {args.output} ({fw}): " + "; ".join(builder.notes) if builder.notes else f"wrote {args.output} ({fw})")
        for line in describe(model):
            log("  " + line)
        if args.check > 0:
            import json

            from dagen_export.check import check_model

            with open(args.output) as f:
                reread = json.load(f)  # check what was written, as a reader parses it
            try:
                check_model(reread, args.output, front.predict_fn(kmodel), args.check, args.seed,
                            dagen=args.da_gen, log=log)
            except ExportError as e:
                bns = getattr(builder, "bn_scales", [])
                if bns and "MISMATCH" in str(e):
                    raise ExportError(f"{e}; note: BatchNormalization {', '.join(repr(n) for n in bns)} could not be "
                                      "folded into a linear layer and is exported as a scale node, which the "
                                      "framework's float32 arithmetic does not compute exactly")
                raise
    except ExportError as e:
        print(f"export_keras: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
