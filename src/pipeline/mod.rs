//! The runs behind `screen` and `trend`: a command parses its flags into a
//! plan, calls the pipeline, and prints what it returns. The pipeline owns
//! the stages in order (ingest -> match -> classify -> score -> report) and
//! everything between them: the query ([`query`]), resume keys, parallel
//! files and the cache.

pub mod files;
pub mod intake;
pub mod query;
pub mod screen;
pub mod screener;
pub mod trend;

use crate::output::Printer;

/// `--threads`, at most the machine's cores (0 = all of them), with a warning when capped.
pub fn capped_threads(asked: Option<usize>, printer: &Printer) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    match asked {
        Some(n) if n > cores => {
            printer.warn(&format!(
                "--threads {n}: this machine has {cores} cores; using {cores}"
            ));
            cores
        }
        Some(n) => n,
        None => 0,
    }
}
