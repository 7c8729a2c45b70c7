//! The effective [`RiskList`]: the bundled files and `--extra-list` files
//! parsed ([`super::parse`]), linked (ids unique, parents resolved, levels
//! inherited), indexed by id, ROR and OpenAlex id, and content-hashed.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::affiliates::parse_affiliates;
use super::entry::{Affiliate, KnownInstitution, ListInfo, ListKind, RiskEntry, RiskLevel};
use super::error::Error;
use super::ids::{openalex_key, ror_key};
use super::parse::{is_date_shaped, parse_entries, parse_known, parse_lists, parse_version};

const BUNDLED_ENTRIES: &str = include_str!("../../data/risk-institutions.csv");
const BUNDLED_LISTS: &str = include_str!("../../data/risk-lists.csv");
const BUNDLED_KNOWN: &str = include_str!("../../data/known-institutions.csv");
const BUNDLED_AFFILIATES: &str = include_str!("../../data/risk-affiliates.csv");
/// The bundled list's version: the date of its release (`data/CHANGES.md` says what changed).
const BUNDLED_VERSION: &str = include_str!("../../data/VERSION");

/// The effective risk list: bundled entries plus any extra lists, validated.
#[derive(Debug, Clone)]
pub struct RiskList {
    /// The bundled list's version (a `YYYY-MM-DD` date).
    version: String,
    entries: Vec<RiskEntry>,
    lists: Vec<ListInfo>,
    known: Vec<KnownInstitution>,
    affiliates: Vec<Affiliate>,
    /// ROR id packed base 36 -> affiliate.
    affiliate_by_ror: HashMap<u64, usize>,
    by_id: HashMap<String, usize>,
    /// ROR id packed base 36 -> entry (lookups allocate nothing: they run
    /// for every institution of every screened work).
    by_ror: HashMap<u64, usize>,
    /// OpenAlex institution number -> entry.
    by_openalex: HashMap<u64, usize>,
    /// The extra lists' texts, for the content hash.
    extra_texts: Vec<String>,
    /// Content hash, computed on first use: `match` and `lookup` never ask
    /// for it, and hashing the bundled data was a tenth of their start-up.
    hash: std::sync::OnceLock<String>,
}

impl RiskList {
    /// The list compiled into the binary.
    pub fn bundled() -> Result<Self, Error> {
        Self::build(&[])
    }

    /// The bundled list plus each `--extra-list` file, in order.
    pub fn with_extra(paths: &[PathBuf]) -> Result<Self, Error> {
        let mut extra = Vec::new();
        for p in paths {
            let text = std::fs::read_to_string(p).map_err(|source| Error::Io {
                path: p.clone(),
                source,
            })?;
            extra.push((p.display().to_string(), text));
        }
        Self::build(&extra)
    }

    /// Builds from the bundled data and `(name, csv text)` extras.
    pub fn build(extra: &[(String, String)]) -> Result<Self, Error> {
        let version = parse_version("data/VERSION", BUNDLED_VERSION)?;
        let lists = parse_lists("data/risk-lists.csv", BUNDLED_LISTS)?;
        let mut entries = parse_entries(
            "data/risk-institutions.csv",
            BUNDLED_ENTRIES,
            "bundled",
            None,
        )?;
        let list_ids: HashSet<&str> = lists.iter().map(|l| l.id.as_str()).collect();
        for (name, text) in extra {
            entries.extend(parse_entries(name, text, name, Some(&list_ids))?);
        }
        let known = parse_known("data/known-institutions.csv", BUNDLED_KNOWN)?;
        let mut list = Self {
            version,
            entries,
            lists,
            known,
            affiliates: Vec::new(),
            affiliate_by_ror: HashMap::new(),
            by_id: HashMap::new(),
            by_ror: HashMap::new(),
            by_openalex: HashMap::new(),
            extra_texts: extra.iter().map(|(_, text)| text.clone()).collect(),
            hash: std::sync::OnceLock::new(),
        };
        list.link()?;
        list.affiliates = parse_affiliates("data/risk-affiliates.csv", BUNDLED_AFFILIATES, &list)?;
        list.affiliate_by_ror = list
            .affiliates
            .iter()
            .enumerate()
            .filter_map(|(i, a)| ror_key(&a.ror).map(|k| (k, i)))
            .collect();
        Ok(list)
    }

    /// Indexes ids, checks references, computes levels.
    fn link(&mut self) -> Result<(), Error> {
        let bad = |e: &RiskEntry, column: &'static str, message: String| {
            Error::bad_field(
                &e.origin,
                e.line,
                column,
                format!("entry '{}': {message}", e.id),
            )
        };
        for (i, e) in self.entries.iter().enumerate() {
            if self.by_id.insert(e.id.clone(), i).is_some() {
                return Err(bad(e, "id", "duplicate id".into()));
            }
            if let Some(r) = &e.ror {
                let key =
                    ror_key(r).ok_or_else(|| bad(e, "ror", format!("'{r}' is not a ROR id")))?;
                if let Some(j) = self.by_ror.insert(key, i) {
                    return Err(bad(
                        e,
                        "ror",
                        format!("ROR id {r} also belongs to '{}'", self.entries[j].id),
                    ));
                }
            }
            if let Some(o) = &e.openalex {
                let key = openalex_key(o).ok_or_else(|| {
                    bad(
                        e,
                        "openalex",
                        format!("'{o}' is not an OpenAlex institution id"),
                    )
                })?;
                if let Some(j) = self.by_openalex.insert(key, i) {
                    return Err(bad(
                        e,
                        "openalex",
                        format!("OpenAlex id {o} also belongs to '{}'", self.entries[j].id),
                    ));
                }
            }
        }
        // Parents exist and form no cycle.
        for e in &self.entries {
            let mut seen = HashSet::new();
            let mut cur = e;
            while let Some(p) = &cur.parent {
                if !seen.insert(cur.id.clone()) {
                    return Err(bad(e, "parent", "parent chain forms a cycle".into()));
                }
                match self.by_id.get(p) {
                    Some(&j) => cur = &self.entries[j],
                    None => return Err(bad(e, "parent", format!("unknown parent id '{p}'"))),
                }
            }
        }
        // Own level from lists, then the highest along the ancestor chain.
        let list_index: HashMap<&str, &ListInfo> =
            self.lists.iter().map(|l| (l.id.as_str(), l)).collect();
        let mut own = Vec::with_capacity(self.entries.len());
        for e in &self.entries {
            let mut level: Option<RiskLevel> = None;
            for m in &e.memberships {
                let from_detail = m.detail.as_deref().and_then(RiskLevel::parse);
                let l = match list_index.get(m.list.as_str()) {
                    Some(info) => from_detail
                        .filter(|_| info.implies_level.is_none())
                        .or(info.implies_level),
                    // An office's own list: the detail may carry a level.
                    None => Some(from_detail.unwrap_or(RiskLevel::Medium)),
                };
                level = level.max(l);
            }
            if level.is_none() {
                return Err(bad(
                    e,
                    "lists",
                    "no list gives this entry a risk level".into(),
                ));
            }
            own.push(level);
        }
        for i in 0..self.entries.len() {
            let mut level = own[i];
            let mut cur = i;
            while let Some(p) = &self.entries[cur].parent {
                cur = self.by_id[p];
                level = level.max(own[cur]);
            }
            self.entries[i].own_level = own[i];
            self.entries[i].risk_level = level.unwrap_or(RiskLevel::Medium);
        }
        Ok(())
    }

    /// The bundled list's version, a release date such as `2026-12-06`
    /// (`data/CHANGES.md` says what each version added, changed and removed).
    /// Extra lists do not change it; they change [`RiskList::hash`].
    pub fn version(&self) -> &str {
        &self.version
    }

    /// All entries, bundled first, in file order.
    pub fn entries(&self) -> &[RiskEntry] {
        &self.entries
    }

    /// The public lists the data draws on.
    pub fn lists(&self) -> &[ListInfo] {
        &self.lists
    }

    /// Describes a list id; office lists not in the registry get a watchlist stub.
    pub fn list_info(&self, id: &str) -> ListInfo {
        self.lists
            .iter()
            .find(|l| l.id == id)
            .cloned()
            .unwrap_or_else(|| ListInfo {
                id: id.to_owned(),
                name: id.to_owned(),
                kind: ListKind::Watchlist,
                publisher: "user-supplied --extra-list".into(),
                url: String::new(),
                implies_level: None,
                date_meaning: "as given in the extra list".into(),
                note: String::new(),
            })
    }

    /// Organisations that are part of or affiliated with an entry
    /// (`data/risk-affiliates.csv`).
    pub fn affiliates(&self) -> &[Affiliate] {
        &self.affiliates
    }

    /// The affiliate with this ROR id (any spelling).
    pub fn affiliate_by_ror(&self, ror: &str) -> Option<usize> {
        self.affiliate_by_ror.get(&ror_key(ror)?).copied()
    }

    /// Institutions known *not* to be listed.
    pub fn known(&self) -> &[KnownInstitution] {
        &self.known
    }

    /// Entry by id.
    pub fn get(&self, id: &str) -> Option<&RiskEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// Index of an entry by id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Entry index by ROR id (any accepted spelling).
    pub fn by_ror(&self, ror: &str) -> Option<usize> {
        self.by_ror.get(&ror_key(ror)?).copied()
    }

    /// Entry index by OpenAlex institution id (any accepted spelling).
    pub fn by_openalex(&self, id: &str) -> Option<usize> {
        self.by_openalex.get(&openalex_key(id)?).copied()
    }

    /// The chain of ancestors of an entry, nearest first.
    pub fn ancestors(&self, index: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = index;
        while let Some(p) = &self.entries[cur].parent {
            cur = self.by_id[p];
            out.push(cur);
        }
        out
    }

    /// The newest edition of a list published in editions: the largest
    /// edition detail any entry carries, `FYnnnn` (`FY2025` for `dod_1286`)
    /// or an edition date `YYYY-MM-DD` (`2026-06-08` for `dod_1260h`).
    /// `None` for lists whose details are not editions.
    pub fn newest_edition(&self, list: &str) -> Option<&str> {
        self.entries
            .iter()
            .flat_map(|e| &e.memberships)
            .filter(|m| m.list == list)
            .filter_map(|m| m.detail.as_deref().filter(|d| is_edition(d)))
            .max()
    }

    /// True when the entry is on an annual list but not in its newest
    /// edition: dropped (or renamed) since, which a reviewer must see.
    pub fn dropped_from_newest(&self, entry: &RiskEntry, list: &str) -> bool {
        let Some(newest) = self.newest_edition(list) else {
            return false;
        };
        let mut on_list = entry
            .memberships
            .iter()
            .filter(|m| m.list == list)
            .peekable();
        on_list.peek().is_some() && !on_list.any(|m| m.detail.as_deref() == Some(newest))
    }

    /// Content hash of every file that went into this list (16 hex digits).
    pub fn hash(&self) -> &str {
        self.hash.get_or_init(|| {
            let mut hasher = Sha256::new();
            let parts = [
                BUNDLED_VERSION,
                BUNDLED_ENTRIES,
                BUNDLED_LISTS,
                BUNDLED_KNOWN,
                BUNDLED_AFFILIATES,
            ];
            for part in parts
                .into_iter()
                .chain(self.extra_texts.iter().map(String::as_str))
            {
                hasher.update((part.len() as u64).to_le_bytes());
                hasher.update(part.as_bytes());
            }
            hasher
                .finalize()
                .iter()
                .take(8)
                .map(|b| format!("{b:02x}"))
                .collect()
        })
    }
}

/// Edition names: `FY2025`, or the edition's publication date `2026-06-08`.
/// Within one list all editions use one form, so the largest string is the
/// newest edition.
fn is_edition(d: &str) -> bool {
    let fiscal = d.len() == 6 && d.starts_with("FY") && d[2..].bytes().all(|b| b.is_ascii_digit());
    fiscal || is_date_shaped(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> RiskList {
        RiskList::bundled().expect("the bundled list must load")
    }

    #[test]
    fn children_inherit_the_parent_level() {
        let list = bundled();
        let child = list
            .get("academy-of-military-medical-sciences-institute-of-basic-medicine")
            .unwrap();
        assert_eq!(
            child.parent.as_deref(),
            Some("academy-of-military-medical-sciences")
        );
        assert_eq!(child.risk_level, RiskLevel::VeryHigh);
        let i = list.index_of(&child.id).unwrap();
        let chain: Vec<&str> = list
            .ancestors(i)
            .into_iter()
            .map(|a| list.entries()[a].id.as_str())
            .collect();
        assert_eq!(
            chain,
            [
                "academy-of-military-medical-sciences",
                "academy-of-military-science"
            ]
        );
    }

    #[test]
    fn extra_list_errors_name_file_line_and_column() {
        let csv = "id,name,country,lists,sources\nmy-lab,My Lab,CN,office@2024-01-01,https://example.org\nbad,Bad,China,office@2024,https://example.org\n";
        let err = RiskList::build(&[("watch.csv".into(), csv.into())]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("watch.csv: line 3: column 'country'"), "{msg}");
    }

    #[test]
    fn issue_21_an_unknown_level_in_an_extra_list_is_an_error_not_medium() {
        let csv = "id,name,country,lists,sources\nmy-lab,My Lab,CN,office:hihg@2024-01-01,https://example.org\n";
        let err = RiskList::build(&[("watch.csv".into(), csv.into())]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("watch.csv: line 2: column 'lists'"), "{msg}");
        assert!(msg.contains("unknown risk level 'hihg'"), "{msg}");
        let ok = "id,name,country,lists,sources\nmy-lab,My Lab,CN,office:very high@2024-01-01,https://example.org\n";
        let list = RiskList::build(&[("watch.csv".into(), ok.into())]).unwrap();
        assert_eq!(list.get("my-lab").unwrap().risk_level, RiskLevel::VeryHigh);
        // A citation (with a number) is a detail, not a level.
        let cited = "id,name,country,lists,sources\nmy-lab,My Lab,CN,us_meu_list:85 FR 83799@2020-12-23,https://example.org\n";
        assert!(RiskList::build(&[("csl.csv".into(), cited.into())]).is_ok());
    }

    #[test]
    fn extra_list_merges_with_watchlist_level() {
        let csv = "id,name,country,lists,sources\nmy-lab,Example Photonics Lab,CN,office:high@2024-01-01,https://example.org\n";
        let list = RiskList::build(&[("watch.csv".into(), csv.into())]).unwrap();
        assert_eq!(list.get("my-lab").unwrap().origin, "watch.csv");
        let e = list.get("my-lab").unwrap();
        assert_eq!(e.risk_level, RiskLevel::High);
        assert_eq!(list.list_info("office").kind, ListKind::Watchlist);
        assert_ne!(list.hash(), RiskList::bundled().unwrap().hash());
    }

    #[test]
    fn extra_list_cannot_reuse_a_bundled_id() {
        let csv = "id,name,country,lists,sources\nharbin-institute-of-technology,HIT,CN,office@2024,https://example.org\n";
        let err = RiskList::build(&[("w.csv".into(), csv.into())]).unwrap_err();
        assert!(err.to_string().contains("duplicate id"), "{err}");
    }

    #[test]
    fn entries_dropped_from_the_newest_1286_edition_are_known() {
        let list = bundled();
        assert_eq!(list.newest_edition("dod_1286"), Some("FY2025"));
        let hit = list.get("harbin-institute-of-technology").unwrap();
        assert!(!list.dropped_from_newest(hit, "dod_1286"));
        // On the FY2022-FY2024 lists, not on FY2025 (per the research notes).
        let itep = list
            .get("ru-institute-of-high-energy-physics-itep")
            .unwrap();
        assert!(list.dropped_from_newest(itep, "dod_1286"));
        assert!(!list.dropped_from_newest(hit, "us_entity_list"));
    }

    #[test]
    fn dated_editions_are_editions_and_other_details_are_not() {
        for d in ["FY2025", "2026-06-08"] {
            assert!(is_edition(d), "{d}");
        }
        for d in ["85 FR 34495", "FY25", "2026-06", "very_high", "2026/06/08"] {
            assert!(!is_edition(d), "{d}");
        }
    }
}
