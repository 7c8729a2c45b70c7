//! The bundled critical-technology taxonomy and its invariants.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use sha2::{Digest, Sha256};

const BUNDLED: &str = include_str!("../../data/critical-tech.toml");

/// The ten area slugs, in Annex order; the first four are the
/// priority areas.
pub const AREA_SLUGS: [&str; 10] = [
    "semiconductors",
    "ai",
    "quantum",
    "biotech",
    "connectivity",
    "sensing",
    "space",
    "energy",
    "robotics",
    "materials",
];

/// A phrase that cancels cues it overlaps ("quantum yield").
#[derive(Debug, Clone, Deserialize)]
pub struct Exclusion {
    /// Lower-case phrase.
    pub phrase: String,
    /// Why it is not a cue.
    pub why: String,
    /// The phrase names a field outside the area's technologies ("quantum
    /// field theory"), so it also counts as an [`Area::against`] phrase.
    #[serde(default)]
    pub field: bool,
}

/// Where the Annex puts a subject that an area's words also describe
/// (issue 17): photovoltaics is energy's ("net-zero technologies, including
/// photovoltaics"), though solar cells are etched, textured and coated like
/// chips. When the named technology of the other area is the paper's
/// subject (a cue of it in the title or keywords), the deferring area needs
/// a strong cue of its own in the title; when it is only named in
/// the abstract, a strong cue that is not named in passing.
#[derive(Debug, Clone, Deserialize)]
pub struct Defer {
    /// Slug of the area the Annex lists the subject under.
    pub area: String,
    /// Name of that area's technology, as in this file.
    pub technology: String,
    /// Why, for reviewers.
    pub why: String,
}

/// The paper's own field (issue 17): a clinical, humanities, social-science
/// or business paper borrows technology words in another sense ("a quantum
/// leap in policy", "a battery of tests", "satellite clinics"). In such a
/// field an area needs a strong cue not named in passing, or a mapped topic;
/// ordinary and weak cues never tag it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Context {
    /// OpenAlex field names (a topic's `field`) outside the Annex
    /// technologies. When a paper's topics carry fields, its first topic's
    /// field decides; the text signals are then not used.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Words of those fields' own subjects ("patients", "consumers",
    /// "policy"). Without topic fields, a paper is in such a field when its
    /// distinct signals weigh 2 or more (title or venue 2, keywords 1.5,
    /// abstract 1): one in the title, or two in the abstract.
    #[serde(default)]
    pub signals: Vec<String>,
    /// Areas whose ordinary cues are laboratory terms that those fields use
    /// in the technology's own sense ("transfection", "plasmid" in a
    /// clinical or parasitology paper): field context does not apply to them.
    #[serde(default)]
    pub spare: Vec<String>,
}

/// One listed technology within an area.
///
/// Its cues come in three strengths (issue 4): a `strong` cue names the
/// technology so plainly that it tags the area from the title, or from the
/// abstract when it is repeated or anything else supports it ("deep
/// learning", "qubit"; a single passing mention in an abstract is not
/// enough); a plain phrase needs a second cue in the abstract (or the
/// title); a `weak` cue only adds support and never tags on its own
/// ("learning", "dataset"). A `tools` cue names a fabrication or
/// measurement method that many fields use ("electron beam lithography",
/// "atomic layer deposition"): it weighs as an ordinary cue but never tags
/// the area alone, which needs one of its other cues or a mapped topic too.
#[derive(Debug, Clone, Deserialize)]
pub struct Technology {
    /// Name as in the Annex.
    pub name: String,
    /// Lower-case cue phrases of ordinary weight.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Cues weighing 1.5: enough from the title, and from the abstract
    /// when repeated or supported.
    #[serde(default)]
    pub strong: Vec<String>,
    /// Cues that only support others.
    #[serde(default)]
    pub weak: Vec<String>,
    /// Methods shared with other fields: ordinary weight, never alone.
    #[serde(default)]
    pub tools: Vec<String>,
}

/// How much one cue counts, relative to an ordinary phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Enough from the title; in the abstract, with a repeat or support.
    Strong,
    /// The default.
    Normal,
    /// Support only.
    Weak,
    /// Ordinary weight, but the area needs another kind of cue too.
    Tool,
}

impl Strength {
    /// The cue's weight multiplier.
    pub fn weight(self) -> f64 {
        match self {
            Strength::Strong => 1.5,
            Strength::Normal | Strength::Tool => 1.0,
            Strength::Weak => 0.5,
        }
    }
}

impl Technology {
    /// Every cue with its strength.
    pub fn cues(&self) -> impl Iterator<Item = (&str, Strength)> {
        fn tier(v: &[String], s: Strength) -> impl Iterator<Item = (&str, Strength)> {
            v.iter().map(move |p| (p.as_str(), s))
        }
        tier(&self.strong, Strength::Strong)
            .chain(tier(&self.phrases, Strength::Normal))
            .chain(tier(&self.weak, Strength::Weak))
            .chain(tier(&self.tools, Strength::Tool))
    }
}

/// One critical-technology area.
#[derive(Debug, Clone, Deserialize)]
pub struct Area {
    /// Slug.
    pub slug: String,
    /// Annex title.
    pub title: String,
    /// One of the four areas flagged for priority risk assessment.
    pub priority: bool,
    /// OpenAlex topic ids (`T10020`) whose papers belong to the area.
    pub topics: Vec<String>,
    /// Phrases that cancel overlapping cues.
    #[serde(default)]
    pub exclude: Vec<Exclusion>,
    /// For a priority area: how many distinct ordinary cues stand in for a
    /// strong cue or a mapped topic (default 2). Quantum asks 3: its
    /// ordinary words (entanglement, quantum states, decoherence) are the
    /// vocabulary of all of quantum physics, not only of its technologies.
    #[serde(default = "two")]
    pub corroborate: u8,
    /// Phrases that place a paper in a field that borrows the area's words
    /// but is outside its technologies (cosmology, quantum many-body
    /// physics for `quantum`): with one of them in the title or abstract,
    /// the area needs a strong cue that is not named in passing.
    #[serde(default)]
    pub against: Vec<String>,
    /// What the Annex lists in this area, in words, for reviewers: each
    /// area tags what its Annex entry names and no more.
    #[serde(default)]
    pub scope: String,
    /// Subjects that the Annex lists under another area (see [`Defer`]).
    #[serde(default)]
    pub defer: Vec<Defer>,
    /// The Annex technologies with their lexicons.
    #[serde(rename = "technology")]
    pub technologies: Vec<Technology>,
}

/// A phrase as the taxonomy must spell it: non-empty, lower case, trimmed
/// (text is matched after the same normalisation).
fn is_clean(p: &str) -> bool {
    !p.trim().is_empty() && p == p.to_lowercase() && p.trim() == p
}

fn two() -> u8 {
    2
}

#[derive(Debug, Deserialize)]
struct Raw {
    version: String,
    source: String,
    #[serde(default)]
    passing: Vec<String>,
    #[serde(default)]
    same: Vec<Vec<String>>,
    #[serde(default)]
    context: Context,
    #[serde(default)]
    spelling: Vec<[String; 2]>,
    area: Vec<Area>,
}

/// The validated taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Curation version.
    pub version: String,
    /// The legal source.
    pub source: String,
    /// Words that mark a sentence of an abstract as naming applications,
    /// prospects or motivation in passing ("useful for", "applications in",
    /// "inspired by"): a strong cue in such a sentence counts as an
    /// ordinary one.
    pub passing: Vec<String>,
    /// Groups of cues that name one thing ("terahertz" and "thz", "qkd" and
    /// "quantum key distribution"): a paper that writes both names it twice,
    /// so they count as one cue (and its repeat), never as two.
    pub same: Vec<Vec<String>>,
    /// Field context: fields and signal words outside the technologies.
    pub context: Context,
    /// Word pairs spelled two ways (American, British): a cue or exclusion
    /// written with one also matches the other ("centre", "fibre").
    pub spellings: Vec<[String; 2]>,
    /// Areas in Annex order.
    pub areas: Vec<Area>,
    hash: String,
}

/// A violated invariant of the taxonomy file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not valid TOML or not the expected shape.
    #[error("data/critical-tech.toml: {0}")]
    Parse(#[from] toml::de::Error),
    /// A rule the data must follow.
    #[error("data/critical-tech.toml: {0}")]
    Invalid(String),
}

impl Taxonomy {
    /// The taxonomy compiled into the binary.
    pub fn bundled() -> Result<Self, Error> {
        Self::parse(BUNDLED)
    }

    /// Parses and validates a taxonomy file's text.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let raw: Raw = toml::from_str(text)?;
        let bad = |m: String| Err(Error::Invalid(m));
        let slugs: Vec<&str> = raw.area.iter().map(|a| a.slug.as_str()).collect();
        if slugs != AREA_SLUGS {
            return bad(format!(
                "areas must be {AREA_SLUGS:?} in that order, found {slugs:?}"
            ));
        }
        let mut phrase_area: HashMap<&str, &str> = HashMap::new();
        let mut topic_area: HashMap<&str, &str> = HashMap::new();
        for (i, a) in raw.area.iter().enumerate() {
            if a.priority != (i < 4) {
                return bad(format!(
                    "area '{}': only the first four areas are priority areas",
                    a.slug
                ));
            }
            if a.technologies.is_empty() {
                return bad(format!("area '{}' lists no technology", a.slug));
            }
            for t in &a.technologies {
                if t.phrases.is_empty() && t.strong.is_empty() {
                    return bad(format!(
                        "area '{}', technology '{}': no phrase or strong cue (weak cues alone cannot tag)",
                        a.slug, t.name
                    ));
                }
                for (p, _) in t.cues() {
                    if !is_clean(p) {
                        return bad(format!(
                            "area '{}': phrase '{p}' must be lower case and trimmed",
                            a.slug
                        ));
                    }
                    if let Some(other) = phrase_area.insert(p, &a.slug) {
                        return bad(format!(
                            "phrase '{p}' is a cue in both '{other}' and '{}'",
                            a.slug
                        ));
                    }
                }
            }
            for x in &a.exclude {
                if x.why.trim().is_empty() || x.phrase != x.phrase.to_lowercase() {
                    return bad(format!(
                        "area '{}': exclusion '{}' needs a lower-case phrase and a reason",
                        a.slug, x.phrase
                    ));
                }
            }
        }
        let mut against: HashMap<&str, &str> = HashMap::new();
        for a in &raw.area {
            for p in &a.against {
                if !is_clean(p) {
                    return bad(format!(
                        "area '{}': 'against' phrase '{p}' must be lower case and trimmed",
                        a.slug
                    ));
                }
                if let Some(area) = phrase_area.get(p.as_str()) {
                    return bad(format!(
                        "'{p}' is an 'against' phrase of '{}' and a cue in '{area}'",
                        a.slug
                    ));
                }
                if let Some(other) = against.insert(p, &a.slug) {
                    return bad(format!(
                        "'{p}' is an 'against' phrase of both '{other}' and '{}'",
                        a.slug
                    ));
                }
            }
        }
        let mut grouped: HashSet<&str> = HashSet::new();
        for group in &raw.same {
            if group.len() < 2 {
                return bad(format!("'same' group {group:?} needs two phrases or more"));
            }
            let mut first = None;
            for p in group {
                let Some(&area) = phrase_area.get(p.as_str()) else {
                    return bad(format!("'same' group {group:?}: '{p}' is not a cue"));
                };
                let first = *first.get_or_insert(area);
                if area != first {
                    return bad(format!(
                        "'same' group {group:?} mixes the areas '{first}' and '{area}'"
                    ));
                }
                if !grouped.insert(p) {
                    return bad(format!("'{p}' is named twice in the 'same' groups"));
                }
            }
        }
        for w in &raw.passing {
            if against.contains_key(w.as_str()) {
                return bad(format!("'{w}' is a passing word and an 'against' phrase"));
            }
            if w.is_empty() || w.contains(' ') || *w != w.to_lowercase() {
                return bad(format!("passing word '{w}' must be one lower-case word"));
            }
            if let Some(area) = phrase_area.get(w.as_str()) {
                return bad(format!("'{w}' is a passing word and a cue in '{area}'"));
            }
        }
        // An exclusion that is also a cue would be the same phrase twice in
        // the classifier's index, and only one of them could ever match.
        for a in &raw.area {
            for x in &a.exclude {
                if against.contains_key(x.phrase.as_str()) {
                    return bad(format!(
                        "'{}' is an exclusion in '{}' and an 'against' phrase",
                        x.phrase, a.slug
                    ));
                }
                if let Some(area) = phrase_area.get(x.phrase.as_str()) {
                    return bad(format!(
                        "'{}' is an exclusion in '{}' and a cue in '{area}'",
                        x.phrase, a.slug
                    ));
                }
            }
            for t in &a.topics {
                let ok =
                    t.len() > 1 && t.starts_with('T') && t[1..].bytes().all(|b| b.is_ascii_digit());
                if !ok {
                    return bad(format!(
                        "area '{}': '{t}' is not an OpenAlex topic id like T10020",
                        a.slug
                    ));
                }
                if let Some(other) = topic_area.insert(t, &a.slug) {
                    return bad(format!(
                        "topic {t} is mapped to both '{other}' and '{}'",
                        a.slug
                    ));
                }
            }
        }
        let exclusions: HashSet<&str> = raw
            .area
            .iter()
            .flat_map(|a| a.exclude.iter().map(|x| x.phrase.as_str()))
            .collect();
        let mut signals: HashSet<&str> = HashSet::new();
        for w in &raw.context.signals {
            if !is_clean(w) {
                return bad(format!(
                    "context signal '{w}' must be lower case and trimmed"
                ));
            }
            if let Some(area) = phrase_area.get(w.as_str()) {
                return bad(format!("'{w}' is a context signal and a cue in '{area}'"));
            }
            if against.contains_key(w.as_str())
                || exclusions.contains(w.as_str())
                || raw.passing.contains(w)
            {
                return bad(format!(
                    "'{w}' is a context signal and an exclusion, 'against' or passing word"
                ));
            }
            if !signals.insert(w) {
                return bad(format!("context signal '{w}' is listed twice"));
            }
        }
        if let Some(x) = raw
            .context
            .spare
            .iter()
            .find(|x| !AREA_SLUGS.contains(&x.as_str()))
        {
            return bad(format!("context spares '{x}', which is not an area"));
        }
        let mut spelled: HashSet<&str> = HashSet::new();
        for pair in &raw.spelling {
            for w in pair {
                if w.is_empty() || w.contains(' ') || *w != w.to_lowercase() {
                    return bad(format!("spelling '{w}' must be one lower-case word"));
                }
                if !spelled.insert(w) {
                    return bad(format!("spelling '{w}' is listed twice"));
                }
            }
        }
        if raw.context.fields.iter().any(|f| f.trim().is_empty()) {
            return bad("context fields must be OpenAlex field names, not empty".into());
        }
        for a in &raw.area {
            for d in &a.defer {
                let target = raw.area.iter().find(|b| b.slug == d.area);
                let Some(target) = target.filter(|b| b.slug != a.slug) else {
                    return bad(format!(
                        "area '{}': defers to '{}', which is not another area",
                        a.slug, d.area
                    ));
                };
                if !target.technologies.iter().any(|t| t.name == d.technology) {
                    return bad(format!(
                        "area '{}': defers to '{}' technology '{}', which that area does not list",
                        a.slug, d.area, d.technology
                    ));
                }
                if d.why.trim().is_empty() {
                    return bad(format!(
                        "area '{}': a deferral to '{}' needs a reason",
                        a.slug, d.area
                    ));
                }
            }
        }
        let hash = Sha256::digest(text.as_bytes())
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            version: raw.version,
            source: raw.source,
            passing: raw.passing,
            same: raw.same,
            context: raw.context,
            spellings: raw.spelling,
            areas: raw.area,
            hash,
        })
    }

    /// Content hash of the taxonomy text (16 hex digits), for run headers.
    pub fn hash(&self) -> &str {
        &self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_taxonomy_is_valid_and_complete() {
        let t = Taxonomy::bundled().expect("bundled taxonomy validates");
        assert_eq!(t.areas.len(), 10);
        assert_eq!(t.areas.iter().filter(|a| a.priority).count(), 4);
        let technologies: usize = t.areas.iter().map(|a| a.technologies.len()).sum();
        assert!(technologies >= 40, "{technologies} technologies");
        assert!(t.areas.iter().all(|a| !a.topics.is_empty()));
        assert_eq!(t.hash().len(), 16);
    }

    #[test]
    fn a_phrase_in_two_areas_is_rejected() {
        let text = BUNDLED.replacen("\"qubit\",", "\"qubit\", \"drone\",", 1);
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(
            err.contains("phrase 'drone' is a cue in both 'quantum' and 'robotics'"),
            "{err}"
        );
    }

    #[test]
    fn upper_case_phrases_and_bad_topic_ids_are_rejected() {
        let err = Taxonomy::parse(&BUNDLED.replacen("\"qubit\",", "\"Qubit\",", 1)).unwrap_err();
        assert!(err.to_string().contains("must be lower case"), "{err}");
        let err = Taxonomy::parse(&BUNDLED.replacen("\"T10020\"", "\"10020\"", 1)).unwrap_err();
        assert!(
            err.to_string().contains("not an OpenAlex topic id"),
            "{err}"
        );
    }

    #[test]
    fn the_quantum_exclusions_cover_the_classic_false_cues() {
        let t = Taxonomy::bundled().unwrap();
        let q = t.areas.iter().find(|a| a.slug == "quantum").unwrap();
        for cue in ["quantum yield", "quantum chemistry", "quantum field theory"] {
            assert!(q.exclude.iter().any(|x| x.phrase == cue), "{cue}");
        }
        // A quantum dot is a nanomaterial: a materials cue, which consumes
        // the text so the weak "quantum" inside it does not count.
        let m = t.areas.iter().find(|a| a.slug == "materials").unwrap();
        assert!(m
            .technologies
            .iter()
            .any(|x| x.cues().any(|(p, _)| p == "quantum dot")));
    }

    #[test]
    fn a_same_group_must_name_cues_of_one_area_once() {
        let with = |group: &str| BUNDLED.replacen("same = [", &format!("same = [\n  {group},"), 1);
        let err = Taxonomy::parse(&with(r#"["qubit", "kubit"]"#)).unwrap_err();
        assert!(err.to_string().contains("'kubit' is not a cue"), "{err}");
        let err = Taxonomy::parse(&with(r#"["qubit", "drone"]"#)).unwrap_err();
        assert!(
            err.to_string()
                .contains("mixes the areas 'quantum' and 'robotics'"),
            "{err}"
        );
        let err = Taxonomy::parse(&with(r#"["qkd", "qubit"]"#)).unwrap_err();
        assert!(err.to_string().contains("'qkd' is named twice"), "{err}");
        let err = Taxonomy::parse(&with(r#"["qubit"]"#)).unwrap_err();
        assert!(err.to_string().contains("needs two phrases"), "{err}");
    }

    #[test]
    fn an_exclusion_that_is_also_a_cue_is_rejected() {
        let text = BUNDLED.replacen("{ phrase = \"quantum yield\"", "{ phrase = \"qubit\"", 1);
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(err.contains("'qubit' is an exclusion"), "{err}");
    }

    #[test]
    fn a_passing_word_or_against_phrase_that_is_a_cue_is_rejected() {
        let text = BUNDLED.replacen("\"useful\",", "\"qubit\",", 1);
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(err.contains("'qubit' is a passing word"), "{err}");
        let text = BUNDLED.replacen("\"cosmology\",", "\"qubit\",", 1);
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(err.contains("'qubit' is an 'against' phrase"), "{err}");
        let text = BUNDLED.replacen("\"cosmology\",", "\"quantum gravity\",", 1);
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(
            err.contains("an exclusion in 'quantum' and an 'against' phrase"),
            "{err}"
        );
    }

    #[test]
    fn issue_17_context_and_deferrals_are_validated() {
        let text = BUNDLED.replacen("\"patients\",", "\"qubit\",", 1);
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(
            err.contains("'qubit' is a context signal and a cue"),
            "{err}"
        );
        let text = BUNDLED.replacen("spare = [\"biotech\"]", "spare = [\"biology\"]", 1);
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(err.contains("spares 'biology'"), "{err}");
        let text = BUNDLED.replacen(
            "technology = \"Net-zero technologies, including photovoltaics\"",
            "technology = \"Solar\"",
            1,
        );
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(err.contains("'energy' technology 'Solar'"), "{err}");
        let text = BUNDLED.replacen("[\"center\", \"centre\"]", "[\"center\", \"fibre\"]", 1);
        let err = Taxonomy::parse(&text).unwrap_err().to_string();
        assert!(err.contains("spelling 'fibre' is listed twice"), "{err}");
        let t = Taxonomy::bundled().unwrap();
        assert!(
            t.areas.iter().all(|a| !a.scope.is_empty()),
            "every area states its Annex scope"
        );
    }
}
