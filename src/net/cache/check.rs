//! `coscreen cache check`: SQLite's own integrity check, then every stored
//! record and query checkpoint read back.

use super::{Cache, CacheError};

/// What `coscreen cache check` found.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// SQLite's `PRAGMA integrity_check` lines (`["ok"]` when sound).
    pub sqlite: Vec<String>,
    /// Records by source.
    pub records: std::collections::BTreeMap<String, u64>,
    /// Records whose body is not valid JSON.
    pub bad_records: Vec<String>,
    /// Query memberships pointing at no record.
    pub orphans: u64,
    /// Queries: complete, in progress.
    pub queries_done: u64,
    /// Walks stopped midway (resumable).
    pub queries_in_progress: u64,
    /// Complete walks whose stored cursor is not empty, or open walks without one.
    pub bad_checkpoints: Vec<String>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.sqlite == ["ok"]
            && self.bad_records.is_empty()
            && self.orphans == 0
            && self.bad_checkpoints.is_empty()
    }
}

impl Cache {
    /// Checks the whole cache (reads every record).
    pub fn check(&self) -> Result<CheckReport, CacheError> {
        let mut r = CheckReport::default();
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(self.err())?;
        r.sqlite = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(self.err())?
            .collect::<Result<_, _>>()
            .map_err(self.err())?;
        let mut stmt = self
            .conn
            .prepare("SELECT source, id, body FROM records")
            .map_err(self.err())?;
        let mut rows = stmt.query([]).map_err(self.err())?;
        while let Some(row) = rows.next().map_err(self.err())? {
            let source: String = row.get(0).map_err(self.err())?;
            let id: String = row.get(1).map_err(self.err())?;
            let body: String = row.get(2).map_err(self.err())?;
            *r.records.entry(source.clone()).or_default() += 1;
            if serde_json::from_str::<serde::de::IgnoredAny>(&body).is_err()
                && r.bad_records.len() < 100
            {
                r.bad_records.push(format!("{source} {id}"));
            }
        }
        r.orphans = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM query_records q LEFT JOIN records r ON r.source = q.source AND r.id = q.id WHERE r.id IS NULL",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map_err(self.err())? as u64;
        let mut stmt = self
            .conn
            .prepare("SELECT key, cursor, done FROM queries")
            .map_err(self.err())?;
        let mut rows = stmt.query([]).map_err(self.err())?;
        while let Some(row) = rows.next().map_err(self.err())? {
            let key: String = row.get(0).map_err(self.err())?;
            let cursor: String = row.get(1).map_err(self.err())?;
            let done: i64 = row.get(2).map_err(self.err())?;
            if done != 0 {
                r.queries_done += 1;
                if !cursor.is_empty() {
                    r.bad_checkpoints
                        .push(format!("{key}: complete but a cursor is stored"));
                }
            } else {
                r.queries_in_progress += 1;
                if cursor.is_empty() {
                    r.bad_checkpoints
                        .push(format!("{key}: in progress without a cursor"));
                }
            }
        }
        Ok(r)
    }
}
