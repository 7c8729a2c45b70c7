//! The taxonomy compiled for scanning: every cue phrase (with its British
//! spellings and plurals), exclusion, field-context word and topic, indexed
//! by first word so that a paper's text is scanned once, leftmost-longest by
//! whole words. Scoring what is found is [`super::classifier`].

use super::taxonomy::{Strength, Taxonomy};
use super::text::{phrase_text, singular, spelling_variants};

/// What a phrase of the lexicon means when found.
#[derive(Debug, Clone, Copy)]
pub(super) enum Cue {
    /// A phrase of a technology.
    Phrase {
        area: usize,
        technology: usize,
        strength: Strength,
        /// Shared by a phrase and its plural, so "satellite ... satellites"
        /// is one cue mentioned twice, not two cues.
        key: usize,
    },
    /// Cancels what it overlaps; a field's name also places the paper
    /// outside the area (as [`Cue::Against`]).
    Exclusion { field: Option<usize> },
    /// Marks its sentence as naming applications in passing.
    Passing,
    /// Places the paper in a field outside the area's technologies.
    Against { area: usize },
    /// A word of a field outside all technologies (clinical, humanities,
    /// social science, business): the paper's own field.
    Context { signal: usize },
}

/// The compiled lexicon.
#[derive(Debug)]
pub(super) struct Lexicon {
    /// Phrases (cues and exclusions) by their first word: (phrase index,
    /// words in it), longest first.
    by_first_word: rustc_hash::FxHashMap<Box<[u8]>, Vec<(usize, usize)>>,
    /// What each phrase means, by phrase index.
    pub(super) cues: Vec<Cue>,
    /// The phrases as matched (normalised).
    pub(super) phrases: Vec<String>,
    /// OpenAlex topic id -> area.
    pub(super) topics: rustc_hash::FxHashMap<String, usize>,
    /// Per (area, technology): the areas that defer to it.
    pub(super) deferred_by: Vec<Vec<Vec<usize>>>,
}

impl Lexicon {
    /// Indexes every phrase and exclusion by its first word.
    pub(super) fn compile(taxonomy: &Taxonomy) -> Self {
        let mut phrases = Vec::new();
        let mut cues = Vec::new();
        // Every phrase written in the file, so a generated plural never
        // duplicates a cue or an exclusion of its own.
        let written: rustc_hash::FxHashSet<&str> = taxonomy
            .areas
            .iter()
            .flat_map(|a| {
                a.technologies
                    .iter()
                    .flat_map(|t| t.cues().map(|(p, _)| p))
                    .chain(a.exclude.iter().map(|x| x.phrase.as_str()))
            })
            .collect();
        let mut keys: rustc_hash::FxHashMap<(usize, String), usize> =
            rustc_hash::FxHashMap::default();
        // The cues of a `same` group share the key of the group's first
        // phrase (by singular, as a plural shares its singular's key).
        let group_of: rustc_hash::FxHashMap<String, String> = taxonomy
            .same
            .iter()
            .flat_map(|g| {
                let first = singular(&phrase_text(&g[0])).to_owned();
                g.iter()
                    .map(move |p| (singular(&phrase_text(p)).to_owned(), first.clone()))
            })
            .collect();
        for (ai, a) in taxonomy.areas.iter().enumerate() {
            for (ti, t) in a.technologies.iter().enumerate() {
                for (p, strength) in t.cues() {
                    let phrase = phrase_text(p);
                    let stem = singular(&phrase);
                    let stem = group_of.get(stem).map_or(stem, String::as_str);
                    let next = keys.len();
                    let key = *keys.entry((ai, stem.to_owned())).or_insert(next);
                    let cue = Cue::Phrase {
                        area: ai,
                        technology: ti,
                        strength,
                        key,
                    };
                    // British spellings ("nv centre", "fibre") are the same
                    // cue as the American ones the file writes.
                    for variant in spelling_variants(&phrase, &taxonomy.spellings) {
                        if !written.contains(variant.as_str()) {
                            push_with_plural(&mut phrases, &mut cues, variant, cue, |q| {
                                written.contains(q)
                            });
                        }
                    }
                    push_with_plural(&mut phrases, &mut cues, phrase, cue, |q| {
                        written.contains(q)
                    });
                }
            }
            for x in &a.exclude {
                let phrase = phrase_text(&x.phrase);
                let cue = Cue::Exclusion {
                    field: x.field.then_some(ai),
                };
                for variant in spelling_variants(&phrase, &taxonomy.spellings) {
                    if !written.contains(variant.as_str()) {
                        phrases.push(variant);
                        cues.push(cue);
                    }
                }
                phrases.push(phrase);
                cues.push(cue);
            }
            for x in &a.against {
                // Plurals too, as for cues ("black hole", "black holes").
                let cue = Cue::Against { area: ai };
                push_with_plural(&mut phrases, &mut cues, phrase_text(x), cue, |q| {
                    a.against.iter().any(|w| w == q)
                });
            }
        }
        for w in &taxonomy.passing {
            phrases.push(w.clone());
            cues.push(Cue::Passing);
        }
        // A signal and its plural ("disease", "diseases") are one signal.
        let mut signal_keys: rustc_hash::FxHashMap<String, usize> =
            rustc_hash::FxHashMap::default();
        for w in &taxonomy.context.signals {
            let phrase = phrase_text(w);
            let next = signal_keys.len();
            let signal = *signal_keys
                .entry(singular(&phrase).to_owned())
                .or_insert(next);
            phrases.push(phrase);
            cues.push(Cue::Context { signal });
        }
        let mut deferred_by: Vec<Vec<Vec<usize>>> = taxonomy
            .areas
            .iter()
            .map(|a| vec![Vec::new(); a.technologies.len()])
            .collect();
        for (b, area) in taxonomy.areas.iter().enumerate() {
            for d in &area.defer {
                // Validated on load: the area and technology exist.
                let a = taxonomy.areas.iter().position(|x| x.slug == d.area);
                let t = a.and_then(|a| {
                    taxonomy.areas[a]
                        .technologies
                        .iter()
                        .position(|t| t.name == d.technology)
                        .map(|t| (a, t))
                });
                if let Some((a, t)) = t {
                    deferred_by[a][t].push(b);
                }
            }
        }
        // Phrases are whole words of normalised text, so a word-level index
        // finds them: one hash probe per word, and the few phrases starting
        // with that word compared longest first. (An Aho-Corasick DFA over
        // the 3,000 phrases outgrew the CPU caches: 20 ns a byte.)
        let mut by_first_word: rustc_hash::FxHashMap<Box<[u8]>, Vec<(usize, usize)>> =
            rustc_hash::FxHashMap::default();
        for (i, p) in phrases.iter().enumerate() {
            let first = p.split(' ').next().unwrap_or_default();
            by_first_word
                .entry(first.as_bytes().into())
                .or_default()
                .push((i, p.split(' ').count()));
        }
        for v in by_first_word.values_mut() {
            v.sort_by_key(|&(i, words)| (std::cmp::Reverse(words), i));
        }
        let mut topics = rustc_hash::FxHashMap::default();
        for (ai, a) in taxonomy.areas.iter().enumerate() {
            for t in &a.topics {
                topics.insert(t.clone(), ai);
            }
        }
        Self {
            by_first_word,
            cues,
            phrases,
            topics,
            deferred_by,
        }
    }

    /// The cue key of a phrase (a phrase and its plural share one).
    pub(super) fn key_of(&self, pattern: usize) -> usize {
        match self.cues[pattern] {
            Cue::Phrase { key, .. } => key,
            Cue::Exclusion { .. } | Cue::Passing | Cue::Against { .. } | Cue::Context { .. } => {
                usize::MAX
            }
        }
    }

    /// The phrases found in normalised text (its word spans from
    /// [`normalize_into`](super::text::normalize_into)), leftmost-longest by whole words: "quantum yield"
    /// (an exclusion) consumes the words a shorter cue would have matched
    /// inside it.
    pub(super) fn phrases_in<'a>(
        &'a self,
        norm: &'a [u8],
        words: &'a [(usize, usize)],
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        let mut w = 0;
        std::iter::from_fn(move || {
            while w < words.len() {
                let (s, e) = words[w];
                let found = self.by_first_word.get(&norm[s..e]).and_then(|phrases| {
                    phrases.iter().find(|&&(p, n)| {
                        // The text has one space between words, so a phrase
                        // of n words is exactly the span of n words.
                        w + n <= words.len()
                            && norm[s..words[w + n - 1].1] == *self.phrases[p].as_bytes()
                    })
                });
                match found {
                    Some(&(p, n)) => {
                        w += n;
                        return Some((p, w - n));
                    }
                    None => w += 1,
                }
            }
            None
        })
    }
}

/// Adds `phrase` as `cue`, and its plural ("swarm" -> "swarms") as the same
/// cue unless the phrase ends in "s" or `written` has the plural already.
fn push_with_plural(
    phrases: &mut Vec<String>,
    cues: &mut Vec<Cue>,
    phrase: String,
    cue: Cue,
    written: impl Fn(&str) -> bool,
) {
    let plural = format!("{phrase}s");
    let add = !phrase.ends_with('s') && !written(&plural);
    phrases.push(phrase);
    cues.push(cue);
    if add {
        phrases.push(plural);
        cues.push(cue);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::text::normalize_into;

    #[test]
    fn a_phrase_cut_mid_word_does_not_hide_the_whole_word() {
        // "to learn" is a cue; in "to learning" it is not a match, and it
        // must not swallow the cue "learning" (a byte automaton did).
        let t = Taxonomy::bundled().unwrap();
        let c = Lexicon::compile(&t);
        let (mut norm, mut words, mut sentences) = (Vec::new(), Vec::new(), Vec::new());
        normalize_into(
            "Approaches to learning",
            &mut norm,
            &mut words,
            &mut sentences,
        );
        let found: Vec<&str> = c
            .phrases_in(&norm, &words)
            .map(|(p, _)| c.phrases[p].as_str())
            .collect();
        assert_eq!(found, ["learning"]);
    }
}
