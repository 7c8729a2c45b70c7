//! One HTTP client per API: client-side rate limit and concurrency bound,
//! timeouts, retries with exponential backoff and jitter (honouring
//! `Retry-After`), rate-limit headers of both generations, request counts by
//! kind, and a request budget. Credentials are added to the request only;
//! every URL shown in errors, logs and the cache is built without them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::NetError;

/// Retry and timing knobs.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// First backoff; doubles each retry, with jitter.
    pub backoff: Duration,
    /// Longest single wait, and the longest `Retry-After` honoured before giving up.
    pub max_wait: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Read timeout (between bytes) and, times four, the whole-request timeout.
    pub read_timeout: Duration,
    /// Least time between request starts (the client-side rate limit).
    pub min_interval: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            retries: 5,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            min_interval: Duration::from_millis(100),
            concurrency: 4,
        }
    }
}

/// Counters shared by every client of one run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Requests sent (each attempt counts), by kind (`openalex list`, `crossref single`…).
    pub requests: BTreeMap<String, u64>,
    /// Attempts that were retries.
    pub retries: u64,
    /// Response bytes received.
    pub bytes: u64,
}

impl Stats {
    /// All requests.
    pub fn total(&self) -> u64 {
        self.requests.values().sum()
    }
}

/// The shared request budget and counters.
#[derive(Debug, Default)]
pub struct Meter {
    stats: Mutex<Stats>,
    budget: Option<u64>,
}

impl Meter {
    /// A meter allowing at most `budget` requests (None = unlimited).
    pub fn new(budget: Option<u64>) -> Arc<Self> {
        Arc::new(Self {
            stats: Mutex::new(Stats::default()),
            budget,
        })
    }

    /// A copy of the counters.
    pub fn snapshot(&self) -> Stats {
        self.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Takes one request from the budget, or says it is spent.
    fn take(&self, kind: &str, retry: bool) -> Result<(), NetError> {
        let mut s = self.stats.lock().map_err(|_| NetError::Internal)?;
        if let Some(limit) = self.budget {
            if s.total() >= limit {
                return Err(NetError::Budget { limit });
            }
        }
        *s.requests.entry(kind.to_owned()).or_default() += 1;
        if retry {
            s.retries += 1;
        }
        Ok(())
    }

    fn add_retry(&self) {
        if let Ok(mut s) = self.stats.lock() {
            s.retries += 1;
        }
    }

    fn add_bytes(&self, n: usize) {
        if let Ok(mut s) = self.stats.lock() {
            s.bytes += n as u64;
        }
    }
}

/// A successful response.
#[derive(Debug)]
pub struct Response {
    /// 200 or another 2xx, or a 404 the caller asked to see.
    pub status: StatusCode,
    /// The body.
    pub body: Vec<u8>,
}

/// A rate-limited, retrying GET client for one API.
#[derive(Debug)]
pub struct Http {
    api: &'static str,
    client: reqwest::Client,
    policy: Policy,
    meter: Arc<Meter>,
    gate: Semaphore,
    next_slot: tokio::sync::Mutex<Instant>,
    interval: Mutex<Duration>,
}

impl Http {
    /// A client for `api` (`OpenAlex`, `Crossref`) with a User-Agent naming coscreen and the contact.
    pub fn new(
        api: &'static str,
        policy: Policy,
        meter: Arc<Meter>,
        mailto: Option<&str>,
    ) -> Result<Self, NetError> {
        let ua = match mailto {
            Some(m) => format!(
                "coscreen/{} (https://github.com/coscreen; mailto:{m})",
                env!("CARGO_PKG_VERSION")
            ),
            None => format!("coscreen/{}", env!("CARGO_PKG_VERSION")),
        };
        let client = reqwest::Client::builder()
            .user_agent(ua)
            .connect_timeout(policy.connect_timeout)
            .read_timeout(policy.read_timeout)
            .timeout(policy.read_timeout * 4)
            .gzip(true)
            .build()
            .map_err(|e| NetError::Client(e.without_url().to_string()))?;
        Ok(Self {
            api,
            client,
            gate: Semaphore::new(policy.concurrency.max(1)),
            interval: Mutex::new(policy.min_interval),
            next_slot: tokio::sync::Mutex::new(Instant::now()),
            policy,
            meter,
        })
    }

    /// GETs `url` (shown as is in errors) with `secret` query pairs added to the
    /// request only. 404 is returned to the caller when `allow_404`; other
    /// 4xx fail at once; 429, 5xx, timeouts and dropped connections are retried.
    pub async fn get(
        &self,
        kind: &str,
        url: &str,
        secret: &[(&str, &str)],
        allow_404: bool,
    ) -> Result<Response, NetError> {
        let _permit = self.gate.acquire().await.map_err(|_| NetError::Internal)?;
        let mut attempt = 0u32;
        loop {
            self.meter.take(kind, attempt > 0)?;
            self.pace().await;
            log::debug!(
                "GET {url}{}",
                if attempt > 0 {
                    format!(" (retry {attempt})")
                } else {
                    String::new()
                }
            );
            let outcome = self.once(url, secret).await;
            let wait = match outcome {
                Ok((status, headers, body)) => {
                    self.meter.add_bytes(body.len());
                    self.read_limits(&headers)?;
                    if status.is_success() || (allow_404 && status == StatusCode::NOT_FOUND) {
                        return Ok(Response { status, body });
                    }
                    let message = api_message(&body);
                    match status.as_u16() {
                        401 | 403 => {
                            return Err(NetError::Auth {
                                api: self.api,
                                status: status.as_u16(),
                                url: crate::output::sanitize::strip_credentials(url).into_owned(),
                                message,
                            })
                        }
                        429 | 500..=599 => {
                            let after = retry_after(&headers);
                            if let Some(a) = after.filter(|a| *a > self.policy.max_wait) {
                                return Err(NetError::Failed {
                                    api: self.api,
                                    url: crate::output::sanitize::strip_credentials(url).into_owned(),
                                    attempts: attempt + 1,
                                    last: format!(
                                        "HTTP {status}: the server asks to wait {}s (Retry-After), longer than {}s",
                                        a.as_secs(),
                                        self.policy.max_wait.as_secs()
                                    ),
                                });
                            }
                            (after, format!("HTTP {status}{}", brief(&message)))
                        }
                        _ => {
                            return Err(NetError::Rejected {
                                api: self.api,
                                status: status.as_u16(),
                                url: crate::output::sanitize::strip_credentials(url).into_owned(),
                                message,
                            })
                        }
                    }
                }
                Err(e) => (None, e),
            };
            let (after, last) = wait;
            if attempt >= self.policy.retries {
                return Err(NetError::Failed {
                    api: self.api,
                    url: crate::output::sanitize::strip_credentials(url).into_owned(),
                    attempts: attempt + 1,
                    last,
                });
            }
            let delay = after.unwrap_or_else(|| self.backoff(attempt));
            log::warn!(
                "{} {url}: {last}; retry {} of {} in {:.1}s",
                self.api,
                attempt + 1,
                self.policy.retries,
                delay.as_secs_f64()
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn once(
        &self,
        url: &str,
        secret: &[(&str, &str)],
    ) -> Result<(StatusCode, HeaderMap, Vec<u8>), String> {
        let resp = self
            .client
            .get(url)
            .query(secret)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.bytes().await.map_err(|e| describe(&e))?;
        Ok((status, headers, body.to_vec()))
    }

    /// Retries allowed after a failed attempt.
    pub fn retries(&self) -> u32 {
        self.policy.retries
    }

    /// Before retrying a request whose 200 body was unusable (truncated or
    /// malformed JSON, as a proxy or a dropped connection can leave it): waits
    /// the backoff for `attempt` and counts a retry.
    pub async fn pause_for_retry(&self, attempt: u32, url: &str, why: &str) {
        let delay = self.backoff(attempt);
        log::warn!(
            "{} {url}: {why}; retry {} of {} in {:.1}s",
            self.api,
            attempt + 1,
            self.policy.retries,
            delay.as_secs_f64()
        );
        self.meter.add_retry();
        tokio::time::sleep(delay).await;
    }

    /// Waits for the next request slot (client-side rate limit).
    async fn pace(&self) {
        let interval = self.interval.lock().map(|d| *d).unwrap_or_default();
        let mut slot = self.next_slot.lock().await;
        let now = Instant::now();
        if *slot > now {
            tokio::time::sleep_until(*slot).await;
        }
        *slot = Instant::now().max(*slot) + interval;
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .policy
            .backoff
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.policy.max_wait);
        exp.mul_f64(0.5 + fastrand::f64() * 0.5)
    }

    /// Honours the rate-limit headers: slows down to the advertised rate
    /// (Crossref `x-rate-limit-limit` per `x-rate-limit-interval`), and when a
    /// window is spent (`X-RateLimit-Remaining: 0` / `RateLimit-Remaining: 0`)
    /// waits for its reset, or fails clearly when that is far away (a daily quota).
    fn read_limits(&self, h: &HeaderMap) -> Result<(), NetError> {
        let num = |names: &[&str]| -> Option<f64> {
            names.iter().find_map(|n| {
                h.get(*n)?
                    .to_str()
                    .ok()?
                    .split(',')
                    .next()?
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
        };
        if let (Some(limit), Some(interval)) = (
            num(&["x-rate-limit-limit"]),
            h.get("x-rate-limit-interval")
                .and_then(|v| v.to_str().ok())
                .and_then(|s| s.trim().trim_end_matches('s').parse::<f64>().ok()),
        ) {
            if limit > 0.0 {
                let advertised = Duration::from_secs_f64(interval / limit);
                if let Ok(mut cur) = self.interval.lock() {
                    if advertised > *cur {
                        log::debug!(
                            "{}: pacing to {:?} per request (rate-limit headers)",
                            self.api,
                            advertised
                        );
                        *cur = advertised;
                    }
                }
            }
        }
        let remaining = num(&["x-ratelimit-remaining", "ratelimit-remaining"]);
        if remaining.is_some_and(|r| r <= 0.0) {
            let reset = num(&["x-ratelimit-reset", "ratelimit-reset"]).unwrap_or(1.0);
            let wait = Duration::from_secs_f64(reset.max(0.0));
            if wait > self.policy.max_wait {
                return Err(NetError::Quota {
                    api: self.api,
                    reset_secs: reset as u64,
                });
            }
            if let Ok(mut slot) = self.next_slot.try_lock() {
                *slot = (*slot).max(Instant::now() + wait);
            }
        }
        Ok(())
    }
}

/// A transport error in words, without the URL (which may hold a key).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "connection dropped while reading the body"
    } else {
        "request failed"
    };
    // The innermost cause says what happened (refused, reset, DNS).
    match crate::error::chain(e).skip(1).last() {
        Some(root) => format!("{what} ({root})"),
        None => what.to_owned(),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare on these APIs; ignored).
fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let s = h.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| *v >= 0.0)
        .map(Duration::from_secs_f64)
}

/// The API's own error message: OpenAlex `{"error","message"}`, Crossref
/// `{"message":[{"message"}]}` or `{"message": "…"}`, or the plain-text body.
pub fn api_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        let pick = |v: &serde_json::Value| -> Option<String> {
            match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Array(a) => a
                    .iter()
                    .find_map(|m| m.get("message").and_then(|m| m.as_str()).map(str::to_owned)),
                _ => None,
            }
        };
        if let Some(m) = v.get("message").and_then(pick) {
            let m: String = m.chars().take(300).collect();
            return match v.get("error").and_then(|e| e.as_str()) {
                Some(e) => format!("{e} {m}"),
                None => m,
            };
        }
        if let Some(e) = v.get("error").and_then(|e| e.as_str()) {
            return e.to_owned();
        }
    }
    text.trim().chars().take(300).collect()
}

fn brief(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {}", message.chars().take(120).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_messages_of_both_apis_are_found() {
        assert_eq!(
            api_message(br#"{"error":"Invalid query parameters error.","message":"DOESNTEXIST is not a valid field."}"#),
            "Invalid query parameters error. DOESNTEXIST is not a valid field."
        );
        assert_eq!(
            api_message(br#"{"status":"failed","message":[{"type":"cursor-invalid","message":"Cursor value is invalid"}]}"#),
            "Cursor value is invalid"
        );
        assert_eq!(api_message(b"Resource not found."), "Resource not found.");
    }

    #[test]
    fn the_budget_stops_before_it_is_exceeded() {
        let m = Meter::new(Some(2));
        m.take("a", false).unwrap();
        m.take("a", true).unwrap();
        assert!(matches!(
            m.take("b", false),
            Err(NetError::Budget { limit: 2 })
        ));
        let s = m.snapshot();
        assert_eq!((s.total(), s.retries), (2, 1));
    }
}
