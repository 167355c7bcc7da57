#!/usr/bin/env python3
"""Train the classic 4-layer QKeras MLP (32 -> 64 -> 32 -> 32 -> 10) on a generated dataset,
save it, and export it to model.json with dagen-export (dagen.keras; exact check included).
Needs the package with its qkeras extra (pip install ".[qkeras]").

    python tools/examples/qkeras_mlp.py            # ~1 minute on 2 cores

Network: input quantizer quantized_bits(8,3,alpha=1) (s3.4), then three
QDense(kernel quantized_bits(8,0,alpha=1), bias quantized_bits(8,3,alpha=1)) +
QActivation(quantized_relu(8,3)) blocks of 64, 32, 32 units and a final QDense(10) with the
same weight quantizers and a linear output.  Data: 10 Gaussian classes in 32 dimensions
(fixed seed, nothing downloaded).
"""
from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REPO = os.path.dirname(os.path.dirname(HERE))


def make_data(n, seed):
    import numpy as np

    centers = np.random.default_rng(1234).normal(0.0, 1.0, size=(10, 32))  # the same classes for every split
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, size=n)
    x = centers[y] + rng.normal(0.0, 1.5, size=(n, 32))
    return x.astype("float32"), y


def build_model():
    import tensorflow as tf
    from qkeras import QActivation, QDense, quantized_bits, quantized_relu

    kq = quantized_bits(8, 0, alpha=1)
    bq = quantized_bits(8, 3, alpha=1)
    inp = tf.keras.Input(shape=(32,), name="input")
    x = QActivation(quantized_bits(8, 3, alpha=1), name="input_q")(inp)
    for i, units in enumerate((64, 32, 32), start=1):
        x = QDense(units, kernel_quantizer=kq, bias_quantizer=bq, name=f"fc{i}")(x)
        x = QActivation(quantized_relu(8, 3), name=f"relu{i}")(x)
    out = QDense(10, kernel_quantizer=kq, bias_quantizer=bq, name="output")(x)
    return tf.keras.Model(inp, out, name="qkeras_mlp")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--samples", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save", default=os.path.join(REPO, "models", "qkeras_mlp.h5"), help="trained Keras model (.h5)")
    ap.add_argument("--out", default=os.path.join(REPO, "models", "qkeras_mlp.json"), help="exported model.json")
    ap.add_argument("--check", type=int, default=10000)
    args = ap.parse_args(argv)

    import numpy as np
    import tensorflow as tf

    tf.keras.utils.set_random_seed(args.seed)
    x, y = make_data(args.samples, args.seed)
    xt, yt = make_data(4000, args.seed + 100)
    model = build_model()
    model.compile(optimizer=tf.keras.optimizers.Adam(3e-3),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(x, y, epochs=args.epochs, batch_size=128, verbose=2)
    _, acc = model.evaluate(xt, yt, verbose=0)
    print(f"test accuracy on generated data: {acc:.4f}")
    os.makedirs(os.path.dirname(os.path.abspath(args.save)), exist_ok=True)
    model.save(args.save)
    print(f"saved {args.save}")

    from dagen.keras import cli

    return cli.main([args.save, "-o", args.out, "--name", "qkeras_mlp", "--check", str(args.check)])


if __name__ == "__main__":
    sys.exit(main())
