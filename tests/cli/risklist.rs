//! `coscreen risklist` and `--extra-list`.

use crate::common::Env;

#[test]
fn json_entries_carry_the_required_fields() {
    let env = Env::new();
    let j = env
        .run(&["risklist", "--format", "json"], "")
        .assert_exit(0)
        .stdout_json();
    let version = j["version"].as_str().unwrap();
    assert!(
        version.len() == 10 && version.starts_with("20"),
        "{version}"
    );
    assert_eq!(j["hash"].as_str().unwrap().len(), 16);
    let entries = j["entries"].as_array().unwrap();
    assert!(entries.len() >= 290);
    for key in [
        "id",
        "name",
        "ror",
        "openalex",
        "parent",
        "country",
        "risk_level",
        "lists",
        "sources",
    ] {
        assert!(
            entries.iter().all(|e| e.get(key).is_some()),
            "missing {key}"
        );
    }
    let hit = entries
        .iter()
        .find(|e| e["id"] == "harbin-institute-of-technology")
        .unwrap();
    assert!(hit["lists"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["kind"] == "designation" && l["list"] == "us_entity_list"));
}

#[test]
fn csv_has_the_data_columns_and_reads_back() {
    let env = Env::new();
    let out = env
        .run(&["risklist", "--format", "csv"], "")
        .assert_exit(0)
        .stdout();
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert_eq!(&headers[16], "risk_level");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert!(rows.len() >= 290);
}

#[test]
fn table_ends_with_counts_and_the_list_version() {
    let env = Env::new();
    let out = env.run(&["risklist"], "").assert_exit(0).stdout();
    let last = out.lines().last().unwrap();
    assert!(
        last.contains("entries:")
            && last.contains("very_high")
            && last.contains("risk list 20")
            && last.contains(", hash "),
        "{last}"
    );
}

#[test]
fn an_extra_list_adds_an_office_watchlist_entry() {
    let env = Env::new();
    let file = env.write(
        "watch.csv",
        "id,name,aliases,country,lists,sources\nexample-photonics-lab,Example Photonics Laboratory,EPL Wuhan,CN,office_watchlist:high@2025-01-15,https://intranet.example.org/decision/17\n",
    );
    let run = env.run(
        &["match", "--extra-list", file.to_str().unwrap()],
        "Example Photonics Laboratory, Wuhan, China\n",
    );
    run.assert_exit(0);
    let m = &run.stdout_jsonl()[0]["matches"][0];
    assert_eq!(m["id"], "example-photonics-lab");
    assert_eq!(m["risk_level"], "high");
    assert_eq!(m["lists"][0], "office_watchlist");
}

#[test]
fn a_bad_extra_list_names_file_line_and_column() {
    let env = Env::new();
    let file = env.write("bad.csv", "id,name,country,lists,sources\nok,OK Lab,CN,office@2025,https://x.example\nbad,Bad Lab,China,office@2025,https://x.example\n");
    env.run(&["risklist", "--extra-list", file.to_str().unwrap()], "")
        .assert_exit(2)
        .stderr_contains(
            "bad.csv: line 3: column 'country': 'China' is not an ISO 3166-1 alpha-2 code",
        );
}

#[test]
fn help_and_unknown_flags() {
    let env = Env::new();
    env.run(&["--help"], "")
        .assert_exit(0)
        .stdout_contains("lookup");
    env.run(&["risklist", "--no-such-flag"], "").assert_exit(2);
}

fn csl_fixture(name: &str) -> String {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csl")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn issue_15_import_turns_the_csl_into_an_extra_list_that_lookup_uses() {
    let env = Env::new();
    let out = env.path("imported.csv");
    let run = env.run(
        &[
            "risklist",
            "import",
            &csl_fixture("consolidated-sample.csv"),
            "--research-only",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    run.assert_exit(0)
        .stderr_contains("19 rows read, 5 converted, 0 not converted");
    let text = std::fs::read_to_string(&out).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let ciomp = rows
        .iter()
        .find(|r| r[1].starts_with("Chinese Academy of Sciences Changchun Institute"))
        .expect("CIOMP is imported");
    assert_eq!(&ciomp[6], "CN");
    assert_eq!(&ciomp[12], "us_entity_list:90 FR 560@2025-01-06");
    assert!(ciomp[4].contains("CIOMP"), "acronyms: {}", &ciomp[4]);
    assert!(ciomp[14].contains("https://www.federalregister.gov/citation/90-FR-560"));
    // The Military End User row keeps its own list, the companies are left out.
    assert!(rows
        .iter()
        .any(|r| r[12].starts_with("us_meu_list:85 FR 83799@2020-12-23")));
    assert!(!rows.iter().any(|r| r[1].contains("Co., Ltd.")));

    let j = env
        .run(
            &[
                "lookup",
                "--extra-list",
                out.to_str().unwrap(),
                "--json",
                "Changchun Institute of Optics, Fine Mechanics, and Physics, CAS, Changchun, China",
            ],
            "",
        )
        .assert_exit(0)
        .stdout_json();
    let ids: Vec<&str> = j["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert!(
        ids.iter()
            .any(|id| id.starts_with("csl-chinese-academy-of-sciences-changchun")),
        "{ids:?}"
    );
}

#[test]
fn issue_15_import_reads_the_json_download_alike_and_reports_what_it_cannot_convert() {
    let env = Env::new();
    let from_csv = env
        .run(
            &[
                "risklist",
                "import",
                &csl_fixture("consolidated-sample.csv"),
            ],
            "",
        )
        .assert_exit(0)
        .stdout();
    let run = env.run(
        &[
            "risklist",
            "import",
            &csl_fixture("consolidated-sample.json"),
        ],
        "",
    );
    run.assert_exit(0)
        .stderr_contains("result 6: not converted: no country in its addresses")
        .stderr_contains("1 type individual");
    assert_eq!(
        run.stdout(),
        from_csv,
        "CSV and JSON downloads give the same list"
    );
    env.run(&["risklist", "import", &csl_fixture("consolidated-sample.csv")], "")
        .stderr_contains("line 7: not converted: no country in its addresses (the extra list needs one) (A & C International Trade, Inc.)");
    // Every converted row loads with the bundled list.
    let file = env.write("all.csv", from_csv.as_bytes());
    env.run(&["risklist", "--extra-list", file.to_str().unwrap()], "")
        .assert_exit(0);
}

#[test]
fn issue_15_import_filters_by_country_and_fails_on_an_unreadable_file() {
    let env = Env::new();
    let out = env
        .run(
            &[
                "risklist",
                "import",
                &csl_fixture("consolidated-sample.csv"),
                "--country",
                "pk",
                "--list",
                "office_refresh",
            ],
            "",
        )
        .assert_exit(0)
        .stdout();
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let names: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(
        names,
        [
            "Abdul Satar Ghoura",
            "Emerging Future Solutions Private Limited"
        ]
    );
    assert!(rows
        .iter()
        .all(|r| &r[6] == "PK" && r[12].starts_with("office_refresh:")));
    env.run(&["risklist", "import", "/no/such/consolidated.csv"], "")
        .assert_exit(2)
        .stderr_contains("cannot read /no/such/consolidated.csv");
    let bad = env.write("bad.csv", "id,name\n1,x\n");
    env.run(&["risklist", "import", bad.to_str().unwrap()], "")
        .assert_exit(2)
        .stderr_contains("not a Consolidated Screening List CSV");
}
