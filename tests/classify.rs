//! Classifier quality on labelled papers (tests/fixtures/classify/labelled.jsonl;
//! label rules per row in its `rule` field and in tests/fixtures/classify/SOURCES.md).
//! Prints per-area precision, recall and F1. The asserted floors guard
//! against regressions while the lexicon is tuned towards the bars
//! (precision >= 0.90 on the priority four, macro-F1 >= 0.85).
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;

use coscreen::classify::{Classifier, Paper, Taxonomy, AREA_SLUGS};
use serde::Deserialize;

#[derive(Deserialize)]
struct Row {
    title: String,
    #[serde(rename = "abstract")]
    abstract_text: String,
    labels: Vec<String>,
    scored: Vec<String>,
}

#[test]
fn per_area_quality_on_labelled_papers() {
    let taxonomy = Taxonomy::bundled().unwrap();
    let c = Classifier::new(&taxonomy);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/classify/labelled.jsonl"
    ))
    .unwrap();
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut rows = 0;
    for line in text.lines() {
        let r: Row = serde_json::from_str(line).unwrap();
        rows += 1;
        let got: Vec<&str> = c
            .classify(&Paper {
                title: r.title,
                abstract_text: r.abstract_text,
                ..Paper::default()
            })
            .into_iter()
            .map(|t| t.area)
            .collect();
        for area in AREA_SLUGS {
            if !r.scored.iter().any(|s| s == area) {
                continue;
            }
            let (tp, fp, fn_) = counts.entry(area).or_default();
            match (got.contains(&area), r.labels.iter().any(|l| l == area)) {
                (true, true) => *tp += 1,
                (true, false) => *fp += 1,
                (false, true) => *fn_ += 1,
                (false, false) => {}
            }
        }
    }
    let prf = |(tp, fp, fn_): (usize, usize, usize)| {
        let p = if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    };
    println!("{rows} labelled papers");
    println!(
        "{:<15} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
        "area", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    for (area, c) in &counts {
        let (p, r, f) = prf(*c);
        println!(
            "{area:<15} {:>5} {:>5} {:>5} {p:>9.3} {r:>7.3} {f:>6.3}",
            c.0, c.1, c.2
        );
    }
    assert!(rows >= 2800, "fixture shrank to {rows} rows");
    // Regression floors at the first measured values (see the module doc).
    let (p, r, _) = prf(counts["ai"]);
    assert!(p >= 0.80 && r >= 0.40, "ai precision {p:.3} recall {r:.3}");
    let (p, _, _) = prf(counts["quantum"]);
    assert!(p >= 0.90, "quantum precision {p:.3}");
}
