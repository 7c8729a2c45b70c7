//! Score: one work's flags, areas and tier against a home side
//! ([`screen_work`], pure), plus what scoring a run needs besides: reviewer
//! decisions and duplicate detection. Aggregation and files are in
//! [`crate::report`]; the run itself in [`crate::pipeline`].

pub mod decisions;
pub mod dedup;
pub mod listing;
pub mod score;

pub use score::{
    screen_work, DualAffiliation, FundingFlag, Home, PaperResult, Tier, PRIORITY_AREAS,
};

/// `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SSZ` for a unix time (UTC, proleptic Gregorian).
pub fn utc(secs: i64) -> (String, String) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let date = format!("{y:04}-{m:02}-{d:02}");
    let time = format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    (date, time)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0).1, "1970-01-01T00:00:00Z");
        assert_eq!(super::utc(1_795_000_000).0, "2026-11-18");
        assert_eq!(super::utc(951_782_400).0, "2000-02-29");
    }
}
