//! The bundled funder tables: `data/risk-funders.csv` (funding bodies and
//! programmes of concern), `data/civilian-funders.csv` (civilian programmes
//! whose names share words with them: shown as near misses, never flagged) and
//! `data/funder-spellings.csv` (word variants folded before matching).

use serde::{Deserialize, Serialize};

use crate::risklist::{Error, RiskLevel};

const BUNDLED_FUNDERS: &str = include_str!("../../data/risk-funders.csv");
const BUNDLED_CIVILIAN: &str = include_str!("../../data/civilian-funders.csv");
const BUNDLED_SPELLINGS: &str = include_str!("../../data/funder-spellings.csv");

/// What kind of concern a funder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FunderCategory {
    /// A defence ministry, military body, defence-industry group or defence research programme.
    DefenceFunder,
    /// A foreign talent recruitment programme named in official guidance.
    TalentProgramme,
}

impl FunderCategory {
    /// `defence_funder` or `talent_programme`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DefenceFunder => "defence_funder",
            Self::TalentProgramme => "talent_programme",
        }
    }
}

/// One funding body or programme of concern.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunderEntry {
    /// Stable slug.
    pub id: String,
    /// English name.
    pub name: String,
    /// Names in the original script (Chinese, Russian, Persian).
    pub name_original: Vec<String>,
    /// Other English names; `*` stands for up to five words of a template name.
    pub aliases: Vec<String>,
    /// Defence funder or talent programme.
    pub category: FunderCategory,
    /// ISO country code.
    pub country: String,
    /// Risk level: a paper it funded is scored like one with a listed partner of this level.
    pub level: RiskLevel,
    /// OpenAlex funder ids (`F4320327471`).
    pub openalex: Vec<String>,
    /// Crossref Funder Registry DOIs (`10.13039/501100001809`).
    pub crossref: Vec<String>,
    /// Award-id prefixes that name this funder's programmes (`JCKY`), followed by a digit.
    pub award_prefixes: Vec<String>,
    /// Official source URLs.
    pub sources: Vec<String>,
    /// When the row was checked (`YYYY-MM-DD`).
    pub as_of: String,
    /// Provenance remarks.
    pub note: String,
}

/// A civilian programme that shares words with listed ones: a near miss.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CivilianFunder {
    /// Stable slug.
    pub id: String,
    /// English name.
    pub name: String,
    /// Names in the original script.
    pub name_original: Vec<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// ISO country code.
    pub country: String,
    /// Official source URLs.
    pub sources: Vec<String>,
    /// Why it is not a concern.
    pub note: String,
}

/// The funder tables.
#[derive(Debug, Clone)]
pub struct FunderList {
    entries: Vec<FunderEntry>,
    civilian: Vec<CivilianFunder>,
    /// (variant, canonical) as written in the data.
    spellings: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
struct RawFunder {
    id: String,
    name: String,
    name_original: String,
    aliases: String,
    category: String,
    country: String,
    level: String,
    openalex: String,
    crossref: String,
    award_prefixes: String,
    sources: String,
    as_of: String,
    note: String,
}

#[derive(Debug, Deserialize)]
struct RawCivilian {
    id: String,
    name: String,
    name_original: String,
    aliases: String,
    country: String,
    sources: String,
    note: String,
}

#[derive(Debug, Deserialize)]
struct RawSpelling {
    variant: String,
    canonical: String,
    #[allow(dead_code)]
    note: String,
}

fn split(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A row's id is a slug not seen before in either table, and its name is set.
fn check_id_and_name(
    path: &str,
    line: u64,
    id: &str,
    name: &str,
    seen: &mut std::collections::HashSet<String>,
) -> Result<(), Error> {
    if !is_slug(id) {
        return Err(bad(
            path,
            line,
            "id",
            format!("'{id}' is not a lower-case slug"),
        ));
    }
    if !seen.insert(id.to_owned()) {
        return Err(bad(path, line, "id", format!("'{id}' appears twice")));
    }
    if name.trim().is_empty() {
        return Err(bad(path, line, "name", "empty".into()));
    }
    Ok(())
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `F` and digits: an OpenAlex funder id.
pub fn valid_openalex_funder(s: &str) -> bool {
    s.len() > 1 && s.starts_with('F') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// `10.13039/` and digits: a Crossref Funder Registry DOI.
pub fn valid_crossref_funder(s: &str) -> bool {
    s.strip_prefix("10.13039/")
        .is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
}

fn rows<T: for<'de> Deserialize<'de>>(path: &str, text: &str) -> Result<Vec<(u64, T)>, Error> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut out = Vec::new();
    for r in rdr.deserialize::<T>() {
        match r {
            Ok(row) => out.push(row),
            Err(source) => {
                let line = source.position().map_or(0, |p| p.line());
                return Err(Error::Csv {
                    path: path.to_owned(),
                    line,
                    source,
                });
            }
        }
    }
    // Lines: header is line 1; rows without embedded newlines follow in order.
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let lines: Vec<u64> = rdr
        .records()
        .map(|r| {
            r.ok()
                .and_then(|r| r.position().map(|p| p.line()))
                .unwrap_or(0)
        })
        .collect();
    Ok(lines.into_iter().zip(out).collect())
}

fn bad(path: &str, line: u64, column: &'static str, message: String) -> Error {
    Error::BadField {
        path: path.to_owned(),
        line,
        column,
        message,
    }
}

fn check_sources(path: &str, line: u64, sources: &[String]) -> Result<(), Error> {
    if sources.is_empty() {
        return Err(bad(
            path,
            line,
            "sources",
            "no source: every row cites an official URL".into(),
        ));
    }
    for s in sources {
        if !(s.starts_with("https://") || s.starts_with("http://")) {
            return Err(bad(path, line, "sources", format!("'{s}' is not a URL")));
        }
    }
    Ok(())
}

impl FunderList {
    /// The bundled tables.
    pub fn bundled() -> Result<Self, Error> {
        Self::parse(
            ("data/risk-funders.csv", BUNDLED_FUNDERS),
            ("data/civilian-funders.csv", BUNDLED_CIVILIAN),
            ("data/funder-spellings.csv", BUNDLED_SPELLINGS),
        )
    }

    /// Parses and validates the three tables, given as (path for messages, text).
    pub fn parse(
        funders: (&str, &str),
        civilian: (&str, &str),
        spellings: (&str, &str),
    ) -> Result<Self, Error> {
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::new();
        let (path, text) = funders;
        for (line, r) in rows::<RawFunder>(path, text)? {
            let r: RawFunder = r;
            check_id_and_name(path, line, &r.id, &r.name, &mut seen)?;
            let category = match r.category.trim() {
                "defence_funder" => FunderCategory::DefenceFunder,
                "talent_programme" => FunderCategory::TalentProgramme,
                other => {
                    return Err(bad(
                        path,
                        line,
                        "category",
                        format!("'{other}' is not defence_funder or talent_programme"),
                    ))
                }
            };
            let country = r.country.trim().to_owned();
            if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(bad(
                    path,
                    line,
                    "country",
                    format!("'{country}' is not an ISO code"),
                ));
            }
            let level = RiskLevel::parse(&r.level).ok_or_else(|| {
                bad(
                    path,
                    line,
                    "level",
                    format!("'{}' is not low, medium, high or very_high", r.level),
                )
            })?;
            let openalex = split(&r.openalex);
            if let Some(b) = openalex.iter().find(|s| !valid_openalex_funder(s)) {
                return Err(bad(
                    path,
                    line,
                    "openalex",
                    format!("'{b}' is not an OpenAlex funder id (F…)"),
                ));
            }
            let crossref = split(&r.crossref);
            if let Some(b) = crossref.iter().find(|s| !valid_crossref_funder(s)) {
                return Err(bad(
                    path,
                    line,
                    "crossref",
                    format!("'{b}' is not a Funder Registry DOI (10.13039/…)"),
                ));
            }
            let award_prefixes = split(&r.award_prefixes);
            if let Some(b) = award_prefixes
                .iter()
                .find(|s| s.len() < 3 || !s.bytes().all(|c| c.is_ascii_uppercase()))
            {
                return Err(bad(
                    path,
                    line,
                    "award_prefixes",
                    format!("'{b}' is not three or more capital letters"),
                ));
            }
            let sources = split(&r.sources);
            check_sources(path, line, &sources)?;
            if !is_date(r.as_of.trim()) {
                return Err(bad(
                    path,
                    line,
                    "as_of",
                    format!("'{}' is not YYYY-MM-DD", r.as_of),
                ));
            }
            entries.push(FunderEntry {
                id: r.id,
                name: r.name.trim().to_owned(),
                name_original: split(&r.name_original),
                aliases: split(&r.aliases),
                category,
                country,
                level,
                openalex,
                crossref,
                award_prefixes,
                sources,
                as_of: r.as_of.trim().to_owned(),
                note: r.note,
            });
        }
        let mut civ = Vec::new();
        let (path, text) = civilian;
        for (line, r) in rows::<RawCivilian>(path, text)? {
            let r: RawCivilian = r;
            check_id_and_name(path, line, &r.id, &r.name, &mut seen)?;
            let sources = split(&r.sources);
            check_sources(path, line, &sources)?;
            civ.push(CivilianFunder {
                id: r.id,
                name: r.name.trim().to_owned(),
                name_original: split(&r.name_original),
                aliases: split(&r.aliases),
                country: r.country.trim().to_owned(),
                sources,
                note: r.note,
            });
        }
        let mut sp = Vec::new();
        let (path, text) = spellings;
        for (line, r) in rows::<RawSpelling>(path, text)? {
            let r: RawSpelling = r;
            let (v, c) = (r.variant.trim(), r.canonical.trim());
            if v.is_empty() || c.is_empty() || v.contains(' ') || c.contains(' ') {
                return Err(bad(
                    path,
                    line,
                    "variant",
                    "one word each for variant and canonical".into(),
                ));
            }
            sp.push((v.to_owned(), c.to_owned()));
        }
        Ok(Self {
            entries,
            civilian: civ,
            spellings: sp,
        })
    }

    /// Entries of concern, in file order.
    pub fn entries(&self) -> &[FunderEntry] {
        &self.entries
    }

    /// Civilian near-miss programmes.
    pub fn civilian(&self) -> &[CivilianFunder] {
        &self.civilian
    }

    /// Content hash of the three bundled tables (16 hex digits), for cache keys and headers.
    pub fn hash() -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for part in [BUNDLED_FUNDERS, BUNDLED_CIVILIAN, BUNDLED_SPELLINGS] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Word variants folded before matching: (variant, canonical).
    pub fn spellings(&self) -> &[(String, String)] {
        &self.spellings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> FunderList {
        FunderList::bundled().expect("the bundled funder tables must load")
    }

    #[test]
    fn bundled_funders_are_sourced_dated_and_well_formed() {
        let l = bundled();
        assert!(l.entries().len() >= 15);
        for e in l.entries() {
            assert!(!e.sources.is_empty(), "{}", e.id);
            assert!(is_date(&e.as_of), "{}", e.id);
            assert!(
                e.openalex.iter().all(|i| valid_openalex_funder(i)),
                "{}",
                e.id
            );
            assert!(
                e.crossref.iter().all(|i| valid_crossref_funder(i)),
                "{}",
                e.id
            );
        }
        assert!(l
            .entries()
            .iter()
            .any(|e| e.category == FunderCategory::TalentProgramme));
        assert!(!l.civilian().is_empty());
    }

    #[test]
    fn bundled_ids_are_unique_across_both_tables() {
        let l = bundled();
        let mut ids: Vec<&str> = l.entries().iter().map(|e| e.id.as_str()).collect();
        ids.extend(l.civilian().iter().map(|c| c.id.as_str()));
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn no_alias_is_both_of_concern_and_civilian() {
        let l = bundled();
        let norm = |s: &str| s.to_lowercase();
        let civ: std::collections::HashSet<String> = l
            .civilian()
            .iter()
            .flat_map(|c| std::iter::once(&c.name).chain(&c.aliases))
            .map(|s| norm(s))
            .collect();
        for e in l.entries() {
            for a in std::iter::once(&e.name).chain(&e.aliases) {
                assert!(!civ.contains(&norm(a)), "{}: '{a}' is also civilian", e.id);
            }
        }
    }

    #[test]
    fn bad_rows_are_named_by_file_line_and_column() {
        let header = "id,name,name_original,aliases,category,country,level,openalex,crossref,award_prefixes,sources,as_of,note\n";
        let civ = (
            "c.csv",
            "id,name,name_original,aliases,country,sources,note\n",
        );
        let sp = ("s.csv", "variant,canonical,note\n");
        let row = |f: &str| format!("{header}{f}\n");
        let cases = [
            (
                "x,X,,,defence_funder,CN,high,G12,,,https://a.b/,2026-01-01,",
                "openalex",
            ),
            (
                "x,X,,,defence_funder,CN,high,,10.1000/1,,https://a.b/,2026-01-01,",
                "crossref",
            ),
            ("x,X,,,army,CN,high,,,,https://a.b/,2026-01-01,", "category"),
            ("x,X,,,defence_funder,CN,high,,,,,2026-01-01,", "sources"),
            (
                "x,X,,,defence_funder,CN,high,,,,https://a.b/,2026,",
                "as_of",
            ),
            (
                "x,X,,,defence_funder,CN,severe,,,,https://a.b/,2026-01-01,",
                "level",
            ),
        ];
        for (r, col) in cases {
            let text = row(r);
            let err = FunderList::parse(("f.csv", &text), civ, sp)
                .unwrap_err()
                .to_string();
            assert!(err.contains("f.csv: line 2") && err.contains(col), "{err}");
        }
        let twice = format!(
            "{header}x,X,,,defence_funder,CN,high,,,,https://a.b/,2026-01-01,\nx,Y,,,defence_funder,CN,high,,,,https://a.b/,2026-01-01,\n"
        );
        let err = FunderList::parse(("f.csv", &twice), civ, sp)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("twice"), "{err}");
    }
}
