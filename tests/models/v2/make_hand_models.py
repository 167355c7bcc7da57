#!/usr/bin/env python3
"""Writes the hand-made version 2 test models of this directory (deterministic).

Each exercises ops the Keras-exported models may not: stride-2 `same` 1-D
convolution, dilation, a residual sum folded into one CMVM, a particle mixer,
a tanh table with an argmax output, two inputs and outputs.  Usage:
PYTHONPATH=python python3 tests/models/v2/make_hand_models.py (rewrites the hand_*.json
files here and their exact refsim vectors, hand_*.vectors.json; needs numpy and the package
dagen, installed or on PYTHONPATH).
"""
import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def t(signed, i, f):
    return {"signed": signed, "int_bits": i, "frac_bits": f}


def weights(rng, *shape, zero=0.4):
    if not shape:
        return 0 if rng.random() < zero else rng.choice([-1, 1]) * rng.randint(1, 12) / 8
    return [weights(rng, *shape[1:], zero=zero) for _ in range(shape[0])]


def write(name, model):
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")


def conv1d_same_stride2(rng):
    return {"version": 2, "name": "conv1d_same_stride2",
            "inputs": [{"name": "wave", "shape": [12, 2], "type": t(True, 2, 2)}],
            "nodes": [
                {"op": "conv1d", "name": "c1", "input": "wave", "kernel": weights(rng, 3, 2, 4),
                 "bias": weights(rng, 4), "strides": 2, "padding": "same"},
                {"op": "relu", "name": "r1", "input": "c1"},
                {"op": "quantize", "name": "q1", "input": "r1", "to": t(False, 3, 2),
                 "rounding": "RND", "overflow": "SAT"},
                {"op": "conv1d", "name": "c2", "input": "q1", "kernel": weights(rng, 2, 4, 3),
                 "dilation": 2},
                {"op": "quantize", "name": "q2", "input": "c2", "to": t(True, 3, 1),
                 "overflow": "SAT"},
                {"op": "max_pool1d", "name": "p", "input": "q2", "pool": 2, "padding": "same"},
                {"op": "global_avg_pool", "name": "g", "input": "p"}]}


def residual_mlp(rng):
    return {"version": 2, "name": "residual_mlp",
            "inputs": [{"name": "x", "shape": [8], "type": t(True, 1, 3)}],
            "nodes": [
                {"op": "dense", "name": "d1", "input": "x", "weights": weights(rng, 8, 8),
                 "bias": weights(rng, 8)},
                {"op": "relu", "name": "r1", "input": "d1"},
                {"op": "quantize", "name": "q1", "input": "r1", "to": t(False, 2, 3),
                 "overflow": "SAT"},
                {"op": "dense", "name": "d2", "input": "q1", "weights": weights(rng, 8, 8)},
                {"op": "scale", "name": "bn", "input": "d2",
                 "factor": [rng.choice([0.5, 0.75, 1.25, 1.5]) for _ in range(8)], "bias": 0.125},
                {"op": "add", "name": "res", "inputs": ["bn", "x"]},
                {"op": "quantize", "name": "q2", "input": "res", "to": t(True, 2, 3),
                 "rounding": "RND", "overflow": "SAT"},
                {"op": "dense", "name": "out", "input": "q2", "weights": weights(rng, 8, 3)}]}


def particle_mixer(rng):
    n, c = 6, 4
    return {"version": 2, "name": "particle_mixer",
            "inputs": [{"name": "particles", "shape": [n, c], "type": t(True, 2, 2)}],
            "nodes": [
                {"op": "dense", "name": "feat", "input": "particles", "weights": weights(rng, c, 5),
                 "bias": weights(rng, 5)},
                {"op": "relu", "name": "fr", "input": "feat"},
                {"op": "quantize", "name": "fq", "input": "fr", "to": t(False, 3, 1),
                 "overflow": "SAT"},
                {"op": "transpose", "name": "tr", "input": "fq", "perm": [1, 0]},
                {"op": "dense", "name": "mix", "input": "tr", "weights": weights(rng, n, n)},
                {"op": "quantize", "name": "mq", "input": "mix", "to": t(True, 3, 1),
                 "overflow": "SAT"},
                {"op": "sum", "name": "pool", "input": "mq", "axes": [-1]},
                {"op": "dense", "name": "logits", "input": "pool", "weights": weights(rng, 5, 3)}]}


def tanh_argmax(rng):
    domain = t(True, 2, 2)  # codes -16 .. 15: values -4 .. 3.75
    table = [round(math.tanh(code / 4) * 8) / 8 for code in range(-16, 16)]
    return {"version": 2, "name": "tanh_argmax",
            "inputs": [{"name": "x", "shape": [6], "type": t(False, 2, 2)}],
            "outputs": ["cls", "act"],
            "nodes": [
                {"op": "dense", "name": "d1", "input": "x", "weights": weights(rng, 6, 5),
                 "bias": weights(rng, 5)},
                {"op": "quantize", "name": "q1", "input": "d1", "to": domain, "overflow": "SAT"},
                {"op": "lookup", "name": "act", "input": "q1", "domain": domain, "table": table,
                 "to": t(True, 1, 3)},
                {"op": "dense", "name": "d2", "input": "act", "weights": weights(rng, 5, 4, zero=0.2)},
                {"op": "argmax", "name": "cls", "input": "d2"}]}


def two_inputs(rng):
    return {"version": 2, "name": "two_inputs",
            "inputs": [{"name": "a", "shape": [2, 3], "type": t(True, 2, 1)},
                       {"name": "b", "shape": [2, 3], "type": [t(False, 2, 2), t(True, 1, 2), t(False, 0, 3)] * 2}],
            "outputs": ["m", "cat"],
            "nodes": [
                {"op": "sub", "name": "diff", "inputs": ["a", "b"]},
                {"op": "max", "name": "m", "inputs": ["a", "b", "diff"]},
                {"op": "min", "name": "lo", "inputs": ["a", "b"]},
                {"op": "concat", "name": "cat", "inputs": ["lo", "a"], "axis": 0},
                ]}


def cnn2d(rng):
    return {"version": 2, "name": "cnn2d",
            "inputs": [{"name": "img", "shape": [6, 6, 1], "type": t(False, 2, 1)}],
            "nodes": [
                {"op": "conv2d", "name": "c1", "input": "img", "kernel": weights(rng, 3, 3, 1, 3),
                 "bias": weights(rng, 3), "padding": "same"},
                {"op": "relu", "name": "r1", "input": "c1"},
                {"op": "quantize", "name": "q1", "input": "r1", "to": t(False, 3, 1),
                 "rounding": "RND", "overflow": "SAT"},
                {"op": "max_pool2d", "name": "p1", "input": "q1", "pool": [2, 2]},
                {"op": "flatten", "name": "f", "input": "p1"},
                {"op": "dense", "name": "d", "input": "f", "weights": weights(rng, 27, 4),
                 "bias": weights(rng, 4)},
                {"op": "argmax", "name": "cls", "input": "d"}]}


if __name__ == "__main__":
    from dagen.keras.vectors import write_vectors  # exact outputs of python/dagen/keras/refsim.py

    for k, make in enumerate([conv1d_same_stride2, residual_mlp, particle_mixer, tanh_argmax,
                              two_inputs, cnn2d]):
        model = make(random.Random(1000 + k))
        name = "hand_" + model["name"]
        write(name, model)
        write_vectors(os.path.join(HERE, name + ".json"), os.path.join(HERE, name + ".vectors.json"))
