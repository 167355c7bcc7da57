#!/usr/bin/env bash
# rtl_lib/dagen_load.v (the shift register's load multiplexer) proven equal to its
# specification, q = load ? d : s, for odd and even widths, by a Yosys SAT miter
# three times: the Xilinx netlist synthesis sees (LUT6_2 pairs, Yosys' simulation
# model from +/xilinx/cells_sim.v), the generic multiplexer (XILINX = 0) and the
# model Verilator and Icarus Verilog simulate (-D __ICARUS__).  DAGEN_LOAD overrides
# the cell (the mutation check of this test).  One PASS line and exit 0, or FAIL lines.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOAD="${DAGEN_LOAD:-$ROOT/rtl_lib/dagen_load.v}"
YOSYS="${YOSYS:-yosys}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
command -v "$YOSYS" >/dev/null 2>&1 || { echo "FAIL: yosys not found (apt-get install yosys)"; exit 1; }

cat >"$TMP/spec.v" <<'V'
module spec #(parameter WIDTH = 1, parameter XILINX = 1) (
    input wire load, input wire [WIDTH-1:0] d, input wire [WIDTH-1:0] s,
    output wire [WIDTH-1:0] q);
  assign q = load ? d : s;
endmodule
V

fails=0
checks=0
. "$ROOT/tests/tools/cell_proof.sh"
for w in 1 2 3 8 13; do
    for view in netlist generic model; do
        prove_cell "$LOAD" dagen_load "$view" "WIDTH $w" "WIDTH=$w"
    done
done
[ "$fails" -eq 0 ] || { echo "test_dagen_load: $fails of $checks proofs failed"; exit 1; }
echo "PASS test_dagen_load: $checks equivalence proofs (Xilinx netlist, generic, simulation model)"
