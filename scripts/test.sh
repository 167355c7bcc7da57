#!/usr/bin/env bash
# One command from a fresh Debian machine to the whole test suite: set up,
# build, run every unit, property and end-to-end (Verilator) test; then the fast
# subset (unit, property, errors, fuzz replay) again under AddressSanitizer and
# UndefinedBehaviorSanitizer in build-asan/ (DAGEN_SANITIZE_CI=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
# DAGEN_CI_HGQ2=0: without the HGQ2 exporter environment (exporter.hgq2_small reports skipped)
DAGEN_CI_HGQ2=${DAGEN_CI_HGQ2:-1} bash scripts/setup.sh
ctest --test-dir build -j "$(nproc)" --output-on-failure --timeout 1200

[ "${DAGEN_SANITIZE_CI:-1}" = 0 ] && exit 0
# Only the subset's targets are built (the errors tests run the sanitized da-gen),
# at -O1 -g1: half the compile time of -O2 -g, still symbolised reports.
asan_targets=(da-gen unit_tests random_property_tests errors_tests fuzz_replay vendor_tests
              fuzz_reports_replay)
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDAGEN_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
cmake --build build-asan -j "$(nproc)" --target "${asan_targets[@]}"
ctest --test-dir build-asan -j "$(nproc)" --output-on-failure --timeout 1200 \
  -L '^(unit|random|errors|fuzz)$' -LE 'verilator|formal|stream'
