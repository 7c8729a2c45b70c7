//! The `trend` run: per-year counts for cron. The joint-paper and listed-id
//! columns come from OpenAlex aggregation (`group_by=publication_year`, one
//! request each); the others from screening each work, fetched per year
//! through the cache. A year is re-fetched only when it was never fetched,
//! its cached works no longer match the API's count, or it is recent and its
//! cache is older than `--max-age`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::screener::{Screener, BATCH};
use crate::classify::Taxonomy;
use crate::cli::{HomeArgs, NetworkArgs};
use crate::error::Error;
use crate::ingest::Work;
use crate::net::cache::{fresh, now};
use crate::net::openalex::{WorksQuery, MAX_OR_VALUES};
use crate::net::{record_work, Session, Stats};
use crate::output::Printer;
use crate::report::trend::{Tally, TrendReport, TREND_EXPORTERS};
use crate::risklist::RiskList;
use crate::screen::utc;
use crate::settings::Settings;

/// The label of the all-universities row with `--by-university`.
const ALL: &str = "(all)";

/// What `trend` was asked for, checked by the command.
pub struct TrendPlan<'a> {
    /// Home side and partner country (a home side is named).
    pub home: &'a HomeArgs,
    /// First year.
    pub from: u16,
    /// Last year (not before `from`).
    pub to: u16,
    /// One row per year and home university.
    pub by_university: bool,
    /// Network flags.
    pub net: &'a NetworkArgs,
    /// Where each of [`TREND_EXPORTERS`] writes, in that order.
    pub paths: Vec<PathBuf>,
}

/// What a trend run did.
pub struct TrendRun {
    /// Table rows.
    pub rows: usize,
    /// The files written, in [`TREND_EXPORTERS`] order.
    pub written: Vec<PathBuf>,
    /// Requests made.
    pub stats: Stats,
    /// Years walked online.
    pub years_fetched: u32,
    /// Years answered from the cache.
    pub years_cached: u32,
}

/// Counts the years, writes the table and the chart.
pub fn run(
    plan: &TrendPlan,
    settings: &Settings,
    list: &RiskList,
    printer: &Printer,
) -> Result<TrendRun, Error> {
    let home = plan.home.home().ok_or_else(|| {
        Error::Usage("one of --country, --ror or --openalex-institution is required".into())
    })?;
    let (from, to) = (plan.from, plan.to);
    let base = plan.home.clauses()?;
    let mut net = Session::new(settings, plan.net)?;
    net.cache()?;
    // Counts and recent years are re-fetched after a week unless told otherwise.
    let max_age = i64::from(plan.net.max_age.unwrap_or(7)) * 86_400;

    // Aggregation: joint papers per year, and papers with a listed institution by id.
    let mut clauses = base.clone();
    clauses.push(format!("publication_year:{from}-{to}"));
    let joint = net.counts_by_year(&WorksQuery::new(clauses.clone()), max_age)?;
    let mut ids: Vec<String> = list
        .entries()
        .iter()
        .filter_map(|e| e.openalex.clone())
        .collect();
    ids.sort();
    ids.dedup();
    let listed_ids = if !ids.is_empty() && ids.len() <= MAX_OR_VALUES {
        let mut c = clauses;
        c.push(format!(
            "authorships.institutions.lineage:{}",
            ids.join("|")
        ));
        Some(net.counts_by_year(&WorksQuery::new(c), max_age)?)
    } else {
        None
    };

    // Per-work screening, year by year through the cache.
    let taxonomy = Taxonomy::bundled()?;
    let screener = Screener::new(home, list, &taxonomy)?;
    let this_year: u16 = utc(now()).0[..4].parse().unwrap_or(to);
    let mut tally = Tally::default();
    let (mut years_fetched, mut years_cached) = (0u32, 0u32);
    let bar = crate::output::progress::bar(
        settings.progress,
        crate::output::progress::Unit::Years,
        Some(u64::from(to - from) + 1),
    );
    let key_all = if plan.by_university { ALL } else { "" };
    for year in from..=to {
        bar.inc(1);
        let expected = joint.get(&year).copied().unwrap_or(0);
        bar.set_message(format!("{year}: {expected} works"));
        {
            let row = tally.row(year, key_all);
            row.joint = Some(expected);
            row.listed_ids = listed_ids
                .as_ref()
                .map(|m: &BTreeMap<u16, u64>| m.get(&year).copied().unwrap_or(0));
        }
        if expected == 0 {
            continue;
        }
        let mut c = base.clone();
        c.push(format!("publication_year:{year}"));
        let q = WorksQuery::new(c);
        let cp = net.cache()?.checkpoint(&q.key())?;
        let recent = year + 1 >= this_year;
        let stale = match &cp {
            None => true,
            Some(cp) if !cp.done => true,
            Some(cp) => cp.works != expected || (recent && !fresh(cp.started, Some(max_age))),
        };
        if plan.net.refresh || stale {
            if net.offline() {
                return Err(Error::Offline(format!(
                    "--offline: year {year} is not (fully) in the cache {}; run once online",
                    net.cache()?.path().display()
                )));
            }
            let restart = plan.net.refresh || cp.as_ref().is_some_and(|c| c.done);
            net.walk(&q, restart, None, &mut |_| {})?;
            years_fetched += 1;
        } else {
            years_cached += 1;
        }
        let mut batch: Vec<Work> = Vec::with_capacity(BATCH);
        let flush = |batch: &mut Vec<Work>, tally: &mut Tally| {
            for (p, ()) in screener.all(batch, |_| ()) {
                if p.outside_home {
                    continue;
                }
                tally.row(year, key_all).add(&p);
                if plan.by_university {
                    let unis = if p.home.is_empty() {
                        vec!["(home not resolved)".to_owned()]
                    } else {
                        p.home.clone()
                    };
                    for u in unis {
                        tally.row(year, &u).add(&p);
                    }
                }
            }
            batch.clear();
        };
        let mut bad = 0u64;
        net.cache()?.for_each_in_query(&q.key(), &mut |rec| {
            match record_work(&rec) {
                Ok(w) => {
                    batch.push(w);
                    if batch.len() >= BATCH {
                        flush(&mut batch, &mut tally);
                    }
                }
                Err(_) => bad += 1,
            }
            Ok(())
        })?;
        flush(&mut batch, &mut tally);
        if bad > 0 {
            printer.warn(&format!("{year}: {bad} cached records could not be read"));
        }
    }
    bar.finish_and_clear();

    let mut query = plan.home.describe();
    query.push(format!("--from {from} --to {to}"));
    if plan.by_university {
        query.push("--by-university".into());
    }
    let query = query.join(" ");
    // The run header: in the chart's <desc> and on stderr, no longer a
    // `#` line in the CSV (spreadsheets took it for a data row).
    let about = format!(
        "coscreen {} trend; query: {query}; risk list {} ({}); taxonomy {}; joint and listed_ids: OpenAlex aggregation (group_by=publication_year{}); other columns: per-work screening of the joint papers; column definitions in the README",
        env!("CARGO_PKG_VERSION"),
        list.version(),
        list.hash(),
        taxonomy.hash(),
        if listed_ids.is_none() { "; listed_ids not computed: more listed ids than one OR batch" } else { "" }
    );
    let report = TrendReport {
        rows: tally,
        by_university: plan.by_university,
        title: format!("coscreen trend: {query}"),
        about,
    };
    let mut written = Vec::new();
    for (e, path) in TREND_EXPORTERS.iter().zip(&plan.paths) {
        crate::output::write_atomic(path, &e.render(&report)?).map_err(Error::Output)?;
        written.push(path.clone());
    }
    Ok(TrendRun {
        rows: report.rows.rows.len(),
        written,
        stats: net.stats(),
        years_fetched,
        years_cached,
    })
}
