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

/// Issue 21 shapes: encodings, overlapping inputs, colliding paths, damaged
/// caches, control characters in every output format.
mod issue_21 {
    use super::*;
    use coscreen::net::cache::{Cache, Record};
    use coscreen::output::sanitize::{csv_cell, is_invisible_control, strip_credentials};

    fn hostile_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                '\0', '\x1b', '\n', '\r', '\t', '\u{7f}', '\u{85}', '\u{2028}', '\u{2029}',
                '\u{61c}', '\u{2060}', '\u{200b}', '\u{202e}', '\u{2066}', '\u{feff}', '=', '<',
                '&', '"',
            ]),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn issue_21_latin1_wos_lines_are_decoded_never_dropped(
            addr in prop::collection::vec(prop_oneof![
                prop::char::range('a', 'z'),
                Just(' '),
                prop::char::range('\u{c0}', '\u{ff}'),
            ], 1..40)
        ) {
            let addr: String = addr.into_iter().collect();
            let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&addr);
            prop_assert!(!unmappable);
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("wos.txt");
            let mut body = b"FN Clarivate\nVR 1.0\nPT J\nAU Li, X\nTI T\nC1 [Li, X] Harbin Inst Technol, ".to_vec();
            body.extend_from_slice(&latin1);
            body.extend_from_slice(b"\nPY 2020\nUT WOS:1\nER\nEF\n");
            std::fs::write(&p, body).unwrap();
            let mut works = Vec::new();
            let stats = read_inputs(&[p], None, &mut |item| {
                if let Item::Work(w) = item { works.push(w); }
                Ok(())
            }).unwrap();
            prop_assert_eq!(stats.errors, 0);
            prop_assert_eq!(works.len(), 1);
            let affs: Vec<String> = works[0].authorships.iter().flat_map(|a| a.raw_affiliations.clone()).collect();
            prop_assert!(affs.iter().any(|a| a.contains(addr.trim())), "{affs:?} lacks {addr:?}");
            prop_assert_eq!(stats.legacy_lines, u64::from(!addr.is_ascii()));
        }

        #[test]
        fn issue_21_overlapping_inputs_count_each_work_once(
            copies in prop::collection::vec((0u32..12, 0u8..3, any::<bool>()), 1..60)
        ) {
            // Copy of work n from OpenAlex, WoS or Scopus: the ids differ, the
            // DOI is shared; an OpenAlex copy may lack the DOI once an earlier
            // OpenAlex copy (same id) carried it.
            let seen = coscreen::screen::dedup::Seen::default();
            let mut firsts = std::collections::BTreeMap::<u32, u32>::new();
            let mut oa_with_doi = std::collections::BTreeSet::new();
            for (n, source, drop_doi) in &copies {
                let mut w = openalex::parse_work(r#"{"id":"https://openalex.org/W1"}"#).unwrap();
                w.id = match source {
                    0 => format!("W{n}"),
                    1 => format!("WOS:{n:015}"),
                    _ => format!("2-s2.0-{n}"),
                };
                let keep_doi = !(*drop_doi && *source == 0 && oa_with_doi.contains(n));
                w.doi = Some(format!("10.1/{n}")).filter(|_| keep_doi);
                if *source == 0 && keep_doi {
                    oa_with_doi.insert(*n);
                }
                *firsts.entry(*n).or_default() += u32::from(seen.first(&w));
            }
            for (n, f) in firsts {
                prop_assert_eq!(f, 1, "work {} counted {} times", n, f);
            }
        }

        #[test]
        fn issue_21_colliding_output_paths_are_detected(
            name in "[a-z]{1,8}\\.(csv|svg)",
            detour in "[a-z]{1,6}",
            other in "[a-z]{1,8}\\.(csv|svg)",
        ) {
            let same = format!("./{detour}/../{name}");
            prop_assert!(coscreen::output::same_file(name.as_ref(), same.as_ref()));
            prop_assert!(coscreen::output::distinct_outputs(&[("--out", name.as_ref()), ("--svg", same.as_ref())]).is_err());
            prop_assert_eq!(coscreen::output::same_file(name.as_ref(), other.as_ref()), name == other);
        }

        #[test]
        fn issue_21_damaged_caches_are_detected(n in 1usize..30, delete in prop::collection::vec(any::<bool>(), 30)) {
            let dir = tempfile::tempdir().unwrap();
            let cache = Cache::open(&dir.path().join("c.sqlite")).unwrap();
            let records: Vec<(Record, Option<String>)> = (0..n)
                .map(|i| (Record { source: "openalex".into(), id: format!("W{i}"), body: "{}".into(), fetched: 0 }, None))
                .collect();
            cache.store_page("q", &records[..n / 2], Some("c1")).unwrap();
            cache.store_page("q", &records[n / 2..], None).unwrap();
            prop_assert_eq!(cache.query_health("q").unwrap().missing(), 0);
            let mut gone = 0;
            for (i, d) in delete.iter().take(n).enumerate() {
                if *d {
                    cache.delete_record("openalex", &format!("W{i}")).unwrap();
                    gone += 1;
                }
            }
            prop_assert_eq!(cache.query_health("q").unwrap().missing(), gone);
        }

        #[test]
        fn issue_21_control_characters_never_reach_csv_html_or_svg_cells(
            s in prop::collection::vec(hostile_char(), 0..40),
        ) {
            let s: String = s.into_iter().collect();
            let cell = csv_cell(&s);
            prop_assert!(!cell.chars().any(is_invisible_control), "{cell:?}");
            prop_assert!(!matches!(cell.chars().next(), Some('=' | '+' | '-' | '@')));
            let html = coscreen::report::html::esc(&s);
            prop_assert!(!html.chars().any(|c| is_invisible_control(c) || c == '<' || c == '"'), "{html:?}");
            // JSON escapes C0 controls itself; the text round-trips.
            let json = serde_json::to_string(&s).unwrap();
            prop_assert!(!json.chars().any(|c| c < ' '));
            prop_assert_eq!(serde_json::from_str::<String>(&json).unwrap(), s.clone());
        }

        #[test]
        fn issue_21_credentials_never_survive_in_a_url(
            user in "[a-zA-Z0-9._~-]{1,10}",
            pw in "[a-zA-Z0-9%!$&'()*+,;=:._~-]{0,16}",
            path in "(/[a-z0-9]{0,8}){0,3}(\\?[a-z]=[a-z0-9:|]{0,10})?",
        ) {
            let url = format!("http://{user}:{pw}SECRET@127.0.0.1:8080{path}");
            let line = format!("giving up on {url} after 3 attempts");
            let clean = strip_credentials(&line);
            prop_assert!(!clean.contains("SECRET"), "{clean}");
            let want = format!("giving up on http://127.0.0.1:8080{path} after 3 attempts");
            prop_assert_eq!(clean.as_ref(), want.as_str());
        }
    }
}
