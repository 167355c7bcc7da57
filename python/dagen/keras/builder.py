"""Framework-neutral model builder: collects dense / relu / quantize layers and lowers
rounding modes that model.json v1 lacks (round-half-to-even) to exact layer sequences."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from . import refsim
from .fxp import ExportError, ZERO_TYPE, check_dyadic, compact_types, make_type, width

SENTINEL = -(10**5)


class ModelBuilder:
    def __init__(self, name: str):
        self.name = name
        self.input_size = None
        self.input_types = None  # list of types, or None until known
        self.layers = []
        self.notes = []  # human-readable mapping notes (for docs / --verbose)

    # --- emission -------------------------------------------------------------
    def set_input(self, size, types=None):
        self.input_size = int(size)
        self.input_types = types

    def current_size(self):
        n = self.input_size
        for l in self.layers:
            if l["type"] == "dense":
                n = len(l["weights"][0]) if l["weights"] else 0
        return n

    def add_dense(self, name, W, b=None):
        W = np.asarray(W, dtype=np.float64)
        if W.ndim != 2:
            raise ExportError(f"layer '{name}': kernel must be 2-D, got shape {W.shape}")
        if W.shape[0] != self.current_size():
            raise ExportError(f"layer '{name}': kernel has {W.shape[0]} rows but its input has {self.current_size()} elements")
        check_dyadic(W, f"layer '{name}' kernel")
        layer = {"type": "dense", "name": name, "weights": W.tolist()}
        if b is not None:
            b = np.asarray(b, dtype=np.float64).reshape(-1)
            if b.shape[0] != W.shape[1]:
                raise ExportError(f"layer '{name}': bias has {b.shape[0]} entries, expected {W.shape[1]}")
            check_dyadic(b, f"layer '{name}' bias")
            if np.any(b != 0):
                layer["bias"] = b.tolist()
        self.layers.append(layer)

    def add_relu(self, name=None):
        layer = {"type": "relu"}
        if name:
            layer["name"] = name
        self.layers.append(layer)

    def add_quantize(self, types, rounding, overflow, name=None):
        """rounding: TRN, RND or RNE (half to even: lowered later); overflow WRAP/SAT/SAT_SYM."""
        if rounding not in ("TRN", "RND", "RNE"):
            raise ExportError(f"quantizer '{name}': rounding mode {rounding} cannot be expressed")
        if overflow not in ("WRAP", "SAT", "SAT_SYM"):
            raise ExportError(f"quantizer '{name}': overflow mode {overflow} cannot be expressed")
        n = self.current_size()
        if len(types) != n:
            raise ExportError(f"quantizer '{name}': {len(types)} element types for {n} elements")
        layer = {"type": "quantize", "to": [dict(t) for t in types], "rounding": rounding, "overflow": overflow}
        if name:
            layer["name"] = name
        self.layers.append(layer)

    # --- finishing ------------------------------------------------------------
    def finish(self, input_type_override=None):
        if input_type_override is not None:
            self.input_types = [dict(input_type_override)] * self.input_size
        if self.input_types is None:
            if self.layers and self.layers[0]["type"] == "quantize":
                q = self.layers.pop(0)
                self.input_types = q["to"]
                self.notes.append(f"input type taken from the first quantizer ({q.get('name', '?')}); "
                                  "that quantizer is the identity on its own grid and is not emitted")
            else:
                raise ExportError("the model has no input quantizer: pass --input-type SIGNED,INT,FRAC")
        elif self.layers and self.layers[0]["type"] == "quantize" and self.layers[0]["to"] == list(self.input_types):
            self.layers.pop(0)
        self._lower_rne()
        model = {
            "name": self.name,
            "input": {"size": self.input_size, "type": compact_types(self.input_types)},
            "layers": [],
        }
        for l in self.layers:
            l = dict(l)
            if l["type"] == "quantize":
                l["to"] = compact_types(l["to"])
                l = {"type": "quantize", **({"name": l["name"]} if "name" in l else {}), "to": l["to"],
                     "rounding": l["rounding"], "overflow": l["overflow"]}
            model["layers"].append(l)
        return model

    def _partial_model(self, upto):
        return {"name": self.name, "input": {"size": self.input_size, "type": self.input_types},
                "layers": self.layers[:upto]}

    def _lower_rne(self):
        """Round-half-to-even on f bits of x whose grid is 2**-F (F > f):
            RNE(x) = RND(x - 2**-F + parity * 2**-F),  parity = floor(x * 2**f) mod 2,
        and parity is a 1-bit unsigned TRN/WRAP quantizer of a copy of x.  Emitted as
            [dense dup (folded into the previous dense when there is one)] [relu?]
            quantize(copy: lossless, parity: u1) -> dense(x + c*p - d) -> quantize(RND)."""
        k = 0
        while k < len(self.layers):
            l = self.layers[k]
            if l["type"] != "quantize" or l["rounding"] != "RNE":
                k += 1
                continue
            name = l.get("name", f"q{k}")
            states = refsim.analyze(self._partial_model(k))
            st = states[-1]
            n = len(st)
            tgt = l["to"]
            need = [width(t) > 0 and st[j][2] > SENTINEL and st[j][2] > t["frac_bits"] for j, t in enumerate(tgt)]
            if not any(need):
                l["rounding"] = "TRN"  # no bits are dropped: every rounding mode agrees
                k += 1
                continue
            copy_types, par_types, W2, b2 = [], [], np.zeros((2 * n, n)), np.zeros(n)
            for j, (lo, hi, F) in enumerate(st):
                if F <= SENTINEL or (lo == 0 and hi == 0):
                    copy_types.append(dict(ZERO_TYPE))
                else:
                    copy_types.append(_lossless_type(lo, hi, F))
                W2[j, j] = 1.0
                if need[j]:
                    f = tgt[j]["frac_bits"]
                    par_types.append(make_type(False, 1 - f, f))
                    W2[n + j, j] = 2.0 ** (f - F)
                    b2[j] = -(2.0 ** -F)
                else:
                    par_types.append(dict(ZERO_TYPE))
            # duplicate x: fold into the previous dense (optionally followed by relu)
            prev = k - 1
            relu_between = prev >= 0 and self.layers[prev]["type"] == "relu"
            if relu_between:
                prev -= 1
            new = []
            if prev >= 0 and self.layers[prev]["type"] == "dense":
                d = self.layers[prev]
                d["weights"] = [row + row for row in d["weights"]]
                if "bias" in d:
                    d["bias"] = d["bias"] + d["bias"]
                insert_at = k
            else:
                new.append({"type": "dense", "name": f"{name}_rne_dup",
                            "weights": np.hstack([np.eye(n), np.eye(n)]).tolist()})
                insert_at = k
            new.append({"type": "quantize", "name": f"{name}_rne_parity", "to": copy_types + par_types,
                        "rounding": "TRN", "overflow": "WRAP"})
            new.append({"type": "dense", "name": f"{name}_rne_adjust", "weights": W2.tolist(), "bias": b2.tolist()})
            new.append({"type": "quantize", "name": name, "to": tgt, "rounding": "RND", "overflow": l["overflow"]})
            self.layers[insert_at:insert_at + 1] = new
            self.notes.append(f"quantizer '{name}': round-half-to-even lowered to a parity-bit sequence "
                              f"({sum(need)} of {n} elements drop bits)")
            k = insert_at + len(new)


def _lossless_type(lo: Fraction, hi: Fraction, F: int):
    """Smallest type on the 2**-F grid that holds every value in [lo, hi]."""
    s = Fraction(2) ** F
    lc, hc = lo * s, hi * s
    assert lc.denominator == 1 and hc.denominator == 1, (lo, hi, F)
    lc, hc = int(lc), int(hc)
    if lc < 0:
        w = max(hc.bit_length(), (-lc - 1).bit_length()) + 1
        return make_type(True, w - 1 - F, F)
    w = max(hc.bit_length(), 1)
    return make_type(False, w - F, F)
