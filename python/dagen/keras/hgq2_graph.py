"""HGQ2 / Keras 3 functional models -> model.json version 2 (docs/exporter.md, "Version 2").

Every HGQ2 layer is  input quantizer (iq, if enabled) -> its operation -> activation ->
output quantizer (oq, if enabled); plain Keras layers have only the operation.  Element-wise
activations other than ReLU become `lookup` tables whose entries are computed by running the
Keras layer itself on every input value.
"""
from __future__ import annotations

import re

import numpy as np

from .fxp import ExportError
from .graph import GraphBuilder
from .hgq2_front import _np, _plain_relu, quantizer_types
from .kgraph import consumers, functional, operations


def _shape(t):
    return [int(d) for d in t.shape[1:]]


def _act_name(act):
    if act is None:
        return "linear"
    return getattr(act, "__name__", None) or type(act).__name__


class _Ctx:
    def __init__(self, b, model):
        self.b = b
        self.model = model


def _iq(b, layer, t):
    if getattr(layer, "enable_iq", False):
        types, r, o = quantizer_types(layer.iq, tuple(b.shapes[t]), f"layer '{layer.name}' input quantizer")
        return b.quantize(t, types, r, o, name=f"{layer.name}_iq")
    return t


def _oq_types(b, layer, t):
    if getattr(layer, "enable_oq", False):
        return quantizer_types(layer.oq, tuple(b.shapes[t]), f"layer '{layer.name}' output quantizer")
    return None


def _oq(b, layer, t):
    q = _oq_types(b, layer, t)
    if q is None:
        return t
    types, r, o = q
    return b.quantize(t, types, r, o, name=f"{layer.name}_oq")


def _to_keras(x):
    from keras import ops

    return ops.convert_to_tensor(np.asarray(x, dtype=np.float32))


def _run(fn):
    def f(v):
        return np.asarray(_np(fn(_to_keras(v))), dtype=np.float64)

    return f


def _activation_then_oq(b, layer, t, what=None):
    """The layer's activation (relu: relu; linear: nothing; anything else: a lookup that includes
    the output quantizer), then the output quantizer."""
    act = getattr(layer, "activation", None)
    name = _act_name(act)
    what = what or f"layer '{layer.name}' ({type(layer).__name__}) activation '{name}'"
    if name == "linear":
        return _oq(b, layer, t)
    if name == "relu":
        t = b.relu(t, f"{layer.name}_relu")
        return _oq(b, layer, t)
    if name in ("softmax", "log_softmax"):
        raise ExportError(f"{what}: not an element-wise activation; not supported")
    q = _oq_types(b, layer, t)
    if q is not None:
        oq = layer.oq

        def fn(x):
            return oq(act(x), training=False)

        return b.lookup(t, _run(fn), q[0], f"{layer.name}_{name}", what)
    return b.lookup(t, _run(act), None, f"{layer.name}_{name}", what)


_EQ_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _einsum_dense(b, layer, t, kernel, bias):
    """A single contraction `bI,W->bO` as transpose -> reshape -> dense -> reshape -> transpose."""
    eq = layer.equation.replace(" ", "")
    what = f"layer '{layer.name}' ({type(layer).__name__}): einsum equation '{layer.equation}'"
    m = re.match(r"^([a-zA-Z.]+),([a-zA-Z]+)->([a-zA-Z.]+)$", eq)
    if not m:
        raise ExportError(f"{what} is not of the form INPUT,WEIGHT->OUTPUT")
    I, W, O = m.groups()
    rank = len(b.shapes[t]) + 1
    if "..." in I:
        free = [c for c in _EQ_LETTERS if c not in eq]
        k = rank - (len(I) - 3)
        ell = "".join(free[:k])
        I, O = I.replace("...", ell), O.replace("...", ell)
    if len(I) != rank or "." in O or len(set(I)) != len(I) or len(set(W)) != len(W) or len(set(O)) != len(O):
        raise ExportError(f"{what} is not supported (input rank {rank})")
    batch = I[0]
    if O[0] != batch or batch in W:
        raise ExportError(f"{what}: the first axis must be the batch axis")
    I, O = I[1:], O[1:]
    C = [c for c in I if c in W and c not in O]
    fr = [c for c in I if c not in W]
    N = [c for c in W if c not in I]
    if not C or any(c in W and c in O for c in I) or set(O) != set(fr) | set(N) or set(W) != set(C) | set(N):
        raise ExportError(f"{what} is not one contraction that transpose + dense + reshape express")
    dims = dict(zip(I, b.shapes[t]))
    kernel = np.asarray(kernel, dtype=np.float64)
    dims.update({c: kernel.shape[W.index(c)] for c in N})
    x = b.transpose(t, [I.index(c) for c in fr + C], f"{layer.name}_in_t")
    nC = int(np.prod([dims[c] for c in C]))
    nN = int(np.prod([dims[c] for c in N])) if N else 1
    x = b.reshape(x, [dims[c] for c in fr] + [nC], f"{layer.name}_in_r")
    K = np.transpose(kernel, [W.index(c) for c in C + N]).reshape(nC, nN)
    bvec = None
    if bias is not None:
        out_shape = [dims[c] for c in O]
        full = np.broadcast_to(np.asarray(bias, dtype=np.float64), out_shape)
        full = np.transpose(full, [O.index(c) for c in fr + N]).reshape([dims[c] for c in fr] + [nN])
        first = full.reshape(-1, nN)
        if not np.all(first == first[0]):
            raise ExportError(f"{what}: a bias that varies along the kept input axes is not supported")
        bvec = first[0]
    y = b.dense(x, K, bvec, layer.name)
    y = b.reshape(y, [dims[c] for c in fr] + [dims[c] for c in N], f"{layer.name}_out_r")
    return b.transpose(y, [(fr + N).index(c) for c in O], f"{layer.name}_out_t")


def _bn_params(layer):
    """(inv, res) exactly as Keras 3 computes BatchNormalization at inference: x * inv + res."""
    from keras import ops

    mean = ops.cast(layer.moving_mean, "float32")
    var = ops.cast(layer.moving_variance, "float32")
    inv = ops.rsqrt(var + layer.epsilon)
    if layer.scale:
        inv = inv * ops.cast(layer.gamma, "float32")
    res = -mean * inv
    if layer.center:
        res = res + ops.cast(layer.beta, "float32")
    return _np(inv).astype(np.float64), _np(res).astype(np.float64)


def _fold_or_scale(b, layer, t, inv, res, n_users):
    """y = x * inv + res per channel: folded into the dense/conv that makes x when x has no other
    user and the result is exact; else a `scale` node."""
    prod = b.nodes[-1] if b.nodes else None
    if prod is not None and prod["name"] == t and prod["op"] in ("dense", "conv1d", "conv2d") and n_users == 1:
        key = "weights" if prod["op"] == "dense" else "kernel"
        W = np.asarray(prod[key], dtype=np.float64)
        bias = np.asarray(prod.get("bias", np.zeros(W.shape[-1])), dtype=np.float64)
        W2 = W * inv
        b2 = bias * inv + res
        from fractions import Fraction

        exact = all(Fraction(float(w)) == Fraction(float(a)) * Fraction(float(s))
                    for w, a, s in zip(W2.reshape(-1), W.reshape(-1), np.broadcast_to(inv, W.shape).reshape(-1)))
        exact = exact and all(Fraction(float(v)) == Fraction(float(a)) * Fraction(float(s)) + Fraction(float(r))
                              for v, a, s, r in zip(b2, bias, inv, res))
        from .fxp import check_dyadic

        try:
            check_dyadic(W2, "")
            check_dyadic(b2, "")
        except ExportError:
            exact = False
        if exact:
            prod[key] = W2.tolist()
            if np.any(b2 != 0):
                prod["bias"] = b2.tolist()
            b.notes.append(f"BatchNormalization '{layer.name}' folded into '{t}'")
            return t
    b.notes.append(f"BatchNormalization '{layer.name}' is a scale node (not foldable): exact only when the "
                   "framework's float32 x * inv + res is")
    b.bn_scales.append(layer.name)
    return b.scale(t, inv, res, layer.name)


def export_v2(model, name, input_type=None):
    import keras
    from hgq.layers import (QAdd, QBatchNormalization, QConv1D, QConv2D, QEinsumDense, QMaximum, QMinimum,
                            QSubtract, QSum, QUnaryFunctionLUT)
    from hgq.layers.pooling import QBasePooling
    from hgq.quantizer import Quantizer

    L = keras.layers
    model = functional(model)
    b = GraphBuilder(name, input_type)
    env = {}
    for k, inp in enumerate(model.inputs):
        nm = getattr(inp, "name", None) or f"x{k}"
        if nm.startswith("keras_tensor"):
            nm = f"x{k}" if len(model.inputs) > 1 else "x"
        env[id(inp)] = b.add_input(nm, _shape(inp))
    steps = operations(model)
    users = consumers(steps)
    for op, ins, outs in steps:
        t = type(op).__name__
        if len(outs) != 1:
            raise ExportError(f"layer '{op.name}' ({t}) has {len(outs)} outputs; not supported")
        xs = [env[id(x)] for x in ins]
        oshape = _shape(outs[0])
        y = None
        lname = op.name
        if isinstance(op, Quantizer):
            types, r, o = quantizer_types(op, tuple(b.shapes[xs[0]]), f"quantizer layer '{lname}'")
            y = b.quantize(xs[0], types, r, o, name=lname)
        elif isinstance(op, (QEinsumDense, L.EinsumDense)) or type(op).__name__ in ("QDense", "QBatchNormDense",
                                                                                        "QEinsumDenseBatchnorm"):
            x = _iq(b, op, xs[0])
            kernel = _np(op.qkernel if hasattr(op, "qkernel") else op.kernel).astype(np.float64)
            bias = None
            if getattr(op, "bias", None) is not None:
                bias = _np(op.qbias if hasattr(op, "qbias") else op.bias).astype(np.float64)
            if hasattr(op, "equation"):
                y = _einsum_dense(b, op, x, kernel, bias)
            else:
                y = b.dense(x, kernel, bias, lname)
            y = _activation_then_oq(b, op, y)
        elif isinstance(op, L.Dense):
            kernel = _np(op.kernel).astype(np.float64)
            bias = _np(op.bias).astype(np.float64) if op.use_bias else None
            y = _activation_then_oq(b, op, b.dense(xs[0], kernel, bias, lname))
        elif isinstance(op, (QConv1D, QConv2D, L.Conv1D, L.Conv2D)):
            if op.data_format != "channels_last":
                raise ExportError(f"layer '{lname}' ({t}): only channels_last is supported")
            if getattr(op, "groups", 1) != 1:
                raise ExportError(f"layer '{lname}' ({t}): grouped convolutions are not supported")
            if op.padding not in ("valid", "same"):
                raise ExportError(f"layer '{lname}' ({t}): padding '{op.padding}' is not supported (valid, same)")
            x = _iq(b, op, xs[0])
            kernel = _np(op.qkernel if hasattr(op, "qkernel") else op.kernel).astype(np.float64)
            bias = None
            if op.use_bias:
                bias = _np(op.qbias if hasattr(op, "qbias") else op.bias).astype(np.float64)
            y = b.conv(x, kernel, bias, op.strides, op.dilation_rate, op.padding, lname)
            y = _activation_then_oq(b, op, y)
        elif isinstance(op, (L.MaxPooling1D, L.MaxPooling2D, L.AveragePooling1D, L.AveragePooling2D)):
            if op.data_format != "channels_last":
                raise ExportError(f"layer '{lname}' ({t}): only channels_last is supported")
            x = _iq(b, op, xs[0]) if isinstance(op, QBasePooling) else xs[0]
            kind = "max" if isinstance(op, (L.MaxPooling1D, L.MaxPooling2D)) else "avg"
            y = b.pool(x, kind, op.pool_size, op.strides, op.padding, lname)
            y = _oq(b, op, y)
        elif isinstance(op, (L.GlobalMaxPooling1D, L.GlobalMaxPooling2D, L.GlobalAveragePooling1D,
                             L.GlobalAveragePooling2D)):
            if op.data_format != "channels_last":
                raise ExportError(f"layer '{lname}' ({t}): only channels_last is supported")
            x = _iq(b, op, xs[0]) if hasattr(op, "enable_iq") else xs[0]
            kind = "max" if "Max" in type(op).__mro__[1].__name__ or "Max" in t else "avg"
            y = b.global_pool(x, kind, lname)
            if getattr(op, "keepdims", False):
                y = b.reshape(y, oshape, f"{lname}_keepdims")
            y = _oq(b, op, y)
        elif isinstance(op, L.Flatten):
            y = b.reshape(xs[0], oshape, lname)
        elif isinstance(op, L.Reshape):
            y = b.reshape(xs[0], oshape, lname)
        elif isinstance(op, L.Permute):
            y = b.transpose(xs[0], [d - 1 for d in op.dims], lname)
        elif isinstance(op, (L.Add, L.Subtract, L.Maximum, L.Minimum)):
            if isinstance(op, (QAdd, QSubtract, QMaximum, QMinimum)) and op.enable_iq:
                qs = []
                for k, (x, q) in enumerate(zip(xs, op.iq)):
                    types, r, o = quantizer_types(q, tuple(b.shapes[x]), f"layer '{lname}' input quantizer {k}")
                    qs.append(b.quantize(x, types, r, o, name=f"{lname}_iq{k}"))
                xs = qs
            if any(b.shapes[x] != b.shapes[xs[0]] for x in xs):
                raise ExportError(f"layer '{lname}' ({t}): inputs of different shapes (broadcasting) are not supported")
            kind = {L.Add: "add", L.Subtract: "sub", L.Maximum: "max", L.Minimum: "min"}
            opn = next(v for k, v in kind.items() if isinstance(op, k))
            y = b.merge(opn, xs, lname)
            y = _oq(b, op, y) if hasattr(op, "enable_oq") else y
        elif isinstance(op, L.Concatenate):
            axis = op.axis - 1 if op.axis > 0 else op.axis
            y = b.concat(xs, axis, lname)
        elif isinstance(op, QBatchNormalization):
            if op.axis not in (-1, len(b.shapes[xs[0]])):
                raise ExportError(f"layer '{lname}' ({t}): only the last axis is supported")
            x = _iq(b, op, xs[0])
            qs, qo = op.qscaler_and_qoffset
            y = b.scale(x, _np(qs).astype(np.float64), _np(qo).astype(np.float64), lname)
            y = _oq(b, op, y)
        elif isinstance(op, L.BatchNormalization):
            if op.axis not in (-1, len(b.shapes[xs[0]])):
                raise ExportError(f"layer '{lname}' ({t}): only the last axis is supported")
            inv, res = _bn_params(op)
            y = _fold_or_scale(b, op, xs[0], inv, res, users.get(id(ins[0]), 0))
        elif isinstance(op, QSum):
            x = _iq(b, op, xs[0])
            axes = [a - 1 if a > 0 else a for a in op.axes]
            y = b.sum(x, axes, lname)
            if op.scale != 1.0:
                y = b.scale(y, [op.scale], [0.0], f"{lname}_scale")
            if op.keepdims:
                y = b.reshape(y, oshape, f"{lname}_keepdims")
            y = _oq(b, op, y)
        elif isinstance(op, QUnaryFunctionLUT):
            if type(op).__name__ != "QUnaryFunctionLUT":
                raise ExportError(f"unsupported layer '{lname}' of type {t}")
            x = _iq(b, op, xs[0])
            q = _oq_types(b, op, x)
            y = b.lookup(x, _run(lambda v, op=op: op(v, training=False)), q[0] if q else None, lname,
                         f"layer '{lname}' ({t})")
        elif isinstance(op, L.ReLU) and _plain_relu(op):
            y = b.relu(xs[0], lname)
        elif isinstance(op, (L.ReLU, L.LeakyReLU, L.ELU, L.PReLU)) and not isinstance(op, L.PReLU):
            y = b.lookup(xs[0], _run(lambda v, op=op: op(v)), None, lname, f"layer '{lname}' ({t})")
        elif isinstance(op, L.Activation):
            nm = _act_name(op.activation)
            if nm == "linear":
                y = xs[0]
            elif nm == "relu":
                y = b.relu(xs[0], lname)
            elif nm in ("softmax", "log_softmax"):
                raise ExportError(f"layer '{lname}' ({t}): activation '{nm}' is not element-wise; not supported")
            else:
                y = b.lookup(xs[0], _run(lambda v, op=op: op(v)), None, lname, f"layer '{lname}' ({t}) '{nm}'")
        elif isinstance(op, L.Dropout):
            y = xs[0]
        elif t == "Argmax":
            r = len(b.shapes[xs[0]])
            if op.axis not in (-1, r) or getattr(op, "keepdims", False):
                raise ExportError(f"operation '{lname}' (argmax): only the last axis, without keepdims")
            y = b.argmax(xs[0], lname)
        elif t == "Sum":
            ax = op.axis if isinstance(op.axis, (list, tuple)) else ([op.axis] if op.axis is not None else None)
            if ax is None:
                ax = list(range(1, len(b.shapes[xs[0]]) + 1))
            y = b.sum(xs[0], [a - 1 if a > 0 else a for a in ax], lname)
            if op.keepdims:
                y = b.reshape(y, oshape, f"{lname}_keepdims")
        elif t == "Transpose":
            y = b.transpose(xs[0], [a - 1 for a in op.axes[1:]] if op.axes is not None else None, lname)
        else:
            raise ExportError(f"unsupported layer '{lname}' of type {t}")
        if b.shapes[y] != oshape:
            raise ExportError(f"layer '{lname}' ({t}): exported shape {b.shapes[y]} differs from Keras' {oshape}")
        env[id(outs[0])] = y
    b.set_outputs([env[id(t)] for t in model.outputs])
    return b
