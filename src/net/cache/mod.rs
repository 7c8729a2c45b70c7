//! The embedded cache: SQLite (WAL) holding raw records by source and id with
//! their fetch time, and query checkpoints (query, cursor, pages) so an
//! interrupted fetch resumes where it stopped.
//!
//! Each fetched page is written in one transaction together with the cursor
//! that follows it, so a process killed at any point leaves either the page
//! and its cursor or neither: a resume re-requests at most that one page and
//! never skips or duplicates a work. API keys are never stored: queries are
//! keyed by their parameters without credentials.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension};

mod check;

pub use check::CheckReport;

/// Bumped when the schema changes incompatibly.
const SCHEMA_VERSION: i64 = 1;

/// A cache problem.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// SQLite failed.
    #[error("cache {path}: {source} (if the cache is damaged, remove it or use another --cache)")]
    Sqlite {
        /// The cache file.
        path: PathBuf,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// The folder for the cache could not be made.
    #[error("cache {path}: cannot create its folder: {source}")]
    Folder {
        /// The cache file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A cache from an incompatible version.
    #[error("cache {path} has schema version {found}, this coscreen uses {SCHEMA_VERSION}; remove it or pass another --cache")]
    Version {
        /// The cache file.
        path: PathBuf,
        /// Its version.
        found: i64,
    },
}

/// Where a query's cursor walk stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The cursor to request next (`*` at the start).
    pub cursor: String,
    /// Pages stored so far.
    pub pages: u64,
    /// Works stored so far (distinct).
    pub works: u64,
    /// The walk reached its end.
    pub done: bool,
    /// When the walk started (unix seconds).
    pub started: i64,
    /// When it last stored a page (unix seconds).
    pub updated: i64,
}

/// One stored raw record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Source name (`openalex`, `crossref`, `openalex-author`).
    pub source: String,
    /// The source's id.
    pub id: String,
    /// The raw JSON as received.
    pub body: String,
    /// Fetch time (unix seconds).
    pub fetched: i64,
}

/// An open cache.
#[derive(Debug)]
pub struct Cache {
    conn: Connection,
    path: PathBuf,
    repaired: Vec<String>,
}

/// How complete a finished query's records are in the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryHealth {
    /// Works the walk stored when it finished (`None`: walked by an older version).
    pub expected: Option<u64>,
    /// Memberships the query holds now.
    pub members: u64,
    /// Memberships whose record is present.
    pub present: u64,
}

impl QueryHealth {
    /// Works the finished walk stored that the cache no longer holds.
    pub fn missing(&self) -> u64 {
        self.expected
            .unwrap_or(self.members)
            .max(self.members)
            .saturating_sub(self.present)
    }
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Whether an answer fetched at `at` is still fresh under `max_age` seconds
/// (`None`: forever). Fresh means younger than `max_age`, so `--max-age 0`
/// refetches everything, even an answer from this very second.
pub fn fresh(at: i64, max_age: Option<i64>) -> bool {
    max_age.is_none_or(|m| now() - at < m)
}

impl Cache {
    /// Opens (creating if needed) the cache at `path`.
    pub fn open(path: &Path) -> Result<Self, CacheError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| CacheError::Folder {
                path: path.to_owned(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| CacheError::Sqlite {
            path: path.to_owned(),
            source,
        })?;
        let mut cache = Self {
            conn,
            path: path.to_owned(),
            repaired: Vec::new(),
        };
        cache.repaired = cache.init()?;
        Ok(cache)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> CacheError + '_ {
        |source| CacheError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Tables an existing cache lacked (dropped) and that were made again,
    /// empty: what they held is detected as missing per query and refetched.
    pub fn repaired(&self) -> &[String] {
        &self.repaired
    }

    fn init(&self) -> Result<Vec<String>, CacheError> {
        self.conn
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(self.err())?;
        let tables: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .and_then(|mut st| {
                st.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(self.err())?;
        let all = ["meta", "records", "queries", "query_records", "counts"];
        let repaired: Vec<String> = if tables.is_empty() {
            Vec::new()
        } else {
            all.iter()
                .filter(|t| !tables.iter().any(|x| x == *t))
                .map(|t| (*t).to_owned())
                .collect()
        };
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(self.err())?;
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(self.err())?;
        self.conn
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS records (
                     source TEXT NOT NULL, id TEXT NOT NULL, doi TEXT,
                     fetched INTEGER NOT NULL, body TEXT NOT NULL,
                     PRIMARY KEY (source, id)) WITHOUT ROWID;
                 CREATE INDEX IF NOT EXISTS records_doi ON records (doi) WHERE doi IS NOT NULL;
                 CREATE TABLE IF NOT EXISTS queries (
                     key TEXT PRIMARY KEY, cursor TEXT NOT NULL, pages INTEGER NOT NULL,
                     done INTEGER NOT NULL, started INTEGER NOT NULL, updated INTEGER NOT NULL);
                 CREATE TABLE IF NOT EXISTS query_records (
                     key TEXT NOT NULL, source TEXT NOT NULL, id TEXT NOT NULL,
                     PRIMARY KEY (key, source, id)) WITHOUT ROWID;
                 CREATE TABLE IF NOT EXISTS counts (
                     key TEXT PRIMARY KEY, body TEXT NOT NULL, fetched INTEGER NOT NULL);",
            )
            .map_err(self.err())?;
        let found: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.err())?;
        match found.and_then(|v| v.parse::<i64>().ok()) {
            None => {
                self.conn
                    .execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?1)",
                        [SCHEMA_VERSION.to_string()],
                    )
                    .map_err(self.err())?;
            }
            Some(v) if v == SCHEMA_VERSION => {}
            Some(found) => {
                return Err(CacheError::Version {
                    path: self.path.clone(),
                    found,
                })
            }
        }
        Ok(repaired)
    }

    /// How complete a query's records are (see [`QueryHealth::missing`]).
    pub fn query_health(&self, key: &str) -> Result<QueryHealth, CacheError> {
        let expected: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [format!("expect:{key}")],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        let (members, present) = self
            .conn
            .query_row(
                "SELECT COUNT(*), COUNT(r.id) FROM query_records q
                 LEFT JOIN records r ON r.source = q.source AND r.id = q.id WHERE q.key = ?1",
                [key],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
            .map_err(self.err())?;
        Ok(QueryHealth {
            expected: expected.and_then(|v| v.parse().ok()),
            members,
            present,
        })
    }

    /// Removes one record (an unreadable body, so that it is fetched again).
    pub fn delete_record(&self, source: &str, id: &str) -> Result<(), CacheError> {
        self.conn
            .execute(
                "DELETE FROM records WHERE source = ?1 AND id = ?2",
                [source, id],
            )
            .map(|_| ())
            .map_err(self.err())
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The checkpoint of a query, if it was ever started.
    pub fn checkpoint(&self, key: &str) -> Result<Option<Checkpoint>, CacheError> {
        self.conn
            .query_row(
                "SELECT q.cursor, q.pages, q.done, q.started, q.updated,
                        (SELECT COUNT(*) FROM query_records r WHERE r.key = q.key)
                 FROM queries q WHERE q.key = ?1",
                [key],
                |r| {
                    Ok(Checkpoint {
                        cursor: r.get(0)?,
                        pages: r.get::<_, i64>(1)? as u64,
                        done: r.get::<_, i64>(2)? != 0,
                        started: r.get(3)?,
                        updated: r.get(4)?,
                        works: r.get::<_, i64>(5)? as u64,
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }

    /// Forgets a query's walk (for `--refresh` or an expired walk); records stay.
    pub fn reset_query(&self, key: &str) -> Result<(), CacheError> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        tx.execute("DELETE FROM queries WHERE key = ?1", [key])
            .map_err(self.err())?;
        tx.execute("DELETE FROM query_records WHERE key = ?1", [key])
            .map_err(self.err())?;
        tx.execute("DELETE FROM meta WHERE key = ?1", [format!("expect:{key}")])
            .map_err(self.err())?;
        tx.commit().map_err(self.err())
    }

    /// Stores one page atomically: its records, their membership in the query,
    /// and the cursor that follows (`None` = the walk is complete).
    pub fn store_page(
        &self,
        key: &str,
        records: &[(Record, Option<String>)],
        next_cursor: Option<&str>,
    ) -> Result<(), CacheError> {
        let now = now();
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO records (source, id, doi, fetched, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(self.err())?;
            let mut member = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO query_records (key, source, id) VALUES (?1, ?2, ?3)",
                )
                .map_err(self.err())?;
            for (r, doi) in records {
                put.execute(params![r.source, r.id, doi, r.fetched, r.body])
                    .map_err(self.err())?;
                member
                    .execute(params![key, r.source, r.id])
                    .map_err(self.err())?;
            }
        }
        tx.execute(
            "INSERT INTO queries (key, cursor, pages, done, started, updated) VALUES (?1, ?2, 1, ?3, ?4, ?4)
             ON CONFLICT (key) DO UPDATE SET cursor = excluded.cursor, pages = pages + 1,
                 done = excluded.done, updated = excluded.updated",
            params![key, next_cursor.unwrap_or(""), next_cursor.is_none() as i64, now],
        )
        .map_err(self.err())?;
        if next_cursor.is_none() {
            // What a finished walk holds, to tell deleted rows or a dropped table later.
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value)
                 SELECT ?1, COUNT(*) FROM query_records WHERE key = ?2",
                params![format!("expect:{key}"), key],
            )
            .map_err(self.err())?;
        }
        tx.commit().map_err(self.err())
    }

    /// Stores records outside any query (single-record fetches, imports).
    pub fn put(&self, records: &[(Record, Option<String>)]) -> Result<(), CacheError> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO records (source, id, doi, fetched, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(self.err())?;
            for (r, doi) in records {
                put.execute(params![r.source, r.id, doi, r.fetched, r.body])
                    .map_err(self.err())?;
            }
        }
        tx.commit().map_err(self.err())
    }

    /// One record by source and id.
    pub fn get(&self, source: &str, id: &str) -> Result<Option<Record>, CacheError> {
        self.conn
            .prepare_cached("SELECT body, fetched FROM records WHERE source = ?1 AND id = ?2")
            .map_err(self.err())?
            .query_row([source, id], |r| {
                Ok(Record {
                    source: source.to_owned(),
                    id: id.to_owned(),
                    body: r.get(0)?,
                    fetched: r.get(1)?,
                })
            })
            .optional()
            .map_err(self.err())
    }

    /// A record of `source` by DOI.
    pub fn get_by_doi(&self, source: &str, doi: &str) -> Result<Option<Record>, CacheError> {
        self.conn
            .prepare_cached(
                "SELECT id, body, fetched FROM records WHERE doi = ?1 AND source = ?2 LIMIT 1",
            )
            .map_err(self.err())?
            .query_row([doi, source], |r| {
                Ok(Record {
                    source: source.to_owned(),
                    id: r.get(0)?,
                    body: r.get(1)?,
                    fetched: r.get(2)?,
                })
            })
            .optional()
            .map_err(self.err())
    }

    /// Every record of a query, in id order, streamed to `f`.
    pub fn for_each_in_query(
        &self,
        key: &str,
        f: &mut dyn FnMut(Record) -> Result<(), crate::error::Error>,
    ) -> Result<u64, crate::error::Error> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.source, r.id, r.body, r.fetched FROM query_records q
                 JOIN records r ON r.source = q.source AND r.id = q.id
                 WHERE q.key = ?1 ORDER BY r.source, r.id",
            )
            .map_err(self.err())?;
        let mut rows = stmt.query([key]).map_err(self.err())?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(self.err())? {
            let rec = Record {
                source: row.get(0).map_err(self.err())?,
                id: row.get(1).map_err(self.err())?,
                body: row.get(2).map_err(self.err())?,
                fetched: row.get(3).map_err(self.err())?,
            };
            f(rec)?;
            n += 1;
        }
        Ok(n)
    }

    /// A cached aggregate answer (`group_by`), if younger than `max_age` seconds.
    pub fn count(&self, key: &str, max_age: Option<i64>) -> Result<Option<String>, CacheError> {
        let row: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT body, fetched FROM counts WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        Ok(row.filter(|&(_, at)| fresh(at, max_age)).map(|(b, _)| b))
    }

    /// Stores an aggregate answer.
    pub fn put_count(&self, key: &str, body: &str) -> Result<(), CacheError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO counts (key, body, fetched) VALUES (?1, ?2, ?3)",
                params![key, body, now()],
            )
            .map(|_| ())
            .map_err(self.err())
    }

    /// Records by source (for `fetch` summaries and tests).
    pub fn record_count(&self, source: &str) -> Result<u64, CacheError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM records WHERE source = ?1",
                [source],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_zero_means_nothing_is_fresh() {
        let t = now();
        assert!(
            !fresh(t, Some(0)),
            "an answer from this second is stale at max-age 0"
        );
        assert!(fresh(t, Some(60)));
        assert!(!fresh(t - 120, Some(60)));
        assert!(fresh(t - 10_000_000, None));
    }

    fn rec(id: &str) -> (Record, Option<String>) {
        (
            Record {
                source: "openalex".into(),
                id: id.into(),
                body: format!("{{\"id\":\"{id}\"}}"),
                fetched: 1,
            },
            Some(format!("10.1/{id}")),
        )
    }

    #[test]
    fn pages_and_cursors_are_stored_together() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/c.sqlite");
        let c = Cache::open(&path).unwrap();
        assert_eq!(c.checkpoint("q").unwrap(), None);
        c.store_page("q", &[rec("W1"), rec("W2")], Some("abc"))
            .unwrap();
        let cp = c.checkpoint("q").unwrap().unwrap();
        assert_eq!(
            (cp.cursor.as_str(), cp.pages, cp.works, cp.done),
            ("abc", 1, 2, false)
        );
        // A page stored twice (resumed after a crash before the cursor moved) adds no duplicates.
        c.store_page("q", &[rec("W2"), rec("W3")], None).unwrap();
        let cp = c.checkpoint("q").unwrap().unwrap();
        assert_eq!((cp.works, cp.done), (3, true));
        let mut ids = Vec::new();
        c.for_each_in_query("q", &mut |r| {
            ids.push(r.id);
            Ok(())
        })
        .unwrap();
        assert_eq!(ids, ["W1", "W2", "W3"]);
        assert_eq!(
            c.get_by_doi("openalex", "10.1/W3").unwrap().unwrap().id,
            "W3"
        );
        drop(c);
        // Reopening keeps everything; a reset forgets the walk, not the records.
        let c = Cache::open(&path).unwrap();
        c.reset_query("q").unwrap();
        assert_eq!(c.checkpoint("q").unwrap(), None);
        assert_eq!(c.record_count("openalex").unwrap(), 3);
    }

    #[test]
    fn check_finds_bad_bodies_orphans_and_checkpoints() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(&dir.path().join("c.sqlite")).unwrap();
        c.store_page("q", &[rec("W1")], None).unwrap();
        assert!(c.check().unwrap().ok());
        c.conn
            .execute_batch(
                "INSERT INTO records VALUES ('openalex','W2',NULL,1,'{not json');
                 INSERT INTO query_records VALUES ('q','openalex','W404');
                 INSERT INTO queries VALUES ('r','',1,0,1,1);",
            )
            .unwrap();
        let r = c.check().unwrap();
        assert!(!r.ok());
        assert_eq!(r.bad_records, ["openalex W2"]);
        assert_eq!(r.orphans, 1);
        assert_eq!(r.bad_checkpoints.len(), 1);
        assert_eq!(r.records["openalex"], 2);
    }

    #[test]
    fn a_foreign_schema_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        drop(Cache::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema'", [])
            .unwrap();
        drop(conn);
        let e = Cache::open(&path).unwrap_err();
        assert!(e.to_string().contains("schema version 99"), "{e}");
    }
}
