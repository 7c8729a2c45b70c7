//! `coscreen screen`: flags -> [`ScreenPlan`] -> [`crate::pipeline::screen`]
//! (ingest -> match -> classify -> score -> report) -> the summary on stdout
//! and the exit status for `--fail-on`.

use std::io::Write;

use crate::cli::{FailOn, ScreenArgs};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::output::Printer;
use crate::pipeline::screen::{self, ScreenPlan, ScreenRun};
use crate::risklist::{RiskLevel, RiskList};
use crate::screen::Home;
use crate::settings::Settings;

/// `match` shares the thread cap.
pub(crate) use crate::pipeline::capped_threads;

pub(crate) fn run(
    args: &ScreenArgs,
    settings: &Settings,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    args.source.require()?;
    let out = args.out.as_deref().ok_or_else(|| {
        Error::Usage(
            "--out DIR is required (on the command line or as `out` in the config file)".into(),
        )
    })?;
    let home = match (args.source.home.home(), &args.home) {
        (Some(h), _) => h,
        (None, Some(h)) => Home::parse(h).map_err(Error::Usage)?,
        (None, None) => Home::Any,
    };
    if args.home.is_some() && args.source.input.is_empty() {
        return Err(Error::Usage(
            "--home is for offline --input; with an API query the home side is --ror, --openalex-institution or --country".into(),
        ));
    }
    let plan = ScreenPlan {
        source: &args.source,
        home,
        home_flag: args.home.as_deref(),
        out,
        decisions: args.decisions.as_deref(),
        affiliates: args.affiliates,
        resume: args.resume,
        threads: capped_threads(args.threads, printer),
    };
    let run = screen::run(&plan, settings, list, printer)?;
    print_summary(&run, out).map_err(Error::Output)?;
    if run.dedup_saturated {
        printer.warn(&format!(
            "more than {} ids and DOIs read: later works were not checked for duplicates (memory bound); split the input if copies may overlap",
            crate::screen::dedup::MAX_KEYS
        ));
    }
    let report = &run.report;
    let unscreened = report.unscreened();
    if unscreened > 0 {
        let reasons: Vec<String> = report
            .coverage
            .unscreened_reasons
            .iter()
            .map(|(r, n)| format!("{r}: {n}"))
            .collect();
        printer.warn(&format!(
            "{unscreened} records or inputs were read but not screened ({}); see coverage in report.json",
            reasons.join(", ")
        ));
    }
    let level = args.fail_on.map(|f| match f {
        FailOn::VeryHigh => RiskLevel::VeryHigh,
        FailOn::High => RiskLevel::High,
        FailOn::Medium => RiskLevel::Medium,
        FailOn::Low => RiskLevel::Low,
    });
    Ok(match level {
        Some(l) if report.open_at_or_above(l) > 0 => ExitStatus::Flagged,
        Some(_) if unscreened > 0 && !args.allow_unscreened => {
            printer.warn(&format!(
                "--fail-on: failing because {unscreened} records or inputs were not screened (a clean result would not be true); --allow-unscreened accepts them"
            ));
            ExitStatus::Flagged
        }
        _ => ExitStatus::Success,
    })
}

/// The run's counts and the files written, on stdout.
fn print_summary(run: &ScreenRun, out_dir: &std::path::Path) -> std::io::Result<()> {
    let (s, c) = (&run.report.summary, &run.report.coverage);
    let tiers: Vec<String> = (1..=4)
        .map(|t| {
            format!(
                "tier {t}: {}",
                s.by_tier.get(&t.to_string()).copied().unwrap_or(0)
            )
        })
        .collect();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "screened {} works: {} with an open flag ({}), {} with only decided flags; {} source errors; {} read but not screened; {} duplicates merged; {} requests ({} retries)\nwrote {}/{{{}}}",
        s.works,
        s.flagged,
        tiers.join(", "),
        s.decided,
        c.source_errors,
        c.unscreened,
        c.duplicates_merged,
        run.requests,
        run.retries,
        out_dir.display(),
        run.written.join(", ")
    )?;
    let (ignored, counted) = (c.affiliate_flags_ignored, c.affiliate_flags_counted);
    if ignored + counted > 0 {
        writeln!(
            out,
            "flags on affiliates of listed entries (not the entries themselves): {} (--affiliates {})",
            ignored + counted,
            if ignored > 0 { "ignore: not reported" } else { "count: in coverage, not flagged" }
        )?;
    }
    out.flush()
}
