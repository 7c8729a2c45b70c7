//! The compiled risk list: every normalised alias, acronym, compound part and
//! known non-listed name in one leftmost-longest token trie (Latin script) and
//! one Aho-Corasick automaton (CJK), so a string is scanned once whatever the
//! size of the list.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap;

use super::normalize::{is_cjk, normalize_name, Lexicon, Linker, Normalized, SEGMENT_SEP};
use super::trie::TokenTrie;
use crate::risklist::{Relation, RiskList};

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
        /// A name of generic words only ("Southeast University"), which
        /// institutions in several countries bear: needs place evidence.
        generic: bool,
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
    /// A name of an organisation that is part of or affiliated with a listed
    /// entry ([`RiskList::affiliates`]).
    Affiliate {
        /// Index into [`RiskList::affiliates`].
        affiliate: u32,
        /// The name holds its entry's name ("Xiangya Hospital Central South
        /// University"); one that does not ("State Key Laboratory of Surface
        /// Physics") needs its entry or its city nearby.
        named: bool,
    },
    /// What is left of an affiliate's name without its entry's name
    /// ("Xiangya Hospital" of "Xiangya Hospital, Central South University"):
    /// makes a match of the entry in the same affiliation the affiliate.
    AffiliateStem {
        /// Index into [`RiskList::affiliates`].
        affiliate: u32,
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
    /// Their ids in [`Index::trie`] (every name word has one), so a string's
    /// tokens are compared by id.
    pub ids: Vec<u32>,
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
            ids: Vec::new(),
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
    /// Fuzzy candidates by the trie id of their key word (see `build`):
    /// (name index, the key's position in the name).
    pub fuzzy_by_id: FxHashMap<u32, Vec<(u32, u8)>>,
    /// Names for fuzzy comparison.
    pub fuzzy: Vec<FuzzyName>,
    /// Document frequency of tokens over all names (for "distinctive").
    pub token_df: FxHashMap<String, u32>,
    /// Names by their words in sorted order ([`bag_key`]): (listed entry,
    /// or `None` for a known institution, and index into
    /// [`Index::names`]). A string may put a name's words in another order
    /// ("Shahid Sattari Aeronaut Univ Sci & Technol").
    pub bags: FxHashMap<String, Vec<(Option<u32>, u32)>>,
    /// By token id: an institution word ("univ", "inst").
    pub head_id: Vec<bool>,
    /// By token id: a word of its own of a name in [`Index::bags`].
    pub bag_word: Vec<bool>,
    /// One bit per [`letters_bit`] of the name words of six letters or
    /// more: a clear bit says no swap of two letters makes a name word.
    pub letters: Vec<u64>,
    /// The words a string must hold for a candidate (`match` skips the rest).
    pub anchors: Anchors,
    /// The trie's lexicon cut down to the anchor words, for the pre-filter.
    pub anchor_lexicon: Lexicon,
    /// Per affiliate: its city (or its entry's, for a part without one),
    /// normalised (place evidence for a name that does not name its entry).
    pub affiliate_cities: Vec<String>,
    /// Per entry: its city, normalised (picks between entries that share
    /// an acronym).
    pub entry_cities: Vec<String>,
    /// Listed names without their parent, by normalised text ("rzhanov
    /// inst semicond phys"): (entry, index into [`Index::names`], index
    /// into [`Index::parents`]). Looked up per whole segment, apart from the
    /// trie, so a head never hides the names it starts.
    pub parent_heads: FxHashMap<String, Vec<(u32, u32, u16)>>,
    /// Per parent: its forms, normalised ("ras", "russian acad sci").
    pub parents: Vec<Vec<String>>,
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

        // How many entries' names use each word (a name's first word used
        // by one entry only is the entry's own: "Bauman").
        let mut word_entries: FxHashMap<String, u32> = FxHashMap::default();
        for e in list.entries() {
            let mut seen: Vec<String> = Vec::new();
            for n in std::iter::once(&e.name).chain(e.aliases.iter()) {
                norm.run(n);
                for t in &norm.tokens {
                    let w = norm.token_text(t);
                    if !seen.iter().any(|s| s == w) {
                        seen.push(w.to_owned());
                    }
                }
            }
            for w in seen {
                *word_entries.entry(w).or_default() += 1;
            }
        }
        let places = crate::matching::country::CountryIndex::new();
        let mut fuzzy = Vec::new();
        let mut bags: FxHashMap<String, Vec<(Option<u32>, u32)>> = FxHashMap::default();
        let mut bag_words: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let mut parent_keys: Vec<String> = Vec::new();
        let mut parent_heads: FxHashMap<String, Vec<(u32, u32, u16)>> = FxHashMap::default();
        for (ei, e) in list.entries().iter().enumerate() {
            let ei = ei as u32;
            let all_names = std::iter::once(&e.name)
                .chain(std::iter::once(&e.name_original).filter(|n| !n.is_empty()))
                .chain(e.aliases.iter());
            let founders = crate::matching::wordlists::founders(all_names.clone());
            // Each name as written, then each Russian one read word for word
            // in English (for the words-in-another-order step only; shown
            // as the Russian name).
            let english: Vec<(String, String)> = all_names
                .clone()
                .filter_map(|n| {
                    crate::matching::wordlists::translated(n)
                        .map(|t| (t, format!("{n} (read in English)")))
                })
                .collect();
            let readings = all_names
                .map(|n| (n, n, false))
                .chain(english.iter().map(|(t, d)| (t, d, true)));
            for (n, display, english) in readings {
                // The name, then the ways records also write it (no legal
                // form, "RAS" for "Russian Academy of Sciences"), shown as
                // the name.
                let mut variants = crate::matching::wordlists::name_variants(n);
                if !founders.is_empty() {
                    let lower = n.to_lowercase();
                    let bare: Vec<String> = std::iter::once(&lower)
                        .chain(&variants)
                        .filter_map(|f| crate::matching::wordlists::without_founder(f, &founders))
                        .collect();
                    for b in bare {
                        if !variants.contains(&b) {
                            variants.push(b);
                        }
                    }
                }
                let mut ni = None;
                for (k, v) in std::iter::once(n.as_str())
                    .chain(variants.iter().map(String::as_str))
                    .enumerate()
                {
                    norm.run(v);
                    if !name_is_specific(&norm.text) {
                        continue;
                    }
                    let ni = *ni.get_or_insert_with(|| {
                        names.push(display.clone());
                        (names.len() - 1) as u32
                    });
                    if !english {
                        add(
                            &norm,
                            Target::Name {
                                entry: ei,
                                name: ni,
                                generic: is_generic_name(&norm.text),
                            },
                            &mut patterns,
                            &mut targets,
                        );
                    }
                    if k == 0 && !english {
                        fuzzy.extend(FuzzyName::new(&norm.text, n, Some(ei)));
                    }
                    add_bag(&norm, (ei, ni), &places, &mut bags, &mut bag_words);
                    // Without its parent, which Web of Science writes first
                    // as a segment of its own: a specific head of three
                    // words or more.
                    let Some((head, key)) = crate::matching::wordlists::without_parent(v) else {
                        continue;
                    };
                    norm.run(&head);
                    // (The head's words in another order too: "Russian Acad
                    // Sci, Valiev Inst Phys & Technol".)
                    add_bag(&norm, (ei, ni), &places, &mut bags, &mut bag_words);
                    if english {
                        continue;
                    }
                    if norm.tokens.len() < 3
                        || norm.text.contains(SEGMENT_SEP)
                        || !name_is_specific(&norm.text)
                        || is_generic_name(&norm.text)
                    {
                        continue;
                    }
                    let parent = match parent_keys.iter().position(|k| *k == key) {
                        Some(i) => i,
                        None => {
                            parent_keys.push(key);
                            parent_keys.len() - 1
                        }
                    } as u16;
                    let at = parent_heads.entry(norm.text.clone()).or_default();
                    if !at.contains(&(ei, ni, parent)) {
                        at.push((ei, ni, parent));
                    }
                }
            }
            for a in &e.acronyms {
                norm.run(&a.text);
                // Compiled as names: (display, text to normalise).
                let mut as_names: Vec<(String, String)> = Vec::new();
                // An acronym of several words ("ИППИ РАН", "IPP SB RAS")
                // says as much as a name. (Each word with a letter: a
                // number alone, "46 TsNII", would make every string with
                // that number a candidate.)
                let lettered = norm
                    .tokens
                    .iter()
                    .all(|t| norm.token_text(t).chars().any(char::is_alphabetic));
                let several = norm.tokens.len() > 1 && norm.segments.len() == 1 && lettered;
                if several {
                    as_names.push((a.text.clone(), a.text.clone()));
                } else if norm.text.len() >= 3 && norm.tokens.len() == 1 {
                    // "Bauman MSTU": a name's own first word, then the
                    // acronym of the rest (the listed acronym spells the
                    // whole name).
                    let acronym = norm.text.clone();
                    for n in std::iter::once(&e.name).chain(e.aliases.iter()) {
                        if let Some(v) =
                            spelled_after_first_word(&mut norm, n, &acronym, &places, &word_entries)
                        {
                            as_names.push((n.clone(), v));
                        }
                    }
                }
                for (display, text) in as_names {
                    names.push(display);
                    let ni = (names.len() - 1) as u32;
                    norm.run(&text);
                    add(
                        &norm,
                        Target::Name {
                            entry: ei,
                            name: ni,
                            generic: false,
                        },
                        &mut patterns,
                        &mut targets,
                    );
                }
                norm.run(&a.text);
                if several || norm.text.len() < 3 || norm.tokens.len() != 1 {
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
        // Searched once per known name, at start-up: the cheapest automaton
        // to build (a DFA over every pattern cost a quarter of start-up).
        let listed = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&patterns)
            .expect("listed patterns compile");
        let listed_targets = targets.clone();
        for (ki, k) in list.known().iter().enumerate() {
            // An affiliate row says more than the known row: it is compiled below.
            if list.affiliate_by_ror(&k.ror).is_some() {
                continue;
            }
            // Known names block the listed ones inside them in Web of
            // Science's letters too ("Cent S Univ Forestry & Technol").
            let short: Vec<String> = std::iter::once(&k.name)
                .chain(k.aliases.iter())
                .flat_map(|n| crate::matching::wordlists::with_short_words(n))
                .collect();
            let all = std::iter::once(&k.name)
                .chain(k.aliases.iter())
                .map(|n| (n, true))
                .chain(short.iter().map(|n| (n, false)));
            for (n, own) in all {
                norm.run(n);
                if !name_is_specific(&norm.text) {
                    continue;
                }
                // Only a name that itself names the listed institution makes
                // a unit of it: "Sun Yat-sen University Affiliated Jieyang
                // Hospital" does, "Jieyang People's Hospital" does not, though
                // ROR lists both for one record.
                let affiliated = unit_of(&norm, &listed, &listed_targets);
                // A known name in another order is that institution, not a
                // listed one with the same words.
                if let Some(key) =
                    bag_key(norm.tokens.iter().map(|t| (norm.token_text(t), t.upper)))
                {
                    let at = bags.entry(key).or_default();
                    if !at.contains(&(None, u32::MAX)) {
                        at.push((None, u32::MAX));
                    }
                }
                add(
                    &norm,
                    Target::Known {
                        known: ki as u32,
                        affiliated,
                    },
                    &mut patterns,
                    &mut targets,
                );
                if own {
                    fuzzy.extend(FuzzyName::new(&norm.text, n, None));
                }
            }
        }

        // Affiliates: their names as candidates of their own, and what is
        // left of a name that holds its entry's name, as a stem.
        for (ai, a) in list.affiliates().iter().enumerate() {
            let ai = ai as u32;
            let entry = &list.entries()[a.entry];
            let entry_keys: Vec<String> = std::iter::once(&entry.name)
                .chain(entry.aliases.iter())
                .map(|n| normalize_name(n))
                .filter(|k| !k.is_empty() && !k.contains(SEGMENT_SEP))
                .collect();
            for n in std::iter::once(&a.name).chain(a.aliases.iter()) {
                norm.run(n);
                if !name_is_specific(&norm.text) {
                    continue;
                }
                let named = entry_keys.iter().any(|k| {
                    format!(" {} ", norm.text.replace(SEGMENT_SEP, " ")).contains(&format!(" {k} "))
                });
                add(
                    &norm,
                    Target::Affiliate {
                        affiliate: ai,
                        named,
                    },
                    &mut patterns,
                    &mut targets,
                );
                if let Some(stem) = stem_without(&norm.text, &entry_keys) {
                    norm.run(&stem);
                    if name_is_specific(&norm.text) {
                        add(
                            &norm,
                            Target::AffiliateStem { affiliate: ai },
                            &mut patterns,
                            &mut targets,
                        );
                    }
                }
            }
        }

        // A name shared by several affiliates of different entries says
        // nothing about which is meant: the name abstains, as a known
        // name shared by two institutions does below.
        for ts in &mut targets {
            let entries: Vec<usize> = ts
                .iter()
                .filter_map(|t| match t {
                    Target::Affiliate { affiliate, .. } => {
                        Some(list.affiliates()[*affiliate as usize].entry)
                    }
                    _ => None,
                })
                .collect();
            // (Stems apply to their own entry only and may be shared.)
            if entries.windows(2).any(|w| w[0] != w[1]) {
                ts.retain(|t| !matches!(t, Target::Affiliate { .. }));
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
            // One typo in a generic word of a name of two or more words (a
            // two-word name only with a single edit, see `fuzzy`): a one-word
            // name leaves no exact evidence.
            if f.tokens.len() < 2 || f.tokens.len() > 255 {
                continue;
            }
            // Keyed by a word that must match exactly anyway (a distinctive
            // one), else by one that few affiliation strings hold: the key
            // finds the candidate, so it cannot be the typo, and a common key
            // would send most strings to the comparison (and past the
            // anchors, see `anchors`).
            // A name of three words or more may carry its typo in the key
            // itself (see `fuzzy`): it is found by its next-rarest word too,
            // when that word is rare. A generic second key ("university")
            // would send most segments to the comparison.
            let mut order: Vec<(usize, &String)> = f.tokens.iter().enumerate().collect();
            order.sort_by_key(|&(i, t)| {
                (!f.distinctive[i], is_common_word(t), token_df[t], t.clone())
            });
            order.dedup_by(|a, b| a.1 == b.1);
            let second = order
                .get(1)
                .filter(|&&(_, t)| f.tokens.len() >= 3 && token_df[t] < COMMON_DF);
            for &(pos, key) in order.first().into_iter().chain(second) {
                fuzzy_by_token
                    .entry(key.clone())
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
        for f in &mut fuzzy {
            f.ids = f
                .tokens
                .iter()
                .map(|t| {
                    trie.token_id(t)
                        .expect("a fuzzy name's words are in the trie")
                })
                .collect();
        }
        let fuzzy_by_id: FxHashMap<u32, Vec<(u32, u8)>> = fuzzy_by_token
            .into_iter()
            .map(|(t, v)| (trie.token_id(&t).expect("a fuzzy key is in the trie"), v))
            .collect();
        // By token id: institution words, and the words of its own a name
        // has in `bags` (cheap tests before the last-resort steps).
        let mut head_id = vec![false; trie.token_count() + 1];
        let mut bag_word = vec![false; trie.token_count() + 1];
        let mut letters = vec![0u64; LETTERS_BITS / 64];
        for p in &patterns {
            for t in tokens(p) {
                if let Some(id) = trie
                    .token_id(t)
                    .filter(|_| crate::matching::normalize::is_institution_head(t))
                {
                    head_id[id as usize] = true;
                }
                if t.len() >= 6 {
                    let bit = letters_bit(t.as_bytes());
                    letters[bit / 64] |= 1 << (bit % 64);
                }
            }
        }
        for w in &bag_words {
            if let Some(id) = trie.token_id(w) {
                bag_word[id as usize] = true;
            }
        }
        let heads: Vec<&str> = parent_heads.keys().map(String::as_str).collect();
        let anchors = Anchors::build(&trie, &patterns, &targets, &heads, &fuzzy_by_id, &fuzzy);
        let anchor_lexicon = trie
            .lexicon()
            .restricted(|id| anchors.kind(id) != Anchors::NONE);
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
            fuzzy_by_id,
            fuzzy,
            token_df,
            bags,
            head_id,
            bag_word,
            letters,
            anchors,
            anchor_lexicon,
            affiliate_cities: list
                .affiliates()
                .iter()
                // A unit of its entry without a city of its own (no ROR
                // record of its own in the snapshot): its entry's city.
                .map(|a| {
                    normalize_name(if a.city.is_empty() && a.relation == Relation::Part {
                        &list.entries()[a.entry].city
                    } else {
                        &a.city
                    })
                })
                .collect(),
            parent_heads,
            parents: parent_keys
                .iter()
                .map(|k| {
                    crate::matching::wordlists::parent_forms(k)
                        .iter()
                        .map(|f| normalize_name(f))
                        .collect()
                })
                .collect(),
            entry_cities: list
                .entries()
                .iter()
                .map(|e| normalize_name(&e.city))
                .collect(),
        }
    }
}

/// Canonical tokens (abbreviated: `univ`, `sci`, `med`) and words that
/// affiliation strings are full of: a poor anchor where a name has another.
fn is_common_word(t: &str) -> bool {
    crate::matching::normalize::spelled(t) != t
        || crate::matching::normalize::is_institution_head(t)
        || crate::matching::normalize::has_role(t, crate::matching::normalize::Role::Common)
}

fn tokens(p: &str) -> Vec<&str> {
    p.split([' ', SEGMENT_SEP])
        .filter(|t| !t.is_empty())
        .collect()
}

/// What a string must hold for any candidate to come from the Latin-script
/// names ([`Index::anchors`]). A name with an uncommon word (a place, a proper
/// name) is *anchored* by its rarest one: no string without that word can
/// match it. A name of common words only ("University of Science and
/// Technology of China") needs all of them together, a *mask* over the
/// common words. So `match` skips, without normalising, most strings that
/// name no listed institution: exactly the ones that could never match.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    /// Per trie token id: [`Anchors::NONE`], [`Anchors::ALONE`], or the bit
    /// (0..128) of a common word in the masks.
    kind: Vec<u8>,
    /// Sets of common words that a name needs together.
    masks: Vec<u128>,
}

/// Bits of [`Index::letters`].
const LETTERS_BITS: usize = 1 << 16;

/// A hash of a word's length, first letter and letters in any order (sum
/// and xor): the same for the word with two letters after the first
/// swapped.
pub fn letters_bit(w: &[u8]) -> usize {
    let (sum, xor) = w.iter().fold((0u64, 0u64), |(s, x), &b| {
        (s + u64::from(b), x ^ u64::from(b))
    });
    let first = u64::from(w.first().copied().unwrap_or(0));
    let h = (w.len() as u64) | first << 8 | sum << 16 | xor << 32;
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
}

impl Index {
    /// Whether a swap of two letters after the first may make `w` a name
    /// word (see [`letters_bit`]).
    #[inline]
    pub fn may_be_swapped(&self, w: &[u8]) -> bool {
        let bit = letters_bit(w);
        self.letters[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Whether token `id` is an institution word ("univ", "inst").
    #[inline]
    pub fn is_head(&self, id: u32) -> bool {
        self.head_id.get(id as usize).copied().unwrap_or(false)
    }
}

impl Anchors {
    /// The word anchors nothing.
    pub const NONE: u8 = u8::MAX;
    /// The word alone may make a candidate.
    pub const ALONE: u8 = u8::MAX - 1;

    /// What token `id` is ([`Anchors::NONE`], [`Anchors::ALONE`] or a bit).
    #[inline]
    pub fn kind(&self, id: u32) -> u8 {
        self.kind.get(id as usize).copied().unwrap_or(Self::NONE)
    }

    /// Whether the common words seen (`bits`) complete a mask.
    pub fn completes(&self, bits: u128) -> bool {
        bits != 0 && self.masks.iter().any(|&m| m & !bits == 0)
    }

    fn build(
        trie: &TokenTrie,
        patterns: &[String],
        targets: &[Vec<Target>],
        heads: &[&str],
        fuzzy_by_id: &FxHashMap<u32, Vec<(u32, u8)>>,
        fuzzy: &[FuzzyName],
    ) -> Self {
        let mut df: FxHashMap<&str, u32> = FxHashMap::default();
        for p in patterns {
            let mut ts = tokens(p);
            ts.sort_unstable();
            ts.dedup();
            for t in ts {
                *df.entry(t).or_default() += 1;
            }
        }
        let mut a = Anchors {
            kind: vec![Self::NONE; trie.token_count() + 1],
            masks: Vec::new(),
        };
        // Every requirement: a set of words a string needs together.
        let mut needs: Vec<Vec<&str>> = Vec::new();
        for (p, ts) in patterns.iter().zip(targets) {
            let candidate = ts.iter().any(|t| match t {
                Target::Name { .. }
                | Target::Acronym { .. }
                | Target::Part { .. }
                | Target::Affiliate { .. } => true,
                Target::Known { affiliated, .. } => affiliated.is_some(),
                // A stem alone may be its affiliate (with the affiliate's
                // city), so it anchors too.
                Target::AffiliateStem { .. } => true,
            });
            if candidate && !p.chars().any(is_cjk) {
                needs.push(tokens(p));
            }
        }
        // A name without its parent is a candidate too (its words are a
        // listed name's, so the trie has them).
        for h in heads {
            if tokens(h).iter().all(|t| trie.token_id(t).is_some()) {
                needs.push(tokens(h));
            }
        }
        // A fuzzy candidate is a listed name found by its key (a known name
        // found instead makes the step abstain), equal to the string but for
        // one word that is not distinctive.
        for names in fuzzy_by_id.values() {
            for &(fi, key) in names {
                let f = &fuzzy[fi as usize];
                if f.entry.is_none() {
                    continue;
                }
                for (typo, _) in f.tokens.iter().enumerate() {
                    if typo != key as usize
                        && (!f.distinctive[typo]
                            || crate::matching::fuzzy::distinctive_typo_allowed(f, typo))
                    {
                        let rest = f.tokens.iter().enumerate().filter(|&(i, _)| i != typo);
                        needs.push(rest.map(|(_, t)| t.as_str()).collect());
                    }
                }
            }
        }
        let mut bits: Vec<&str> = Vec::new();
        for need in needs {
            let Some(rarest) = need
                .iter()
                .copied()
                .min_by_key(|t| (is_common_word(t), df.get(t).copied().unwrap_or(0), *t))
            else {
                continue;
            };
            let ids: Vec<u32> = need.iter().filter_map(|t| trie.token_id(t)).collect();
            debug_assert_eq!(ids.len(), need.len(), "every name word has a trie id");
            let alone = |a: &mut Anchors, t: &str| {
                if let Some(id) = trie.token_id(t) {
                    a.kind[id as usize] = Self::ALONE;
                }
            };
            if !is_common_word(rarest) {
                alone(&mut a, rarest);
                continue;
            }
            // Common words only: a mask, while there are bits for them.
            let mut mask = 0u128;
            for t in &need {
                let bit = match bits.iter().position(|b| b == t) {
                    Some(b) => b,
                    None if bits.len() < 128 => {
                        bits.push(t);
                        bits.len() - 1
                    }
                    None => {
                        mask = 0;
                        break;
                    }
                };
                mask |= 1 << bit;
            }
            if mask == 0 {
                alone(&mut a, rarest);
            } else {
                a.masks.push(mask);
            }
        }
        for (bit, t) in bits.iter().enumerate() {
            if let Some(id) = trie.token_id(t) {
                // A word that anchors alone stays so; its mask bit is moot.
                if a.kind[id as usize] == Self::NONE {
                    a.kind[id as usize] = bit as u8;
                } else {
                    let b = 1u128 << bit;
                    for m in &mut a.masks {
                        if *m & b != 0 {
                            *m = 0;
                        }
                    }
                }
            }
        }
        // A mask emptied above belongs to a name one of whose words anchors
        // alone: that word already lets the string through.
        // A set that holds another is met only when that one is: only the
        // minimal sets are checked.
        a.masks.retain(|&m| m != 0);
        a.masks.sort_unstable_by_key(|m| (m.count_ones(), *m));
        a.masks.dedup();
        let mut minimal: Vec<u128> = Vec::new();
        for m in std::mem::take(&mut a.masks) {
            if !minimal.iter().any(|&k| k & !m == 0) {
                minimal.push(m);
            }
        }
        a.masks = minimal;
        a
    }

    /// How many sets of common words are checked (for `-v` logging).
    pub fn mask_count(&self) -> usize {
        self.masks.len()
    }
}

/// Words that, right after a listed name inside another institution's name,
/// mark a unit of the listed institution ("Nanjing University Medical School").
fn is_unit_word(t: &str) -> bool {
    crate::matching::normalize::has_role(t, crate::matching::normalize::Role::Unit)
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
/// An affiliate's key without the name of its entry at its start or end
/// ("xiangya hosp central south univ" -> "xiangya hosp"), as display text
/// for [`normalize_name`] (which leaves canonical tokens as they are).
fn stem_without(key: &str, entry_keys: &[String]) -> Option<String> {
    for e in entry_keys {
        let rest = key
            .strip_suffix(e.as_str())
            .filter(|r| r.ends_with(' '))
            .or_else(|| key.strip_prefix(e.as_str()).filter(|r| r.starts_with(' ')));
        if let Some(r) = rest {
            let r = r.trim();
            if !r.is_empty() && !r.contains(SEGMENT_SEP) {
                return Some(r.to_owned());
            }
        }
    }
    None
}

/// A name made of one compass word and one institution word
/// ("Southeast University", "Northeastern University", "Northwest
/// University"): Nanjing's, Dhaka's, Boston's and Evanston's share it.
/// Longer names ("Central South University", "Southern University of
/// Science and Technology") name one institution: they did not need place
/// evidence before and do not now (their recall fell by 21 gold strings).
fn is_generic_name(key: &str) -> bool {
    let mut compass = false;
    if key
        .split([' ', SEGMENT_SEP])
        .filter(|t| !t.is_empty())
        .count()
        != 2
    {
        return false;
    }
    for t in key.split([' ', SEGMENT_SEP]) {
        let c = crate::matching::normalize::compass_word(t).is_some();
        compass |= c;
        if !c
            && !crate::matching::normalize::is_institution_head(t)
            && crate::matching::normalize::spelled(t) == t
        {
            return false;
        }
    }
    compass
}

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

/// The anchor words of a string so far ([`Anchors`]).
pub(super) struct Sighted<'a> {
    anchors: &'a Anchors,
    common: u128,
}

impl<'a> Sighted<'a> {
    pub(super) fn new(anchors: &'a Anchors) -> Self {
        Self { anchors, common: 0 }
    }

    /// Records a word; true when it alone may make a candidate.
    #[inline]
    pub(super) fn word(&mut self, id: u32) -> bool {
        match self.anchors.kind(id) {
            Anchors::NONE => false,
            Anchors::ALONE => true,
            bit => {
                self.common |= 1 << bit;
                false
            }
        }
    }

    /// Whether the common words seen complete a name's set.
    pub(super) fn complete(&self) -> bool {
        self.anchors.completes(self.common)
    }
}

/// `name`'s first word and the listed `acronym` without its first letter
/// ("bauman mstu"), when the acronym spells the name's words (after the
/// normaliser: no stop words) and that first word is the entry's own: four
/// letters or more, no place, in no other entry's names. The rest of the
/// acronym has three letters or more.
fn spelled_after_first_word(
    norm: &mut Normalized,
    name: &str,
    acronym: &str,
    places: &crate::matching::country::CountryIndex,
    word_entries: &FxHashMap<String, u32>,
) -> Option<String> {
    norm.run(name);
    if norm.segments.len() != 1 || acronym.len() < 4 || !acronym.is_ascii() {
        return None;
    }
    let words: Vec<&str> = norm.tokens.iter().map(|t| norm.token_text(t)).collect();
    let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
    let first = *words.first()?;
    (initials == acronym
        && first.len() >= 4
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !places.is_place(first)
        && word_entries.get(first) == Some(&1))
    .then(|| format!("{first} {}", &acronym[1..]))
}

/// A name's words (and whether each was upper case) without initials (one
/// letter, or two capitals: "M.V.", "MV"), sorted, deduplicated and
/// joined: the same for the same words in any order. `None` for fewer than
/// three words, too few to say anything in another order.
pub fn bag_key<'a>(words: impl Iterator<Item = (&'a str, bool)>) -> Option<String> {
    let mut w: Vec<&str> = words
        .filter(|&(w, upper)| match w.chars().count() {
            1 => false,
            2 => !upper,
            _ => true,
        })
        .map(|(w, _)| w)
        .collect();
    w.sort_unstable();
    w.dedup();
    (w.len() >= 3).then(|| w.join(" "))
}

/// Files a listed name ((entry, index into [`Index::names`])) in `bags`
/// by its words in sorted order ([`bag_key`]), if it is one segment with a
/// word of its own (no common word, no place: "Sattari"), noting those
/// words in `own`.
fn add_bag(
    norm: &Normalized,
    (entry, name): (u32, u32),
    places: &crate::matching::country::CountryIndex,
    bags: &mut FxHashMap<String, Vec<(Option<u32>, u32)>>,
    own: &mut std::collections::BTreeSet<String>,
) {
    let words: Vec<&str> = norm
        .tokens
        .iter()
        .map(|t| norm.token_text(t))
        .filter(|w| w.chars().count() >= 3 && !is_common_word(w) && !places.is_place(w))
        .collect();
    if norm.segments.len() != 1 || words.is_empty() {
        return;
    }
    let Some(key) = bag_key(norm.tokens.iter().map(|t| (norm.token_text(t), t.upper))) else {
        return;
    };
    own.extend(words.iter().map(|w| (*w).to_owned()));
    let at = bags.entry(key).or_default();
    if !at.contains(&(Some(entry), name)) {
        at.push((Some(entry), name));
    }
}
