#!/usr/bin/env python3
"""ii_mutate.py DIR MUTATION: mutates the --valid design da-gen wrote into DIR (its top's
Verilog, and the report where the latency changes), for the negative controls of the
initiation-interval checks (stream_ii_mutants.sh).  MUTATION:

  registered_x  the top inside a wrapper registering x and x_valid once (latency + 1):
                still a correct design, the control of late_x
  late_x        the same wrapper with x_valid delayed twice (latency + 2): x is taken in
                the cycle after x_valid
  valid_early   y_valid one cycle early
  valid_late    y_valid one cycle late (one more stage in the valid delay)
  extra_pulse   y_valid once more, in the cycle after the first output only

Needs a latency of at least 2 (the valid delay of dagen_delay with DEPTH = latency).
Exit 1 with a line when the design does not have the expected shape.
"""
import json
import sys
from pathlib import Path


def replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        sys.exit("ii_mutate: %r is not in the design exactly once" % old)
    return text.replace(old, new)


def main() -> None:
    out, mutation = Path(sys.argv[1]), sys.argv[2]
    report_path = next(p for p in sorted(out.glob("*.json")) if json.loads(p.read_text()).get("top") == p.stem)
    report = json.loads(report_path.read_text())
    top, lat = report["top"], report["latency_cycles"]
    if lat < 2 or not report["valid"]:
        sys.exit("ii_mutate: needs a --valid design of latency >= 2, not %d" % lat)
    v = out / (top + ".v")
    text = v.read_text()
    y_valid = "assign y_valid = x_valid_t[%d];" % (lat - 1)
    if mutation in ("registered_x", "late_x"):
        d = 1 if mutation == "registered_x" else 2
        xw, yw = max(report["x_width"], 1), max(report["y_width"], 1)
        text = replace_once(text, "module %s (" % top, "module %s_core (" % top)
        shift = "x_valid" if d == 1 else "{v_r[%d:0], x_valid}" % (d - 2)
        (out / (top + "_wrapper.v")).write_text(
            f"module {top} (\n    input wire clk,\n    input wire x_valid,\n"
            f"    input wire [{xw - 1}:0] x,\n    output wire y_valid,\n    output wire [{yw - 1}:0] y\n);\n"
            f"  reg [{xw - 1}:0] x_r;\n  reg [{d - 1}:0] v_r = 0;\n"
            f"  always @(posedge clk) begin\n    x_r <= x;\n    v_r <= {shift};\n  end\n"
            f"  {top}_core core (.clk(clk), .x_valid(v_r[{d - 1}]), .x(x_r), .y_valid(y_valid), .y(y));\n"
            "endmodule\n")
        report["latency_cycles"] = lat + d
        report_path.write_text(json.dumps(report, indent=2))
    elif mutation == "valid_early":
        text = replace_once(text, y_valid, "assign y_valid = x_valid_t[%d];" % (lat - 2))
    elif mutation == "valid_late":
        text = replace_once(text, ".DEPTH(%d), .ZERO_AT_START(1)) x_valid_delay" % lat,
                            ".DEPTH(%d), .ZERO_AT_START(1)) x_valid_delay" % (lat + 1))
        text = replace_once(text, "wire [%d:0] x_valid_t;" % (lat - 1), "wire [%d:0] x_valid_t;" % lat)
        text = replace_once(text, y_valid, "assign y_valid = x_valid_t[%d];" % lat)
    elif mutation == "extra_pulse":
        last = "x_valid_t[%d]" % (lat - 1)
        text = replace_once(text, y_valid,
                            "reg first_out = 1'b0, again = 1'b0;\n"
                            "  always @(posedge clk) begin\n"
                            f"    again <= {last} & ~first_out;\n"
                            f"    if ({last}) first_out <= 1'b1;\n"
                            "  end\n"
                            f"  assign y_valid = {last} | again;")
    else:
        sys.exit("ii_mutate: unknown mutation %r" % mutation)
    v.write_text(text)
    print("mutated (%s): %s" % (mutation, v))


if __name__ == "__main__":
    main()
