//! Concurrent ETL refresh: a nightly batch of 24 feeds (most independent, one dependent chain)
//! refreshed into SQLite, one job after another and as a DAG of concurrent jobs, verified and
//! measured, with the wait on each source system modeled and stated.
//!
//! - [`feed`]: the feeds, their columns, sizes and DAG;
//! - [`generate`]: a deterministic generator of day 1 and day 2;
//! - [`csvline`], [`transform`]: extract and transform one line; malformed lines are rejects;
//! - [`db`]: schema, the single writer (batched upserts), key sets and checksums;
//! - [`refresh`]: one refresh in either mode on tokio;
//! - `pg` (feature `postgres`): the PostgreSQL target, a pool and COPY + upsert per page;
//! - [`demo`]: the `concurrent-etl` demo: generate, load, compare, verify and report;
//!   `report` words it, `sweep` repeats the refresh over a range of modeled waits.

pub mod csvline;
pub mod db;
mod demo;
pub mod error;
pub mod feed;
pub mod generate;
#[cfg(feature = "postgres")]
pub mod pg;
pub mod refresh;
mod report;
mod source;
mod sweep;
mod tables;
mod target;
pub mod transform;

pub use db::Reject;
pub use demo::{Args, ConcurrentEtl, DEFAULT_DATABASE_URL, RunMode, TargetArg};
pub use error::EtlError;
