#!/usr/bin/env bash
# Instructions per item of each workload in benches/count.rs, under callgrind: each workload runs
# with SMALL and LARGE items, and the difference divided by LARGE - SMALL is what one more item
# costs, less the same figure for building the input (workload `none`), counting the calling
# thread only. Counts are repeatable for the same binary and input, whatever else the machine does.
#
#   benches/instructions.sh [workload ...]     (default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

SMALL=${SMALL:-1000}
LARGE=${LARGE:-5000}
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(sse-json stream baseline create create-ureq)

bin=$(cargo bench --bench count --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*count[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build benches/count.rs" >&2; exit 1; }

# Only the calling thread is counted: the mock gateway's threads poll their sockets, so what
# they execute depends on timing, and it is not the client's cost anyway.
total() {
  local out
  out=$(mktemp -u)
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" \
    "$bin" "$1" "$2" >/dev/null 2>&1
  callgrind_annotate "$out-01" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,
  rm -f "$out"-*
}

per_item() {
  local small large
  small=$(total "$1" "$SMALL")
  large=$(total "$1" "$LARGE")
  echo $(( (large - small) / (LARGE - SMALL) ))
}

# Building the transcript in memory is part of every workload; take it off.
setup=$(per_item none)
printf '%-10s %14s\n' workload 'instr/item'
for w in "${workloads[@]}"; do
  printf '%-10s %14d\n' "$w" $(( $(per_item "$w") - setup ))
done
