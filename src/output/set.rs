//! A report set (several files in one `--out` folder) written as a whole:
//! every file goes into a staging folder beside `--out`, which is then
//! swapped in by renames, so a failed write (full disk, a killed run) leaves
//! the previous set intact, and readers never see files of two runs mixed.
//! A lock file beside `--out` refuses a second concurrent writer.
//!
//! Files in `--out` that are not part of the set (a decisions file kept
//! there, notes) are carried over into the new folder, never deleted.

use std::fs::File;
use std::path::{Path, PathBuf};

/// A report set being written. Dropped without [`ReportSet::commit`], its
/// staging folder is removed and `--out` is left as it was.
#[derive(Debug)]
pub struct ReportSet {
    out: PathBuf,
    staging: PathBuf,
    committed: bool,
    _lock: File,
}

/// Why a set could not be written; every variant names the path.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// Another run holds the lock.
    #[error("another coscreen run is writing to {out} (lock {lock}); wait for it to finish or choose another --out")]
    Locked {
        /// The output folder.
        out: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// A file or folder could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// What was being written.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `--out` is a file, or a folder that cannot be swapped.
    #[error("{0}")]
    Unusable(String),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SetError + '_ {
    move |source| SetError::Io {
        path: path.to_owned(),
        source,
    }
}

impl ReportSet {
    /// Takes the lock for `out` and makes an empty staging folder beside it.
    pub fn begin(out: &Path) -> Result<Self, SetError> {
        if out.is_file() {
            return Err(SetError::Unusable(format!(
                "--out {} is a file; it must be a folder",
                out.display()
            )));
        }
        let abs = if out.is_absolute() {
            out.to_owned()
        } else {
            std::env::current_dir().map_err(io(out))?.join(out)
        };
        let name = abs
            .components()
            .next_back()
            .and_then(|c| match c {
                std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .ok_or_else(|| {
                SetError::Unusable(format!(
                    "--out {}: name a folder (not `.`, `..` or `/`) so the report set can be swapped in whole",
                    out.display()
                ))
            })?;
        let parent = abs.parent().unwrap_or(Path::new("/")).to_owned();
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        if !fs4::fs_std::FileExt::try_lock_exclusive(&lock).map_err(io(&lock_path))? {
            return Err(SetError::Locked {
                out: out.to_owned(),
                lock: lock_path,
            });
        }
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        std::fs::create_dir(&staging).map_err(io(&staging))?;
        Ok(Self {
            out: abs,
            staging,
            committed: false,
            _lock: lock,
        })
    }

    /// The staging folder: write every file of the set here (with
    /// [`super::write_atomic`]), then [`ReportSet::commit`].
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Swaps the staging folder in for `--out`, carrying over files of the
    /// old folder that are not part of the new set.
    pub fn commit(mut self) -> Result<(), SetError> {
        if self.out.is_dir() {
            let names: Vec<std::ffi::OsString> = std::fs::read_dir(&self.staging)
                .map_err(io(&self.staging))?
                .map(|e| e.map(|e| e.file_name()))
                .collect::<Result<_, _>>()
                .map_err(io(&self.staging))?;
            for e in std::fs::read_dir(&self.out).map_err(io(&self.out))? {
                let e = e.map_err(io(&self.out))?;
                let name = e.file_name();
                if !names.contains(&name) {
                    let to = self.staging.join(&name);
                    std::fs::rename(e.path(), &to).map_err(io(&e.path()))?;
                }
            }
            let old = self.staging.with_extension("old");
            std::fs::rename(&self.out, &old).map_err(io(&self.out))?;
            if let Err(source) = std::fs::rename(&self.staging, &self.out) {
                // Put the previous set back.
                let _ = std::fs::rename(&old, &self.out);
                return Err(SetError::Io {
                    path: self.out.clone(),
                    source,
                });
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&self.staging, &self.out).map_err(io(&self.out))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for ReportSet {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_21_a_set_is_swapped_in_whole_and_foreign_files_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let s = ReportSet::begin(&out).unwrap();
        super::super::write_atomic(&s.dir().join("a.csv"), b"1").unwrap();
        super::super::write_atomic(&s.dir().join("b.json"), b"1").unwrap();
        s.commit().unwrap();
        std::fs::write(out.join("decisions.csv"), b"mine").unwrap();
        let s = ReportSet::begin(&out).unwrap();
        super::super::write_atomic(&s.dir().join("a.csv"), b"2").unwrap();
        assert_eq!(
            std::fs::read(out.join("a.csv")).unwrap(),
            b"1",
            "not yet swapped"
        );
        super::super::write_atomic(&s.dir().join("b.json"), b"2").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a.csv")).unwrap(), b"2");
        assert_eq!(std::fs::read(out.join("b.json")).unwrap(), b"2");
        assert_eq!(std::fs::read(out.join("decisions.csv")).unwrap(), b"mine");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        assert_eq!(left, ["out"], "no staging folder left behind");
    }

    #[test]
    fn issue_21_a_failed_set_leaves_the_previous_one_and_a_second_writer_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let s = ReportSet::begin(&out).unwrap();
        super::super::write_atomic(&s.dir().join("a.csv"), b"old").unwrap();
        s.commit().unwrap();
        let s = ReportSet::begin(&out).unwrap();
        let e = ReportSet::begin(&out).unwrap_err();
        assert!(e.to_string().contains("another coscreen run"), "{e}");
        super::super::write_atomic(&s.dir().join("a.csv"), b"new").unwrap();
        drop(s); // a failure before commit
        assert_eq!(std::fs::read(out.join("a.csv")).unwrap(), b"old");
        assert!(ReportSet::begin(&out).is_ok(), "lock released");
    }
}
