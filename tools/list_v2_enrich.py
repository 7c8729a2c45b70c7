#!/usr/bin/env python3
"""Apply identifier and name facts to the risk list, in place, idempotently.

Usage:
    python3 tools/list_v2_enrich.py data/risk-institutions.csv tools/list-v2/enrich.csv [data/known-institutions.csv]

`enrich.csv` has the columns `entry_id,column,value,source`, one fact a row:

- `ror`, `openalex`, `name_original`, `city`: set when the entry's cell is empty or
  already equal; a different value, or an id another entry already has, is
  reported as a conflict and left alone.
- `aliases`, `acronyms`: appended when not already there (compared without
  case, punctuation or accents; an acronym's strong marker `!` is ignored).
- `source` (the official record the fact comes from) is appended to the entry's
  `sources` column when its URL is not there yet.

With the third argument, rows of the known non-listed institutions whose ROR id an
entry now carries are removed from that file (they would block the listed name) and
printed. Every other column, the row order and the bytes of untouched rows stay as they
were, so the script can be rerun after other branches add or edit rows. It
prints what it changed and what it could not apply (unknown entry id, conflict,
malformed fact). Exit status: 0 when every fact applied or was already there,
1 when some could not be applied (the file is still written with the rest),
2 on unreadable input. Python 3.11 standard library only.
"""

import csv
import io
import re
import sys
import unicodedata

COLUMNS = ("ror", "openalex", "name_original", "city", "aliases", "acronyms")
ROR_RE = re.compile(r"^https://ror\.org/0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$")
OPENALEX_RE = re.compile(r"^https://openalex\.org/I[0-9]{1,12}$")


def norm(s: str) -> str:
    """Case-, accent- and punctuation-blind form used to compare names."""
    s = unicodedata.normalize("NFKD", s).lower()
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


def split_list(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def source_url(source: str) -> str:
    return source.split()[0] if source.split() else ""


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    list_path, facts_path = argv[1], argv[2]
    try:
        with open(list_path, newline="", encoding="utf-8") as f:
            text = f.read()
        with open(facts_path, newline="", encoding="utf-8") as f:
            facts = list(csv.DictReader(f))
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    # Keep each record's original text so untouched rows stay byte-identical.
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    for col in ("id", "sources", *COLUMNS):
        if col not in header:
            print(f"error: {list_path}: line 1: missing column '{col}'", file=sys.stderr)
            return 2
    idx = {c: header.index(c) for c in header}
    records = []  # [fields, original text]
    start = reader.line_num
    for fields in reader:
        end = reader.line_num
        records.append([fields, "".join(lines[start:end]), False])
        start = end
    by_id = {r[0][idx["id"]]: r for r in records}

    changed, problems = [], []
    for n, fact in enumerate(facts, start=2):
        where = f"{facts_path}: line {n}"
        eid, col = fact.get("entry_id", "").strip(), fact.get("column", "").strip()
        value, source = fact.get("value", "").strip(), fact.get("source", "").strip()
        if col not in COLUMNS:
            problems.append(f"{where}: column '{col}' is not one of {', '.join(COLUMNS)}")
            continue
        if not value or not source.startswith("https://"):
            problems.append(f"{where}: a fact needs a value and an https source")
            continue
        if ";" in value or ";" in source:
            problems.append(f"{where}: ';' separates list items, it cannot occur in a value or source")
            continue
        if col == "ror" and not ROR_RE.match(value):
            problems.append(f"{where}: '{value}' is not a ROR id")
            continue
        if col == "openalex" and not OPENALEX_RE.match(value):
            problems.append(f"{where}: '{value}' is not an OpenAlex institution id")
            continue
        rec = by_id.get(eid)
        if rec is None:
            problems.append(f"{where}: unknown entry id '{eid}'")
            continue
        fields = rec[0]
        cell = fields[idx[col]]
        if col in ("ror", "openalex"):
            holder = next((r[0][idx["id"]] for r in records
                           if r is not rec and r[0][idx[col]].strip() == value), None)
            if holder is not None:
                problems.append(f"{where}: conflict: {col} {value} already belongs to {holder}, not given to {eid}")
                continue
        applied = False
        if col in ("ror", "openalex", "name_original", "city"):
            if cell.strip() == value:
                pass
            elif cell.strip():
                problems.append(f"{where}: conflict: {eid} has {col} '{cell}', fact says '{value}'")
                continue
            else:
                fields[idx[col]] = value
                applied = True
        else:
            items = split_list(cell)
            if col == "aliases":
                have = {norm(a) for a in items}
                have |= {norm(fields[idx["name"]]), norm(fields[idx["name_original"]])}
                new = norm(value) not in have
            else:
                new = value.lstrip("!").lower() not in {a.lstrip("!").lower() for a in items}
            if new:
                fields[idx[col]] = "; ".join(items + [value])
                applied = True
        if applied:
            changed.append(f"{eid}: {col} += {value}")
            rec[2] = True
        sources = split_list(fields[idx["sources"]])
        url = source_url(source)
        if applied and url not in {source_url(s) for s in sources}:
            fields[idx["sources"]] = "; ".join(sources + [source])
            changed.append(f"{eid}: sources += {url}")
            rec[2] = True

    out = io.StringIO()
    out.write("".join(lines[:1]))
    writer = csv.writer(out, lineterminator="\n")
    for fields, original, dirty in records:
        if dirty:
            writer.writerow(fields)
        else:
            out.write(original)
    with open(list_path, "w", newline="", encoding="utf-8") as f:
        f.write(out.getvalue())

    if len(argv) == 4:
        listed = {r[0][idx["ror"]].strip().lower() for r in records if r[0][idx["ror"]].strip()}
        try:
            with open(argv[3], newline="", encoding="utf-8") as f:
                known_lines = f.read().splitlines(keepends=True)
        except OSError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        kept = known_lines[:1]
        for line in known_lines[1:]:
            ror = next(csv.reader([line]), [""])[0].strip().lower()
            if ror in listed:
                changed.append(f"{argv[3]}: removed known non-listed {line.strip()[:80]} (an entry has its ROR id)")
            else:
                kept.append(line)
        if len(kept) != len(known_lines):
            with open(argv[3], "w", newline="", encoding="utf-8") as f:
                f.write("".join(kept))

    for c in changed:
        print(f"changed: {c}")
    for p in problems:
        print(f"not applied: {p}")
    print(f"{len(changed)} change(s), {len(problems)} fact(s) not applied, {len(facts)} fact(s) read")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
