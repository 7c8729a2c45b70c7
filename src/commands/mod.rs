//! One thin file per subcommand: each calls the stages in order and writes
//! results; no matching or formatting logic of its own beyond presentation.

mod cache;
mod classify;
mod completions;
mod fetch;
mod lookup;
mod match_cmd;
mod person;
mod risklist;
mod screen;
mod trend;

use crate::cli::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::output::Printer;
use crate::risklist::RiskList;
use crate::settings::Settings;

/// Runs one command.
pub fn run(cmd: &Command, settings: &Settings, printer: &Printer) -> Result<ExitStatus, Error> {
    match cmd {
        Command::Match(args) => match_cmd::run(args, &risk_list(settings)?, printer),
        Command::Lookup(args) if args.orcid.is_some() || args.author.is_some() => {
            person::run(args, settings, &risk_list(settings)?, printer)
        }
        Command::Lookup(args) => lookup::run(args, &risk_list(settings)?, printer),
        Command::Risklist(args) => match &args.action {
            Some(crate::cli::RisklistAction::Import(import)) => {
                risklist::import(import, &risk_list(settings)?, printer)
            }
            None => risklist::run(args, &risk_list(settings)?, printer),
        },
        Command::Classify(args) => classify::run(args, printer),
        Command::Fetch(args) => fetch::run(args, settings, &risk_list(settings)?, printer),
        Command::Screen(args) => screen::run(args, settings, &risk_list(settings)?, printer),
        Command::Cache(args) => cache::run(args, settings),
        Command::Trend(args) => trend::run(args, settings, &risk_list(settings)?, printer),
        Command::Completions(args) => completions::completions(args),
        Command::Man => completions::man(),
    }
}

/// The bundled list plus `--extra-list` files, for the commands that match.
fn risk_list(settings: &Settings) -> Result<RiskList, Error> {
    let list = RiskList::with_extra(&settings.extra_lists)?;
    log::debug!(
        "risk list {}: {} entries ({} extra files), {} known non-listed institutions",
        list.hash(),
        list.entries().len(),
        settings.extra_lists.len(),
        list.known().len()
    );
    Ok(list)
}
