//! Text as the classifier scans it: lower case, one space between words,
//! word spans and sentence ends recorded in one pass (the hot path of a
//! screen), and the forms of a taxonomy phrase (normalised, British or
//! American spelling, singular).

/// A taxonomy phrase as the classifier matches it: normalised, unpadded.
pub(super) fn phrase_text(p: &str) -> String {
    normalize(p).trim().to_owned()
}

/// The phrase with each word that has another spelling in `spellings`
/// (American, British) written the other way, one variant per combination
/// ("nv center" -> "nv centre"; "fiber optic gyroscope" -> "fibre optic
/// gyroscope"). Empty when no word has one.
pub(super) fn spelling_variants(phrase: &str, spellings: &[[String; 2]]) -> Vec<String> {
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
pub(super) fn singular(phrase: &str) -> &str {
    phrase.strip_suffix('s').unwrap_or(phrase)
}

/// Lower case, every non-alphanumeric run to one space, padded with spaces.
pub(super) fn normalize(s: &str) -> String {
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
pub(super) fn normalize_into(
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
pub(super) fn sentence_of(ends: &[u32], w: usize) -> u32 {
    ends.partition_point(|&e| e as usize <= w) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
