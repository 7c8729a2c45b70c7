//! Offline input files for `screen`: read in parallel, each streamed through
//! its own builder, merged in file order so the report does not depend on
//! scheduling. A finished file is recorded in the cache (counts and flagged
//! works) under a key that changes with the file, the home side, the list and
//! the taxonomy; `--resume` takes it from there instead of reading it again.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use super::intake::Intake;
use super::screener::BATCH;
use crate::error::Error;
use crate::ingest::input::{read_one, Format, InputError, Item, SkipLine, UNKNOWN_FILE};
use crate::ingest::Work;
use crate::matching::Scratch;
use crate::net::cache::Cache;
use crate::output::Printer;
use crate::report::{Builder, Saved};
use crate::screen::Home;

/// The files of one run and how to read them.
pub struct Files<'a> {
    /// The batch path.
    pub intake: &'a Intake<'a>,
    /// `--format`.
    pub format: Option<Format>,
    /// `--resume`.
    pub resume: bool,
    /// The label of works whose home university is not resolved.
    pub home_label: &'a str,
    /// What makes a recorded file reusable besides the file itself.
    pub run_key: String,
}

/// Per file: its builder, DOIs to resolve, warnings; or a usage error.
type PerFile = Result<(Builder, Vec<String>, Vec<String>), Error>;

impl Files<'_> {
    /// Screens `files` in `pool` into one builder (unknown files counted as
    /// unscreened); returns it with the DOIs the files listed.
    pub fn screen(
        &self,
        files: &[PathBuf],
        unknown: &[PathBuf],
        cache_path: &Path,
        pool: &rayon::ThreadPool,
        printer: &Printer,
    ) -> Result<(Builder, Vec<String>), Error> {
        // Without a usable cache the files are still screened, just not
        // recorded (`--resume` needs it, so there it is an error).
        let cache = if files.is_empty() {
            None
        } else {
            match Cache::open(cache_path) {
                Ok(c) => Some(Mutex::new(c)),
                Err(e) if !self.resume => {
                    printer.warn(&format!(
                        "{e}; finished files will not be recorded for --resume"
                    ));
                    None
                }
                Err(e) => return Err(e.into()),
            }
        };
        let skip = prefilter(self.intake.screener.home());
        let resumed = AtomicU64::new(0);
        let per_file: Vec<PerFile> = pool.install(|| {
            files
                .par_iter()
                .map(|f| self.one(f, cache.as_ref(), skip.as_deref(), &resumed))
                .collect()
        });
        drop(cache);
        self.intake.rate.finish();
        let resumed = resumed.into_inner();
        if resumed > 0 {
            printer.summary(&format!(
                "--resume: {resumed} of {} files taken from the cache",
                files.len()
            ));
        }
        let mut builder = Builder::new(self.home_label);
        let mut dois = Vec::new();
        for u in unknown {
            let msg = format!("{}: {UNKNOWN_FILE}", u.display());
            printer.warn(&msg);
            builder.source_error_because("unknown file type", msg);
        }
        for r in per_file {
            let (b, d, warnings) = r?;
            for w in warnings {
                printer.warn(&w);
            }
            builder.merge(b);
            dois.extend(d);
        }
        Ok((builder, dois))
    }

    /// The cache key of a file: the run's key, its path, size and mtime.
    fn key(&self, f: &Path) -> Option<String> {
        let m = std::fs::metadata(f).ok()?;
        let mtime = m
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        let path = std::fs::canonicalize(f).ok()?;
        Some(format!(
            "{} file={} size={} mtime={mtime}",
            self.run_key,
            path.display(),
            m.len()
        ))
    }

    /// A file recorded by an earlier run, re-screening only its flagged works.
    fn restore(&self, key: &str, cache: &Mutex<Cache>) -> Option<Builder> {
        let saved = cache
            .lock()
            .ok()
            .and_then(|c| c.count(key, None).ok().flatten())
            .and_then(|body| serde_json::from_str::<Saved>(&body).ok())?;
        let mut b = Builder::restore(self.home_label, &saved);
        let mut scratch = Scratch::default();
        for w in &saved.flagged_works {
            let mut p = self.intake.screener.one(w, &mut scratch);
            // (The saved counts already hold what `count` counted.)
            let mut scrap = Builder::new(self.home_label);
            self.intake.policy(&mut p, &mut scrap);
            b.push_flagged(p);
        }
        Some(b)
    }

    fn one(
        &self,
        f: &Path,
        cache: Option<&Mutex<Cache>>,
        skip: Option<&SkipLine>,
        resumed: &AtomicU64,
    ) -> PerFile {
        let intake = self.intake;
        let key = self.key(f);
        if let (true, Some(k), Some(c)) = (self.resume, &key, cache) {
            if let Some(b) = self.restore(k, c) {
                resumed.fetch_add(1, Ordering::Relaxed);
                intake.rate.file_done();
                return Ok((b, Vec::new(), Vec::new()));
            }
        }
        let mut b = Builder::new(self.home_label);
        let mut dois = Vec::new();
        let mut warnings = Vec::new();
        let mut flagged: Vec<Work> = Vec::new();
        let mut batch: Vec<Work> = Vec::with_capacity(BATCH);
        let mut partial = 0u64;
        let read = read_one(f, self.format, skip, &mut |item| {
            match item {
                Item::Work(w) => {
                    if let Some(why) = &w.unscreened {
                        if partial == 0 {
                            warnings.push(why.clone());
                        }
                        partial += 1;
                        b.source_error_because("no affiliation column", why.clone());
                    }
                    batch.push(*w);
                    if batch.len() >= BATCH {
                        intake.process(&mut batch, &mut b, Some(&mut flagged), true);
                    }
                }
                Item::Error(e) => {
                    warnings.push(e.to_string());
                    b.source_error_because(reason_of(&e), e.to_string());
                }
                Item::Doi { doi, .. } => dois.push(doi),
            }
            Ok(())
        });
        intake.process(&mut batch, &mut b, Some(&mut flagged), true);
        if partial > 1 {
            warnings.push(format!(
                "{}: {partial} records read without affiliations: partners not screened",
                f.display()
            ));
        }
        match read {
            Ok(stats) => {
                b.outside_home(stats.skipped);
                if stats.legacy_lines > 0 {
                    warnings.push(format!(
                        "{}: {} lines were not UTF-8 and were decoded as Windows-1252 (Latin-1); check names with accents in the report",
                        f.display(),
                        stats.legacy_lines
                    ));
                    b.legacy_encoding(f, stats.legacy_lines);
                }
                // Record the finished file (not DOI lists: they resolve later).
                if let (Some(k), Some(c), true) = (&key, cache, dois.is_empty()) {
                    if let Ok(body) = serde_json::to_string(&b.save(flagged)) {
                        if let Ok(c) = c.lock() {
                            if let Err(e) = c.put_count(k, &body) {
                                warnings
                                    .push(format!("cannot record {} as done: {e}", f.display()));
                            }
                        }
                    }
                }
            }
            // Asked to read a file as what it is not: nothing sensible to report.
            Err(e @ Error::Usage(_)) => return Err(e),
            // A file that vanished or cannot be opened: reported, the run goes on.
            Err(e) => {
                let msg = crate::error::one_line(&e);
                warnings.push(msg.clone());
                b.source_error_because("unreadable input", msg);
            }
        }
        intake.rate.file_done();
        Ok((b, dois, warnings))
    }
}

/// Why a record was not screened, from its error (the keys of `unscreened_reasons`).
pub fn reason_of(e: &InputError) -> &'static str {
    if e.message == UNKNOWN_FILE {
        "unknown file type"
    } else if e.message.starts_with("no records found") {
        "input gave no records"
    } else if e.message.starts_with("compressed input ends early") {
        "truncated compressed input"
    } else if e.message.starts_with("cached ") {
        "unreadable cached record"
    } else {
        "unreadable record"
    }
}

/// A byte-level test that proves a JSON line's work is off the home side
/// without parsing it: the line names resolved institutions (the key is
/// present) and none of them is the home one. Exactly the works
/// [`crate::screen::screen_work`] would mark `outside_home`, so results do
/// not change.
fn prefilter(home: &Home) -> Option<Box<SkipLine>> {
    use memchr::memmem::Finder;
    let (keys, needles): (Vec<String>, Vec<String>) = match home {
        Home::Any => return None,
        Home::Country(cc) => (
            vec!["\"country_code\":\"".into(), "\"country_code\": \"".into()],
            vec![
                format!("\"country_code\":\"{cc}\""),
                format!("\"country_code\": \"{cc}\""),
            ],
        ),
        Home::Ror(r) => (
            vec!["\"ror\":\"".into(), "\"ror\": \"".into()],
            vec![format!("/{r}\""), format!("\"{r}\"")],
        ),
        Home::Openalex(i) => (
            vec!["\"lineage\":[".into(), "\"lineage\": [".into()],
            vec![format!("/{i}\""), format!("\"{i}\"")],
        ),
    };
    let finders = |v: Vec<String>| -> Vec<Finder<'static>> {
        v.iter()
            .map(|k| Finder::new(k.as_bytes()).into_owned())
            .collect()
    };
    let (keys, needles) = (finders(keys), finders(needles));
    Some(Box::new(move |line: &[u8]| {
        keys.iter().any(|k| k.find(line).is_some())
            && needles.iter().all(|n| n.find(line).is_none())
    }))
}
