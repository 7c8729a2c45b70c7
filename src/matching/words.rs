//! The word splitter of the normaliser: one pass over the bytes of an
//! affiliation string, handing words (with their canonical forms and token
//! ids from a [`Lexicon`]) and segment/chunk boundaries to a [`Sink`].

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::lexicon::{pack, pack_lower, Lex, Lexicon, INLINE};
use super::trie::UNKNOWN;

/// The word splitter's state: the word being collected character by
/// character (one that is not a plain run of ASCII letters and digits).
#[derive(Debug, Default, Clone)]
pub(super) struct Words {
    word: String,
    upper: usize,
    lower: usize,
    /// The word being collected is CJK (a run of ideographs is one word).
    cjk: bool,
    orig_start: u32,
    /// Any CJK character seen.
    pub seen_cjk: bool,
    /// The last letter of the word so far is lower case (a capital after
    /// it marks words glued together: "andAstronautics").
    last_lower: bool,
    /// The word's first character is a capital letter.
    first_upper: bool,
    /// Where the word's glued parts start (see [`Glue`]).
    glue: Vec<Glue>,
    /// The last word handed on, if it may be the first half of a name word
    /// split in two ("Amir Kabir").
    half: Option<Half>,
    /// Where the last ASCII space was.
    space_at: u32,
}

/// A word that may be the first half of a name word written as two
/// ("Amir Kabir" for "Amirkabir", "Xi An" for "Xian"): title case, ASCII
/// letters only, no word the lexicon knows. Lower case, packed, in `key`.
#[derive(Debug, Clone, Copy)]
struct Half {
    start: u32,
    end: u32,
    len: u8,
    key: u64,
}

/// The longest half of a split word.
const HALF: usize = 8;

/// A lower-to-upper case change inside a word, where PDF extraction glued
/// two words ("UniversityShenzhen", "ofTianjin"): the part starting at
/// `at` (byte offset in the collected word, input position `pos`), with
/// the word's letter counts before it.
#[derive(Debug, Clone, Copy)]
struct Glue {
    at: u32,
    pos: u32,
    upper: u32,
    lower: u32,
}

/// One word as the splitter hands it on.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word<'a> {
    /// Its lexicon entry, if any.
    pub found: Option<Lex>,
    /// Its text: lower case when `lowered`, else to be lower-cased (ASCII).
    pub text: &'a str,
    pub lowered: bool,
    /// All upper case, two letters or more.
    pub upper: bool,
    /// A capital first, two capitals or more and small letters too: how
    /// some acronyms are written ("SibNIA", "GosNIIOKhT").
    pub mixed: bool,
    /// Byte range in the input.
    pub start: u32,
    pub end: u32,
    /// Split off a word glued to its neighbour ("andAstronautics").
    pub glued: bool,
}

/// Where the splitter's words and boundaries go: the tokens of a
/// [`Normalized`](super::normalize::Normalized), or the anchor check of
/// [`Normalized::may_hold`](super::normalize::Normalized::may_hold).
pub(super) trait Sink {
    /// Whether the sink reads [`Word::text`] (else a plain ASCII word is
    /// handed on with an empty text).
    const TEXT: bool;
    /// Whether glued words are handed on both whole and split, whatever the
    /// lexicon knows (a pre-filter over a cut-down lexicon must see every
    /// word the full one may split off); else they are split only as
    /// [`Words::split`] says.
    const EVERY_GLUE: bool;
    fn word(&mut self, w: Word<'_>);
    /// A name word written as two ("Amir Kabir"), the first of which was
    /// handed on already: `w` (lower case, spanning both) replaces it.
    fn join(&mut self, w: Word<'_>) {
        self.word(w);
    }
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
    pub(super) fn split<S: Sink>(&mut self, input: &str, lex: &Lexicon, sink: &mut S) {
        self.word.clear();
        self.upper = 0;
        self.lower = 0;
        self.cjk = false;
        self.seen_cjk = false;
        self.half = None;
        self.space_at = u32::MAX;
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
                // A capital after a small letter inside the word ("ofTianjin")
                // may be two words glued: collected, where the split is.
                let glued = upper > 0
                    && seen & LOWER != 0
                    && (upper >= 2 || bytes[start] >= b'a')
                    && bytes[start..i]
                        .windows(2)
                        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
                // "Scienceand": a linker glued on in lower case (collected:
                // split there when the rest is a known word).
                let glued = glued || linker_tail(&bytes[start..i]).is_some();
                if !open && !glued && self.word.is_empty() && seen & JOIN == 0 && len <= SHORT_WORD
                {
                    let packed = if len <= INLINE {
                        pack_lower(bytes, start, len)
                    } else {
                        [0, 0]
                    };
                    let found = if len <= INLINE {
                        lex.get_packed(packed)
                    } else {
                        let mut key = [0u8; SHORT_WORD];
                        for (k, b) in key.iter_mut().zip(&bytes[start..i]) {
                            // Letters and digits only: OR-ing 0x20 lower-cases.
                            *k = b | 0x20;
                        }
                        lex.get(&key[..len])
                    };
                    let title = upper == 1 && seen & DIGIT == 0 && bytes[start] < b'a';
                    let w = Word {
                        found: found.copied(),
                        // An ASCII run: always a whole-character slice.
                        text: if S::TEXT { &input[start..i] } else { "" },
                        lowered: false,
                        upper: upper >= 2 && seen & LOWER == 0,
                        mixed: upper >= 2 && seen & LOWER != 0 && bytes[start].is_ascii_uppercase(),
                        start: start as u32,
                        end: i as u32,
                        glued: false,
                    };
                    self.hand(lex, w, packed[0], len, title, sink);
                    continue;
                }
                // Collected: joined apostrophes dropped, counted as the
                // character path counts.
                self.start_word(start as u32);
                for (k, &c) in bytes[start..i].iter().enumerate() {
                    match BYTE_CLASS[c as usize] {
                        LOWER => self.cased(false, (start + k) as u32),
                        UPPER => self.cased(true, (start + k) as u32),
                        DIGIT => self.last_lower = false,
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
                    if b == b' ' {
                        self.space_at = i as u32;
                    }
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
            (prev, i) = self.non_ascii(input, i, prev, lex, sink);
        }
        self.end_word(lex, n as u32, sink);
        sink.end_segment();
    }

    /// The reference [`Words::split`] is checked against: every character
    /// through [`Words::ascii`] or [`Words::other`], one by one.
    #[cfg(test)]
    pub(super) fn split_reference<S: Sink>(&mut self, input: &str, lex: &Lexicon, sink: &mut S) {
        self.word.clear();
        self.cjk = false;
        self.seen_cjk = false;
        self.half = None;
        self.space_at = u32::MAX;
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
            (prev, i) = self.non_ascii(input, i, prev, lex, sink);
        }
        self.end_word(lex, input.len() as u32, sink);
        sink.end_segment();
    }

    /// The non-ASCII character at byte `i` (after `prev`), on both paths:
    /// returns the character it counts as and where the next one starts.
    #[inline]
    fn non_ascii<S: Sink>(
        &mut self,
        input: &str,
        i: usize,
        prev: char,
        lex: &Lexicon,
        sink: &mut S,
    ) -> (char, usize) {
        if let Some(len) = mojibake_apostrophe(&input[i..]) {
            // Joins the word like an apostrophe: nothing to hand on.
            return ('\'', i + len);
        }
        if input[i..].starts_with("\u{c2}\u{a0}") {
            // A no-break space read as Windows-1252 ("SchoolÂ\u{a0}of"):
            // the "Â" is no letter of the word; the space follows.
            return (prev, i + '\u{c2}'.len_utf8());
        }
        let c = input[i..].chars().next().unwrap_or(' ');
        self.char_other(lex, c, prev, i as u32, sink);
        (c, i + c.len_utf8())
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
                    self.cased(false, pos);
                } else {
                    self.last_lower = false;
                }
                self.word.push(c);
            }
            'A'..='Z' => {
                if self.cjk {
                    self.end_word(lex, pos, sink);
                }
                self.start_word(pos);
                self.cased(true, pos);
                self.word.push(c.to_ascii_lowercase());
            }
            '\'' | '`' => {}
            '&' if prev.is_ascii_alphabetic()
                && next.is_ascii_alphabetic()
                && !self.word.is_empty() =>
            {
                self.last_lower = false;
                self.word.push('&');
            }
            '&' => {
                self.end_word(lex, pos, sink);
                sink.and();
            }
            _ => {
                self.end_word(lex, pos, sink);
                if c == ' ' {
                    self.space_at = pos;
                }
                match BYTE_CLASS[c as usize] {
                    SEGMENT => sink.end_segment(),
                    CHUNK => sink.end_chunk(),
                    _ => {}
                }
            }
        }
    }

    fn other<S: Sink>(&mut self, lex: &Lexicon, d: char, pos: u32, sink: &mut S) {
        // Persian text typed on Arabic keyboards: one letter, two code
        // points ("ي"/"ی", "ك"/"ک"); the names have the Persian ones.
        let d = match d {
            '\u{064a}' | '\u{0649}' => '\u{06cc}',
            '\u{0643}' => '\u{06a9}',
            // The tatweel only stretches a word.
            '\u{0640}' => return,
            d => d,
        };
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
            if d.is_uppercase() {
                self.cased(true, pos);
            } else if d.is_lowercase() {
                self.cased(false, pos);
            } else {
                // A letter without case (Persian, digits) counts as small
                // for "all upper case" but starts no glued word.
                self.lower += 1;
                self.last_lower = false;
            }
            for l in d.to_lowercase() {
                self.word.push(l);
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
            '\u{3001}' | '\u{3002}' | '\u{ff0c}' | '\u{3010}' | '\u{3011}' | '\u{060c}'
        ) {
            // Ideographic and Arabic commas.
            self.end_word(lex, pos, sink);
            sink.end_segment();
        } else if d == '\u{061b}' {
            // The Arabic semicolon ends an affiliation, as ';' does.
            self.end_word(lex, pos, sink);
            sink.end_chunk();
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
            self.last_lower = false;
            self.first_upper = false;
            self.glue.clear();
        }
    }

    /// Counts a cased letter about to be pushed at input position `pos`,
    /// noting a capital right after a small letter (a glued word's start).
    #[inline]
    fn cased(&mut self, upper: bool, pos: u32) {
        if pos == self.orig_start {
            self.first_upper = upper;
        }
        if upper {
            if self.last_lower {
                self.glue.push(Glue {
                    at: self.word.len() as u32,
                    pos,
                    upper: self.upper as u32,
                    lower: self.lower as u32,
                });
            }
            self.upper += 1;
        } else {
            self.lower += 1;
        }
        self.last_lower = !upper;
    }

    /// Hands a word on, or, when it is the second half of a name word
    /// written as two ("Amir Kabir": both title case, one space apart, no
    /// word alone, the two together a word the lexicon knows), the two as
    /// one in place of the first. `letters` are the word's (either case).
    #[inline(always)]
    fn hand<S: Sink>(
        &mut self,
        lex: &Lexicon,
        w: Word<'_>,
        key: u64,
        len: usize,
        title: bool,
        sink: &mut S,
    ) {
        if !title || w.found.is_some() || !(2..=HALF).contains(&len) {
            self.half = None;
            sink.word(w);
            return;
        }
        self.hand_half(lex, w, key, len, sink);
    }

    /// [`Words::hand`] for a word that may be a half: `key` is its lower
    /// case packed ([`pack`]), `len` its length.
    #[inline(never)]
    fn hand_half<S: Sink>(
        &mut self,
        lex: &Lexicon,
        w: Word<'_>,
        key: u64,
        len: usize,
        sink: &mut S,
    ) {
        let prev = self.half.take();
        if let Some(p) = prev.filter(|p| p.end == self.space_at && p.end + 1 == w.start) {
            // The two packed as one word of `n` bytes.
            let (a, n) = (p.len as usize, p.len as usize + len);
            let joined = if a == HALF {
                [p.key, key]
            } else {
                [p.key | key << (8 * a), key >> (64 - 8 * a)]
            };
            if let Some(&found) = lex.get_packed(joined).filter(|l| l.ids[0] != UNKNOWN) {
                let mut bytes = [0u8; 2 * HALF];
                bytes[..HALF].copy_from_slice(&joined[0].to_le_bytes());
                bytes[HALF..].copy_from_slice(&joined[1].to_le_bytes());
                sink.join(Word {
                    found: Some(found),
                    text: std::str::from_utf8(&bytes[..n]).unwrap_or_default(),
                    lowered: true,
                    upper: false,
                    mixed: false,
                    start: p.start,
                    end: w.end,
                    glued: false,
                });
                return;
            }
        }
        if lex.may_start([key, 0]) {
            self.half = Some(Half {
                start: w.start,
                end: w.end,
                len: len as u8,
                key,
            });
        }
        sink.word(w);
    }

    /// Hands the collected word (if any) on; `pos` is where it ended.
    #[inline]
    fn end_word<S: Sink>(&mut self, lex: &Lexicon, pos: u32, sink: &mut S) {
        if !self.word.is_empty() {
            self.end_collected_word(lex, pos, sink);
        }
    }

    fn end_collected_word<S: Sink>(&mut self, lex: &Lexicon, pos: u32, sink: &mut S) {
        let found = lex.get(self.word.as_bytes()).copied();
        // A linker glued on in lower case ("Scienceand", "Universityof"):
        // the one glue point of a word whose capital (if any) leads it and
        // whose letters are its bytes (no apostrophe dropped).
        if self.glue.is_empty()
            && self.upper <= 1
            && (pos - self.orig_start) as usize == self.word.len()
        {
            if let Some(at) = linker_tail(self.word.as_bytes()) {
                let tail = (self.word.len() - at) as u32;
                self.glue.push(Glue {
                    at: at as u32,
                    pos: pos - tail,
                    upper: self.upper as u32,
                    lower: self.lower as u32 - tail,
                });
            }
        }
        let split =
            !self.glue.is_empty() && (S::EVERY_GLUE || (found.is_none() && self.glue_known(lex)));
        if !split || S::EVERY_GLUE {
            let title = self.upper == 1
                && self.first_upper
                && self.glue.is_empty()
                && !self.cjk
                && (pos - self.orig_start) as usize == self.word.len()
                && self.word.bytes().all(|b| b.is_ascii_lowercase());
            // Taken out for the hand-off (no copy), then put back.
            let word = std::mem::take(&mut self.word);
            let w = Word {
                found,
                text: &word,
                lowered: true,
                upper: self.upper >= 2 && self.lower == 0,
                mixed: self.upper >= 2 && self.lower > 0 && self.first_upper,
                start: self.orig_start,
                end: pos,
                glued: false,
            };
            let packed = if word.len() <= HALF {
                pack(word.as_bytes())[0]
            } else {
                0
            };
            self.hand(lex, w, packed, word.len(), title, sink);
            self.word = word;
        }
        if split {
            self.split_glued(lex, pos, sink);
        }
        self.word.clear();
        self.glue.clear();
        self.cjk = false;
    }

    /// The glued parts of the collected word: (text range, input range,
    /// upper-case letters, lower-case letters) of each.
    fn glued_parts(
        &self,
        pos: u32,
    ) -> impl Iterator<Item = (std::ops::Range<usize>, u32, u32, u32, u32)> + '_ {
        let first = Glue {
            at: 0,
            pos: self.orig_start,
            upper: 0,
            lower: 0,
        };
        let last = Glue {
            at: self.word.len() as u32,
            pos,
            upper: self.upper as u32,
            lower: self.lower as u32,
        };
        std::iter::once(first)
            .chain(self.glue.iter().copied())
            .zip(self.glue.iter().copied().chain(std::iter::once(last)))
            .map(|(a, b)| {
                (
                    a.at as usize..b.at as usize,
                    a.pos,
                    b.pos,
                    b.upper - a.upper,
                    b.lower - a.lower,
                )
            })
    }

    /// Every glued part is a word of two letters or more that the lexicon
    /// knows (a stop word, a canonical form, a word of a name): "ofTianjin",
    /// "andAstronautics", "UniversityShenzhen" split; "McGill", "iFlytek"
    /// and a stray initial ("TechnologyA") do not.
    fn glue_known(&self, lex: &Lexicon) -> bool {
        self.glued_parts(0)
            .all(|(r, ..)| r.len() >= 2 && lex.get(&self.word.as_bytes()[r]).is_some())
    }

    fn split_glued<S: Sink>(&self, lex: &Lexicon, pos: u32, sink: &mut S) {
        for (r, start, end, upper, lower) in self.glued_parts(pos) {
            let text = &self.word[r];
            sink.word(Word {
                found: lex.get(text.as_bytes()).copied(),
                text,
                lowered: true,
                upper: upper >= 2 && lower == 0,
                mixed: false,
                start,
                end,
                glued: true,
            });
        }
    }
}

/// Where a linker glued on in lower case starts ("scienceand" -> 7,
/// "universityof" -> 10): a word of letters ending in a lower-case "and" or
/// "of" after four letters or more. (Split only when the rest is a known
/// word: "Thailand", "Command" stay whole.)
#[inline]
fn linker_tail(word: &[u8]) -> Option<usize> {
    let n = word.len();
    let at = if word.ends_with(b"and") {
        n - 3
    } else if word.ends_with(b"of") {
        n - 2
    } else {
        return None;
    };
    (at >= 4 && word[..at].iter().all(u8::is_ascii_alphabetic)).then_some(at)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
