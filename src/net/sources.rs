//! Getting works for a run: from an API query through the cache, from a DOI
//! list (cache, then OpenAlex batches, then Crossref), or from offline files.
//! Shared by `fetch` (warm only) and `screen` (warm, then stream).

use std::time::Instant;

use super::cache::Cache;
use super::openalex::{Walk, WorksQuery, MAX_OR_VALUES};
use super::{NetError, Session, Stats};
use crate::cli::SourceArgs;
use crate::error::Error;
use crate::ingest::input::{read_inputs, InputError, Item};
use crate::ingest::Work;
use crate::output::progress::Unit;
use crate::output::summary::Summary;
use crate::risklist::RiskList;
use crate::settings::Settings;

/// The works a run selects (API queries, DOI lists, files), fetched through
/// the [`Session`]'s cache.
pub struct Sources<'a> {
    settings: &'a Settings,
    args: &'a SourceArgs,
    net: Session<'a>,
    started: Instant,
    summary: Summary,
    skip_files: bool,
    extra_dois: Vec<String>,
}

impl<'a> Sources<'a> {
    /// Leaves `--input` files to the caller (the parallel bulk reader) and
    /// resolves these DOIs, found in them, with the API sources.
    pub fn without_files(mut self, dois: Vec<String>) -> Self {
        self.skip_files = true;
        self.extra_dois = dois;
        self
    }

    /// Builds clients from the global settings and the source options.
    pub fn new(settings: &'a Settings, args: &'a SourceArgs) -> Result<Self, Error> {
        args.years.check()?;
        args.home.check()?;
        let net = Session::new(settings, &args.net)?.with_crossref_rows(args.crossref_rows);
        Ok(Self {
            settings,
            args,
            net,
            started: Instant::now(),
            summary: Summary {
                complete: true,
                ..Summary::default()
            },
            skip_files: false,
            extra_dois: Vec::new(),
        })
    }

    fn cache(&mut self) -> Result<&Cache, Error> {
        self.net.cache()
    }

    /// The OpenAlex queries the options describe (several when listed ids are OR-batched).
    pub fn queries(&self, list: Option<&RiskList>) -> Result<Vec<WorksQuery>, Error> {
        let a = self.args;
        let mut base = a.home.clauses()?;
        // Files are the selection (a home option names their home side), and a
        // years-only filter would walk the whole corpus: no OpenAlex query.
        if !a.input.is_empty() || base.is_empty() {
            return Ok(Vec::new());
        }
        base.extend(a.years.clause());
        if !a.partner_listed {
            return Ok(vec![WorksQuery::new(base)]);
        }
        let list =
            list.ok_or_else(|| Error::Usage("--partner-listed needs the risk list".into()))?;
        let mut ids: Vec<String> = list
            .entries()
            .iter()
            .filter_map(|e| e.openalex.clone())
            .collect();
        let mut rors: Vec<String> = list
            .entries()
            .iter()
            .filter(|e| e.openalex.is_none())
            .filter_map(|e| e.ror.clone())
            .collect();
        ids.sort();
        ids.dedup();
        rors.sort();
        rors.dedup();
        let mut out = Vec::new();
        for (key, values) in [
            ("authorships.institutions.lineage", &ids),
            ("authorships.institutions.ror", &rors),
        ] {
            for chunk in values.chunks(MAX_OR_VALUES) {
                let mut clauses = base.clone();
                clauses.push(format!("{key}:{}", chunk.join("|")));
                out.push(WorksQuery::new(clauses));
            }
        }
        Ok(out)
    }

    /// Warms the cache for every source the options name. Offline inputs
    /// other than DOI lists are read and counted (there is nothing to fetch).
    /// A spent request budget ends the run cleanly with `complete: false`.
    pub fn fetch(
        &mut self,
        list: Option<&RiskList>,
        errors: &mut dyn FnMut(&InputError),
    ) -> Result<Summary, Error> {
        match self.fetch_inner(list, &mut |item| {
            if let Item::Error(e) = item {
                errors(&e);
            }
            Ok(())
        }) {
            Ok(()) => {}
            Err(Error::Net(e @ NetError::Budget { .. })) => {
                self.summary.complete = false;
                self.summary.stopped = Some(e.to_string());
            }
            Err(e) => return Err(e),
        }
        Ok(self.finish())
    }

    /// Fetches what is needed, then streams every work of the selection to `sink`
    /// (works from files as read; API and DOI works from the cache).
    pub fn works(
        &mut self,
        list: Option<&RiskList>,
        sink: &mut dyn FnMut(Item) -> Result<(), Error>,
    ) -> Result<Summary, Error> {
        let mut dois: Vec<String> = Vec::new();
        let mut file_works = 0u64;
        self.fetch_inner(list, &mut |item| match item {
            Item::Doi { doi, .. } => {
                dois.push(doi);
                Ok(())
            }
            Item::Work(w) => {
                file_works += 1;
                sink(Item::Work(w))
            }
            other => sink(other),
        })?;
        self.summary.works = file_works;
        let queries = self.queries(list)?;
        let args = self.args;
        let cache_needed =
            !queries.is_empty() || !dois.is_empty() || args.crossref_filter.is_some();
        if cache_needed {
            let offline = self.settings.offline;
            let progress = self.settings.progress;
            let cache = self.cache()?;
            let cache_path = cache.path().to_owned();
            // Reading back from the cache (screening as it goes) is the long
            // part of a large screen: a count with its rate on a terminal.
            let bar = crate::output::progress::bar(progress, Unit::Works, None);
            let mut n = 0;
            // Online, unreadable records are fetched again below before
            // they count as errors.
            let mut unreadable: Vec<(String, String, String)> = Vec::new();
            let mut emit = |rec: super::cache::Record| -> Result<(), Error> {
                n += 1;
                bar.inc(1);
                match record_work(&rec) {
                    Ok(w) => sink(Item::Work(Box::new(w))),
                    Err(message) if !offline => {
                        unreadable.push((rec.source, rec.id, message));
                        Ok(())
                    }
                    Err(message) => sink(Item::Error(InputError {
                        path: cache.path().to_owned(),
                        line: 0,
                        field: None,
                        message: format!("cached {} {}: {message}", rec.source, rec.id),
                    })),
                }
            };
            let mut seen = rustc_hash::FxHashSet::default();
            for q in &queries {
                cache.for_each_in_query(&q.key(), &mut |rec| {
                    if seen.insert((rec.source.clone(), rec.id.clone())) {
                        emit(rec)
                    } else {
                        Ok(())
                    }
                })?;
            }
            for d in &dois {
                let rec = match cache.get_by_doi(super::openalex::SOURCE, d)? {
                    Some(r) => Some(r),
                    None => cache.get_by_doi(super::crossref::SOURCE, d)?,
                };
                if let Some(rec) = rec {
                    if seen.insert((rec.source.clone(), rec.id.clone())) {
                        emit(rec)?;
                    }
                }
            }
            if let Some(f) = &args.crossref_filter {
                let key = super::crossref::query_key(f, None);
                cache.for_each_in_query(&key, &mut |rec| {
                    if seen.insert((rec.source.clone(), rec.id.clone())) {
                        emit(rec)
                    } else {
                        Ok(())
                    }
                })?;
            }
            bar.finish_and_clear();
            self.summary.works += n;
            if !unreadable.is_empty() {
                self.refetch_unreadable(&queries, &dois, unreadable, &cache_path, sink)?;
            }
        }
        Ok(self.finish())
    }

    /// Online: drops unreadable cached records, walks the queries that held
    /// them again, resolves the DOIs again, and streams what is readable now;
    /// the rest are errors.
    fn refetch_unreadable(
        &mut self,
        queries: &[WorksQuery],
        dois: &[String],
        unreadable: Vec<(String, String, String)>,
        cache_path: &std::path::Path,
        sink: &mut dyn FnMut(Item) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.cache()?;
        let cache = self.net.cache.as_ref().expect("opened");
        for (source, id, _) in &unreadable {
            cache.delete_record(source, id)?;
        }
        log::warn!(
            "cache {}: {} records were unreadable; fetching them again",
            cache_path.display(),
            unreadable.len()
        );
        let max_age = self.args.net.max_age.map(|d| i64::from(d) * 86_400);
        for q in queries {
            if cache.query_health(&q.key())?.missing() > 0 {
                self.net.rt.block_on(self.net.openalex.walk(
                    q,
                    cache,
                    true,
                    max_age,
                    &mut |_| {},
                ))?;
            }
        }
        if !dois.is_empty() {
            // Only the DOIs whose record was dropped are requested again.
            let not_found = std::mem::take(&mut self.summary.dois_not_found);
            self.resolve_dois(dois, false, false)?;
            let mut all = not_found;
            for d in std::mem::take(&mut self.summary.dois_not_found) {
                if !all.contains(&d) {
                    all.push(d);
                }
            }
            self.summary.dois_not_found = all;
        }
        self.cache()?;
        let cache = self.net.cache.as_ref().expect("opened");
        for (source, id, message) in unreadable {
            let again = cache.get(&source, &id)?.map(|r| record_work(&r));
            match again {
                Some(Ok(w)) => sink(Item::Work(Box::new(w)))?,
                other => {
                    let why = match other {
                        Some(Err(m)) => format!("still unreadable after fetching it again: {m}"),
                        _ => format!(
                            "{message}; removed from the cache, not returned again by the source"
                        ),
                    };
                    sink(Item::Error(InputError {
                        path: cache_path.to_owned(),
                        line: 0,
                        field: None,
                        message: format!("cached {source} {id}: {why}"),
                    }))?;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Summary {
        let stats: Stats = self.net.stats();
        self.summary.requests = stats.requests.clone();
        self.summary.retries = stats.retries;
        self.summary.bytes = stats.bytes;
        self.summary.seconds = self.started.elapsed().as_secs_f64();
        self.summary.clone()
    }

    fn fetch_inner(
        &mut self,
        list: Option<&RiskList>,
        sink: &mut dyn FnMut(Item) -> Result<(), Error>,
    ) -> Result<(), Error> {
        // Offline files first: works pass through; DOIs are collected to resolve.
        let mut dois: Vec<String> = Vec::new();
        for doi in std::mem::take(&mut self.extra_dois) {
            dois.push(doi.clone());
            self.summary.dois += 1;
            sink(Item::Doi {
                doi,
                path: std::path::PathBuf::new(),
                line: 0,
            })?;
        }
        if !self.args.input.is_empty() && !self.skip_files {
            let mut file_works = 0u64;
            let stats = read_inputs(&self.args.input, self.args.format, &mut |item| match item {
                Item::Doi { doi, path, line } => {
                    dois.push(doi.clone());
                    sink(Item::Doi { doi, path, line })
                }
                Item::Work(w) => {
                    file_works += 1;
                    sink(Item::Work(w))
                }
                e @ Item::Error(_) => sink(e),
            })?;
            self.summary.works += file_works;
            self.summary.input_errors += stats.errors;
            self.summary.dois += stats.dois;
        }
        let queries = self.queries(list)?;
        let progress = self.settings.progress;
        let offline = self.settings.offline;
        let refresh = self.args.net.refresh;
        let max_age = self.args.net.max_age.map(|d| i64::from(d) * 86_400);
        if !dois.is_empty() {
            self.resolve_dois(&dois, offline, refresh)?;
        }
        if let Some(filter) = self.args.crossref_filter.clone() {
            if offline {
                let key = super::crossref::query_key(&filter, None);
                if !self.cache()?.checkpoint(&key)?.is_some_and(|c| c.done) {
                    return Err(Error::Offline(format!(
                        "--offline: the Crossref filter '{filter}' was never fetched to its end; run once online"
                    )));
                }
            } else {
                self.cache()?;
                let cache = self.net.cache.as_ref().expect("opened");
                let (pages, works) = self
                    .net
                    .rt
                    .block_on(self.net.crossref.walk(&filter, None, cache, refresh))?;
                self.summary.pages += pages;
                self.summary.queries += 1;
                self.summary.works += works;
            }
        }
        for q in &queries {
            self.summary.queries += 1;
            self.cache()?;
            let cache = self.net.cache.as_ref().expect("opened");
            // A finished walk whose works are no longer all in the cache
            // (deleted rows, a dropped table): refetched online, counted offline.
            let mut refresh = refresh;
            if cache.checkpoint(&q.key())?.is_some_and(|c| c.done) {
                let h = cache.query_health(&q.key())?;
                let missing = h.missing();
                if missing > 0 {
                    let what = format!(
                        "cache {}: the query {} lacks {missing} of its {} works (deleted rows or a dropped table)",
                        cache.path().display(),
                        q.filter(),
                        h.expected.unwrap_or(h.members).max(h.members)
                    );
                    if offline {
                        self.summary.cache_missing += missing;
                        self.summary.cache_missing_notes.push(format!(
                            "{what}; --offline: not screened; rerun online to fetch them again, or remove the cache or use another --cache"
                        ));
                    } else {
                        log::warn!("{what}; fetching the query again");
                        refresh = true;
                    }
                }
            }
            if offline {
                match cache.checkpoint(&q.key())? {
                    Some(cp) if cp.done => {
                        self.summary.queries_from_cache += 1;
                        self.summary.works += cp.works;
                        continue;
                    }
                    Some(cp) => {
                        return Err(Error::Offline(format!(
                            "--offline: the query {} stopped after {} pages and was never finished; rerun online to complete it",
                            q.filter(),
                            cp.pages
                        )))
                    }
                    None => {
                        return Err(Error::Offline(format!(
                            "--offline: the query {} is not in the cache {}; run `coscreen fetch` online first",
                            q.filter(),
                            cache.path().display()
                        )))
                    }
                }
            }
            let bar = crate::output::progress::bar(progress, Unit::Works, Some(0));
            let mut on_page = |w: &Walk| {
                if let Some(t) = w.total {
                    bar.set_length(t);
                }
                bar.set_position(w.works);
            };
            let walk = self.net.rt.block_on(self.net.openalex.walk(
                q,
                cache,
                refresh,
                max_age,
                &mut on_page,
            ));
            bar.finish_and_clear();
            let walk = walk?;
            self.summary.pages += walk.pages_fetched;
            self.summary.works_fetched += walk.works_fetched;
            self.summary.works += walk.works;
            self.summary.queries_from_cache += u64::from(walk.from_cache);
            if walk.total.is_some() {
                self.summary.api_total =
                    Some(self.summary.api_total.unwrap_or(0) + walk.total.unwrap_or(0));
            }
        }
        Ok(())
    }

    fn resolve_dois(&mut self, dois: &[String], offline: bool, refresh: bool) -> Result<(), Error> {
        self.cache()?;
        let cache = self.net.cache.as_ref().expect("opened");
        let missing = if offline {
            let mut m = Vec::new();
            for d in dois {
                if cache.get_by_doi(super::openalex::SOURCE, d)?.is_none()
                    && cache.get_by_doi(super::crossref::SOURCE, d)?.is_none()
                {
                    m.push(d.clone());
                }
            }
            if !m.is_empty() && m.len() == dois.len() {
                return Err(Error::Offline(format!(
                    "--offline: none of the {} DOIs is in the cache {}; run once online first",
                    dois.len(),
                    cache.path().display()
                )));
            }
            self.summary.dois_not_cached = m;
            return Ok(());
        } else {
            let mut walked = Walk::default();
            let mut on_page = |w: &Walk| walked = *w;
            let missing = self.net.rt.block_on(self.net.openalex.resolve_dois(
                dois,
                cache,
                refresh,
                &mut on_page,
            ))?;
            let mut still = Vec::new();
            for d in missing {
                let found = cache.get_by_doi(super::crossref::SOURCE, &d)?.is_some()
                    || self.net.rt.block_on(self.net.crossref.work(&d, cache))?;
                if !found {
                    still.push(d);
                }
            }
            still
        };
        self.summary.dois_not_found = missing;
        Ok(())
    }
}

/// A cached raw record -> work.
pub fn record_work(rec: &super::cache::Record) -> Result<Work, String> {
    match rec.source.as_str() {
        super::openalex::SOURCE => {
            crate::ingest::openalex::parse_work(&rec.body).map_err(|e| e.to_string())
        }
        super::crossref::SOURCE => serde_json::from_str(&rec.body)
            .map_err(|e| e.to_string())
            .and_then(|v| crate::ingest::crossref::work_from_value(v).map_err(|e| e.to_string())),
        other => Err(format!("unknown source {other}")),
    }
}
