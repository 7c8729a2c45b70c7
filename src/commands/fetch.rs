//! `coscreen fetch`: warm the cache for a query or DOI list, resumably, and
//! say what it cost.

use std::io::Write;

use crate::cli::FetchArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::net::Sources;
use crate::output::Printer;
use crate::risklist::RiskList;
use crate::settings::Settings;

pub(crate) fn run(
    args: &FetchArgs,
    settings: &Settings,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    args.source.require()?;
    let mut sources = Sources::new(settings, &args.source)?;
    let summary = sources.fetch(Some(list), &mut |e| printer.warn(&e.to_string()))?;
    let mut out = std::io::stdout().lock();
    let text = if args.json {
        serde_json::to_string(&summary).map_err(|e| Error::Output(e.into()))? + "\n"
    } else {
        summary.render()
    };
    out.write_all(text.as_bytes()).map_err(Error::Output)?;
    out.flush().map_err(Error::Output)?;
    if !summary.complete {
        printer.warn("the fetch stopped early; rerun the same command to resume");
    }
    Ok(ExitStatus::Success)
}
