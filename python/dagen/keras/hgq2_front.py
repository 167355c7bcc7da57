"""HGQ2 (package `hgq2`, module `hgq`, Keras 3) front end.

Semantics, read from hgq2 0.2.0 / quantizers 1.2.2 (see docs/exporter.md):
  * a fixed-point quantizer has per-element k (keep_negative, 0/1), i (integer bits,
    EXCLUDING the sign bit) and f (fractional bits); KBI quantizers carry b and i, f = b - i.
  * inference: x -> round(x * 2**f) / 2**f, then overflow:
        WRAP:     (x + k*2**(i+k-1)) mod 2**(i+k) - k*2**(i+k-1)   (two's complement wrap)
        SAT:      clip to [-k*2**i, 2**i - 2**-f]
        SAT_SYM:  clip to [-k*(2**i - 2**-f), 2**i - 2**-f]
    (for SAT/SAT_SYM hgq clips before rounding; with a monotone rounding that keeps grid
    points this equals round-then-clip), and elements with k + i + f <= 0 output 0.
  * rounding TRN = floor, RND = floor(x + 1/2) (ties up), RND_CONV = half to even.
So an hgq (k, i, f) is model.json {signed: k, int_bits: i, frac_bits: f} with the same
rounding/overflow name; width-0 elements get the constant-zero type.
"""
from __future__ import annotations

import re

import numpy as np

from . import _deps
from .builder import ModelBuilder
from .fxp import ExportError, ZERO_TYPE, make_type


def _np(t):
    from keras import ops

    return np.asarray(ops.convert_to_numpy(t))


def quantizer_types(q, n, what):
    """Per-element model.json types (C order) and (rounding, overflow) of an hgq Quantizer layer for
    an input of n elements (1-D) or of shape n (a tuple without the batch axis)."""
    from keras import ops

    cfg = q.config
    q_type = getattr(q, "q_type", None) or cfg.get("q_type")
    if q_type not in ("kif", "kbi"):
        raise ExportError(f"{what}: quantizer type '{q_type}' is not fixed-point (only kif/kbi are supported)")
    if getattr(q, "scaler", None) is not None or getattr(q, "affine", None) is not None:
        raise ExportError(f"{what}: quantizers with scaler/affine are not supported")
    inner = q.quantizer
    rnd = inner.round_mode.upper()
    ovf = inner.overflow_mode.upper()
    if rnd.startswith("S_"):
        rnd = rnd[2:]  # stochastic rounding only differs in training
    rmap = {"TRN": "TRN", "RND": "RND", "RND_CONV": "RNE"}
    if rnd not in rmap:
        raise ExportError(f"{what}: rounding mode {inner.round_mode} has no model.json equivalent")
    if ovf not in ("WRAP", "SAT", "SAT_SYM"):
        raise ExportError(f"{what}: overflow mode {inner.overflow_mode} has no model.json equivalent")
    k, i, f = inner.kif
    shape = (1, n) if isinstance(n, int) else (1, *[int(d) for d in n])
    k = _np(inner.bw_mapper.bw_to_x(ops.cast(k, "float32"), shape)).reshape(-1)
    i = _np(inner.bw_mapper.bw_to_x(i, shape)).reshape(-1)
    f = _np(inner.bw_mapper.bw_to_x(f, shape)).reshape(-1)
    types = []
    for kk, ii, ff in zip(k, i, f):
        if not (float(kk).is_integer() and float(ii).is_integer() and float(ff).is_integer()):
            raise ExportError(f"{what}: non-integer bit counts k={kk} i={ii} f={ff}")
        kk, ii, ff = int(kk), int(ii), int(ff)
        if kk + ii + ff <= 0:
            types.append(dict(ZERO_TYPE))
        else:
            # hgq clamps i to >= -f inside the quantizer; with k+i+f > 0 that is a no-op
            types.append(make_type(kk, max(ii, -ff), ff))
    return types, rmap[rnd], ovf


_EQ = re.compile(r"^([a-zA-Z.]*?)([a-zA-Z]),([a-zA-Z])([a-zA-Z])->([a-zA-Z.]*?)([a-zA-Z])$")


def _check_equation(layer):
    eq = layer.equation.replace(" ", "")
    m = _EQ.match(eq)
    ok = bool(m) and m.group(2) == m.group(3) and m.group(4) == m.group(6) and m.group(1) == m.group(5)
    if not ok:
        raise ExportError(f"layer '{layer.name}' ({type(layer).__name__}): einsum equation '{layer.equation}' "
                          "is not a dense contraction of the last axis (e.g. 'bc,cC->bC')")


def _activation(b, layer):
    act = getattr(layer, "activation", None)
    name = getattr(act, "__name__", None) if act is not None else None
    if act is None or name == "linear":
        return
    if name == "relu":
        b.add_relu()
        return
    raise ExportError(f"layer '{layer.name}' ({type(layer).__name__}): activation '{name}' is not supported (relu, linear)")


def _output_quantizer(b, layer):
    if getattr(layer, "enable_oq", False):
        types, r, o = quantizer_types(layer.oq, b.current_size(), f"layer '{layer.name}' output quantizer")
        b.add_quantize(types, r, o, name=f"{layer.name}_oq")


def _check_1d(layer, shape):
    if len(shape) != 2:
        raise ExportError(f"layer '{layer.name}' ({type(layer).__name__}): input shape {tuple(shape)} is not (batch, n); only flat vectors are supported")


def layer_chain(model):
    """The layers of a single-path model, in order; errors on branching graphs."""
    import keras

    layers = list(model.layers)
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ExportError("only single-input, single-output models are supported")
    if not isinstance(model, keras.Sequential):
        prev = model.inputs[0]
        for l in layers:
            if isinstance(l, keras.layers.InputLayer):
                continue
            try:
                inp = l.input
            except Exception:
                raise ExportError(f"layer '{l.name}' ({type(l).__name__}): shared or multi-input layers are not supported")
            if inp is not prev:
                raise ExportError(f"layer '{l.name}' ({type(l).__name__}): the model is not a single chain of layers")
            prev = l.output
    return layers


def export(model, name, input_type=None):
    """model.json version 1 when the model is a plain dense chain on a flat input (byte-identical to
    what this exporter always wrote), else version 2 (a GraphBuilder)."""
    _deps.require("hgq2")
    try:
        return export_v1(model, name)
    except ExportError:
        from .hgq2_graph import export_v2

        return export_v2(model, name, input_type)


def export_v1(model, name):
    import keras
    from hgq.layers import QBatchNormDense, QDense, QEinsumDense
    from hgq.quantizer import Quantizer

    b = ModelBuilder(name)
    in_shape = model.inputs[0].shape
    if len(in_shape) != 2:
        raise ExportError(f"model input shape {tuple(in_shape)} is not (batch, n); only flat vectors are supported")
    b.set_input(in_shape[1])
    for layer in layer_chain(model):
        t = type(layer).__name__
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, (QDense, QEinsumDense)):
            _check_1d(layer, layer.input.shape if not isinstance(model, keras.Sequential) else (None, b.current_size()))
            if isinstance(layer, QEinsumDense):
                _check_equation(layer)
            if layer.enable_iq:
                types, r, o = quantizer_types(layer.iq, b.current_size(), f"layer '{layer.name}' input quantizer")
                b.add_quantize(types, r, o, name=f"{layer.name}_iq")
            kernel = _np(layer.qkernel).astype(np.float64)
            bias = _np(layer.qbias).astype(np.float64) if getattr(layer, "bias", None) is not None else None
            if kernel.ndim != 2:
                raise ExportError(f"layer '{layer.name}' ({t}): kernel shape {kernel.shape} is not 2-D")
            if bias is not None:
                bias = np.broadcast_to(bias.reshape(-1) if bias.size == kernel.shape[1] else bias, (kernel.shape[1],))
            b.add_dense(layer.name, kernel, bias)
            _activation(b, layer)
            _output_quantizer(b, layer)
        elif isinstance(layer, Quantizer):
            types, r, o = quantizer_types(layer, b.current_size(), f"quantizer layer '{layer.name}'")
            b.add_quantize(types, r, o, name=layer.name)
        elif isinstance(layer, keras.layers.ReLU) and not _plain_relu(layer):
            raise ExportError(f"layer '{layer.name}' (ReLU): max_value/negative_slope/threshold are not supported")
        elif isinstance(layer, keras.layers.ReLU) or (isinstance(layer, keras.layers.Activation)
                                                       and getattr(layer.activation, "__name__", "") in ("relu", "linear")):
            if getattr(getattr(layer, "activation", None), "__name__", "relu") == "relu":
                b.add_relu(layer.name)
        elif isinstance(layer, (keras.layers.Dropout,)):
            continue
        else:
            raise ExportError(f"unsupported layer '{layer.name}' of type {t}")
        if isinstance(layer, QBatchNormDense):
            pass  # qkernel/qbias of QBatchNormDense are already the fused, quantized values
    return b


def _plain_relu(layer):
    return (layer.max_value is None and float(layer.negative_slope) == 0.0 and float(layer.threshold) == 0.0)


def load(path):
    _deps.require("hgq2")  # the JAX backend unless KERAS_BACKEND is set
    import hgq  # noqa: F401  (registers the hgq layers for deserialisation)
    import keras

    return keras.models.load_model(path, compile=False)


def predict_fn(model):
    """x: one array, or a list of arrays (a model with several inputs); returns every output
    flattened per vector and concatenated in the model's output order."""
    from .checker import flatten_outputs

    def f(x):
        xs = [np.asarray(a, dtype=np.float32) for a in (x if isinstance(x, list) else [x])]
        n = len(xs[0])
        out = []
        for s in range(0, n, 4096):
            part = [a[s:s + 4096] for a in xs]
            r = model(part if len(part) > 1 else part[0], training=False)
            r = r if isinstance(r, (list, tuple)) else [r]
            out.append(flatten_outputs([np.asarray(o) for o in r], len(part[0])))
        return np.concatenate(out, axis=0)

    return f
