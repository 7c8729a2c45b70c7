//! OpenAlex work objects (API 2023–2026 and snapshot format) -> [`Work`].
//!
//! Only the fields the pipeline reads are deserialised; everything else is
//! skipped by serde without being built. [`SELECT`] is the matching `select=`
//! list for API requests, so the API sends no more than this reads.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::work::{
    normalize_doi, openalex_short, orcid_short, Authorship, Funding, Institution, Source, Topic,
    Work,
};

/// The root fields requested with `select=` (all of them root fields, as the API requires).
pub const SELECT: &str = "id,doi,title,display_name,publication_year,type,abstract_inverted_index,keywords,topics,authorships,funders,awards";

/// A work as OpenAlex serialises it (the subset read here).
#[derive(Debug, Deserialize)]
struct RawWork<'a> {
    id: Option<String>,
    doi: Option<String>,
    title: Option<String>,
    display_name: Option<String>,
    publication_year: Option<i64>,
    #[serde(rename = "type")]
    work_type: Option<String>,
    /// Kept as its JSON text and rebuilt by [`rebuild_abstract`].
    #[serde(default, borrow)]
    abstract_inverted_index: Option<&'a RawValue>,
    #[serde(default)]
    keywords: Option<Vec<RawKeyword>>,
    #[serde(default)]
    topics: Option<Vec<RawTopic>>,
    #[serde(default)]
    authorships: Option<Vec<RawAuthorship>>,
    /// Until 2025 (snapshots and recorded responses): funder, name, award in one object.
    #[serde(default)]
    grants: Option<Vec<RawGrant>>,
    /// Since 2025 (the API's `select` no longer accepts `grants`): the funders…
    #[serde(default)]
    funders: Option<Vec<RawFunder>>,
    /// …and the awards, each naming its funder.
    #[serde(default)]
    awards: Option<Vec<RawAward>>,
}

#[derive(Debug, Deserialize)]
struct RawFunder {
    id: Option<String>,
    display_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawAward {
    funder_award_id: Option<String>,
    funder_id: Option<String>,
    funder_display_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawGrant {
    funder: Option<String>,
    funder_display_name: Option<String>,
    award_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawKeyword {
    display_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Named {
    display_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawTopic {
    id: Option<String>,
    display_name: Option<String>,
    subfield: Option<Named>,
    field: Option<Named>,
    domain: Option<Named>,
}

#[derive(Debug, Deserialize)]
struct RawAuthor {
    id: Option<String>,
    display_name: Option<String>,
    orcid: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawInstitution {
    id: Option<String>,
    display_name: Option<String>,
    ror: Option<String>,
    country_code: Option<String>,
    #[serde(default)]
    lineage: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct RawAuthorship {
    author_position: Option<String>,
    author: Option<RawAuthor>,
    raw_author_name: Option<String>,
    #[serde(default)]
    institutions: Option<Vec<RawInstitution>>,
    #[serde(default)]
    raw_affiliation_strings: Option<Vec<String>>,
    /// The 2023 singular form, still in old snapshots.
    raw_affiliation_string: Option<String>,
}

/// Why a JSON object is not a usable OpenAlex work.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Not valid JSON or a field of the wrong type.
    #[error("{}{message}", path.as_ref().map(|p| format!("field `{p}`: ")).unwrap_or_default())]
    Json {
        /// Dotted path of the field at fault (`authorships[2].author.orcid`).
        path: Option<String>,
        /// serde's message.
        message: String,
    },
    /// The object has no `id`.
    #[error("field `id`: missing or null")]
    MissingId,
}

impl ParseError {
    /// The JSON field the problem is in, when known.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::MissingId => Some("id"),
            Self::Json { path, .. } => path.as_deref(),
        }
    }
}

/// Parses one OpenAlex work object.
pub fn parse_work(json: &str) -> Result<Work, ParseError> {
    match serde_json::from_str::<RawWork>(json) {
        Ok(raw) => from_raw(raw),
        Err(e) => Err(locate(json, e)),
    }
}

/// Converts an already parsed JSON value (an element of an API page's `results`).
pub fn work_from_value(value: serde_json::Value) -> Result<Work, ParseError> {
    let text = value.to_string();
    parse_work(&text)
}

/// The error path: parse again, tracking the path, to name the field.
fn locate(json: &str, first: serde_json::Error) -> ParseError {
    let de = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, RawWork>(de) {
        Err(e) => {
            let path = e.path().to_string();
            let path = (!path.is_empty() && path != ".").then_some(path);
            ParseError::Json {
                path,
                message: e.into_inner().to_string(),
            }
        }
        Ok(_) => ParseError::Json {
            path: None,
            message: first.to_string(),
        },
    }
}

/// `https://openalex.org/I1` -> `I1` in place: the record's own string is
/// kept, only its prefix removed (no new allocation per id on the hot path).
fn last_segment(mut s: String) -> String {
    if let Some(i) = s.rfind('/') {
        s.drain(..=i);
    }
    s
}

fn from_raw(raw: RawWork<'_>) -> Result<Work, ParseError> {
    let abstract_text = match raw.abstract_inverted_index {
        None => String::new(),
        Some(index) => rebuild_abstract(index.get()).map_err(|e| ParseError::Json {
            path: Some("abstract_inverted_index".into()),
            message: e.to_string(),
        })?,
    };
    let id = raw
        .id
        .as_deref()
        .map(openalex_short)
        .filter(|s| !s.is_empty())
        .ok_or(ParseError::MissingId)?
        .to_owned();
    let title = raw.title.or(raw.display_name).unwrap_or_default();
    let keywords = raw
        .keywords
        .unwrap_or_default()
        .into_iter()
        .filter_map(|k| k.display_name)
        .collect();
    let topics = raw
        .topics
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| {
            Some(Topic {
                id: openalex_short(t.id.as_deref()?).to_owned(),
                name: t.display_name.unwrap_or_default(),
                subfield: t.subfield.and_then(|n| n.display_name),
                field: t.field.and_then(|n| n.display_name),
                domain: t.domain.and_then(|n| n.display_name),
            })
        })
        .collect();
    let authorships = raw
        .authorships
        .unwrap_or_default()
        .into_iter()
        .map(authorship)
        .collect();
    Ok(Work {
        id,
        source: Source::OpenAlex,
        doi: raw.doi.as_deref().and_then(normalize_doi),
        title,
        year: raw
            .publication_year
            .and_then(|y| u16::try_from(y).ok())
            .filter(|y| *y > 0),
        work_type: raw.work_type,
        abstract_text,
        keywords,
        topics,
        authorships,
        funding: funding(raw.grants, raw.funders, raw.awards),
        acknowledgement: String::new(),
        unscreened: None,
    })
}

/// Old `grants`, new `awards` (with their funder), and the `funders` no
/// award names; an entry with neither name nor id says nothing and is skipped.
fn funding(
    grants: Option<Vec<RawGrant>>,
    funders: Option<Vec<RawFunder>>,
    awards: Option<Vec<RawAward>>,
) -> Vec<Funding> {
    let mut out: Vec<Funding> = Vec::new();
    for g in grants.unwrap_or_default() {
        out.push(Funding {
            funder: g.funder_display_name.unwrap_or_default(),
            funder_ids: g.funder.map(last_segment).into_iter().collect(),
            award_id: g.award_id.filter(|a| !a.trim().is_empty()),
        });
    }
    for a in awards.unwrap_or_default() {
        out.push(Funding {
            funder: a.funder_display_name.unwrap_or_default(),
            funder_ids: a.funder_id.map(last_segment).into_iter().collect(),
            award_id: a.funder_award_id.filter(|a| !a.trim().is_empty()),
        });
    }
    for f in funders.unwrap_or_default() {
        let id = f.id.map(last_segment);
        if id.is_some() && out.iter().any(|o| o.funder_ids.first() == id.as_ref()) {
            continue;
        }
        out.push(Funding {
            funder: f.display_name.unwrap_or_default(),
            funder_ids: id.into_iter().collect(),
            award_id: None,
        });
    }
    out.retain(|f| !f.funder.is_empty() || !f.funder_ids.is_empty());
    out
}

fn authorship(a: RawAuthorship) -> Authorship {
    let (name, orcid, author_id) = match a.author {
        Some(au) => (
            au.display_name,
            au.orcid.as_deref().map(orcid_short),
            au.id.map(last_segment),
        ),
        None => (None, None, None),
    };
    let mut raw_affiliations = a.raw_affiliation_strings.unwrap_or_default();
    if let Some(single) = a.raw_affiliation_string.filter(|s| !s.trim().is_empty()) {
        if !raw_affiliations.contains(&single) {
            raw_affiliations.push(single);
        }
    }
    raw_affiliations.retain(|s| !s.trim().is_empty());
    let institutions = a
        .institutions
        .unwrap_or_default()
        .into_iter()
        .map(|i| Institution {
            id: i.id.map(last_segment),
            ror: i
                .ror
                .map(|r| last_segment(r.trim_end_matches('/').to_owned())),
            name: i.display_name.unwrap_or_default(),
            country: i.country_code,
            lineage: i
                .lineage
                .unwrap_or_default()
                .into_iter()
                .map(last_segment)
                .collect(),
        })
        .collect();
    Authorship {
        name: name.or(a.raw_author_name).unwrap_or_default(),
        orcid,
        author_id,
        position: a.author_position,
        raw_affiliations,
        institutions,
    }
}

/// A position no word has claimed.
const EMPTY_SLOT: u32 = u32::MAX;

/// Highest abstract position kept: a corrupt position must not allocate
/// gigabytes (the longest real abstracts have a few thousand words).
const MAX_POSITION: u32 = 100_000;

/// Position -> index of the word at it: positions are nearly a permutation
/// of 0..n, so reading the slots in order is the text's order without a
/// sort. The first word given for a position keeps it.
#[derive(Default)]
struct Slots(Vec<u32>);

impl Slots {
    fn claim(&mut self, position: u32, word: u32) {
        if position > MAX_POSITION {
            return;
        }
        let p = position as usize;
        if self.0.len() <= p {
            self.0.resize(p + 1, EMPTY_SLOT);
        }
        if self.0[p] == EMPTY_SLOT {
            self.0[p] = word;
        }
    }

    /// The words in position order, one space apart.
    fn join<W: AsRef<str>>(&self, words: &[W]) -> String {
        let at = || {
            self.0
                .iter()
                .filter(|&&w| w != EMPTY_SLOT)
                .map(|&w| words[w as usize].as_ref())
        };
        let mut out = String::with_capacity(at().map(|w| w.len() + 1).sum());
        for w in at() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
        out
    }
}

/// A JSON string, borrowed from the input when it has no escapes.
struct Word<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Word<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Word<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a word")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Word<'de>, E> {
                Ok(Word(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Word<'de>, E> {
                Ok(Word(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Word<'de>, E> {
                Ok(Word(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// One word's position list, written straight into the slot table; the
/// first word given for a position keeps it.
struct Positions<'s> {
    slots: &'s mut Slots,
    word: u32,
}

impl<'de> DeserializeSeed<'de> for Positions<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Positions<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of word positions")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(p) = seq.next_element::<u32>()? {
            self.slots.claim(p, self.word);
        }
        Ok(())
    }
}

/// The abstract in reading order from an inverted index's JSON text
/// (`{"word": [positions], ...}` or `null`).
///
/// The usual shape (words without escapes, integer positions) is read by a
/// tight byte loop; anything else (escapes, odd numbers, wrong types) by the
/// serde visitor below, which is also the oracle the fast path is tested
/// against. On a snapshot screen this field is the largest one parsed: serde's
/// per-element machinery for the positions cost more than the matcher.
fn rebuild_abstract(json: &str) -> Result<String, serde_json::Error> {
    match fast_abstract(json) {
        Some(text) => Ok(text),
        None => serde_abstract(json),
    }
}

/// The serde path of [`rebuild_abstract`].
fn serde_abstract(json: &str) -> Result<String, serde_json::Error> {
    struct Inverted(String);
    impl<'de> Deserialize<'de> for Inverted {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            inverted_abstract(d).map(Inverted)
        }
    }
    serde_json::from_str::<Inverted>(json).map(|i| i.0)
}

/// The fast path of [`rebuild_abstract`]; `None` when the text is not in the
/// usual shape (the caller then uses serde).
fn fast_abstract(json: &str) -> Option<String> {
    let b = json.as_bytes();
    let ws = |mut i: usize| {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    };
    // After an element of a list: `,` goes on, `close` ends it. Returns the
    // index after it and whether the list ended; None for anything else.
    let next = |i: usize, close: u8| match b.get(i) {
        Some(b',') => Some((ws(i + 1), false)),
        Some(&c) if c == close => Some((i + 1, true)),
        _ => None,
    };
    let mut words: Vec<&str> = Vec::new();
    let mut slots = Slots::default();
    let mut i = ws(0);
    if b.get(i) == Some(&b'n') {
        return (json[i..].trim_end() == "null").then(String::new);
    }
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(i + 1);
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            // "word" with no escape or control character.
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let start = i + 1;
            let len = b[start..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
            if b[start + len] != b'"' {
                return None;
            }
            let word = &json[start..start + len];
            i = ws(start + len + 1);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = ws(i + 1);
            if b.get(i) != Some(&b'[') {
                return None;
            }
            i = ws(i + 1);
            let w = u32::try_from(words.len()).unwrap_or(u32::MAX - 1);
            if b.get(i) == Some(&b']') {
                i += 1;
            } else {
                loop {
                    // A non-negative integer that fits u32, as serde reads it.
                    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if digits == 0 || digits > 10 {
                        return None;
                    }
                    let p: u64 = json[i..i + digits].parse().ok()?;
                    slots.claim(u32::try_from(p).ok()?, w);
                    let (after, end) = next(ws(i + digits), b']')?;
                    i = after;
                    if end {
                        break;
                    }
                }
            }
            words.push(word);
            let (after, end) = next(ws(i), b'}')?;
            i = after;
            if end {
                break;
            }
        }
    }
    (ws(i) == b.len()).then(|| slots.join(&words))
}

/// Rebuilds the abstract from `{"word": [positions]}` straight into text,
/// without an intermediate map. `null` gives the empty string.
fn inverted_abstract<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an inverted index {word: [positions]} or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<String, D2::Error> {
            d.deserialize_map(V)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            // Words once (borrowed from the line when the JSON has no
            // escapes), and a slot per position holding its word's index:
            // positions are nearly a permutation of 0..n, so this is the
            // sorted order without a sort, and no Vec per word.
            let mut words: Vec<Cow<'de, str>> = Vec::new();
            let mut slots = Slots::default();
            while let Some(Word(word)) = map.next_key::<Word<'de>>()? {
                let w = u32::try_from(words.len()).unwrap_or(u32::MAX - 1);
                map.next_value_seed(Positions {
                    slots: &mut slots,
                    word: w,
                })?;
                words.push(word);
            }
            Ok(slots.join(&words))
        }
    }
    d.deserialize_option(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path agrees with the serde visitor whenever it answers,
        /// and answers for the usual shape.
        #[test]
        fn fast_abstract_agrees_with_serde(
            words in proptest::collection::vec(
                ("[a-z\\\\\"é]{0,6}", proptest::collection::vec(0u64..5_000_000_000, 0..4)),
                0..12),
            spaced in proptest::bool::ANY,
        ) {
            let index: serde_json::Map<String, serde_json::Value> = words
                .iter()
                .map(|(w, p)| (w.clone(), serde_json::json!(p)))
                .collect();
            let json = if spaced {
                serde_json::to_string_pretty(&index).unwrap()
            } else {
                serde_json::to_string(&index).unwrap()
            };
            let slow = serde_abstract(&json).ok();
            if let Some(fast) = fast_abstract(&json) {
                proptest::prop_assert_eq!(Some(fast), slow);
            } else {
                let plain = words.iter().all(|(w, p)| {
                    !w.contains(['\\', '"']) && p.iter().all(|&x| x <= u64::from(u32::MAX))
                });
                proptest::prop_assert!(!plain, "fast path declined a plain index: {}", json);
            }
        }
    }

    #[test]
    fn inverted_index_is_rebuilt_in_position_order() {
        let w = parse_work(
            r#"{"id":"https://openalex.org/W1","abstract_inverted_index":{"world":[1],"hello":[0,2]}}"#,
        )
        .unwrap();
        assert_eq!(w.abstract_text, "hello world hello");
        let w = parse_work(r#"{"id":"W1","abstract_inverted_index":null}"#).unwrap();
        assert_eq!(w.abstract_text, "");
    }

    #[test]
    fn null_title_falls_back_and_missing_id_is_an_error() {
        let w = parse_work(r#"{"id":"W1","title":null,"display_name":null,"authorships":[{"author":{"id":null}}]}"#).unwrap();
        assert_eq!(w.title, "");
        assert_eq!(w.authorships[0].author_id, None);
        let e = parse_work(r#"{"title":"x"}"#).unwrap_err();
        assert_eq!(e.field(), Some("id"));
        assert!(parse_work(r#"{"id":"W1","publication_year":"soon"}"#).is_err());
    }

    #[test]
    fn the_2023_singular_affiliation_is_kept_once() {
        let w = parse_work(
            r#"{"id":"W1","authorships":[{"raw_affiliation_string":"Harbin Inst Technol","raw_affiliation_strings":["Harbin Inst Technol"]},{"raw_affiliation_string":"Tsinghua Univ"}]}"#,
        )
        .unwrap();
        assert_eq!(w.authorships[0].raw_affiliations, ["Harbin Inst Technol"]);
        assert_eq!(w.authorships[1].raw_affiliations, ["Tsinghua Univ"]);
    }
}
