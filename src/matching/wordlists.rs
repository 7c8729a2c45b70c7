//! The word tables of the normaliser and the matcher, from `data/words/`:
//! canonical forms of words and abbreviations (`canonical.csv`: Web of
//! Science abbreviations, spelling variants, stop words and the linkers
//! "of"/"and"), the spelled-out form of each canonical token and whether it
//! heads an institution's name (`tokens.csv`), compass words
//! (`compass.csv`), words with a role in the matcher's rules
//! (`roles.csv`), and the legal forms and phrases that make variants of a
//! listed name (`name-variants.csv`). Parsed once; the tests validate the
//! files.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::normalize::Linker;

const CANONICAL_CSV: &str = include_str!("../../data/words/canonical.csv");
const TOKENS_CSV: &str = include_str!("../../data/words/tokens.csv");
const COMPASS_CSV: &str = include_str!("../../data/words/compass.csv");
const ROLES_CSV: &str = include_str!("../../data/words/roles.csv");
const VARIANTS_CSV: &str = include_str!("../../data/words/name-variants.csv");
const RU_EN_CSV: &str = include_str!("../../data/words/ru-en.csv");

/// Legal-form prefixes and (long, short) phrase pairs, lower case, longest
/// first.
/// Legal-form prefixes (longest first), and the (long, short) phrase pairs
/// in priority order (longest long form first) with one automaton over all
/// their forms: pattern `2i` is pair `i`'s long form, `2i + 1` its short one.
/// Compiled once: every listed name is looked up at start-up, and a
/// substring search per phrase and name cost a fifth of it.
struct Variants {
    prefixes: Vec<String>,
    phrases: Vec<(String, String)>,
    /// Words Web of Science abbreviates to a letter ("South" -> "S"):
    /// every one of them in a name at once, one more variant.
    words: Vec<(String, String)>,
    /// Where a name's parent starts ("siberian branch", "russian academy of
    /// sciences", "ras"), and the parent's key ("ras").
    parents: Vec<(String, String)>,
    /// What introduces the person an institution is named after ("named
    /// after", "n.a.", "im."), longest first.
    eponyms: Vec<String>,
    /// Titles before that person's name ("academicians"): no part of it.
    titles: Vec<String>,
    /// A regional branch of an academy ("siberian branch", "sb ras"): a
    /// name that holds one may stand without its founder.
    branches: Vec<String>,
    forms: aho_corasick::AhoCorasick,
}

static VARIANTS: LazyLock<Variants> = LazyLock::new(|| {
    let (mut prefixes, mut phrases, mut words, mut parents) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut eponyms, mut titles, mut branches) = (Vec::new(), Vec::new(), Vec::new());
    for (line, f) in rows(VARIANTS_CSV, "name-variants.csv", 3) {
        match f[0] {
            "prefix" => prefixes.push(f[1].to_lowercase()),
            "phrase" => phrases.push((f[1].to_lowercase(), f[2].to_lowercase())),
            "word" => words.push((f[1].to_lowercase(), f[2].to_lowercase())),
            "parent" => parents.push((f[1].to_lowercase(), f[2].to_lowercase())),
            "eponym" => eponyms.push(f[1].to_lowercase()),
            "title" => titles.push(f[1].to_lowercase()),
            "branch" => branches.push(f[1].to_lowercase()),
            other => panic!("bundled data/words/name-variants.csv: line {line}: kind {other:?}"),
        }
    }
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
    eponyms.sort_by_key(|p| std::cmp::Reverse(p.len()));
    phrases.sort_by_key(|p: &(String, String)| std::cmp::Reverse(p.0.len()));
    let forms = aho_corasick::AhoCorasick::new(
        phrases
            .iter()
            .flat_map(|(long, short)| [long.as_str(), short.as_str()]),
    )
    .expect("a few short phrases compile");
    Variants {
        prefixes,
        phrases,
        words,
        parents,
        eponyms,
        titles,
        branches,
        forms,
    }
});

/// Whether `hay[at..end]` stands as whole words.
fn whole_words(hay: &str, at: usize, end: usize) -> bool {
    hay[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
        && hay[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Other ways records write a listed name (lower case): without its legal
/// form ("Federal State Budgetary Institution of Science ...", "ФГУП"), with
/// one standard phrase shortened or spelled out ("of the Russian Academy of
/// Sciences" / "RAS", "СО РАН"), and with the words Web of Science shortens
/// to a letter shortened ("Central South University" / "central s
/// university"). The name itself is not among them.
pub fn name_variants(name: &str) -> Vec<String> {
    let v = &*VARIANTS;
    let lower = name.to_lowercase();
    let mut bases = vec![lower.clone()];
    // The name without the acronyms it carries in brackets is a base too.
    for form in
        std::iter::once(lower.clone()).chain(without_acronyms(name).map(|n| n.to_lowercase()))
    {
        if !bases.contains(&form) {
            bases.push(form.clone());
        }
        // Legal forms nest ("ФГБУН «Федеральный исследовательский центр
        // «Институт ...»»"): stripped one after the other, each result a base.
        let mut rest = form.as_str();
        while let Some(p) = v
            .prefixes
            .iter()
            .find(|p| rest.starts_with(p.as_str()) && whole_words(rest, 0, p.len()))
        {
            rest = rest[p.len()..].trim_start_matches(|c: char| !c.is_alphanumeric());
            if rest.is_empty() {
                break;
            }
            bases.push(rest.to_owned());
        }
    }
    // How English-language records write a Russian institute's formal name:
    // with the person it is named after first ("Institute of Bioorganic
    // Chemistry named after M.M. Shemyakin and Yu.A. Ovchinnikov" ->
    // "Shemyakin Ovchinnikov Institute of Bioorganic Chemistry"), and
    // without initials ("A.A. Kharkevich Institute" -> "Kharkevich
    // Institute"). Each applies to every base so far, in that order.
    for step in [eponym_first, without_initials] {
        for i in 0..bases.len() {
            for f in step(&bases[i], v) {
                if !f.is_empty() && !bases.contains(&f) {
                    bases.push(f);
                }
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut first: Vec<Option<usize>> = Vec::new();
    for b in &bases {
        if *b != lower && !out.contains(b) {
            out.push(b.clone());
        }
        // Where each form first stands as whole words.
        first.clear();
        first.resize(2 * v.phrases.len(), None);
        for m in v.forms.find_overlapping_iter(b.as_str()) {
            if whole_words(b, m.start(), m.end()) {
                let slot = &mut first[m.pattern().as_usize()];
                *slot = Some(slot.map_or(m.start(), |s| s.min(m.start())));
            }
        }
        // The first pair (in priority order) that stands: long to short,
        // else short to long.
        let swap = v.phrases.iter().enumerate().find_map(|(i, (long, short))| {
            let at = |k: usize| first[2 * i + k];
            at(0)
                .map(|a| (a, long, short))
                .or_else(|| at(1).map(|a| (a, short, long)))
        });
        if let Some((at, from, to)) = swap {
            let v = format!("{}{to}{}", &b[..at], &b[at + from.len()..]);
            // After a comma, also without it, in both forms: "Institute of
            // X, Siberian Branch of the Russian Academy of Sciences" is
            // written "Institute of X SB RAS" as often, and "Institute of X,
            // RAS" "Institute of X of the Russian Academy of Sciences".
            let joined = b[..at].strip_suffix(", ").into_iter().flat_map(|head| {
                [
                    format!("{head} {to}{}", &b[at + from.len()..]),
                    format!("{head} {from}{}", &b[at + from.len()..]),
                ]
            });
            for v in std::iter::once(v).chain(joined) {
                if v != lower && !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        for short in short_forms(b, &v.words) {
            if short != lower && !out.contains(&short) {
                out.push(short);
            }
        }
    }
    out
}

/// `name` without the acronyms it carries in brackets ("A.A. Kharkevich
/// Institute for Information Transmission Problems (IITP), Russian Academy
/// of Sciences (RAS)"), if it has any: one word, mostly capitals. Other
/// brackets are part of the name ("China University of Geosciences
/// (Wuhan)", "National (Shahid Beheshti) University").
fn without_acronyms(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    let mut cut = false;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open..].find(')') else {
            break;
        };
        let inner = &rest[open + 1..open + len];
        let upper = inner.chars().filter(|c| c.is_uppercase()).count();
        let lower = inner.chars().filter(|c| c.is_lowercase()).count();
        out.push_str(&rest[..open]);
        if upper >= 2 && upper >= lower && !inner.contains(char::is_whitespace) {
            cut = true;
        } else {
            out.push_str(&rest[open..=open + len]);
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    cut.then(|| tidy(&out))
}

/// Spaces collapsed, none before a comma or at the ends.
fn tidy(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
        .trim_matches(|c: char| c == ',' || c.is_whitespace())
        .to_owned()
}

/// Whether a word is a person's initials: Latin letters or transliterated
/// digraphs ("yu", "zh"), each with a full stop ("a.", "m.m.", "yu.a.").
fn is_initials(w: &str) -> bool {
    const DIGRAPHS: [&str; 9] = ["yu", "ya", "ye", "yo", "zh", "kh", "ch", "sh", "ts"];
    let Some(body) = w.strip_suffix('.') else {
        return false;
    };
    body.split('.').all(|p| {
        (p.len() == 1 && p.bytes().all(|b| b.is_ascii_lowercase())) || DIGRAPHS.contains(&p)
    })
}

/// `name` (Latin script) without the initials before a surname ("a.a.
/// kharkevich institute" -> "kharkevich institute"), if it has any.
fn without_initials(name: &str, _: &Variants) -> Vec<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let surname = |w: &str| w.chars().filter(|c| c.is_ascii_lowercase()).count() >= 3;
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|&(i, w)| !(is_initials(w) && words.get(i + 1).is_some_and(|n| surname(n))))
        .map(|(_, w)| *w)
        .collect();
    if kept.len() == words.len() {
        return Vec::new();
    }
    vec![tidy(&kept.join(" "))]
}

/// `name` with the person it is named after first: "institute of
/// bioorganic chemistry named after academicians m.m. shemyakin and yu.a.
/// ovchinnikov, russian academy of sciences" -> "shemyakin ovchinnikov
/// institute of bioorganic chemistry, russian academy of sciences". The
/// person runs to a comma, a bracket, "of" or the name's parent; their
/// surnames are the Latin words of three letters or more that are not
/// titles. Never without the person: "Institute of Applied Mathematics
/// named after M.V. Keldysh of the RAS" without Keldysh would also name
/// the academy's Far Eastern institute of that name.
fn eponym_first(name: &str, v: &Variants) -> Vec<String> {
    let Some((at, marker)) = v.eponyms.iter().find_map(|m| {
        name.match_indices(m.as_str())
            .find(|&(at, _)| at > 0 && whole_words(name, at, at + m.len()))
            .map(|(at, _)| (at, m))
    }) else {
        return Vec::new();
    };
    let core = name[..at].trim_end();
    let after = &name[at + marker.len()..];
    let mut end = after.find([',', '(']).unwrap_or(after.len());
    if let Some(i) = after[..end].find(" of ") {
        end = i;
    }
    for (marker, _) in &v.parents {
        if let Some(i) = after[..end]
            .match_indices(marker.as_str())
            .find(|&(i, _)| whole_words(after, i, i + marker.len()))
            .map(|(i, _)| i)
        {
            end = end.min(i);
        }
    }
    let person = &after[..end];
    let rest = &after[end..];
    let surnames: Vec<&str> = person
        .split([' ', '-', '\u{2013}'])
        .filter(|w| {
            w.len() >= 3
                && w.bytes().all(|b| b.is_ascii_lowercase())
                && !v.titles.iter().any(|t| t == w)
        })
        .collect();
    if core.is_empty() || surnames.is_empty() || !person.is_ascii() {
        return Vec::new();
    }
    vec![tidy(&format!("{} {core} {rest}", surnames.join(" ")))]
}

/// The people an entry is named after, as its names write them: a Latin
/// surname right after initials ("Institute of Semiconductor Physics IM
/// A.V. Rzhanov" -> "rzhanov"), lower case.
pub fn founders<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let lower = n.to_lowercase();
        let words: Vec<&str> = lower.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        for pair in words.windows(2) {
            let surname = pair[1].trim_end_matches(['.', ')']);
            if is_initials(pair[0])
                && surname.len() >= 4
                && surname.bytes().all(|b| b.is_ascii_lowercase())
                && !out.iter().any(|o| o == surname)
            {
                out.push(surname.to_owned());
            }
        }
    }
    out
}

/// `form` (lower case) without the founder it starts with, when it names a
/// regional branch of its academy: "rzhanov institute of semiconductor
/// physics of the siberian branch of the ras" -> "institute of
/// semiconductor physics of the siberian branch of the ras". A branch has
/// one institute of a name; the academy itself may have several ("Keldysh
/// Institute of Applied Mathematics" and the Far Eastern Branch's
/// Institute of Applied Mathematics), so a form without a branch keeps its
/// founder.
pub fn without_founder(form: &str, founders: &[String]) -> Option<String> {
    let v = &*VARIANTS;
    let (first, rest) = form.split_once(' ')?;
    let has_branch = v.branches.iter().any(|b| {
        rest.match_indices(b.as_str())
            .any(|(at, _)| whole_words(rest, at, at + b.len()))
    });
    (has_branch && founders.iter().any(|f| f == first) && rest.starts_with("institute"))
        .then(|| rest.to_owned())
}

/// The Russian-to-English table (`data/words/ru-en.csv`): letters
/// (transliteration), words (translation, lower case) and the words that
/// introduce a person (their surname follows in the genitive).
struct RuEn {
    letters: std::collections::HashMap<char, &'static str>,
    words: std::collections::HashMap<&'static str, &'static str>,
    eponyms: Vec<&'static str>,
}

static RU_EN: LazyLock<RuEn> = LazyLock::new(|| {
    let mut t = RuEn {
        letters: std::collections::HashMap::new(),
        words: std::collections::HashMap::new(),
        eponyms: Vec::new(),
    };
    for (line, f) in rows(RU_EN_CSV, "ru-en.csv", 3) {
        match f[0] {
            "letter" => {
                let mut c = f[1].chars();
                let (Some(l), None) = (c.next(), c.next()) else {
                    panic!("bundled data/words/ru-en.csv: line {line}: one letter");
                };
                t.letters.insert(l, f[2]);
            }
            "word" => {
                t.words.insert(f[1], f[2]);
            }
            "eponym" => t.eponyms.push(f[1]),
            other => panic!("bundled data/words/ru-en.csv: line {line}: kind {other:?}"),
        }
    }
    t
});

/// `word` (Cyrillic, lower case) in Latin letters, or `None` for a letter
/// the table lacks.
fn transliterated(word: &str, t: &RuEn) -> Option<String> {
    word.chars().map(|c| t.letters.get(&c).copied()).collect()
}

/// A surname in the genitive as Russian names carry it after "имени"
/// ("Валиева", "Лобачевского"), in the nominative: "valiev", "lobachevsky".
fn nominative(genitive: &str) -> String {
    if let Some(stem) = genitive.strip_suffix("skogo") {
        return format!("{stem}sky");
    }
    match genitive.strip_suffix('a') {
        Some(stem) if stem.ends_with(|c: char| !"aeiouy".contains(c)) => stem.to_owned(),
        _ => genitive.to_owned(),
    }
}

/// A Russian (Cyrillic) name read word for word in English
/// (`data/words/ru-en.csv`): "Физико-технологический институт имени К.А.
/// Валиева Российской академии наук" -> "physical technological institute
/// valiev russian academy of sciences". Word order stays Russian, so the
/// reading serves where order does not count (a listed name's words in
/// another order). Initials are dropped, a surname anywhere after "имени"
/// is put in the nominative ("имени Адмирала Флота ... Н. Г. Кузнецова"),
/// another capitalised word the table lacks is a proper name and
/// transliterated; a lower-case word it lacks makes no reading.
pub fn translated(name: &str) -> Option<String> {
    let t = &*RU_EN;
    if !name.chars().any(|c| {
        t.letters
            .contains_key(&c.to_lowercase().next().unwrap_or(c))
    }) {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut person = false;
    let mut translated_any = false;
    // Words, and whether a full stop ends each ("К." is an initial, "И"
    // between two words is "and").
    let pieces = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .flat_map(|w| w.split_inclusive('.'))
        .map(|w| {
            (
                w.trim_matches(|c: char| !c.is_alphanumeric()),
                w.ends_with('.'),
            )
        })
        .filter(|(w, _)| !w.is_empty());
    for (piece, dotted) in pieces {
        let lower = piece.to_lowercase();
        if t.eponyms.contains(&lower.as_str()) {
            person = true;
            continue;
        }
        let first_upper = piece.chars().next().is_some_and(char::is_uppercase);
        if dotted && first_upper && piece.chars().count() <= 2 {
            continue;
        }
        if let Some(english) = t.words.get(lower.as_str()) {
            if !english.is_empty() {
                out.push((*english).to_owned());
            }
            translated_any = true;
            continue;
        }
        if piece.chars().all(|c| c.is_ascii_digit()) {
            out.push(piece.to_owned());
            continue;
        }
        // An initial without its full stop ("А В Ржанова"), or a proper name.
        if piece.chars().count() <= 2 && first_upper {
            continue;
        }
        if !first_upper {
            return None;
        }
        let latin = transliterated(&lower, t)?;
        out.push(if person { nominative(&latin) } else { latin });
    }
    (translated_any && !out.is_empty()).then(|| out.join(" "))
}

/// `name` with the words of one group of `words` shortened (the compass
/// letters together: "South", "West"; "Technical" alone), one form per
/// group that applies, and with all of them shortened.
fn short_forms(name: &str, words: &[(String, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let groups = |(long, short): &(String, String)| (short.len() == 1, long.clone());
    let mut keys: Vec<(bool, String)> = words.iter().map(groups).collect();
    keys.sort();
    keys.dedup_by(|a, b| a.0 && b.0);
    for key in &keys {
        let group: Vec<(String, String)> = words
            .iter()
            .filter(|w| if key.0 { groups(w).0 } else { w.0 == key.1 })
            .cloned()
            .collect();
        let short = abbreviated(name, &group);
        if short != name && !out.contains(&short) {
            out.push(short);
        }
    }
    if out.len() > 1 {
        out.push(abbreviated(name, words));
    }
    out
}

/// A listed name without its parent ("Rzhanov Institute of Semiconductor
/// Physics of the Siberian Branch of the RAS" -> "rzhanov institute of
/// semiconductor physics"), cut where the first parent marker of
/// `data/words/name-variants.csv` (kind `parent`) stands as whole words, and
/// the parent's key ("ras"). Web of Science writes the parent first, as a
/// segment of its own ("Russian Acad Sci, Siberian Branch, Rzhanov Inst
/// Semicond Phys"). `None` when the head names a parent itself.
pub fn without_parent(name: &str) -> Option<(String, String)> {
    let v = &*VARIANTS;
    let lower = name.to_lowercase();
    let (at, key) = v
        .parents
        .iter()
        .filter_map(|(marker, key)| {
            lower
                .match_indices(marker.as_str())
                .find(|(at, _)| *at > 0 && whole_words(&lower, *at, at + marker.len()))
                .map(|(at, _)| (at, key))
        })
        .min_by_key(|&(at, _)| at)?;
    let mut head = lower[..at].trim_end_matches(|c: char| !c.is_alphanumeric());
    for tail in [" of the", " of", " the"] {
        if let Some(h) = head.strip_suffix(tail) {
            head = h.trim_end_matches(|c: char| !c.is_alphanumeric());
            break;
        }
    }
    let names_parent = v.parents.iter().any(|(marker, _)| {
        head.match_indices(marker.as_str())
            .any(|(at, _)| whole_words(head, at, at + marker.len()))
    });
    (!head.is_empty() && !names_parent).then(|| (head.to_owned(), key.clone()))
}

/// The forms a parent key stands for in text (`ras`: "RAS", "Russian
/// Academy of Sciences"): the key and the long forms of the phrase pairs
/// whose short form it is.
pub fn parent_forms(key: &str) -> Vec<String> {
    std::iter::once(key.to_owned())
        .chain(
            VARIANTS
                .phrases
                .iter()
                .filter(|(_, short)| short == key)
                .map(|(long, _)| long.clone()),
        )
        .collect()
}

/// `name` (lower case) with the words Web of Science shortens shortened
/// ("central s university"; see `short_forms`), if it has any.
pub fn with_short_words(name: &str) -> Vec<String> {
    short_forms(&name.to_lowercase(), &VARIANTS.words)
}

/// `name` with every whole word of `words` replaced by its short form.
fn abbreviated(name: &str, words: &[(String, String)]) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        match words.iter().find(|(long, _)| long == word) {
            Some((_, short)) => out.push_str(short),
            None => out.push_str(word),
        }
        let sep = after.find(char::is_alphanumeric).unwrap_or(after.len());
        out.push_str(&after[..sep]);
        rest = &after[sep..];
    }
    out
}

/// What a word (a canonical token) does in the matcher's rules
/// (`data/words/roles.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// After a listed name inside a known one, it marks a unit of the listed
    /// institution ("Nanjing University *Medical* School").
    Unit,
    /// So frequent in affiliations that it is a poor anchor where a name has
    /// another word ("china", "state", "key", compass words, big cities).
    Common,
    /// After "of", it names a parent, so the name before is complete
    /// ("... of the Russian Academy of Sciences", "... of CAS").
    Parent,
    /// With "lab" in another segment of the affiliation, that segment is a
    /// laboratory the institution hosts ("*State Key* Lab Robot & Syst",
    /// "Wuhan *National* Laboratory for Optoelectronics"): a part of it.
    KeyLab,
}

impl Role {
    fn bit(self) -> u8 {
        match self {
            Self::Unit => 1,
            Self::Common => 2,
            Self::Parent => 4,
            Self::KeyLab => 8,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "unit" => Some(Self::Unit),
            "common" => Some(Self::Common),
            "parent" => Some(Self::Parent),
            "keylab" => Some(Self::KeyLab),
            _ => None,
        }
    }
}

static ROLES: LazyLock<FxHashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut roles: FxHashMap<&str, u8> = FxHashMap::default();
    for (line, f) in rows(ROLES_CSV, "roles.csv", 2) {
        let role = Role::parse(f[1]).unwrap_or_else(|| {
            panic!("bundled data/words/roles.csv: line {line}: role {:?}", f[1])
        });
        *roles.entry(f[0]).or_default() |= role.bit();
    }
    roles
});

/// Whether canonical token `t` has `role` in the matcher's rules.
pub fn has_role(t: &str, role: Role) -> bool {
    ROLES.get(t).is_some_and(|&r| r & role.bit() != 0)
}

/// One row of `data/words/canonical.csv`: a word and what it becomes.
#[derive(Debug, Clone, Copy)]
pub(super) struct CanonRow {
    /// The word as text carries it (lower case).
    pub word: &'static str,
    /// Its canonical token(s), two joined by a space ("S&T" -> "sci tech");
    /// empty for a stop word.
    pub canon: &'static str,
    /// For a stop word: the linker it is ("of", "and"), if any.
    pub linker: Linker,
}

/// The rows of a bundled CSV file without its header, split on commas
/// (the word files hold no quoted fields), each with its line number.
fn rows(text: &'static str, file: &str, fields: usize) -> Vec<(usize, Vec<&'static str>)> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.split(',').collect();
            assert!(
                f.len() == fields,
                "bundled data/words/{file}: line {}: {} fields, want {fields}",
                i + 1,
                f.len()
            );
            (i + 1, f)
        })
        .collect()
}

static CANONICAL: LazyLock<Vec<CanonRow>> = LazyLock::new(|| {
    rows(CANONICAL_CSV, "canonical.csv", 3)
        .into_iter()
        .map(|(line, f)| CanonRow {
            word: f[0],
            canon: f[1],
            linker: match f[2] {
                "" => Linker::None,
                "of" => Linker::Of,
                "and" => Linker::And,
                other => panic!("bundled data/words/canonical.csv: line {line}: linker {other:?}"),
            },
        })
        .collect()
});

/// Canonical token -> (spelled-out form, heads an institution name).
static TOKENS: LazyLock<FxHashMap<&'static str, (&'static str, bool)>> = LazyLock::new(|| {
    rows(TOKENS_CSV, "tokens.csv", 3)
        .into_iter()
        .map(|(_, f)| {
            (
                f[0],
                (if f[1].is_empty() { f[0] } else { f[1] }, f[2] == "yes"),
            )
        })
        .collect()
});

static COMPASS: LazyLock<FxHashMap<&'static str, bool>> = LazyLock::new(|| {
    rows(COMPASS_CSV, "compass.csv", 2)
        .into_iter()
        .map(|(_, f)| (f[0], f[1] == "adjective"))
        .collect()
});

/// The canonical-form table, in file order (a word's row number is its
/// [`Form::Canon`](super::lexicon) index).
pub(super) fn canonical() -> &'static [CanonRow] {
    &CANONICAL
}

/// Spelled-out form of a canonical token, for typo similarity (the token
/// itself when it has none).
pub fn spelled(canon: &str) -> &str {
    TOKENS.get(canon).map_or(canon, |&(s, _)| s)
}

/// A compass word: `Some(false)` for a direction ("north", "southeast",
/// "central"), `Some(true)` for its adjective ("northern", "northeastern").
/// Names built on them are shared across countries ("Southeast University",
/// Nanjing's and Dhaka's) or are a longer name's start ("North China ...").
pub fn compass_word(t: &str) -> Option<bool> {
    COMPASS.get(t).copied()
}

/// True for tokens that head an institution name (used to split "A and B"
/// multi-affiliations and to decide when a fuzzy look is worth it).
pub fn is_institution_head(canon: &str) -> bool {
    TOKENS.get(canon).is_some_and(|&(_, head)| head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_word(w: &str) -> bool {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '&' || c == '-')
    }

    #[test]
    fn canonical_words_are_unique_lower_case_and_map_consistently() {
        let rows = canonical();
        assert!(CANONICAL_CSV.starts_with("word,canonical,linker\n"));
        let mut seen = std::collections::HashSet::new();
        for r in rows {
            assert!(is_word(r.word), "{:?}", r.word);
            assert!(seen.insert(r.word), "repeated word {:?}", r.word);
            assert!(
                r.canon.is_empty() || r.canon.split(' ').all(is_word),
                "{:?} -> {:?}",
                r.word,
                r.canon
            );
            assert!(
                r.linker == Linker::None || r.canon.is_empty(),
                "{:?}",
                r.word
            );
        }
        // A canonical token that is also a word maps to itself: a name's
        // normalised form normalises to itself.
        for r in rows {
            for t in r.canon.split(' ').filter(|t| !t.is_empty()) {
                if let Some(o) = rows.iter().find(|o| o.word == t) {
                    assert_eq!(
                        o.canon, t,
                        "{:?} -> {:?}, but {t:?} -> {:?}",
                        r.word, r.canon, o.canon
                    );
                }
            }
        }
    }

    #[test]
    fn token_and_compass_tables_name_known_words() {
        assert!(TOKENS_CSV.starts_with("token,spelled,head\n"));
        let canon: std::collections::HashSet<&str> = canonical()
            .iter()
            .flat_map(|r| r.canon.split(' '))
            .collect();
        for (t, (s, _)) in TOKENS.iter() {
            assert!(canon.contains(t), "tokens.csv: {t:?} is no canonical token");
            assert!(is_word(s), "{s:?}");
        }
        assert_eq!(
            rows(TOKENS_CSV, "tokens.csv", 3).len(),
            TOKENS.len(),
            "repeated token"
        );
        assert!(COMPASS_CSV.starts_with("word,form\n"));
        for (_, f) in rows(COMPASS_CSV, "compass.csv", 2) {
            assert!(
                is_word(f[0]) && matches!(f[1], "direction" | "adjective"),
                "{f:?}"
            );
        }
        assert_eq!(spelled("univ"), "university");
        assert_eq!(spelled("harbin"), "harbin");
        assert!(is_institution_head("univ") && !is_institution_head("tech"));
        assert_eq!(compass_word("southeast"), Some(false));
        assert_eq!(compass_word("northern"), Some(true));
        assert_eq!(compass_word("beijing"), None);
    }

    #[test]
    fn issue_16_a_name_without_its_parent() {
        let (head, key) = without_parent(
            "Rzhanov Institute of Semiconductor Physics of the Siberian Branch of the RAS",
        )
        .unwrap();
        assert_eq!(
            (head.as_str(), key.as_str()),
            ("rzhanov institute of semiconductor physics", "ras")
        );
        let (head, _) = without_parent(
            "Keldysh Institute of Applied Mathematics of the Russian Academy of Sciences",
        )
        .unwrap();
        assert_eq!(head, "keldysh institute of applied mathematics");
        assert!(parent_forms("ras").contains(&"russian academy of sciences".to_owned()));
        // A marker inside a word, a name without one, a head that names a
        // parent itself: no head.
        assert!(without_parent("Rasht University").is_none());
        assert!(without_parent("Harbin Institute of Technology").is_none());
        assert!(without_parent(
            "Chinese Academy of Sciences (CAS) – Institute of Computing Technology"
        )
        .is_none());
    }

    #[test]
    fn russian_formal_names_also_as_english_records_write_them() {
        let v = name_variants(
            "Federal State Budgetary Institution of Science Institute of Bioorganic Chemistry named after Academicians M.M. Shemyakin and Yu.A. Ovchinnikov, Russian Academy of Sciences",
        );
        for f in [
            "shemyakin ovchinnikov institute of bioorganic chemistry, russian academy of sciences",
            "shemyakin ovchinnikov institute of bioorganic chemistry ras",
        ] {
            assert!(v.contains(&f.to_owned()), "{f:?} not in {v:?}");
        }
        let v = name_variants(
            "A.A. Kharkevich Institute for Information Transmission Problems (IITP), Russian Academy of Sciences (RAS)",
        );
        for f in [
            "kharkevich institute for information transmission problems, russian academy of sciences",
            "kharkevich institute for information transmission problems russian academy of sciences",
        ] {
            assert!(v.contains(&f.to_owned()), "{f:?} not in {v:?}");
        }
        let (head, _) =
            without_parent("kharkevich institute for information transmission problems, ras")
                .unwrap();
        assert_eq!(
            head,
            "kharkevich institute for information transmission problems"
        );
        // The person runs to "of": the rest stays.
        let v = name_variants(
            "Petersburg Nuclear Physics Institute named by B.P. Konstantinov of NRC Kurchatov Institute",
        );
        assert!(
            v.contains(
                &"konstantinov petersburg nuclear physics institute of nrc kurchatov institute"
                    .to_owned()
            ),
            "{v:?}"
        );
        // Not initials: "St." before a city; a bare core is no variant; a
        // Cyrillic person keeps their case ending, so no surname-first form.
        assert!(!name_variants("St. Petersburg State University")
            .contains(&"petersburg state university".to_owned()));
        assert!(
            !name_variants("Institute of Catalysis named after G.K. Boreskov")
                .contains(&"institute of catalysis".to_owned())
        );
        assert!(
            name_variants("Institute of Catalysis named after G.K. Boreskov")
                .contains(&"boreskov institute of catalysis".to_owned())
        );
        let v = name_variants(
            "Institute of Applied Mathematics named after M.V. Keldysh of the Russian Academy of Sciences",
        );
        assert!(v.iter().all(|f| f.contains("keldysh")), "{v:?}");
        let v = name_variants("Институт прикладной математики им. М.В. Келдыша, РАН");
        assert!(!v.iter().any(|f| f.starts_with("келдыша")), "{v:?}");
        // Bracketed acronyms go; a bracketed place or name stays.
        assert!(name_variants("China University of Geosciences (Wuhan)").is_empty());
        assert!(name_variants("National (Shahid Beheshti) University").is_empty());
    }

    #[test]
    fn issue_16_a_founder_is_dropped_only_where_a_branch_is_named() {
        let names = [
            "Rzhanov Institute of Semiconductor Physics of the Siberian Branch of the RAS"
                .to_owned(),
            "Institute of Semiconductor Physics IM A.V. Rzhanov".to_owned(),
        ];
        let f = founders(&names);
        assert_eq!(f, ["rzhanov"]);
        assert_eq!(
            without_founder(&names[0].to_lowercase(), &f).as_deref(),
            Some("institute of semiconductor physics of the siberian branch of the ras")
        );
        assert_eq!(
            without_founder("rzhanov institute of semiconductor physics sb ras", &f).as_deref(),
            Some("institute of semiconductor physics sb ras")
        );
        // No branch: the academy may have another institute of that name.
        let k = founders(&["Institute of Applied Mathematics named after M.V. Keldysh".to_owned()]);
        assert_eq!(k, ["keldysh"]);
        assert_eq!(
            without_founder("keldysh institute of applied mathematics of the ras", &k),
            None
        );
        // A first word that is no founder of the entry stays.
        assert_eq!(
            without_founder("siberian institute of plant physiology sb ras", &f),
            None
        );
    }

    #[test]
    fn russian_names_read_word_for_word_in_english() {
        assert_eq!(
            translated(
                "Федеральное Государственное Бюджетное Учреждение Науки Физико-Технологический \
                 Институт имени К.А. Валиева Российской Академии Наук"
            )
            .as_deref(),
            Some(
                "federal state budgetary institution of science physical technological institute \
                 valiev russian academy of sciences"
            )
        );
        // A surname after "имени" in the nominative, "-ского" as "-sky".
        assert_eq!(
            translated("Нижегородский государственный университет имени Н. И. Лобачевского")
                .as_deref(),
            Some("nizhny novgorod state university lobachevsky")
        );
        assert_eq!(
            translated("Московский государственный технический университет им. Н. Э. Баумана")
                .as_deref(),
            Some("moscow state technical university bauman")
        );
        // Titles between "имени" and the surname.
        assert_eq!(
            translated(
                "Военно-морская академия имени Адмирала Флота Советского Союза Н. Г. Кузнецова"
            )
            .as_deref(),
            Some("naval academy admiral fleet soviet union kuznetsov")
        );
        // A lower-case word the table lacks makes no reading; Latin, none.
        assert_eq!(translated("Институт неизвестных слов"), None);
        assert_eq!(translated("Valiev Institute"), None);
    }

    #[test]
    fn the_russian_english_table_is_well_formed() {
        assert!(RU_EN_CSV.starts_with("kind,text,english\n"));
        let mut seen = std::collections::HashSet::new();
        for (line, f) in rows(RU_EN_CSV, "ru-en.csv", 3) {
            assert!(seen.insert((f[0], f[1])), "line {line}: repeated");
            assert!(
                f[1].chars().all(|c| ('а'..='я').contains(&c) || c == 'ё'),
                "line {line}: {:?} is not lower-case Cyrillic",
                f[1]
            );
            match f[0] {
                "letter" => assert_eq!(f[1].chars().count(), 1, "line {line}"),
                "word" => assert!(
                    f[2].chars()
                        .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '-'),
                    "line {line}: {:?}",
                    f[2]
                ),
                "eponym" => assert!(f[2].is_empty(), "line {line}"),
                other => panic!("line {line}: kind {other:?}"),
            }
        }
        // Every Russian letter has its Latin letters.
        for c in ('а'..='я').chain(['ё']) {
            assert!(RU_EN.letters.contains_key(&c), "{c}");
        }
    }

    #[test]
    fn issue_16_web_of_science_letters_for_compass_words() {
        assert!(
            name_variants("Central South University").contains(&"central s university".to_owned())
        );
        assert!(name_variants("North China University of Technology")
            .contains(&"n china university of technology".to_owned()));
        // Whole words only, every one of them; names without them get none.
        assert_eq!(
            abbreviated("southwest east-west", &VARIANTS.words),
            "southwest e-w"
        );
        assert!(name_variants("Southeast University").is_empty());
        // Each group alone, and all together.
        let v = name_variants("South Technical University");
        for f in [
            "s technical university",
            "south tech university",
            "s tech university",
        ] {
            assert!(v.contains(&f.to_owned()), "{v:?}");
        }
    }

    #[test]
    fn issue_16_listed_names_get_variants_without_legal_forms_and_with_standard_phrases() {
        assert!(VARIANTS_CSV.starts_with("kind,text,replacement\n"));
        let v = name_variants(
            "Federal State Budgetary Institution of Science Institute of Catalysis of the Siberian Branch of the Russian Academy of Sciences",
        );
        assert!(
            v.contains(
                &"institute of catalysis of the siberian branch of the russian academy of sciences"
                    .to_owned()
            ),
            "{v:?}"
        );
        assert!(
            v.contains(&"institute of catalysis sb ras".to_owned()),
            "{v:?}"
        );
        let v = name_variants(
            "Institute of Cytology, Siberian Branch of the Russian Academy of Sciences",
        );
        for f in [
            "institute of cytology, sb ras",
            "institute of cytology sb ras",
        ] {
            assert!(v.contains(&f.to_owned()), "{v:?}");
        }
        let v = name_variants("Институт прикладной математики им. М.В. Келдыша РАН");
        assert!(
            v.contains(
                &"институт прикладной математики им. м.в. келдыша российской академии наук"
                    .to_owned()
            ),
            "{v:?}"
        );
        let v = name_variants("ФГУП «ЦНИИХМ»");
        assert!(v.contains(&"цниихм»".to_owned()), "{v:?}");
        // A word inside another is not the phrase; a name without either has none.
        assert!(name_variants("Rasht University").is_empty());
        assert!(name_variants("Harbin Engineering University").is_empty());
        for (_, f) in rows(VARIANTS_CSV, "name-variants.csv", 3) {
            assert!(
                matches!(
                    f[0],
                    "prefix" | "phrase" | "word" | "parent" | "eponym" | "title" | "branch"
                ),
                "{f:?}"
            );
            assert_eq!(
                !matches!(f[0], "prefix" | "eponym" | "title" | "branch"),
                !f[2].is_empty(),
                "{f:?}"
            );
            if f[0] == "word" {
                assert!(
                    is_word(&f[1].to_lowercase()) && is_word(&f[2].to_lowercase()),
                    "{f:?}"
                );
            }
        }
    }

    #[test]
    fn role_words_are_canonical_tokens_with_a_known_role() {
        assert!(ROLES_CSV.starts_with("word,role\n"));
        let mut seen = std::collections::HashSet::new();
        for (line, f) in rows(ROLES_CSV, "roles.csv", 2) {
            assert!(is_word(f[0]), "line {line}: {:?}", f[0]);
            assert!(Role::parse(f[1]).is_some(), "line {line}: {:?}", f[1]);
            assert!(seen.insert((f[0], f[1])), "line {line}: repeated");
            // A word the normaliser rewrites never reaches the rules as
            // itself: the table must hold the canonical form.
            let rewritten = canonical()
                .iter()
                .any(|r| r.word == f[0] && r.canon != f[0]);
            assert!(
                !rewritten,
                "line {line}: {:?} is not a canonical token",
                f[0]
            );
        }
        assert!(has_role("hosp", Role::Unit) && has_role("ras", Role::Parent));
        assert!(has_role("beijing", Role::Common) && !has_role("beijing", Role::Unit));
    }
}
