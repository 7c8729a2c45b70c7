//! The `coscreen match` wire format (SPEC §3): one JSON object per input line.
//!
//! ```json
//! {"input": "...", "matches": [{"id": "...", "name": "...", "ror": "...",
//!   "openalex": null, "risk_level": "very_high", "lists": ["aspi:very_high"],
//!   "score": 1.0, "method": "alias", "matched": "...", "evidence": "..."}]}
//! ```
//! `error` is present only when the line could not be matched (invalid UTF-8,
//! empty, NUL byte, longer than the limit); `matches` is then empty.

use serde::Serialize;

use super::matcher::{Hit, Matcher, Method};
use crate::risklist::RiskLevel;

/// One entry in `matches`.
#[derive(Debug, Serialize)]
pub struct MatchJson<'a> {
    /// Entry id.
    pub id: &'a str,
    /// Entry name.
    pub name: &'a str,
    /// ROR id or null.
    pub ror: Option<&'a str>,
    /// OpenAlex id or null.
    pub openalex: Option<&'a str>,
    /// Effective level (own or inherited from a parent).
    pub risk_level: RiskLevel,
    /// List tags (`aspi:very_high`, `seven_sons`, `us_entity_list`...).
    pub lists: &'a [String],
    /// Confidence.
    pub score: f64,
    /// How it matched.
    pub method: Method,
    /// What matched.
    pub matched: &'a str,
    /// Why.
    pub evidence: &'a str,
}

/// One output line.
#[derive(Debug, Serialize)]
pub struct MatchLine<'a> {
    /// The input line (lossily decoded when it was not UTF-8).
    pub input: &'a str,
    /// Entries matched, in order of first appearance.
    pub matches: Vec<MatchJson<'a>>,
    /// Why the line could not be matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

/// Converts hits into the wire form.
pub fn match_line<'a>(
    matcher: &'a Matcher<'a>,
    input: &'a str,
    hits: &'a [Hit],
    error: Option<&'a str>,
) -> MatchLine<'a> {
    let list = matcher.list();
    MatchLine {
        input,
        matches: hits
            .iter()
            .map(|h| {
                let e = &list.entries()[h.entry];
                MatchJson {
                    id: &e.id,
                    name: &e.name,
                    ror: e.ror.as_deref(),
                    openalex: e.openalex.as_deref(),
                    risk_level: e.risk_level,
                    lists: matcher.list_tags(h.entry),
                    score: h.score,
                    method: h.method,
                    matched: &h.matched,
                    evidence: &h.evidence,
                }
            })
            .collect(),
        error,
    }
}
