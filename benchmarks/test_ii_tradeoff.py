"""benchmarks/ii_tradeoff.py: its simulation check fails on mutated designs; its Pareto front
(with duplicates), the probes of the bit-serial and the least streamed K, the duplicate hash and
the table's architecture cells; one quick run on the 16x16 8-bit layer (II = 1 and the bit-serial
extreme) meeting issue 20's target.  Needs $DAGEN_BIN, the dagen package (PYTHONPATH), iverilog
and yosys."""
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


def test_pareto_takes_duplicates_at_their_least_ii():
    # g is built again, identical, by a K reporting II 8 (h): g stands at II 8, off d's shadow.
    rows = [{"row": "a", "ii": 1, "lut": 100}, {"row": "b", "ii": 2, "lut": 80},
            {"row": "f", "ii": 6, "lut": 80, "same_as": "b"}, {"row": "d", "ii": 10, "lut": 65},
            {"row": "g", "ii": 16, "lut": 70}, {"row": "h", "ii": 8, "lut": 70, "same_as": "g"}]
    assert ii_tradeoff.pareto(rows) == {"a", "b", "d", "g"}
    assert ii_tradeoff.pareto(rows[:5]) == {"a", "b", "d"}


CNN1D = HERE.parent / "tests" / "models" / "v2" / "cnn1d.json"


JET = HERE.parent / "models" / "jsc_cernbox_acc74.98.json"
CNN2D = HERE.parent / "tests" / "models" / "v2" / "cnn2d.json"


def test_bit_serial_k_past_ii1_designs(tmp_path):
    """The jet classifier builds II = 1 at K = 2; the extreme is still the first one-bit
    digit-serial K.  A CNN that streams at every K has none."""
    assert ii_tradeoff.probe(DAGEN, JET, tmp_path, 2)["architecture"] == "word-parallel", "precondition"
    k = ii_tradeoff.bit_serial_k(DAGEN, JET, tmp_path)
    rep = ii_tradeoff.probe(DAGEN, JET, tmp_path, k)
    assert (rep["architecture"], rep["serial"]["digit_bits"]) == ("digit-serial", 1)
    before = ii_tradeoff.probe(DAGEN, JET, tmp_path, k - 1)
    assert before["architecture"] != "digit-serial" or before["serial"]["digit_bits"] > 1
    assert ii_tradeoff.bit_serial_k(DAGEN, CNN2D, tmp_path, limit=12) is None


def test_stream_k(tmp_path):
    k = ii_tradeoff.stream_k(DAGEN, CNN1D, tmp_path)
    rep = ii_tradeoff.probe(DAGEN, CNN1D, tmp_path, k)
    assert ii_tradeoff.one_instance(rep) and rep["stream"]["cycles"] == k
    assert not ii_tradeoff.one_instance(ii_tradeoff.probe(DAGEN, CNN1D, tmp_path, k - 1))
    layer = tmp_path / "layer.json"
    layer.write_text(json.dumps(random_layer(8, 8, seed=808)))
    assert ii_tradeoff.stream_k(DAGEN, layer, tmp_path) is None


def test_design_hash_ignores_only_comments(tmp_path):
    hashes = {}
    for k in (4, 15, 30):
        rtl = tmp_path / f"k{k}"
        ii_tradeoff.build(DAGEN, CNN1D, rtl, ["--ii", str(k)])
        hashes[k] = ii_tradeoff.design_hash(rtl)
    assert hashes[15] == hashes[30] != hashes[4]  # 30 streams as 15 does; only the header comment differs
    v = next((tmp_path / "k30").glob("*_kernel.v"))
    v.write_text(v.read_text().replace("assign", "assign ", 1))
    assert ii_tradeoff.design_hash(tmp_path / "k30") != hashes[15]


def test_markdown_names_architectures_and_duplicates(tmp_path):
    common = {"latency": 3, "period_ns": 1.0, "ff": 1, "carry": 0, "lut_x_ii": 1, "ns_per_input": 1.0,
              "estimated_luts": None, "gen_s": 0, "yosys_s": 0, "digit_bits": None, "ii_requested": None}
    rows = [dict(common, row="II=1", architecture="word-parallel", ii=1, lut=100),
            dict(common, row="K=2", architecture="word-parallel", ii=1, lut=90, ii_requested=2),
            dict(common, row="K=4", architecture="digit-serial", ii=4, lut=120, digit_bits=2, frame_digits=4),
            dict(common, row="K=15", architecture="streamed", ii=15, lut=30, stream_positions=8, stream_cycles=15,
                 stream_kernel_adders=14, stream_tail="digit-serial"),
            dict(common, row="K=30", architecture="streamed", ii=15, lut=30, stream_positions=8, stream_cycles=15,
                 stream_kernel_adders=14, stream_tail="digit-serial", same_as="K=15")]
    results = {"measured_at": "x", "vectors": 1,
               "models": {"m": {"source": "s", "bit_serial_k": 9, "stream_k": 15, "rows": rows}}}
    ii_tradeoff.write_markdown(results, tmp_path / "t.md")
    lines = {line.split(" | ")[0][2:]: line.split(" | ") for line in (tmp_path / "t.md").read_text().splitlines()
             if line.startswith("| K=") or line.startswith("| II=")}
    assert lines["K=2"][3] == "II = 1 for K = 2" and lines["K=4"][3] == "2 x 4 digits"
    assert lines["K=4"][13] == "**no**" and lines["K=15"][13] == "yes" and lines["K=30"][13] == "= K=15"
    assert lines["K=15"][3].startswith("8 positions in 15 cycles")


def test_quick_run_meets_target(tmp_path):
    p = subprocess.run([sys.executable, HERE / "ii_tradeoff.py", "--da-gen", DAGEN, "--models", "rand16x16_w8",
                        "--ks", "max", "--vectors", "40", "--out", tmp_path], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    rows = json.loads((tmp_path / "ii_tradeoff.json").read_text())["models"]["rand16x16_w8"]["rows"]
    base, serial = rows
    assert (base["ii"], serial["digit_bits"], serial["ii"]) == (1, 1, serial["frame_digits"])
    assert (base["architecture"], serial["architecture"]) == ("word-parallel", "digit-serial")
    assert serial["lut"] <= 0.15 * base["lut"] and serial["period_ns"] <= base["period_ns"]
    assert "**met**" in (tmp_path / "ii_tradeoff.md").read_text()
    assert (tmp_path / "ii_tradeoff.svg").read_text().startswith("<svg")
