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

use std::sync::atomic::{AtomicU32, Ordering};

use rustc_hash::FxHashMap;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::trie::UNKNOWN;

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
    /// The token's id in the [`Lexicon`] the text was normalised with
    /// ([`UNKNOWN`] when no name uses it).
    pub id: u32,
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
    /// Stamp of the [`Lexicon`] the token ids come from.
    pub lexicon: u32,
    words: Words,
    pending_linker: Linker,
    chunk: u32,
    seg_open: bool,
}

/// The word splitter's state: the word being collected character by
/// character (one that is not a plain run of ASCII letters and digits).
#[derive(Debug, Default, Clone)]
struct Words {
    word: String,
    upper: usize,
    lower: usize,
    /// The word being collected is CJK (a run of ideographs is one word).
    cjk: bool,
    orig_start: u32,
    /// Any CJK character seen.
    seen_cjk: bool,
}

/// One word as the splitter hands it on.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    /// Its lexicon entry, if any.
    found: Option<Lex>,
    /// Its text: lower case when `lowered`, else to be lower-cased (ASCII).
    text: &'a str,
    lowered: bool,
    /// All upper case, two letters or more.
    upper: bool,
    /// Byte range in the input.
    start: u32,
    end: u32,
}

/// Where the splitter's words and boundaries go: the tokens of a
/// [`Normalized`], or the anchor check of [`Normalized::may_hold`].
trait Sink {
    /// Whether the sink reads [`Word::text`] (else a plain ASCII word is
    /// handed on with an empty text).
    const TEXT: bool;
    fn word(&mut self, w: Word<'_>);
    /// A bare `&` between words ("Aeronautics & Astronautics").
    fn and(&mut self);
    fn end_segment(&mut self);
    fn end_chunk(&mut self);
    /// True once the sink has what it needs: splitting may stop.
    fn done(&self) -> bool {
        false
    }
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

/// What a word becomes after normalisation.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// The word itself (lower case) is the token.
    Itself,
    /// A canonical token, or two joined by a space ("S&T" -> "sci tech"):
    /// the value of this row of [`CANONICAL`].
    Canon(u16),
    /// A stop word: dropped, perhaps linking the name parts around it.
    Stop(Linker),
}

#[derive(Debug, Clone, Copy)]
struct Lex {
    form: Form,
    /// Ids of the token(s) the word becomes.
    ids: [u32; 2],
    /// Where a two-word canonical form splits (the space's offset), or 0.
    space: u8,
}

/// Word -> canonical form and token id, so a word costs one hash lookup:
/// the canonical-form table, plus every token a compiled name uses with the id
/// the [`TokenTrie`](super::trie::TokenTrie) walks on. Text normalised with a
/// lexicon carries its ids, and the trie matches on them without hashing the
/// tokens again.
///
/// Most words are looked up on the hot path of `coscreen match` (every word
/// of every string), so words of up to `INLINE` (16) bytes live packed in an
/// open-addressing table: a probe compares two integers, with no pointer to a
/// heap key to follow and no byte comparison. The few longer words sit in a
/// plain map.
#[derive(Debug, Clone)]
pub struct Lexicon {
    slots: Box<[Slot]>,
    /// `64 - log2(slots.len())`: the hash's top bits pick the slot.
    shift: u32,
    /// One bit per hash value (other bits of the hash than the slot's): a
    /// clear bit says "not here" from the first-level cache, without a probe
    /// into the table (most words of a string are in no name).
    present: Box<[u64]>,
    long: FxHashMap<Box<[u8]>, Lex>,
    words: usize,
    stamp: u32,
}

/// Bits of [`Lexicon::present`]: 4 KiB, ten or more per word of the table.
const PRESENT_BITS: usize = 1 << 15;

/// Longest word packed into a [`Slot`].
const INLINE: usize = 16;

/// A packed word (little-endian bytes, zero-padded; words hold no NUL, so
/// the padding is unambiguous and an all-zero key marks an empty slot) and
/// its entry: 32 bytes, one probe reads both.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: [u64; 2],
    lex: Lex,
}

impl Default for Slot {
    fn default() -> Self {
        Self {
            key: [0, 0],
            lex: Lex {
                form: Form::Itself,
                ids: [UNKNOWN; 2],
                space: 0,
            },
        }
    }
}

/// The run of ASCII letters, digits and apostrophes starting at `start` (a
/// letter or digit): its end, the OR of its bytes' [`BYTE_CLASS`]es, and its
/// count of upper-case letters. Eight bytes at a time where the string has
/// them (most words end in the first eight), as the byte loop would.
#[inline]
fn word_run(bytes: &[u8], start: usize) -> (usize, u8, usize) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    // High bit of each byte of `y` (all below 0x80) in lo..=hi: no carry
    // crosses a byte, as every sum stays below 0x100.
    let in_range = |y: u64, lo: u8, hi: u8| {
        (y + u64::from(0x80 - lo) * ONES) & !(y + u64::from(0x7f - hi) * ONES) & HIGH
    };
    let (mut i, mut seen, mut upper) = (start, 0u8, 0usize);
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let y = x & !HIGH;
        let letter = in_range(y | (0x20 * ONES), b'a', b'z');
        // Bit 0x20 set: lower case (moved up to the byte's high bit).
        let lower = letter & (y << 2);
        let join = in_range(y, b'\'', b'\'') | in_range(y, b'`', b'`');
        let word = (in_range(y, b'0', b'9') | letter | join) & !x & HIGH;
        let stop = !word & HIGH;
        let taken = if stop == 0 {
            HIGH
        } else {
            HIGH & ((1u64 << stop.trailing_zeros()) - 1)
        };
        upper += ((letter & !lower) & taken).count_ones() as usize;
        seen |= if lower & taken != 0 { LOWER } else { 0 }
            | if (letter & !lower) & taken != 0 {
                UPPER
            } else {
                0
            }
            | if join & taken != 0 { JOIN } else { 0 };
        if stop != 0 {
            return (i + stop.trailing_zeros() as usize / 8, seen, upper);
        }
        i += 8;
    }
    while i < bytes.len() {
        let c = BYTE_CLASS[bytes[i] as usize];
        if c & IN_WORD == 0 {
            break;
        }
        seen |= c;
        upper += usize::from(c == UPPER);
        i += 1;
    }
    (i, seen, upper)
}

/// Packs a word of 1..=[`INLINE`] bytes.
#[inline]
fn pack(word: &[u8]) -> [u64; 2] {
    let mut key = [0u64; 2];
    for (i, &b) in word.iter().enumerate() {
        key[i / 8] |= u64::from(b) << (8 * (i % 8));
    }
    key
}

/// The low `n` bytes of a word set (all of them from 8 on).
#[inline]
fn low_bytes(n: usize) -> u64 {
    if n >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    }
}

/// [`pack`] of the lower-cased `bytes[start..start + len]` (1..=[`INLINE`]
/// letters and digits): two unaligned loads where the string has room, with
/// bit 0x20 set on every byte (a letter's lower case; digits have it).
#[inline]
fn pack_lower(bytes: &[u8], start: usize, len: usize) -> [u64; 2] {
    let (m0, m1) = (low_bytes(len), low_bytes(len.saturating_sub(8)));
    const CASE: u64 = 0x2020_2020_2020_2020;
    match bytes.get(start..start + INLINE) {
        Some(w) => {
            let (lo, hi) = w.split_at(8);
            let lo = u64::from_le_bytes(lo.try_into().unwrap_or_default());
            let hi = u64::from_le_bytes(hi.try_into().unwrap_or_default());
            [(lo | CASE) & m0, (hi | CASE) & m1]
        }
        None => {
            let [lo, hi] = pack(&bytes[start..start + len]);
            [(lo | CASE) & m0, (hi | CASE) & m1]
        }
    }
}

/// Hands out lexicon stamps; 0 is the plain [`CANONICAL`] lexicon's.
static STAMPS: AtomicU32 = AtomicU32::new(1);

static PLAIN: std::sync::LazyLock<Lexicon> = std::sync::LazyLock::new(|| Lexicon::plain(0));

impl Lexicon {
    /// The [`CANONICAL`] table alone: every token id is [`UNKNOWN`].
    fn plain(stamp: u32) -> Self {
        let words = CANONICAL.iter().enumerate().map(|(row, &(k, c))| {
            let form = match (k, c) {
                ("of" | "for", "") => Form::Stop(Linker::Of),
                ("and", "") => Form::Stop(Linker::And),
                (_, "") => Form::Stop(Linker::None),
                _ => Form::Canon(row as u16),
            };
            let lex = Lex {
                form,
                ids: [UNKNOWN; 2],
                space: c.find(' ').map_or(0, |i| i as u8),
            };
            (k.as_bytes(), lex)
        });
        Self::from_words(words, stamp)
    }

    /// The table over `words` (the first of a repeated word is kept).
    fn from_words<'a>(words: impl IntoIterator<Item = (&'a [u8], Lex)>, stamp: u32) -> Self {
        let mut long = FxHashMap::default();
        let mut short: Vec<([u64; 2], Lex)> = Vec::new();
        let mut seen: rustc_hash::FxHashSet<&[u8]> = rustc_hash::FxHashSet::default();
        for (word, lex) in words {
            if word.is_empty() || !seen.insert(word) {
                continue;
            }
            if word.len() <= INLINE {
                short.push((pack(word), lex));
            } else {
                long.insert(word.into(), lex);
            }
        }
        // At most three quarters full: most misses end at the presence
        // bitmap, and a probe's neighbours share its cache line.
        let size = (short.len() * 4 / 3 + 1).next_power_of_two().max(16);
        let shift = 64 - size.trailing_zeros();
        let mut slots = vec![Slot::default(); size].into_boxed_slice();
        let mut present = vec![0u64; PRESENT_BITS / 64].into_boxed_slice();
        for &(key, lex) in &short {
            let bit = Self::present_bit(key);
            present[bit / 64] |= 1 << (bit % 64);
            let mut at = Self::home(key, shift);
            while slots[at].key != [0, 0] {
                at = (at + 1) & (size - 1);
            }
            slots[at] = Slot { key, lex };
        }
        Self {
            slots,
            shift,
            present,
            words: short.len() + long.len(),
            long,
            stamp,
        }
    }

    #[inline]
    fn hash(key: [u64; 2]) -> u64 {
        (key[0] ^ key[1].rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    #[inline]
    fn home(key: [u64; 2], shift: u32) -> usize {
        (Self::hash(key) >> shift) as usize
    }

    #[inline]
    fn present_bit(key: [u64; 2]) -> usize {
        (Self::hash(key) >> 20) as usize % PRESENT_BITS
    }

    /// The entry for a lower-case word.
    #[inline]
    fn get(&self, word: &[u8]) -> Option<&Lex> {
        if word.len() > INLINE {
            return self.long.get(word);
        }
        if word.is_empty() {
            return None;
        }
        self.get_packed(pack(word))
    }

    /// The entry for a packed lower-case word.
    #[inline]
    fn get_packed(&self, key: [u64; 2]) -> Option<&Lex> {
        let bit = Self::present_bit(key);
        if self.present[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = Self::home(key, self.shift);
        loop {
            let s = &self.slots[at];
            if s.key == key {
                return Some(&s.lex);
            }
            if s.key == [0, 0] {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// The canonical table plus `vocab`: canonical tokens and the ids a token
    /// trie gives them.
    pub fn with_vocab<'a>(vocab: impl IntoIterator<Item = (&'a str, u32)>) -> Self {
        let ids: FxHashMap<&str, u32> = vocab.into_iter().collect();
        let id = |t: Option<&str>| t.and_then(|t| ids.get(t)).copied().unwrap_or(UNKNOWN);
        let plain = Self::plain(0);
        let mut words: Vec<(&[u8], Lex)> = Vec::new();
        for &(k, _) in CANONICAL {
            let mut l = *plain
                .get(k.as_bytes())
                .expect("every canonical key is in the table");
            if let Form::Canon(row) = l.form {
                let mut parts = CANONICAL[row as usize].1.split(' ');
                l.ids = [id(parts.next()), id(parts.next())];
            }
            words.push((k.as_bytes(), l));
        }
        // A canonical key keeps its mapping ("uni" -> "univ"); a pattern
        // never holds a key that maps elsewhere, being normalised too. Sorted,
        // so the table's layout does not depend on the map's order.
        let mut vocab: Vec<(&str, u32)> = ids.iter().map(|(&t, &i)| (t, i)).collect();
        vocab.sort_unstable();
        words.extend(vocab.into_iter().map(|(tok, i)| {
            (
                tok.as_bytes(),
                Lex {
                    form: Form::Itself,
                    ids: [i, UNKNOWN],
                    space: 0,
                },
            )
        }));
        Self::from_words(words, STAMPS.fetch_add(1, Ordering::Relaxed))
    }

    /// The words whose token ids `keep` wants, with the same ids and stamp:
    /// a smaller table, and a presence bitmap that turns the other words
    /// away before any probe (the pre-filter of `match`).
    pub fn restricted(&self, keep: impl Fn(u32) -> bool) -> Self {
        let wanted = |l: &Lex| l.ids.iter().any(|&id| id != UNKNOWN && keep(id));
        let mut words: Vec<(Vec<u8>, Lex)> = Vec::new();
        for s in self.slots.iter().filter(|s| s.key != [0, 0]) {
            let l = s.lex;
            if wanted(&l) {
                let bytes: Vec<u8> = s.key[0]
                    .to_le_bytes()
                    .into_iter()
                    .chain(s.key[1].to_le_bytes())
                    .take_while(|&b| b != 0)
                    .collect();
                words.push((bytes, l));
            }
        }
        for (w, &l) in &self.long {
            if wanted(&l) {
                words.push((w.to_vec(), l));
            }
        }
        // Sorted, so the table's layout does not depend on the map's order.
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Self::from_words(words.iter().map(|(w, l)| (w.as_slice(), *l)), self.stamp)
    }

    /// Distinguishes lexicons, so token ids are never read against another.
    pub fn stamp(&self) -> u32 {
        self.stamp
    }

    /// Number of words it knows.
    pub fn len(&self) -> usize {
        self.words
    }

    /// Whether it knows no word.
    pub fn is_empty(&self) -> bool {
        self.words == 0
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

/// A compass word: `Some(false)` for a direction ("north", "southeast",
/// "central"), `Some(true)` for its adjective ("northern", "northeastern").
/// Names built on them are shared across countries ("Southeast University",
/// Nanjing's and Dhaka's) or are a longer name's start ("North China ...").
pub fn compass_word(t: &str) -> Option<bool> {
    match t {
        "north" | "south" | "east" | "west" | "northeast" | "northwest" | "southeast"
        | "southwest" | "central" => Some(false),
        "northeastern" | "northwestern" | "southeastern" | "southwestern" | "northern"
        | "southern" | "eastern" | "western" => Some(true),
        _ => None,
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

/// Byte classes of the plain-ASCII path: bits, so a word's scan can OR them.
const OTHER: u8 = 0;
/// A lower-case letter.
const LOWER: u8 = 1;
/// An upper-case letter.
const UPPER: u8 = 2;
/// A digit.
const DIGIT: u8 = 4;
/// Apostrophes: joined into the word around them (`Xi'an` -> `xian`).
const JOIN: u8 = 8;
/// Any byte that continues a word.
const IN_WORD: u8 = LOWER | UPPER | DIGIT | JOIN;
/// Ends a segment: `,()[]{}/:"`.
const SEGMENT: u8 = 16;
/// Ends an affiliation: `;|` and line breaks.
const CHUNK: u8 = 32;
/// Longest word the plain path lower-cases on the stack.
const SHORT_WORD: usize = 48;

static BYTE_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            b'\'' | b'`' => JOIN,
            b',' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'/' | b':' | b'"' => SEGMENT,
            b';' | b'|' | b'\n' | b'\r' => CHUNK,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

impl Normalized {
    /// Normalises `input` into `self`, replacing what was there, with the
    /// plain canonical table (token ids are all [`UNKNOWN`]).
    pub fn run(&mut self, input: &str) {
        self.run_with(input, &PLAIN);
    }

    /// Normalises `input` into `self`, taking canonical forms and token ids
    /// from `lex`.
    pub fn run_with(&mut self, input: &str, lex: &Lexicon) {
        let mut words = self.begin(lex);
        words.split(input, lex, self);
        self.finish(words);
    }

    /// Empties `self` for a new string normalised with `lex`, lending out
    /// the word splitter (it writes into `self` as its sink).
    fn begin(&mut self, lex: &Lexicon) -> Words {
        self.text.clear();
        self.tokens.clear();
        self.segments.clear();
        self.lexicon = lex.stamp;
        self.pending_linker = Linker::None;
        self.chunk = 0;
        self.seg_open = false;
        std::mem::take(&mut self.words)
    }

    /// Takes the word splitter back after a string.
    fn finish(&mut self, words: Words) {
        self.has_cjk = words.seen_cjk;
        self.words = words;
    }

    /// Whether `input` may hold a word for which `hit` says yes, given its
    /// token id (from `lex`; [`UNKNOWN`] for a word no name uses): the words
    /// of [`Normalized::run_with`], without writing any text or token, and
    /// stopping at the first yes. Text with CJK characters always may (its
    /// names are found by a byte automaton, not by words). Leaves `self`'s
    /// normalised text stale.
    pub fn may_hold(&mut self, input: &str, lex: &Lexicon, hit: impl FnMut(u32) -> bool) -> bool {
        let mut sink = Anchored { hit, found: false };
        self.words.split(input, lex, &mut sink);
        sink.found || self.words.seen_cjk
    }

    /// The reference the fast path is checked against: every character
    /// through [`Words::ascii`] or [`Words::other`], one by one.
    #[cfg(test)]
    fn run_reference(&mut self, input: &str, lex: &Lexicon) {
        let mut words = self.begin(lex);
        words.split_reference(input, lex, self);
        self.finish(words);
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

impl Sink for Normalized {
    const TEXT: bool = true;

    /// Appends a word as a token, or records it as a linker.
    fn word(&mut self, w: Word<'_>) {
        let (form, ids, space) = match w.found {
            Some(l) => (l.form, l.ids, l.space),
            None => (Form::Itself, [UNKNOWN; 2], 0),
        };
        let (canon, lowered) = match form {
            Form::Stop(linker) => {
                if linker != Linker::None {
                    self.pending_linker = linker;
                }
                return;
            }
            Form::Canon(row) => (CANONICAL[row as usize].1, true),
            Form::Itself => (w.text, w.lowered),
        };
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
                orig_start: w.start,
                orig_end: 0,
                first_token: self.tokens.len() as u32,
            });
            self.seg_open = true;
        } else {
            self.text.push(' ');
        }
        let seg = (self.segments.len() - 1) as u32;
        let start = self.text.len() as u32;
        self.text.push_str(canon);
        if !lowered {
            self.text[start as usize..].make_ascii_lowercase();
        }
        let end = self.text.len() as u32;
        match space {
            0 => self.tokens.push(Token {
                start,
                end,
                seg,
                after_linker: self.pending_linker,
                upper: w.upper,
                id: ids[0],
            }),
            // A few canonical forms are two words ("S&T" -> "sci tech"): one
            // token each, as the patterns have them.
            space => {
                let mid = start + u32::from(space);
                self.tokens.push(Token {
                    start,
                    end: mid,
                    seg,
                    after_linker: self.pending_linker,
                    upper: w.upper,
                    id: ids[0],
                });
                self.tokens.push(Token {
                    start: mid + 1,
                    end,
                    seg,
                    after_linker: Linker::None,
                    upper: w.upper,
                    id: ids[1],
                });
            }
        }
        if let Some(s) = self.segments.last_mut() {
            s.orig_end = w.end;
        }
        self.pending_linker = Linker::None;
    }

    fn and(&mut self) {
        self.pending_linker = Linker::And;
    }

    fn end_segment(&mut self) {
        if self.seg_open {
            let len = self.text.len() as u32;
            if let Some(s) = self.segments.last_mut() {
                s.end = len;
            }
            self.seg_open = false;
        }
        self.pending_linker = Linker::None;
    }

    /// A chunk separator: the segment ends and a new affiliation starts.
    fn end_chunk(&mut self) {
        self.end_segment();
        if !self.segments.is_empty() {
            self.chunk = self.segments.len() as u32;
        }
    }
}

/// The sink of [`Normalized::may_hold`]: is any word's token id a yes?
struct Anchored<F> {
    hit: F,
    found: bool,
}

impl<F: FnMut(u32) -> bool> Sink for Anchored<F> {
    const TEXT: bool = false;

    #[inline]
    fn word(&mut self, w: Word<'_>) {
        if let Some(l) = w.found {
            // Each of a two-token form ("S&T") is seen, not only the first.
            let a = (self.hit)(l.ids[0]);
            let b = l.ids[1] != UNKNOWN && (self.hit)(l.ids[1]);
            self.found |= a || b;
        }
    }
    fn and(&mut self) {}
    fn end_segment(&mut self) {}
    fn end_chunk(&mut self) {}
    fn done(&self) -> bool {
        self.found
    }
}

impl Words {
    /// Splits `input` into words for `sink`, with canonical forms and token
    /// ids from `lex`.
    ///
    /// One pass over the bytes. A run of ASCII letters and digits that is a
    /// whole word (the common case) is looked up packed in registers and
    /// handed on at once; a word that goes on into a non-ASCII character, an
    /// apostrophe or an `&` is collected character by character, as is
    /// everything that is not ASCII. Must agree with the character-by-
    /// character reference (`fast_path_agrees_with_the_reference` tests).
    fn split<S: Sink>(&mut self, input: &str, lex: &Lexicon, sink: &mut S) {
        self.word.clear();
        self.upper = 0;
        self.lower = 0;
        self.cjk = false;
        self.seen_cjk = false;
        let bytes = input.as_bytes();
        let n = bytes.len();
        let mut i = 0usize;
        // The character before `i` (for `&` inside a word: "A&F").
        let mut prev: char = ' ';
        while i < n && !sink.done() {
            let b = bytes[i];
            let class = BYTE_CLASS[b as usize];
            if class & (LOWER | UPPER | DIGIT) != 0 {
                let start = i;
                let (end, seen, upper) = word_run(bytes, start);
                i = end;
                prev = bytes[i - 1] as char;
                // Does the word go on past the run? A non-ASCII letter or
                // apostrophe, or an `&` ("A&F", "Xi&#x2019;an"), may continue it.
                let open = bytes.get(i).is_some_and(|&c| c >= 0x80 || c == b'&');
                if self.cjk {
                    self.end_word(lex, start as u32, sink);
                }
                let len = i - start;
                if !open && self.word.is_empty() && seen & JOIN == 0 && len <= SHORT_WORD {
                    let found = if len <= INLINE {
                        lex.get_packed(pack_lower(bytes, start, len))
                    } else {
                        let mut key = [0u8; SHORT_WORD];
                        for (k, b) in key.iter_mut().zip(&bytes[start..i]) {
                            // Letters and digits only: OR-ing 0x20 lower-cases.
                            *k = b | 0x20;
                        }
                        lex.get(&key[..len])
                    };
                    sink.word(Word {
                        found: found.copied(),
                        // An ASCII run: always a whole-character slice.
                        text: if S::TEXT { &input[start..i] } else { "" },
                        lowered: false,
                        upper: upper >= 2 && seen & LOWER == 0,
                        start: start as u32,
                        end: i as u32,
                    });
                    continue;
                }
                // Collected: joined apostrophes dropped, counted as the
                // character path counts.
                self.start_word(start as u32);
                for &c in &bytes[start..i] {
                    match BYTE_CLASS[c as usize] {
                        LOWER => self.lower += 1,
                        UPPER => self.upper += 1,
                        _ => {}
                    }
                    if c != b'\'' && c != b'`' {
                        self.word.push(c.to_ascii_lowercase() as char);
                    }
                }
                if !open {
                    self.end_word(lex, i as u32, sink);
                }
                continue;
            }
            if b < 0x80 {
                if b == b'&' {
                    // Crossref and JATS text often carries HTML entities.
                    let (c, len) = html_entity(&input[i..]).unwrap_or(('&', 1));
                    let next = bytes.get(i + len).map_or(' ', |&n| n as char);
                    self.decoded(lex, c, prev, next, i as u32, sink);
                    prev = c;
                    i += len;
                    continue;
                }
                if class != JOIN {
                    // Spaces and punctuation, as `ascii` has them (apostrophes
                    // join, so they end nothing).
                    self.end_word(lex, i as u32, sink);
                    match class {
                        SEGMENT => sink.end_segment(),
                        CHUNK => sink.end_chunk(),
                        _ => {}
                    }
                }
                prev = b as char;
                i += 1;
                continue;
            }
            if let Some(len) = mojibake_apostrophe(&input[i..]) {
                // Joins the word like an apostrophe: nothing to hand on.
                prev = '\'';
                i += len;
                continue;
            }
            let c = input[i..].chars().next().unwrap_or(' ');
            self.char_other(lex, c, prev, i as u32, sink);
            prev = c;
            i += c.len_utf8();
        }
        self.end_word(lex, n as u32, sink);
        sink.end_segment();
    }

    /// The reference [`Words::split`] is checked against: every character
    /// through [`Words::ascii`] or [`Words::other`], one by one.
    #[cfg(test)]
    fn split_reference<S: Sink>(&mut self, input: &str, lex: &Lexicon, sink: &mut S) {
        self.word.clear();
        self.cjk = false;
        self.seen_cjk = false;
        let bytes = input.as_bytes();
        let mut i = 0usize;
        let mut prev: char = ' ';
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if b == b'&' {
                    if let Some((decoded, len)) = html_entity(&input[i..]) {
                        let next = bytes.get(i + len).map_or(' ', |&n| n as char);
                        self.decoded(lex, decoded, prev, next, i as u32, sink);
                        prev = decoded;
                        i += len;
                        continue;
                    }
                }
                let c = b as char;
                let next = bytes.get(i + 1).map_or(' ', |&n| n as char);
                self.ascii(lex, c, prev, next, i as u32, sink);
                prev = c;
                i += 1;
                continue;
            }
            if let Some(len) = mojibake_apostrophe(&input[i..]) {
                prev = '\'';
                i += len;
                continue;
            }
            let c = input[i..].chars().next().unwrap_or(' ');
            self.char_other(lex, c, prev, i as u32, sink);
            prev = c;
            i += c.len_utf8();
        }
        self.end_word(lex, input.len() as u32, sink);
        sink.end_segment();
    }

    /// A non-ASCII character: its compatibility decomposition without
    /// combining marks (which folds diacritics and full-width forms).
    fn char_other<S: Sink>(&mut self, lex: &Lexicon, c: char, prev: char, pos: u32, sink: &mut S) {
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
            self.decoded(lex, d, prev, ' ', pos, sink);
        }
    }

    /// A character decoded from the input (an HTML entity, a piece of a
    /// compatibility decomposition): through [`Words::ascii`] or
    /// [`Words::other`], as it is ASCII or not.
    #[inline]
    fn decoded<S: Sink>(
        &mut self,
        lex: &Lexicon,
        c: char,
        prev: char,
        next: char,
        pos: u32,
        sink: &mut S,
    ) {
        if c.is_ascii() {
            self.ascii(lex, c, prev, next, pos, sink);
        } else {
            self.other(lex, c, pos, sink);
        }
    }

    fn ascii<S: Sink>(
        &mut self,
        lex: &Lexicon,
        c: char,
        prev: char,
        next: char,
        pos: u32,
        sink: &mut S,
    ) {
        match c {
            'a'..='z' | '0'..='9' => {
                if self.cjk {
                    self.end_word(lex, pos, sink);
                }
                self.start_word(pos);
                if c.is_ascii_lowercase() {
                    self.lower += 1;
                }
                self.word.push(c);
            }
            'A'..='Z' => {
                if self.cjk {
                    self.end_word(lex, pos, sink);
                }
                self.start_word(pos);
                self.upper += 1;
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
                self.end_word(lex, pos, sink);
                sink.and();
            }
            _ => {
                self.end_word(lex, pos, sink);
                match BYTE_CLASS[c as usize] {
                    SEGMENT => sink.end_segment(),
                    CHUNK => sink.end_chunk(),
                    _ => {}
                }
            }
        }
    }

    fn other<S: Sink>(&mut self, lex: &Lexicon, d: char, pos: u32, sink: &mut S) {
        if is_cjk(d) {
            if !self.cjk {
                self.end_word(lex, pos, sink);
            }
            self.start_word(pos);
            self.cjk = true;
            self.seen_cjk = true;
            self.word.push(d);
        } else if d.is_alphanumeric() {
            if self.cjk {
                self.end_word(lex, pos, sink);
            }
            self.start_word(pos);
            for l in d.to_lowercase() {
                self.word.push(l);
            }
            if d.is_uppercase() {
                self.upper += 1;
            } else {
                self.lower += 1;
            }
        } else if matches!(
            d,
            '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{00b4}' | '\u{00bf}' | '\u{fffd}'
        ) {
            // Curly apostrophes join like ASCII ones; so do the marks a
            // curly apostrophe becomes when an export loses its encoding
            // ("People¿s", "People\u{fffd}s"): read apart, "People's
            // Republic of China" would end in "Republic of China" (Taiwan).
        } else if matches!(
            d,
            '\u{3001}' | '\u{3002}' | '\u{ff0c}' | '\u{3010}' | '\u{3011}'
        ) {
            self.end_word(lex, pos, sink);
            sink.end_segment();
        } else {
            self.end_word(lex, pos, sink);
        }
    }

    #[inline]
    fn start_word(&mut self, pos: u32) {
        if self.word.is_empty() {
            self.orig_start = pos;
            self.upper = 0;
            self.lower = 0;
        }
    }

    /// Hands the collected word (if any) on; `pos` is where it ended.
    #[inline]
    fn end_word<S: Sink>(&mut self, lex: &Lexicon, pos: u32, sink: &mut S) {
        if !self.word.is_empty() {
            self.end_collected_word(lex, pos, sink);
        }
    }

    fn end_collected_word<S: Sink>(&mut self, lex: &Lexicon, pos: u32, sink: &mut S) {
        sink.word(Word {
            found: lex.get(self.word.as_bytes()).copied(),
            text: &self.word,
            lowered: true,
            upper: self.upper >= 2 && self.lower == 0,
            start: self.orig_start,
            end: pos,
        });
        self.word.clear();
        self.cjk = false;
    }
}

/// The length of a curly apostrophe or quote read as Windows-1252 ("â€™",
/// "â€˜") at the start of `s`: it joins its word like an apostrophe.
#[inline]
fn mojibake_apostrophe(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("\u{e2}\u{20ac}")?;
    let c = rest.chars().next()?;
    matches!(c, '\u{2122}' | '\u{2dc}' | '\u{153}' | '\u{9d}')
        .then(|| "\u{e2}\u{20ac}".len() + c.len_utf8())
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

    /// Tokens, segments and text of `input` on the fast path and on the
    /// character-by-character reference.
    fn both_paths(input: &str, lex: &Lexicon) -> [(String, Vec<String>, Vec<String>); 2] {
        [false, true].map(|reference| {
            let mut n = Normalized::default();
            if reference {
                n.run_reference(input, lex);
            } else {
                n.run_with(input, lex);
            }
            let t = n.tokens.iter().map(|t| {
                format!(
                    "{}-{} {} {:?} {} {}",
                    t.start, t.end, t.seg, t.after_linker, t.upper, t.id
                )
            });
            let g = n.segments.iter().map(|s| {
                format!(
                    "{}-{} {} {}-{} {}",
                    s.start, s.end, s.chunk, s.orig_start, s.orig_end, s.first_token
                )
            });
            (n.text, t.collect(), g.collect())
        })
    }

    fn test_lexicon() -> Lexicon {
        Lexicon::with_vocab([
            ("harbin", 1),
            ("inst", 2),
            ("tech", 3),
            ("xian", 4),
            ("a&f", 5),
            ("montreal", 6),
            ("abcdefghijklmnopq", 7),
        ])
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_the_reference_on_ascii(input in "([A-Za-z0-9'`]{1,60}|[ ,.;:()/|&\"\n-]{1,2}|&amp;|&#x2019;|of|and|Univ|Inst|Technol|A&F){0,24}") {
            let [fast, reference] = both_paths(&input, &test_lexicon());
            proptest::prop_assert_eq!(fast, reference);
        }

        #[test]
        fn fast_path_agrees_with_the_reference_on_any_text(input in "([A-Za-z'&;]{1,12}|\\PC{1,3}|[éÉ’，（）；哈工大ａＢ\u{a0}\u{301}]|Montréal|Xi’an|&amp;|&#8217;| ){0,16}") {
            let [fast, reference] = both_paths(&input, &test_lexicon());
            proptest::prop_assert_eq!(fast, reference);
        }
    }

    proptest::proptest! {
        /// Eight bytes at a time, as the byte loop reads them.
        #[test]
        fn word_runs_read_as_the_byte_loop_reads_them(s in "[A-Za-z0-9'`]{1,30}[^A-Za-z0-9'`]?\\PC{0,12}") {
            let b = s.as_bytes();
            let (mut i, mut seen, mut upper) = (0, 0u8, 0usize);
            while i < b.len() && BYTE_CLASS[b[i] as usize] & IN_WORD != 0 {
                seen |= BYTE_CLASS[b[i] as usize];
                upper += usize::from(BYTE_CLASS[b[i] as usize] == UPPER);
                i += 1;
            }
            let (end, got, up) = word_run(b, 0);
            let m = LOWER | UPPER | JOIN;
            proptest::prop_assert_eq!((end, got & m, up), (i, seen & m, upper));
        }
    }

    #[test]
    fn a_lexicon_slot_is_half_a_cache_line() {
        assert_eq!(std::mem::size_of::<Slot>(), 32);
    }

    #[test]
    fn a_lexicon_gives_canonical_tokens_their_ids() {
        let lex = Lexicon::with_vocab([("harbin", 7), ("inst", 8), ("tech", 9), ("sci", 10)]);
        let mut n = Normalized::default();
        n.run_with(
            "Harbin Institute of Technology, HUST, Huazhong Univ S&T",
            &lex,
        );
        let ids: Vec<u32> = n.tokens.iter().map(|t| t.id).collect();
        assert_eq!(ids, [7, 8, 9, UNKNOWN, UNKNOWN, UNKNOWN, 10, 9]);
        assert_eq!(n.lexicon, lex.stamp());
        n.run("Harbin Institute of Technology");
        assert!(n.tokens.iter().all(|t| t.id == UNKNOWN));
    }

    /// The fast path and the reference give the same tokens.
    #[test]
    fn fast_path_agrees_with_the_reference() {
        for input in [
            "Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China",
            "Dept. of Physics; Xi'an Jiaotong University (Xi'an), P.R. China",
            "MIT, Cambridge, USA; Harbin Inst Technol, Harbin",
            "Beijing National Laboratory for Condensed Matter Physics and Institute of Physics, CAS",
            "  NUDT  ,, BUAA ;; ",
            "Université de Montréal, Québec\u{a0}Canada",
            "哈尔滨工业大学HIT（深圳）, Northwest A&F Univ; Xi&#x2019;an",
            "ＴＳＩＮＧＨＵＡ　ＵＮＩＶＥＲＳＩＴＹ，Beijing",
            "",
        ] {
            for lex in [&*PLAIN, &test_lexicon()] {
                let [fast, reference] = both_paths(input, lex);
                assert_eq!(fast, reference, "{input:?}");
            }
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
