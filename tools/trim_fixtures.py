#!/usr/bin/env python3
"""Copies and trims the recorded API responses and exports in ../shared/fixtures
into tests/fixtures/{api,ingest}/ so the tests run without ../shared.

OpenAlex data is CC0 and copied as recorded (pages trimmed to fewer works).
Crossref abstracts (publishers' text) are removed. Web of Science records keep
only the bibliographic fields a test needs (no AB, no CR).
Run from the repository root: python3 tools/trim_fixtures.py
"""
import gzip, json, os, pathlib

SHARED = pathlib.Path("../shared/fixtures")
API = pathlib.Path("tests/fixtures/api")
ING = pathlib.Path("tests/fixtures/ingest")
API.mkdir(parents=True, exist_ok=True)
ING.mkdir(parents=True, exist_ok=True)

def dump(path, obj):
    path.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")

# --- OpenAlex API pages -------------------------------------------------------
page1 = json.loads((SHARED / "openalex/works-filter-doi-or25-cursor-page1.json").read_text())
keep = [w for w in page1["results"] if w["id"].endswith("W2268101936")] + page1["results"][:4]
page1["results"] = keep
page1["meta"]["count"] = len(keep)
dump(API / "openalex-works-page1.json", page1)
for name in ["works-filter-doi-or25-cursor-page2-last.json", "works-filter-openalex-or-cursor-page1.json",
             "works-filter-openalex-or-cursor-page2-empty.json", "works-group-by-type.json",
             "error-401-rate-limit-invalid-api-key.json", "error-400-invalid-filter-field.json",
             "work-W2162348455.json", "work-W4234567890-paratext-null-title.json", "work-W2741809807.json"]:
    (API / ("openalex-" + name)).write_bytes((SHARED / "openalex" / name).read_bytes())

# --- Crossref (abstracts removed) --------------------------------------------
def no_abstract(obj):
    msg = obj.get("message")
    if isinstance(msg, dict):
        items = msg.get("items", [msg])
        for it in items:
            it.pop("abstract", None)
    return obj
for name in ["works-query-cursor-page1.json", "works-query-cursor-page2.json",
             "work-10.1136_jclinpath-2020-206745.json", "error-500-members-cursor.json",
             "error-404-cursor-invalid.json"]:
    dump(API / ("crossref-" + name), no_abstract(json.loads((SHARED / "crossref" / name).read_text())))
(API / "crossref-error-404-resource-not-found.txt").write_bytes((SHARED / "crossref/error-404-resource-not-found.txt").read_bytes())

# --- Offline inputs -------------------------------------------------------------
sample = json.loads(gzip.decompress((SHARED / "openalex/works-sample-topic-T10091-page1.json.gz").read_bytes()))
cn = [w for w in sample["results"] if any(i.get("country_code") == "CN" for a in w["authorships"] for i in a["institutions"])]
other = [w for w in sample["results"] if w not in cn][:9]
works = cn + other
with open(ING / "openalex-works.jsonl", "w") as f:
    for w in works:
        f.write(json.dumps(w, ensure_ascii=False, separators=(",", ":")) + "\n")
data = (ING / "openalex-works.jsonl").read_bytes()
(ING / "openalex-works.jsonl.gz").write_bytes(gzip.compress(data, 9, mtime=0))
snap = ING / "snapshot/works/updated_date=2023-05-16"
snap.mkdir(parents=True, exist_ok=True)
(snap / "part_000.gz").write_bytes((SHARED / "openalex/snapshot/data/works/updated_date=2023-05-16/part_000.gz").read_bytes())
(ING / "snapshot/works/manifest").write_bytes((SHARED / "openalex/snapshot/data/works/manifest").read_bytes()[:2000])

KEEP = {"FN", "VR", "PT", "AU", "AF", "TI", "DT", "DE", "ID", "C1", "RP", "OI", "PY", "DI", "UT", "ER", "EF"}
out, tag = [], None
for line in (SHARED / "wos/savedrecs-black-silicon.txt").read_text().splitlines():
    if line.startswith("   "):
        if tag in KEEP:
            out.append(line)
        continue
    tag = line[:2]
    if tag in KEEP or not line.strip():
        out.append(line)
# The first 120 records, then the end-of-file marker.
ends = [i for i, l in enumerate(out) if l == "ER"]
out = out[: ends[119] + 1] + ["", "EF"]
(ING / "wos-savedrecs.txt").write_text("\n".join(out) + "\n")
print("ok", len(works), "works;", len(cn), "with CN institutions")

# --- data/sample: the README's offline screen -----------------------------------
# All 200 works of the topic-T10091 sample page and the 25 of the DOI-batch page
# (CC0), one JSON object per line, gzip -9, mtime 0.
SAMPLE = pathlib.Path("data/sample/openalex-works.jsonl.gz")
full = sample["results"] + json.loads((SHARED / "openalex/works-filter-doi-or25-cursor-page1.json").read_text())["results"]
lines = "".join(json.dumps(w, ensure_ascii=False, separators=(",", ":")) + "\n" for w in full)
SAMPLE.write_bytes(gzip.compress(lines.encode(), 9, mtime=0))
print("sample", len(full), "works")
