"""The shapes predict() takes and gives (docs/python.md, "Shapes").

Inputs: one array for a model with one input tensor; for several, a list (in the model's input
order) or a dict (tensor name -> array) with one array per input tensor, or one numpy array of
every input flat (n, total inputs).  Each array is a batch, shape
(n, size) or (n, *shape), or one vector, shape (size,) or shape.  Several inputs must agree on n
and on being a batch.  The batch is flattened into the x port's order: inputs in order, each in C
order.  The result is (n, total outputs) in the y port's order, or (total outputs,) for one
vector."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ._codes import CodeError


def _one(x, tensor: Mapping, what: str):
    """(n, size) batch of one input tensor and whether it was one vector."""
    a = x if isinstance(x, np.ndarray) else np.asarray(x)
    if a.dtype.kind not in "biufO":
        a = np.asarray(x, dtype=object)
    shape, size = tuple(tensor["shape"]), tensor["size"]
    if a.ndim == 2 and a.shape[1] == size:
        return a, False
    if a.ndim == len(shape) + 1 and a.shape[1:] == shape:
        return a.reshape(a.shape[0], size), False
    if a.shape == shape or a.shape == (size,):
        return a.reshape(1, size), True
    raise CodeError(
        f"{what}: expected a batch of shape (n, {size}) or (n, *{shape}), or one vector of shape "
        f"({size},) or {shape}, got shape {a.shape}"
    )


def input_batch(x, tensors: list[Mapping]):
    """(the flat batch (n, total inputs), whether x was one vector)."""
    if len(tensors) == 1 and not isinstance(x, Mapping):
        return _one(x, tensors[0], "x")
    if isinstance(x, np.ndarray):  # every input, flat, in port order
        total = sum(t["size"] for t in tensors)
        return _one(x, {"shape": (total,), "size": total}, "x")
    if isinstance(x, Mapping):
        names = [t["name"] for t in tensors]
        unknown = sorted(set(x) - set(names))
        if unknown:
            raise CodeError(f"x: no input tensor named {unknown[0]!r} (the inputs: {names})")
        missing = [n for n in names if n not in x]
        if missing:
            raise CodeError(f"x: input tensor {missing[0]!r} is missing")
        parts = [x[n] for n in names]
    elif isinstance(x, (list, tuple)) and len(x) == len(tensors):
        parts = list(x)
    else:
        raise CodeError(
            f"x: the model has {len(tensors)} input tensors "
            f"({[t['name'] for t in tensors]}): give a list or a dict of one array each"
        )
    batches = [_one(p, t, f"x[{t['name']!r}]") for p, t in zip(parts, tensors)]
    if len({b.shape[0] for b, _ in batches}) > 1 or len({one for _, one in batches}) > 1:
        raise CodeError(
            "x: the inputs disagree on the batch: "
            + ", ".join(f"{t['name']!r} has {'one vector' if one else f'{b.shape[0]} vectors'}"
                        for (b, one), t in zip(batches, tensors))
        )
    kinds = {b.dtype.kind for b, _ in batches}
    dtype = object if "O" in kinds or len(kinds) > 1 else None  # never round ints to floats
    return np.concatenate([b.astype(dtype) if dtype else b for b, _ in batches], axis=1), batches[0][1]
