//! Crossref REST client: works by DOI and filtered lists walked by cursor.
//!
//! Crossref rules honoured: `mailto` for the polite pool (also in the
//! User-Agent), `rows` up to 1000, a cursor walk in which the same
//! `next-cursor` repeats and the end is a short page, a 404 for an unknown
//! DOI that is plain text, and the `x-rate-limit-*` headers it sends.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::http::{Http, Meter, Policy};
use super::NetError;
use crate::error::Error;
use crate::ingest::crossref::{work_from_value, SELECT};
use crate::net::cache::{now, Cache, Record};

/// The source name of Crossref works in the cache.
pub const SOURCE: &str = "crossref";
/// Rows per page (the API's maximum).
pub const ROWS: usize = 1000;

#[derive(Debug, Deserialize)]
struct ListResponse<'a> {
    #[serde(borrow)]
    message: ListMessage<'a>,
}

#[derive(Debug, Deserialize)]
struct ListMessage<'a> {
    #[serde(borrow, default)]
    items: Vec<&'a RawValue>,
    #[serde(rename = "next-cursor")]
    next_cursor: Option<String>,
    #[serde(rename = "total-results")]
    total: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct SingleResponse<'a> {
    #[serde(borrow)]
    message: &'a RawValue,
}

/// The cache key of a filtered list walk.
pub fn query_key(filter: &str, query: Option<&str>) -> String {
    format!(
        "crossref works filter={filter} query={} select={SELECT}",
        query.unwrap_or("")
    )
}

/// The Crossref client.
#[derive(Debug)]
pub struct Crossref {
    http: Http,
    base: String,
    mailto: Option<String>,
    rows: usize,
}

impl Crossref {
    /// A client for `base`; polite pool when `mailto` is given (3 requests in
    /// flight, else 1, as Crossref's 2026 limits say).
    pub fn new(
        base: &str,
        mailto: Option<String>,
        mut policy: Policy,
        meter: Arc<Meter>,
    ) -> Result<Self, NetError> {
        policy.concurrency = if mailto.is_some() { 3 } else { 1 };
        let floor = if mailto.is_some() { 100 } else { 200 };
        policy.min_interval = policy
            .min_interval
            .max(std::time::Duration::from_millis(floor));
        Ok(Self {
            http: Http::new("Crossref", policy, meter, mailto.as_deref())?,
            base: base.trim_end_matches('/').to_owned(),
            mailto,
            rows: ROWS,
        })
    }

    /// Smaller pages (tests, or a server that refuses 1000).
    pub fn with_rows(mut self, rows: usize) -> Self {
        self.rows = rows.clamp(1, ROWS);
        self
    }

    fn url(&self, path: &str, params: &[(&str, &str)]) -> Result<String, NetError> {
        super::build_url(&self.base, path, params, self.mailto.as_deref())
    }

    /// One work by DOI, into the cache; `false` when Crossref does not know it.
    pub async fn work(&self, doi: &str, cache: &Cache) -> Result<bool, Error> {
        let path: String = doi
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-._~/:()".contains(c) {
                    c.to_string()
                } else {
                    let mut b = [0u8; 4];
                    c.encode_utf8(&mut b)
                        .bytes()
                        .map(|x| format!("%{x:02X}"))
                        .collect()
                }
            })
            .collect();
        let url = self.url(&format!("/works/{path}"), &[])?;
        let resp = self.http.get("crossref single", &url, &[], true).await?;
        if resp.status.as_u16() == 404 {
            return Ok(false);
        }
        let single: SingleResponse =
            super::parse_body("Crossref", &url, &resp.body, "not a work response")?;
        let record = self.record(single.message, &url)?;
        cache.put(&[record])?;
        Ok(true)
    }

    fn record(&self, raw: &RawValue, url: &str) -> Result<(Record, Option<String>), NetError> {
        let v: serde_json::Value =
            serde_json::from_str(raw.get()).map_err(|e| NetError::Malformed {
                api: "Crossref",
                url: crate::output::sanitize::strip_credentials(url).into_owned(),
                message: e.to_string(),
            })?;
        let w = work_from_value(v).map_err(|e| NetError::Malformed {
            api: "Crossref",
            url: crate::output::sanitize::strip_credentials(url).into_owned(),
            message: format!("an item is not a work: {e}"),
        })?;
        Ok((
            Record {
                source: SOURCE.to_owned(),
                id: w.id,
                body: raw.get().to_owned(),
                fetched: now(),
            },
            w.doi,
        ))
    }

    /// Walks `/works` with a filter (and optional free-text query) into the
    /// cache, resuming a checkpoint. Returns (pages fetched, works in the query).
    pub async fn walk(
        &self,
        filter: &str,
        query: Option<&str>,
        cache: &Cache,
        refresh: bool,
    ) -> Result<(u64, u64), Error> {
        let key = query_key(filter, query);
        match cache.checkpoint(&key)? {
            Some(cp) if cp.done && !refresh => return Ok((0, cp.works)),
            Some(cp) if cp.done || refresh => cache.reset_query(&key)?,
            _ => {}
        }
        let rows = self.rows.to_string();
        let mut pages = 0;
        loop {
            let cursor = match cache.checkpoint(&key)? {
                Some(cp) if cp.done => break,
                Some(cp) => cp.cursor,
                None => "*".to_owned(),
            };
            let mut params = vec![
                ("rows", rows.as_str()),
                ("cursor", cursor.as_str()),
                ("select", SELECT),
            ];
            if !filter.is_empty() {
                params.push(("filter", filter));
            }
            if let Some(q) = query {
                params.push(("query", q));
            }
            let url = self.url("/works", &params)?;
            let resp = self.http.get("crossref list", &url, &[], false).await?;
            let page: ListResponse =
                super::parse_body("Crossref", &url, &resp.body, "not a works list")?;
            let mut records = Vec::with_capacity(page.message.items.len());
            for raw in &page.message.items {
                records.push(self.record(raw, &url)?);
            }
            // The cursor repeats; the end is a short (or empty) page.
            let last = records.len() < self.rows;
            let next = if last {
                None
            } else {
                page.message.next_cursor.clone()
            };
            cache.store_page(&key, &records, next.as_deref())?;
            pages += 1;
            log::debug!(
                "Crossref page {pages}: {} items of {:?}",
                records.len(),
                page.message.total
            );
            if next.is_none() {
                break;
            }
        }
        let works = cache.checkpoint(&key)?.map_or(0, |c| c.works);
        Ok((pages, works))
    }
}
