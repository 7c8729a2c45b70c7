#!/usr/bin/env bash
# Parse throughput of OpenAlex works JSON Lines (one core: the reader is
# sequential), plain and gzip, against the time to merely decompress.
# Input: the 20 recorded works of tests/fixtures/ingest repeated to ~SIZE MB
# (full API records with every field, as a snapshot or an unselected page).
#
#   bash bench/ingest.sh [SIZE_MB]      (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
src=tests/fixtures/ingest/openalex-works.jsonl
one=$(stat -c %s "$src")
reps=$(( size_mb * 1000000 / one + 1 ))
for _ in $(seq "$reps"); do cat "$src"; done > "$work/works.jsonl"
gzip -1 -c "$work/works.jsonl" > "$work/works.jsonl.gz"
bytes=$(stat -c %s "$work/works.jsonl")
works=$(wc -l < "$work/works.jsonl")
printf '%-28s %8s %10s %10s %8s\n' input seconds works/s MB/s peak_MB
run() {
  local label=$1; shift
  local out secs rss
  out=$( { /usr/bin/time -f '%e %M' "$@" >/dev/null; } 2>&1 | tail -1)
  secs=${out% *}; rss=${out#* }
  awk -v l="$label" -v s="$secs" -v n="$works" -v b="$bytes" -v r="$rss" \
    'BEGIN{printf "%-28s %8.2f %10.0f %10.1f %8.1f\n", l, s, n/s, b/s/1e6, r/1024}'
}
run "zcat (decompress only)" zcat "$work/works.jsonl.gz"
run "fetch --input .jsonl" target/release/coscreen fetch --input "$work/works.jsonl" --json
run "fetch --input .jsonl.gz" target/release/coscreen fetch --input "$work/works.jsonl.gz" --json
