//! The one error type of risk-list loading: every variant names the file
//! and, where there is one, the line and column.

use std::path::PathBuf;

/// Problems with a risk-list file. Every variant names the file and, where
/// there is one, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read risk list {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The CSV itself is malformed (quoting, field count).
    #[error("{path}: line {line}: malformed CSV")]
    Csv {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// Why.
        #[source]
        source: csv::Error,
    },
    /// A row parsed but one of its fields is invalid.
    #[error("{path}: line {line}: column '{column}': {message}")]
    BadField {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// Column name.
        column: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl Error {
    /// A bad field of a row: the file, its 1-based line, the column and
    /// what is wrong.
    pub(crate) fn bad_field(path: &str, line: u64, column: &'static str, message: String) -> Self {
        Self::BadField {
            path: path.into(),
            line,
            column,
            message,
        }
    }
}
