#!/usr/bin/env bash
# Negative control of the GHDL check: a design that passes --verify, mutated,
# must FAIL the same testbench on the same vectors.  MUTATION constant: the lowest
# bit of its first constant node flipped; valid (with --valid): the valid flag's
# registers start at 1, so y_valid is set before any input.  Exit 77 (skipped)
# without GHDL.
# Usage: mutation_caught.sh DA_GEN MODEL.json PIPELINE OUT_DIR constant|valid
set -euo pipefail
da_gen=$1 model=$2 pipeline=$3 out=$4 mutation=$5
options=()
[ "$mutation" = valid ] && options=(--valid)
command -v ghdl >/dev/null || { echo "SKIP: ghdl not found (apt-get install ghdl)"; exit 77; }
rm -rf "$out"
mkdir -p "$out"
log=$(DAGEN_KEEP_SIM=1 "$da_gen" "$model" --hdl vhdl --pipeline "$pipeline" -o "$out/design" --verify "${options[@]}" 2>&1)
scratch=$(echo "$log" | sed -n 's/^verify: kept the simulation in //p')
trap 'rm -rf "$scratch"' EXIT
echo "$log" | grep -q '^PASS: ' || { echo "$log"; echo "FAIL: the unmutated design did not pass"; exit 1; }
vhd=$(ls "$out"/design/*.vhd)
top=$(basename "$vhd" .vhd)
if [ "$mutation" = valid ]; then
  num=$(grep -n "signal x_valid_t : .* := (others => '0');" "$vhd" | head -1 | cut -d: -f1)
  [ -n "$num" ] || { echo "FAIL: no valid delay in $vhd"; exit 1; }
  sed "${num}s/others => '0'/others => '1'/" "$vhd" > "$out/$top.vhd"
else
  # The first constant node, e.g. "n12 := unsigned'(8X"3f");": its lowest bit flipped.
  line=$(grep -nE "^    n[0-9]+ := unsigned'\([0-9]+X\"[0-9a-f]+\"\);$" "$vhd" | head -1)
  [ -n "$line" ] || { echo "FAIL: no constant node in $vhd"; exit 1; }
  num=${line%%:*}
  digit=$(echo "$line" | sed -E 's/.*X"[0-9a-f]*([0-9a-f])".*/\1/')
  flipped=$(printf '%x' $((0x$digit ^ 1)))
  sed -E "${num}s/([0-9a-f])\"\);$/${flipped}\");/" "$vhd" > "$out/$top.vhd"
fi
cmp -s "$vhd" "$out/$top.vhd" && { echo "FAIL: the mutation changed nothing"; exit 1; }
echo "mutated line $num: $(sed -n "${num}p" "$out/$top.vhd")"
# The mutated top replaces the design in the kept work library; the testbench,
# wrapper and vectors stay; the simulation runs exactly as --verify ran it.
tb=$(grep '^\$ ghdl -a ' "$scratch/build.log" | awk '{print $NF}')
ghdl -a --std=08 --workdir="$scratch" -Wno-library "$out/$top.vhd" "$scratch/dagen_dut.vhd" "$tb"
ghdl -e --std=08 --workdir="$scratch" dagen_tb
run=$(sed -n 's/^\$ //p' "$scratch/sim.log" | head -1)
result=$(eval "$run" 2>&1 || true)
echo "$result" | tail -3
if echo "$result" | grep -q '^FAIL: '; then
  echo "PASS: the GHDL check caught the mutation ($mutation)"
else
  echo "FAIL: the mutated design was not caught"
  exit 1
fi
