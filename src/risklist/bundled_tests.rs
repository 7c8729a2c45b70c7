//! The bundled data's invariants (`data/risk-*.csv`, `VERSION`,
//! `CHANGES.md`): ids sorted, unique and well formed, every row sourced and
//! dated, each official list's membership complete and cited as its
//! publisher gives it (issue 15). Tests only; they guard the data, not the code.

use std::collections::{HashMap, HashSet};

use super::entry::{RiskEntry, RiskLevel};
use super::ids::{ror_key, valid_openalex_institution, valid_ror};
use super::parse::parse_version;
use super::RiskList;

fn bundled() -> RiskList {
    RiskList::bundled().expect("the bundled list must load")
}

#[test]
fn bundled_ids_are_unique_sorted_slugs() {
    let list = bundled();
    let ids: Vec<&str> = list.entries().iter().map(|e| e.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "rows must be sorted by id");
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len());
}

#[test]
fn bundled_rows_are_sourced_and_dated() {
    let list = bundled();
    for e in list.entries() {
        assert!(
            e.sources.iter().any(|s| s.starts_with("https://")),
            "{} has no https source",
            e.id
        );
        for m in &e.memberships {
            assert!(
                list.lists().iter().any(|l| l.id == m.list),
                "{}: list '{}' is not in data/risk-lists.csv",
                e.id,
                m.list
            );
            assert!(!m.date.raw.is_empty(), "{}: {} has no date", e.id, m.list);
        }
    }
}

#[test]
fn bundled_ids_are_well_formed() {
    for e in bundled().entries() {
        if let Some(r) = &e.ror {
            assert!(valid_ror(r), "{}: {r}", e.id);
        }
        if let Some(o) = &e.openalex {
            assert!(valid_openalex_institution(o), "{}: {o}", e.id);
        }
    }
    assert!(valid_ror("https://ror.org/01yqg2h08"));
    assert!(!valid_ror("https://ror.org/1yqg2h08"));
    assert!(!valid_ror("https://ror.org/01yqg2hl8"));
    assert!(!valid_openalex_institution("https://openalex.org/W123"));
}

#[test]
fn seven_sons_are_all_listed_very_high() {
    let list = bundled();
    let sons: Vec<&RiskEntry> = list
        .entries()
        .iter()
        .filter(|e| e.memberships.iter().any(|m| m.list == "seven_sons"))
        .collect();
    let mut names: Vec<&str> = sons.iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Beihang University",
            "Beijing Institute of Technology",
            "Harbin Engineering University",
            "Harbin Institute of Technology",
            "Nanjing University of Aeronautics and Astronautics",
            "Nanjing University of Science and Technology",
            "Northwestern Polytechnical University",
        ]
    );
    assert!(sons.iter().all(|e| e.risk_level == RiskLevel::VeryHigh));
}

fn on_list<'a>(list: &'a RiskList, id: &str) -> Vec<&'a RiskEntry> {
    list.entries()
        .iter()
        .filter(|e| e.memberships.iter().any(|m| m.list == id))
        .collect()
}

#[test]
fn issue_15_every_designation_meets_its_count() {
    let list = bundled();
    for (id, min) in [
        ("us_entity_list", 110),
        ("canada_nro", 100),
        ("dod_1260h", 80),
    ] {
        let n = on_list(&list, id).len();
        assert!(n >= min, "{id}: {n} entries, want at least {min}");
    }
    assert_eq!(
        on_list(&list, "canada_nro").len(),
        103,
        "the NRO page lists 103"
    );
}

#[test]
fn issue_15_no_ror_is_on_two_entries() {
    let list = bundled();
    let mut seen = HashMap::new();
    for e in list.entries() {
        if let Some(r) = &e.ror {
            assert!(
                seen.insert(r.as_str(), &e.id).is_none(),
                "{r}: {} and {}",
                seen[r.as_str()],
                e.id
            );
        }
    }
}

/// The DoD editions read for the 1260H list; a membership names one.
const EDITIONS_1260H: [&str; 5] = [
    "2021-06-03",
    "2022-10-05",
    "2024-01-31",
    "2025-01-07",
    "2026-06-08",
];

#[test]
fn issue_15_every_1260h_membership_is_a_real_edition() {
    let list = bundled();
    for e in on_list(&list, "dod_1260h") {
        for m in e.memberships.iter().filter(|m| m.list == "dod_1260h") {
            let ed = m.detail.as_deref().unwrap_or_default();
            assert!(EDITIONS_1260H.contains(&ed), "{}: edition '{ed}'", e.id);
            assert_eq!(m.date.raw, ed, "{}: the date is the edition's", e.id);
        }
        assert!(
            e.sources
                .iter()
                .any(|s| s.starts_with("https://media.defense.gov/")),
            "{}: cites no DoD edition",
            e.id
        );
    }
    assert_eq!(list.newest_edition("dod_1260h"), Some("2026-06-08"));
}

#[test]
fn issue_15_1260h_removals_and_relistings_are_history() {
    let list = bundled();
    // Megvii: 2024-01-31 edition only, removed on 2025-01-07.
    let megvii = list.get("megvii-technology").unwrap();
    assert!(list.dropped_from_newest(megvii, "dod_1260h"));
    // YMTC: removed 2026-02-17, listed again 2026-06-08.
    let ymtc = list.get("yangtze-memory-technologies").unwrap();
    assert!(!list.dropped_from_newest(ymtc, "dod_1260h"));
    assert!(ymtc.note.contains("2026-02-17"), "{}", ymtc.note);
    let huawei = list.get("huawei-technologies").unwrap();
    assert!(!list.dropped_from_newest(huawei, "dod_1260h"));
    // Level policy: a 1260H company is high, very high when also on the Entity List.
    let info = list.list_info("dod_1260h");
    assert_eq!(info.implies_level, Some(RiskLevel::High));
    assert!(info.note.contains("Level policy:"), "{}", info.note);
    assert_eq!(
        list.get("contemporary-amperex-technology")
            .unwrap()
            .risk_level,
        RiskLevel::High
    );
    assert_eq!(huawei.risk_level, RiskLevel::VeryHigh);
}

/// Entity List additions made for issue 15 whose rule was read: each
/// carries its Federal Register citation and cites the rule.
const EL_CITED_V2: [&str; 22] = [
    "chinese-academy-of-sciences-changchun-institute-of-optics-fine-mechanics-and-physics",
    "ji-hua-laboratory",
    "peng-cheng-laboratory",
    "shanghai-institute-of-optics-and-fine-mechanics",
    "xinjiang-police-college",
    "moscow-institute-of-physics-and-technology",
    "aleksandrov-scientific-research-technological-institute",
    "dukhov-automatics-research-institute",
    "central-research-institute-of-machine-building",
    "27th-scientific-center-of-the-russian-ministry-of-defense",
    "military-innovative-technopolis-era",
    "scientific-research-institute-specialized-security-computing-devices-and-automation",
    "shahed-aviation-industries-research-center",
    "irgc-research-and-self-sufficiency-jihad-organization",
    "design-and-manufacturing-of-aero-engines",
    "kunhai-yanjiao-innovation-research-institute",
    "wuxi-jiangnan-institute-of-computing-technology",
    "ministry-of-public-security-institute-of-forensic-science",
    "huawei-technologies",
    "hikvision",
    "semiconductor-manufacturing-international-corporation",
    "sugon",
];

/// Entity List additions whose addition date no rule read gives: listed
/// by the Supplement as published on bis.gov, dated with a '?'.
const EL_BY_DATE_V2: [&str; 17] = [
    "university-of-science-and-technology-of-china",
    "cas-institute-of-computing-technology",
    "chinese-academy-of-sciences-institute-of-microelectronics",
    "chinese-academy-of-sciences-aerospace-information-research-institute",
    "chinese-academy-of-sciences-shenyang-institute-of-automation",
    "chinese-academy-of-sciences-technology-and-engineering-center-for-space-utilization",
    "chinese-academy-of-sciences-national-time-service-center",
    "luoyang-institute-of-science-and-technology",
    "china-academy-of-electronics-and-information-technology",
    "casc-1st-academy-12th-research-institute",
    "casc-1st-academy-702-research-institute",
    "casc-8th-academy-shanghai-academy-of-spaceflight-technology",
    "casc-8th-academy-811-research-institute",
    "casc-9th-academy-13th-research-institute",
    "calt-beijing-institute-of-precision-mechatronics-control-equipment",
    "casic-second-academy",
    "cssc-7th-research-academy",
];

fn is_fr_citation(d: &str) -> bool {
    let parts: Vec<&str> = d.split(' ').collect();
    match parts.as_slice() {
        [vol, "FR", page] => [vol, page]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
        ["FR", "doc", num] => num.len() == 10 && num.as_bytes()[4] == b'-',
        _ => false,
    }
}

#[test]
fn issue_15_entity_list_additions_carry_their_citation() {
    let list = bundled();
    for id in EL_CITED_V2 {
        let e = list.get(id).unwrap_or_else(|| panic!("{id} missing"));
        let m = e
            .memberships
            .iter()
            .find(|m| m.list == "us_entity_list")
            .unwrap_or_else(|| panic!("{id} is not on the Entity List"));
        let cite = m.detail.as_deref().unwrap_or_default();
        assert!(
            is_fr_citation(cite),
            "{id}: '{cite}' is not a Federal Register citation"
        );
        assert!(!m.date.approximate, "{id}: the rule gives the date");
        assert!(
            e.sources
                .iter()
                .any(|s| s.starts_with("https://www.federalregister.gov/")),
            "{id}: the rule is not cited"
        );
    }
    for id in EL_BY_DATE_V2 {
        let e = list.get(id).unwrap_or_else(|| panic!("{id} missing"));
        let m = e
            .memberships
            .iter()
            .find(|m| m.list == "us_entity_list")
            .unwrap();
        assert!(
            m.date.approximate,
            "{id}: a date without a rule must say '?'"
        );
        assert!(
            e.sources
                .iter()
                .any(|s| s.starts_with("https://www.bis.gov/")),
            "{id}"
        );
    }
    // Every citation anywhere is well formed.
    for e in on_list(&list, "us_entity_list") {
        for m in e.memberships.iter().filter(|m| m.list == "us_entity_list") {
            if let Some(d) = &m.detail {
                assert!(is_fr_citation(d), "{}: '{d}'", e.id);
            }
        }
    }
}

#[test]
fn issue_15_every_nro_entry_cites_the_canada_page_with_its_date() {
    let list = bundled();
    let page = list.list_info("canada_nro").url;
    for e in on_list(&list, "canada_nro") {
        assert!(
            e.sources.contains(&page),
            "{}: no Government of Canada source",
            e.id
        );
        for m in e.memberships.iter().filter(|m| m.list == "canada_nro") {
            assert_eq!(m.date.raw, "2024-04-18", "{}", e.id);
        }
    }
}

#[test]
fn issue_15_guilin_is_one_entry_on_every_list() {
    let list = bundled();
    assert!(list
        .get("guilin-university-of-electronic-science-and-technology")
        .is_none());
    let g = list
        .get("guilin-university-of-electronic-technology")
        .unwrap();
    let lists: HashSet<&str> = g.memberships.iter().map(|m| m.list.as_str()).collect();
    assert!(
        lists.contains("aspi_tracker") && lists.contains("dod_1286"),
        "{lists:?}"
    );
    assert!(g
        .aliases
        .iter()
        .any(|a| a == "Guilin University of Electronic Science and Technology"));
    assert_eq!(
        g.risk_level,
        RiskLevel::High,
        "the highest of ASPI medium and §1286 high"
    );
    let named: Vec<&str> = list
        .entries()
        .iter()
        .filter(|e| e.name.starts_with("Guilin University of Electronic"))
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(named, ["guilin-university-of-electronic-technology"]);
}

#[test]
fn issue_15_rocket_force_academy_alias_names_one_entry() {
    let list = bundled();
    let holders: Vec<&str> = list
        .entries()
        .iter()
        .filter(|e| e.aliases.iter().any(|a| a == "PLA Rocket Force Academy"))
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(holders, ["rocket-force-sergeant-school"]);
}

#[test]
fn issue_15_russian_ihep_needs_russian_place_evidence() {
    let list = bundled();
    let ihep = list
        .get("ru-institute-of-high-energy-physics-itep")
        .unwrap();
    assert_eq!(ihep.city, "Protvino");
    assert!(ihep.needs_country);
}

#[test]
fn the_version_is_a_date_with_a_changes_section() {
    let list = bundled();
    assert!(parse_version("v", list.version()).is_ok());
    assert!(parse_version("v", "2026-12").is_err() && parse_version("v", "v2").is_err());
    let changes = include_str!("../../data/CHANGES.md");
    assert!(
        changes.contains(&format!("## {}", list.version())),
        "data/CHANGES.md has no section for version {}",
        list.version()
    );
}

#[test]
fn issue_15_entries_carry_ror_ids_and_no_two_share_one() {
    let list = bundled();
    let with_ror: Vec<&RiskEntry> = list.entries().iter().filter(|e| e.ror.is_some()).collect();
    // 144 of 294 in version 1; 213 of 421 in version 2.
    assert!(
        with_ror.len() >= 210,
        "{} entries with a ROR id",
        with_ror.len()
    );
    let mut seen = HashSet::new();
    for e in &with_ror {
        let key = ror_key(e.ror.as_deref().unwrap()).unwrap();
        assert!(seen.insert(key), "{} shares its ROR id", e.id);
    }
    for k in list.known() {
        assert!(
            list.by_ror(&k.ror).is_none(),
            "known non-listed institution {} has the ROR id of an entry",
            k.ror
        );
    }
}
