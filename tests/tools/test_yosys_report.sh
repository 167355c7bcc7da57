#!/usr/bin/env bash
# Faithfulness test for tools/yosys_report.py and tools/ice40_fmax.py.
#
# Checks (both flows, xilinx and ice40):
#   (a) one 16-bit two-input adder costs 16 LUTs (+ carry cells);
#   (b) an 8-input balanced tree of 7 separate two-input adders (124 adder
#       bits) costs about one LUT per adder bit (<= 136), i.e. Yosys' alumacc
#       $macc merging is avoided (it gives ~2.8x on xilinx);
#   (c) a 32-flip-flop pipeline reports 32 FF, 0 LUT, 0 SRL;
#   (d) the mapped netlists of (a), (b) and addsub (signed/unsigned/wrapping
#       subtractions) are formally equivalent to the RTL (Yosys miter + SAT),
#       so the add2alu techmap does not change function;
#   (e) ice40_fmax.py places and routes (a) and (c) (skipped with a note if
#       nextpnr-ice40 is not installed) and reports Fmax > 0 and exact DUT
#       counts through the measurement shell;
#   (f) with the da-gen binary as first argument: on a random 12x12 8-bit layer,
#       combinational and at --pipeline 3, with two-input adders and with
#       --ternary (LUT6_2 + CARRY8 ternary adders), da-gen's stats.adder_luts is
#       within 2 % of Yosys' LUTs and stats.register_bits within 2 % of its FFs,
#       and --ternary takes fewer LUTs.
# Prints one PASS line and exits 0, or prints FAIL lines and exits 1.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/tools"
SYN="$TOOLS/synth"
YOSYS="${YOSYS:-yosys}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
fails=0
checks=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if ! command -v "$YOSYS" >/dev/null 2>&1; then
    echo "FAIL: yosys not found (apt-get install yosys)"; exit 1
fi

# field FILE KEY -> integer value of a top-level JSON key
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# expect NAME VALUE OP LIMIT
expect() {
    checks=$((checks + 1))
    if ! python3 -c "import sys; sys.exit(0 if ($2 $3 $4) else 1)"; then
        fail "$1 = $2, expected $3 $4"
    fi
}

report() {  # report DESIGN FLOW [extra args] -> writes $TMP/DESIGN.FLOW.json
    local d="$1" fl="$2"; shift 2
    if ! python3 "$TOOLS/yosys_report.py" "$SYN/$d" --top "$d" --flow "$fl" \
        --json "$TMP/$d.$fl.json" "$@" >"$TMP/$d.$fl.out" 2>&1; then
        fail "yosys_report.py $d --flow $fl: $(tail -3 "$TMP/$d.$fl.out")"
        return 1
    fi
}

# Formal equivalence of mapped netlist vs RTL (combinational designs).
equiv() {  # equiv DESIGN FLOW NETLIST
    local d="$1" fl="$2" net="$3" lib
    if [ "$fl" = xilinx ]; then
        lib="read_verilog +/xilinx/cells_sim.v"
    else
        lib="read_verilog $TMP/ice40_min_cells.v"
    fi
    checks=$((checks + 1))
    # SAT proves the add2alu netlists in about a second (same adder structure
    # as the RTL); a structurally different netlist (e.g. alumacc's carry-save
    # trees) can take many minutes, so the check is bounded and a timeout fails.
    if ! timeout "${EQUIV_TIMEOUT:-120}" "$YOSYS" -q -p "read_verilog $SYN/$d/$d.v; rename $d gold; read_verilog $net; rename $d gate;
            $lib; hierarchy -check; flatten gate; proc; opt_clean;
            miter -equiv -flatten -make_assert gold gate miter; hierarchy -top miter;
            sat -verify -prove-asserts miter" >"$TMP/eq.$d.$fl.log" 2>&1; then
        fail "$d ($fl): mapped netlist not proven equivalent to RTL (SAT failed or timed out)"
        grep -m5 ERROR "$TMP/eq.$d.$fl.log"
    fi
}

# Minimal behavioural models of the two iCE40 cells the adder designs use
# (per Lattice's iCE40 technology library); the full cells_sim.v is too slow
# to elaborate for a SAT miter.
cat >"$TMP/ice40_min_cells.v" <<'EOF'
module SB_LUT4 (output O, input I0, input I1, input I2, input I3);
    parameter [15:0] LUT_INIT = 0;
    assign O = LUT_INIT[{I3, I2, I1, I0}];
endmodule
module SB_CARRY (output CO, input I0, input I1, input CI);
    assign CO = (I0 & I1) | ((I0 | I1) & CI);
endmodule
EOF

for fl in xilinx ice40; do
    # (a) single 16-bit adder
    if report adder16 "$fl" --netlist "$TMP/adder16.$fl.v"; then
        j="$TMP/adder16.$fl.json"
        expect "adder16/$fl lut" "$(field "$j" lut)" ">=" 15
        expect "adder16/$fl lut" "$(field "$j" lut)" "<=" 17
        expect "adder16/$fl carry_bits" "$(field "$j" carry_bits)" ">=" 15
        expect "adder16/$fl ff" "$(field "$j" ff)" "==" 0
        equiv adder16 "$fl" "$TMP/adder16.$fl.v"
    fi
    # (b) adder tree: 124 adder bits
    if report addtree8 "$fl" --netlist "$TMP/addtree8.$fl.v"; then
        j="$TMP/addtree8.$fl.json"
        expect "addtree8/$fl lut" "$(field "$j" lut)" "<=" 136
        expect "addtree8/$fl lut" "$(field "$j" lut)" ">=" 100
        equiv addtree8 "$fl" "$TMP/addtree8.$fl.v"
    fi
    # signed/unsigned/wrapping subtractions: function only
    if report addsub "$fl" --netlist "$TMP/addsub.$fl.v"; then
        equiv addsub "$fl" "$TMP/addsub.$fl.v"
    fi
    # (c) 32 FFs, no logic, no SRL
    if report regs32 "$fl"; then
        j="$TMP/regs32.$fl.json"
        expect "regs32/$fl ff" "$(field "$j" ff)" "==" 32
        expect "regs32/$fl lut" "$(field "$j" lut)" "==" 0
        expect "regs32/$fl srl" "$(field "$j" srl)" "==" 0
    fi
done

# (f) da-gen's own LUT and register estimates against the flow
DAGEN="${1:-}"
if [ -n "$DAGEN" ]; then
    python3 - "$TMP/rand12.json" <<'PY'
import json, random, sys
rng = random.Random(12)
w = [[rng.randrange(-128, 128) for _ in range(12)] for _ in range(12)]
json.dump({"name": "rand12", "input": {"size": 12, "type": {"signed": True, "int_bits": 7, "frac_bits": 0}},
           "layers": [{"type": "dense", "name": "fc", "weights": w}]}, open(sys.argv[1], "w"))
PY
    for cfg in 0 3 0t 3t; do
        p="${cfg%t}"; d="$TMP/rand12_p$cfg"; ternary=""
        [ "$cfg" != "$p" ] && ternary="--ternary"
        if ! "$DAGEN" "$TMP/rand12.json" --pipeline "$p" $ternary -o "$d" >"$TMP/dagen.out" 2>&1; then
            fail "da-gen rand12 --pipeline $p $ternary: $(tail -1 "$TMP/dagen.out")"; continue
        fi
        python3 "$TOOLS/yosys_report.py" "$d" --top rand12 --json "$TMP/rand12_p$cfg.json" >/dev/null 2>&1 ||
            { fail "yosys_report.py rand12 p$cfg"; continue; }
        stat() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stats"][sys.argv[2]])' "$d/rand12.json" "$1"; }
        lut=$(field "$TMP/rand12_p$cfg.json" lut); ff=$(field "$TMP/rand12_p$cfg.json" ff)
        est_lut=$(stat adder_luts); est_ff=$(stat register_bits)
        expect "rand12 p$cfg adder_luts $est_lut vs yosys lut" "abs($est_lut - $lut)" "<=" "0.02 * $lut"
        expect "rand12 p$cfg register_bits $est_ff vs yosys ff" "abs($est_ff - $ff)" "<=" "0.02 * $ff + 1"
        [ "$p" = 3 ] && expect "rand12 p$cfg ff" "$ff" ">" 0
        eval "lut_$cfg=$lut"
        estimates="${estimates:-}p$cfg LUT $lut~$est_lut FF $ff~$est_ff; "
    done
    if [ -n "${lut_0t:-}" ] && [ -n "${lut_0:-}" ]; then
        expect "rand12 --ternary LUTs $lut_0t vs two-input adders" "$lut_0t" "<" "0.85 * $lut_0"
    fi
fi

# Informational: Yosys' default alumacc flow on the adder tree (not asserted).
if report addtree8 xilinx --alumacc; then
    info_alumacc="addtree8 xilinx default-alumacc LUT=$(field "$TMP/addtree8.xilinx.json" lut)"
fi

# (e) iCE40 place and route
pnr_note="ice40_fmax checked"
if command -v "${NEXTPNR_ICE40:-nextpnr-ice40}" >/dev/null 2>&1; then
    for d in adder16 regs32; do
        checks=$((checks + 1))
        if ! python3 "$TOOLS/ice40_fmax.py" "$SYN/$d" --top "$d" --json "$TMP/$d.pnr.json" \
            >"$TMP/$d.pnr.out" 2>&1; then
            fail "ice40_fmax.py $d: $(tail -2 "$TMP/$d.pnr.out")"
            continue
        fi
        j="$TMP/$d.pnr.json"
        expect "ice40_fmax $d fmax_mhz" "$(field "$j" fmax_mhz)" ">" 10
    done
    [ -f "$TMP/adder16.pnr.json" ] && expect "ice40_fmax adder16 dut_lut" "$(field "$TMP/adder16.pnr.json" dut_lut)" "==" 16
    [ -f "$TMP/regs32.pnr.json" ] && expect "ice40_fmax regs32 dut_ff" "$(field "$TMP/regs32.pnr.json" dut_ff)" "==" 32
else
    pnr_note="ice40_fmax SKIPPED (nextpnr-ice40 not installed)"
fi

if [ "$fails" -ne 0 ]; then
    echo "test_yosys_report: $fails of $checks checks failed"
    exit 1
fi
echo "PASS test_yosys_report: $checks checks ($pnr_note; ${info_alumacc:-}; da-gen estimates: ${estimates:-not checked})"
exit 0
