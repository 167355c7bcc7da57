#!/usr/bin/env python3
"""Resource report for a Verilog design with Yosys (Python 3 stdlib only).

    tools/yosys_report.py DIR --top NAME [--json OUT] [--md] [--flow xilinx|ice40]

Synthesizes every DIR/*.v (DIR/*.v alone is the complete design) with ONE
fixed, documented Yosys flow and prints a JSON object with LUT, FF, CARRY,
SRL, DSP counts and the Yosys wall time.  With --md a Markdown table row is
printed as well (--md-header prints the matching header first).

Flow (see tools/README.md, "Resource and timing reports", for the measurements
that justify it):

  xilinx (default): Xilinx UltraScale+ (`synth_xilinx -family xcup`),
      flattened, -nodsp, -nosrl, -noiopad, -noclkbuf, and every two-input
      $add/$sub mapped to its own carry-chain $alu (tools/synth/add2alu.v)
      BEFORE `alumacc`, so that Yosys does not merge adder trees into $macc
      carry-save trees (2-3x more LUTs than the carry-chain adders a vendor
      tool builds).  LUT = LUT1..LUT6 + LUT6_2 (dagen_add3) + INV; CARRY = CARRY4 + CARRY8 cells (Yosys
      0.23 maps carries to CARRY4 even for xcup; carry_bits = 4*CARRY4 +
      8*CARRY8 is also given); FF = FDRE/FDSE/FDCE/FDPE.
  ice40: `synth_ice40` (flattened, no DSP) with the same add2alu step.
      LUT = SB_LUT4, CARRY = SB_CARRY, FF = SB_DFF*.

Options --alumacc (Yosys' default adder handling) and --srl (allow SRL
inference) exist only to reproduce the comparison measurements.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ADD2ALU = os.path.join(HERE, "synth", "add2alu.v")

# Passes run before the add2alu techmap so that $add/$sub widths are already
# reduced (wreduce does not shrink $alu cells).  For xilinx these already ran
# in the `prepare` label; for ice40 they are the start of label `coarse`
# (which then runs them again, harmlessly).
PRE_ADD2ALU = "opt_expr; opt_clean; opt -nodffe -nosdff; wreduce; peepopt; opt_clean"


def yosys_quote(path):
    if re.search(r'[\s";]', path):
        raise SystemExit("path with whitespace/quotes not supported by this script: %r" % path)
    return path


def design_files(d):
    files = sorted(os.path.abspath(f) for f in glob.glob(os.path.join(d, "*.v")))
    if not files:
        raise SystemExit("no *.v files in %s" % d)
    return files


def synth_script(files, top, flow, alumacc=False, srl=False, extra_tail="", keep_modules=()):
    """Return the Yosys script text for the chosen flow.

    keep_modules: modules that are not flattened into their parent (used by
    ice40_fmax.py so that the shell cannot be optimized together with the DUT).
    """
    lines = ["read_verilog " + " ".join(yosys_quote(f) for f in files)]
    if flow == "xilinx":
        # The Xilinx primitives a design may instantiate (dagen_add3: LUT6_2, CARRY8)
        # as black boxes, so that the hierarchy check knows them.
        lines.append("read_verilog -lib -specify +/xilinx/cells_sim.v +/xilinx/cells_xtra.v")
    lines.append("hierarchy -check -top %s" % top)
    lines += ["setattr -mod -set keep_hierarchy 1 %s" % m for m in keep_modules]
    if flow == "xilinx":
        synth = "synth_xilinx -family xcup -top %s -flatten -nodsp -noiopad -noclkbuf" % top
        if not srl:
            synth += " -nosrl"
    elif flow == "ice40":
        synth = "synth_ice40 -top %s" % top
    else:
        raise SystemExit("unknown flow %r" % flow)
    if alumacc:
        lines.append(synth)
    else:
        lines += [synth + " -run begin:coarse",
                  PRE_ADD2ALU,
                  "techmap -map %s t:$add t:$sub" % yosys_quote(ADD2ALU),
                  synth + " -run coarse:"]
    lines.append("tee -q -o stat.json stat -json")
    if extra_tail:
        lines.append(extra_tail)
    return "\n".join(lines) + "\n"


def run_yosys(script, workdir, yosys="yosys", log_name="yosys.log"):
    """Run a Yosys script in workdir; return wall seconds. Raises on failure."""
    ys = os.path.join(workdir, "flow.ys")
    with open(ys, "w") as f:
        f.write(script)
    log = os.path.join(workdir, log_name)
    t0 = time.monotonic()
    with open(log, "w") as lf:
        rc = subprocess.call([yosys, "-q", "-l", log, "-s", ys], cwd=workdir,
                             stdout=subprocess.DEVNULL, stderr=lf)
    wall = time.monotonic() - t0
    if rc != 0:
        lines = open(log, errors="replace").read().splitlines()
        errs = [l for l in lines if "ERROR" in l]
        tail = (lines[-12:] if not errs else errs[:5] + ["..."] + lines[-6:])
        raise RuntimeError("yosys failed (rc=%d), log %s:\n%s" % (rc, log, "\n".join(tail)))
    return wall


def parse_stat_json(path, top, module_only=False):
    """Return {cell_type: count} for the (flattened) design.

    module_only: counts of module `top` alone (its own cells, not expanded)."""
    text = open(path).read()
    try:
        data = json.loads(text)
        if "design" in data and not module_only:
            return dict(data["design"].get("num_cells_by_type", {}))
        mods = data.get("modules", {})
        for key in ("\\" + top, top):
            if key in mods:
                return dict(mods[key].get("num_cells_by_type", {}))
        raise KeyError("top module %s not in stat output" % top)
    except ValueError:
        # Fallback: scrape '"TYPE": N' pairs inside the last num_cells_by_type.
        blk = text.rsplit('"num_cells_by_type"', 1)[-1].split("}", 1)[0]
        return {k: int(v) for k, v in re.findall(r'"([^"]+)"\s*:\s*(\d+)', blk)}


XILINX_FF = re.compile(r"^FD[RSCP]E(_1)?$")
XILINX_LUT = re.compile(r"^LUT([1-6]|6_2)$")
ICE40_FF = re.compile(r"^SB_DFF\w*$")


def classify(cells, flow):
    """Sort cell counts into the report categories; nothing is dropped."""
    r = {"lut": 0, "ff": 0, "carry": 0, "srl": 0, "dsp": 0, "muxf": 0,
         "bram": 0, "latch": 0, "other": {}}
    carry_bits = 0
    for t, n in sorted(cells.items()):
        if flow == "xilinx":
            if XILINX_LUT.match(t) or t == "INV":
                # Yosys maps inverting LUT1s to INV cells; Vivado places
                # INV as a LUT1, so it counts as a LUT.
                r["lut"] += n
            elif XILINX_FF.match(t):
                r["ff"] += n
            elif t in ("CARRY4", "CARRY8"):
                r["carry"] += n
                carry_bits += n * (4 if t == "CARRY4" else 8)
            elif t.startswith("SRL"):
                r["srl"] += n
            elif t.startswith("DSP48"):
                r["dsp"] += n
            elif t in ("MUXF7", "MUXF8", "MUXF9"):
                r["muxf"] += n
            elif t.startswith("RAMB") or t.startswith("URAM"):
                r["bram"] += n
            elif t.startswith("LD"):
                r["latch"] += n
            elif t in ("GND", "VCC"):
                continue
            else:
                r["other"][t] = n
        else:
            if t == "SB_LUT4":
                r["lut"] += n
            elif ICE40_FF.match(t):
                r["ff"] += n
            elif t == "SB_CARRY":
                r["carry"] += n
                carry_bits += n
            elif t == "SB_MAC16":
                r["dsp"] += n
            elif t.startswith("SB_RAM") or t == "SB_SPRAM256KA":
                r["bram"] += n
            elif t in ("GND", "VCC"):
                continue
            else:
                r["other"][t] = n
    r["carry_bits"] = carry_bits
    return r


def report(design_dir, top, flow="xilinx", alumacc=False, srl=False, yosys="yosys",
           keep=None, netlist=None):
    files = design_files(design_dir)
    workdir = keep or tempfile.mkdtemp(prefix="yosys_report_")
    os.makedirs(workdir, exist_ok=True)
    try:
        tail = ""
        if netlist:
            tail = "write_verilog -noattr %s" % yosys_quote(os.path.abspath(netlist))
        script = synth_script(files, top, flow, alumacc=alumacc, srl=srl, extra_tail=tail)
        wall = run_yosys(script, workdir, yosys=yosys)
        cells = parse_stat_json(os.path.join(workdir, "stat.json"), top)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    res = {"design": os.path.basename(os.path.normpath(design_dir)), "top": top,
           "flow": flow_name(flow, alumacc, srl)}
    res.update(classify(cells, flow))
    res["yosys_seconds"] = round(wall, 2)
    res["cells"] = cells
    res["yosys_version"] = yosys_version(yosys)
    return res


def flow_name(flow, alumacc, srl):
    if flow == "xilinx":
        s = "yosys synth_xilinx -family xcup -flatten -nodsp -noiopad -noclkbuf"
        s += "" if srl else " -nosrl"
    else:
        s = "yosys synth_ice40"
    return s + (" (default alumacc)" if alumacc else " + add2alu")


def yosys_version(yosys):
    try:
        out = subprocess.run([yosys, "-V"], capture_output=True, text=True).stdout
        return out.strip()
    except OSError:
        return "unknown"


MD_COLS = ["top", "LUT", "FF", "CARRY", "SRL", "DSP", "Yosys s"]


def md_header():
    return "| " + " | ".join(MD_COLS) + " |\n|" + "|".join(["---"] + ["---:"] * (len(MD_COLS) - 1)) + "|"


def md_row(r):
    return "| %s | %d | %d | %d | %d | %d | %.1f |" % (
        r["top"], r["lut"], r["ff"], r["carry"], r["srl"], r["dsp"], r["yosys_seconds"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", help="directory whose *.v files are the complete design")
    ap.add_argument("--top", required=True, help="top module name")
    ap.add_argument("--json", metavar="OUT", help="also write the JSON report to OUT")
    ap.add_argument("--md", action="store_true", help="also print a Markdown table row")
    ap.add_argument("--md-header", action="store_true", help="print the Markdown header before the row")
    ap.add_argument("--flow", choices=["xilinx", "ice40"], default="xilinx")
    ap.add_argument("--alumacc", action="store_true",
                    help="comparison only: keep Yosys' default alumacc adder merging")
    ap.add_argument("--srl", action="store_true",
                    help="comparison only (xilinx): allow SRL16E/SRLC32E inference")
    ap.add_argument("--keep", metavar="WORKDIR", help="keep the Yosys script/log/stat in WORKDIR")
    ap.add_argument("--netlist", metavar="FILE.v",
                    help="also write the mapped netlist (for equivalence checks)")
    ap.add_argument("--yosys", default=os.environ.get("YOSYS", "yosys"))
    a = ap.parse_args(argv)
    try:
        r = report(a.dir, a.top, a.flow, a.alumacc, a.srl, a.yosys, a.keep, a.netlist)
    except RuntimeError as e:
        print(str(e), file=sys.stderr)
        return 1
    text = json.dumps(r, indent=2, sort_keys=False)
    print(text)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")
    if a.md or a.md_header:
        if a.md_header:
            print(md_header())
        print(md_row(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
