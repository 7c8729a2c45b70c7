//! The tables of the report set as text cells (`papers.csv`,
//! `institutions.csv`, `universities.csv` and the workbook's sheets).

use super::model::Report;
use crate::classify::AREA_SLUGS;
use crate::error::Error;
use crate::output::sanitize::csv_cell;
use crate::screen::PaperResult;

/// The `funding` cell: each funder of concern with its level and evidence.
fn funding_cell(p: &PaperResult) -> String {
    p.funding
        .iter()
        .flat_map(|f| {
            f.evidence.iter().map(move |e| {
                format!(
                    "{} ({}, {}) <- {}: \"{}\" [{}: {}]{}",
                    f.funder_id,
                    f.category,
                    f.risk_level.as_str(),
                    e.field,
                    e.matched,
                    e.method,
                    e.listed_as,
                    f.decision
                        .as_ref()
                        .map(|d| format!(
                            " (decision: {} by {} on {}{})",
                            d.decision.as_str(),
                            d.reviewer,
                            d.date,
                            if d.active { "" } else { ", expired" }
                        ))
                        .unwrap_or_default()
                )
            })
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The `home_author_dual_affiliation` cell: home authors who also list a listed institution.
fn dual_cell(p: &PaperResult) -> String {
    p.home_author_dual_affiliations
        .iter()
        .map(|d| {
            format!(
                "{}{}: {} + {} [{}] \"{}\"",
                d.author,
                d.orcid
                    .as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default(),
                d.home_affiliation.join("; "),
                d.listed_name,
                d.listed_id,
                d.listed_affiliation
            )
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Columns of `papers.csv` (and the workbook's Flagged papers sheet).
pub const PAPER_COLUMNS: [&str; 18] = [
    "work_id",
    "doi",
    "year",
    "title",
    "status",
    "tier",
    "tier_label",
    "highest_risk_level",
    "institutions",
    "designations",
    "assessments",
    "as_of",
    "evidence",
    "areas",
    "area_evidence",
    "decisions",
    "funding",
    "home_author_dual_affiliation",
];

/// Columns of `institutions.csv`.
pub const INSTITUTION_COLUMNS: [&str; 11] = [
    "institution_id",
    "name",
    "country",
    "risk_level",
    "papers",
    "open",
    "first_year",
    "last_year",
    "years",
    "areas",
    "affiliate_papers_counted",
];

/// A table as text cells: the column header, then the rows. The CSV writer
/// neutralises formula-like cells; the workbook writes them as strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(columns: &[&str]) -> Self {
        Self {
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// RFC 4180 text, column header on line 1, cells neutralised.
    pub fn to_csv(&self) -> Result<Vec<u8>, Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let err = |e: csv::Error| Error::Output(e.into());
        w.write_record(&self.columns).map_err(err)?;
        for row in &self.rows {
            w.write_record(row.iter().map(|c| csv_cell(c).into_owned()))
                .map_err(err)?;
        }
        w.into_inner().map_err(|e| Error::Output(e.into_error()))
    }
}

impl Report {
    /// The rows of `papers.csv`.
    pub fn papers_table(&self) -> Table {
        let mut t = Table::new(&PAPER_COLUMNS);
        for (p, status) in self.papers_with_status() {
            let flags = &p.flags;
            let join = |parts: Vec<String>| parts.join(" | ");
            let lists = |kind: &str| {
                join(
                    flags
                        .iter()
                        .flat_map(|f| {
                            crate::screen::listing::lines_of_kind(&f.listings, kind)
                                .into_iter()
                                .map(move |l| format!("{}: {l}", f.entry_id))
                        })
                        .collect(),
                )
            };
            let as_of = join(
                flags
                    .iter()
                    .map(|f| {
                        let mut rel: Vec<&str> = f
                            .listings
                            .iter()
                            .filter(|l| l.kind != "assessment")
                            .map(|l| l.paper_is)
                            .collect();
                        rel.sort_unstable();
                        rel.dedup();
                        if rel.is_empty() {
                            rel.push("assessed_only");
                        }
                        format!("{}: {}", f.entry_id, rel.join("/"))
                    })
                    .collect(),
            );
            let evidence = join(
                flags
                    .iter()
                    .flat_map(|f| {
                        f.evidence.iter().map(move |e| {
                            let what = e
                                .raw_affiliation
                                .as_deref()
                                .map(|r| format!("\"{r}\""))
                                .or_else(|| {
                                    e.resolved_institution
                                        .as_deref()
                                        .map(|i| format!("resolved to {i}"))
                                })
                                .unwrap_or_default();
                            let who = if e.author.is_empty() {
                                "(no author)"
                            } else {
                                &e.author
                            };
                            // An affiliate or part says so: "(affiliate) ".
                            let rel = match e.relation {
                                crate::risklist::Relation::Entry => String::new(),
                                r => format!("({}) ", r.as_str()),
                            };
                            format!(
                                "{} <- {rel}{who}: {what} [{}: {}]",
                                f.entry_id, e.method, e.matched
                            )
                        })
                    })
                    .collect(),
            );
            let decisions = join(
                flags
                    .iter()
                    .filter_map(|f| {
                        f.decision.as_ref().map(|d| {
                            format!(
                                "{}: {} by {} on {}{}{}",
                                f.entry_id,
                                d.decision.as_str(),
                                d.reviewer,
                                d.date,
                                if d.active { "" } else { " (expired)" },
                                if d.note.is_empty() {
                                    String::new()
                                } else {
                                    format!(": {}", d.note)
                                }
                            )
                        })
                    })
                    .collect(),
            );
            let areas = join(p.areas.iter().map(|a| a.area.to_owned()).collect());
            let area_ev = join(
                p.areas
                    .iter()
                    .map(|a| format!("{}: {}", a.area, a.evidence.join("; ")))
                    .collect(),
            );
            let institutions = join(
                flags
                    .iter()
                    .map(|f| {
                        format!(
                            "{} [{}] {}",
                            f.entry_name,
                            f.entry_id,
                            f.risk_level.as_str()
                        )
                    })
                    .collect(),
            );
            t.rows.push(vec![
                p.work_id.clone(),
                p.doi.clone().unwrap_or_default(),
                p.year.map(|y| y.to_string()).unwrap_or_default(),
                p.title.clone(),
                status.to_owned(),
                p.tier.map(|t| t.number().to_string()).unwrap_or_default(),
                p.tier.map(|t| t.label().to_owned()).unwrap_or_default(),
                p.highest_risk_level
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default(),
                institutions,
                lists("designation"),
                lists("assessment"),
                as_of,
                evidence,
                areas,
                area_ev,
                decisions,
                funding_cell(p),
                dual_cell(p),
            ]);
        }
        t
    }

    /// The rows of `institutions.csv`.
    pub fn institutions_table(&self) -> Table {
        let mut t = Table::new(&INSTITUTION_COLUMNS);
        for r in &self.institutions {
            t.rows.push(vec![
                r.id.clone(),
                r.name.clone(),
                r.country.clone(),
                r.risk_level.as_str().to_owned(),
                r.papers.to_string(),
                r.open.to_string(),
                r.years.first().map(|y| y.to_string()).unwrap_or_default(),
                r.years.last().map(|y| y.to_string()).unwrap_or_default(),
                r.years
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                r.areas
                    .iter()
                    .map(|(a, n)| format!("{a}:{n}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                r.affiliate_papers_counted.to_string(),
            ]);
        }
        t
    }

    /// The rows of `universities.csv`.
    pub fn universities_table(&self) -> Table {
        let mut t = Table::new(&[
            "university",
            "year",
            "works",
            "critical_tech",
            "flagged",
            "decided",
            "tier_1",
            "tier_2",
            "tier_3",
            "tier_4",
        ]);
        t.columns
            .extend(AREA_SLUGS.iter().map(|a| format!("flagged_{a}")));
        for r in &self.universities {
            let mut row = vec![
                r.university.clone(),
                if r.year == 0 {
                    String::new()
                } else {
                    r.year.to_string()
                },
                r.works.to_string(),
                r.critical_tech.to_string(),
                r.flagged.to_string(),
                r.decided.to_string(),
            ];
            row.extend(r.tiers.iter().map(u64::to_string));
            row.extend(r.areas.iter().map(u64::to_string));
            t.rows.push(row);
        }
        t
    }
}
