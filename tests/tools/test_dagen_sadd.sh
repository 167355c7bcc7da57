#!/usr/bin/env bash
# rtl_lib/dagen_sadd.v (one digit of a serial adder) proven equal to its
# specification, {co, s} = (a & ~za) + ((b & ~zb) ^ SUB...) + ci, for both SUB
# values and several digit widths (one bit: a lone LUT6_2; part of a CARRY8 block;
# exactly one; several), by a Yosys SAT miter, three times:
#   - the Xilinx netlist synthesis sees (LUT6_2 and CARRY8, Yosys' simulation
#     models from +/xilinx/cells_sim.v);
#   - the generic arithmetic other devices synthesize (XILINX = 0);
#   - the model Verilator and Icarus Verilog simulate (-D __ICARUS__).
# Prints one PASS line and exits 0, or FAIL lines and exits 1.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SADD="${DAGEN_SADD:-$ROOT/rtl_lib/dagen_sadd.v}"  # override: mutation checks of this test
YOSYS="${YOSYS:-yosys}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
command -v "$YOSYS" >/dev/null 2>&1 || { echo "FAIL: yosys not found (apt-get install yosys)"; exit 1; }

cat >"$TMP/spec.v" <<'V'
module spec #(parameter WIDTH = 1, parameter SUB = 0, parameter XILINX = 1) (
    input wire [WIDTH-1:0] a, input wire [WIDTH-1:0] b,
    input wire [WIDTH-1:0] za, input wire [WIDTH-1:0] zb, input wire ci,
    output wire [WIDTH-1:0] s, output wire co);
  wire [WIDTH:0] aa = {1'b0, a & ~za};
  wire [WIDTH:0] bb = {1'b0, SUB ? ~(b & ~zb) : (b & ~zb)};
  wire [WIDTH:0] sum = aa + bb + ci;
  assign s = sum[WIDTH-1:0];
  assign co = sum[WIDTH];
endmodule
V

fails=0
checks=0
. "$ROOT/tests/tools/cell_proof.sh"
for w in 1 2 5 8 13; do
    for sub in 0 1; do
        for view in netlist generic model; do
            prove_cell "$SADD" dagen_sadd "$view" "WIDTH $w SUB $sub" "WIDTH=$w SUB=$sub"
        done
    done
done
[ "$fails" -eq 0 ] || { echo "test_dagen_sadd: $fails of $checks proofs failed"; exit 1; }
echo "PASS test_dagen_sadd: $checks equivalence proofs (Xilinx netlist, generic, simulation model)"
