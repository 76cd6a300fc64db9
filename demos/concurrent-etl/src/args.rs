//! The demo's arguments: what `rehearse demo run concurrent-etl` accepts.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::feed::Feed;

/// Which refresh modes to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunMode {
    Sequential,
    Concurrent,
    /// Sequential, then concurrent on a copy of the same day-1 database, and compare.
    Both,
}

/// Which database the refresh loads into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TargetArg {
    Sqlite,
    Postgres,
    /// SQLite, then PostgreSQL, side by side in one report.
    Both,
}

/// The server `scripts/postgres.sh start` runs.
pub const DEFAULT_DATABASE_URL: &str = "postgres://rehearse@127.0.0.1:5433/rehearse";

/// Arguments after `rehearse demo run concurrent-etl`.
#[derive(Debug, Parser)]
pub struct Args {
    /// Records in the day-2 refresh, over all 24 feeds (day 1 holds 90% of them)
    #[arg(long, default_value_t = 300_000, value_parser = clap::value_parser!(u64).range(1_000..=100_000_000))]
    pub records: u64,
    /// Which refresh to run
    #[arg(long, value_enum, default_value_t = RunMode::Both)]
    pub mode: RunMode,
    /// Modeled wait for the source system to serve each fetched page (the story's jobs waited on
    /// remote systems); 0ms for the purely local case
    #[arg(long, default_value = "40ms", value_parser = parse_duration)]
    pub source_latency: Duration,
    /// Rows per fetched page
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub page_size: u64,
    /// After the run, refresh again at waits from 0 up to --source-latency and chart the speedup
    /// against the wait, with the DAG's and the single writer's bounds
    #[arg(long)]
    pub sweep: bool,
    /// Rows per write transaction
    #[arg(long, default_value_t = 50_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_rows: u64,
    /// Malformed lines mixed into the day-2 feeds (bad number, missing key, broken quoting, unknown reference)
    #[arg(long, default_value_t = 8)]
    pub bad_rows: u64,
    /// Seed of the generated data
    #[arg(long, default_value_t = 6)]
    pub seed: u64,
    /// Delete this day-2 feed before the refresh, to see a job and its dependants fail
    #[arg(long, value_parser = parse_feed)]
    pub drop_feed: Option<Feed>,
    /// Where the refresh loads: SQLite (no server needed), PostgreSQL, or both side by side
    #[arg(long, value_enum, default_value_t = TargetArg::Sqlite)]
    pub target: TargetArg,
    /// The PostgreSQL server for --target postgres|both: scripts/postgres.sh start runs this one
    #[arg(long, default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Connections in the PostgreSQL pool (each running job holds one)
    #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub pool_size: u64,
    /// Allow a --database-url that is not on this machine (the demo drops and creates tables)
    #[arg(long)]
    pub allow_remote_database: bool,
    /// Keep the feeds and databases in this directory instead of a temporary one
    #[arg(long)]
    pub workdir: Option<PathBuf>,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 20ms or 1.5s"))?;
    let seconds = match unit.trim() {
        "" | "ms" => number / 1_000.0,
        "us" | "µs" => number / 1_000_000.0,
        "s" => number,
        other => return Err(format!("unknown unit `{other}`: use us, ms or s")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string())
}

fn parse_feed(name: &str) -> Result<Feed, String> {
    Feed::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Feed::ALL.iter().map(|f| f.name()).collect();
        format!("unknown feed `{name}`: one of {}", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("20ms").unwrap(), Duration::from_millis(20));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("250us").unwrap(), Duration::from_micros(250));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3h").is_err());
    }
}
