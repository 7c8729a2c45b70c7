//! Times the matcher's stages on a file of affiliation strings (one per line):
//! normalisation alone, then the full match. A development aid for the
//! `coscreen match` throughput target; see bench/match.sh for the real figure.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use coscreen::matching::normalize::Normalized;
use coscreen::matching::{Matcher, Scratch};
use coscreen::risklist::RiskList;

fn main() {
    let path = std::env::args().nth(1).expect("usage: match_stages FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let lines: Vec<&str> = text.lines().collect();
    let list = RiskList::bundled().expect("bundled list");
    let t = Instant::now();
    let matcher = Matcher::new(&list);
    println!("compile: {:?}", t.elapsed());

    let mut n = Normalized::default();
    let lex = matcher.index().trie.lexicon();
    let anchors = &matcher.index().anchors;
    let anchor_lex = &matcher.index().anchor_lexicon;
    let t = Instant::now();
    let mut pass = 0usize;
    for l in &lines {
        let mut alone = false;
        let mut common = 0u128;
        let may = n.may_hold(l, anchor_lex, |id| match anchors.kind(id) {
            coscreen::matching::index::Anchors::NONE => false,
            coscreen::matching::index::Anchors::ALONE => {
                alone = true;
                true
            }
            bit => {
                common |= 1 << bit;
                false
            }
        });
        pass += usize::from(may || anchors.completes(common));
    }
    let e = t.elapsed();
    println!(
        "pre-filter: {:?} ({:.0} lines/s, {pass} of {} lines pass)",
        e,
        lines.len() as f64 / e.as_secs_f64(),
        lines.len()
    );

    let t = Instant::now();
    let mut tokens = 0usize;
    for l in &lines {
        n.run_with(l, lex);
        tokens += n.tokens.len();
    }
    let e = t.elapsed();
    println!(
        "normalise: {:?} ({:.0} lines/s, {tokens} tokens)",
        e,
        lines.len() as f64 / e.as_secs_f64()
    );

    let mut s = Scratch::default();
    let t = Instant::now();
    let mut hits = 0usize;
    for l in &lines {
        hits += matcher.match_str(l, &mut s).len();
    }
    let e = t.elapsed();
    println!(
        "match: {:?} ({:.0} lines/s, {hits} hits)",
        e,
        lines.len() as f64 / e.as_secs_f64()
    );
}
