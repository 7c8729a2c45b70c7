//! The CLI test harness: runs the built binary in a scrubbed environment with
//! a private temp dir, and reports command, status, stdout and stderr when an
//! assertion fails.

pub mod openalex;
pub mod server;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// One test's sandbox.
pub struct Env {
    pub dir: tempfile::TempDir,
}

/// A finished run.
pub struct Run {
    pub args: Vec<String>,
    pub out: Output,
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_coscreen"));
        c.args(args)
            .env_remove("COSCREEN_OPENALEX_API_KEY")
            .env_remove("NO_COLOR")
            .env("XDG_CACHE_HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"))
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path());
        c
    }

    /// Runs with an OpenAlex API key in the environment (no standard input).
    pub fn run_with_key(&self, args: &[&str], key: &str) -> Run {
        let out = self
            .cmd(args)
            .env("COSCREEN_OPENALEX_API_KEY", key)
            .stdin(Stdio::null())
            .output()
            .expect("run coscreen");
        Run::from_output(args, out)
    }

    /// Runs with `stdin` as standard input.
    pub fn run(&self, args: &[&str], stdin: impl AsRef<[u8]>) -> Run {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn coscreen");
        let input = stdin.as_ref().to_vec();
        let mut sin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || {
            let _ = sin.write_all(&input);
        });
        let out = child.wait_with_output().expect("wait");
        writer.join().expect("stdin writer");
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            out,
        }
    }
}

impl Run {
    pub fn from_output(args: &[&str], out: Output) -> Self {
        Self {
            args: args.iter().map(|s| s.to_string()).collect(),
            out,
        }
    }

    fn describe(&self) -> String {
        format!(
            "command: coscreen {}\nstatus: {:?}\nstdout:\n{}\nstderr:\n{}",
            self.args.join(" "),
            self.out.status.code(),
            String::from_utf8_lossy(&self.out.stdout),
            String::from_utf8_lossy(&self.out.stderr)
        )
    }

    pub fn assert_exit(&self, code: i32) -> &Self {
        assert_eq!(self.out.status.code(), Some(code), "{}", self.describe());
        self
    }

    pub fn stdout(&self) -> String {
        String::from_utf8(self.out.stdout.clone()).expect("stdout is UTF-8")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    pub fn stdout_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stdout().contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.describe()
        );
        self
    }

    pub fn stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.describe()
        );
        self
    }

    pub fn stdout_jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout()
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}\n{}", self.describe()))
            })
            .collect()
    }

    pub fn stdout_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout())
            .unwrap_or_else(|e| panic!("bad JSON: {e}\n{}", self.describe()))
    }
}
