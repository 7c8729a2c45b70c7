//! `coscreen trend`: per-year counts for cron (the run is
//! [`crate::pipeline::trend`]). Parses the flags into a plan, runs it, prints
//! the summary.

use crate::cli::TrendArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::output::Printer;
use crate::pipeline::trend::{self, TrendPlan};
use crate::risklist::RiskList;
use crate::settings::Settings;

pub(crate) fn run(
    args: &TrendArgs,
    settings: &Settings,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    let svg_path = args
        .svg
        .clone()
        .unwrap_or_else(|| args.out.with_extension("svg"));
    let svg_flag = if args.svg.is_some() {
        "--svg"
    } else {
        "--out's default chart (.svg)"
    };
    crate::output::distinct_outputs(&[("--out", &args.out), (svg_flag, &svg_path)])
        .map_err(Error::Usage)?;
    // Checked here, not by clap: the config file may supply them.
    let (Some(from), Some(to)) = (args.years.from, args.years.to) else {
        return Err(Error::Usage(
            "--from and --to are required (on the command line or as `from` and `to` in the config file)".into(),
        ));
    };
    if !args.home.is_set() {
        return Err(Error::Usage(
            "one of --country, --ror or --openalex-institution is required (on the command line or in the config file)".into(),
        ));
    }
    args.years.check()?;
    let plan = TrendPlan {
        home: &args.home,
        from,
        to,
        by_university: args.by_university,
        net: &args.net,
        paths: vec![args.out.clone(), svg_path],
    };
    let run = trend::run(&plan, settings, list, printer)?;
    let kinds = crate::output::summary::by_kind(&run.stats.requests);
    let files: Vec<String> = run
        .written
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    printer.summary(&format!(
        "trend: {} rows -> {}; requests: {}{}; years fetched {}, from cache {}",
        run.rows,
        files.join(" and "),
        run.stats.total(),
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({kinds})")
        },
        run.years_fetched,
        run.years_cached
    ));
    Ok(ExitStatus::Success)
}
