//! OpenAlex REST client: works queries walked by cursor into the cache,
//! `group_by` counts, single works, DOI batches and authors.
//!
//! API rules honoured (2026): `api_key` on every call (never shown or
//! stored), `cursor=*` then `meta.next_cursor` until null or an empty page
//! (or, saving that last request, a short page or the API's count reached),
//! `per_page` 200 with a fall-back to 100 when the server refuses it,
//! `select=` of root fields only (never with `group_by`), OR-ed filter values
//! (`|`) at most 100 per filter.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::http::{Http, Meter, Policy};
use super::NetError;
use crate::error::Error;
use crate::ingest::openalex::{parse_work, SELECT};
use crate::net::cache::{fresh, now, Cache, Record};

/// Most values OpenAlex accepts OR-ed in one filter.
pub const MAX_OR_VALUES: usize = 100;
/// DOIs per batch request (kept under the OR limit so URLs stay short).
pub const DOI_BATCH: usize = 50;

/// The source name of works in the cache.
pub const SOURCE: &str = "openalex";
/// The source name of authors in the cache.
pub const AUTHOR_SOURCE: &str = "openalex-author";

/// A works query: OpenAlex filter clauses, AND-ed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorksQuery {
    clauses: Vec<String>,
}

impl WorksQuery {
    /// From `key:value` clauses.
    pub fn new(clauses: Vec<String>) -> Self {
        Self { clauses }
    }

    /// The `filter=` value.
    pub fn filter(&self) -> String {
        self.clauses.join(",")
    }

    /// The cache key: what is asked, never how (no key, cursor or page size).
    pub fn key(&self) -> String {
        format!("openalex works filter={} select={SELECT}", self.filter())
    }
}

/// What one walk did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Walk {
    /// Pages requested in this run.
    pub pages_fetched: u64,
    /// Works stored in this run.
    pub works_fetched: u64,
    /// Works the query holds in the cache now.
    pub works: u64,
    /// The API's total for the query, when a page said.
    pub total: Option<u64>,
    /// The query was answered from the cache without a request.
    pub from_cache: bool,
}

/// Counts per group (`group_by`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Group {
    /// Group key (e.g. `2021`, `https://openalex.org/types/article`).
    pub key: String,
    /// Display name.
    #[serde(default)]
    pub key_display_name: Option<String>,
    /// Works in the group.
    pub count: u64,
}

#[derive(Debug, Deserialize)]
struct Page<'a> {
    #[serde(default)]
    meta: Meta,
    #[serde(borrow, default)]
    results: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    group_by: Option<Vec<Group>>,
}

#[derive(Debug, Default, Deserialize)]
struct Meta {
    count: Option<u64>,
    next_cursor: Option<String>,
}

/// The OpenAlex client.
#[derive(Debug)]
pub struct OpenAlex {
    http: Http,
    base: String,
    api_key: Option<String>,
    mailto: Option<String>,
    per_page: AtomicU32,
}

impl OpenAlex {
    /// A client for `base` (no trailing slash).
    pub fn new(
        base: &str,
        api_key: Option<String>,
        mailto: Option<String>,
        policy: Policy,
        meter: Arc<Meter>,
    ) -> Result<Self, NetError> {
        Ok(Self {
            http: Http::new("OpenAlex", policy, meter, mailto.as_deref())?,
            base: base.trim_end_matches('/').to_owned(),
            api_key,
            mailto,
            per_page: AtomicU32::new(200),
        })
    }

    /// Asks for `n` works per page (1–200).
    pub fn with_per_page(self, n: u32) -> Self {
        self.per_page.store(n.clamp(1, 200), Ordering::Relaxed);
        self
    }

    fn url(&self, path: &str, params: &[(&str, &str)]) -> Result<String, NetError> {
        super::build_url(&self.base, path, params, self.mailto.as_deref())
    }

    async fn get(
        &self,
        kind: &str,
        url: &str,
        allow_404: bool,
    ) -> Result<super::http::Response, NetError> {
        let secret: Vec<(&str, &str)> = self
            .api_key
            .as_deref()
            .map(|k| vec![("api_key", k)])
            .unwrap_or_default();
        self.http.get(kind, url, &secret, allow_404).await
    }

    /// Walks a works query to its end, page by page into the cache, resuming a
    /// checkpoint. A complete walk younger than `max_age` seconds is answered
    /// from the cache; `refresh` starts over.
    pub async fn walk(
        &self,
        q: &WorksQuery,
        cache: &Cache,
        refresh: bool,
        max_age: Option<i64>,
        on_page: &mut dyn FnMut(&Walk),
    ) -> Result<Walk, Error> {
        let key = q.key();
        let mut walk = Walk::default();
        match cache.checkpoint(&key)? {
            Some(cp) if cp.done && !refresh && fresh(cp.started, max_age) => {
                walk.works = cp.works;
                walk.from_cache = true;
                return Ok(walk);
            }
            Some(cp) if cp.done || refresh => cache.reset_query(&key)?,
            Some(cp) => {
                log::info!(
                    "resuming {key} after {} pages ({} works)",
                    cp.pages,
                    cp.works
                );
            }
            None => {}
        }
        let filter = q.filter();
        let mut bad_pages = 0u32;
        loop {
            let (cursor, stored_before) = match cache.checkpoint(&key)? {
                Some(cp) if cp.done => break,
                Some(cp) => (cp.cursor, cp.works),
                None => ("*".to_owned(), 0),
            };
            let per_page = self.per_page.load(Ordering::Relaxed).to_string();
            let url = self.url(
                "/works",
                &[
                    ("filter", &filter),
                    ("select", SELECT),
                    ("per_page", &per_page),
                    ("cursor", &cursor),
                ],
            )?;
            let resp = match self.get("openalex list", &url, false).await {
                Err(NetError::Rejected {
                    status: 400,
                    message,
                    ..
                }) if per_page != "100" && message.contains("per") && message.contains("page") => {
                    log::warn!("OpenAlex refused per_page={per_page} ({message}); using 100");
                    self.per_page.store(100, Ordering::Relaxed);
                    continue;
                }
                r => r?,
            };
            let page: Page = match serde_json::from_slice(&resp.body) {
                Ok(p) => {
                    bad_pages = 0;
                    p
                }
                Err(e) if bad_pages < self.http.retries() => {
                    self.http
                        .pause_for_retry(bad_pages, &url, &format!("unusable page ({e})"))
                        .await;
                    bad_pages += 1;
                    continue;
                }
                Err(e) => {
                    return Err(NetError::Malformed {
                        api: "OpenAlex",
                        url: url.clone(),
                        message: format!("not a works page after {} attempts: {e}", bad_pages + 1),
                    }
                    .into())
                }
            };
            let results = page.results.unwrap_or_default();
            let fetched = now();
            let mut records = Vec::with_capacity(results.len());
            for raw in &results {
                let w = parse_work(raw.get()).map_err(|e| NetError::Malformed {
                    api: "OpenAlex",
                    url: url.clone(),
                    message: format!("a result is not a work: {e}"),
                })?;
                records.push((
                    Record {
                        source: SOURCE.to_owned(),
                        id: w.id,
                        body: raw.get().to_owned(),
                        fetched,
                    },
                    w.doi,
                ));
            }
            // The walk ends at a null cursor or an empty page, and also (saving
            // the empty terminal request) at a short page or once the API's own
            // count is reached.
            let short = (results.len() as u64) < u64::from(per_page.parse::<u32>().unwrap_or(200));
            let reached = page
                .meta
                .count
                .is_some_and(|c| stored_before + records.len() as u64 >= c);
            let next = page
                .meta
                .next_cursor
                .filter(|c| !c.is_empty() && !results.is_empty() && !short && !reached);
            cache.store_page(&key, &records, next.as_deref())?;
            walk.pages_fetched += 1;
            walk.works_fetched += records.len() as u64;
            walk.total = page.meta.count.or(walk.total);
            walk.works = cache.checkpoint(&key)?.map_or(0, |c| c.works);
            on_page(&walk);
            if next.is_none() {
                break;
            }
        }
        walk.works = cache.checkpoint(&key)?.map_or(0, |c| c.works);
        Ok(walk)
    }

    /// `group_by` counts for a query (exact aggregation: one request when
    /// there are fewer than 200 groups), cached for `max_age` seconds.
    pub async fn group_by(
        &self,
        q: &WorksQuery,
        field: &str,
        cache: &Cache,
        max_age: Option<i64>,
        offline: bool,
    ) -> Result<Vec<Group>, Error> {
        let key = format!("openalex group_by={field} filter={}", q.filter());
        if let Some(body) = cache.count(&key, if offline { None } else { max_age })? {
            if let Ok(groups) = serde_json::from_str(&body) {
                return Ok(groups);
            }
        }
        if offline {
            return Err(Error::Offline(format!(
                "--offline: no cached counts for {key}; run once online"
            )));
        }
        // One request answers up to 200 groups (a year range always fits); cursor
        // paging only when the first page is full.
        let mut groups = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let filter = q.filter();
            let mut params = vec![
                ("filter", filter.as_str()),
                ("group_by", field),
                ("per_page", "200"),
            ];
            if let Some(c) = &cursor {
                params.push(("cursor", c));
            }
            let url = self.url("/works", &params)?;
            let resp = self.get("openalex group_by", &url, false).await?;
            let page: Page =
                super::parse_body("OpenAlex", &url, &resp.body, "not a group_by page")?;
            let got = page.group_by.unwrap_or_default();
            let n = got.len();
            match (&cursor, n) {
                (None, n) if n < 200 => {
                    groups = got;
                    break;
                }
                (None, _) => {
                    // More groups than one page: start over with a cursor walk.
                    cursor = Some("*".to_owned());
                    continue;
                }
                (Some(_), _) => groups.extend(got),
            }
            match page.meta.next_cursor {
                Some(c) if n > 0 && !c.is_empty() => cursor = Some(c),
                _ => break,
            }
        }
        let body = serde_json::to_string(&groups).unwrap_or_default();
        cache.put_count(&key, &body)?;
        Ok(groups)
    }

    /// Resolves DOIs to works: from the cache, else OR-batched `doi:` filters.
    /// Returns the DOIs OpenAlex does not know.
    pub async fn resolve_dois(
        &self,
        dois: &[String],
        cache: &Cache,
        refresh: bool,
        on_page: &mut dyn FnMut(&Walk),
    ) -> Result<Vec<String>, Error> {
        let mut wanted = Vec::new();
        for d in dois {
            if refresh || cache.get_by_doi(SOURCE, d)?.is_none() {
                wanted.push(d.clone());
            }
        }
        wanted.sort();
        wanted.dedup();
        // `|` and `,` are filter syntax: such DOIs cannot be OR-ed.
        let (odd, plain): (Vec<String>, Vec<String>) =
            wanted.into_iter().partition(|d| d.contains(['|', ',']));
        for batch in plain.chunks(DOI_BATCH) {
            let q = WorksQuery::new(vec![format!("doi:{}", batch.join("|"))]);
            self.walk(&q, cache, refresh, None, on_page).await?;
        }
        for d in &odd {
            self.work(&format!("https://doi.org/{d}"), cache).await?;
        }
        let mut missing = Vec::new();
        for d in dois {
            if cache.get_by_doi(SOURCE, d)?.is_none() && !missing.contains(d) {
                missing.push(d.clone());
            }
        }
        Ok(missing)
    }

    /// One work by id (`W…` or a DOI URL); single-record calls are free.
    pub async fn work(&self, id: &str, cache: &Cache) -> Result<Option<String>, Error> {
        let url = self.url(&format!("/works/{id}"), &[("select", SELECT)])?;
        let resp = self.get("openalex single", &url, true).await?;
        if resp.status.as_u16() == 404 {
            return Ok(None);
        }
        let body = String::from_utf8_lossy(&resp.body).into_owned();
        let w = parse_work(&body).map_err(|e| NetError::Malformed {
            api: "OpenAlex",
            url: url.clone(),
            message: format!("not a work: {e}"),
        })?;
        cache.put(&[(
            Record {
                source: SOURCE.to_owned(),
                id: w.id.clone(),
                body,
                fetched: now(),
            },
            w.doi,
        )])?;
        Ok(Some(w.id))
    }

    /// An author record (`A…` or `orcid:0000-…`), from the cache unless older
    /// than `max_age` or `refresh`; `None` when OpenAlex does not know them.
    pub async fn author(
        &self,
        id: &str,
        cache: &Cache,
        refresh: bool,
        max_age: Option<i64>,
        offline: bool,
    ) -> Result<Option<String>, Error> {
        if let Some(r) = cache.get(AUTHOR_SOURCE, id)? {
            if offline || (!refresh && fresh(r.fetched, max_age)) {
                return Ok(Some(r.body));
            }
        }
        if offline {
            return Err(Error::Offline(format!(
                "--offline: author {id} is not in the cache; run once online"
            )));
        }
        let url = self.url(&format!("/authors/{id}"), &[])?;
        let resp = self.get("openalex author", &url, true).await?;
        if resp.status.as_u16() == 404 {
            return Ok(None);
        }
        let body = String::from_utf8_lossy(&resp.body).into_owned();
        if serde_json::from_str::<serde::de::IgnoredAny>(&body).is_err() {
            return Err(NetError::Malformed {
                api: "OpenAlex",
                url,
                message: "not JSON".into(),
            }
            .into());
        }
        cache.put(&[(
            Record {
                source: AUTHOR_SOURCE.to_owned(),
                id: id.to_owned(),
                body: body.clone(),
                fetched: now(),
            },
            None,
        )])?;
        Ok(Some(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_key_has_no_credentials_or_cursor() {
        let q = WorksQuery::new(vec![
            "authorships.institutions.lineage:I1".into(),
            "publication_year:2020-2024".into(),
        ]);
        assert_eq!(
            q.key(),
            format!("openalex works filter=authorships.institutions.lineage:I1,publication_year:2020-2024 select={SELECT}")
        );
    }
}
