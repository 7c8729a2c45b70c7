//! `coscreen.toml`: the options a yearly cron job would otherwise repeat on
//! its command line. Found with `--config FILE`, else in the user's config
//! directory (`$XDG_CONFIG_HOME/coscreen/coscreen.toml`, else
//! `~/.config/coscreen/coscreen.toml`). Flags given on the command line win
//! over the file. Relative paths in the file are relative to the file. The
//! OpenAlex API key is never read from it (only `--api-key` or
//! `COSCREEN_OPENALEX_API_KEY`): a key in a file ends up in backups and
//! repositories.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::{Cli, Command, HomeArgs, SourceArgs, YearArgs};
use crate::error::Error;

/// The file's keys. Every key is optional; an unknown key is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Home institution by ROR id (`--ror`).
    pub ror: Option<String>,
    /// Home institution by OpenAlex id (`--openalex-institution`).
    pub openalex_institution: Option<String>,
    /// Home country (`--country`).
    pub country: Option<String>,
    /// Home side for offline input (`--home`).
    pub home: Option<String>,
    /// Partner country (`--partner-country`).
    pub partner_country: Option<String>,
    /// First year (`--from`).
    pub from: Option<u16>,
    /// Last year (`--to`).
    pub to: Option<u16>,
    /// Offline input files or folders (`--input`, repeatable).
    pub input: Option<Vec<PathBuf>>,
    /// Polite-pool e-mail (`--mailto`).
    pub mailto: Option<String>,
    /// An office's own lists (`--extra-list`, repeatable).
    pub extra_lists: Option<Vec<PathBuf>>,
    /// Reviewer decisions CSV (`--decisions`).
    pub decisions: Option<PathBuf>,
    /// Output directory of `screen` (`--out`).
    pub out: Option<PathBuf>,
    /// Cache path (`--cache`).
    pub cache: Option<PathBuf>,
    /// Present only to be refused with a clear message.
    api_key: Option<toml::Spanned<toml::Value>>,
}

/// Where the config file is: `--config`, else the user's config directory
/// when the file exists there.
fn locate(cli: &Cli) -> Option<PathBuf> {
    if let Some(p) = &cli.global.config {
        return Some(p.clone());
    }
    let dir = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    let p = dir.join("coscreen").join("coscreen.toml");
    p.is_file().then_some(p)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Config {
    /// Parses `text` read from `path`; errors name the file, line and key.
    pub fn parse(text: &str, path: &Path) -> Result<Self, Error> {
        let mut c: Config = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| format!(":{}", line_of(text, s.start)))
                .unwrap_or_default();
            Error::Usage(format!(
                "{}{at}: {}",
                path.display(),
                e.message().trim_end().replace(", `api_key`", "")
            ))
        })?;
        if let Some(k) = &c.api_key {
            return Err(Error::Usage(format!(
                "{}:{}: key `api_key`: the OpenAlex API key is read only from COSCREEN_OPENALEX_API_KEY or --api-key, never from a file; remove it",
                path.display(),
                line_of(text, k.span().start)
            )));
        }
        if let (Some(a), Some(b)) = (c.from, c.to) {
            if a > b {
                return Err(Error::Usage(format!(
                    "{}: `from` {a} is after `to` {b}",
                    path.display()
                )));
            }
        }
        let base = path.parent().unwrap_or(Path::new(""));
        let rel = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for p in c.input.iter_mut().flatten() {
            rel(p);
        }
        for p in c.extra_lists.iter_mut().flatten() {
            rel(p);
        }
        for p in [&mut c.decisions, &mut c.out, &mut c.cache]
            .into_iter()
            .flatten()
        {
            rel(p);
        }
        Ok(c)
    }

    /// Fills what the command line left unset. Flags always win; a list
    /// given on the command line replaces the file's list.
    pub fn apply(self, cli: &mut Cli) {
        let g = &mut cli.global;
        fill(&mut g.cache, self.cache.clone());
        fill(&mut g.mailto, self.mailto.clone());
        if g.extra_list.is_empty() {
            g.extra_list = self.extra_lists.clone().unwrap_or_default();
        }
        let source = |s: &mut SourceArgs, c: &Config| {
            c.query(&mut s.home, &mut s.years);
            if s.input.is_empty() && s.crossref_filter.is_none() {
                s.input = c.input.clone().unwrap_or_default();
            }
        };
        match &mut cli.command {
            Command::Screen(a) => {
                source(&mut a.source, &self);
                if !a.source.input.is_empty() {
                    fill(&mut a.home, self.home.clone());
                }
                fill(&mut a.decisions, self.decisions.clone());
                fill(&mut a.out, self.out.clone());
            }
            Command::Fetch(a) => source(&mut a.source, &self),
            // The query keys only: `out` is screen's folder, trend's --out a file.
            Command::Trend(a) => self.query(&mut a.home, &mut a.years),
            _ => {}
        }
    }
}

impl Config {
    /// The query keys, shared by `screen`, `fetch` and `trend`. The home
    /// side is one choice: a flag for any of them means the file's home side
    /// does not apply.
    fn query(&self, home: &mut HomeArgs, years: &mut YearArgs) {
        if !home.is_set() {
            fill(&mut home.ror, self.ror.clone());
            fill(
                &mut home.openalex_institution,
                self.openalex_institution.clone(),
            );
            fill(&mut home.country, self.country.clone());
        }
        fill(&mut home.partner_country, self.partner_country.clone());
        fill(&mut years.from, self.from);
        fill(&mut years.to, self.to);
    }
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// Reads the config file (if any) into `cli`.
pub fn apply(cli: &mut Cli) -> Result<Option<PathBuf>, Error> {
    let Some(path) = locate(cli) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Input {
        path: path.clone(),
        source,
    })?;
    Config::parse(&text, &path)?.apply(cli);
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(text, Path::new("/etc/office/coscreen.toml"))
    }

    #[test]
    fn issue_18_unknown_keys_name_file_and_line() {
        let e = parse("country = \"BE\"\npartner_countyr = \"CN\"\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("/etc/office/coscreen.toml:2:"), "{msg}");
        assert!(msg.contains("partner_countyr"), "{msg}");
    }

    #[test]
    fn issue_18_an_api_key_in_the_file_is_refused() {
        let e = parse("mailto = \"a@b.org\"\n\napi_key = \"secret\"\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("coscreen.toml:3: key `api_key`"), "{msg}");
        assert!(msg.contains("COSCREEN_OPENALEX_API_KEY"), "{msg}");
        assert!(!msg.contains("secret"), "the key is never echoed: {msg}");
    }

    #[test]
    fn relative_paths_are_relative_to_the_file() {
        let c = parse("out = \"reports\"\ninput = [\"/data/x.jsonl\", \"y.gz\"]\n").unwrap();
        assert_eq!(c.out.unwrap(), Path::new("/etc/office/reports"));
        assert_eq!(
            c.input.unwrap(),
            [
                PathBuf::from("/data/x.jsonl"),
                PathBuf::from("/etc/office/y.gz")
            ]
        );
    }

    #[test]
    fn flags_win_over_the_file() {
        use clap::Parser;
        let mut cli =
            Cli::try_parse_from(["coscreen", "screen", "--country", "NL", "--out", "mine"])
                .unwrap();
        parse("ror = \"00cv9y106\"\nout = \"theirs\"\npartner_country = \"CN\"\n")
            .unwrap()
            .apply(&mut cli);
        let Command::Screen(a) = &cli.command else {
            panic!()
        };
        assert_eq!(a.source.home.country.as_deref(), Some("NL"));
        assert_eq!(a.source.home.ror, None, "one home side: the flag's");
        assert_eq!(a.out.as_deref(), Some(Path::new("mine")));
        assert_eq!(a.source.home.partner_country.as_deref(), Some("CN"));
    }
}
