//! One target's part of the demo: load day 1, refresh day 2 in each mode on a copy of the same
//! day-1 state, checksum the tables, re-run the refresh. SQLite (a file per mode, one writer) or
//! PostgreSQL (a schema per mode, a pool of connections).

use std::path::{Path, PathBuf};
use std::time::Duration;

use demo_kit::{DemoError, Reporter};

use crate::args::Args;
use crate::db::{self, Checksum, copy_db, remove_db};
use crate::error::EtlError;
use crate::feed::Feed;
use crate::format;
use crate::generate::FeedManifest;
use crate::outcome::{Kind, TargetRun};
use crate::refresh::{self, Config, Mode, Outcome, RefreshReport};
use crate::tables;

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

pub fn failed(error: EtlError) -> DemoError {
    DemoError::Failed(error.to_string())
}

/// Resets the process's peak RSS so the next reading covers what follows (Linux: clear_refs 5).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory in bytes (VmHWM), where the OS says.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Every mode's day-2 refresh after one day-1 load, then the checks, on SQLite files in `dir`.
pub fn sqlite(
    args: &Args,
    dir: &Path,
    day1: &[FeedManifest],
    day2: &[FeedManifest],
    modes: &[Mode],
    reporter: &Reporter,
) -> Result<TargetRun, DemoError> {
    let db_path = |mode: Mode| dir.join(format!("{mode}.db"));
    let config = |mode: Mode, day: &str, label: String, m: &[FeedManifest]| Config {
        label,
        ..refresh_config(args, dir, mode, day, db_path(mode), m)
    };
    for mode in modes {
        remove_db(&db_path(*mode))?;
    }
    reporter.phase("day 1: initial load");
    // The initial load runs without the modeled wait: it is set-up, not the measured refresh.
    let day1_report = refresh::run(
        &Config {
            source_latency: Duration::ZERO,
            ..config(modes[0], "day1", "day 1".into(), day1)
        },
        reporter,
    )
    .map_err(failed)?;
    check_day1(&day1_report, reporter)?;
    let first = db_path(modes[0]);
    for mode in &modes[1..] {
        copy_db(&first, &db_path(*mode))?;
    }
    let pristine = args.sweep.then(|| dir.join("day1.db"));
    if let Some(pristine) = &pristine {
        remove_db(pristine)?;
        copy_db(&first, pristine)?;
    }
    let mut runs = Vec::new();
    for mode in modes {
        reporter.phase(format!("day 2 refresh: {mode}"));
        let run = refresh::run(&config(*mode, "day2", mode.to_string(), day2), reporter)
            .map_err(failed)?;
        runs.push(announce(run, reporter));
    }
    reporter.phase("verify");
    let checksums = sqlite_checksums(&modes.iter().map(|m| db_path(*m)).collect::<Vec<_>>())?;
    let last = *modes.last().unwrap_or(&Mode::Concurrent);
    let rerun =
        refresh::run(&config(last, "day2", "re-run".into(), day2), reporter).map_err(failed)?;
    Ok(finish(
        Kind::Sqlite,
        day1_report,
        runs,
        modes,
        checksums,
        &rerun,
        day2,
        pristine,
        reporter,
    ))
}

fn check_day1(day1: &RefreshReport, reporter: &Reporter) -> Result<(), DemoError> {
    report_failures(day1, reporter);
    if !day1.all_loaded() {
        return Err(DemoError::failed(
            "the day-1 load failed; see the errors above",
        ));
    }
    reporter.info(format!(
        "day 1: {} records created in {}",
        format::count(day1.stats().created),
        format::duration(day1.wall)
    ));
    Ok(())
}

fn announce(run: RefreshReport, reporter: &Reporter) -> RefreshReport {
    report_failures(&run, reporter);
    reporter.info(format!(
        "{}: {} lines in {} ({} rows/s)",
        run.mode,
        format::count(run.lines()),
        format::duration(run.wall),
        format::count(format::per_second(run.lines(), run.wall) as u64)
    ));
    reporter.table(tables::jobs_table(&run));
    run
}

/// The checks after the refreshes: expected counts, equal tables, a re-run that changes nothing.
#[allow(clippy::too_many_arguments)]
fn finish(
    kind: Kind,
    day1: RefreshReport,
    runs: Vec<RefreshReport>,
    modes: &[Mode],
    checksums: Vec<Vec<(String, Checksum)>>,
    rerun: &RefreshReport,
    day2: &[FeedManifest],
    pristine: Option<PathBuf>,
    reporter: &Reporter,
) -> TargetRun {
    reporter.chart(
        format!(
            "Jobs over time, {} (day-2 refresh; each mode from its own start)",
            kind.name()
        ),
        tables::gantt(&runs),
    );
    let mut problems: Vec<String> = Vec::new();
    for run in &runs {
        problems.extend(tables::count_mismatches(run, day2));
    }
    let mut table = tables::checksum_table(modes, &checksums);
    table.title = format!("{}, {}", table.title, kind.name());
    reporter.table(table);
    if let [a, b] = checksums.as_slice()
        && a != b
    {
        problems.push(format!(
            "{}: the two modes left different table contents",
            kind.name()
        ));
    }
    let rerun_changed = rerun.stats().changed();
    reporter.info(format!(
        "{}: re-running the same day-2 refresh ({}) changed {rerun_changed} rows in {}",
        kind.name(),
        rerun.mode,
        format::duration(rerun.wall)
    ));
    if rerun_changed != 0 {
        problems.push(format!(
            "{}: re-running the refresh changed {rerun_changed} rows",
            kind.name()
        ));
    }
    for problem in &problems {
        reporter.error(problem.clone());
    }
    TargetRun {
        kind,
        day1,
        runs,
        checksums,
        rerun_changed,
        problems,
        peak_rss: None,
        pristine,
    }
}

pub fn report_failures(run: &RefreshReport, reporter: &Reporter) {
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

/// The tables each target holds, in checksum order.
pub fn tables() -> Vec<String> {
    Feed::ALL
        .iter()
        .map(|f| f.name().to_owned())
        .chain(["rejects".to_owned()])
        .collect()
}

/// Every table's checksum in each database, one database per thread.
fn sqlite_checksums(dbs: &[PathBuf]) -> Result<Vec<Vec<(String, Checksum)>>, DemoError> {
    let tables = tables();
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

/// The same on PostgreSQL: a schema per mode, a pool of connections, one runtime for all.
#[cfg(feature = "postgres")]
pub fn postgres(
    args: &Args,
    dir: &Path,
    day1: &[FeedManifest],
    day2: &[FeedManifest],
    modes: &[Mode],
    reporter: &Reporter,
) -> Result<TargetRun, DemoError> {
    use crate::pg;
    use crate::refresh::PgTarget;

    let url = &args.database_url;
    let config = pg::check_url(url, args.allow_remote_database).map_err(DemoError::Usage)?;
    let (runtime, pool) = connect_pool(args, &config, reporter)?;
    let schema = |mode: Mode| format!("etl_{mode}");
    let target = |mode: Mode| PgTarget {
        pool: pool.clone(),
        runtime: runtime.handle().clone(),
        schema: schema(mode),
    };
    let config = |mode: Mode, day: &str, label: String, m: &[FeedManifest]| Config {
        label,
        postgres: Some(target(mode)),
        ..refresh_config(args, dir, mode, day, PathBuf::new(), m)
    };
    let first = modes[0];
    runtime
        .block_on(async {
            let client = pool.get().await;
            pg::create_schema(&client, &schema(first)).await
        })
        .map_err(failed)?;
    reporter.phase("day 1: initial load (PostgreSQL)");
    let day1_report = refresh::run(
        &Config {
            source_latency: Duration::ZERO,
            ..config(first, "day1", "day 1 (PostgreSQL)".into(), day1)
        },
        reporter,
    )
    .map_err(failed)?;
    check_day1(&day1_report, reporter)?;
    runtime
        .block_on(async {
            let client = pool.get().await;
            for mode in &modes[1..] {
                pg::copy_schema(&client, &schema(first), &schema(*mode)).await?;
            }
            Ok::<_, EtlError>(())
        })
        .map_err(failed)?;
    let mut runs = Vec::new();
    for mode in modes {
        reporter.phase(format!("day 2 refresh: {mode} (PostgreSQL)"));
        let run = refresh::run(
            &config(*mode, "day2", format!("{mode} (PostgreSQL)"), day2),
            reporter,
        )
        .map_err(failed)?;
        runs.push(announce(run, reporter));
    }
    reporter.phase("verify (PostgreSQL)");
    let schemas: Vec<String> = modes.iter().map(|m| schema(*m)).collect();
    let checksums = runtime
        .block_on(postgres_checksums(
            url,
            args.allow_remote_database,
            &schemas,
        ))
        .map_err(failed)?;
    let last = *modes.last().unwrap_or(&Mode::Concurrent);
    let rerun = refresh::run(
        &config(last, "day2", "re-run (PostgreSQL)".into(), day2),
        reporter,
    )
    .map_err(failed)?;
    Ok(finish(
        Kind::Postgres,
        day1_report,
        runs,
        modes,
        checksums,
        &rerun,
        day2,
        None,
        reporter,
    ))
}

/// The runtime the pool's connections run on, and the pool.
#[cfg(feature = "postgres")]
fn connect_pool(
    args: &Args,
    config: &tokio_postgres::Config,
    reporter: &Reporter,
) -> Result<(tokio::runtime::Runtime, std::sync::Arc<crate::pg::Pool>), DemoError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| DemoError::io("starting the async runtime", e))?;
    reporter.phase("connect to PostgreSQL");
    let pool = runtime
        .block_on(crate::pg::Pool::connect(
            config,
            &args.database_url,
            args.pool_size as usize,
        ))
        .map_err(|e| DemoError::Unavailable(e.to_string()))?;
    reporter.info(format!(
        "PostgreSQL at {} answers; {} connections in the pool",
        pool.url(),
        args.pool_size
    ));
    Ok((runtime, pool))
}

/// Every table's checksum in each schema, through a connection of its own.
#[cfg(feature = "postgres")]
async fn postgres_checksums(
    url: &str,
    allow_remote: bool,
    schemas: &[String],
) -> Result<Vec<Vec<(String, Checksum)>>, EtlError> {
    let tables = tables();
    let (mut client, task) = config_connect(url, allow_remote).await?;
    let mut all = Vec::new();
    for schema in schemas {
        let mut sums = Vec::new();
        for t in &tables {
            sums.push((
                t.clone(),
                crate::pg::checksum(&mut client, schema, t).await?,
            ));
        }
        all.push(sums);
    }
    drop(client);
    let _ = task.await;
    Ok(all)
}

#[cfg(feature = "postgres")]
async fn config_connect(
    url: &str,
    allow_remote: bool,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), EtlError> {
    let config = crate::pg::check_url(url, allow_remote).map_err(EtlError::Writer)?;
    let (client, connection) =
        config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(|e| EtlError::PostgresDown {
                url: url.to_owned(),
                message: e.to_string(),
            })?;
    let task = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok((client, task))
}

#[cfg(not(feature = "postgres"))]
pub fn postgres(
    _args: &Args,
    _dir: &Path,
    _day1: &[FeedManifest],
    _day2: &[FeedManifest],
    _modes: &[Mode],
    _reporter: &Reporter,
) -> Result<TargetRun, DemoError> {
    Err(DemoError::Unavailable(
        "this build has no PostgreSQL target: rebuild with `--features etl-postgres` (on by \
         default)"
            .into(),
    ))
}
