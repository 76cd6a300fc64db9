//! SQLite: schema, the single writer that loads every job's rows, key sets and checksums.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use demo_kit::DemoError;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OpenFlags, params_from_iter};
use tokio::sync::{mpsc, oneshot};

use crate::error::EtlError;
use crate::feed::{Feed, Kind};
use crate::transform::KeySet;

/// The pragmas every connection gets; printed in the report.
pub const PRAGMAS: &str =
    "journal_mode=WAL, synchronous=NORMAL, wal_autocheckpoint=16384 pages, cache_size=64 MiB";

/// A malformed line: where it is and why it was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The feed file as `day2/orders.csv`.
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// What one job's load did to its table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadStats {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

impl LoadStats {
    pub fn changed(&self) -> u64 {
        self.created + self.updated
    }
}

pub fn open(path: &Path) -> Result<Connection, EtlError> {
    let conn = Connection::open(path).map_err(EtlError::db(format!("open {}", path.display())))?;
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16384; PRAGMA cache_size=-65536;
         PRAGMA temp_store=MEMORY;",
    )
    .map_err(EtlError::db("set pragmas"))?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(EtlError::db("set busy timeout"))?;
    Ok(conn)
}

pub fn open_read_only(path: &Path) -> Result<Connection, EtlError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(EtlError::db(format!("open {}", path.display())))?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(EtlError::db("set busy timeout"))?;
    Ok(conn)
}

pub fn create_schema(conn: &Connection) -> Result<(), EtlError> {
    let mut sql = String::new();
    for feed in Feed::ALL {
        let columns: Vec<String> = feed
            .table_columns()
            .enumerate()
            .map(|(i, c)| match (i, c.kind) {
                (0, _) => format!("{} INTEGER PRIMARY KEY", c.name),
                (_, Kind::Int) => format!("{} INTEGER NOT NULL", c.name),
                (_, Kind::Text) => format!("{} TEXT NOT NULL", c.name),
            })
            .collect();
        sql.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS {} ({}) STRICT;\n",
            feed.name(),
            columns.join(", ")
        ));
    }
    sql.push_str(
        "CREATE TABLE IF NOT EXISTS rejects (file TEXT NOT NULL, line INTEGER NOT NULL, \
         reason TEXT NOT NULL, PRIMARY KEY (file, line)) STRICT;",
    );
    conn.execute_batch(&sql)
        .map_err(EtlError::db("create schema"))
}

/// Create-or-update that leaves an identical row alone, so `changes()` counts real changes.
pub fn upsert_sql(feed: Feed) -> String {
    let names: Vec<&str> = feed.table_columns().map(|c| c.name).collect();
    let rest = &names[1..];
    format!(
        "INSERT INTO {table} ({all}) VALUES ({marks}) ON CONFLICT({key}) DO UPDATE SET {set} \
         WHERE {differs}",
        table = feed.name(),
        all = names.join(", "),
        marks = vec!["?"; names.len()].join(", "),
        key = names[0],
        set = rest
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        differs = rest
            .iter()
            .map(|c| format!("{c} IS NOT excluded.{c}"))
            .collect::<Vec<_>>()
            .join(" OR "),
    )
}

pub fn count(conn: &Connection, feed: Feed) -> Result<u64, EtlError> {
    conn.query_row(&format!("SELECT count(*) FROM {}", feed.name()), [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n as u64)
    .map_err(EtlError::db(format!("count {feed}")))
}

pub fn keys(conn: &Connection, feed: Feed) -> Result<KeySet, EtlError> {
    let context = format!("read the keys of {feed}");
    let mut stmt = conn
        .prepare(&format!("SELECT id FROM {}", feed.name()))
        .map_err(EtlError::db(context.clone()))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, i64>(0))
        .map_err(EtlError::db(context.clone()))?;
    rows.collect::<Result<KeySet, _>>()
        .map_err(EtlError::db(context))
}

/// Row count and an order-independent-of-storage checksum (FNV-1a over the rows in key order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checksum {
    pub rows: u64,
    pub hash: u64,
}

pub fn checksum(conn: &Connection, table: &str) -> Result<Checksum, EtlError> {
    let context = format!("checksum {table}");
    let order = if table == "rejects" {
        "file, line"
    } else {
        "id"
    };
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
        .map_err(EtlError::db(context.clone()))?;
    let width = stmt.column_count();
    let mut rows = stmt.query([]).map_err(EtlError::db(context.clone()))?;
    let mut hash = Fnv::default();
    let mut count = 0;
    while let Some(row) = rows.next().map_err(EtlError::db(context.clone()))? {
        count += 1;
        for i in 0..width {
            match row.get_ref(i).map_err(EtlError::db(context.clone()))? {
                ValueRef::Null => hash.write(&[0]),
                ValueRef::Integer(n) => {
                    hash.write(&[1]);
                    hash.write(&n.to_le_bytes());
                }
                ValueRef::Real(x) => {
                    hash.write(&[2]);
                    hash.write(&x.to_le_bytes());
                }
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    hash.write(&[3]);
                    hash.write(&(t.len() as u64).to_le_bytes());
                    hash.write(t);
                }
            }
        }
    }
    Ok(Checksum {
        rows: count,
        hash: hash.0,
    })
}

/// FNV-1a, 64 bits: the checksum's hash, shared with the PostgreSQL target.
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// The PostgreSQL target's checksum reads it; SQLite's is computed in SQL.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn value(&self) -> u64 {
        self.0
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// What jobs send to the writer.
pub enum Msg {
    /// A job starts loading `feed`; the writer notes the table's size.
    Begin { feed: Feed },
    /// A page of transformed rows (`width` values each) and the page's rejects.
    Rows {
        feed: Feed,
        values: Vec<Value>,
        rejects: Vec<Reject>,
        /// Lines of the file consumed so far, for progress.
        lines_done: u64,
    },
    /// The job has sent everything: commit and report its counts.
    Finish {
        feed: Feed,
        reply: oneshot::Sender<Result<LoadStats, EtlError>>,
    },
}

/// Per-run progress labels and totals for the writer's progress events.
pub struct Progress {
    pub reporter: demo_kit::Reporter,
    pub label: String,
    pub totals: HashMap<Feed, u64>,
}

/// The one connection that writes. Runs on its own thread until every sender is dropped and
/// returns how long it was busy (not waiting for work).
pub fn writer(
    conn: Connection,
    mut rx: mpsc::Receiver<Msg>,
    batch_rows: usize,
    progress: Progress,
) -> Result<WriterTime, EtlError> {
    let at_start = thread_sched();
    let mut state = Writer {
        conn: &conn,
        in_tx: false,
        rows_in_tx: 0,
        batch_rows,
        jobs: HashMap::new(),
    };
    let mut busy = Duration::ZERO;
    while let Some(msg) = rx.blocking_recv() {
        let started = Instant::now();
        match msg {
            Msg::Begin { feed } => {
                let before = count(&conn, feed);
                state.jobs.insert(
                    feed,
                    JobState {
                        before: before.as_ref().copied().unwrap_or(0),
                        changed: 0,
                        accepted: 0,
                        rejected: 0,
                        error: before.err(),
                    },
                );
            }
            Msg::Rows {
                feed,
                values,
                rejects,
                lines_done,
            } => {
                let result = state.load(feed, &values, &rejects);
                let job = state.jobs.entry(feed).or_default();
                match result {
                    Ok(changed) => {
                        job.changed += changed;
                        job.accepted += (values.len() / feed.table_columns().count()) as u64;
                        job.rejected += rejects.len() as u64;
                    }
                    Err(e) => {
                        job.error.get_or_insert(e);
                    }
                }
                let total = progress.totals.get(&feed).copied();
                progress.reporter.progress(
                    &format!("{}: {feed}", progress.label),
                    lines_done,
                    total,
                    "rows",
                );
            }
            Msg::Finish { feed, reply } => {
                let stats = state.finish(feed);
                // The job may have been cancelled; its counts are then of no use to anyone.
                let _ = reply.send(stats);
            }
        }
        busy += started.elapsed();
    }
    if state.in_tx {
        conn.execute_batch("COMMIT")
            .map_err(EtlError::db("final commit"))?;
    }
    let spent = thread_sched()
        .zip(at_start)
        .map(|(end, start)| (end.0.saturating_sub(start.0), end.1.saturating_sub(start.1)));
    Ok(WriterTime {
        busy,
        cpu: spent.map(|s| s.0),
        run_queue: spent.map(|s| s.1),
    })
}

/// How long the writer worked: wall time spent on messages, and CPU time where the OS says.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriterTime {
    /// Wall time from taking a message to being done with it (includes being descheduled).
    pub busy: Duration,
    /// CPU time of the writer thread (Linux only): what it needs even on an idle machine.
    pub cpu: Option<Duration>,
    /// Time the writer was ready to run but waited for a core (Linux only): other load.
    pub run_queue: Option<Duration>,
}

/// The calling thread's time on a CPU and time waiting for one, from
/// `/proc/thread-self/schedstat` (nanoseconds); `None` where the OS does not say.
fn thread_sched() -> Option<(Duration, Duration)> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
    let on_cpu = fields.next()??;
    let waiting = fields.next()??;
    Some((Duration::from_nanos(on_cpu), Duration::from_nanos(waiting)))
}

#[derive(Default)]
struct JobState {
    before: u64,
    changed: u64,
    accepted: u64,
    rejected: u64,
    error: Option<EtlError>,
}

struct Writer<'c> {
    conn: &'c Connection,
    in_tx: bool,
    rows_in_tx: usize,
    batch_rows: usize,
    jobs: HashMap<Feed, JobState>,
}

impl Writer<'_> {
    fn load(&mut self, feed: Feed, values: &[Value], rejects: &[Reject]) -> Result<u64, EtlError> {
        if !self.in_tx {
            self.conn
                .execute_batch("BEGIN")
                .map_err(EtlError::db("begin"))?;
            self.in_tx = true;
        }
        let width = feed.table_columns().count();
        let mut stmt = self
            .conn
            .prepare_cached(&upsert_sql(feed))
            .map_err(EtlError::db(format!("prepare the upsert into {feed}")))?;
        let mut changed = 0;
        for row in values.chunks_exact(width) {
            changed +=
                stmt.execute(params_from_iter(row))
                    .map_err(EtlError::db(format!("upsert into {feed}")))? as u64;
        }
        if !rejects.is_empty() {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "INSERT INTO rejects (file, line, reason) VALUES (?1, ?2, ?3) \
                     ON CONFLICT(file, line) DO UPDATE SET reason = excluded.reason \
                     WHERE reason IS NOT excluded.reason",
                )
                .map_err(EtlError::db("prepare the reject insert"))?;
            for r in rejects {
                stmt.execute((&r.file, r.line as i64, &r.reason))
                    .map_err(EtlError::db("record a reject"))?;
            }
        }
        self.rows_in_tx += values.len() / width + rejects.len();
        if self.rows_in_tx >= self.batch_rows {
            self.commit()?;
        }
        Ok(changed)
    }

    fn commit(&mut self) -> Result<(), EtlError> {
        if self.in_tx {
            self.conn
                .execute_batch("COMMIT")
                .map_err(EtlError::db("commit"))?;
            self.in_tx = false;
            self.rows_in_tx = 0;
        }
        Ok(())
    }

    fn finish(&mut self, feed: Feed) -> Result<LoadStats, EtlError> {
        // Dependants read this table next: it must be committed.
        self.commit()?;
        let job = self.jobs.remove(&feed).unwrap_or_default();
        if let Some(error) = job.error {
            return Err(error);
        }
        let after = count(self.conn, feed)?;
        let created = after.saturating_sub(job.before);
        Ok(LoadStats {
            created,
            updated: job.changed.saturating_sub(created),
            unchanged: job.accepted.saturating_sub(job.changed),
            rejected: job.rejected,
        })
    }
}

/// Removes a SQLite database and its WAL files, if there.
pub(crate) fn remove_db(path: &Path) -> Result<(), DemoError> {
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(DemoError::io(format!("remove {}", file.display()), e));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Copies a closed SQLite database file.
pub(crate) fn copy_db(from: &Path, to: &Path) -> Result<(), DemoError> {
    // The writer's connection is closed, so the WAL has been checkpointed into the main file.
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| DemoError::io(format!("copy {} to {}", from.display(), to.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upsert_only_touches_rows_that_differ() {
        let conn = Connection::open_in_memory().unwrap();
        create_schema(&conn).unwrap();
        let sql = upsert_sql(Feed::Orders);
        let row = |status: &str| (1, 7, 20_000, status.to_owned());
        assert_eq!(conn.execute(&sql, row("new")).unwrap(), 1);
        assert_eq!(conn.execute(&sql, row("new")).unwrap(), 0);
        assert_eq!(conn.execute(&sql, row("paid")).unwrap(), 1);
        assert_eq!(count(&conn, Feed::Orders).unwrap(), 1);
    }

    #[test]
    fn checksums_see_any_difference_in_content() {
        let conn = Connection::open_in_memory().unwrap();
        create_schema(&conn).unwrap();
        let sql = upsert_sql(Feed::Orders);
        conn.execute(&sql, (1, 7, 20_000, "new")).unwrap();
        let first = checksum(&conn, "orders").unwrap();
        conn.execute(&sql, (1, 7, 20_000, "paid")).unwrap();
        let second = checksum(&conn, "orders").unwrap();
        assert_eq!(first.rows, second.rows);
        assert_ne!(first.hash, second.hash);
    }
}
