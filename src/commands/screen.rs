//! `coscreen screen`: ingest -> match -> classify -> score -> report.

use std::io::Write;

use rayon::prelude::*;

use crate::classify::{Classifier, Taxonomy};
use crate::cli::{AffiliatePolicy, FailOn, ScreenArgs, SourceArgs};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::funding::FundingMatcher;
use crate::ingest::input::{expand_inputs, read_one, InputError, Item, SkipLine, UNKNOWN_FILE};
use crate::ingest::Work;
use crate::matching::{Matcher, Scratch};
use crate::net::Sources;
use crate::output::progress::{self, Unit, WorkRate};
use crate::output::sanitize::strip_credentials;
use crate::output::Printer;
use crate::report::{Builder, Manifest, Saved, SCREEN_EXPORTERS};
use crate::risklist::{RiskLevel, RiskList};
use crate::screen::decisions::Decisions;
use crate::screen::score::drop_affiliate_flags;
use crate::screen::{screen_work, utc, Home, PaperResult};
use crate::settings::Settings;

/// Works screened per parallel batch.
const BATCH: usize = 2048;

fn home_of(args: &ScreenArgs) -> Result<Home, Error> {
    match (args.source.home.home(), &args.home) {
        (Some(h), _) => Ok(h),
        (None, Some(h)) => Home::parse(h).map_err(Error::Usage),
        (None, None) => Ok(Home::Any),
    }
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

pub(crate) fn run(
    args: &ScreenArgs,
    settings: &Settings,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    args.source.require()?;
    let out_dir = args.out.as_deref().ok_or_else(|| {
        Error::Usage(
            "--out DIR is required (on the command line or as `out` in the config file)".into(),
        )
    })?;
    let home = home_of(args)?;
    if args.home.is_some() && args.source.input.is_empty() {
        return Err(Error::Usage(
            "--home is for offline --input; with an API query the home side is --ror, --openalex-institution or --country".into(),
        ));
    }
    // Locked from the start: a second run writing to the same --out stops here.
    let set = crate::output::set::ReportSet::begin(out_dir)?;
    let taxonomy = Taxonomy::bundled()?;
    let classifier = Classifier::new(&taxonomy);
    let matcher = Matcher::new(list);
    let funding = FundingMatcher::bundled()?;
    let (today, now) = utc(crate::net::cache::now());
    // A day of slack: a reviewer east of UTC may already be on tomorrow.
    let latest = utc(crate::net::cache::now() + 86_400).0;
    let mut decisions = match &args.decisions {
        Some(p) => Some(Decisions::load_as_of(p, &latest)?),
        None => None,
    };
    let threads = capped_threads(args.threads, printer);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("--threads: {e}")))?;
    let home_label = match &home {
        Home::Any => "(all works)".to_owned(),
        Home::Country(c) => format!("({c}: home institution not resolved)"),
        _ => "(home institution not resolved on the work)".to_owned(),
    };
    // `--affiliates count|ignore`: flags taken off the paper and counted in
    // the file's aggregate, so a `--resume` keeps the counts too.
    let policy = |p: &mut PaperResult, builder: &mut Builder| match args.affiliates {
        AffiliatePolicy::Show => {}
        AffiliatePolicy::Count => builder.affiliate_flags_counted(drop_affiliate_flags(p)),
        AffiliatePolicy::Ignore => builder.affiliate_flags_ignored(drop_affiliate_flags(p)),
    };
    let years = args.source.years;
    let seen = crate::screen::dedup::Seen::default();
    // Screens a batch into a builder; works with flags are kept in `keep`
    // when given (what `--resume` stores for a finished file). File works
    // (`years`) outside `--from`/`--to` are counted and left out (API queries
    // filter by year themselves); a work read before (same DOI or id) only
    // adds its flags to the first copy.
    // Offline files: expanded first so the progress bar knows the total.
    let expanded = expand_inputs(&args.source.input)?;
    let files = expanded.files;
    let rate = WorkRate::new(progress::bar(
        settings.progress && !files.is_empty(),
        Unit::Files,
        Some(files.len() as u64),
    ));
    let process = |batch: &mut Vec<Work>,
                   builder: &mut Builder,
                   keep: Option<&mut Vec<Work>>,
                   in_files: bool| {
        if in_files && years.is_set() {
            batch.retain(|w| match w.year {
                None => {
                    builder.year_unknown();
                    true
                }
                Some(y) if years.excludes(y) => {
                    builder.outside_years();
                    false
                }
                Some(_) => true,
            });
        }
        rate.add(batch.len() as u64);
        let results: Vec<(PaperResult, bool, bool)> = batch
            .par_iter()
            .map_init(Scratch::default, |scratch, w| {
                let has_aff = w
                    .authorships
                    .iter()
                    .any(|a| !a.raw_affiliations.is_empty() || !a.institutions.is_empty());
                (
                    screen_work(w, &home, &matcher, &funding, &classifier, scratch),
                    has_aff,
                    seen.first(w),
                )
            })
            .collect();
        let works = std::mem::take(batch);
        let mut keep = keep;
        for (w, (mut p, has_aff, first)) in works.into_iter().zip(results) {
            if !first {
                // A copy read before: its affiliate flags follow the policy
                // too, counted once (with the first copy).
                if args.affiliates != AffiliatePolicy::Show {
                    drop_affiliate_flags(&mut p);
                }
                builder.add_duplicate(p);
                continue;
            }
            policy(&mut p, builder);
            if !has_aff && !p.outside_home {
                builder.no_affiliations();
            }
            if let Some(k) = keep.as_deref_mut() {
                if p.is_flagged() && !p.outside_home {
                    k.push(w);
                }
            }
            builder.add(p);
        }
    };

    // Offline files: in parallel, each streamed through its own builder;
    // merged in file order, so the report does not depend on scheduling.
    let skip = prefilter(&home);
    // Finished files are recorded in the cache (counts + flagged works) under
    // a key that changes with the file, the home side, the list and the taxonomy.
    // Without a usable cache the files are still screened, just not recorded
    // (`--resume` needs it, so there it is an error).
    let cache = if files.is_empty() {
        None
    } else {
        match crate::net::cache::Cache::open(&settings.cache) {
            Ok(c) => Some(std::sync::Mutex::new(c)),
            Err(e) if !args.resume => {
                printer.warn(&format!(
                    "{e}; finished files will not be recorded for --resume"
                ));
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    let run_key = format!(
        "bulk home={:?} format={:?} list={} taxonomy={} funders={}",
        home,
        args.source.format,
        list.hash(),
        taxonomy.hash(),
        crate::funding::FunderList::hash()
    );
    let file_key = |f: &std::path::Path| -> Option<String> {
        let m = std::fs::metadata(f).ok()?;
        let mtime = m
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        let path = std::fs::canonicalize(f).ok()?;
        Some(format!(
            "{run_key} file={} size={} mtime={mtime}",
            path.display(),
            m.len()
        ))
    };
    let resumed = std::sync::atomic::AtomicU64::new(0);
    // Per file: its builder, DOIs to resolve, warnings; or a usage error.
    type PerFile = Result<(Builder, Vec<String>, Vec<String>), Error>;
    let per_file: Vec<PerFile> = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let key = file_key(f);
                if let (true, Some(k), Some(c)) = (args.resume, &key, &cache) {
                    let saved = c
                        .lock()
                        .ok()
                        .and_then(|c| c.count(k, None).ok().flatten())
                        .and_then(|body| serde_json::from_str::<Saved>(&body).ok());
                    if let Some(saved) = saved {
                        let mut b = Builder::restore(&home_label, &saved);
                        let mut scratch = Scratch::default();
                        for w in &saved.flagged_works {
                            let mut p = screen_work(
                                w,
                                &home,
                                &matcher,
                                &funding,
                                &classifier,
                                &mut scratch,
                            );
                            // (The saved counts already hold what `count` counted.)
                            let mut scrap = Builder::new(&home_label);
                            policy(&mut p, &mut scrap);
                            b.push_flagged(p);
                        }
                        resumed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        rate.file_done();
                        return Ok((b, Vec::new(), Vec::new()));
                    }
                }
                let mut b = Builder::new(&home_label);
                let mut dois = Vec::new();
                let mut warnings = Vec::new();
                let mut flagged: Vec<Work> = Vec::new();
                let mut batch: Vec<Work> = Vec::with_capacity(BATCH);
                let mut partial = 0u64;
                let read = read_one(f, args.source.format, skip.as_deref(), &mut |item| {
                    match item {
                        Item::Work(w) => {
                            if let Some(why) = &w.unscreened {
                                if partial == 0 {
                                    warnings.push(why.clone());
                                }
                                partial += 1;
                                b.source_error_because("no affiliation column", why.clone());
                            }
                            batch.push(*w);
                            if batch.len() >= BATCH {
                                process(&mut batch, &mut b, Some(&mut flagged), true);
                            }
                        }
                        Item::Error(e) => {
                            warnings.push(e.to_string());
                            b.source_error_because(reason_of(&e), e.to_string());
                        }
                        Item::Doi { doi, .. } => dois.push(doi),
                    }
                    Ok(())
                });
                process(&mut batch, &mut b, Some(&mut flagged), true);
                if partial > 1 {
                    warnings.push(format!(
                        "{}: {partial} records read without affiliations: partners not screened",
                        f.display()
                    ));
                }
                match read {
                    Ok(stats) => {
                        b.outside_home(stats.skipped);
                        if stats.legacy_lines > 0 {
                            warnings.push(format!(
                                "{}: {} lines were not UTF-8 and were decoded as Windows-1252 (Latin-1); check names with accents in the report",
                                f.display(),
                                stats.legacy_lines
                            ));
                            b.legacy_encoding(f, stats.legacy_lines);
                        }
                        // Record the finished file (not DOI lists: they resolve later).
                        if let (Some(k), Some(c), true) = (&key, &cache, dois.is_empty()) {
                            if let Ok(body) = serde_json::to_string(&b.save(flagged)) {
                                if let Ok(c) = c.lock() {
                                    if let Err(e) = c.put_count(k, &body) {
                                        warnings.push(format!(
                                            "cannot record {} as done: {e}",
                                            f.display()
                                        ));
                                    }
                                }
                            }
                        }
                    }
                    // Asked to read a file as what it is not: nothing sensible to report.
                    Err(e @ Error::Usage(_)) => return Err(e),
                    // A file that vanished or cannot be opened: reported, the run goes on.
                    Err(e) => {
                        let mut msg = e.to_string();
                        let mut src = std::error::Error::source(&e);
                        while let Some(s) = src {
                            msg.push_str(&format!(": {s}"));
                            src = s.source();
                        }
                        warnings.push(msg.clone());
                        b.source_error_because("unreadable input", msg);
                    }
                }
                rate.file_done();
                Ok((b, dois, warnings))
            })
            .collect()
    });
    drop(cache);
    rate.finish();
    let resumed = resumed.into_inner();
    if resumed > 0 {
        printer.summary(&format!(
            "--resume: {resumed} of {} files taken from the cache",
            files.len()
        ));
    }
    let mut builder = Builder::new(&home_label);
    let mut dois = Vec::new();
    for u in &expanded.unknown {
        let msg = format!("{}: {UNKNOWN_FILE}", u.display());
        printer.warn(&msg);
        builder.source_error_because("unknown file type", msg);
    }
    for r in per_file {
        let (b, d, warnings) = r?;
        for w in warnings {
            printer.warn(&w);
        }
        builder.merge(b);
        dois.extend(d);
    }

    // API sources and DOI lists: fetched through the cache, then streamed.
    let mut sources = Sources::new(settings, &args.source)?.without_files(dois);
    let mut batch: Vec<Work> = Vec::with_capacity(BATCH);
    let summary = sources.works(Some(list), &mut |item| {
        match item {
            Item::Work(w) => {
                batch.push(*w);
                if batch.len() >= BATCH {
                    pool.install(|| process(&mut batch, &mut builder, None, false));
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
    pool.install(|| process(&mut batch, &mut builder, None, false));
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
    let source = if !args.source.input.is_empty() {
        "offline files".to_owned()
    } else {
        let mut s = Vec::new();
        if args.source.home.is_set() {
            s.push(format!(
                "OpenAlex {}",
                strip_credentials(&settings.openalex_url)
            ));
        }
        if args.source.crossref_filter.is_some() {
            s.push(format!(
                "Crossref {}",
                strip_credentials(&settings.crossref_url)
            ));
        }
        s.join(" + ")
    };
    let manifest = Manifest {
        tool: format!("coscreen {}", env!("CARGO_PKG_VERSION")),
        risk_list: list.hash().to_owned(),
        risk_list_version: list.version().to_owned(),
        taxonomy: taxonomy.hash().to_owned(),
        query: describe_query(&args.source, args.home.as_deref()),
        source,
        home: home.clone(),
        generated: now,
        requests: summary.requests.clone(),
        retries: summary.retries,
        complete: summary.complete,
    };
    let decisions_path = args
        .decisions
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let report = builder.finish(manifest, decisions.as_mut(), &today, &decisions_path);
    for u in &report.decisions_unmatched {
        printer.warn(&format!("decision {u}"));
    }
    // The whole set is written beside --out, then swapped in.
    let written = crate::report::write_all(&report, SCREEN_EXPORTERS, set.dir())?;
    set.commit()?;
    let s = &report.summary;
    let mut out = std::io::stdout().lock();
    let tiers: Vec<String> = (1..=4)
        .map(|t| {
            format!(
                "tier {t}: {}",
                s.by_tier.get(&t.to_string()).copied().unwrap_or(0)
            )
        })
        .collect();
    writeln!(
        out,
        "screened {} works: {} with an open flag ({}), {} with only decided flags; {} source errors; {} read but not screened; {} duplicates merged; {} requests ({} retries)\nwrote {}/{{{}}}",
        s.works,
        s.flagged,
        tiers.join(", "),
        s.decided,
        report.coverage.source_errors,
        report.coverage.unscreened,
        report.coverage.duplicates_merged,
        summary.requests.values().sum::<u64>(),
        summary.retries,
        out_dir.display(),
        written.join(", ")
    )
    .map_err(Error::Output)?;
    let ignored = report.coverage.affiliate_flags_ignored;
    let counted = report.coverage.affiliate_flags_counted;
    if ignored + counted > 0 {
        writeln!(
            out,
            "flags on affiliates of listed entries (not the entries themselves): {} (--affiliates {})",
            ignored + counted,
            if ignored > 0 { "ignore: not reported" } else { "count: in coverage, not flagged" }
        )
        .map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)?;
    let level = args.fail_on.map(|f| match f {
        FailOn::VeryHigh => RiskLevel::VeryHigh,
        FailOn::High => RiskLevel::High,
        FailOn::Medium => RiskLevel::Medium,
        FailOn::Low => RiskLevel::Low,
    });
    if seen.saturated() {
        printer.warn(&format!(
            "more than {} ids and DOIs read: later works were not checked for duplicates (memory bound); split the input if copies may overlap",
            crate::screen::dedup::MAX_KEYS
        ));
    }
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

/// Why a record was not screened, from its error (the keys of `unscreened_reasons`).
fn reason_of(e: &InputError) -> &'static str {
    if e.message == UNKNOWN_FILE {
        "unknown file type"
    } else if e.message.starts_with("no records found") {
        "input gave no records"
    } else if e.message.starts_with("compressed input ends early") {
        "truncated compressed input"
    } else if e.message.starts_with("cached ") {
        "unreadable cached record"
    } else {
        "unreadable record"
    }
}

/// `--threads`, at most the machine's cores (0 = all of them), with a warning when capped.
pub(crate) fn capped_threads(asked: Option<usize>, printer: &Printer) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    match asked {
        Some(n) if n > cores => {
            printer.warn(&format!(
                "--threads {n}: this machine has {cores} cores; using {cores}"
            ));
            cores
        }
        Some(n) => n,
        None => 0,
    }
}

/// A byte-level test that proves a JSON line's work is off the home side
/// without parsing it: the line names resolved institutions (the key is
/// present) and none of them is the home one. Exactly the works
/// [`screen_work`] would mark `outside_home`, so results do not change.
fn prefilter(home: &Home) -> Option<Box<SkipLine>> {
    use memchr::memmem::Finder;
    let (keys, needles): (Vec<String>, Vec<String>) = match home {
        Home::Any => return None,
        Home::Country(cc) => (
            vec!["\"country_code\":\"".into(), "\"country_code\": \"".into()],
            vec![
                format!("\"country_code\":\"{cc}\""),
                format!("\"country_code\": \"{cc}\""),
            ],
        ),
        Home::Ror(r) => (
            vec!["\"ror\":\"".into(), "\"ror\": \"".into()],
            vec![format!("/{r}\""), format!("\"{r}\"")],
        ),
        Home::Openalex(i) => (
            vec!["\"lineage\":[".into(), "\"lineage\": [".into()],
            vec![format!("/{i}\""), format!("\"{i}\"")],
        ),
    };
    let keys: Vec<Finder<'static>> = keys
        .iter()
        .map(|k| Finder::new(k.as_bytes()).into_owned())
        .collect();
    let needles: Vec<Finder<'static>> = needles
        .iter()
        .map(|n| Finder::new(n.as_bytes()).into_owned())
        .collect();
    Some(Box::new(move |line: &[u8]| {
        keys.iter().any(|k| k.find(line).is_some())
            && needles.iter().all(|n| n.find(line).is_none())
    }))
}
