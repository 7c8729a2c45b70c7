#!/usr/bin/env python3
"""Scores `coscreen match` on the labelled probe set for matcher v2
(tests/fixtures/affiliations/probe-v2.csv): precision and recall of the
entries named (an entry or its ancestor/descendant counts, as in
eval_match.py), with Wilson 95% intervals, and how often the relation
(self/part/affiliate) of a correct hit is the labelled one.

Rows alternate between the design half (`dev`, even rows) and the held-out
half (`heldout`, odd rows), by position in the file.

Usage: python3 tools/eval_probe.py BINARY [dev|heldout|all] [--errors] [--file CSV]

`--file` scores another set in the same format (probe-v3.csv, the fresh
held-out draw written by an independent labeller: use it with `all`).
"""
import csv, json, os, subprocess, sys
import listlib

here = os.path.dirname(__file__)
binary = sys.argv[1]
half = sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("-") else "all"
show = "--errors" in sys.argv
entries = listlib.entries()
lineage = listlib.lineage_of(entries)

wilson = listlib.wilson


path = os.path.join(here, "..", "tests", "fixtures", "affiliations", "probe-v2.csv")
if "--file" in sys.argv:
    path = sys.argv[sys.argv.index("--file") + 1]
rows = list(csv.DictReader(open(path, encoding="utf-8")))
rows = [r for i, r in enumerate(rows) if half == "all" or (half == "dev") == (i % 2 == 0)]
inp = "\n".join(r["input"] for r in rows) + "\n"
out = subprocess.run([binary, "match"], input=inp.encode(), capture_output=True, check=True).stdout.decode().splitlines()
assert len(out) == len(rows)
tp = fp = fn = rel_ok = 0
per = {}
for r, o in zip(rows, out):
    c = per.setdefault(r["category"], [0, 0, 0])
    before = (tp, fp, fn)
    got = {m["id"]: m.get("relation", "self") for m in json.loads(o)["matches"]}
    exp = r["expected"]
    for g, rel in got.items():
        if exp and (g in lineage(exp) or exp in lineage(g)):
            tp += 1
            if rel == r["relation"]:
                rel_ok += 1
            elif show:
                print(f"  relation {rel} (want {r['relation']}): {r['input']}")
        else:
            fp += 1
            if show:
                print(f"  FP {g}: {r['input']}")
    if exp and not any(exp in lineage(g) or g in lineage(exp) for g in got):
        fn += 1
        if show:
            print(f"  FN {exp} [{r['category']}]: {r['input']}")
    for k, (a, b) in enumerate(zip((tp, fp, fn), before)):
        c[k] += a - b
p_lo, p_hi = wilson(tp, tp + fp)
r_lo, r_hi = wilson(tp, tp + fn)
print(f"{half}: rows {len(rows)}, TP {tp}, FP {fp}, FN {fn}; precision {tp / max(tp + fp, 1):.3f} [{p_lo:.3f}, {p_hi:.3f}], "
      f"recall {tp / max(tp + fn, 1):.3f} [{r_lo:.3f}, {r_hi:.3f}]; relation right on {rel_ok}/{tp}")
for cat, (a, b, c) in sorted(per.items()):
    print(f"  {cat}: TP {a}, FP {b}, FN {c}")
