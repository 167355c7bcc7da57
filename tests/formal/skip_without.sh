#!/bin/sh
# skip_without.sh TOOL... -- COMMAND [ARGS...]: runs COMMAND, or prints SKIP and exits
# 77 (ctest's skipped) when a TOOL (a path or a name on PATH) is missing, so a test
# without its tools is reported as skipped, never as passed or vanished.
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 not found"; exit 77; }
  shift
done
[ $# -gt 0 ] && shift
exec "$@"
