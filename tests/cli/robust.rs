//! Issue 21, "no silent false clean": every input that cannot be fully
//! screened is counted in coverage with its reason and fails `--fail-on`
//! (unless `--allow-unscreened`); legacy encodings are decoded; format
//! mismatches, unknown files, duplicates, year filters, colliding outputs,
//! credentials and thread counts are handled loudly.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::openalex::{recorded_works, works_page};
use crate::common::server::{Reply, Server};
use crate::common::{Env, Run};

/// A WoS tagged record whose Harbin address line is given by the caller.
fn wos_record(harbin_line: &[u8]) -> Vec<u8> {
    let mut v = b"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Gou, XF\n   Li, XY\nAF Gou, Xianfang\n   Li, Xiaoyan\nTI Application of Nano Texturing on Silicon\nC1 [Gou, Xianfang] Beijing Univ Technol, Beijing 100124, Peoples R China.\n   [Li, Xiaoyan] ".to_vec();
    v.extend_from_slice(harbin_line);
    v.extend_from_slice(
        b"\nPY 2018\nDI 10.5755/J01.MS.24.2.17398\nUT WOS:000432989900002\nER\n\nEF\n",
    );
    v
}

/// One clean OpenAlex work (an Oxford author), as a JSON line.
fn clean_work(id: u32, year: Option<u16>) -> String {
    let year = year.map_or("null".to_owned(), |y| y.to_string());
    format!(
        r#"{{"id":"https://openalex.org/W{id}","doi":"https://doi.org/10.9999/clean.{id}","title":"A clean paper {id}","publication_year":{year},"authorships":[{{"author":{{"display_name":"Ann Smith"}},"raw_affiliation_strings":["University of Oxford, Oxford, UK"],"institutions":[]}}]}}"#
    )
}

fn screen(env: &Env, extra: &[&str]) -> (Run, PathBuf) {
    let out = env.path("out");
    let mut args = vec!["screen", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    (env.run(&args, ""), out)
}

fn report(out: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

#[test]
fn issue_21_a_latin1_byte_in_a_wos_c1_line_is_decoded_and_the_partner_flagged() {
    let env = Env::new();
    let f = env.write(
        "wos.txt",
        wos_record(b"Harbin Inst Technol, D\xe9pt Phys, Harbin 150001, Peoples R China."),
    );
    let (run, out) = screen(&env, &["--input", f.to_str().unwrap(), "--fail-on", "high"]);
    run.assert_exit(1)
        .stderr_contains("decoded as Windows-1252")
        .stdout_contains("1 with an open flag");
    let r = report(&out);
    assert_eq!(r["coverage"]["unscreened"], 0);
    assert!(
        r["coverage"]["legacy_encoding"][0]
            .as_str()
            .unwrap()
            .contains("1 lines"),
        "{r}"
    );
    let papers = std::fs::read_to_string(out.join("papers.csv")).unwrap();
    assert!(papers.contains("Harbin"), "{papers}");
    assert!(
        papers.contains("Dépt Phys"),
        "decoded, not dropped: {papers}"
    );
}

#[test]
fn issue_21_a_tab_delimited_wos_export_without_c1_is_counted_unscreened() {
    let env = Env::new();
    let f = env.write(
        "wos-tab.txt",
        "PT\tAU\tTI\tPY\tDI\tUT\nJ\tGou, XF\tNano Texturing\t2018\t10.1/a\tWOS:000000000000001\nJ\tLi, XY\tSilicon\t2019\t10.1/b\tWOS:000000000000002\n",
    );
    let (run, out) = screen(&env, &["--input", f.to_str().unwrap(), "--fail-on", "high"]);
    run.assert_exit(1)
        .stderr_contains("no `C1`")
        .stderr_contains("2 records or inputs were read but not screened");
    let r = report(&out);
    assert_eq!(r["coverage"]["unscreened"], 2);
    assert_eq!(
        r["coverage"]["unscreened_reasons"]["no affiliation column"],
        2
    );
    let (run, _) = screen(
        &env,
        &[
            "--input",
            f.to_str().unwrap(),
            "--fail-on",
            "high",
            "--allow-unscreened",
        ],
    );
    run.assert_exit(0);
}

#[test]
fn issue_21_a_scopus_csv_with_renamed_affiliation_columns_is_counted_unscreened() {
    let env = Env::new();
    let f = env.write(
        "scopus.csv",
        "Authors,Title,Year,DOI,Addresses,EID\n\"Li X.\",\"Nano\",2019,10.1/c,\"Harbin Institute of Technology, Harbin, China\",2-s2.0-1\n",
    );
    let (run, out) = screen(&env, &["--input", f.to_str().unwrap(), "--fail-on", "high"]);
    run.assert_exit(1).stderr_contains("Affiliations");
    assert_eq!(
        report(&out)["coverage"]["unscreened_reasons"]["no affiliation column"],
        1
    );
}

#[test]
fn issue_21_format_wos_on_openalex_json_lines_is_an_error_naming_the_file() {
    let env = Env::new();
    let f = env.write("works.jsonl", clean_work(1, Some(2020)) + "\n");
    let (run, _) = screen(&env, &["--input", f.to_str().unwrap(), "--format", "wos"]);
    run.assert_exit(2)
        .stderr_contains("works.jsonl")
        .stderr_contains("looks like OpenAlex JSON");
}

#[test]
fn issue_21_a_file_that_gives_no_records_is_counted_unscreened() {
    let env = Env::new();
    // Forced WoS on text without a single `PT` record.
    let f = env.write("notes.txt", "Exported records\nthis is not a record\n");
    let (run, out) = screen(
        &env,
        &[
            "--input",
            f.to_str().unwrap(),
            "--format",
            "wos",
            "--fail-on",
            "low",
        ],
    );
    run.assert_exit(1).stderr_contains("no records found");
    assert_eq!(
        report(&out)["coverage"]["unscreened_reasons"]["input gave no records"],
        1
    );
}

#[test]
fn issue_21_unknown_files_in_an_input_folder_are_reported_and_fail_fail_on() {
    let env = Env::new();
    let dir = env.path("exports");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("works.jsonl"), clean_work(1, Some(2020)) + "\n").unwrap();
    std::fs::write(dir.join("savedrecs.ris"), "TY  - JOUR\nER  -\n").unwrap();
    let d = dir.to_str().unwrap();
    let (run, out) = screen(&env, &["--input", d, "--fail-on", "low"]);
    run.assert_exit(1).stderr_contains("savedrecs.ris");
    let r = report(&out);
    assert_eq!(r["coverage"]["unscreened_reasons"]["unknown file type"], 1);
    assert_eq!(r["summary"]["works"], 1);
    let (run, _) = screen(
        &env,
        &["--input", d, "--fail-on", "low", "--allow-unscreened"],
    );
    run.assert_exit(0);
}

#[test]
fn issue_21_a_truncated_gz_fails_fail_on() {
    let env = Env::new();
    let full = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ingest/openalex-works.jsonl.gz"),
    )
    .unwrap();
    let f = env.write("cut.jsonl.gz", &full[..full.len() / 2]);
    let (run, out) = screen(
        &env,
        &["--input", f.to_str().unwrap(), "--fail-on", "very-high"],
    );
    run.assert_exit(1).stderr_contains("not screened");
    assert_eq!(
        report(&out)["coverage"]["unscreened_reasons"]["truncated compressed input"],
        1
    );
}

#[test]
fn issue_21_the_same_file_twice_counts_every_work_once() {
    let env = Env::new();
    let f = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest/openalex-works.jsonl");
    let f = f.to_str().unwrap();
    let (once, out) = screen(&env, &["--input", f]);
    once.assert_exit(0);
    let one = report(&out);
    let (twice, out) = screen(&env, &["--input", f, "--input", f]);
    twice.assert_exit(0);
    let two = report(&out);
    assert_eq!(two["summary"], one["summary"]);
    assert_eq!(two["coverage"]["works"], one["coverage"]["works"]);
    assert_eq!(two["coverage"]["duplicates_merged"], 20);
    assert_eq!(two["papers"], one["papers"]);
    assert_eq!(two["universities"], one["universities"]);
}

#[test]
fn issue_21_overlapping_exports_are_merged_by_doi_and_keep_every_partner() {
    let env = Env::new();
    // The same paper from OpenAlex (clean Oxford address) and from WoS (Harbin).
    let oa = format!(
        "{}\n{}\n",
        clean_work(7, Some(2018)).replace("10.9999/clean.7", "10.5755/J01.MS.24.2.17398"),
        clean_work(8, Some(2018))
    );
    let a = env.write("a.jsonl", oa);
    let b = env.write(
        "b.txt",
        wos_record(b"Harbin Inst Technol, Harbin 150001, Peoples R China."),
    );
    let (run, out) = screen(
        &env,
        &[
            "--input",
            a.to_str().unwrap(),
            "--input",
            b.to_str().unwrap(),
        ],
    );
    run.assert_exit(0)
        .stdout_contains("screened 2 works: 1 with an open flag");
    let r = report(&out);
    assert_eq!(r["coverage"]["duplicates_merged"], 1);
    assert_eq!(r["papers"].as_array().unwrap().len(), 1);
}

#[test]
fn issue_21_a_file_input_never_walks_the_api_and_is_filtered_by_year() {
    let works = recorded_works();
    let server = Server::start(move |r, _| Reply::json(works_page(&works, r)));
    let env = Env::new();
    let f = env.write(
        "w.jsonl",
        [
            clean_work(1, Some(2018)),
            clean_work(2, Some(2019)),
            clean_work(3, Some(2020)),
            clean_work(4, None),
        ]
        .join("\n"),
    );
    let (run, out) = screen(
        &env,
        &[
            "--input",
            f.to_str().unwrap(),
            "--from",
            "2019",
            "--to",
            "2020",
            "--openalex-url",
            &server.url,
        ],
    );
    run.assert_exit(0).stdout_contains("screened 3 works");
    assert_eq!(server.requests().len(), 0, "no API walk for a file input");
    let r = report(&out);
    assert_eq!(r["coverage"]["outside_years"], 1);
    assert_eq!(r["coverage"]["year_unknown"], 1);
}

#[test]
fn issue_21_offline_with_a_doi_list_and_nothing_cached_exits_2() {
    let env = Env::new();
    let f = env.write("dois.txt", "10.1038/35002501\n10.1000/xyz\n");
    let (run, _) = screen(&env, &["--input", f.to_str().unwrap(), "--offline"]);
    run.assert_exit(2).stderr_contains("none of the 2 DOIs");
}

#[test]
fn issue_21_thread_counts_are_capped_at_the_cores() {
    let env = Env::new();
    let f = env.write("w.jsonl", clean_work(1, Some(2020)));
    let t = std::time::Instant::now();
    let (run, _) = screen(
        &env,
        &["--input", f.to_str().unwrap(), "--threads", "100000"],
    );
    run.assert_exit(0).stderr_contains("cores; using");
    assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
}

#[test]
fn issue_21_trend_output_paths_that_collide_are_refused() {
    let env = Env::new();
    let server = Server::start(|_, _| Reply::status(500, "no"));
    for extra in [
        &["--out", "t.csv", "--svg", "t.csv"][..],
        &["--out", "t.svg"][..],
        &["--out", "t.csv", "--svg", "./sub/../t.csv"][..],
    ] {
        let mut args = vec![
            "trend",
            "--country",
            "CN",
            "--from",
            "2020",
            "--to",
            "2021",
            "--openalex-url",
            &server.url,
        ];
        args.extend_from_slice(extra);
        env.run(&args, "")
            .assert_exit(2)
            .stderr_contains("name the same file");
        assert!(!env.path("t.csv").exists() && !env.path("t.svg").exists());
    }
    assert_eq!(server.requests().len(), 0, "refused before any request");
}

#[test]
fn issue_21_credentials_in_a_base_url_reach_no_output() {
    let works = recorded_works();
    let server = Server::start(move |r, _| Reply::json(works_page(&works, r)));
    let env = Env::new();
    let url = server.url.replacen("://", "://user:secret@", 1);
    let (run, out) = screen(
        &env,
        &[
            "--country",
            "CN",
            "--from",
            "2000",
            "--to",
            "2024",
            "--openalex-url",
            &url,
            "-v",
        ],
    );
    run.assert_exit(0);
    assert!(!run.stderr().contains("secret"), "{}", run.stderr());
    assert!(!run.stdout().contains("secret"));
    let mut files = 0;
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        let text = if p.extension().is_some_and(|e| e == "xlsx") {
            // A zip: read every part.
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut all = String::new();
            for i in 0..z.len() {
                let mut f = z.by_index(i).unwrap();
                let _ = std::io::Read::read_to_string(&mut f, &mut all);
            }
            all
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        assert!(text.contains("127.0.0.1") || !p.to_string_lossy().ends_with("report.json"));
        assert!(!text.contains("secret"), "credential in {}", p.display());
        files += 1;
    }
    assert!(files >= 6, "the whole report set, the workbook too");
    assert!(report(&out)["manifest"]["source"]
        .as_str()
        .unwrap()
        .contains("127.0.0.1"));
}

#[test]
fn issue_21_a_failed_write_leaves_the_previous_report_set_intact() {
    let env = Env::new();
    let a = env.write("a.jsonl", clean_work(1, Some(2020)));
    let b = env.write(
        "b.jsonl",
        [clean_work(2, Some(2021)), clean_work(3, Some(2022))].join("\n"),
    );
    let (run, out) = screen(&env, &["--input", a.to_str().unwrap()]);
    run.assert_exit(0);
    let before: Vec<(String, Vec<u8>)> = [
        "papers.csv",
        "report.json",
        "report.html",
        "universities.csv",
    ]
    .iter()
    .map(|n| (n.to_string(), std::fs::read(out.join(n)).unwrap()))
    .collect();
    std::fs::write(out.join("decisions-notes.txt"), "kept").unwrap();
    let args = [
        "screen",
        "--out",
        out.to_str().unwrap(),
        "--input",
        b.to_str().unwrap(),
    ];
    let failed = Run::from_output(
        &args,
        env.cmd(&args)
            .env("COSCREEN_TEST_FAIL_WRITE", "report.html")
            .output()
            .unwrap(),
    );
    failed.assert_exit(2).stderr_contains("report.html");
    for (n, bytes) in &before {
        assert_eq!(&std::fs::read(out.join(n)).unwrap(), bytes, "{n} changed");
    }
    let stray: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp") || n.contains(".old"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    // The next good run replaces the whole set and keeps the foreign file.
    screen(&env, &["--input", b.to_str().unwrap()])
        .0
        .assert_exit(0);
    assert_eq!(report(&out)["summary"]["works"], 2);
    assert_eq!(
        std::fs::read_to_string(out.join("decisions-notes.txt")).unwrap(),
        "kept"
    );
}

#[test]
fn issue_21_a_second_writer_to_the_same_out_is_refused() {
    let env = Env::new();
    let a = env.write("a.jsonl", clean_work(1, Some(2020)));
    let lock = std::fs::File::create(env.path(".out.lock")).unwrap();
    assert!(fs4::fs_std::FileExt::try_lock_exclusive(&lock).unwrap());
    let (run, out) = screen(&env, &["--input", a.to_str().unwrap()]);
    run.assert_exit(2)
        .stderr_contains("another coscreen run is writing to");
    assert!(!out.exists());
    drop(lock);
    screen(&env, &["--input", a.to_str().unwrap()])
        .0
        .assert_exit(0);
}

/// Screens the recorded works through the test server (20 stored, 14 screened).
fn api_screen(env: &Env, server: &Server, extra: &[&str]) -> (Run, PathBuf) {
    let mut args = vec![
        "--country",
        "CN",
        "--from",
        "2000",
        "--to",
        "2024",
        "--openalex-url",
        &server.url,
    ];
    args.extend_from_slice(extra);
    screen(env, &args)
}

fn damage(env: &Env, sql: &str) {
    let db = rusqlite::Connection::open(env.path("coscreen/cache.sqlite")).unwrap();
    db.execute_batch(sql).unwrap();
}

#[test]
fn issue_21_deleted_cache_rows_are_refetched_online_and_counted_offline() {
    let works = recorded_works();
    let server = Server::start(move |r, _| Reply::json(works_page(&works, r)));
    let env = Env::new();
    api_screen(&env, &server, &[])
        .0
        .assert_exit(0)
        .stdout_contains("screened 14 works");
    damage(
        &env,
        "DELETE FROM records WHERE id IN (SELECT id FROM records ORDER BY id LIMIT 3);",
    );
    // (The recorded works hold very-high partners: coverage tells the rest.)
    let (run, out) = api_screen(&env, &server, &["--offline"]);
    run.assert_exit(0)
        .stdout_contains("3 read but not screened")
        .stderr_contains("lacks 3 of its 20 works")
        .stderr_contains("use another --cache");
    let r = report(&out);
    assert_eq!(
        r["coverage"]["unscreened_reasons"]["missing from the cache (offline)"],
        3
    );
    let before = server.requests().len();
    api_screen(&env, &server, &[])
        .0
        .assert_exit(0)
        .stdout_contains("screened 14 works");
    assert!(server.requests().len() > before, "refetched online");
    api_screen(&env, &server, &["--offline"])
        .0
        .assert_exit(0)
        .stdout_contains("screened 14 works")
        .stdout_contains("0 read but not screened");
}

#[test]
fn issue_21_a_dropped_cache_table_is_detected_and_refetched() {
    let works = recorded_works();
    let server = Server::start(move |r, _| Reply::json(works_page(&works, r)));
    let env = Env::new();
    api_screen(&env, &server, &[]).0.assert_exit(0);
    damage(&env, "DROP TABLE query_records;");
    let (run, out) = api_screen(&env, &server, &["--offline"]);
    run.assert_exit(0)
        .stderr_contains("query_records")
        .stdout_contains("screened 0 works");
    assert_eq!(report(&out)["coverage"]["unscreened"], 20);
    damage(&env, "DROP TABLE records;");
    api_screen(&env, &server, &[])
        .0
        .assert_exit(0)
        .stdout_contains("screened 14 works");
}

#[test]
fn issue_21_an_unreadable_cached_record_is_fetched_again_online() {
    let works = recorded_works();
    let server = Server::start(move |r, _| Reply::json(works_page(&works, r)));
    let env = Env::new();
    api_screen(&env, &server, &[]).0.assert_exit(0);
    damage(
        &env,
        "UPDATE records SET body = '{broken' WHERE id = (SELECT MIN(id) FROM records);",
    );
    let (run, out) = api_screen(&env, &server, &[]);
    run.assert_exit(0)
        .stderr_contains("unreadable; fetching them again")
        .stdout_contains("screened 14 works")
        .stdout_contains("0 source errors");
    assert_eq!(report(&out)["coverage"]["unscreened"], 0);
    api_screen(&env, &server, &["--offline"])
        .0
        .assert_exit(0)
        .stdout_contains("0 source errors");
}

#[test]
fn issue_21_a_damaged_cache_file_says_remove_it_or_use_another_cache() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("coscreen")).unwrap();
    std::fs::write(env.path("coscreen/cache.sqlite"), vec![b'x'; 8192]).unwrap();
    let f = env.write("dois.txt", "10.1038/35002501\n");
    let (run, _) = screen(&env, &["--input", f.to_str().unwrap()]);
    run.assert_exit(2)
        .stderr_contains("remove it or use another --cache");
}

#[test]
fn issue_21_an_unreadable_cached_doi_record_is_fetched_again_online() {
    let all = recorded_works();
    let dois: Vec<String> = all
        .iter()
        .filter_map(|w| w["doi"].as_str())
        .map(|d| d.trim_start_matches("https://doi.org/").to_owned())
        .take(3)
        .collect();
    let server = Server::start(move |r, _| {
        let filter = r.q("filter").unwrap_or("").to_lowercase();
        let hits: Vec<&Value> = all
            .iter()
            .filter(|w| {
                w["doi"].as_str().is_some_and(|d| {
                    filter.contains(&d.trim_start_matches("https://doi.org/").to_lowercase())
                })
            })
            .collect();
        Reply::json(
            serde_json::to_vec(&serde_json::json!({
                "meta": {"count": hits.len(), "per_page": 200, "next_cursor": null},
                "results": hits
            }))
            .unwrap(),
        )
    });
    let env = Env::new();
    let list = env.write("dois.txt", dois.join("\n"));
    let args = [
        "--input",
        list.to_str().unwrap(),
        "--openalex-url",
        &server.url,
    ];
    screen(&env, &args)
        .0
        .assert_exit(0)
        .stdout_contains("screened 3 works");
    damage(
        &env,
        "UPDATE records SET body = '{broken' WHERE id = (SELECT MIN(id) FROM records);",
    );
    let before = server.requests().len();
    let (run, out) = screen(&env, &args);
    run.assert_exit(0)
        .stdout_contains("screened 3 works")
        .stdout_contains("0 read but not screened");
    assert_eq!(
        server.requests().len(),
        before + 1,
        "one batch for the dropped record"
    );
    assert_eq!(report(&out)["coverage"]["source_errors"], 0);
}

#[test]
fn issue_21_an_unbroken_300_character_title_wraps_in_the_html_table() {
    let Some(browser) = ["chromium", "chromium-browser"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        assert!(
            std::env::var_os("COSCREEN_REQUIRE_BROWSER").is_none(),
            "COSCREEN_REQUIRE_BROWSER is set but chromium is not installed"
        );
        return;
    };
    let env = Env::new();
    let token = "X".repeat(300);
    let work = serde_json::json!({
        "id": "https://openalex.org/W1",
        "title": format!("{token} quantum key distribution"),
        "publication_year": 2022,
        "authorships": [{"author": {"display_name": "A"},
            "raw_affiliation_strings": ["Harbin Institute of Technology, Harbin 150001, China"],
            "institutions": []}]
    });
    let f = env.write("w.jsonl", work.to_string());
    let (run, out) = screen(&env, &["--input", f.to_str().unwrap()]);
    run.assert_exit(0).stdout_contains("1 with an open flag");
    // The report as written, plus a probe that records the page's width
    // (the page's Content-Security-Policy, which would block the probe, is
    // left out of the copy).
    let mut page = std::fs::read_to_string(out.join("report.html")).unwrap();
    if let Some(at) = page.find("<meta http-equiv=\"Content-Security-Policy\"") {
        let end = at + page[at..].find('>').unwrap() + 1;
        page.replace_range(at..end, "");
    }
    let page = page.replace(
        "</body>",
        "<script>document.body.setAttribute('data-sw', String(document.documentElement.scrollWidth))</script></body>",
    );
    let probe = env.write("probe.html", page);
    let dom = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--window-size=1200,900",
            &format!("--user-data-dir={}", env.path("profile").display()),
            "--dump-dom",
        ])
        .arg(format!("file://{}", probe.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    let sw: u32 = dom
        .split("data-sw=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no width probe in {}", &dom[..dom.len().min(300)]));
    assert!(sw <= 1200, "the page is {sw}px wide in a 1200px window");
}
