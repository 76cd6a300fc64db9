//! The demo's entry point: generate two days of feeds, load day 1, refresh day 2 in each mode
//! on each target, verify that the modes agree and that a re-run changes nothing, then report.

use std::path::Path;
use std::time::Instant;

use demo_kit::{DemoError, DemoSpec, Reporter, Summary};

use crate::args::{Args, RunMode};
use crate::error::EtlError;
use crate::format;
use crate::generate::{FeedManifest, Generator};
use crate::outcome;
use crate::refresh::Mode;
use crate::report;
use crate::sweep;
use crate::tables;
use crate::target;

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

/// The whole demo in `dir`.
fn run_in(args: &Args, dir: &Path, reporter: &Reporter) -> Result<Summary, DemoError> {
    let modes: Vec<Mode> = match args.mode {
        RunMode::Sequential => vec![Mode::Sequential],
        RunMode::Concurrent => vec![Mode::Concurrent],
        RunMode::Both => vec![Mode::Sequential, Mode::Concurrent],
    };
    let kinds = outcome::Kind::of(args.target);
    if kinds.contains(&outcome::Kind::Postgres) {
        // Refuse a remote server before generating anything.
        check_database_url(args)?;
    }
    reporter.info(report::wait_assumption(args.source_latency, args.page_size));

    let (day1, day2) = generate_feeds(args, dir, reporter)?;

    let mut targets = Vec::new();
    for kind in kinds {
        target::reset_peak_rss();
        let mut run = match kind {
            outcome::Kind::Sqlite => target::sqlite(args, dir, &day1, &day2, &modes, reporter)?,
            outcome::Kind::Postgres => target::postgres(args, dir, &day1, &day2, &modes, reporter)?,
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
        summary.tables.push(tables::targets_table(&targets));
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

/// Day 1 and day 2 of every feed in `dir`, less the feed `--drop-feed` names.
fn generate_feeds(
    args: &Args,
    dir: &Path,
    reporter: &Reporter,
) -> Result<(Vec<FeedManifest>, Vec<FeedManifest>), DemoError> {
    reporter.phase("generate the feeds");
    let generator = Generator::new(args.records, args.seed, args.bad_rows);
    let clock = Instant::now();
    let day1 = generator.write_day(&dir.join("day1"), 1).map_err(failed)?;
    let day2 = generator.write_day(&dir.join("day2"), 2).map_err(failed)?;
    reporter.info(format!(
        "generated day 1 and day 2 in {} ({} MB of CSV) under {}",
        format::duration(clock.elapsed()),
        (day1.iter().chain(&day2).map(|m| m.bytes).sum::<u64>()) / 1_000_000,
        dir.display()
    ));
    reporter.table(tables::feeds_table(&day1, &day2));
    if let Some(feed) = args.drop_feed {
        let path = dir.join("day2").join(feed.file_name());
        std::fs::remove_file(&path)
            .map_err(|e| DemoError::io(format!("remove {}", path.display()), e))?;
        reporter.warn(format!(
            "--drop-feed: removed {}; `{feed}` and its dependants will fail",
            path.display()
        ));
    }
    Ok((day1, day2))
}

fn check_database_url(args: &Args) -> Result<(), DemoError> {
    #[cfg(feature = "postgres")]
    crate::pg::check_url(&args.database_url, args.allow_remote_database)
        .map_err(DemoError::Usage)?;
    #[cfg(not(feature = "postgres"))]
    let _ = args;
    Ok(())
}
