//! Aggregation of screened works into a [`Report`]: coverage counts,
//! per-institution and per-university rows, reviewer decisions. Everything is
//! sorted so the same input gives the same report whatever the thread count.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::model::{Coverage, DualRow, InstitutionRow, Manifest, Report, Totals, UniversityRow};
use crate::classify::AREA_SLUGS;
use crate::screen::PaperResult;

/// Most unresolved strings tracked by count (then only counted).
const UNRESOLVED_CAP: usize = 200_000;

/// Accumulates screened works. Builders of separate inputs merge; decisions
/// and everything order-dependent are applied at [`Builder::finish`], so the
/// report is the same whatever the thread count or file order.
#[derive(Debug, Default)]
pub struct Builder {
    coverage: Coverage,
    unresolved: BTreeMap<String, u64>,
    flagged: Vec<PaperResult>,
    papers: Vec<PaperResult>,
    decided: Vec<PaperResult>,
    /// University -> year -> row (looked up by `&str`: no key built per work).
    universities: BTreeMap<String, BTreeMap<u16, UniversityRow>>,
    home_label: String,
}

/// The row of a home university in a year, created empty.
fn uni_row<'m>(
    unis: &'m mut BTreeMap<String, BTreeMap<u16, UniversityRow>>,
    university: &str,
    year: Option<u16>,
) -> &'m mut UniversityRow {
    let year = year.unwrap_or(0);
    if !unis.contains_key(university) {
        unis.insert(university.to_owned(), BTreeMap::new());
    }
    let years = unis.get_mut(university).expect("just inserted");
    years.entry(year).or_insert_with(|| UniversityRow {
        university: university.to_owned(),
        year,
        areas: vec![0; AREA_SLUGS.len()],
        ..UniversityRow::default()
    })
}

/// The home universities a paper counts for (its own, or the run's label).
fn homes<'p>(p: &'p PaperResult, label: &'p String) -> &'p [String] {
    if p.home.is_empty() {
        std::slice::from_ref(label)
    } else {
        &p.home
    }
}

/// A builder's counts saved in the cache after a file is screened, so
/// `screen --resume` can skip the file: counts as they were, and the flagged
/// works themselves (re-screened on resume, cheap, so decisions and the
/// report come out exactly as in a run that read the file).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Saved {
    /// Coverage counts and source error examples.
    coverage: Coverage,
    /// Unresolved strings with counts (the 2,000 most frequent of the file).
    unresolved: Vec<(String, u64)>,
    /// (university, year, works, critical tech).
    universities: Vec<(String, u16, u64, u64)>,
    /// The works with flags.
    pub flagged_works: Vec<crate::ingest::Work>,
}

impl Builder {
    /// What to store for this (one-file) builder; `flagged_works` are its works with flags.
    pub fn save(&self, flagged_works: Vec<crate::ingest::Work>) -> Saved {
        let mut unresolved: Vec<(String, u64)> = self
            .unresolved
            .iter()
            .map(|(s, n)| (s.clone(), *n))
            .collect();
        unresolved.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        unresolved.truncate(2000);
        Saved {
            coverage: self.coverage.clone(),
            unresolved,
            universities: self
                .universities
                .values()
                .flat_map(|years| years.values())
                .map(|r| (r.university.clone(), r.year, r.works, r.critical_tech))
                .collect(),
            flagged_works,
        }
    }

    /// A builder with saved counts and no flagged papers yet (add them with [`Builder::push_flagged`]).
    pub fn restore(home_label: &str, s: &Saved) -> Self {
        let mut b = Self::new(home_label);
        b.coverage = s.coverage.clone();
        b.unresolved = s.unresolved.iter().cloned().collect();
        for (u, y, works, tech) in &s.universities {
            let row = uni_row(&mut b.universities, u, Some(*y));
            row.works = *works;
            row.critical_tech = *tech;
        }
        b
    }

    /// Adds a re-screened flagged paper whose counts are already in the builder.
    pub fn push_flagged(&mut self, p: PaperResult) {
        if p.is_flagged() && !p.outside_home {
            self.flagged.push(p);
        }
    }

    /// A builder; `home_label` names works whose home institution is not resolved.
    pub fn new(home_label: &str) -> Self {
        Self {
            home_label: home_label.to_owned(),
            ..Self::default()
        }
    }

    /// Counts a record that could not be read (unscreened: "unreadable record").
    pub fn source_error(&mut self, msg: String) {
        self.source_error_because("unreadable record", msg);
    }

    /// Counts a record or input that was read but could not be screened, with its reason.
    pub fn source_error_because(&mut self, reason: &str, msg: String) {
        let msg = crate::output::sanitize::strip_credentials(&msg).into_owned();
        self.coverage.unscreened += 1;
        *self
            .coverage
            .unscreened_reasons
            .entry(reason.to_owned())
            .or_default() += 1;
        self.coverage.source_errors += 1;
        self.coverage.source_error_examples.push(msg);
        if self.coverage.source_error_examples.len() > 200 {
            self.coverage.source_error_examples.sort();
            self.coverage.source_error_examples.truncate(20);
        }
    }

    /// Counts `n` works known to exist but not screened (e.g. missing from the cache offline).
    pub fn unscreened_many(&mut self, reason: &str, n: u64, msg: String) {
        self.source_error_because(reason, msg);
        self.coverage.unscreened += n.saturating_sub(1);
        *self
            .coverage
            .unscreened_reasons
            .entry(reason.to_owned())
            .or_default() += n.saturating_sub(1);
    }

    /// Notes a file whose non-UTF-8 lines were decoded as Windows-1252.
    pub fn legacy_encoding(&mut self, path: &Path, lines: u64) {
        self.coverage.legacy_encoding.push(format!(
            "{}: {lines} lines decoded as Windows-1252",
            path.display()
        ));
    }

    /// Counts a work outside the year filter (not screened, as asked).
    pub fn outside_years(&mut self) {
        self.coverage.outside_years += 1;
    }

    /// Counts a work without a year kept under a year filter.
    pub fn year_unknown(&mut self) {
        self.coverage.year_unknown += 1;
    }

    /// Adds a screened work already counted under another copy: only its
    /// flags are kept, merged with the other copies' at [`Builder::finish`].
    pub fn add_duplicate(&mut self, p: PaperResult) {
        self.coverage.duplicates_merged += 1;
        if !p.flags.is_empty() && !p.outside_home {
            self.flagged.push(p);
        }
    }

    /// Counts works the pre-filter proved to be off the home side without parsing them.
    pub fn outside_home(&mut self, n: u64) {
        self.coverage.works_outside_home += n;
    }

    /// Adds one screened work.
    pub fn add(&mut self, mut p: PaperResult) {
        let c = &mut self.coverage;
        if p.outside_home {
            c.works_outside_home += 1;
            return;
        }
        c.works += 1;
        c.affiliation_strings += u64::from(p.strings);
        if p.truncated > 0 {
            // Not silently: a string cut at the matcher's limit was only
            // partly screened (unscreened, so `--fail-on` fails).
            let msg = format!(
                "work {}: {} affiliation string(s) longer than {} bytes, only their start screened",
                p.work_id,
                p.truncated,
                crate::matching::MAX_SCREENED
            );
            self.source_error_because("affiliation string cut at the matcher's limit", msg);
        }
        let c = &mut self.coverage;
        c.unresolved_strings += p.unresolved.len() as u64;
        for s in std::mem::take(&mut p.unresolved) {
            if let Some(n) = self.unresolved.get_mut(&s) {
                *n += 1;
            } else if self.unresolved.len() < UNRESOLVED_CAP {
                self.unresolved.insert(s, 1);
            }
        }
        for h in homes(&p, &self.home_label) {
            let row = uni_row(&mut self.universities, h, p.year);
            row.works += 1;
            row.critical_tech += u64::from(!p.areas.is_empty());
        }
        if p.is_flagged() {
            self.flagged.push(p);
        }
    }

    /// Counts flags on affiliates taken off a paper (`screen --affiliates
    /// count`): in total, and once per entry for the paper.
    pub fn affiliate_flags_counted(&mut self, flags: &[crate::screen::score::Flag]) {
        self.coverage.affiliate_flags_counted += flags.len() as u64;
        for (i, f) in flags.iter().enumerate() {
            if flags[..i].iter().any(|g| g.entry_id == f.entry_id) {
                continue;
            }
            match self.coverage.affiliates_counted.get_mut(&f.entry_id) {
                Some(c) => c.papers += 1,
                None => {
                    self.coverage.affiliates_counted.insert(
                        f.entry_id.clone(),
                        super::model::AffiliateCount {
                            name: f.entry_name.clone(),
                            country: f.country.clone(),
                            risk_level: f.risk_level.as_str().to_owned(),
                            papers: 1,
                        },
                    );
                }
            }
        }
    }

    /// Counts flags on affiliates left out (`screen --affiliates ignore`).
    pub fn affiliate_flags_ignored(&mut self, n: u64) {
        self.coverage.affiliate_flags_ignored += n;
    }

    /// Counts a work with no affiliation data at all.
    pub fn no_affiliations(&mut self) {
        self.coverage.works_without_affiliations += 1;
    }

    /// Folds another builder (another file) into this one.
    pub fn merge(&mut self, other: Builder) {
        self.coverage.add(other.coverage);
        for (s, n) in other.unresolved {
            if let Some(m) = self.unresolved.get_mut(&s) {
                *m += n;
            } else if self.unresolved.len() < UNRESOLVED_CAP {
                self.unresolved.insert(s, n);
            }
        }
        for r in other
            .universities
            .into_values()
            .flat_map(BTreeMap::into_values)
        {
            let row = uni_row(&mut self.universities, &r.university, Some(r.year));
            row.works += r.works;
            row.critical_tech += r.critical_tech;
        }
        self.flagged.extend(other.flagged);
    }

    /// Applies reviewer decisions (`today` decides expiry), splits open from
    /// decided, sorts and totals everything. Returns the report.
    pub fn finish(
        mut self,
        manifest: Manifest,
        mut decisions: Option<&mut crate::screen::decisions::Decisions>,
        today: &str,
        decisions_path: &str,
    ) -> Report {
        self.flagged = merge_copies(std::mem::take(&mut self.flagged));
        for mut p in std::mem::take(&mut self.flagged) {
            if let Some(d) = decisions.as_deref_mut() {
                for f in &mut p.flags {
                    f.decision = d.apply(&p.work_id, &f.entry_id, today);
                    d.mark_all(&p.work_id, &f.entry_id);
                }
                // A funding flag is decided like a partner: by the funder's id
                // in the decisions file's institution_id column.
                for f in &mut p.funding {
                    f.decision = d.apply(&p.work_id, &f.funder_id, today);
                    d.mark_all(&p.work_id, &f.funder_id);
                }
                p.rescore();
            }
            let open = p.tier.is_some();
            for h in homes(&p, &self.home_label) {
                let row = uni_row(&mut self.universities, h, p.year);
                row.flagged += u64::from(open);
                row.decided += u64::from(!open);
                if let Some(t) = p.tier {
                    row.tiers[usize::from(t.number() - 1)] += 1;
                    for a in &p.areas {
                        if let Some(i) = AREA_SLUGS.iter().position(|s| *s == a.area) {
                            row.areas[i] += 1;
                        }
                    }
                }
            }
            if open {
                self.papers.push(p);
            } else {
                self.decided.push(p);
            }
        }
        let decisions_unmatched: Vec<String> = decisions
            .map(|d| {
                d.unmatched()
                    .iter()
                    .map(|r| {
                        format!(
                            "{decisions_path}:{}: {} / {} matches no flag in this run",
                            r.line, r.work_id, r.institution_id
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.coverage.source_error_examples.sort();
        self.coverage.source_error_examples.truncate(20);
        let order = |a: &PaperResult, b: &PaperResult| {
            a.tier
                .cmp(&b.tier)
                .then_with(|| b.highest_risk_level.cmp(&a.highest_risk_level))
                .then_with(|| b.year.cmp(&a.year))
                .then_with(|| a.work_id.cmp(&b.work_id))
        };
        self.papers.sort_by(order);
        self.decided.sort_by(|a, b| a.work_id.cmp(&b.work_id));
        let mut top: Vec<(String, u64)> = self.unresolved.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(25);
        self.coverage.top_unresolved = top;
        self.coverage.note = "No flag is not a clearance: unresolved strings and missing affiliations are not screened.";
        let mut inst: BTreeMap<String, InstitutionRow> = BTreeMap::new();
        for (p, open_paper) in self
            .papers
            .iter()
            .map(|p| (p, true))
            .chain(self.decided.iter().map(|p| (p, false)))
        {
            for f in &p.flags {
                let row = inst
                    .entry(f.entry_id.clone())
                    .or_insert_with(|| InstitutionRow {
                        id: f.entry_id.clone(),
                        name: f.entry_name.clone(),
                        country: f.country.clone(),
                        risk_level: f.risk_level,
                        papers: 0,
                        open: 0,
                        years: Vec::new(),
                        areas: BTreeMap::new(),
                        affiliate_papers_counted: 0,
                    });
                row.papers += 1;
                let flag_open = open_paper && f.decision.as_ref().is_none_or(|d| !d.active);
                row.open += u64::from(flag_open);
                if let Some(y) = p.year {
                    if !row.years.contains(&y) {
                        row.years.push(y);
                    }
                }
                for a in &p.areas {
                    *row.areas.entry(a.area.to_owned()).or_default() += 1;
                }
            }
        }
        // Entries whose papers were only affiliates' and counted: a row each,
        // with no flagged paper (`--affiliates count`).
        for (id, c) in &self.coverage.affiliates_counted {
            inst.entry(id.clone())
                .or_insert_with(|| InstitutionRow {
                    id: id.clone(),
                    name: c.name.clone(),
                    country: c.country.clone(),
                    // Written by `as_str`; a damaged cache never understates.
                    risk_level: crate::risklist::RiskLevel::parse(&c.risk_level)
                        .unwrap_or(crate::risklist::RiskLevel::VeryHigh),
                    papers: 0,
                    open: 0,
                    years: Vec::new(),
                    areas: BTreeMap::new(),
                    affiliate_papers_counted: 0,
                })
                .affiliate_papers_counted = c.papers;
        }
        let mut institutions: Vec<InstitutionRow> = inst.into_values().collect();
        for r in &mut institutions {
            r.years.sort_unstable();
        }
        institutions.sort_by(|a, b| {
            b.open
                .cmp(&a.open)
                .then_with(|| b.papers.cmp(&a.papers))
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut totals = Totals {
            works: self.coverage.works,
            flagged: self.papers.len() as u64,
            decided: self.decided.len() as u64,
            ..Totals::default()
        };
        for p in &self.papers {
            if let Some(t) = p.tier {
                *totals.by_tier.entry(t.number().to_string()).or_default() += 1;
            }
            if let Some(l) = p.highest_risk_level {
                *totals.by_level.entry(l.as_str().to_owned()).or_default() += 1;
            }
        }
        let all = || self.papers.iter().chain(&self.decided);
        totals.funded_by_concern = all().filter(|p| !p.funding.is_empty()).count() as u64;
        totals.with_home_author_dual_affiliation = all()
            .filter(|p| !p.home_author_dual_affiliations.is_empty())
            .count() as u64;
        // Per author (ORCID, else OpenAlex id, else name), listed entry and year.
        let mut duals: BTreeMap<(String, String, u16), DualRow> = BTreeMap::new();
        for p in all() {
            for d in &p.home_author_dual_affiliations {
                let who = d
                    .orcid
                    .clone()
                    .or_else(|| d.author_id.clone())
                    .unwrap_or_else(|| d.author.clone());
                let year = p.year.unwrap_or(0);
                let row = duals
                    .entry((who, d.listed_id.clone(), year))
                    .or_insert_with(|| DualRow {
                        author: d.author.clone(),
                        orcid: d.orcid.clone(),
                        author_id: d.author_id.clone(),
                        year,
                        home_affiliations: Vec::new(),
                        listed_id: d.listed_id.clone(),
                        listed_name: d.listed_name.clone(),
                        listed_affiliations: Vec::new(),
                        papers: Vec::new(),
                    });
                for h in &d.home_affiliation {
                    if !row.home_affiliations.contains(h) {
                        row.home_affiliations.push(h.clone());
                    }
                }
                if !row.listed_affiliations.contains(&d.listed_affiliation) {
                    row.listed_affiliations.push(d.listed_affiliation.clone());
                }
                if !row.papers.contains(&p.work_id) {
                    row.papers.push(p.work_id.clone());
                }
            }
        }
        let mut home_author_dual_affiliations: Vec<DualRow> = duals.into_values().collect();
        for r in &mut home_author_dual_affiliations {
            r.papers.sort();
        }
        Report {
            manifest,
            coverage: self.coverage,
            summary: totals,
            papers: self.papers,
            decided: self.decided,
            institutions,
            universities: self
                .universities
                .into_values()
                .flat_map(BTreeMap::into_values)
                .collect(),
            decisions_unmatched,
            home_author_dual_affiliations,
        }
    }
}

/// Flagged copies of one work (same DOI or id) merged into one, in work-id
/// order: the first copy (by work id, then source) with every other copy's
/// flags and areas it lacks, rescored. A partner seen in any copy is kept.
fn merge_copies(mut flagged: Vec<PaperResult>) -> Vec<PaperResult> {
    flagged.sort_by(|a, b| {
        a.work_id
            .cmp(&b.work_id)
            .then_with(|| a.source.cmp(b.source))
    });
    let mut by_key: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    let mut out: Vec<PaperResult> = Vec::with_capacity(flagged.len());
    for p in flagged {
        let keys: Vec<String> = std::iter::once(format!("id:{}", p.work_id))
            .chain(
                p.doi
                    .as_ref()
                    .map(|d| format!("doi:{}", d.to_ascii_lowercase())),
            )
            .collect();
        match keys.iter().find_map(|k| by_key.get(k).copied()) {
            Some(i) => {
                let base = &mut out[i];
                for f in p.flags {
                    if !base.flags.iter().any(|g| g.entry_id == f.entry_id) {
                        base.flags.push(f);
                    }
                }
                for a in p.areas {
                    if !base.areas.iter().any(|b| b.area == a.area) {
                        base.areas.push(a);
                    }
                }
                base.rescore();
                for k in keys {
                    by_key.entry(k).or_insert(i);
                }
            }
            None => {
                for k in keys {
                    by_key.entry(k).or_insert(out.len());
                }
                out.push(p);
            }
        }
    }
    out.sort_by(|a, b| a.work_id.cmp(&b.work_id));
    out
}
