"""dagen.convert(keras_model, **options): a trained HGQ2/QKeras model -> a da-gen design object."""
from __future__ import annotations


def convert(keras_model, **options):
    """dagen.loads(dagen.keras.to_model_json(keras_model, **options)); the options are
    to_model_json's (name, framework, input_type, check, seed, da_gen, quiet, output)."""
    from . import loads
    from .keras import to_model_json

    return loads(to_model_json(keras_model, **options))
