//! Fault injection end to end: a server that fails one request in five at
//! random (429 with Retry-After, 500, 503, a connection cut mid-body, a
//! truncated JSON page, a read timeout) must give the same report as a clean
//! one, with the retries counted. And the API key stays secret at -vv.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::common::openalex::{recorded_works, works_page};
use crate::common::server::{Reply, Req, Server};
use crate::common::Env;

const KEY: &str = "fault-test-key-0987";

fn works() -> Vec<Value> {
    recorded_works()
}

fn page(all: &[Value], r: &Req) -> Vec<u8> {
    works_page(all, r)
}

/// A small deterministic generator (xorshift), so a failure is reproducible.
fn roll(state: &AtomicU64) -> u64 {
    let mut x = state.load(Ordering::SeqCst);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    state.store(x, Ordering::SeqCst);
    x
}

fn flaky(seed: u64, rate_percent: u64) -> (Server, Arc<AtomicU64>) {
    let all = works();
    let state = Arc::new(AtomicU64::new(seed));
    let faults = Arc::new(AtomicU64::new(0));
    let (s2, f2) = (state.clone(), faults.clone());
    let server = Server::start(move |r, _| {
        let body = page(&all, r);
        if roll(&s2) % 100 >= rate_percent {
            return Reply::json(body);
        }
        f2.fetch_add(1, Ordering::SeqCst);
        match roll(&s2) % 6 {
            0 => Reply::status(429, r#"{"error":"slow down"}"#).header("retry-after", "0"),
            1 => Reply::status(500, "Internal Server Error"),
            2 => Reply::status(503, "Service Unavailable"),
            3 => Reply::Drop(body[..body.len() / 2].to_vec()),
            4 => Reply::json(body[..body.len() / 3].to_vec()),
            _ => Reply::Hang(Duration::from_secs(3)),
        }
    });
    (server, faults)
}

fn screen(env: &Env, server: &Server, out: &str) -> crate::common::Run {
    let out = env.path(out);
    env.run_with_key(
        &[
            "screen",
            "--country",
            "CN",
            "--from",
            "2000",
            "--to",
            "2024",
            "--openalex-url",
            &server.url,
            "--per-page",
            "1",
            "--retries",
            "12",
            "--backoff-ms",
            "1",
            "--timeout-secs",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
        KEY,
    )
}

/// The report without what legitimately differs (manifest: time, requests).
fn content(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for f in ["papers.csv", "institutions.csv", "universities.csv"] {
        let t = std::fs::read_to_string(dir.join(f)).unwrap();
        out.push(t.lines().skip(1).collect::<Vec<_>>().join("\n"));
    }
    let mut j: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    j.as_object_mut().unwrap().remove("manifest");
    out.push(j.to_string());
    out
}

#[test]
fn a_screen_through_a_20_percent_fault_rate_equals_a_clean_one() {
    let env = Env::new();
    let (clean, _) = flaky(1, 0);
    screen(&env, &clean, "clean").assert_exit(0);
    let env2 = Env::new();
    // Seed 42 injects 8 faults over the 20 pages: 429, 500, 503, truncated JSON, timeouts.
    let (server, faults) = flaky(42, 20);
    let run = screen(&env2, &server, "faulty");
    run.assert_exit(0);
    assert!(
        faults.load(Ordering::SeqCst) >= 3,
        "the seed must inject faults: {}",
        faults.load(Ordering::SeqCst)
    );
    assert_eq!(content(&env.path("clean")), content(&env2.path("faulty")));
    let report: Value =
        serde_json::from_slice(&std::fs::read(env2.path("faulty/report.json")).unwrap()).unwrap();
    assert_eq!(
        report["manifest"]["retries"].as_u64().unwrap(),
        faults.load(Ordering::SeqCst),
        "every injected fault is one counted retry"
    );
    assert!(!run.stderr().contains(KEY));
}

#[test]
fn the_api_key_never_appears_in_logs_cache_or_reports_even_at_trace_level() {
    let (server, _) = flaky(7, 30);
    let env = Env::new();
    let out = env.path("out");
    let run = env.run_with_key(
        &[
            "-vv",
            "screen",
            "--country",
            "CN",
            "--from",
            "2000",
            "--to",
            "2024",
            "--openalex-url",
            &server.url,
            "--per-page",
            "3",
            "--retries",
            "12",
            "--backoff-ms",
            "1",
            "--timeout-secs",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
        KEY,
    );
    run.assert_exit(0).stderr_contains("GET ");
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.q("api_key") == Some(KEY)),
        "the key is sent"
    );
    assert!(!run.stderr().contains(KEY) && !run.stdout().contains(KEY));
    let mut files = vec![env.dir.path().join("coscreen/cache.sqlite")];
    for f in std::fs::read_dir(&out).unwrap() {
        files.push(f.unwrap().path());
    }
    for extra in ["-wal", "-shm"] {
        let p = env.dir.path().join(format!("coscreen/cache.sqlite{extra}"));
        if p.exists() {
            files.push(p);
        }
    }
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
            "the key leaked into {}",
            f.display()
        );
    }
}

#[test]
fn a_screen_killed_mid_fetch_leaves_a_sound_cache_and_whole_reports() {
    let all = works();
    let hang_once = Arc::new(AtomicU64::new(0));
    let h2 = hang_once.clone();
    let server = Server::start(move |r, _| {
        // The fourth page of the first walk never comes.
        if r.q("cursor") == Some("c6") && h2.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::Hang(Duration::from_secs(30));
        }
        Reply::json(page(&all, r))
    });
    let env = Env::new();
    let out = env.path("out");
    let args = |per: &'static str| -> Vec<String> {
        [
            "screen",
            "--country",
            "CN",
            "--from",
            "2000",
            "--to",
            "2024",
            "--openalex-url",
            &server.url,
            "--per-page",
            per,
            "--out",
            out.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    // A previous complete report in the same folder (from another query's cache).
    let other = Env::new();
    let first = other.run(
        &args("20").iter().map(String::as_str).collect::<Vec<_>>(),
        "",
    );
    first.assert_exit(0);
    let before: Vec<Vec<u8>> = ["papers.csv", "report.json", "report.html"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
    let seen = server.requests().len();
    let mut child = env
        .cmd(&args("2").iter().map(String::as_str).collect::<Vec<_>>())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t = std::time::Instant::now();
    while server.requests().len() < seen + 4 {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "the screen never reached page 4"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The earlier report is untouched: never half-written.
    for (f, b) in ["papers.csv", "report.json", "report.html"]
        .iter()
        .zip(&before)
    {
        assert_eq!(&std::fs::read(out.join(f)).unwrap(), b, "{f}");
    }
    env.run(&["cache", "check"], "")
        .assert_exit(0)
        .stdout_contains("queries: 0 complete, 1 in progress")
        .stdout_contains("OK");
    let rerun = env.run(
        &args("2").iter().map(String::as_str).collect::<Vec<_>>(),
        "",
    );
    rerun.assert_exit(0).stdout_contains("screened 14 works");
    let resumed: Vec<Req> = server.requests()[seen + 4..].to_vec();
    assert_eq!(
        resumed[0].q("cursor"),
        Some("c6"),
        "resumed at the page it was killed on"
    );
    env.run(&["cache", "check"], "")
        .assert_exit(0)
        .stdout_contains("queries: 1 complete, 0 in progress")
        .stdout_contains("openalex 20");
}
