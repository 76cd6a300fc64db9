//! Concurrent ETL refresh: a daily refresh of seven dependent feeds into SQLite, run one job
//! after another and as a DAG of concurrent jobs, verified and measured.
//!
//! - [`feed`]: the feeds, their DAG and a deterministic generator of day 1 and day 2;
//! - [`csvline`], [`transform`]: extract and transform one line; malformed lines are rejects;
//! - [`db`]: schema, the single writer (batched upserts), key sets and checksums;
//! - [`refresh`]: one refresh in either mode on tokio;
//! - [`demo`]: the `concurrent-etl` demo: generate, load, compare, verify and report.

pub mod csvline;
pub mod db;
mod demo;
pub mod error;
pub mod feed;
pub mod refresh;
mod report;
pub mod transform;

pub use db::Reject;
pub use demo::{Args, ConcurrentEtl, RunMode};
pub use error::EtlError;
