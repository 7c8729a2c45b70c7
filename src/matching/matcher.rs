//! Resolving one affiliation (identifiers or raw string) to risk-list entries.
//!
//! Order of evidence: identifiers (ROR, OpenAlex, OpenAlex lineage), then the
//! raw string: exact names after normalisation, compound names, acronyms, and
//! last a labelled fuzzy step that tolerates one typo (in a generic word,
//! or in a distinctive one where more evidence stands).
//! Every candidate passes the same guards: a name that goes on ("Shandong
//! University *of Science and Technology*") is a different institution; a
//! known non-listed name that contains the listed one wins (leftmost-longest);
//! country evidence for another country rejects; names shared abroad need
//! evidence of their own country. When unsure it abstains and says why.

use serde::Serialize;

use super::candidate::{
    affiliate_path, city_near, has_hospital_word, hospital_relation, names_a_parent,
    near_hospital_word, near_key_lab, parent_near, push_unique, reject, segment_original,
    Candidate, Detail,
};
use super::country::{word_bounded, CountryIndex};
use super::index::{Index, Sighted, Target};
use super::normalize::{is_institution_head, Linker, Normalized, SEGMENT_SEP};
use super::trie::{TokenMatch, UNKNOWN};
use crate::risklist::{canonical_openalex, canonical_ror, Relation, RiskList};

/// How a match was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The affiliation's ROR id is the entry's.
    Ror,
    /// The affiliation's OpenAlex id is the entry's.
    Openalex,
    /// An ancestor in the OpenAlex lineage is the entry.
    Lineage,
    /// A name or alias, after normalisation.
    Alias,
    /// An acronym as an upper-case token.
    Acronym,
    /// Similar to a name, with one typo.
    Fuzzy,
}

impl Method {
    /// Slug as in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ror => "ror",
            Self::Openalex => "openalex",
            Self::Lineage => "lineage",
            Self::Alias => "alias",
            Self::Acronym => "acronym",
            Self::Fuzzy => "fuzzy",
        }
    }
}

/// One resolved entry with the evidence behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Entry index in the [`RiskList`].
    pub entry: usize,
    /// How.
    pub method: Method,
    /// Confidence in [0, 1].
    pub score: f64,
    /// The name, alias, acronym or id that matched (display form).
    pub matched: String,
    /// One line a reviewer can check.
    pub evidence: String,
    /// The entry itself, a part of it, or an organisation affiliated with it.
    pub relation: Relation,
}

/// Why a candidate was not accepted (shown by `lookup`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    /// Entry id.
    pub id: String,
    /// Entry name.
    pub name: String,
    /// What matched before the guard.
    pub matched: String,
    /// The guard that fired.
    pub reason: String,
}

/// A known non-listed institution recognised in the string.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnownMention {
    /// Its name.
    pub name: String,
    /// Its ROR id.
    pub ror: String,
    /// Its country.
    pub country: String,
}

/// What `lookup` shows beyond the hits.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    /// Candidates rejected by a guard.
    pub rejected: Vec<Rejection>,
    /// Non-listed institutions recognised.
    pub known: Vec<KnownMention>,
}

/// Identifiers an ingest source may attach to an affiliation.
#[derive(Debug, Default, Clone, Copy)]
pub struct InstitutionIds<'a> {
    /// ROR id (any spelling).
    pub ror: Option<&'a str>,
    /// OpenAlex institution id.
    pub openalex: Option<&'a str>,
    /// OpenAlex lineage: the institution and its ancestors.
    pub lineage: &'a [String],
}

/// Per-thread working memory, reused across strings.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    countries: Vec<(u32, &'static str)>,
    parts: Vec<(u32, u32, u8, u32)>,
    seg_hit: Vec<bool>,
    /// Segments with a listed candidate (see the parent-first step).
    answered: Vec<bool>,
    found: Vec<TokenMatch>,
    /// Affiliates seen by stem or whole name: (chunk, entry, affiliate).
    stems: Vec<(u32, u32, u32)>,
    /// Candidates for an entry itself: (chunk, entry).
    selves: Vec<(u32, u32)>,
    /// By entry: a candidate already (see the reordered step).
    has_entry: Vec<bool>,
    /// Bytes screened of the last string when it was cut at [`MAX_SCREENED`].
    truncated: Option<usize>,
}

impl Scratch {
    /// When the last string given to [`Matcher::match_str`] or
    /// [`Matcher::explain`] was longer than [`MAX_SCREENED`] bytes: how many
    /// of its bytes were screened (the rest was not looked at).
    pub fn truncated(&self) -> Option<usize> {
        self.truncated
    }
}

/// The most bytes of one string that are screened (4 MiB, hundreds of
/// thousands of words): matching is linear, and this bounds the work on one
/// pathological string. Longer strings are cut at the last affiliation or
/// segment boundary before the limit, and [`Scratch::truncated`] says so.
pub const MAX_SCREENED: usize = 4 << 20;

/// `input` cut to at most [`MAX_SCREENED`] bytes, at a `;` or `,` where
/// there is one in the last 64 KiB before the limit, else at a character
/// boundary.
fn screened_part(input: &str) -> (&str, Option<usize>) {
    if input.len() <= MAX_SCREENED {
        return (input, None);
    }
    let mut end = MAX_SCREENED;
    while !input.is_char_boundary(end) {
        end -= 1;
    }
    let window = &input.as_bytes()[end.saturating_sub(64 << 10)..end];
    if let Some(k) = window.iter().rposition(|&b| b == b';' || b == b',') {
        end = end - window.len() + k;
    }
    (&input[..end], Some(end))
}

/// The compiled matcher for one risk list.
#[derive(Debug)]
pub struct Matcher<'a> {
    pub(super) list: &'a RiskList,
    pub(super) index: Index,
    pub(super) countries: CountryIndex,
    tags: Vec<Vec<String>>,
}

/// How many words after an "and" may hold the head of a second institution.
const AND_LOOKAHEAD: usize = 12;

impl<'a> Matcher<'a> {
    /// Compiles `list`.
    pub fn new(list: &'a RiskList) -> Self {
        Self {
            list,
            index: Index::build(list),
            countries: CountryIndex::new(),
            tags: list.entries().iter().map(|e| e.list_tags()).collect(),
        }
    }

    /// The `lists` tags of an entry, computed once.
    pub fn list_tags(&self, entry: usize) -> &[String] {
        &self.tags[entry]
    }

    /// The list this matcher was compiled from.
    pub fn list(&self) -> &'a RiskList {
        self.list
    }

    /// The compiled list (for development tools: `examples/match_stages.rs`).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Number of compiled patterns (for `-v` logging).
    pub fn pattern_count(&self) -> usize {
        self.index.patterns.len()
    }

    /// Number of sets of common words the pre-filter checks (for `-v` logging).
    pub fn anchor_mask_count(&self) -> usize {
        self.index.anchors.mask_count()
    }

    /// Resolves identifiers: ROR, OpenAlex id, then lineage ancestors.
    pub fn match_ids(&self, ids: InstitutionIds<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        if let Some(r) = ids.ror.filter(|r| !r.trim().is_empty()) {
            if let Some(i) = self.list.by_ror(r) {
                hits.push(Hit {
                    entry: i,
                    method: Method::Ror,
                    score: 1.0,
                    matched: canonical_ror(r),
                    evidence: format!("ROR id {} is the entry's", canonical_ror(r)),
                    relation: Relation::Entry,
                });
            } else if let Some(ai) = self.list.affiliate_by_ror(r) {
                let a = &self.list.affiliates()[ai];
                hits.push(Hit {
                    entry: a.entry,
                    method: Method::Ror,
                    score: 1.0,
                    matched: canonical_ror(r),
                    evidence: format!(
                        "ROR id {} is {}",
                        canonical_ror(r),
                        affiliate_path(a, &self.list.entries()[a.entry].name)
                    ),
                    relation: a.relation,
                });
            }
        }
        if let Some(o) = ids.openalex.filter(|o| !o.trim().is_empty()) {
            if let Some(i) = self.list.by_openalex(o) {
                push_unique(
                    &mut hits,
                    Hit {
                        entry: i,
                        method: Method::Openalex,
                        score: 1.0,
                        matched: canonical_openalex(o),
                        evidence: format!("OpenAlex id {} is the entry's", canonical_openalex(o)),
                        relation: Relation::Entry,
                    },
                );
            }
        }
        let own = ids.openalex.map(canonical_openalex);
        for (depth, anc) in ids.lineage.iter().enumerate() {
            let anc_c = canonical_openalex(anc);
            if own.as_deref() == Some(anc_c.as_str()) {
                continue;
            }
            if let Some(i) = self.list.by_openalex(&anc_c) {
                let path: Vec<String> = ids.lineage[..=depth]
                    .iter()
                    .map(|s| canonical_openalex(s))
                    .collect();
                push_unique(
                    &mut hits,
                    Hit {
                        entry: i,
                        method: Method::Lineage,
                        score: 1.0,
                        matched: anc_c.clone(),
                        evidence: format!(
                            "OpenAlex lineage {} reaches listed {}",
                            path.join(" -> "),
                            anc_c
                        ),
                        relation: Relation::Entry,
                    },
                );
            }
        }
        hits
    }

    /// Resolves a raw affiliation string.
    pub fn match_str(&self, input: &str, scratch: &mut Scratch) -> Vec<Hit> {
        let (input, truncated) = screened_part(input);
        scratch.truncated = truncated;
        // Most strings name no listed institution, and most of those hold
        // no anchor word of a listed name: their words are looked up, no
        // text is built, nothing is scanned (`Index::anchors`; `lookup`
        // scans everything, to explain).
        let mut sighted = Sighted::new(&self.index.anchors);
        let lex = &self.index.anchor_lexicon;
        if !scratch.norm.may_hold(input, lex, |id| sighted.word(id)) && !sighted.complete() {
            return Vec::new();
        }
        self.scan(input, scratch, None)
    }

    /// Like [`Matcher::match_str`], also recording rejected candidates and
    /// known non-listed institutions (for `lookup`).
    pub fn explain(&self, input: &str, scratch: &mut Scratch) -> (Vec<Hit>, Diagnostics) {
        let (input, truncated) = screened_part(input);
        scratch.truncated = truncated;
        let mut diag = Diagnostics::default();
        let hits = self.scan(input, scratch, Some(&mut diag));
        (hits, diag)
    }

    /// Affiliate `affiliate` (a row of `data/risk-affiliates.csv`) named in
    /// segment `seg`: its own name, or its stem alone (`corroborate`: it
    /// needs its entry or its city in the affiliation).
    fn affiliate_candidate(
        &self,
        affiliate: u32,
        seg: usize,
        score: f64,
        corroborate: bool,
    ) -> Candidate<'_> {
        let a = &self.list.affiliates()[affiliate as usize];
        let e = &self.list.entries()[a.entry];
        Candidate {
            entry: a.entry,
            method: Method::Alias,
            score,
            matched: &a.name,
            seg,
            needs_country: e.needs_country,
            detail: Detail::Affiliate {
                affiliate: a,
                index: affiliate,
                entry_name: &e.name,
                via_stem: false,
            },
            relation: a.relation,
            hospital: false,
            lab: false,
            corroborate,
        }
    }

    fn scan(&self, input: &str, s: &mut Scratch, mut diag: Option<&mut Diagnostics>) -> Vec<Hit> {
        s.norm.run_with(input, self.index.trie.lexicon());
        let norm = &s.norm;
        if norm.tokens.is_empty() {
            return Vec::new();
        }
        let text = norm.text.as_bytes();
        let mut cands: Vec<Candidate<'_>> = Vec::new();
        s.parts.clear();
        s.stems.clear();
        s.seg_hit.clear();
        s.seg_hit.resize(norm.segments.len(), false);

        s.found.clear();
        self.index.trie.find(norm, &mut s.found);
        // A comma inside a name ("Harbin, Institute of Technology"): a
        // one-word segment, or one followed by a segment that starts with a
        // place ("University of Science and Technology, Beijing"), read with
        // the next one, when neither starts a name of its own, or a segment
        // read with the next one that starts with "and" ("University of
        // Posts, and Telecommunications"); only where the joined reading is
        // a listed name.
        let plain = s.found.len();
        for seg in 1..norm.segments.len() {
            let (a, b) = (&norm.segments[seg - 1], &norm.segments[seg]);
            let (one, next) = (a.first_token as usize, b.first_token as usize);
            // "... Posts, and Telecommunications", "Nanjing University, of
            // Science and Technology": a segment that starts with a linker
            // goes on from the one before.
            let linked_next = norm
                .tokens
                .get(next)
                .is_some_and(|t| t.after_linker != Linker::None);
            // "University of Science and Technology, Beijing 100083": a
            // segment whose first word is a place may end the name before it.
            let place_next = norm
                .tokens
                .get(next)
                .is_some_and(|t| self.countries.is_place(norm.token_text(t)));
            if a.chunk != b.chunk || (next != one + 1 && !linked_next && !place_next) {
                continue;
            }
            // A name of its own starts there (a compound's place part,
            // "Beijing", is not one).
            let starts = |t: usize| {
                let k = s.found[..plain].partition_point(|m| m.first < t);
                s.found[..plain].get(k).is_some_and(|m| {
                    m.first == t
                        && self.index.targets[m.pattern]
                            .iter()
                            .any(|x| !matches!(x, Target::Part { .. }))
                })
            };
            if !linked_next && (starts(one) || starts(next)) {
                continue;
            }
            if let Some(m) = self.index.trie.joined_at(norm, one) {
                s.found.push(m);
            }
        }
        if s.found.len() > plain {
            // A name read across the comma replaces the shorter one inside
            // it ("Nanjing University" in "Nanjing University, of Science
            // and Technology").
            let joined: Vec<(usize, usize)> =
                s.found[plain..].iter().map(|m| (m.first, m.last)).collect();
            s.found.retain(|m| {
                !joined
                    .iter()
                    .any(|&(f, l)| f <= m.first && m.last <= l && (f, l) != (m.first, m.last))
            });
            s.found.sort_by_key(|m| (m.first, m.last));
        }
        if let (true, Some((ac, ids))) = (norm.has_cjk, &self.index.cjk) {
            for m in ac.find_iter(&norm.text) {
                if word_bounded(text, m.start(), m.end()) {
                    s.found.push(TokenMatch {
                        first: norm.token_at(m.start() as u32),
                        last: norm.token_at((m.end() - 1) as u32),
                        pattern: ids[m.pattern().as_usize()],
                    });
                }
            }
            s.found.sort_by_key(|m| (m.first, m.last));
        }
        // The last match that did not start inside another: its span, and
        // whether it went on.
        let mut outer: Option<(usize, usize, bool)> = None;
        for &TokenMatch {
            first,
            last,
            pattern,
        } in &s.found
        {
            // A name starting inside one that goes on (see `TokenTrie::find`)
            // is read only when that one does go on.
            let inner = outer.is_some_and(|(f, l, _)| f < first && first <= l && l < last);
            // ... and not after a compass word ("Southern University of
            // Science and Technology of China" is not USTC).
            if inner
                && (outer.is_some_and(|(.., went_on)| !went_on)
                    || crate::matching::normalize::compass_word(
                        norm.token_text(&norm.tokens[first - 1]),
                    )
                    .is_some())
            {
                continue;
            }
            let seg = norm.tokens[first].seg as usize;
            let chunk = norm.segments[seg].chunk;
            let seg_first = norm.segments[seg].first_token as usize;
            let at_seg_start = first == seg_first;
            // Does the name go on? "X University of Y" is another institution,
            // unless an "and" starts a second affiliation ("A and B University").
            let last_seg = norm.tokens[last].seg;
            let goes_on = norm
                .tokens
                .get(last + 1)
                .filter(|t| t.seg == last_seg)
                .and_then(|t| match t.after_linker {
                    Linker::Of => Some(!names_a_parent(norm, last + 1)),
                    Linker::And => {
                        let rest = &norm.segment_tokens(last_seg as usize)
                            [(last + 1 - norm.segments[last_seg as usize].first_token as usize)..];
                        // A few words suffice ("A and B University"); a bound
                        // keeps a huge comma-less segment linear.
                        Some(
                            !rest
                                .iter()
                                .take(AND_LOOKAHEAD)
                                .any(|t| is_institution_head(norm.token_text(t))),
                        )
                    }
                    Linker::None => None,
                })
                == Some(true);
            // Web of Science drops the "of": "Shanghai Univ Tradit Chinese
            // Med" is not Shanghai University.
            let goes_on = goes_on || self.runs_on(input, norm, last);
            if !inner {
                outer = Some((first, last, goes_on));
            }
            // "North China Electric Power University" is not "China
            // Electronics": a compass word right before a listed name in
            // the same segment makes it part of another institution's name.
            let qualified = first > seg_first
                && crate::matching::normalize::compass_word(
                    norm.token_text(&norm.tokens[first - 1]),
                ) == Some(false);
            // Read across a comma (see above) by a pattern without one.
            let joined = norm.tokens[first].seg != norm.tokens[last].seg
                && !self.index.patterns[pattern].contains(SEGMENT_SEP);
            // A postcode passed over inside the name's comma form.
            let postcode = !joined
                && norm.tokens[first].seg != norm.tokens[last].seg
                && norm.tokens[first..=last]
                    .iter()
                    .any(|t| norm.token_text(t).bytes().all(|b| b.is_ascii_digit()))
                && !self.index.patterns[pattern]
                    .bytes()
                    .any(|b| b.is_ascii_digit());
            // "National Sun Yat-sen University" (Kaohsiung) is not Sun
            // Yat-sen University: "National" before a listed name that does
            // not itself start with it names another institution (Taiwan's
            // universities, as a rule).
            let national = first > seg_first && norm.token_text(&norm.tokens[first - 1]) == "natl";
            // An "and" inside the match that no name behind the pattern has:
            // "China *and* Electron Microscopy" is not "China Electronics".
            // (An added "of" is harmless: "Hospital of X University".)
            let allowed = &self.index.linkers[pattern];
            let added_linker = norm.tokens[first + 1..=last]
                .iter()
                .enumerate()
                .any(|(k, t)| {
                    t.after_linker == Linker::And && allowed.get(k + 1).is_none_or(|a| a & 2 == 0)
                });
            if added_linker {
                continue;
            }
            for t in &self.index.targets[pattern] {
                match *t {
                    Target::Name {
                        entry,
                        name,
                        generic,
                    } => {
                        let e = &self.list.entries()[entry as usize];
                        let display = &self.index.names[name as usize];
                        let of_city = goes_on
                            && ends_with_city(norm, last, &self.index.entry_cities[entry as usize]);
                        if goes_on && !of_city {
                            // (The longer name may carry a typo: the segment
                            // stays open to the fuzzy step.)
                            reject(&mut diag, e, display, || {
                                "the name goes on (\"... of ...\"): a different, longer name".into()
                            });
                            continue;
                        }
                        s.seg_hit[seg] = true;
                        if qualified {
                            reject(&mut diag, e, display, || {
                                "a compass word stands before it (\"North China ...\"): part of a longer name".into()
                            });
                            continue;
                        }
                        if national {
                            reject(&mut diag, e, display, || {
                                "'National' stands before it: \"National X University\" is another institution (in Taiwan, as a rule)".into()
                            });
                            continue;
                        }
                        cands.push(Candidate {
                            entry: entry as usize,
                            method: Method::Alias,
                            score: 1.0,
                            matched: display,
                            seg,
                            needs_country: e.needs_country || generic,
                            detail: Detail::Name {
                                compound: false,
                                joined,
                                postcode,
                                parent: false,
                                by_city: false,
                                of_city,
                            },
                            relation: Relation::Entry,
                            // (Or the alias is a hospital's, "Tangdu Hospital"
                            // for a medical university.)
                            hospital: near_hospital_word(norm, first, last)
                                || (has_hospital_word(norm, first, last)
                                    && !e
                                        .name
                                        .split_whitespace()
                                        .any(|w| w.eq_ignore_ascii_case("hospital"))),
                            lab: false,
                            corroborate: false,
                        });
                    }
                    Target::Acronym {
                        entry,
                        name,
                        strong,
                    } => {
                        let e = &self.list.entries()[entry as usize];
                        let display = &self.index.names[name as usize];
                        // Upper case, or as mixed as the list writes it
                        // ("SibNIA"); never a plain word ("Sibnia").
                        let t = &norm.tokens[first];
                        let cased =
                            t.upper || (t.mixed && display.bytes().any(|b| b.is_ascii_lowercase()));
                        if first != last || !cased {
                            continue;
                        }
                        s.seg_hit[seg] = true;
                        cands.push(Candidate {
                            entry: entry as usize,
                            method: Method::Acronym,
                            score: if strong { 0.95 } else { 0.9 },
                            matched: display,
                            seg,
                            needs_country: !strong || e.needs_country,
                            detail: Detail::Acronym {
                                shared: self.index.targets[pattern].iter().any(|t| {
                                    matches!(*t, Target::Acronym { entry: other, .. } if other != entry)
                                }),
                                strong,
                            },
                            relation: Relation::Entry,
                            hospital: false,
                            lab: false,
                            corroborate: false,
                        });
                    }
                    Target::Part { rule, part } => {
                        // A part alone is no hit: the segment stays open to
                        // the fuzzy step ("Beijing" is a compound's part, and
                        // "Beijing Jiaotong Univeristy" a typo) until the
                        // compound is whole (below).
                        if at_seg_start && !goes_on {
                            s.parts.push((rule, chunk, part, seg as u32));
                        }
                    }
                    Target::Known { known, affiliated } => {
                        // A known name that goes on ("Guilin University of
                        // Electronic Techology") leaves the segment open to
                        // the fuzzy step, like a listed one; so does one
                        // next to a word no name uses, which may be a longer
                        // name's misspelt word ("Natioanl *University of
                        // Defense* Technology", "National *University of
                        // Defense* Techology").
                        let next_to_unknown =
                            (first > seg_first && norm.tokens[first - 1].id == UNKNOWN)
                                || norm.tokens.get(last + 1).is_some_and(|t| {
                                    t.seg == norm.tokens[last].seg && t.id == UNKNOWN
                                });
                        if !goes_on && !next_to_unknown {
                            s.seg_hit[seg] = true;
                        }
                        if let (Some(entry), false) = (affiliated, goes_on) {
                            let k = &self.list.known()[known as usize];
                            let e = &self.list.entries()[entry as usize];
                            cands.push(Candidate {
                                entry: entry as usize,
                                method: Method::Alias,
                                score: 0.95,
                                matched: &k.name,
                                seg,
                                needs_country: e.needs_country,
                                detail: Detail::Unit {
                                    ror: &k.ror,
                                    entry_name: &e.name,
                                },
                                // A unit named after the entry is part of it;
                                // a hospital is the entry's only at a PLA
                                // medical university.
                                relation: if has_hospital_word(norm, first, last) {
                                    hospital_relation(e)
                                } else {
                                    Relation::Part
                                },
                                hospital: false,
                                lab: false,
                                corroborate: false,
                            });
                        }
                        if let Some(d) = diag.as_deref_mut() {
                            let k = &self.list.known()[known as usize];
                            let mention = KnownMention {
                                name: k.name.clone(),
                                ror: k.ror.clone(),
                                country: k.country.clone(),
                            };
                            if !d.known.contains(&mention) {
                                d.known.push(mention);
                            }
                        }
                    }
                    Target::Affiliate { affiliate, named } => {
                        s.seg_hit[seg] = true;
                        let a = &self.list.affiliates()[affiliate as usize];
                        let e = &self.list.entries()[a.entry];
                        if goes_on {
                            reject(&mut diag, e, &a.name, || {
                                "the name goes on (\"... of ...\"): a different, longer name".into()
                            });
                            continue;
                        }
                        cands.push(self.affiliate_candidate(affiliate, seg, 0.95, !named));
                    }
                    Target::AffiliateStem { affiliate } => {
                        s.seg_hit[seg] = true;
                        let a = &self.list.affiliates()[affiliate as usize];
                        s.stems.push((chunk, a.entry as u32, affiliate));
                        // The stem alone ("Xiangya Hospital, Changsha") is the
                        // affiliate where its own city stands in the
                        // affiliation and no other listed institution does
                        // (checked with the generic names below).
                        if !goes_on && at_seg_start && !a.city.is_empty() {
                            cands.push(self.affiliate_candidate(affiliate, seg, 0.9, true));
                        }
                    }
                }
            }
        }

        // A listed name without its parent, as a segment of its own, with
        // the parent in another segment of the affiliation ("Russian Acad
        // Sci, Siberian Branch, Rzhanov Inst Semicond Phys").
        if !self.index.parent_heads.is_empty() {
            // (A known name inside it, "Institute of Semiconductors" in
            // "Rzhanov Inst Semicond Phys", is no answer for it; a listed
            // one is.)
            s.answered.clear();
            s.answered.resize(norm.segments.len(), false);
            for c in &cands {
                s.answered[c.seg] = true;
            }
            for (seg, sg) in norm.segments.iter().enumerate() {
                if s.answered[seg] {
                    continue;
                }
                let Some(heads) = self
                    .index
                    .parent_heads
                    .get(&norm.text[sg.start as usize..sg.end as usize])
                else {
                    continue;
                };
                for &(entry, name, parent) in heads {
                    let e = &self.list.entries()[entry as usize];
                    let display = &self.index.names[name as usize];
                    // Or the entry's own city, next to it ("Institute of
                    // Solid State Physics, Chernogolovka"): without the
                    // parent, a name like this is several countries'.
                    let named = parent_near(norm, seg, &self.index.parents[parent as usize]);
                    let by_city =
                        !named && city_near(norm, seg, &self.index.entry_cities[entry as usize]);
                    if !named && !by_city {
                        reject(&mut diag, e, display, || {
                            "the name without its parent counts only where the affiliation names the parent or the listed institution's own city".into()
                        });
                        continue;
                    }
                    s.seg_hit[seg] = true;
                    cands.push(Candidate {
                        entry: entry as usize,
                        method: Method::Alias,
                        score: 0.95,
                        matched: display,
                        seg,
                        needs_country: e.needs_country,
                        detail: Detail::Name {
                            compound: false,
                            joined: false,
                            postcode: false,
                            parent: !by_city,
                            by_city,
                            of_city: false,
                        },
                        relation: Relation::Entry,
                        hospital: false,
                        lab: false,
                        corroborate: false,
                    });
                }
            }
        }

        // Compound names: every part found in the same affiliation.
        if !s.parts.is_empty() {
            s.parts.sort_unstable();
            s.parts.dedup_by_key(|p| (p.0, p.1, p.2));
            for group in s.parts.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
                let c = &self.index.compounds[group[0].0 as usize];
                if group.len() == c.parts as usize {
                    for p in group {
                        s.seg_hit[p.3 as usize] = true;
                    }
                    let e = &self.list.entries()[c.entry as usize];
                    cands.push(Candidate {
                        entry: c.entry as usize,
                        method: Method::Alias,
                        score: 1.0,
                        matched: &c.display,
                        seg: group[0].3 as usize,
                        needs_country: e.needs_country,
                        detail: Detail::Name {
                            compound: true,
                            joined: false,
                            postcode: false,
                            parent: false,
                            by_city: false,
                            of_city: false,
                        },
                        relation: Relation::Entry,
                        hospital: false,
                        lab: false,
                        corroborate: false,
                    });
                }
            }
        }

        // Fuzzy, last: segments nothing matched that look like an institution.
        let mut by_entry = false;
        for (seg, hit) in s.seg_hit.iter().enumerate() {
            if *hit {
                continue;
            }
            // A typo is a word no name uses; without one there is nothing to forgive.
            // (The trie already looked every token up: UNKNOWN = no name uses it.)
            let toks = norm.segment_tokens(seg);
            let typo = toks.len() >= 2
                && toks.iter().any(|t| {
                    let w = norm.token_text(t);
                    t.id == UNKNOWN && w.len() >= 4 && w.bytes().all(|b| b.is_ascii_lowercase())
                });
            if let Some(c) = typo.then(|| self.fuzzy_segment(norm, seg)).flatten() {
                if let Some(seen) = s.has_entry.get_mut(c.entry).filter(|_| by_entry) {
                    *seen = true;
                }
                cands.push(c);
            } else if let Some(c) = self.reordered_segment(norm, seg) {
                // A listed name in its own order, elsewhere in the
                // affiliation, says more ("Southwest Hospital, Army Medical
                // University" is part of it). Entries with a candidate, by
                // entry, so a huge string stays linear.
                if !by_entry {
                    s.has_entry.clear();
                    s.has_entry.resize(self.list.entries().len(), false);
                    for o in &cands {
                        s.has_entry[o.entry] = true;
                    }
                    by_entry = true;
                }
                if !std::mem::replace(&mut s.has_entry[c.entry], true) {
                    cands.push(c);
                }
            }
        }

        if cands.is_empty() {
            return Vec::new();
        }
        // An affiliate's name that does not name its entry ("State Key
        // Laboratory of Surface Physics") is many laboratories' name: it
        // stands only with its entry in the same affiliation, or with its
        // own city there and no other listed institution.
        if cands.iter().any(|c| c.corroborate) {
            let chunk_of = |c: &Candidate<'_>| norm.segments[c.seg].chunk;
            // Sorted, searched: a huge string stays linear.
            s.selves.clear();
            s.selves.extend(
                cands
                    .iter()
                    .filter(|o| !o.corroborate && o.relation == Relation::Entry)
                    .map(|o| (chunk_of(o), o.entry as u32)),
            );
            s.selves.sort_unstable();
            let selves = &s.selves;
            let mut keep = vec![true; cands.len()];
            for (k, c) in cands.iter().enumerate() {
                if !c.corroborate {
                    continue;
                }
                let Detail::Affiliate {
                    affiliate, index, ..
                } = c.detail
                else {
                    continue;
                };
                let ch = chunk_of(c);
                let from = selves.partition_point(|&(x, _)| x < ch);
                let to = selves.partition_point(|&(x, _)| x <= ch);
                let in_chunk = &selves[from..to];
                let own = in_chunk.binary_search(&(ch, c.entry as u32)).is_ok();
                let other = in_chunk
                    .first()
                    .zip(in_chunk.last())
                    .is_some_and(|(a, b)| a.1 != c.entry as u32 || b.1 != c.entry as u32);
                let ok = own
                    || (!other
                        && city_near(norm, c.seg, &self.index.affiliate_cities[index as usize]));
                if !ok {
                    keep[k] = false;
                    let e = &self.list.entries()[c.entry];
                    reject(&mut diag, e, c.matched, || {
                        format!(
                            "'{}' does not name {}, and the affiliation shows neither {} nor {} alone: other institutions use this name",
                            affiliate.name,
                            e.name,
                            e.name,
                            if affiliate.city.is_empty() && affiliate.relation == Relation::Part {
                                &e.city
                            } else {
                                &affiliate.city
                            }
                        )
                    });
                }
            }
            let mut k = 0;
            cands.retain(|_| {
                k += 1;
                keep[k - 1]
            });
        }
        // An affiliate found whole also makes its entry, named in the same
        // affiliation, the affiliate ("Huashan Hospital, Fudan University").
        for c in &cands {
            if let Detail::Affiliate { index, .. } = c.detail {
                s.stems
                    .push((norm.segments[c.seg].chunk, c.entry as u32, index));
            }
        }
        s.stems.sort_unstable();
        for c in &mut cands {
            if c.relation != Relation::Entry {
                continue;
            }
            // The entry named with an affiliate's stem in one affiliation
            // ("Xiangya Hospital, Central South University") is the affiliate.
            let chunk = norm.segments[c.seg].chunk;
            let affiliates = self.list.affiliates();
            let at = s
                .stems
                .partition_point(|&(ch, e, _)| (ch, e) < (chunk, c.entry as u32));
            if let Some((index, a)) = s
                .stems
                .get(at)
                .filter(|&&(ch, e, _)| (ch, e) == (chunk, c.entry as u32))
                .map(|&(_, _, ai)| (ai, &affiliates[ai as usize]))
            {
                let e = &self.list.entries()[c.entry];
                c.matched = &a.name;
                c.score = c.score.min(0.95);
                c.relation = a.relation;
                c.hospital = false;
                c.detail = Detail::Affiliate {
                    affiliate: a,
                    index,
                    entry_name: &e.name,
                    via_stem: true,
                };
            } else if c.hospital {
                c.relation = hospital_relation(&self.list.entries()[c.entry]);
            } else if c.relation == Relation::Entry && near_key_lab(norm, c.seg) {
                c.relation = Relation::Part;
                c.lab = true;
            }
        }
        self.shared_acronyms(norm, &mut cands, &mut diag);
        self.acronyms_of_the_name_before(norm, &mut cands, &mut diag);
        self.countries.evidence(norm, &s.found, &mut s.countries);
        let mut hits: Vec<Hit> = Vec::new();
        let mut here: Vec<&'static str> = Vec::new();
        for c in cands {
            let e = &self.list.entries()[c.entry];
            CountryIndex::scope(norm, &s.countries, c.seg, &mut here);
            let own = here.iter().any(|code| *code == e.country);
            if !here.is_empty() && !own {
                reject(&mut diag, e, c.matched, || {
                    format!(
                        "the affiliation names another country ({}) and not {}",
                        here.join(", "),
                        e.country
                    )
                });
                continue;
            }
            if c.needs_country && !own {
                let why = || {
                    if c.method == Method::Acronym {
                        format!(
                            "the acronym is ambiguous without evidence of {} in the affiliation: abstaining",
                            e.country
                        )
                    } else {
                        format!(
                            "the name is shared abroad and the affiliation shows no evidence of {}: abstaining",
                            e.country
                        )
                    }
                };
                reject(&mut diag, e, c.matched, why);
                continue;
            }
            let mut evidence = c.evidence(segment_original(input, norm, c.seg));
            if norm.segment_tokens(c.seg).iter().any(|t| t.glued) {
                evidence.push_str("; rule: words glued together read apart");
            }
            if norm.segment_tokens(c.seg).iter().any(|t| t.rejoined) {
                evidence.push_str("; rule: a name word written as two read as one");
            }
            push_unique(
                &mut hits,
                Hit {
                    entry: c.entry,
                    method: c.method,
                    score: c.score,
                    matched: c.matched.to_owned(),
                    evidence,
                    relation: c.relation,
                },
            );
        }
        hits
    }
}

impl<'a> Matcher<'a> {
    /// Whether a name ending in an institution word at token `last` runs on
    /// in Web of Science's way, without "of" ("Shahid Beheshti Univ Med Sci",
    /// "Zhejiang Univ Sci & Technol"): the segment is written with Web of
    /// Science's abbreviations ("Univ", "Inst", "Acad"), and the words after
    /// the name, to the segment's end, are a few words none of which is an
    /// institution word, a number or an acronym, the first of which is no
    /// place ("Peking Univ Shenzhen Grad Sch", "Sichuan Univ West China
    /// Hosp" do not run on).
    fn runs_on(&self, input: &str, norm: &Normalized, last: usize) -> bool {
        let toks = &norm.tokens;
        let Some(next) = toks.get(last + 1) else {
            return false;
        };
        let seg = toks[last].seg;
        if next.seg != seg
            || next.after_linker != Linker::None
            || !is_institution_head(norm.token_text(&toks[last]))
        {
            return false;
        }
        let rest = toks[last + 1..].iter().take_while(|t| t.seg == seg);
        if rest.clone().take(7).count() > 6 {
            return false;
        }
        let wos = segment_original(input, norm, seg as usize)
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "Univ" | "Inst" | "Acad" | "UNIV" | "INST" | "ACAD"));
        // (A place counts right after the name, as a campus: "Tradit
        // Chinese Med" runs on.)
        wos && rest.enumerate().all(|(k, t)| {
            let w = norm.token_text(t);
            let stops = t.upper
                || is_institution_head(w)
                || (k == 0 && self.countries.is_place(w))
                || w.bytes().any(|b| b.is_ascii_digit());
            !stops
        })
    }

    /// An acronym that several listed entries carry (HUST: Huazhong and
    /// Harbin's universities of science and technology) names the one whose
    /// city the affiliation shows next to it; with none or several of their
    /// cities it names none of them.
    fn shared_acronyms(
        &self,
        norm: &Normalized,
        cands: &mut Vec<Candidate<'a>>,
        diag: &mut Option<&mut Diagnostics>,
    ) {
        let shared = |c: &Candidate<'_>| matches!(c.detail, Detail::Acronym { shared: true, .. });
        if !cands.iter().any(shared) {
            return;
        }
        let placed = |c: &Candidate<'_>| city_near(norm, c.seg, &self.index.entry_cities[c.entry]);
        let rival = |c: &Candidate<'_>, o: &Candidate<'_>| {
            shared(o) && o.seg == c.seg && o.entry != c.entry && o.matched == c.matched
        };
        let keep: Vec<bool> = cands
            .iter()
            .map(|c| !shared(c) || (placed(c) && !cands.iter().any(|o| rival(c, o) && placed(o))))
            .collect();
        self.drop_unkept(cands, &keep, diag, "other listed institutions share the acronym and the affiliation does not show this one's city next to it: abstaining");
    }

    /// A weak acronym right after a name whose initials it is ("Sahand
    /// University of Technology (SUT)", "Northwestern Polytechnic University
    /// (NPU), Fremont") is that name's, not a listed entry's that the
    /// segment before does not name.
    fn acronyms_of_the_name_before(
        &self,
        norm: &Normalized,
        cands: &mut Vec<Candidate<'a>>,
        diag: &mut Option<&mut Diagnostics>,
    ) {
        let weak = |c: &Candidate<'_>| matches!(c.detail, Detail::Acronym { strong: false, .. });
        if !cands.iter().any(weak) {
            return;
        }
        let initials_before = |c: &Candidate<'_>| {
            let Some(prev) = c.seg.checked_sub(1) else {
                return false;
            };
            if norm.segments[prev].chunk != norm.segments[c.seg].chunk {
                return false;
            }
            let toks = norm.segment_tokens(prev);
            let letters = || c.matched.chars().filter(|ch| ch.is_alphanumeric());
            toks.len() >= 2
                && toks.len() == letters().count()
                && toks.iter().zip(letters()).all(|(t, ch)| {
                    norm.token_text(t)
                        .chars()
                        .next()
                        .is_some_and(|f| f.eq_ignore_ascii_case(&ch))
                })
        };
        let keep: Vec<bool> = cands
            .iter()
            .map(|c| {
                !(weak(c)
                    && initials_before(c)
                    && !cands
                        .iter()
                        .any(|o| o.entry == c.entry && o.seg + 1 == c.seg))
            })
            .collect();
        self.drop_unkept(cands, &keep, diag, "the acronym spells the initials of the name before it, which is not this institution's");
    }

    /// Drops the candidates `keep` says no to, each rejected with `why`.
    fn drop_unkept(
        &self,
        cands: &mut Vec<Candidate<'a>>,
        keep: &[bool],
        diag: &mut Option<&mut Diagnostics>,
        why: &str,
    ) {
        for (c, _) in cands.iter().zip(keep).filter(|(_, k)| !**k) {
            let e = &self.list.entries()[c.entry];
            reject(diag, e, c.matched, || why.into());
        }
        let mut k = keep.iter();
        cands.retain(|_| *k.next().unwrap_or(&true));
    }
}

/// Whether what follows token `last` in its segment is "of" and the
/// entry's own normalised `city`, and nothing else: "Imam Khomeini
/// Maritime University *of Nowshahr*" goes on only by its own place.
fn ends_with_city(norm: &Normalized, last: usize, city: &str) -> bool {
    let Some(next) = norm.tokens.get(last + 1) else {
        return false;
    };
    let seg = &norm.segments[next.seg as usize];
    !city.is_empty()
        && next.seg == norm.tokens[last].seg
        && next.after_linker == Linker::Of
        && norm.text[next.start as usize..seg.end as usize].trim_end() == city
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_21_a_string_over_the_limit_is_cut_at_a_boundary_and_says_so() {
        let unit = "Harbin Institute of Technology, Harbin 150001, China; ";
        let huge = unit.repeat(MAX_SCREENED / unit.len() + 10);
        let (part, cut) = screened_part(&huge);
        let cut = cut.expect("a string over the limit is cut");
        assert_eq!(part.len(), cut);
        assert!(cut <= MAX_SCREENED && cut > MAX_SCREENED - unit.len());
        assert!(huge[cut..].starts_with([';', ',']));
        let list = RiskList::bundled().unwrap();
        let m = Matcher::new(&list);
        let mut s = Scratch::default();
        assert!(!m.match_str(&huge[..unit.len()], &mut s).is_empty());
        assert_eq!(s.truncated(), None);
        let (part, cut) = screened_part("short");
        assert_eq!((part, cut), ("short", None));
    }
}
