#!/usr/bin/env bash
# How --verify gets the Verilator runtime (src/flow/verify.cpp):
#   1. this build tree's prebuilt runtime (sim-runtime/), nothing compiled per run;
#   2. DAGEN_SIM_RUNTIME=none, HOME unset, no ccache: an installed binary on a fresh
#      machine compiles the runtime in its scratch directory;
#   3. a prebuilt runtime for another Verilator is not linked: one note, compiled here;
#   4. a DAGEN_SIM_RUNTIME without runtime.txt: a one-line error, exit 4.
# Usage: verify_runtime.sh DA_GEN MODEL.json RUNTIME_DIR OUT_DIR
set -euo pipefail
da_gen=$1 model=$2 runtime=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }

# run NAME [env...]: da-gen --verify keeping its scratch directory in $out/NAME.tmp
run() {
  local name=$1; shift
  mkdir -p "$out/$name.tmp"
  env "$@" TMPDIR="$out/$name.tmp" DAGEN_KEEP_SIM=1 \
    "$da_gen" "$model" --pipeline 2 -o "$out/$name" --verify >"$out/$name.log" 2>&1
}
scratch() { echo "$out/$1.tmp"/da-gen-verify-*; }

[ -f "$runtime/runtime.txt" ] || fail "no prebuilt runtime in $runtime (target dagen_sim_runtime)"
run prebuilt || { cat "$out/prebuilt.log"; fail "--verify with the prebuilt runtime"; }
grep -q "^PASS: " "$out/prebuilt.log" || fail "no PASS with the prebuilt runtime"
[ ! -e "$(scratch prebuilt)/verilated.o" ] || fail "the prebuilt runtime was not used"

run fresh -u HOME -u CCACHE_DIR -u XDG_CACHE_HOME DAGEN_SIM_RUNTIME=none ||
  { cat "$out/fresh.log"; fail "--verify without a build tree, HOME or ccache"; }
grep -q "^PASS: " "$out/fresh.log" || fail "no PASS without a build tree"
[ -e "$(scratch fresh)/verilated.o" ] || fail "the runtime was not compiled in the scratch directory"
! grep -rqs ccache "$(scratch fresh)"/compile_*.log || fail "ccache ran without a cache directory"

mkdir -p "$out/stale"
sed 's/^verilator_version .*/verilator_version 0.000 2000-01-01/' "$runtime/runtime.txt" \
  >"$out/stale/runtime.txt"
run stale_run DAGEN_SIM_RUNTIME="$out/stale" || { cat "$out/stale_run.log"; fail "--verify with a stale runtime"; }
grep -q "^verify: not using the prebuilt Verilator runtime in $out/stale (it was built for Verilator 0.000 2000-01-01" \
  "$out/stale_run.log" || { cat "$out/stale_run.log"; fail "no note on the stale runtime"; }
grep -q "^PASS: " "$out/stale_run.log" || fail "no PASS with a stale runtime"

set +e
run missing DAGEN_SIM_RUNTIME="$out/nonexistent"
rc=$?
set -e
[ "$rc" = 4 ] || fail "DAGEN_SIM_RUNTIME without runtime.txt: exit $rc, expected 4"
grep -qx "da-gen: error: verify: DAGEN_SIM_RUNTIME=$out/nonexistent holds no runtime.txt (a build tree's sim-runtime/, or 'none')" \
  "$out/missing.log" || { cat "$out/missing.log"; fail "not the one-line error"; }
echo "PASS: verify runtime (prebuilt, compiled without a build tree or ccache, stale refused, missing refused)"
