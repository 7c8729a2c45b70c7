//! Affiliation-string normalisation: one pass from raw text to canonical tokens.
//!
//! NFKD with diacritics dropped (which also folds full-width punctuation and
//! letters), lower case, apostrophes joined (`Xi'an` -> `xian`), Web of Science
//! abbreviations and spelling variants mapped to one canonical token (`Univ`,
//! `University`, `Universities` -> `univ`), stop words dropped. The text is cut
//! into *segments* (comma, parenthesis, semicolon...) and *chunks* (one
//! affiliation: semicolon, newline, `|`), so a name never matches across a
//! comma and country evidence stays with its own affiliation.
//!
//! Pure and allocation-free after warm-up: callers reuse a [`Normalized`].

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Separator written between segments in [`Normalized::text`]; patterns never
/// contain it, so no match crosses a segment.
pub const SEGMENT_SEP: char = '|';

/// A dropped word that links name parts: "University *of* Science".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Linker {
    /// No linker.
    #[default]
    None,
    /// `of` or `for`: the name goes on.
    Of,
    /// `and` or `&`: the name goes on, or a second affiliation starts.
    And,
}

/// One canonical token in [`Normalized::text`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Token {
    /// Byte offset in `text`.
    pub start: u32,
    /// Byte offset in `text` (exclusive).
    pub end: u32,
    /// Index into `segments`.
    pub seg: u32,
    /// The linking word that stood right before this token, if any.
    pub after_linker: Linker,
    /// True when the original word was all upper case (two or more letters).
    pub upper: bool,
}

/// A comma-separated part of an affiliation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Segment {
    /// Byte offset in `text`.
    pub start: u32,
    /// Byte offset in `text` (exclusive).
    pub end: u32,
    /// Which affiliation (chunk) the segment belongs to.
    pub chunk: u32,
    /// Byte range in the original input.
    pub orig_start: u32,
    /// Byte range in the original input (exclusive).
    pub orig_end: u32,
    /// Index of the first token of the segment in `tokens`.
    pub first_token: u32,
}

/// The normalised form of one string, reusable across calls.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    /// Canonical tokens joined by spaces; segments joined by [`SEGMENT_SEP`].
    pub text: String,
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// Segments in order (only those holding at least one token).
    pub segments: Vec<Segment>,
    /// Whether any CJK character was seen (names in Chinese script need the
    /// byte automaton; Latin-script ones only the token trie).
    pub has_cjk: bool,
    word: String,
    word_upper: usize,
    word_lower: usize,
    word_cjk: bool,
    word_orig_start: u32,
    pending_linker: Linker,
    chunk: u32,
    seg_open: bool,
}

/// Whether a character is a CJK ideograph (matched without word boundaries).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Decodes `&amp;`, `&#x2019;`, `&#8217;` and a few named entities at the
/// start of `s`; returns the character and the entity's length in bytes.
fn html_entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(10).position(|&b| b == b';')?;
    let body = &s[1..end];
    let c = match body {
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => ' ',
        _ => {
            let n = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                body.strip_prefix('#')?.parse().ok()?
            };
            char::from_u32(n)?
        }
    };
    Some((c, end + 1))
}

/// Word -> canonical token; `""` drops the word (stop word). Web of Science
/// abbreviations and spelling variants meet their full forms here.
const CANONICAL: &[(&str, &str)] = &[
    ("of", ""),
    ("the", ""),
    ("and", ""),
    ("for", ""),
    ("at", ""),
    ("in", ""),
    ("on", ""),
    ("de", ""),
    ("del", ""),
    ("la", ""),
    ("le", ""),
    ("di", ""),
    ("du", ""),
    ("des", ""),
    ("da", ""),
    ("der", ""),
    ("und", ""),
    ("univ", "univ"),
    ("university", "univ"),
    ("universiti", "univ"),
    ("universidad", "univ"),
    ("universitat", "univ"),
    ("universite", "univ"),
    ("universita", "univ"),
    ("uni", "univ"),
    ("inst", "inst"),
    ("institute", "inst"),
    ("institutes", "inst"),
    ("institution", "inst"),
    ("institut", "inst"),
    ("instituto", "inst"),
    ("istituto", "inst"),
    ("tech", "tech"),
    ("technol", "tech"),
    ("technology", "tech"),
    ("technologies", "tech"),
    ("technological", "tech"),
    ("techn", "tech"),
    ("sci", "sci"),
    ("science", "sci"),
    ("sciences", "sci"),
    ("scientific", "sci"),
    ("scient", "sci"),
    ("eng", "eng"),
    ("engn", "eng"),
    ("engineering", "eng"),
    ("engg", "eng"),
    ("engr", "eng"),
    ("acad", "acad"),
    ("academy", "acad"),
    ("academia", "acad"),
    ("academie", "acad"),
    ("natl", "natl"),
    ("national", "natl"),
    ("nat", "natl"),
    ("nacional", "natl"),
    ("nationale", "natl"),
    ("def", "def"),
    ("defense", "def"),
    ("defence", "def"),
    ("polytech", "poly"),
    ("polytechnic", "poly"),
    ("polytechnical", "poly"),
    ("polytechn", "poly"),
    ("aeronaut", "aero"),
    ("aeronautics", "aero"),
    ("aeronautical", "aero"),
    ("aeronautic", "aero"),
    ("astronaut", "astro"),
    ("astronautics", "astro"),
    ("astronautical", "astro"),
    ("astronautic", "astro"),
    ("phys", "phys"),
    ("physics", "phys"),
    ("physical", "phys"),
    ("elect", "elec"),
    ("electr", "elec"),
    ("electronic", "elec"),
    ("electronics", "elec"),
    ("electrical", "elec"),
    ("ctr", "ctr"),
    ("cent", "ctr"),
    ("center", "ctr"),
    ("centre", "ctr"),
    ("centers", "ctr"),
    ("centres", "ctr"),
    ("cntr", "ctr"),
    ("lab", "lab"),
    ("labs", "lab"),
    ("laboratory", "lab"),
    ("laboratories", "lab"),
    ("lab.", "lab"),
    ("labo", "lab"),
    ("res", "res"),
    ("research", "res"),
    ("mil", "mil"),
    ("military", "mil"),
    ("med", "med"),
    ("medical", "med"),
    ("medicine", "med"),
    ("chem", "chem"),
    ("chemical", "chem"),
    ("chemistry", "chem"),
    ("informat", "info"),
    ("information", "info"),
    ("info", "info"),
    ("inform", "info"),
    ("commun", "comm"),
    ("communication", "comm"),
    ("communications", "comm"),
    ("telecommun", "telecom"),
    ("telecommunication", "telecom"),
    ("telecommunications", "telecom"),
    ("posts", "post"),
    ("post", "post"),
    ("peoples", "people"),
    ("people", "people"),
    ("liberat", "liberation"),
    ("liberation", "liberation"),
    ("corp", "corp"),
    ("corporation", "corp"),
    ("grp", "grp"),
    ("group", "grp"),
    ("coll", "coll"),
    ("college", "coll"),
    ("sch", "sch"),
    ("school", "sch"),
    ("dept", "dept"),
    ("department", "dept"),
    ("departments", "dept"),
    ("hosp", "hosp"),
    ("hospital", "hosp"),
    ("gen", "gen"),
    ("general", "gen"),
    ("math", "math"),
    ("mathematics", "math"),
    ("mathematical", "math"),
    ("mech", "mech"),
    ("mechanical", "mech"),
    ("mechanics", "mech"),
    ("mat", "mat"),
    ("mater", "mat"),
    ("materials", "mat"),
    ("material", "mat"),
    ("nucl", "nucl"),
    ("nuclear", "nucl"),
    ("opt", "opt"),
    ("optics", "opt"),
    ("optical", "opt"),
    ("ind", "ind"),
    ("industry", "ind"),
    ("industries", "ind"),
    ("industrial", "ind"),
    ("aviat", "aviat"),
    ("aviation", "aviat"),
    ("comp", "comput"),
    ("comput", "comput"),
    ("computer", "comput"),
    ("computing", "comput"),
    ("computational", "comput"),
    ("environm", "environ"),
    ("environment", "environ"),
    ("environmental", "environ"),
    ("geosci", "geosci"),
    ("geosciences", "geosci"),
    ("geoscience", "geosci"),
    ("transport", "transport"),
    ("transportation", "transport"),
    ("automat", "automat"),
    ("automation", "automat"),
    ("microelect", "microelec"),
    ("microelectronics", "microelec"),
    ("microelectronic", "microelec"),
    ("optoelect", "optoelec"),
    ("optoelectronics", "optoelec"),
    ("optoelectronic", "optoelec"),
    ("key", "key"),
    ("st", "st"),
    ("saint", "st"),
    ("jiaotong", "jiaotong"),
    ("jiao-tong", "jiaotong"),
    ("s&t", "sci tech"),
    ("r&d", "res development"),
    ("china", "china"),
    ("chinese", "china"),
    ("prc", "prc"),
];

/// The canonical table as a hash map, plus a (first letter, length) filter
/// that answers "not in the table" for most words without hashing.
struct CanonicalTable {
    map: rustc_hash::FxHashMap<&'static str, &'static str>,
    /// Bit `len` of entry `first - b'a'` is set when some key has that shape.
    shapes: [u32; 26],
}

static CANONICAL_TABLE: std::sync::LazyLock<CanonicalTable> = std::sync::LazyLock::new(|| {
    let mut shapes = [0u32; 26];
    for (k, _) in CANONICAL {
        let first = k.as_bytes()[0];
        assert!(
            first.is_ascii_lowercase() && k.len() < 32,
            "canonical key '{k}' must start with a-z and be shorter than 32 bytes"
        );
        shapes[(first - b'a') as usize] |= 1 << k.len();
    }
    CanonicalTable {
        map: CANONICAL.iter().copied().collect(),
        shapes,
    }
});

/// Canonical form of a lower-case word (a bit test, rarely a hash lookup).
fn canonical(word: &str) -> &str {
    let t = &*CANONICAL_TABLE;
    let b = word.as_bytes();
    let shaped = match b.first() {
        Some(&f @ b'a'..=b'z') => {
            b.len() < 32 && t.shapes[(f - b'a') as usize] & (1 << b.len()) != 0
        }
        _ => false,
    };
    if !shaped {
        return word;
    }
    match t.map.get(word) {
        Some(c) => c,
        None => word,
    }
}

/// Spelled-out form of a canonical token, for typo similarity.
pub fn spelled(canon: &str) -> &str {
    match canon {
        "univ" => "university",
        "inst" => "institute",
        "tech" => "technology",
        "sci" => "science",
        "eng" => "engineering",
        "acad" => "academy",
        "natl" => "national",
        "def" => "defense",
        "poly" => "polytechnical",
        "aero" => "aeronautics",
        "astro" => "astronautics",
        "phys" => "physics",
        "elec" => "electronic",
        "ctr" => "center",
        "lab" => "laboratory",
        "res" => "research",
        "mil" => "military",
        "med" => "medical",
        "chem" => "chemical",
        "info" => "information",
        "comm" => "communication",
        "telecom" => "telecommunications",
        "corp" => "corporation",
        "coll" => "college",
        "sch" => "school",
        "dept" => "department",
        "hosp" => "hospital",
        "math" => "mathematics",
        "mech" => "mechanical",
        "mat" => "materials",
        "nucl" => "nuclear",
        "opt" => "optics",
        "ind" => "industry",
        "aviat" => "aviation",
        "comput" => "computer",
        other => other,
    }
}

/// True for tokens that head an institution name (used to split "A and B"
/// multi-affiliations and to decide when a fuzzy look is worth it).
pub fn is_institution_head(canon: &str) -> bool {
    matches!(
        canon,
        "univ" | "inst" | "acad" | "coll" | "lab" | "ctr" | "corp" | "hosp" | "sch" | "grp"
    )
}

impl Normalized {
    /// Normalises `input` into `self`, replacing what was there.
    pub fn run(&mut self, input: &str) {
        self.text.clear();
        self.tokens.clear();
        self.segments.clear();
        self.has_cjk = false;
        self.word.clear();
        self.pending_linker = Linker::None;
        self.chunk = 0;
        self.seg_open = false;
        self.word_upper = 0;
        self.word_lower = 0;
        self.word_cjk = false;

        if input.is_ascii() && !input.as_bytes().contains(&b'&') {
            self.run_plain_ascii(input);
            return;
        }
        let bytes = input.as_bytes();
        let mut i = 0usize;
        let mut prev: char = ' ';
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                // Crossref and JATS text often carries HTML entities.
                if b == b'&' {
                    if let Some((decoded, len)) = html_entity(&input[i..]) {
                        let next = bytes.get(i + len).map_or(' ', |&n| n as char);
                        if decoded.is_ascii() {
                            self.ascii(decoded, prev, next, i as u32);
                        } else {
                            self.other(decoded, i as u32);
                        }
                        prev = decoded;
                        i += len;
                        continue;
                    }
                }
                if b.is_ascii_alphanumeric() {
                    // The hot path: a run of ASCII letters and digits (with
                    // joined apostrophes) appended in one go.
                    if self.word_cjk {
                        self.end_word(i as u32);
                    }
                    self.start_word(i as u32);
                    let mut j = i;
                    while j < bytes.len() {
                        let c = bytes[j];
                        if c.is_ascii_lowercase() {
                            self.word_lower += 1;
                            self.word.push(c as char);
                        } else if c.is_ascii_uppercase() {
                            self.word_upper += 1;
                            self.word.push(c.to_ascii_lowercase() as char);
                        } else if c.is_ascii_digit() {
                            self.word.push(c as char);
                        } else if c != b'\'' && c != b'`' {
                            break;
                        }
                        j += 1;
                    }
                    prev = bytes[j - 1] as char;
                    i = j;
                    continue;
                }
                let c = b as char;
                let next = bytes.get(i + 1).map_or(' ', |&n| n as char);
                self.ascii(c, prev, next, i as u32);
                prev = c;
                i += 1;
                continue;
            }
            let c = input[i..].chars().next().unwrap_or(' ');
            let pos = i as u32;
            let mut buf = [' '; 4];
            let mut n = 0;
            decompose_compatible(c, |d| {
                // Rare long decompositions (ligature-like symbols): only
                // letters matter, keep the first four.
                if n < buf.len() {
                    buf[n] = d;
                    n += 1;
                }
            });
            for &d in &buf[..n] {
                if is_combining_mark(d) {
                    continue;
                }
                if d.is_ascii() {
                    self.ascii(d, prev, ' ', pos);
                } else {
                    self.other(d, pos);
                }
            }
            prev = c;
            i += c.len_utf8();
        }
        self.end_word(input.len() as u32);
        self.end_segment(input.len() as u32);
    }

    /// The common case, plain ASCII without `&`: one tight loop, each word
    /// handed to `end_word` as soon as its run of letters and digits ends.
    /// Must agree with the general path (`normalize_paths_agree` test).
    fn run_plain_ascii(&mut self, input: &str) {
        let bytes = input.as_bytes();
        let n = bytes.len();
        let mut i = 0;
        while i < n {
            let c = bytes[i];
            if c.is_ascii_alphanumeric() {
                self.word_orig_start = i as u32;
                let (mut upper, mut lower) = (0usize, 0usize);
                let mut j = i;
                while j < n {
                    let d = bytes[j];
                    if d.is_ascii_lowercase() {
                        lower += 1;
                        self.word.push(d as char);
                    } else if d.is_ascii_uppercase() {
                        upper += 1;
                        self.word.push((d | 0x20) as char);
                    } else if d.is_ascii_digit() {
                        self.word.push(d as char);
                    } else if d != b'\'' && d != b'`' {
                        break;
                    }
                    j += 1;
                }
                self.word_upper = upper;
                self.word_lower = lower;
                self.end_word(j as u32);
                i = j;
                continue;
            }
            match c {
                b',' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'/' | b':' | b'"' => {
                    self.end_segment(i as u32)
                }
                b';' | b'|' | b'\n' | b'\r' => {
                    self.end_segment(i as u32);
                    if !self.segments.is_empty() {
                        self.chunk = self.segments.len() as u32;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.end_segment(n as u32);
    }

    fn ascii(&mut self, c: char, prev: char, next: char, pos: u32) {
        match c {
            'a'..='z' | '0'..='9' => {
                if self.word_cjk {
                    self.end_word(pos);
                }
                self.start_word(pos);
                if c.is_ascii_lowercase() {
                    self.word_lower += 1;
                }
                self.word.push(c);
            }
            'A'..='Z' => {
                if self.word_cjk {
                    self.end_word(pos);
                }
                self.start_word(pos);
                self.word_upper += 1;
                self.word.push(c.to_ascii_lowercase());
            }
            '\'' | '`' => {}
            '&' if prev.is_ascii_alphabetic()
                && next.is_ascii_alphabetic()
                && !self.word.is_empty() =>
            {
                self.word.push('&');
            }
            '&' => {
                self.end_word(pos);
                self.pending_linker = Linker::And;
            }
            ',' | '(' | ')' | '[' | ']' | '{' | '}' | '/' | ':' | '"' => {
                self.end_word(pos);
                self.end_segment(pos);
            }
            ';' | '|' | '\n' | '\r' => {
                self.end_word(pos);
                self.end_segment(pos);
                if !self.segments.is_empty() {
                    self.chunk = self.segments.len() as u32;
                }
            }
            _ => self.end_word(pos),
        }
    }

    fn other(&mut self, d: char, pos: u32) {
        if is_cjk(d) {
            if !self.word_cjk {
                self.end_word(pos);
            }
            self.start_word(pos);
            self.word_cjk = true;
            self.has_cjk = true;
            self.word.push(d);
        } else if d.is_alphanumeric() {
            if self.word_cjk {
                self.end_word(pos);
            }
            self.start_word(pos);
            for l in d.to_lowercase() {
                self.word.push(l);
            }
            if d.is_uppercase() {
                self.word_upper += 1;
            } else {
                self.word_lower += 1;
            }
        } else if matches!(d, '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{00b4}') {
            // curly apostrophes join like ASCII ones
        } else if matches!(
            d,
            '\u{3001}' | '\u{3002}' | '\u{ff0c}' | '\u{3010}' | '\u{3011}'
        ) {
            self.end_word(pos);
            self.end_segment(pos);
        } else {
            self.end_word(pos);
        }
    }

    #[inline]
    fn start_word(&mut self, pos: u32) {
        if self.word.is_empty() {
            self.word_orig_start = pos;
            self.word_upper = 0;
            self.word_lower = 0;
        }
    }

    fn end_word(&mut self, pos: u32) {
        if self.word.is_empty() {
            return;
        }
        let canon = if self.word_cjk {
            self.word.as_str()
        } else {
            canonical(&self.word)
        };
        if canon.is_empty() {
            match self.word.as_str() {
                "of" | "for" => self.pending_linker = Linker::Of,
                "and" | "&" => self.pending_linker = Linker::And,
                _ => {}
            }
            self.word.clear();
            self.word_cjk = false;
            return;
        }
        // "Laboratory X and Institute of Y": a second affiliation starts.
        if self.seg_open && self.pending_linker == Linker::And && is_institution_head(canon) {
            let len = self.text.len() as u32;
            if let Some(s) = self.segments.last_mut() {
                s.end = len;
            }
            self.seg_open = false;
        }
        if !self.seg_open {
            if !self.text.is_empty() {
                self.text.push(SEGMENT_SEP);
            }
            self.segments.push(Segment {
                start: self.text.len() as u32,
                end: 0,
                chunk: self.chunk,
                orig_start: self.word_orig_start,
                orig_end: 0,
                first_token: self.tokens.len() as u32,
            });
            self.seg_open = true;
        } else {
            self.text.push(' ');
        }
        let upper = self.word_upper >= 2 && self.word_lower == 0;
        let seg = (self.segments.len() - 1) as u32;
        let start = self.text.len() as u32;
        self.text.push_str(canon);
        let end = self.text.len() as u32;
        // Only a canonical form from the table can hold a space; the word
        // itself never does, so skip the search for unmapped words.
        let mapped = !std::ptr::eq(canon.as_ptr(), self.word.as_ptr());
        let space = if mapped { canon.find(' ') } else { None };
        match space {
            None => self.tokens.push(Token {
                start,
                end,
                seg,
                after_linker: self.pending_linker,
                upper,
            }),
            // A few canonical forms are two words ("S&T" -> "sci tech"): one
            // token each, as the patterns have them.
            Some(space) => {
                let mid = start + space as u32;
                self.tokens.push(Token {
                    start,
                    end: mid,
                    seg,
                    after_linker: self.pending_linker,
                    upper,
                });
                self.tokens.push(Token {
                    start: mid + 1,
                    end,
                    seg,
                    after_linker: Linker::None,
                    upper,
                });
            }
        }
        if let Some(s) = self.segments.last_mut() {
            s.orig_end = pos;
        }
        self.pending_linker = Linker::None;
        self.word.clear();
        self.word_cjk = false;
    }

    fn end_segment(&mut self, _pos: u32) {
        if self.seg_open {
            let len = self.text.len() as u32;
            if let Some(s) = self.segments.last_mut() {
                s.end = len;
            }
            self.seg_open = false;
        }
        self.pending_linker = Linker::None;
    }

    /// Index of the token starting at or containing byte `pos` of `text`.
    pub fn token_at(&self, pos: u32) -> usize {
        self.tokens
            .partition_point(|t| t.start <= pos)
            .saturating_sub(1)
    }

    /// Tokens of segment `seg`.
    pub fn segment_tokens(&self, seg: usize) -> &[Token] {
        let first = self.segments[seg].first_token as usize;
        let last = self
            .segments
            .get(seg + 1)
            .map_or(self.tokens.len(), |s| s.first_token as usize);
        &self.tokens[first..last]
    }

    /// Text of a token.
    pub fn token_text(&self, t: &Token) -> &str {
        &self.text[t.start as usize..t.end as usize]
    }
}

/// Normalises a name from the data exactly as input text is normalised: the
/// key patterns are compiled from. A name with a comma or parenthesis keeps
/// its segment separator, so "China University of Geosciences (Wuhan)" matches
/// "China Univ Geosci, Wuhan" but not "China University of Geosciences".
pub fn normalize_name(name: &str) -> String {
    let mut n = Normalized::default();
    n.run(name);
    n.text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        let mut n = Normalized::default();
        n.run(s);
        n.text
    }

    #[test]
    fn web_of_science_abbreviations_meet_full_names() {
        assert_eq!(
            norm("Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China"),
            "harbin inst tech|sch astro|harbin 150001|people r china"
        );
        assert_eq!(norm("Harbin Institute of Technology"), "harbin inst tech");
        assert_eq!(
            normalize_name("Beijing University of Aeronautics & Astronautics"),
            normalize_name("Beijing Univ Aeronaut & Astronaut")
        );
    }

    #[test]
    fn width_case_diacritics_and_apostrophes_fold() {
        assert_eq!(norm("Xi’an Jiaotong University"), "xian jiaotong univ");
        assert_eq!(
            norm("ＴＳＩＮＧＨＵＡ　ＵＮＩＶＥＲＳＩＴＹ，Beijing"),
            "tsinghua univ|beijing"
        );
        assert_eq!(norm("Hāěrbīn Gōngchéng Dàxué"), "haerbin gongcheng daxue");
        assert_eq!(norm("Université de Montréal"), "univ montreal");
    }

    #[test]
    fn chinese_script_stays_one_run_and_splits_on_fullwidth_commas() {
        assert_eq!(norm("哈尔滨工业大学，航天学院"), "哈尔滨工业大学|航天学院");
        assert_eq!(norm("哈尔滨工业大学（深圳）"), "哈尔滨工业大学|深圳");
    }

    #[test]
    fn linkers_and_upper_case_are_recorded() {
        let mut n = Normalized::default();
        n.run("Shandong University of Science and Technology, NUDT");
        let t: Vec<(String, Linker, bool)> = n
            .tokens
            .iter()
            .map(|t| (n.token_text(t).to_owned(), t.after_linker, t.upper))
            .collect();
        assert_eq!(t[2], ("sci".into(), Linker::Of, false));
        assert_eq!(t[3], ("tech".into(), Linker::And, false));
        assert_eq!(t[4], ("nudt".into(), Linker::None, true));
    }

    #[test]
    fn chunks_split_on_semicolons() {
        let mut n = Normalized::default();
        n.run("MIT, Cambridge, USA; Harbin Inst Technol, Harbin, Peoples R China");
        let chunks: Vec<u32> = n.segments.iter().map(|s| s.chunk).collect();
        assert_eq!(chunks, [0, 0, 0, 3, 3, 3]);
        assert_eq!(
            &"MIT, Cambridge, USA; Harbin Inst Technol, Harbin"
                [n.segments[3].orig_start as usize..n.segments[3].orig_end as usize],
            "Harbin Inst Technol"
        );
    }

    /// The plain-ASCII fast path and the general path give the same tokens.
    #[test]
    fn normalize_paths_agree() {
        for input in [
            "Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China",
            "Dept. of Physics; Xi'an Jiaotong University (Xi'an), P.R. China",
            "MIT, Cambridge, USA; Harbin Inst Technol, Harbin",
            "Beijing National Laboratory for Condensed Matter Physics and Institute of Physics, CAS",
            "  NUDT  ,, BUAA ;; ",
            "",
        ] {
            let mut fast = Normalized::default();
            fast.run(input);
            // A trailing non-ASCII space forces the general path without adding a token.
            let mut general = Normalized::default();
            general.run(&format!("{input}\u{00a0}"));
            assert_eq!(fast.text, general.text, "{input:?}");
            let f: Vec<_> = fast.tokens.iter().map(|t| (t.start, t.end, t.seg, t.after_linker, t.upper)).collect();
            let g: Vec<_> = general.tokens.iter().map(|t| (t.start, t.end, t.seg, t.after_linker, t.upper)).collect();
            assert_eq!(f, g, "{input:?}");
            let fs: Vec<_> = fast.segments.iter().map(|s| (s.start, s.end, s.chunk, s.orig_start, s.orig_end)).collect();
            let gs: Vec<_> = general.segments.iter().map(|s| (s.start, s.end, s.chunk, s.orig_start, s.orig_end)).collect();
            assert_eq!(fs, gs, "{input:?}");
        }
    }

    #[test]
    fn ampersand_inside_a_word_is_kept() {
        assert_eq!(norm("Northwest A&F University"), "northwest a&f univ");
        assert_eq!(norm("Huazhong Univ S&T"), "huazhong univ sci tech");
        assert_eq!(norm("Aeronautics & Astronautics"), "aero astro");
        assert_eq!(
            norm(
                "Beijing National Laboratory for Condensed Matter Physics and Institute of Physics"
            ),
            "beijing natl lab condensed matter phys|inst phys"
        );
        assert_eq!(norm("Northwest A&amp;F University"), "northwest a&f univ");
        assert_eq!(
            norm("Xi&#x2019;an Technological University"),
            "xian tech univ"
        );
    }
}
