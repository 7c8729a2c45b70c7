//! Reviewer decisions (`--decisions FILE`): a CSV of `work_id,
//! institution_id, decision, reviewer, date, note[, expires]`. A rerun applies
//! them: decided flags move to their own section (never dropped), expired
//! decisions stop applying, and a decision that matches nothing is reported.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What a reviewer decided about one flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The match is wrong (another institution, a parse error).
    FalsePositive,
    /// Real, reviewed and accepted.
    Accepted,
    /// Real and passed on for further review (still shown as decided).
    Escalated,
}

impl Verdict {
    /// The word used in the decisions file (`false_positive`, `accepted`, `escalated`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FalsePositive => "false_positive",
            Self::Accepted => "accepted",
            Self::Escalated => "escalated",
        }
    }
}

/// Columns of the decisions file, in the order the report page exports them.
pub const COLUMNS: [&str; 7] = [
    "work_id",
    "institution_id",
    "decision",
    "reviewer",
    "date",
    "note",
    "expires",
];

/// One row of the decisions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Work id as in `papers.csv`.
    pub work_id: String,
    /// Risk-list entry id as in `papers.csv`.
    pub institution_id: String,
    /// The verdict.
    pub decision: Verdict,
    /// Who decided.
    pub reviewer: String,
    /// When (`YYYY-MM-DD`).
    pub date: String,
    /// Free text.
    pub note: String,
    /// `YYYY-MM-DD` after which the decision no longer applies.
    pub expires: Option<String>,
    /// Line in the file.
    pub line: u64,
}

/// A decision as applied to a flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The verdict.
    pub decision: Verdict,
    /// Who.
    pub reviewer: String,
    /// When.
    pub date: String,
    /// Note.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Expiry, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// False when it has expired (the flag is open again).
    pub active: bool,
}

/// The decisions of one file, with which ones were used.
#[derive(Debug, Default)]
pub struct Decisions {
    rows: Vec<Decision>,
    used: Vec<bool>,
}

/// A real calendar date `YYYY-MM-DD` (proleptic Gregorian): `2025-13-45`
/// and `2025-02-29` are not.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

impl Decisions {
    /// Reads and validates the file as of `latest` (`YYYY-MM-DD`): a decision
    /// dated after it is an error (a typo such as 2052 would otherwise
    /// override every real, newer decision for the flag, forever).
    pub fn load_as_of(path: &Path, latest: &str) -> Result<Self, Error> {
        let d = Self::load(path)?;
        if let Some(r) = d.rows.iter().find(|r| r.date.as_str() > latest) {
            return Err(Error::Usage(format!(
                "{}:{}: field `date`: '{}' is in the future (latest allowed {latest}, UTC); a future date would override newer decisions",
                path.display(),
                r.line,
                r.date
            )));
        }
        Ok(d)
    }

    /// Reads and validates the file; a bad row is an input error naming file, line and field.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bad = |line: u64, field: &str, msg: String| {
            Error::Usage(format!("{}:{line}: field `{field}`: {msg}", path.display()))
        };
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_path(path)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(source) => Error::Input {
                    path: path.to_owned(),
                    source,
                },
                other => Error::Usage(format!("{}: {other:?}", path.display())),
            })?;
        let header = rdr
            .headers()
            .map_err(|e| bad(1, "header", e.to_string()))?
            .clone();
        let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let required = ["work_id", "institution_id", "decision", "reviewer", "date"];
        let mut cols = Vec::new();
        for name in required {
            cols.push(col(name).ok_or_else(|| bad(1, name, "missing column".into()))?);
        }
        let (note, expires) = (col("note"), col("expires"));
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Err(bad(line, "?", e.to_string()));
                }
            }
            let line = record.position().map_or(0, |p| p.line());
            let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").to_owned();
            for (name, i) in required.iter().zip(&cols) {
                if get(Some(*i)).is_empty() {
                    return Err(bad(line, name, "empty".into()));
                }
            }
            let decision = match get(Some(cols[2])).as_str() {
                "false_positive" => Verdict::FalsePositive,
                "accepted" => Verdict::Accepted,
                "escalated" => Verdict::Escalated,
                other => {
                    return Err(bad(
                        line,
                        "decision",
                        format!("'{other}' is not false_positive, accepted or escalated"),
                    ))
                }
            };
            let date = get(Some(cols[4]));
            if !valid_date(&date) {
                return Err(bad(
                    line,
                    "date",
                    format!("'{date}' is not a date (YYYY-MM-DD)"),
                ));
            }
            let exp = get(expires);
            if !exp.is_empty() && !valid_date(&exp) {
                return Err(bad(
                    line,
                    "expires",
                    format!("'{exp}' is not a date (YYYY-MM-DD)"),
                ));
            }
            rows.push(Decision {
                work_id: get(Some(cols[0])),
                institution_id: get(Some(cols[1])),
                decision,
                reviewer: get(Some(cols[3])),
                date,
                note: get(note),
                expires: Some(exp).filter(|x| !x.is_empty()),
                line,
            });
        }
        let used = vec![false; rows.len()];
        Ok(Self { rows, used })
    }

    /// The newest decision for (work, institution), marked used; `today` decides expiry.
    pub fn apply(&mut self, work_id: &str, institution_id: &str, today: &str) -> Option<Applied> {
        let mut best: Option<usize> = None;
        for (i, d) in self.rows.iter().enumerate() {
            if d.work_id == work_id
                && d.institution_id == institution_id
                && best.is_none_or(|b| self.rows[b].date <= d.date)
            {
                best = Some(i);
            }
        }
        let i = best?;
        self.used[i] = true;
        let d = &self.rows[i];
        Some(Applied {
            decision: d.decision,
            reviewer: d.reviewer.clone(),
            date: d.date.clone(),
            note: d.note.clone(),
            expires: d.expires.clone(),
            active: d.expires.as_deref().is_none_or(|x| x >= today),
        })
    }

    /// Rows that matched no flag in this run (marked when the whole run is applied).
    pub fn unmatched(&self) -> Vec<&Decision> {
        self.rows
            .iter()
            .zip(&self.used)
            .filter(|(_, u)| !**u)
            .map(|(d, _)| d)
            .collect()
    }

    /// Marks every row for (work, institution) used, newest or not.
    pub fn mark_all(&mut self, work_id: &str, institution_id: &str) {
        for (d, u) in self.rows.iter().zip(self.used.iter_mut()) {
            if d.work_id == work_id && d.institution_id == institution_id {
                *u = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Decisions, Error> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(&p, text).unwrap();
        Decisions::load(&p)
    }

    const HEADER: &str = "work_id,institution_id,decision,reviewer,date,note,expires\n";

    #[test]
    fn newest_decision_applies_and_expiry_reopens() {
        let mut d = load(&format!(
            "{HEADER}W1,hit,accepted,ana,2025-01-02,ok,\nW1,hit,false_positive,bob,2025-03-01,wrong HIT,2025-12-31\nW9,nudt,accepted,ana,2025-01-02,,\n"
        ))
        .unwrap();
        let a = d.apply("W1", "hit", "2025-06-01").unwrap();
        assert_eq!((a.decision, a.active), (Verdict::FalsePositive, true));
        let a = d.apply("W1", "hit", "2026-01-01").unwrap();
        assert!(!a.active, "expired");
        d.mark_all("W1", "hit");
        assert_eq!(d.unmatched().len(), 1);
        assert_eq!(d.unmatched()[0].work_id, "W9");
    }

    #[test]
    fn bad_rows_name_line_and_field() {
        let e = load(&format!("{HEADER}W1,hit,maybe,ana,2025-01-02,,\n")).unwrap_err();
        assert!(e.to_string().contains(":2: field `decision`"), "{e}");
        let e = load(&format!("{HEADER}W1,hit,accepted,ana,01/02/2025,,\n")).unwrap_err();
        assert!(e.to_string().contains("field `date`"), "{e}");
    }

    #[test]
    fn issue_21_decision_dates_are_real_calendar_dates() {
        for bad in ["2025-13-45", "2025-02-29", "2025-04-31", "2025-00-10"] {
            let e = load(&format!("{HEADER}W1,hit,accepted,ana,{bad},,\n")).unwrap_err();
            assert!(e.to_string().contains(":2: field `date`"), "{bad}: {e}");
            let e = load(&format!("{HEADER}W1,hit,accepted,ana,2025-01-01,,{bad}\n")).unwrap_err();
            assert!(e.to_string().contains("field `expires`"), "{bad}: {e}");
        }
        assert!(valid_date("2024-02-29") && valid_date("2000-02-29") && !valid_date("1900-02-29"));
    }

    #[test]
    fn issue_21_a_future_dated_decision_is_refused_not_applied_over_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(
            &p,
            format!("{HEADER}W1,hit,accepted,ana,2025-05-01,,\nW1,hit,false_positive,bob,2052-01-01,typo,\n"),
        )
        .unwrap();
        let e = Decisions::load_as_of(&p, "2026-12-07").unwrap_err();
        assert!(e.to_string().contains(":3: field `date`"), "{e}");
        assert!(e.to_string().contains("future"), "{e}");
        assert!(Decisions::load_as_of(&p, "2052-01-01").is_ok());
    }
}
