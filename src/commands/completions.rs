//! `coscreen completions SHELL` and `coscreen man`: generated from the same
//! clap definition as `--help`, so they never drift from the flags.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Error;
use crate::exit::ExitStatus;

pub(crate) fn completions(args: &CompletionsArgs) -> Result<ExitStatus, Error> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "coscreen", &mut out);
    write_stdout(&out)
}

pub(crate) fn man() -> Result<ExitStatus, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(Error::Output)?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> Result<ExitStatus, Error> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes).map_err(Error::Output)?;
    stdout.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}
