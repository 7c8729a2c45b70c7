//! The classifier: phrase and topic evidence per paper, weighted by field,
//! thresholded per area. Deterministic and explainable: every tag carries the
//! phrases (with their field) and topics behind it. The phrases are found by
//! the [`Lexicon`]; this file decides what they add up to.

use super::lexicon::{Cue, Lexicon};
use super::paper::{AreaTag, Field, Paper};
use super::taxonomy::{Strength, Taxonomy};
use super::text::{normalize_into, sentence_of};

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

/// The compiled classifier.
#[derive(Debug)]
pub struct Classifier<'t> {
    taxonomy: &'t Taxonomy,
    /// The taxonomy's phrases, exclusions and topics, compiled for scanning.
    lexicon: Lexicon,
}

impl<'t> Classifier<'t> {
    /// Indexes every phrase and exclusion by its first word.
    pub fn new(taxonomy: &'t Taxonomy) -> Self {
        Self {
            taxonomy,
            lexicon: Lexicon::compile(taxonomy),
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
            for (pattern, w) in self.lexicon.phrases_in(&norm, &words) {
                match self.lexicon.cues[pattern] {
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
                } = self.lexicon.cues[pattern]
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
                        let new = !hits.iter().any(|&(_, _, p)| self.lexicon.key_of(p) == key);
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
            if let Some(&a) = self.lexicon.topics.get(&id) {
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
            } = self.lexicon.cues[pattern]
            else {
                continue;
            };
            for &b in &self.lexicon.deferred_by[a][technology] {
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
                    evidence.push(format!(
                        "{}: {}",
                        field.as_str(),
                        self.lexicon.phrases[pattern]
                    ));
                    // A weak cue supports the area but does not name one of
                    // its technologies.
                    if let Cue::Phrase {
                        technology,
                        strength: Strength::Strong | Strength::Normal | Strength::Tool,
                        ..
                    } = self.lexicon.cues[pattern]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::paper::TopicRef;
    use crate::classify::text::spelling_variants;

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
    fn exclusions_cancel_false_cues() {
        assert!(tags("High quantum yield of carbon dots for bio-imaging", "").is_empty());
        assert!(tags("Folate and neural tube defects", "").is_empty());
        let ga = tags("A genetic algorithm for job-shop scheduling", "");
        assert!(ga.iter().all(|(a, _)| *a != "biotech"), "{ga:?}");
        let lab = "A microfluidic chip sorts cells; the lab on a chip runs on a phone.";
        assert!(tags("Organ on a chip models of the gut", lab).is_empty());
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
