//! A trie over canonical *tokens* (not bytes): the compiled form of every
//! non-CJK name. After normalisation a string is a short sequence of tokens,
//! so matching is one hash lookup per token and per step, instead of an
//! automaton walk over every byte; matches are word-aligned by construction.
//! Semantics are leftmost-longest and non-overlapping, like the Aho-Corasick
//! automaton it replaces for Latin-script names. A pattern may span a
//! segment boundary only where the name itself has one ("China University of
//! Geosciences (Wuhan)").

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::normalize::{Lexicon, Linker, Normalized, SEGMENT_SEP};

/// Token id of the segment separator inside a pattern.
const SEP: u32 = 0;
/// Token id of a word no pattern uses.
pub const UNKNOWN: u32 = u32::MAX;

/// The token trie.
#[derive(Debug, Clone, Default)]
pub struct TokenTrie {
    vocab: FxHashMap<Box<str>, u32>,
    edges: FxHashMap<(u32, u32), u32>,
    /// Per node: pattern index + 1, or 0 when no pattern ends here.
    terminal: Vec<u32>,
    /// The root's transitions as a dense array by token id (0 = none): most
    /// tokens start no name, and this answers that without hashing.
    root: Vec<u32>,
    /// Canonical forms and this trie's token ids, built on first use.
    lexicon: OnceLock<Lexicon>,
}

/// One match: first and last token (inclusive) and the pattern index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenMatch {
    /// First token index.
    pub first: usize,
    /// Last token index (inclusive).
    pub last: usize,
    /// Pattern index.
    pub pattern: usize,
}

impl TokenTrie {
    /// An empty trie (node 0 is the root).
    pub fn new() -> Self {
        Self {
            vocab: FxHashMap::default(),
            edges: FxHashMap::default(),
            terminal: vec![0],
            root: Vec::new(),
            lexicon: OnceLock::new(),
        }
    }

    /// Adds a normalised pattern (tokens joined by spaces and [`SEGMENT_SEP`]).
    pub fn insert(&mut self, pattern_text: &str, pattern: usize) {
        self.lexicon = OnceLock::new();
        let mut node = 0u32;
        for (si, segment) in pattern_text.split(SEGMENT_SEP).enumerate() {
            if si > 0 {
                node = self.step_or_add(node, SEP);
            }
            for tok in segment.split(' ').filter(|t| !t.is_empty()) {
                let next_id = self.vocab.len() as u32 + 1;
                let id = *self.vocab.entry(tok.into()).or_insert(next_id);
                node = self.step_or_add(node, id);
            }
        }
        if node != 0 && self.terminal[node as usize] == 0 {
            self.terminal[node as usize] = pattern as u32 + 1;
        }
    }

    fn step_or_add(&mut self, node: u32, id: u32) -> u32 {
        let fresh = self.terminal.len() as u32;
        let next = *self.edges.entry((node, id)).or_insert(fresh);
        if next == fresh {
            self.terminal.push(0);
        }
        if node == 0 {
            if self.root.len() <= id as usize {
                self.root.resize(id as usize + 1, 0);
            }
            self.root[id as usize] = next;
        }
        next
    }

    /// The id of a canonical token, if a pattern uses it.
    pub fn token_id(&self, token: &str) -> Option<u32> {
        self.vocab.get(token).copied()
    }

    /// How many distinct tokens the patterns use (ids are 1..=this).
    pub fn token_count(&self) -> usize {
        self.vocab.len()
    }

    /// The lexicon to normalise text with before [`find`](Self::find): it
    /// gives each token this trie's id.
    pub fn lexicon(&self) -> &Lexicon {
        self.lexicon
            .get_or_init(|| Lexicon::with_vocab(self.vocab.iter().map(|(t, &id)| (&**t, id))))
    }

    /// Leftmost-longest, non-overlapping matches over the tokens of `norm`,
    /// which must have been normalised with [`lexicon`](Self::lexicon),
    /// and the names that start inside a name that goes on and end past it.
    pub fn find(&self, norm: &Normalized, out: &mut Vec<TokenMatch>) {
        assert_eq!(
            norm.lexicon,
            self.lexicon().stamp(),
            "text normalised with another lexicon"
        );
        let toks = &norm.tokens;
        let n = toks.len();
        let mut i = 0;
        while i < n {
            match self.longest_at(norm, i) {
                Some((last, pattern)) => {
                    out.push(TokenMatch {
                        first: i,
                        last,
                        pattern: pattern as usize,
                    });
                    // A name that goes on ("Kharkevich Institute *for*
                    // Information Transmission Problems") may be another,
                    // longer name's start: the names that start inside it
                    // and end past it are found too (the matcher reads them
                    // only if the outer one goes on).
                    if toks
                        .get(last + 1)
                        .is_some_and(|t| t.seg == toks[last].seg && t.after_linker == Linker::Of)
                    {
                        for k in i + 1..=last {
                            if let Some((end, p)) = self.longest_at(norm, k).filter(|m| m.0 > last)
                            {
                                out.push(TokenMatch {
                                    first: k,
                                    last: end,
                                    pattern: p as usize,
                                });
                            }
                        }
                    }
                    i = last + 1;
                }
                None => i += 1,
            }
        }
    }

    /// The longest match starting at token `i`: its last token and pattern.
    fn longest_at(&self, norm: &Normalized, i: usize) -> Option<(usize, u32)> {
        let toks = &norm.tokens;
        let n = toks.len();
        let start = self.root.get(toks[i].id as usize).copied().unwrap_or(0);
        if start == 0 {
            return None;
        }
        let mut node = start;
        let t = self.terminal[node as usize];
        let mut best: Option<(usize, u32)> = (t != 0).then(|| (i, t - 1));
        let mut j = i + 1;
        while j < n {
            if j > i && toks[j].seg != toks[j - 1].seg {
                match self.edges.get(&(node, SEP)) {
                    Some(&next) => node = next,
                    None => break,
                }
                // A postcode before the city ("China University of
                // Geosciences, 430074 Wuhan"): numbers that start the
                // segment are passed over.
                while j + 1 < n
                    && toks[j + 1].seg == toks[j].seg
                    && !self.edges.contains_key(&(node, toks[j].id))
                    && norm
                        .token_text(&toks[j])
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                {
                    j += 1;
                }
            }
            match self.edges.get(&(node, toks[j].id)) {
                Some(&next) => node = next,
                None => break,
            }
            let t = self.terminal[node as usize];
            if t != 0 {
                best = Some((j, t - 1));
            }
            j += 1;
        }
        best
    }
}

impl TokenTrie {
    /// A name read across one comma: from token `first` (a segment's first)
    /// to the end of its segment, then the tokens of the next segment
    /// ("Harbin, Institute of Technology"; "University of Posts, and
    /// Telecommunications"). Returns the longest match ending in that next
    /// segment. Work is bounded by the longest pattern.
    pub fn joined_at(&self, norm: &Normalized, first: usize) -> Option<TokenMatch> {
        let toks = &norm.tokens;
        let mut node = self.root.get(toks[first].id as usize).copied().unwrap_or(0);
        if node == 0 {
            return None;
        }
        let own = toks[first].seg;
        let mut j = first + 1;
        while toks.get(j).is_some_and(|t| t.seg == own) {
            match self.edges.get(&(node, toks[j].id)) {
                Some(&next) => node = next,
                None => return None,
            }
            j += 1;
        }
        let seg = toks.get(j)?.seg;
        let mut best = None;
        for (j, t) in toks.iter().enumerate().skip(j) {
            if t.seg != seg {
                break;
            }
            match self.edges.get(&(node, t.id)) {
                Some(&next) => node = next,
                None => break,
            }
            let term = self.terminal[node as usize];
            if term != 0 {
                best = Some(TokenMatch {
                    first,
                    last: j,
                    pattern: (term - 1) as usize,
                });
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(patterns: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let mut trie = TokenTrie::new();
        for (i, p) in patterns.iter().enumerate() {
            trie.insert(&crate::matching::normalize::normalize_name(p), i);
        }
        let mut n = Normalized::default();
        n.run_with(text, trie.lexicon());
        let mut out = Vec::new();
        trie.find(&n, &mut out);
        out.into_iter()
            .map(|m| (m.first, m.last, m.pattern))
            .collect()
    }

    #[test]
    fn longest_match_wins_and_matches_do_not_overlap() {
        let p = [
            "Nanjing University",
            "Nanjing University of Science and Technology",
        ];
        assert_eq!(
            matches(&p, "Nanjing Univ Sci & Technol, Nanjing University"),
            [(0, 3, 1), (4, 5, 0)]
        );
    }

    #[test]
    fn a_pattern_crosses_a_segment_only_where_the_name_does() {
        let p = ["China University of Geosciences (Wuhan)"];
        assert_eq!(matches(&p, "China Univ Geosci, Wuhan 430074"), [(0, 3, 0)]);
        assert!(matches(&p, "China University of Geosciences Wuhan").is_empty());
        assert!(matches(
            &["Harbin Institute of Technology"],
            "Harbin, Institute of Technology"
        )
        .is_empty());
    }

    #[test]
    fn the_first_pattern_inserted_for_a_key_is_kept() {
        let p = ["Beihang University", "Beihang University"];
        assert_eq!(matches(&p, "Beihang University"), [(0, 1, 0)]);
    }
}
