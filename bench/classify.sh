#!/usr/bin/env bash
# Throughput of `coscreen classify --input` on >= 100,000 papers (title +
# abstract), made by repeating the labelled papers in tests/fixtures/classify.
#
#   bash bench/classify.sh [PAPERS]      (default 100,000)
set -euo pipefail
cd "$(dirname "$0")/.."
papers=${1:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
python3 - "$papers" "$work/papers.jsonl" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
rows = [json.loads(l) for l in open("tests/fixtures/classify/labelled.jsonl", encoding="utf-8")]
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        r = rows[i % len(rows)]
        f.write(json.dumps({"title": r["title"], "abstract": r["abstract"]}) + "\n")
PY
size=$(stat -c %s "$work/papers.jsonl")
printf '%-8s %10s %12s %10s %10s\n' threads seconds papers/s MB/s peak_MB
for threads in 1 2; do
  out=$(RAYON_NUM_THREADS=$threads /usr/bin/time -f '%e %M' target/release/coscreen classify --input "$work/papers.jsonl" 2>&1 >/dev/null | tail -1)
  secs=${out% *}; rss=${out#* }
  awk -v t="$threads" -v s="$secs" -v n="$papers" -v b="$size" -v r="$rss" \
    'BEGIN{printf "%-8s %10.2f %12.0f %10.1f %10.1f\n", t, s, n/s, b/s/1e6, r/1024}'
done
