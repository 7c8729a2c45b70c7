//! `coscreen risklist`: the effective list as a table, CSV or JSON.

use std::io::Write;

use serde::Serialize;

use crate::cli::{ListFormat, RisklistArgs};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::output::sanitize::csv_cell;
use crate::output::Printer;
use crate::risklist::{ListKind, RiskLevel, RiskList};

/// Columns of `risklist --format csv`: the data file's columns plus the
/// effective level and where the row came from.
const CSV_COLUMNS: [&str; 18] = [
    "id",
    "name",
    "name_original",
    "aliases",
    "acronyms",
    "compound",
    "country",
    "city",
    "parent",
    "ror",
    "openalex",
    "context",
    "lists",
    "categories",
    "sources",
    "note",
    "risk_level",
    "origin",
];

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

/// `risklist --format json`: the list's version and hash, then the entries.
#[derive(Debug, Serialize)]
struct ListDocJson<'a> {
    version: &'a str,
    hash: &'a str,
    entries: Vec<EntryJson<'a>>,
}

#[derive(Debug, Serialize)]
struct ListJson<'a> {
    list: &'a str,
    kind: ListKind,
    detail: Option<&'a str>,
    date: &'a str,
}

pub(crate) fn run(
    args: &RisklistArgs,
    list: &RiskList,
    _printer: &Printer,
) -> Result<ExitStatus, Error> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
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
            serde_json::to_writer_pretty(&mut out, &doc).map_err(|e| Error::Output(e.into()))?;
            writeln!(out).map_err(Error::Output)?;
        }
        ListFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(CSV_COLUMNS)
                .map_err(|e| Error::Output(e.into()))?;
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
                w.write_record(row.iter().map(|c| csv_cell(c).into_owned()))
                    .map_err(|e| Error::Output(e.into()))?;
            }
            w.flush().map_err(Error::Output)?;
        }
        ListFormat::Table => {
            writeln!(out, "{:<11} {:<3} {:<46} LISTS", "LEVEL", "CC", "NAME")
                .map_err(Error::Output)?;
            for e in list.entries() {
                let mut tags = e.list_tags();
                tags.dedup();
                let name: String = e.name.chars().take(46).collect();
                writeln!(
                    out,
                    "{:<11} {:<3} {:<46} {}",
                    e.risk_level.as_str(),
                    e.country,
                    name,
                    tags.join(", ")
                )
                .map_err(Error::Output)?;
            }
            let by_level =
                |l: RiskLevel| list.entries().iter().filter(|e| e.risk_level == l).count();
            writeln!(
                out,
                "{} entries: {} very_high, {} high, {} medium, {} low (risk list {}, hash {})",
                list.entries().len(),
                by_level(RiskLevel::VeryHigh),
                by_level(RiskLevel::High),
                by_level(RiskLevel::Medium),
                by_level(RiskLevel::Low),
                list.version(),
                list.hash()
            )
            .map_err(Error::Output)?;
        }
    }
    out.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}
