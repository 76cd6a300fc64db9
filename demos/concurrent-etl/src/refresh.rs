//! One refresh: every feed's job, scheduled one after another or as a DAG on tokio, all
//! loading through the single SQLite writer, or each through its own PostgreSQL connection.
//!
//! Both modes run the same job code; the only difference is how many jobs may run at once
//! (one, or every job whose dependencies have finished).

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OnceCell, Semaphore, mpsc, oneshot};
use tokio::task::JoinSet;

use crate::db::{self, LoadStats, Msg};
use crate::error::EtlError;
use crate::feed::Feed;
use crate::source::{Page, Source};
use crate::transform::{KeySet, References};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// One job after another, in dependency order: how it was before.
    Sequential,
    /// Every job starts the moment its dependencies finish.
    Concurrent,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Sequential => "sequential",
            Mode::Concurrent => "concurrent",
        })
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    /// Where the feed files are (`dir/customers.csv` ...).
    pub feeds: PathBuf,
    /// How rejects name a file: `day2` gives `day2/orders.csv`.
    pub feed_label: String,
    pub db: PathBuf,
    /// Rows per fetched page.
    pub page_size: usize,
    /// Rows per write transaction.
    pub batch_rows: usize,
    /// Simulated wait for each page from the source system; zero is off.
    pub source_latency: Duration,
    /// Prefix of the progress bars (`sequential`, `day 1`).
    pub label: String,
    /// Expected data lines per feed, for progress totals.
    pub totals: HashMap<Feed, u64>,
    /// Load into this PostgreSQL schema instead of the SQLite file `db`.
    pub postgres: Option<PgTarget>,
}

/// A PostgreSQL schema to refresh, the pool its jobs take connections from, and the runtime
/// the pool's connections run on (the refresh runs there too).
#[derive(Clone)]
pub struct PgTarget {
    #[cfg(feature = "postgres")]
    pub pool: Arc<crate::pg::Pool>,
    #[cfg(feature = "postgres")]
    pub runtime: tokio::runtime::Handle,
    pub schema: String,
}

impl fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgTarget({})", self.schema)
    }
}

/// Where the jobs' rows go.
#[derive(Clone)]
enum Output {
    /// Pages to the single SQLite writer thread.
    Writer(mpsc::Sender<Msg>),
    /// Each job through its own pooled connection.
    #[cfg(feature = "postgres")]
    Postgres(PgTarget),
}

#[derive(Debug)]
pub enum Outcome {
    Loaded(LoadStats),
    Failed(EtlError),
    Skipped { because: Feed },
}

#[derive(Debug)]
pub struct JobReport {
    pub feed: Feed,
    /// Since the start of the refresh.
    pub start: Duration,
    pub end: Duration,
    /// Data lines read from the feed (records and rejects).
    pub lines: u64,
    pub outcome: Outcome,
}

impl JobReport {
    pub fn duration(&self) -> Duration {
        self.end.saturating_sub(self.start)
    }
}

#[derive(Debug)]
pub struct RefreshReport {
    pub mode: Mode,
    pub wall: Duration,
    /// Time the writer spent loading (not waiting for work).
    pub writer_busy: Duration,
    /// CPU time of the writer thread, where the OS reports it.
    pub writer_cpu: Option<Duration>,
    /// Time the writer waited for a core while other work (ours or not) ran.
    pub writer_run_queue: Option<Duration>,
    /// In [`Feed::ALL`] order.
    pub jobs: Vec<JobReport>,
}

impl RefreshReport {
    pub fn job(&self, feed: Feed) -> Option<&JobReport> {
        self.jobs.iter().find(|j| j.feed == feed)
    }

    pub fn lines(&self) -> u64 {
        self.jobs.iter().map(|j| j.lines).sum()
    }

    pub fn stats(&self) -> LoadStats {
        let mut total = LoadStats::default();
        for job in &self.jobs {
            if let Outcome::Loaded(s) = &job.outcome {
                total.created += s.created;
                total.updated += s.updated;
                total.unchanged += s.unchanged;
                total.rejected += s.rejected;
            }
        }
        total
    }

    pub fn all_loaded(&self) -> bool {
        self.jobs
            .iter()
            .all(|j| matches!(j.outcome, Outcome::Loaded(_)))
    }
}

/// Runs one refresh into `config.db` (created if needed). A job that fails takes its
/// dependants with it; the others finish. Only a broken database or runtime is an `Err`.
pub fn run(config: &Config, reporter: &demo_kit::Reporter) -> Result<RefreshReport, EtlError> {
    if let Some(target) = &config.postgres {
        return run_postgres(config, target, reporter);
    }
    let conn = db::open(&config.db)?;
    db::create_schema(&conn)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .map_err(EtlError::Runtime)?;
    // Room for a few pages per job: enough to keep the writer fed, bounded to stream.
    let (tx, rx) = mpsc::channel::<Msg>(16);
    let progress = db::Progress {
        reporter: reporter.clone(),
        label: config.label.clone(),
        totals: config.totals.clone(),
    };
    let batch_rows = config.batch_rows;
    let started = Instant::now();
    let writer = std::thread::spawn(move || db::writer(conn, rx, batch_rows, progress));
    // Parsing gets the cores the writer does not use, however many jobs are running: a writer
    // starved of CPU by parsers would slow every job down.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let shared = Shared::new(cores.saturating_sub(1).max(1), reporter);
    let jobs = runtime.block_on(schedule(
        Arc::new(config.clone()),
        shared,
        Output::Writer(tx),
        started,
    ));
    let writer_time = writer
        .join()
        .map_err(|_| EtlError::Writer("the writer thread panicked".into()))??;
    let wall = started.elapsed();
    Ok(RefreshReport {
        mode: config.mode,
        wall,
        writer_busy: writer_time.busy,
        writer_cpu: writer_time.cpu,
        writer_run_queue: writer_time.run_queue,
        jobs,
    })
}

#[cfg(feature = "postgres")]
fn run_postgres(
    config: &Config,
    target: &PgTarget,
    reporter: &demo_kit::Reporter,
) -> Result<RefreshReport, EtlError> {
    let started = Instant::now();
    // The server does the writing on its own processes: parsing may use every core here.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let shared = Shared::new(cores, reporter);
    let jobs = target.runtime.block_on(schedule(
        Arc::new(config.clone()),
        shared,
        Output::Postgres(target.clone()),
        started,
    ));
    Ok(RefreshReport {
        mode: config.mode,
        wall: started.elapsed(),
        writer_busy: Duration::ZERO,
        writer_cpu: None,
        writer_run_queue: None,
        jobs,
    })
}

#[cfg(not(feature = "postgres"))]
fn run_postgres(
    _config: &Config,
    _target: &PgTarget,
    _reporter: &demo_kit::Reporter,
) -> Result<RefreshReport, EtlError> {
    Err(EtlError::Writer(
        "this build has no PostgreSQL target: rebuild with the `etl-postgres` feature".into(),
    ))
}

/// What the jobs of one refresh share.
struct Shared {
    /// Permits to parse: the cores the writer does not need.
    cpu: Semaphore,
    /// Keys of each loaded table, read once for all its dependants.
    keys: HashMap<Feed, OnceCell<Arc<KeySet>>>,
    /// For the PostgreSQL loaders, which report their own progress (SQLite's writer does).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    reporter: demo_kit::Reporter,
}

impl Shared {
    fn new(parsers: usize, reporter: &demo_kit::Reporter) -> Arc<Shared> {
        Arc::new(Shared {
            cpu: Semaphore::new(parsers),
            keys: Feed::ALL.iter().map(|f| (*f, OnceCell::new())).collect(),
            reporter: reporter.clone(),
        })
    }
}

/// Where one job's pages go: the writer, or its own connection.
enum Sink {
    Writer(mpsc::Sender<Msg>),
    #[cfg(feature = "postgres")]
    // Boxed: a loader holds a pooled connection and its statements, the writer a channel.
    Postgres(Box<crate::pg::JobLoader>),
}

impl Sink {
    async fn open(output: &Output, feed: Feed) -> Result<Sink, EtlError> {
        Ok(match output {
            Output::Writer(tx) => {
                tx.send(Msg::Begin { feed }).await.map_err(gone)?;
                Sink::Writer(tx.clone())
            }
            #[cfg(feature = "postgres")]
            Output::Postgres(target) => Sink::Postgres(Box::new(
                crate::pg::JobLoader::begin(target.pool.get().await, &target.schema, feed).await?,
            )),
        })
    }

    async fn page(
        &mut self,
        feed: Feed,
        page: Page,
        lines_done: u64,
        config: &Config,
        shared: &Shared,
    ) -> Result<(), EtlError> {
        match self {
            Sink::Writer(tx) => {
                // The writer reports progress itself.
                let _ = (config, shared);
                tx.send(Msg::Rows {
                    feed,
                    values: page.values,
                    rejects: page.rejects,
                    lines_done,
                })
                .await
                .map_err(gone)
            }
            #[cfg(feature = "postgres")]
            Sink::Postgres(loader) => {
                loader.page(&page.values, &page.rejects).await?;
                shared.reporter.progress(
                    &format!("{}: {feed}", config.label),
                    lines_done,
                    config.totals.get(&feed).copied(),
                    "rows",
                );
                Ok(())
            }
        }
    }

    async fn finish(self, feed: Feed) -> Result<LoadStats, EtlError> {
        match self {
            Sink::Writer(tx) => {
                let (reply, stats) = oneshot::channel();
                tx.send(Msg::Finish { feed, reply }).await.map_err(gone)?;
                stats
                    .await
                    .map_err(|_| EtlError::Writer("the writer dropped a reply".into()))?
            }
            #[cfg(feature = "postgres")]
            Sink::Postgres(loader) => loader.finish().await,
        }
    }
}

fn gone<T>(_: mpsc::error::SendError<T>) -> EtlError {
    EtlError::Writer("the writer is gone".into())
}

/// The keys of a loaded table, from whichever target it was loaded into.
async fn read_keys(
    output: &Output,
    config: &Config,
    dep: Feed,
    feed: Feed,
) -> Result<KeySet, EtlError> {
    match output {
        Output::Writer(_) => {
            let db_path = config.db.clone();
            blocking(feed, move || {
                let conn = db::open_read_only(&db_path)?;
                db::keys(&conn, dep)
            })
            .await
        }
        #[cfg(feature = "postgres")]
        Output::Postgres(target) => {
            let client = target.pool.get().await;
            crate::pg::keys(&client, &target.schema, dep).await
        }
    }
}

async fn schedule(
    config: Arc<Config>,
    shared: Arc<Shared>,
    output: Output,
    started: Instant,
) -> Vec<JobReport> {
    let limit = match config.mode {
        Mode::Sequential => 1,
        Mode::Concurrent => Feed::ALL.len(),
    };
    let mut pending: Vec<Feed> = Feed::ALL.to_vec();
    let mut done: HashMap<Feed, JobReport> = HashMap::new();
    let mut running = JoinSet::new();
    let mut running_feeds: HashMap<tokio::task::Id, Feed> = HashMap::new();
    loop {
        // Skip what can no longer run; start what is ready, in dependency order.
        let mut i = 0;
        while i < pending.len() {
            let feed = pending[i];
            let failed_dep = feed.deps().iter().copied().find(|d| {
                done.get(d)
                    .is_some_and(|r| !matches!(r.outcome, Outcome::Loaded(_)))
            });
            if let Some(because) = failed_dep {
                let now = started.elapsed();
                done.insert(
                    feed,
                    JobReport {
                        feed,
                        start: now,
                        end: now,
                        lines: 0,
                        outcome: Outcome::Skipped { because },
                    },
                );
                pending.remove(i);
                continue;
            }
            let ready = feed.deps().iter().all(|d| done.contains_key(d));
            if ready && running.len() < limit {
                pending.remove(i);
                let handle = running.spawn(job(
                    feed,
                    config.clone(),
                    shared.clone(),
                    output.clone(),
                    started,
                ));
                running_feeds.insert(handle.id(), feed);
                continue;
            }
            i += 1;
        }
        let Some(joined) = running.join_next_with_id().await else {
            break;
        };
        let report = match joined {
            Ok((_, report)) => report,
            Err(e) => {
                let feed = running_feeds[&e.id()];
                let now = started.elapsed();
                JobReport {
                    feed,
                    start: now,
                    end: now,
                    lines: 0,
                    outcome: Outcome::Failed(EtlError::Task {
                        feed,
                        message: e.to_string(),
                    }),
                }
            }
        };
        done.insert(report.feed, report);
    }
    Feed::ALL.iter().filter_map(|f| done.remove(f)).collect()
}

async fn job(
    feed: Feed,
    config: Arc<Config>,
    shared: Arc<Shared>,
    output: Output,
    started: Instant,
) -> JobReport {
    let start = started.elapsed();
    let mut lines = 0;
    let outcome = match load(feed, &config, &shared, &output, &mut lines).await {
        Ok(stats) => Outcome::Loaded(stats),
        Err(e) => Outcome::Failed(e),
    };
    JobReport {
        feed,
        start,
        end: started.elapsed(),
        lines,
        outcome,
    }
}

/// Extract, transform and load one feed, page by page.
async fn load(
    feed: Feed,
    config: &Config,
    shared: &Shared,
    output: &Output,
    lines: &mut u64,
) -> Result<LoadStats, EtlError> {
    let path = config.feeds.join(feed.file_name());
    let file = format!("{}/{}", config.feed_label, feed.file_name());
    let permit = shared.cpu.acquire().await;
    let mut source = blocking(feed, move || Source::open(feed, path, file)).await?;
    drop(permit);
    let mut refs = References::new();
    for dep in feed.deps().iter().copied() {
        let keys = shared.keys[&dep]
            .get_or_try_init(|| async {
                let _permit = shared.cpu.acquire().await;
                read_keys(output, config, dep, feed).await.map(Arc::new)
            })
            .await?;
        refs.insert(dep, keys.clone());
    }
    let refs = Arc::new(refs);
    let mut sink = Sink::open(output, feed).await?;
    let page_size = config.page_size;
    loop {
        if !config.source_latency.is_zero() {
            // The modeled wait for the remote system to serve the next page (stated in the
            // report; --source-latency 0ms turns it off).
            tokio::time::sleep(config.source_latency).await;
        }
        let refs = refs.clone();
        let permit = shared.cpu.acquire().await;
        let (back, page) = blocking(feed, move || {
            let page = source.read_page(&refs, page_size)?;
            Ok((source, page))
        })
        .await?;
        drop(permit);
        source = back;
        *lines = source.lines;
        let last = page.last;
        sink.page(feed, page, source.lines, config, shared).await?;
        if last {
            break;
        }
    }
    sink.finish(feed).await
}

async fn blocking<T: Send + 'static>(
    feed: Feed,
    work: impl FnOnce() -> Result<T, EtlError> + Send + 'static,
) -> Result<T, EtlError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| EtlError::Task {
            feed,
            message: e.to_string(),
        })?
}

/// The critical path of the DAG when each job takes `durations[feed]`: no schedule can finish
/// sooner, however many jobs run at once.
pub fn critical_path(durations: &HashMap<Feed, Duration>) -> Duration {
    let mut finish: HashMap<Feed, Duration> = HashMap::new();
    for feed in Feed::ALL {
        let ready = feed
            .deps()
            .iter()
            .map(|d| finish.get(d).copied().unwrap_or_default())
            .max()
            .unwrap_or_default();
        finish.insert(
            feed,
            ready + durations.get(&feed).copied().unwrap_or_default(),
        );
    }
    finish.into_values().max().unwrap_or_default()
}

/// The feeds on the critical path, first to last.
pub fn critical_chain(durations: &HashMap<Feed, Duration>) -> Vec<Feed> {
    let mut finish: HashMap<Feed, (Duration, Option<Feed>)> = HashMap::new();
    for feed in Feed::ALL {
        let prev = feed
            .deps()
            .iter()
            .copied()
            .max_by_key(|d| finish.get(d).map(|f| f.0).unwrap_or_default());
        let ready = prev.and_then(|p| finish.get(&p)).map(|f| f.0);
        let own = durations.get(&feed).copied().unwrap_or_default();
        finish.insert(feed, (ready.unwrap_or_default() + own, prev));
    }
    let mut at = finish
        .iter()
        .max_by_key(|(_, f)| f.0)
        .map(|(feed, _)| *feed);
    let mut chain = Vec::new();
    while let Some(feed) = at {
        chain.push(feed);
        at = finish.get(&feed).and_then(|f| f.1);
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_critical_path_follows_the_longest_chain() {
        let ms = Duration::from_millis;
        let durations: HashMap<Feed, Duration> = [
            (Feed::Customers, ms(10)),
            (Feed::Products, ms(50)),
            (Feed::Prices, ms(5)),
            (Feed::Inventory, ms(5)),
            (Feed::Orders, ms(20)),
            (Feed::OrderLines, ms(100)),
            (Feed::Shipments, ms(1)),
        ]
        .into();
        // products (50) -> order lines (100) beats customers (10) -> orders (20) -> order lines.
        assert_eq!(critical_path(&durations), ms(150));
        assert_eq!(
            critical_chain(&durations),
            [Feed::Products, Feed::OrderLines]
        );
    }
}
