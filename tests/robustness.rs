//! Property-based fuzzing of every parser that reads outside data: no input
//! may panic, and every record ends as a value or an error naming its place.
//! CI runs the default case counts; for a long local run:
//! `PROPTEST_CASES=200000 cargo test --release --test robustness`.

use std::io::Write;

use coscreen::ingest::input::{read_inputs, Item};
use coscreen::ingest::{openalex, scopus, wos};
use proptest::prelude::*;

fn real_lines() -> Vec<String> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest/openalex-works.jsonl");
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .take(6)
        .map(str::to_owned)
        .collect()
}

/// A real record with a slice cut out or replaced: truncations, broken
/// escapes, wrong types and unbalanced brackets all come out of this.
fn mutated_record() -> impl Strategy<Value = String> {
    let lines = real_lines();
    (
        0..lines.len(),
        any::<prop::sample::Index>(),
        0usize..64,
        ".{0,12}",
    )
        .prop_map(move |(i, at, len, insert)| {
            let line = &lines[i];
            let mut start = at.index(line.len());
            while !line.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len).min(line.len());
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}{insert}{}", &line[..start], &line[end..])
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn openalex_records_never_panic(s in mutated_record()) {
        let _ = openalex::parse_work(&s);
    }

    #[test]
    fn arbitrary_json_never_panics(s in "\\PC{0,200}") {
        let _ = openalex::parse_work(&s);
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&s) {
            let _ = openalex::work_from_value(v.clone());
            let _ = coscreen::ingest::crossref::work_from_value(v);
        }
    }

    #[test]
    fn inverted_indexes_of_any_shape_are_rebuilt(words in prop::collection::vec(("[a-z]{1,8}", prop::collection::vec(0u32..200_000, 0..5)), 0..20)) {
        let index: serde_json::Map<String, serde_json::Value> = words
            .iter()
            .map(|(w, p)| (w.clone(), serde_json::json!(p)))
            .collect();
        let json = serde_json::json!({"id": "W1", "abstract_inverted_index": index}).to_string();
        let w = openalex::parse_work(&json).unwrap();
        prop_assert!(w.abstract_text.len() <= words.iter().map(|(w, p)| (w.len() + 1) * p.len()).sum::<usize>());
    }

    #[test]
    fn wos_tagged_records_never_panic(lines in prop::collection::vec(
        prop_oneof![
            Just("PT J".to_owned()), Just("ER".to_owned()), Just("EF".to_owned()),
            "(AU|AF|TI|C1|RP|OI|PY|DI|UT|DE|ID) .{0,40}",
            "   .{0,40}",
            ".{0,40}",
        ], 0..40)) {
        let mut p = wos::TaggedParser::default();
        let mut starts = 0;
        let mut out = 0;
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with("PT") {
                starts += 1;
            }
            if p.line(i as u64 + 1, l).is_some() {
                out += 1;
            }
        }
        if p.finish(lines.len() as u64 + 1).is_some() {
            out += 1;
        }
        // Every started record ends as a work or an error (a stray ER is an error too).
        prop_assert!(out >= starts);
    }

    #[test]
    fn c1_addresses_never_panic(s in "[\\[\\]; a-zA-Z,]{0,80}") {
        let _ = wos::c1_addresses(&[s]);
    }

    #[test]
    fn scopus_rows_never_panic(cells in prop::collection::vec(".{0,30}", 0..10)) {
        let header = csv::StringRecord::from(vec![
            "Authors", "Title", "Year", "DOI", "Affiliations", "Authors with affiliations", "Abstract", "Author Keywords", "EID",
        ]);
        let cols = scopus::Columns::from_header(&header).unwrap();
        let _ = scopus::work_from_record(&cols, &csv::StringRecord::from(cells), 2);
    }

    #[test]
    fn extra_lists_never_panic(body in "[a-z0-9,;!@?:\\-\" \\n]{0,200}") {
        let text = format!("id,name,country,lists\n{body}");
        let _ = coscreen::risklist::RiskList::build(&[("extra.csv".into(), text)]);
    }

    #[test]
    fn decisions_files_never_panic(body in "[A-Za-z0-9,_\\-\" \\n]{0,200}") {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(&p, format!("work_id,institution_id,decision,reviewer,date,note,expires\n{body}")).unwrap();
        let _ = coscreen::screen::decisions::Decisions::load(&p);
    }

    #[test]
    fn any_file_bytes_are_read_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), gz in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.dat");
        let data = if gz {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(&bytes).unwrap();
            let mut z = e.finish().unwrap();
            let keep = z.len() * 2 / 3;
            z.truncate(keep.max(10));
            z
        } else {
            bytes
        };
        std::fs::write(&p, data).unwrap();
        let mut seen = 0u64;
        let stats = read_inputs(&[p], None, &mut |item| {
            if let Item::Error(e) = &item {
                assert!(e.line >= 1 && !e.message.is_empty());
            }
            seen += 1;
            Ok(())
        }).unwrap();
        prop_assert_eq!(seen, stats.works + stats.dois + stats.errors);
    }
}
