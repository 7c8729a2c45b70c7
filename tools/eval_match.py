#!/usr/bin/env python3
"""Scores `coscreen match` on the labelled fixture and lists its errors.

The labels come from tools/build_match_fixture.py (which owns the mapping from
public gold ROR ids to entries). A prediction is correct when it is the
expected entry or an ancestor or descendant of it. The same figures are
asserted by tests/matching.rs; this script is for looking at the errors.

Usage: python3 tools/eval_match.py BINARY [FIXTURE.jsonl] [--errors N] [--group]
"""
import argparse, collections, csv, json, os, subprocess
import listlib

here = os.path.dirname(__file__)
ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("fixture", nargs="?", default=os.path.join(here, "..", "tests", "fixtures", "affiliations", "labelled.jsonl"))
ap.add_argument("--errors", type=int, default=30)
ap.add_argument("--group", action="store_true", help="count false positives by (gold, prediction)")
a = ap.parse_args()

entries = listlib.entries()
lineage = listlib.lineage_of(entries)


rows = [json.loads(l) for l in open(a.fixture, encoding="utf-8")]
inp = "\n".join(r["raw"] for r in rows) + "\n"
out = subprocess.run([a.binary, "match"], input=inp.encode(), capture_output=True, check=True).stdout.decode().splitlines()
assert len(out) == len(rows), (len(out), len(rows))
tp = fp = fn = 0
fps, fns = [], []
for r, o in zip(rows, out):
    pred = {m["id"] for m in json.loads(o)["matches"]}
    exp = set(r["expected"])
    for p in pred:
        if any(p in lineage(e) or e in lineage(p) for e in exp):
            tp += 1
        else:
            fp += 1
            fps.append((r["raw"], p, sorted(exp), r.get("gold_ror")))
    for e in exp:
        if not any(p in lineage(e) or e in lineage(p) for p in pred):
            fn += 1
            fns.append((r["raw"], e))
print(f"rows {len(rows)}, TP {tp}, FP {fp}, FN {fn}, precision {tp / max(tp + fp, 1):.4f}, recall {tp / max(tp + fn, 1):.4f}")
if a.group:
    for (p, gold), c in collections.Counter((x[1], tuple(x[3] or [])) for x in fps).most_common():
        print(f"  {c:4d}  gold {list(gold)} -> predicted {p}")
print("--- false positives")
for x in fps[: a.errors]:
    print(" ", x)
print("--- false negatives")
for x in fns[: a.errors]:
    print(" ", x)
