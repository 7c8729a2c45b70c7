#!/usr/bin/env python3
"""Builds tests/fixtures/affiliations/labelled.jsonl from the public gold sets.

Each output row: {"raw": str, "expected": [entry ids], "source": dataset, "note": str}.
`expected` lists the risk-list entries the string names; [] means none.

Label rules (also in tests/fixtures/affiliations/SOURCES.md):
1. A gold ROR id maps to the entry with that ROR id, following ROR parent and
   successor links (a lab or a renamed institute counts as its listed parent).
2. A gold institution whose ROR name makes it a named unit of a listed entry
   ("Xiangya Hospital of Central South University") maps to that entry.
3. A gold ROR id absent from the ROR records is resolved through the rows
   where exactly one listed entry's primary name appears verbatim in the
   string; that resolution then applies to every row with the same gold id.
   tools/gold-ror-equivalents.csv adds reviewed equivalences (with reasons).
4b. Rows whose gold shares no distinctive word (not "university",
   "institute", "China"...) with any name of the entry are dropped too: an
   affiliation string cannot identify an institution it does not name.
4. Rows whose gold the source itself flags as not supported by the string
   (gold_check = name_overlap_none) are dropped: their labels cannot be
   checked, and the reviewed ones were mostly wrong.
6. The sources label one institution per string even when a string names
   several. A listed entry one of whose names (not acronyms) opens a comma-separated part
   of the string (and does not go on with "of ...") is added to expected.
5. tools/match-relabels.csv holds row-level reviews: a wrong gold label is
   fixed or the row dropped, each with a reason. Never tuned to the matcher:
   every review states what the string says.

Usage: python3 tools/build_match_fixture.py ../shared OUT.jsonl
"""
import collections
import csv
import json
import os
import random
import re
import sys

import listlib

SHARED, OUT = sys.argv[1], sys.argv[2]
GOLD = os.path.join(SHARED, "reference", "affiliation-gold")
HERE = os.path.dirname(__file__)
entries = listlib.entries()
by_ror = {e["ror"]: e["id"] for e in entries if e["ror"]}
country = {e["id"]: e["country"] for e in entries}

ror_rec, up = {}, {}
for line in open(os.path.join(GOLD, "ror-records-cn.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    ror_rec[r["ror"]] = r
    for rel in r["relationships"]:
        if rel["type"] == "parent" or (rel["type"] == "successor" and r["status"] != "active"):
            up.setdefault(r["ror"], rel["id"])

STOP = {"of", "the", "and", "for", "at", "in", "&"}
UNIT = {"hospital", "medical", "school", "college", "center", "centre", "institute", "laboratory", "affiliated",
        "cancer", "graduate", "research", "campus", "branch", "press", "department", "first", "second", "third"}


def toks(s):
    s = re.sub(r"[’'`]", "", s.lower())
    return [t for t in re.split(r"[^a-z0-9\u3400-\u9fff&]+", s) if t]


names = []
for e in entries:
    for n in [e["name"]] + [a for a in e["aliases"].split("; ") if a]:
        t = [x for x in toks(n) if x not in STOP]
        if len(t) >= 2:
            names.append((t, e["id"]))


def unit_of(name, cc):
    raw = toks(name)
    kept = [i for i, x in enumerate(raw) if x not in STOP]
    t = [raw[i] for i in kept]
    for et, eid in names:
        if country[eid] != cc:
            continue
        k = len(et)
        for i in range(len(t) - k + 1):
            if t[i:i + k] != et:
                continue
            if i + k < len(t) and t[i + k] in UNIT:
                return eid
            if i + k == len(t) and i > 0 and (raw[kept[i] - 1] == "of" or t[i - 1] in UNIT):
                return eid
    return None


def resolve(g):
    cur, seen = g, set()
    while cur and cur not in seen:
        seen.add(cur)
        if cur in by_ror:
            return by_ror[cur]
        rec = ror_rec.get(cur)
        if rec:
            u = unit_of(rec["name"], rec["country_code"])
            if u:
                return u
        cur = up.get(cur)
    return None


lineage = listlib.lineage_of(entries)


def flat(s):
    return " ".join(toks(s))


primary = [(flat(e["name"]), e["id"]) for e in entries]
every_name = [(flat(n), e["id"]) for e in entries for n in [e["name"]] + [a for a in e["aliases"].split("; ") if a]
              if not re.search(r"[\u3400-\u9fff]", n) and flat(n)]
equiv = {x["gold_ror"]: x["entry"] for x in csv.DictReader(open(os.path.join(HERE, "gold-ror-equivalents.csv"), encoding="utf-8"))}


def verbatim(raw):
    f = " " + flat(raw) + " "
    hits = {eid for n, eid in primary if len(n) > 8 and f" {n} " in f}
    # a longer listed name containing a shorter one wins (NUAA over Nanjing University)
    hits = {h for h in hits if not any(h != o and f" {flat(next(e['name'] for e in entries if e['id'] == h))} " in
                                       f" {flat(next(e['name'] for e in entries if e['id'] == o))} " for o in hits)}
    return hits


COUNTRY_WORDS = {"CN": {"china", "chinese", "prc"}, "RU": {"russia", "russian", "moscow"}, "IR": {"iran", "tehran"}}
GENERIC = {"university", "institute", "of", "the", "and", "for", "china", "chinese", "academy", "sciences", "science",
           "technology", "research", "national", "key", "laboratory", "lab", "center", "centre", "state", "college",
           "school", "engineering", "people", "peoples", "liberation", "army", "pla", "at", "in", "cas", "corporation",
           "group", "company", "federal", "russian", "ras", "branch"}
distinct = collections.defaultdict(set)
for e in entries:
    forms = [e["name"]] + [a for a in e["aliases"].split("; ") if a] + [c for c in e["compound"].split("; ") if c]
    for n in forms:
        distinct[e["id"]] |= {t for t in toks(n) if t not in GENERIC and len(t) > 2}
    distinct[e["id"]] |= {a.lstrip("!").lower() for a in e["acronyms"].split("; ") if a}


def supported(raw, eid):
    """Rule 4b: the string shares a distinctive word with some name of the entry."""
    return bool(distinct[eid] & set(toks(raw))) or not distinct[eid]


def named_entries(raw):
    """Rule 6: listed names that open a comma-separated part, in a string
    that shows the entry's country."""
    out = set()
    words = set(toks(raw))
    for part in re.split(r"[,;()\[\]]", raw):
        t = toks(part)
        if t and t[0] == "the":
            t = t[1:]
        f = " ".join(t)
        for n, eid in every_name:
            k = len(n.split())
            if k >= 2 and (f == n or f.startswith(n + " ")) and (len(t) == k or t[k] != "of") \
                    and COUNTRY_WORDS.get(country[eid], set()) & words:
                out.add(eid)
    # a longer listed name beats a shorter one that it starts with
    return {e for e in out if not any(o != e and any(n2.startswith(n1 + " ") for n1, e1 in every_name if e1 == e
                                                     for n2, e2 in every_name if e2 == o) for o in out)}


flat_name = {}
for n, eid in every_name:
    flat_name.setdefault(eid, n)

rows = []
for fname in ["cn-defence-linked.jsonl", "nearmiss-traps.jsonl", "cn-other.jsonl", "non-cn-sample.jsonl"]:
    for line in open(os.path.join(GOLD, fname), encoding="utf-8"):
        r = json.loads(line)
        if "gold_ror" not in r:
            continue
        r["_file"] = fname
        rows.append(r)

# Rule 3: learn resolutions for gold ids the records lack, only when the
# rows carrying that id agree: at least 3 rows, and 90% of them name the same
# listed entry verbatim.
learned = collections.defaultdict(collections.Counter)
total = collections.Counter()
for r in rows:
    for g in r["gold_ror"]:
        if g not in ror_rec and g not in by_ror:
            total[g] += 1
            v = verbatim(r["raw_affiliation"])
            if len(v) == 1:
                learned[g][next(iter(v))] += 1
resolved_unknown = {}
for g, c in learned.items():
    eid, n = c.most_common(1)[0]
    if n >= 3 and n >= 0.9 * total[g]:
        resolved_unknown[g] = eid

relabels = {}
rp = os.path.join(HERE, "match-relabels.csv")
if os.path.exists(rp):
    for x in csv.DictReader(open(rp, encoding="utf-8")):
        relabels[x["raw"]] = x

out, dropped = [], collections.Counter()
for r in rows:
    raw = r["raw_affiliation"].replace("\n", " ").replace("#TAB#", "").strip()
    if not raw:
        continue
    exp = set()
    for g in r["gold_ror"]:
        e = equiv.get(g) or resolve(g) or resolved_unknown.get(g)
        if e:
            exp.add(e)
    note = ""
    extra = named_entries(raw) - exp
    extra = {e for e in extra if not any(e in lineage(x) or x in lineage(e) for x in exp)}
    if extra:
        exp |= extra
        note = "rule 6: also names " + ", ".join(sorted(extra))
    if r.get("gold_check") == "name_overlap_none" and exp:
        dropped["rule 4: gold not supported by the string"] += 1
        continue
    unsupported = {e for e in exp if not supported(raw, e) and not any(supported(raw, a) for a in lineage(e))}
    if unsupported:
        dropped["rule 4b: no distinctive word of the gold in the string"] += 1
        continue
    if raw in relabels:
        x = relabels[raw]
        if x["action"] == "drop":
            dropped["rule 5: reviewed and dropped"] += 1
            continue
        exp = set(filter(None, x["expected"].split(";")))
        note = x["reason"]
    out.append({"raw": raw, "expected": sorted(exp), "gold_ror": r["gold_ror"], "source": r["dataset"], "note": note})

# Keep every row naming a listed entry, every near-miss trap, and a seeded
# sample of the rest, so the fixture stays small.
random.seed(2113)
keep = [x for x in out if x["expected"]]
traps = [x for x in out if not x["expected"]]
keep += traps
with open(OUT, "w", encoding="utf-8") as f:
    for x in keep:
        f.write(json.dumps(x, ensure_ascii=False) + "\n")
print(f"{len(keep)} rows ({sum(1 for x in keep if x['expected'])} naming a listed entry); dropped: {dict(dropped)}; "
      f"{len(resolved_unknown)} gold ids resolved by rule 3")
