"""Keras model -> model.json document, checked bit for bit (the code behind to_model_json,
check and the dagen-export command)."""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile

from . import _deps
from .fxp import ExportError, dumps_model
from .graph import dumps_model_v2

# the source tree's build when the package runs from it (python/dagen/keras/ -> <repo>/build/da-gen)
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_SOURCE_DAGEN = os.path.join(_ROOT, "build", "da-gen")


def default_dagen():
    """The da-gen binary of the --eval leg: the source tree's build/da-gen when the package runs
    from the source tree and it exists, else `da-gen` on PATH, else ./build/da-gen (the check
    says so and skips that leg when it does not exist)."""
    if os.path.isfile(_SOURCE_DAGEN) and os.path.isfile(os.path.join(_ROOT, "pyproject.toml")):
        return _SOURCE_DAGEN
    return shutil.which("da-gen") or os.path.join("build", "da-gen")


def parse_type(s):
    """'SIGNED,INT,FRAC' (e.g. '1,3,4') -> a model.json type; ValueError otherwise."""
    parts = s.split(",")
    if len(parts) != 3:
        raise ValueError("expected SIGNED,INT_BITS,FRAC_BITS, e.g. 1,3,4")
    try:
        return {"signed": parts[0].strip().lower() in ("1", "true", "s", "signed"),
                "int_bits": int(parts[1]), "frac_bits": int(parts[2])}
    except ValueError:
        raise ValueError(f"expected SIGNED,INT_BITS,FRAC_BITS with integer bit counts, got {s!r}") from None


def _input_type(t):
    if t is None or isinstance(t, dict):
        return t
    if isinstance(t, str):
        return parse_type(t)
    if isinstance(t, (tuple, list)) and len(t) == 3:
        return {"signed": bool(t[0]), "int_bits": int(t[1]), "frac_bits": int(t[2])}
    raise ValueError(f"input_type: expected a type dict, 'SIGNED,INT,FRAC' or (signed, int_bits, frac_bits), got {t!r}")


def _front(framework):
    if framework == "auto":
        framework = _deps.detect_framework()
    if framework == "hgq2":
        from . import hgq2_front as front
    elif framework == "qkeras":
        from . import qkeras_front as front
    else:
        raise ValueError(f"framework: expected auto, hgq2 or qkeras, got {framework!r}")
    _deps.require(framework)
    return framework, front


def _logger(quiet):
    return (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))


def _is_path(x):
    return isinstance(x, (str, os.PathLike))


def _run_check(model, model_path, front, kmodel, n, seed, da_gen, log, bn_scales=()):
    from .checker import check_model

    try:
        check_model(model, model_path, front.predict_fn(kmodel), n, seed, dagen=da_gen, log=log)
    except ExportError as e:
        if bn_scales and "MISMATCH" in str(e):
            raise ExportError(f"{e}; note: BatchNormalization {', '.join(repr(n) for n in bn_scales)} could not be "
                              "folded into a linear layer and is exported as a scale node, which the "
                              "framework's float32 arithmetic does not compute exactly") from None
        raise


def export(keras_model, *, output=None, name=None, framework="auto", input_type=None, check=10000, seed=0,
           da_gen=None, quiet=False):
    """Export and check; returns (document as a reader parses it, its JSON text, framework, builder notes).

    With `output`, the text is written there only once the check passed (nothing is written on an
    error); the da-gen --eval leg reads a temporary file beside it."""
    log = _logger(quiet)
    fw, front = _front(framework)
    itype = _input_type(input_type)
    if _is_path(keras_model):
        path = os.fspath(keras_model)
        if not os.path.exists(path):
            raise ExportError(f"{path}: no such file")
        kmodel = front.load(path)
        default_name = os.path.splitext(os.path.basename(path))[0]
    else:
        kmodel = keras_model
        default_name = getattr(kmodel, "name", None) or "model"
    builder = front.export(kmodel, name or default_name, itype)
    model = builder.finish(itype)
    text = dumps_model_v2(model) if model.get("version") == 2 else dumps_model(model)
    doc = json.loads(text)  # what was written, as a reader parses it
    notes = list(getattr(builder, "notes", []))
    da_gen = default_dagen() if da_gen is None else os.fspath(da_gen)
    bns = getattr(builder, "bn_scales", [])

    if output is None:
        if check > 0:
            with tempfile.TemporaryDirectory() as td:
                p = os.path.join(td, "model.json")
                with open(p, "w") as f:
                    f.write(text)
                _run_check(doc, p, front, kmodel, check, seed, da_gen, log, bns)
        return doc, text, fw, notes

    output = os.fspath(output)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(output) + ".", suffix=".json",
                               dir=os.path.dirname(os.path.abspath(output)))
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        if check > 0:
            _run_check(doc, tmp, front, kmodel, check, seed, da_gen, log, bns)
        os.replace(tmp, output)
    except BaseException:
        os.unlink(tmp)
        raise
    return doc, text, fw, notes


def to_model_json(keras_model, *, output=None, name=None, framework="auto", input_type=None, check=10000,
                  seed=0, da_gen=None, quiet=False):
    """A trained HGQ2 (Keras 3) or QKeras (Keras 2) model -> its model.json document (a dict).

    keras_model  the model object, or the path of a saved model (.keras; .h5 for QKeras)
    output       also write the JSON text there (byte for byte what dagen-export writes), after the check
    name         model name (default: the file stem of a path, else the Keras model's name)
    framework    "auto" (HGQ2 under Keras 3, QKeras under Keras 2), "hgq2" or "qkeras"
    input_type   for models without an input quantizer: {"signed", "int_bits", "frac_bits"},
                 "SIGNED,INT,FRAC" (e.g. "1,3,4") or (signed, int_bits, frac_bits)
    check        number of random on-grid inputs on which Keras, the model.json reference and,
                 when the binary exists, `da-gen --eval` must agree exactly (0 disables)
    seed         seed of those inputs
    da_gen       the da-gen binary of the --eval leg (default: build/da-gen of the source tree,
                 else da-gen on PATH, else ./build/da-gen; skipped with a notice when absent)
    quiet        no progress lines on stderr

    Raises ExportError (one line: an unsupported layer with its name and type, or the first
    mismatch) and ImportError naming the extra to install when the framework is missing."""
    return export(keras_model, output=output, name=name, framework=framework, input_type=input_type,
                  check=check, seed=seed, da_gen=da_gen, quiet=quiet)[0]


def check(model_json, keras_model, n=10000, *, seed=0, da_gen=None, framework="auto", quiet=False):
    """Check a model.json document (dict or path) against a Keras model (object or saved path)
    bit for bit on `n` random on-grid inputs: Keras == the model.json reference, and == `da-gen
    --eval` when the binary exists. Returns None; raises ExportError at the first difference."""
    log = _logger(quiet)
    fw, front = _front(framework)
    kmodel = front.load(os.fspath(keras_model)) if _is_path(keras_model) else keras_model
    da_gen = default_dagen() if da_gen is None else os.fspath(da_gen)
    if _is_path(model_json):
        path = os.fspath(model_json)
        with open(path) as f:
            doc = json.load(f)
        _run_check(doc, path, front, kmodel, n, seed, da_gen, log)
        return None
    with tempfile.TemporaryDirectory() as td:
        path = os.path.join(td, "model.json")
        with open(path, "w") as f:
            json.dump(model_json, f)
        _run_check(model_json, path, front, kmodel, n, seed, da_gen, log)
    return None
