#!/bin/sh
# tools/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#
# Builds the libFuzzer target tests/fuzz/fuzz_model with clang, ASan and UBSan
# in build-fuzz/ (override with DAGEN_FUZZ_BUILD) and runs it, one nice'd job, for
# SECONDS (default 60) on the seed corpus tests/fuzz/corpus.  New inputs go to
# build-fuzz/fuzz-work/corpus, crashes to build-fuzz/fuzz-work/artifacts/; copy a
# crash into tests/fuzz/regressions/ to replay it in ctest (fuzz_replay_corpus).
# Installs what it needs when missing (Debian: scripts/setup.sh's packages, clang
# and libFuzzer's runtime libclang-rt-NN-dev; sudo unless root).  Ends by printing
# the row of this run for the table of tests/fuzz/README.md.  Not part of normal CI.
set -eu
secs=${1:-60}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
build=${DAGEN_FUZZ_BUILD:-$root/build-fuzz}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

apt_install() {
  echo "fuzz.sh: installing $*" >&2
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@" >&2
}

find_clang() {
  for c in clang++ $(ls /usr/bin/clang++-[0-9]* 2>/dev/null | sort -t- -k2 -n -r); do
    command -v "$c" && return 0
  done
  return 1
}

# Whether clang links a libFuzzer target with ASan and UBSan (the runtimes exist).
links_fuzzer() {
  tmp=$(mktemp -d)
  printf '%s\n' 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
    > "$tmp/t.cpp"
  "$1" -fsanitize=fuzzer,address,undefined "$tmp/t.cpp" -o "$tmp/t" >/dev/null 2>&1
  ok=$?
  rm -rf "$tmp"
  return $ok
}

bash "$root/scripts/setup.sh" --packages-only
cxx=$(find_clang || true)
[ -n "$cxx" ] || { apt_install clang; cxx=$(find_clang); }
if ! links_fuzzer "$cxx"; then
  major=$("$cxx" -dumpversion | cut -d. -f1)
  apt_install "libclang-rt-$major-dev"
  links_fuzzer "$cxx" || { echo "fuzz.sh: $cxx cannot link -fsanitize=fuzzer" >&2; exit 4; }
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DDAGEN_FUZZ=ON -DDAGEN_SANITIZE=ON -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" >/dev/null
nice ninja -C "$build" -j2 fuzz_model
work=$build/fuzz-work
mkdir -p "$work/corpus" "$work/artifacts"
log=$work/last-run.log
status=0
nice "$build/tests/fuzz/fuzz_model" -max_total_time="$secs" -max_len=8192 -timeout=20 \
  -rss_limit_mb=2048 -dict="$root/tests/fuzz/model.dict" -artifact_prefix="$work/artifacts/" \
  -print_final_stats=1 "$@" "$work/corpus" "$root/tests/fuzz/corpus" 2>&1 | tee "$log" ||
  status=1
grep -Eq '==[0-9]+== ?ERROR|^SUMMARY: |runtime error:|Test unit written to' "$log" && status=1
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
secs_run=$(sed -n 's/^stat::total_time: *//p' "$log" | tail -1)  # libFuzzer >= 15 only
commit=$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)
crash=$([ "$status" -eq 0 ] && echo none || echo "see $work/artifacts/")
echo "fuzz.sh: README row: | $(date -u +%Y-%m-%d) | $commit | ${secs_run:-$secs} | ${execs:-?} | $crash |"
exit $status
