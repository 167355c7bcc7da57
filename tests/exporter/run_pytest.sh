#!/bin/sh
# run_pytest.sh PYTHON TEST.py...: the exporter's numpy-only pytest suites in ctest.
# Exit 77 (ctest's skipped) when PYTHON lacks numpy or pytest, never a silent pass;
# fails unless pytest exits 0 having passed at least one test.
py=$1
shift
for module in numpy pytest; do
  "$py" -c "import $module" 2>/dev/null || { echo "SKIP: no $module for $py"; exit 77; }
done
out=$("$py" -m pytest -q -rs -p no:cacheprovider "$@" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || exit $status
echo "$out" | grep -Eq '[0-9]+ passed' || { echo "FAIL: no test passed"; exit 1; }
