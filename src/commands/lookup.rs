//! `coscreen lookup`: one institution, explained for a person at a desk.

use std::io::Write;

use crate::cli::LookupArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::lookup::{explain_ids, explain_text, funders_of, LookupJson};
use crate::output::lookup::{render_funders, render_text};
use crate::output::Printer;
use crate::risklist::RiskList;

pub(crate) fn run(
    args: &LookupArgs,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    let explained = match &args.text {
        Some(text) => explain_text(list, text),
        None => explain_ids(list, args.ror.as_deref(), args.openalex.as_deref()),
    };
    let funders = funders_of(args.text.as_deref())?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let json = LookupJson::new(list, explained, funders);
        serde_json::to_writer_pretty(&mut out, &json).map_err(|e| Error::Output(e.into()))?;
        writeln!(out).map_err(Error::Output)?;
    } else {
        let mut text = render_text(list, printer, &explained);
        text.push_str(&render_funders(printer, &funders));
        out.write_all(text.as_bytes()).map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}
