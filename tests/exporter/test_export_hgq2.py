"""HGQ2 exporter tests on tiny generated models (one per supported layer kind).

Run where the hgq2 extra is installed (pip install ".[hgq2,test]"):  python -m pytest tests/exporter
(skipped when hgq2/keras 3 are not importable)."""
from __future__ import annotations

import importlib.util
import json
import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

keras = pytest.importorskip("keras")
if int(keras.__version__.split(".")[0]) < 3:
    pytest.skip("HGQ2 tests need Keras 3 (pip install \".[hgq2]\")", allow_module_level=True)
hgq = pytest.importorskip("hgq")

from hgq.config import QuantizerConfig  # noqa: E402
from hgq.layers import QDense, QEinsumDense, QEinsumDenseBatchnorm  # noqa: E402
from hgq.quantizer import Quantizer  # noqa: E402

from dagen.keras import checker, cli, hgq2_front  # noqa: E402
from dagen.keras.fxp import ExportError  # noqa: E402

N_CHECK = 3000


def iq_conf(rnd="TRN", ovf="WRAP", k=1, i=2, f=3):
    return QuantizerConfig("kif", "datalane", k0=k, i0=i, f0=f, round_mode=rnd, overflow_mode=ovf,
                           homogeneous_axis=(0,))


def randomize_bits(q, rng, kmax=1, ilo=-1, ihi=4, flo=-1, fhi=5):
    """Give an hgq quantizer random per-element k/i/f (some elements end up width 0)."""
    inner = q.quantizer
    shape = tuple(inner._i.shape)
    inner._i.assign(rng.integers(ilo, ihi + 1, size=shape).astype("float32"))
    if hasattr(inner, "_f"):
        inner._f.assign(rng.integers(flo, fhi + 1, size=shape).astype("float32"))
    else:
        inner._b.assign(rng.integers(0, 8, size=shape).astype("float32"))
    inner._k.assign(rng.integers(0, kmax + 1, size=shape).astype("uint8"))


def randomize_weights(layer, rng):
    for w in layer.trainable_weights:
        if w.path.endswith(("kernel", "bias", "gamma")):
            w.assign(rng.normal(0, 1.0, size=w.shape).astype("float32"))


def export_and_check(model, tmp_path, name="m", n=N_CHECK):
    path = tmp_path / f"{name}.keras"
    model.save(path)
    out = tmp_path / f"{name}.json"
    rc = cli.main([str(path), "-o", str(out), "--check", str(n), "--da-gen", "/nonexistent/da-gen", "-q"])
    assert rc == 0
    with open(out) as f:
        return json.load(f)


def test_qdense_relu(tmp_path):
    rng = np.random.default_rng(1)
    model = keras.Sequential([
        keras.Input((6,)),
        QDense(8, activation="relu", iq_conf=iq_conf()),
        QDense(3, iq_conf=iq_conf()),
    ])
    for l in model.layers:
        randomize_weights(l, rng)
        randomize_bits(l.iq, rng)
    m = export_and_check(model, tmp_path)
    kinds = [l["type"] for l in m["layers"]]
    assert kinds == ["dense", "relu", "quantize", "dense"]
    assert m["input"]["size"] == 6


def small_model(seed=1):
    rng = np.random.default_rng(seed)
    model = keras.Sequential([keras.Input((6,)), QDense(8, activation="relu", iq_conf=iq_conf()),
                              QDense(3, iq_conf=iq_conf())], name="small")
    for l in model.layers:
        randomize_weights(l, rng)
        randomize_bits(l.iq, rng)
    return model


def test_to_model_json_api_equals_cli(tmp_path):
    """dagen.keras.to_model_json on the model object == the file dagen-export writes from the saved
    model; check() passes on it and fails on a perturbed copy (object and path forms)."""
    import dagen.keras

    model = small_model()
    from_cli = export_and_check(model, tmp_path, name="small", n=500)
    doc = dagen.keras.to_model_json(model, check=500, da_gen="/nonexistent", quiet=True)
    assert doc == from_cli and doc["name"] == "small"
    out = tmp_path / "api.json"
    assert dagen.keras.to_model_json(tmp_path / "small.keras", output=out, name="small", check=0) == doc
    assert out.read_text() == (tmp_path / "small.json").read_text()
    dagen.keras.check(doc, model, 500, da_gen="/nonexistent", quiet=True)
    dagen.keras.check(str(tmp_path / "small.json"), str(tmp_path / "small.keras"), 200, quiet=True,
                      da_gen="/nonexistent")
    w = doc["layers"][-1]["weights"]  # the output layer: its outputs are the exact accumulator values
    w[0][0] += 0.5
    with pytest.raises(ExportError, match="MISMATCH"):
        dagen.keras.check(doc, model, 500, da_gen="/nonexistent", quiet=True)
    with pytest.raises(ExportError, match="no such file"):
        dagen.keras.to_model_json(tmp_path / "absent.keras")


def test_convert_is_loads_of_to_model_json():
    """dagen.convert(keras_model) is the Model of the exported document: the same design."""
    import dagen
    import dagen.keras

    model = small_model()
    doc = dagen.keras.to_model_json(model, check=0, quiet=True)
    converted = dagen.convert(model, check=200, da_gen="/nonexistent", quiet=True)
    assert converted.name == doc["name"]
    assert converted.build(pipeline=1).files == dagen.loads(doc).build(pipeline=1).files


def test_qeinsumdense(tmp_path):
    rng = np.random.default_rng(2)
    model = keras.Sequential([
        keras.Input((5,)),
        QEinsumDense("bc,cC->bC", 7, bias_axes="C", activation="relu", iq_conf=iq_conf()),
        QEinsumDense("...c,cC->...C", 2, iq_conf=iq_conf(k=0)),
    ])
    for l in model.layers:
        randomize_weights(l, rng)
        randomize_bits(l.iq, rng, kmax=1)
    export_and_check(model, tmp_path)


def test_qeinsumdense_batchnorm(tmp_path):
    rng = np.random.default_rng(3)
    model = keras.Sequential([
        keras.Input((6,)),
        QEinsumDenseBatchnorm("bc,cC->bC", 9, bias_axes="C", activation="relu", iq_conf=iq_conf()),
        QDense(4, iq_conf=iq_conf(k=0)),
    ])
    bn = model.layers[0]
    randomize_weights(bn, rng)
    bn.moving_mean.assign(rng.normal(0, 1, size=bn.moving_mean.shape).astype("float32"))
    bn.moving_variance.assign(rng.uniform(0.2, 3, size=bn.moving_variance.shape).astype("float32"))
    randomize_weights(model.layers[1], rng)
    for l in model.layers:
        randomize_bits(l.iq, rng)
    export_and_check(model, tmp_path)


@pytest.mark.parametrize("rnd,ovf", [("RND", "SAT"), ("TRN", "SAT_SYM"), ("RND", "WRAP"), ("RND_CONV", "SAT")])
def test_quantizer_layer_modes(tmp_path, rnd, ovf):
    rng = np.random.default_rng(4)
    model = keras.Sequential([
        keras.Input((6,)),
        QDense(10, iq_conf=iq_conf()),
        Quantizer(iq_conf(rnd=rnd, ovf=ovf, k=1, i=1, f=1), name="q_mid"),
        QDense(3, iq_conf=iq_conf()),
    ])
    for l in model.layers:
        randomize_weights(l, rng)
    for l in (model.layers[0], model.layers[2]):
        randomize_bits(l.iq, rng)
    randomize_bits(model.layers[1], rng, ilo=-2, ihi=2, flo=-1, fhi=3)
    m = export_and_check(model, tmp_path, n=5000)
    qs = [l for l in m["layers"] if l["type"] == "quantize"]
    if rnd == "RND_CONV":
        assert any(l.get("name", "").endswith("_rne_parity") for l in qs)
        assert qs[-2]["rounding"] == "RND" and qs[-2]["overflow"] == ovf
    else:
        assert qs[0]["rounding"] == rnd and qs[0]["overflow"] == ovf


def test_mismatch_is_detected(tmp_path):
    rng = np.random.default_rng(5)
    model = keras.Sequential([keras.Input((4,)), QDense(3, iq_conf=iq_conf())])
    randomize_weights(model.layers[0], rng)
    m = export_and_check(model, tmp_path)
    w = m["layers"][0]["weights"]
    i, j = next((i, j) for i in range(len(w)) for j in range(len(w[0])) if w[i][j] != 0)
    w[i][j] += 2.0 ** -20
    with pytest.raises(ExportError, match="MISMATCH"):
        checker.check_model(m, "unused.json", hgq2_front.predict_fn(model), 500)


def test_unsupported_layer(tmp_path, capsys):
    model = keras.Sequential([
        keras.Input((4,)),
        QDense(3, iq_conf=iq_conf()),
        keras.layers.LayerNormalization(name="ln"),
    ])
    path = tmp_path / "bad.keras"
    model.save(path)
    rc = cli.main([str(path), "-o", str(tmp_path / "bad.json"), "-q"])
    assert rc != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'ln'" in err[0] and "LayerNormalization" in err[0]
    assert not (tmp_path / "bad.json").exists()


def test_unsupported_activation(tmp_path, capsys):
    model = keras.Sequential([keras.Input((4,)), QDense(3, activation="softmax", iq_conf=iq_conf(), name="fc")])
    path = tmp_path / "bad.keras"
    model.save(path)
    rc = cli.main([str(path), "-o", str(tmp_path / "bad.json"), "-q"])
    assert rc != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'fc'" in err[0] and "softmax" in err[0]


@pytest.mark.skipif(not os.path.exists("/work/shared/models/hgq2_jsc_cernbox/jsc_cernbox_acc75.16.keras"),
                    reason="shared JSC model not present")
def test_jsc_model_matches_shipped_json(tmp_path):
    src = "/work/shared/models/hgq2_jsc_cernbox/jsc_cernbox_acc75.16.keras"
    out = tmp_path / "jsc.json"
    assert cli.main([src, "-o", str(out), "--check", "2000", "-q", "--name", "jsc_cernbox_acc75.16",
                              "--da-gen", "/nonexistent"]) == 0
    with open(os.path.join(REPO, "models", "jsc_cernbox_acc75.16.json")) as f:
        shipped = f.read()
    assert out.read_text() == shipped


# ============================================================================
# model.json version 2 (graphs): docs/exporter.md, "Version 2".

from dagen.keras import refsim  # noqa: E402


def _script(name):
    """A script of tools/examples/ as a module, loaded from its file (it is not a package)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(REPO, "tools", "examples", f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


make_v2_models = _script("make_v2_models")
from hgq.layers import QConv1D, QConv2D, QSum, QUnaryFunctionLUT  # noqa: E402


@pytest.mark.parametrize("name", sorted(make_v2_models.MODELS))
def test_v2_shipped_models_reexport_identically(tmp_path, name):
    model, seed = make_v2_models.MODELS[name]()
    make_v2_models.randomize(model, seed)
    m = export_and_check(model, tmp_path, name=name, n=1000)
    assert m["version"] == 2
    path = tmp_path / f"{name}.json"
    # the same bytes as the committed model (export_and_check names it from the file stem)
    shipped = (REPO_V2 / f"{name}.json").read_text()
    assert path.read_text() == shipped


REPO_V2 = __import__("pathlib").Path(REPO) / "tests" / "models" / "v2"


def test_v2_plain_dense_chain_stays_v1(tmp_path):
    model = keras.Sequential([keras.Input((4,)), QDense(3, activation="relu", iq_conf=iq_conf()), QDense(2)])
    randomize_weights(model.layers[0], np.random.default_rng(1))
    m = export_and_check(model, tmp_path)
    assert m["version"] == 1 and "layers" in m


def test_v2_conv2d_stride_dilation_bn_folded_avg_pool(tmp_path):
    x = keras.Input((9, 9, 2), name="img")
    h = QConv2D(3, (3, 2), strides=(2, 1), padding="same", iq_conf=iq_conf(rnd="TRN", ovf="WRAP", k=1, i=2, f=1), name="c1")(x)
    bn = keras.layers.BatchNormalization(name="bn")
    h = bn(h)
    h = keras.layers.AveragePooling2D((1, 2), strides=(1, 2), name="ap")(h)
    h = QConv2D(2, 2, dilation_rate=2, iq_conf=iq_conf(rnd="RND", ovf="SAT", k=0, i=2, f=1), name="c2")(keras.layers.ReLU()(h))
    y = keras.layers.GlobalMaxPooling2D(name="gmp")(h)
    model = keras.Model(x, y)
    rng = np.random.default_rng(3)
    for l in model.layers:
        randomize_weights(l, rng)
    bn.gamma.assign(np.array([2.0, 0.5, 1.0], "float32"))
    bn.beta.assign(np.array([0.5, -0.25, 0.0], "float32"))
    bn.moving_mean.assign(np.array([0.25, -0.5, 0.0], "float32"))
    bn.moving_variance.assign(np.array([4.0, 1.0, 0.25], "float32") - np.float32(bn.epsilon))
    m = export_and_check(model, tmp_path)
    ops = [n["op"] for n in m["nodes"]]
    assert "scale" not in ops and ops.count("conv2d") == 2 and "avg_pool2d" in ops and "global_max_pool" in ops


def test_v2_bn_after_add_is_scale_and_merges(tmp_path):
    a = keras.Input((3, 4), name="a")
    q = Quantizer(iq_conf(rnd="TRN", ovf="WRAP", k=1, i=2, f=2), name="aq")(a)
    d = QDense(4, enable_iq=False, name="fc")(q)
    s = keras.layers.Add(name="add")([d, q])
    bn = keras.layers.BatchNormalization(name="bn")
    y = bn(s)
    mx = keras.layers.Maximum(name="mx")([y, d])
    mn = keras.layers.Minimum(name="mn")([y, d])
    sb = keras.layers.Subtract(name="sb")([mx, mn])
    model = keras.Model(a, [sb, keras.layers.Permute((2, 1), name="perm")(mn)])
    randomize_weights(model.get_layer("fc"), np.random.default_rng(4))
    bn.gamma.assign(np.array([1.0, 2.0, 0.5, 1.0], "float32"))
    bn.beta.assign(np.array([0.25, 0.0, -0.5, 1.0], "float32"))
    bn.moving_mean.assign(np.zeros(4, "float32"))
    bn.moving_variance.assign(np.ones(4, "float32") - np.float32(bn.epsilon))
    m = export_and_check(model, tmp_path)
    ops = [n["op"] for n in m["nodes"]]
    assert "scale" in ops and "transpose" in ops and {"add", "max", "min", "sub"} <= set(ops)


def test_v2_conv1d_sigmoid_lookup_and_reshape(tmp_path):
    x = keras.Input((12, 1), name="s")
    h = QConv1D(2, 3, padding="same", strides=2, iq_conf=iq_conf(rnd="TRN", ovf="WRAP", k=1, i=1, f=2), enable_oq=True,
                oq_conf=iq_conf(rnd="RND", ovf="SAT", k=1, i=1, f=2), name="conv")(x)
    h = keras.layers.Activation("sigmoid", name="sig")(h)
    h = keras.layers.Reshape((4, 3), name="rs")(h)
    y = keras.layers.Flatten(name="fl")(h)
    model = keras.Model(x, y)
    randomize_weights(model.get_layer("conv"), np.random.default_rng(5))
    m = export_and_check(model, tmp_path)
    lk = [n for n in m["nodes"] if n["op"] == "lookup"]
    assert len(lk) == 1 and lk[0]["domain"] == {"signed": True, "int_bits": 1, "frac_bits": 2}


def test_v2_heterogeneous_lookup_tables(tmp_path):
    # per-element output quantizers: the elements need different tables
    x = keras.Input((5,), name="x")
    q = Quantizer(iq_conf(rnd="TRN", ovf="WRAP", k=1, i=1, f=2), name="q")(x)
    t = QUnaryFunctionLUT("tanh", enable_iq=False, oq_conf=iq_conf(rnd="RND", ovf="SAT", k=1, i=0, f=3), name="tanh")(q)
    model = keras.Model(x, t)
    randomize_bits(model.get_layer("tanh").oq, np.random.default_rng(6), kmax=1, ilo=0, ihi=1, flo=1, fhi=4)
    m = export_and_check(model, tmp_path)
    assert sum(n["op"] == "lookup" for n in m["nodes"]) > 1


def test_v2_einsum_contractions(tmp_path):
    from hgq.layers import QEinsumDense as QE

    x = keras.Input((5, 3), name="p")
    q = Quantizer(iq_conf(rnd="TRN", ovf="WRAP", k=1, i=1, f=2), name="q")(x)
    a = QE("bnc,nN->bNc", (4, 3), bias_axes="N", enable_iq=False, name="mixn")(q)
    b2 = QE("bnc,n->bc", (3,), enable_iq=False, name="wsum")(q)
    c = QE("...c,cC->...C", (2,), bias_axes="C", enable_iq=False, name="ell")(q)
    s = QSum(axes=1, enable_iq=False, name="sum")(a)
    model = keras.Model(x, [a, b2, c, s])
    rng = np.random.default_rng(7)
    for l in model.layers:
        randomize_weights(l, rng)
    m = export_and_check(model, tmp_path)
    g = refsim.V2Graph(m)
    assert [g.shapes[o] for o in g.outputs] == [[4, 3], [3], [5, 2], [3]]


def test_v2_unsupported_layer_one_line(tmp_path, capsys):
    x = keras.Input((6, 1))
    h = QConv1D(2, 3, iq_conf=iq_conf(), name="c")(x)
    h = keras.layers.LayerNormalization(name="ln")(h)
    model = keras.Model(x, h)
    path = tmp_path / "bad.keras"
    model.save(path)
    rc = cli.main([str(path), "-o", str(tmp_path / "bad.json"), "-q"])
    assert rc != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'ln'" in err[0] and "LayerNormalization" in err[0]


def test_v2_mismatch_is_detected(tmp_path):
    model, seed = make_v2_models.MODELS["cnn1d"]()
    make_v2_models.randomize(model, seed)
    m = export_and_check(model, tmp_path, n=200)
    conv = next(n for n in m["nodes"] if n["op"] == "conv1d")
    k = conv["kernel"]
    i, j, c = next((i, j, c) for i in range(len(k)) for j in range(len(k[0])) for c in range(len(k[0][0]))
                   if k[i][j][c] != 0)
    k[i][j][c] += 0.25
    with pytest.raises(ExportError, match="MISMATCH"):
        checker.check_model(m, "unused.json", hgq2_front.predict_fn(model), 500)


def test_v2_rnd_conv_per_element_output_quantizer(tmp_path):
    x = keras.Input((6, 2), name="s")
    h = QConv1D(3, 2, iq_conf=iq_conf(rnd="TRN", ovf="WRAP", k=1, i=1, f=2), enable_oq=True,
                oq_conf=iq_conf(rnd="RND_CONV", ovf="SAT", k=1, i=1, f=1), name="conv")(x)
    model = keras.Model(x, h)
    rng = np.random.default_rng(8)
    randomize_weights(model.get_layer("conv"), rng)
    randomize_bits(model.get_layer("conv").oq, rng, ilo=0, ihi=2, flo=0, fhi=2)
    m = export_and_check(model, tmp_path, n=3000)
    assert any(n["name"].endswith("_rne_parity") for n in m["nodes"])
