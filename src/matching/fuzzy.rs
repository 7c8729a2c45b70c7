//! The last-resort steps of the matcher: one typo in a word of a
//! listed name, and (for `lookup`) the listed names a query resembles.

use super::candidate::names_a_parent;
use super::candidate::{Candidate, Detail};
use super::index::FuzzyName;
use super::matcher::{Matcher, Method};
use super::normalize::{is_institution_head, spelled, Linker, Normalized, Token};
use super::trie::UNKNOWN;
use crate::risklist::{Relation, RiskLevel};

/// Fuzzy threshold on the one differing word (normalised
/// Damerau-Levenshtein on spelled-out forms).
const FUZZY_TOKEN_MIN: f64 = 0.8;

/// The longest word the swap step tries (a longer one is no name's word).
const SWAP_MAX: usize = 40;

impl Matcher<'_> {
    pub(super) fn fuzzy_segment(&self, norm: &Normalized, seg: usize) -> Option<Candidate<'_>> {
        let toks = norm.segment_tokens(seg);
        if toks.len() > 24 {
            return None;
        }
        let mut best: Option<(f64, u32)> = None;
        for (j, tok) in toks.iter().enumerate() {
            // Keys are name words: a word no name uses keys nothing.
            if tok.id == UNKNOWN {
                continue;
            }
            for (fi, f, _, window) in self.keyed_windows(norm, seg, j, tok.id) {
                let k = f.tokens.len();
                if let Some(sim) = one_typo_similarity(f, norm, window, &self.index.token_df)
                    .filter(|_| !self.typo_is_a_place(f, norm, window))
                {
                    let score = (k as f64 - 1.0 + sim) / k as f64;
                    if best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, fi));
                    }
                }
            }
        }
        // Two letters swapped in a name's only distinctive word is less
        // evidence: the country must be named too.
        let mut swapped = false;
        if best.is_none() {
            best = self.transposed_name(norm, seg);
            swapped = best.is_some();
        }
        let (score, fi) = best?;
        let f = &self.index.fuzzy[fi as usize];
        // A known non-listed institution is the better explanation: abstain.
        let entry = f.entry? as usize;
        let e = &self.list.entries()[entry];
        Some(Candidate {
            entry,
            method: Method::Fuzzy,
            score: (score * 0.95 * 1000.0).round() / 1000.0,
            matched: &f.display,
            seg,
            needs_country: e.needs_country || swapped,
            detail: Detail::Fuzzy { score },
            relation: Relation::Entry,
            hospital: false,
            lab: false,
            corroborate: false,
        })
    }

    /// A name whose one distinctive word the segment writes with two
    /// letters swapped ("Xidain University"), the most common slip at the
    /// keyboard: a word no name uses, six letters or more, not a place,
    /// whose swap (not of its first letter) is the name's key word, every
    /// other word of the name standing exactly. (The typo step above is
    /// keyed by a word that stands, so it cannot see a name whose only
    /// distinctive word carries the typo.) The country must be named too
    /// (see the caller). Score and name index.
    fn transposed_name(&self, norm: &Normalized, seg: usize) -> Option<(f64, u32)> {
        let toks = norm.segment_tokens(seg);
        // A name has an institution word ("University"): without one, no
        // name to find (and no lookups for street and person names).
        if !toks.iter().any(|t| self.index.is_head(t.id)) {
            return None;
        }
        let mut best: Option<(f64, u32)> = None;
        for (j, tok) in toks.iter().enumerate() {
            let text = norm.token_text(tok);
            if tok.id != UNKNOWN
                || text.len() < 6
                || !text.bytes().all(|b| b.is_ascii_lowercase())
                || !self.index.may_be_swapped(text.as_bytes())
                || self.countries.is_place(text)
            {
                continue;
            }
            // On the stack: the word, two letters swapped at a time.
            let mut buf = [0u8; SWAP_MAX];
            let Some(swapped) = buf.get_mut(..text.len()) else {
                continue;
            };
            swapped.copy_from_slice(text.as_bytes());
            for p in 1..swapped.len() - 1 {
                if swapped[p] == swapped[p + 1] {
                    continue;
                }
                swapped.swap(p, p + 1);
                let id = self
                    .index
                    .trie
                    .lexicon()
                    .get(swapped)
                    .map(|l| l.ids[0])
                    .filter(|&id| id != UNKNOWN);
                swapped.swap(p, p + 1);
                let Some(id) = id else {
                    continue;
                };
                for (fi, f, r, window) in self.keyed_windows(norm, seg, j, id) {
                    let k = f.tokens.len();
                    let stands = f
                        .ids
                        .iter()
                        .zip(window)
                        .enumerate()
                        .all(|(i, (&n, w))| i == r as usize || n == w.id);
                    if !stands || !f.distinctive[r as usize] {
                        continue;
                    }
                    let sim = 1.0 - 1.0 / text.len() as f64;
                    let score = (k as f64 - 1.0 + sim) / k as f64;
                    if best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, fi));
                    }
                }
            }
        }
        best
    }

    /// A segment with a listed name's words in another order ("Shahid
    /// Sattari Aeronaut Univ Sci & Technol" for "Shahid Sattari University
    /// of Aeronautical Sciences and Technologies", "Moscow MV Lomonosov
    /// State Univ"): every word but initials a name word, an
    /// institution word among them, the same words as one listed name and
    /// no known one. Needs the entry's country (or city).
    pub(super) fn reordered_segment(&self, norm: &Normalized, seg: usize) -> Option<Candidate<'_>> {
        let toks = norm.segment_tokens(seg);
        let words = || toks.iter().map(|t| (norm.token_text(t), t.upper));
        let own = |id: u32| {
            self.index
                .bag_word
                .get(id as usize)
                .copied()
                .unwrap_or(false)
        };
        if toks.len() < 3
            || !toks.iter().any(|t| own(t.id))
            || !toks.iter().any(|t| self.index.is_head(t.id))
            || toks
                .iter()
                .any(|t| t.id == UNKNOWN && norm.token_text(t).len() > 2)
        {
            return None;
        }
        let key = super::index::bag_key(words())?;
        let at = self.index.bags.get(&key)?;
        let (entry, name) = at.first().copied()?;
        // One listed entry, and no known institution, has these words.
        if at.iter().any(|&(e, _)| e != entry) {
            return None;
        }
        let entry = entry? as usize;
        Some(Candidate {
            entry,
            method: Method::Fuzzy,
            score: 0.85,
            matched: &self.index.names[name as usize],
            seg,
            needs_country: true,
            detail: Detail::Reordered,
            relation: Relation::Entry,
            hospital: false,
            lab: false,
            corroborate: false,
        })
    }

    /// The names keyed by token `id` ([`Index::fuzzy_by_id`]) whose words
    /// line up with token `j` of segment `seg` ([`name_window`]): (name
    /// index, name, the key's position in it, the window).
    ///
    /// [`Index::fuzzy_by_id`]: super::index::Index::fuzzy_by_id
    fn keyed_windows<'s>(
        &'s self,
        norm: &'s Normalized,
        seg: usize,
        j: usize,
        id: u32,
    ) -> impl Iterator<Item = (u32, &'s FuzzyName, u8, &'s [Token])> + 's {
        let names = self
            .index
            .fuzzy_by_id
            .get(&id)
            .map_or(&[][..], Vec::as_slice);
        names.iter().filter_map(move |&(fi, r)| {
            let f = &self.index.fuzzy[fi as usize];
            name_window(norm, seg, j, r, f.tokens.len()).map(|w| (fi, f, r, w))
        })
    }

    /// Listed entries whose names share a distinctive word with `text` but
    /// did not match: for `lookup` ("Nanjing University" is not "Nanjing
    /// University of Science and Technology"). Names containing every word of
    /// the query come first, then higher risk, then closer names.
    pub fn near_misses(
        &self,
        text: &str,
        exclude: &[usize],
        limit: usize,
    ) -> Vec<(usize, f64, String)> {
        let key = super::normalize::normalize_name(text).replace('|', " ");
        let query: Vec<&str> = key.split(' ').filter(|t| !t.is_empty()).collect();
        // Place names and proper names, not the generic words every name has.
        let distinctive =
            |t: &str| spelled(t) == t && !is_institution_head(t) && t.len() > 2 && t != "china";
        if !query.iter().any(|t| distinctive(t)) {
            return Vec::new();
        }
        let mut out: Vec<(bool, RiskLevel, f64, usize, String)> = Vec::new();
        for (i, e) in self.list.entries().iter().enumerate() {
            if exclude.contains(&i) {
                continue;
            }
            let mut best: Option<(bool, f64, &String)> = None;
            for n in std::iter::once(&e.name).chain(e.aliases.iter()) {
                let nk = super::normalize::normalize_name(n).replace('|', " ");
                let name: Vec<&str> = nk.split(' ').collect();
                if !query.iter().any(|q| distinctive(q) && name.contains(q)) {
                    continue;
                }
                let shared = query.iter().filter(|q| name.contains(q)).count();
                let covers = shared == query.len();
                let score = 0.6 * shared as f64 / query.len() as f64
                    + 0.4 * shared as f64 / name.len() as f64;
                if best.is_none_or(|(c, s, _)| (covers, score) > (c, s)) {
                    best = Some((covers, score, n));
                }
            }
            // Weak resemblances (one shared place name in a long name) are noise.
            if let Some((covers, score, n)) = best.filter(|(c, sc, _)| *c || *sc >= 0.4) {
                out.push((covers, e.risk_level, score, i, n.clone()));
            }
        }
        out.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.3.cmp(&b.3))
        });
        out.truncate(limit);
        out.into_iter()
            .map(|(_, _, score, i, n)| (i, (score * 100.0).round() / 100.0, n))
            .collect()
    }
}

impl Matcher<'_> {
    /// Whether the word that differs from a name's distinctive word is a
    /// place ("Shanxi Normal University" is no typo of "Shaanxi Normal
    /// University").
    fn typo_is_a_place(
        &self,
        name: &super::index::FuzzyName,
        norm: &Normalized,
        window: &[Token],
    ) -> bool {
        name.ids
            .iter()
            .zip(window)
            .zip(&name.distinctive)
            .any(|((&n, w), &d)| d && n != w.id && self.countries.is_place(norm.token_text(w)))
    }
}

/// The `k` tokens of segment `seg` where a name's key word (its `r`th)
/// lines up with token `j`, unless the name goes on past them ("Hunan
/// Univeristy *of* Technology" is another, longer name, misspelt or not).
fn name_window(norm: &Normalized, seg: usize, j: usize, r: u8, k: usize) -> Option<&[Token]> {
    let toks = norm.segment_tokens(seg);
    let start = j.checked_sub(r as usize)?;
    let window = toks.get(start..start + k)?;
    let first = norm.segments[seg].first_token as usize;
    let goes_on = toks
        .get(start + k)
        .is_some_and(|t| t.after_linker == Linker::Of && !names_a_parent(norm, first + start + k));
    (!goes_on).then_some(window)
}

/// Whether a name may carry its one typo in distinctive word `i`: three
/// words or more, and another distinctive word that must match exactly.
pub(super) fn distinctive_typo_allowed(name: &super::index::FuzzyName, i: usize) -> bool {
    name.tokens.len() >= 3 && (0..name.tokens.len()).any(|j| j != i && name.distinctive[j])
}

/// Similarity when `window` equals the name except for one token, which
/// must be a near-spelling: a generic word, or in a name of three words or
/// more with another distinctive word a distinctive one, by a single edit
/// that keeps its first letter ("Dalian Maritme University", "Beijing
/// University of Aeronautics and Astronuatics"). Tokens compare by
/// id: a word's id is the id of its canonical text, and a word no name uses
/// ([`UNKNOWN`]) equals no name word.
fn one_typo_similarity(
    name: &super::index::FuzzyName,
    norm: &Normalized,
    window: &[Token],
    vocabulary: &rustc_hash::FxHashMap<String, u32>,
) -> Option<f64> {
    let mut diff = None;
    for (i, (&n, w)) in name.ids.iter().zip(window).enumerate() {
        if n != w.id {
            if diff.is_some() {
                return None;
            }
            diff = Some(i);
        }
    }
    let i = diff?;
    let distinctive = name.distinctive[i];
    if distinctive && !distinctive_typo_allowed(name, i) {
        return None;
    }
    let typo = norm.token_text(&window[i]);
    // A word some name uses is a different word, not a typo.
    if vocabulary.contains_key(typo) {
        return None;
    }
    let a = spelled(&name.tokens[i]);
    let b = spelled(typo);
    if b.len() < 4 || a.len().abs_diff(b.len()) > 2 {
        return None;
    }
    // In a two-word name the one exact word is all the evidence besides the
    // typo: a single edit ("Univeristy", "Univercity"), not two.
    if (name.tokens.len() == 2 || distinctive) && strsim::damerau_levenshtein(a, b) > 1 {
        return None;
    }
    if distinctive && (b.len() < 5 || a.as_bytes()[0] != b.as_bytes()[0]) {
        return None;
    }
    let sim = strsim::normalized_damerau_levenshtein(a, b);
    (sim >= FUZZY_TOKEN_MIN).then_some(sim)
}
