"""benchmarks/ii_tradeoff.py: its simulation check fails on mutated designs, its Pareto front,
and one quick run on the 16x16 8-bit layer (II = 1 and the bit-serial extreme) meeting issue 20's
target.  Needs $DAGEN_BIN, the dagen package (PYTHONPATH), iverilog and yosys."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ii_tradeoff
from resources import random_layer

DAGEN = os.environ.get("DAGEN_BIN", "")
HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.skipif(
    not (DAGEN and os.access(DAGEN, os.X_OK)) or not shutil.which("iverilog") or not shutil.which("yosys"),
    reason="needs the da-gen CLI ($DAGEN_BIN), iverilog and yosys on PATH")


@pytest.fixture
def design(tmp_path):
    """An 8x8 8-bit layer built with --ii 4: (model, design dir, report)."""
    dagen = pytest.importorskip("dagen")
    model_path = tmp_path / "model.json"
    model_path.write_text(json.dumps(random_layer(8, 8, seed=808)))
    rep, _ = ii_tradeoff.build(DAGEN, model_path, tmp_path / "rtl", ["--ii", "4"])
    return dagen.load(str(model_path)), tmp_path / "rtl", rep


def mutate(design_dir, rep, old, new):
    v = design_dir / f"{rep['top']}.v"
    text = v.read_text()
    assert text.count(old) == 1, old
    v.write_text(text.replace(old, new))


def test_check_passes(design):
    model, rtl, rep = design
    assert ii_tradeoff.check(model, rtl, rep, 40, seed=1) == 40


def test_check_catches_late_y_valid(design):
    model, rtl, rep = design
    mutate(rtl, rep, f"assign y_valid = ctl_t[{rep['latency_cycles'] - 1}];",
           f"assign y_valid = ctl_t[{rep['latency_cycles'] - 2}];")
    with pytest.raises(ii_tradeoff.CheckFailed, match="y_valid timing"):
        ii_tradeoff.check(model, rtl, rep, 40, seed=1)


def test_check_catches_one_wrong_bit(design):
    model, rtl, rep = design
    mutate(rtl, rep, "assign y = {", "assign y = 1'b1 ^ {")
    with pytest.raises(ii_tradeoff.CheckFailed, match="vector 0"):
        ii_tradeoff.check(model, rtl, rep, 40, seed=1)


def test_pareto():
    rows = [{"row": "a", "ii": 1, "lut": 100}, {"row": "b", "ii": 2, "lut": 80},
            {"row": "c", "ii": 4, "lut": 80}, {"row": "d", "ii": 8, "lut": 90}, {"row": "e", "ii": 8, "error": "x"}]
    assert ii_tradeoff.pareto(rows) == {"a", "b"}


def test_quick_run_meets_target(tmp_path):
    p = subprocess.run([sys.executable, HERE / "ii_tradeoff.py", "--da-gen", DAGEN, "--models", "rand16x16_w8",
                        "--ks", "max", "--vectors", "40", "--out", tmp_path], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    rows = json.loads((tmp_path / "ii_tradeoff.json").read_text())["models"]["rand16x16_w8"]["rows"]
    base, serial = rows
    assert (base["ii"], serial["digit_bits"], serial["ii"]) == (1, 1, serial["frame_digits"])
    assert serial["lut"] <= 0.15 * base["lut"] and serial["period_ns"] <= base["period_ns"]
    assert "**met**" in (tmp_path / "ii_tradeoff.md").read_text()
    assert (tmp_path / "ii_tradeoff.svg").read_text().startswith("<svg")
