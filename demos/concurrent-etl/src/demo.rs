//! The demo: generate two days of feeds, load day 1, refresh day 2 in each mode, verify that
//! the modes agree and that a re-run changes nothing, then report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Parser;
use demo_kit::{DemoError, DemoSpec, Reporter, Summary};

use crate::error::EtlError;
use crate::feed::{Feed, FeedManifest, Generator};
use crate::refresh::{Config, Mode};
use crate::report;
use crate::sweep;
use crate::target;

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

pub struct ConcurrentEtl;

impl DemoSpec for ConcurrentEtl {
    const ID: &'static str = "concurrent-etl";
    const TITLE: &'static str = "Concurrent ETL refresh";
    const DESCRIPTION: &'static str = "A nightly batch of 24 feeds refreshed into SQLite, one job after another and as a DAG of concurrent jobs, with the wait on each source modeled and stated.";
    type Args = Args;

    fn run(&self, args: Args, reporter: &Reporter) -> Result<Summary, DemoError> {
        let (_temp, dir) = match &args.workdir {
            Some(dir) => (None, dir.clone()),
            None => {
                let temp = demo_kit::scratch_dir(Self::ID, reporter)?;
                let dir = temp.path().to_owned();
                (Some(temp), dir)
            }
        };
        run_in(&args, &dir, reporter)
    }
}

fn failed(error: EtlError) -> DemoError {
    DemoError::Failed(error.to_string())
}

/// The refresh of `day` into `db` as the arguments ask.
pub(crate) fn refresh_config(
    args: &Args,
    dir: &Path,
    mode: Mode,
    day: &str,
    db: PathBuf,
    manifests: &[FeedManifest],
) -> Config {
    Config {
        mode,
        feeds: dir.join(day),
        feed_label: day.to_owned(),
        db,
        page_size: args.page_size as usize,
        batch_rows: args.batch_rows as usize,
        source_latency: args.source_latency,
        label: mode.to_string(),
        totals: manifests.iter().map(|m| (m.feed, m.lines)).collect(),
        postgres: None,
    }
}

/// The whole demo in `dir`.
fn run_in(args: &Args, dir: &Path, reporter: &Reporter) -> Result<Summary, DemoError> {
    let modes: Vec<Mode> = match args.mode {
        RunMode::Sequential => vec![Mode::Sequential],
        RunMode::Concurrent => vec![Mode::Concurrent],
        RunMode::Both => vec![Mode::Sequential, Mode::Concurrent],
    };
    let kinds = target::Kind::of(args.target);
    if kinds.contains(&target::Kind::Postgres) {
        // Refuse a remote server before generating anything.
        check_database_url(args)?;
    }
    reporter.info(report::wait_assumption(args.source_latency, args.page_size));

    reporter.phase("generate the feeds");
    let generator = Generator::new(args.records, args.seed, args.bad_rows);
    let clock = Instant::now();
    let day1 = generator.write_day(&dir.join("day1"), 1).map_err(failed)?;
    let day2 = generator.write_day(&dir.join("day2"), 2).map_err(failed)?;
    reporter.info(format!(
        "generated day 1 and day 2 in {} ({} MB of CSV) under {}",
        report::duration(clock.elapsed()),
        (day1.iter().chain(&day2).map(|m| m.bytes).sum::<u64>()) / 1_000_000,
        dir.display()
    ));
    reporter.table(report::feeds_table(&day1, &day2));
    if let Some(feed) = args.drop_feed {
        let path = dir.join("day2").join(feed.file_name());
        std::fs::remove_file(&path)
            .map_err(|e| DemoError::io(format!("remove {}", path.display()), e))?;
        reporter.warn(format!(
            "--drop-feed: removed {}; `{feed}` and its dependants will fail",
            path.display()
        ));
    }

    let mut targets = Vec::new();
    for kind in kinds {
        target::reset_peak_rss();
        let mut run = match kind {
            target::Kind::Sqlite => target::sqlite(args, dir, &day1, &day2, &modes, reporter)?,
            target::Kind::Postgres => target::postgres(args, dir, &day1, &day2, &modes, reporter)?,
        };
        run.peak_rss = target::peak_rss();
        targets.push(run);
    }
    let mut problems: Vec<String> = targets.iter().flat_map(|t| t.problems.clone()).collect();
    let across = match targets.as_slice() {
        [a, b] => {
            let same = a.checksums.last() == b.checksums.last();
            if !same {
                problems.push("SQLite and PostgreSQL left different table contents".into());
            }
            Some(same)
        }
        _ => None,
    };

    reporter.phase("report");
    let primary = &targets[0];
    let mut summary = report::summarise(&report::Inputs {
        args,
        target: primary.kind,
        runs: &primary.runs,
        day1: &primary.day1,
        verified: problems.is_empty(),
        identical: primary.identical(),
        rerun_changed: primary.rerun_changed,
    });
    if let [_, second] = targets.as_slice() {
        report::add_second_target(&mut summary, args, second, across == Some(true));
        summary.tables.push(report::targets_table(&targets));
    }
    for table in &summary.tables {
        reporter.table(table.clone());
    }
    for metric in &summary.summary.metrics {
        reporter.metric(metric.clone());
    }
    let mut failed_jobs: Vec<String> = targets
        .iter()
        .flat_map(|t| t.failed_jobs())
        .map(|f| f.to_string())
        .collect();
    if !failed_jobs.is_empty() {
        failed_jobs.sort();
        failed_jobs.dedup();
        return Err(DemoError::failed(format!(
            "the refresh did not complete: {} did not load (see the errors above); the other jobs finished",
            failed_jobs.join(", ")
        )));
    }
    if !problems.is_empty() {
        return Err(DemoError::failed(format!(
            "verification failed: {}",
            problems.join("; ")
        )));
    }
    if args.sweep {
        match targets.iter().find_map(|t| t.pristine.as_ref()) {
            Some(pristine) => {
                let points = sweep::run(args, dir, &day2, pristine, reporter)?;
                summary.summary.notes.extend(sweep::note(&points));
            }
            None => reporter.warn("--sweep runs on SQLite: add --target sqlite or both"),
        }
    }
    Ok(summary.summary)
}

fn check_database_url(args: &Args) -> Result<(), DemoError> {
    #[cfg(feature = "postgres")]
    crate::pg::check_url(&args.database_url, args.allow_remote_database)
        .map_err(DemoError::Usage)?;
    #[cfg(not(feature = "postgres"))]
    let _ = args;
    Ok(())
}

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

pub(crate) fn copy_db(from: &Path, to: &Path) -> Result<(), DemoError> {
    // The writer's connection is closed, so the WAL has been checkpointed into the main file.
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| DemoError::io(format!("copy {} to {}", from.display(), to.display()), e))
}

/// Expected outcome per feed, from the generator.
pub(crate) fn manifest_by_feed(day: &[FeedManifest]) -> HashMap<Feed, &FeedManifest> {
    day.iter().map(|m| (m.feed, m)).collect()
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
