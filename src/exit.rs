//! Process exit statuses, mapped in one place.

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: success.
    Success,
    /// 1: a screen found items at or above `--fail-on`.
    Flagged,
    /// 2: usage or input error.
    Usage,
    /// 3: network or source error after retries.
    Network,
}

impl ExitStatus {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Flagged => 1,
            Self::Usage => 2,
            Self::Network => 3,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        ExitCode::from(s.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_spec() {
        assert_eq!(
            [
                ExitStatus::Success,
                ExitStatus::Flagged,
                ExitStatus::Usage,
                ExitStatus::Network
            ]
            .map(ExitStatus::code),
            [0, 1, 2, 3]
        );
    }
}
