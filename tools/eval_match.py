#!/usr/bin/env python3
"""Scores `coscreen match` on labelled affiliation strings (gold ROR ids).

A prediction is correct when it is the gold entry, or an ancestor or
descendant of it (a lab resolved to its university, or the reverse). Gold ROR
ids that are ROR children of a listed institution count as that institution.

Usage: python3 tools/eval_match.py BINARY ROR_RECORDS.jsonl GOLD.jsonl... [--errors N] [--write-fixture OUT]
"""
import argparse, csv, json, subprocess, sys, os

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("ror_records")
ap.add_argument("gold", nargs="+")
ap.add_argument("--errors", type=int, default=30)
ap.add_argument("--group", action="store_true", help="group false positives by gold and prediction")
ap.add_argument("--fixture", help="write rows with expected entry ids (JSON Lines) here")
a = ap.parse_args()

data = os.path.join(os.path.dirname(__file__), "..", "data", "risk-institutions.csv")
entries = list(csv.DictReader(open(data, encoding="utf-8")))
by_ror = {e["ror"]: e["id"] for e in entries if e["ror"]}
parent = {e["id"]: e["parent"] for e in entries if e["parent"]}
child_parent = {}
ror_rec = {}
for line in open(a.ror_records, encoding="utf-8"):
    r = json.loads(line)
    ror_rec[r["ror"]] = r
    for rel in r["relationships"]:
        if rel["type"] == "parent":
            child_parent[r["ror"]] = rel["id"]
        if rel["type"] == "successor" and r["status"] != "active":
            child_parent.setdefault(r["ror"], rel["id"])

import re
STOP = {"of", "the", "and", "for", "at", "in", "&"}
UNIT = {"hospital", "medical", "school", "college", "center", "centre", "institute", "laboratory", "affiliated",
        "cancer", "graduate", "research", "campus", "branch", "press", "department", "first", "second", "third"}
def toks(s):
    s = re.sub(r"[’'`]", "", s.lower())
    return [t for t in re.split(r"[^a-z0-9\u3400-\u9fff&]+", s) if t]
country = {e["id"]: e["country"] for e in entries}
entry_names = []
for e in entries:
    for n in [e["name"]] + [a for a in e["aliases"].split("; ") if a]:
        t = [x for x in toks(n) if x not in STOP]
        if len(t) >= 2:
            entry_names.append((t, e["id"]))

def unit_of(name, cc):
    """The listed entry a gold institution is a named unit of ("Xiangya
    Hospital of Central South University"): the listed name followed by a
    unit word, or ending the name after "of" or a unit word; same country."""
    raw = toks(name)
    for et, eid in entry_names:
        if country[eid] != cc:
            continue
        t = [x for x in raw if x not in STOP]
        k = len(et)
        for i in range(len(t) - k + 1):
            if t[i:i + k] != et:
                continue
            if i + k < len(t) and t[i + k] in UNIT:
                return eid
            if i + k == len(t) and i > 0:
                # the raw word before the listed name
                j = [n for n, x in enumerate(raw) if x not in STOP][i]
                if raw[j - 1] == "of" or t[i - 1] in UNIT:
                    return eid
    return None

def expected(row):
    out = set()
    for g in row.get("gold_ror") or []:
        rec = ror_rec.get(g)
        if rec:
            u = unit_of(rec["name"], rec["country_code"])
            if u:
                out.add(u)
    for g in row.get("gold_ror") or []:
        cur, seen = g, set()
        while cur and cur not in seen:
            seen.add(cur)
            if cur in by_ror:
                out.add(by_ror[cur]); break
            cur = child_parent.get(cur)
    return out

def lineage(i):
    out = {i}
    while i in parent:
        i = parent[i]; out.add(i)
    return out

rows = []
for f in a.gold:
    for line in open(f, encoding="utf-8"):
        r = json.loads(line)
        if "raw" in r:
            r["raw_affiliation"] = r["raw"]
        if "gold_ror" not in r and "expected" not in r:
            continue
        r["_file"] = os.path.basename(f)
        rows.append(r)
inp = "\n".join(r["raw_affiliation"].replace("\n", " ") for r in rows) + "\n"
out = subprocess.run([a.binary, "match"], input=inp.encode(), capture_output=True, check=True).stdout.decode().splitlines()
assert len(out) == len(rows), (len(out), len(rows))
tp = fp = fn = pos = 0
fps, fns = [], []
fixture = []
for r, o in zip(rows, out):
    res = json.loads(o)
    pred = {m["id"] for m in res["matches"]}
    exp = set(r["expected"]) if "expected" in r else expected(r)
    if a.fixture:
        fixture.append({"raw_affiliation": r["raw_affiliation"], "expected": sorted(exp), "source": r.get("dataset", r.get("source", ""))})
    for p in pred:
        if any(p in lineage(e) or e in lineage(p) for e in exp):
            tp += 1
        else:
            fp += 1; fps.append((r["raw_affiliation"], p, sorted(exp), r.get("gold_ror_names"), r.get("gold_ror")))
    if exp:
        pos += 1
        for e in exp:
            if not any(p in lineage(e) or e in lineage(p) for p in pred):
                fn += 1; fns.append((r["raw_affiliation"], e, r.get("gold_ror_names")))
prec = tp / (tp + fp) if tp + fp else 1.0
rec = (tp / (tp + fn)) if tp + fn else 1.0
print(f"rows {len(rows)}, rows with a listed gold {pos}, TP {tp}, FP {fp}, FN {fn}, precision {prec:.4f}, recall {rec:.4f}")
import collections
if a.group:
    g = collections.Counter((tuple(x[4] or []), tuple(x[3] or []), x[1]) for x in fps)
    for (gr, gn, p), c in g.most_common():
        print(f"  {c:4d}  gold {list(gr)} {list(gn)} -> predicted {p}")
print("--- false positives"); [print(" ", x) for x in fps[: a.errors]]
print("--- false negatives"); [print(" ", x) for x in fns[: a.errors]]
if a.fixture:
    with open(a.fixture, "w", encoding="utf-8") as f:
        for x in fixture:
            f.write(json.dumps(x, ensure_ascii=False) + "\n")
