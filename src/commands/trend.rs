//! `coscreen trend`: per-year counts for cron. The joint-paper and listed-id
//! columns come from OpenAlex aggregation (`group_by=publication_year`, one
//! request each); the others from screening each work, fetched per year
//! through the cache. A year is re-fetched only when it was never fetched,
//! its cached works no longer match the API's count, or it is recent and its
//! cache is older than `--max-age`.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::cache::{fresh, now, Cache};
use crate::classify::{Classifier, Taxonomy};
use crate::cli::TrendArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::funding::FundingMatcher;
use crate::ingest::Work;
use crate::matching::{Matcher, Scratch};
use crate::net::openalex::{OpenAlex, WorksQuery, MAX_OR_VALUES};
use crate::net::{Meter, NetError};
use crate::output::write_atomic;
use crate::output::Printer;
use crate::report::trend::Tally;
use crate::risklist::RiskList;
use crate::screen::{screen_work, utc};
use crate::settings::Settings;
use crate::sources::record_work;

const BATCH: usize = 2048;
/// The label of the all-universities row with `--by-university`.
const ALL: &str = "(all)";

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
    let Some(home) = args.home.home() else {
        return Err(Error::Usage(
            "one of --country, --ror or --openalex-institution is required (on the command line or in the config file)".into(),
        ));
    };
    args.years.check()?;
    let base = args.home.clauses()?;
    let cache = Cache::open(&settings.cache)?;
    let meter = Meter::new(args.net.max_requests);
    let policy = crate::sources::policy(&args.net);
    let client = OpenAlex::new(
        &settings.openalex_url,
        settings.api_key.clone(),
        settings.mailto.clone(),
        policy,
        meter.clone(),
    )?
    .with_per_page(args.net.per_page);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Net(NetError::Client(e.to_string())))?;
    let offline = settings.offline;
    // Counts and recent years are re-fetched after a week unless told otherwise.
    let max_age = i64::from(args.net.max_age.unwrap_or(7)) * 86_400;
    let years = format!("publication_year:{from}-{to}");

    // Aggregation: joint papers per year, and papers with a listed institution by id.
    let mut clauses = base.clone();
    clauses.push(years.clone());
    let joint = counts(
        &rt,
        &client,
        &WorksQuery::new(clauses.clone()),
        &cache,
        max_age,
        offline,
    )?;
    let mut ids: Vec<String> = list
        .entries()
        .iter()
        .filter_map(|e| e.openalex.clone())
        .collect();
    ids.sort();
    ids.dedup();
    let listed_ids = if !ids.is_empty() && ids.len() <= MAX_OR_VALUES {
        let mut c = clauses.clone();
        c.push(format!(
            "authorships.institutions.lineage:{}",
            ids.join("|")
        ));
        Some(counts(
            &rt,
            &client,
            &WorksQuery::new(c),
            &cache,
            max_age,
            offline,
        )?)
    } else {
        None
    };

    // Per-work screening, year by year through the cache.
    let taxonomy = Taxonomy::bundled()?;
    let classifier = Classifier::new(&taxonomy);
    let matcher = Matcher::new(list);
    let funding = FundingMatcher::bundled()?;
    let this_year: u16 = utc(now()).0[..4].parse().unwrap_or(to);
    let mut tally = Tally::default();
    let mut years_fetched = 0u32;
    let mut years_cached = 0u32;
    let bar = crate::output::progress::bar(
        settings.progress,
        crate::output::progress::Unit::Years,
        Some(u64::from(to - from) + 1),
    );
    for year in from..=to {
        bar.inc(1);
        let expected = joint.get(&year).copied().unwrap_or(0);
        bar.set_message(format!("{year}: {expected} works"));
        let key_all = if args.by_university { ALL } else { "" };
        {
            let row = tally.row(year, key_all);
            row.joint = Some(expected);
            row.listed_ids = listed_ids
                .as_ref()
                .map(|m| m.get(&year).copied().unwrap_or(0));
        }
        if expected == 0 {
            continue;
        }
        let mut c = base.clone();
        c.push(format!("publication_year:{year}"));
        let q = WorksQuery::new(c);
        let cp = cache.checkpoint(&q.key())?;
        let recent = year + 1 >= this_year;
        let stale = match &cp {
            None => true,
            Some(cp) if !cp.done => true,
            Some(cp) => cp.works != expected || (recent && !fresh(cp.started, Some(max_age))),
        };
        if args.net.refresh || stale {
            if offline {
                return Err(Error::Offline(format!(
                    "--offline: year {year} is not (fully) in the cache {}; run once online",
                    cache.path().display()
                )));
            }
            let restart = args.net.refresh || cp.as_ref().is_some_and(|c| c.done);
            rt.block_on(client.walk(&q, &cache, restart, None, &mut |_| {}))?;
            years_fetched += 1;
        } else {
            years_cached += 1;
        }
        let mut batch: Vec<Work> = Vec::with_capacity(BATCH);
        let flush = |batch: &mut Vec<Work>, tally: &mut Tally| {
            let results: Vec<_> = batch
                .par_iter()
                .map_init(Scratch::default, |s, w| {
                    screen_work(w, &home, &matcher, &funding, &classifier, s)
                })
                .collect();
            batch.clear();
            for p in results {
                if p.outside_home {
                    continue;
                }
                tally.row(year, key_all).add(&p);
                if args.by_university {
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
        };
        let mut bad = 0u64;
        cache.for_each_in_query(&q.key(), &mut |rec| {
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
    let query = {
        let mut q = args.home.describe();
        q.push(format!("--from {from} --to {to}"));
        if args.by_university {
            q.push("--by-university".into());
        }
        q.join(" ")
    };
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
    let csv = tally.csv(args.by_university);
    write_atomic(&args.out, csv.as_bytes()).map_err(Error::Output)?;
    write_atomic(
        &svg_path,
        tally
            .svg(&format!("coscreen trend: {query}"), &about)
            .as_bytes(),
    )
    .map_err(Error::Output)?;
    let stats = meter.snapshot();
    let kinds: Vec<String> = stats
        .requests
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    printer.summary(&format!(
        "trend: {} rows -> {} and {}; requests: {}{}; years fetched {years_fetched}, from cache {years_cached}",
        tally.rows.len(),
        args.out.display(),
        svg_path.display(),
        stats.total(),
        if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) }
    ));
    Ok(ExitStatus::Success)
}

/// Year -> count from `group_by=publication_year`.
fn counts(
    rt: &tokio::runtime::Runtime,
    client: &OpenAlex,
    q: &WorksQuery,
    cache: &Cache,
    max_age: i64,
    offline: bool,
) -> Result<BTreeMap<u16, u64>, Error> {
    let groups =
        rt.block_on(client.group_by(q, "publication_year", cache, Some(max_age), offline))?;
    Ok(groups
        .into_iter()
        .filter_map(|g| Some((g.key.parse::<u16>().ok()?, g.count)))
        .collect())
}
