#!/usr/bin/env bash
# Installs what da-gen needs to build and test (Debian packages), then builds it.
# Idempotent: installs only missing packages; rebuilds incrementally.
# --packages-only: install, do not build (tools/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build ghdl python3 nlohmann-json3-dev libeigen3-dev libcxxopts-dev
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

# DAGEN_CI_HGQ2=1 (scripts/test.sh's default): the HGQ2 exporter test (ctest exporter.hgq2_small)
# runs in build/.venv-hgq2, the requirements of the package's hgq2 and test extras
# (pyproject.toml) from PyPI: 17-134 s and 694 MB here (docs/exporter.md, "Tests").
if [ "${DAGEN_CI_HGQ2:-0}" = 1 ]; then
  venv=build/.venv-hgq2
  py=/usr/bin/python3  # Debian's (the package list's python3)
  [ -x "$py" ] || py=python3
  if ! KERAS_BACKEND=jax "$venv/bin/python" -c "import hgq, keras, pytest" >/dev/null 2>&1; then
    echo "setup: installing the hgq2 extra's requirements into $venv"
    rm -rf "$venv"
    mkdir -p build
    "$py" -m venv "$venv"
    reqs=$("$py" -c 'import tomllib
p = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(p["dependencies"] + p["optional-dependencies"]["hgq2"] + p["optional-dependencies"]["test"]))')
    mapfile -t reqs <<<"$reqs"
    "$venv/bin/pip" install -q "${reqs[@]}"
  fi
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
