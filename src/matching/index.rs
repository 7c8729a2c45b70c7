//! The compiled risk list: every normalised alias, acronym, compound part and
//! known non-listed name in one leftmost-longest token trie (Latin script) and
//! one Aho-Corasick automaton (CJK), so a string is scanned once whatever the
//! size of the list.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap;

use super::normalize::{is_cjk, Linker, Normalized, SEGMENT_SEP};
use super::trie::TokenTrie;
use crate::risklist::RiskList;

/// What a compiled pattern stands for. One pattern may stand for several
/// things (a name that is both a known institution and a compound part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A name of a listed entry (the entry name, original-script name or alias).
    Name {
        /// Entry index.
        entry: u32,
        /// Index into [`Index::names`] for the display form.
        name: u32,
    },
    /// An acronym of a listed entry.
    Acronym {
        /// Entry index.
        entry: u32,
        /// Index into [`Index::names`].
        name: u32,
        /// Needs no country evidence.
        strong: bool,
    },
    /// Part `part` of compound rule `rule`.
    Part {
        /// Index into [`Index::compounds`].
        rule: u32,
        /// Which part.
        part: u8,
    },
    /// A known institution that is not listed itself.
    Known {
        /// Index into [`RiskList::known`].
        known: u32,
        /// The listed entry it is a named unit of ("Xiangya Hospital, Central
        /// South University"), if any.
        affiliated: Option<u32>,
    },
}

/// A compound alias: all parts must start a segment of the same affiliation.
#[derive(Debug, Clone)]
pub struct Compound {
    /// Entry index.
    pub entry: u32,
    /// Display form (`institute of physics + chinese academy of sciences`).
    pub display: String,
    /// Number of parts.
    pub parts: u8,
}

/// A normalised name for fuzzy comparison.
#[derive(Debug, Clone)]
pub struct FuzzyName {
    /// Canonical tokens.
    pub tokens: Vec<String>,
    /// Which token positions are distinctive (must match exactly).
    pub distinctive: Vec<bool>,
    /// Listed entry, or `None` for a known non-listed institution (which
    /// wins a fuzzy comparison to make the step abstain).
    pub entry: Option<u32>,
    /// Display form.
    pub display: String,
}

impl FuzzyName {
    /// A Latin-script name for the fuzzy step; `None` for CJK names.
    fn new(key: &str, display: &str, entry: Option<u32>) -> Option<Self> {
        (!key.chars().any(is_cjk)).then(|| Self {
            tokens: key.split([' ', SEGMENT_SEP]).map(str::to_owned).collect(),
            distinctive: Vec::new(),
            entry,
            display: display.to_owned(),
        })
    }
}

/// The compiled list.
#[derive(Debug, Clone)]
pub struct Index {
    /// Token trie over the patterns without CJK characters.
    pub trie: TokenTrie,
    /// Byte automaton over the patterns with CJK characters (matched inside
    /// longer CJK runs), and the pattern index of each of its patterns.
    pub cjk: Option<(AhoCorasick, Vec<usize>)>,
    /// Normalised pattern strings.
    pub patterns: Vec<String>,
    /// What each pattern stands for.
    pub targets: Vec<Vec<Target>>,
    /// Per pattern and token: which linkers the names behind it have before
    /// that token (bit 1: of/for, bit 2: and). Text may drop a linker (Web of
    /// Science does) but not add one: "China *and* Electron Microscopy" is not
    /// "China Electronics".
    pub linkers: Vec<Vec<u8>>,
    /// Display forms of names and acronyms.
    pub names: Vec<String>,
    /// Compound rules.
    pub compounds: Vec<Compound>,
    /// Fuzzy candidates by their rarest token: (name index, token position).
    pub fuzzy_by_token: FxHashMap<String, Vec<(u32, u8)>>,
    /// Names for fuzzy comparison.
    pub fuzzy: Vec<FuzzyName>,
    /// Document frequency of tokens over all names (for "distinctive").
    pub token_df: FxHashMap<String, u32>,
}

/// Tokens this common (or generic words) may carry a typo in fuzzy matching.
const COMMON_DF: u32 = 40;

impl Index {
    /// Compiles the list. Deterministic: same list, same automaton.
    pub fn build(list: &RiskList) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut by_pattern: HashMap<String, usize> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut linkers: Vec<Vec<u8>> = Vec::new();
        // Each name is normalised once, into `norm`; `add` takes the key and
        // the linker positions from it.
        let mut norm = Normalized::default();
        let mut add = |norm: &Normalized,
                       t: Target,
                       patterns: &mut Vec<String>,
                       targets: &mut Vec<Vec<Target>>| {
            let key = norm.text.as_str();
            if key.is_empty() {
                return;
            }
            let i = match by_pattern.get(key) {
                Some(&i) => i,
                None => {
                    by_pattern.insert(key.to_owned(), patterns.len());
                    patterns.push(key.to_owned());
                    targets.push(Vec::new());
                    linkers.push(Vec::new());
                    patterns.len() - 1
                }
            };
            if !targets[i].contains(&t) {
                targets[i].push(t);
            }
            let bits = &mut linkers[i];
            bits.resize(norm.tokens.len().max(bits.len()), 0);
            for (b, tok) in bits.iter_mut().zip(&norm.tokens) {
                *b |= match tok.after_linker {
                    Linker::None => 0,
                    Linker::Of => 1,
                    Linker::And => 2,
                };
            }
        };

        let mut fuzzy = Vec::new();
        for (ei, e) in list.entries().iter().enumerate() {
            let ei = ei as u32;
            let all_names = std::iter::once(&e.name)
                .chain(std::iter::once(&e.name_original).filter(|n| !n.is_empty()))
                .chain(e.aliases.iter());
            for n in all_names {
                norm.run(n);
                if !name_is_specific(&norm.text) {
                    continue;
                }
                names.push(n.clone());
                let ni = (names.len() - 1) as u32;
                add(
                    &norm,
                    Target::Name {
                        entry: ei,
                        name: ni,
                    },
                    &mut patterns,
                    &mut targets,
                );
                fuzzy.extend(FuzzyName::new(&norm.text, n, Some(ei)));
            }
            for a in &e.acronyms {
                norm.run(&a.text);
                if norm.text.len() < 3 || norm.tokens.len() != 1 {
                    continue;
                }
                names.push(a.text.clone());
                let ni = (names.len() - 1) as u32;
                add(
                    &norm,
                    Target::Acronym {
                        entry: ei,
                        name: ni,
                        strong: a.strong,
                    },
                    &mut patterns,
                    &mut targets,
                );
            }
        }
        let mut compounds = Vec::new();
        for (ei, e) in list.entries().iter().enumerate() {
            for parts in &e.compounds {
                let rule = compounds.len() as u32;
                compounds.push(Compound {
                    entry: ei as u32,
                    display: parts.join(" + "),
                    parts: parts.len() as u8,
                });
                for (pi, p) in parts.iter().enumerate() {
                    norm.run(p);
                    add(
                        &norm,
                        Target::Part {
                            rule,
                            part: pi as u8,
                        },
                        &mut patterns,
                        &mut targets,
                    );
                }
            }
        }
        let listed = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("listed patterns compile");
        let listed_targets = targets.clone();
        for (ki, k) in list.known().iter().enumerate() {
            for n in std::iter::once(&k.name).chain(k.aliases.iter()) {
                norm.run(n);
                if !name_is_specific(&norm.text) {
                    continue;
                }
                // Only a name that itself names the listed institution makes
                // a unit of it: "Sun Yat-sen University Affiliated Jieyang
                // Hospital" does, "Jieyang People's Hospital" does not, though
                // ROR lists both for one record.
                let affiliated = unit_of(&norm, &listed, &listed_targets);
                add(
                    &norm,
                    Target::Known {
                        known: ki as u32,
                        affiliated,
                    },
                    &mut patterns,
                    &mut targets,
                );
                fuzzy.extend(FuzzyName::new(&norm.text, n, None));
            }
        }

        // A name shared by several known institutions ("Zhongshan Hospital":
        // Fudan's and Sun Yat-sen's) says nothing about which one is meant.
        for ts in &mut targets {
            let mut aff = ts.iter().filter_map(|t| match t {
                Target::Known { affiliated, .. } => Some(*affiliated),
                _ => None,
            });
            if let Some(first) = aff.next() {
                if aff.any(|a| a != first) {
                    for t in ts.iter_mut() {
                        if let Target::Known { affiliated, .. } = t {
                            *affiliated = None;
                        }
                    }
                }
            }
        }

        // Fuzzy index: a name is a candidate when a segment shares its rarest token.
        let mut token_df: FxHashMap<String, u32> = FxHashMap::default();
        for f in &fuzzy {
            let mut seen: Vec<&str> = Vec::new();
            for t in &f.tokens {
                if !seen.contains(&t.as_str()) {
                    seen.push(t);
                    *token_df.entry(t.clone()).or_default() += 1;
                }
            }
        }
        let mut fuzzy_by_token: FxHashMap<String, Vec<(u32, u8)>> = FxHashMap::default();
        for (fi, f) in fuzzy.iter_mut().enumerate() {
            f.distinctive = f
                .tokens
                .iter()
                .map(|t| {
                    token_df.get(t).copied().unwrap_or(0) < COMMON_DF
                        && crate::matching::normalize::spelled(t) == t
                })
                .collect();
            // One typo in a generic word of a name of three or more words:
            // shorter names leave too little exact evidence.
            if f.tokens.len() < 3 || f.tokens.len() > 255 {
                continue;
            }
            if let Some((pos, rarest)) = f
                .tokens
                .iter()
                .enumerate()
                .min_by_key(|(_, t)| (token_df[*t], (*t).clone()))
            {
                fuzzy_by_token
                    .entry(rarest.clone())
                    .or_default()
                    .push((fi as u32, pos as u8));
            }
        }

        let mut trie = TokenTrie::new();
        let mut cjk_ids = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            if p.chars().any(is_cjk) {
                cjk_ids.push(i);
            } else {
                trie.insert(p, i);
            }
        }
        let cjk = (!cjk_ids.is_empty()).then(|| {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(cjk_ids.iter().map(|&i| &patterns[i]))
                .expect("CJK patterns compile");
            (ac, cjk_ids)
        });
        Self {
            trie,
            cjk,
            patterns,
            targets,
            linkers,
            names,
            compounds,
            fuzzy_by_token,
            fuzzy,
            token_df,
        }
    }
}

/// Words that, right after a listed name inside another institution's name,
/// mark a unit of the listed institution ("Nanjing University Medical School").
fn is_unit_word(t: &str) -> bool {
    matches!(
        t,
        "hosp"
            | "med"
            | "sch"
            | "coll"
            | "ctr"
            | "inst"
            | "lab"
            | "affiliated"
            | "cancer"
            | "graduate"
            | "res"
            | "campus"
            | "branch"
            | "press"
            | "dept"
            | "first"
            | "second"
            | "third"
            | "fourth"
            | "clinical"
            | "stomatology"
            | "eye"
            | "childrens"
            | "womens"
            | "shenzhen"
            | "medical"
    )
}

/// If the known name (normalised in `norm`) names a unit of one listed entry (a listed name
/// followed by a unit word, or ending the name after "of" or a unit word),
/// returns that entry. "Nanjing University *of Information Science*" is not a unit.
fn unit_of(norm: &Normalized, listed: &AhoCorasick, targets: &[Vec<Target>]) -> Option<u32> {
    let text = norm.text.as_bytes();
    for m in listed.find_iter(&norm.text) {
        if !super::country::word_bounded(text, m.start(), m.end()) {
            continue;
        }
        let Some(entry) = targets[m.pattern().as_usize()]
            .iter()
            .find_map(|t| match t {
                Target::Name { entry, .. } => Some(*entry),
                _ => None,
            })
        else {
            continue;
        };
        let first = norm.token_at(m.start() as u32);
        let last = norm.token_at((m.end() - 1) as u32);
        let ok = match norm.tokens.get(last + 1) {
            Some(next) => next.after_linker == Linker::None && is_unit_word(norm.token_text(next)),
            None => {
                first > 0
                    && (norm.tokens[first].after_linker == Linker::Of
                        || is_unit_word(norm.token_text(&norm.tokens[first - 1])))
            }
        };
        if ok {
            return Some(entry);
        }
    }
    None
}

/// A name is specific enough to match as text when it has at least two
/// tokens, or is a CJK name of four or more characters, or a single long
/// distinctive word ("Skoltech").
fn name_is_specific(key: &str) -> bool {
    if key.chars().any(is_cjk) {
        // Four characters, or a unit number with its designation ("63820部队").
        return key
            .chars()
            .filter(|c| is_cjk(*c) || c.is_ascii_digit())
            .count()
            >= 4;
    }
    let tokens = key.split(' ').count();
    tokens >= 2 || key.len() >= 8
}
