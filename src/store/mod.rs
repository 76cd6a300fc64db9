//! SQLite persistence: cards and their schedules, reviews, drill sessions and demo results.
//! Never the story prose.
//!
//! STRICT tables with foreign keys, migrations keyed by `PRAGMA user_version`, WAL and a busy
//! timeout so a second process (the TUI and a CLI command at once) simply waits its turn.
//!
//! Every write goes through one gate ([`Store::write`]): it refuses to write when the file was
//! deleted or replaced since it was opened (SQLite would carry on writing into the unlinked
//! file, and every grade would look saved), and names a lock held too long as
//! [`StoreError::Busy`].

mod cards;
mod demo_runs;
mod journal;
mod merge;
mod migrations;
mod mock;
mod reviews;
mod sessions;
mod spoken;

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use thiserror::Error;

use crate::srs::CardId;

pub use cards::{StoredCard, StoryRename, SyncReport};
pub use demo_runs::DemoRun;
pub use journal::ReviewOrigins;
pub use merge::{Batch, MergeReport};
pub use migrations::LATEST_VERSION;
pub use mock::{MockSessionId, MockSetup, StoredMockSession};
pub use reviews::LoggedReview;
pub use sessions::SessionId;
pub use spoken::{NewSpokenAnswer, SpokenAnswerId, SpokenOrigin, SpokenPart, StoredSpokenAnswer};

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
    #[error(
        "the database {path} was deleted or replaced while rehearse was running; nothing more can be saved to it (restart rehearse)"
    )]
    Missing { path: PathBuf },
    #[error("the database {path} is locked by another process; nothing was saved (try again)")]
    Busy { path: PathBuf },
    #[error(
        "the database {path} is read-only (check the permissions of the file and its folder); nothing was saved"
    )]
    ReadOnly { path: PathBuf },
    #[error("cannot create the database at {path}: {blocker} is a file, not a folder")]
    NotAFolder { path: PathBuf, blocker: PathBuf },
    #[error("entry {entry} of {log}'s sync log cannot be merged ({message}); nothing was merged")]
    BadEntry {
        log: String,
        entry: String,
        message: String,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open database, migrated to the latest schema.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Which file was opened; `None` in memory.
    file: Option<FileIdentity>,
}

/// The busy timeout a new store waits for another process's lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Identifies the opened file, so a file deleted or replaced under the same name is noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    #[cfg(unix)]
    device: u64,
    #[cfg(unix)]
    inode: u64,
}

impl FileIdentity {
    fn of(path: &Path) -> Option<FileIdentity> {
        let metadata = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileIdentity {
                device: metadata.dev(),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            Some(FileIdentity {})
        }
    }
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// A file from a newer schema, or one that is not SQLite, is refused and left untouched.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            // "File exists" from create_dir_all would not say which component is in the way.
            if let Some(blocker) = parent
                .ancestors()
                .find(|p| p.exists())
                .filter(|p| !p.is_dir())
            {
                return Err(StoreError::NotAFolder {
                    path: path.to_owned(),
                    blocker: blocker.to_owned(),
                });
            }
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
        let in_memory = path == Path::new(":memory:");
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the header is the first touch: a non-SQLite file fails here, before any write.
        let version =
            while_busy(|| migrations::user_version(&conn)).map_err(|e| classify(e, path))?;
        if version > LATEST_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found: version,
                supported: LATEST_VERSION,
            });
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        if !in_memory {
            while_busy(|| conn.pragma_update(None, "journal_mode", "WAL"))
                .map_err(|e| classify(e, path))?;
        }
        let file = if in_memory {
            None
        } else {
            Some(FileIdentity::of(path).ok_or_else(|| StoreError::Missing {
                path: path.to_owned(),
            })?)
        };
        let mut store = Store {
            conn,
            path: path.to_owned(),
            file,
        };
        migrations::migrate(&mut store.conn, path).map_err(|e| store.refine(e))?;
        Ok(store)
    }

    /// How long a write waits for another process's lock before failing with
    /// [`StoreError::Busy`] ([`BUSY_TIMEOUT`] unless set). An interactive caller sets it short,
    /// so a lock held elsewhere does not freeze it.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(timeout)?)
    }

    /// The file this store writes (`:memory:` in memory).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(migrations::user_version(&self.conn)?)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `body` in a write transaction that takes the lock up front (so two processes queue
    /// on the busy timeout instead of failing half-way) and commits it. Refuses with
    /// [`StoreError::Missing`] when the file is no longer the one opened; a lock not released
    /// in time is [`StoreError::Busy`].
    fn write<T>(&self, body: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.check_file()?;
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.refine(e.into()))?;
        let value = body(&tx).map_err(|e| self.refine(e))?;
        tx.commit().map_err(|e| self.refine(e.into()))?;
        Ok(value)
    }

    /// Fails when the database file was deleted or replaced since it was opened.
    fn check_file(&self) -> Result<()> {
        match self.file {
            Some(opened) if FileIdentity::of(&self.path) != Some(opened) => {
                Err(StoreError::Missing {
                    path: self.path.clone(),
                })
            }
            _ => Ok(()),
        }
    }

    /// Names a lock held by another process as [`StoreError::Busy`].
    fn refine(&self, error: StoreError) -> StoreError {
        match error {
            StoreError::Sqlite(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) =>
            {
                StoreError::Busy {
                    path: self.path.clone(),
                }
            }
            StoreError::Sqlite(e) if e.sqlite_error_code() == Some(ErrorCode::ReadOnly) => {
                StoreError::ReadOnly {
                    path: self.path.clone(),
                }
            }
            other => other,
        }
    }
}

/// Times are stored as Unix milliseconds.
fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

fn from_millis(ms: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(ms).ok()
}

/// Runs `step` again while another process holds the lock it needs, for up to
/// [`BUSY_TIMEOUT`]. Switching a new database to WAL can be refused at once (SQLite does not
/// wait on its busy handler there) while a second process creates the same file.
fn while_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match step() {
            Err(e)
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            result => return result,
        }
    }
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
        let error = Store::open(&blocker.join("deeper/rehearse.db"))
            .err()
            .expect("must fail");
        let message = error.to_string();
        assert!(
            message.contains("a-file is a file, not a folder"),
            "{message}"
        );
        assert!(!message.contains("File exists"), "{message}");
    }
}
