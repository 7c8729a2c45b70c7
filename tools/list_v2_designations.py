#!/usr/bin/env python3
"""Record of how list v2's designations were made (issue 15 part A).

A one-shot edit, kept as the audit trail of every curation decision (which
rows, aliases, citations, skipped companies): it applies to the pre-v2 list
(data/ at commit dd2e329) and asserts on anything else. The CSVs in data/ are
the authority now; edit them and let the tests validate them.

Usage: python3 tools/list_v2_designations.py WORKTREE REFERENCE_DIR
  WORKTREE       a checkout whose data/risk-institutions.csv and
                 data/known-institutions.csv are those of commit dd2e329
  REFERENCE_DIR  the reference material gathered for the list (list-v2/ with
                 entity-list.csv, canada-nro.csv, dod-1260h.csv; ror/ with
                 ror-records-focus.jsonl): transcriptions of the Supplement No. 4
                 page, the Government of Canada NRO page, the DoD 1260H PDFs and
                 ROR records. Facts are taken; each row cites the official source.
"""
import csv, io, json, re, sys, os

WT, REF = sys.argv[1], sys.argv[2]
PATH = os.path.join(WT, "data", "risk-institutions.csv")
text = open(PATH, newline="", encoding="utf-8").read()
rdr = csv.reader(io.StringIO(text))
header = next(rdr)
rows = [dict(zip(header, r)) for r in rdr]
by_id = {r["id"]: r for r in rows}

BIS = "https://www.bis.gov/entity-list"
BIS_SUPP = "https://www.bis.gov/regulations/ear/744#supplement-4-744"
NRO = "https://science.gc.ca/site/science/en/safeguarding-your-research/guidelines-and-tools-implement-research-security/sensitive-technology-research-and-affiliations-concern/named-research-organizations"
DOD26 = "https://media.defense.gov/2026/Jun/08/2003945537/-1/-1/1/ENTITIES-IDENTIFIED-AS-CHINESE-MILITARY-COMPANIES-OPERATING-IN-THE-UNITED-STATES-IN-ACCORDANCE-WITH-SECTION-1260H.PDF"
DOD25 = "https://media.defense.gov/2025/Jan/07/2003625471/-1/-1/1/ENTITIES-IDENTIFIED-AS-CHINESE-MILITARY-COMPANIES-OPERATING-IN-THE-UNITED-STATES.PDF"
TDHOCK = "https://tdhock.github.io/blog/2024/collaborations-not-allowed"
BY_DATE = "2026-03-30?"  # listed by then: Supplement No. 4 as published on bis.gov


def split(s):
    return [p.strip() for p in s.split(";") if p.strip()]


def join(xs):
    return "; ".join(xs)


def add(row, col, *vals):
    cur = split(row[col])
    for v in vals:
        if v and v not in cur:
            cur.append(v)
    row[col] = join(cur)


def drop(row, col, pred):
    row[col] = join([x for x in split(row[col]) if not pred(x)])


def fr_url(cite):
    m = re.match(r"FR doc (\S+)$", cite)
    if m:
        return "https://www.federalregister.gov/d/" + m.group(1)
    m = re.match(r"(\d+) FR (\d+)$", cite)
    return f"https://www.federalregister.gov/citation/{m.group(1)}-FR-{m.group(2)}"


def el(row, cite, date):
    """Entity List membership with its citation; a cite-less one is dated '?'."""
    drop(row, "lists", lambda m: m.startswith("us_entity_list"))
    if cite:
        add(row, "lists", f"us_entity_list:{cite}@{date}")
        add(row, "sources", fr_url(cite), BIS)
    else:
        add(row, "lists", f"us_entity_list@{date}")
        add(row, "sources", BIS_SUPP, BIS)


def new(id, name, country, lists, sources, **kw):
    assert id not in by_id, id
    r = {h: "" for h in header}
    r.update(id=id, name=name, country=country, lists=join(lists), sources=join(sources))
    for k, v in kw.items():
        assert k in header, k
        r[k] = join(v) if isinstance(v, list) else v
    rows.append(r)
    by_id[id] = r
    return r


# ---------------------------------------------------------------- 4. fixes
# Guilin: one entry under the id the gold labels use, every list, both spellings.
g, dup = by_id["guilin-university-of-electronic-technology"], by_id.pop("guilin-university-of-electronic-science-and-technology")
rows.remove(dup)
for col in ("lists", "categories", "sources"):
    add(g, col, *split(dup[col]))
g["name_original"] = g["name_original"] or dup["name_original"]
add(g, "aliases", dup["name"], *split(dup["aliases"]))
add(g, "acronyms", *split(dup["acronyms"]))
g["city"] = g["city"] or "Guilin"
add_note = "One entry since list v2: ASPI rated it under 'Guilin University of Electronic Science and Technology', the §1286 lists name it 'Guilin University of Electronic Technology'."
g["note"] = (g["note"] + " " + add_note).strip()

# "PLA Rocket Force Academy" is the Sergeant School's alias (ASPI tracker and Canada NRO both list it there).
drop(by_id["rocket-force-research-institute"], "aliases", lambda a: a == "PLA Rocket Force Academy")
assert "PLA Rocket Force Academy" in split(by_id["rocket-force-sergeant-school"]["aliases"])

# The Russian IHEP (Protvino) needs Russian place evidence.
ihep = by_id["ru-institute-of-high-energy-physics-itep"]
ihep["city"] = "Protvino"
ihep["context"] = "country"

# ---------------------------------------------------------------- 1. Entity List
# Exact dates where a rule gives them (CSL rows read for SOURCES.md: 90 FR 560, 2025-01-06).
for i in ("ji-hua-laboratory", "peng-cheng-laboratory", "shanghai-institute-of-optics-and-fine-mechanics"):
    el(by_id[i], "90 FR 560", "2025-01-06")

# Present without the flag: listed in Supplement No. 4 (bis.gov, scraped 2026-03-30); addition date not established.
for i in ("university-of-science-and-technology-of-china", "cas-institute-of-computing-technology",
          "chinese-academy-of-sciences-institute-of-microelectronics",
          "chinese-academy-of-sciences-aerospace-information-research-institute",
          "chinese-academy-of-sciences-shenyang-institute-of-automation",
          "chinese-academy-of-sciences-technology-and-engineering-center-for-space-utilization",
          "chinese-academy-of-sciences-national-time-service-center",
          "luoyang-institute-of-science-and-technology"):
    el(by_id[i], None, BY_DATE)

# The 15 missing CN research entities (names and aliases as the Supplement lists them).
CASC, CASIC, CETC, CSSC = ("china-aerospace-science-and-technology-corporation",
                           "china-aerospace-science-and-industry-corporation",
                           "china-electronics-technology-group-corporation",
                           "china-state-shipbuilding-corporation")
ELNEW = [
    ("casc-1st-academy-12th-research-institute", "China Aerospace Science and Technology Corporation (CASC) 1st Academy 12th Research Institute",
     ["Beijing Aerospace Automatic Control Institute", "CASC 1st Academy 12th Research Institute", "12th Research Institute of the China Academy of Launch Vehicle Technology"],
     ["BICD"], CASC, "Beijing", "北京航天自动控制研究所"),
    ("casc-1st-academy-702-research-institute", "China Aerospace Science and Technology Corporation (CASC) 1st Academy 702 Research Institute",
     ["Beijing Institute of Structure and Environment Engineering", "Beijing Institute of Structure and Environmental Engineering", "CASC 1st Academy 702 Research Institute", "702nd Research Institute of CASC"],
     ["BISE"], CASC, "Beijing", "北京强度环境研究所"),
    ("casc-1st-academy-first-design-department", "China Aerospace Science and Technology Corporation (CASC) 1st Academy First Design Department",
     ["1st General Design Department of the China Academy of Launch Vehicle Technology", "CASC 1st Academy First Design Department"],
     [], CASC, "Beijing", ""),
    ("casc-8th-academy-shanghai-academy-of-spaceflight-technology", "Shanghai Academy of Spaceflight Technology",
     ["China Aerospace Science and Technology Corporation (CASC) 8th Academy", "CASC 8th Academy", "Shanghai Academy of Space Flight Technology", "Shanghai Institute of Space"],
     ["!SAST"], CASC, "Shanghai", "上海航天技术研究院"),
    ("casc-8th-academy-811-research-institute", "Shanghai Institute of Space Power-Sources",
     ["China Aerospace Science and Technology Corporation (CASC) 8th Academy 811 Research Institute", "Shanghai Institute of Space Power Sources", "CASC 8th Academy 811 Research Institute", "811 Research Institute of SAST"],
     ["SISP"], "casc-8th-academy-shanghai-academy-of-spaceflight-technology", "Shanghai", "上海空间电源研究所"),
    ("casc-9th-academy-13th-research-institute", "Beijing Institute of Aerospace Control Devices",
     ["China Aerospace Science and Technology Corporation (CASC) 9th Academy 13th Research Institute", "CASC 9th Academy 13th Research Institute", "Beijing Aerospace Times Optical-Electronic Technology Co., Ltd"],
     ["BIACD"], CASC, "Beijing", "北京航天控制仪器研究所"),
    ("calt-beijing-institute-of-precision-mechatronics-control-equipment", "Beijing Institute of Precision Mechatronics and Controls",
     ["China Academy of Launch Vehicle Technology Beijing Institute of Precision Mechatronics Control Equipment", "Beijing Institute of Precision Mechatronics Control Equipment", "Beijing Research Institute of Precision Mechatronics and Controls", "Beijing Precision Mechanical and Electrical Control Equipment Research Institute", "CALT Beijing Institute of Precision Mechatronics Control Equipment"],
     ["CALT-18"], CASC, "Beijing", "北京精密机电控制设备研究所"),
    ("casic-second-academy", "China Aerospace Science and Industry Corporation Second Academy",
     ["China Changfeng Mechanics and Electronics Technology Academy", "China Chang Feng Mechano-Electronic Engineering Academy", "CASIC Second Academy", "Second Research Academy of CASIC", "CASIC Academy of Defense Technology", "Beijing Institute of Electronic System Engineering"],
     [], CASIC, "Beijing", "中国航天科工集团第二研究院"),
    ("casic-third-academy", "China Aerospace Science and Industry Corporation (CASIC) 3rd Academy",
     ["China Haiying Electro-Mechanical Technology Academy", "CASIC Third Academy", "CASIC 3rd Academy", "Third Academy of CASIC", "HiWING Mechanical & Electrical Technology Corporation"],
     ["CHETA"], CASIC, "Beijing", "中国航天科工集团第三研究院"),
    ("casic-third-academy-159-factory", "China Aerospace Science and Industry Corporation (CASIC) 3rd Academy's 159 Factory",
     ["Beijing Xinghang Electromechanical Equipment Factory", "CASIC 3rd Academy 159 Factory"],
     [], "casic-third-academy", "Beijing", ""),
    ("casic-third-academy-239-factory", "China Aerospace Science and Industry Corporation (CASIC) 3rd Academy's 239 Factory",
     ["Beijing Hangxing Machinery Manufacturing Corporation", "CASIC 3rd Academy 239 Factory"],
     [], "casic-third-academy", "Beijing", ""),
    ("cssc-7th-research-academy", "China Ship Research and Development Academy",
     ["China State Shipbuilding Corporation, Limited (CSSC) 7th Research Academy", "CSSC 7th Research Academy", "China Shipbuilding Industry Group Co., Ltd. (CSIC) 7th Research Academy", "CSIC 7th Research Academy"],
     [], CSSC, "Beijing", "中国船舶科学研究院"),
    ("xinjiang-police-college", "Xinjiang Police College", ["Xinjiang Police Academy"], [], "", "Urumqi", "新疆警察学院"),
]
for id, name, aliases, acr, parent, city, orig in ELNEW:
    new(id, name, "CN", [f"us_entity_list@{BY_DATE}"], [BIS_SUPP, BIS], aliases=aliases, acronyms=acr,
        parent=parent, city=city, name_original=orig,
        categories=["US Entity List research entity (per list name)"])
el(by_id["xinjiang-police-college"], "FR doc 2019-22210", "2019-10-09")
new("chinese-academy-of-sciences-changchun-institute-of-optics-fine-mechanics-and-physics",
    "Changchun Institute of Optics, Fine Mechanics and Physics, Chinese Academy of Sciences", "CN",
    ["us_entity_list:90 FR 560@2025-01-06"], [fr_url("90 FR 560"), BIS, "https://ror.org/012rct222"],
    aliases=["Chinese Academy of Sciences Changchun Institute of Optics, Fine Mechanics, and Physics",
             "Changchun Institute of Optics, Fine Mechanics and Physics", "CAS Institute of Optics, Fine Mechanics, and Physics",
             "Changchun Institute of Optics Fine Mechanics and Physics"],
    acronyms=["!CIOMP"], city="Changchun", ror="https://ror.org/012rct222", name_original="中国科学院长春光学精密机械与物理研究所",
    parent="chinese-academy-of-sciences" if "chinese-academy-of-sciences" in by_id else "")
# CAEIT: Entity List and Canada NRO.
new("china-academy-of-electronics-and-information-technology", "China Academy of Electronics and Information Technology", "CN",
    [f"us_entity_list@{BY_DATE}", "canada_nro@2024-04-18"], [BIS_SUPP, BIS, NRO],
    aliases=["CETC CAEIT", "China Academy of Electronics and Information Technology of CETC"], acronyms=["!CAEIT"],
    parent=CETC, city="Beijing", name_original="中国电子科学研究院")
# MIPT: one of the 45 ex-MEU Russian entities moved to the Entity List by 87 FR 12226.
el(by_id["moscow-institute-of-physics-and-technology"], "87 FR 12226", "2022-03-03")

# ---------------------------------------------------------------- 2. Canada NRO
nro = list(csv.DictReader(open(os.path.join(REF, "list-v2", "canada-nro.csv"), encoding="utf-8")))
for r in rows:  # the partial snapshot's memberships are replaced by the page's date
    if "canada_nro" in r["lists"]:
        drop(r, "lists", lambda m: m.startswith("canada_nro"))
        add(r, "lists", "canada_nro@2024-04-18")
        drop(r, "sources", lambda s: s == TDHOCK)
        add(r, "sources", NRO)
NRO_NEW = {
    "Ministry of Public Security's Institute of Forensic Science of China": "ministry-of-public-security-institute-of-forensic-science",
    "Peac Institute of Multiscale Science": "peac-institute-of-multiscale-science",
    "Defence Industries Organization Training and Research Institute": "defence-industries-organization-training-and-research-institute",
    "Institute of Applied Physics": "ir-institute-of-applied-physics",
    "Iranian Research Organization for Science and Technology": "iranian-research-organization-for-science-and-technology",
    "Pasteur Institute of Iran": "pasteur-institute-of-iran",
    "Physics Research Center": "ir-physics-research-center",
    "Shahid Beheshti University": "shahid-beheshti-university",
    "China Academy of Electronics and Information Technology": "china-academy-of-electronics-and-information-technology",
    "Chengdu Fine Optical Engineering Research Center": "chengdu-fine-optical-engineering-research-center",
}
NRO_EXTRA = {  # facts for new NRO rows: (ror, city, name_original, parent, context)
    "ministry-of-public-security-institute-of-forensic-science": ("", "Beijing", "公安部物证鉴定中心", "", ""),
    "peac-institute-of-multiscale-science": ("", "Chengdu", "", "chinese-academy-of-engineering-physics", ""),
    "defence-industries-organization-training-and-research-institute": ("", "Tehran", "", "", ""),
    "ir-institute-of-applied-physics": ("", "Tehran", "", "", "country"),
    "iranian-research-organization-for-science-and-technology": ("https://ror.org/017zx9g19", "Tehran", "سازمان پژوهش‌های علمی و صنعتی ایران", "", ""),
    "pasteur-institute-of-iran": ("https://ror.org/00wqczk30", "Tehran", "انستیتو پاستور ایران", "", ""),
    "ir-physics-research-center": ("", "Tehran", "", "", "country"),
    "shahid-beheshti-university": ("https://ror.org/0091vmj44", "Tehran", "دانشگاه شهید بهشتی", "", ""),
    "chengdu-fine-optical-engineering-research-center": ("https://ror.org/05r2q4835", "Chengdu", "成都精密光学工程研究中心", "chinese-academy-of-engineering-physics", ""),
}
GENERIC_ALIASES = {"Pasteur Institute", "Institute Pasteur", "Applied Physics Institute", "Institute for Applied Physics",
                   "Beheshti University", "Physic Research Center"}
ror_recs = {}
for line in open(os.path.join(REF, "ror", "ror-records-focus.jsonl"), encoding="utf-8"):
    rec = json.loads(line)
    ror_recs[rec["ror"]] = rec
for n in nro:
    ids = [i for i in split(n["risk_list_ids"])]
    if not ids:
        ids = [NRO_NEW[n["name"]]]
    if n["name"] == "Chengdu Fine Optical Engineering Research Center":
        ids = [NRO_NEW[n["name"]]]
    for i in ids:
        if i in by_id:
            r = by_id[i]
            drop(r, "lists", lambda m: m.startswith("canada_nro"))
            add(r, "lists", "canada_nro@2024-04-18")
            drop(r, "sources", lambda s: s == TDHOCK)
            add(r, "sources", NRO)
            continue
        ror, city, orig, parent, ctx = NRO_EXTRA[i]
        aliases, acr = [], []
        for a in split(n["aliases"]):
            if re.fullmatch(r"[A-Z][A-Z/]{1,6}", a):
                acr.append(a)
            elif a not in GENERIC_ALIASES:
                aliases.append(a)
        if ror in ror_recs:
            for nm in ror_recs[ror]["names"]:
                v = nm["value"]
                if "acronym" in nm["types"]:
                    if v not in acr:
                        acr.append(v)
                elif v != n["name"] and v != orig and v not in aliases and v not in GENERIC_ALIASES:
                    aliases.append(v)
        srcs = [NRO] + ([ror] if ror else [])
        new(i, n["name"], n["country"], ["canada_nro@2024-04-18"], srcs, aliases=aliases, acronyms=acr,
            ror=ror, city=city, name_original=orig, parent=parent, context=ctx)
by_id["ministry-of-public-security-institute-of-forensic-science"]["lists"] = join(
    ["canada_nro@2024-04-18", "us_entity_list:85 FR 34503@2020-06-05"])
add(by_id["ministry-of-public-security-institute-of-forensic-science"], "sources", fr_url("85 FR 34503"), BIS)
# Shahid Beheshti University of Medical Sciences is a different body: never its alias.
drop(by_id["shahid-beheshti-university"], "aliases", lambda a: "Medical" in a)
by_id["shahid-beheshti-university"]["note"] = "Not Shahid Beheshti University of Medical Sciences (a separate university, not on the list)."
by_id["ir-institute-of-applied-physics"]["note"] = "Iranian institute (Tehran); the name is common worldwide, so it is matched only with Iranian place evidence."
by_id["ir-physics-research-center"]["note"] = "Iranian centre (Tehran); the name is common worldwide, so it is matched only with Iranian place evidence."

# ---------------------------------------------------------------- 3. DoD 1260H
dod = {r["name"]: r for r in csv.DictReader(open(os.path.join(REF, "list-v2", "dod-1260h.csv"), encoding="utf-8"))}
# First edition naming the company, where before 2025 (DoD editions of 2021-06-03, 2022-10-05, 2024-01-31).
FIRST = {
    "360 Security Technology Inc.": "2022-10-05", "Aerospace CH UAV Co., Ltd": "2021-06-03",
    "Aviation Industry Corporation of China Ltd.": "2021-06-03", "AVIC Shenyang Aircraft Company Limited": "2021-06-03",
    "Beijing Zhidao Chuangyu Information Technology Co., Ltd.": "2022-10-05", "BGI Genomics Co., Ltd.": "2022-10-05",
    "China Aerospace Science and Industry Corporation Limited": "2021-06-03", "China Electronics Corporation": "2021-06-03",
    "China Electronics Technology Group Corporation": "2021-06-03", "Hangzhou Hikvision Digital Technology Co., Ltd.": "2021-06-03",
    "China General Nuclear Power Corporation": "2021-06-03", "China Mobile Communications Group Co., Ltd.": "2021-06-03",
    "China Mobile Limited": "2021-06-03", "China National Chemical Corporation Ltd.": "2022-10-05",
    "China National Nuclear Corporation": "2021-06-03", "China National Offshore Oil Corporation": "2021-06-03",
    "China North Industries Group Corporation Limited": "2021-06-03", "China South Industries Group Corporation": "2021-06-03",
    "China SpaceSat Co., Ltd.": "2021-06-03", "China State Shipbuilding Corporation Limited": "2021-06-03",
    "China Telecom Group Co., Ltd.": "2024-01-31", "China Telecom Corporation Limited": "2021-06-03",
    "China Three Gorges Corporation": "2024-01-31", "China United Network Communications Group Co., Ltd.": "2021-06-03",
    "CloudWalk Technology Co., Ltd.": "2022-10-05", "CRRC Corporation Limited": "2022-10-05",
    "Dawning Information Industry Co., Ltd. (Sugon)": "2022-10-05", "Global Tone Communication Technology Co., Ltd.": "2022-10-05",
    "Hesai Group": "2024-01-31", "Huawei Investment & Holding Co., Ltd.": "2021-06-03",
    "Huawei Technologies Co., Ltd.": "2021-06-03", "Inspur Group Co., Ltd.": "2021-06-03",
    "NetPosa Technologies, Ltd.": "2024-01-31", "Semiconductor Manufacturing International Corporation": "2021-06-03",
    "Semiconductor Manufacturing International (Beijing) Corporation": "2021-06-03",
    "Semiconductor Manufacturing International (Shenzhen) Corporation": "2021-06-03",
    "Semiconductor Manufacturing International (Tianjin) Corporation": "2021-06-03",
    "Semiconductor Manufacturing South China Corporation": "2021-06-03",
    "SMIC Semiconductor Manufacturing (Shanghai) Co., Ltd": "2021-06-03",
    "Shanghai Yitu Network Technology Co., Ltd.": "2024-01-31", "Shenzhen DJI Technology Co., Ltd.": "2022-10-05",
    "Yangtze Memory Technologies Co., Ltd.": "2024-01-31", "Zhejiang Dahua Technology Co., Ltd.": "2022-10-05",
    "Commercial Aircraft Corporation of China Limited": "", "AVIC Aviation High-Technology Company Limited": "2021-06-03",
    "AVIC JONHON Optronic Technology Co., Ltd.": "2021-06-03", "AVIC Xi’an Aircraft Industry Group Company Ltd.": "2021-06-03",
    "Jiangxi Hongdu Aviation Industry Co., Ltd.": "2021-06-03", "AVIC Heavy Machinery Company Limited": "2021-06-03",
    "Inner Mongolia First Machinery Group Co., Ltd.": "2021-06-03", "Guizhou Aviation Technical Development Co., Ltd.": "2024-01-31",
    "Chengdu JOUAV Automation Tech Co., Ltd.": "2024-01-31", "Chengdu M&S Electronics Technology Co., Ltd.": "2024-01-31",
    "China Construction Technology Co., Ltd.": "2024-01-31", "China National Chemical Engineering Group Corporation": "2022-10-05",
    "Wuhan Geosun Navigation Technology Co., Ltd.": "2024-01-31",
    "Aerosun Corporation": "2021-06-03", "China Communications Construction Group (Limited)": "2021-06-03",
    "China Communications Construction Company Limited": "2021-06-03",
    "China State Construction Engineering Corporation Limited": "2024-01-31",
}
RELISTED = {"Yangtze Memory Technologies Co., Ltd.", "ChangXin Memory Technologies, Inc."}


def dod_memberships(name):
    d = dod[name]
    eds = []
    f = FIRST.get(name, "")
    if f:
        eds.append(f)
    if d["in_2025_01_07_edition"] != "no":
        eds.append("2025-01-07")
    eds.append("2026-06-08")
    out = []
    for e in eds:
        m = f"dod_1260h:{e}@{e}"
        if m not in out:
            out.append(m)
    return out


def dod_sources(name):
    d = dod[name]
    return [DOD26] + ([DOD25] if d["in_2025_01_07_edition"] != "no" else [])


def dod_note(name):
    if name in RELISTED:
        return "Removed from the 1260H list on 2026-02-17 (Federal Register notice) and listed again in the 2026-06-08 edition."
    return ""


# Existing entries that are on the 1260H list (conglomerates and one CETC institute).
EXISTING = {
    "Aviation Industry Corporation of China Ltd.": "aviation-industry-corporation-of-china",
    "China Aerospace Science and Industry Corporation Limited": CASIC,
    "China Electronics Corporation": "china-electronics-corporation",
    "China Electronics Technology Group Corporation": CETC,
    "CETC Research Institute 32": "china-electronics-technology-group-corporation-32nd-research-institute",
    "China National Nuclear Corporation": "china-national-nuclear-corporation",
    "China North Industries Group Corporation Limited": "china-north-industries-group",
    "China South Industries Group Corporation": "china-south-industries-group",
    "China State Shipbuilding Corporation Limited": CSSC,
    "Commercial Aircraft Corporation of China Limited": "commercial-aircraft-corporation-of-china",
}
for name, i in EXISTING.items():
    r = by_id[i]
    for m in dod_memberships(name):
        add(r, "lists", m)
    add(r, "sources", *dod_sources(name))
    add(r, "aliases", name) if name != r["name"] and not name.startswith("CETC Research") else None

AVIC = "aviation-industry-corporation-of-china"
CMCC = "china-mobile-communications-group"
CT = "china-telecom-group"
CU = "china-united-network-communications-group"
HUAWEI_H = "huawei-investment-and-holding"
SMIC = "semiconductor-manufacturing-international-corporation"
BGIG = "bgi-group"
NEW_CO = [
    # (dod name, id, printed name, aliases, acronyms, parent, city, ror, name_original, country)
    ("360 Security Technology Inc.", "360-security-technology", "360 Security Technology Inc.", ["Qihoo 360", "Qihoo 360 Technology Co. Ltd.", "Qihoo 360 Technology Company", "360 Security Technology"], [], "", "Beijing", "", "三六零安全科技股份有限公司", "CN"),
    ("Aerospace CH UAV Co., Ltd", "aerospace-ch-uav", "Aerospace CH UAV Co., Ltd", ["Aerospace CH UAV", "CH UAV Co., Ltd"], [], "", "", "", "航天彩虹无人机股份有限公司", "CN"),
    ("Alibaba Group Holding Limited", "alibaba-group", "Alibaba Group Holding Limited", ["Alibaba Group", "Alibaba", "Alibaba Inc.", "Alibaba DAMO Academy", "DAMO Academy", "Alibaba Research", "Alibaba Cloud", "Alibaba Quantum Laboratory", "Qwen Team", "阿里巴巴集团控股有限公司", "达摩院"], [], "", "Hangzhou", "https://ror.org/00k642b80", "阿里巴巴集团", "CN"),
    ("AVIC Aerospace Systems Co., Ltd.", "avic-aerospace-systems", "AVIC Aerospace Systems Co., Ltd.", ["AVIC Aerospace Systems"], [], AVIC, "", "", "", "CN"),
    ("AVIC Airborne Systems Co., Ltd.", "avic-airborne-systems", "AVIC Airborne Systems Co., Ltd.", ["AVIC Airborne Systems", "China Avionics Systems Co., Ltd."], [], AVIC, "", "", "中航机载系统有限公司", "CN"),
    ("AVIC Chengdu Aircraft Co., Ltd.", "avic-chengdu-aircraft", "AVIC Chengdu Aircraft Co., Ltd.", ["AVIC Chengdu Aircraft", "Chengdu Aircraft Industry Group", "Chengdu Aircraft Design and Research Institute", "AVIC Chengdu Aircraft Design and Research Institute"], [], AVIC, "Chengdu", "", "中航成飞股份有限公司", "CN"),
    ("AVIC Electromechanical Systems Co. Ltd.", "avic-electromechanical-systems", "AVIC Electromechanical Systems Co. Ltd.", ["AVIC Electromechanical Systems"], [], AVIC, "", "", "", "CN"),
    ("AVIC Shenyang Aircraft Company Limited", "avic-shenyang-aircraft", "AVIC Shenyang Aircraft Company Limited", ["AVIC Shenyang Aircraft", "AVIC Shenyang", "Shenyang Aircraft Corporation"], [], AVIC, "Shenyang", "", "中航沈飞股份有限公司", "CN"),
    ("Shenyang Aircraft Design Institute", "shenyang-aircraft-design-institute", "Shenyang Aircraft Design Institute", ["Shenyang Aircraft Design and Research Institute", "AVIC Shenyang Aircraft Design and Research Institute", "AVIC Shenyang Aircraft Design Institute"], [], AVIC, "Shenyang", "", "沈阳飞机设计研究所", "CN"),
    ("Baidu, Inc.", "baidu", "Baidu, Inc.", ["Baidu Inc", "Baidu Research", "Baidu Inc.", "Baidu Online Network Technology", "北京百度网讯科技有限公司"], [], "", "Beijing", "https://ror.org/03vs3wt56", "百度公司", "CN"),
    ("Beijing Zhidao Chuangyu Information Technology Co., Ltd.", "knownsec", "Beijing Zhidao Chuangyu Information Technology Co., Ltd.", ["Knownsec", "Beijing Knownsec Information Technology"], [], "", "Beijing", "", "北京知道创宇信息技术股份有限公司", "CN"),
    ("BGI Group", BGIG, "BGI Group", ["BGI Group (China)", "BGI-Shenzhen", "BGI Shenzhen", "BGI Research", "BGI-Research", "BGI-Qingdao", "BGI-Wuhan", "BGI-Beijing", "BGI Beijing Genome Institute", "Beijing Genomics Institute", "BGI Tech Solutions", "华大基因研究院", "华大生命科学研究院"], [], "", "Shenzhen", "https://ror.org/045pn2j94", "华大集团", "CN"),
    ("BGI Genomics Co., Ltd.", "bgi-genomics", "BGI Genomics Co., Ltd.", ["BGI Genomics"], [], BGIG, "Shenzhen", "https://ror.org/0155ctq43", "华大基因股份有限公司", "CN"),
    ("Complete Genomics, Inc.", "complete-genomics", "Complete Genomics, Inc.", ["Complete Genomics"], [], BGIG, "San Jose", "", "", "US"),
    ("Forensic Genomics International", "forensic-genomics-international", "Forensic Genomics International", [], [], BGIG, "Shenzhen", "", "", "CN"),
    ("MGI Tech Co., Ltd.", "mgi-tech", "MGI Tech Co., Ltd.", ["MGI Tech", "Shenzhen MGI Tech", "华大智造"], [], "", "Shenzhen", "https://ror.org/02yrqby68", "深圳华大智造科技股份有限公司", "CN"),
    ("BOE Technology Group Company Limited", "boe-technology-group", "BOE Technology Group Company Limited", ["BOE Technology Group Co., Ltd.", "BOE Technology Group", "BOE Technology"], ["BOE"], "", "Beijing", "", "京东方科技集团股份有限公司", "CN"),
    ("BYD Company Limited", "byd", "BYD Company Limited", ["BYD Company", "BYD Co., Ltd.", "BYD Co. Ltd"], ["BYD"], "", "Shenzhen", "", "比亚迪股份有限公司", "CN"),
    ("CALB Group Co., Ltd.", "calb-group", "CALB Group Co., Ltd.", ["CALB Group", "China Lithium Battery Technology"], ["CALB"], "", "Changzhou", "", "中创新航科技集团股份有限公司", "CN"),
    ("CETC Cyberspace Security Technology Co., Ltd.", "cetc-cyberspace-security-technology", "CETC Cyberspace Security Technology Co., Ltd.", ["CETC Cyberspace Security Technology", "Chengdu Westone Information Industry"], [], CETC, "Chengdu", "", "中电科网络安全科技股份有限公司", "CN"),
    ("CETC Digital Technology Co., Ltd.", "cetc-digital-technology", "CETC Digital Technology Co., Ltd.", ["CETC Digital Technology", "Shanghai East China Computer Co., Ltd."], [], CETC, "Shanghai", "", "中电科数字技术股份有限公司", "CN"),
    ("CETC Potevio Science & Technology Co., Ltd", "cetc-potevio-science-and-technology", "CETC Potevio Science & Technology Co., Ltd", ["CETC Potevio Science & Technology", "Guangzhou GCI Science & Technology Co., Ltd."], [], CETC, "Guangzhou", "", "", "CN"),
    ("14th Research Institute of CETC", "cetc-14th-research-institute", "14th Research Institute of China Electronics Technology Group Corporation", ["14th Research Institute of CETC", "CETC 14th Research Institute", "Nanjing Research Institute of Electronics Technology", "Nanjing Research Institute of Electronic Technology"], [], CETC, "Nanjing", "", "中国电子科技集团公司第十四研究所", "CN"),
    ("15th Research Institute of CETC", "cetc-15th-research-institute", "15th Research Institute of China Electronics Technology Group Corporation", ["15th Research Institute of CETC", "CETC 15th Research Institute", "North China Institute of Computing Technology"], [], CETC, "Beijing", "", "中国电子科技集团公司第十五研究所", "CN"),
    ("ChangXin Memory Technologies, Inc.", "changxin-memory-technologies", "ChangXin Memory Technologies, Inc.", ["ChangXin Memory Technologies", "ChangXin Memory"], ["!CXMT"], "", "Hefei", "", "长鑫存储技术有限公司", "CN"),
    ("China General Nuclear Power Corporation", "china-general-nuclear-power", "China General Nuclear Power Corporation", ["China General Nuclear Power Group", "China General Nuclear Power Research Institute"], ["CGN"], "", "Shenzhen", "", "中国广核集团有限公司", "CN"),
    ("China Mobile Communications Group Co., Ltd.", CMCC, "China Mobile Communications Group Co., Ltd.", ["China Mobile Communications Corporation", "China Mobile Communications Group", "China Mobile Group Design Institute", "China Mobile Group Design Inst. Co., Ltd."], [], "", "Beijing", "", "中国移动通信集团有限公司", "CN"),
    ("China Mobile Limited", "china-mobile", "China Mobile Limited", ["China Mobile", "China Mobile Research Institute", "China Mobile Communications Research Institute", "China Mobile (Hangzhou) Information Technology", "China Mobile Hangzhou Information Technology"], [], CMCC, "Beijing", "", "中国移动有限公司", "CN"),
    ("China National Chemical Corporation Ltd.", "chemchina", "China National Chemical Corporation Ltd.", ["China National Chemical Corporation", "ChemChina"], [], "", "Beijing", "", "中国化工集团有限公司", "CN"),
    ("China National Offshore Oil Corporation", "cnooc", "China National Offshore Oil Corporation", ["CNOOC Research Institute", "CNOOC Research Institute Co., Ltd."], ["!CNOOC"], "", "Beijing", "", "中国海洋石油集团有限公司", "CN"),
    ("China North Chemical Research Academy Group Co., Ltd.", "china-north-chemical-research-academy", "China North Chemical Research Academy Group Co., Ltd.", ["China North Chemical Research Academy"], [], "china-north-industries-group", "", "", "", "CN"),
    ("Chinese Academy of Ordnance Science", "chinese-academy-of-ordnance-science", "Chinese Academy of Ordnance Science", ["China Academy of Ordnance Science", "Chinese Academy of Ordnance Sciences", "China Ordnance Science Research Institute"], [], "china-north-industries-group", "Beijing", "", "中国兵器科学研究院", "CN"),
    ("China South Industries Group Corporation No. 59 Research Institute Co., Ltd.", "csgc-59th-research-institute", "China South Industries Group Corporation No. 59 Research Institute Co., Ltd.", ["No. 59 Research Institute of China Ordnance Industry", "Southwest Technology and Engineering Research Institute", "No. 59 Research Institute of China South Industries Group Corporation"], [], "china-south-industries-group", "Chongqing", "", "中国兵器装备集团公司第五九研究所", "CN"),
    ("China SpaceSat Co., Ltd.", "china-spacesat", "China SpaceSat Co., Ltd.", ["China Spacesat", "China SpaceSat Co."], [], CASC, "Beijing", "", "中国东方红卫星股份有限公司", "CN"),
    ("China Electronics Corporation", None, None, None, None, None, None, None, None, None),
    ("China Information Security Research Institute", "china-information-security-research-institute", "China Information Security Research Institute", [], [], "china-electronics-corporation", "", "", "", "CN"),
    ("The 6th Research Institute of CEC", "cec-6th-research-institute", "The 6th Research Institute of China Electronics Corporation", ["6th Research Institute of CEC", "The 6th Research Institute of CEC", "Sixth Research Institute of China Electronics Corporation", "National Computer System Engineering Research Institute of China"], [], "china-electronics-corporation", "Beijing", "", "中国电子信息产业集团有限公司第六研究所", "CN"),
    ("China Telecom Group Co., Ltd.", CT, "China Telecom Group Co., Ltd.", ["China Telecommunications Corporation", "China Telecom Group"], [], "", "Beijing", "", "中国电信集团有限公司", "CN"),
    ("China Telecom Corporation Limited", "china-telecom-corporation", "China Telecom Corporation Limited", ["China Telecom", "China Telecom Corporation", "China Telecom Research Institute", "China Telecom Beijing Research Institute", "China Telecom Co., Ltd."], [], CT, "Beijing", "https://ror.org/05p67dv18", "中国电信股份有限公司", "CN"),
    ("China Three Gorges Corporation", "china-three-gorges-corporation", "China Three Gorges Corporation", ["China Three Gorges Corporation (China)", "China Three Gorges Group"], [], "", "Beijing", "https://ror.org/02yqt2385", "中国长江三峡集团有限公司", "CN"),
    ("China United Network Communications Group Co., Ltd.", CU, "China United Network Communications Group Co., Ltd.", ["China Unicom Group"], [], "", "Beijing", "", "中国联合网络通信集团有限公司", "CN"),
    ("China United Network Communications Co., Ltd.", "china-unicom", "China United Network Communications Co., Ltd.", ["China Unicom", "China Unicom Research Institute", "China United Network Communications"], [], CU, "Beijing", "", "中国联合网络通信股份有限公司", "CN"),
    ("CloudWalk Technology Co., Ltd.", "cloudwalk-technology", "CloudWalk Technology Co., Ltd.", ["CloudWalk Technology", "CloudWalk", "Chongqing Cloudwalk Technology Co., Ltd.", "云从科技"], [], "", "Guangzhou", "https://ror.org/04v7gh640", "云从科技集团股份有限公司", "CN"),
    ("Beijing Aeronautical Science & Technology Research Institute", "beijing-aeronautical-science-and-technology-research-institute", "Beijing Aeronautical Science & Technology Research Institute", ["COMAC Beijing Aeronautical Science and Technology Research Institute", "Beijing Aeronautical Science and Technology Research Institute"], [], "commercial-aircraft-corporation-of-china", "Beijing", "", "北京民用飞机技术研究中心", "CN"),
    ("Shanghai Aircraft Design and Research Institute", "shanghai-aircraft-design-and-research-institute", "Shanghai Aircraft Design and Research Institute", ["COMAC Shanghai Aircraft Design and Research Institute"], [], "commercial-aircraft-corporation-of-china", "Shanghai", "", "上海飞机设计研究院", "CN"),
    ("Contemporary Amperex Technology Co., Ltd.", "contemporary-amperex-technology", "Contemporary Amperex Technology Co., Ltd.", ["Contemporary Amperex Technology", "Contemporary Amperex Technology Co., Limited", "Contemporary Amperex Technology Co. Limited"], ["!CATL"], "", "Ningde", "https://ror.org/00tr9az64", "宁德时代新能源科技股份有限公司", "CN"),
    ("CRRC Corporation Limited", "crrc", "CRRC Corporation Limited", ["CRRC Corporation", "CRRC Qingdao Sifang", "CRRC Zhuzhou Institute", "CRRC Changchun Railway Vehicles", "CRRC Qishuyan Institute", "CSR Qishuyan Institute"], ["!CRRC"], "", "Beijing", "https://ror.org/033g21894", "中国中车股份有限公司", "CN"),
    ("Dawning Information Industry Co., Ltd. (Sugon)", "sugon", "Dawning Information Industry Co., Ltd.", ["Dawning Information Industry", "Sugon", "Dawning Information Industry Co. Ltd", "Sugon Information Industry"], [], "", "Beijing", "", "曙光信息产业股份有限公司", "CN"),
    ("EVE Energy Co., Ltd.", "eve-energy", "EVE Energy Co., Ltd.", ["EVE Energy", "EVE Energy Co. Ltd"], [], "", "Huizhou", "", "惠州亿纬锂能股份有限公司", "CN"),
    ("Global Tone Communication Technology Co., Ltd.", "global-tone-communication-technology", "Global Tone Communication Technology Co., Ltd.", ["Global Tone Communication Technology"], ["GTCOM"], "", "Beijing", "", "中译语通科技股份有限公司", "CN"),
    ("Hangzhou Hikvision Digital Technology Co., Ltd.", "hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.", ["Hikvision", "Hikvision Digital Technology", "Hikvision Research Institute", "海康威视"], [], CETC, "Hangzhou", "https://ror.org/02jzypx27", "杭州海康威视数字技术股份有限公司", "CN"),
    ("Hangzhou Yushu Technology Co., Ltd.", "unitree", "Hangzhou Yushu Technology Co., Ltd.", ["Unitree Robotics", "Hangzhou Yushu Technology"], [], "", "Hangzhou", "https://ror.org/051vakf19", "杭州宇树科技股份有限公司", "CN"),
    ("Hesai Group", "hesai", "Hesai Group", ["Hesai Technology Co., Ltd.", "Hesai Technology", "Hesai Photonics Technology"], [], "", "Shanghai", "", "禾赛科技", "CN"),
    ("Huawei Investment & Holding Co., Ltd.", HUAWEI_H, "Huawei Investment & Holding Co., Ltd.", ["Huawei Investment and Holding Co., Ltd.", "Huawei Investment & Holding"], [], "", "Shenzhen", "", "华为投资控股有限公司", "CN"),
    ("Huawei Technologies Co., Ltd.", "huawei-technologies", "Huawei Technologies Co., Ltd.", ["Huawei Technologies", "Huawei", "Huawei Technologies Co. Ltd", "Huawei Research", "Huawei Noah's Ark Lab", "Noah's Ark Lab", "Huawei Noah's Ark Laboratory", "2012 Labs", "2012 Laboratories", "Huawei 2012 Labs", "HiSilicon", "HiSilicon Technologies", "HiSilicon Technologies Co., Ltd.", "Huawei Cloud", "华为", "海思"], [], HUAWEI_H, "Shenzhen", "https://ror.org/00cmhce21", "华为技术有限公司", "CN"),
    ("Inspur Group Co., Ltd.", "inspur-group", "Inspur Group Co., Ltd.", ["Inspur Group", "Inspur Electronic Information Industry", "Inspur (Beijing) Electronic Information Industry", "Inspur Electronic Information", "浪潮集团有限公司", "浪潮电子信息产业股份有限公司"], [], "", "Jinan", "", "浪潮集团有限公司", "CN"),
    ("JA Solar Technology Co., Ltd.", "ja-solar", "JA Solar Technology Co., Ltd.", ["JA Solar", "JA Solar Technology", "JA Solar Holdings"], [], "", "Beijing", "", "晶澳太阳能科技股份有限公司", "CN"),
    ("NetPosa Technologies, Ltd.", "netposa", "NetPosa Technologies, Ltd.", ["NetPosa Technologies"], [], "", "Beijing", "", "东方网力科技股份有限公司", "CN"),
    ("Novogene Company Limited", "novogene", "Novogene Company Limited", ["Novogene", "Novogene Bioinformatics Technology", "Novogene Co., Ltd."], [], "", "Beijing", "", "北京诺禾致源科技股份有限公司", "CN"),
    ("Origincell Technology Co., Ltd.", "origincell-technology", "Origincell Technology Co., Ltd.", ["Origincell Technology", "Origincell"], [], "", "Shanghai", "", "", "CN"),
    ("Robosense Technology Co., Ltd.", "robosense", "Robosense Technology Co., Ltd.", ["RoboSense", "Robosense Technology", "Suteng Innovation Technology"], [], "", "Shenzhen", "", "速腾聚创", "CN"),
    ("Semiconductor Manufacturing International Corporation", SMIC, "Semiconductor Manufacturing International Corporation", ["Semiconductor Manufacturing International Corp", "Semiconductor Manufacturing International Corp."], ["!SMIC"], "", "Shanghai", "", "中芯国际集成电路制造有限公司", "CN"),
    ("Semiconductor Manufacturing International (Beijing) Corporation", "smic-beijing", "Semiconductor Manufacturing International (Beijing) Corporation", ["SMIC Beijing"], [], SMIC, "Beijing", "", "中芯国际集成电路制造(北京)有限公司", "CN"),
    ("Semiconductor Manufacturing International (Shenzhen) Corporation", "smic-shenzhen", "Semiconductor Manufacturing International (Shenzhen) Corporation", ["SMIC Shenzhen"], [], SMIC, "Shenzhen", "", "", "CN"),
    ("Semiconductor Manufacturing International (Tianjin) Corporation", "smic-tianjin", "Semiconductor Manufacturing International (Tianjin) Corporation", ["SMIC Tianjin"], [], SMIC, "Tianjin", "", "", "CN"),
    ("Semiconductor Manufacturing North China (Beijing) Corporation", "smic-north-china-beijing", "Semiconductor Manufacturing North China (Beijing) Corporation", ["SMIC North China"], [], SMIC, "Beijing", "", "", "CN"),
    ("Semiconductor Manufacturing South China Corporation", "smic-south-china", "Semiconductor Manufacturing South China Corporation", ["SMIC South China"], [], SMIC, "Shanghai", "", "", "CN"),
    ("SMIC Semiconductor Manufacturing (Shanghai) Co., Ltd", "smic-shanghai", "SMIC Semiconductor Manufacturing (Shanghai) Co., Ltd", ["SMIC Shanghai"], [], SMIC, "Shanghai", "", "", "CN"),
    ("SenseTime Group, Inc.", "sensetime", "SenseTime Group, Inc.", ["SenseTime", "SenseTime Group", "SenseTime Research", "Beijing SenseTime Technology Development Co., Ltd.", "Shanghai SenseTime Intelligent Technology", "商汤科技"], [], "", "Hong Kong", "https://ror.org/049wsmj07", "商汤集团有限公司", "CN"),
    ("Shanghai Ship and Shipping Research", "shanghai-ship-and-shipping-research-institute", "Shanghai Ship and Shipping Research Institute", ["Shanghai Ship and Shipping Research", "Shanghai Institute of Maritime Transport Science"], [], "", "Shanghai", "https://ror.org/00z9npm78", "上海船舶运输科学研究所", "CN"),
    ("Shanghai Yitu Network Technology Co., Ltd.", "yitu-technology", "Shanghai Yitu Network Technology Co., Ltd.", ["Yitu Technology", "Yitu Technologies", "Shanghai Yitu Network Technology", "YITU Technology"], [], "", "Shanghai", "", "上海依图网络科技有限公司", "CN"),
    ("Shenzhen DJI Technology Co., Ltd.", "dji", "Shenzhen DJI Technology Co., Ltd.", ["DJI Technology", "SZ DJI Technology Co., Ltd.", "SZ DJI Technology", "Shenzhen DJI Innovation Technology Co., Ltd.", "DJI Innovations"], ["!DJI"], "", "Shenzhen", "", "深圳市大疆创新科技有限公司", "CN"),
    ("Tencent Holdings Limited", "tencent", "Tencent Holdings Limited", ["Tencent Inc.", "Tencent AI Lab", "Tencent Technology", "Tencent Quantum Lab", "Tencent Youtu Lab", "Tencent Holdings", "腾讯"], [], "", "Shenzhen", "https://ror.org/00hhjss72", "腾讯控股有限公司", "CN"),
    ("Tianma Microelectronics Co., Ltd.", "tianma-microelectronics", "Tianma Microelectronics Co., Ltd.", ["Tianma Microelectronics"], [], "", "Shenzhen", "", "天马微电子股份有限公司", "CN"),
    ("Trina Solar Co., Ltd.", "trina-solar", "Trina Solar Co., Ltd.", ["Trina Solar", "TrinaSolar", "TrinaSolar Co., Ltd.", "Trina Solar Limited"], [], "", "Changzhou", "https://ror.org/007xgfy35", "天合光能股份有限公司", "CN"),
    ("WuXi AppTec Co., Ltd.", "wuxi-apptec", "WuXi AppTec Co., Ltd.", ["WuXi AppTec", "Wuxi AppTec"], [], "", "Shanghai", "", "无锡药明康德新药开发股份有限公司", "CN"),
    ("Yangtze Memory Technologies Co., Ltd.", "yangtze-memory-technologies", "Yangtze Memory Technologies Co., Ltd.", ["Yangtze Memory Technologies", "Yangtze Memory Technology"], ["!YMTC"], "", "Wuhan", "", "长江存储科技有限责任公司", "CN"),
    ("Zhejiang Dahua Technology Co., Ltd.", "dahua-technology", "Zhejiang Dahua Technology Co., Ltd.", ["Dahua Technology", "Zhejiang Dahua Technology"], [], "", "Hangzhou", "", "浙江大华技术股份有限公司", "CN"),
    ("Zhongji Innolight Co., Ltd.", "zhongji-innolight", "Zhongji Innolight Co., Ltd.", ["Innolight", "Zhongji Innolight", "InnoLight Technology"], [], "", "Suzhou", "", "中际旭创股份有限公司", "CN"),
    ("Aisino Corporation", "aisino", "Aisino Corporation", ["Aisino Corp", "Aisino Co., Ltd."], [], CASIC, "Beijing", "", "航天信息股份有限公司", "CN"),
    ("AVIC JONHON Optronic Technology Co., Ltd.", "avic-jonhon-optronic-technology", "AVIC JONHON Optronic Technology Co., Ltd.", ["AVIC Jonhon Optronic Technology", "AVIC Jonhon"], [], AVIC, "Luoyang", "", "中航光电科技股份有限公司", "CN"),
    ("AVIC Xi’an Aircraft Industry Group Company Ltd.", "avic-xian-aircraft-industry", "AVIC Xi’an Aircraft Industry Group Company Ltd.", ["AVIC Xi'an Aircraft Industry Group", "AVIC Xi’an Aircraft Industry", "Xi’an Aircraft Industry Group Co., Ltd.", "Xi'an Aircraft Industry Group", "AVIC First Aircraft Institute"], [], AVIC, "Xi'an", "", "中航西安飞机工业集团股份有限公司", "CN"),
    ("Avicopter PLC", "avicopter", "Avicopter PLC", ["Avicopter", "AVIC Helicopter Research and Development Institute", "China Helicopter Research and Development Institute"], [], AVIC, "", "", "中航直升机股份有限公司", "CN"),
    ("Jiangxi Hongdu Aviation Industry Co., Ltd.", "jiangxi-hongdu-aviation-industry", "Jiangxi Hongdu Aviation Industry Co., Ltd.", ["Hongdu Aviation Industry", "Jiangxi Hongdu Aviation"], [], AVIC, "Nanchang", "", "江西洪都航空工业股份有限公司", "CN"),
    ("Autel Intelligent Technology Corp., Ltd.", "autel-intelligent-technology", "Autel Intelligent Technology Corp., Ltd.", ["Autel Intelligent Technology", "Autel Technology"], [], "", "Shenzhen", "", "深圳市道通科技股份有限公司", "CN"),
    ("Autel Robotics Co., Ltd.", "autel-robotics", "Autel Robotics Co., Ltd.", ["Autel Robotics"], [], "", "Shenzhen", "", "深圳市道通智能航空技术股份有限公司", "CN"),
    ("Quectel Wireless Solutions Co., Ltd.", "quectel-wireless-solutions", "Quectel Wireless Solutions Co., Ltd.", ["Quectel Wireless Solutions", "Quectel Wireless"], [], "", "Shanghai", "", "上海移远通信技术股份有限公司", "CN"),
    ("NIO, Inc.", "nio", "NIO, Inc.", ["NIO Inc.", "NIO Inc", "NIO Holding", "Shanghai Weilai Automobile Co Ltd"], [], "", "Shanghai", "https://ror.org/02w12zj89", "蔚来", "CN"),
    ("TP-Link Technologies Co., Ltd.", "tp-link-technologies", "TP-Link Technologies Co., Ltd.", ["TP-Link Technologies", "TP-LINK Technologies"], [], "", "Shenzhen", "", "普联技术有限公司", "CN"),
    ("Phenix Optical Company Limited", "phenix-optical", "Phenix Optical Company Limited", ["Phenix Optical", "Phoenix Optics Company Limited", "Phoenix Optical"], [], "", "Shangrao", "", "凤凰光学股份有限公司", "CN"),
    ("China National Chemical Engineering Group Corporation", "china-national-chemical-engineering-group", "China National Chemical Engineering Group Corporation", ["China National Chemical Engineering Group"], ["CNCEC"], "", "Beijing", "", "中国化学工程集团有限公司", "CN"),
    ("Chengdu JOUAV Automation Tech Co., Ltd.", "chengdu-jouav-automation-tech", "Chengdu JOUAV Automation Tech Co., Ltd.", ["JOUAV", "Chengdu JOUAV Automation Tech"], [], "", "Chengdu", "", "成都纵横自动化技术股份有限公司", "CN"),
    ("Baicells Technologies Co., Ltd.", "baicells-technologies", "Baicells Technologies Co., Ltd.", ["Baicells Technologies", "Baicells"], [], "", "Beijing", "", "佰才邦技术股份有限公司", "CN"),
]
# Entity List additions of listed companies, from the rules (FR citations and dates).
CO_EL = {
    "huawei-technologies": ("84 FR 22961", "2019-05-21"),
    "hikvision": ("FR doc 2019-22210", "2019-10-09"), "dahua-technology": ("FR doc 2019-22210", "2019-10-09"),
    "sensetime": ("FR doc 2019-22210", "2019-10-09"), "yitu-technology": ("FR doc 2019-22210", "2019-10-09"),
    "cloudwalk-technology": ("85 FR 34503", "2020-06-05"), "netposa": ("85 FR 34503", "2020-06-05"),
    "360-security-technology": ("85 FR 34495", "2020-06-05"),
    SMIC: ("FR doc 2020-28031", "2020-12-22"), "dji": ("FR doc 2020-28031", "2020-12-22"),
    "sugon": ("84 FR 29371", "2019-06-24"),
}
used_ror = {r["ror"] for r in rows if r["ror"]}


def specific(a):
    """The matcher's text rule: two words, eight letters, or four CJK characters.
    A shorter company word ('Huawei', '百度') would never match on its own."""
    cjk = sum(1 for c in a if "\u4e00" <= c <= "\u9fff")
    if cjk:
        return cjk >= 4
    return len(re.findall(r"[A-Za-z0-9]+", a)) >= 2 or len(a) >= 8
for t in NEW_CO:
    name, i, printed, aliases, acr, parent, city, ror, orig, country = t
    if i is None:
        continue
    assert ror == "" or ror not in used_ror, (i, ror)
    d = dod[name]
    lists = dod_memberships(name)
    srcs = dod_sources(name) + ([ror] if ror else [])
    al = [a for a in aliases if a != printed and specific(a)]
    for a in split(d["aliases"]) + split(d["previous_names"]):
        if a != printed and a not in al and specific(a) and not re.fullmatch(r"[A-Z]{2,6}", a):
            al.append(a)
    if name != printed and name not in al:
        al.append(name)
    cats = ["DoD 1260H: " + ("listed subsidiary of " + d["parent"] if d["parent"] else "listed company")]
    r = new(i, printed, country, lists, srcs, aliases=al, acronyms=acr, parent=parent, city=city, ror=ror,
            name_original=orig, categories=cats, note=dod_note(name))
    if i in CO_EL:
        el(r, *CO_EL[i])
# The other companies of the 2026-06-08 edition: listed is listed, whether or not
# the company publishes. Left out: foreign-registered subsidiaries and financial
# vehicles (BVI, holding, capital, leasing, asset-management companies).
SKIP = {"Align Aerospace LLC", "Cirrus Design Corporation", "Continental Aerospace Technologies, Inc.",
        "BGI Americas Corporation", "GBI Diagnostics, Inc.", "Innomics Inc.", "STOmics Americas Ltd.",
        "Changan US R&D Center, Inc.", "China Communications Construction (USA) Co., Ltd.",
        "John Holland Group Pty Ltd.", "John Holland Services Pty Ltd.", "ZPMC North America, Inc.",
        "COSCO SHIPPING (North America) Inc.", "China Mobile Hong Kong (BVI) Limited", "Kiekert USA Inc.",
        "Merit Automotive Electronics Systems S.L.U", "China Construction America, Inc.", "China Unicom (BVI) Co., Ltd.",
        "China Unicom Group Corporation (BVI) Co., Ltd.", "China Unicom (Hong Kong) Limited", "COMAC America Corporation",
        "GTCOM Technology Corporation", "Better Way Enterprises Limited", "China IC Capital Co., Ltd.",
        "Magnificent Tower Limited", "SMIC Holdings Limited", "SMIC, Americas", "SilTech Semiconductor Corporation",
        "AVIC Asset Management Corporation Ltd.", "Huacheng (Tianjin) Ship Leasing Co., Ltd.",
        "North Petroleum International Company Limited", "Aspire Technologies (Shenzhen) Limited"}


def norm(n):
    return re.sub(r"[^a-z0-9]", "", n.lower())


by_dod = {norm(n): i for n, i in EXISTING.items()}
by_dod.update({norm(t[0]): t[1] for t in NEW_CO if t[1]})
by_dod[norm("Aviation Industry Corporation of China, Ltd.")] = AVIC


def slug(n):
    n = re.sub(r"\((?:[^)]*)\)", " ", n)
    n = re.sub(r",? (co\.,? ?ltd\.?|company limited|co\. ltd\.?|limited|ltd\.?|inc\.?|corporation|corp\.?|plc|group co\.?)$", "", n.strip(), flags=re.I)
    n = n.replace("&", " and ").replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-")


for name, d in dod.items():
    if norm(name) in by_dod or name in SKIP:
        continue
    i = slug(name)
    assert i not in by_id, (name, i)
    by_dod[norm(name)] = i
auto = [(n, by_dod[norm(n)]) for n in dod if norm(n) in by_dod and by_dod[norm(n)] not in by_id and n not in SKIP]
for name, i in auto:
    d = dod[name]
    parent = by_dod.get(norm(d["parent"]), "") if d["parent"] else ""
    al = []
    short = re.sub(r",? (Co\.,? ?Ltd\.?|Company Limited|Co\. Ltd\.?|Limited|Ltd\.?)$", "", name)
    for a in [short] + split(d["aliases"]) + split(d["previous_names"]):
        if a != name and a not in al and specific(a) and not re.fullmatch(r"[A-Z-]{2,8}", a):
            al.append(a)
    acr = [a for a in split(d["aliases"]) if re.fullmatch(r"[A-Z]{4,6}", a)]
    cats = ["DoD 1260H: " + ("listed subsidiary of " + d["parent"] if d["parent"] else "listed company")]
    new(i, name, "CN", dod_memberships(name), dod_sources(name), aliases=al, acronyms=acr, parent=parent,
        categories=cats, note=dod_note(name))

# Companies of the 2025-01-07 edition removed on 2026-02-17 (kept as history;
# lookup says "removed"). Trading, finance and US-registered ones left out.
REMOVED_2026 = [
    ("anhui-sun-create-electronics", "Anhui Sun Create Electronics Co., Ltd.", ["Anhui Sun Create Electronics"], CETC, "Hefei", "", ""),
    ("glarun-technology", "GLARUN Technology Co., Ltd.", ["GLARUN Technology"], CETC, "Nanjing", "", ""),
    ("taiji-computer", "Taiji Computer Co., Ltd.", ["Taiji Computer Corporation", "Taiji Computer"], CETC, "Beijing", "", ""),
    ("china-international-information-services", "China International Information Services Ltd.", ["China International Information Services"], "china-electronics-corporation", "", "", ""),
    ("costar-group", "Costar Group Co., Ltd.", [], "china-south-industries-group", "Nanyang", "2021-06-03", "country"),
    ("cnooc-china-limited", "CNOOC China Limited", ["CNOOC China Ltd."], "cnooc", "", "", ""),
    ("china-national-chemical-engineering-co", "China National Chemical Engineering Co., Ltd.", [], "china-national-chemical-engineering-group", "", "", ""),
]
for id, name, aliases, parent, city, first, ctx in REMOVED_2026:
    lists = ([f"dod_1260h:{first}@{first}"] if first else []) + ["dod_1260h:2025-01-07@2025-01-07"]
    new(id, name, "CN", lists, [DOD25], aliases=aliases, parent=parent, city=city, context=ctx,
        categories=["DoD 1260H: listed subsidiary" if parent else "DoD 1260H: listed company"],
        note="Named in the 2025-01-07 edition of the 1260H list; removed on 2026-02-17 (Federal Register notice), not in the 2026-06-08 edition.")

# Megvii: 2024-01-31 edition only; removed in the 2025-01-07 edition (it stays, as history).
new("megvii-technology", "Beijing Megvii Technology Co., Ltd.", "CN",
    ["dod_1260h:2024-01-31@2024-01-31", "us_entity_list:FR doc 2019-22210@2019-10-09"],
    [DOD25, fr_url("FR doc 2019-22210"), BIS, "https://ror.org/040b32p69"],
    aliases=["Megvii Technology", "Megvii Inc", "Megvii Research", "Megvii Technology Limited"], city="Beijing",
    ror="https://ror.org/040b32p69", name_original="北京旷视科技有限公司",
    categories=["DoD 1260H: listed company"],
    note="Named in the 2024-01-31 edition of the 1260H list and removed in the 2025-01-07 edition.")


# ---------------------------------------------------------------- 1b. more Entity List research entities
GOVINFO_2020_08_27 = "https://www.govinfo.gov/app/details/FR-2020-08-27"
# 2020-08-27 (chemical and biological weapons programme): the MoD 33rd and 48th institutes and GosNIIOKhT.
for i in ("33rd-scientific-research-and-testing-institute", "48th-central-scientific-research-institute"):
    el(by_id[i], None, "2020-08-27")
    drop(by_id[i], "sources", lambda s: s == BIS_SUPP)
    add(by_id[i], "sources", GOVINFO_2020_08_27)
new("state-scientific-research-institute-of-organic-chemistry-and-technology",
    "State Scientific Research Institute of Organic Chemistry and Technology", "RU",
    ["us_entity_list@2020-08-27"], [GOVINFO_2020_08_27, BIS],
    aliases=["State Research Institute of Organic Chemistry and Technology", "Federal State Unitary Enterprise State Research Institute of Organic Chemistry and Technology"],
    acronyms=["!GosNIIOKhT"], city="Moscow", name_original="Государственный научно-исследовательский институт органической химии и технологии",
    note="Added with the 33rd and 48th institutes in the Federal Register of 2020-08-27 (chemical weapons programme).")
# 2021-03-04, FR doc 2021-04505 (86 FR 12529): the 27th Scientific Center.
el(by_id["27th-scientific-center-of-the-russian-ministry-of-defense"], "FR doc 2021-04505", "2021-03-04")
# 2021-07-19, FR doc 2021-15362 (86 FR 37901): two research bodies among six Russian entities.
for id, name, aliases, acr, city in [
    ("military-innovative-technopolis-era", "Federal State Autonomous Institution Military Innovative Technopolis Era",
     ["Military Innovative Technopolis ERA", "Military Innovative Technopolis Era", "ERA Technopolis", "Technopolis ERA"], [], "Anapa"),
    ("scientific-research-institute-specialized-security-computing-devices-and-automation",
     "Federal State Autonomous Scientific Establishment Scientific Research Institute Specialized Security Computing Devices and Automation",
     ["Scientific Research Institute Specialized Security Computing Devices and Automation", "Specvuzavtomatika"], [], "Rostov-on-Don")]:
    new(id, name, "RU", ["us_entity_list:FR doc 2021-15362@2021-07-19"], [fr_url("FR doc 2021-15362"), BIS],
        aliases=aliases, acronyms=acr, city=city)
# 2022-03-03, 87 FR 12226: ex-MEU (2020-12-23 MEU List) Russian research institutes moved to the Entity List.
for id, name, aliases, acr, city, orig in [
    ("aleksandrov-scientific-research-technological-institute", "Aleksandrov Scientific Research Technological Institute",
     ["A.P. Aleksandrov Scientific Research Technological Institute", "Alexandrov Research Institute of Technology", "Scientific Research Technological Institute named after A.P. Aleksandrov"],
     ["NITI"], "Sosnovy Bor", "Научно-исследовательский технологический институт имени А. П. Александрова"),
    ("dukhov-automatics-research-institute", "Federal State Unitary Enterprise Dukhov Automatics Research Institute",
     ["Dukhov Automatics Research Institute", "All-Russian Scientific Research Institute of Automation named after N.L. Dukhov", "All-Russia Research Institute of Automatics"],
     ["VNIIA"], "Moscow", "Всероссийский научно-исследовательский институт автоматики им. Н. Л. Духова"),
    ("central-research-institute-of-machine-building", "Central Research Institute of Machine Building",
     ["Central Scientific Research Institute of Machine Building", "Central Research Institute for Machine Building", "TsNIIMash JSC", "Central Research Institute of Mechanical Engineering", "FSUE TsNIIMash"],
     ["!TsNIIMash"], "Korolyov", "Центральный научно-исследовательский институт машиностроения")]:
    ror = "https://ror.org/05wk90v81" if id == "central-research-institute-of-machine-building" else ""
    new(id, name, "RU", ["us_entity_list:87 FR 12226@2022-03-03"], [fr_url("87 FR 12226"), BIS] + ([ror] if ror else []),
        aliases=aliases, acronyms=acr, city=city, name_original=orig, ror=ror,
        categories=["moved from the Military End-User List (2020-12-23) to the Entity List"])
# 2023-02-01, FR doc 2023-02130 (88 FR 6621): Iranian research and design bodies supplying Russia's military.
for id, name, aliases, acr in [
    ("shahed-aviation-industries-research-center", "Shahed Aviation Industries Research Center", ["Shahed Aviation Industries"], []),
    ("irgc-research-and-self-sufficiency-jihad-organization", "Islamic Revolutionary Guard Corps Research and Self-Sufficiency Jihad Organization",
     ["IRGC Research and Self-Sufficiency Jihad Organization", "IRGC Research and Self Sufficiency Jihad Organization"], ["IRGC SSJO"]),
    ("design-and-manufacturing-of-aero-engines", "Design and Manufacturing of Aero-Engines",
     ["Design and Manufacturing of Aircraft Engines"], ["DAMA"])]:
    new(id, name, "IR", ["us_entity_list:FR doc 2023-02130@2023-02-01"], [fr_url("FR doc 2023-02130"), BIS],
        aliases=aliases, acronyms=acr, city="Tehran" if id != "shahed-aviation-industries-research-center" else "")
# CN research institutes added with listed companies.
new("kunhai-yanjiao-innovation-research-institute", "Kunhai (Yanjiao) Innovation Research Institute", "CN",
    ["us_entity_list:85 FR 34495@2020-06-05"], [fr_url("85 FR 34495"), BIS],
    aliases=["Kunhai Yanjiao Innovation Research Institute", "Kunhai Innovation Research Institute"], city="Yanjiao")
new("wuxi-jiangnan-institute-of-computing-technology", "Wuxi Jiangnan Institute of Computing Technology", "CN",
    ["us_entity_list:84 FR 29371@2019-06-24"], [fr_url("84 FR 29371"), BIS],
    aliases=["Jiangnan Institute of Computing Technology", "Wuxi Jiangnan Computing Technology Institute"], city="Wuxi",
    name_original="江南计算技术研究所")
# Hefei National Laboratory for Physical Sciences at the Microscale: the 2021-11-26 quantum tranche.
el(by_id["hefei-national-laboratory-for-physical-sciences-at-the-microscale"], None, "2021-11-26")
# YMTC: on the Entity List since the December 2022 rule (day not established here).
el(by_id["yangtze-memory-technologies"], None, "2022-12?")

rows.sort(key=lambda r: r["id"])
out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
w.writerow(header)
for r in rows:
    w.writerow([r[h] for h in header])
open(PATH, "w", encoding="utf-8", newline="").write(out.getvalue())

# Known-not-listed institutions whose ROR id a listed entry now carries must go.
KPATH = os.path.join(WT, "data", "known-institutions.csv")
ktext = open(KPATH, encoding="utf-8", newline="").read()
kr = list(csv.reader(io.StringIO(ktext)))
listed_rors = {r["ror"] for r in rows if r["ror"]}
# ROR records of a listed company's own research units, now aliases of the company.
UNITS = {"https://ror.org/05gsxrt27", "https://ror.org/01j5pk676", "https://ror.org/05x3m4218"}
kept = [kr[0]] + [k for k in kr[1:] if k[0] not in listed_rors and k[0] not in UNITS]
print("known-institutions removed:", [k[1] for k in kr[1:] if k[0] in listed_rors or k[0] in UNITS])
ko = io.StringIO()
csv.writer(ko, lineterminator="\n").writerows(kept)
open(KPATH, "w", encoding="utf-8", newline="").write(ko.getvalue())
print("rows", len(rows))
