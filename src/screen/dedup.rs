//! Works read more than once (the same file twice, overlapping exports, a
//! work both in a file and in the API results) are screened once: the first
//! copy is counted, later copies only contribute flags, merged at the end.
//!
//! Keys are the normalised DOI and the source's own id (OpenAlex `W…`, WoS
//! `WOS:…` UT, Scopus EID), hashed to 64 bits: about 40 bytes of memory per
//! work read. A 64-bit hash collision (odds ~n²/2⁶⁵) would merge two works.

use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use rustc_hash::{FxHashSet, FxHasher};

use crate::ingest::Work;

/// The keys seen so far, shared by the threads reading files.
#[derive(Debug, Default)]
pub struct Seen {
    keys: Mutex<FxHashSet<u64>>,
}

fn key(kind: &str, value: &str) -> u64 {
    let mut h = FxHasher::default();
    kind.hash(&mut h);
    value.hash(&mut h);
    // FxHash is weak on its own: finish with a SplitMix64 round.
    let mut z = h.finish().wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Seen {
    /// Records the work's keys; `true` when none was seen before (the first copy).
    pub fn first(&self, w: &Work) -> bool {
        let id = key("id", &w.id.to_ascii_lowercase());
        let doi = w
            .doi
            .as_deref()
            .filter(|d| !d.is_empty())
            .map(|d| key("doi", &d.to_ascii_lowercase()));
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let new_id = keys.insert(id);
        let new_doi = doi.is_none_or(|d| keys.insert(d));
        new_id && new_doi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(id: &str, doi: Option<&str>) -> Work {
        let mut w = crate::ingest::openalex::parse_work(r#"{"id":"https://openalex.org/W9"}"#)
            .expect("minimal work");
        w.id = id.into();
        w.doi = doi.map(str::to_owned);
        w
    }

    #[test]
    fn copies_by_id_or_doi_are_duplicates() {
        let s = Seen::default();
        assert!(s.first(&work("W1", Some("10.1/a"))));
        assert!(!s.first(&work("W1", None)));
        assert!(!s.first(&work("WOS:000123", Some("10.1/A"))));
        assert!(s.first(&work("WOS:000124", Some("10.1/b"))));
        assert!(!s.first(&work("wos:000124", None)));
    }
}
