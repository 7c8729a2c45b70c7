//! Issue 18's office conveniences that are not one command's output: shell
//! completions, the man page, `--help` headings, the config file.

use crate::common::Env;

#[test]
fn issue_18_completions_and_man_page_are_generated_from_the_cli() {
    let env = Env::new();
    for (shell, marker) in [
        ("bash", "_coscreen()"),
        ("zsh", "#compdef coscreen"),
        ("fish", "complete -c coscreen"),
    ] {
        let run = env.run(&["completions", shell], "");
        run.assert_exit(0).stdout_contains(marker);
        assert!(
            run.stdout().contains("partner-country"),
            "{shell} completes the screen flags"
        );
    }
    env.run(&["completions", "tcsh"], "").assert_exit(2);
    let man = env.run(&["man"], "");
    man.assert_exit(0)
        .stdout_contains(".TH coscreen")
        .stdout_contains("screen");
}

#[test]
fn issue_18_help_groups_options_under_headings() {
    let env = Env::new();
    let help = env.run(&["screen", "--help"], "");
    help.assert_exit(0);
    let text = help.stdout();
    let at = |h: &str| {
        text.find(h)
            .unwrap_or_else(|| panic!("heading {h} in screen --help:\n{text}"))
    };
    let (home, partners, network, output) = (
        at("Home side and input:"),
        at("Partners and years:"),
        at("Network:"),
        at("Output:"),
    );
    // Each flag sits under its heading.
    let under = |flag: &str, start: usize| {
        let i = text[start..].find(flag).map(|i| i + start).unwrap();
        let next = [home, partners, network, output]
            .into_iter()
            .filter(|h| *h > start)
            .min()
            .unwrap_or(text.len());
        assert!(i < next || next == start, "{flag} under its heading");
    };
    under("--partner-country", partners);
    under("--max-requests", network);
    under("--decisions", output);
    under("--home", home);
}

/// A few-line client of the Chrome DevTools protocol over one websocket
/// (flattened sessions), enough to drive a page as a reviewer would.
pub(crate) mod cdp {
    use std::io::{BufRead, BufReader};
    use std::net::TcpStream;
    use std::path::Path;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    use serde_json::{json, Value};
    use tungstenite::stream::MaybeTlsStream;
    use tungstenite::{Message, WebSocket};

    /// The installed browser, or None (then the caller skips, unless CI
    /// requires the browser with `COSCREEN_REQUIRE_BROWSER`).
    #[allow(clippy::print_stderr)] // says why a browser check was skipped
    pub fn browser() -> Option<&'static str> {
        let found = ["chromium", "chromium-browser"].into_iter().find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
        if found.is_none() {
            assert!(
                std::env::var_os("COSCREEN_REQUIRE_BROWSER").is_none(),
                "COSCREEN_REQUIRE_BROWSER is set but chromium is not installed"
            );
            eprintln!("chromium not installed: browser check skipped (CI installs it)");
        }
        found
    }

    /// A headless browser with one page attached.
    pub struct Page {
        child: Child,
        ws: WebSocket<MaybeTlsStream<TcpStream>>,
        next: u64,
        session: String,
    }

    impl Drop for Page {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Page {
        /// Starts `browser` with its own profile in `profile` and opens a blank page.
        pub fn launch(browser: &str, profile: &Path) -> Page {
            let mut child = Command::new(browser)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--remote-debugging-port=0",
                ])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg("about:blank")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start chromium");
            // The endpoint is announced on stderr; keep draining it after
            // that so the browser never blocks on a full pipe.
            let stderr = child.stderr.take().unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if let Some(i) = line.find("ws://") {
                        let _ = tx.send(line[i..].trim().to_owned());
                    }
                }
            });
            let url = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("chromium announces its DevTools endpoint");
            let (ws, _) = tungstenite::connect(url.as_str()).expect("connect to DevTools");
            let mut page = Page {
                child,
                ws,
                next: 0,
                session: String::new(),
            };
            let target = page.browser_call("Target.createTarget", json!({"url": "about:blank"}));
            let attached = page.browser_call(
                "Target.attachToTarget",
                json!({"targetId": target["targetId"], "flatten": true}),
            );
            page.session = attached["sessionId"].as_str().unwrap().to_owned();
            page.call("Page.enable", json!({}));
            page.call("Runtime.enable", json!({}));
            page
        }

        fn send(&mut self, method: &str, params: Value, session: Option<String>) -> Value {
            self.next += 1;
            let id = self.next;
            let mut msg = json!({"id": id, "method": method, "params": params});
            if let Some(s) = session {
                msg["sessionId"] = Value::String(s);
            }
            self.ws
                .send(Message::text(msg.to_string()))
                .expect("send to DevTools");
            loop {
                let m = self.ws.read().expect("read from DevTools");
                let Ok(text) = m.to_text() else { continue };
                let Ok(v) = serde_json::from_str::<Value>(text) else {
                    continue;
                };
                if v["id"] == id {
                    assert!(v.get("error").is_none(), "{method}: {}", v["error"]);
                    return v["result"].clone();
                }
            }
        }

        /// A browser-level command.
        pub fn browser_call(&mut self, method: &str, params: Value) -> Value {
            self.send(method, params, None)
        }

        /// A command to the page.
        pub fn call(&mut self, method: &str, params: Value) -> Value {
            let s = self.session.clone();
            self.send(method, params, Some(s))
        }

        /// Evaluates `expr` in the page; a thrown exception fails the test.
        pub fn eval(&mut self, expr: &str) -> Value {
            let r = self.call(
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
            );
            assert!(
                r.get("exceptionDetails").is_none(),
                "{expr}: {}",
                r["exceptionDetails"]
            );
            r["result"]["value"].clone()
        }

        /// Opens `url` and waits until the page has loaded.
        pub fn open(&mut self, url: &str) {
            self.call("Page.navigate", json!({"url": url}));
            self.wait_loaded(url);
        }

        /// Reloads the page and waits until it has loaded again.
        pub fn reload(&mut self) {
            let url = self.eval("location.href").as_str().unwrap().to_owned();
            self.eval("window.__old = true");
            self.call("Page.reload", json!({}));
            let start = Instant::now();
            while self.eval("window.__old === true") == Value::Bool(true) {
                assert!(start.elapsed() < Duration::from_secs(30), "reload");
                std::thread::sleep(Duration::from_millis(50));
            }
            self.wait_loaded(&url);
        }

        fn wait_loaded(&mut self, url: &str) {
            let start = Instant::now();
            loop {
                let here = self.eval("location.href + ' ' + document.readyState");
                if here.as_str() == Some(&format!("{url} complete")) {
                    return;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "{url} did not load: {here}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }

        /// Focuses the element `selector` and types `text` into it.
        pub fn type_into(&mut self, selector: &str, text: &str) {
            let sel = serde_json::to_string(selector).unwrap();
            self.eval(&format!("document.querySelector({sel}).focus()"));
            self.call("Input.insertText", json!({"text": text}));
        }
    }
}

/// The first open flag that is its paper's only flag, marked `#target`: (work, institution).
fn first_single_flag(page: &mut cdp::Page) -> (String, String) {
    let v = page.eval(
        "(function(){var b=[].find.call(document.querySelectorAll('#papers .decide'),function(d){return d.closest('tr').querySelectorAll('.decide').length===1;});b.id='target';return [b.getAttribute('data-work'),b.getAttribute('data-inst')];})()",
    );
    (
        v[0].as_str().unwrap().to_owned(),
        v[1].as_str().unwrap().to_owned(),
    )
}

/// The reviewer's path in a real browser: record a decision on the page,
/// see it survive a reload, export the CSV through the page's own button
/// (a real download), rerun with that file: the flag is in the decided
/// section, with who decided what and when.
#[test]
fn issue_18_a_decision_recorded_in_the_report_round_trips_through_decisions() {
    let Some(browser) = cdp::browser() else {
        return;
    };
    let env = Env::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/sample/openalex-works.jsonl.gz");
    let out = env.path("out");
    env.run(
        &[
            "screen",
            "--input",
            sample.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    )
    .assert_exit(0);
    let page_url = format!("file://{}", out.join("report.html").display());
    let mut page = cdp::Page::launch(browser, &env.path("profile"));
    page.open(&page_url);
    assert_eq!(
        page.eval("document.getElementById('decisions-status').textContent"),
        "0 decisions recorded",
        "the page script runs under its hash-only CSP"
    );
    let (work, inst) = first_single_flag(&mut page);
    page.type_into("#reviewer", "ana");
    page.eval("(function(){var s=document.querySelector('#target .d-decision');s.value='false_positive';s.dispatchEvent(new Event('change',{bubbles:true}));})()");
    page.type_into("#target .d-note", "other campus, \"not\" the listed one");
    page.eval("(function(){var e=document.querySelector('#target .d-expires');e.value='2099-12-31';e.dispatchEvent(new Event('input',{bubbles:true}));})()");
    assert_eq!(
        page.eval("document.getElementById('decisions-status').textContent"),
        "1 decision recorded"
    );
    assert_eq!(
        page.eval("document.querySelector('#target .d-reviewer').value"),
        "ana",
        "the reviewer's name fills in"
    );

    // Kept while open: a reload restores it.
    page.reload();
    let (w2, i2) = first_single_flag(&mut page);
    assert_eq!((&w2, &i2), (&work, &inst));
    assert_eq!(
        page.eval("document.querySelector('#target .d-decision').value"),
        "false_positive",
        "the decision survives a reload"
    );

    // Export through the button: a real download.
    let downloads = env.path("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    page.browser_call(
        "Browser.setDownloadBehavior",
        serde_json::json!({"behavior": "allow", "downloadPath": downloads.to_str().unwrap()}),
    );
    page.eval("document.getElementById('export').click()");
    let file = downloads.join("decisions.csv");
    let start = std::time::Instant::now();
    while !file.is_file() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "no download"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    drop(page);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "work_id",
            "institution_id",
            "decision",
            "reviewer",
            "date",
            "note",
            "expires"
        ]
    );
    let recs: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 1, "{text}");
    assert_eq!(&recs[0][0], work);
    assert_eq!(&recs[0][1], inst);
    assert_eq!(&recs[0][2], "false_positive");
    assert_eq!(&recs[0][3], "ana");
    assert_eq!(&recs[0][5], "other campus, \"not\" the listed one");
    assert_eq!(&recs[0][6], "2099-12-31");
    let date = recs[0][4].to_owned();

    // The rerun reads the exported file as it is.
    let again = env.run(
        &[
            "screen",
            "--input",
            sample.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--decisions",
            file.to_str().unwrap(),
        ],
        "",
    );
    again.assert_exit(0);
    assert!(
        !again.stderr().contains("matches no flag"),
        "{}",
        again.stderr()
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let decided = report["decided"].as_array().unwrap();
    let paper = decided
        .iter()
        .find(|p| p["work_id"] == work.as_str())
        .expect("the flag is in the decided section");
    assert_eq!(paper["flags"][0]["decision"]["reviewer"], "ana");
    assert!(!report["papers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["work_id"] == work.as_str()));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let decided_table = &html[html.find("id=\"decided\"").unwrap()..];
    assert!(decided_table.contains(&format!("false_positive by ana on {date}")));
    assert!(decided_table.contains(&format!("data-work=\"{work}\"")));

    // The new page starts from the applied decision, so a second export
    // carries it forward.
    let mut page = cdp::Page::launch(browser, &env.path("profile"));
    page.open(&page_url);
    assert_eq!(
        page.eval("document.getElementById('decisions-status').textContent"),
        "1 decision recorded"
    );
    let sel = format!("#decided .decide[data-work='{work}'] .d-decision");
    assert_eq!(
        page.eval(&format!("document.querySelector({sel:?}).value")),
        "false_positive"
    );
}

/// A cron job's config: the file alone (no flags) runs a screen of the
/// bundled sample, from the user's config directory or from `--config`;
/// a flag still wins over the file.
#[test]
fn issue_18_a_config_file_alone_runs_a_screen() {
    let env = Env::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/sample/openalex-works.jsonl.gz");
    let config = format!(
        "# yearly screen\ninput = [{:?}]\nhome = \"CN\"\nout = \"reports/yearly\"\nmailto = \"office@example.org\"\n",
        sample.to_str().unwrap()
    );
    std::fs::create_dir_all(env.path(".config/coscreen")).unwrap();
    let home_config = env.write(".config/coscreen/coscreen.toml", &config);
    let run = env.run(&["screen"], "");
    run.assert_exit(0).stdout_contains("screened 82 works");
    let out = home_config.parent().unwrap().join("reports/yearly");
    for f in ["papers.csv", "report.json", "report.xlsx", "report.html"] {
        assert!(out.join(f).is_file(), "{f} next to the config file");
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(
        report["manifest"]["home"],
        serde_json::json!({"by": "country", "id": "CN"})
    );

    // --config names another file; a flag wins over it.
    std::fs::remove_file(&home_config).unwrap();
    std::fs::create_dir_all(env.path("cron")).unwrap();
    let cfg = env.write("cron/coscreen.toml", config.replace("\"CN\"", "\"GB\""));
    let run = env.run(&["screen", "--config", cfg.to_str().unwrap()], "");
    run.assert_exit(0);
    let out = env.path("cron/reports/yearly");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["coverage"]["works_outside_home"], 125, "home GB");
    let elsewhere = env.path("flag-out");
    env.run(
        &[
            "screen",
            "--config",
            cfg.to_str().unwrap(),
            "--out",
            elsewhere.to_str().unwrap(),
        ],
        "",
    )
    .assert_exit(0);
    assert!(elsewhere.join("papers.csv").is_file(), "--out wins");

    // Mistakes name the file and line; the API key is refused.
    let bad = env.write("bad.toml", "home = \"CN\"\nout_dir = \"x\"\n");
    env.run(&["screen", "--config", bad.to_str().unwrap()], "")
        .assert_exit(2)
        .stderr_contains("bad.toml:2: unknown field `out_dir`");
    let key = env.write("key.toml", "api_key = \"abc\"\n");
    let run = env.run(&["screen", "--config", key.to_str().unwrap()], "");
    run.assert_exit(2)
        .stderr_contains("key.toml:1: key `api_key`")
        .stderr_contains("COSCREEN_OPENALEX_API_KEY");
    assert!(!run.stderr().contains("abc"));
    env.run(
        &[
            "screen",
            "--config",
            env.path("none.toml").to_str().unwrap(),
        ],
        "",
    )
    .assert_exit(2);
}

/// Progress on a terminal only: under a pseudo-terminal (`script`) a
/// screen over a folder shows files, works and works/s; with `-q`, or
/// without a terminal (cron), nothing.
#[test]
#[allow(clippy::print_stderr)] // says why the terminal half was skipped
fn issue_18_progress_shows_on_a_terminal_only() {
    let env = Env::new();
    let dir = env.path("snapshot");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ingest/openalex-works.jsonl"),
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (i, chunk) in lines.chunks(5).enumerate() {
        std::fs::write(
            dir.join(format!("part_{i:03}.jsonl")),
            chunk.join("\n") + "\n",
        )
        .unwrap();
    }
    let d = dir.to_str().unwrap();
    let out = env.path("out");
    let o = out.to_str().unwrap();
    let cron = env.run(&["screen", "--input", d, "--out", o], "");
    cron.assert_exit(0);
    assert!(
        !cron.stderr().contains("works/s") && !cron.stderr().contains('\r'),
        "no bar without a terminal: {:?}",
        cron.stderr()
    );
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("`script` (util-linux) not installed: terminal half skipped");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_coscreen");
    let in_tty = |quiet: bool| -> String {
        let cmd = format!(
            "{bin} {}screen --input {d} --out {o} --threads 1",
            if quiet { "-q " } else { "" }
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("HOME", env.path(""))
            .env("XDG_CONFIG_HOME", env.path(".config"))
            .env("XDG_CACHE_HOME", env.path(""))
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            .current_dir(env.path(""))
            .output()
            .expect("run script");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = in_tty(false);
    assert!(
        shown.contains("files ") && shown.contains("works/s") && shown.contains("ETA"),
        "a bar on a terminal: {shown:?}"
    );
    let quiet = in_tty(true);
    assert!(!quiet.contains("works/s"), "-q hides the bar: {quiet:?}");
}

/// The trend chart looked at as a picture: in headless Chromium every text
/// of the SVG (legend, axes, title) lies inside the viewport, so no label is
/// clipped ("listed partner + critical technolog" was).
#[test]
fn issue_18_the_trend_legend_fits_inside_the_chart() {
    let Some(browser) = cdp::browser() else {
        return;
    };
    let mut t = coscreen::report::trend::Tally::default();
    for (i, y) in (2001..=2023).enumerate() {
        let r = t.row(y, "");
        r.joint = Some(100 + i as u64 * 40);
        r.screened = 100 + i as u64 * 40;
        r.listed = i as u64 * 3;
        r.critical = 20 + i as u64 * 7;
        r.listed_critical = i as u64;
    }
    let env = Env::new();
    let svg = env.write(
        "trend.svg",
        t.svg(
            "coscreen trend: --country BE --partner-country CN --from 2001 --to 2023",
            "run header",
        ),
    );
    let mut page = cdp::Page::launch(browser, &env.path("profile"));
    page.open(&format!("file://{}", svg.display()));
    let report = page.eval(
        "(function(){var s=document.querySelector('svg'),vb=s.viewBox.baseVal,bad=[],n=0;\
         s.querySelectorAll('text').forEach(function(t){n++;var b=t.getBBox();\
         if(b.x<0||b.y<0||b.x+b.width>vb.width||b.y+b.height>vb.height){bad.push(t.textContent+' '+JSON.stringify([b.x,b.y,b.width,b.height]));}});\
         return {n:n,legend:s.querySelectorAll('text.legend').length,bad:bad,w:vb.width};})()",
    );
    assert_eq!(report["legend"], 4, "{report}");
    assert!(report["n"].as_u64().unwrap() > 10, "{report}");
    assert_eq!(report["bad"], serde_json::json!([]), "clipped: {report}");
}
