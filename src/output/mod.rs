//! Everything printed for people: the [`Printer`] (stderr messages by
//! verbosity), the stderr logger, colour and terminal sanitising. Results go to
//! stdout only through the commands' writers.

pub mod log;
pub(crate) mod lookup;
mod printer;
pub mod progress;
pub(crate) mod risklist;
pub mod sanitize;
pub mod set;
pub mod summary;

pub use printer::{Printer, Style};

/// True when two output paths name the same file: equal once made absolute
/// and cleaned of `.`/`..`, or the same existing file (links resolved).
pub fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    fn clean(p: &std::path::Path) -> std::path::PathBuf {
        use std::path::Component;
        let abs = std::env::current_dir().map_or_else(|_| p.to_owned(), |d| d.join(p));
        let mut out = std::path::PathBuf::new();
        for c in abs.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    }
    if clean(a) == clean(b) {
        return true;
    }
    matches!(
        (std::fs::canonicalize(a), std::fs::canonicalize(b)),
        (Ok(x), Ok(y)) if x == y
    )
}

/// Refuses (usage error text) when any two of the named output paths are the same file.
pub fn distinct_outputs(paths: &[(&str, &std::path::Path)]) -> Result<(), String> {
    for (i, (fa, a)) in paths.iter().enumerate() {
        for (fb, b) in &paths[i + 1..] {
            if same_file(a, b) {
                return Err(format!(
                    "{fa} and {fb} name the same file {}: one would overwrite the other; give two paths",
                    a.display()
                ));
            }
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// synced, then renamed over the target. A reader (or a run killed midway)
/// sees the old file or the new one, never half of one.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        if std::env::var_os(FAIL_WRITE_ENV).is_some_and(|v| *v == *name) {
            return Err(std::io::Error::other("injected write failure (test hook)"));
        }
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    // Name the file: "cannot write output" alone does not say which.
    result.map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// Hidden test hook: a file name whose [`write_atomic`] fails, to simulate a
/// full disk in the middle of a report set.
pub const FAIL_WRITE_ENV: &str = "COSCREEN_TEST_FAIL_WRITE";

#[cfg(test)]
mod tests {
    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        super::write_atomic(&p, b"a").unwrap();
        super::write_atomic(&p, b"b").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "b");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
