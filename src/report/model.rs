//! The report model: what a screen found, as the exporters ([`super`]) write
//! it. Built by [`super::builder::Builder`]; no I/O here.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::risklist::RiskLevel;
use crate::screen::{PaperResult, Tier};

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
    pub home: crate::screen::Home,
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
    /// The same per listed entry: papers whose flag for it was only an
    /// affiliate's and was counted, not flagged (rows of `institutions.csv`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub affiliates_counted: BTreeMap<String, AffiliateCount>,
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
    pub(crate) fn add(&mut self, o: Coverage) {
        self.works += o.works;
        self.works_outside_home += o.works_outside_home;
        self.works_without_affiliations += o.works_without_affiliations;
        self.affiliation_strings += o.affiliation_strings;
        self.unresolved_strings += o.unresolved_strings;
        self.affiliate_flags_counted += o.affiliate_flags_counted;
        for (id, c) in o.affiliates_counted {
            match self.affiliates_counted.get_mut(&id) {
                Some(m) => m.papers += c.papers,
                None => {
                    self.affiliates_counted.insert(id, c);
                }
            }
        }
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

/// Papers whose only tie to a listed entry was an affiliate of it, taken off
/// the papers by `screen --affiliates count` (per entry, in [`Coverage`]).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct AffiliateCount {
    /// Entry name.
    pub name: String,
    /// Country.
    pub country: String,
    /// Effective risk level (`RiskLevel::as_str`).
    pub risk_level: String,
    /// Papers.
    pub papers: u64,
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
    /// Papers tied to it only through an affiliate and counted, not flagged
    /// (`screen --affiliates count`; 0 otherwise).
    pub affiliate_papers_counted: u64,
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

impl Report {
    /// Records read but not screened (for `--fail-on` without `--allow-unscreened`).
    pub fn unscreened(&self) -> u64 {
        self.coverage.unscreened
    }

    /// Open papers, then decided ones, with their status.
    pub fn papers_with_status(&self) -> impl Iterator<Item = (&PaperResult, &'static str)> {
        self.papers
            .iter()
            .map(|p| (p, "open"))
            .chain(self.decided.iter().map(|p| (p, "decided")))
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
