#!/usr/bin/env bash
# Throughput and memory of `coscreen match` on >= 1M affiliation strings.
#
#   bash bench/match.sh [LINES]        (default 1,000,000)
#
# Builds the release binary, makes two inputs by repeating real strings
# (OpenAlex raw affiliation strings from data/sample; the labelled public gold
# strings from tests/fixtures, which are longer and often name several
# institutions), and times `coscreen match` on 1 and 2 threads with GNU time
# (wall clock and peak RSS), and on 1 thread pinned to one core with taskset
# ("1pin": reader, matcher and writer share that core; the strict reading of
# "per core"). Results go to stdout as a small table.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/coscreen
timer=/usr/bin/time
[ -x "$timer" ] || { echo "GNU time is needed: apt-get install time" >&2; exit 2; }

repeat() { # repeat FILE N OUT: the lines of FILE cycled to N lines
  awk -v n="$2" '{a[NR]=$0} END {for (i = 0; i < n; i++) print a[i % NR + 1]}' "$1" > "$3"
}
repeat data/sample/openalex-affiliations.txt "$lines" "$work/openalex.txt"
python3 -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"): print(json.loads(l)["raw"])' \
  tests/fixtures/affiliations/labelled.jsonl > "$work/gold-once.txt"
repeat "$work/gold-once.txt" "$lines" "$work/gold.txt"

printf '%-10s %-8s %10s %14s %12s %10s\n' input threads seconds lines/s MB/s peak_MB
for input in openalex gold; do
  size=$(stat -c %s "$work/$input.txt")
  for threads in 1 1pin 2; do
    pin=()
    if [ "$threads" = 1pin ]; then
      command -v taskset >/dev/null || continue
      pin=(taskset -c 0)
    fi
    best=""
    for _ in 1 2 3; do
      out=$($timer -f '%e %M' "${pin[@]}" "$bin" match --threads "${threads%pin}" --input "$work/$input.txt" 2>&1 >/dev/null | tail -1)
      secs=${out% *}
      if [ -z "$best" ] || awk -v a="$secs" -v b="${best% *}" 'BEGIN{exit !(a<b)}'; then best=$out; fi
    done
    secs=${best% *}; rss=${best#* }
    awk -v i="$input" -v t="$threads" -v s="$secs" -v n="$lines" -v b="$size" -v r="$rss" \
      'BEGIN{printf "%-10s %-8s %10.2f %14.0f %12.1f %10.1f\n", i, t, s, n/s, b/s/1e6, r/1024}'
  done
done
