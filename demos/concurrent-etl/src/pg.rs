//! PostgreSQL as the refresh's target: a pool of connections, one per running job, each page
//! loaded with `COPY` into a staging table and `INSERT ... ON CONFLICT DO UPDATE` from it.
//! The tables, the counts and the checksums are the SQLite target's, so the two can be compared.
//!
//! Only loopback servers are used unless the user allows another (this drops and creates
//! tables); a server that is down or refuses the login gets an error naming the URL and the
//! command that starts the demo's own server.

use std::pin::pin;
use std::sync::{Arc, Mutex};

use rusqlite::types::Value;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Config, NoTls};

use crate::db::{Checksum, Fnv, LoadStats, Reject};
use crate::error::EtlError;
use crate::feed::{Feed, Kind};
use crate::transform::KeySet;

pub use crate::demo::DEFAULT_DATABASE_URL as DEFAULT_URL;

/// The server's own message where there is one, else the client's whole chain of causes.
fn message_of(source: &tokio_postgres::Error) -> String {
    if let Some(db) = source.as_db_error() {
        return db.message().to_owned();
    }
    let mut text = source.to_string();
    let mut cause = std::error::Error::source(source);
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        cause = c.source();
    }
    text
}

fn pg_error(context: impl Into<String>) -> impl FnOnce(tokio_postgres::Error) -> EtlError {
    let context = context.into();
    move |source| EtlError::Postgres {
        context,
        message: message_of(&source),
    }
}

/// Parses the URL and refuses a host that is not loopback or a Unix socket, unless allowed.
pub fn check_url(url: &str, allow_remote: bool) -> Result<Config, String> {
    let config: Config = url
        .parse()
        .map_err(|e| format!("`{url}` is not a PostgreSQL URL: {e}"))?;
    let remote: Vec<String> = config
        .get_hosts()
        .iter()
        .filter_map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => {
                let loopback = name == "localhost"
                    || name
                        .parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback());
                (!loopback).then(|| name.clone())
            }
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(_) => None,
        })
        .collect();
    if config.get_hosts().is_empty() {
        return Err(format!("`{url}` names no host"));
    }
    if !remote.is_empty() && !allow_remote {
        return Err(format!(
            "`{url}` is not on this machine ({}): this demo drops and creates tables, so it only \
             uses loopback unless you pass --allow-remote-database",
            remote.join(", ")
        ));
    }
    Ok(config)
}

/// Connections, handed to one job at a time.
pub struct Pool {
    url: String,
    clients: Mutex<Vec<Client>>,
    available: Arc<Semaphore>,
}

/// A connection taken from the pool; it goes back when dropped.
pub struct Pooled {
    client: Option<Client>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for Pooled {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client
            .as_ref()
            .expect("a pooled client is present until dropped")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            self.pool
                .clients
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(client);
        }
    }
}

impl Pool {
    /// Opens `size` connections (each with its own connection task on the current runtime).
    pub async fn connect(config: &Config, url: &str, size: usize) -> Result<Arc<Pool>, EtlError> {
        let mut clients = Vec::with_capacity(size);
        for _ in 0..size.max(1) {
            let (client, connection) =
                config
                    .connect(NoTls)
                    .await
                    .map_err(|e| EtlError::PostgresDown {
                        url: url.to_owned(),
                        message: message_of(&e),
                    })?;
            tokio::spawn(async move {
                // The connection ends with an error only when the server goes away; the next
                // query on it then fails with that error, named.
                let _ = connection.await;
            });
            clients.push(client);
        }
        Ok(Arc::new(Pool {
            url: url.to_owned(),
            available: Arc::new(Semaphore::new(clients.len())),
            clients: Mutex::new(clients),
        }))
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn get(self: &Arc<Self>) -> Pooled {
        let permit = self
            .available
            .clone()
            .acquire_owned()
            .await
            .expect("the pool's semaphore is never closed");
        let client = self.clients.lock().unwrap_or_else(|p| p.into_inner()).pop();
        Pooled {
            client,
            pool: self.clone(),
            _permit: permit,
        }
    }
}

fn column_type(kind: Kind) -> (&'static str, Type) {
    match kind {
        Kind::Int => ("BIGINT", Type::INT8),
        Kind::Text => ("TEXT", Type::TEXT),
    }
}

fn table(schema: &str, name: &str) -> String {
    format!("{schema}.{name}")
}

/// Drops and creates the schema with every feed's table and the rejects table.
pub async fn create_schema(client: &Client, schema: &str) -> Result<(), EtlError> {
    let mut sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};\n");
    for feed in Feed::ALL {
        let columns: Vec<String> = feed
            .table_columns()
            .enumerate()
            .map(|(i, c)| match i {
                0 => format!("{} BIGINT PRIMARY KEY", c.name),
                _ => format!("{} {} NOT NULL", c.name, column_type(c.kind).0),
            })
            .collect();
        sql.push_str(&format!(
            "CREATE TABLE {} ({});\n",
            table(schema, feed.name()),
            columns.join(", ")
        ));
    }
    sql.push_str(&format!(
        "CREATE TABLE {} (file TEXT NOT NULL, line BIGINT NOT NULL, reason TEXT NOT NULL, \
         PRIMARY KEY (file, line));",
        table(schema, "rejects")
    ));
    client
        .batch_execute(&sql)
        .await
        .map_err(pg_error(format!("create schema {schema}")))
}

/// Copies every table of `from` into a fresh schema `to` (the day-1 state for another mode).
pub async fn copy_schema(client: &Client, from: &str, to: &str) -> Result<(), EtlError> {
    create_schema(client, to).await?;
    let mut sql = String::new();
    for name in Feed::ALL.iter().map(|f| f.name()).chain(["rejects"]) {
        sql.push_str(&format!(
            "INSERT INTO {} SELECT * FROM {};\n",
            table(to, name),
            table(from, name)
        ));
    }
    sql.push_str(&format!("ANALYZE; -- {from} -> {to}"));
    client
        .batch_execute(&sql)
        .await
        .map_err(pg_error(format!("copy {from} to {to}")))
}

pub async fn keys(client: &Client, schema: &str, feed: Feed) -> Result<KeySet, EtlError> {
    let rows = client
        .query(
            &format!("SELECT id FROM {}", table(schema, feed.name())),
            &[],
        )
        .await
        .map_err(pg_error(format!("read the keys of {feed}")))?;
    Ok(rows.iter().map(|r| r.get::<_, i64>(0)).collect())
}

pub async fn count(client: &Client, schema: &str, feed: Feed) -> Result<u64, EtlError> {
    let row = client
        .query_one(
            &format!("SELECT count(*) FROM {}", table(schema, feed.name())),
            &[],
        )
        .await
        .map_err(pg_error(format!("count {feed}")))?;
    Ok(row.get::<_, i64>(0) as u64)
}

/// The upsert from a feed's staging table: counts created and updated rows; a row equal to the
/// stored one is left alone, as on SQLite.
fn upsert_sql(schema: &str, feed: Feed) -> String {
    let names: Vec<&str> = feed.table_columns().map(|c| c.name).collect();
    let rest = &names[1..];
    let target = table(schema, feed.name());
    format!(
        "WITH up AS (INSERT INTO {target} ({all}) SELECT {all} FROM stage_{feed} \
         ON CONFLICT ({key}) DO UPDATE SET {set} WHERE ({old}) IS DISTINCT FROM ({new}) \
         RETURNING (xmax = 0) AS created) \
         SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up",
        all = names.join(", "),
        key = names[0],
        set = rest
            .iter()
            .map(|c| format!("{c} = EXCLUDED.{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        old = rest
            .iter()
            .map(|c| format!("{target}.{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        new = rest
            .iter()
            .map(|c| format!("EXCLUDED.{c}"))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// One job's load into its table through its own connection.
pub struct JobLoader {
    client: Pooled,
    schema: String,
    feed: Feed,
    stats: LoadStats,
}

impl JobLoader {
    pub async fn begin(client: Pooled, schema: &str, feed: Feed) -> Result<JobLoader, EtlError> {
        client
            .batch_execute(&format!(
                "CREATE TEMP TABLE IF NOT EXISTS stage_{feed} (LIKE {}) ON COMMIT DELETE ROWS",
                table(schema, feed.name())
            ))
            .await
            .map_err(pg_error(format!("create the staging table for {feed}")))?;
        Ok(JobLoader {
            client,
            schema: schema.to_owned(),
            feed,
            stats: LoadStats::default(),
        })
    }

    /// Loads one page in one transaction: COPY into staging, upsert, the page's rejects.
    pub async fn page(&mut self, values: &[Value], rejects: &[Reject]) -> Result<(), EtlError> {
        let feed = self.feed;
        let context = |what: &str| format!("{what} ({feed})");
        let client = &*self.client;
        client
            .batch_execute("BEGIN")
            .await
            .map_err(pg_error(context("begin")))?;
        let types: Vec<Type> = feed
            .table_columns()
            .map(|c| column_type(c.kind).1)
            .collect();
        let width = types.len();
        if !values.is_empty() {
            let sink = client
                .copy_in(&format!("COPY stage_{feed} FROM STDIN (FORMAT binary)"))
                .await
                .map_err(pg_error(context("start the COPY")))?;
            let mut writer = pin!(BinaryCopyInWriter::new(sink, &types));
            for row in values.chunks_exact(width) {
                let cells: Vec<Cell<'_>> = row.iter().map(Cell::of).collect();
                let refs: Vec<&(dyn ToSql + Sync)> =
                    cells.iter().map(|c| c as &(dyn ToSql + Sync)).collect();
                writer
                    .as_mut()
                    .write(&refs)
                    .await
                    .map_err(pg_error(context("COPY a row")))?;
            }
            writer
                .finish()
                .await
                .map_err(pg_error(context("finish the COPY")))?;
            let counts = client
                .query_one(&upsert_sql(&self.schema, feed), &[])
                .await
                .map_err(pg_error(context("upsert from staging")))?;
            let (created, updated) = (
                counts.get::<_, i64>(0) as u64,
                counts.get::<_, i64>(1) as u64,
            );
            let accepted = (values.len() / width) as u64;
            self.stats.created += created;
            self.stats.updated += updated;
            self.stats.unchanged += accepted.saturating_sub(created + updated);
        }
        if !rejects.is_empty() {
            let sql = format!(
                "INSERT INTO {t} (file, line, reason) VALUES ($1, $2, $3) ON CONFLICT (file, line) \
                 DO UPDATE SET reason = EXCLUDED.reason WHERE {t}.reason IS DISTINCT FROM \
                 EXCLUDED.reason",
                t = table(&self.schema, "rejects")
            );
            let statement = client
                .prepare(&sql)
                .await
                .map_err(pg_error(context("prepare the reject insert")))?;
            for r in rejects {
                client
                    .execute(&statement, &[&r.file, &(r.line as i64), &r.reason])
                    .await
                    .map_err(pg_error(context("record a reject")))?;
            }
            self.stats.rejected += rejects.len() as u64;
        }
        client
            .batch_execute("COMMIT")
            .await
            .map_err(pg_error(context("commit")))
    }

    /// Drops the job's staging table, so a pooled connection never holds more than one: every
    /// commit truncates all the `ON COMMIT DELETE ROWS` tables of its session, and with one
    /// left behind per feed a connection reused for job after job (the sequential run's) paid
    /// ~24 truncations per page (measured ~85 ms a commit on this machine's disk, against ~7 ms
    /// with one table), which made sequential look slow for a reason that is not the refresh's.
    pub async fn finish(self) -> Result<LoadStats, EtlError> {
        let feed = self.feed;
        self.client
            .batch_execute(&format!("DROP TABLE IF EXISTS stage_{feed}"))
            .await
            .map_err(pg_error(format!("drop the staging table for {feed}")))?;
        Ok(self.stats)
    }
}

/// A value as PostgreSQL's binary COPY wants it.
#[derive(Debug)]
enum Cell<'a> {
    Int(i64),
    Text(&'a str),
}

impl<'a> Cell<'a> {
    fn of(value: &'a Value) -> Cell<'a> {
        match value {
            Value::Integer(n) => Cell::Int(*n),
            Value::Text(t) => Cell::Text(t),
            // The transform only produces integers and text.
            other => unreachable!("the transform produced {other:?}"),
        }
    }
}

impl ToSql for Cell<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Cell::Int(n) => n.to_sql(ty, out),
            Cell::Text(t) => t.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty) || <&str as ToSql>::accepts(ty)
    }

    tokio_postgres::types::to_sql_checked!();
}

/// The same checksum as [`crate::db::checksum`] computes on SQLite, row by row in key order.
pub async fn checksum(client: &mut Client, schema: &str, name: &str) -> Result<Checksum, EtlError> {
    let context = format!("checksum {schema}.{name}");
    let kinds: Vec<Kind> = match Feed::from_name(name) {
        Some(feed) => feed.table_columns().map(|c| c.kind).collect(),
        None => vec![Kind::Text, Kind::Int, Kind::Text],
    };
    let order = if name == "rejects" {
        "file, line"
    } else {
        "id"
    };
    let tx = client
        .transaction()
        .await
        .map_err(pg_error(context.clone()))?;
    let portal = tx
        .bind(
            &format!("SELECT * FROM {} ORDER BY {order}", table(schema, name)),
            &[],
        )
        .await
        .map_err(pg_error(context.clone()))?;
    let mut hash = Fnv::default();
    let mut rows = 0;
    loop {
        let page = tx
            .query_portal(&portal, 50_000)
            .await
            .map_err(pg_error(context.clone()))?;
        if page.is_empty() {
            break;
        }
        for row in &page {
            rows += 1;
            for (i, kind) in kinds.iter().enumerate() {
                match kind {
                    Kind::Int => {
                        hash.write(&[1]);
                        hash.write(&row.get::<_, i64>(i).to_le_bytes());
                    }
                    Kind::Text => {
                        let text: &str = row.get(i);
                        hash.write(&[3]);
                        hash.write(&(text.len() as u64).to_le_bytes());
                        hash.write(text.as_bytes());
                    }
                }
            }
        }
    }
    tx.commit().await.map_err(pg_error(context))?;
    Ok(Checksum {
        rows,
        hash: hash.value(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_and_sockets_unless_allowed() {
        assert!(check_url(DEFAULT_URL, false).is_ok());
        assert!(check_url("postgres://u@localhost/db", false).is_ok());
        assert!(check_url("postgres://u@[::1]:5432/db", false).is_ok());
        assert!(check_url("host=/var/run/postgresql user=u", false).is_ok());
        let error = check_url("postgres://u@db.example.com/prod", false).unwrap_err();
        assert!(error.contains("db.example.com") && error.contains("--allow-remote-database"));
        assert!(check_url("postgres://u@db.example.com/prod", true).is_ok());
        assert!(check_url("mysql://nope", false).is_err());
    }

    #[test]
    fn the_upsert_counts_created_and_updated_and_skips_equal_rows() {
        let sql = upsert_sql("etl", Feed::Orders);
        assert!(sql.contains("ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id"));
        assert!(sql.contains("IS DISTINCT FROM"));
        assert!(sql.contains("RETURNING (xmax = 0) AS created"));
    }
}
