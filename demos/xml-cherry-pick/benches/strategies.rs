//! `cargo bench -p xml-cherry-pick`: the four strategies over a generated corpus of >= 50 MB,
//! timed by wall clock and by the thread's CPU time (on a shared machine the second is what
//! "one core" means), then the targets as ratios of the same run: streaming against the bound
//! quick-xml itself puts on any streaming picker (its checked events read and dropped; target
//! 80%), and the scanner against the full conversion (target 10x).

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput};
use xml_cherry_pick::bound::{self, Checks};
use xml_cherry_pick::corpus::{self, Corpus};
use xml_cherry_pick::generate::{GenConfig, generate};
use xml_cherry_pick::measure::thread_cpu_time;
use xml_cherry_pick::python::{self, Outcome};
use xml_cherry_pick::{Picker, Strategy};

const CORPUS_RECORDS: usize = 12_500;

fn corpus() -> Corpus {
    let corpus = Corpus::from_records(
        &generate(&GenConfig {
            records: CORPUS_RECORDS,
            seed: 42,
            record_bytes: 4096,
        }),
        "generated",
    );
    assert!(
        corpus.bytes() >= 50_000_000,
        "corpus is {} bytes",
        corpus.bytes()
    );
    corpus
}

fn pick_all(picker: &Picker, strategy: Strategy, corpus: &Corpus) -> usize {
    corpus
        .records()
        .filter(|r| picker.pick(strategy, black_box(r)).is_ok())
        .count()
}

/// CPU time of the benchmarking thread (its CPU clock).
struct CpuTime;

impl Measurement for CpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_time().unwrap_or_default()
    }

    fn end(&self, start: Duration) -> Duration {
        thread_cpu_time().unwrap_or_default().saturating_sub(start)
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

/// Nanoseconds shown as CPU milliseconds; throughput as decimal MB per CPU second.
struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, _typical: f64, values: &mut [f64]) -> &'static str {
        for v in values.iter_mut() {
            *v /= 1e6;
        }
        "ms (CPU)"
    }

    fn scale_throughputs(
        &self,
        _typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let bytes = match throughput {
            Throughput::Bytes(b) | Throughput::BytesDecimal(b) => *b as f64,
            _ => return "",
        };
        for v in values.iter_mut() {
            *v = bytes / 1e6 / (*v / 1e9);
        }
        "MB/CPU-s"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn bench_wall(c: &mut Criterion, picker: &Picker, corpus: &Corpus) {
    let mut group = c.benchmark_group("wall");
    group.throughput(Throughput::BytesDecimal(corpus.bytes() as u64));
    for strategy in Strategy::ALL {
        group.bench_function(strategy.id(), |b| {
            b.iter(|| pick_all(picker, strategy, corpus));
        });
    }
    group.finish();
}

fn bench_cpu(c: &mut Criterion<CpuTime>, picker: &Picker, corpus: &Corpus) {
    let mut group = c.benchmark_group("cpu");
    group.throughput(Throughput::BytesDecimal(corpus.bytes() as u64));
    for strategy in Strategy::ALL {
        group.bench_function(strategy.id(), |b| {
            b.iter(|| pick_all(picker, strategy, corpus));
        });
    }
    group.finish();
}

/// Best of three whole-corpus passes of `work` over every record, MB per CPU second.
fn cpu_throughput_of(corpus: &Corpus, work: impl Fn(&[u8]) -> usize) -> f64 {
    (0..3)
        .map(|_| {
            let before = thread_cpu_time().unwrap_or_default();
            black_box(corpus.records().map(|r| work(black_box(r))).sum::<usize>());
            let cpu = thread_cpu_time().unwrap_or_default().saturating_sub(before);
            corpus.bytes() as f64 / 1e6 / cpu.as_secs_f64().max(1e-9)
        })
        .fold(0.0, f64::max)
}

fn cpu_throughput(picker: &Picker, strategy: Strategy, corpus: &Corpus) -> f64 {
    cpu_throughput_of(corpus, |r| usize::from(picker.pick(strategy, r).is_ok()))
}

fn targets(picker: &Picker, corpus: &Corpus) {
    println!(
        "\nTargets (MB per CPU second, best of 3 passes over {:.1} MB):",
        corpus.bytes() as f64 / 1e6
    );
    let mb: Vec<(Strategy, f64)> = Strategy::ALL
        .iter()
        .map(|&s| (s, cpu_throughput(picker, s, corpus)))
        .collect();
    for (s, v) in &mb {
        println!(
            "  {:<20} {v:>8.1} MB/CPU-s  {:>5.1}x full",
            s.label(),
            v / mb[0].1
        );
    }
    let get = |s: Strategy| mb.iter().find(|(x, _)| *x == s).map_or(0.0, |(_, v)| *v);
    let full = get(Strategy::Full);
    println!("  Bounds for any picker on quick-xml events (each line adds to the one before):");
    let mut checked_bound = 0.0;
    for checks in Checks::ALL {
        let v = cpu_throughput_of(corpus, |r| bound::read_events(r, checks));
        if checks == Checks::AttributesAndUtf8 {
            checked_bound = v;
        }
        println!(
            "    {:<20} {v:>8.1} MB/CPU-s  {:>5.1}x full",
            checks.label(),
            v / full
        );
    }
    // The targets are ratios of this one run, so a busy or slower machine moves both sides.
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    let stream = get(Strategy::Stream) / checked_bound.max(1e-9);
    println!(
        "  streaming >= 80% of quick-xml's checked bound ({}): {:.0}%, {}",
        Checks::AttributesAndUtf8.label(),
        stream * 100.0,
        verdict(stream >= 0.8)
    );
    let scan = get(Strategy::Scan) / full.max(1e-9);
    println!(
        "  scanner >= 10x the full conversion: {scan:.1}x, {}",
        verdict(scan >= 10.0)
    );

    let real = corpus::real_idocs();
    let identical = real.records().all(|r| {
        let reference = picker.pick(Strategy::Full, r);
        Strategy::ALL
            .iter()
            .all(|&s| picker.pick(s, r) == reference)
    });
    println!(
        "  all strategies identical on the real IDocs: {}",
        verdict(identical)
    );

    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("corpus.xmls");
    corpus.write_joined(&path).expect("writing the corpus");
    match python::run("python3", &path, dir.path()) {
        Ok(Outcome::Ran(run)) => {
            let py = run.bytes as f64 / 1e6 / run.full_cpu_seconds.max(1e-9);
            let ratio = get(Strategy::Full) / py;
            println!(
                "  Rust full conversion >= 10x Python xmltodict {}: {ratio:.1}x ({:.1} vs {py:.1} \
                 MB/CPU-s), {}",
                run.xmltodict,
                get(Strategy::Full),
                verdict(ratio >= 10.0)
            );
        }
        Ok(Outcome::Skipped(why)) => println!("  Rust vs Python xmltodict: skipped, {why}"),
        Err(e) => println!("  Rust vs Python xmltodict: failed, {e}"),
    }
}

fn main() {
    let corpus = corpus();
    let picker = Picker::new();
    let mut wall = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    bench_wall(&mut wall, &picker, &corpus);
    let mut cpu = Criterion::default()
        .with_measurement(CpuTime)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    bench_cpu(&mut cpu, &picker, &corpus);
    targets(&picker, &corpus);
    wall.final_summary();
}
