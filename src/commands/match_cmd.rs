//! `coscreen match`: stdin/file lines -> JSON Lines, in input order.

use std::fs::File;
use std::io::{BufWriter, Read, Write};

use crate::cli::MatchArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::matching::Matcher;
use crate::output::Printer;
use crate::risklist::RiskList;
use crate::stream::match_lines;

pub(crate) fn run(
    args: &MatchArgs,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    let matcher = Matcher::new(list);
    log::debug!(
        "compiled {} patterns; {} sets of common words pre-filter the strings",
        matcher.pattern_count(),
        matcher.anchor_mask_count()
    );
    let reader: Box<dyn Read + Send> = match &args.input {
        Some(p) => Box::new(File::open(p).map_err(|source| Error::Input {
            path: p.clone(),
            source,
        })?),
        None => Box::new(std::io::stdin()),
    };
    let input_name = args
        .input
        .as_ref()
        .map_or_else(|| "stdin".into(), |p| p.display().to_string());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(super::screen::capped_threads(args.threads, printer))
        .build()
        .map_err(|e| Error::Usage(format!("--threads: {e}")))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let counts = match_lines(&matcher, reader, &input_name, &pool, &mut out)?;
    out.flush().map_err(Error::Output)?;
    let (lines, matched, errors) = (counts.lines, counts.matched, counts.errors);
    log::debug!("{lines} lines, {matched} with a match, {errors} not matchable");
    if errors > 0 {
        printer.warn(&format!(
            "{errors} of {lines} input lines could not be matched (see their \"error\" field)"
        ));
    }
    Ok(ExitStatus::Success)
}
