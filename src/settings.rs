//! Raw arguments + environment -> validated [`Settings`], resolved once.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{ColorWhen, GlobalArgs};

/// Everything the commands need from the global options, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cache path (resolved; may not exist yet).
    pub cache: PathBuf,
    /// Never touch the network.
    pub offline: bool,
    /// OpenAlex base URL without a trailing slash.
    pub openalex_url: String,
    /// Crossref base URL without a trailing slash.
    pub crossref_url: String,
    /// Polite-pool contact.
    pub mailto: Option<String>,
    /// OpenAlex API key; never print it.
    pub api_key: Option<String>,
    /// Extra risk lists.
    pub extra_lists: Vec<PathBuf>,
    /// -1 quiet, 0 normal, 1 debug, 2 trace.
    pub verbosity: i8,
    /// Colour human output on stdout.
    pub color: bool,
    /// Draw progress bars (stderr is a terminal, not quiet, not verbose).
    pub progress: bool,
}

impl Settings {
    /// Resolves defaults, environment and terminal probes.
    pub fn resolve(g: &GlobalArgs) -> Result<Self, crate::error::Error> {
        let verbosity = if g.quiet > 0 {
            -1
        } else {
            g.verbose.min(2) as i8
        };
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match g.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        for (flag, url) in [
            ("--openalex-url", &g.openalex_url),
            ("--crossref-url", &g.crossref_url),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(crate::error::Error::Usage(format!(
                    "{flag} must start with http:// or https://, got '{url}'"
                )));
            }
        }
        let cache = match &g.cache {
            Some(p) => p.clone(),
            None => default_cache_dir().join("coscreen").join("cache.sqlite"),
        };
        Ok(Self {
            cache,
            offline: g.offline,
            openalex_url: g.openalex_url.trim_end_matches('/').to_owned(),
            crossref_url: g.crossref_url.trim_end_matches('/').to_owned(),
            mailto: g.mailto.clone(),
            api_key: g.api_key.clone().filter(|k| !k.trim().is_empty()),
            extra_lists: g.extra_list.clone(),
            verbosity,
            color,
            progress: verbosity == 0 && std::io::stderr().is_terminal(),
        })
    }
}

/// `$XDG_CACHE_HOME`, else `$HOME/.cache`, else the temp dir.
fn default_cache_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x);
    }
    if let Some(h) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(h).join(".cache");
    }
    std::env::temp_dir()
}
