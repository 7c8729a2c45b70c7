//! The `screen` run: offline files ([`super::files`]), then API queries and
//! DOI lists through [`crate::net::Sources`], every batch through one
//! [`Intake`]; decisions applied; the report set written through
//! [`crate::report::SCREEN_EXPORTERS`] into a staging folder swapped in whole.

use std::path::Path;

use super::files::{reason_of, Files};
use super::intake::Intake;
use super::screener::{Screener, BATCH};
use crate::classify::Taxonomy;
use crate::cli::{AffiliatePolicy, SourceArgs};
use crate::error::Error;
use crate::ingest::input::{expand_inputs, Item};
use crate::ingest::Work;
use crate::net::cache::now;
use crate::net::Sources;
use crate::output::progress::{self, Unit, WorkRate};
use crate::output::sanitize::strip_credentials;
use crate::output::set::ReportSet;
use crate::output::Printer;
use crate::report::{Builder, Manifest, Report, SCREEN_EXPORTERS};
use crate::risklist::RiskList;
use crate::screen::decisions::Decisions;
use crate::screen::{utc, Home};
use crate::settings::Settings;

/// What `screen` was asked for, checked by the command.
pub struct ScreenPlan<'a> {
    /// The selection (home side, years, inputs, network flags).
    pub source: &'a SourceArgs,
    /// The home side screened against.
    pub home: Home,
    /// `--home` as given (offline input), for the run header.
    pub home_flag: Option<&'a str>,
    /// The report folder.
    pub out: &'a Path,
    /// Reviewer decisions.
    pub decisions: Option<&'a Path>,
    /// `--affiliates`.
    pub affiliates: AffiliatePolicy,
    /// `--resume`.
    pub resume: bool,
    /// Worker threads (0 = all cores).
    pub threads: usize,
}

/// What a screen run produced.
pub struct ScreenRun {
    /// The report as written.
    pub report: Report,
    /// The files written into the folder, in [`SCREEN_EXPORTERS`] order.
    pub written: Vec<&'static str>,
    /// Requests made.
    pub requests: u64,
    /// Retried attempts among them.
    pub retries: u64,
    /// More ids were read than duplicate detection keeps.
    pub dedup_saturated: bool,
}

/// Screens the selection and writes the report set.
pub fn run(
    plan: &ScreenPlan,
    settings: &Settings,
    list: &RiskList,
    printer: &Printer,
) -> Result<ScreenRun, Error> {
    let args = plan.source;
    // Locked from the start: a second run writing to the same --out stops here.
    let set = ReportSet::begin(plan.out)?;
    let taxonomy = Taxonomy::bundled()?;
    let (today, generated) = utc(now());
    // A day of slack: a reviewer east of UTC may already be on tomorrow.
    let latest = utc(now() + 86_400).0;
    let mut decisions = match plan.decisions {
        Some(p) => Some(Decisions::load_as_of(p, &latest)?),
        None => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(|e| Error::Usage(format!("--threads: {e}")))?;
    let home_label = match &plan.home {
        Home::Any => "(all works)".to_owned(),
        Home::Country(c) => format!("({c}: home institution not resolved)"),
        _ => "(home institution not resolved on the work)".to_owned(),
    };
    // Offline files: expanded first so the progress bar knows the total.
    let expanded = expand_inputs(&args.input)?;
    let intake = Intake {
        screener: Screener::new(plan.home.clone(), list, &taxonomy)?,
        years: args.years,
        affiliates: plan.affiliates,
        seen: crate::screen::dedup::Seen::default(),
        rate: WorkRate::new(progress::bar(
            settings.progress && !expanded.files.is_empty(),
            Unit::Files,
            Some(expanded.files.len() as u64),
        )),
    };
    let files = Files {
        intake: &intake,
        format: args.format,
        resume: plan.resume,
        home_label: &home_label,
        run_key: format!(
            "bulk home={:?} format={:?} list={} taxonomy={} funders={}",
            plan.home,
            args.format,
            list.hash(),
            taxonomy.hash(),
            crate::funding::FunderList::hash()
        ),
    };
    let (mut builder, dois) = files.screen(
        &expanded.files,
        &expanded.unknown,
        &settings.cache,
        &pool,
        printer,
    )?;

    // API sources and DOI lists: fetched through the cache, then streamed.
    let mut sources = Sources::new(settings, args)?.without_files(dois);
    let mut batch: Vec<Work> = Vec::with_capacity(BATCH);
    let summary = sources.works(Some(list), &mut |item| {
        match item {
            Item::Work(w) => {
                batch.push(*w);
                if batch.len() >= BATCH {
                    pool.install(|| intake.process(&mut batch, &mut builder, None, false));
                }
            }
            Item::Error(e) => {
                printer.warn(&e.to_string());
                builder.source_error_because(reason_of(&e), e.to_string());
            }
            Item::Doi { .. } => {}
        }
        Ok(())
    })?;
    pool.install(|| intake.process(&mut batch, &mut builder, None, false));
    count_unscreened(&mut builder, &summary, printer);
    let manifest = Manifest {
        tool: format!("coscreen {}", env!("CARGO_PKG_VERSION")),
        risk_list: list.hash().to_owned(),
        risk_list_version: list.version().to_owned(),
        taxonomy: taxonomy.hash().to_owned(),
        query: describe_query(args, plan.home_flag),
        source: describe_source(args, settings),
        home: plan.home.clone(),
        generated,
        requests: summary.requests.clone(),
        retries: summary.retries,
        complete: summary.complete,
    };
    let decisions_path = plan
        .decisions
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let report = builder.finish(manifest, decisions.as_mut(), &today, &decisions_path);
    for u in &report.decisions_unmatched {
        printer.warn(&format!("decision {u}"));
    }
    // The whole set is written beside --out, then swapped in.
    let written = crate::report::write_all(&report, SCREEN_EXPORTERS, set.dir())?;
    set.commit()?;
    Ok(ScreenRun {
        report,
        written,
        requests: summary.requests.values().sum(),
        retries: summary.retries,
        dedup_saturated: intake.seen.saturated(),
    })
}

/// What the sources could not deliver, into the report's coverage.
fn count_unscreened(
    builder: &mut Builder,
    summary: &crate::output::summary::Summary,
    printer: &Printer,
) {
    for d in &summary.dois_not_found {
        builder.source_error_because(
            "DOI not found",
            format!("DOI {d}: found neither in OpenAlex nor in Crossref"),
        );
    }
    for note in &summary.cache_missing_notes {
        printer.warn(note);
    }
    if summary.cache_missing > 0 {
        builder.unscreened_many(
            "missing from the cache (offline)",
            summary.cache_missing,
            summary.cache_missing_notes.join("; "),
        );
    }
    for d in &summary.dois_not_cached {
        let msg = format!("DOI {d}: not in the cache and --offline; not screened");
        printer.warn(&msg);
        builder.source_error_because("DOI not cached (offline)", msg);
    }
}

/// Where the works came from, for the run header (no credentials).
fn describe_source(s: &SourceArgs, settings: &Settings) -> String {
    if !s.input.is_empty() {
        return "offline files".to_owned();
    }
    let mut out = Vec::new();
    if s.home.is_set() {
        out.push(format!(
            "OpenAlex {}",
            strip_credentials(&settings.openalex_url)
        ));
    }
    if s.crossref_filter.is_some() {
        out.push(format!(
            "Crossref {}",
            strip_credentials(&settings.crossref_url)
        ));
    }
    out.join(" + ")
}

/// The query as a person would retype it (no credentials).
fn describe_query(s: &SourceArgs, home: Option<&str>) -> String {
    let mut q: Vec<String> = s.home.describe();
    let mut push = |flag: &str, v: Option<String>| {
        if let Some(v) = v {
            q.push(format!("{flag} {v}"));
        }
    };
    push("--from", s.years.from.map(|y| y.to_string()));
    push("--to", s.years.to.map(|y| y.to_string()));
    push("--crossref-filter", s.crossref_filter.clone());
    for i in &s.input {
        let name = i.file_name().map(|n| n.to_string_lossy().into_owned());
        push("--input", name);
    }
    push("--home", home.map(str::to_owned));
    if s.partner_listed {
        push("--partner-listed", Some(String::new()));
    }
    q.iter().map(|x| x.trim()).collect::<Vec<_>>().join(" ")
}
