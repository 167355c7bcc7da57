#!/bin/sh
# stream_ii_mutants.sh PYTHON STREAM_CHECK DA_GEN MODEL K [da-gen options...]: negative
# controls of tools/stream_check.py at a forced initiation interval K > 1.  The --valid
# design da-gen writes (latency >= 2) must pass at --ii K, and so must it registered in a
# wrapper (ii_mutate.py registered_x); each mutant must fail (exit 1, a FAIL line): x taken
# one cycle after x_valid (garbage is on x then), y_valid one cycle early, one cycle late,
# one extra y_valid pulse.  Exit 77 (skipped) when PYTHON has no numpy.
py=$1 check=$2 dagen=$3 model=$4 k=$5
shift 5
"$py" -c "import numpy" 2>/dev/null || { echo "SKIP: no numpy for $py"; exit 77; }
here=$(dirname "$0")
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagen-ii-mutants-XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$dagen" "$model" -o "$dir/rtl" "$@" >/dev/null || { echo "FAIL: da-gen"; exit 1; }
# run NAME MUTATION|none: stream_check on a mutated copy; its exit status
run() {
  rm -rf "$dir/$1"
  cp -r "$dir/rtl" "$dir/$1"
  if [ "$2" != none ]; then
    "$py" "$here/ii_mutate.py" "$dir/$1" "$2" >/dev/null || { echo "FAIL: cannot mutate ($2)"; exit 1; }
  fi
  "$py" "$check" "$model" --vectors 200 --ii "$k" --rtl "$dir/$1" >"$dir/$1.log"
}
for good in none registered_x; do
  run "$good" "$good" || { cat "$dir/$good.log"; echo "FAIL: stream_check fails on the $good design"; exit 1; }
done
for bad in late_x valid_early valid_late extra_pulse; do
  run "$bad" "$bad"
  status=$?
  tail -1 "$dir/$bad.log"
  [ $status -eq 1 ] && grep -q '^FAIL' "$dir/$bad.log" ||
    { cat "$dir/$bad.log"; echo "FAIL: stream_check exited $status on the $bad mutant"; exit 1; }
done
echo "PASS: stream_check at ii $k fails on every mutant ($(basename "$model") $*)"
