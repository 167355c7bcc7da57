"""The Python API against the command line: the same files byte for byte, predict == --eval,
the same errors as exceptions.  Run by ctest (python.api) with PYTHONPATH at the build's
python/ directory (the built dagen._core beside links to python/dagen/*) and DAGEN_BIN at da-gen."""

import json
import os
import subprocess
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import dagen

DAGEN = os.environ["DAGEN_BIN"]
SOURCE = Path(os.environ["DAGEN_SOURCE_DIR"])
JSC = SOURCE / "models/jsc_cernbox_acc75.16.json"
SHIPPED = sorted(
    p
    for d in ("tests/models", "tests/models/v2", "models")
    for p in (SOURCE / d).glob("*.json")
    if not p.name.endswith(".vectors.json")
)


def cli(*args, cwd=None):
    return subprocess.run([DAGEN, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def cli_message(*args, cwd=None):
    """The one line the CLI prints after 'da-gen: error: ' or 'da-gen: usage: '."""
    r = cli(*args, cwd=cwd)
    assert r.returncode != 0, r.stdout
    line = r.stderr.strip()
    for prefix in ("da-gen: error: ", "da-gen: usage: "):
        if line.startswith(prefix):
            return line[len(prefix):]
    raise AssertionError(f"unexpected stderr: {r.stderr!r}")


def directory_files(d: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


# --- load -> build -> write == the CLI's output --------------------------------------------

ROUND_TRIPS = [
    ("models/jsc_cernbox_acc75.16.json", {"pipeline": 3}, ["--pipeline", "3"]),
    ("tests/models/mixed_inputs.json", {"valid": True, "pipeline": 1}, ["--valid", "--pipeline", "1"]),
    ("models/jsc_cernbox_acc74.98.json", {"ternary": True, "pipeline": 2},
     ["--ternary", "--pipeline", "2"]),
    ("tests/models/v2/cnn1d.json", {"clock_period": 1.5}, ["--clock-period", "1.5"]),
    ("tests/models/v2/two_input.json", {"dump_graph": True, "top": "dut", "objective": "bits"},
     ["--dump-graph", "--top", "dut", "--objective", "bits"]),
    ("tests/models/wrap.json", {"dc": 1, "seed": 5, "target": "ice40", "pipeline": 2,
                                "stage_slack": 0.25},
     ["--dc", "1", "--seed", "5", "--target", "ice40", "--pipeline", "2", "--stage-slack", "0.25"]),
    ("tests/models/special_columns.json", {"no_share": True, "valid": False, "top": None}, []),
    ("tests/models/saturation.json", {"vivado": "xcvu9p-flga2104-2L-e", "clock_period": 3,
                                      "quartus": "10AX115S2F45I1SG"},
     ["--vivado", "xcvu9p-flga2104-2L-e", "--clock-period", "3", "--quartus", "10AX115S2F45I1SG"]),
]


@pytest.mark.parametrize("model,options,args", ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS])
def test_write_is_the_cli_output_byte_for_byte(tmp_path, model, options, args):
    design = dagen.load(SOURCE / model).build(**options)
    written = design.write(tmp_path / "py")
    assert written == str(tmp_path / "py")
    extra = ["--no-share"] if options.get("no_share") else []
    r = cli(SOURCE / model, "-o", tmp_path / "cli", *args, *extra)
    assert r.returncode == 0, r.stderr
    py, cl = directory_files(tmp_path / "py"), directory_files(tmp_path / "cli")
    assert sorted(py) == sorted(cl)
    for name in cl:
        assert py[name] == cl[name], name
    assert design.files == {k: v for k, v in cl.items() if k != ".da-gen-output"}
    assert design.report == json.loads(cl[design.top + ".json"])
    assert design.latency == design.report["latency_cycles"]


def test_loads_of_text_and_dict_build_the_same_design():
    text = JSC.read_text()
    by_path = dagen.load(JSC).build(pipeline=2).files
    assert dagen.loads(text).build(pipeline=2).files == by_path
    assert dagen.loads(json.loads(text)).build(pipeline=2).files == by_path


def test_a_dict_with_numpy_values_and_fine_weights(tmp_path):
    # 2**-30 + 2**-32 is 1.1641532182693481e-09 in json.dumps: read back as the same double.
    model = wide_model()
    model["inputs"][0]["type"] = {"signed": True, "int_bits": 3, "frac_bits": 4}
    model["nodes"][0]["weights"] = np.array([[2.0**-30 + 2.0**-32, 1.0], [0.5, -2.0]])
    model["nodes"][0]["bias"] = [np.float64(0.25), np.int64(-1)]
    path = tmp_path / "m.json"
    path.write_text(json.dumps({**model, "nodes": [{**model["nodes"][0], "weights": [
        ["0.00000000116415321826934814453125", 1], [0.5, -2]], "bias": [0.25, -1]}]}).replace(
        '"0.00000000116415321826934814453125"', "0.00000000116415321826934814453125"))
    assert dagen.loads(model).build().files == dagen.load(path).build().files


def test_rewriting_its_own_output_and_force(tmp_path):
    design = dagen.load(JSC).build()
    out = tmp_path / "out"
    design.write(out)
    design.write(out)  # the manifest says da-gen wrote it
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(dagen.ToolError) as e:
        design.write(foreign)
    assert str(e.value) == cli_message(JSC, "-o", foreign)
    design.write(foreign, force=True)
    assert (foreign / "notes.txt").read_text() == "mine"
    assert (foreign / (design.top + ".v")).read_bytes() == design.files[design.top + ".v"]


# --- predict == da-gen --eval --------------------------------------------------------------


def exact_decimal(v: Fraction) -> str:
    """A binary fraction's exact decimal text (--eval reads numbers from their text)."""
    den = v.denominator
    k = den.bit_length() - 1
    assert den == 1 << k
    digits = abs(v.numerator) * 5**k
    whole, frac = divmod(digits, 10**k)
    text = str(whole) + (("." + str(frac).rjust(k, "0").rstrip("0")) if frac else "")
    return ("-" if v < 0 else "") + text


def code_range(t):
    if t["width"] == 0:
        return 0, 0
    if t["signed"]:
        return -(1 << (t["width"] - 1)), (1 << (t["width"] - 1)) - 1
    return 0, (1 << t["width"]) - 1


def corner_and_random_codes(types, n_random=40, seed=3):
    lo, hi = zip(*(code_range(t) for t in types))
    rows = [list(lo), list(hi), [0] * len(types), [min(1, h) for h in hi],
            [max(-1, low) for low in lo],
            [lo[k] if k % 2 else hi[k] for k in range(len(types))]]
    rng = np.random.default_rng(seed)
    for _ in range(n_random):
        rows.append([int(rng.integers(0, 1 << 62)) % (h - low + 1) + low if h > low else low
                     for low, h in zip(lo, hi)])
    return rows


def value(code, frac):
    return Fraction(code) / (Fraction(2) ** frac)


def eval_outputs(model_path, value_rows, tmp_path):
    inputs = tmp_path / "inputs.json"
    inputs.write_text('{"inputs": [' + ",".join(
        "[" + ",".join(exact_decimal(v) for v in row) + "]" for row in value_rows) + "]}")
    r = cli(model_path, "--eval", inputs)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout, parse_float=Fraction, parse_int=Fraction)["outputs"]


def check_predict_equals_eval(model_path, tmp_path):
    model = dagen.load(model_path)
    code_rows = corner_and_random_codes(model.inputs)
    value_rows = [[value(c, t["frac_bits"]) for c, t in zip(row, model.inputs)] for row in code_rows]
    want = eval_outputs(model_path, value_rows, tmp_path)
    exact_inputs = all(t["width"] <= 53 for t in model.inputs)
    x = (np.array([[float(v) for v in row] for row in value_rows]) if exact_inputs
         else np.array(value_rows, dtype=object))
    codes = model.predict(x, codes=True)
    assert codes.shape == (len(code_rows), len(model.outputs))
    got = [[value(int(c), t["frac_bits"]) for c, t in zip(row, model.outputs)] for row in codes]
    assert got == want
    if all(t["width"] <= 53 for t in model.outputs):
        y = model.predict(x)
        assert y.dtype == np.float64
        assert y.tolist() == [[float(v) for v in row] for row in want]
    assert (model.predict_codes(np.array(code_rows, dtype=object if not exact_inputs else np.int64))
            == codes).all()
    return model, x, codes


@pytest.mark.parametrize("model_path", SHIPPED, ids=[str(p.relative_to(SOURCE)) for p in SHIPPED])
def test_predict_equals_eval_on_every_shipped_model(tmp_path, model_path):
    check_predict_equals_eval(model_path, tmp_path)


def wide_model():
    """Elements beyond 64 bits: inputs of 71 and 100 bits, outputs of about 102 bits."""
    return {
        "version": 2, "name": "wide",
        "inputs": [{"name": "x", "shape": [2], "type": [
            {"signed": True, "int_bits": 60, "frac_bits": 10},
            {"signed": False, "int_bits": 90, "frac_bits": 10}]}],
        "nodes": [{"name": "y", "op": "dense", "input": "x",
                   "weights": [[3, -1], [0.5, 2]], "bias": [0.25, -1]}],
        "outputs": ["y"],
    }


def test_predict_equals_eval_beyond_64_bits(tmp_path):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(wide_model()))
    model, x, codes = check_predict_equals_eval(path, tmp_path)
    assert max(t["width"] for t in model.inputs) > 64 and max(t["width"] for t in model.outputs) > 64
    assert codes.dtype == object
    with pytest.warns(dagen.InexactOutputWarning, match=r"c \* 2\*\*-outputs\[k\]\['frac_bits'\]"):
        assert (model.predict(x) == codes).all()
    design = model.build(pipeline=1)
    assert [(t["width"], t["signed"], t["frac_bits"]) for t in design.outputs] == [
        (p["width"], p["signed"], p["frac_bits"]) for p in design.report["outputs"]]
    got = design.predict(x, codes=True)
    for row_d, row_m in zip(got, codes):
        for c_d, t_d, c_m, t_m in zip(row_d, design.outputs, row_m, model.outputs):
            assert value(c_d, t_d["frac_bits"]) == value(c_m, t_m["frac_bits"])


def test_outputs_wider_than_53_bits_come_as_codes_with_a_warning():
    model = dagen.load(SOURCE / "tests/models/widths.json")
    x = np.zeros((3, len(model.inputs)))
    with pytest.warns(dagen.InexactOutputWarning):
        y = model.predict(x)
    assert y.dtype == np.int64
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (model.predict(x, codes=True) == y).all()


# --- inputs: exactness and shapes ----------------------------------------------------------


def test_inexact_input_raises_unless_quantized():
    model = dagen.load(JSC)
    lsb = 2.0 ** -model.inputs[0]["frac_bits"]
    x = np.zeros((2, 16))
    x[1, 0] = 0.3 * lsb
    with pytest.raises(dagen.CodeError, match=r"x\[1, 0\].*not exactly representable"):
        model.predict(x)
    assert (model.predict(x, quantize="TRN") == model.predict(np.zeros((2, 16)))).all()
    x[1, 0] = 0.7 * lsb
    rounded = np.zeros((2, 16))
    rounded[1, 0] = lsb
    assert (model.predict(x, quantize="RND") == model.predict(rounded)).all()
    big = np.zeros((1, 16))
    big[0, 0] = 1e6
    with pytest.raises(dagen.CodeError, match="outside"):
        model.predict(big)
    model.predict(big, overflow="SAT")


def test_shapes_one_vector_batches_and_several_inputs():
    model = dagen.load(JSC)
    x = np.zeros((4, 16))
    assert model.predict(x).shape == (4, 5)
    assert model.predict(x[0]).shape == (5,)
    assert (model.predict(x[0]) == model.predict(x)[0]).all()
    with pytest.raises(dagen.CodeError, match="shape"):
        model.predict(np.zeros((4, 15)))
    cnn = dagen.load(SOURCE / "tests/models/v2/cnn2d.json")
    shape = tuple(cnn.input_tensors[0]["shape"])
    batch = np.zeros((3, *shape))
    assert (cnn.predict(batch) == cnn.predict(batch.reshape(3, -1))).all()
    assert cnn.predict(batch[0]).ndim == 1

    two = dagen.load(SOURCE / "tests/models/v2/two_input.json")
    a, b = two.input_tensors
    codes = np.array(corner_and_random_codes(two.inputs, 10))
    xs = codes * np.array([2.0 ** -t["frac_bits"] for t in two.inputs])
    xa, xb = xs[:, : a["size"]], xs[:, a["size"]:]
    flat = two.predict_codes(codes)
    as_dict = two.predict({b["name"]: xb, a["name"]: xa}, codes=True)
    as_list = two.predict([xa, xb], codes=True)
    assert (as_dict == flat).all() and (as_list == flat).all()
    assert (two.predict([xa[0], xb[0]], codes=True) == flat[0]).all()
    with pytest.raises(dagen.CodeError, match="disagree"):
        two.predict([xa, xb[:2]])
    with pytest.raises(dagen.CodeError, match="missing"):
        two.predict({a["name"]: xa})
    assert (two.predict(xs, codes=True) == flat).all()  # one array: every input, flat
    with pytest.raises(dagen.CodeError, match="input tensors"):
        two.predict([xa, xb, xb])


# --- errors: the CLI's messages as exceptions ----------------------------------------------


def test_model_errors_carry_the_json_location(tmp_path):
    broken = json.loads(JSC.read_text())
    broken["layers"][0]["weights"] = broken["layers"][0]["weights"][:3]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(dagen.ModelError) as e:
        dagen.load(path)
    message = cli_message(path)
    assert str(e.value) == message and message.startswith("layers[0].weights")
    with pytest.raises(dagen.ModelError) as e:
        dagen.loads(broken)
    assert str(e.value) == message
    assert isinstance(e.value, ValueError) and isinstance(e.value, dagen.Error)
    syntax = tmp_path / "syntax.json"
    syntax.write_text('{"name": "x",\n "layers": [}')
    with pytest.raises(dagen.ModelError) as e:
        dagen.load(syntax)
    assert str(e.value) == cli_message(syntax)


@pytest.mark.parametrize("keywords,args", [
    ({"pipeline": "x"}, ["--pipeline", "x"]),
    ({"pipeline": -1}, ["--pipeline", "-1"]),
    ({"pipeline": 2.5}, ["--pipeline", "2.5"]),
    ({"clock_period": 0.0}, ["--clock-period", "0.0"]),
    ({"objective": "fast"}, ["--objective", "fast"]),
    ({"target": "virtex2"}, ["--target", "virtex2"]),
    ({"top": "module"}, ["--top", "module"]),
    ({"seed": -3}, ["--seed", "-3"]),
    ({"stage_slack": 0.5}, ["--stage-slack", "0.5"]),
    ({"stage_slack": 0.5, "clock_period": 2, "pipeline": 2},
     ["--stage-slack", "0.5", "--clock-period", "2", "--pipeline", "2"]),
    ({"ternary": True, "target": "ice40"}, ["--ternary", "--target", "ice40"]),
])
def test_option_errors_are_the_cli_messages(tmp_path, keywords, args):
    model = dagen.load(JSC)
    with pytest.raises(dagen.OptionError) as e:
        model.build(**keywords)
    assert str(e.value) == cli_message(JSC, "-o", tmp_path / "out", *args)
    assert isinstance(e.value, ValueError)


def test_keywords_the_cli_does_not_have_or_spells_otherwise():
    model = dagen.load(JSC)
    with pytest.raises(dagen.OptionError, match=r"unknown keyword 'pipline' \(dagen.build_options"):
        model.build(pipline=3)
    with pytest.raises(dagen.OptionError, match=r"'force' is not a build keyword.*write"):
        model.build(force=True)
    with pytest.raises(dagen.OptionError, match="flag"):
        model.build(ternary=1)
    names = {o["name"] for o in dagen.build_options()}
    assert {"pipeline", "clock-period", "ternary", "valid", "no-share"} <= names
    assert not names & {"output", "force", "verify", "vectors"}


def test_tool_errors_are_the_cli_messages(tmp_path, monkeypatch):
    design = dagen.load(JSC).build()
    monkeypatch.chdir(tmp_path)
    for where in (".", str(tmp_path.parent), str(SOURCE / "models")):
        with pytest.raises(dagen.ToolError) as e:
            design.write(where)
        assert str(e.value) == cli_message(JSC, "-o", where, cwd=tmp_path)
    with pytest.raises(dagen.OptionError) as e:
        design.write("")
    assert str(e.value) == cli_message(JSC, "-o", "")
    with pytest.raises(dagen.ToolError) as e:
        dagen.load(JSC).build(pipeline=1, clock_period=0.05)
    assert str(e.value) == cli_message(JSC, "-o", tmp_path / "o", "--pipeline", "1",
                                       "--clock-period", "0.05")
    with pytest.raises(dagen.ModelError) as e:
        dagen.load(tmp_path / "missing.json")
    assert str(e.value) == cli_message(tmp_path / "missing.json")


def test_version_is_the_cli_version():
    assert cli("--version").stdout.strip() == f"da-gen {dagen.__version__}"


def test_compile_writes_and_simulates(tmp_path):
    sim = pytest.importorskip("dagen.sim", reason="dagen.sim (branch pysim) is not here")
    model = dagen.load(JSC)
    design = model.build(pipeline=2)
    codes = np.array(corner_and_random_codes(model.inputs, 200))
    x = codes * np.array([2.0 ** -t["frac_bits"] for t in model.inputs])
    compiled = design.compile(tmp_path / "d")
    assert (compiled.predict(x) == design.predict(x)).all()
    assert (tmp_path / "d" / (design.top + ".v")).read_bytes() == design.files[design.top + ".v"]
    again = dagen.load(JSC).build(pipeline=2)
    assert (again.compile().predict(x[:10]) == design.predict(x[:10])).all()  # a temporary dir
    assert sim is not None


def test_compile_of_a_vhdl_design_says_what_to_do(tmp_path):
    from dagen.sim import SimBuildError

    design = dagen.load(JSC).build(pipeline=2, hdl="vhdl")
    assert sorted(design.files) == sorted([design.top + ".vhd", design.top + ".json"])
    with pytest.raises(SimBuildError, match="this design is VHDL: build it with hdl='verilog'"):
        design.compile(tmp_path / "d")
    assert not (tmp_path / "d").exists()


def test_a_design_keeps_its_model_copy_independent():
    model = dagen.load(JSC)
    design = model.build()
    report = design.report
    report["latency_cycles"] = 99
    assert design.report["latency_cycles"] == 0
    files = design.files
    files.clear()
    assert design.files


def dense_chain(layers, width, seed=0):
    """A model whose build takes a while: `layers` dense layers, each quantized."""
    rng = np.random.default_rng(seed)
    nodes, previous = [], "x"
    for k in range(layers):
        nodes.append({"name": f"d{k}", "op": "dense", "input": previous,
                      "weights": (rng.integers(-128, 128, size=(width, width)) / 64).tolist()})
        nodes.append({"name": f"q{k}", "op": "quantize", "input": f"d{k}", "overflow": "SAT",
                      "to": {"signed": True, "int_bits": 3, "frac_bits": 4}})
        previous = f"q{k}"
    return {"version": 2, "name": "chain", "nodes": nodes, "outputs": [previous],
            "inputs": [{"name": "x", "shape": [width],
                        "type": {"signed": True, "int_bits": 3, "frac_bits": 4}}]}


def test_ctrl_c_stops_a_build_with_keyboard_interrupt():
    import signal
    import threading
    import time

    model = dagen.loads(dense_chain(16, 16))
    start = time.perf_counter()
    model.build()
    whole = time.perf_counter() - start
    timer = threading.Timer(whole / 10, os.kill, (os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        model.build()
    stopped = time.perf_counter() - start
    timer.join()
    assert stopped < whole / 2, (stopped, whole)  # stopped inside the build, not after it
    assert model.build().files  # the interrupt is forgotten once raised
