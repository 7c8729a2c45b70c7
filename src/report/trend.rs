//! Yearly trend tables: the pure part, and their two exporters (`trend
//! --out` CSV, `--svg` chart). Rows are counted
//! from screened works ([`Row::add`]) plus the API's exact aggregates;
//! rendering is stable (fixed columns, integers only) so successive cron
//! runs diff cleanly.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::classify::AREA_SLUGS;
use crate::risklist::RiskLevel;
use crate::screen::{PaperResult, PRIORITY_AREAS};

/// Column names and definitions, in output order (the README repeats them).
pub const COLUMNS: [(&str, &str); 18] = [
    ("year", "publication year"),
    ("joint", "works matching the query (home side and partner country) in the year: OpenAlex group_by=publication_year, exact"),
    ("screened", "works fetched and screened for the year (equals joint unless OpenAlex changed between the count and the pages)"),
    ("listed_ids", "works with an institution of the risk list by OpenAlex id or lineage: group_by with the listed ids OR-ed (exact for partners OpenAlex resolved; empty when the ids need several batches)"),
    ("listed", "screened works with at least one listed partner (ids or raw affiliation strings)"),
    ("listed_very_high", "screened works whose highest listed partner is very high"),
    ("listed_high", "... highest partner high"),
    ("listed_medium", "... highest partner medium"),
    ("listed_low", "... highest partner low"),
    ("listed_designated", "screened works with a partner on a legal list (Entity List, DoD 1286, Canada NRO, METI)"),
    ("listed_assessed", "screened works with a partner on an assessment (ASPI tracker, Seven Sons)"),
    ("critical_tech", "screened works in at least one of the ten critical-technology areas"),
    ("priority_tech", "screened works in one of the priority four (semiconductors, AI, quantum, biotech)"),
    ("listed_and_critical", "screened works with a listed partner and a critical-technology area"),
    ("listed_high_and_critical", "screened works with a very-high or high partner and a critical-technology area"),
    ("listed_high_and_priority", "screened works with a very-high or high partner and a priority-four area"),
    ("area_*", "one column per area (semiconductors … materials): screened works in the area"),
    ("funded_by_concern", "screened works whose funding data (funder ids, names, acknowledgement) names a funder or talent programme of data/risk-funders.csv; last, so earlier columns keep their positions"),
];

/// A chart line: label, colour, value of a row.
type Series = (&'static str, &'static str, fn(&Row) -> u64);

/// Counts for one row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// From aggregation.
    pub joint: Option<u64>,
    /// From aggregation.
    pub listed_ids: Option<u64>,
    /// Per-work counts.
    pub screened: u64,
    /// With a listed partner.
    pub listed: u64,
    /// By highest level: very high, high, medium, low.
    pub by_level: [u64; 4],
    /// Designation lists.
    pub designated: u64,
    /// Assessments.
    pub assessed: u64,
    /// Any area.
    pub critical: u64,
    /// Priority four.
    pub priority: u64,
    /// Listed and any area.
    pub listed_critical: u64,
    /// High or very high and any area.
    pub high_critical: u64,
    /// High or very high and priority area.
    pub high_priority: u64,
    /// Per area, `AREA_SLUGS` order.
    pub areas: [u64; 10],
    /// Funded by a funder or programme of concern.
    pub funded: u64,
}

impl Row {
    /// Adds one screened work.
    pub fn add(&mut self, p: &PaperResult) {
        self.screened += 1;
        self.funded += u64::from(!p.funding.is_empty());
        let level = p.flags.iter().map(|f| f.risk_level).max();
        let critical = !p.areas.is_empty();
        let priority = p.areas.iter().any(|a| PRIORITY_AREAS.contains(&a.area));
        for a in &p.areas {
            if let Some(i) = AREA_SLUGS.iter().position(|s| *s == a.area) {
                self.areas[i] += 1;
            }
        }
        self.critical += u64::from(critical);
        self.priority += u64::from(priority);
        let Some(level) = level else {
            return;
        };
        self.listed += 1;
        let i = match level {
            RiskLevel::VeryHigh => 0,
            RiskLevel::High => 1,
            RiskLevel::Medium => 2,
            RiskLevel::Low => 3,
        };
        self.by_level[i] += 1;
        let kinds = |k: &str| {
            p.flags
                .iter()
                .any(|f| f.listings.iter().any(|l| l.kind == k))
        };
        self.designated += u64::from(kinds("designation"));
        self.assessed += u64::from(kinds("assessment"));
        self.listed_critical += u64::from(critical);
        let high = level >= RiskLevel::High;
        self.high_critical += u64::from(high && critical);
        self.high_priority += u64::from(high && priority);
    }
}

/// The whole table: (year, university) -> row; university is empty unless `--by-university`.
#[derive(Debug, Default)]
pub struct Tally {
    /// Rows in key order.
    pub rows: BTreeMap<(u16, String), Row>,
}

impl Tally {
    /// The row for a key, created empty.
    pub fn row(&mut self, year: u16, university: &str) -> &mut Row {
        self.rows.entry((year, university.to_owned())).or_default()
    }

    /// CSV text: the column header on line 1 (no comment line, so spreadsheets
    /// and pandas read it without options), then the table. No timestamp, so
    /// identical runs give identical files.
    pub fn csv(&self, by_university: bool) -> String {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let mut cols: Vec<String> = vec!["year".into()];
        if by_university {
            cols.push("university".into());
        }
        cols.extend(COLUMNS[1..16].iter().map(|(c, _)| (*c).to_owned()));
        cols.extend(AREA_SLUGS.iter().map(|a| format!("area_{a}")));
        cols.push(COLUMNS[17].0.to_owned());
        let _ = w.write_record(&cols);
        let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        for ((year, uni), r) in &self.rows {
            let mut row: Vec<String> = vec![year.to_string()];
            if by_university {
                row.push(crate::output::sanitize::csv_cell(uni).into_owned());
            }
            row.push(opt(r.joint));
            row.push(r.screened.to_string());
            row.push(opt(r.listed_ids));
            row.push(r.listed.to_string());
            row.extend(r.by_level.iter().map(u64::to_string));
            for v in [
                r.designated,
                r.assessed,
                r.critical,
                r.priority,
                r.listed_critical,
                r.high_critical,
                r.high_priority,
            ] {
                row.push(v.to_string());
            }
            row.extend(r.areas.iter().map(u64::to_string));
            row.push(r.funded.to_string());
            let _ = w.write_record(&row);
        }
        let body = w.into_inner().unwrap_or_default();
        String::from_utf8_lossy(&body).into_owned()
    }

    /// An SVG line chart of the yearly series (summed over universities);
    /// `about` (the run header: query, list and taxonomy hashes, method) goes
    /// into the chart's `<desc>`, where the CSV no longer carries it.
    pub fn svg(&self, title: &str, about: &str) -> String {
        let mut years: BTreeMap<u16, Row> = BTreeMap::new();
        for ((y, _), r) in &self.rows {
            let t = years.entry(*y).or_default();
            t.screened += r.screened;
            t.joint = Some(t.joint.unwrap_or(0) + r.joint.unwrap_or(r.screened));
            t.listed += r.listed;
            t.critical += r.critical;
            t.listed_critical += r.listed_critical;
        }
        let series: [Series; 4] = [
            ("joint papers", "#4575b4", |r| r.joint.unwrap_or(r.screened)),
            ("with a listed partner", "#d73027", |r| r.listed),
            ("critical technology", "#1a9850", |r| r.critical),
            ("listed partner + critical technology", "#7b3294", |r| {
                r.listed_critical
            }),
        ];
        // The legend flows left to right and wraps; each entry is as wide as
        // its label at a generous 7 px per character (11 px sans-serif
        // averages about 6), so no label is clipped whatever the font.
        let (w, left) = (760.0, 56.0);
        let mut legend: Vec<(f64, f64)> = Vec::new();
        let (mut lx, mut line) = (left, 0.0);
        for (name, _, _) in &series {
            let width = 14.0 + 7.0 * name.chars().count() as f64 + 18.0;
            if lx > left && lx + width > w - 10.0 {
                lx = left;
                line += 1.0;
            }
            legend.push((lx, line));
            lx += width;
        }
        let legend_lines = line + 1.0;
        let (top, bottom) = (40.0, 28.0 + 16.0 * legend_lines);
        let h = 320.0 + bottom;
        let max = years
            .values()
            .flat_map(|r| series.iter().map(move |s| (s.2)(r)))
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let ys: Vec<u16> = years.keys().copied().collect();
        let n = ys.len().max(2) as f64 - 1.0;
        let x = |i: usize| left + (w - left - 20.0) * i as f64 / n;
        let y = |v: u64| top + (h - top - bottom) * (1.0 - v as f64 / max);
        let mut s = String::new();
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"11\">\
             <rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"{left}\" y=\"20\" font-size=\"14\">{}</text>",
            super::html::esc(title)
        );
        let _ = write!(s, "<desc>{}</desc>", super::html::esc(about));
        for k in 0..=4 {
            let v = (max * f64::from(k) / 4.0).round() as u64;
            let _ = write!(
                s,
                "<line x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>",
                w - 20.0,
                y(v),
                y(v),
                left - 6.0,
                y(v) + 4.0
            );
        }
        for (i, yr) in ys.iter().enumerate() {
            if ys.len() <= 12 || i % 2 == 0 || i + 1 == ys.len() {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{yr}</text>",
                    x(i),
                    h - bottom + 16.0
                );
            }
        }
        let legend_top = h - bottom + 26.0;
        for ((name, colour, f), (lx, line)) in series.iter().zip(&legend) {
            let pts: Vec<String> = ys
                .iter()
                .enumerate()
                .map(|(i, yr)| format!("{:.1},{:.1}", x(i), y(f(&years[yr]))))
                .collect();
            let ly = legend_top + 16.0 * line;
            let _ = write!(
                s,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/><rect x=\"{lx}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text class=\"legend\" x=\"{}\" y=\"{}\">{name}</text>",
                pts.join(" "),
                ly,
                lx + 14.0,
                ly + 9.0
            );
        }
        s.push_str("</svg>\n");
        s
    }
}

/// A finished trend table with its run header, as the exporters take it.
#[derive(Debug)]
pub struct TrendReport {
    /// The counts.
    pub rows: Tally,
    /// With a university column.
    pub by_university: bool,
    /// The chart's title.
    pub title: String,
    /// The run header (query, list and taxonomy hashes, method).
    pub about: String,
}

/// `trend --out`: the CSV table ([`Tally::csv`]).
pub struct TrendCsv;

impl super::Exporter<TrendReport> for TrendCsv {
    fn file_name(&self) -> &'static str {
        "trend.csv"
    }
    fn render(&self, r: &TrendReport) -> Result<Vec<u8>, crate::error::Error> {
        Ok(r.rows.csv(r.by_university).into_bytes())
    }
}

/// `trend --svg`: the line chart ([`Tally::svg`]).
pub struct TrendSvg;

impl super::Exporter<TrendReport> for TrendSvg {
    fn file_name(&self) -> &'static str {
        "trend.svg"
    }
    fn render(&self, r: &TrendReport) -> Result<Vec<u8>, crate::error::Error> {
        Ok(r.rows.svg(&r.title, &r.about).into_bytes())
    }
}

/// The files of `trend`: the table (`--out`), then the chart (`--svg`).
pub const TREND_EXPORTERS: &[&dyn super::Exporter<TrendReport>] = &[&TrendCsv, &TrendSvg];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_stable_and_documented() {
        let mut t = Tally::default();
        t.row(2023, "").joint = Some(5);
        t.row(2022, "").screened = 3;
        let csv = t.csv(false);
        let mut lines = csv.lines();
        let cols: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(cols.len(), 1 + 15 + 10 + 1);
        assert_eq!(cols.last(), Some(&"funded_by_concern"));
        assert_eq!(cols[..4], ["year", "joint", "screened", "listed_ids"]);
        assert_eq!(
            lines.next().unwrap().split(',').next(),
            Some("2022"),
            "years ascending"
        );
        let svg = t.svg("t", "about");
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("<desc>about</desc>"));
    }
}
