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
    #[arg(long, global = true, value_name = "PATH")]
    pub cache: Option<PathBuf>,
    /// Never touch the network; answer from the cache.
    #[arg(long, global = true)]
    pub offline: bool,
    /// OpenAlex API base URL (tests point it at a local server).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        default_value = "https://api.openalex.org"
    )]
    pub openalex_url: String,
    /// Crossref API base URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        default_value = "https://api.crossref.org"
    )]
    pub crossref_url: String,
    /// Contact e-mail for the APIs' polite pools.
    #[arg(long, global = true, value_name = "EMAIL")]
    pub mailto: Option<String>,
    /// OpenAlex API key (never printed, logged or cached).
    #[arg(
        long,
        global = true,
        value_name = "KEY",
        env = "COSCREEN_OPENALEX_API_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// Add an office's own list (same CSV schema as data/risk-institutions.csv); repeatable.
    #[arg(long, global = true, value_name = "FILE")]
    pub extra_list: Vec<PathBuf>,
    /// Less output on stderr (-q: warnings off).
    #[arg(short, long, global = true, action = ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,
    /// More output on stderr (-v: debug, -vv: trace).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// When to colour human-readable output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
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
#[command(group(clap::ArgGroup::new("what").required(true).args(["text", "ror", "openalex"])))]
pub struct LookupArgs {
    /// An affiliation or institution name, as written anywhere.
    pub text: Option<String>,
    /// A ROR id (`01yqg2h08`, with or without the `https://ror.org/` prefix).
    #[arg(long, value_name = "ID")]
    pub ror: Option<String>,
    /// An OpenAlex institution id (`I204983213`, with or without the `https://openalex.org/` prefix).
    #[arg(long, value_name = "ID")]
    pub openalex: Option<String>,
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
    /// A JSON array of entries.
    Json,
}

/// `coscreen risklist`.
#[derive(Debug, Args)]
pub struct RisklistArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
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
