"""QKeras exporter tests on tiny generated models.

Run with the QKeras venv:  tools/.venv-qkeras/bin/python -m pytest tests/exporter
(skipped when qkeras / Keras 2 are not importable)."""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))

try:
    from importlib.metadata import version

    _keras_major = int(version("keras").split(".")[0])
except Exception:
    _keras_major = None
if _keras_major is None or _keras_major >= 3:
    pytest.skip("QKeras tests need Keras 2 (run them with tools/.venv-qkeras)", allow_module_level=True)
tf = pytest.importorskip("tensorflow")
qkeras = pytest.importorskip("qkeras")
from qkeras import QActivation, QDense, quantized_bits, quantized_relu  # noqa: E402

import export_keras  # noqa: E402

N_CHECK = 3000


def save_export(model, tmp_path, name="m", extra=()):
    path = tmp_path / f"{name}.h5"
    model.save(path)
    out = tmp_path / f"{name}.json"
    rc = export_keras.main([str(path), "-o", str(out), "--check", str(N_CHECK), "--da-gen", "/nonexistent", "-q", *extra])
    return rc, out


def seq(layers, n_in):
    inp = tf.keras.Input((n_in,))
    x = inp
    for l in layers:
        x = l(x)
    return tf.keras.Model(inp, x)


def randomize(model, seed):
    rng = np.random.default_rng(seed)
    for w in model.weights:
        w.assign(rng.normal(0, 0.7, size=w.shape).astype("float32"))


def test_qdense_quantized_relu(tmp_path):
    m = seq([QActivation(quantized_bits(6, 2, alpha=1), name="inq"),
             QDense(8, kernel_quantizer=quantized_bits(6, 0, alpha=1), bias_quantizer=quantized_bits(6, 2, alpha=1), name="fc1"),
             QActivation(quantized_relu(4, 1), name="act1"),
             QDense(3, kernel_quantizer=quantized_bits(5, 0, alpha=1), bias_quantizer=quantized_bits(5, 2, alpha=1), name="fc2")], 5)
    randomize(m, 1)
    rc, out = save_export(m, tmp_path)
    assert rc == 0
    j = json.loads(out.read_text())
    assert j["input"]["type"] == {"signed": True, "int_bits": 2, "frac_bits": 3}
    assert j["layers"][-1]["type"] == "dense"


def test_quantized_bits_activation_and_symmetric(tmp_path):
    m = seq([QActivation(quantized_bits(8, 3, alpha=1)),
             QDense(6, kernel_quantizer=quantized_bits(4, 1, alpha=1), bias_quantizer=quantized_bits(4, 1, alpha=1)),
             QActivation(quantized_bits(5, 1, symmetric=1, alpha=1)),
             QDense(4, kernel_quantizer=quantized_bits(4, 0, alpha=1), bias_quantizer=quantized_bits(4, 1, alpha=1),
                    activation=quantized_relu(5, 2))], 4)
    randomize(m, 2)
    rc, out = save_export(m, tmp_path)
    assert rc == 0
    j = json.loads(out.read_text())
    assert any(l.get("overflow") == "SAT_SYM" for l in j["layers"])


def test_auto_po2_kernel_and_relu_layer(tmp_path):
    m = seq([QActivation(quantized_bits(6, 2, alpha=1)),
             QDense(5, kernel_quantizer=quantized_bits(6, 0, alpha="auto_po2"), bias_quantizer=quantized_bits(6, 2, alpha=1)),
             tf.keras.layers.ReLU(),
             QActivation(quantized_relu(6, 2)),
             QDense(2, kernel_quantizer=quantized_bits(6, 0), use_bias=False)], 4)
    randomize(m, 3)
    rc, _ = save_export(m, tmp_path)
    assert rc == 0


def test_input_type_option_without_input_quantizer(tmp_path):
    m = seq([QDense(4, kernel_quantizer=quantized_bits(6, 0, alpha=1), bias_quantizer=quantized_bits(6, 2, alpha=1), name="fc")], 3)
    randomize(m, 4)
    rc, out = save_export(m, tmp_path, extra=("--input-type", "1,2,3"))
    assert rc == 0
    assert json.loads(out.read_text())["input"]["type"] == {"signed": True, "int_bits": 2, "frac_bits": 3}


def test_unsupported_layer(tmp_path, capsys):
    m = seq([QActivation(quantized_bits(6, 2, alpha=1)),
             QDense(4, kernel_quantizer=quantized_bits(6, 0, alpha=1)),
             tf.keras.layers.LayerNormalization(name="ln")], 3)
    rc, _ = save_export(m, tmp_path)
    assert rc != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'ln'" in err[0] and "LayerNormalization" in err[0]


def test_unsupported_quantizer(tmp_path, capsys):
    m = seq([QActivation(quantized_bits(6, 2, alpha=1)),
             QDense(4, kernel_quantizer=quantized_bits(6, 0, alpha=1)),
             QActivation("quantized_tanh(4)", name="th")], 3)
    rc, _ = save_export(m, tmp_path)
    assert rc != 0
    assert "'th'" in capsys.readouterr().err


def test_batchnorm_folding_and_relu_activation(tmp_path):
    bn = tf.keras.layers.BatchNormalization(name="bn")
    m = seq([QActivation(quantized_bits(6, 2, alpha=1)),
             QDense(4, kernel_quantizer=quantized_bits(6, 0, alpha=1), bias_quantizer=quantized_bits(6, 2, alpha=1), name="fc"),
             bn,
             QActivation("relu"),
             QActivation(quantized_relu(6, 3)),
             QDense(2, kernel_quantizer=quantized_bits(6, 0, alpha=1), use_bias=False)], 3)
    randomize(m, 6)
    eps = np.float32(bn.epsilon)
    bn.gamma.assign(np.array([2.0, 0.5, 1.0, 0.25], "float32"))
    bn.beta.assign(np.array([0.5, -0.25, 0.0, 1.0], "float32"))
    bn.moving_mean.assign(np.array([0.25, -0.5, 0.0, 0.125], "float32"))
    var = np.array([4.0, 1.0, 0.25, 16.0], "float32") - eps  # var + eps is an exact square
    assert np.all(var + eps == np.array([4.0, 1.0, 0.25, 16.0], "float32"))
    bn.moving_variance.assign(var)
    rc, out = save_export(m, tmp_path)
    assert rc == 0
    kinds = [l["type"] for l in json.loads(out.read_text())["layers"]]
    assert kinds[:2] == ["dense", "relu"]


def test_batchnorm_not_foldable(tmp_path, capsys):
    bn = tf.keras.layers.BatchNormalization(name="bn")
    m = seq([QActivation(quantized_bits(6, 2, alpha=1)),
             QDense(4, kernel_quantizer=quantized_bits(6, 0, alpha=1), name="fc"), bn], 3)
    randomize(m, 7)
    bn.moving_variance.assign(np.full(4, 0.3, "float32"))
    rc, _ = save_export(m, tmp_path)
    assert rc != 0
    assert "'bn'" in capsys.readouterr().err
