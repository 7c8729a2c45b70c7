//! `coscreen cache check`: is the cache sound after crashes and kills?

use std::io::Write;

use crate::cli::{CacheAction, CacheArgs};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::net::cache::Cache;
use crate::settings::Settings;

pub(crate) fn run(args: &CacheArgs, settings: &Settings) -> Result<ExitStatus, Error> {
    match args.action {
        CacheAction::Check => {
            if !settings.cache.exists() {
                return Err(Error::Usage(format!(
                    "no cache at {}",
                    settings.cache.display()
                )));
            }
            let cache = Cache::open(&settings.cache)?;
            let r = cache.check()?;
            let mut out = std::io::stdout().lock();
            let records: Vec<String> = r.records.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let text = format!(
                "cache {}\nsqlite integrity: {}\nrecords: {}\nrecords that are not JSON: {}\nquery memberships without a record: {}\nqueries: {} complete, {} in progress (resumable)\nbad checkpoints: {}\n{}\n",
                settings.cache.display(),
                r.sqlite.join("; "),
                if records.is_empty() { "none".into() } else { records.join(", ") },
                r.bad_records.len(),
                r.orphans,
                r.queries_done,
                r.queries_in_progress,
                r.bad_checkpoints.len(),
                if r.ok() { "OK" } else { "PROBLEMS FOUND" }
            );
            out.write_all(text.as_bytes()).map_err(Error::Output)?;
            out.flush().map_err(Error::Output)?;
            Ok(if r.ok() {
                ExitStatus::Success
            } else {
                ExitStatus::Usage
            })
        }
    }
}
