#!/usr/bin/env bash
# cmake --install into a scratch prefix, then build and run a consumer project
# that finds da-gen with find_package and co-simulates a model through it.
set -euo pipefail
build=$1 consumer=$2 model=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" -DDAGEN_TEST_MODEL="$model" >/dev/null
PATH="$work/prefix/bin:$PATH" ctest --test-dir "$work/consumer" --output-on-failure
grep -q "$work/prefix/bin/da-gen" "$work/consumer/CTestTestfile.cmake"
echo "PASS: installed da-gen used through find_package"
