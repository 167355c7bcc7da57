#!/usr/bin/env bash
# One command from a fresh Debian machine to a verified design: set up, build,
# and compile the real HGQ2 jet classifier (models/jsc_cernbox_acc75.16.json)
# into 3-stage pipelined Verilog, co-simulated against the reference model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
model=${1:-models/jsc_cernbox_acc75.16.json}
out=${2:-out/jsc}
mkdir -p "$(dirname "$out")"   # da-gen creates the output directory itself, not its parents
build/da-gen "$model" --pipeline 3 -o "$out" --force --verify
echo "design: $out/*.v   report: $out/$(ls "$out" | grep '\.json$' | head -1)"
