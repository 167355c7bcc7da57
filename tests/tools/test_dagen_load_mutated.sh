#!/usr/bin/env bash
# Negative control of test_dagen_load.sh: dagen_load with its upper bit's multiplexer
# inputs swapped (d and s of bit i+1 in the LUT6_2's INIT) must fail the proof.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
sed 's/lut_init\[32+k\] = k\[0\] ? k\[3\] : k\[4\];/lut_init[32+k] = k[0] ? k[4] : k[3];/' \
    "$ROOT/rtl_lib/dagen_load.v" >"$TMP/dagen_load.v"
cmp -s "$ROOT/rtl_lib/dagen_load.v" "$TMP/dagen_load.v" && { echo "FAIL: nothing to mutate"; exit 1; }
if DAGEN_LOAD="$TMP/dagen_load.v" bash "$ROOT/tests/tools/test_dagen_load.sh"; then
    echo "FAIL: the mutated dagen_load passed"
    exit 1
fi
echo "PASS: the mutated dagen_load fails its proof"
