//! The `coscreen match` wire format: one JSON object per input line.
//!
//! ```json
//! {"input": "...", "matches": [{"id": "...", "name": "...", "ror": "...",
//!   "openalex": null, "risk_level": "very_high", "lists": ["aspi:very_high"],
//!   "score": 1.0, "method": "alias", "relation": "self", "matched": "...",
//!   "evidence": "..."}]}
//! ```
//! `error` is present only when the line could not be matched (invalid UTF-8,
//! empty, NUL byte, longer than the limit); `matches` is then empty.

use serde::Serialize;

use super::matcher::{Hit, Matcher, Method};
use crate::risklist::{Relation, RiskLevel};

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
    /// `self`, `part` or `affiliate`.
    pub relation: Relation,
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
                    relation: h.relation,
                    matched: &h.matched,
                    evidence: &h.evidence,
                }
            })
            .collect(),
        error,
    }
}

/// The fixed part of one entry in `matches` (`id` to `lists`).
#[derive(Serialize)]
struct EntryJson<'a> {
    id: &'a str,
    name: &'a str,
    ror: Option<&'a str>,
    openalex: Option<&'a str>,
    risk_level: RiskLevel,
    lists: &'a [String],
}

/// Writes output lines fast, byte for byte as serialising [`MatchLine`]
/// would: each entry's fixed fields are rendered once, and strings without
/// a character to escape are copied as they are. Serialisation was a fifth
/// of `coscreen match` on strings that name listed institutions.
#[derive(Debug)]
pub struct Wire {
    /// Per entry: `{"id":...,"lists":[...],` ready to be followed by `score`.
    prefixes: Vec<Box<[u8]>>,
}

impl Wire {
    /// Renders every entry's fixed fields.
    pub fn new(matcher: &Matcher<'_>) -> Self {
        let prefixes = matcher
            .list()
            .entries()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let fixed = EntryJson {
                    id: &e.id,
                    name: &e.name,
                    ror: e.ror.as_deref(),
                    openalex: e.openalex.as_deref(),
                    risk_level: e.risk_level,
                    lists: matcher.list_tags(i),
                };
                let mut b = serde_json::to_vec(&fixed).expect("serialising to memory cannot fail");
                // `{...}` -> `{...,`: the per-match fields follow.
                if let Some(last) = b.last_mut() {
                    *last = b',';
                }
                b.into_boxed_slice()
            })
            .collect();
        Self { prefixes }
    }

    /// Appends the line for `input` and its `hits` (no error), with its newline.
    pub fn write_line(&self, input: &str, hits: &[Hit], out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"input\":");
        write_str(input, out);
        out.extend_from_slice(b",\"matches\":[");
        for (i, h) in hits.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&self.prefixes[h.entry]);
            out.extend_from_slice(b"\"score\":");
            write_json(&h.score, out);
            out.extend_from_slice(b",\"method\":");
            write_json(&h.method, out);
            out.extend_from_slice(b",\"relation\":\"");
            out.extend_from_slice(h.relation.as_str().as_bytes());
            out.extend_from_slice(b"\",\"matched\":");
            write_str(&h.matched, out);
            out.extend_from_slice(b",\"evidence\":");
            write_str(&h.evidence, out);
            out.push(b'}');
        }
        out.extend_from_slice(b"]}\n");
    }
}

/// Whether a string needs JSON escaping (control characters, `"`, `\`);
/// serde_json leaves every other character, non-ASCII included, as it is.
pub fn needs_json_escape(b: &[u8]) -> bool {
    b.iter().fold(false, |acc, &c| {
        acc | (c < 0x20) | (c == b'"') | (c == b'\\')
    })
}

fn write_str(s: &str, out: &mut Vec<u8>) {
    if needs_json_escape(s.as_bytes()) {
        write_json(s, out);
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

fn write_json<T: Serialize + ?Sized>(v: &T, out: &mut Vec<u8>) {
    serde_json::to_writer(out, v).expect("serialising to memory cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::Scratch;
    use crate::risklist::RiskList;

    /// The fast writer is byte for byte what serialising [`MatchLine`] gives.
    #[test]
    fn the_wire_writer_matches_serde() {
        let list = RiskList::bundled().expect("the bundled list must load");
        let matcher = Matcher::new(&list);
        let wire = Wire::new(&matcher);
        let mut s = Scratch::default();
        let mut matched = 0;
        for input in [
            "Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China",
            "School of Physics, \"Beihang\" University\\Beijing, China; NUDT, Changsha",
            "Dept. of Chemistry\tTsinghua University, Beijing\u{1}",
            "哈尔滨工业大学（深圳）; Northwestern Polytechnical University, Xi'an",
            "MIT, Cambridge, MA, USA",
            "Xiangya Hospital, Central South University, Changsha 410008, China",
        ] {
            let hits = matcher.match_str(input, &mut s);
            matched += hits.len();
            let mut fast = Vec::new();
            wire.write_line(input, &hits, &mut fast);
            let mut slow = serde_json::to_vec(&match_line(&matcher, input, &hits, None)).unwrap();
            slow.push(b'\n');
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(slow).unwrap()
            );
        }
        assert!(
            matched >= 4,
            "the inputs name listed institutions ({matched} hits)"
        );
    }
}
