//! Command-line arguments exactly as typed (clap derive). Validation and
//! defaults live in [`crate::settings`].

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

/// Screen academic co-authorships for institutions of concern and critical technology.
#[derive(Debug, Parser)]
#[command(name = "coscreen", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after any subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Embedded cache (SQLite) path; default in the user's cache directory.
    #[arg(help_heading = "Network", long, global = true, value_name = "PATH")]
    pub cache: Option<PathBuf>,
    /// Never touch the network; answer from the cache.
    #[arg(help_heading = "Network", long, global = true)]
    pub offline: bool,
    /// OpenAlex API base URL (tests point it at a local server).
    #[arg(
        help_heading = "Network",
        long,
        global = true,
        value_name = "URL",
        default_value = "https://api.openalex.org"
    )]
    pub openalex_url: String,
    /// Crossref API base URL.
    #[arg(
        help_heading = "Network",
        long,
        global = true,
        value_name = "URL",
        default_value = "https://api.crossref.org"
    )]
    pub crossref_url: String,
    /// Contact e-mail for the APIs' polite pools.
    #[arg(help_heading = "Network", long, global = true, value_name = "EMAIL")]
    pub mailto: Option<String>,
    /// OpenAlex API key (never printed, logged or cached).
    #[arg(
        help_heading = "Network",
        long,
        global = true,
        value_name = "KEY",
        env = "COSCREEN_OPENALEX_API_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// Add an office's own list (same CSV schema as data/risk-institutions.csv); repeatable.
    #[arg(
        help_heading = "Partners and years",
        long,
        global = true,
        value_name = "FILE"
    )]
    pub extra_list: Vec<PathBuf>,
    /// Less output on stderr (-q: warnings off).
    #[arg(help_heading = "Output", short, long, global = true, action = ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,
    /// More output on stderr (-v: debug, -vv: trace).
    #[arg(help_heading = "Output", short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Read options from this TOML file (default: coscreen/coscreen.toml in
    /// the user's config directory, when it exists); flags win over it.
    #[arg(help_heading = "Output", long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to colour human-readable output.
    #[arg(help_heading = "Output", long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Match raw affiliation strings, one per line, to the risk list (JSON Lines out).
    Match(MatchArgs),
    /// Look up one institution for an advisor: entry, lists, why, near misses.
    Lookup(LookupArgs),
    /// Print the effective risk list.
    Risklist(RisklistArgs),
    /// Tag papers with the EU critical-technology areas (JSON Lines out).
    Classify(ClassifyArgs),
    /// Warm the cache for a query or a DOI list (resumable), then print a summary.
    Fetch(FetchArgs),
    /// Screen works: match partners, tag technology, score, write the report set.
    Screen(ScreenArgs),
    /// Yearly trend CSV (and SVG chart) for a country pair or a university, for cron.
    Trend(TrendArgs),
    /// Inspect the embedded cache.
    Cache(CacheArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout.
    Man,
}

/// `coscreen completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `coscreen cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CacheAction,
}

/// `coscreen cache` actions.
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Integrity check: SQLite's own, then every stored record and query checkpoint.
    Check,
}

/// `coscreen trend`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("home_side")
    .args(["country", "ror", "openalex_institution"])))]
pub struct TrendArgs {
    /// Home side and partner country (the same flags as `screen`).
    #[command(flatten)]
    pub home: HomeArgs,
    /// Years (the same flags as `screen`).
    #[command(flatten)]
    pub years: YearArgs,
    /// The CSV to write (atomically).
    #[arg(help_heading = "Output", long, value_name = "FILE.csv")]
    pub out: PathBuf,
    /// The SVG chart (default: next to the CSV, same name with .svg).
    #[arg(help_heading = "Output", long, value_name = "FILE.svg")]
    pub svg: Option<PathBuf>,
    /// One row per year and home university.
    #[arg(help_heading = "Output", long)]
    pub by_university: bool,
    /// Network options, shared with `screen` and `fetch` (one definition, so
    /// the commands cannot drift apart).
    #[command(flatten)]
    pub net: NetworkArgs,
}

/// Risk levels for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Very high only.
    VeryHigh,
    /// High and above.
    High,
    /// Medium and above.
    Medium,
    /// Anything listed.
    Low,
}

/// What `screen` does with a flag on an affiliate of a listed entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AffiliatePolicy {
    /// Listed and reported (one tier below the same flag on the entry).
    Show,
    /// Counted in the report's coverage, not a flagged paper.
    Count,
    /// Not reported; counted in the run summary only.
    Ignore,
}

/// `coscreen screen`.
#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// What to screen.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Home side for offline input: a ROR id, an OpenAlex institution id or a country code.
    #[arg(
        help_heading = "Home side and input",
        long,
        value_name = "ROR|OPENALEX_ID|COUNTRY"
    )]
    pub home: Option<String>,
    /// Folder for papers.csv, institutions.csv, universities.csv, report.json, report.xlsx, report.html.
    #[arg(help_heading = "Output", long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Reviewer decisions (CSV: work_id, institution_id, decision, reviewer, date, note, expires).
    #[arg(help_heading = "Output", long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Exit 1 when an undecided flag at or above this level remains, or when
    /// records or inputs were read but not screened (see `--allow-unscreened`).
    #[arg(help_heading = "Output", long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// With `--fail-on`: do not fail for records or inputs that could not be
    /// screened (they are still counted in the report's coverage).
    #[arg(help_heading = "Output", long, requires = "fail_on")]
    pub allow_unscreened: bool,
    /// Flags on an organisation only affiliated with a listed entry (a
    /// civilian university's hospital): listed and reported one tier below
    /// the entry itself, counted only, or left out.
    #[arg(help_heading = "Output", long, value_enum, value_name = "POLICY", default_value_t = AffiliatePolicy::Show)]
    pub affiliates: AffiliatePolicy,
    /// Skip input files an earlier (interrupted) run finished: the cache
    /// recorded their counts and flagged works. A changed file is read again.
    #[arg(help_heading = "Home side and input", long)]
    pub resume: bool,
    /// Worker threads (default: all cores).
    #[arg(help_heading = "Output", long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Where works come from: an API query (home side, partners, years) or
/// offline files. Shared by `fetch` and `screen`.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("source").multiple(true)
    .args(["ror", "openalex_institution", "country", "input", "crossref_filter"])))]
pub struct SourceArgs {
    /// Home side and partner country.
    #[command(flatten)]
    pub home: HomeArgs,
    /// Only works with an institution the risk list identifies by id (OR-batched
    /// id filters). Faster, but misses partners OpenAlex did not resolve.
    #[arg(help_heading = "Partners and years", long)]
    pub partner_listed: bool,
    /// Publication years.
    #[command(flatten)]
    pub years: YearArgs,
    /// Offline input: OpenAlex JSON Lines (plain/.gz, a file or folder), a DOI
    /// list, a Web of Science or a Scopus export; repeatable.
    #[arg(help_heading = "Home side and input", long, short, value_name = "FILE")]
    pub input: Vec<PathBuf>,
    /// The input format, when detection guesses wrong.
    #[arg(
        help_heading = "Home side and input",
        long,
        value_enum,
        requires = "input"
    )]
    pub format: Option<crate::ingest::input::Format>,
    /// A Crossref works filter (e.g. `from-pub-date:2024,until-pub-date:2024,has-affiliation:true`).
    #[arg(help_heading = "Partners and years", long, value_name = "FILTER")]
    pub crossref_filter: Option<String>,
    /// Crossref rows per page (the API allows 1000).
    #[arg(help_heading = "Network", long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1000), hide = true)]
    pub crossref_rows: u32,
    /// Network options, shared with `trend`.
    #[command(flatten)]
    pub net: NetworkArgs,
}

/// The home side of a query (one institution, or a country) and the partner
/// country. One definition flattened into `screen`, `fetch` and `trend`, so
/// their flags cannot drift apart.
#[derive(Debug, Clone, Default, Args)]
pub struct HomeArgs {
    /// Home institution by ROR id (OpenAlex `authorships.institutions.ror`).
    #[arg(help_heading = "Home side and input", long, value_name = "ID")]
    pub ror: Option<String>,
    /// Home institution by OpenAlex id, including its child institutions (lineage).
    #[arg(help_heading = "Home side and input", long, value_name = "ID")]
    pub openalex_institution: Option<String>,
    /// Home country (ISO code): works with an institution in it.
    #[arg(help_heading = "Home side and input", long, value_name = "CC")]
    pub country: Option<String>,
    /// Only works that also have an institution in this country.
    #[arg(help_heading = "Partners and years", long, value_name = "CC")]
    pub partner_country: Option<String>,
}

/// Publication years, flattened into `screen`, `fetch` and `trend`.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct YearArgs {
    /// First publication year.
    #[arg(help_heading = "Partners and years", long, value_name = "YEAR")]
    pub from: Option<u16>,
    /// Last publication year.
    #[arg(help_heading = "Partners and years", long, value_name = "YEAR")]
    pub to: Option<u16>,
}

/// How the API clients behave: cache freshness, request budget, page size,
/// retries. Flattened into every command that talks to the network.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// Re-fetch even what the cache holds.
    #[arg(help_heading = "Network", long)]
    pub refresh: bool,
    /// Re-fetch cached results older than this many days (`trend`: counts
    /// and recent years; default 7 there).
    #[arg(help_heading = "Network", long, value_name = "DAYS")]
    pub max_age: Option<u32>,
    /// Stop cleanly before sending more than N requests (a rerun resumes).
    #[arg(help_heading = "Network", long, value_name = "N")]
    pub max_requests: Option<u64>,
    /// OpenAlex page size (the API allows 200; some deployments 100).
    #[arg(help_heading = "Network", long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub per_page: u32,
    /// Retries after a failed request (429, 5xx, timeouts, dropped connections).
    #[arg(help_heading = "Network", long, value_name = "N", default_value_t = 5)]
    pub retries: u32,
    /// First retry backoff in milliseconds (doubles per retry, with jitter).
    #[arg(
        help_heading = "Network",
        long,
        value_name = "MS",
        default_value_t = 500,
        hide = true
    )]
    pub backoff_ms: u64,
    /// Read timeout in seconds.
    #[arg(
        help_heading = "Network",
        long,
        value_name = "SECS",
        default_value_t = 60,
        hide = true
    )]
    pub timeout_secs: u64,
}

impl SourceArgs {
    /// Checked after the config file is applied (it may supply the source),
    /// so clap cannot require it.
    pub fn require(&self) -> Result<(), crate::error::Error> {
        if !self.home.is_set() && self.input.is_empty() && self.crossref_filter.is_none() {
            return Err(crate::error::Error::Usage(
                "one of --ror, --openalex-institution, --country, --input or --crossref-filter is required (on the command line or in the config file)".into(),
            ));
        }
        Ok(())
    }
}

impl HomeArgs {
    /// True when a home side (institution or country) is named.
    pub fn is_set(&self) -> bool {
        self.ror.is_some() || self.openalex_institution.is_some() || self.country.is_some()
    }

    /// `--partner-country` narrows a home side; alone it would walk a whole country.
    pub fn check(&self) -> Result<(), crate::error::Error> {
        if self.partner_country.is_some() && !self.is_set() {
            return Err(crate::error::Error::Usage(
                "--partner-country needs a home side: --ror, --openalex-institution or --country"
                    .into(),
            ));
        }
        Ok(())
    }
}

impl YearArgs {
    /// True when a year bound is given.
    pub fn is_set(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// `--from` after `--to` is refused.
    pub fn check(&self) -> Result<(), crate::error::Error> {
        match (self.from, self.to) {
            (Some(f), Some(t)) if f > t => Err(crate::error::Error::Usage(format!(
                "--from {f} is after --to {t}"
            ))),
            _ => Ok(()),
        }
    }
}

/// `coscreen fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// What to fetch.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `coscreen classify`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("paper").required(true).args(["title", "input"])))]
pub struct ClassifyArgs {
    /// One paper's title.
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// That paper's abstract.
    #[arg(long = "abstract", value_name = "A", requires = "title")]
    pub abstract_text: Option<String>,
    /// JSON Lines of papers: objects with `title`, optional `abstract`, `keywords`, `topics`.
    #[arg(long, short, value_name = "FILE", conflicts_with = "title")]
    pub input: Option<PathBuf>,
}

/// `coscreen match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Input file, one affiliation per line (default: stdin).
    #[arg(long, short, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// `coscreen lookup`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["text", "ror", "openalex", "orcid", "author"])))]
pub struct LookupArgs {
    /// An affiliation or institution name, as written anywhere.
    pub text: Option<String>,
    /// A ROR id (`01yqg2h08`, with or without the `https://ror.org/` prefix).
    #[arg(long, value_name = "ID")]
    pub ror: Option<String>,
    /// An OpenAlex institution id (`I204983213`, with or without the `https://openalex.org/` prefix).
    #[arg(long, value_name = "ID")]
    pub openalex: Option<String>,
    /// A person by ORCID: their affiliations over time from OpenAlex, each screened.
    #[arg(long, value_name = "ID")]
    pub orcid: Option<String>,
    /// A person by OpenAlex author id (`A5023888391`).
    #[arg(long, value_name = "ID")]
    pub author: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Output format of `risklist`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned text for people.
    Table,
    /// CSV with the data file's columns plus the effective level.
    Csv,
    /// A JSON object: the list's `version` and `hash`, then its `entries`.
    Json,
}

/// `coscreen risklist`.
#[derive(Debug, Args)]
pub struct RisklistArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Instead of printing the list: convert an official download.
    #[command(subcommand)]
    pub action: Option<RisklistAction>,
}

/// `coscreen risklist` actions.
#[derive(Debug, Subcommand)]
pub enum RisklistAction {
    /// Turn a downloaded US Consolidated Screening List (CSV or JSON) into an `--extra-list` file.
    Import(ImportArgs),
}

/// Format of a download for `risklist import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// The Consolidated Screening List CSV (`consolidated.csv`).
    CslCsv,
    /// The Consolidated Screening List JSON (`consolidated.json`, `{"results": [...]}`).
    CslJson,
}

/// `coscreen risklist import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The downloaded file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Its format (default: detected from the first character).
    #[arg(long, value_enum)]
    pub from: Option<ImportFormat>,
    /// List id for every membership (default per CSL source: Entity List -> us_entity_list, ...).
    #[arg(long, value_name = "ID")]
    pub list: Option<String>,
    /// Keep rows with an address in this country (ISO code; repeatable).
    #[arg(long = "country", value_name = "CC")]
    pub countries: Vec<String>,
    /// Keep only names with a research word (university, institute, academy, laboratory...).
    #[arg(long)]
    pub research_only: bool,
    /// Write the extra list here (default: stdout).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "coscreen",
            "risklist",
            "--offline",
            "-v",
            "--format",
            "json",
        ])
        .unwrap();
        assert!(cli.global.offline);
        assert_eq!(cli.global.verbose, 1);
    }

    #[test]
    fn quiet_and_verbose_conflict() {
        assert!(Cli::try_parse_from(["coscreen", "-q", "-v", "risklist"]).is_err());
    }
}
