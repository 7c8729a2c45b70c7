//! The one place a run gets its HTTP clients, their tokio runtime and the
//! cache: a [`Session`] built from the global settings and the network flags.
//! `screen`, `fetch`, `trend` and `lookup --orcid` all start here, so retry
//! policy, request budget and page size are applied the same way everywhere.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::cache::Cache;
use super::crossref::Crossref;
use super::openalex::{OpenAlex, Walk, WorksQuery};
use super::{Meter, NetError, Policy, Stats};
use crate::cli::NetworkArgs;
use crate::error::Error;
use crate::settings::Settings;

/// Clients, runtime and (opened on first use) cache of one run.
pub struct Session<'a> {
    pub(super) settings: &'a Settings,
    pub(super) meter: Arc<Meter>,
    pub(super) cache: Option<Cache>,
    pub(super) openalex: OpenAlex,
    pub(super) crossref: Crossref,
    pub(super) rt: tokio::runtime::Runtime,
}

/// The retry policy the network flags ask for.
pub fn policy(net: &NetworkArgs) -> Policy {
    Policy {
        retries: net.retries,
        backoff: Duration::from_millis(net.backoff_ms),
        read_timeout: Duration::from_secs(net.timeout_secs.max(1)),
        ..Policy::default()
    }
}

impl<'a> Session<'a> {
    /// Clients as the network flags ask (retries, budget, page size).
    pub fn new(settings: &'a Settings, net: &NetworkArgs) -> Result<Self, Error> {
        Self::build(
            settings,
            policy(net),
            Meter::new(net.max_requests),
            net.per_page,
        )
    }

    /// Clients with the default policy and no request budget (single
    /// look-ups such as `lookup --orcid`).
    pub fn for_lookup(settings: &'a Settings) -> Result<Self, Error> {
        Self::build(settings, Policy::default(), Meter::new(None), 200)
    }

    fn build(
        settings: &'a Settings,
        policy: Policy,
        meter: Arc<Meter>,
        per_page: u32,
    ) -> Result<Self, Error> {
        let openalex = OpenAlex::new(
            &settings.openalex_url,
            settings.api_key.clone(),
            settings.mailto.clone(),
            policy.clone(),
            meter.clone(),
        )?
        .with_per_page(per_page);
        let crossref = Crossref::new(
            &settings.crossref_url,
            settings.mailto.clone(),
            policy,
            meter.clone(),
        )?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Net(NetError::Client(e.to_string())))?;
        Ok(Self {
            settings,
            meter,
            cache: None,
            openalex,
            crossref,
            rt,
        })
    }

    /// Crossref rows per page.
    pub fn with_crossref_rows(mut self, rows: u32) -> Self {
        self.crossref = self.crossref.with_rows(rows as usize);
        self
    }

    /// `--offline`.
    pub fn offline(&self) -> bool {
        self.settings.offline
    }

    /// The cache, opened on first use (a damaged one is repaired, with a warning).
    pub fn cache(&mut self) -> Result<&Cache, Error> {
        if self.cache.is_none() {
            let c = Cache::open(&self.settings.cache)?;
            if !c.repaired().is_empty() {
                log::warn!(
                    "cache {}: table(s) {} were missing (a damaged cache) and were made again empty; what they held is fetched again online, or counted as not screened offline (or remove it or use another --cache)",
                    c.path().display(),
                    c.repaired().join(", ")
                );
            }
            self.cache = Some(c);
        }
        Ok(self.cache.as_ref().expect("just opened"))
    }

    /// Requests, retries and bytes so far.
    pub fn stats(&self) -> Stats {
        self.meter.snapshot()
    }

    /// Walks an OpenAlex query into the cache (resuming a checkpoint unless `refresh`).
    pub fn walk(
        &mut self,
        q: &WorksQuery,
        refresh: bool,
        max_age: Option<i64>,
        on_page: &mut dyn FnMut(&Walk),
    ) -> Result<Walk, Error> {
        self.cache()?;
        let cache = self.cache.as_ref().expect("opened");
        self.rt
            .block_on(self.openalex.walk(q, cache, refresh, max_age, on_page))
    }

    /// Year -> count for a query, from `group_by=publication_year` (cached).
    pub fn counts_by_year(
        &mut self,
        q: &WorksQuery,
        max_age: i64,
    ) -> Result<BTreeMap<u16, u64>, Error> {
        let offline = self.offline();
        self.cache()?;
        let cache = self.cache.as_ref().expect("opened");
        let groups = self.rt.block_on(self.openalex.group_by(
            q,
            "publication_year",
            cache,
            Some(max_age),
            offline,
        ))?;
        Ok(groups
            .into_iter()
            .filter_map(|g| Some((g.key.parse::<u16>().ok()?, g.count)))
            .collect())
    }

    /// An OpenAlex author record (`A…` or `orcid:…`) through the cache.
    /// Cached records younger than 30 days are reused.
    pub fn author(&mut self, id: &str) -> Result<Option<String>, Error> {
        let offline = self.offline();
        self.cache()?;
        let cache = self.cache.as_ref().expect("opened");
        let body =
            self.rt.block_on(
                self.openalex
                    .author(id, cache, false, Some(30 * 86_400), offline),
            )?;
        log::debug!("author {id}: {} requests", self.stats().total());
        Ok(body)
    }
}
