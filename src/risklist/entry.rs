//! Risk-list value types: entries, list memberships, levels and dates.

use std::fmt;

use serde::Serialize;

/// How worrying a partner institution is, lowest first, so `max` works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// ASPI "low".
    Low,
    /// ASPI "medium", or an office watchlist entry without a level.
    Medium,
    /// ASPI "high"; DoD §1286 and METI designations.
    High,
    /// ASPI "very high"; Seven Sons; Entity List and Canada NRO designations.
    VeryHigh,
}

impl RiskLevel {
    /// All levels, lowest first.
    pub const ALL: [RiskLevel; 4] = [Self::Low, Self::Medium, Self::High, Self::VeryHigh];

    /// The snake_case slug used in every output (`very_high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::VeryHigh => "very_high",
        }
    }

    /// Parses a slug; accepts `very high` and `very-high` too.
    pub fn parse(s: &str) -> Option<Self> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "low" => Some(Self::Low),
            "medium" => Some(Self::Medium),
            "high" => Some(Self::High),
            "very_high" => Some(Self::VeryHigh),
            _ => None,
        }
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Legal designations and analysts' assessments are kept apart everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// A legal list (Entity List, NRO, §1286, METI): consequences follow.
    Designation,
    /// A rating or category by analysts (ASPI tracker, Seven Sons).
    Assessment,
    /// An office's own list given with `--extra-list`.
    Watchlist,
}

impl ListKind {
    /// The slug used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Designation => "designation",
            Self::Assessment => "assessment",
            Self::Watchlist => "watchlist",
        }
    }
}

/// One public list the bundled data draws on (`data/risk-lists.csv`).
#[derive(Debug, Clone, Serialize)]
pub struct ListInfo {
    /// Slug used in memberships (`us_entity_list`).
    pub id: String,
    /// Official name.
    pub name: String,
    /// Designation, assessment or watchlist.
    pub kind: ListKind,
    /// Who publishes it.
    pub publisher: String,
    /// Where the list itself is published.
    pub url: String,
    /// Level an entry gets from being on the list, when the list has no rating.
    pub implies_level: Option<RiskLevel>,
    /// What the membership date means for this list.
    pub date_meaning: String,
    /// Facts a reviewer needs to read the list right.
    pub note: String,
}

/// When an entry was put on a list, as precisely as a source showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedDate {
    /// As written in the data: `2020-06-05`, `2020-11?`, `2015`, `unknown`.
    pub raw: String,
    /// The year, when known.
    #[serde(skip)]
    pub year: Option<u16>,
    /// True when the source only shows that the entry was listed *by* then.
    #[serde(skip)]
    pub approximate: bool,
}

impl ListedDate {
    /// Parses `YYYY[-MM[-DD]][?]` or `unknown`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw == "unknown" {
            return Ok(Self {
                raw: raw.to_owned(),
                year: None,
                approximate: true,
            });
        }
        let (body, approximate) = match raw.strip_suffix('?') {
            Some(b) => (b, true),
            None => (raw, false),
        };
        let parts: Vec<&str> = body.split('-').collect();
        let ok = matches!(parts.len(), 1..=3)
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| p.len() == 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(format!(
                "date '{raw}' is not YYYY, YYYY-MM or YYYY-MM-DD (optionally ending in '?'), nor 'unknown'"
            ));
        }
        let year: u16 = parts[0]
            .parse()
            .map_err(|_| format!("bad year in '{raw}'"))?;
        if let Some(m) = parts.get(1) {
            let m: u8 = m.parse().unwrap_or(0);
            if !(1..=12).contains(&m) {
                return Err(format!("month out of range in '{raw}'"));
            }
        }
        if let Some(d) = parts.get(2) {
            let d: u8 = d.parse().unwrap_or(0);
            if !(1..=31).contains(&d) {
                return Err(format!("day out of range in '{raw}'"));
            }
        }
        Ok(Self {
            raw: raw.to_owned(),
            year: Some(year),
            approximate,
        })
    }
}

/// One entry's presence on one list (one edition, for annual lists).
#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    /// List id (`aspi_tracker`, `dod_1286`, or an office's own id).
    pub list: String,
    /// Rating, edition or citation (`very_high`, `FY2025`, `85 FR 34495`).
    pub detail: Option<String>,
    /// When the entry was listed (or seen listed).
    pub date: ListedDate,
}

impl Membership {
    /// Parses `list[:detail]@date`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (head, date) = s
            .rsplit_once('@')
            .ok_or_else(|| format!("membership '{s}' has no '@date' (write '@unknown' if none)"))?;
        let (list, detail) = match head.split_once(':') {
            Some((l, d)) => (l.trim(), Some(d.trim().to_owned())),
            None => (head.trim(), None),
        };
        if list.is_empty()
            || !list
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(format!(
                "list id '{list}' must be lower-case letters, digits and '_'"
            ));
        }
        Ok(Self {
            list: list.to_owned(),
            detail: detail.filter(|d| !d.is_empty()),
            date: ListedDate::parse(date)?,
        })
    }

    /// The short tag used in `match` output: `aspi:very_high`, `us_entity_list`.
    pub fn tag(&self) -> String {
        match (self.list.as_str(), &self.detail) {
            ("aspi_tracker", Some(rating)) => format!("aspi:{rating}"),
            (list, _) => list.to_owned(),
        }
    }
}

/// An acronym of an entry, matched only as an upper-case token.
#[derive(Debug, Clone, Serialize)]
pub struct Acronym {
    /// As written (`BUAA`).
    pub text: String,
    /// True when it names one institution on its own; otherwise the
    /// affiliation must show the entry's country.
    pub strong: bool,
}

/// One listed institution.
#[derive(Debug, Clone, Serialize)]
pub struct RiskEntry {
    /// Stable slug.
    pub id: String,
    /// English name.
    pub name: String,
    /// Name in the original script.
    pub name_original: String,
    /// Other names matched as text: former names, variants, campuses, labs.
    pub aliases: Vec<String>,
    /// Acronyms.
    pub acronyms: Vec<Acronym>,
    /// Names that match only when all parts occur in one affiliation.
    pub compounds: Vec<Vec<String>>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// City, where a source gives it.
    pub city: String,
    /// Parent entry id (campus -> university, institute -> academy).
    pub parent: Option<String>,
    /// `https://ror.org/...`, where a source shows it.
    pub ror: Option<String>,
    /// `https://openalex.org/I...`, where a source shows it.
    pub openalex: Option<String>,
    /// Name shared abroad: match only with evidence of the entry's country.
    pub needs_country: bool,
    /// Every list the entry is on, with dates.
    pub memberships: Vec<Membership>,
    /// Facts from the sources (ASPI category, supervising agency...).
    pub categories: Vec<String>,
    /// Source URLs.
    pub sources: Vec<String>,
    /// Reviewer notes (name clashes, superseded listings).
    pub note: String,
    /// Highest level from the entry's own lists.
    pub own_level: Option<RiskLevel>,
    /// Highest level from the entry and its ancestors: what screening uses.
    pub risk_level: RiskLevel,
    /// `bundled` or the `--extra-list` path it came from.
    pub origin: String,
    /// Line of the row in its file, for error messages.
    #[serde(skip)]
    pub line: u64,
}

impl RiskEntry {
    /// The `lists` tags for `match` output, de-duplicated, in data order.
    pub fn list_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for m in &self.memberships {
            let t = m.tag();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags
    }
}

/// An institution that is *not* on the list, known from ROR records.
#[derive(Debug, Clone, Serialize)]
pub struct KnownInstitution {
    /// ROR id.
    pub ror: String,
    /// Name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// ISO country code.
    pub country: String,
    /// City.
    pub city: String,
}

/// How a matched organisation stands to a listed entry (`relation` in output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Relation {
    /// The entry itself (`self`).
    #[serde(rename = "self")]
    Entry,
    /// Part of the entry: its own school, laboratory, campus or (for a PLA
    /// medical university) hospital.
    #[serde(rename = "part")]
    Part,
    /// Affiliated with the entry but not part of it (a civilian university's
    /// affiliated hospital).
    #[serde(rename = "affiliate")]
    Affiliate,
}

impl Relation {
    /// Slug as in output: `self`, `part`, `affiliate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Entry => "self",
            Self::Part => "part",
            Self::Affiliate => "affiliate",
        }
    }
}

/// An organisation that is not a listed entry but part of or affiliated with
/// one (`data/risk-affiliates.csv`, from ROR relationships).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affiliate {
    /// Its own ROR id (`https://ror.org/...`).
    pub ror: String,
    /// Its ROR display name.
    pub name: String,
    /// Other names from the ROR record (no acronyms).
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// City.
    pub city: String,
    /// Index of the entry it relates to in [`crate::risklist::RiskList::entries`].
    pub entry: usize,
    /// [`Relation::Part`] or [`Relation::Affiliate`].
    pub relation: Relation,
    /// `hospital`, `school`, `laboratory`, `institute`, `company` or `other`.
    pub kind: String,
    /// The ROR record and relationship it comes from.
    pub source: String,
}

/// The `kind` values an affiliate row may carry.
pub const AFFILIATE_KINDS: [&str; 6] = [
    "hospital",
    "school",
    "laboratory",
    "institute",
    "company",
    "other",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_with_precision_and_approximation() {
        let d = ListedDate::parse("2020-06-05").unwrap();
        assert_eq!(d.year, Some(2020));
        assert!(!d.approximate);
        assert!(ListedDate::parse("2017-12?").unwrap().approximate);
        assert_eq!(ListedDate::parse("unknown").unwrap().year, None);
        assert!(ListedDate::parse("2020-13").is_err());
        assert!(ListedDate::parse("20-01-01").is_err());
        assert!(ListedDate::parse("soon").is_err());
    }

    #[test]
    fn memberships_parse_detail_and_tag() {
        let m = Membership::parse("aspi_tracker:very_high@2025-04-24").unwrap();
        assert_eq!(m.tag(), "aspi:very_high");
        let m = Membership::parse("us_entity_list:85 FR 34495@2020-06-05").unwrap();
        assert_eq!(m.detail.as_deref(), Some("85 FR 34495"));
        assert_eq!(m.tag(), "us_entity_list");
        assert!(Membership::parse("us_entity_list").is_err());
        assert!(Membership::parse("Bad List@2020").is_err());
    }

    #[test]
    fn levels_order_and_parse() {
        assert!(RiskLevel::VeryHigh > RiskLevel::High);
        assert_eq!(RiskLevel::parse("very high"), Some(RiskLevel::VeryHigh));
        assert_eq!(RiskLevel::parse("extreme"), None);
    }
}
