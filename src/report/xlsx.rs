//! `report.xlsx`: the workbook an office opens. Sheets Flagged papers,
//! Institutions, Universities (the CSV tables), Coverage and Run (the run
//! header). Header row frozen, filters on, open papers shaded by tier, DOI
//! and OpenAlex links. Every cell is written with its type: text through
//! `write_string` (a title that begins with `=` stays text, never a
//! formula), counts and years as numbers.

use rust_xlsxwriter::{Color, Format, FormatBorder, Url, Workbook, Worksheet, XlsxError};

use super::model::Report;
use super::table::Table;
use crate::error::Error;

/// Excel's cell text limit; longer text is cut with a note saying where the rest is.
const MAX_CELL: usize = 32_767;
/// Excel's hyperlink limit per worksheet.
const MAX_LINKS: usize = 65_530;
/// Excel's row limit, header included.
const MAX_ROWS: usize = 1_048_576;

/// Fill colours by tier, lighter versions of the HTML chart's colours.
const TIER_FILL: [u32; 4] = [0xF4C7C3, 0xFCE0CF, 0xFEF1E6, 0xE3EEF6];

/// The workbook as bytes.
pub fn render(r: &Report) -> Result<Vec<u8>, Error> {
    build(r).map_err(|e| Error::Output(std::io::Error::other(format!("report.xlsx: {e}"))))
}

fn build(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF4F4F4))
        .set_border_bottom(FormatBorder::Thin);
    let link = Format::new()
        .set_font_color(Color::RGB(0x1F4E99))
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    let mut truncated: Vec<String> = Vec::new();

    // Flagged papers: tier shading on open rows, links on work id and DOI.
    let papers = r.papers_table();
    let ws = wb.add_worksheet();
    ws.set_name("Flagged papers")?;
    let tier_col = col(&papers, "tier");
    let status_col = col(&papers, "status");
    let fills: Vec<Format> = TIER_FILL
        .iter()
        .map(|c| Format::new().set_background_color(Color::RGB(*c)))
        .collect();
    let plain = Format::new();
    // Links keep their row's shading.
    let links: Vec<Format> = TIER_FILL
        .iter()
        .map(|c| link.clone().set_background_color(Color::RGB(*c)))
        .collect();
    let shade = |row: &[String]| -> Option<usize> {
        match row[tier_col].parse::<usize>() {
            Ok(t @ 1..=4) if row[status_col] == "open" => Some(t - 1),
            _ => None,
        }
    };
    write_table(
        ws,
        &papers,
        &["year", "tier"],
        &header,
        "papers.csv",
        &mut truncated,
        |row| match shade(row) {
            Some(t) => &fills[t],
            None => &plain,
        },
    )?;
    let (id_col, doi_col) = (col(&papers, "work_id"), col(&papers, "doi"));
    // Excel opens at most 65,530 hyperlinks per sheet: the first papers
    // (most serious first) get links, the rest keep their ids as text.
    let mut budget = MAX_LINKS;
    for (i, row) in papers.rows.iter().enumerate().take(MAX_ROWS - 1) {
        if budget < 2 {
            truncated.push(format!(
                "Flagged papers: links stop at row {} (Excel's limit of {MAX_LINKS} links per sheet); ids and DOIs below are text",
                i + 1
            ));
            break;
        }
        budget -= 2;
        let n = row_num(i + 1);
        let link = shade(row).map_or(&link, |t| &links[t]);
        let id = &row[id_col];
        if is_openalex_work(id) {
            let url = format!("https://openalex.org/{id}");
            ws.write_url_with_format(n, id_col as u16, Url::new(url).set_text(id), link)?;
        }
        let doi = &row[doi_col];
        if !doi.is_empty() && doi.len() < 2000 {
            let url = format!(
                "https://doi.org/{}",
                doi.trim_start_matches("https://doi.org/")
            );
            ws.write_url_with_format(n, doi_col as u16, Url::new(url).set_text(doi), link)?;
        }
    }
    widths(
        ws,
        &papers,
        &[
            ("title", 60.0),
            ("institutions", 45.0),
            ("designations", 50.0),
            ("assessments", 40.0),
            ("evidence", 60.0),
        ],
    )?;

    let inst = r.institutions_table();
    let ws = wb.add_worksheet();
    ws.set_name("Institutions")?;
    write_table(
        ws,
        &inst,
        &["papers", "open", "first_year", "last_year"],
        &header,
        "institutions.csv",
        &mut truncated,
        |_| &plain,
    )?;
    widths(
        ws,
        &inst,
        &[("institution_id", 30.0), ("name", 45.0), ("areas", 40.0)],
    )?;

    let unis = r.universities_table();
    let numeric: Vec<&str> = unis.columns[1..].iter().map(String::as_str).collect();
    let ws = wb.add_worksheet();
    ws.set_name("Universities")?;
    write_table(
        ws,
        &unis,
        &numeric,
        &header,
        "universities.csv",
        &mut truncated,
        |_| &plain,
    )?;
    widths(ws, &unis, &[("university", 45.0)])?;

    // Coverage: what the screen saw and could not see.
    let c = &r.coverage;
    let ws = wb.add_worksheet();
    ws.set_name("Coverage")?;
    let mut kv = KeyValues::new(ws, &header)?;
    for (k, v) in [
        ("works screened", c.works),
        (
            "works outside the home side (not screened)",
            c.works_outside_home,
        ),
        (
            "works without affiliation data",
            c.works_without_affiliations,
        ),
        ("affiliation strings read", c.affiliation_strings),
        ("strings neither resolved nor matched", c.unresolved_strings),
        ("records that could not be read", c.source_errors),
        ("records or inputs read but not screened", c.unscreened),
        ("duplicate works merged", c.duplicates_merged),
        ("works outside --from/--to (left out)", c.outside_years),
        ("works without a year (kept)", c.year_unknown),
    ] {
        kv.number(k, v)?;
    }
    for (reason, n) in &c.unscreened_reasons {
        kv.text_number("not screened, because", reason, *n)?;
    }
    for l in &c.legacy_encoding {
        kv.text("legacy encoding", l)?;
    }
    kv.text("note", c.note)?;
    for (s, n) in &c.top_unresolved {
        kv.text_number("unresolved string", s, *n)?;
    }
    for e in &c.source_error_examples {
        kv.text("source error", e)?;
    }
    kv.ws.set_column_width(0, 42.0)?;
    kv.ws.set_column_width(1, 80.0)?;

    // Run: the run header, as in report.json and on the page.
    let m = &r.manifest;
    let ws = wb.add_worksheet();
    ws.set_name("Run")?;
    let mut kv = KeyValues::new(ws, &header)?;
    kv.text("tool", &m.tool)?;
    kv.text("risk list version", &m.risk_list_version)?;
    kv.text("risk list", &m.risk_list)?;
    kv.text("taxonomy", &m.taxonomy)?;
    kv.text("query", &m.query)?;
    kv.text("source", &m.source)?;
    let home = serde_json::to_value(&m.home)
        .ok()
        .map(|v| match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Object(o) => o
                .values()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        })
        .unwrap_or_default();
    kv.text("home side", &home)?;
    kv.text("generated", &m.generated)?;
    kv.text(
        "fetch complete",
        if m.complete { "yes" } else { "NO (incomplete)" },
    )?;
    kv.number("requests", m.requests.values().sum())?;
    for (kind, n) in &m.requests {
        kv.text_number("requests by kind", kind, *n)?;
    }
    kv.number("retries", m.retries)?;
    for u in &r.decisions_unmatched {
        kv.text("decision matching nothing", u)?;
    }
    for t in &truncated {
        kv.text("note", t)?;
    }
    kv.ws.set_column_width(0, 28.0)?;
    kv.ws.set_column_width(1, 80.0)?;

    wb.save_to_buffer()
}

fn col(t: &Table, name: &str) -> usize {
    t.columns
        .iter()
        .position(|c| c == name)
        .expect("the table defines the column")
}

fn row_num(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// `W123…`: an OpenAlex work id, linkable.
fn is_openalex_work(id: &str) -> bool {
    id.len() > 1 && id.starts_with('W') && id[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Text as the CSVs show it (bidi overrides and other invisible controls
/// made visible as `\u{..}`), cut to Excel's limit with a marker naming the
/// file that has it whole; true when cut.
fn fit<'a>(s: &'a str, whole: &str) -> (std::borrow::Cow<'a, str>, bool) {
    let s = crate::output::sanitize::visible(s);
    if s.chars().count() <= MAX_CELL {
        return (s, false);
    }
    let marker = format!(" … (cut at Excel's cell limit; whole in {whole})");
    let keep: String = s.chars().take(MAX_CELL - marker.chars().count()).collect();
    ((keep + &marker).into(), true)
}

/// Header row (frozen, filtered), then the rows: numeric columns as numbers
/// (an empty cell stays empty), everything else as text.
#[allow(clippy::too_many_arguments)]
fn write_table<'f>(
    ws: &mut Worksheet,
    t: &Table,
    numeric: &[&str],
    header: &Format,
    csv: &str,
    truncated: &mut Vec<String>,
    row_format: impl Fn(&[String]) -> &'f Format,
) -> Result<(), XlsxError> {
    for (j, name) in t.columns.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, name, header)?;
    }
    let is_num: Vec<bool> = t
        .columns
        .iter()
        .map(|c| numeric.contains(&c.as_str()))
        .collect();
    let mut cut = 0usize;
    for (i, row) in t.rows.iter().enumerate() {
        if i + 1 >= MAX_ROWS {
            truncated.push(format!(
                "{csv}: {} rows beyond Excel's row limit are only in {csv}",
                t.rows.len() - i
            ));
            break;
        }
        let n = row_num(i + 1);
        let fmt = row_format(row);
        for (j, cell) in row.iter().enumerate() {
            let c = j as u16;
            if is_num[j] {
                match cell.parse::<f64>() {
                    Ok(v) => ws.write_number_with_format(n, c, v, fmt)?,
                    Err(_) if cell.is_empty() => ws.write_blank(n, c, fmt)?,
                    Err(_) => ws.write_string_with_format(n, c, cell, fmt)?,
                };
            } else {
                let (text, was_cut) = fit(cell, csv);
                cut += usize::from(was_cut);
                ws.write_string_with_format(n, c, text.as_ref(), fmt)?;
            }
        }
    }
    if cut > 0 {
        truncated.push(format!(
            "{csv}: {cut} cells longer than Excel's 32,767 characters are cut here and whole in {csv}"
        ));
    }
    let last_row = row_num(t.rows.len().min(MAX_ROWS - 1));
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, (t.columns.len() - 1) as u16)?;
    Ok(())
}

fn widths(ws: &mut Worksheet, t: &Table, wide: &[(&str, f64)]) -> Result<(), XlsxError> {
    for (j, name) in t.columns.iter().enumerate() {
        let w = wide
            .iter()
            .find(|(n, _)| n == name)
            .map_or((name.len() as f64 + 2.0).max(10.0), |(_, w)| *w);
        ws.set_column_width(j as u16, w)?;
    }
    Ok(())
}

/// A two-column (three with counts) sheet of labelled values.
struct KeyValues<'w> {
    ws: &'w mut Worksheet,
    row: u32,
}

impl<'w> KeyValues<'w> {
    fn new(ws: &'w mut Worksheet, header: &Format) -> Result<Self, XlsxError> {
        for (j, h) in ["field", "value", "count"].iter().enumerate() {
            ws.write_string_with_format(0, j as u16, *h, header)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Self { ws, row: 1 })
    }

    fn text(&mut self, k: &str, v: &str) -> Result<(), XlsxError> {
        self.ws.write_string(self.row, 0, k)?;
        self.ws
            .write_string(self.row, 1, fit(v, "report.json").0.as_ref())?;
        self.row += 1;
        Ok(())
    }

    fn number(&mut self, k: &str, v: u64) -> Result<(), XlsxError> {
        self.ws.write_string(self.row, 0, k)?;
        self.ws.write_number(self.row, 1, v as f64)?;
        self.row += 1;
        Ok(())
    }

    fn text_number(&mut self, k: &str, v: &str, n: u64) -> Result<(), XlsxError> {
        self.ws.write_string(self.row, 0, k)?;
        self.ws
            .write_string(self.row, 1, fit(v, "report.json").0.as_ref())?;
        self.ws.write_number(self.row, 2, n as f64)?;
        self.row += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_cells_are_cut_with_a_note_and_controls_made_visible() {
        let long = "x".repeat(super::MAX_CELL + 10);
        let (t, cut) = super::fit(&long, "papers.csv");
        assert!(cut);
        assert_eq!(t.chars().count(), super::MAX_CELL);
        assert!(t.ends_with("whole in papers.csv)"));
        let (t, cut) = super::fit("a\u{202e}b", "papers.csv");
        assert_eq!((t.as_ref(), cut), ("a\\u{202e}b", false));
    }
}
