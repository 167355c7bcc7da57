"""A model given as a dict -> its JSON text, with every float written exactly.

The model reader takes numbers from their text and requires exact binary fractions; Python's
json writes the shortest text that rounds back to the double (2**-30 as 9.313225746154785e-10),
which is not the value.  Here a float is its exact decimal expansion (every double has one)."""

from __future__ import annotations

import json
import math
from decimal import Decimal


def _number(f: float) -> str:
    if not math.isfinite(f):
        return json.dumps(f)  # NaN / Infinity: the reader refuses them with their location
    return format(Decimal(f), "f")


def model_text(value) -> str:
    parts: list[str] = []

    def put(v):
        if isinstance(v, dict):
            parts.append("{")
            for k, (key, item) in enumerate(v.items()):
                parts.append(("," if k else "") + json.dumps(str(key)) + ":")
                put(item)
            parts.append("}")
        elif isinstance(v, (list, tuple)):
            parts.append("[")
            for k, item in enumerate(v):
                if k:
                    parts.append(",")
                put(item)
            parts.append("]")
        elif isinstance(v, bool) or v is None or isinstance(v, str):
            parts.append(json.dumps(v))
        elif isinstance(v, int):
            parts.append(str(v))
        elif isinstance(v, float):
            parts.append(_number(v))
        elif hasattr(v, "tolist"):  # numpy scalars and arrays
            put(v.tolist())
        else:
            raise TypeError(f"a model holds JSON values, not {type(v).__name__}")

    put(value)
    return "".join(parts)
