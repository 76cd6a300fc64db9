//! Errors of the ETL library. A malformed row is not an error: it becomes a [`crate::Reject`].

use std::path::PathBuf;

use thiserror::Error;

use crate::feed::Feed;

#[derive(Debug, Error)]
pub enum EtlError {
    #[error("source file missing: {} (the `{feed}` feed was not delivered)", path.display())]
    MissingSource { feed: Feed, path: PathBuf },
    #[error("reading {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("writing {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: expected the header `{expected}`, found `{found}`", path.display())]
    Header {
        path: PathBuf,
        expected: String,
        found: String,
    },
    #[error("database: {context}: {source}")]
    Db {
        context: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("PostgreSQL: {context}: {message}")]
    Postgres { context: String, message: String },
    #[error(
        "PostgreSQL at {url} did not accept a connection ({message}); if it is the demo's own \
             server, start it with scripts/postgres.sh start"
    )]
    PostgresDown { url: String, message: String },
    #[error("the database writer stopped: {0}")]
    Writer(String),
    #[error("could not start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("job `{feed}` did not finish: {message}")]
    Task { feed: Feed, message: String },
}

impl EtlError {
    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> EtlError {
        let context = context.into();
        move |source| EtlError::Db { context, source }
    }
}
