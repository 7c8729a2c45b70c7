//! Ingest: every way publication metadata gets in, into one
//! source-neutral [`Work`]. Parsers are pure ([`openalex`], [`crossref`],
//! [`wos`], [`scopus`]); [`input`] streams files into them.

pub mod crossref;
pub mod input;
pub mod openalex;
pub mod scopus;
mod work;
pub mod wos;

pub use work::{
    normalize_doi, openalex_short, orcid_short, ror_short, Authorship, Funding, Institution,
    Source, Topic, Work,
};

/// A record a parser could not turn into a work, placed by line and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", field.as_ref().map(|f| format!(": field `{f}`")).unwrap_or_default())]
pub struct RecordError {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The field at fault, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl RecordError {
    /// A new record error.
    pub fn new(line: u64, field: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            line,
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}
