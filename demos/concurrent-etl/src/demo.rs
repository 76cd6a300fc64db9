//! The demo: generate two days of feeds, load day 1, refresh day 2 in each mode, verify that
//! the modes agree and that a re-run changes nothing, then report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Parser;
use demo_kit::{Demo, DemoError, DemoInfo, ParamInfo, Reporter, Summary, parse_args};

use crate::db::{self, Checksum};
use crate::error::EtlError;
use crate::feed::{Feed, FeedManifest, Generator};
use crate::refresh::{self, Config, Mode, Outcome, RefreshReport};
use crate::report;

/// Which refresh modes to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunMode {
    Sequential,
    Concurrent,
    /// Sequential, then concurrent on a copy of the same day-1 database, and compare.
    Both,
}

/// Arguments after `rehearse demo run concurrent-etl`.
#[derive(Debug, Parser)]
pub struct Args {
    /// Records in the day-2 refresh, over all seven feeds (day 1 holds 90% of them)
    #[arg(long, default_value_t = 300_000, value_parser = clap::value_parser!(u64).range(1_000..=100_000_000))]
    pub records: u64,
    /// Which refresh to run
    #[arg(long, value_enum, default_value_t = RunMode::Both)]
    pub mode: RunMode,
    /// Simulated wait per fetched page from the source system, e.g. 20ms (0 = off)
    #[arg(long, default_value = "0ms", value_parser = parse_duration)]
    pub source_latency: Duration,
    /// Rows per fetched page
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub page_size: u64,
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

impl Demo for ConcurrentEtl {
    fn info(&self) -> DemoInfo {
        DemoInfo {
            id: "concurrent-etl",
            title: "Concurrent ETL refresh",
            description: "A daily refresh of dependent feeds into SQLite, run one job after another and as a DAG of concurrent jobs.",
            params: ParamInfo::of::<Args>(),
        }
    }

    fn check_args(&self, args: &[String]) -> Result<(), DemoError> {
        parse_args::<Args>("concurrent-etl", args).map(drop)
    }

    fn run(&self, args: &[String], reporter: &Reporter) -> Result<Summary, DemoError> {
        let args: Args = parse_args("concurrent-etl", args)?;
        let (_temp, dir) = match &args.workdir {
            Some(dir) => (None, dir.clone()),
            None => {
                let temp = demo_kit::scratch_dir("concurrent-etl", reporter)?;
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

/// The whole demo in `dir`.
fn run_in(args: &Args, dir: &Path, reporter: &Reporter) -> Result<Summary, DemoError> {
    let modes: Vec<Mode> = match args.mode {
        RunMode::Sequential => vec![Mode::Sequential],
        RunMode::Concurrent => vec![Mode::Concurrent],
        RunMode::Both => vec![Mode::Sequential, Mode::Concurrent],
    };
    if args.source_latency.is_zero() {
        reporter.info("source latency: off (feeds are read as fast as the disk serves them)");
    } else {
        reporter.warn(format!(
            "source latency: ON, {} per page of {} rows, simulated with a sleep before each page",
            report::duration(args.source_latency),
            args.page_size
        ));
    }

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

    let config = |mode: Mode, day: &str, db: PathBuf, label: String, m: &[FeedManifest]| Config {
        mode,
        feeds: dir.join(day),
        feed_label: day.to_owned(),
        db,
        page_size: args.page_size as usize,
        batch_rows: args.batch_rows as usize,
        source_latency: args.source_latency,
        label,
        totals: m.iter().map(|m| (m.feed, m.lines)).collect(),
    };
    let db_path = |mode: Mode| dir.join(format!("{mode}.db"));
    for mode in &modes {
        remove_db(&db_path(*mode))?;
    }

    reporter.phase("day 1: initial load");
    let first = db_path(modes[0]);
    let day1_config = config(
        Mode::Concurrent,
        "day1",
        first.clone(),
        "day 1".into(),
        &day1,
    );
    // The initial load runs without simulated latency: it is set-up, not the measured refresh.
    let day1_config = Config {
        source_latency: Duration::ZERO,
        ..day1_config
    };
    let day1_report = refresh::run(&day1_config, reporter).map_err(failed)?;
    report_failures(&day1_report, reporter);
    if !day1_report.all_loaded() {
        return Err(DemoError::failed(
            "the day-1 load failed; see the errors above",
        ));
    }
    reporter.info(format!(
        "day 1: {} records created in {}",
        report::count(day1_report.stats().created),
        report::duration(day1_report.wall)
    ));
    for mode in &modes[1..] {
        copy_db(&first, &db_path(*mode))?;
    }

    let mut runs: Vec<RefreshReport> = Vec::new();
    for mode in &modes {
        reporter.phase(format!("day 2 refresh: {mode}"));
        let run = refresh::run(
            &config(*mode, "day2", db_path(*mode), mode.to_string(), &day2),
            reporter,
        )
        .map_err(failed)?;
        report_failures(&run, reporter);
        reporter.info(format!(
            "{mode}: {} lines in {} ({} rows/s)",
            report::count(run.lines()),
            report::duration(run.wall),
            report::count(report::per_second(run.lines(), run.wall) as u64)
        ));
        reporter.table(report::jobs_table(&run));
        runs.push(run);
    }
    reporter.chart(
        "Jobs over time (day-2 refresh; each mode from its own start)",
        report::gantt(&runs),
    );

    reporter.phase("verify");
    let mut problems: Vec<String> = Vec::new();
    for run in &runs {
        problems.extend(report::count_mismatches(run, &day2));
    }
    let checksums = checksums(&modes.iter().map(|m| db_path(*m)).collect::<Vec<_>>())?;
    reporter.table(report::checksum_table(&modes, &checksums));
    if let [a, b] = checksums.as_slice()
        && a != b
    {
        problems.push("the two modes left different table contents".into());
    }
    let last = *modes.last().unwrap_or(&Mode::Concurrent);
    let rerun = refresh::run(
        &config(last, "day2", db_path(last), "re-run".into(), &day2),
        reporter,
    )
    .map_err(failed)?;
    let rerun_changed = rerun.stats().changed();
    reporter.info(format!(
        "re-running the same day-2 refresh ({last}) changed {rerun_changed} rows in {}",
        report::duration(rerun.wall)
    ));
    if rerun_changed != 0 {
        problems.push(format!(
            "re-running the refresh changed {rerun_changed} rows"
        ));
    }
    for problem in &problems {
        reporter.error(problem.clone());
    }

    reporter.phase("report");
    let summary = report::summarise(&report::Inputs {
        args,
        runs: &runs,
        day1: &day1_report,
        verified: problems.is_empty(),
        identical: checksums.len() == 2 && checksums[0] == checksums[1],
        rerun_changed,
    });
    for table in &summary.tables {
        reporter.table(table.clone());
    }
    for metric in &summary.summary.metrics {
        reporter.metric(metric.clone());
    }
    let failed_jobs: Vec<String> = runs
        .iter()
        .flat_map(|r| &r.jobs)
        .filter(|j| !matches!(j.outcome, Outcome::Loaded(_)))
        .map(|j| j.feed.to_string())
        .collect();
    if !failed_jobs.is_empty() {
        let mut unique = failed_jobs;
        unique.sort();
        unique.dedup();
        return Err(DemoError::failed(format!(
            "the refresh did not complete: {} did not load (see the errors above); the other jobs finished",
            unique.join(", ")
        )));
    }
    if !problems.is_empty() {
        return Err(DemoError::failed(format!(
            "verification failed: {}",
            problems.join("; ")
        )));
    }
    Ok(summary.summary)
}

fn report_failures(run: &RefreshReport, reporter: &Reporter) {
    for job in &run.jobs {
        match &job.outcome {
            Outcome::Loaded(_) => {}
            Outcome::Failed(e) => {
                reporter.error(format!("{} job `{}` failed: {e}", run.mode, job.feed));
            }
            Outcome::Skipped { because } => reporter.warn(format!(
                "{} job `{}` skipped: its dependency `{because}` did not load",
                run.mode, job.feed
            )),
        }
    }
}

fn remove_db(path: &Path) -> Result<(), DemoError> {
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

fn copy_db(from: &Path, to: &Path) -> Result<(), DemoError> {
    // The writer's connection is closed, so the WAL has been checkpointed into the main file.
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| DemoError::io(format!("copy {} to {}", from.display(), to.display()), e))
}

/// Every table's checksum in each database, one database per thread.
fn checksums(dbs: &[PathBuf]) -> Result<Vec<Vec<(String, Checksum)>>, DemoError> {
    let tables: Vec<String> = Feed::ALL
        .iter()
        .map(|f| f.name().to_owned())
        .chain(["rejects".to_owned()])
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = dbs
            .iter()
            .map(|path| {
                let tables = &tables;
                scope.spawn(move || -> Result<Vec<(String, Checksum)>, EtlError> {
                    let conn = db::open_read_only(path)?;
                    tables
                        .iter()
                        .map(|t| Ok((t.clone(), db::checksum(&conn, t)?)))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| DemoError::failed("a checksum thread panicked"))?
                    .map_err(failed)
            })
            .collect()
    })
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
