#!/usr/bin/env python3
"""Rebuilds data/places/countries.csv and data/places/cities.csv.

Usage:
  python3 tools/build_places.py I18N_DIR ROR_CITIES_CSV

I18N_DIR is the unpacked npm package `i18n-iso-countries` (MIT; `npm pack
i18n-iso-countries && tar xzf i18n-iso-countries-*.tgz`, giving `package/`
with `codes.json` and `langs/*.json`). ROR_CITIES_CSV is a table of
`city,country_code,ror_organisations` counted over ROR records (CC0; built
from https://github.com/ror-community/ror-records, the `locations` of every
record). Rows whose `source` is not one of these two (hand-added variants
such as Web of Science's "Peoples R China", and ISO 3166-2 regions) are kept
as they are in the existing files.
"""
import csv, json, os, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "data", "places")
I18N = "i18n-iso-countries 7.14.0 (npm, MIT)"
ROR = "ROR records (CC0), locations.geonames_details"
# Non-Latin scripts only: a Latin-script name in another language can be an
# ordinary word of an affiliation ("Island" is Iceland in German).
NATIVE = ["zh", "ja", "ko", "ru", "uk", "be", "kk", "fa", "ar"]


def split_names(v):
    vs = v if isinstance(v, list) else [v]
    out = []
    for n in vs:
        # "КНР (Китайская Народная Республика)": an acronym and its
        # expansion, two names; "Британские Виргинские острова
        # (Великобритания)": a territory and its sovereign, one name.
        if "(" in n and n.endswith(")"):
            a, b = n[:-1].split("(", 1)
            a = a.strip()
            out.append(a)
            if a.isupper() and len(a) <= 5:
                out.append(b.strip())
        else:
            out.append(n.strip())
    return [n for n in out if n]


def main(i18n, cities_csv):
    codes = {c[0]: c[1] for c in json.load(open(os.path.join(i18n, "codes.json")))}
    rows = set()
    en = json.load(open(os.path.join(i18n, "langs", "en.json"), encoding="utf-8"))["countries"]
    for code, v in en.items():
        names = split_names(v)
        for k, n in enumerate(names):
            rows.add((code, codes[code], n, "short" if k == len(names) - 1 else "alternate", "en", I18N))
    for lang in NATIVE:
        d = json.load(open(os.path.join(i18n, "langs", lang + ".json"), encoding="utf-8"))["countries"]
        for code, v in d.items():
            for n in split_names(v):
                rows.add((code, codes[code], n, "native", lang, I18N))
    path = os.path.join(ROOT, "countries.csv")
    if os.path.exists(path):
        for r in csv.DictReader(open(path, encoding="utf-8")):
            if r["source"] != I18N:
                rows.add((r["code"], r["alpha3"], r["name"], r["form"], r["lang"], r["source"]))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "alpha3", "name", "form", "lang", "source"])
        for r in sorted(rows):
            w.writerow(r)

    crow = {}
    for r in csv.DictReader(open(cities_csv, encoding="utf-8")):
        crow[(r["city"], r["country_code"])] = ("city", r["ror_organisations"], ROR)
    path = os.path.join(ROOT, "cities.csv")
    if os.path.exists(path):
        for r in csv.DictReader(open(path, encoding="utf-8")):
            if r["source"] != ROR:
                crow[(r["name"], r["country"])] = (r["kind"], r["ror_organisations"], r["source"])
    by_name = {}
    for (name, cc) in crow:
        by_name.setdefault(name.lower(), set()).add(cc)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "country", "kind", "ror_organisations", "ambiguous", "source"])
        for (name, cc), (kind, n, src) in sorted(crow.items(), key=lambda x: (x[0][0].lower(), x[0][0], x[0][1])):
            amb = "yes" if len(by_name[name.lower()]) > 1 else ""
            w.writerow([name, cc, kind, n, amb, src])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
