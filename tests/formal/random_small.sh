#!/bin/sh
# Formal equivalence (tools/formal_equiv.py) on small random models:
#   random_small.sh DA_GEN RANDOM_MODEL_DUMP FORMAL_EQUIV_PY SEED...
set -u
dagen=$1 dump=$2 prove=$3
shift 3
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagen-formal-random-XXXXXX")
trap 'rm -rf "$dir"' EXIT
status=0
for seed in "$@"; do
  "$dump" --small "$seed" > "$dir/rand_$seed.json" || exit 4
  if ! python3 "$prove" "$dir/rand_$seed.json" --da-gen "$dagen" --timeout 120; then
    echo "seed $seed failed; replay: random_model_dump --small $seed > m.json && tools/formal_equiv.py m.json"
    cat "$dir/rand_$seed.json"
    status=1
  fi
done
exit $status
