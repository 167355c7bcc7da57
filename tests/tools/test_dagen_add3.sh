#!/usr/bin/env bash
# rtl_lib/dagen_add3.v proven equal to its specification, s = a +/- b +/- c modulo
# 2^WIDTH, for every sign combination and several widths (one, part of a CARRY8
# block, exactly one block, several blocks), by a Yosys SAT miter, twice:
#   - the netlist synthesis sees (SYNTHESIS defined: LUT6_2 and CARRY8 instances,
#     Yosys' own simulation models of them from +/xilinx/cells_sim.v);
#   - the model Verilator and Icarus Verilog simulate (-D __ICARUS__, no SYNTHESIS).
# Prints one PASS line and exits 0, or FAIL lines and exits 1.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ADD3="${DAGEN_ADD3:-$ROOT/rtl_lib/dagen_add3.v}"  # override: mutation checks of this test
YOSYS="${YOSYS:-yosys}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
command -v "$YOSYS" >/dev/null 2>&1 || { echo "FAIL: yosys not found (apt-get install yosys)"; exit 1; }

cat >"$TMP/spec.v" <<'V'
module spec #(parameter WIDTH = 8, parameter NEG_B = 0, parameter NEG_C = 0) (
    input wire [WIDTH-1:0] a, input wire [WIDTH-1:0] b, input wire [WIDTH-1:0] c,
    output wire [WIDTH-1:0] s);
  wire [WIDTH-1:0] bb = NEG_B ? -b : b;
  wire [WIDTH-1:0] cc = NEG_C ? -c : c;
  assign s = a + bb + cc;
endmodule
V

fails=0
checks=0
for w in 1 5 8 17; do
    for nb in 0 1; do
        for nc in 0 1; do
            for view in netlist model; do
                if [ "$view" = netlist ]; then
                    read_add3="read_verilog $ADD3; read_verilog -lib +/xilinx/cells_sim.v"
                    lib="read_verilog +/xilinx/cells_sim.v;"
                else
                    read_add3="read_verilog -nosynthesis -D__ICARUS__ $ADD3"
                    lib=""
                fi
                checks=$((checks + 1))
                if ! "$YOSYS" -q -p "read_verilog $TMP/spec.v; $read_add3;
                        chparam -set WIDTH $w -set NEG_B $nb -set NEG_C $nc spec dagen_add3;
                        $lib hierarchy -check; proc; flatten; opt_clean;
                        miter -equiv -flatten -make_assert spec dagen_add3 miter; hierarchy -top miter;
                        sat -verify -prove-asserts miter" >"$TMP/log" 2>&1; then
                    echo "FAIL: dagen_add3 $view WIDTH=$w NEG_B=$nb NEG_C=$nc differs from a +/- b +/- c"
                    grep -m3 -E "ERROR|failed" "$TMP/log"
                    fails=$((fails + 1))
                fi
            done
        done
    done
done
[ "$fails" -eq 0 ] || { echo "test_dagen_add3: $fails of $checks proofs failed"; exit 1; }
echo "PASS test_dagen_add3: $checks equivalence proofs (netlist and simulation model)"
