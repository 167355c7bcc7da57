#!/usr/bin/env bash
# Installs what da-gen needs to build and test (Debian packages), then builds it.
# Idempotent: installs only missing packages; rebuilds incrementally.
# --packages-only: install, do not build (tools/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build python3 nlohmann-json3-dev libeigen3-dev libcxxopts-dev
          libgtest-dev libgmock-dev liblemon-dev python3-numpy python3-pytest python3-dev pybind11-dev
          python3-venv verilator iverilog yosys
          nextpnr-ice40 fpga-icestorm graphviz ccache)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = --packages-only ] && exit 0

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
