//! `risklist import`: turns an official download an office fetched itself
//! (the US Consolidated Screening List, CSV or JSON) into rows of the
//! `--extra-list` schema, so designations can be refreshed between releases.
//!
//! Pure: bytes in, rows and problems out. Every input row ends up either as an
//! output row, in a counted filter reason, or in a problem naming its line.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::entry::ListedDate;
use super::{RiskEntry, RiskList};

/// Words that mark a research-performing organisation (`--research-only`).
const RESEARCH_WORDS: &str = include_str!("../../data/research-words.txt");
/// CSL source name (its abbreviation in brackets) -> default list id.
const CSL_SOURCES: &str = include_str!("../../data/csl-sources.csv");

/// The columns of the extra-list schema, as in `data/risk-institutions.csv`.
pub const COLUMNS: [&str; 16] = [
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
];

/// The download's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The CSL as CSV (`consolidated.csv`).
    CslCsv,
    /// The CSL as JSON (`consolidated.json`: `{"results": [...]}`).
    CslJson,
}

impl Format {
    /// Guesses the format from the first non-blank byte: `{` or `[` is JSON.
    pub fn detect(bytes: &[u8]) -> Self {
        let first = bytes
            .iter()
            .copied()
            .find(|b| !(b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF)));
        if matches!(first, Some(b'{' | b'[')) {
            Self::CslJson
        } else {
            Self::CslCsv
        }
    }
}

/// What to keep and how to label it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// List id for every membership; `None`: the default for each CSL source.
    pub list: Option<String>,
    /// Keep rows with an address in one of these countries (ISO codes); empty: all.
    pub countries: Vec<String>,
    /// Keep only names with a research word (`data/research-words.txt`).
    pub research_only: bool,
}

/// One output row, in the extra-list schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The column values, in [`COLUMNS`] order.
    pub cells: [String; 16],
    /// The input line (CSV) or result number (JSON, 1-based) it came from.
    pub line: u64,
}

impl Row {
    /// The slugged id.
    pub fn id(&self) -> &str {
        &self.cells[0]
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.cells[1]
    }
}

/// A row that could not be converted: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Input line (CSV) or result number (JSON).
    pub line: u64,
    /// The row's name, when it has one.
    pub name: String,
    /// Why it was not converted.
    pub reason: String,
}

/// The result of an import.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Converted rows, in input order.
    pub rows: Vec<Row>,
    /// Rows left out on purpose, counted by reason (individuals, other countries...).
    pub filtered: BTreeMap<String, usize>,
    /// Rows that could not be converted.
    pub problems: Vec<Problem>,
    /// Rows read.
    pub read: usize,
}

impl Outcome {
    /// The converted rows as an `--extra-list` file: the header, then a row each.
    pub fn to_csv(&self) -> std::io::Result<String> {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(COLUMNS)?;
        for row in &self.rows {
            w.write_record(&row.cells)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        String::from_utf8(bytes).map_err(std::io::Error::other)
    }

    /// The converted rows (as `converted`, the output loaded as an extra
    /// list) whose name is an entry of `bundled` by name or alias, as
    /// `imported-id = bundled-id`: both will match, which the office should know.
    pub fn also_bundled(&self, converted: &RiskList, bundled: &RiskList) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|r| {
                let e = &converted.entries()[converted.index_of(r.id())?];
                bundled
                    .entries()
                    .iter()
                    .find(|b| b.origin == "bundled" && same_name(b, &e.name))
                    .map(|b| format!("{} = {}", r.id(), b.id))
            })
            .collect()
    }

    /// One line for people: rows read, converted, not converted, left out by
    /// reason, and the file written (`None`: stdout).
    pub fn summary(&self, file: &str, wrote: Option<&std::path::Path>) -> String {
        let filtered: Vec<String> = self
            .filtered
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        format!(
            "{file}: {} rows read, {} converted, {} not converted{}{}",
            self.read,
            self.rows.len(),
            self.problems.len(),
            if filtered.is_empty() {
                String::new()
            } else {
                format!(", left out: {}", filtered.join(", "))
            },
            match wrote {
                Some(p) => format!("; wrote {}", p.display()),
                None => String::new(),
            }
        )
    }
}

impl Problem {
    /// The warning for this row of `file`: its line (CSV) or result (JSON)
    /// number, why it was not converted, and its name when it has one.
    pub fn message(&self, file: &str, format: Format) -> String {
        format!(
            "{file}: {} {}: not converted: {}{}",
            if matches!(format, Format::CslJson) {
                "result"
            } else {
                "line"
            },
            self.line,
            self.reason,
            if self.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.name)
            }
        )
    }
}

/// True when the name is the entry's name or one of its aliases (case-blind).
fn same_name(entry: &RiskEntry, name: &str) -> bool {
    let n = name.to_lowercase();
    entry.name.to_lowercase() == n || entry.aliases.iter().any(|a| a.to_lowercase() == n)
}

/// A CSL record, from either format.
#[derive(Debug, Default)]
struct Record {
    source: String,
    kind: String,
    name: String,
    /// `(address text, country code)`.
    addresses: Vec<(String, String)>,
    federal_register_notice: String,
    start_date: String,
    source_list_url: String,
    alt_names: Vec<String>,
    csl_id: String,
}

#[derive(Debug, Deserialize)]
struct CsvRecord {
    #[serde(rename = "_id", default)]
    id: String,
    source: String,
    #[serde(rename = "type", default)]
    kind: String,
    name: String,
    #[serde(default)]
    addresses: String,
    #[serde(default)]
    federal_register_notice: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    source_list_url: String,
    #[serde(default)]
    alt_names: String,
}

#[derive(Debug, Deserialize)]
struct JsonDoc {
    results: Vec<serde_json::Value>,
}

/// Errors that make the whole file unusable (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Not CSV in the CSL layout.
    #[error("line {line}: {message}")]
    Csv {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// Not JSON in the CSL layout.
    #[error("{0}")]
    Json(String),
}

/// Converts a CSL download.
pub fn convert(bytes: &[u8], format: Format, opts: &Options) -> Result<Outcome, ImportError> {
    let records = match format {
        Format::CslCsv => read_csv(bytes)?,
        Format::CslJson => read_json(bytes)?,
    };
    let research = research_words();
    let sources = csl_sources();
    let mut out = Outcome {
        read: records.len(),
        ..Outcome::default()
    };
    let mut ids = HashSet::new();
    for (line, rec) in records {
        let skip = |out: &mut Outcome, reason: &str| {
            *out.filtered.entry(reason.to_owned()).or_default() += 1;
        };
        if rec.name.trim().is_empty() {
            out.problems.push(Problem {
                line,
                name: String::new(),
                reason: "no name".into(),
            });
            continue;
        }
        if rec.kind.eq_ignore_ascii_case("individual") || rec.kind.eq_ignore_ascii_case("vessel") {
            skip(&mut out, &format!("type {}", rec.kind.to_ascii_lowercase()));
            continue;
        }
        if opts.research_only && !has_research_word(&rec.name, &research) {
            skip(&mut out, "no research word in the name (--research-only)");
            continue;
        }
        let countries: Vec<&str> = rec
            .addresses
            .iter()
            .map(|(_, c)| c.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        let country = if opts.countries.is_empty() {
            most_frequent(&countries)
        } else {
            countries
                .iter()
                .copied()
                .find(|c| opts.countries.iter().any(|w| w.eq_ignore_ascii_case(c)))
        };
        let Some(country) = country else {
            if countries.is_empty() {
                out.problems.push(Problem {
                    line,
                    name: rec.name.clone(),
                    reason: "no country in its addresses (the extra list needs one)".into(),
                });
            } else {
                skip(&mut out, "no address in the --country countries");
            }
            continue;
        };
        let list = match &opts.list {
            Some(l) => l.clone(),
            None => default_list(&rec.source, &sources),
        };
        let date_raw = rec.start_date.trim();
        let date = if date_raw.is_empty() {
            "unknown".to_owned()
        } else {
            match ListedDate::parse(date_raw) {
                Ok(_) => date_raw.to_owned(),
                Err(e) => {
                    out.problems.push(Problem {
                        line,
                        name: rec.name.clone(),
                        reason: format!("start_date: {e}"),
                    });
                    continue;
                }
            }
        };
        let notices: Vec<&str> = split_semi(&rec.federal_register_notice).collect();
        let membership = match notices.first() {
            Some(fr) => format!("{list}:{}@{date}", fr.replace([':', '@'], " ")),
            None => format!("{list}@{date}"),
        };
        let mut sources_cell = Vec::new();
        if rec.source_list_url.starts_with("https://") || rec.source_list_url.starts_with("http://")
        {
            sources_cell.push(rec.source_list_url.trim().to_owned());
        }
        for fr in &notices {
            if let Some(url) = fr_url(fr) {
                sources_cell.push(url);
            }
        }
        if sources_cell.is_empty() {
            out.problems.push(Problem {
                line,
                name: rec.name.clone(),
                reason: "no source_list_url or Federal Register notice to cite".into(),
            });
            continue;
        }
        let name = clean(&rec.name);
        let (mut aliases, mut acronyms) = (Vec::<String>::new(), Vec::<String>::new());
        for alt in &rec.alt_names {
            let alt = clean(alt);
            if alt.is_empty() || alt.eq_ignore_ascii_case(&name) {
                continue;
            }
            let target = if is_acronym(&alt) {
                &mut acronyms
            } else {
                &mut aliases
            };
            if !target.iter().any(|a| a.eq_ignore_ascii_case(&alt)) {
                target.push(alt);
            }
        }
        let mut id = format!("csl-{}", slug(&name));
        if id == "csl-" {
            id = format!("csl-row-{line}");
        }
        let base = id.clone();
        let mut n = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let mut note = format!(
            "Imported from the Consolidated Screening List: {}",
            rec.source.trim()
        );
        if !rec.csl_id.is_empty() {
            note.push_str(&format!(", CSL id {}", rec.csl_id.trim()));
        }
        if notices.len() > 1 {
            note.push_str(&format!(", notices {}", notices.join(", ")));
        }
        let others: Vec<&str> = {
            let mut o: Vec<&str> = countries
                .iter()
                .copied()
                .filter(|c| *c != country)
                .collect();
            o.sort_unstable();
            o.dedup();
            o
        };
        if !others.is_empty() {
            note.push_str(&format!(", also addresses in {}", others.join(", ")));
        }
        let cells = [
            id,
            name,
            String::new(),
            aliases.join("; "),
            acronyms.join("; "),
            String::new(),
            country.to_ascii_uppercase(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            membership,
            String::new(),
            sources_cell.join("; "),
            note.replace(';', ","),
        ];
        out.rows.push(Row { cells, line });
    }
    Ok(out)
}

fn read_csv(bytes: &[u8]) -> Result<Vec<(u64, Record)>, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::Reader::from_reader(bytes);
    let headers = rdr.headers().map_err(|e| ImportError::Csv {
        line: 1,
        message: e.to_string(),
    })?;
    for col in ["source", "name", "addresses", "alt_names"] {
        if !headers.iter().any(|h| h == col) {
            return Err(ImportError::Csv {
                line: 1,
                message: format!("no '{col}' column: not a Consolidated Screening List CSV"),
            });
        }
    }
    let headers = headers.clone();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ImportError::Csv {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let r: CsvRecord = rec
            .deserialize(Some(&headers))
            .map_err(|e| ImportError::Csv {
                line,
                message: e.to_string(),
            })?;
        out.push((
            line,
            Record {
                source: r.source,
                kind: r.kind,
                name: r.name,
                addresses: split_semi(&r.addresses)
                    .map(|a| (a.to_owned(), address_country(a)))
                    .collect(),
                federal_register_notice: r.federal_register_notice,
                start_date: r.start_date,
                source_list_url: r.source_list_url,
                alt_names: split_semi(&r.alt_names).map(str::to_owned).collect(),
                csl_id: r.id,
            },
        ));
    }
    Ok(out)
}

fn read_json(bytes: &[u8]) -> Result<Vec<(u64, Record)>, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let results: Vec<serde_json::Value> = match serde_json::from_slice::<JsonDoc>(bytes) {
        Ok(doc) => doc.results,
        Err(_) => serde_json::from_slice::<Vec<serde_json::Value>>(bytes).map_err(|e| {
            ImportError::Json(format!(
                "not the Consolidated Screening List JSON (an object with 'results', or an array): {e}"
            ))
        })?,
    };
    let text = |v: &serde_json::Value, k: &str| -> String {
        match v.get(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(serde_json::Value::as_str)
                .collect::<Vec<_>>()
                .join("; "),
            _ => String::new(),
        }
    };
    let mut out = Vec::new();
    for (i, v) in results.iter().enumerate() {
        let addresses = match v.get("addresses") {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .map(|addr| match addr {
                    serde_json::Value::String(s) => (s.clone(), address_country(s)),
                    other => {
                        let parts: Vec<String> = ["address", "city", "state", "postal_code"]
                            .iter()
                            .map(|k| text(other, k))
                            .filter(|s| !s.is_empty())
                            .collect();
                        (parts.join(", "), text(other, "country").trim().to_owned())
                    }
                })
                .collect(),
            Some(serde_json::Value::String(s)) => split_semi(s)
                .map(|a| (a.to_owned(), address_country(a)))
                .collect(),
            _ => Vec::new(),
        };
        let alt_names = match v.get("alt_names") {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(serde_json::Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(serde_json::Value::String(s)) => split_semi(s).map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        out.push((
            i as u64 + 1,
            Record {
                source: text(v, "source"),
                kind: text(v, "type"),
                name: text(v, "name"),
                addresses,
                federal_register_notice: text(v, "federal_register_notice"),
                start_date: text(v, "start_date"),
                source_list_url: text(v, "source_list_url"),
                alt_names,
                csl_id: {
                    let id = text(v, "id");
                    if id.is_empty() {
                        text(v, "_id")
                    } else {
                        id
                    }
                },
            },
        ));
    }
    Ok(out)
}

fn split_semi(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|p| !p.is_empty())
}

/// The CSL writes each address as `street, city, ..., CC`.
fn address_country(a: &str) -> String {
    let last = a.rsplit(',').next().unwrap_or("").trim();
    if last.len() == 2 && last.bytes().all(|b| b.is_ascii_uppercase()) {
        last.to_owned()
    } else {
        String::new()
    }
}

fn most_frequent<'a>(codes: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for c in codes {
        let n = codes.iter().filter(|d| *d == c).count();
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((c, n));
        }
    }
    best.map(|(c, _)| c)
}

/// `90 FR 560` -> the Federal Register's citation URL.
fn fr_url(notice: &str) -> Option<String> {
    let parts: Vec<&str> = notice.split_whitespace().collect();
    match parts.as_slice() {
        [vol, "FR", page]
            if vol.bytes().all(|b| b.is_ascii_digit())
                && page.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(format!(
                "https://www.federalregister.gov/citation/{vol}-FR-{page}"
            ))
        }
        _ => None,
    }
}

/// Trims, collapses spaces, and drops the list separator.
fn clean(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(';', ",")
}

/// Short all-capital alternate names are acronyms (weak), not aliases.
fn is_acronym(s: &str) -> bool {
    (2..=8).contains(&s.chars().count())
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '&')
}

/// Lowercase ASCII slug: letters and digits joined by single dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.nfkd() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if !unicode_normalization::char::is_combining_mark(c) {
            dash = true;
        }
    }
    out.truncate(80);
    out.trim_end_matches('-').to_owned()
}

fn research_words() -> Vec<Vec<String>> {
    RESEARCH_WORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

fn has_research_word(name: &str, words: &[Vec<String>]) -> bool {
    let tokens: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric() && c != '&')
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.iter().any(|w| {
        tokens
            .windows(w.len())
            .any(|win| win.iter().zip(w).all(|(a, b)| a == b))
    })
}

/// `(abbreviation, list id)` pairs from `data/csl-sources.csv`.
fn csl_sources() -> Vec<(String, String)> {
    CSL_SOURCES
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.split(',');
            Some((it.next()?.trim().to_owned(), it.next()?.trim().to_owned()))
        })
        .collect()
}

/// The list id for a CSL source such as `Entity List (EL) - Bureau of Industry and Security`.
fn default_list(source: &str, table: &[(String, String)]) -> String {
    let abbrev = source
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(a, _)| a.trim().to_owned())
        .unwrap_or_default();
    table
        .iter()
        .find(|(a, _)| *a == abbrev)
        .map(|(_, l)| l.clone())
        .unwrap_or_else(|| {
            let s = slug(if abbrev.is_empty() { source } else { &abbrev });
            format!("us_csl_{}", s.replace('-', "_"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_and_source_tables_are_well_formed() {
        let words = research_words();
        assert!(words.len() >= 10);
        let mut seen = HashSet::new();
        for w in &words {
            let joined = w.join(" ");
            assert_eq!(
                joined,
                joined.to_lowercase(),
                "research words are lowercase"
            );
            assert!(
                seen.insert(joined.clone()),
                "duplicate research word {joined}"
            );
        }
        let sources = csl_sources();
        assert!(sources
            .iter()
            .any(|(a, l)| a == "EL" && l == "us_entity_list"));
        let ids: HashSet<&str> = sources.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(ids.len(), sources.len(), "one list id per CSL source");
        for (_, l) in &sources {
            assert!(
                l.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{l}"
            );
        }
    }

    #[test]
    fn addresses_give_their_country_and_notices_their_url() {
        assert_eq!(address_country("3888 E Nanhu Road, Changchun, CN"), "CN");
        assert_eq!(address_country("Havana"), "");
        assert_eq!(
            fr_url("90 FR 560").as_deref(),
            Some("https://www.federalregister.gov/citation/90-FR-560")
        );
        assert_eq!(fr_url("see notice"), None);
        assert_eq!(slug("Ji Hua Laboratory (JHL)"), "ji-hua-laboratory-jhl");
        assert_eq!(slug("Jülich — Institut"), "julich-institut");
        assert!(is_acronym("CIOMP") && !is_acronym("Ji Hua Lab") && !is_acronym("Mytel"));
        let words = research_words();
        assert!(has_research_word("Ji Hua Laboratory", &words));
        assert!(!has_research_word(
            "Chengdu RML Technology Co., Ltd.",
            &words
        ));
    }

    #[test]
    fn json_and_csv_detection() {
        assert_eq!(Format::detect(b"  {\"results\": []}"), Format::CslJson);
        assert_eq!(Format::detect(b"_id,source,name"), Format::CslCsv);
    }
}
