"""QKeras (Keras 2 / TensorFlow) functional models -> model.json version 2.

Layer semantics as in qkeras_front (docs/exporter.md): quantized_relu / quantized_bits are
relu + quantize with round-half-to-even (lowered exactly by graph.GraphBuilder), weights are
what the layer's kernel/bias quantizers return; every other element-wise activation
(quantized_tanh, quantized_sigmoid, tanh, sigmoid, ...) becomes a `lookup` whose entries are
computed by running the Keras layer on each input value.
"""
from __future__ import annotations

import numpy as np

from .fxp import ExportError, make_type
from .graph import GraphBuilder
from .kgraph import consumers, functional, operations
from .qkeras_front import _val


def _shape(t):
    return [int(d) for d in t.shape[1:]]


def _run(fn):
    import tensorflow as tf

    def f(v):
        return np.asarray(fn(tf.convert_to_tensor(np.asarray(v, dtype=np.float32))), dtype=np.float64)

    return f


def _activation(b, q, t, name, what, run):
    """An activation object (QKeras quantizer or Keras activation) applied to tensor t.
    run: a callable computing it on values (used for lookup tables)."""
    if q is None:
        return t
    cls = type(q).__name__
    shape = b.shapes[t]
    n = b.size(t)
    if cls == "quantized_relu":
        if q.use_sigmoid or _val(q.negative_slope) != 0.0 or (q.relu_upper_bound is not None and not q.is_quantized_clip) \
                or _val(q.qnoise_factor) != 1.0:
            return b.lookup(t, _run(run), None, name, what)
        bits, integer = int(_val(q.bits)), int(_val(q.integer))
        if bits <= 0:
            raise ExportError(f"{what}: quantized_relu with {bits} bits is not supported")
        r = b.relu(t, f"{name}_relu")
        return b.quantize(r, [make_type(False, integer, bits - integer)] * n, "RNE", "SAT", name)
    if cls == "quantized_bits":
        alpha = q.alpha
        if (alpha is not None and (isinstance(alpha, str) or _val(alpha) != 1.0)) or _val(q.qnoise_factor) != 1.0:
            raise ExportError(f"{what}: quantized_bits with alpha={alpha!r} is not supported for activations (alpha=1)")
        bits, integer, kn = int(_val(q.bits)), int(_val(q.integer)), int(_val(q.keep_negative))
        if bits - kn <= 0:
            raise ExportError(f"{what}: quantized_bits with {bits} bit(s) (sign-only) is not supported")
        return b.quantize(t, [make_type(kn, integer, bits - kn - integer)] * n, "RNE",
                          "SAT_SYM" if q.symmetric and kn else "SAT", name)
    nm = getattr(q, "__name__", None) or cls
    if nm == "linear":
        return t
    if nm == "relu":
        return b.relu(t, name)
    if nm in ("softmax", "log_softmax"):
        raise ExportError(f"{what}: activation '{nm}' is not element-wise; not supported")
    del shape
    return b.lookup(t, _run(run), None, name, what)


def _bn_params(bn):
    """(inv, res) as tf.nn.batch_normalization computes them: y = x * inv + res."""
    import tensorflow as tf

    mean = tf.cast(bn.moving_mean, tf.float32)
    var = tf.cast(bn.moving_variance, tf.float32)
    inv = tf.math.rsqrt(var + bn.epsilon)
    if bn.scale:
        inv = inv * bn.gamma
    res = -mean * inv
    if bn.center:
        res = bn.beta + res
    return inv.numpy().astype(np.float64), res.numpy().astype(np.float64)


def export_v2(model, name, input_type=None):
    import tensorflow as tf
    from qkeras import QActivation, QConv1D, QConv2D, QDense

    from .hgq2_graph import _fold_or_scale

    L = tf.keras.layers
    model = functional(model)
    b = GraphBuilder(name, input_type)
    env = {}
    for k, inp in enumerate(model.inputs):
        nm = model.input_names[k] if hasattr(model, "input_names") else f"x{k}"
        env[id(inp)] = b.add_input(nm, _shape(inp))
    steps = operations(model)
    users = consumers(steps)
    for op, ins, outs in steps:
        t = type(op).__name__
        lname = op.name
        if len(outs) != 1:
            raise ExportError(f"layer '{lname}' ({t}) has {len(outs)} outputs; not supported")
        xs = [env[id(x)] for x in ins]
        oshape = _shape(outs[0])
        x0 = xs[0]
        if isinstance(op, (QDense, L.Dense, QConv1D, QConv2D, L.Conv1D, L.Conv2D)):
            if isinstance(op, (QDense, QConv1D, QConv2D)) and op.kernel_quantizer:
                W = np.asarray(op.kernel_quantizer_internal(op.kernel).numpy(), dtype=np.float64)
            else:
                W = np.asarray(op.kernel.numpy(), dtype=np.float64)
            bias = None
            if op.use_bias:
                if isinstance(op, (QDense, QConv1D, QConv2D)) and op.bias_quantizer:
                    bias = np.asarray(op.bias_quantizer_internal(op.bias).numpy(), dtype=np.float64)
                else:
                    bias = np.asarray(op.bias.numpy(), dtype=np.float64)
            if isinstance(op, (QDense, L.Dense)):
                y = b.dense(x0, W, bias, lname)
            else:
                if op.data_format != "channels_last" or getattr(op, "groups", 1) != 1:
                    raise ExportError(f"layer '{lname}' ({t}): only channels_last, ungrouped convolutions")
                if op.padding not in ("valid", "same"):
                    raise ExportError(f"layer '{lname}' ({t}): padding '{op.padding}' is not supported")
                y = b.conv(x0, W, bias, op.strides, op.dilation_rate, op.padding, lname)
            act = op.activation
            if act is not None and (getattr(act, "__name__", type(act).__name__) != "linear"):
                y = _activation(b, act, y, f"{lname}_act", f"layer '{lname}' activation", act)
        elif isinstance(op, QActivation):
            y = _activation(b, op.quantizer, x0, lname, f"layer '{lname}' ({t})", op)
        elif isinstance(op, L.Activation):
            y = _activation(b, op.activation, x0, lname, f"layer '{lname}' ({t})", op)
        elif isinstance(op, L.ReLU):
            if op.max_value is None and _val(op.negative_slope) == 0 and _val(op.threshold) == 0:
                y = b.relu(x0, lname)
            else:
                y = b.lookup(x0, _run(op), None, lname, f"layer '{lname}' ({t})")
        elif isinstance(op, (L.LeakyReLU, L.ELU)):
            y = b.lookup(x0, _run(op), None, lname, f"layer '{lname}' ({t})")
        elif isinstance(op, L.BatchNormalization):
            axis = op.axis[0] if isinstance(op.axis, (list, tuple)) else op.axis
            if len(op.axis if isinstance(op.axis, (list, tuple)) else [axis]) != 1 or axis not in (-1, len(b.shapes[x0])):
                raise ExportError(f"layer '{lname}' ({t}): only the last axis is supported")
            inv, res = _bn_params(op)
            y = _fold_or_scale(b, op, x0, inv, res, users.get(id(ins[0]), 0))
        elif isinstance(op, (L.MaxPooling1D, L.MaxPooling2D, L.AveragePooling1D, L.AveragePooling2D)):
            if t.startswith("Q"):
                raise ExportError(f"unsupported layer '{lname}' of type {t}")
            if op.data_format != "channels_last":
                raise ExportError(f"layer '{lname}' ({t}): only channels_last is supported")
            kind = "max" if isinstance(op, (L.MaxPooling1D, L.MaxPooling2D)) else "avg"
            y = b.pool(x0, kind, op.pool_size, op.strides, op.padding, lname)
        elif isinstance(op, (L.GlobalMaxPooling1D, L.GlobalMaxPooling2D, L.GlobalAveragePooling1D,
                             L.GlobalAveragePooling2D)):
            if t.startswith("Q"):
                raise ExportError(f"unsupported layer '{lname}' of type {t}")
            kind = "max" if isinstance(op, (L.GlobalMaxPooling1D, L.GlobalMaxPooling2D)) else "avg"
            y = b.global_pool(x0, kind, lname)
            if getattr(op, "keepdims", False):
                y = b.reshape(y, oshape, f"{lname}_keepdims")
        elif isinstance(op, (L.Flatten, L.Reshape)):
            y = b.reshape(x0, oshape, lname)
        elif isinstance(op, L.Permute):
            y = b.transpose(x0, [d - 1 for d in op.dims], lname)
        elif isinstance(op, (L.Add, L.Subtract, L.Maximum, L.Minimum)):
            if any(b.shapes[x] != b.shapes[x0] for x in xs):
                raise ExportError(f"layer '{lname}' ({t}): inputs of different shapes (broadcasting) are not supported")
            kind = {L.Add: "add", L.Subtract: "sub", L.Maximum: "max", L.Minimum: "min"}
            y = b.merge(next(v for k, v in kind.items() if isinstance(op, k)), xs, lname)
        elif isinstance(op, L.Concatenate):
            y = b.concat(xs, op.axis - 1 if op.axis > 0 else op.axis, lname)
        elif isinstance(op, L.Dropout):
            y = x0
        elif t == "TFOpLambda" and op.symbol == "math.argmax":
            kw = op._inbound_nodes[0].call_kwargs
            if kw.get("axis", 0) not in (-1, len(b.shapes[x0])):
                raise ExportError(f"layer '{lname}' (tf.math.argmax): only the last axis is supported")
            y = b.argmax(x0, lname)
        else:
            raise ExportError(f"unsupported layer '{lname}' of type {t}")
        if b.shapes[y] != oshape:
            raise ExportError(f"layer '{lname}' ({t}): exported shape {b.shapes[y]} differs from Keras' {oshape}")
        env[id(outs[0])] = y
    b.set_outputs([env[id(t)] for t in model.outputs])
    return b
