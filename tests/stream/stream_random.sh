#!/bin/bash
# stream_random.sh PYTHON STREAM_CHECK DA_GEN RANDOM_MODEL_DUMP FIRST LAST [graph]: streaming
# checks of random models FIRST..LAST, the options drawn from the seed (every third
# model from the small generator; with `graph`, random version 2 graphs).  Exit 77
# (skipped) when PYTHON has no numpy.
set -u
py=$1 check=$2 dagen=$3 dump=$4 first=$5 last=$6 kind=${7:-}
"$py" -c "import numpy" 2>/dev/null || { echo "SKIP: no numpy for $py"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagen-stream-XXXXXX")
trap 'rm -rf "$dir"' EXIT
status=0
for seed in $(seq "$first" "$last"); do
  small=""
  [ $((seed % 3)) -eq 0 ] && small=--small
  [ "$kind" = graph ] && small=--graph
  "$dump" $small "$seed" >"$dir/m.json" || exit 4
  RANDOM=$seed
  opts=(--pipeline $((RANDOM % 6)))
  [ $((RANDOM % 2)) -eq 1 ] && opts+=(--valid)
  case $((RANDOM % 4)) in 1) opts+=(--dc 0) ;; 2) opts+=(--dc 2) ;; esac
  [ $((RANDOM % 2)) -eq 1 ] && opts+=(--objective bits)
  [ $((RANDOM % 4)) -eq 0 ] && opts+=(--target ice40)
  [ $((RANDOM % 8)) -eq 0 ] && opts+=(--no-share)
  # --stage-slack needs a pipeline (the draw stays, so seeds keep their options).
  [ $((RANDOM % 6)) -eq 0 ] && [ "${opts[1]}" -gt 0 ] && opts+=(--stage-slack 0.5)
  [[ " ${opts[*]} " != *" ice40 "* ]] && [ $((RANDOM % 3)) -eq 0 ] && opts+=(--ternary)
  if ! "$py" "$check" "$dir/m.json" --vectors 200 --seed "$seed" --da-gen "$dagen" -- "${opts[@]}"; then
    echo "seed $seed failed; replay: random_model_dump $small $seed > m.json &&" \
         "tools/stream_check.py m.json -- ${opts[*]}"
    status=1
  fi
done
exit $status
