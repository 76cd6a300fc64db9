//! Timing the strategies: parse-only passes with per-record latency, and end-to-end runs that
//! also read the corpus from disk and upsert into SQLite.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use demo_kit::Reporter;

use crate::corpus::{Corpus, Source};
use crate::error::{Error, PickError};
use crate::fields::Picked;
use crate::load::{Loader, record_key};
use crate::strategy::{Picker, Strategy, scan};

/// Bytes got through in a stretch of wall-clock and CPU time.
#[derive(Debug, Clone, Copy)]
pub struct Throughput {
    pub bytes: usize,
    pub elapsed: Duration,
    /// CPU time, where the platform tells it.
    pub cpu: Option<Duration>,
}

impl Throughput {
    /// Runs `work` over `bytes` of input, timing it by wall clock and by this thread's CPU.
    pub fn measure<T>(bytes: usize, work: impl FnOnce() -> T) -> (T, Throughput) {
        let cpu_before = thread_cpu_time();
        let started = Instant::now();
        let output = work();
        let elapsed = started.elapsed();
        let cpu = thread_cpu_time()
            .zip(cpu_before)
            .map(|(after, before)| after.saturating_sub(before));
        (
            output,
            Throughput {
                bytes,
                elapsed,
                cpu,
            },
        )
    }

    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Throughput per second of CPU time (one core), where known.
    pub fn mb_per_cpu_s(&self) -> Option<f64> {
        self.cpu
            .map(|cpu| self.bytes as f64 / 1e6 / cpu.as_secs_f64().max(1e-9))
    }

    /// What ratios are computed from: MB per CPU second where known (robust on a shared
    /// machine), else wall-clock MB/s.
    pub fn rate(&self) -> f64 {
        self.mb_per_cpu_s().unwrap_or_else(|| self.mb_per_s())
    }

    /// The unit of [`Throughput::rate`].
    pub fn rate_unit(&self) -> &'static str {
        if self.cpu.is_some() {
            "MB per CPU second"
        } else {
            "MB/s"
        }
    }
}

/// One strategy over the whole corpus, in memory.
#[derive(Debug)]
pub struct Pass {
    pub strategy: Strategy,
    pub results: Vec<Result<Picked, PickError>>,
    pub throughput: Throughput,
    /// Per record, nanoseconds, sorted.
    pub latencies_ns: Vec<u64>,
    /// Strategy 4 only: records the fast path handed to the parser.
    pub fallbacks: Option<usize>,
}

impl Pass {
    pub fn records_per_s(&self) -> f64 {
        self.results.len() as f64 / self.throughput.elapsed.as_secs_f64().max(1e-9)
    }

    /// Latency at quantile `q` (0..=1), in microseconds.
    pub fn latency_us(&self, q: f64) -> f64 {
        percentile(&self.latencies_ns, q) as f64 / 1e3
    }
}

/// CPU time this thread has run so far (`CLOCK_THREAD_CPUTIME_ID`, to the nanosecond; not
/// `/proc/thread-self/schedstat`, which can move only once a scheduler tick, 4 ms here, too
/// coarse for a 50 ms pass). On a machine shared with other work, wall time also counts the
/// time the thread waited for a core; CPU time does not, so it is what "on one core" means.
#[cfg(unix)]
pub fn thread_cpu_time() -> Option<Duration> {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let secs = u64::try_from(now.tv_sec).ok()?;
    let nanos = u32::try_from(now.tv_nsec).ok()?;
    Some(Duration::new(secs, nanos))
}

#[cfg(not(unix))]
pub fn thread_cpu_time() -> Option<Duration> {
    None
}

pub fn percentile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() as f64) * q).floor() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Picks every record of `corpus` with `strategy`, timing each one.
pub fn parse_pass(
    picker: &Picker,
    strategy: Strategy,
    corpus: &Corpus,
    reporter: &Reporter,
    phase: &str,
) -> Pass {
    let total = corpus.len() as u64;
    let mut results = Vec::with_capacity(corpus.len());
    let mut latencies_ns = Vec::with_capacity(corpus.len());
    let mut fallbacks = 0;
    let ((), throughput) = Throughput::measure(corpus.bytes(), || {
        for (i, record) in corpus.records().enumerate() {
            let t = Instant::now();
            let result = if strategy == Strategy::Scan {
                let (result, path) = picker.scan_with_path(record);
                fallbacks += usize::from(path == scan::Path::Fallback);
                result
            } else {
                picker.pick(strategy, record)
            };
            latencies_ns.push(t.elapsed().as_nanos() as u64);
            results.push(result);
            if i % 512 == 0 {
                reporter.progress(phase, i as u64, Some(total), "records");
            }
        }
    });
    reporter.progress(phase, total, Some(total), "records");
    latencies_ns.sort_unstable();
    Pass {
        strategy,
        results,
        throughput,
        latencies_ns,
        fallbacks: (strategy == Strategy::Scan).then_some(fallbacks),
    }
}

/// Read from disk, pick, upsert into a fresh SQLite file, verify the row count.
#[derive(Debug, Clone)]
pub struct EndToEnd {
    pub strategy: Strategy,
    pub records: usize,
    pub rows: u64,
    pub elapsed: Duration,
    pub read: Duration,
    pub pick: Duration,
    pub load: Duration,
}

impl EndToEnd {
    pub fn seconds_per_record(&self) -> f64 {
        self.elapsed.as_secs_f64() / self.records.max(1) as f64
    }
}

pub fn end_to_end(
    picker: &Picker,
    strategy: Strategy,
    source: &Source,
    db: &Path,
) -> Result<EndToEnd, Error> {
    let _ = std::fs::remove_file(db);
    let started = Instant::now();
    let corpus = source.read()?;
    let read = started.elapsed();
    let picked: Vec<(usize, Picked)> = corpus
        .records()
        .enumerate()
        .filter_map(|(i, record)| picker.pick(strategy, record).ok().map(|p| (i, p)))
        .collect();
    let pick = started.elapsed() - read;
    let mut loader = Loader::open(db)?;
    let keys: Vec<String> = picked
        .iter()
        .map(|(i, p)| record_key(p, corpus.source(*i), *i))
        .collect();
    let expected = keys.iter().collect::<HashSet<_>>().len() as u64;
    loader.upsert(keys.into_iter().zip(picked.iter().map(|(_, p)| p)))?;
    let rows = loader.verify(expected)?;
    let elapsed = started.elapsed();
    Ok(EndToEnd {
        strategy,
        records: corpus.len(),
        rows,
        elapsed,
        read,
        pick,
        load: elapsed - read - pick,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use std::time::{Duration, Instant};

    use super::thread_cpu_time;

    #[test]
    fn the_cpu_clock_moves_in_small_steps_and_not_while_asleep() {
        // Spin until the clock moves: the step must be far below a scheduler tick (4 ms),
        // or a 50 ms benchmark pass would be off by up to 8%.
        let start = thread_cpu_time().unwrap();
        let mut now = start;
        let deadline = Instant::now() + Duration::from_secs(5);
        while now == start && Instant::now() < deadline {
            now = thread_cpu_time().unwrap();
        }
        assert!(now > start, "the thread's CPU clock never moved");
        assert!(
            now - start < Duration::from_millis(1),
            "step {:?}",
            now - start
        );

        let before = thread_cpu_time().unwrap();
        std::thread::sleep(Duration::from_millis(50));
        let slept = thread_cpu_time().unwrap() - before;
        assert!(
            slept < Duration::from_millis(25),
            "sleeping cost {slept:?} of CPU"
        );
    }
}
