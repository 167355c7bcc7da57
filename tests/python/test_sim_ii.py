"""dagen.sim at an initiation interval K > 1: an input every K cycles (the report's
"initiation_interval": a digit-serial --ii design's, or forced on an II = 1 --valid design, which
accepts any K), the same outputs as `da-gen --eval`, y_valid checked in every cycle; and negative controls made by
tests/stream/ii_mutate.py (x taken one cycle late, y_valid late, one extra y_valid pulse)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import dagen.sim as dsim
from test_sim import REPO, as_batch, input_codes, needs_tools, reference_codes, write_design

MODEL = REPO / "tests/models/wrap.json"
MUTATE = REPO / "tests/stream/ii_mutate.py"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return Path(os.environ.get("DAGEN_TEST_SIM_CACHE") or tmp_path_factory.mktemp("sim-cache"))


def design(tmp_path, ii, mutation=None):
    """wrap.json at pipeline 3 with --valid, optionally mutated, its report saying `ii`."""
    out = tmp_path / (mutation or "d")
    report = write_design(MODEL, 3, ["--valid"], out)
    if mutation:
        subprocess.run([sys.executable, str(MUTATE), str(out), mutation], check=True,
                       capture_output=True)
    path = out / f"{report['top']}.json"
    report = json.loads(path.read_text())
    path.write_text(json.dumps(dict(report, initiation_interval=ii)))
    return out, report


@needs_tools
@pytest.mark.parametrize("ii", [2, 5])
def test_inputs_every_k_cycles_match_eval(cache, tmp_path, ii):
    out, report = design(tmp_path, ii)
    sim = dsim.compile(out, build_dir=cache)
    assert (sim.initiation_interval, sim.latency) == (ii, 3)
    assert f"initiation interval {ii}" in repr(sim)
    x = input_codes(report["inputs"], 150, seed=ii)
    expected = reference_codes(MODEL, x, report["inputs"], report["outputs"], tmp_path)
    assert sim.predict_codes(as_batch(x, report["inputs"])).tolist() == expected
    assert sim.predict_codes(as_batch(x[:1], report["inputs"])).tolist() == expected[:1]


@needs_tools
def test_a_digit_serial_design_runs_at_its_interval(cache, tmp_path):
    """--ii 8: the interval comes from the report; outputs as `da-gen --eval`."""
    out = tmp_path / "serial"
    subprocess.run([os.environ["DAGEN_BIN"], str(MODEL), "--ii", "8", "-o", str(out)], check=True,
                   capture_output=True)
    report = json.loads(next(p for p in out.glob("*.json")).read_text())
    sim = dsim.compile(out, build_dir=cache)
    assert (sim.initiation_interval, sim.valid) == (8, True)
    assert report["serial"]["digit_bits"] == 2
    x = input_codes(report["inputs"], 100, seed=5)
    expected = reference_codes(MODEL, x, report["inputs"], report["outputs"], tmp_path)
    assert sim.predict_codes(as_batch(x, report["inputs"])).tolist() == expected


@needs_tools
def test_a_streamed_design_runs_at_its_interval(cache, tmp_path):
    """--ii 12 on the CNN: a streamed convolution (four kernel instances, the kernel and tail
    modules in their own files); outputs as `da-gen --eval`."""
    model = REPO / "tests/models/v2/cnn2d.json"
    out = tmp_path / "streamed"
    subprocess.run([os.environ["DAGEN_BIN"], str(model), "--ii", "12", "-o", str(out)], check=True,
                   capture_output=True)
    report = json.loads((out / "cnn2d.json").read_text())
    assert (report["architecture"], report["stream"]["kernel_instances"]) == ("streamed", 4)
    sim = dsim.compile(out, build_dir=cache)
    assert (sim.initiation_interval, sim.valid) == (12, True)
    x = input_codes(report["inputs"], 60, seed=12)
    expected = reference_codes(model, x, report["inputs"], report["outputs"], tmp_path)
    assert sim.predict_codes(as_batch(x, report["inputs"])).tolist() == expected


@needs_tools
def test_x_taken_one_cycle_late_gives_wrong_outputs(cache, tmp_path):
    """Between inputs x carries the next vector early: a design sampling x late is wrong."""
    out, report = design(tmp_path, 3, "late_x")
    sim = dsim.compile(out, build_dir=cache)
    x = input_codes(report["inputs"], 50, seed=3)
    expected = reference_codes(MODEL, x, report["inputs"], report["outputs"], tmp_path)
    got = sim.predict_codes(as_batch(x, report["inputs"])).tolist()
    assert sum(g != e for g, e in zip(got, expected)) > len(x) // 2


@needs_tools
@pytest.mark.parametrize("mutation,message", [
    ("valid_late", r"y_valid is low 3 cycles after input vector 0$"),
    ("extra_pulse", r"y_valid is high 4 cycles after input vector 0, not 3 \(a new input every 5 "
                    r"cycles\)$"),
])
def test_y_valid_off_its_cycle_is_an_error(cache, tmp_path, mutation, message):
    out, report = design(tmp_path, 5, mutation)
    sim = dsim.compile(out, build_dir=cache)
    x = as_batch(input_codes(report["inputs"], 5, seed=4), report["inputs"])
    with pytest.raises(dsim.SimRunError, match=message):
        sim.predict_codes(x)


@needs_tools
def test_a_bad_initiation_interval_in_the_report_is_refused(cache, tmp_path):
    out, _ = design(tmp_path, 0)
    with pytest.raises(dsim.SimBuildError, match=r"initiation_interval 0 is not an integer >= 1"):
        dsim.compile(out, build_dir=cache)
