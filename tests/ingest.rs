//! Offline inputs on recorded data: every format, and the broken cases
//! (truncated `.gz`, invalid JSON, invalid UTF-8, unfinished records), each
//! reported with file and line while the rest is still read.

use std::io::Write;
use std::path::{Path, PathBuf};

use coscreen::ingest::input::{read_inputs, Format, InputError, Item, ReadStats};
use coscreen::ingest::{Source, Work};

fn fx(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

struct Got {
    works: Vec<Work>,
    dois: Vec<String>,
    errors: Vec<InputError>,
    stats: ReadStats,
}

fn read(paths: &[PathBuf], format: Option<Format>) -> Got {
    let mut got = Got {
        works: Vec::new(),
        dois: Vec::new(),
        errors: Vec::new(),
        stats: ReadStats::default(),
    };
    got.stats = read_inputs(paths, format, &mut |item| {
        match item {
            Item::Work(w) => got.works.push(*w),
            Item::Doi { doi, .. } => got.dois.push(doi),
            Item::Error(e) => got.errors.push(e),
        }
        Ok(())
    })
    .unwrap();
    got
}

#[test]
fn openalex_json_lines_plain_and_gz_give_the_same_works() {
    let plain = read(&[fx("ingest/openalex-works.jsonl")], None);
    let gz = read(&[fx("ingest/openalex-works.jsonl.gz")], None);
    assert!(plain.errors.is_empty(), "{:?}", plain.errors);
    assert_eq!(plain.works.len(), 20);
    assert_eq!(plain.works, gz.works);
    // Recorded facts (SOURCES.md): Harbin Institute of Technology on W3139054627.
    let w = plain
        .works
        .iter()
        .find(|w| w.id == "W3139054627")
        .expect("W3139054627");
    assert_eq!(w.source, Source::OpenAlex);
    let hit = w
        .authorships
        .iter()
        .flat_map(|a| &a.institutions)
        .find(|i| i.ror.as_deref() == Some("01yqg2h08"))
        .expect("HIT resolved");
    assert_eq!(hit.country.as_deref(), Some("CN"));
    assert!(hit.lineage.iter().all(|l| l.starts_with('I')));
    assert!(!w.abstract_text.is_empty() || w.title.len() > 5);
    assert!(plain
        .works
        .iter()
        .all(|w| w.topics.iter().all(|t| t.id.starts_with('T'))));
}

#[test]
fn a_truncated_gz_keeps_the_lines_before_the_cut_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fx("ingest/openalex-works.jsonl.gz")).unwrap();
    let cut = dir.path().join("cut.jsonl.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let got = read(&[cut.clone(), fx("ingest/openalex-works.jsonl")], None);
    assert_eq!(got.errors.len(), 1, "{:?}", got.errors);
    let e = &got.errors[0];
    assert_eq!(e.path, cut);
    assert!(e.message.contains("truncated"), "{e}");
    let before = got.works.len() - 20;
    assert!(before > 0 && before < 20, "{before} works before the cut");
    assert_eq!(
        e.line,
        before as u64 + 1,
        "the error is on the line that was cut"
    );
}

#[test]
fn invalid_json_is_reported_and_latin1_lines_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fx("ingest/openalex-works.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().take(3).collect();
    let mut f = std::fs::File::create(dir.path().join("mixed.jsonl")).unwrap();
    writeln!(f, "{}", lines[0]).unwrap();
    writeln!(f, "{{\"id\": \"W1\", \"title\": ").unwrap();
    f.write_all(b"{\"id\":\"W2\",\"title\":\"caf\xe9\"}\n")
        .unwrap();
    writeln!(f).unwrap();
    writeln!(f, "{}", lines[1]).unwrap();
    writeln!(f, "{{\"title\":\"no id\"}}").unwrap();
    writeln!(f, "{{\"id\":\"W3\",\"publication_year\":\"2020\"}}").unwrap();
    writeln!(f, "{}", lines[2]).unwrap();
    drop(f);
    let got = read(&[dir.path().join("mixed.jsonl")], None);
    // The Latin-1 line is decoded (issue 21: never dropped) and counted.
    assert_eq!(got.works.len(), 4);
    assert_eq!(got.stats.legacy_lines, 1);
    assert!(got.works.iter().any(|w| w.title == "café"));
    let at: Vec<(u64, Option<&str>)> = got
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    assert_eq!(
        at,
        [
            (2, Some("title")),
            (6, Some("id")),
            (7, Some("publication_year"))
        ],
        "{:#?}",
        got.errors
    );
    assert_eq!(
        got.stats.works + got.stats.errors,
        7,
        "every non-blank line accounted for"
    );
}

#[test]
fn a_snapshot_folder_is_walked_and_its_manifest_skipped() {
    let got = read(&[fx("ingest/snapshot")], None);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(
        got.works.len(),
        27,
        "the manifest's record count for part_000"
    );
    assert_eq!(got.stats.files, 1);
}

#[test]
fn saved_api_responses_of_both_apis_are_read() {
    let page = read(&[fx("api/openalex-works-page1.json")], None);
    assert_eq!(page.works.len(), 5);
    assert!(page.works.iter().any(|w| w.id == "W2268101936"));
    let terminal = read(
        &[fx(
            "api/openalex-works-filter-doi-or25-cursor-page2-last.json",
        )],
        None,
    );
    assert!(terminal.works.is_empty() && terminal.errors.is_empty());
    let single = read(
        &[fx("api/openalex-work-W4234567890-paratext-null-title.json")],
        None,
    );
    assert_eq!(single.works[0].title, "");
    let old = read(&[fx("api/openalex-work-W2741809807.json")], None);
    assert!(old.works[0]
        .authorships
        .iter()
        .any(|a| !a.raw_affiliations.is_empty()));
    let cr = read(&[fx("api/crossref-works-query-cursor-page1.json")], None);
    assert_eq!(cr.works.len(), 20);
    assert!(cr.works.iter().all(|w| w.source == Source::Crossref));
    assert!(cr
        .works
        .iter()
        .flat_map(|w| &w.authorships)
        .flat_map(|a| &a.raw_affiliations)
        .any(|a| a.contains("Hebei University of Chinese Medicine")));
    let one = read(
        &[fx("api/crossref-work-10.1136_jclinpath-2020-206745.json")],
        None,
    );
    let w = &one.works[0];
    assert_eq!(w.doi.as_deref(), Some("10.1136/jclinpath-2020-206745"));
    assert_eq!(w.authorships.len(), 15);
    assert!(w
        .title
        .starts_with("Construction of a reference material panel for detecting KRAS/NRAS"));
}

#[test]
fn a_web_of_science_export_keeps_every_record_and_address() {
    let got = read(&[fx("ingest/wos-savedrecs.txt")], None);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.works.len(), 120);
    assert!(got.works.iter().all(|w| w.id.starts_with("WOS:")));
    let first = &got.works[0];
    assert_eq!(first.authorships[0].name, "Gou, Xianfang");
    assert_eq!(first.authorships[0].raw_affiliations.len(), 2);
    // Every C1 address line of the export is attached to someone.
    let text = std::fs::read_to_string(fx("ingest/wos-savedrecs.txt")).unwrap();
    let mut c1 = 0;
    let mut in_c1 = false;
    for l in text.lines() {
        if l.starts_with("C1 ") {
            in_c1 = true;
            c1 += 1;
        } else if in_c1 && l.starts_with("   ") {
            c1 += 1;
        } else {
            in_c1 = false;
        }
    }
    let kept: usize = got
        .works
        .iter()
        .map(|w| {
            let mut all: Vec<&String> = w
                .authorships
                .iter()
                .flat_map(|a| &a.raw_affiliations)
                .collect();
            all.sort();
            all.dedup();
            all.len()
        })
        .sum();
    assert!(kept >= c1, "{kept} distinct addresses kept, {c1} C1 lines");
    // Truncate in the middle of a record: the earlier records survive, the cut one is an error.
    let dir = tempfile::tempdir().unwrap();
    let cut_at = text.match_indices("\nER\n").nth(9).unwrap().0 + 40;
    let cut = dir.path().join("cut.txt");
    std::fs::write(&cut, &text[..cut_at]).unwrap();
    let got = read(&[cut], None);
    assert_eq!(got.works.len(), 10);
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].field.as_deref(), Some("ER"));
}

#[test]
fn a_tab_delimited_wos_export_and_a_scopus_csv_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let tab = dir.path().join("savedrecs.tsv");
    std::fs::write(
        &tab,
        "PT\tAU\tAF\tTI\tC1\tPY\tDI\tUT\r\nJ\tGou, XF; Li, XY\tGou, Xianfang; Li, Xiaoyan\tNano texturing\t[Gou, Xianfang] Harbin Inst Technol, Harbin, Peoples R China; [Li, Xiaoyan] Beijing Univ Technol, Beijing, Peoples R China\t2018\t10.1/x\tWOS:1\r\nJ\tA, B\tA, Bee\tSecond\t\tbad\t\tWOS:2\r\n",
    )
    .unwrap();
    let got = read(std::slice::from_ref(&tab), None);
    assert_eq!(got.works.len(), 1);
    assert_eq!(
        got.works[0].authorships[0].raw_affiliations,
        ["Harbin Inst Technol, Harbin, Peoples R China"]
    );
    assert_eq!(
        (got.errors[0].line, got.errors[0].field.as_deref()),
        (3, Some("PY"))
    );

    let scopus = dir.path().join("scopus.csv");
    std::fs::write(
        &scopus,
        "\u{feff}Authors,Title,Year,DOI,Affiliations,Authors with affiliations,Abstract,Author Keywords,EID\n\
         \"Zhang, Y.; Smith, J.\",\"Quantum, dots\",2021,10.1/Q,\"Harbin Institute of Technology, Harbin, China\",\"Zhang, Y., Harbin Institute of Technology, Harbin, China; Smith, J., University of Oxford, Oxford, United Kingdom\",An abstract.,quantum,2-s2.0-1\n\
         \"Li, X.\",T,20x1,,,,,,2-s2.0-2\n",
    )
    .unwrap();
    let got = read(&[scopus], None);
    assert_eq!(got.works.len(), 1);
    assert_eq!(got.works[0].title, "Quantum, dots");
    assert_eq!(
        got.works[0].authorships[1].raw_affiliations,
        ["University of Oxford, Oxford, United Kingdom"]
    );
    assert_eq!(
        (got.errors[0].line, got.errors[0].field.as_deref()),
        (3, Some("Year"))
    );
}

#[test]
fn a_doi_list_yields_dois_and_errors_for_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dois.txt");
    std::fs::write(
        &p,
        "10.1038/35002501\n# a comment\nhttps://doi.org/10.1111/ABC\nnot one\n",
    )
    .unwrap();
    let got = read(&[p], None);
    assert_eq!(got.dois, ["10.1038/35002501", "10.1111/abc"]);
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].line, 4);
}

#[test]
fn an_unknown_format_is_one_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.txt");
    std::fs::write(&p, "hello\nworld\n").unwrap();
    let got = read(std::slice::from_ref(&p), None);
    assert_eq!(got.errors.len(), 1);
    assert!(got.errors[0].message.contains("--format"));
    // Named explicitly, each line is judged as that format.
    let got = read(&[p], Some(Format::Dois));
    assert_eq!(got.errors.len(), 2);
}

#[test]
fn utf16_nul_bytes_and_deep_nesting_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let utf16 = dir.path().join("export.txt");
    let mut bytes = vec![0xff, 0xfe];
    for u in "FN Clarivate\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    let got = read(&[utf16], None);
    assert_eq!(got.errors.len(), 1);
    assert!(
        got.errors[0].message.contains("UTF-16"),
        "{}",
        got.errors[0]
    );

    let odd = dir.path().join("odd.jsonl");
    let deep = format!(
        "{{\"id\":\"W1\",\"title\":{}1{}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    std::fs::write(
        &odd,
        format!("{{\"id\":\"W0\",\"title\":\"a\\u0000b\"}}\n{{\"id\":\"W2\",\"title\":\"nul \0 raw\"}}\n{deep}\n{{\"id\":\"W3\",\"authorships\":{{}}}}\n"),
    )
    .unwrap();
    let got = read(&[odd], None);
    assert_eq!(
        got.works.len(),
        1,
        "the escaped NUL is data; {:?}",
        got.errors
    );
    assert_eq!(got.works[0].title, "a\u{0}b");
    let lines: Vec<u64> = got.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3, 4], "raw NUL, nesting too deep, wrong type");
    assert_eq!(got.errors[2].field.as_deref(), Some("authorships"));
}

/// Issue 17: JSON `null` is how OpenAlex and Crossref say "none"; every
/// optional field read as `null` is absent, never an error line.
#[test]
fn issue_17_openalex_null_fields_read_as_absent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nulls.jsonl");
    let work = r#"{"id": "https://openalex.org/W1", "doi": null, "title": null, "display_name": null,
        "publication_year": null, "type": null, "abstract_inverted_index": null, "keywords": null,
        "topics": [{"id": null, "display_name": null, "subfield": null, "field": null, "domain": null}],
        "authorships": [{"author_position": null, "author": null, "raw_author_name": null,
            "institutions": null, "raw_affiliation_strings": null, "raw_affiliation_string": null},
            {"author": {"id": null, "display_name": "A. Author", "orcid": null},
             "institutions": [{"id": null, "display_name": null, "ror": null, "country_code": null, "lineage": null}]}]}"#;
    std::fs::write(&path, work.replace('\n', " ") + "\n").unwrap();
    let got = read(&[path], None);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    let w = &got.works[0];
    assert_eq!((w.title.as_str(), w.abstract_text.as_str()), ("", ""));
    assert!(w.keywords.is_empty() && w.doi.is_none() && w.year.is_none());
    assert_eq!(w.authorships.len(), 2);
}

#[test]
fn issue_17_crossref_null_fields_read_as_absent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crossref.json");
    let doc = r#"{"status": "ok", "message": {"DOI": "10.1000/x1", "title": null, "issued": {"date-parts": null},
        "published": null, "type": null, "abstract": null, "subject": null,
        "author": [{"given": null, "family": "Li", "name": null, "ORCID": null, "sequence": null,
            "affiliation": [{"name": "Harbin Institute of Technology", "id": null}]},
            {"family": "Wu", "affiliation": null}]}}"#;
    std::fs::write(&path, doc).unwrap();
    let got = read(&[path], None);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    let w = &got.works[0];
    assert_eq!(w.doi.as_deref(), Some("10.1000/x1"));
    assert_eq!((w.title.as_str(), w.abstract_text.as_str()), ("", ""));
    assert_eq!(w.authorships.len(), 2);
    assert_eq!(
        w.authorships[0].raw_affiliations,
        ["Harbin Institute of Technology"]
    );
}
