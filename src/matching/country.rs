//! Country evidence in an affiliation, from a gazetteer in data files:
//! every ISO 3166-1 country with its English, variant and native-script names
//! (`data/places/countries.csv`) and research places mapped to countries
//! (`data/places/cities.csv`, from ROR). Used to reject a listed name that
//! appears with another country ("Southeast University, Dhaka 1208,
//! Bangladesh") and to require positive evidence for names shared abroad.
//!
//! Rules: a country name counts wherever it stands; a city or region counts
//! only where it ends its segment, digits (postcodes) aside ("Harbin
//! 150001", "430074 Wuhan", "Haidian District, Beijing"), and not inside a
//! name the matcher found ("*Naval* Medical University" is not in Naval,
//! Philippines), so a place word inside an institution's name does not
//! place it; a place name that the gazetteer gives to two countries counts
//! for the one whose reading dominates in ROR ("Moscow": Russia 213
//! organisations, Idaho 3; "London": GB 685, Ontario 27), else for neither
//! ("Cambridge": GB 94, US 90); a name that is also a country's name is the
//! country.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::normalize::{normalize_name, Normalized, SEGMENT_SEP};

const COUNTRIES_CSV: &str = include_str!("../../data/places/countries.csv");
const CITIES_CSV: &str = include_str!("../../data/places/cities.csv");

/// A city name this short, with few research organisations, is more often a
/// syllable of another word ("Ho", "Yao") than a place: not evidence.
const SHORT_CITY: usize = 3;
/// Organisations (in ROR) that make a short city name count.
const SHORT_CITY_MIN_ORGS: u32 = 5;

/// One row of `data/places/countries.csv`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct CountryRow {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    /// ISO 3166-1 alpha-3.
    pub alpha3: String,
    /// A name of the country.
    pub name: String,
    /// `short`, `alternate`, `variant` or `native`.
    pub form: String,
    /// Language of a `native` name (ISO 639-1), else empty.
    pub lang: String,
    /// Where the name comes from.
    pub source: String,
}

/// One row of `data/places/cities.csv`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct CityRow {
    /// The place's name.
    pub name: String,
    /// ISO 3166-1 alpha-2 of its country.
    pub country: String,
    /// `city` or `region`.
    pub kind: String,
    /// Research organisations ROR places there (empty for hand-added rows).
    pub ror_organisations: String,
    /// `yes` when the name is given to places in two or more countries.
    pub ambiguous: String,
    /// Where the row comes from.
    pub source: String,
}

/// The bundled gazetteer's rows (parsed once; the tests validate them).
pub fn gazetteer() -> (Vec<CountryRow>, Vec<CityRow>) {
    fn rows<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Vec<T> {
        csv::Reader::from_reader(text.as_bytes())
            .deserialize()
            .enumerate()
            .map(|(i, r)| {
                r.unwrap_or_else(|e| panic!("bundled data/places/{what}: line {}: {e}", i + 2))
            })
            .collect()
    }
    (
        rows(COUNTRIES_CSV, "countries.csv"),
        rows(CITIES_CSV, "cities.csv"),
    )
}

/// A shared place name counts for one country when that country's reading
/// dominates: at least this many times the research organisations (in ROR)
/// of all the others together ("Moscow": 213 in Russia, 3 in Idaho)...
const DOMINANT_RATIO: u32 = 20;
/// ...and at least this many of its own (else none: a rare name shared by
/// two small towns says nothing).
const DOMINANT_MIN_ORGS: u32 = 50;

/// The countries a city name stands for: one, or the dominant reading of a
/// shared name, or all of them (then it counts for none).
fn dominant(codes: &[(&'static str, u32)]) -> Vec<&'static str> {
    let total: u32 = codes.iter().map(|&(_, n)| n).sum();
    match codes
        .iter()
        .max_by_key(|&&(c, n)| (n, std::cmp::Reverse(c)))
    {
        Some(&(code, n))
            if codes.len() > 1
                && n >= DOMINANT_MIN_ORGS
                && n >= DOMINANT_RATIO.saturating_mul(total - n) =>
        {
            vec![code]
        }
        _ => codes.iter().map(|&(c, _)| c).collect(),
    }
}

/// What one compiled place name says.
#[derive(Debug, Clone, Copy)]
struct Place {
    /// The country, or `None` for a name two countries share.
    code: Option<&'static str>,
    /// A city or region: counts only at an end of its segment.
    at_edge: bool,
}

static COMPILED: LazyLock<CountryIndex> = LazyLock::new(CountryIndex::compile);

/// Country codes interned for the process (`&'static str` evidence).
static CODES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let (countries, _) = gazetteer();
    let mut codes: Vec<String> = countries.into_iter().map(|r| r.code).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
});

fn intern(code: &str) -> Option<&'static str> {
    let codes: &'static [String] = &CODES;
    codes
        .binary_search_by(|c| c.as_str().cmp(code))
        .ok()
        .map(|i| codes[i].as_str())
}

/// Finds country evidence per chunk in a normalised string.
#[derive(Debug, Clone)]
pub struct CountryIndex {
    /// Normalised place name (one to [`CountryIndex::max_words`] tokens, as
    /// in [`Normalized::text`]) -> what it says. A hash of token runs, not an
    /// automaton: building a DFA over ten thousand names tripled start-up.
    places: std::sync::Arc<FxHashMap<Box<str>, Place>>,
    /// Most tokens in a Latin-script place name.
    max_words: usize,
    /// Most characters in a CJK place name (looked up inside CJK runs).
    max_cjk_chars: usize,
}

impl CountryIndex {
    /// The country evidence that applies to a name found in segment `seg`:
    /// affiliations read "institution, city, country", so the nearest segment
    /// at or after `seg` (in the same affiliation) that names a country wins;
    /// failing that, the nearest one before it.
    pub fn scope(
        norm: &Normalized,
        evidence: &[(u32, &'static str)],
        seg: usize,
        out: &mut Vec<&'static str>,
    ) {
        out.clear();
        let chunk = norm.segments[seg].chunk;
        let in_chunk = |s: u32| norm.segments[s as usize].chunk == chunk;
        // `evidence` is in text order, so sorted by segment: two binary
        // searches, not a scan per candidate (linear time, issue 21 case 8).
        let at = evidence.partition_point(|(s, _)| (*s as usize) < seg);
        let pick = match evidence.get(at) {
            Some(&(s, _)) if in_chunk(s) => Some(s),
            _ => at
                .checked_sub(1)
                .map(|i| evidence[i].0)
                .filter(|&s| in_chunk(s)),
        };
        if let Some(p) = pick {
            let from = evidence.partition_point(|(s, _)| *s < p);
            for (s, code) in &evidence[from..] {
                if *s != p {
                    break;
                }
                if !out.contains(code) {
                    out.push(code);
                }
            }
        }
    }

    /// The compiled gazetteer (built once per process).
    pub fn new() -> Self {
        COMPILED.clone()
    }

    fn compile() -> Self {
        let (countries, cities) = gazetteer();
        let mut keys: std::collections::BTreeMap<String, (Vec<&'static str>, bool)> =
            std::collections::BTreeMap::new();
        for r in &countries {
            let key = normalize_name(&r.name);
            let Some(code) = intern(&r.code) else {
                continue;
            };
            if key.is_empty() {
                continue;
            }
            let (codes, _) = keys.entry(key).or_insert_with(|| (Vec::new(), false));
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        // Place name -> (country, research organisations ROR places there).
        let mut city_keys: std::collections::BTreeMap<String, Vec<(&'static str, u32)>> =
            std::collections::BTreeMap::new();
        for r in &cities {
            let key = normalize_name(&r.name);
            let orgs: u32 = r.ror_organisations.parse().unwrap_or(0);
            let short =
                key.chars().count() <= SHORT_CITY && !key.chars().any(super::normalize::is_cjk);
            if key.is_empty() || keys.contains_key(&key) || (short && orgs < SHORT_CITY_MIN_ORGS) {
                continue;
            }
            let Some(code) = intern(&r.country) else {
                continue;
            };
            let codes = city_keys.entry(key).or_default();
            match codes.iter_mut().find(|(c, _)| *c == code) {
                Some((_, n)) => *n += orgs,
                None => codes.push((code, orgs)),
            }
        }
        let mut places: FxHashMap<Box<str>, Place> = FxHashMap::default();
        let (mut max_words, mut max_cjk_chars) = (1, 1);
        let all = keys
            .into_iter()
            .map(|(k, (codes, _))| (k, codes, false))
            .chain(
                city_keys
                    .into_iter()
                    .map(|(k, codes)| (k, dominant(&codes), true)),
            );
        for (key, codes, at_edge) in all {
            if key.chars().any(super::normalize::is_cjk) {
                max_cjk_chars = max_cjk_chars.max(key.chars().count());
            } else {
                max_words = max_words.max(key.split([' ', SEGMENT_SEP]).count());
            }
            places.insert(
                key.into_boxed_str(),
                Place {
                    code: (codes.len() == 1).then(|| codes[0]),
                    at_edge,
                },
            );
        }
        Self {
            places: std::sync::Arc::new(places),
            max_words,
            max_cjk_chars,
        }
    }

    /// Whether a normalised word is a place name (a country, region or
    /// research city).
    pub fn is_place(&self, word: &str) -> bool {
        self.places.contains_key(word)
    }

    /// Country codes seen, as (segment, code) pairs in text order. `names`
    /// are the token spans of names found (sorted by first token): a city
    /// inside one is not evidence.
    pub fn evidence(
        &self,
        norm: &Normalized,
        names: &[super::trie::TokenMatch],
        out: &mut Vec<(u32, &'static str)>,
    ) {
        out.clear();
        let toks = &norm.tokens;
        let mut i = 0;
        while i < toks.len() {
            let chunk = norm.segments[toks[i].seg as usize].chunk;
            // The longest place name starting at token `i` (leftmost-longest:
            // "Republic of China" before "China").
            let mut found = None;
            let most = self.max_words.min(toks.len() - i);
            for n in (1..=most).rev() {
                let last = i + n - 1;
                if norm.segments[toks[last].seg as usize].chunk != chunk {
                    continue;
                }
                let key = &norm.text[toks[i].start as usize..toks[last].end as usize];
                if let Some(p) = self.places.get(key) {
                    found = Some((*p, last));
                    break;
                }
            }
            let Some((place, last)) = found else {
                if norm.has_cjk {
                    self.cjk_places(norm, i, out);
                }
                i += 1;
                continue;
            };
            if let Some(code) = place.code {
                let k = names.partition_point(|m| m.first <= i);
                // (A name whose comma form ends in its city, "Tsinghua
                // University, Beijing", leaves the city a place.)
                // A name that is the place itself and nothing more (a
                // compound rule's place part, "Beijing") leaves it a place.
                let inside = k > 0
                    && names[k - 1].last >= i
                    && toks[names[k - 1].first].seg == toks[i].seg
                    && !(names[k - 1].first == i && names[k - 1].last == last);
                if !place.at_edge || (!inside && ends_segment(norm, i, last)) {
                    out.push((toks[i].seg, code));
                }
            }
            i = last + 1;
        }
    }

    /// Place names inside a run of CJK script (a run is one token:
    /// "北京市海淀区"): every substring of two to `max_cjk_chars` characters
    /// is looked up, so the work is linear in the run's length.
    fn cjk_places(&self, norm: &Normalized, tok: usize, out: &mut Vec<(u32, &'static str)>) {
        let t = &norm.tokens[tok];
        let word = norm.token_text(t);
        if !word.chars().any(super::normalize::is_cjk) {
            return;
        }
        let starts: Vec<usize> = word.char_indices().map(|(b, _)| b).collect();
        let mut a = 0;
        while a < starts.len() {
            let mut next = a + 1;
            for n in (2..=self.max_cjk_chars.min(starts.len() - a)).rev() {
                let end = starts.get(a + n).copied().unwrap_or(word.len());
                if let Some(p) = self.places.get(&word[starts[a]..end]) {
                    if let Some(code) = p.code {
                        out.push((t.seg, code));
                    }
                    next = a + n;
                    break;
                }
            }
            a = next;
        }
    }
}

impl Default for CountryIndex {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether tokens `first..=last` end their segment, digits aside ("Harbin
/// 150001", "430074 Wuhan"), or sit in a run of CJK script.
fn ends_segment(norm: &Normalized, first: usize, last: usize) -> bool {
    let seg = norm.tokens[first].seg as usize;
    let seg_end = norm
        .segments
        .get(seg + 1)
        .map_or(norm.tokens.len(), |s| s.first_token as usize);
    // Bounded: a postcode is a word or two, and a huge segment stays linear.
    let rest = &norm.tokens[last + 1..seg_end];
    let ends = rest.len() <= 2
        && rest
            .iter()
            .all(|t| norm.token_text(t).bytes().all(|b| b.is_ascii_digit()));
    let cjk = norm
        .token_text(&norm.tokens[first])
        .chars()
        .any(super::normalize::is_cjk);
    ends || cjk
}

/// Whether `text[start..end]` starts and ends on a token boundary (CJK
/// characters are their own boundaries).
pub fn word_bounded(text: &[u8], start: usize, end: usize) -> bool {
    let before_ok =
        start == 0 || matches!(text[start - 1], b' ' | b'|') || cjk_edge(text, start, true);
    let after_ok =
        end >= text.len() || matches!(text[end], b' ' | b'|') || cjk_edge(text, end, false);
    before_ok && after_ok
}

/// At a boundary between two characters where either side is CJK. Reads at
/// most four bytes on each side: validating the whole prefix here made
/// matching quadratic in the length of the string (issue 21, case 8).
fn cjk_edge(text: &[u8], at: usize, _is_start: bool) -> bool {
    // Character ending just before `at`: back up to its first byte.
    let mut from = at;
    while from > 0 && at - from < 4 {
        from -= 1;
        if text[from] & 0xC0 != 0x80 {
            break;
        }
    }
    let before = std::str::from_utf8(&text[from..at])
        .ok()
        .and_then(|s| s.chars().next_back());
    // Character starting at `at`.
    let after = (1..=4)
        .filter_map(|len| text.get(at..at + len))
        .find_map(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.chars().next());
    before.is_some_and(super::normalize::is_cjk) || after.is_some_and(super::normalize::is_cjk)
}

// The separator must be a single ASCII byte for `word_bounded`.
const _: () = assert!(SEGMENT_SEP.is_ascii());

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<&'static str> {
        let idx = CountryIndex::new();
        let mut n = Normalized::default();
        n.run(s);
        let mut out = Vec::new();
        idx.evidence(&n, &[], &mut out);
        out.into_iter().map(|(_, c)| c).collect()
    }

    #[test]
    fn forms_of_china_taiwan_and_usa() {
        assert_eq!(codes("Harbin 150001, Peoples R China"), ["CN", "CN"]);
        assert_eq!(
            codes("Taoyuan, Taiwan, Republic of China"),
            ["TW", "TW", "TW"]
        );
        assert_eq!(
            codes("Beijing 100871, People's Republic of China"),
            ["CN", "CN"]
        );
        // "Washington" is a place in the US and in GB: no evidence of its own.
        assert_eq!(codes("Washington, DC 20319, USA"), ["US", "US"]);
        assert_eq!(codes("Evanston, IL"), ["US"]);
    }

    #[test]
    fn issue_16_places_come_from_the_gazetteer() {
        // Bangladesh was missing from the hand table.
        assert_eq!(
            codes("Southeast University, Dhaka 1208, Bangladesh"),
            ["BD", "BD"]
        );
        // A postcode before the city.
        assert_eq!(codes("Sch Phys, 430074 Wuhan"), ["CN"]);
        // Native scripts (the city too: hand-added Russian and Persian names).
        assert_eq!(codes("Москва, Россия"), ["RU", "RU"]);
        assert_eq!(codes("تهران، ایران"), ["IR", "IR"]);
        assert_eq!(codes("ИППИ РАН, Москва"), ["RU"]);
        assert_eq!(codes("國立清華大學, 新竹, 臺灣"), ["TW", "TW"]);
        // A city two countries share is evidence for neither, unless one
        // reading dominates (below).
        assert!(codes("Dept Chem, Cambridge").is_empty());
        // A city word inside a name is not a place.
        assert!(codes("Naval Medical University").is_empty());
    }

    #[test]
    fn issue_16_a_shared_city_counts_for_its_dominant_reading() {
        // Moscow: 213 research organisations in Russia, 3 in Idaho.
        assert_eq!(codes("Dept Phys, Moscow"), ["RU"]);
        assert_eq!(codes("Dept Chem, London"), ["GB"]);
        // The country named beside it still speaks for itself.
        assert!(codes("Univ Idaho, Moscow, ID 83844, USA").contains(&"US"));
        assert_eq!(dominant(&[("GB", 94), ("US", 90), ("CA", 2)]).len(), 3);
        assert_eq!(dominant(&[("RU", 213), ("US", 3)]), ["RU"]);
        // Too few organisations to tell.
        assert_eq!(dominant(&[("XX", 40), ("YY", 1)]).len(), 2);
    }

    #[test]
    fn issue_16_a_garbled_apostrophe_keeps_china_china() {
        for s in [
            "Xidian University, People\u{bf}s Republic of China",
            "Xidian University, People\u{fffd}s Republic of China",
            "Xidian University, People\u{e2}\u{20ac}\u{2122}s Republic of China",
            "Xidian University, People's Republic of China",
        ] {
            assert_eq!(codes(s), ["CN"], "{s}");
        }
        assert_eq!(codes("Taipei, Republic of China"), ["TW", "TW"]);
    }

    #[test]
    fn the_gazetteer_files_are_well_formed() {
        let (countries, cities) = gazetteer();
        let code2 = |c: &str| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase());
        let mut shorts = std::collections::BTreeSet::new();
        let mut by_name: std::collections::HashMap<String, std::collections::BTreeSet<&str>> =
            Default::default();
        for (i, r) in countries.iter().enumerate() {
            let at = format!("countries.csv line {}", i + 2);
            assert!(code2(&r.code), "{at}: code '{}'", r.code);
            assert!(
                r.alpha3.len() == 3 && r.alpha3.bytes().all(|b| b.is_ascii_uppercase()),
                "{at}: alpha3"
            );
            assert!(
                ["short", "alternate", "variant", "native"].contains(&r.form.as_str()),
                "{at}: form '{}'",
                r.form
            );
            assert!(!r.name.trim().is_empty() && !r.source.is_empty(), "{at}");
            assert!(
                r.form != "native" || !r.lang.is_empty(),
                "{at}: a native name needs its lang"
            );
            if r.form == "short" {
                shorts.insert(r.code.clone());
            }
            by_name
                .entry(normalize_name(&r.name))
                .or_default()
                .insert(&r.code);
        }
        // Every ISO 3166-1 country (249 codes, plus Kosovo's user-assigned
        // XK) has its English short name.
        assert_eq!(shorts.len(), 250);
        assert!(shorts.contains("XK") && shorts.contains("BD") && shorts.contains("TW"));
        let keys: Vec<(&str, &str, &str, &str)> = countries
            .iter()
            .map(|r| {
                (
                    r.code.as_str(),
                    r.name.as_str(),
                    r.form.as_str(),
                    r.lang.as_str(),
                )
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "countries.csv is sorted and has no duplicate"
        );
        let shared: Vec<_> = by_name.iter().filter(|(_, c)| c.len() > 1).collect();
        assert!(
            shared.len() <= 5,
            "country names given to two countries: {shared:?}"
        );
        let mut city_codes: std::collections::HashMap<String, std::collections::BTreeSet<&str>> =
            Default::default();
        for (i, r) in cities.iter().enumerate() {
            let at = format!("cities.csv line {}", i + 2);
            assert!(code2(&r.country), "{at}: country '{}'", r.country);
            assert!(
                shorts.contains(&r.country),
                "{at}: unknown country '{}'",
                r.country
            );
            assert!(["city", "region"].contains(&r.kind.as_str()), "{at}: kind");
            assert!(
                r.ror_organisations.is_empty() || r.ror_organisations.parse::<u32>().is_ok(),
                "{at}"
            );
            assert!(!r.name.trim().is_empty() && !r.source.is_empty(), "{at}");
            city_codes
                .entry(r.name.to_lowercase())
                .or_default()
                .insert(&r.country);
        }
        for (i, r) in cities.iter().enumerate() {
            let shared = city_codes[&r.name.to_lowercase()].len() > 1;
            assert_eq!(
                r.ambiguous == "yes",
                shared,
                "cities.csv line {}: '{}' in {:?} must be marked ambiguous exactly when two countries share it",
                i + 2,
                r.name,
                city_codes[&r.name.to_lowercase()]
            );
        }
        let keys: Vec<(String, &str, &str)> = cities
            .iter()
            .map(|r| (r.name.to_lowercase(), r.name.as_str(), r.country.as_str()))
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "cities.csv is sorted and has no duplicate"
        );
    }

    #[test]
    fn words_inside_other_words_do_not_count() {
        assert!(codes("Chinatown Clinic").is_empty());
        assert!(codes("Department of Business").is_empty());
    }
}
