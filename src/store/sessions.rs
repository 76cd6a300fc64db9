//! Drill sessions: when, what was drilled, and how. A session whose process was killed keeps
//! its reviews and simply has no end time.

use jiff::Timestamp;
use rusqlite::params;
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::{Result, Store, millis};
use crate::srs::DrillMode;

/// The row id of a drill session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(pub i64);

impl ToSql for SessionId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl FromSql for SessionId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(SessionId)
    }
}

impl Store {
    /// `scope` says what is drilled (`all`, `story:ID`, `tag:TAG`), `interface` by what
    /// (`plain`, `tui`).
    pub fn start_session(
        &self,
        mode: DrillMode,
        scope: &str,
        interface: &str,
        now: Timestamp,
    ) -> Result<SessionId> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (started_at, mode, scope, interface) VALUES (?1, ?2, ?3, ?4)",
                params![millis(now), mode.as_str(), scope, interface],
            )?;
            Ok(SessionId(tx.last_insert_rowid()))
        })
    }

    pub fn finish_session(&self, id: SessionId, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sessions SET finished_at = ?2 WHERE id = ?1",
                params![id, millis(now)],
            )?;
            Ok(())
        })
    }
}
