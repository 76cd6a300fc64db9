//! Errors: why a record could not be picked, and failures of the demo's own steps.

use std::path::PathBuf;

use thiserror::Error;

/// Why one record was rejected. Offsets are byte offsets into the record.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PickError {
    #[error("not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 { offset: usize },
    #[error("declares encoding {declared:?}, but only UTF-8 records are supported")]
    Encoding { declared: String },
    #[error("malformed XML at byte {offset}: {reason}")]
    Malformed { offset: usize, reason: String },
    #[error("truncated: the document ends with {open} element(s) still open")]
    Truncated { open: usize },
    #[error("no root element")]
    NoRoot,
}

impl PickError {
    pub fn malformed(offset: usize, reason: impl Into<String>) -> Self {
        Self::Malformed {
            offset,
            reason: reason.into(),
        }
    }
}

/// A rejected record: which one, where it came from, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("record {index} ({source_name}): {error}")]
pub struct RecordError {
    pub index: usize,
    pub source_name: String,
    #[source]
    pub error: PickError,
}

/// Failures of the demo's steps other than picking one record.
#[derive(Debug, Error)]
pub enum Error {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: no .xml files found")]
    NoInput { path: PathBuf },
    #[error("database {path}: {source}")]
    Db {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("load check failed: {expected} distinct records picked but {found} rows in the table")]
    RowCount { expected: u64, found: u64 },
    #[error("python comparison: {0}")]
    Python(String),
}
