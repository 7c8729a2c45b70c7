//! The effective list written out: `risklist --format json` and `--format csv`
//! (the extra-list schema plus the effective level and the row's origin), to
//! any writer. The table for people is in `output::risklist`.

use std::io::{self, Write};

use serde::Serialize;

use super::import::COLUMNS;
use super::{ListKind, RiskLevel, RiskList};
use crate::output::sanitize::csv_cell;

/// The columns `risklist --format csv` adds to the data file's own
/// ([`COLUMNS`], the extra-list schema): the effective level and where the
/// row came from.
const CSV_EXTRA_COLUMNS: [&str; 2] = ["risk_level", "origin"];

/// `risklist --format json`: the list's version and hash, then the entries.
#[derive(Debug, Serialize)]
struct ListDocJson<'a> {
    version: &'a str,
    hash: &'a str,
    entries: Vec<EntryJson<'a>>,
}

/// One entry of `risklist --format json`.
#[derive(Debug, Serialize)]
struct EntryJson<'a> {
    id: &'a str,
    name: &'a str,
    name_original: &'a str,
    aliases: &'a [String],
    acronyms: Vec<&'a str>,
    ror: Option<&'a str>,
    openalex: Option<&'a str>,
    parent: Option<&'a str>,
    country: &'a str,
    city: &'a str,
    risk_level: RiskLevel,
    lists: Vec<ListJson<'a>>,
    categories: &'a [String],
    sources: &'a [String],
    note: &'a str,
    origin: &'a str,
}

/// One membership of an entry in `risklist --format json`.
#[derive(Debug, Serialize)]
struct ListJson<'a> {
    list: &'a str,
    kind: ListKind,
    detail: Option<&'a str>,
    date: &'a str,
}

/// Writes the list as one pretty-printed JSON document and a newline.
pub fn write_json(list: &RiskList, out: &mut impl Write) -> io::Result<()> {
    let entries: Vec<EntryJson<'_>> = list
        .entries()
        .iter()
        .map(|e| EntryJson {
            id: &e.id,
            name: &e.name,
            name_original: &e.name_original,
            aliases: &e.aliases,
            acronyms: e.acronyms.iter().map(|a| a.text.as_str()).collect(),
            ror: e.ror.as_deref(),
            openalex: e.openalex.as_deref(),
            parent: e.parent.as_deref(),
            country: &e.country,
            city: &e.city,
            risk_level: e.risk_level,
            lists: e
                .memberships
                .iter()
                .map(|m| ListJson {
                    list: &m.list,
                    kind: list.list_info(&m.list).kind,
                    detail: m.detail.as_deref(),
                    date: &m.date.raw,
                })
                .collect(),
            categories: &e.categories,
            sources: &e.sources,
            note: &e.note,
            origin: &e.origin,
        })
        .collect();
    let doc = ListDocJson {
        version: list.version(),
        hash: list.hash(),
        entries,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Writes the list in the extra-list schema (so the output loads back as an
/// `--extra-list`), with the effective level and the origin last; cells
/// that a spreadsheet would run as a formula are defused.
pub fn write_csv(list: &RiskList, out: &mut impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS.iter().chain(&CSV_EXTRA_COLUMNS))?;
    for e in list.entries() {
        let acronyms: Vec<String> = e
            .acronyms
            .iter()
            .map(|a| {
                if a.strong {
                    format!("!{}", a.text)
                } else {
                    a.text.clone()
                }
            })
            .collect();
        let compound: Vec<String> = e.compounds.iter().map(|c| c.join(" + ")).collect();
        let lists: Vec<String> = e
            .memberships
            .iter()
            .map(|m| match &m.detail {
                Some(d) => format!("{}:{}@{}", m.list, d, m.date.raw),
                None => format!("{}@{}", m.list, m.date.raw),
            })
            .collect();
        let row = [
            e.id.clone(),
            e.name.clone(),
            e.name_original.clone(),
            e.aliases.join("; "),
            acronyms.join("; "),
            compound.join("; "),
            e.country.clone(),
            e.city.clone(),
            e.parent.clone().unwrap_or_default(),
            e.ror.clone().unwrap_or_default(),
            e.openalex.clone().unwrap_or_default(),
            if e.needs_country {
                "country".into()
            } else {
                String::new()
            },
            lists.join("; "),
            e.categories.join("; "),
            e.sources.join("; "),
            e.note.clone(),
            e.risk_level.as_str().into(),
            e.origin.clone(),
        ];
        w.write_record(row.iter().map(|c| csv_cell(c).into_owned()))?;
    }
    w.flush()
}
