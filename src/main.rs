//! The `coscreen` binary: parse -> settings -> command -> exit code.

use std::process::ExitCode;

use clap::Parser;
use coscreen::cli::Cli;
use coscreen::exit::ExitStatus;
use coscreen::output::{log, Printer};
use coscreen::settings::Settings;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let printer = Printer::new(if cli.global.quiet > 0 { -1 } else { 0 }, false);
    let result = coscreen::config::apply(&mut cli).and_then(|config| {
        let settings = Settings::resolve(&cli.global)?;
        log::init(settings.verbosity);
        let printer = Printer::new(settings.verbosity, settings.color);
        if let Some(path) = config {
            ::log::debug!("options from {}", path.display());
        }
        coscreen::commands::run(&cli.command, &settings, &printer)
    });
    match result {
        Ok(status) => status.into(),
        // `coscreen match < big | head` closes our stdout: Unix tools exit 0.
        Err(e) if e.is_broken_pipe() => ExitStatus::Success.into(),
        Err(e) => {
            printer.error(&e);
            e.exit_status().into()
        }
    }
}
