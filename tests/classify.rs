//! Classifier quality on labelled papers (tests/fixtures/classify/; label
//! rules in its SOURCES.md). Prints per-area precision, recall and F1 for
//! three sets:
//! - `category`: `labelled.jsonl`, labels derived from arXiv categories and
//!   CSET's AI-relevance labels (a proxy: quant-ph counts foundations papers
//!   as quantum, CSET counts applied machine learning in physics as not AI);
//! - `hand dev` / `hand test`: `hand.jsonl`, every area judged by hand
//!   against the Annex, split by a hash of the record id. The lexicon was
//!   tuned looking at `dev` (and at `category`); `test` was only measured.
//! - `hand held-out` / `hand held-out-2`: two later searches of 120 papers
//!   each, drawn to be hard for the priority four (device terms, quantum
//!   technology terms, any quantum word), labelled before the classifier
//!   was run on them. The first was measured, then its errors read and the
//!   rules changed; the second was drawn and labelled after that, and only
//!   measured (see tests/fixtures/classify/SOURCES.md).
//! - `hand held-out-3`: 60 more device-term papers, drawn and labelled after
//!   that to measure semiconductors on a larger fresh sample; only measured.
//! - `hand dev-2`: 60 more device-term papers to design on (the dev split
//!   held no semiconductor false positive).
//! - `hand held-out-4`: 60 device-term and 40 learning-term papers, drawn
//!   and labelled after the rules designed on `dev-2` were fixed; only
//!   measured.
//! - `hand dev-3`: 60 more device-term papers to design on, drawn after
//!   `held-out-4` was measured; `hand held-out-5`: 60 more, drawn after the
//!   rules designed on `dev-3` were fixed, only measured.
//!
//! - `v2-dev` / `v2-held-out` (`v2.jsonl`, issue 17): fresh draws for the
//!   classifier v2 (current AI methods, chip design, modern biotech,
//!   inertial/magnetic/standoff sensing, quantum sensing and sampling,
//!   satellite communication, other fields that borrow technology words),
//!   plus titles written from real patterns. The v2 rules were designed on
//!   `v2-dev`; `v2-held-out` was drawn and labelled after they were
//!   committed and measured once. Printed with Wilson 95% intervals.
//!
//! The asserted floors sit a little under the figures measured when the
//! lexicon was last curated, so a change that costs quality fails here; the
//! issue's bars (precision >= 0.90 on the priority four, macro-F1 >= 0.85)
//! are printed beside them.
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
    #[serde(default)]
    split: Option<String>,
}

/// (true positives, false positives, false negatives) per area.
type Counts = BTreeMap<&'static str, (usize, usize, usize)>;

fn prf((tp, fp, fn_): (usize, usize, usize)) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(tp, tp + fp), ratio(tp, tp + fn_));
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// Scores every row of a fixture, grouped by `group(row)`.
fn score(file: &str, group: impl Fn(&Row) -> String) -> BTreeMap<String, (usize, Counts)> {
    let taxonomy = Taxonomy::bundled().unwrap();
    let c = Classifier::new(&taxonomy);
    let path = format!(
        "{}/tests/fixtures/classify/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut groups: BTreeMap<String, (usize, Counts)> = BTreeMap::new();
    for line in text.lines() {
        let r: Row = serde_json::from_str(line).unwrap();
        let (rows, counts) = groups.entry(group(&r)).or_default();
        *rows += 1;
        let got: Vec<&str> = c
            .classify(&Paper {
                title: r.title.clone(),
                abstract_text: r.abstract_text.clone(),
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
    groups
}

/// Wilson score interval (95%) of `k` successes in `n` trials.
fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (z, n, p) = (1.96f64, n as f64, k as f64 / n as f64);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    (centre - half, centre + half)
}

/// Prints precision and recall with their Wilson intervals; returns the
/// macro-F1 over the priority four.
fn report_with_intervals(name: &str, rows: usize, counts: &Counts) -> f64 {
    println!("\n{name}: {rows} papers (Wilson 95% intervals)");
    let mut f1s = Vec::new();
    for area in AREA_SLUGS {
        let Some(&(tp, fp, fn_)) = counts.get(area) else {
            continue;
        };
        let (p, r, f) = prf((tp, fp, fn_));
        let (pl, ph) = wilson(tp, tp + fp);
        let (rl, rh) = wilson(tp, tp + fn_);
        if AREA_SLUGS[..4].contains(&area) {
            f1s.push(f);
        }
        println!(
            "{area:<15} tp {tp:>3} fp {fp:>3} fn {fn_:>3}  P {p:.3} [{pl:.2}, {ph:.2}]  R {r:.3} [{rl:.2}, {rh:.2}]  F1 {f:.3}"
        );
    }
    let macro_f1 = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
    println!("macro-F1 over the priority four: {macro_f1:.3} (bar 0.90)");
    macro_f1
}

#[test]
fn wilson_interval_matches_a_known_value() {
    // 8 of 10: [0.490, 0.943] (Wilson 1927; Newcombe 1998, table I).
    let (lo, hi) = wilson(8, 10);
    assert!(
        (lo - 0.490).abs() < 0.001 && (hi - 0.943).abs() < 0.001,
        "{lo} {hi}"
    );
}

/// Issue 17: the fresh v2 draws. Floors sit under the held-out figures
/// measured once (see docs/METHOD.md, "Classification").
#[test]
fn issue_17_quality_on_the_fresh_v2_draws() {
    let v2 = score("v2.jsonl", |r| r.split.clone().unwrap_or_default());
    let dev = &v2["v2-dev"];
    let held = &v2["v2-held-out"];
    assert!(dev.0 >= 119 && held.0 >= 188, "v2.jsonl shrank");
    assert!(report_with_intervals("v2-dev", dev.0, &dev.1) >= 0.90);
    let macro_f1 = report_with_intervals("v2-held-out", held.0, &held.1);
    assert!(macro_f1 >= 0.90, "v2-held-out macro-F1 {macro_f1:.3}");
    for (area, floor) in [
        ("semiconductors", 0.90),
        ("ai", 0.92),
        ("quantum", 0.90),
        ("biotech", 0.95),
    ] {
        let (p, _, _) = prf(held.1[area]);
        assert!(p >= floor, "{area} precision {p:.3} on v2-held-out");
    }
}

/// Prints the table; returns the macro-F1 over areas with a positive.
fn report(name: &str, rows: usize, counts: &Counts) -> f64 {
    println!("\n{name}: {rows} papers");
    println!(
        "{:<15} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
        "area", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    let mut f1s = Vec::new();
    for area in AREA_SLUGS {
        let Some(&c) = counts.get(area) else { continue };
        let (p, r, f) = prf(c);
        if c.0 + c.2 > 0 {
            f1s.push(f);
        }
        println!(
            "{area:<15} {:>5} {:>5} {:>5} {p:>9.3} {r:>7.3} {f:>6.3}",
            c.0, c.1, c.2
        );
    }
    let macro_f1 = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
    println!(
        "macro-F1 over {} areas: {macro_f1:.3} (bar 0.85)",
        f1s.len()
    );
    macro_f1
}

#[test]
fn per_area_quality_on_labelled_papers() {
    let category = score("labelled.jsonl", |_| "category".into());
    let hand = score("hand.jsonl", |r| {
        format!("hand {}", r.split.as_deref().unwrap_or("?"))
    });
    let (rows, cat) = &category["category"];
    report("category", *rows, cat);
    assert!(*rows >= 2800, "labelled.jsonl shrank to {rows} rows");
    // Recall floor 0.70 (was 0.72): since issue 17, weak cues ("language",
    // "classification") stand in for a second cue only beside a title cue,
    // and clinical papers need a strong AI cue; 0.725 -> 0.717 here.
    let (p, r, _) = prf(cat["ai"]);
    assert!(
        p >= 0.95 && r >= 0.70,
        "category ai precision {p:.3} recall {r:.3}"
    );
    // quant-ph recall is low by choice: foundations and mathematical physics
    // are outside the Annex, and without a strong cue quantum needs three
    // distinct ordinary ones (precision first: a quantum tag can make a
    // flagged paper tier 1).
    let (p, r, _) = prf(cat["quantum"]);
    assert!(
        p >= 0.92 && r >= 0.42,
        "category quantum precision {p:.3} recall {r:.3}"
    );

    let mut macro_f1 = BTreeMap::new();
    for (name, (rows, counts)) in &hand {
        macro_f1.insert(name.as_str(), report(name, *rows, counts));
        let least = match name.as_str() {
            "hand held-out-3" | "hand held-out-5" | "hand dev-2" | "hand dev-3" => 60,
            "hand held-out-4" => 100,
            n if n.contains("held-out") => 120,
            _ => 470,
        };
        assert!(*rows >= least, "{name} shrank to {rows} rows");
        assert_eq!(counts.len(), 10, "{name} scores every area");
    }
    assert!(macro_f1["hand dev"] >= 0.88, "{macro_f1:?}");
    assert!(macro_f1["hand test"] >= 0.85, "{macro_f1:?}");
    // The priority four: precision floors (a little under the measured
    // figures) on the test split and the later held-out sets.
    let sets: [(&str, &[(&str, f64)]); 7] = [
        (
            "hand test",
            &[
                ("semiconductors", 0.88),
                ("ai", 0.92),
                ("quantum", 0.90),
                ("biotech", 0.95),
            ],
        ),
        (
            "hand held-out-2",
            &[
                ("semiconductors", 0.70),
                ("ai", 0.60),
                ("quantum", 0.88),
                ("biotech", 1.0),
            ],
        ),
        (
            "hand held-out-3",
            &[
                ("semiconductors", 0.85),
                ("ai", 0.60),
                ("quantum", 0.75),
                ("biotech", 1.0),
            ],
        ),
        (
            "hand held-out-4",
            &[
                ("semiconductors", 0.70),
                ("ai", 0.95),
                ("quantum", 0.95),
                ("biotech", 1.0),
            ],
        ),
        (
            "hand dev-2",
            &[
                ("semiconductors", 0.85),
                ("ai", 0.95),
                ("quantum", 0.95),
                ("biotech", 1.0),
            ],
        ),
        (
            "hand dev-3",
            &[
                ("semiconductors", 0.80),
                ("ai", 0.95),
                ("quantum", 0.95),
                ("biotech", 1.0),
            ],
        ),
        // No ai floor: no positive here and one false positive
        // (superconducting logic motivated by exascale computers).
        (
            "hand held-out-5",
            &[
                ("semiconductors", 0.85),
                ("quantum", 0.95),
                ("biotech", 1.0),
            ],
        ),
    ];
    for (split, floors) in sets {
        let counts = &hand[split].1;
        for &(area, floor) in floors {
            let (p, r, _) = prf(counts[area]);
            println!("{area}: precision {p:.3} recall {r:.3} on {split} (floor {floor}, bar 0.90)");
            assert!(p >= floor, "{area} precision {p:.3} on {split}");
        }
    }
}
