#!/usr/bin/env bash
# Snapshot-scale screening: builds a synthetic OpenAlex snapshot (gzip JSON
# Lines partitions) from the 225 real recorded works of data/sample, ids
# varied, and compares `coscreen screen` with the decompression floor
# (zcat of the same files to /dev/null on the same cores).
#
#   bash bench/bulk.sh [SIZE_GB] [PARTS]      (default 2 GB uncompressed, 16 files)
set -euo pipefail
cd "$(dirname "$0")/.."
size_gb=${1:-2}
parts=${2:-16}
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$work"' EXIT
cargo build --release --quiet
snap="$work/snapshot/works"
if [ ! -d "$snap" ]; then
  mkdir -p "$snap"
  python3 - "$size_gb" "$parts" "$snap" <<'PY'
import gzip, json, sys, os
size_gb, parts, out = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
works = [l for l in gzip.open("data/sample/openalex-works.jsonl.gz", "rt", encoding="utf-8")]
avg = sum(len(l.encode()) for l in works) / len(works)
total = int(size_gb * 1e9 / avg)
per = total // parts + 1
n = 0
for p in range(parts):
    d = os.path.join(out, f"updated_date=2026-01-{p % 28 + 1:02d}")
    os.makedirs(d, exist_ok=True)
    with gzip.open(os.path.join(d, f"part_{p:03d}.gz"), "wt", encoding="utf-8", compresslevel=6) as f:
        for i in range(per):
            w = works[n % len(works)]
            # A new id per copy (same shape as the real record).
            f.write(w.replace('"id":"https://openalex.org/W', f'"id":"https://openalex.org/W9{n:09d}', 1))
            n += 1
print(f"{n} works, {parts} files", file=sys.stderr)
PY
fi
files=$(find "$snap" -name '*.gz' | sort)
bytes=$(for f in $files; do zcat "$f"; done | wc -c)
works=$(for f in $files; do zcat "$f"; done | wc -l)
gzbytes=$(du -cb $files | tail -1 | cut -f1)
awk -v w="$works" -v b="$bytes" -v g="$gzbytes" 'BEGIN{printf "%d works, %.2f GB uncompressed, %.2f GB gzip\n", w, b/1e9, g/1e9}'
printf '%-34s %8s %9s %10s %8s\n' run seconds MB/s works/s peak_MB
measure() {
  local label=$1; shift
  local out secs rss
  out=$( { /usr/bin/time -f '%e %M' "$@" >/dev/null; } 2>&1 | tail -1)
  secs=${out% *}; rss=${out#* }
  awk -v l="$label" -v s="$secs" -v b="$bytes" -v n="$works" -v r="$rss" \
    'BEGIN{printf "%-34s %8.2f %9.1f %10.0f %8.1f\n", l, s, b/s/1e6, n/s, r/1024}'
  echo "$secs" > "$work/last"
}
measure "zcat floor, 1 core" taskset -c 0 sh -c "for f in $(echo $files); do zcat \$f; done"
z1=$(cat "$work/last")
measure "zcat floor, 2 cores" sh -c "echo $(echo $files) | tr ' ' '\n' | xargs -P2 -n1 zcat"
z2=$(cat "$work/last")
measure "screen --home CN, 1 core" taskset -c 0 target/release/coscreen -q screen --input "$snap" --home CN --threads 1 --out "$work/out1"
c1=$(cat "$work/last")
measure "screen --home CN, 2 threads" target/release/coscreen -q screen --input "$snap" --home CN --threads 2 --out "$work/out2"
c2=$(cat "$work/last")
measure "screen (no home), 2 threads" target/release/coscreen -q screen --input "$snap" --threads 2 --out "$work/out3"
c3=$(cat "$work/last")
awk -v z1="$z1" -v z2="$z2" -v c1="$c1" -v c2="$c2" -v c3="$c3" 'BEGIN{
  printf "ratio to the zcat floor: --home CN %.2fx (1 core), %.2fx (2 cores); no home %.2fx (2 cores)\n", c1/z1, c2/z2, c3/z2;
  printf "scaling 1 -> 2 threads: %.2fx\n", c1/c2 }'
cmp <(grep -v '"generated"' "$work/out1/report.json") <(grep -v '"generated"' "$work/out2/report.json") && echo "1- and 2-thread reports identical (apart from the time)"
