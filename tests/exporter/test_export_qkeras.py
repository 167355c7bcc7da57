"""QKeras exporter tests on tiny generated models.

Run where the qkeras extra is installed (pip install ".[qkeras,test]"):  python -m pytest tests/exporter
(skipped when qkeras / Keras 2 are not importable)."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

try:
    from importlib.metadata import version

    _keras_major = int(version("keras").split(".")[0])
except Exception:
    _keras_major = None
if _keras_major is None or _keras_major >= 3:
    pytest.skip("QKeras tests need Keras 2 (pip install \".[qkeras]\")", allow_module_level=True)
tf = pytest.importorskip("tensorflow")
qkeras = pytest.importorskip("qkeras")
from qkeras import QActivation, QDense, quantized_bits, quantized_relu  # noqa: E402

from dagen.keras import cli  # noqa: E402

N_CHECK = 3000


def save_export(model, tmp_path, name="m", extra=()):
    path = tmp_path / f"{name}.h5"
    model.save(path)
    out = tmp_path / f"{name}.json"
    rc = cli.main([str(path), "-o", str(out), "--check", str(N_CHECK), "--da-gen", "/nonexistent", "-q", *extra])
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
             QActivation("softmax", name="sm")], 3)
    rc, _ = save_export(m, tmp_path)
    assert rc != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'sm'" in err[0] and "softmax" in err[0]


def test_quantized_tanh_is_a_lookup(tmp_path):
    m = seq([QActivation(quantized_bits(6, 2, alpha=1)),
             QDense(4, kernel_quantizer=quantized_bits(4, 0, alpha=1)),
             QActivation(quantized_bits(5, 2, alpha=1)),
             QActivation("quantized_tanh(4)", name="th")], 3)
    randomize(m, 5)
    rc, out = save_export(m, tmp_path)
    assert rc == 0
    j = json.loads(out.read_text())
    assert j["version"] == 2 and any(n["op"] == "lookup" and n["name"] == "th" for n in j["nodes"])


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
    rc, out = save_export(m, tmp_path)
    assert rc != 0
    assert not out.exists()  # nothing is written when the check fails
    err = capsys.readouterr().err
    assert "MISMATCH" in err and "'bn'" in err


# ============================================================================
# model.json version 2 (graphs)

from dagen.keras import refsim  # noqa: E402
from qkeras import QConv1D, QConv2D  # noqa: E402


def export_json(m, tmp_path, name="m", extra=()):
    rc, out = save_export(m, tmp_path, name, extra)
    assert rc == 0
    return json.loads(out.read_text())


def test_v2_plain_chain_stays_v1(tmp_path):
    m = seq([QActivation(quantized_bits(6, 2, alpha=1)),
             QDense(3, kernel_quantizer=quantized_bits(5, 0, alpha=1), bias_quantizer=quantized_bits(5, 2, alpha=1))], 4)
    randomize(m, 1)
    assert export_json(m, tmp_path)["version"] == 1


def test_v2_cnn2d_relu_maxpool_dense(tmp_path):
    inp = tf.keras.Input((6, 6, 1))
    x = QActivation(quantized_bits(4, 1, alpha=1), name="inq")(inp)
    x = QConv2D(2, 3, padding="same", strides=2, kernel_quantizer=quantized_bits(4, 0, alpha=1),
                bias_quantizer=quantized_bits(4, 1, alpha=1), name="conv")(x)
    x = QActivation(quantized_relu(4, 2), name="act")(x)
    x = tf.keras.layers.MaxPooling2D(2, name="pool")(x)
    x = tf.keras.layers.Flatten()(x)
    y = QDense(3, kernel_quantizer=quantized_bits(4, 0, alpha=1), bias_quantizer=quantized_bits(4, 1, alpha=1),
               name="fc")(x)
    m = tf.keras.Model(inp, y)
    randomize(m, 2)
    j = export_json(m, tmp_path)
    ops = [n["op"] for n in j["nodes"]]
    assert j["version"] == 2 and "conv2d" in ops and "max_pool2d" in ops
    assert any(n["name"] == "act_rne_parity" for n in j["nodes"])  # half-to-even lowered


def test_v2_conv1d_bn_folded_tanh_lookup_argmax(tmp_path):
    inp = tf.keras.Input((8, 2))
    x = QActivation(quantized_bits(5, 1, alpha=1), name="inq")(inp)
    x = QConv1D(2, 3, padding="same", kernel_quantizer=quantized_bits(4, 0, alpha=1), use_bias=False, name="conv")(x)
    bn = tf.keras.layers.BatchNormalization(name="bn")
    x = bn(x)
    x = QActivation(quantized_bits(5, 2, alpha=1), name="q")(x)
    x = QActivation("quantized_tanh(4)", name="th")(x)
    x = tf.keras.layers.GlobalAveragePooling1D(name="gap")(x)
    y = tf.math.argmax(x, axis=-1)
    m = tf.keras.Model(inp, [y, x])
    randomize(m, 3)
    bn.gamma.assign(np.array([2.0, 0.5], "float32"))
    bn.beta.assign(np.array([0.5, -0.25], "float32"))
    bn.moving_mean.assign(np.array([0.25, -0.5], "float32"))
    bn.moving_variance.assign(np.array([4.0, 1.0], "float32") - np.float32(bn.epsilon))
    j = export_json(m, tmp_path)
    ops = [n["op"] for n in j["nodes"]]
    assert "lookup" in ops and "argmax" in ops and "global_avg_pool" in ops
    assert not any(n["name"] == "bn" for n in j["nodes"])  # folded into the convolution


def test_v2_two_inputs_merge_concat(tmp_path):
    a = tf.keras.Input((4,), name="a")
    c = tf.keras.Input((4,), name="c")
    qa = QActivation(quantized_bits(5, 2, alpha=1), name="qa")(a)
    qc = QActivation(quantized_bits(4, 2, alpha=1), name="qc")(c)
    s = tf.keras.layers.Add(name="add")([qa, qc])
    d = tf.keras.layers.Subtract(name="sub")([qa, qc])
    mx = tf.keras.layers.Maximum(name="mx")([s, d])
    cat = tf.keras.layers.Concatenate(name="cat")([mx, qa])
    y = QDense(2, kernel_quantizer=quantized_bits(4, 0, alpha=1), use_bias=False, name="fc")(cat)
    m = tf.keras.Model([a, c], y)
    randomize(m, 4)
    j = export_json(m, tmp_path)
    g = refsim.V2Graph(j)
    assert [i[0] for i in g.inputs] == ["a", "c"]


def test_v2_unsupported_layer_one_line(tmp_path, capsys):
    inp = tf.keras.Input((6, 1))
    x = QActivation(quantized_bits(4, 1, alpha=1))(inp)
    x = QConv1D(2, 3, kernel_quantizer=quantized_bits(4, 0, alpha=1))(x)
    x = tf.keras.layers.LayerNormalization(name="ln")(x)
    m = tf.keras.Model(inp, x)
    rc, _ = save_export(m, tmp_path)
    assert rc != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'ln'" in err[0] and "LayerNormalization" in err[0]
