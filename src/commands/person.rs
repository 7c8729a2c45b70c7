//! `coscreen lookup --orcid ID | --author ID`: a person's affiliations over
//! time (OpenAlex authors endpoint), each screened with the matcher, and the
//! years in which the person was at a listed institution.

use std::io::Write;

use crate::cli::LookupArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::lookup::person::{screen, PersonQuery};
use crate::output::lookup::render_person;
use crate::output::Printer;
use crate::risklist::RiskList;
use crate::settings::Settings;

pub(crate) fn run(
    args: &LookupArgs,
    settings: &Settings,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    let query =
        PersonQuery::new(args.orcid.as_deref(), args.author.as_deref()).map_err(Error::Usage)?;
    let body = crate::net::Session::for_lookup(settings)?.author(&query.api_id)?;
    let person = screen(list, &query, body.as_deref()).map_err(Error::Net)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &person).map_err(|e| Error::Output(e.into()))?;
        writeln!(out).map_err(Error::Output)?;
    } else {
        out.write_all(render_person(&person, list, printer).as_bytes())
            .map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}
