//! SQLite persistence: cards and their schedules, reviews, drill sessions and demo results.
//! Never the story prose.
//!
//! STRICT tables with foreign keys, migrations keyed by `PRAGMA user_version`, WAL and a busy
//! timeout so a second process (the TUI and a CLI command at once) simply waits its turn.

mod cards;
mod demo_runs;
mod migrations;
mod mock;
mod reviews;
mod sessions;

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use thiserror::Error;

use crate::srs::CardId;

pub use cards::{StoredCard, SyncReport};
pub use demo_runs::DemoRun;
pub use migrations::LATEST_VERSION;
pub use mock::{MockSessionId, MockSetup, StoredMockSession};
pub use reviews::LoggedReview;
pub use sessions::SessionId;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "{path} was written by a newer rehearse (schema version {found}; this one knows up to {supported}); upgrade rehearse. The file was not changed."
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path} is not a rehearse database (not SQLite, or corrupt); it was left untouched. Move it away or pass another --db."
    )]
    NotADatabase { path: PathBuf },
    #[error("cannot open the database at {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot create the folder for the database, {path}: {source}")]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("card {0} is not in the database (run the command again to pick up the stories)")]
    UnknownCard(CardId),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open database, migrated to the latest schema.
pub struct Store {
    conn: Connection,
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// A file from a newer schema, or one that is not SQLite, is refused and left untouched.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateFolder {
                path: parent.to_owned(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        Self::init(conn, path)
    }

    /// A private database that lives as long as the value; for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn init(conn: Connection, path: &Path) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the header is the first touch: a non-SQLite file fails here, before any write.
        let version = migrations::user_version(&conn).map_err(|e| classify(e, path))?;
        if version > LATEST_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found: version,
                supported: LATEST_VERSION,
            });
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        if path != Path::new(":memory:") {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| classify(e, path))?;
        }
        let mut store = Store { conn };
        migrations::migrate(&mut store.conn, path)?;
        Ok(store)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(migrations::user_version(&self.conn)?)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A write transaction that takes the lock up front, so two processes queue on the busy
    /// timeout instead of failing half-way.
    fn immediate(&self) -> Result<Transaction<'_>> {
        Ok(Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        )?)
    }
}

/// Times are stored as Unix milliseconds.
fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

fn from_millis(ms: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(ms).ok()
}

fn classify(error: rusqlite::Error, path: &Path) -> StoreError {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_owned(),
        },
        _ => StoreError::Open {
            path: path.to_owned(),
            source: error,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_created_and_migrated_to_the_latest_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/folder/rehearse.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        drop(store);
        // Opening again is a no-op migration.
        assert_eq!(
            Store::open(&path).unwrap().schema_version().unwrap(),
            LATEST_VERSION
        );
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.db");
        let content = "these are my notes, not a database\n".repeat(200);
        std::fs::write(&path, &content).unwrap();
        let error = Store::open(&path).err().expect("must refuse");
        assert!(matches!(error, StoreError::NotADatabase { .. }), "{error}");
        assert!(error.to_string().contains("notes.db"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let error = Store::open(&path).err().expect("must refuse");
        assert!(matches!(error, StoreError::NewerSchema { .. }), "{error}");
        assert!(error.to_string().contains("newer rehearse"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn an_unwritable_location_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, "").unwrap();
        let error = Store::open(&blocker.join("rehearse.db"))
            .err()
            .expect("must fail");
        assert!(error.to_string().contains("a-file"), "{error}");
    }
}
