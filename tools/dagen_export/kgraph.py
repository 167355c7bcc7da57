"""Walk a Keras functional model (Keras 2 or 3) as a list of operations in dependency order."""
from __future__ import annotations

from .fxp import ExportError


def _flat(x):
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        out = []
        for e in x:
            out += _flat(e)
        return out
    if isinstance(x, dict):
        out = []
        for k in sorted(x):
            out += _flat(x[k])
        return out
    return [x]


def operations(model):
    """[(op, [input tensors], [output tensors])] in an order where every input is produced
    before it is used; InputLayers are left out.  A layer used more than once (shared) is an error."""
    ops = list(getattr(model, "operations", None) or model.layers)
    steps = []
    for op in ops:
        if type(op).__name__ == "InputLayer":
            continue
        nodes = [n for n in op._inbound_nodes]
        if len(nodes) != 1:
            raise ExportError(f"layer '{op.name}' ({type(op).__name__}) is used {len(nodes)} times; shared layers "
                              "are not supported")
        n = nodes[0]
        ins = _flat(getattr(n, "input_tensors", None))
        outs = _flat(getattr(n, "output_tensors", None) if hasattr(n, "output_tensors") else getattr(n, "outputs", None))
        steps.append((op, ins, outs))
    ready = {id(t) for t in _flat(model.inputs)}
    done, order = set(), []
    while len(order) < len(steps):
        progress = False
        for k, (op, ins, outs) in enumerate(steps):
            if k in done or not all(id(t) in ready for t in ins):
                continue
            done.add(k)
            order.append((op, ins, outs))
            ready.update(id(t) for t in outs)
            progress = True
        if not progress:
            k = next(k for k in range(len(steps)) if k not in done)
            op = steps[k][0]
            raise ExportError(f"layer '{op.name}' ({type(op).__name__}): its inputs are not produced by the model")
    return order


def consumers(steps):
    """id(tensor) -> number of operations using it."""
    c = {}
    for _, ins, _ in steps:
        for t in ins:
            c[id(t)] = c.get(id(t), 0) + 1
    return c
