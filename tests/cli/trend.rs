//! `coscreen trend` against a small OpenAlex stand-in holding recorded works:
//! it answers `filter` (country, year, lineage OR-lists), `group_by`,
//! `per_page` and `cursor` the way the API does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::common::openalex::{recorded_works, works_page};
use crate::common::server::{Reply, Req, Server};
use crate::common::Env;

fn recorded() -> Vec<Value> {
    recorded_works()
}

fn keeps(w: &Value, clause: &str) -> bool {
    let (key, value) = clause.split_once(':').unwrap();
    let insts = || {
        w["authorships"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["institutions"].as_array().unwrap().iter())
    };
    match key {
        "publication_year" => {
            let y = w["publication_year"].as_u64().unwrap();
            match value.split_once('-') {
                Some((a, b)) => (a.parse().unwrap()..=b.parse().unwrap()).contains(&y),
                None => y == value.parse::<u64>().unwrap(),
            }
        }
        "authorships.institutions.country_code" => insts().any(|i| i["country_code"] == value),
        "authorships.institutions.lineage" => {
            let ids: Vec<&str> = value.split('|').collect();
            insts().any(|i| {
                i["lineage"].as_array().unwrap().iter().any(|l| {
                    ids.contains(
                        &l.as_str()
                            .unwrap()
                            .trim_start_matches("https://openalex.org/"),
                    )
                })
            })
        }
        other => panic!("the stand-in does not know filter {other}"),
    }
}

fn answer(all: &[Value], r: &Req) -> Reply {
    let filter = r.q("filter").expect("filter");
    let hits: Vec<&Value> = all
        .iter()
        .filter(|w| filter.split(',').all(|c| keeps(w, c)))
        .collect();
    if let Some(g) = r.q("group_by") {
        assert_eq!(g, "publication_year");
        let mut by: std::collections::BTreeMap<u64, u64> = Default::default();
        for w in &hits {
            *by.entry(w["publication_year"].as_u64().unwrap())
                .or_default() += 1;
        }
        let groups: Vec<Value> = by
            .iter()
            .map(|(y, n)| json!({"key": y.to_string(), "key_display_name": y.to_string(), "count": n}))
            .collect();
        return Reply::json(serde_json::to_vec(&json!({"meta": {"count": hits.len(), "groups_count": groups.len()}, "group_by": groups})).unwrap());
    }
    let hits: Vec<Value> = hits.into_iter().cloned().collect();
    Reply::json(works_page(&hits, r))
}

fn stand_in(extra: Arc<AtomicBool>) -> Server {
    let base = recorded();
    Server::start(move |r, _| {
        let mut all = base.clone();
        if extra.load(Ordering::SeqCst) {
            // A work added to 2019 since the last run.
            let mut w = all
                .iter()
                .find(|w| w["publication_year"] == 2019)
                .unwrap()
                .clone();
            w["id"] = json!("https://openalex.org/W999999");
            all.push(w);
        }
        answer(&all, r)
    })
}

fn trend(env: &Env, server: &Server, extra: &[&str]) -> crate::common::Run {
    let out = env.path("trend/cn.csv");
    let mut args = vec![
        "trend",
        "--country",
        "CN",
        "--from",
        "2001",
        "--to",
        "2023",
        "--out",
        out.to_str().unwrap(),
        "--openalex-url",
        &server.url,
    ];
    args.extend_from_slice(extra);
    env.run(&args, "")
}

fn rows(env: &Env) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(env.path("trend/cn.csv")).unwrap();
    assert!(text.starts_with("year,"), "line 1 is the column header");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn a_23_year_trend_costs_the_count_columns_plus_the_pages_and_a_warm_rerun_nothing() {
    let extra = Arc::new(AtomicBool::new(false));
    let server = stand_in(extra.clone());
    let env = Env::new();
    trend(&env, &server, &[])
        .assert_exit(0)
        .stderr_contains("23 rows");
    let works_years: std::collections::BTreeSet<u64> = recorded()
        .iter()
        .filter(|w| {
            keeps(w, "authorships.institutions.country_code:CN")
                && keeps(w, "publication_year:2001-2023")
        })
        .map(|w| w["publication_year"].as_u64().unwrap())
        .collect();
    let reqs = server.requests();
    let group_by = reqs.iter().filter(|r| r.q("group_by").is_some()).count();
    assert_eq!(group_by, 2, "joint and listed_ids, one request each");
    assert_eq!(
        reqs.len(),
        2 + works_years.len(),
        "count columns + one page per year with works"
    );
    assert!(reqs
        .iter()
        .all(|r| r.q("group_by").is_some() || r.q("select").is_some()));

    let table = rows(&env);
    let col = |n: &str| table[0].iter().position(|c| c == n).unwrap();
    assert_eq!(table.len(), 24, "header + 23 years");
    let y2021 = table.iter().find(|r| r[0] == "2021").unwrap();
    assert!(
        y2021[col("listed_very_high")].parse::<u64>().unwrap() >= 1,
        "Harbin Institute of Technology"
    );
    for r in &table[1..] {
        assert_eq!(r[col("joint")], r[col("screened")], "year {}", r[0]);
        let listed: u64 = r[col("listed")].parse().unwrap();
        let by_level: u64 = [
            "listed_very_high",
            "listed_high",
            "listed_medium",
            "listed_low",
        ]
        .iter()
        .map(|c| r[col(c)].parse::<u64>().unwrap())
        .sum();
        assert_eq!(listed, by_level, "levels partition the listed papers");
        let by_ids: u64 = r[col("listed_ids")].parse().unwrap();
        assert!(
            by_ids <= listed,
            "id aggregation is a lower bound of per-work matching ({})",
            r[0]
        );
    }
    let csv_before = std::fs::read(env.path("trend/cn.csv")).unwrap();
    assert!(std::fs::read_to_string(env.path("trend/cn.svg"))
        .unwrap()
        .contains("<polyline"));

    // Warm rerun and offline rerun: no request, identical file.
    trend(&env, &server, &[]).assert_exit(0);
    trend(&env, &server, &["--offline"]).assert_exit(0);
    assert_eq!(server.requests().len(), reqs.len());
    assert_eq!(std::fs::read(env.path("trend/cn.csv")).unwrap(), csv_before);

    // A year later (counts expired) with one new 2019 work: the two counts and
    // that one year are fetched again, nothing else.
    extra.store(true, Ordering::SeqCst);
    trend(&env, &server, &["--max-age", "0"]).assert_exit(0);
    let new: Vec<Req> = server.requests()[reqs.len()..].to_vec();
    assert_eq!(new.iter().filter(|r| r.q("group_by").is_some()).count(), 2);
    let pages: Vec<&Req> = new.iter().filter(|r| r.q("group_by").is_none()).collect();
    assert_eq!(
        pages.len(),
        1,
        "{:?}",
        pages.iter().map(|r| &r.raw_query).collect::<Vec<_>>()
    );
    assert!(pages[0]
        .q("filter")
        .unwrap()
        .ends_with("publication_year:2019"));
    let after = rows(&env);
    let y2019 = after.iter().find(|r| r[0] == "2019").unwrap();
    let before_2019 = table.iter().find(|r| r[0] == "2019").unwrap();
    assert_eq!(
        y2019[col("screened")].parse::<u64>().unwrap(),
        before_2019[col("screened")].parse::<u64>().unwrap() + 1
    );
}

#[test]
fn by_university_rows_and_offline_without_cache() {
    let server = stand_in(Arc::new(AtomicBool::new(false)));
    let env = Env::new();
    trend(&env, &server, &["--offline"])
        .assert_exit(2)
        .stderr_contains("--offline");
    assert!(!env.path("trend/cn.csv").exists(), "no half-written file");
    trend(&env, &server, &["--by-university"]).assert_exit(0);
    let table = rows(&env);
    assert_eq!(table[0][1], "university");
    assert!(table
        .iter()
        .any(|r| r[0] == "2021" && r[1] == "Harbin Institute of Technology"));
    assert!(table.iter().any(|r| r[0] == "2021" && r[1] == "(all)"));
    crate::common::Env::new()
        .run(
            &[
                "trend",
                "--country",
                "CN",
                "--from",
                "2020",
                "--to",
                "2001",
                "--out",
                "x.csv",
            ],
            "",
        )
        .assert_exit(2);
}

/// Issue 18: a cron job's trend takes its query (home side, partner, years)
/// from the config file; the CSV is the same as with the flags, and missing
/// years are a usage error that says where they can come from.
#[test]
fn issue_18_trend_takes_its_query_from_the_config_file() {
    let server = stand_in(Arc::new(AtomicBool::new(false)));
    let env = Env::new();
    trend(&env, &server, &[]).assert_exit(0);
    let with_flags = std::fs::read(env.path("trend/cn.csv")).unwrap();
    let cfg = env.write(
        "coscreen.toml",
        "country = \"CN\"\nfrom = 2001\nto = 2023\n",
    );
    let out = env.path("trend/from-config.csv");
    env.run(
        &[
            "trend",
            "--config",
            cfg.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--openalex-url",
            &server.url,
        ],
        "",
    )
    .assert_exit(0);
    assert_eq!(std::fs::read(&out).unwrap(), with_flags);
    let no_years = env.write("no-years.toml", "country = \"CN\"\n");
    env.run(
        &[
            "trend",
            "--config",
            no_years.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    )
    .assert_exit(2)
    .stderr_contains("--from and --to are required");
}
