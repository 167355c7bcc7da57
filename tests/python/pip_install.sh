#!/bin/sh
# pip_install.sh SOURCE WORK PYTHON DA-GEN: `pip install SOURCE` into a fresh venv works end to
# end: the installed package writes the build tree's CLI output byte for byte, and the installed
# da-gen command is the same program.  Opt-in (DAGEN_TEST_PIP=1): it downloads from PyPI and
# builds the project once more (docs/python.md, "Install time").
set -eu
if [ "${DAGEN_TEST_PIP:-0}" != 1 ]; then
  echo "SKIP: opt-in, set DAGEN_TEST_PIP=1 (docs/python.md: about 70 s with a warm ccache)"
  exit 77
fi
src=$1 work=$2 py=$3 dagen=$4
model=$src/models/jsc_cernbox_acc75.16.json
rm -rf "$work"
mkdir -p "$work"
"$py" -m venv "$work/venv"
if command -v ccache >/dev/null 2>&1; then
  CMAKE_ARGS="${CMAKE_ARGS:-} -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  export CMAKE_ARGS
fi
"$work/venv/bin/pip" install -q "$src"
cd "$work"  # not the source tree: the installed package, not python/
"$work/venv/bin/python" - "$model" "$work/py" <<'PY'
import sys
import dagen
assert "site-packages" in dagen.__file__, dagen.__file__
dagen.load(sys.argv[1]).build(pipeline=2, valid=True).write(sys.argv[2])
PY
"$dagen" "$model" -o "$work/cli" --pipeline 2 --valid >/dev/null
"$work/venv/bin/da-gen" "$model" -o "$work/venv-cli" --pipeline 2 --valid >/dev/null
diff -r "$work/cli" "$work/py"
diff -r "$work/cli" "$work/venv-cli"
[ "$("$work/venv/bin/da-gen" --version)" = "$("$dagen" --version)" ]
echo "PASS: pip install . -> the package and da-gen write the CLI's files"
