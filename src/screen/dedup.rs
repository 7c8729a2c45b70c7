//! Works read more than once (the same file twice, overlapping exports, a
//! work both in a file and in the API results) are screened once: the first
//! copy is counted, later copies only contribute flags, merged at the end.
//!
//! Keys are the normalised DOI and the source's own id (OpenAlex `W…`, WoS
//! `WOS:…` UT, Scopus EID), hashed to 64 bits: about 20–40 bytes of memory
//! per work read. A 64-bit hash collision (odds ~n²/2⁶⁵) would merge two
//! works. Memory is bounded: after [`MAX_KEYS`] keys (about 16 million works,
//! well under 1 GB) new works are no longer checked, and [`Seen::saturated`]
//! says so (the run warns and the report notes it).

use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use rustc_hash::{FxHashSet, FxHasher};

use crate::ingest::Work;

/// Most keys kept (then duplicates are no longer detected, and said so).
pub const MAX_KEYS: usize = 32 << 20;

/// The keys seen so far, shared by the threads reading files.
#[derive(Debug, Default)]
pub struct Seen {
    keys: Mutex<FxHashSet<u64>>,
    saturated: std::sync::atomic::AtomicBool,
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
        if keys.len() >= MAX_KEYS {
            self.saturated
                .store(true, std::sync::atomic::Ordering::Relaxed);
            return !keys.contains(&id) && doi.is_none_or(|d| !keys.contains(&d));
        }
        let new_id = keys.insert(id);
        let new_doi = doi.is_none_or(|d| keys.insert(d));
        new_id && new_doi
    }

    /// True once [`MAX_KEYS`] was reached: later works were not checked for duplicates.
    pub fn saturated(&self) -> bool {
        self.saturated.load(std::sync::atomic::Ordering::Relaxed)
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
