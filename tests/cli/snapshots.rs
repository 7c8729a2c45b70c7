//! Snapshots of the report files on the bundled sample and the Web of Science
//! fixture, so that any change to an output is reviewed as a diff (issue 19).
//! Run-dependent values (time, version, content hashes, temp paths) are
//! redacted. After an intended change: `INSTA_UPDATE=always cargo test --test
//! cli snapshots`, then review `git diff tests/cli/snapshots/`.

use std::path::{Path, PathBuf};

use crate::common::Env;

fn root(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// Screens `input` offline into `out/` and returns the report directory.
fn screen(env: &Env, input: &Path) -> PathBuf {
    let out = env.path("out");
    let args = [
        "screen",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    env.run(&args, "").assert_exit(0);
    out
}

fn filters(env: &Env) -> Vec<(String, String)> {
    let tmp = regex_escape(&env.dir.path().to_string_lossy());
    vec![
        (tmp, "[TMP]".into()),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z".into(),
            "[TIME]".into(),
        ),
        (
            r#""version": "[^"]*""#.into(),
            r#""version": "[VERSION]""#.into(),
        ),
        (r"\b[0-9a-f]{16}\b".into(), "[HASH]".into()),
        (
            r"coscreen \d+\.\d+\.\d+".into(),
            "coscreen [VERSION]".into(),
        ),
    ]
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

fn snapshot_set(name: &str, input: &Path) {
    let env = Env::new();
    let out = screen(&env, input);
    let mut settings = insta::Settings::clone_current();
    for (from, to) in filters(&env) {
        settings.add_filter(&from, to);
    }
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for file in [
            "papers.csv",
            "institutions.csv",
            "universities.csv",
            "report.json",
        ] {
            let text =
                std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            insta::assert_snapshot!(format!("{name}__{file}"), text);
        }
    });
}

#[test]
fn report_files_on_the_bundled_sample() {
    snapshot_set("sample", &root("data/sample/openalex-works.jsonl.gz"));
}

#[test]
fn report_files_on_the_wos_fixture() {
    snapshot_set("wos", &root("tests/fixtures/ingest/wos-savedrecs.txt"));
}
