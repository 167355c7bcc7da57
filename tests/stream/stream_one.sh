#!/bin/sh
# stream_one.sh PYTHON STREAM_CHECK DA_GEN MODEL [da-gen options...]: one streaming check;
# exit 77 (skipped) when PYTHON has no numpy.  STREAM_II=K forces the initiation interval
# (stream_check.py --ii K).
py=$1 check=$2 dagen=$3 model=$4
shift 4
"$py" -c "import numpy" 2>/dev/null || { echo "SKIP: no numpy for $py"; exit 77; }
exec "$py" "$check" "$model" --vectors 300 ${STREAM_II:+--ii "$STREAM_II"} --da-gen "$dagen" -- "$@"
