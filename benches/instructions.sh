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
[ ${#workloads[@]} -gt 0 ] || workloads=(sse sse-json sse-plain split-plain stream baseline create create-ureq create-bare)

bin=$(cargo bench --bench count --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*count[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build benches/count.rs" >&2; exit 1; }
# A copy, so that a rebuild while the counts run cannot change what is counted.
copy=$(mktemp)
trap 'rm -f "$copy"' EXIT
cp "$bin" "$copy"
chmod +x "$copy"
bin=$copy

# Only the calling thread is counted: what the server's threads execute is not the client's
# cost, and depends on timing.
total() {
  local out count
  out=$(mktemp -u)
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" \
    "$bin" "$1" "$2" >/dev/null 2>"$out.log" || { cat "$out.log" >&2; exit 1; }
  count=$(callgrind_annotate "$out-01" 2>/dev/null \
    | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
  rm -f "$out"-* "$out.log"
  [ -n "$count" ] || { echo "no count for workload $1" >&2; exit 1; }
  echo "$count"
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
