//! Aggregation of screened works into the report set:
//! `papers.csv`, `institutions.csv`, `universities.csv`, `report.json`.
//! Everything is sorted so the same input gives byte-identical files apart
//! from the manifest's date.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::score::{PaperResult, Tier};
use crate::classify::AREA_SLUGS;
use crate::error::Error;
use crate::output::sanitize::csv_cell;
use crate::risklist::RiskLevel;

/// Most unresolved strings tracked by count (then only counted).
const UNRESOLVED_CAP: usize = 200_000;

/// Who made the report, from what, when.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// `coscreen 0.1.0`.
    pub tool: String,
    /// Risk-list content hash.
    pub risk_list: String,
    /// Risk-list version (release date of the bundled list).
    pub risk_list_version: String,
    /// Taxonomy content hash.
    pub taxonomy: String,
    /// The query or inputs, as given.
    pub query: String,
    /// Where the works came from.
    pub source: String,
    /// Home side.
    pub home: super::score::Home,
    /// UTC time of the run (the only field that changes between identical runs).
    pub generated: String,
    /// Requests by kind.
    pub requests: BTreeMap<String, u64>,
    /// Retried attempts among them.
    pub retries: u64,
    /// Whether the fetch completed.
    pub complete: bool,
}

/// What the screen saw and could not see.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Coverage {
    /// Works screened (on the home side, or home side not resolvable).
    pub works: u64,
    /// Works read whose resolved institutions are all off the home side (not screened).
    pub works_outside_home: u64,
    /// Works without any affiliation data (no strings, no resolved institutions).
    pub works_without_affiliations: u64,
    /// Affiliation strings read.
    pub affiliation_strings: u64,
    /// Strings the source did not resolve and the matcher did not match.
    pub unresolved_strings: u64,
    /// The most frequent unresolved strings.
    pub top_unresolved: Vec<(String, u64)>,
    /// Flags on an affiliate of a listed entry that `screen --affiliates
    /// count` took off the papers (counted here, not flagged).
    #[serde(default)]
    pub affiliate_flags_counted: u64,
    /// Flags on an affiliate that `screen --affiliates ignore` left out of
    /// every table: not reported, but recorded here, never silently.
    #[serde(default)]
    pub affiliate_flags_ignored: u64,
    /// Records that could not be read (input or cache).
    pub source_errors: u64,
    /// The first of them.
    pub source_error_examples: Vec<String>,
    /// Records or whole inputs that were read but not (fully) screened: every
    /// source error, every file that could not be read, every unknown file in
    /// an input folder. Any makes `--fail-on` fail unless `--allow-unscreened`.
    #[serde(default)]
    pub unscreened: u64,
    /// The same, by reason.
    #[serde(default)]
    pub unscreened_reasons: BTreeMap<String, u64>,
    /// Files with lines that were not UTF-8, decoded as Windows-1252: `path: N lines`.
    #[serde(default)]
    pub legacy_encoding: Vec<String>,
    /// Works read more than once (same DOI, OpenAlex id, WoS UT or Scopus EID
    /// across or within inputs), merged into one.
    #[serde(default)]
    pub duplicates_merged: u64,
    /// Works outside `--from`/`--to` (not screened, as asked).
    #[serde(default)]
    pub outside_years: u64,
    /// Works without a publication year, kept under a year filter.
    #[serde(default)]
    pub year_unknown: u64,
    /// A reminder printed with every report.
    #[serde(skip_deserializing)]
    pub note: &'static str,
}

impl Coverage {
    /// Adds another input's counts (top lists and the note are made at finish).
    fn add(&mut self, o: Coverage) {
        self.works += o.works;
        self.works_outside_home += o.works_outside_home;
        self.works_without_affiliations += o.works_without_affiliations;
        self.affiliation_strings += o.affiliation_strings;
        self.unresolved_strings += o.unresolved_strings;
        self.affiliate_flags_counted += o.affiliate_flags_counted;
        self.affiliate_flags_ignored += o.affiliate_flags_ignored;
        self.source_errors += o.source_errors;
        self.source_error_examples.extend(o.source_error_examples);
        self.unscreened += o.unscreened;
        for (r, n) in o.unscreened_reasons {
            *self.unscreened_reasons.entry(r).or_default() += n;
        }
        self.legacy_encoding.extend(o.legacy_encoding);
        self.duplicates_merged += o.duplicates_merged;
        self.outside_years += o.outside_years;
        self.year_unknown += o.year_unknown;
    }
}

/// One row of `institutions.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct InstitutionRow {
    /// Entry id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Country.
    pub country: String,
    /// Level.
    pub risk_level: RiskLevel,
    /// Papers with this partner (open and decided).
    pub papers: u64,
    /// Papers whose flag for it is still open.
    pub open: u64,
    /// Years with papers.
    pub years: Vec<u16>,
    /// Papers per area.
    pub areas: BTreeMap<String, u64>,
}

/// One row of `universities.csv`: a home university in a year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UniversityRow {
    /// Home university (or the whole home side).
    pub university: String,
    /// Year (0 = unknown).
    pub year: u16,
    /// Works screened.
    pub works: u64,
    /// Works touching any critical-technology area.
    pub critical_tech: u64,
    /// Works with an open flag.
    pub flagged: u64,
    /// Works with only decided flags.
    pub decided: u64,
    /// Open works by tier 1..4.
    pub tiers: [u64; 4],
    /// Open flagged works per area (in `AREA_SLUGS` order).
    pub areas: Vec<u64>,
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Run header.
    pub manifest: Manifest,
    /// Coverage.
    pub coverage: Coverage,
    /// Counts.
    pub summary: Totals,
    /// Papers with at least one open flag, most serious first.
    pub papers: Vec<PaperResult>,
    /// Papers whose flags are all decided.
    pub decided: Vec<PaperResult>,
    /// Per partner institution.
    pub institutions: Vec<InstitutionRow>,
    /// Per home university and year.
    pub universities: Vec<UniversityRow>,
    /// Decisions that matched nothing in this run: `file:line work institution`.
    pub decisions_unmatched: Vec<String>,
    /// Home-side authors with a listed second affiliation, per author, listed entry and year.
    pub home_author_dual_affiliations: Vec<DualRow>,
}

/// One home author with a listed concurrent affiliation in one year, across the screened works.
#[derive(Debug, Clone, Serialize)]
pub struct DualRow {
    /// Author name (as on the first paper).
    pub author: String,
    /// ORCID, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    /// OpenAlex author id, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// Year (0 = unknown).
    pub year: u16,
    /// Home institutions the author listed.
    pub home_affiliations: Vec<String>,
    /// Listed entry id.
    pub listed_id: String,
    /// Listed entry name.
    pub listed_name: String,
    /// The listed affiliations as printed or resolved.
    pub listed_affiliations: Vec<String>,
    /// The papers (work ids).
    pub papers: Vec<String>,
}

/// Headline counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Works screened.
    pub works: u64,
    /// Works with an open flag.
    pub flagged: u64,
    /// Works with only decided flags.
    pub decided: u64,
    /// Open papers by tier (`"1"`..`"4"`).
    pub by_tier: BTreeMap<String, u64>,
    /// Open papers by highest level.
    pub by_level: BTreeMap<String, u64>,
    /// Papers (open or decided) funded by a funder or programme of concern.
    pub funded_by_concern: u64,
    /// Papers with a home author who also lists a listed institution.
    pub with_home_author_dual_affiliation: u64,
}

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

    /// Counts flags on affiliates taken off a paper (`screen --affiliates count`).
    pub fn affiliate_flags_counted(&mut self, n: u64) {
        self.coverage.affiliate_flags_counted += n;
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
        mut decisions: Option<&mut super::decisions::Decisions>,
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

impl Report {
    /// Records read but not screened (for `--fail-on` without `--allow-unscreened`).
    pub fn unscreened(&self) -> u64 {
        self.coverage.unscreened
    }
}

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
pub const INSTITUTION_COLUMNS: [&str; 10] = [
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
    /// Writes the CSV files and report.json into `dir` (the HTML page and the
    /// workbook are written separately). CSVs carry no run header: it is in
    /// report.json, the workbook's Run sheet and the HTML page.
    pub fn write_files(&self, dir: &Path) -> Result<(), Error> {
        std::fs::create_dir_all(dir).map_err(Error::Output)?;
        for (name, table) in [
            ("papers.csv", self.papers_table()),
            ("institutions.csv", self.institutions_table()),
            ("universities.csv", self.universities_table()),
        ] {
            crate::output::write_atomic(&dir.join(name), &table.to_csv()?)
                .map_err(Error::Output)?;
        }
        let mut json = serde_json::to_vec_pretty(self).map_err(|e| Error::Output(e.into()))?;
        json.push(b'\n');
        crate::output::write_atomic(&dir.join("report.json"), &json).map_err(Error::Output)
    }

    /// Open papers, then decided ones, with their status.
    pub fn papers_with_status(&self) -> impl Iterator<Item = (&PaperResult, &'static str)> {
        self.papers
            .iter()
            .map(|p| (p, "open"))
            .chain(self.decided.iter().map(|p| (p, "decided")))
    }

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
                            super::listing::lines_of_kind(&f.listings, kind)
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

    /// Open papers at or above `level` (for `--fail-on`).
    pub fn open_at_or_above(&self, level: RiskLevel) -> usize {
        self.papers
            .iter()
            .filter(|p| p.highest_risk_level.is_some_and(|l| l >= level))
            .count()
    }

    /// Years present among flagged papers (for charts).
    pub fn years(&self) -> BTreeSet<u16> {
        self.papers.iter().filter_map(|p| p.year).collect()
    }

    /// Open papers by tier for one year.
    pub fn tier_count(&self, year: u16, tier: Tier) -> u64 {
        self.papers
            .iter()
            .filter(|p| p.year == Some(year) && p.tier == Some(tier))
            .count() as u64
    }
}
