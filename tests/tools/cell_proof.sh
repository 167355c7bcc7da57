# Sourced by the rtl_lib cell proofs (test_dagen_sadd.sh, test_dagen_load.sh): one Yosys
# SAT miter of a cell against the module `spec` in $TMP/spec.v, in one of three views:
#   netlist  the Xilinx netlist synthesis sees (primitives from +/xilinx/cells_sim.v);
#   generic  the plain form other devices synthesize (XILINX = 0);
#   model    the model Verilator and Icarus Verilog simulate (-D __ICARUS__).
# prove_cell CELL_FILE MODULE VIEW "PARAM VALUE ..." LABEL: counts the proof in $checks,
# a failure in $fails with one FAIL line (needs $YOSYS and $TMP).
prove_cell() {
    local file=$1 module=$2 view=$3 params=$4 label=$5 xilinx=1 read lib="" set=""
    if [ "$view" = model ]; then
        read="read_verilog -nosynthesis -D__ICARUS__ $file"
    else
        read="read_verilog $file; read_verilog -lib +/xilinx/cells_sim.v"
        lib="read_verilog +/xilinx/cells_sim.v;"
        [ "$view" = generic ] && xilinx=0
    fi
    set -- $params
    while [ $# -ge 2 ]; do set="$set -set $1 $2"; shift 2; done
    checks=$((checks + 1))
    if ! "$YOSYS" -q -p "read_verilog $TMP/spec.v; $read;
            chparam$set -set XILINX $xilinx spec $module;
            $lib hierarchy -check; proc; flatten; opt_clean;
            miter -equiv -flatten -make_assert spec $module miter; hierarchy -top miter;
            sat -verify -prove-asserts miter" >"$TMP/log" 2>&1; then
        echo "FAIL: $module $view $label differs from its specification"
        grep -m3 -E "ERROR|failed" "$TMP/log"
        fails=$((fails + 1))
    fi
}
