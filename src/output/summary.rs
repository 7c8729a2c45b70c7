//! The summary of what a run fetched and read (`fetch` prints it; `screen`
//! takes its request counts into the report's manifest).

use std::collections::BTreeMap;

use serde::Serialize;

/// Requests by kind, `openalex 3, crossref 1` (empty when none were made).
pub fn by_kind(requests: &BTreeMap<String, u64>) -> String {
    requests
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a run fetched and read.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Works the selection holds (cached or read).
    pub works: u64,
    /// Works downloaded in this run.
    pub works_fetched: u64,
    /// Pages downloaded in this run.
    pub pages: u64,
    /// Queries answered from the cache without a request.
    pub queries_from_cache: u64,
    /// Queries walked.
    pub queries: u64,
    /// The API's own total for the queries, where pages said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_total: Option<u64>,
    /// DOIs read from DOI lists.
    pub dois: u64,
    /// DOIs neither OpenAlex nor Crossref knows.
    pub dois_not_found: Vec<String>,
    /// `--offline`: DOIs the cache does not hold (not screened).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dois_not_cached: Vec<String>,
    /// `--offline`: works finished queries stored that the cache no longer
    /// holds (deleted rows, a dropped table): not screened.
    pub cache_missing: u64,
    /// One line per query with missing works.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cache_missing_notes: Vec<String>,
    /// Records that could not be read.
    pub input_errors: u64,
    /// Requests by kind.
    pub requests: BTreeMap<String, u64>,
    /// Retried attempts.
    pub retries: u64,
    /// Response bytes.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// False when the run stopped early (request budget): rerun to resume.
    pub complete: bool,
    /// Why it stopped early.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

impl Summary {
    /// One line per fact, for people.
    pub fn render(&self) -> String {
        let mut s = format!(
            "works: {} ({} downloaded in this run)\npages: {} downloaded; queries: {} ({} answered from the cache)\n",
            self.works, self.works_fetched, self.pages, self.queries, self.queries_from_cache
        );
        if let Some(t) = self.api_total {
            s.push_str(&format!("API total for the query: {t}\n"));
        }
        if self.dois > 0 {
            s.push_str(&format!(
                "DOIs: {} read, {} not found\n",
                self.dois,
                self.dois_not_found.len()
            ));
        }
        if self.input_errors > 0 {
            s.push_str(&format!("input errors: {}\n", self.input_errors));
        }
        let reqs = by_kind(&self.requests);
        s.push_str(&format!(
            "requests: {} ({}); retries: {}; {:.1} MB; {:.1} s\n",
            self.requests.values().sum::<u64>(),
            if reqs.is_empty() { "none" } else { &reqs },
            self.retries,
            self.bytes as f64 / 1e6,
            self.seconds
        ));
        if let Some(why) = &self.stopped {
            s.push_str(&format!("INCOMPLETE: {why}\n"));
        }
        s
    }
}
