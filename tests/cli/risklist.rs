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
