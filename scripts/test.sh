#!/usr/bin/env bash
# One command from a fresh Debian machine to the whole test suite: set up,
# build, run every unit, property and end-to-end (Verilator) test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build -j "$(nproc)" --output-on-failure --timeout 1200
