//! The word table the normaliser looks every word up in: canonical forms
//! (from `data/words/canonical.csv`) and the token ids of a compiled list.

use std::sync::atomic::{AtomicU32, Ordering};

use rustc_hash::FxHashMap;

use super::normalize::Linker;
use super::trie::UNKNOWN;
use super::wordlists::canonical;

/// What a word becomes after normalisation.
#[derive(Debug, Clone, Copy)]
pub(super) enum Form {
    /// The word itself (lower case) is the token.
    Itself,
    /// A canonical token, or two joined by a space ("S&T" -> "sci tech"):
    /// the value of this row of the canonical table.
    Canon(u16),
    /// A stop word: dropped, perhaps linking the name parts around it.
    Stop(Linker),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Lex {
    pub form: Form,
    /// Ids of the token(s) the word becomes.
    pub ids: [u32; 2],
    /// Where a two-word canonical form splits (the space's offset), or 0.
    pub space: u8,
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
    /// The same, for the first halves of its name words (see
    /// [`Lexicon::may_start`]).
    halves: Box<[u64]>,
    long: FxHashMap<Box<[u8]>, Lex>,
    words: usize,
    stamp: u32,
}

/// Bits of [`Lexicon::present`]: 4 KiB, ten or more per word of the table.
const PRESENT_BITS: usize = 1 << 15;

/// Longest word packed into a [`Slot`].
pub(super) const INLINE: usize = 16;

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

/// Packs a word of 1..=[`INLINE`] bytes.
#[inline]
pub(super) fn pack(word: &[u8]) -> [u64; 2] {
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
pub(super) fn pack_lower(bytes: &[u8], start: usize, len: usize) -> [u64; 2] {
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

/// Hands out lexicon stamps; 0 is the plain canonical lexicon's.
static STAMPS: AtomicU32 = AtomicU32::new(1);

pub(super) static PLAIN: std::sync::LazyLock<Lexicon> =
    std::sync::LazyLock::new(|| Lexicon::plain(0));

impl Lexicon {
    /// The canonical table alone: every token id is [`UNKNOWN`].
    fn plain(stamp: u32) -> Self {
        let words = canonical().iter().enumerate().map(|(row, r)| {
            let form = match r.canon {
                "" => Form::Stop(r.linker),
                _ => Form::Canon(row as u16),
            };
            let lex = Lex {
                form,
                ids: [UNKNOWN; 2],
                space: r.canon.find(' ').map_or(0, |i| i as u8),
            };
            (r.word.as_bytes(), lex)
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
        // The first halves a name word may be written in (two to eight
        // letters, the rest two to eight too): "amir" of "amirkabir".
        let mut halves = vec![0u64; PRESENT_BITS / 64].into_boxed_slice();
        for &(key, lex) in &short {
            let mut buf = [0u8; INLINE];
            buf[..8].copy_from_slice(&key[0].to_le_bytes());
            buf[8..].copy_from_slice(&key[1].to_le_bytes());
            let bytes = &buf[..buf.iter().position(|&b| b == 0).unwrap_or(INLINE)];
            if lex.ids[0] != UNKNOWN && bytes.iter().all(u8::is_ascii_lowercase) {
                for k in 2..=bytes.len().saturating_sub(2).min(8) {
                    if bytes.len() - k <= 8 {
                        let bit = Self::present_bit(pack(&bytes[..k]));
                        halves[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
        }
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
            halves,
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
    pub(super) fn get(&self, word: &[u8]) -> Option<&Lex> {
        if word.len() > INLINE {
            return self.long.get(word);
        }
        if word.is_empty() {
            return None;
        }
        self.get_packed(pack(word))
    }

    /// Whether a packed lower-case word may be the first half of a name
    /// word written as two ("amir" of "Amir Kabir"): a clear bit says no.
    #[inline]
    pub(super) fn may_start(&self, key: [u64; 2]) -> bool {
        let bit = Self::present_bit(key);
        self.halves[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// The entry for a packed lower-case word.
    #[inline]
    pub(super) fn get_packed(&self, key: [u64; 2]) -> Option<&Lex> {
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
        for r in canonical() {
            let mut l = *plain
                .get(r.word.as_bytes())
                .expect("every canonical key is in the table");
            if let Form::Canon(row) = l.form {
                let mut parts = canonical()[row as usize].canon.split(' ');
                l.ids = [id(parts.next()), id(parts.next())];
            }
            words.push((r.word.as_bytes(), l));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::normalize::Normalized;

    #[test]
    fn a_lexicon_slot_is_half_a_cache_line() {
        assert_eq!(std::mem::size_of::<Slot>(), 32);
    }

    #[test]
    fn a_lexicon_gives_canonical_tokens_their_ids() {
        let lex = Lexicon::with_vocab([("harbin", 7), ("inst", 8), ("technol", 9), ("sci", 10)]);
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
}
