#!/bin/sh
# Formal equivalence (tools/formal_equiv.py) on random version-2 graphs:
#   random_graph.sh DA_GEN RANDOM_MODEL_DUMP FORMAL_EQUIV_PY SEED...
# A seed whose SAT proof exceeds the per-seed timeout (a wide sum) is reported and
# skipped; any other failure, a disproof or a port that differs from the spec fails.
set -u
dagen=$1 dump=$2 prove=$3
shift 3
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagen-formal-graph-XXXXXX")
trap 'rm -rf "$dir"' EXIT
status=0 proved=0 slow=""
for seed in "$@"; do
  "$dump" --graph "$seed" > "$dir/graph_$seed.json" || exit 4
  python3 "$prove" "$dir/graph_$seed.json" --da-gen "$dagen" --timeout 10
  rc=$?
  if [ $rc -eq 0 ]; then
    proved=$((proved + 1))
  elif [ $rc -eq 3 ]; then
    slow="$slow $seed"
  else
    echo "seed $seed failed (exit $rc); replay: random_model_dump --graph $seed > m.json && tools/formal_equiv.py m.json"
    cat "$dir/graph_$seed.json"
    status=1
  fi
done
echo "random graphs: $proved proved, timed out (skipped):${slow:- none}"
[ $proved -gt 0 ] || status=1
exit $status
