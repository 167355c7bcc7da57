"""The machine-learning frameworks of the front ends, imported only when a front end is used.

`import dagen.keras` needs numpy alone; exporting an HGQ2 model needs the `hgq2` extra
(Keras 3, JAX, hgq2) and a QKeras model the `qkeras` extra (TensorFlow <= 2.15, Keras 2, qkeras).
They cannot share one environment: HGQ2 needs Keras 3, QKeras Keras 2.
"""
from __future__ import annotations

import importlib
import os

FRAMEWORKS = ("hgq2", "qkeras")
_MODULES = {"hgq2": ("keras", "hgq"), "qkeras": ("tensorflow", "keras", "qkeras")}


def keras_major():
    """Major version of the installed Keras distribution (None when it is not installed)."""
    try:
        from importlib.metadata import version

        return int(version("keras").split(".")[0])
    except Exception:
        return None


def detect_framework():
    """'hgq2' when the installed Keras is 3.x, else 'qkeras' (the CLI's --framework auto)."""
    major = keras_major()
    return "hgq2" if major is not None and major >= 3 else "qkeras"


def _missing(framework, why):
    return ImportError(f"the {framework} front end of dagen.keras {why}; install it with: "
                       f'pip install "dagen[{framework}]"')


def require(framework):
    """Import the modules of `framework`'s front end; ImportError naming the extra when one is missing."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r} (expected one of {', '.join(FRAMEWORKS)})")
    if framework == "hgq2":
        os.environ.setdefault("KERAS_BACKEND", "jax")
    else:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    major = keras_major()
    if major is not None and (major >= 3) != (framework == "hgq2"):
        raise _missing(framework, f"needs Keras {'3' if framework == 'hgq2' else '2'}, but Keras {major} is "
                                  "installed (HGQ2 and QKeras need separate environments)")
    for mod in _MODULES[framework]:
        try:
            importlib.import_module(mod)
        except ImportError as e:
            raise _missing(framework, f"needs the Python module {mod!r}, which is not importable ({e})") from e
