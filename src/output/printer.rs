//! The one place human-facing text is written.
#![allow(clippy::print_stderr)]

use std::io::Write;

/// Writes warnings and summaries to stderr according to `-q`/`-v`, and styles
/// text for stdout when colour is on.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    verbosity: i8,
    color: bool,
}

/// Text styles for human output.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// Headings and names.
    Bold,
    /// Very high / high levels.
    Danger,
    /// Medium levels and warnings.
    Warn,
    /// Low levels, secondary text.
    Dim,
    /// Positive notes ("not on the list").
    Good,
}

impl Printer {
    /// A printer for the resolved settings.
    pub fn new(verbosity: i8, color: bool) -> Self {
        Self { verbosity, color }
    }

    /// A warning (hidden with `-q`).
    pub fn warn(&self, msg: &str) {
        if self.verbosity >= 0 {
            let msg = super::sanitize::strip_credentials(msg);
            let _ = writeln!(std::io::stderr(), "coscreen: warning: {msg}");
        }
    }

    /// A one-line summary (hidden with `-q`).
    pub fn summary(&self, msg: &str) {
        if self.verbosity >= 0 {
            let msg = super::sanitize::strip_credentials(msg);
            let _ = writeln!(std::io::stderr(), "{msg}");
        }
    }

    /// A fatal error with its causes, always shown.
    pub fn error(&self, err: &(dyn std::error::Error + 'static)) {
        let mut out = format!("coscreen: error: {err}");
        for e in crate::error::chain(err).skip(1) {
            out.push_str(&format!("\n  caused by: {e}"));
        }
        let out = super::sanitize::strip_credentials(&out);
        let _ = writeln!(std::io::stderr(), "{out}");
    }

    /// Styles `text` for stdout when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match style {
            Style::Bold => "1",
            Style::Danger => "1;31",
            Style::Warn => "33",
            Style::Dim => "2",
            Style::Good => "32",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}
