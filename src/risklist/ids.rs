//! ROR and OpenAlex institution ids: validation of the URL form the data
//! files write, canonical forms of what people type, and packed keys so that
//! id lookups (one per institution of every screened work) allocate nothing.

/// Checks `https://ror.org/` + 9 characters: `0`, then 6 of Crockford base32, then 2 digits.
pub(crate) fn valid_ror(s: &str) -> bool {
    let Some(id) = s.strip_prefix("https://ror.org/") else {
        return false;
    };
    let b = id.as_bytes();
    b.len() == 9
        && b[0] == b'0'
        && b[1..7]
            .iter()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_lowercase() && !b"ilou".contains(c)))
        && b[7..].iter().all(u8::is_ascii_digit)
}

/// Checks `https://openalex.org/I` + digits.
pub(crate) fn valid_openalex_institution(s: &str) -> bool {
    s.strip_prefix("https://openalex.org/I")
        .is_some_and(|d| !d.is_empty() && d.len() <= 12 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The last path segment of an id in any spelling, trimmed.
fn last_segment(s: &str) -> &str {
    let s = s.trim().trim_end_matches('/');
    s.rsplit('/').next().unwrap_or(s)
}

/// A ROR id (9 characters of [0-9a-z], any case, any URL form) packed base 36.
pub(super) fn ror_key(s: &str) -> Option<u64> {
    let id = last_segment(s);
    if id.len() != 9 {
        return None;
    }
    id.bytes().try_fold(0u64, |k, b| {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'z' => b - b'a' + 10,
            b'A'..=b'Z' => b - b'A' + 10,
            _ => return None,
        };
        Some(k * 36 + u64::from(v))
    })
}

/// The number of an OpenAlex institution id (`I123`, `i123`, any URL form).
pub(super) fn openalex_key(s: &str) -> Option<u64> {
    let id = last_segment(s);
    let digits = id.strip_prefix(['I', 'i'])?;
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The id trimmed, without an `https://` or `http://` in front.
fn without_scheme(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s)
}

/// Accepts `https://ror.org/x`, `ror.org/x` or the bare id; returns the URL form.
pub fn canonical_ror(s: &str) -> String {
    let s = without_scheme(s);
    let id = s.strip_prefix("ror.org/").unwrap_or(s);
    let mut out = String::with_capacity(16 + id.len());
    out.push_str("https://ror.org/");
    out.extend(id.chars().map(|c| c.to_ascii_lowercase()));
    out
}

/// Accepts `https://openalex.org/I1`, `I1` or `i1`; returns the URL form.
pub fn canonical_openalex(s: &str) -> String {
    // Called for every institution and lineage id of every screened work:
    // prefix checks only, no pattern searches.
    let s = without_scheme(s);
    let s = s.strip_prefix("openalex.org/").unwrap_or(s);
    let id = s.strip_prefix("institutions/").unwrap_or(s);
    let mut out = String::with_capacity(21 + id.len());
    out.push_str("https://openalex.org/");
    out.extend(id.chars().map(|c| c.to_ascii_uppercase()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risklist::RiskList;

    #[test]
    fn id_keys_accept_every_spelling_and_nothing_else() {
        for r in [
            "01yqg2h08",
            "https://ror.org/01yqg2h08",
            "ror.org/01YQG2H08/",
            " http://ror.org/01yqg2h08 ",
        ] {
            assert_eq!(ror_key(r), ror_key("01yqg2h08"), "{r}");
        }
        assert!(ror_key("01yqg2h0").is_none() && ror_key("01yqg2h0!").is_none());
        for o in [
            "I204983213",
            "i204983213",
            "https://openalex.org/I204983213",
            "openalex.org/institutions/I204983213",
        ] {
            assert_eq!(openalex_key(o), Some(204983213), "{o}");
        }
        assert!(openalex_key("W204983213").is_none() && openalex_key("I").is_none());
        let list = RiskList::bundled().unwrap();
        let hit = list.by_ror("https://ror.org/01yqg2h08").unwrap();
        assert_eq!(list.by_ror("01YQG2H08"), Some(hit));
    }

    #[test]
    fn canonical_ids_accept_short_forms() {
        assert_eq!(canonical_ror("01yqg2h08"), "https://ror.org/01yqg2h08");
        assert_eq!(
            canonical_openalex("i204983213"),
            "https://openalex.org/I204983213"
        );
        assert_eq!(
            canonical_openalex("https://openalex.org/I204983213"),
            "https://openalex.org/I204983213"
        );
    }
}
