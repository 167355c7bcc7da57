"""QKeras (Keras 2 / TensorFlow 2.x) front end.

Semantics, read from qkeras 0.9.0 quantizers.py (see docs/exporter.md):
  * quantized_bits(bits, integer, keep_negative=1, symmetric=0, alpha=1|None):
        xq = 2**integer * clip(round(x * 2**(bits-keep_negative-integer)),
                               -keep_negative*(2**(bits-keep_negative) - symmetric),
                               2**(bits-keep_negative) - 1) / 2**(bits-keep_negative)
    -> {signed: keep_negative, int_bits: integer, frac_bits: bits-keep_negative-integer},
       overflow SAT (SAT_SYM when symmetric), rounding = tf.round = half to EVEN.
  * quantized_relu(bits, integer): xq = 2**integer * clip(round(x * 2**(bits-integer)) / 2**bits,
        0, 1 - 2**-bits) -> relu, then {unsigned, integer, bits-integer}, SAT, half to even.
  * round-half-to-even is not a model.json v1 rounding mode: the builder lowers it to an
    exact parity-bit layer sequence (builder._lower_rne).
  * kernels/biases: whatever the layer's kernel/bias quantizer returns (any alpha/po2 scale)
    as long as it is an exact binary fraction; unquantized weights must already be exact.
  * BatchNormalization right after a dense layer is folded into it when the folded weights
    are exact binary fractions (otherwise: a clear error).
"""
from __future__ import annotations

import numpy as np

from . import _deps
from .builder import ModelBuilder
from .fxp import ExportError, make_type


def _val(v):
    try:
        return float(np.asarray(v.numpy() if hasattr(v, "numpy") else v))
    except Exception:
        return float(v)


def quantizer_layers(b, q, what):
    """Emit the layers for an activation quantizer object (or keras activation)."""
    cls = type(q).__name__
    if cls == "quantized_relu":
        if q.use_sigmoid or _val(q.negative_slope) != 0.0:
            raise ExportError(f"{what}: quantized_relu with use_sigmoid/negative_slope is not supported")
        if q.relu_upper_bound is not None and not q.is_quantized_clip:
            raise ExportError(f"{what}: quantized_relu with relu_upper_bound is not supported")
        if _val(q.qnoise_factor) != 1.0:
            raise ExportError(f"{what}: qnoise_factor != 1 is not supported")
        bits, integer = int(_val(q.bits)), int(_val(q.integer))
        if bits <= 0:
            raise ExportError(f"{what}: quantized_relu with {bits} bits is not supported")
        n = b.current_size()
        b.add_relu()
        b.add_quantize([make_type(False, integer, bits - integer)] * n, "RNE", "SAT", name=what_name(what))
        return
    if cls == "quantized_bits":
        alpha = q.alpha
        if alpha is not None and (isinstance(alpha, str) or _val(alpha) != 1.0):
            raise ExportError(f"{what}: quantized_bits with alpha={alpha!r} is not supported for activations (use alpha=1)")
        if _val(q.qnoise_factor) != 1.0:
            raise ExportError(f"{what}: qnoise_factor != 1 is not supported")
        bits, integer, kn = int(_val(q.bits)), int(_val(q.integer)), int(_val(q.keep_negative))
        if bits - kn <= 0:
            raise ExportError(f"{what}: quantized_bits with {bits} bit(s) (sign-only) is not supported")
        n = b.current_size()
        b.add_quantize([make_type(kn, integer, bits - kn - integer)] * n, "RNE",
                       "SAT_SYM" if q.symmetric and kn else "SAT", name=what_name(what))
        return
    name = getattr(q, "__name__", None) or cls
    if name == "relu":
        b.add_relu()
        return
    if name == "linear":
        return
    raise ExportError(f"{what}: activation/quantizer '{name}' is not supported "
                      "(quantized_relu, quantized_bits, relu, linear)")


def what_name(what):
    return what.split("'")[1] if "'" in what else None


def export(model, name, input_type=None):
    """model.json version 1 for a plain dense chain on a flat input (as always), else version 2."""
    _deps.require("qkeras")
    try:
        return export_v1(model, name)
    except ExportError:
        from .qkeras_graph import export_v2

        return export_v2(model, name, input_type)


def export_v1(model, name):
    import tensorflow as tf

    keras = tf.keras
    from qkeras import QActivation, QDense

    b = ModelBuilder(name)
    in_shape = model.inputs[0].shape
    if len(in_shape) != 2:
        raise ExportError(f"model input shape {tuple(in_shape)} is not (batch, n); only flat vectors are supported")
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ExportError("only single-input, single-output models are supported")
    b.set_input(int(in_shape[1]))
    layers = [l for l in model.layers if not isinstance(l, keras.layers.InputLayer)]
    if not isinstance(model, keras.Sequential):
        prev = model.inputs[0]
        for l in layers:
            if len(l._inbound_nodes) != 1 or l.input is not prev:
                raise ExportError(f"layer '{l.name}' ({type(l).__name__}): the model is not a single chain of layers")
            prev = l.output
    last_dense = None  # index in b.layers of the dense a BatchNormalization may fold into
    for layer in layers:
        t = type(layer).__name__
        if isinstance(layer, (QDense, keras.layers.Dense)):
            if isinstance(layer, QDense) and layer.kernel_quantizer:
                W = np.asarray(layer.kernel_quantizer_internal(layer.kernel).numpy(), dtype=np.float64)
            else:
                W = np.asarray(layer.kernel.numpy(), dtype=np.float64)
            bias = None
            if layer.use_bias:
                if isinstance(layer, QDense) and layer.bias_quantizer:
                    bias = np.asarray(layer.bias_quantizer_internal(layer.bias).numpy(), dtype=np.float64)
                else:
                    bias = np.asarray(layer.bias.numpy(), dtype=np.float64)
            b.add_dense(layer.name, W, bias)
            last_dense = len(b.layers) - 1
            act = layer.activation
            if act is not None:
                # the BN fold is only valid right after the linear part
                if getattr(act, "__name__", type(act).__name__) != "linear":
                    last_dense = None
                quantizer_layers(b, act, f"layer '{layer.name}' activation")
        elif isinstance(layer, QActivation):
            quantizer_layers(b, layer.quantizer, f"layer '{layer.name}' ({t})")
            last_dense = None
        elif isinstance(layer, keras.layers.Activation):
            quantizer_layers(b, layer.activation, f"layer '{layer.name}' ({t})")
            last_dense = None
        elif isinstance(layer, keras.layers.ReLU):
            if layer.max_value is not None or _val(layer.negative_slope) != 0 or _val(layer.threshold) != 0:
                raise ExportError(f"layer '{layer.name}' (ReLU): max_value/negative_slope/threshold are not supported")
            b.add_relu(layer.name)
            last_dense = None
        elif isinstance(layer, keras.layers.BatchNormalization):
            if last_dense is None or last_dense != len(b.layers) - 1:
                raise ExportError(f"layer '{layer.name}' (BatchNormalization): can only be folded into an immediately "
                                  "preceding dense layer without activation")
            _fold_bn(b.layers[last_dense], layer)
            last_dense = None
        elif isinstance(layer, (keras.layers.Dropout, keras.layers.Flatten)):
            continue
        else:
            raise ExportError(f"unsupported layer '{layer.name}' of type {t}")
    return b


def _fold_bn(dense, bn):
    """y = gamma*(x-mean)/sqrt(var+eps)+beta folded into the dense: W*s, (b-mean)*s+beta, computed
    in float32 like Keras; accepted only if exact (the check then confirms Keras agrees)."""
    f32 = np.float32
    gamma = bn.gamma.numpy() if bn.scale else np.ones(bn.moving_mean.shape, f32)
    beta = bn.beta.numpy() if bn.center else np.zeros(bn.moving_mean.shape, f32)
    s = (gamma / np.sqrt(bn.moving_variance.numpy() + f32(bn.epsilon))).astype(f32)
    W = np.asarray(dense["weights"], dtype=np.float64)
    bias = np.asarray(dense.get("bias", np.zeros(W.shape[1])), dtype=np.float64)
    Wf = W * s.astype(np.float64)
    bf = (bias - bn.moving_mean.numpy().astype(np.float64)) * s.astype(np.float64) + beta.astype(np.float64)
    from .fxp import check_dyadic

    try:
        check_dyadic(Wf, "folded")
        check_dyadic(bf, "folded")
    except ExportError:
        raise ExportError(f"layer '{bn.name}' (BatchNormalization): folding into '{dense['name']}' gives weights that are "
                          "not exact binary fractions; quantize after the batch norm or train with a folded layer")
    dense["weights"] = Wf.tolist()
    dense["bias"] = bf.tolist()


def load(path):
    _deps.require("qkeras")
    import tensorflow as tf
    from qkeras.utils import _add_supported_quantized_objects

    co = {}
    _add_supported_quantized_objects(co)
    return tf.keras.models.load_model(path, custom_objects=co, compile=False)


def predict_fn(model):
    """x: one array or a list of arrays (several inputs); outputs flattened and concatenated."""
    from .checker import flatten_outputs

    def f(x):
        xs = [np.asarray(a, dtype=np.float32) for a in (x if isinstance(x, list) else [x])]
        out = model.predict(xs if len(xs) > 1 else xs[0], batch_size=4096, verbose=0)
        return flatten_outputs(out if isinstance(out, list) else [out], len(xs[0]))

    return f
