#!/usr/bin/env python3
"""Build data/risk-affiliates.csv from ROR relationships.

Usage:
    python3 tools/build_affiliates.py ROR_JSONL data/risk-institutions.csv > data/risk-affiliates.csv

ROR_JSONL is one ROR record per line (schema v2 fields flattened: `ror`, `country`
(ISO code), `city`, `status`, `names` [{value, types, lang}], `relationships`
[{type, id, label}], `source_path` (release folder/file)). Build it from the ROR data
dump (CC0; https://zenodo.org/communities/ror-data, or the per-release record files of
https://github.com/ror-community/ror-records) by keeping the records of the countries
of the risk list (CN, HK, MO, TW, RU, BY, IR, KP) and copying those fields.

An organisation is written when ROR relates it to a risk-list entry (the entry's ROR id):
- `part`: a ROR `child` of the entry (or a child of such a part), and every hospital of
  an entry that is a military institution (a PLA or People's Armed Police unit, per the
  entry's `categories`), whose hospitals are units of the entry itself;
- `affiliate`: a ROR `related` organisation of the entry (typically an affiliated
  hospital), a hospital that ROR gives as a child of a civilian university, and a
  college or university that ROR files as a child (joint ventures, independent colleges).
Skipped and reported on stderr: a `related` university, academy or college (an
institution in its own right, e.g. a medical academy related to a university); an
organisation whose own record is absent from ROR_JSONL unless it is a hospital (then
its name is the label the entry's record gives, its country the entry's).
Never written: an organisation that is itself an entry, a withdrawn record. An
organisation related to two entries is written once, for the first entry in list order,
and its source names the other. Every row cites the ROR record and the relationship.
Python 3.11 standard library only; the output is sorted by ROR id.
"""

import csv
import json
import re
import sys

HEADER = ["ror", "name", "aliases", "country", "city", "entry", "relation", "kind", "source"]
MILITARY_CATEGORIES = (
    "ASPI: Military",
    "PLA institution",
    "People's Armed Police institution",
    "subsidiary of Academy of Military Science",
    "AMMS institute",
)
KINDS = [
    ("hospital", re.compile(r"hospital|医院|clinic|medical cent(er|re)", re.I)),
    ("laboratory", re.compile(r"laborator|\blab\b|实验室", re.I)),
    ("school", re.compile(r"\bschool\b|\bcollege\b|\bfaculty\b|学院", re.I)),
    ("institute", re.compile(r"institute|研究所|研究院|\bcent(er|re)\b|observator", re.I)),
    ("company", re.compile(r"\bco\.|\b(company|corporation|ltd|limited|inc|group)\b|\([a-z ]+\)$", re.I)),
]


def display_name(rec):
    names = rec["names"]
    for n in names:
        if "ror_display" in n["types"]:
            return n["value"].strip()
    return names[0]["value"].strip()


def kind_of(name, other_names=()):
    """The kind from the display name; the other names only when it says nothing."""
    for text in (name, " | ".join(other_names)):
        for kind, pattern in KINDS:
            if pattern.search(text):
                return kind
    return "other"


UNIVERSITY = re.compile(r"universit|academy|\bcollege\b|business school", re.I)


def release(rec):
    return rec.get("source_path", "").split("/")[0] or "unknown release"


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    records = {}
    with open(argv[1], encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"error: {argv[1]}: line {n}: {e}", file=sys.stderr)
                return 2
            records[rec["ror"]] = rec
    with open(argv[2], newline="", encoding="utf-8") as f:
        entries = list(csv.DictReader(f))
    entry_rors = {e["ror"]: e for e in entries if e["ror"]}

    # Relationships seen from either side: parent -> children, entity -> related.
    children, related = {}, {}
    for rec in records.values():
        for rel in rec.get("relationships", []):
            if rel["type"] == "child":
                children.setdefault(rec["ror"], set()).add(rel["id"])
            elif rel["type"] == "parent":
                children.setdefault(rel["id"], set()).add(rec["ror"])
            elif rel["type"] == "related":
                related.setdefault(rec["ror"], set()).add(rel["id"])
                related.setdefault(rel["id"], set()).add(rec["ror"])

    # The names other records give to a related organisation whose own record is absent.
    labels = {}
    for rec in records.values():
        for rel in rec.get("relationships", []):
            labels.setdefault(rel["id"], (rel["label"], rec))

    rows, skipped = {}, []
    for e in entries:
        if not e["ror"] or e["ror"] not in records:
            continue
        military = any(c in e["categories"] for c in MILITARY_CATEGORIES)
        found = []  # (org ror, via ror, relationship)
        queue, seen = [e["ror"]], {e["ror"]}
        while queue:  # children, and children of those children
            cur = queue.pop(0)
            for child in sorted(children.get(cur, ())):
                if child not in seen:
                    seen.add(child)
                    found.append((child, cur, "child of"))
                    if child not in entry_rors:
                        queue.append(child)
        for rel in sorted(related.get(e["ror"], ())):
            if rel not in seen:
                seen.add(rel)
                found.append((rel, e["ror"], "related to"))
        for org, via, how in found:
            if org in entry_rors:
                continue  # an entry itself: matched as that entry
            rec = records.get(org)
            if rec is not None and rec.get("status") == "withdrawn":
                skipped.append(f"{org}: withdrawn record ({how} {via})")
                continue
            if rec is not None:
                name, country, city = display_name(rec), rec["country"], rec.get("city") or ""
                kind = kind_of(name, [n["value"] for n in rec["names"]])
                cite = f"{how} {via}, ror-records {release(rec)}"
            else:
                # Only the relationship in the entry's record names it: keep hospitals (in the
                # entry's country, where a university's affiliated hospitals are), report the rest.
                label, holder = labels.get(org, ("", None))
                name, kind = label, kind_of(label)
                if kind != "hospital":
                    skipped.append(f"{org} ({label}): no record in {argv[1]}, not a hospital ({how} {via})")
                    continue
                country, city = e["country"], ""
                cite = f"{how} {via} as named in the record of {holder['ror']}, ror-records {release(holder)}; country of the entry, the organisation's own record not in the snapshot"
            if kind != "hospital" and UNIVERSITY.search(name):
                if how == "related to":
                    skipped.append(f"{org} ({name}): an institution in its own right, only related to {via}")
                    continue
                relation = "affiliate"  # a joint or independent college ROR files under the entry
            elif how == "child of":
                relation = "affiliate" if kind == "hospital" and not military else "part"
            else:
                relation = "part" if kind == "hospital" and military else "affiliate"
            source = f"https://ror.org/{org[-9:]} (ROR: {cite})"
            if org in rows:
                prev = rows[org]
                prev["source"] = prev["source"][:-1] + f", also {how} {via} of entry {e['id']})"
                continue
            aliases = []
            for n in rec["names"] if rec is not None else []:
                v = n["value"].strip()
                if "acronym" in n["types"] or v == name or v in aliases or ";" in v:
                    continue
                aliases.append(v)
            rows[org] = {
                "ror": org,
                "name": name,
                "aliases": "; ".join(aliases),
                "country": country,
                "city": city,
                "entry": e["id"],
                "relation": relation,
                "kind": kind,
                "source": source,
            }
    w = csv.DictWriter(sys.stdout, fieldnames=HEADER, lineterminator="\n")
    w.writeheader()
    for org in sorted(rows):
        w.writerow(rows[org])
    for s in skipped:
        print(f"skipped: {s}", file=sys.stderr)
    print(f"{len(rows)} organisation(s) written, {len(skipped)} skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
