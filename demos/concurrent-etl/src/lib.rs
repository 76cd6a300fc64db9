//! Concurrent ETL refresh: a nightly batch of 24 feeds (most independent, one dependent chain)
//! refreshed into SQLite, one job after another and as a DAG of concurrent jobs, verified and
//! measured, with the wait on each source system modeled and stated.
//!
//! - [`feed`]: the feeds, their columns, sizes and DAG;
//! - [`generate`]: a deterministic generator of day 1 and day 2;
//! - [`csvline`], [`transform`]: extract and transform one line; malformed lines are rejects;
//! - [`db`]: schema, the single writer (batched upserts), key sets and checksums;
//! - [`refresh`]: one refresh in either mode on tokio;
//! - `pg` (feature `postgres`): the PostgreSQL target, a pool, one streamed COPY and one MERGE
//!   per job;
//! - `demo`: the `concurrent-etl` demo's entry point: generate, load, compare, verify and
//!   report; `args` are its arguments, `target` runs one database's part, `outcome` is what
//!   that part did, `report` and `tables` word it (`format` writes the numbers), `sweep`
//!   repeats the refresh over a range of modeled waits.

mod args;
pub mod csvline;
pub mod db;
mod demo;
pub mod error;
pub mod feed;
mod format;
pub mod generate;
mod outcome;
#[cfg(feature = "postgres")]
pub mod pg;
pub mod refresh;
mod report;
mod source;
mod sweep;
mod tables;
mod target;
pub mod transform;

pub use args::{Args, DEFAULT_DATABASE_URL, RunMode, TargetArg};
pub use db::Reject;
pub use demo::ConcurrentEtl;
pub use error::EtlError;
