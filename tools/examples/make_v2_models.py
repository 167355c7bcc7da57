#!/usr/bin/env python3
"""Build the small HGQ2 (Keras 3) test models of model.json version 2, export them with
dagen-export (dagen.keras, checked bit for bit against Keras) into tests/models/v2/, and record
each model's exact reference outputs (dagen.keras.refsim) on a few inputs in
tests/models/v2/NAME.vectors.json. Needs the package with its hgq2 extra (pip install ".[hgq2]").

    python tools/examples/make_v2_models.py [--only NAME ...] [--check N] [--out DIR]

The weights are random (fixed seeds) and quantized by HGQ2's own weight quantizers, with few
bits so that each design stays at a few hundred adders; nothing is trained or downloaded.
The models (see docs/exporter.md, "Version 2"):

  cnn2d     8x8x1 image -> QConv2D(2 filters, 3x3, weights s0.1, relu, oq) -> MaxPooling2D 2x2
            -> Flatten -> QDense(4)
  cnn1d     16x2 signal -> QConv1D(3 filters, 3, strides 2, padding same, relu, oq) -> Flatten
            -> QDense(3)
  resmlp    8 inputs -> QDense(8, relu, oq) -> QDense(8) + the (quantized) input -> QDense(3)
  mixer     8 particles x 3 features -> QEinsumDense bnc,cC->bnC (4, relu, oq) -> Permute
            -> QEinsumDense bcn,nN->bcN (4, relu, oq) -> QSum over the last axis
  tanh_argmax  6 inputs -> QDense(6, oq) -> QUnaryFunctionLUT(tanh) -> QDense(4) -> argmax
            (outputs: the class and the logits)
  two_input two inputs a[4], b[4] -> Concatenate -> QDense(3) and QAdd(a, b) -> QDense(2)
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

import numpy as np  # noqa: E402


def qc(k=1, i=2, f=3, rnd="TRN", ovf="WRAP"):
    from hgq.config import QuantizerConfig

    return QuantizerConfig("kif", "datalane", k0=k, i0=i, f0=f, round_mode=rnd, overflow_mode=ovf,
                           homogeneous_axis=(0,))


def wq(i=0, f=2):
    """Weights: signed, i integer bits, f fractional bits, RND/SAT_SYM (few bits, many zeros)."""
    from hgq.config import QuantizerConfig

    return QuantizerConfig("kif", "weight", k0=1, i0=i, f0=f, round_mode="RND", overflow_mode="SAT_SYM")


def bq(i=1, f=2):
    from hgq.config import QuantizerConfig

    return QuantizerConfig("kif", "bias", k0=1, i0=i, f0=f, round_mode="RND", overflow_mode="SAT_SYM")


def randomize(model, seed, scale=0.6):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        for w in layer.trainable_weights:
            if w.path.endswith(("kernel", "bias")):
                w.assign(rng.normal(0, scale, size=w.shape).astype("float32"))


def m_cnn2d():
    import keras
    from hgq.layers import QConv2D, QDense

    x = keras.Input((8, 8, 1), name="img")
    h = QConv2D(2, 3, activation="relu", iq_conf=qc(0, 2, 1), kq_conf=wq(0, 1), bq_conf=bq(), enable_oq=True,
                oq_conf=qc(0, 2, 1, "RND", "SAT"), name="conv")(x)
    h = keras.layers.MaxPooling2D(2, name="pool")(h)
    h = keras.layers.Flatten(name="flat")(h)
    y = QDense(4, iq_conf=qc(0, 2, 1), kq_conf=wq(0, 2), bq_conf=bq(), name="fc")(h)
    return keras.Model(x, y, name="cnn2d"), 1


def m_cnn1d():
    import keras
    from hgq.layers import QConv1D, QDense

    x = keras.Input((16, 2), name="sig")
    h = QConv1D(3, 3, strides=2, padding="same", activation="relu", iq_conf=qc(1, 1, 2), kq_conf=wq(0, 2),
                bq_conf=bq(), enable_oq=True, oq_conf=qc(0, 2, 1, "TRN", "SAT"), name="conv")(x)
    h = keras.layers.Flatten(name="flat")(h)
    y = QDense(3, iq_conf=qc(0, 2, 1), kq_conf=wq(0, 2), bq_conf=bq(), name="fc")(h)
    return keras.Model(x, y, name="cnn1d"), 2


def m_resmlp():
    import keras
    from hgq.layers import QAdd, QDense
    from hgq.quantizer import Quantizer

    x = keras.Input((8,), name="x")
    xq = Quantizer(qc(1, 2, 2), name="in_q")(x)
    h = QDense(8, activation="relu", enable_iq=False, kq_conf=wq(0, 2), bq_conf=bq(), enable_oq=True,
               oq_conf=qc(0, 2, 2, "RND", "SAT"), name="fc1")(xq)
    h = QDense(8, enable_iq=False, kq_conf=wq(0, 2), bq_conf=bq(), name="fc2")(h)
    s = QAdd(enable_iq=False, name="skip")([h, xq])
    y = QDense(3, iq_conf=qc(1, 3, 1, "TRN", "SAT"), kq_conf=wq(0, 2), bq_conf=bq(), name="out")(s)
    return keras.Model(x, y, name="resmlp"), 3


def m_mixer():
    import keras
    from hgq.layers import QEinsumDense, QSum

    x = keras.Input((8, 3), name="particles")
    h = QEinsumDense("bnc,cC->bnC", (8, 4), bias_axes="C", activation="relu", iq_conf=qc(1, 2, 2),
                     kq_conf=wq(0, 2), bq_conf=bq(), enable_oq=True, oq_conf=qc(0, 2, 1, "TRN", "SAT"),
                     name="per_particle")(x)
    h = keras.layers.Permute((2, 1), name="swap")(h)
    h = QEinsumDense("bcn,nN->bcN", (4, 4), bias_axes="N", activation="relu", enable_iq=False, kq_conf=wq(0, 2),
                     bq_conf=bq(), enable_oq=True, oq_conf=qc(0, 2, 1, "TRN", "SAT"), name="mix")(h)
    y = QSum(axes=-1, enable_iq=False, name="pool")(h)
    return keras.Model(x, y, name="mixer"), 4


def m_tanh_argmax():
    import keras
    from hgq.layers import QDense, QUnaryFunctionLUT

    x = keras.Input((6,), name="x")
    h = QDense(6, iq_conf=qc(1, 1, 2), kq_conf=wq(0, 2), bq_conf=bq(), enable_oq=True,
               oq_conf=qc(1, 1, 2, "RND", "SAT"), name="fc1")(x)
    h = QUnaryFunctionLUT("tanh", enable_iq=False, oq_conf=qc(1, 0, 4, "RND", "SAT"), name="tanh")(h)
    logits = QDense(4, enable_iq=False, kq_conf=wq(0, 2), bq_conf=bq(), name="fc2")(h)
    cls = keras.ops.argmax(logits, axis=-1)
    return keras.Model(x, [cls, logits], name="tanh_argmax"), 5


def m_two_input():
    import keras
    from hgq.layers import QAdd, QDense
    from hgq.quantizer import Quantizer

    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    aq = Quantizer(qc(1, 2, 2), name="a_q")(a)
    bq_ = Quantizer(qc(0, 3, 1), name="b_q")(b)
    c = keras.layers.Concatenate(name="cat")([aq, bq_])
    y1 = QDense(3, enable_iq=False, kq_conf=wq(0, 2), bq_conf=bq(), name="fc_cat")(c)
    s = QAdd(enable_iq=False, name="sum")([aq, bq_])
    y2 = QDense(2, enable_iq=False, kq_conf=wq(0, 2), bq_conf=bq(), name="fc_sum")(s)
    return keras.Model([a, b], [y1, y2], name="two_input"), 6


MODELS = {"cnn2d": m_cnn2d, "cnn1d": m_cnn1d, "resmlp": m_resmlp, "mixer": m_mixer, "tanh_argmax": m_tanh_argmax,
          "two_input": m_two_input}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", choices=sorted(MODELS))
    ap.add_argument("--check", type=int, default=10000)
    ap.add_argument("--out", default=os.path.join(REPO, "tests", "models", "v2"))
    ap.add_argument("--keep-keras", action="store_true", help="also keep NAME.keras in --out")
    ap.add_argument("--da-gen", default=None, help="da-gen binary for the --eval leg of the check")
    args = ap.parse_args(argv)
    import tempfile

    from dagen.keras import cli
    from dagen.keras.vectors import write_vectors

    os.makedirs(args.out, exist_ok=True)
    for name in args.only or list(MODELS):
        model, seed = MODELS[name]()
        randomize(model, seed)
        with tempfile.TemporaryDirectory() as td:
            path = os.path.join(args.out if args.keep_keras else td, f"{name}.keras")
            model.save(path)
            out = os.path.join(args.out, f"{name}.json")
            extra = ["--da-gen", args.da_gen] if args.da_gen else ["--da-gen", "/nonexistent/da-gen"]
            rc = cli.main([path, "-o", out, "--name", name, "--check", str(args.check), *extra])
            if rc != 0:
                return rc
        write_vectors(out, os.path.join(args.out, f"{name}.vectors.json"))
        print(f"{name}: wrote {out} and {name}.vectors.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
