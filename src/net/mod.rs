//! The network edge: the OpenAlex and Crossref REST clients over one
//! retrying, rate-limited HTTP layer ([`http`]). Everything fetched goes
//! through the [`cache`] so reruns are incremental. A [`Session`] is the only
//! way to get the clients and their runtime; [`Sources`] fetches and streams
//! the works a run selects.

pub mod cache;
pub mod crossref;
pub mod http;
pub mod openalex;
mod session;
pub mod sources;

pub use http::{Meter, Policy, Stats};
pub use session::{policy, Session};
pub use sources::{record_work, Sources};

use crate::exit::ExitStatus;

/// `base` + `path` with the query pairs (and `mailto` when given), encoded.
/// Never given credentials: the URL is what errors, logs and cache keys show.
pub(crate) fn build_url(
    base: &str,
    path: &str,
    params: &[(&str, &str)],
    mailto: Option<&str>,
) -> Result<String, NetError> {
    let mut all: Vec<(&str, &str)> = params.to_vec();
    if let Some(m) = mailto {
        all.push(("mailto", m));
    }
    let raw = format!("{base}{path}");
    let url = if all.is_empty() {
        reqwest::Url::parse(&raw)
    } else {
        reqwest::Url::parse_with_params(&raw, &all)
    };
    url.map(String::from)
        .map_err(|e| NetError::Client(format!("bad URL {raw}: {e}")))
}

/// A response body as JSON of type `T`, or [`NetError::Malformed`] saying
/// what it should have been (`what`: "not a works list").
pub(crate) fn parse_body<'de, T: serde::Deserialize<'de>>(
    api: &'static str,
    url: &str,
    body: &'de [u8],
    what: &str,
) -> Result<T, NetError> {
    serde_json::from_slice(body).map_err(|e| NetError::Malformed {
        api,
        url: url.to_owned(),
        message: format!("{what}: {e}"),
    })
}

/// A source failed or refused; every variant exits 3.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// Retries exhausted (429, 5xx, timeouts, dropped connections).
    #[error("{api}: giving up on {url} after {attempts} attempts: {last}")]
    Failed {
        /// Which API.
        api: &'static str,
        /// The request, without credentials.
        url: String,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// A 4xx the request cannot fix by retrying.
    #[error("{api} refused {url} (HTTP {status}): {message}")]
    Rejected {
        /// Which API.
        api: &'static str,
        /// HTTP status.
        status: u16,
        /// The request, without credentials.
        url: String,
        /// The API's message.
        message: String,
    },
    /// 401/403: the key is missing, wrong or out of credit.
    #[error("{api} rejected the credentials (HTTP {status}) for {url}: {message}. Check --api-key / COSCREEN_OPENALEX_API_KEY")]
    Auth {
        /// Which API.
        api: &'static str,
        /// HTTP status.
        status: u16,
        /// The request, without credentials.
        url: String,
        /// The API's message.
        message: String,
    },
    /// The rate-limit window is spent and resets too far ahead to wait.
    #[error("{api}: rate limit spent; it resets in {reset_secs} s. Rerun later: the cache resumes where this run stopped")]
    Quota {
        /// Which API.
        api: &'static str,
        /// Seconds to the reset.
        reset_secs: u64,
    },
    /// A 200 response whose body is not what the API documents.
    #[error("{api}: malformed response to {url}: {message}")]
    Malformed {
        /// Which API.
        api: &'static str,
        /// The request, without credentials.
        url: String,
        /// What is wrong.
        message: String,
    },
    /// `--max-requests` reached; stopped before exceeding it.
    #[error(
        "stopped at the request budget (--max-requests {limit}); rerun to resume from the cache"
    )]
    Budget {
        /// The budget.
        limit: u64,
    },
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Client(String),
    /// A poisoned lock or closed semaphore (a bug).
    #[error("internal error in the HTTP layer")]
    Internal,
}

impl NetError {
    /// Every network error exits 3.
    pub fn exit_status(&self) -> ExitStatus {
        ExitStatus::Network
    }
}
