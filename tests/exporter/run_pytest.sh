#!/bin/sh
# run_pytest.sh PYTHON TEST.py...: the exporter's numpy-only pytest suites in ctest.
# Exit 77 (ctest's skipped) when PYTHON lacks numpy or pytest, never a silent pass;
# fails unless pytest exits 0 having passed at least one test (exit 77 when it skipped every test).
py=$1
shift
for module in numpy pytest; do
  "$py" -c "import $module" 2>/dev/null || { echo "SKIP: no $module for $py"; exit 77; }
done
out=$("$py" -m pytest -q -rs -p no:cacheprovider "$@" 2>&1)
status=$?
echo "$out"
if [ $status -eq 5 ] && echo "$out" | grep -Eq '^[0-9]+ skipped'; then
  echo "SKIP: the suite skipped itself"  # pytest's exit 5: nothing ran (a module-level skip)
  exit 77
fi
[ $status -eq 0 ] || exit $status
if ! echo "$out" | grep -Eq '[0-9]+ passed'; then
  # a suite that skipped itself as a whole (e.g. no da-gen reading version 2) is skipped, not passed
  echo "$out" | grep -Eq '^[0-9]+ skipped' && { echo "SKIP: every test skipped"; exit 77; }
  echo "FAIL: no test passed"
  exit 1
fi
