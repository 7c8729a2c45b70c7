//! `coscreen fetch` against a local server replaying recorded OpenAlex and
//! Crossref responses, with injected faults. Each scenario asserts the
//! requests it needs.

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::openalex::{recorded_works, works_page};
use crate::common::server::{Reply, Req, Server};
use crate::common::Env;

const KEY: &str = "sekrit-key-123";

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn works() -> Vec<Value> {
    recorded_works()
}

/// An OpenAlex works endpoint over `all` that refuses `per_page` above `max`.
fn page(all: &[Value], r: &Req, max: usize) -> Reply {
    let per: usize = r.q("per_page").and_then(|p| p.parse().ok()).unwrap_or(25);
    if per > max {
        return Reply::status(
            400,
            format!(
                r#"{{"error":"Invalid query parameters error.","message":"per_page must be between 1 and {max}"}}"#
            ),
        );
    }
    Reply::json(works_page(all, r))
        .header("x-ratelimit-limit", "100")
        .header("x-ratelimit-remaining", "99")
}

fn fetch_args<'a>(server: &'a Server, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "fetch",
        "--openalex-url",
        &server.url,
        "--crossref-url",
        &server.url,
        "--country",
        "GB",
        "--partner-country",
        "CN",
        "--from",
        "2015",
        "--to",
        "2021",
        "--backoff-ms",
        "10",
        "--json",
    ];
    a.extend_from_slice(extra);
    a
}

fn summary(run: &crate::common::Run) -> Value {
    run.stdout_json()
}

/// The work ids the cache holds for the test query, read through the library.
fn cached_ids(cache: &Path) -> Vec<String> {
    let c = coscreen::net::cache::Cache::open(cache).unwrap();
    let mut ids = Vec::new();
    let key = coscreen::net::openalex::WorksQuery::new(vec![
        "authorships.institutions.country_code:GB".into(),
        "authorships.institutions.country_code:CN".into(),
        "publication_year:2015-2021".into(),
    ])
    .key();
    c.for_each_in_query(&key, &mut |r| {
        ids.push(r.id);
        Ok(())
    })
    .unwrap();
    ids
}

#[test]
fn a_cursor_walk_reaches_the_end_with_the_fewest_requests() {
    let all = works();
    let server = Server::start(move |r, _| page(&all, r, 200));
    let env = Env::new();
    let cache = env.path("c.sqlite");
    let run = env.run_with_key(
        &fetch_args(
            &server,
            &[
                "--cache",
                cache.to_str().unwrap(),
                "--per-page",
                "7",
                "--mailto",
                "office@example.org",
            ],
        ),
        KEY,
    );
    run.assert_exit(0);
    let s = summary(&run);
    assert_eq!(s["works"], 20);
    assert_eq!(
        s["pages"], 3,
        "pages of 7, 7 and 6: the short page ends the walk"
    );
    assert_eq!(s["requests"]["openalex list"], 3);
    assert_eq!(s["complete"], true);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let first = &reqs[0];
    assert_eq!(first.path, "/works");
    assert_eq!(
        first.q("filter"),
        Some("authorships.institutions.country_code:GB,authorships.institutions.country_code:CN,publication_year:2015-2021")
    );
    assert_eq!(first.q("select"), Some(coscreen::ingest::openalex::SELECT));
    assert_eq!(first.q("cursor"), Some("*"));
    assert_eq!(first.q("api_key"), Some(KEY));
    assert_eq!(first.q("mailto"), Some("office@example.org"));
    assert!(first.user_agent.contains("mailto:office@example.org"));
    assert_eq!(reqs[1].q("cursor"), Some("c7"));
    // The key is never written anywhere we keep.
    let bytes = std::fs::read(&cache).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains(KEY));
    assert!(!run.stdout().contains(KEY) && !run.stderr().contains(KEY));
    assert_eq!(cached_ids(&cache).len(), 20);
}

#[test]
fn a_rerun_and_an_offline_run_send_no_request() {
    let all = works();
    let server = Server::start(move |r, _| page(&all, r, 200));
    let env = Env::new();
    env.run(&fetch_args(&server, &[]), "").assert_exit(0);
    assert_eq!(server.requests().len(), 1, "20 works fit one page");
    let again = env.run(&fetch_args(&server, &[]), "");
    again.assert_exit(0);
    assert_eq!(summary(&again)["queries_from_cache"], 1);
    let off = env.run(&fetch_args(&server, &["--offline"]), "");
    off.assert_exit(0);
    assert_eq!(summary(&off)["works"], 20);
    assert_eq!(server.requests().len(), 1, "no request after the first run");
    // --refresh walks again.
    env.run(&fetch_args(&server, &["--refresh"]), "")
        .assert_exit(0);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn offline_without_a_cached_query_is_a_clear_error() {
    let server = Server::start(|_, _| panic!("offline must not send"));
    let env = Env::new();
    env.run(&fetch_args(&server, &["--offline"]), "")
        .assert_exit(2)
        .stderr_contains("not in the cache");
    assert!(server.requests().is_empty());
}

#[test]
fn a_429_with_retry_after_then_success() {
    let all = works();
    let server = Server::start(move |r, n| {
        if n == 0 {
            Reply::status(429, r#"{"error":"Too Many Requests"}"#).header("retry-after", "1")
        } else {
            page(&all, r, 200)
        }
    });
    let env = Env::new();
    let t = std::time::Instant::now();
    let run = env.run(&fetch_args(&server, &[]), "");
    run.assert_exit(0);
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "Retry-After honoured"
    );
    let s = summary(&run);
    assert_eq!(
        (s["works"].as_u64(), s["retries"].as_u64()),
        (Some(20), Some(1))
    );
    assert_eq!(server.requests().len(), 2, "429, then the one page");
    run.stderr_contains("429");
}

#[test]
fn server_errors_then_success() {
    let all = works();
    let err500 = fixture("api/crossref-error-500-members-cursor.json");
    let server = Server::start(move |r, n| match n {
        0 => Reply::status(500, err500.clone()),
        1 => Reply::status(503, "Service Unavailable"),
        _ => page(&all, r, 200),
    });
    let env = Env::new();
    let run = env.run(&fetch_args(&server, &[]), "");
    run.assert_exit(0);
    assert_eq!(summary(&run)["retries"], 2);
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_connection_dropped_mid_body_is_retried() {
    let all = works();
    let server = Server::start(move |r, n| match n {
        1 => Reply::Drop(br#"{"meta":{"count":20,"next_cursor":"c"#.to_vec()),
        _ => page(&all, r, 200),
    });
    let env = Env::new();
    let run = env.run(&fetch_args(&server, &["--per-page", "10"]), "");
    run.assert_exit(0);
    let s = summary(&run);
    assert_eq!(
        (s["works"].as_u64(), s["retries"].as_u64()),
        (Some(20), Some(1))
    );
    // page 1, dropped page 2, page 2 again; 20 of 20 works: no terminal page.
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        server.requests()[1].q("cursor"),
        server.requests()[2].q("cursor")
    );
}

#[test]
fn retries_run_out_with_exit_3_and_a_clear_error() {
    let server = Server::start(|_, _| Reply::status(503, "down"));
    let env = Env::new();
    let run = env.run_with_key(&fetch_args(&server, &["--retries", "2"]), KEY);
    run.assert_exit(3).stderr_contains("after 3 attempts");
    assert_eq!(server.requests().len(), 3);
    assert!(!run.stderr().contains(KEY), "{}", run.stderr());
}

#[test]
fn a_malformed_page_is_retried_then_named_in_the_error() {
    let server = Server::start(|_, _| Reply::json(r#"{"meta":{"count":3},"results":[{"id":"#));
    let env = Env::new();
    let run = env.run_with_key(&fetch_args(&server, &["--retries", "2"]), KEY);
    run.assert_exit(3)
        .stderr_contains("malformed response")
        .stderr_contains("after 3 attempts")
        .stderr_contains("/works?filter=authorships.institutions.country_code");
    assert!(!run.stderr().contains(KEY));
    assert_eq!(
        server.requests().len(),
        3,
        "a truncated page may be a transient fault: retried"
    );
}

#[test]
fn a_rejected_api_key_is_exit_3_without_retries() {
    let body = fixture("api/openalex-error-401-rate-limit-invalid-api-key.json");
    let server = Server::start(move |_, _| Reply::status(401, body.clone()));
    let env = Env::new();
    let run = env.run_with_key(&fetch_args(&server, &[]), KEY);
    run.assert_exit(3)
        .stderr_contains("rejected the credentials (HTTP 401)")
        .stderr_contains("COSCREEN_OPENALEX_API_KEY");
    assert!(!run.stderr().contains(KEY));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_refused_page_size_falls_back_to_100() {
    let all: Vec<Value> = works().into_iter().cycle().take(150).collect();
    let server = Server::start(move |r, _| page(&all, r, 100));
    let env = Env::new();
    let run = env.run(&fetch_args(&server, &[]), "");
    run.assert_exit(0);
    let reqs = server.requests();
    assert_eq!(reqs[0].q("per_page"), Some("200"));
    assert_eq!(reqs[1].q("per_page"), Some("100"));
    // refused, 100, then the short page of 50
    assert_eq!(reqs.len(), 3);
}

#[test]
fn a_request_budget_stops_cleanly_and_the_rerun_resumes_without_gap_or_duplicate() {
    let all = works();
    let all2 = all.clone();
    let server = Server::start(move |r, _| page(&all2, r, 200));
    let env = Env::new();
    let run = env.run(
        &fetch_args(&server, &["--per-page", "6", "--max-requests", "2"]),
        "",
    );
    run.assert_exit(0).stderr_contains("rerun");
    let s = summary(&run);
    assert_eq!(s["complete"], false);
    assert_eq!(
        server.requests().len(),
        2,
        "stopped before exceeding the budget"
    );
    let cache = env.dir.path().join("coscreen/cache.sqlite");
    assert_eq!(cached_ids(&cache).len(), 12);
    let rest = env.run(&fetch_args(&server, &["--per-page", "6"]), "");
    rest.assert_exit(0);
    assert_eq!(summary(&rest)["complete"], true);
    let reqs = server.requests();
    assert_eq!(
        reqs.len(),
        4,
        "2 + pages 3 and 4 (short): one clean run's requests"
    );
    assert_eq!(
        reqs[2].q("cursor"),
        Some("c12"),
        "resumed at the stored cursor"
    );
    let mut want: Vec<String> = all
        .iter()
        .map(|w| {
            w["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    want.sort();
    assert_eq!(cached_ids(&cache), want);
}

#[test]
fn a_killed_fetch_leaves_a_cache_that_resumes() {
    let all = works();
    let all2 = all.clone();
    let server = Server::start(move |r, n| {
        if n == 2 {
            Reply::Hang(Duration::from_secs(30))
        } else {
            page(&all2, r, 200)
        }
    });
    let env = Env::new();
    let mut child = env
        .cmd(&fetch_args(&server, &["--per-page", "5"]))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t = std::time::Instant::now();
    while server.requests().len() < 3 {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "the fetch never reached page 3"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL mid-page
    child.wait().unwrap();
    let cache = env.dir.path().join("coscreen/cache.sqlite");
    assert_eq!(
        cached_ids(&cache).len(),
        10,
        "the two finished pages survive"
    );
    let run = env.run(&fetch_args(&server, &["--per-page", "5"]), "");
    run.assert_exit(0);
    assert_eq!(server.requests()[3].q("cursor"), Some("c10"));
    assert_eq!(cached_ids(&cache).len(), 20);
}

#[test]
fn a_doi_list_is_batched_to_openalex_and_the_rest_tried_at_crossref() {
    let all = works();
    let known: Vec<String> = all
        .iter()
        .filter_map(|w| w["doi"].as_str())
        .map(|d| d.trim_start_matches("https://doi.org/").to_owned())
        .take(5)
        .collect();
    let crossref = fixture("api/crossref-work-10.1136_jclinpath-2020-206745.json");
    let all2 = all.clone();
    let server = Server::start(move |r, _| {
        if r.path == "/works" {
            let filter = r.q("filter").unwrap().to_lowercase();
            let hits: Vec<Value> = all2
                .iter()
                .filter(|w| {
                    w["doi"].as_str().is_some_and(|d| {
                        filter.contains(&d.trim_start_matches("https://doi.org/").to_lowercase())
                    })
                })
                .cloned()
                .collect();
            page(&hits, r, 200)
        } else if r.path == "/works/10.1136/jclinpath-2020-206745" {
            Reply::json(crossref.clone())
        } else {
            Reply::Send {
                status: 404,
                headers: vec![("content-type", "text/plain".into())],
                body: b"Resource not found.".to_vec(),
            }
        }
    });
    let env = Env::new();
    let mut list = known.join("\n");
    list.push_str(
        "\nhttps://doi.org/10.1136/JCLINPATH-2020-206745\n10.9999/not-anywhere\nnonsense\n",
    );
    let input = env.write("dois.txt", list);
    let run = env.run(
        &[
            "fetch",
            "--openalex-url",
            &server.url,
            "--crossref-url",
            &server.url,
            "--input",
            input.to_str().unwrap(),
            "--json",
        ],
        "",
    );
    run.assert_exit(0).stderr_contains("dois.txt:8");
    let s = summary(&run);
    assert_eq!(s["dois"], 7);
    assert_eq!(s["dois_not_found"], json!(["10.9999/not-anywhere"]));
    assert_eq!(s["input_errors"], 1);
    // One OpenAlex batch page, then one Crossref call per DOI OpenAlex lacks.
    assert_eq!(s["requests"]["openalex list"], 1);
    assert_eq!(s["requests"]["crossref single"], 2);
    let reqs = server.requests();
    assert!(reqs[0].q("filter").unwrap().starts_with("doi:"));
    assert_eq!(reqs[0].q("filter").unwrap().matches('|').count(), 6);
}

#[test]
fn a_crossref_cursor_walk_ends_on_the_short_page_and_follows_the_rate_headers() {
    let p1 = fixture("api/crossref-works-query-cursor-page1.json");
    let p2 = fixture("api/crossref-works-query-cursor-page2.json");
    let mut short: Value = serde_json::from_slice(&p2).unwrap();
    short["message"]["items"]
        .as_array_mut()
        .unwrap()
        .truncate(7);
    let short = serde_json::to_vec(&short).unwrap();
    let server = Server::start(move |r, n| {
        assert_eq!(r.path, "/works");
        let body = match (r.q("cursor"), n) {
            (Some("*"), _) => p1.clone(),
            (Some(_), 1) => p2.clone(),
            (Some(_), _) => short.clone(),
            (None, _) => panic!("no cursor"),
        };
        Reply::json(body)
            .header("x-rate-limit-limit", "5")
            .header("x-rate-limit-interval", "1s")
            .header("x-concurrency-limit", "1")
            .header("x-api-pool", "public")
    });
    let env = Env::new();
    let t = std::time::Instant::now();
    let run = env.run(
        &[
            "fetch",
            "--crossref-url",
            &server.url,
            "--crossref-filter",
            "from-pub-date:2020,has-affiliation:true",
            "--crossref-rows",
            "20",
            "--json",
        ],
        "",
    );
    run.assert_exit(0);
    let s = summary(&run);
    assert_eq!(s["requests"]["crossref list"], 3);
    assert_eq!(
        s["works"], 40,
        "the short page repeats 7 works of page 2: no duplicates"
    );
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "paced to 5 per second"
    );
    let reqs = server.requests();
    assert_eq!(reqs[0].q("rows"), Some("20"));
    assert_eq!(
        reqs[0].q("filter"),
        Some("from-pub-date:2020,has-affiliation:true")
    );
    assert_eq!(
        reqs[1].q("cursor"),
        reqs[2].q("cursor"),
        "Crossref repeats its cursor"
    );
    assert!(reqs[0].q("select").unwrap().contains("author"));
}

#[test]
fn group_by_counts_are_one_request_then_cached() {
    let body = fixture("api/openalex-works-group-by-type.json");
    let server = Server::start(move |r, _| {
        assert_eq!(r.q("group_by"), Some("type"));
        assert_eq!(r.q("select"), None, "select does not combine with group_by");
        assert_eq!(r.q("cursor"), None, "18 groups fit one page");
        Reply::json(body.clone())
    });
    let env = Env::new();
    let cache = coscreen::net::cache::Cache::open(&env.path("c.sqlite")).unwrap();
    let client = coscreen::net::openalex::OpenAlex::new(
        &server.url,
        Some(KEY.into()),
        None,
        coscreen::net::Policy::default(),
        coscreen::net::Meter::new(None),
    )
    .unwrap();
    let q = coscreen::net::openalex::WorksQuery::new(vec!["publication_year:2020".into()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let groups = rt
        .block_on(client.group_by(&q, "type", &cache, None, false))
        .unwrap();
    assert_eq!(groups.len(), 18);
    assert_eq!(groups[0].key, "https://openalex.org/types/article");
    assert!(groups.iter().map(|g| g.count).sum::<u64>() >= 145_616);
    assert_eq!(
        server.requests().len(),
        1,
        "fewer than 200 groups: one request"
    );
    let again = rt
        .block_on(client.group_by(&q, "type", &cache, None, true))
        .unwrap();
    assert_eq!(again, groups);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn listed_partners_are_or_batched_within_the_api_limit() {
    let list = coscreen::risklist::RiskList::bundled().unwrap();
    let settings_args = [
        "coscreen",
        "fetch",
        "--ror",
        "052gg0110",
        "--partner-listed",
        "--from",
        "2020",
        "--to",
        "2024",
    ];
    let cli = <coscreen::cli::Cli as clap::Parser>::try_parse_from(settings_args).unwrap();
    let settings = coscreen::settings::Settings::resolve(&cli.global).unwrap();
    let coscreen::cli::Command::Fetch(args) = &cli.command else {
        unreachable!()
    };
    let sources = coscreen::net::Sources::new(&settings, &args.source).unwrap();
    let queries = sources.queries(Some(&list)).unwrap();
    assert!(
        queries.len() >= 2,
        "OpenAlex ids and ROR-only entries are separate filters"
    );
    for q in &queries {
        let f = q.filter();
        assert!(
            f.starts_with("authorships.institutions.ror:052gg0110,publication_year:2020-2024,"),
            "{f}"
        );
        let values = f.rsplit(':').next().unwrap().split('|').count();
        assert!(values <= coscreen::net::openalex::MAX_OR_VALUES, "{values}");
    }
    let ids: usize = queries
        .iter()
        .map(|q| q.filter().matches('|').count() + 1)
        .sum();
    let want = list
        .entries()
        .iter()
        .filter(|e| e.openalex.is_some() || e.ror.is_some())
        .count();
    assert!(
        ids >= want - 5 && ids <= want,
        "{ids} OR-ed ids for {want} entries with ids"
    );
}
