//! Screened batches into a report builder: the year filter for files, the
//! parallel screen, duplicates (a work read before adds only its flags to the
//! first copy) and `--affiliates`.

use super::screener::Screener;
use crate::cli::{AffiliatePolicy, YearArgs};
use crate::ingest::Work;
use crate::output::progress::WorkRate;
use crate::report::Builder;
use crate::screen::dedup::Seen;
use crate::screen::score::{drop_affiliate_flags, take_affiliate_flags};
use crate::screen::PaperResult;

/// What every batch of a screen run goes through; shared by the file threads.
pub struct Intake<'a> {
    /// The stages.
    pub screener: Screener<'a>,
    /// `--from`/`--to` (applied to file works; API queries filter themselves).
    pub years: YearArgs,
    /// `--affiliates`.
    pub affiliates: AffiliatePolicy,
    /// Works seen so far (ids and DOIs).
    pub seen: Seen,
    /// Progress.
    pub rate: WorkRate,
}

impl Intake<'_> {
    /// `--affiliates count|ignore`: flags taken off the paper and counted in
    /// the builder's aggregate, so a `--resume` keeps the counts too.
    pub fn policy(&self, p: &mut PaperResult, builder: &mut Builder) {
        match self.affiliates {
            AffiliatePolicy::Show => {}
            AffiliatePolicy::Count => builder.affiliate_flags_counted(&take_affiliate_flags(p)),
            AffiliatePolicy::Ignore => builder.affiliate_flags_ignored(drop_affiliate_flags(p)),
        }
    }

    /// Screens `batch` (emptied) into `builder`. Works with flags go to `keep`
    /// when given (what `--resume` stores for a finished file). File works
    /// (`in_files`) outside `--from`/`--to` are counted and left out.
    pub fn process(
        &self,
        batch: &mut Vec<Work>,
        builder: &mut Builder,
        mut keep: Option<&mut Vec<Work>>,
        in_files: bool,
    ) {
        if in_files && self.years.is_set() {
            batch.retain(|w| match w.year {
                None => {
                    builder.year_unknown();
                    true
                }
                Some(y) if self.years.excludes(y) => {
                    builder.outside_years();
                    false
                }
                Some(_) => true,
            });
        }
        self.rate.add(batch.len() as u64);
        let results = self.screener.all(batch, |w| {
            let has_aff = w
                .authorships
                .iter()
                .any(|a| !a.raw_affiliations.is_empty() || !a.institutions.is_empty());
            (has_aff, self.seen.first(w))
        });
        for (w, (mut p, (has_aff, first))) in std::mem::take(batch).into_iter().zip(results) {
            if !first {
                // A copy read before: its affiliate flags follow the policy
                // too, counted once (with the first copy).
                if self.affiliates != AffiliatePolicy::Show {
                    drop_affiliate_flags(&mut p);
                }
                builder.add_duplicate(p);
                continue;
            }
            self.policy(&mut p, builder);
            if !has_aff && !p.outside_home {
                builder.no_affiliations();
            }
            if let Some(k) = keep.as_deref_mut() {
                if p.is_flagged() && !p.outside_home {
                    k.push(w);
                }
            }
            builder.add(p);
        }
    }
}
