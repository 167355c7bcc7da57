#!/bin/sh
# tools/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#
# Builds the libFuzzer target tests/fuzz/fuzz_model with clang, ASan and UBSan
# in build-fuzz/ (override with DAGEN_FUZZ_BUILD) and runs it for SECONDS
# (default 60) on the seed corpus tests/fuzz/corpus.  New inputs go to
# build-fuzz/fuzz-work/corpus, crashes to build-fuzz/fuzz-work/artifacts/; copy a
# crash into tests/fuzz/regressions/ to replay it in ctest (fuzz_replay_corpus).
# Not part of normal CI.
set -eu
secs=${1:-60}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
build=${DAGEN_FUZZ_BUILD:-$root/build-fuzz}
cxx=$(command -v clang++ || command -v clang++-14 || true)
if [ -z "$cxx" ]; then
  echo "fuzz.sh: clang++ not found (apt-get install -y clang libclang-rt-14-dev)" >&2
  exit 4
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DDAGEN_FUZZ=ON -DDAGEN_SANITIZE=ON -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" >/dev/null
nice ninja -C "$build" -j2 fuzz_model
work=$build/fuzz-work
mkdir -p "$work/corpus" "$work/artifacts"
exec nice "$build/tests/fuzz/fuzz_model" -max_total_time="$secs" -max_len=8192 -timeout=20 \
  -rss_limit_mb=2048 -dict="$root/tests/fuzz/model.dict" -artifact_prefix="$work/artifacts/" \
  -print_final_stats=1 "$@" "$work/corpus" "$root/tests/fuzz/corpus"
