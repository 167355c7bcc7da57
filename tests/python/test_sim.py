"""dagen.sim: the written RTL built by Verilator and streamed from numpy, against `da-gen --eval`.

Needs the CLI ($DAGEN_BIN, set by ctest) to write designs and evaluate the reference, and
Verilator; skipped with the reason when either is missing.  Libraries are cached in
$DAGEN_TEST_SIM_CACHE (ctest: the build tree), so a rerun builds only what changed.
"""

import json
import os
import random
import re
import shutil
import subprocess
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import dagen.sim as dsim
from dagen._codes import CodeError, ElementType
from dagen._sim_words import check_codes, pack, unpack

REPO = Path(__file__).resolve().parents[2]
DAGEN = os.environ.get("DAGEN_BIN", "")
needs_tools = pytest.mark.skipif(
    not (DAGEN and os.access(DAGEN, os.X_OK)) or not shutil.which("verilator"),
    reason="needs the da-gen CLI ($DAGEN_BIN) and Verilator on PATH",
)

# A model with elements wider than 64 bits: 80-bit inputs, 84- and 83-bit outputs and a
# 3-bit constant output.
WIDE_MODEL = {
    "name": "wide",
    "input": {"size": 3, "type": {"signed": True, "int_bits": 59, "frac_bits": 20}},
    "layers": [
        {
            "type": "dense",
            "name": "d",
            "weights": [[1.5, -3, 0], [0.25, 1, 0], [-0.75, 0, 0]],
            "bias": [0.5, -2, 1.25],
        }
    ],
}

# (model, pipeline, extra options): v1 and v2 test models and the shipped JSC model.
DESIGNS = [
    ("tests/models/mixed_inputs.json", 0, []),
    ("tests/models/mixed_inputs.json", 3, ["--valid"]),
    ("tests/models/saturation.json", 3, []),
    ("tests/models/special_columns.json", 0, ["--valid"]),
    ("tests/models/widths.json", 0, []),
    ("tests/models/widths.json", 3, ["--valid"]),
    ("tests/models/wrap.json", 3, []),
    ("tests/models/v2/hand_tanh_argmax.json", 0, []),
    ("tests/models/v2/hand_tanh_argmax.json", 3, ["--valid"]),
    ("tests/models/v2/two_input.json", 3, []),
    ("tests/models/v2/cnn1d.json", 0, ["--valid"]),
    ("models/jsc_cernbox_acc75.16.json", 3, ["--valid"]),
    ("wide", 0, []),
    ("wide", 3, ["--valid"]),
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return Path(os.environ.get("DAGEN_TEST_SIM_CACHE") or tmp_path_factory.mktemp("sim-cache"))


@pytest.fixture(scope="module")
def wide_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "wide.json"
    path.write_text(json.dumps(WIDE_MODEL))
    return path


def model_path(name, wide_model):
    return wide_model if name == "wide" else REPO / name


def write_design(model, pipeline, options, out):
    cmd = [DAGEN, str(model), "--pipeline", str(pipeline), "-o", str(out), *options]
    subprocess.run(cmd, check=True, capture_output=True)
    top = json.loads(next(out.glob("*.json")).read_text())["top"]
    return json.loads((out / f"{top}.json").read_text())


def decimal(code, frac_bits):
    """The exact decimal spelling of code * 2**-frac_bits (any width)."""
    if frac_bits <= 0:
        return str(code << -frac_bits)
    digits = str(abs(code) * 5**frac_bits).rjust(frac_bits + 1, "0")
    return ("-" if code < 0 else "") + digits[:-frac_bits] + "." + digits[-frac_bits:]


def reference_codes(model, x_codes, inputs, outputs, tmp):
    """Output codes of `da-gen --eval` on input codes (lists of Python ints)."""
    rows = [
        "[" + ",".join(decimal(c, t["frac_bits"]) for c, t in zip(row, inputs)) + "]"
        for row in x_codes
    ]
    path = tmp / "eval_inputs.json"
    path.write_text('{"inputs": [' + ",".join(rows) + "]}")
    done = subprocess.run([DAGEN, str(model), "--eval", str(path)], check=True,
                          capture_output=True, text=True)
    values = json.loads(done.stdout, parse_float=Fraction, parse_int=Fraction)["outputs"]
    codes = []
    for row in values:
        scaled = [v * Fraction(2) ** t["frac_bits"] for v, t in zip(row, outputs)]
        assert all(s.denominator == 1 for s in scaled)
        codes.append([int(s) for s in scaled])
    return codes


def input_codes(inputs, n_random, seed):
    """Corner vectors (every element at its minimum, maximum, 0, -1 or 1, and alternating
    extremes), then random vectors that hit a corner in a third of their elements."""
    types = [ElementType(t["width"], t["signed"], t["frac_bits"]) for t in inputs]
    lo, hi = [t.low for t in types], [t.high for t in types]
    vectors = [lo, hi, [0] * len(types)]
    vectors += [[max(t.low, -1) for t in types], [min(t.high, 1) for t in types]]
    vectors += [[(lo, hi)[(k + p) % 2][k] for k in range(len(types))] for p in (0, 1)]
    rng = random.Random(seed)
    for _ in range(n_random):
        row = []
        for t in types:
            corners = [t.low, t.high, 0, min(t.high, 1), max(t.low, -1)]
            row.append(rng.choice(corners) if rng.random() < 1 / 3 else rng.randint(t.low, t.high))
        vectors.append(row)
    return vectors


def as_batch(codes, types):
    wide = any(t["width"] > 63 for t in types)
    return np.array(codes, dtype=object if wide else np.int64)


@needs_tools
@pytest.mark.parametrize("model,pipeline,options", DESIGNS,
                         ids=[f"{Path(m).stem}-p{p}{''.join(o)}" for m, p, o in DESIGNS])
def test_rtl_matches_eval(model, pipeline, options, cache, wide_model, tmp_path):
    model = model_path(model, wide_model)
    report = write_design(model, pipeline, options, tmp_path / "design")
    before = sorted(os.listdir(tmp_path / "design"))
    sim = dsim.compile(tmp_path / "design", build_dir=cache)
    assert sorted(os.listdir(tmp_path / "design")) == before  # nothing written into the design
    assert (sim.latency, sim.top, sim.valid) == (pipeline, report["top"], "--valid" in options)
    assert sim.inputs == report["inputs"] and sim.outputs == report["outputs"]

    x = input_codes(sim.inputs, 200, seed=pipeline)
    expected = reference_codes(model, x, sim.inputs, sim.outputs, tmp_path)
    got = sim.predict_codes(as_batch(x, sim.inputs))
    assert got.tolist() == expected

    values = [[Fraction(c, 2 ** t["frac_bits"]) if t["frac_bits"] >= 0 else c << -t["frac_bits"]
               for c, t in zip(row, sim.inputs)] for row in x]
    narrow_in = all(t["width"] <= 53 for t in sim.inputs)
    xv = np.array(values, dtype=np.float64) if narrow_in else np.array(values, dtype=object)
    if all(t["width"] <= 53 for t in sim.outputs):
        y = sim.predict(xv)
        assert y.dtype == np.float64
        want = [[float(Fraction(c, 2 ** t["frac_bits"])) for c, t in zip(row, sim.outputs)]
                for row in expected]
        np.testing.assert_array_equal(y, np.array(want))
    else:
        with pytest.warns(dsim.InexactOutputWarning):
            y = sim.predict(xv)
        assert y.tolist() == expected
    # One vector in, one out; codes=True gives the codes.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sim.predict(xv[3], codes=True).tolist() == expected[3]


@needs_tools
def test_batches_split_across_calls_give_the_same_outputs(cache, tmp_path, monkeypatch):
    report = write_design(REPO / "tests/models/wrap.json", 3, ["--valid"], tmp_path / "d")
    sim = dsim.compile(tmp_path / "d", build_dir=cache)
    x = as_batch(input_codes(report["inputs"], 50, seed=7), report["inputs"])
    whole = sim.predict_codes(x)
    monkeypatch.setattr(dsim, "_CHUNK", 7)  # every call leaves the pipeline empty for the next
    assert sim.predict_codes(x).tolist() == whole.tolist()
    assert sim.predict_codes(x[:0]).shape == (0, len(report["outputs"]))


def flip_first_constant(verilog: Path):
    """Flips the lowest bit of the first constant assigned to a node (n12 = 4'hb;)."""
    text = verilog.read_text()
    m = re.search(r"(assign n\d+ = \d+'h)([0-9a-f]+);", text)
    assert m, "no constant in the design"
    flipped = format(int(m.group(2), 16) ^ 1, "x")
    verilog.write_text(text[: m.start(2)] + flipped + text[m.end(2):])


@needs_tools
def test_a_mutated_constant_is_found(cache, tmp_path):
    """The mutant and the original (same top name) loaded side by side: each its own code."""
    model = REPO / "tests/models/wrap.json"
    report = write_design(model, 0, [], tmp_path / "d")
    shutil.copytree(tmp_path / "d", tmp_path / "m")
    flip_first_constant(tmp_path / "m" / f"{report['top']}.v")
    mutant = dsim.compile(tmp_path / "m", build_dir=cache)
    original = dsim.compile(tmp_path / "d", build_dir=cache)
    assert mutant.library != original.library
    x = input_codes(report["inputs"], 100, seed=1)
    expected = reference_codes(model, x, report["inputs"], report["outputs"], tmp_path)
    assert mutant.predict_codes(as_batch(x, report["inputs"])).tolist() != expected
    assert original.predict_codes(as_batch(x, report["inputs"])).tolist() == expected


@needs_tools
def test_y_valid_one_cycle_early_is_an_error(cache, tmp_path):
    report = write_design(REPO / "tests/models/wrap.json", 3, ["--valid"], tmp_path / "d")
    v = tmp_path / "d" / f"{report['top']}.v"
    text = v.read_text()
    assert "assign y_valid = x_valid_t[2];" in text
    v.write_text(text.replace("assign y_valid = x_valid_t[2];", "assign y_valid = x_valid_t[1];"))
    sim = dsim.compile(tmp_path / "d", build_dir=cache)
    x = as_batch(input_codes(report["inputs"], 5, seed=2), report["inputs"])
    with pytest.raises(dsim.SimRunError, match=r"y_valid is high 2 cycles after input vector 0"):
        sim.predict_codes(x)


@needs_tools
def test_a_build_error_is_one_line_with_its_log(cache, tmp_path):
    report = write_design(REPO / "tests/models/wrap.json", 0, [], tmp_path / "d")
    v = tmp_path / "d" / f"{report['top']}.v"
    v.write_text(v.read_text().replace("endmodule", "endmodul"))
    with pytest.raises(dsim.SimBuildError) as e:
        dsim.compile(tmp_path / "d", build_dir=cache)
    message = str(e.value)
    assert "\n" not in message and "verilating wrap failed" in message
    log = Path(message.rsplit("log: ", 1)[1])
    assert log.is_file() and "%Error" in log.read_text() and cache in log.parents


@needs_tools
def test_tool_and_design_errors(cache, tmp_path, monkeypatch):
    with pytest.raises(dsim.SimBuildError, match="no da-gen report"):
        dsim.compile(tmp_path, build_dir=cache)
    report = write_design(REPO / "tests/models/wrap.json", 0, ["--valid"], tmp_path / "d")
    # The report must describe the Verilog (the library of this Verilog is cached by now).
    path = tmp_path / "d" / f"{report['top']}.json"
    path.write_text(json.dumps(dict(report, valid=False)))
    mismatch = "does not match its report: the report says valid"
    with pytest.raises(dsim.SimBuildError, match=mismatch):
        dsim.compile(tmp_path / "d", build_dir=cache)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("VERILATOR_ROOT", raising=False)
    with pytest.raises(dsim.SimBuildError, match=r"needs Verilator: 'verilator' is not on PATH"):
        dsim.compile(tmp_path / "d", build_dir=cache)


@needs_tools
def test_codes_are_checked(cache, tmp_path):
    write_design(REPO / "tests/models/wrap.json", 0, [], tmp_path / "d")
    sim = dsim.compile(tmp_path / "d", build_dir=cache)
    n = len(sim.inputs)
    with pytest.raises(CodeError, match=r"codes\[0, 1\] = 32 is outside element 1's codes"):
        sim.predict_codes(np.array([[0, 32] + [0] * (n - 2)]))
    with pytest.raises(CodeError, match="expected integer codes"):
        sim.predict_codes(np.zeros((1, n)))
    with pytest.raises(CodeError, match="is not exactly representable"):
        sim.predict(np.full((1, n), 0.1))
    assert sim.predict(np.full((1, n), 0.1), quantize="TRN").shape == (1, len(sim.outputs))


def reference_pack(rows, types, offsets):
    """The port of each vector as one Python int."""
    return [sum((c & ((1 << t.width) - 1)) << o for c, t, o in zip(row, types, offsets))
            for row in rows]


def test_pack_and_unpack_against_python_ints():
    rng = random.Random(3)
    for trial in range(40):
        types, offsets, bit = [], [], 0
        for _ in range(rng.randint(1, 9)):
            width = rng.choice([0, 1, 7, 31, 32, 33, 53, 62, 63, 64, 65, 100, 120])
            if trial % 2 and width > 63:  # half the trials without wide elements: the int64 path
                width = 63
            types.append(ElementType(width, rng.random() < 0.6, 0))
            offsets.append(bit)
            bit += width
        words = max((bit + 31) // 32, 1)
        rows = [[rng.randint(t.low, t.high) for t in types] for _ in range(25)]
        rows += [[t.low for t in types], [t.high for t in types]]
        codes = check_codes(as_batch(rows, [{"width": t.width} for t in types]), types)
        w = pack(codes, types, offsets, words)
        assert w.shape == (len(rows), words) and w.dtype == np.uint32
        got = [sum(int(x) << (32 * i) for i, x in enumerate(r)) for r in w]
        assert got == reference_pack(rows, types, offsets)
        back = unpack(w, types, offsets)
        assert back.dtype == (object if any(t.width > 63 for t in types) else np.int64)
        assert back.tolist() == rows
