"""da-gen from Python: quantized networks (model.json) -> pipelined shift-add Verilog, and the
bit-exact reference model on numpy batches.  docs/python.md.

    import dagen
    model = dagen.load("model.json")
    design = model.build(pipeline=3)      # every CLI build option as a keyword
    design.write("out/")                  # exactly the CLI's files
    y = design.predict(x)                 # the C++ reference, float64 where exact
"""

from __future__ import annotations

import json
import os

from . import _core
from ._api import Design, InexactOutputWarning, Model
from ._codes import CodeError
from ._core import Error, ModelError, OptionError, ToolError
from ._options import build_options

__version__ = _core.version
__all__ = [
    "load", "loads", "convert", "build_options", "Model", "Design", "Error", "ModelError",
    "OptionError", "ToolError", "CodeError", "InexactOutputWarning", "__version__",
]


def load(path) -> Model:
    """Reads and validates a model.json (ModelError names the JSON location, as the CLI)."""
    return Model(_core.read_model_file(os.fspath(path)))


def loads(model) -> Model:
    """A model from its JSON text or from a dict of the same structure."""
    text = model if isinstance(model, str) else json.dumps(model, default=_plain)
    return Model(_core.read_model_text(text, "<model text>"))


def _plain(value):
    """numpy scalars and arrays in a model dict (json.dumps writes every float so that it reads
    back as the same double, which the model reader takes exactly)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"a model holds JSON values, not {type(value).__name__}")


def convert(keras_model, **options) -> Model:
    """A Keras model (HGQ2, QKeras) as a Model: dagen.keras.to_model_json, then loads."""
    from . import keras

    return loads(keras.to_model_json(keras_model, **options))
