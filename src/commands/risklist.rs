//! `coscreen risklist`: the effective list as a table, CSV or JSON.

use std::io::Write;

use serde::Serialize;

use crate::cli::{ImportArgs, ImportFormat, ListFormat, RisklistArgs};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::output::sanitize::csv_cell;
use crate::output::Printer;
use crate::risklist::{ListKind, RiskLevel, RiskList};

/// The columns `risklist --format csv` adds to the data file's own
/// (`risklist::import::COLUMNS`, the extra-list schema): the effective level
/// and where the row came from.
const CSV_EXTRA_COLUMNS: [&str; 2] = ["risk_level", "origin"];

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
            w.write_record(
                crate::risklist::import::COLUMNS
                    .iter()
                    .chain(&CSV_EXTRA_COLUMNS),
            )
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

/// `coscreen risklist import FILE`: an official download to an `--extra-list` file.
pub(crate) fn import(
    args: &ImportArgs,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    use crate::risklist::import::{self, Format, Options};
    let bytes = std::fs::read(&args.file).map_err(|source| Error::Input {
        path: args.file.clone(),
        source,
    })?;
    let format = match args.from {
        Some(ImportFormat::CslCsv) => Format::CslCsv,
        Some(ImportFormat::CslJson) => Format::CslJson,
        None => Format::detect(&bytes),
    };
    for c in &args.countries {
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::Usage(format!(
                "--country {c}: give an ISO 3166-1 alpha-2 code such as CN"
            )));
        }
    }
    let opts = Options {
        list: args.list.clone(),
        countries: args
            .countries
            .iter()
            .map(|c| c.to_ascii_uppercase())
            .collect(),
        research_only: args.research_only,
    };
    let file = args.file.display().to_string();
    let outcome =
        import::convert(&bytes, format, &opts).map_err(|e| Error::Usage(format!("{file}: {e}")))?;

    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(import::COLUMNS)
        .map_err(|e| Error::Output(e.into()))?;
    for row in &outcome.rows {
        w.write_record(&row.cells)
            .map_err(|e| Error::Output(e.into()))?;
    }
    let text = w
        .into_inner()
        .map_err(|e| Error::Output(std::io::Error::other(e.to_string())))?;
    let text = String::from_utf8(text).map_err(|e| Error::Output(std::io::Error::other(e)))?;
    // The file must load as an extra list beside the bundled one: check now,
    // not at the office's next screen.
    let out_name = args
        .out
        .as_ref()
        .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
    let check = RiskList::build(&[(out_name.clone(), text.clone())])?;

    for p in &outcome.problems {
        printer.warn(&format!(
            "{file}: {} {}: not converted: {}{}",
            if matches!(format, Format::CslJson) {
                "result"
            } else {
                "line"
            },
            p.line,
            p.reason,
            if p.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", p.name)
            }
        ));
    }
    let in_bundled: Vec<String> = outcome
        .rows
        .iter()
        .filter_map(|r| {
            let extra = check.index_of(r.id())?;
            let e = &check.entries()[extra];
            list.entries()
                .iter()
                .find(|b| b.origin == "bundled" && same_name(b, &e.name))
                .map(|b| format!("{} = {}", r.id(), b.id))
        })
        .collect();
    if !in_bundled.is_empty() {
        printer.warn(&format!(
            "{} imported name(s) are also bundled entries (both will match): {}",
            in_bundled.len(),
            in_bundled.join(", ")
        ));
    }
    let filtered: Vec<String> = outcome
        .filtered
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    printer.summary(&format!(
        "{file}: {} rows read, {} converted, {} not converted{}{}",
        outcome.read,
        outcome.rows.len(),
        outcome.problems.len(),
        if filtered.is_empty() {
            String::new()
        } else {
            format!(", left out: {}", filtered.join(", "))
        },
        match &args.out {
            Some(p) => format!("; wrote {}", p.display()),
            None => String::new(),
        }
    ));
    match &args.out {
        Some(p) => std::fs::write(p, text.as_bytes()).map_err(Error::Output)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).map_err(Error::Output)?;
            out.flush().map_err(Error::Output)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// True when the name is the entry's name or one of its aliases (case-blind).
fn same_name(entry: &crate::risklist::RiskEntry, name: &str) -> bool {
    let n = name.to_lowercase();
    entry.name.to_lowercase() == n || entry.aliases.iter().any(|a| a.to_lowercase() == n)
}
