#!/usr/bin/env bash
# VHDL end to end: each model at each pipeline depth through `da-gen --hdl vhdl
# --verify` (GHDL co-simulation against the reference model, exit 3 on a mismatch).
# Exit 77 (skipped) without GHDL.
# Usage: check_models.sh DA_GEN OUT_DIR "PIPELINES" [da-gen options...] -- MODEL.json...
set -euo pipefail
da_gen=$1 out=$2 pipelines=$3
shift 3
args=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
shift
command -v ghdl >/dev/null || { echo "SKIP: ghdl not found (apt-get install ghdl)"; exit 77; }
mkdir -p "$out"
runs=0
for model in "$@"; do
  for p in $pipelines; do
    dir=$out/$(basename "$model" .json)_p$p
    rm -rf "$dir"
    if ! log=$("$da_gen" "$model" --hdl vhdl --pipeline "$p" -o "$dir" --verify "${args[@]}" 2>&1); then
      echo "$log" | tail -15
      echo "FAIL: $(basename "$model") pipeline $p ${args[*]}"
      exit 1
    fi
    echo "$(basename "$model") p$p: $(echo "$log" | grep -E '^PASS: ')"
    runs=$((runs + 1))
  done
done
echo "PASS: $runs GHDL runs (${args[*]:-default options})"
