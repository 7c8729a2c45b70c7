//! `coscreen risklist`: the effective list as a table, CSV or JSON, and
//! `risklist import`: an official download to an `--extra-list` file.

use std::io::Write;

use crate::cli::{ImportArgs, ImportFormat, ListFormat, RisklistArgs};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::output::Printer;
use crate::risklist::import::{self, Format, Options};
use crate::risklist::{export, RiskList};

pub(crate) fn run(
    args: &RisklistArgs,
    list: &RiskList,
    _printer: &Printer,
) -> Result<ExitStatus, Error> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => export::write_json(list, &mut out),
        ListFormat::Csv => export::write_csv(list, &mut out),
        ListFormat::Table => crate::output::risklist::write_table(list, &mut out),
    }
    .map_err(Error::Output)?;
    out.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}

/// `coscreen risklist import FILE`: an official download to an `--extra-list` file.
pub(crate) fn import(
    args: &ImportArgs,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    let bytes = std::fs::read(&args.file).map_err(|source| Error::Input {
        path: args.file.clone(),
        source,
    })?;
    let format = match args.from {
        Some(ImportFormat::CslCsv) => Format::CslCsv,
        Some(ImportFormat::CslJson) => Format::CslJson,
        None => Format::detect(&bytes),
    };
    for c in &args.countries {
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::Usage(format!(
                "--country {c}: give an ISO 3166-1 alpha-2 code such as CN"
            )));
        }
    }
    let opts = Options {
        list: args.list.clone(),
        countries: args
            .countries
            .iter()
            .map(|c| c.to_ascii_uppercase())
            .collect(),
        research_only: args.research_only,
    };
    let file = args.file.display().to_string();
    let outcome =
        import::convert(&bytes, format, &opts).map_err(|e| Error::Usage(format!("{file}: {e}")))?;
    let text = outcome.to_csv().map_err(Error::Output)?;
    // The file must load as an extra list beside the bundled one: check now,
    // not at the office's next screen.
    let out_name = args
        .out
        .as_ref()
        .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
    let check = RiskList::build(&[(out_name, text.clone())])?;

    for p in &outcome.problems {
        printer.warn(&p.message(&file, format));
    }
    let in_bundled = outcome.also_bundled(&check, list);
    if !in_bundled.is_empty() {
        printer.warn(&format!(
            "{} imported name(s) are also bundled entries (both will match): {}",
            in_bundled.len(),
            in_bundled.join(", ")
        ));
    }
    printer.summary(&outcome.summary(&file, args.out.as_deref()));
    match &args.out {
        Some(p) => std::fs::write(p, text.as_bytes()).map_err(Error::Output)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).map_err(Error::Output)?;
            out.flush().map_err(Error::Output)?;
        }
    }
    Ok(ExitStatus::Success)
}
