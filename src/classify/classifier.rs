//! The classifier: phrase and topic evidence per paper, weighted by field,
//! thresholded per area. Deterministic and explainable: every tag carries the
//! phrases (with their field) and topics behind it.

use serde::{Deserialize, Serialize};

use super::taxonomy::{Strength, Taxonomy};

/// Where a cue was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The title.
    Title,
    /// Author or OpenAlex keywords.
    Keywords,
    /// The abstract.
    Abstract,
    /// An OpenAlex topic assigned to the work.
    Topic,
}

impl Field {
    /// Weight of one distinct cue in this field.
    fn weight(self) -> f64 {
        match self {
            Field::Title => 2.0,
            Field::Keywords => 1.5,
            Field::Abstract => 1.0,
            Field::Topic => 2.0,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Keywords => "keywords",
            Field::Abstract => "abstract",
            Field::Topic => "topic",
        }
    }
}

/// An OpenAlex topic on a work (`id` as `T10020` or the full URL).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TopicRef {
    /// Topic id.
    pub id: String,
    /// Display name, shown in evidence.
    #[serde(
        default,
        alias = "display_name",
        deserialize_with = "crate::nullable::or_default"
    )]
    pub name: String,
    /// The topic's OpenAlex field (`"Medicine"`), as a name or as OpenAlex's
    /// `{"display_name": ...}` object: the paper's own field (issue 17).
    #[serde(default, deserialize_with = "field_name")]
    pub field: Option<String>,
}

/// A topic's field as OpenAlex writes it (an object with `display_name`) or
/// as a plain name; `null` is none.
fn field_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Named {
        Name(String),
        Object {
            #[serde(default)]
            display_name: Option<String>,
        },
    }
    Ok(match Option::<Named>::deserialize(d)? {
        Some(Named::Name(n)) => Some(n),
        Some(Named::Object { display_name }) => display_name,
        None => None,
    })
}

/// What the classifier reads of a paper.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Paper {
    /// Title.
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    pub title: String,
    /// Abstract as plain text.
    #[serde(
        default,
        rename = "abstract",
        deserialize_with = "crate::nullable::or_default"
    )]
    pub abstract_text: String,
    /// Keywords.
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    pub keywords: Vec<String>,
    /// OpenAlex topics.
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    pub topics: Vec<TopicRef>,
    /// Journal or conference name: a signal of the paper's field, read like
    /// the title for field context only (it tags no area).
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    pub venue: String,
}

/// One area tag with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaTag {
    /// Area slug.
    pub area: &'static str,
    /// Confidence in (0, 1): `1 - exp(-weight / 3)` of the summed evidence.
    pub score: f64,
    /// The Annex technologies the cues belong to.
    pub technologies: Vec<String>,
    /// `field: phrase` and `topic: T… name` lines.
    pub evidence: Vec<String>,
}

/// Evidence weight an area needs: one title cue, one topic, one keyword plus
/// anything else, or two distinct abstract cues.
const THRESHOLD: f64 = 2.0;

/// Weight of a repeated cue relative to its first mention.
const REPEAT_WEIGHT: f64 = 0.5;

/// Most that weak cues together add to an area: a quarter of the threshold,
/// so an area always needs a title cue, a strong cue, or two ordinary cues
/// of its own ("network", "learning", "detector" pile up in any paper).
const WEAK_CAP: f64 = THRESHOLD / 4.0;

/// What corroborates a priority area beyond its weight: the four priority
/// areas are the ones a flag escalates, so one ordinary cue, however placed
/// (a title "entanglement", "waveguides", "trapped ions"), is not enough.
/// They need a strong cue, a mapped topic, or a second distinct cue that is
/// not a weak one, or two distinct weak ones: one weak word ("quantum",
/// "learning") is in every paper of the field.
#[derive(Debug, Clone, Copy, Default)]
struct Support {
    /// Distinct ordinary and strong cues (a cue in title and abstract counts once).
    distinct: u8,
    /// Distinct weak cues.
    weak: u8,
    strong: bool,
    /// A strong cue in the title.
    title_strong: bool,
    /// An ordinary or strong cue in the title: the paper's subject.
    title_cue: bool,
    topic: bool,
    /// A cue that is not a tool (a method shared with other fields).
    own: bool,
}

impl Support {
    /// `need` distinct ordinary cues (or one fewer and two weak ones) stand
    /// in for a strong cue or a topic.
    ///
    /// The weak ones stand in for one cue only beside a title cue or two
    /// distinct cues of the area (issue 17): a title
    /// names the subject, which weak words then confirm ("Bayesian network
    /// parameter learning ... learn"); beside a cue of the abstract or the
    /// keywords they are only vocabulary ("image analysis" with "image" and
    /// "classification" made a malaria cytometer an AI paper), and a
    /// priority tag can make a flagged paper tier 1.
    fn corroborated(self, need: u8) -> bool {
        self.strong
            || self.topic
            || self.distinct >= need
            || (self.distinct + 1 >= need
                && self.weak >= 2
                && (self.title_cue || self.distinct >= 2))
    }
}

#[derive(Debug, Clone, Copy)]
enum Cue {
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

/// The compiled classifier.
#[derive(Debug)]
pub struct Classifier<'t> {
    taxonomy: &'t Taxonomy,
    /// Phrases (cues and exclusions) by their first word: (phrase index,
    /// words in it), longest first.
    by_first_word: rustc_hash::FxHashMap<Box<[u8]>, Vec<(usize, usize)>>,
    cues: Vec<Cue>,
    phrases: Vec<String>,
    topics: rustc_hash::FxHashMap<String, usize>,
    /// Per (area, technology): the areas that defer to it.
    deferred_by: Vec<Vec<Vec<usize>>>,
}

impl<'t> Classifier<'t> {
    /// Indexes every phrase and exclusion by its first word.
    pub fn new(taxonomy: &'t Taxonomy) -> Self {
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
            taxonomy,
            by_first_word,
            cues,
            phrases,
            topics,
            deferred_by,
        }
    }

    /// Tags one paper. Areas in Annex order of decreasing score.
    pub fn classify(&self, paper: &Paper) -> Vec<AreaTag> {
        self.classify_full(
            &paper.title,
            &paper.abstract_text,
            &paper.keywords,
            &paper.venue,
            paper
                .topics
                .iter()
                .map(|t| (t.id.as_str(), t.name.as_str(), t.field.as_deref())),
        )
    }

    /// [`Classifier::classify`] on borrowed fields (the screen's hot path:
    /// no copy of a work's title or abstract). `topics` gives (id, name,
    /// field name if known).
    pub fn classify_parts<'p>(
        &self,
        title: &str,
        abstract_text: &str,
        keywords: &[String],
        topics: impl Iterator<Item = (&'p str, &'p str, Option<&'p str>)>,
    ) -> Vec<AreaTag> {
        self.classify_full(title, abstract_text, keywords, "", topics)
    }

    fn classify_full<'p>(
        &self,
        title: &str,
        abstract_text: &str,
        keywords: &[String],
        venue: &str,
        topics: impl Iterator<Item = (&'p str, &'p str, Option<&'p str>)>,
    ) -> Vec<AreaTag> {
        const N: usize = super::taxonomy::AREA_SLUGS.len();
        let mut weight = [0.0f64; N];
        let mut weak = [0.0f64; N];
        let mut support = [Support::default(); N];
        // A phrase of a field that borrows the area's words was seen.
        let mut against = [false; N];
        // The buffers are this thread's, reused paper after paper.
        let Scratch {
            mut hits,
            mut seen,
            mut norm,
            mut words,
            mut sentences,
            mut found,
            mut passing,
        } = SCRATCH.with_borrow_mut(std::mem::take);
        hits.clear();
        let mut topic_hits: Vec<(usize, String)> = Vec::new();
        // Distinct field-context signals with the weight of their field.
        let mut signals: Vec<(usize, f64)> = Vec::new();
        let keywords = keywords.join(" | ");
        // The venue is read for context signals only (`None`: no cue counts).
        for (field, text) in [
            (None, venue),
            (Some(Field::Title), title),
            (Some(Field::Keywords), keywords.as_str()),
            (Some(Field::Abstract), abstract_text),
        ] {
            if text.is_empty() {
                continue;
            }
            normalize_into(text, &mut norm, &mut words, &mut sentences);
            seen.clear();
            found.clear();
            passing.clear();
            for (pattern, w) in self.phrases_in(&norm, &words) {
                match self.cues[pattern] {
                    Cue::Context { signal } => {
                        let weight = field.map_or(Field::Title.weight(), Field::weight);
                        match signals.iter_mut().find(|(s, _)| *s == signal) {
                            Some((_, w)) => *w = w.max(weight),
                            None => signals.push((signal, weight)),
                        }
                    }
                    _ if field.is_none() => {}
                    Cue::Phrase { .. } => found.push((pattern, w)),
                    Cue::Passing => passing.push(sentence_of(&sentences, w)),
                    Cue::Against { area } | Cue::Exclusion { field: Some(area) } => {
                        against[area] = true
                    }
                    Cue::Exclusion { field: None } => {}
                }
            }
            let Some(field) = field else { continue };
            for &(pattern, w) in &found {
                let Cue::Phrase {
                    area: a,
                    strength,
                    key,
                    ..
                } = self.cues[pattern]
                else {
                    continue;
                };
                // "... useful for quantum metrology", "applications in deep
                // learning": a technology named as a prospect, not the
                // subject, is no stronger than an ordinary cue.
                let strength = if strength == Strength::Strong
                    && field == Field::Abstract
                    && passing.contains(&sentence_of(&sentences, w))
                {
                    Strength::Normal
                } else {
                    strength
                };
                // A cue counts fully once per field, and its repeats add a
                // little once (a paper about a technology names it more than
                // once; a word used five times is not five cues).
                let factor = match seen.iter_mut().find(|(k, _)| *k == key) {
                    None => {
                        seen.push((key, false));
                        // New to the paper, not only to this field: a
                        // distinct cue (`hits` holds every first mention).
                        let new = !hits.iter().any(|&(_, _, p)| self.key_of(p) == key);
                        hits.push((a, field, pattern));
                        if new {
                            let n = if strength == Strength::Weak {
                                &mut support[a].weak
                            } else {
                                &mut support[a].distinct
                            };
                            *n = n.saturating_add(1);
                        }
                        support[a].strong |= strength == Strength::Strong;
                        support[a].title_strong |=
                            strength == Strength::Strong && field == Field::Title;
                        support[a].title_cue |= strength != Strength::Weak && field == Field::Title;
                        support[a].own |= strength != Strength::Tool;
                        1.0
                    }
                    Some((_, bonus @ false)) => {
                        *bonus = true;
                        REPEAT_WEIGHT
                    }
                    Some((_, true)) => continue,
                };
                let w = field.weight() * strength.weight() * factor;
                if strength == Strength::Weak {
                    weak[a] += w;
                } else {
                    weight[a] += w;
                }
            }
        }
        // The paper's own field: its first topic's field when topics carry
        // one, else the text's signals.
        let mut field_of_topics: Option<bool> = None;
        for (topic_id, topic_name, topic_field) in topics {
            if let (None, Some(f)) = (field_of_topics, topic_field) {
                field_of_topics = Some(self.taxonomy.context.fields.iter().any(|x| x == f));
            }
            let id = topic_id
                .rsplit('/')
                .next()
                .unwrap_or(topic_id)
                .to_ascii_uppercase();
            if let Some(&a) = self.topics.get(&id) {
                weight[a] += Field::Topic.weight();
                support[a].topic = true;
                let line = if topic_name.is_empty() {
                    format!("topic: {id}")
                } else {
                    format!("topic: {id} {topic_name}")
                };
                topic_hits.push((a, line));
            }
        }
        for (w, k) in weight.iter_mut().zip(&weak) {
            *w += k.min(WEAK_CAP);
        }
        let outside = field_of_topics
            .unwrap_or_else(|| signals.iter().map(|&(_, w)| w).sum::<f64>() >= THRESHOLD);
        if outside {
            for (a, area) in self.taxonomy.areas.iter().enumerate() {
                against[a] |= !self.taxonomy.context.spare.contains(&area.slug);
            }
        }
        // Annex scope: a subject the Annex lists under another area.
        let mut title_subject = [false; N];
        for &(a, field, pattern) in hits.iter() {
            let Cue::Phrase {
                technology,
                strength: Strength::Strong | Strength::Normal,
                ..
            } = self.cues[pattern]
            else {
                continue;
            };
            for &b in &self.deferred_by[a][technology] {
                against[b] = true;
                title_subject[b] |= matches!(field, Field::Title | Field::Keywords);
            }
        }
        let mut tags: Vec<AreaTag> = (0..N)
            .filter(|&a| {
                weight[a] >= THRESHOLD
                    // Lithography or epitaxy alone is a method of many
                    // fields, not the area's technology.
                    && (support[a].own || support[a].topic)
                    && (!self.taxonomy.areas[a].priority
                        || support[a].corroborated(self.taxonomy.areas[a].corroborate))
                    && (!against[a] || support[a].strong || support[a].topic)
                    && (!title_subject[a] || support[a].title_strong || support[a].topic)
            })
            .map(|a| {
                let area = &self.taxonomy.areas[a];
                let mut evidence = Vec::new();
                let mut techs: Vec<usize> = Vec::new();
                for &(_, field, pattern) in hits.iter().filter(|h| h.0 == a) {
                    evidence.push(format!("{}: {}", field.as_str(), self.phrases[pattern]));
                    // A weak cue supports the area but does not name one of
                    // its technologies.
                    if let Cue::Phrase {
                        technology,
                        strength: Strength::Strong | Strength::Normal | Strength::Tool,
                        ..
                    } = self.cues[pattern]
                    {
                        if !techs.contains(&technology) {
                            techs.push(technology);
                        }
                    }
                }
                evidence.extend(
                    topic_hits
                        .iter()
                        .filter(|(t, _)| *t == a)
                        .map(|(_, line)| line.clone()),
                );
                techs.sort_unstable();
                AreaTag {
                    area: super::taxonomy::AREA_SLUGS[a],
                    score: ((1.0 - (-weight[a] / 3.0).exp()) * 1000.0).round() / 1000.0,
                    technologies: techs
                        .into_iter()
                        .map(|i| area.technologies[i].name.clone())
                        .collect(),
                    evidence,
                }
            })
            .collect();
        tags.sort_by(|x, y| y.score.total_cmp(&x.score));
        SCRATCH.set(Scratch {
            hits,
            seen,
            norm,
            words,
            sentences,
            found,
            passing,
        });
        tags
    }
}

/// Per-paper buffers of [`Classifier::classify_parts`], kept per thread so
/// that the millions of calls of a screen or a bulk `classify` allocate
/// them once, not on every paper.
#[derive(Default)]
struct Scratch {
    /// First mentions, in text order: (area, field, pattern). Evidence
    /// strings are only built for the areas that end up tagged: most cues
    /// (a weak "learning", a lone "satellite") never reach the threshold.
    hits: Vec<(usize, Field, usize)>,
    /// (cue key, whether its repeat bonus was given) for the current field.
    seen: Vec<(usize, bool)>,
    /// The field normalised, its word spans and its sentence ends
    /// ([`normalize_into`]).
    norm: Vec<u8>,
    words: Vec<(usize, usize)>,
    sentences: Vec<u32>,
    /// Cues of the field with their word index, and the sentences that name
    /// applications in passing.
    found: Vec<(usize, usize)>,
    passing: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

impl Classifier<'_> {
    /// The cue key of a phrase (a phrase and its plural share one).
    fn key_of(&self, pattern: usize) -> usize {
        match self.cues[pattern] {
            Cue::Phrase { key, .. } => key,
            Cue::Exclusion { .. } | Cue::Passing | Cue::Against { .. } | Cue::Context { .. } => {
                usize::MAX
            }
        }
    }

    /// The phrases found in normalised text (its word spans from
    /// [`normalize_into`]), leftmost-longest by whole words: "quantum yield"
    /// (an exclusion) consumes the words a shorter cue would have matched
    /// inside it.
    fn phrases_in<'a>(
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

/// A taxonomy phrase as the classifier matches it: normalised, unpadded.
fn phrase_text(p: &str) -> String {
    normalize(p).trim().to_owned()
}

/// The phrase with each word that has another spelling in `spellings`
/// (American, British) written the other way, one variant per combination
/// ("nv center" -> "nv centre"; "fiber optic gyroscope" -> "fibre optic
/// gyroscope"). Empty when no word has one.
fn spelling_variants(phrase: &str, spellings: &[[String; 2]]) -> Vec<String> {
    let words: Vec<&str> = phrase.split(' ').collect();
    let mut out = vec![String::new()];
    let mut any = false;
    for (i, w) in words.iter().enumerate() {
        let other = spellings.iter().find_map(|[a, b]| {
            if a == w {
                Some(b.as_str())
            } else if b == w {
                Some(a.as_str())
            } else {
                None
            }
        });
        let sep = if i == 0 { "" } else { " " };
        let mut next = Vec::with_capacity(out.len() * 2);
        for prefix in &out {
            next.push(format!("{prefix}{sep}{w}"));
            if let Some(o) = other {
                next.push(format!("{prefix}{sep}{o}"));
            }
        }
        any |= other.is_some();
        out = next;
    }
    if !any {
        return Vec::new();
    }
    out.retain(|v| v != phrase);
    out
}

/// A phrase without its plural "s": the text of its cue key.
fn singular(phrase: &str) -> &str {
    phrase.strip_suffix('s').unwrap_or(phrase)
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

/// Lower case, every non-alphanumeric run to one space, padded with spaces.
fn normalize(s: &str) -> String {
    let (mut out, mut words, mut sentences) = (Vec::new(), Vec::new(), Vec::new());
    normalize_into(s, &mut out, &mut words, &mut sentences);
    // Only whole characters were copied, so this cannot fail.
    String::from_utf8(out).unwrap_or_default()
}

/// [`normalize`] into reused buffers, recording each word's byte span as it
/// is written (the screen's hot path: no allocation, no second pass to find
/// the words, no UTF-8 re-check), and where sentences end: the number of
/// words before each `.`, `!` or `?` that a space or the end follows ("2.5"
/// and "e.g.x" end none). A word's sentence is the count of ends at or
/// before its index ([`sentence_of`]).
fn normalize_into(
    s: &str,
    out: &mut Vec<u8>,
    words: &mut Vec<(usize, usize)>,
    sentences: &mut Vec<u32>,
) {
    // Bytes, with ASCII runs copied lower-cased in bulk: most scholarly text
    // is ASCII, and char-by-char `to_lowercase` was a third of the classifier.
    let b = s.as_bytes();
    out.clear();
    words.clear();
    sentences.clear();
    out.reserve(b.len() + 2);
    out.push(b' ');
    // Start of the word being written, if one is.
    let mut word: Option<usize> = None;
    fn end_word(out: &mut Vec<u8>, words: &mut Vec<(usize, usize)>, word: &mut Option<usize>) {
        if let Some(start) = word.take() {
            words.push((start, out.len()));
            out.push(b' ');
        }
    }
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            word.get_or_insert(out.len());
            out.extend(b[start..i].iter().map(u8::to_ascii_lowercase));
            continue;
        }
        if c.is_ascii() {
            // "Moore's" -> "moores"; other punctuation and spaces -> one space.
            if c != b'\'' {
                end_word(out, words, &mut word);
            }
            if matches!(c, b'.' | b'!' | b'?') && b.get(i + 1).is_none_or(u8::is_ascii_whitespace) {
                sentences.push(words.len() as u32);
            }
            i += 1;
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        if ch.is_alphanumeric() {
            word.get_or_insert(out.len());
            let mut buf = [0u8; 4];
            for l in ch.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        } else if ch != '\u{2019}' {
            end_word(out, words, &mut word);
        }
        i += ch.len_utf8();
    }
    end_word(out, words, &mut word);
}

/// The sentence of word `w`, given the sentence ends from [`normalize_into`].
fn sentence_of(ends: &[u32], w: usize) -> u32 {
    ends.partition_point(|&e| e as usize <= w) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(title: &str, abstract_text: &str) -> Vec<(&'static str, Vec<String>)> {
        let t = Taxonomy::bundled().unwrap();
        let c = Classifier::new(&t);
        c.classify(&Paper {
            title: title.into(),
            abstract_text: abstract_text.into(),
            ..Paper::default()
        })
        .into_iter()
        .map(|a| (a.area, a.evidence))
        .collect()
    }

    /// Tags a paper with a title and one OpenAlex topic.
    fn with_topic(title: &str, id: &str, name: &str) -> Vec<AreaTag> {
        let t = Taxonomy::bundled().unwrap();
        Classifier::new(&t).classify(&Paper {
            title: title.into(),
            topics: vec![TopicRef {
                id: id.into(),
                name: name.into(),
                field: None,
            }],
            ..Paper::default()
        })
    }

    #[test]
    fn a_title_cue_tags_the_area_with_its_evidence() {
        let got = tags(
            "Finite-key analysis of quantum key distribution over 400 km of fibre",
            "",
        );
        assert_eq!(
            got,
            [(
                "quantum",
                vec!["title: quantum key distribution".to_owned()]
            )]
        );
    }

    /// Tags a paper whose first topic carries an OpenAlex field.
    fn in_field(title: &str, field: &str) -> Vec<&'static str> {
        let t = Taxonomy::bundled().unwrap();
        Classifier::new(&t)
            .classify(&Paper {
                title: title.into(),
                topics: vec![TopicRef {
                    id: "T99999".into(),
                    name: String::new(),
                    field: Some(field.into()),
                }],
                ..Paper::default()
            })
            .into_iter()
            .map(|a| a.area)
            .collect()
    }

    #[test]
    fn issue_17_a_field_that_borrows_technology_words_tags_no_area() {
        // Ordinary cues in another sense: satellite (space), battery
        // (energy), dialogue and linguistic (ai), cellular (connectivity).
        assert!(tags("Satellite clinics and HIV care for rural patients", "").is_empty());
        assert!(tags("A battery of memory tests in patients with dementia", "").is_empty());
        assert!(tags("Reactor of change: entrepreneurs and regional firms", "").is_empty());
        let abs = "We interviewed citizens and voters about dialogue and linguistic rights.";
        assert!(tags("Language rights in a divided city", abs).is_empty());
        // Without the field's words the same cue tags (the rule is the
        // context, not the word).
        assert_eq!(
            tags("Satellite orbit raising with ion engines", "")[0].0,
            "space"
        );
        // A strong cue is the technology in any field.
        let got = tags(
            "Deep learning predicts sepsis in intensive care patients",
            "",
        );
        assert_eq!(got[0].0, "ai");
        // OpenAlex's field decides when the topics carry one.
        assert!(in_field("Satellite outreach programmes", "Medicine").is_empty());
        assert_eq!(
            in_field("Satellite orbit raising", "Engineering"),
            ["space"]
        );
        // Biotech's laboratory terms keep their sense in clinical papers.
        let got = tags(
            "Transfection of a malaria parasite in patients' isolates",
            "A plasmid carrying the gene was introduced by transfection into parasites from patients.",
        );
        assert!(got.iter().any(|(a, _)| *a == "biotech"), "{got:?}");
    }

    #[test]
    fn issue_17_photovoltaics_is_energy_not_semiconductors() {
        let areas = |title: &str, abstract_text: &str| -> Vec<&'static str> {
            tags(title, abstract_text)
                .into_iter()
                .map(|(a, _)| a)
                .collect()
        };
        // Etching and wafers of solar cells are not microelectronics.
        let got = areas(
            "Reactive ion etching of wafers for multicrystalline silicon solar cells",
            "Texturing by plasma etching lowers reflectance; the wafers are thinner.",
        );
        assert!(
            got.contains(&"energy") && !got.contains(&"semiconductors"),
            "{got:?}"
        );
        // Optoelectronic devices named beside a solar subject: still energy.
        let got = areas(
            "Nanostructures for light trapping in optoelectronic devices and photovoltaic cells",
            "Electron beam lithography patterns photonic crystals.",
        );
        assert!(!got.contains(&"semiconductors"), "{got:?}");
        // A device of its own in the title tags semiconductors too.
        let got = areas("Perovskite photodetectors and solar cells on one chip", "");
        assert!(got.contains(&"semiconductors"), "{got:?}");
    }

    #[test]
    fn issue_17_weak_cues_do_not_make_a_priority_tag() {
        // The bundled sample's cytometer: one ordinary cue ("image
        // analysis") with "image" and "classification" is not AI.
        let t = Taxonomy::bundled().unwrap();
        let c = Classifier::new(&t);
        let got = c.classify(&Paper {
            title: "A portable image-based cytometer for rapid malaria detection".into(),
            abstract_text: "Image analysis and classification of blood smear images.".into(),
            keywords: vec!["image analysis".into(), "images".into()],
            ..Paper::default()
        });
        assert!(got.iter().all(|a| a.area != "ai"), "{got:?}");
        // A title cue confirmed by weak words is the subject.
        let got = tags(
            "Bayesian network parameter estimation",
            "We learn it by learning from incomplete data.",
        );
        assert_eq!(got[0].0, "ai");
    }

    #[test]
    fn issue_17_current_methods_are_cues_of_their_areas() {
        for (title, area) in [
            ("Vision Transformers for satellite-free crop mapping", "ai"),
            ("Training GANs with limited data", "ai"),
            ("Batch normalization and its alternatives", "ai"),
            ("Adversarial examples transfer across models", "ai"),
            ("Denoising diffusion probabilistic models for audio", "ai"),
            ("Contrastive language image pre-training at scale", "ai"),
            ("Evaluating LLMs on arithmetic", "ai"),
            (
                "A RISC-V core with custom vector extensions",
                "semiconductors",
            ),
            (
                "A neural network accelerator with sparse dataflow",
                "semiconductors",
            ),
            ("High-level synthesis of stencil kernels", "semiconductors"),
            ("Antibody design with inverse folding", "biotech"),
            ("Directed evolution of a photoswitchable enzyme", "biotech"),
            ("Nucleic acid vaccines against influenza", "biotech"),
            ("CRISPR screens in human cells", "biotech"),
            (
                "A ring laser gyroscope for rotational seismology",
                "sensing",
            ),
            ("Standoff detection of chemical agents", "sensing"),
            ("Gaussian boson sampling with 100 modes", "quantum"),
            ("Satellite communication at Ka band", "space"),
        ] {
            let got = tags(title, "");
            assert!(got.iter().any(|(a, _)| *a == area), "{title}: {got:?}");
        }
    }

    #[test]
    fn issue_17_british_spellings_match_the_same_cues() {
        assert_eq!(tags("Spin readout of NV centres", "")[0].0, "quantum");
        assert_eq!(tags("Spin readout of NV centers", "")[0].0, "quantum");
        let variants = spelling_variants(
            "fiber center",
            &[
                ["fiber".to_owned(), "fibre".to_owned()],
                ["center".to_owned(), "centre".to_owned()],
            ],
        );
        assert_eq!(variants, ["fiber centre", "fibre center", "fibre centre"]);
        assert!(spelling_variants("qubit", &[]).is_empty());
    }

    #[test]
    fn issue_17_a_topic_field_reads_as_object_name_or_null() {
        let p: Paper = serde_json::from_str(
            r#"{"title": "T", "topics": [
                {"id": "T1", "display_name": "A", "field": {"id": "f/27", "display_name": "Medicine"}},
                {"id": "T2", "field": "Physics and Astronomy"},
                {"id": "T3", "field": null}]}"#,
        )
        .unwrap();
        let fields: Vec<Option<&str>> = p.topics.iter().map(|t| t.field.as_deref()).collect();
        assert_eq!(
            fields,
            [Some("Medicine"), Some("Physics and Astronomy"), None]
        );
    }

    #[test]
    fn exclusions_cancel_false_cues() {
        assert!(tags("High quantum yield of carbon dots for bio-imaging", "").is_empty());
        assert!(tags("Folate and neural tube defects", "").is_empty());
        let ga = tags("A genetic algorithm for job-shop scheduling", "");
        assert!(ga.iter().all(|(a, _)| *a != "biotech"), "{ga:?}");
        let lab = "A microfluidic chip sorts cells; the lab on a chip runs on a phone.";
        assert!(tags("Organ on a chip models of the gut", lab).is_empty());
    }

    proptest::proptest! {
        /// The word spans recorded while normalising are exactly the
        /// normalised text split on spaces (the naive oracle).
        #[test]
        fn word_spans_are_the_normalised_words(s in "\\PC{0,80}") {
            let (mut norm, mut words, mut sentences) = (Vec::new(), Vec::new(), Vec::new());
            normalize_into(&s, &mut norm, &mut words, &mut sentences);
            let text = normalize(&s);
            proptest::prop_assert_eq!(text.as_bytes(), &norm[..]);
            let spans: Vec<&str> = words.iter().map(|&(a, b)| &text[a..b]).collect();
            let split: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(spans, split);
        }
    }

    #[test]
    fn a_phrase_cut_mid_word_does_not_hide_the_whole_word() {
        // "to learn" is a cue; in "to learning" it is not a match, and it
        // must not swallow the cue "learning" (a byte automaton did).
        let t = Taxonomy::bundled().unwrap();
        let c = Classifier::new(&t);
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

    #[test]
    fn weak_cues_alone_never_tag_however_many() {
        // "learning", "training", "dataset", "neural" are weak AI cues.
        let got = tags(
            "On the training of teachers",
            "Learning and training datasets of neural recordings, deep in the data.",
        );
        assert!(got.iter().all(|(a, _)| *a != "ai"), "{got:?}");
    }

    #[test]
    fn a_repeated_cue_adds_its_bonus_once() {
        // "fuel" is an ordinary energy cue: five mentions are one cue.
        let got = tags("On flows", "Fuel, fuel, fuel, fuel and fuel.");
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_plural_is_the_same_cue_as_its_singular() {
        // "satellite" and "satellites": one cue mentioned twice, not two cues.
        let got = tags("Orbits", "A satellite and its satellites.");
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_strong_cue_tags_from_the_title_or_with_support_not_in_passing() {
        assert!(tags("On spin relaxation", "This matters for qubit design.").is_empty());
        assert_eq!(tags("A qubit readout", "")[0].0, "quantum");
        let got = tags("On readout", "A qubit is read out; the qubit decays.");
        assert_eq!(got[0].0, "quantum");
    }

    #[test]
    fn a_priority_area_needs_more_than_one_ordinary_cue() {
        // "waveguides" is an ordinary semiconductors cue: in the title it has
        // the weight, but a priority area also needs a second cue or a
        // strong one.
        assert!(tags("Waveguides for light", "").is_empty());
        assert!(tags("Waveguides for light", "Waveguides again.").is_empty());
        let got = tags("Waveguides for light", "We build photodetectors.");
        assert_eq!(got[0].0, "semiconductors");
        assert_eq!(got[0].1, ["title: waveguides", "abstract: photodetectors"]);
        // Other areas tag on one title cue, as before ("drone" is ordinary).
        assert_eq!(tags("A drone for parcels", "")[0].0, "robotics");
    }

    #[test]
    fn quantum_needs_three_ordinary_cues_or_a_strong_one() {
        // Entanglement, decoherence and quantum states are the words of all
        // quantum physics (`corroborate = 3` in the taxonomy).
        let t = "Entanglement in tensor networks";
        assert!(tags(t, "We study decoherence.").is_empty());
        // One weak word ("quantum") is in every physics paper: it does not
        // help; two distinct weak cues stand in for the third ordinary one.
        assert!(tags(t, "Quantum effects and decoherence.").is_empty());
        let got = tags(t, "Decoherence of quantum states in a Hilbert space.");
        assert_eq!(got[0].0, "quantum");
        let got = tags(t, "We study decoherence and quantum discord.");
        assert_eq!(
            got[0].1,
            [
                "title: entanglement",
                "abstract: decoherence",
                "abstract: quantum discord"
            ]
        );
        assert_eq!(tags(t, "We build a qubit.")[0].0, "quantum");
    }

    #[test]
    fn a_strong_cue_named_in_passing_counts_as_an_ordinary_one() {
        // "quantum metrology" is strong: named twice as the subject it tags
        // from the abstract; named twice as an application it is an
        // ordinary cue and does not.
        let title = "Optical vortices in a Talbot interferometer";
        let got = tags(
            title,
            "We reach quantum metrology. Quantum metrology, again.",
        );
        assert_eq!(got[0].0, "quantum");
        let passing = "The results are useful for quantum metrology. Quantum metrology is a promising application.";
        assert!(tags(title, passing).is_empty());
        // A sentence ends at ". "; "2.5" does not end one.
        let got = tags(
            title,
            "A gain of 2.5 useful for lasers. We do quantum metrology. Quantum metrology.",
        );
        assert_eq!(got[0].0, "quantum");
        let got = tags(
            title,
            "A gain of 2.5 is useful for quantum metrology. Quantum metrology.",
        );
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_field_that_borrows_the_words_needs_a_strong_cue() {
        // Cosmology ("against" in the taxonomy) with three quantum words.
        let a = "Entanglement, decoherence and quantum discord of modes.";
        assert_eq!(tags("Entangled fields", a)[0].0, "quantum");
        assert!(tags("Entangled fields in inflationary cosmology", a).is_empty());
        // An exclusion that names a field counts as one too.
        assert!(tags("Entangled fields in quantum field theory", a).is_empty());
        // A strong cue that is the subject still tags.
        let got = tags("Qubits in inflationary cosmology", a);
        assert_eq!(got[0].0, "quantum");
    }

    #[test]
    fn a_fabrication_method_alone_does_not_tag_semiconductors() {
        // Lithography and epitaxy are `tools`: methods of all nanoscience.
        let contacts =
            "Electron beam lithography and nanofabrication contact single gold nanoparticles.";
        let semis = |title, abstract_text| {
            tags(title, abstract_text)
                .iter()
                .any(|(a, _)| *a == "semiconductors")
        };
        assert!(!semis(
            "Capacitance spectroscopy of nanoparticles",
            contacts
        ));
        assert!(!semis("Electron beam lithography of gold gratings", ""));
        // Beside a device cue the method is evidence, and is shown.
        let gate = "Atomic layer deposition of the gate dielectric for graphene transistors.";
        let got = tags("Atomic layer deposition on h-BN", gate);
        assert_eq!(got[0].0, "semiconductors");
        assert!(
            got[0]
                .1
                .contains(&"title: atomic layer deposition".to_owned()),
            "{got:?}"
        );
        // A mapped topic also lets the method count.
        let got = with_topic("Electron beam lithography of resist", "T10099", "");
        assert_eq!(got[0].area, "semiconductors");
    }

    #[test]
    fn an_abbreviation_beside_its_expansion_is_one_cue() {
        // Two distinct ordinary cues would tag; one named twice does not.
        assert!(tags(
            "Spectra of a crystal",
            "We measure the terahertz (THz) response."
        )
        .is_empty());
        let got = tags(
            "Spectra",
            "A terahertz (THz) transceiver on a silicon chip.",
        );
        assert_eq!(got[0].0, "semiconductors");
        // A strong cue and its repeat still tag from the abstract.
        let got = tags(
            "Keys",
            "We study quantum key distribution (QKD) over fibre.",
        );
        assert_eq!(got[0].1, ["abstract: quantum key distribution"]);
    }

    #[test]
    fn a_high_power_laser_is_an_instrument_until_a_laser_is_built() {
        let semis = |title, abstract_text| {
            tags(title, abstract_text)
                .iter()
                .any(|(a, _)| *a == "semiconductors")
        };
        let plasma = "Ultra short laser pulses from a high power laser heat the target.";
        assert!(!semis("Ion heating in buried layer targets", plasma));
        let amp = "Mode instability limits high power fiber amplifiers and fiber lasers.";
        assert!(semis(
            "Dopant concentration in high power fiber amplifiers",
            amp
        ));
    }

    #[test]
    fn one_abstract_cue_is_not_enough_two_are() {
        assert!(tags("On scheduling", "We use a drone to carry parcels.").is_empty());
        let got = tags(
            "On scheduling",
            "We use a drone and path planning for parcels.",
        );
        assert_eq!(got[0].0, "robotics");
    }

    #[test]
    fn topics_count_as_evidence() {
        let got = with_topic(
            "A study",
            "https://openalex.org/T10020",
            "Quantum Information and Cryptography",
        );
        assert_eq!(got[0].area, "quantum");
        assert_eq!(
            got[0].evidence,
            ["topic: T10020 Quantum Information and Cryptography"]
        );
    }

    #[test]
    fn phrase_order_in_the_lexicon_does_not_change_the_result() {
        let text = include_str!("../../data/critical-tech.toml");
        let reordered = text.replacen(
            "strong = [\"quantum key distribution\", \"qkd\"",
            "strong = [\"qkd\", \"quantum key distribution\"",
            1,
        );
        assert_ne!(text, reordered);
        let a = Taxonomy::parse(text).unwrap();
        let b = Taxonomy::parse(&reordered).unwrap();
        let paper = Paper {
            title: "QKD: quantum key distribution with qubits".into(),
            ..Paper::default()
        };
        let x = Classifier::new(&a).classify(&paper);
        let y = Classifier::new(&b).classify(&paper);
        assert_eq!(x.len(), y.len());
        for (p, q) in x.iter().zip(&y) {
            let (mut e1, mut e2) = (p.evidence.clone(), q.evidence.clone());
            e1.sort();
            e2.sort();
            assert_eq!((p.area, p.score, e1), (q.area, q.score, e2));
        }
    }
}
