//! The risk-list files row by row: the CSV schemas of `risk-lists.csv`,
//! `risk-institutions.csv` (and every `--extra-list`), `known-institutions.csv`
//! and `VERSION`, each row validated into its value with an error naming
//! file, line and column. Linking the rows into a list is [`super::load`].

use std::collections::HashSet;

use serde::Deserialize;

use super::entry::{
    Acronym, KnownInstitution, ListInfo, ListKind, Membership, RiskEntry, RiskLevel,
};
use super::error::Error;
use super::ids::{valid_openalex_institution, valid_ror};

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

pub(super) fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|p| !p.is_empty())
}

/// The version file: one `YYYY-MM-DD` date.
pub(super) fn parse_version(path: &str, text: &str) -> Result<String, Error> {
    let v = text.trim();
    if !is_date_shaped(v) {
        return Err(Error::bad_field(
            path,
            1,
            "version",
            format!("'{v}' is not a YYYY-MM-DD date"),
        ));
    }
    Ok(v.to_owned())
}

/// `YYYY-MM-DD` in shape: ten characters, digits with `-` at 4 and 7.
pub(super) fn is_date_shaped(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Checks a country column: an ISO 3166-1 alpha-2 code in upper case.
pub(super) fn check_country(country: &str) -> Result<(), String> {
    if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!("'{country}' is not an ISO 3166-1 alpha-2 code"))
    }
}

/// An optional id column: empty is none, else it must pass `valid`; the
/// error shows the expected form by `example`.
fn optional_id(
    value: &str,
    valid: fn(&str) -> bool,
    example: &str,
) -> Result<Option<String>, String> {
    match value.trim() {
        "" => Ok(None),
        v if valid(v) => Ok(Some(v.to_owned())),
        v => Err(format!("'{v}' is not {example}")),
    }
}

fn line_of(rec: &csv::StringRecord) -> u64 {
    rec.position().map_or(0, |p| p.line())
}

/// Reads every row of a CSV into `T`, with its 1-based line; checks that the
/// header has the `required` columns. One place for the error context.
pub(super) fn read_rows<T: serde::de::DeserializeOwned>(
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
            return Err(Error::bad_field(
                path,
                1,
                "header",
                format!("missing column '{column}'; the header must follow the bundled file of the same kind in data/"),
            ));
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

pub(super) fn parse_lists(path: &str, text: &str) -> Result<Vec<ListInfo>, Error> {
    let mut out = Vec::new();
    for (line, raw) in read_rows::<RawList>(path, text, &["id", "kind", "url"])? {
        let bad = |column, message: String| Error::bad_field(path, line, column, message);
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
pub(super) fn parse_entries(
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
                    return Err(Error::bad_field(path, line, "lists", format!(
                            "unknown risk level '{d}' for the office list '{}' (very_high, high, medium or low; a citation detail carries a number, e.g. 85 FR 83799)",
                            m.list
                        )));
                }
            }
        }
        out.push(e);
    }
    Ok(out)
}

fn entry_from_raw(raw: RawEntry, path: &str, line: u64, origin: &str) -> Result<RiskEntry, Error> {
    let bad = |column, message: String| Error::bad_field(path, line, column, message);
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
    check_country(&country).map_err(|m| bad("country", m))?;
    let ror = optional_id(
        &raw.ror,
        valid_ror,
        "a ROR id like https://ror.org/01yqg2h08",
    )
    .map_err(|m| bad("ror", m))?;
    let openalex = optional_id(
        &raw.openalex,
        valid_openalex_institution,
        "an OpenAlex institution id like https://openalex.org/I204983213",
    )
    .map_err(|m| bad("openalex", m))?;
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

pub(super) fn parse_known(path: &str, text: &str) -> Result<Vec<KnownInstitution>, Error> {
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
