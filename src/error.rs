//! The top-level error and its exit-status classification.

use std::path::PathBuf;

use crate::exit::ExitStatus;

/// A problem with the whole run (item-level problems are data, not errors).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A risk-list file is unreadable or invalid.
    #[error(transparent)]
    RiskList(#[from] crate::risklist::Error),
    /// The bundled taxonomy is invalid (a build defect).
    #[error(transparent)]
    Taxonomy(#[from] crate::classify::TaxonomyError),
    /// An input file could not be opened or read.
    #[error("cannot read {path}")]
    Input {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Writing results failed.
    #[error("cannot write output")]
    Output(#[source] std::io::Error),
    /// A report set could not be written or swapped in (or is locked by another run).
    #[error(transparent)]
    ReportSet(#[from] crate::output::set::SetError),
    /// The embedded cache failed.
    #[error(transparent)]
    Cache(#[from] crate::net::cache::CacheError),
    /// A source (API) failed after retries, or refused the request.
    #[error(transparent)]
    Net(#[from] crate::net::NetError),
    /// `--offline` and the cache cannot answer.
    #[error("{0}")]
    Offline(String),
    /// Flags that do not go together or values out of range.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The one mapping from errors to exit codes.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Self::RiskList(_) | Self::Taxonomy(_) | Self::Input { .. } | Self::Usage(_) => {
                ExitStatus::Usage
            }
            Self::Output(_) | Self::Cache(_) | Self::Offline(_) | Self::ReportSet(_) => {
                ExitStatus::Usage
            }
            Self::Net(e) => e.exit_status(),
        }
    }

    /// True when the error is a closed pipe downstream (`| head`), which is success.
    pub fn is_broken_pipe(&self) -> bool {
        chain(self).any(|e| {
            e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        })
    }
}

/// An error and its causes, outermost first: the one walk of `source()`
/// (for the fatal message, report lines and transport details).
pub fn chain<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(err), |e| e.source())
}

/// An error with its causes on one line: `outer: cause: root cause`.
pub fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    chain(err)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_recognised_through_the_chain() {
        let e = Error::Output(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(e.is_broken_pipe());
        assert!(!Error::Usage("x".into()).is_broken_pipe());
        let wrapped = Error::Input {
            path: "in.jsonl".into(),
            source: std::io::Error::other("disk gone"),
        };
        assert_eq!(chain(&wrapped).count(), 2);
        assert!(
            one_line(&wrapped).ends_with(": disk gone"),
            "{}",
            one_line(&wrapped)
        );
        assert_eq!(Error::Usage("x".into()).exit_status(), ExitStatus::Usage);
    }
}
