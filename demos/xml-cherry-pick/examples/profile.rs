//! One strategy over a generated corpus, repeated: for `perf record` / `perf stat`.
//! `cargo run --release -p xml-cherry-pick --example profile -- scan 12000 5`

use std::time::Instant;

use clap::ValueEnum;
use xml_cherry_pick::corpus::Corpus;
use xml_cherry_pick::generate::{GenConfig, generate};
use xml_cherry_pick::{Picker, Strategy};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let strategy = args
        .first()
        .and_then(|s| Strategy::from_str(s, true).ok())
        .unwrap_or(Strategy::Scan);
    let records = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(12_000);
    let repeats: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let corpus = Corpus::from_records(
        &generate(&GenConfig {
            records,
            ..GenConfig::default()
        }),
        "generated",
    );
    let picker = Picker::new();
    let cpu_before = xml_cherry_pick::measure::thread_cpu_time();
    let started = Instant::now();
    let mut ok = 0;
    for _ in 0..repeats {
        for record in corpus.records() {
            ok += usize::from(picker.pick(strategy, record).is_ok());
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu = xml_cherry_pick::measure::thread_cpu_time()
        .zip(cpu_before)
        .map_or(f64::NAN, |(a, b)| (a - b).as_secs_f64());
    let mb = (corpus.bytes() * repeats) as f64 / 1e6;
    println!(
        "{}: {ok} records ok, {mb:.0} MB in {seconds:.2} s wall = {:.0} MB/s; {cpu:.2} s CPU = {:.0} MB/CPU-s",
        strategy.label(),
        mb / seconds,
        mb / cpu
    );
}
