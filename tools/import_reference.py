#!/usr/bin/env python3
"""One-off import of the research reference into coscreen's bundled data.

This script records how `data/risk-institutions.csv`, `data/risk-lists.csv` and
`data/known-institutions.csv` were first built from `../shared/reference/` (the
risk-institution research table, the Chinese ROR records) and from OpenAlex
institution objects seen in the recorded API fixtures. After the import the CSV
files in `data/` are the authority: edit them directly and let the Rust tests
validate them. Re-running this script overwrites hand edits, so diff first.

Usage: python3 tools/import_reference.py ../shared
"""

import csv
import glob
import gzip
import json
import os
import re
import sys
import unicodedata

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared"
REF = os.path.join(SHARED, "reference")
OUT = os.path.join(os.path.dirname(__file__), "..", "data")

# ---------------------------------------------------------------------------
# Hand curation. Every entry here is a decision a reviewer should be able to see.
# ---------------------------------------------------------------------------

# Stable ids for entries whose slug would be unwieldy or ambiguous.
ID_OVERRIDES = {
    "Chinese Academy of Sciences (CAS) – Institute of Computing Technology (ICT)": "cas-institute-of-computing-technology",
    "China Aerospace Science and Technology Corporation (CASC) 9th Academy 771 Research Institute": "casc-9th-academy-771-institute",
    "China Aerospace Science and Technology Corporation (CASC) 9th Academy 772 Research Institute": "casc-9th-academy-772-institute",
    "54th Research Institute of China Electronics Technology Group Corporation": "cetc-54th-research-institute",
    "National Defense University": "pla-national-defense-university",
    "Institute of High Energy Physics": "ru-institute-of-high-energy-physics-itep",
    "Mabna Institute": "mabna-institute",
}

# parent ids: campus -> university, institute -> academy or conglomerate. Only
# where the list entry's own name or the research row states the relation.
PARENTS = {
    "academy-of-military-medical-sciences": "academy-of-military-science",
    "china-aerodynamics-research-and-development-center": "academy-of-military-science",
    "beijing-aeronautical-manufacturing-technology-research-institute": "aviation-industry-corporation-of-china",
    "beijing-computational-science-research-center": "chinese-academy-of-engineering-physics",
    "center-for-high-pressure-science-and-technology-advanced-research": "chinese-academy-of-engineering-physics",
    "center-for-international-security-and-strategy-of-tsinghua-university": "tsinghua-university",
    "china-academy-of-space-technology-502-research-institute": "china-aerospace-science-and-technology-corporation",
    "china-academy-of-space-technology-513-research-institute": "china-aerospace-science-and-technology-corporation",
    "casc-9th-academy-771-institute": "china-aerospace-science-and-technology-corporation",
    "casc-9th-academy-772-institute": "china-aerospace-science-and-technology-corporation",
    "cetc-54th-research-institute": "china-electronics-technology-group-corporation",
    "defense-s-t-key-laboratory-of-antennas-and-microwave-technology-at-xidian-university": "xidian-university",
    "defense-s-t-key-laboratory-of-radar-signal-processing-at-xidian-university": "xidian-university",
    "defense-s-t-key-laboratory-of-electronic-measurement-technology-at-north-university-of-china": "north-university-of-china",
    "defense-s-t-key-laboratory-of-high-power-semiconductor-lasers-at-changchun-university-of-science-and-technology": "changchun-university-of-science-and-technology",
    "defense-s-t-key-laboratory-of-lightweight-high-strength-structural-materials-at-central-south-university": "central-south-university",
    "defense-s-t-key-laboratory-of-multi-spectral-information-processing-technology-at-huazhong-university-of-s-t": "huazhong-university-of-science-and-technology",
    "atr-defense-s-t-key-laboratory-of-intelligent-information-processing-at-shenzhen-university": "shenzhen-university",
    "national-supercomputer-center-in-guangzhou": "sun-yat-sen-university",
}
for n in ("16th", "32nd", "36th", "41st", "43", "45th", "58"):
    PARENTS[f"china-electronics-technology-group-corporation-{n.lower()}-research-institute"] = "china-electronics-technology-group-corporation"
for inst in ("field-blood-transfusion-institution", "institute-of-basic-medicine", "institute-of-bioengineering",
             "institute-of-disease-control-and-prevention", "institute-of-health-service-and-medical-information",
             "institute-of-hygiene-and-environmental-medicine", "institute-of-medical-equipment",
             "institute-of-microbiology-and-epidemiology", "institute-of-radiation-and-radiation-medicine",
             "institute-of-toxicology-and-pharmacology", "military-veterinary-research-institute"):
    PARENTS[f"academy-of-military-medical-sciences-{inst}"] = "academy-of-military-medical-sciences"

# Names shared with institutions abroad: match only with positive evidence of
# the entry's country in the same affiliation (research rows marked WARNING).
NEEDS_COUNTRY = {
    "pla-national-defense-university", "northeastern-university", "university-of-south-china",
    "supreme-national-defense-university", "aerospace-research-institute", "moscow-aviation-institute",
    "institute-of-radio-engineering-and-electronics", "naval-research-academy", "army-research-institute",
    "air-force-research-institute", "rocket-force-research-institute", "naval-command-college", "air-force-command-college", "army-aviation-college", "special-police-academy",
    "railway-police-college", "army-logistics-academy", "national-supercomputing-center-shenzhen",
}

# Aliases that are too generic to match as text on their own; they stay in the
# entry as display names (lookup shows them) but need a compound rule instead.
GENERIC_ALIASES = {
    "Institute of Chemical Defense", "Warfare Research Institute", "Ninth Academy", "Ninth Institute",
    "901 Institute", "902 Institute", "Institute of Computing Technology", "Center for International Security and Strategy",
    "Key Laboratory of Information Systems Engineering", "Institute of Radiation and Radiation Medicine",
    "Disease Control and Prevention Institute", "Institute of Microbial Epidemiology", "Institute of Toxicology and Drugs",
    "Academy of Military Medical Sciences, Institute of Radiation and Radiation", "Lebedev Institute",
    "Institute of Electromagnetic and Particle Radiation Medicine", "Russian Technological University",
    "Central South CAD Center", "Peac Institute of Multiscale Science", "Key Lab for Radar Signal Processing",
    "Phys Tech", "Lebedev Institute", "Kurchatov Institute", "Institute of Applied Mathematics, M.V. Keldysha",
    "Research Institute “Gidpropridor”", "State Research Institute of Mechanical Engineering",
    "Military Technical Scientific Research Institute", "Key Laboratory of Antenna and Microwave Technology",
    "Key Laboratory for Electronic Measurement Technology", "Key Laboratory on High Power Semiconductor Laser",
    "Communication, Telemetry and Telecontrol Research Institute (CTI)", "Beijing High Voltage Research Center",
    "Aerospace Research Institute", "Institute of Physics", "Institute of Microelectronics",
    "National Time Service Center",
    # "China Electronics" also opens China Electronics Technology Group, China
    # Electronics Standardization Institute and sits inside "North China
    # Electric Power University" in Web of Science form.
    "China Electronics",
}

# Compound aliases: every part must start a segment of the same affiliation.
# Used where a sub-institute's name alone is shared by many institutions.
CAS = ["chinese academy of sciences", "cas", "chinese academy of science"]
def with_parent(parts, parents):
    return [f"{p} + {q}" for p in parts for q in parents]

COMPOUND = {
    "cas-institute-of-computing-technology": with_parent(["institute of computing technology"], CAS),
    "chinese-academy-of-sciences-aerospace-information-research-institute": with_parent(["aerospace information research institute"], CAS),
    "chinese-academy-of-sciences-center-for-excellence-in-quantum-information-and-quantum-physics":
        with_parent(["center for excellence in quantum information and quantum physics", "cas center for excellence in quantum information and quantum physics"], CAS),
    "chinese-academy-of-sciences-institute-of-microelectronics": with_parent(["institute of microelectronics"], CAS),
    "chinese-academy-of-sciences-institute-of-physics": with_parent(["institute of physics"], CAS),
    "chinese-academy-of-sciences-key-laboratory-for-quantum-information": with_parent(["key laboratory of quantum information", "key laboratory for quantum information"], CAS),
    "chinese-academy-of-sciences-national-time-service-center": with_parent(["national time service center"], CAS),
    "chinese-academy-of-sciences-shanghai-institute-of-microsystem-and-information-technology": with_parent(["shanghai institute of microsystem and information technology"], CAS),
    "chinese-academy-of-sciences-shenyang-institute-of-automation": with_parent(["shenyang institute of automation"], CAS),
    "chinese-academy-of-sciences-technology-and-engineering-center-for-space-utilization": with_parent(["technology and engineering center for space utilization"], CAS),
    "cetc-54th-research-institute": with_parent(["54th research institute", "the 54th research institute"], ["cetc", "china electronics technology group corporation"]),
    "academy-of-military-science": with_parent(["institute of chemical defense"], ["academy of military sciences", "academy of military science", "ams"]),
    "chinese-academy-of-engineering-physics": with_parent(["institute of applied physics and computational mathematics"], ["beijing"]),
    "china-university-of-geosciences-wuhan": ["china university of geosciences + wuhan"],
}
AMMS = ["academy of military medical sciences", "amms", "academy of military medical science"]
for inst, names in {
    "field-blood-transfusion-institution": ["field blood transfusion institution", "institute of field blood transfusion"],
    "institute-of-basic-medicine": ["institute of basic medicine", "institute of basic medical sciences"],
    "institute-of-bioengineering": ["institute of bioengineering", "institute of biotechnology"],
    "institute-of-disease-control-and-prevention": ["institute of disease control and prevention"],
    "institute-of-health-service-and-medical-information": ["institute of health service and medical information"],
    "institute-of-hygiene-and-environmental-medicine": ["institute of hygiene and environmental medicine"],
    "institute-of-medical-equipment": ["institute of medical equipment"],
    "institute-of-microbiology-and-epidemiology": ["institute of microbiology and epidemiology"],
    "institute-of-radiation-and-radiation-medicine": ["institute of radiation medicine", "institute of radiation and radiation medicine"],
    "institute-of-toxicology-and-pharmacology": ["institute of pharmacology and toxicology", "institute of toxicology and pharmacology"],
    "military-veterinary-research-institute": ["military veterinary research institute", "military veterinary institute"],
}.items():
    COMPOUND[f"academy-of-military-medical-sciences-{inst}"] = with_parent(names, AMMS)

# Acronyms that identify one institution on their own (no country evidence
# needed). All other acronyms need evidence of the entry's country.
STRONG_ACRONYMS = {"BUAA", "NUDT", "NWPU", "NUAA", "NJUST", "UESTC", "BUPT", "CAEP", "CASIC", "CETC", "AVIC",
                   "NORINCO", "CARDC", "HPSTAR", "BAMTRI", "BAAI", "SIOM", "MIPT", "VNIIFTRI", "CIAM", "SibNIA"}
# Aliases to drop outright: ambiguous between campuses that are separate
# institutions (the Beijing campus of CUG is not rated).
DROP_ALIASES = {
    "china-university-of-geosciences-wuhan": {"China University of Geosciences", "中国地质大学"},
    # 西安理工大学 (Xi'an University of Technology) is a different university
    # from 西安工业大学 (Xi'an Technological University); the research row
    # carried it as an alias.
    "xian-technological-university": {"Xi’an University of Technology", "Xi'an University of Technology"},
}
NAME_ORIGINAL = {"china-university-of-geosciences-wuhan": "中国地质大学(武汉)"}
# Acronyms too short or too common to use at all.
DROP_ACRONYMS = {"BGI", "AMS", "ARI", "CEC", "KIA", "MAI", "SUT", "CSRC", "CTI", "SHFT", "IHU", "NPU", "CSIC", "CSCC",
                 "AECC", "CETGC", "CASC", "NEU", "USC", "NDU", "HUST", "SDU", "CPPU", "AFCC",
                 "AFEU", "ICT", "MFTI", "FIAN", "ZJLab"}

# CETC numbered institutes: the forms papers use ("the 54th Research
# Institute of CETC", "CETC 54th Research Institute").
CETC_INSTITUTES = {"cetc-54th-research-institute": "54th"}
for n in ("16th", "32nd", "36th", "41st", "43", "45th", "58"):
    CETC_INSTITUTES[f"china-electronics-technology-group-corporation-{n.lower()}-research-institute"] = n

# Extra aliases in forms the public material shows but the research table
# lacks: Web of Science abbreviations are handled by the normaliser, so these
# are former names and spelling variants only.
EXTRA_ALIASES = {
    "beihang-university": ["Beijing University of Aeronautics & Astronautics", "北京航空航天大学"],
    "beijing-institute-of-technology": ["北京理工大学"],
    "harbin-institute-of-technology": ["哈尔滨工业大学", "Harbin Institute of Technology at Weihai", "Harbin Institute of Technology, Weihai", "Harbin Institute of Technology Weihai"],
    "harbin-engineering-university": ["哈尔滨工程大学"],
    "northwestern-polytechnical-university": ["西北工业大学"],
    "nanjing-university-of-aeronautics-and-astronautics": ["南京航空航天大学"],
    "nanjing-university-of-science-and-technology": ["南京理工大学"],
    "national-university-of-defense-technology": ["National University of Defence Technology", "国防科技大学"],
    "chinese-academy-of-engineering-physics": ["Laser Fusion Research Center", "Research Center of Laser Fusion", "Institute of Applied Physics and Computational Mathematics", "Institute of Fluid Physics", "Institute of Nuclear Physics and Chemistry", "Institute of Chemical Materials", "Institute of Materials, China Academy of Engineering Physics", "中国工程物理研究院"],
    "shanghai-jiao-tong-university": ["Shanghai Jiaotong University"],
    "xian-jiaotong-university": ["Xi'an Jiao Tong University", "Xian Jiaotong University"],
    "university-of-electronic-science-and-technology-of-china": ["电子科技大学"],
    "xidian-university": ["西安电子科技大学", "Xidian Univ"],
    "beijing-university-of-posts-and-telecommunications": ["北京邮电大学"],
    # Affiliated hospitals named in ROR records as units of these universities.
    "navy-medical-university": ["Second Military Medical University", "Changhai Hospital", "Changzheng Hospital", "Naval Medical University"],
    "army-medical-university": ["Third Military Medical University", "Xinqiao Hospital", "Southwest Hospital, Army Medical University", "Daping Hospital"],
    "air-force-medical-university": ["Xijing Hospital", "Tangdu Hospital"],
    "academy-of-military-medical-sciences": ["State Key Laboratory of Toxicology and Medical Countermeasures", "State Key Laboratory of Pathogen and Biosecurity"],
    "southern-university-of-science-and-technology": ["South University of Science and Technology of China", "South University of Science and Technology"],
    "china-university-of-geosciences-wuhan": ["China University of Geosciences Wuhan", "China University of Geosciences at Wuhan"],
    "northwest-a-f-university": ["Northwest A and F University", "Northwest Agriculture and Forestry University", "Northwest Agriculture and Forest University"],
    "harbin-engineering-university": ["Harbin University of Engineering", "Harbin Engineering Univ"],
    "china-aerospace-science-and-technology-corporation": ["China Academy of Space Technology", "Chinese Academy of Space Technology", "China Academy of Launch Vehicle Technology", "Shanghai Academy of Spaceflight Technology", "Beijing Institute of Control Engineering", "Beijing Institute of Spacecraft System Engineering", "Shanghai Institute of Satellite Engineering"],
}

# ---------------------------------------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def slug(name):
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("’", "").replace("'", "").replace("“", "").replace("”", "")
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return s


def is_acronym(a):
    return re.fullmatch(r"[A-Z][A-Za-z0-9&\-]{1,9}", a) is not None and sum(c.isupper() for c in a) >= 2 and " " not in a


def cjk_ok(a, name_original):
    """Short Chinese abbreviations (中国电子, 九院) occur inside other names."""
    if a == name_original:
        return True
    n = len(a)
    if n <= 3:
        return False
    if n == 4 and not re.search(r"(大学|学院|医院|研究院)$", a):
        return False
    return a not in {"警察大学"}


def parse_lists(s, categories):
    out = []
    for part in [p.strip() for p in s.split("; ") if p.strip()]:
        m = re.match(r"ASPI China Defence Universities Tracker \((very high|high|medium|low), as scraped (\d{4}-\d{2}-\d{2})\)", part)
        if m:
            out.append(f"aspi_tracker:{m.group(1).replace(' ', '_')}@{m.group(2)}")
            continue
        m = re.match(r"US DoD Section 1286 (FY\d{4}) list, (?:published|released) ([\d-]+)", part)
        if m:
            out.append(f"dod_1286:{m.group(1)}@{m.group(2)}")
            continue
        m = re.match(r"Canada Named Research Organizations list \(seen in ([\d-]+) snapshot", part)
        if m:
            out.append(f"canada_nro@{m.group(1)}?")
            continue
        m = re.match(r"Japan METI End User List \((.*)\)", part)
        if m:
            d = re.search(r"(\d{4}-\d{2}(?:-\d{2})?)", m.group(1))
            if "added in revision" in m.group(1):
                out.append(f"meti_end_user@{d.group(1)}")
            elif d:
                out.append(f"meti_end_user@{d.group(1)}?")
            else:
                out.append("meti_end_user@unknown")
            continue
        m = re.match(r"US Entity List ?(\d{4}(?:-\d{2}-\d{2})?)? ?(?:\((.*)\))?$", part)
        if m:
            date, note = m.group(1), m.group(2) or ""
            fr = re.search(r"(\d+ FR \d+|FR doc [\d-]+)", note)
            detail = f":{fr.group(1)}" if fr else ""
            if date and len(date) == 10 and "reported" not in note:
                out.append(f"us_entity_list{detail}@{date}")
            elif date:
                out.append(f"us_entity_list{detail}@{date}?")
            else:
                d = re.search(r"(\d{4}-\d{2})", note)
                out.append(f"us_entity_list@{d.group(1)}?" if d else "us_entity_list@unknown")
            continue
        raise SystemExit(f"unparsed list membership: {part!r}")
    if "ASPI: Seven Sons of National Defence" in categories:
        out.append("seven_sons@2025-04-24")
    return out


def clean_categories(c):
    keep = []
    for part in [p.strip() for p in c.split("; ") if p.strip()]:
        if part.startswith("WARNING") or part.startswith("SASTIND co-supervised"):
            continue
        keep.append(part)
    return "; ".join(keep)


def norm_key(s):
    s = re.sub(r"[’'`]", "", s)
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9\u3400-\u9fff]+", " ", s).strip()


def openalex_pairs():
    """OpenAlex institution objects (id, ror) seen in the recorded fixtures."""
    pairs = {}

    def walk(o, path):
        if isinstance(o, dict):
            i, r = o.get("id"), o.get("ror")
            if isinstance(i, str) and i.startswith("https://openalex.org/I") and isinstance(r, str) and r:
                pairs.setdefault(r, (i, path))
            for v in o.values():
                walk(v, path)
        elif isinstance(o, list):
            for v in o:
                walk(v, path)

    for f in sorted(glob.glob(os.path.join(SHARED, "fixtures", "openalex", "**", "*"), recursive=True)):
        if os.path.isdir(f) or not (f.endswith(".json") or f.endswith(".gz")):
            continue
        rel = os.path.relpath(f, SHARED)
        raw = gzip.open(f).read() if f.endswith(".gz") else open(f, "rb").read()
        try:
            walk(json.loads(raw), rel)
        except ValueError:
            for line in raw.splitlines():
                try:
                    walk(json.loads(line), rel)
                except ValueError:
                    pass
    return pairs


def main():
    rows = list(csv.DictReader(open(os.path.join(REF, "risk-institutions.csv"), encoding="utf-8")))
    ror = {}
    for line in open(os.path.join(REF, "affiliation-gold", "ror-records-cn.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        ror[r["ror"]] = r
    oa = openalex_pairs()

    entries = []
    for x in rows:
        name = x["name_en"].strip()
        eid = ID_OVERRIDES.get(name) or slug(name)
        country = x["country"] or ("IR" if name == "Mabna Institute" else "")
        aliases, acronyms = [], []
        name_original = NAME_ORIGINAL.get(eid, x["name_zh"].strip())
        extra = list(EXTRA_ALIASES.get(eid, []))
        if eid in CETC_INSTITUTES:
            n = CETC_INSTITUTES[eid]
            if n.isdigit():
                n += "th" if n[-2:] in ("11", "12", "13") else {"1": "st", "2": "nd", "3": "rd"}.get(n[-1], "th")
            extra += [f"{n} Research Institute of CETC", f"{n} Research Institute of China Electronics Technology Group Corporation",
                      f"CETC {n} Research Institute", f"China Electronics Technology Group Corporation {n} Research Institute"]
        for a in [a.strip() for a in x["aliases"].split("; ") if a.strip()] + extra:
            if a in DROP_ALIASES.get(eid, ()):
                continue
            m = re.fullmatch(r"(.+?)\s*\(([A-Z][A-Za-z&\-]{1,9})\)", a)
            if m and is_acronym(m.group(2)):
                acronyms.append(m.group(2))
                a = m.group(1)
            if is_acronym(a):
                acronyms.append(a)
            elif CJK.search(a) and not cjk_ok(a, x["name_zh"]):
                continue
            elif a in GENERIC_ALIASES:
                continue
            else:
                aliases.append(a)
        sources = [u.strip() for u in x["source_urls"].split("; ") if u.strip()]
        ror_id = x["ror_id"].strip()
        openalex = x["openalex_id"].strip()
        city = ""
        if ror_id and ror_id in ror:
            rec = ror[ror_id]
            city = rec.get("city") or ""
            for a in rec.get("aliases", []) + [l["value"] for l in rec.get("labels", [])]:
                if a in DROP_ALIASES.get(eid, ()) or a in GENERIC_ALIASES:
                    continue
                if CJK.search(a) and not cjk_ok(a, x["name_zh"]):
                    continue
                aliases.append(a)
            if rec["name"] != name and rec["name"] not in DROP_ALIASES.get(eid, ()) and rec["name"] not in GENERIC_ALIASES:
                aliases.append(rec["name"])
            for a in rec.get("acronyms", []):
                acronyms.append(a)
            # ROR child records (labs, campuses) resolve to the listed parent, as
            # OpenAlex lineage does; their names become aliases of the parent.
            # Only distinctive child names: State Key Laboratories have one
            # national name each; other children must carry the parent's name.
            head = norm_key(name).split()[0]
            for rel in rec.get("relationships", []):
                if rel["type"] == "child" and rel["id"] in ror:
                    child = ror[rel["id"]]["name"]
                    # State Key Laboratories are often co-hosted by two
                    # universities (Food Science and Technology: Jiangnan and
                    # Nanchang), so only children named after the parent count.
                    if head in norm_key(child).split():
                        aliases.append(child)
            url = f"https://github.com/ror-community/ror-records/blob/main/{rec['source_path']}"
            if url not in sources:
                sources.append(url)
        if ror_id and not openalex and ror_id in oa:
            openalex, where = oa[ror_id]
            sources.append(f"OpenAlex API response (recorded fixture {where})")
        for a in list(aliases) + [name]:
            if re.match(r"Xi[’']an ", a):
                aliases.append("Xi An " + a[5:])
        unit = name.split(" – ", 1)[1] if " – " in name else None
        if not ror_id and unit:
            unit = re.sub(r"\s*\(.*\)$", "", unit)
            hits = [r for r in ror.values() if norm_key(r["name"]) == norm_key(unit) and r["status"] == "active"
                    and r["country_code"] == "CN"
                    and any(rel["label"] == "Chinese Academy of Sciences" for rel in r["relationships"])]
            if len(hits) == 1:
                ror_id = hits[0]["ror"]
                sources.append(f"https://github.com/ror-community/ror-records/blob/main/{hits[0]['source_path']}")
        if not ror_id and country == "CN":
            hits = [r for r in ror.values() if norm_key(r["name"]) == norm_key(name) and r["status"] == "active"]
            if len(hits) == 1:
                ror_id = hits[0]["ror"]
                sources.append(f"https://github.com/ror-community/ror-records/blob/main/{hits[0]['source_path']}")
        # de-duplicate, keep order, drop aliases equal to the name
        seen = {norm_key(name)}
        if name_original:
            seen.add(norm_key(name_original))
        uniq = []
        for a in aliases:
            k = norm_key(a)
            if k and k not in seen:
                seen.add(k)
                uniq.append(a)
        acr = []
        for a in acronyms:
            if a in DROP_ACRONYMS or a in acr:
                continue
            acr.append(("!" + a) if a in STRONG_ACRONYMS else a)
        entries.append({
            "id": eid,
            "name": name,
            "name_original": name_original,
            "aliases": "; ".join(uniq),
            "acronyms": "; ".join(acr),
            "compound": "; ".join(COMPOUND.get(eid, [])),
            "country": country,
            "city": city,
            "parent": PARENTS.get(eid, ""),
            "ror": ror_id,
            "openalex": openalex,
            "context": "country" if eid in NEEDS_COUNTRY else "",
            "lists": "; ".join(parse_lists(x["lists"], x["categories"])),
            "categories": clean_categories(x["categories"]),
            "sources": "; ".join(sources),
            "note": "; ".join(p.strip()[len("WARNING: "):] for p in x["categories"].split("; ") if p.strip().startswith("WARNING")),
        })
    ids = [e["id"] for e in entries]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SystemExit(f"duplicate ids: {dup}")
    for e in entries:
        if e["parent"] and e["parent"] not in ids:
            raise SystemExit(f"{e['id']}: unknown parent {e['parent']}")
    entries.sort(key=lambda e: e["id"])
    cols = list(entries[0].keys())
    with open(os.path.join(OUT, "risk-institutions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(entries)

    # Known institutions that are NOT on the list: the ROR records for China,
    # Hong Kong, Macau, Taiwan and the foreign traps. The matcher uses them as
    # blockers (the longest name wins) and lookup shows them as near misses.
    listed_ror = {e["ror"] for e in entries if e["ror"]}
    child_of_listed = set()
    for r in listed_ror:
        for rel in ror.get(r, {}).get("relationships", []):
            if rel["type"] == "child":
                child_of_listed.add(rel["id"])
    known = []
    for rid, r in sorted(ror.items()):
        if rid in listed_ror or rid in child_of_listed or r["status"] != "active":
            continue
        names = [r["name"]] + r.get("aliases", []) + [l["value"] for l in r.get("labels", []) if l.get("lang") in ("zh", "en", None)]
        known.append({
            "ror": rid,
            "name": r["name"],
            "aliases": "; ".join(n for n in names[1:] if n and n != r["name"]),
            "country": r["country_code"],
            "city": r.get("city") or "",
        })
    with open(os.path.join(OUT, "known-institutions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["ror", "name", "aliases", "country", "city"], lineterminator="\n")
        w.writeheader()
        w.writerows(known)
    print(f"{len(entries)} risk entries, {len(known)} known non-listed institutions")


if __name__ == "__main__":
    main()
