//! The pure stages of one run wired together: match, classify, score one
//! work against a home side. Built once per run, shared by `screen` and
//! `trend`, used from many threads.

use rayon::prelude::*;

use crate::classify::{Classifier, Taxonomy};
use crate::error::Error;
use crate::funding::FundingMatcher;
use crate::ingest::Work;
use crate::matching::{Matcher, Scratch};
use crate::risklist::RiskList;
use crate::screen::{screen_work, Home, PaperResult};

/// Works screened per parallel batch.
pub const BATCH: usize = 2048;

/// Matcher, funding matcher and classifier for one home side.
pub struct Screener<'a> {
    home: Home,
    matcher: Matcher<'a>,
    funding: FundingMatcher,
    classifier: Classifier<'a>,
}

impl<'a> Screener<'a> {
    /// Builds the stages over the risk list and the taxonomy.
    pub fn new(home: Home, list: &'a RiskList, taxonomy: &'a Taxonomy) -> Result<Self, Error> {
        Ok(Self {
            home,
            matcher: Matcher::new(list),
            funding: FundingMatcher::bundled()?,
            classifier: Classifier::new(taxonomy),
        })
    }

    /// The home side screened against.
    pub fn home(&self) -> &Home {
        &self.home
    }

    /// Screens one work.
    pub fn one(&self, w: &Work, scratch: &mut Scratch) -> PaperResult {
        screen_work(
            w,
            &self.home,
            &self.matcher,
            &self.funding,
            &self.classifier,
            scratch,
        )
    }

    /// Screens a batch in parallel (in the current rayon pool), in input
    /// order, each result with `extra` of its work.
    pub fn all<T: Send>(
        &self,
        works: &[Work],
        extra: impl Fn(&Work) -> T + Sync + Send,
    ) -> Vec<(PaperResult, T)> {
        works
            .par_iter()
            .map_init(Scratch::default, |scratch, w| {
                (self.one(w, scratch), extra(w))
            })
            .collect()
    }
}
