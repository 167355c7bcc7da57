"""dagen.keras: trained HGQ2 (Keras 3) and QKeras (Keras 2) models -> da-gen's model.json, exactly.

    import dagen.keras
    doc = dagen.keras.to_model_json(keras_model)          # the model.json document (dict), checked
    dagen.keras.check(doc, keras_model, 10000)            # the bit-exactness check alone

Importing this package needs numpy only; the front ends import their framework when used
(`pip install "dagen[hgq2]"` or `pip install "dagen[qkeras]"`). The command line is
`dagen-export` (or `python -m dagen.keras`). See docs/exporter.md.
"""
from ._export import check, to_model_json
from .fxp import ExportError

__all__ = ["to_model_json", "check", "ExportError"]
