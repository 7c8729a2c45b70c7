//! Parsing and validating the bundled CSVs and `--extra-list` files.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::entry::{
    Acronym, Affiliate, KnownInstitution, ListInfo, ListKind, Membership, Relation, RiskEntry,
    RiskLevel, AFFILIATE_KINDS,
};

const BUNDLED_ENTRIES: &str = include_str!("../../data/risk-institutions.csv");
const BUNDLED_LISTS: &str = include_str!("../../data/risk-lists.csv");
const BUNDLED_KNOWN: &str = include_str!("../../data/known-institutions.csv");
const BUNDLED_AFFILIATES: &str = include_str!("../../data/risk-affiliates.csv");
/// The bundled list's version: the date of its release (`data/CHANGES.md` says what changed).
const BUNDLED_VERSION: &str = include_str!("../../data/VERSION");

/// Problems with a risk-list file. Every variant names the file and, where
/// there is one, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read risk list {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The CSV itself is malformed (quoting, field count).
    #[error("{path}: line {line}: malformed CSV")]
    Csv {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// Why.
        #[source]
        source: csv::Error,
    },
    /// A row parsed but one of its fields is invalid.
    #[error("{path}: line {line}: column '{column}': {message}")]
    BadField {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// Column name.
        column: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// A row of `risk-institutions.csv` exactly as written.
#[derive(Debug, Deserialize)]
struct RawEntry {
    id: String,
    name: String,
    #[serde(default)]
    name_original: String,
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    acronyms: String,
    #[serde(default)]
    compound: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    ror: String,
    #[serde(default)]
    openalex: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    lists: String,
    #[serde(default)]
    categories: String,
    #[serde(default)]
    sources: String,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Deserialize)]
struct RawList {
    id: String,
    name: String,
    kind: String,
    publisher: String,
    url: String,
    implies_level: String,
    date_meaning: String,
    note: String,
}

#[derive(Debug, Deserialize)]
struct RawKnown {
    ror: String,
    name: String,
    aliases: String,
    country: String,
    city: String,
}

#[derive(Debug, Deserialize)]
struct RawAffiliate {
    ror: String,
    name: String,
    aliases: String,
    country: String,
    city: String,
    entry: String,
    relation: String,
    kind: String,
    source: String,
}

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

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|p| !p.is_empty())
}

/// Checks `https://ror.org/` + 9 characters: `0`, then 6 of Crockford base32, then 2 digits.
pub(crate) fn valid_ror(s: &str) -> bool {
    let Some(id) = s.strip_prefix("https://ror.org/") else {
        return false;
    };
    let b = id.as_bytes();
    b.len() == 9
        && b[0] == b'0'
        && b[1..7]
            .iter()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_lowercase() && !b"ilou".contains(c)))
        && b[7..].iter().all(u8::is_ascii_digit)
}

/// Checks `https://openalex.org/I` + digits.
pub(crate) fn valid_openalex_institution(s: &str) -> bool {
    s.strip_prefix("https://openalex.org/I")
        .is_some_and(|d| !d.is_empty() && d.len() <= 12 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The last path segment of an id in any spelling, trimmed.
fn last_segment(s: &str) -> &str {
    let s = s.trim().trim_end_matches('/');
    s.rsplit('/').next().unwrap_or(s)
}

/// A ROR id (9 characters of [0-9a-z], any case, any URL form) packed base 36.
fn ror_key(s: &str) -> Option<u64> {
    let id = last_segment(s);
    if id.len() != 9 {
        return None;
    }
    id.bytes().try_fold(0u64, |k, b| {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'z' => b - b'a' + 10,
            b'A'..=b'Z' => b - b'A' + 10,
            _ => return None,
        };
        Some(k * 36 + u64::from(v))
    })
}

/// The number of an OpenAlex institution id (`I123`, `i123`, any URL form).
fn openalex_key(s: &str) -> Option<u64> {
    let id = last_segment(s);
    let digits = id.strip_prefix(['I', 'i'])?;
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Accepts `https://ror.org/x`, `ror.org/x` or the bare id; returns the URL form.
pub fn canonical_ror(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let id = s.strip_prefix("ror.org/").unwrap_or(s);
    let mut out = String::with_capacity(16 + id.len());
    out.push_str("https://ror.org/");
    out.extend(id.chars().map(|c| c.to_ascii_lowercase()));
    out
}

/// Accepts `https://openalex.org/I1`, `I1` or `i1`; returns the URL form.
pub fn canonical_openalex(s: &str) -> String {
    // Called for every institution and lineage id of every screened work:
    // prefix checks only, no pattern searches.
    let s = s.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let s = s.strip_prefix("openalex.org/").unwrap_or(s);
    let id = s.strip_prefix("institutions/").unwrap_or(s);
    let mut out = String::with_capacity(21 + id.len());
    out.push_str("https://openalex.org/");
    out.extend(id.chars().map(|c| c.to_ascii_uppercase()));
    out
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
        let bad = |e: &RiskEntry, column: &'static str, message: String| Error::BadField {
            path: e.origin.clone(),
            line: e.line,
            column,
            message: format!("entry '{}': {message}", e.id),
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

/// The version file: one `YYYY-MM-DD` date.
fn parse_version(path: &str, text: &str) -> Result<String, Error> {
    let v = text.trim();
    let b = v.as_bytes();
    let ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !ok {
        return Err(Error::BadField {
            path: path.into(),
            line: 1,
            column: "version",
            message: format!("'{v}' is not a YYYY-MM-DD date"),
        });
    }
    Ok(v.to_owned())
}

/// Edition names: `FY2025`, or the edition's publication date `2026-06-08`.
/// Within one list all editions use one form, so the largest string is the
/// newest edition.
fn is_edition(d: &str) -> bool {
    let fiscal = d.len() == 6 && d.starts_with("FY") && d[2..].bytes().all(|b| b.is_ascii_digit());
    let b = d.as_bytes();
    let dated = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    fiscal || dated
}

fn line_of(rec: &csv::StringRecord) -> u64 {
    rec.position().map_or(0, |p| p.line())
}

/// Reads every row of a CSV into `T`, with its 1-based line; checks that the
/// header has the `required` columns. One place for the error context.
fn read_rows<T: serde::de::DeserializeOwned>(
    path: &str,
    text: &str,
    required: &[&str],
) -> Result<Vec<(u64, T)>, Error> {
    let csv_err = |line: u64, source: csv::Error| Error::Csv {
        path: path.into(),
        line,
        source,
    };
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().cloned().map_err(|e| csv_err(1, e))?;
    for column in required {
        if !headers.iter().any(|h| h == *column) {
            return Err(Error::BadField {
                path: path.into(),
                line: 1,
                column: "header",
                message: format!("missing column '{column}'; the header must follow the bundled file of the same kind in data/"),
            });
        }
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_err(e.position().map_or(0, |p| p.line()), e))?;
        let line = line_of(&rec);
        out.push((
            line,
            rec.deserialize(Some(&headers))
                .map_err(|e| csv_err(line, e))?,
        ));
    }
    Ok(out)
}

fn parse_lists(path: &str, text: &str) -> Result<Vec<ListInfo>, Error> {
    let mut out = Vec::new();
    for (line, raw) in read_rows::<RawList>(path, text, &["id", "kind", "url"])? {
        let bad = |column, message: String| Error::BadField {
            path: path.into(),
            line,
            column,
            message,
        };
        let kind = match raw.kind.as_str() {
            "designation" => ListKind::Designation,
            "assessment" => ListKind::Assessment,
            other => {
                return Err(bad(
                    "kind",
                    format!("'{other}' is not designation or assessment"),
                ))
            }
        };
        let implies_level = if raw.implies_level.is_empty() {
            None
        } else {
            Some(RiskLevel::parse(&raw.implies_level).ok_or_else(|| {
                bad(
                    "implies_level",
                    format!("unknown level '{}'", raw.implies_level),
                )
            })?)
        };
        if !raw.url.starts_with("https://") {
            return Err(bad("url", "a list needs an https source URL".into()));
        }
        out.push(ListInfo {
            id: raw.id,
            name: raw.name,
            kind,
            publisher: raw.publisher,
            url: raw.url,
            implies_level,
            date_meaning: raw.date_meaning,
            note: raw.note,
        });
    }
    Ok(out)
}

/// A membership detail on an office's own list that is meant as a risk
/// level: one or two words of letters (`hihg`, `very hihg`, `critical`).
/// Anything with a digit or more words is a citation (`85 FR 83799`).
fn reads_as_level(d: &str) -> bool {
    let d = d.trim();
    !d.is_empty()
        && d.chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '-' | ' '))
        && d.split_whitespace().count() <= 2
}

/// Entries of one file. For an extra list (`bundled_lists` given), a
/// membership of a list of the office's own may carry a level as its detail
/// (`office:high@2024-01-01`); anything else there is an error, never medium.
fn parse_entries(
    path: &str,
    text: &str,
    origin: &str,
    bundled_lists: Option<&HashSet<&str>>,
) -> Result<Vec<RiskEntry>, Error> {
    let mut out = Vec::new();
    for (line, raw) in
        read_rows::<RawEntry>(path, text, &["id", "name", "country", "lists", "sources"])?
    {
        let e = entry_from_raw(raw, path, line, origin)?;
        if let Some(known) = bundled_lists {
            for m in &e.memberships {
                let Some(d) = m.detail.as_deref() else {
                    continue;
                };
                if !known.contains(m.list.as_str())
                    && RiskLevel::parse(d).is_none()
                    && reads_as_level(d)
                {
                    return Err(Error::BadField {
                        path: path.into(),
                        line,
                        column: "lists",
                        message: format!(
                            "unknown risk level '{d}' for the office list '{}' (very_high, high, medium or low; a citation detail carries a number, e.g. 85 FR 83799)",
                            m.list
                        ),
                    });
                }
            }
        }
        out.push(e);
    }
    Ok(out)
}

fn entry_from_raw(raw: RawEntry, path: &str, line: u64, origin: &str) -> Result<RiskEntry, Error> {
    let bad = |column, message: String| Error::BadField {
        path: path.into(),
        line,
        column,
        message,
    };
    let id = raw.id.trim().to_owned();
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(bad(
            "id",
            format!("'{id}' must be a slug: a-z, 0-9 and '-'"),
        ));
    }
    if raw.name.trim().is_empty() {
        return Err(bad("name", "empty name".into()));
    }
    let country = raw.country.trim().to_owned();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad(
            "country",
            format!("'{country}' is not an ISO 3166-1 alpha-2 code"),
        ));
    }
    let ror = match raw.ror.trim() {
        "" => None,
        r if valid_ror(r) => Some(r.to_owned()),
        r => {
            return Err(bad(
                "ror",
                format!("'{r}' is not a ROR id like https://ror.org/01yqg2h08"),
            ))
        }
    };
    let openalex = match raw.openalex.trim() {
        "" => None,
        o if valid_openalex_institution(o) => Some(o.to_owned()),
        o => {
            return Err(bad(
                "openalex",
                format!(
                    "'{o}' is not an OpenAlex institution id like https://openalex.org/I204983213"
                ),
            ))
        }
    };
    let memberships = split_list(&raw.lists)
        .map(Membership::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|m| bad("lists", m))?;
    if memberships.is_empty() {
        return Err(bad("lists", "an entry must be on at least one list".into()));
    }
    let sources: Vec<String> = split_list(&raw.sources).map(str::to_owned).collect();
    if sources.is_empty() {
        return Err(bad(
            "sources",
            "every entry needs at least one source".into(),
        ));
    }
    let compounds = split_list(&raw.compound)
        .map(|c| {
            let parts: Vec<String> = c.split('+').map(|p| p.trim().to_owned()).collect();
            if parts.len() < 2 || parts.iter().any(String::is_empty) {
                Err(bad("compound", format!("'{c}' must be 'part + part'")))
            } else {
                Ok(parts)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let needs_country = match raw.context.trim() {
        "" => false,
        "country" => true,
        other => {
            return Err(bad(
                "context",
                format!("'{other}' is not empty or 'country'"),
            ))
        }
    };
    let parent = Some(raw.parent.trim().to_owned()).filter(|p| !p.is_empty());
    Ok(RiskEntry {
        id,
        name: raw.name.trim().to_owned(),
        name_original: raw.name_original.trim().to_owned(),
        aliases: split_list(&raw.aliases).map(str::to_owned).collect(),
        acronyms: split_list(&raw.acronyms)
            .map(|a| match a.strip_prefix('!') {
                Some(t) => Acronym {
                    text: t.to_owned(),
                    strong: true,
                },
                None => Acronym {
                    text: a.to_owned(),
                    strong: false,
                },
            })
            .collect(),
        compounds,
        country,
        city: raw.city.trim().to_owned(),
        parent,
        ror,
        openalex,
        needs_country,
        memberships,
        categories: split_list(&raw.categories).map(str::to_owned).collect(),
        sources,
        note: raw.note.trim().to_owned(),
        own_level: None,
        risk_level: RiskLevel::Medium,
        origin: origin.to_owned(),
        line,
    })
}

fn parse_known(path: &str, text: &str) -> Result<Vec<KnownInstitution>, Error> {
    let mut out = Vec::new();
    for (_, k) in read_rows::<RawKnown>(path, text, &["ror", "name"])? {
        out.push(KnownInstitution {
            ror: k.ror,
            name: k.name,
            aliases: split_list(&k.aliases).map(str::to_owned).collect(),
            country: k.country,
            city: k.city,
        });
    }
    Ok(out)
}

/// Parses and validates `risk-affiliates.csv` against the linked `list`.
fn parse_affiliates(path: &str, text: &str, list: &RiskList) -> Result<Vec<Affiliate>, Error> {
    let mut out: Vec<Affiliate> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let required = [
        "ror", "name", "aliases", "country", "city", "entry", "relation", "kind", "source",
    ];
    for (line, a) in read_rows::<RawAffiliate>(path, text, &required)? {
        let bad = |column, message: String| Error::BadField {
            path: path.into(),
            line,
            column,
            message,
        };
        if !valid_ror(&a.ror) {
            return Err(bad(
                "ror",
                format!("'{}' is not a ROR id (https://ror.org/0xxxxxxdd)", a.ror),
            ));
        }
        if let Some(first) = seen.insert(a.ror.clone(), line) {
            return Err(bad(
                "ror",
                format!(
                    "{} is already on line {first}; one row per organisation",
                    a.ror
                ),
            ));
        }
        if let Some(i) = list.by_ror(&a.ror) {
            return Err(bad(
                "ror",
                format!(
                    "{} is the ROR id of listed entry '{}'; an affiliate is never an entry",
                    a.ror,
                    list.entries()[i].id
                ),
            ));
        }
        if a.name.trim().is_empty() {
            return Err(bad("name", "empty name".into()));
        }
        let entry = list.index_of(&a.entry).ok_or_else(|| {
            bad(
                "entry",
                format!(
                    "unknown entry id '{}'; it must be an id in data/risk-institutions.csv",
                    a.entry
                ),
            )
        })?;
        let relation = match a.relation.as_str() {
            "part" => Relation::Part,
            "affiliate" => Relation::Affiliate,
            other => {
                return Err(bad(
                    "relation",
                    format!("unknown relation '{other}'; use 'part' or 'affiliate'"),
                ))
            }
        };
        if !AFFILIATE_KINDS.contains(&a.kind.as_str()) {
            return Err(bad(
                "kind",
                format!(
                    "unknown kind '{}'; use one of {}",
                    a.kind,
                    AFFILIATE_KINDS.join(", ")
                ),
            ));
        }
        if a.country.len() != 2 || !a.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad(
                "country",
                format!("'{}' is not an ISO 3166-1 alpha-2 code", a.country),
            ));
        }
        if !a.source.starts_with("https://ror.org/") {
            return Err(bad(
                "source",
                "the source must start with the organisation's ROR record URL".into(),
            ));
        }
        out.push(Affiliate {
            ror: a.ror,
            name: a.name,
            aliases: split_list(&a.aliases).map(str::to_owned).collect(),
            country: a.country,
            city: a.city,
            entry,
            relation,
            kind: a.kind,
            source: a.source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {

    #[test]
    fn id_keys_accept_every_spelling_and_nothing_else() {
        for r in [
            "01yqg2h08",
            "https://ror.org/01yqg2h08",
            "ror.org/01YQG2H08/",
            " http://ror.org/01yqg2h08 ",
        ] {
            assert_eq!(ror_key(r), ror_key("01yqg2h08"), "{r}");
        }
        assert!(ror_key("01yqg2h0").is_none() && ror_key("01yqg2h0!").is_none());
        for o in [
            "I204983213",
            "i204983213",
            "https://openalex.org/I204983213",
            "openalex.org/institutions/I204983213",
        ] {
            assert_eq!(openalex_key(o), Some(204983213), "{o}");
        }
        assert!(openalex_key("W204983213").is_none() && openalex_key("I").is_none());
        let list = RiskList::bundled().unwrap();
        let hit = list.by_ror("https://ror.org/01yqg2h08").unwrap();
        assert_eq!(list.by_ror("01YQG2H08"), Some(hit));
    }

    use super::*;

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

    #[test]
    fn dated_editions_are_editions_and_other_details_are_not() {
        for d in ["FY2025", "2026-06-08"] {
            assert!(is_edition(d), "{d}");
        }
        for d in ["85 FR 34495", "FY25", "2026-06", "very_high", "2026/06/08"] {
            assert!(!is_edition(d), "{d}");
        }
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

    #[test]
    fn canonical_ids_accept_short_forms() {
        assert_eq!(canonical_ror("01yqg2h08"), "https://ror.org/01yqg2h08");
        assert_eq!(
            canonical_openalex("i204983213"),
            "https://openalex.org/I204983213"
        );
        assert_eq!(
            canonical_openalex("https://openalex.org/I204983213"),
            "https://openalex.org/I204983213"
        );
    }

    fn affiliates_from(text: &str) -> Result<Vec<Affiliate>, Error> {
        parse_affiliates("affiliates.csv", text, &bundled())
    }

    const HEADER: &str = "ror,name,aliases,country,city,entry,relation,kind,source\n";

    #[test]
    fn bundled_affiliates_load_and_resolve_their_entries() {
        let list = bundled();
        let xiangya = list
            .affiliates()
            .iter()
            .find(|a| a.ror == "https://ror.org/05c1yfj14")
            .expect("Xiangya Hospital is in data/risk-affiliates.csv");
        assert_eq!(list.entries()[xiangya.entry].id, "central-south-university");
        assert_eq!(xiangya.relation, Relation::Affiliate);
        assert_eq!(xiangya.kind, "hospital");
    }

    #[test]
    fn a_bad_affiliate_row_names_its_line_and_column() {
        let good = "https://ror.org/05c1yfj14,Xiangya Hospital,,CN,Changsha,central-south-university,affiliate,hospital,https://ror.org/05c1yfj14 (ROR)\n";
        assert_eq!(
            affiliates_from(&format!("{HEADER}{good}")).unwrap().len(),
            1
        );
        let cases = [
            (
                good.replace("https://ror.org/05c1yfj14,", "05c1yfj14,"),
                "ror",
            ),
            (format!("{good}{good}"), "ror"),
            (good.replace("05c1yfj14,X", "00f1zfq44,X"), "ror"),
            (
                good.replace("central-south-university", "no-such-entry"),
                "entry",
            ),
            (good.replace(",affiliate,", ",sibling,"), "relation"),
            (good.replace(",hospital,", ",clinic,"), "kind"),
            (good.replace(",CN,", ",China,"), "country"),
            (
                good.replace(",https://ror.org/05c1yfj14 (ROR)", ",a blog"),
                "source",
            ),
        ];
        for (rows, want) in cases {
            match affiliates_from(&format!("{HEADER}{rows}")) {
                Err(Error::BadField { column, line, .. }) => {
                    assert_eq!(column, want, "{rows}");
                    assert!(line >= 2, "{rows}");
                }
                other => panic!("{rows}: expected a bad '{want}', got {other:?}"),
            }
        }
    }
}
