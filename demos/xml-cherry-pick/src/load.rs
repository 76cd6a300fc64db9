//! The story's "dump to database": picked records upserted into SQLite, row count verified.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};

use crate::error::Error;
use crate::fields::{DOCNUM, FIELDS, Picked, Ty, Value};

/// An open database with the `picked` table and a prepared upsert.
pub struct Loader {
    conn: Connection,
    path: PathBuf,
    upsert_sql: String,
}

impl Loader {
    /// Creates (or reuses) the database at `path`.
    pub fn open(path: &Path) -> Result<Loader, Error> {
        let db = |source| Error::Db {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(path).map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db)?;
        let columns: Vec<String> = FIELDS
            .iter()
            .map(|f| {
                let ty = match (f.ty, f.pick) {
                    (Ty::Int, _) => "INTEGER",
                    _ => "TEXT",
                };
                format!("{} {ty}", f.name)
            })
            .collect();
        conn.execute_batch(&format!(
            "CREATE TABLE IF NOT EXISTS picked (record_key TEXT PRIMARY KEY, {}) STRICT;",
            columns.join(", ")
        ))
        .map_err(db)?;
        let names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        let placeholders: Vec<String> = (1..=FIELDS.len() + 1).map(|i| format!("?{i}")).collect();
        let updates: Vec<String> = names
            .iter()
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        let upsert_sql = format!(
            "INSERT INTO picked (record_key, {}) VALUES ({}) ON CONFLICT(record_key) DO UPDATE SET {}",
            names.join(", "),
            placeholders.join(", "),
            updates.join(", ")
        );
        Ok(Loader {
            conn,
            path: path.to_owned(),
            upsert_sql,
        })
    }

    fn db_error(&self, source: rusqlite::Error) -> Error {
        Error::Db {
            path: self.path.clone(),
            source,
        }
    }

    /// Upserts records in one transaction.
    pub fn upsert<'r>(
        &mut self,
        records: impl IntoIterator<Item = (String, &'r Picked)>,
    ) -> Result<(), Error> {
        let tx = self.conn.transaction().map_err(|e| Error::Db {
            path: self.path.clone(),
            source: e,
        })?;
        {
            let mut stmt = tx.prepare_cached(&self.upsert_sql).map_err(|e| Error::Db {
                path: self.path.clone(),
                source: e,
            })?;
            for (key, picked) in records {
                let row =
                    std::iter::once(SqlValue::Text(key)).chain(picked.0.iter().map(sql_value));
                stmt.execute(params_from_iter(row)).map_err(|e| Error::Db {
                    path: self.path.clone(),
                    source: e,
                })?;
            }
        }
        tx.commit().map_err(|e| self.db_error(e))
    }

    pub fn row_count(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT count(*) FROM picked", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.db_error(e))
    }

    /// Fails unless the table holds exactly `expected` rows.
    pub fn verify(&self, expected: u64) -> Result<u64, Error> {
        let found = self.row_count()?;
        if found != expected {
            return Err(Error::RowCount { expected, found });
        }
        Ok(found)
    }
}

/// The row key: the IDoc number, or the record's place when it has none.
pub fn record_key(picked: &Picked, source: &str, index: usize) -> String {
    match &picked.0[DOCNUM] {
        Value::Int(n) => n.to_string(),
        _ => format!("{source}#{index}"),
    }
}

fn sql_value(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Text(s) => SqlValue::Text(s.to_string()),
        Value::Int(i) => SqlValue::Integer(*i),
        Value::Decimal(d) => SqlValue::Text(d.to_string()),
        Value::Date(d) => SqlValue::Text(d.to_string()),
        Value::Invalid(s) => SqlValue::Text(s.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Collector;

    #[test]
    fn upserts_replace_rows_with_the_same_key_and_the_count_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let mut loader = Loader::open(&dir.path().join("t.db")).unwrap();
        let mut c = Collector::new();
        c.hit(DOCNUM, Some("42".into()));
        let a = c.finish();
        let b = Collector::new().finish();
        loader
            .upsert([
                (record_key(&a, "x", 0), &a),
                (record_key(&a, "x", 1), &a),
                (record_key(&b, "x", 2), &b),
            ])
            .unwrap();
        assert_eq!(loader.verify(2).unwrap(), 2);
        assert!(matches!(
            loader.verify(3),
            Err(Error::RowCount {
                expected: 3,
                found: 2
            })
        ));
    }
}
