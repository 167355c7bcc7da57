#!/bin/sh
# stream_flipped.sh PYTHON STREAM_CHECK DA_GEN MODEL [da-gen options...]: negative control
# of tools/stream_check.py.  It must pass on the design da-gen writes and fail (exit 1,
# a FAIL line) on a copy whose first adder with a left operand wider than one bit (a + b
# and a - b agree on a single bit) has its operator flipped (+ <-> -).
# Exit 77 (skipped) when PYTHON has no numpy.
py=$1 check=$2 dagen=$3 model=$4
shift 4
"$py" -c "import numpy" 2>/dev/null || { echo "SKIP: no numpy for $py"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagen-flipped-XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$dagen" "$model" -o "$dir/rtl" "$@" >/dev/null || { echo "FAIL: da-gen"; exit 1; }
"$py" "$check" "$model" --vectors 300 --rtl "$dir/rtl" >"$dir/good.log" ||
  { cat "$dir/good.log"; echo "FAIL: stream_check fails on the unmodified design"; exit 1; }
top=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["top"])' "$dir"/rtl/*.json)
"$py" - "$dir/rtl/$top.v" <<'PY' || { echo "FAIL: no adder to flip"; exit 1; }
import re, sys
path = sys.argv[1]
lines = open(path).read().split("\n")
for k, line in enumerate(lines):
    m = re.match(r"  assign n\d+ = .*?(_p\[(\d+):(\d+)\])? ([+-]) ", line)
    if m and (m.group(1) is None or m.group(2) != m.group(3)):
        op = "-" if m.group(4) == "+" else "+"
        lines[k] = line[:m.start(4)] + op + line[m.end(4):]
        print("flipped:", lines[k].strip())
        break
else:
    sys.exit(1)
open(path, "w").write("\n".join(lines))
PY
"$py" "$check" "$model" --vectors 300 --rtl "$dir/rtl" >"$dir/bad.log"
status=$?
tail -3 "$dir/bad.log"
[ $status -eq 1 ] && grep -q '^FAIL' "$dir/bad.log" ||
  { echo "FAIL: stream_check exited $status on the flipped design"; exit 1; }
echo "PASS: stream_check fails on a flipped operand ($(basename "$model") $*)"
