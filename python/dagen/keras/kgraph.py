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


def functional(model):
    """The functional graph behind a model (Keras 3 Sequential keeps one in _functional)."""
    f = getattr(model, "_functional", None)
    return f if f is not None else model


def operations(model):
    """[(op, [input tensors], [output tensors])] in an order where every input is produced
    before it is used: the call sites (nodes) of the model's operations reachable from its inputs.
    InputLayers are left out; a layer called more than once in the model (shared) is an error."""
    model = functional(model)
    ops = [op for op in (getattr(model, "operations", None) or model.layers) if type(op).__name__ != "InputLayer"]
    cands = []
    for op in ops:
        for n in op._inbound_nodes:
            ins = _flat(getattr(n, "input_tensors", None))
            outs = _flat(getattr(n, "output_tensors", None) if hasattr(n, "output_tensors") else getattr(n, "outputs", None))
            cands.append((op, ins, outs))
    # keep the call sites the outputs depend on (a loaded model may hold stray build-time calls)
    producer = {}
    for k, (op, ins, outs) in enumerate(cands):
        for t in outs:
            producer[id(t)] = k
    need, stack = set(), [id(t) for t in _flat(model.outputs)]
    while stack:
        k = producer.get(stack.pop())
        if k is None or k in need:
            continue
        need.add(k)
        stack += [id(t) for t in cands[k][1]]
    cands = [c for k, c in enumerate(cands) if k in need]
    ready = {id(t) for t in _flat(model.inputs)}
    done, order, used = set(), [], {}
    progress = True
    while progress:
        progress = False
        for k, (op, ins, outs) in enumerate(cands):
            if k in done or not ins or not all(id(t) in ready for t in ins):
                continue
            done.add(k)
            order.append((op, ins, outs))
            used[id(op)] = used.get(id(op), 0) + 1
            if used[id(op)] > 1:
                raise ExportError(f"layer '{op.name}' ({type(op).__name__}) is used more than once; shared layers "
                                  "are not supported")
            ready.update(id(t) for t in outs)
            progress = True
    missing = [t for t in _flat(model.outputs) if id(t) not in ready]
    if missing:
        raise ExportError("the model's outputs are not computed from its inputs by its layers")
    return order


def consumers(steps):
    """id(tensor) -> number of operations using it."""
    c = {}
    for _, ins, _ in steps:
        for t in ins:
            c[id(t)] = c.get(id(t), 0) + 1
    return c
