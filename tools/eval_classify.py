#!/usr/bin/env python3
"""Score `coscreen classify` on labelled papers and list its errors.

Usage: tools/eval_classify.py [--bin target/release/coscreen] [--show AREA] [--split dev|test] FILE.jsonl...

Each row: title, abstract, labels (area slugs), scored (areas the label speaks
for), optional split. Prints per-area precision, recall, F1 and the macro-F1
over the areas that have at least one positive; with --show AREA, the false
positives and false negatives of that area with the evidence the classifier
gave. The Rust test tests/classify.rs computes the same figures; this script is
for looking at the errors while curating the lexicon.
"""
import argparse
import json
import subprocess
import sys

AREAS = ["semiconductors", "ai", "quantum", "biotech", "connectivity",
         "sensing", "space", "energy", "robotics", "materials"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--bin", default="target/release/coscreen")
    ap.add_argument("--show", action="append", default=[])
    ap.add_argument("--split")
    ap.add_argument("--limit", type=int, default=40)
    a = ap.parse_args()
    rows = []
    for f in a.files:
        for line in open(f, encoding="utf-8"):
            r = json.loads(line)
            if a.split and r.get("split") != a.split:
                continue
            rows.append(r)
    inp = "".join(json.dumps({"title": r["title"], "abstract": r.get("abstract", "")}) + "\n" for r in rows)
    out = subprocess.run([a.bin, "classify", "--input", "/dev/stdin"], input=inp.encode(),
                         capture_output=True, check=True).stdout.decode().splitlines()
    assert len(out) == len(rows)
    counts = {x: [0, 0, 0] for x in AREAS}
    errs = {x: ([], []) for x in AREAS}
    for r, o in zip(rows, out):
        got = {t["area"]: t for t in json.loads(o)["areas"]}
        for x in AREAS:
            if x not in r["scored"]:
                continue
            lab = x in r["labels"]
            if x in got and lab:
                counts[x][0] += 1
            elif x in got:
                counts[x][1] += 1
                errs[x][0].append((r, got[x]["evidence"]))
            elif lab:
                counts[x][2] += 1
                errs[x][1].append((r, got))
    print(f"{len(rows)} rows")
    print(f"{'area':<15}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}")
    f1s = []
    for x in AREAS:
        tp, fp, fn = counts[x]
        if tp + fp + fn == 0:
            continue
        p = tp / (tp + fp) if tp + fp else 1.0
        rc = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * rc / (p + rc) if p + rc else 0.0
        if tp + fn:
            f1s.append(f)
        print(f"{x:<15}{tp:>5}{fp:>5}{fn:>5}{p:>7.3f}{rc:>7.3f}{f:>7.3f}")
    if f1s:
        print(f"macro-F1 over {len(f1s)} areas: {sum(f1s) / len(f1s):.3f}")
    for x in a.show:
        fps, fns = errs[x]
        print(f"\n== {x}: false positives ({len(fps)})")
        for r, ev in fps[: a.limit]:
            print(f"- [{r.get('source', '')}] {r['title'][:110]}\n    {ev}")
        print(f"\n== {x}: false negatives ({len(fns)})")
        for r, got in fns[: a.limit]:
            other = {k: v["evidence"] for k, v in got.items()}
            print(f"- [{r.get('source', '')}] {r['title'][:110]} | {r.get('abstract', '')[:160]}\n    other: {other}")


if __name__ == "__main__":
    sys.exit(main())
