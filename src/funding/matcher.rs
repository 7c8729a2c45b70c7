//! Funding matcher: a work's funder ids, award ids, funder names and
//! acknowledgement text against the funder tables.
//!
//! Order of evidence: funder ids (OpenAlex `F…`, Crossref `10.13039/…`), award
//! prefixes (`JCKY…`), then whole-phrase names. Phrases are matched on words:
//! lower-cased, split at anything that is not a letter or digit, with `,;:()`
//! and similar ending a phrase so no name is read across two clauses; every
//! word is kept (the `on` in "Science and Technology on … Laboratory" is what
//! tells a defence key laboratory from a provincial science programme).
//! Civilian programmes that share words with listed ones are compiled into
//! the same index: at each position the longest name wins, a civilian one on a
//! tie, so "Ten Thousand Talents Program" is read as the civilian programme and
//! not as the "Thousand Talents Program" inside it, and it is reported as a
//! near miss. Names in CJK script are found as substrings of the raw text.

use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::list::{FunderEntry, FunderList};
use crate::ingest::{Source, Work};
use crate::matching::normalize::is_cjk;

/// Longest gap a `*` in a template name stands for, in words.
const MAX_GAP: usize = 5;
/// Token id of a phrase boundary.
const BOUNDARY: u32 = u32::MAX - 1;
/// Token id of a word no name uses.
const UNKNOWN: u32 = u32::MAX;

/// Who a compiled name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Concern(usize),
    Civilian(usize),
}

#[derive(Debug, Clone)]
struct Pattern {
    owner: Owner,
    /// The name as written in the data.
    name: String,
    /// `name`, `alias` or `template`.
    method: &'static str,
    before: Vec<u32>,
    /// After the `*` of a template (may be empty: the template ends with `*`).
    after: Option<Vec<u32>>,
}

/// One piece of evidence that a listed funder paid for a work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundingHit {
    /// Index of the entry in [`FunderList::entries`].
    #[serde(skip)]
    pub entry: usize,
    /// The source field (`funders`, `funder`, `FU`, `FX`, `Funding Details`, `Funding Texts`, `text`).
    pub field: &'static str,
    /// `openalex_id`, `crossref_id`, `award_prefix`, `name`, `alias`, `template`, `original_name`.
    pub method: &'static str,
    /// The text that matched, as it stands in the field.
    pub matched: String,
    /// The list's name or id that it matched.
    pub listed_as: String,
}

/// A civilian programme found in the funding data: shown, never flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundingNearMiss {
    /// Civilian table id.
    pub civilian_id: String,
    /// Its name.
    pub name: String,
    /// The source field.
    pub field: &'static str,
    /// The text that matched.
    pub matched: String,
}

/// The compiled funder tables.
#[derive(Debug, Clone)]
pub struct FundingMatcher {
    list: FunderList,
    vocab: FxHashMap<String, u32>,
    /// Folded word variants: word -> canonical word ids.
    folds: FxHashMap<String, Vec<String>>,
    patterns: Vec<Pattern>,
    /// First token -> patterns starting with it.
    by_first: FxHashMap<u32, Vec<usize>>,
    /// (CJK name, owner).
    cjk: Vec<(String, Owner)>,
    /// (lower-case prefix, entry).
    award_prefixes: Vec<(String, usize)>,
    /// Funder id -> entry.
    ids: FxHashMap<String, usize>,
}

/// One word of a text: its id and byte span.
#[derive(Debug, Clone, Copy)]
struct Tok {
    id: u32,
    start: usize,
    end: usize,
}

fn is_boundary_char(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '“'
            | '”'
            | '.'
            | '!'
            | '?'
            | '，'
            | '；'
            | '：'
            | '（'
            | '）'
            | '、'
            | '。'
            | '\n'
            | '\r'
            | '\t'
    )
}

/// Splits `text` into lower-case words and phrase boundaries: (word or `None`
/// for a boundary, byte start, byte end). Apostrophes join (`People's` ->
/// `peoples`), `&` is the word `and`, a run of CJK characters is one word.
fn words(text: &str, mut f: impl FnMut(Option<&str>, usize, usize)) {
    let mut buf = String::new();
    let mut start = 0;
    let mut end = 0;
    let mut cjk_run = false;
    let mut prev_lower = false;
    let flush = |buf: &mut String,
                 start: usize,
                 end: usize,
                 f: &mut dyn FnMut(Option<&str>, usize, usize)| {
        if !buf.is_empty() {
            f(Some(buf.as_str()), start, end);
            buf.clear();
        }
    };
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        if c.is_alphanumeric() {
            let c_cjk = is_cjk(c);
            // A script change, or a capital after a small letter: WoS glues a
            // funder's printed name to its registry name ("of ChinaNational").
            if !buf.is_empty() && (c_cjk != cjk_run || (c.is_uppercase() && prev_lower)) {
                flush(&mut buf, start, end, &mut f);
            }
            if buf.is_empty() {
                start = i;
                cjk_run = c_cjk;
            }
            buf.extend(c.to_lowercase());
            end = next;
            prev_lower = c.is_lowercase();
        } else if matches!(c, '\'' | '’' | '`') && !buf.is_empty() {
            // inside a word: skip
        } else {
            prev_lower = false;
            flush(&mut buf, start, end, &mut f);
            if c == '&' {
                f(Some("and"), i, next);
            } else if is_boundary_char(c) {
                f(None, i, next);
            }
        }
    }
    flush(&mut buf, start, end, &mut f);
}

impl FundingMatcher {
    /// Compiles the tables.
    pub fn new(list: FunderList) -> Self {
        let mut m = Self {
            vocab: FxHashMap::default(),
            folds: FxHashMap::default(),
            patterns: Vec::new(),
            by_first: FxHashMap::default(),
            cjk: Vec::new(),
            award_prefixes: Vec::new(),
            ids: FxHashMap::default(),
            list,
        };
        for (v, c) in m.list.spellings().to_vec() {
            m.folds.insert(
                v.to_lowercase(),
                c.split_whitespace().map(str::to_lowercase).collect(),
            );
        }
        let entries = m.list.entries().to_vec();
        for (i, e) in entries.iter().enumerate() {
            m.add(Owner::Concern(i), &e.name, "name");
            for a in &e.aliases {
                m.add(Owner::Concern(i), a, "alias");
            }
            for o in &e.name_original {
                m.add(Owner::Concern(i), o, "original_name");
            }
            for id in e.openalex.iter().chain(&e.crossref) {
                m.ids.insert(id.clone(), i);
            }
            for p in &e.award_prefixes {
                m.award_prefixes.push((p.to_lowercase(), i));
            }
        }
        let civ = m.list.civilian().to_vec();
        for (i, c) in civ.iter().enumerate() {
            m.add(Owner::Civilian(i), &c.name, "name");
            for a in c.aliases.iter().chain(&c.name_original) {
                m.add(Owner::Civilian(i), a, "alias");
            }
        }
        m
    }

    /// The bundled tables, compiled.
    pub fn bundled() -> Result<Self, crate::risklist::Error> {
        Ok(Self::new(FunderList::bundled()?))
    }

    /// The tables.
    pub fn list(&self) -> &FunderList {
        &self.list
    }

    /// Canonical words of `w` (spelling folds applied).
    fn canon<'a>(&'a self, w: &'a str) -> Vec<&'a str> {
        match self.folds.get(w) {
            Some(c) => c.iter().map(String::as_str).collect(),
            None => vec![w],
        }
    }

    fn intern(&mut self, w: &str) -> u32 {
        let n = self.vocab.len() as u32;
        *self.vocab.entry(w.to_owned()).or_insert(n)
    }

    fn add(&mut self, owner: Owner, name: &str, method: &'static str) {
        let text: String = name.nfkc().collect();
        if text.chars().any(is_cjk) {
            self.cjk.push((text, owner));
            return;
        }
        let mut parts = text.splitn(2, '*');
        let before_text = parts.next().unwrap_or("");
        let after_text = parts.next();
        let mut tokens = |s: &str| -> Vec<u32> {
            // A name's own punctuation ("Advanced Research Foundation (Russia)")
            // is kept as one boundary, so the text must have one there too.
            let mut ws: Vec<Option<String>> = Vec::new();
            words(s, |w, _, _| {
                let w = w.map(str::to_owned);
                if w.is_some() || ws.last().is_some_and(Option::is_some) {
                    ws.push(w);
                }
            });
            while ws.last().is_some_and(Option::is_none) {
                ws.pop();
            }
            let mut out = Vec::new();
            for w in ws {
                let Some(w) = w else {
                    out.push(BOUNDARY);
                    continue;
                };
                for c in self
                    .canon(&w)
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
                {
                    out.push(self.intern(&c));
                }
            }
            out
        };
        let before = tokens(before_text);
        let after = after_text.map(&mut tokens);
        if before.is_empty() {
            return;
        }
        let idx = self.patterns.len();
        self.by_first.entry(before[0]).or_default().push(idx);
        self.patterns.push(Pattern {
            owner,
            name: name.to_owned(),
            method: if after.is_some() { "template" } else { method },
            before,
            after,
        });
    }

    fn tokenize(&self, text: &str, out: &mut Vec<Tok>) {
        out.clear();
        words(text, |w, start, end| match w {
            // Consecutive boundaries (", (") count as one.
            None if out.last().is_some_and(|t| t.id == BOUNDARY) => {}
            None => out.push(Tok {
                id: BOUNDARY,
                start,
                end,
            }),
            Some(w) => {
                for c in self.canon(w) {
                    let id = self.vocab.get(c).copied().unwrap_or(UNKNOWN);
                    out.push(Tok { id, start, end });
                }
            }
        });
    }

    /// Length in tokens of `p` matched at `i`, if it matches.
    fn match_at(p: &Pattern, toks: &[Tok], i: usize) -> Option<usize> {
        let n = p.before.len();
        if i + n > toks.len()
            || toks[i..i + n]
                .iter()
                .zip(&p.before)
                .any(|(t, &w)| t.id != w)
        {
            return None;
        }
        let Some(after) = &p.after else {
            return Some(n);
        };
        let gap_start = i + n;
        for gap in 1..=MAX_GAP {
            let j = gap_start + gap;
            // The gap's words must stay within one phrase.
            if j > toks.len() || toks[j - 1].id == BOUNDARY {
                return None;
            }
            if after.is_empty() {
                return Some(n + 1);
            }
            let m = after.len();
            if j + m <= toks.len() && toks[j..j + m].iter().zip(after).all(|(t, &w)| t.id == w) {
                return Some(j + m - i);
            }
        }
        None
    }

    /// Matches one field's text. Pushes hits and near misses.
    pub fn match_text(
        &self,
        text: &str,
        field: &'static str,
        hits: &mut Vec<FundingHit>,
        near: &mut Vec<FundingNearMiss>,
    ) {
        if text.trim().is_empty() {
            return;
        }
        let folded: std::borrow::Cow<str> = if text.is_ascii() {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(text.nfkc().collect())
        };
        let text = folded.as_ref();
        let mut toks = Vec::new();
        self.tokenize(text, &mut toks);
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if t.id == UNKNOWN || t.id == BOUNDARY {
                // Award codes inside text ("Grant JCKY2021204B051").
                if t.id == UNKNOWN {
                    self.award_in(&text[t.start..t.end], field, hits);
                }
                i += 1;
                continue;
            }
            let mut best: Option<(usize, usize)> = None; // (len, pattern)
            for &p in self.by_first.get(&t.id).map(Vec::as_slice).unwrap_or(&[]) {
                let pat = &self.patterns[p];
                if let Some(len) = Self::match_at(pat, &toks, i) {
                    let better = match best {
                        None => true,
                        Some((bl, bp)) => {
                            len > bl
                                || (len == bl
                                    && matches!(pat.owner, Owner::Civilian(_))
                                    && matches!(self.patterns[bp].owner, Owner::Concern(_)))
                        }
                    };
                    if better {
                        best = Some((len, p));
                    }
                }
            }
            match best {
                Some((len, p)) => {
                    let pat = &self.patterns[p];
                    let matched = text[toks[i].start..toks[i + len - 1].end].to_owned();
                    self.record(pat.owner, pat.method, &pat.name, matched, field, hits, near);
                    i += len;
                }
                None => i += 1,
            }
        }
        if !text.is_ascii() {
            for (name, owner) in &self.cjk {
                if text.contains(name.as_str()) {
                    self.record(
                        *owner,
                        "original_name",
                        name,
                        name.clone(),
                        field,
                        hits,
                        near,
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        owner: Owner,
        method: &'static str,
        listed_as: &str,
        matched: String,
        field: &'static str,
        hits: &mut Vec<FundingHit>,
        near: &mut Vec<FundingNearMiss>,
    ) {
        match owner {
            Owner::Concern(entry) => {
                let h = FundingHit {
                    entry,
                    field,
                    method,
                    matched,
                    listed_as: listed_as.to_owned(),
                };
                if !hits.contains(&h) {
                    hits.push(h);
                }
            }
            Owner::Civilian(c) => {
                let c = &self.list.civilian()[c];
                let n = FundingNearMiss {
                    civilian_id: c.id.clone(),
                    name: c.name.clone(),
                    field,
                    matched,
                };
                if !near.contains(&n) {
                    near.push(n);
                }
            }
        }
    }

    /// An award id that starts with a listed prefix followed by a digit.
    fn award_in(&self, award: &str, field: &'static str, hits: &mut Vec<FundingHit>) {
        let a = award.trim();
        for (p, entry) in &self.award_prefixes {
            let ok = a.len() > p.len()
                && a.is_char_boundary(p.len())
                && a[..p.len()].eq_ignore_ascii_case(p)
                && a[p.len()..].starts_with(|c: char| c.is_ascii_digit());
            if ok {
                let h = FundingHit {
                    entry: *entry,
                    field,
                    method: "award_prefix",
                    matched: a.to_owned(),
                    listed_as: p.to_uppercase(),
                };
                if !hits.contains(&h) {
                    hits.push(h);
                }
            }
        }
    }

    /// Every funding signal of one work: hits (ids first) and civilian near misses.
    pub fn match_work(&self, work: &Work) -> (Vec<FundingHit>, Vec<FundingNearMiss>) {
        let mut hits = Vec::new();
        let mut near = Vec::new();
        if work.funding.is_empty() && work.acknowledgement.is_empty() {
            return (hits, near);
        }
        let (name_field, text_field) = match work.source {
            Source::OpenAlex => ("funders", "text"),
            Source::Crossref => ("funder", "text"),
            Source::Wos => ("FU", "FX"),
            Source::Scopus => ("Funding Details", "Funding Texts"),
        };
        for f in &work.funding {
            for id in &f.funder_ids {
                if let Some(&entry) = self.ids.get(id.as_str()) {
                    let method = if id.starts_with("10.") {
                        "crossref_id"
                    } else {
                        "openalex_id"
                    };
                    let h = FundingHit {
                        entry,
                        field: name_field,
                        method,
                        matched: id.clone(),
                        listed_as: id.clone(),
                    };
                    if !hits.contains(&h) {
                        hits.push(h);
                    }
                }
            }
            if let Some(a) = &f.award_id {
                self.award_in(a, name_field, &mut hits);
            }
            self.match_text(&f.funder, name_field, &mut hits, &mut near);
        }
        self.match_text(&work.acknowledgement, text_field, &mut hits, &mut near);
        (hits, near)
    }

    /// Answers a name typed at `lookup`: hits and near misses.
    pub fn lookup(&self, query: &str) -> (Vec<FundingHit>, Vec<FundingNearMiss>) {
        let mut hits = Vec::new();
        let mut near = Vec::new();
        if let Some(&entry) = self.ids.get(query.trim()) {
            hits.push(FundingHit {
                entry,
                field: "query",
                method: if query.trim().starts_with("10.") {
                    "crossref_id"
                } else {
                    "openalex_id"
                },
                matched: query.trim().to_owned(),
                listed_as: query.trim().to_owned(),
            });
        }
        self.award_in(query, "query", &mut hits);
        self.match_text(query, "query", &mut hits, &mut near);
        (hits, near)
    }

    /// The entry a hit points at.
    pub fn entry(&self, hit: &FundingHit) -> &FunderEntry {
        &self.list.entries()[hit.entry]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> FundingMatcher {
        FundingMatcher::bundled().expect("bundled funder tables")
    }

    fn ids(text: &str) -> (Vec<String>, Vec<String>) {
        let m = m();
        let (h, n) = m.lookup(text);
        let mut a: Vec<String> = h.iter().map(|h| m.entry(h).id.clone()).collect();
        a.dedup();
        (a, n.into_iter().map(|n| n.civilian_id).collect())
    }

    #[test]
    fn defence_programmes_match_as_whole_phrases_with_spelling_variants() {
        for (text, want) in [
            (
                "supported by the Equipment Pre-research Fund (No. 61409220104)",
                "equipment-pre-research-foundation",
            ),
            (
                "National Defence Basic Scientific Research Programme of China",
                "national-defense-basic-scientific-research-program",
            ),
            (
                "the Science and Technology on Electromagnetic Scattering Laboratory (6142xxx)",
                "national-defense-key-laboratory-funds",
            ),
            (
                "National Key Laboratory of Science and Technology on Antenna and Microwave",
                "national-defense-key-laboratory-funds",
            ),
            ("Grant JCKY2021204B051", "sastind"),
            (
                "\"Thousand Young Talents Program\" of China",
                "thousand-talents-plan",
            ),
            ("装备预研基金资助", "equipment-pre-research-foundation"),
            (
                "Equipment Pre-Research FoundationEquipment Pre-Research Foundation [6140]",
                "equipment-pre-research-foundation",
            ),
        ] {
            assert_eq!(ids(text).0, vec![want.to_owned()], "{text}");
        }
    }

    #[test]
    fn civilian_programmes_that_share_words_are_near_misses_not_flags() {
        for (text, civ) in [
            (
                "National Natural Science Foundation of China (61234567)",
                "nsfc",
            ),
            (
                "National Key R&D Program of China (2018YFA0000000)",
                "national-key-rd-program",
            ),
            ("Ten Thousand Talents Program", "ten-thousand-talents"),
            (
                "National Defense Science and Engineering Graduate Fellowship",
                "ndseg-fellowship",
            ),
            ("973 Program (2012CB000000)", "program-973"),
        ] {
            let (hits, near) = ids(text);
            assert!(hits.is_empty(), "{text}: {hits:?}");
            assert_eq!(near, vec![civ.to_owned()], "{text}");
        }
    }

    #[test]
    fn a_template_gap_does_not_cross_a_clause_or_lack_its_on() {
        // "Science and Technology Program …, Key Laboratory" is two civilian clauses.
        assert!(
            ids("Science and Technology Program of Guangzhou, Key Laboratory of Optics")
                .0
                .is_empty()
        );
        assert!(
            ids("Science and Technology Innovation Program of Hunan Province Key Laboratory")
                .0
                .is_empty()
        );
    }

    #[test]
    fn funder_ids_match_before_names() {
        let m = m();
        let w = Work {
            id: "W1".into(),
            source: Source::OpenAlex,
            doi: None,
            title: String::new(),
            year: None,
            work_type: None,
            abstract_text: String::new(),
            keywords: vec![],
            topics: vec![],
            authorships: vec![],
            funding: vec![crate::ingest::Funding {
                funder: "Some renamed body".into(),
                funder_ids: vec!["F4320328844".into()],
                award_id: None,
            }],
            acknowledgement: String::new(),
            unscreened: None,
        };
        let (h, _) = m.match_work(&w);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].method, "openalex_id");
        assert_eq!(m.entry(&h[0]).id, "cetc-funds");
    }
}
