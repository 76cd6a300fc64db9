//! The demo's run: the corpus, the correctness checks ([`crate::checks`]), the measured passes,
//! then the report ([`crate::report`]).

use std::path::PathBuf;

use clap::Parser;
use demo_kit::{ASSUMPTION_PREFIX, DemoError, Reporter, Summary};

use crate::bound::{self, Checks};
use crate::breaks;
use crate::checks;
use crate::corpus::{Corpus, Source};
use crate::error::Error;
use crate::fields::FIELDS;
use crate::generate::{self, GenConfig};
use crate::implied;
use crate::measure::{self, EndToEnd, Pass};
use crate::python::{self, Outcome};
use crate::report;
use crate::strategy::{Picker, Strategy};

/// Arguments after `rehearse demo run xml-cherry-pick`.
#[derive(Debug, Parser)]
pub struct Args {
    /// How many records to generate (fewer by default in a debug build, which is ~30x slower).
    #[arg(long, default_value_t = DEFAULT_RECORDS)]
    pub records: usize,
    /// Approximate size of one generated record, in bytes.
    #[arg(long, default_value_t = 4096)]
    pub record_bytes: usize,
    /// Seed of the generator (same seed, same corpus).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Malformed records mixed into the generated corpus (each is reported, the rest processed).
    #[arg(long, default_value_t = 4)]
    pub malformed: usize,
    /// Run on your own XML instead: a file, or a directory of *.xml files (one record each).
    #[arg(long, value_name = "FILE|DIR")]
    pub input: Option<PathBuf>,
    /// Strategies to run (full always runs: it is the reference).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "full,regex,stream,scan"
    )]
    pub strategies: Vec<Strategy>,
    /// Python interpreter for the xmltodict comparison.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Skip the Python comparison.
    #[arg(long)]
    pub no_python: bool,
}

const DEFAULT_RECORDS: usize = if cfg!(debug_assertions) { 1500 } else { 10_000 };

fn failed(e: Error) -> DemoError {
    DemoError::failed(e.to_string())
}

pub fn run(args: Args, reporter: &Reporter) -> Result<Summary, DemoError> {
    let mut strategies = vec![Strategy::Full];
    strategies.extend(
        args.strategies
            .iter()
            .copied()
            .filter(|s| *s != Strategy::Full),
    );
    let strategies: Vec<Strategy> = Strategy::ALL
        .into_iter()
        .filter(|s| strategies.contains(s))
        .collect();
    let picker = Picker::new();
    let mut notes = Vec::new();
    let work = demo_kit::scratch_dir("xml-cherry-pick", reporter)?;

    // --- The corpus.
    let (corpus, source, injected) = match &args.input {
        Some(path) => {
            reporter.phase("read input");
            let source = Source::from_input(path).map_err(failed)?;
            let corpus = source.read().map_err(failed)?;
            reporter.info(format!(
                "{} records, {:.1} MB from {}",
                corpus.len(),
                corpus.bytes() as f64 / 1e6,
                path.display()
            ));
            (corpus, source, Vec::new())
        }
        None => {
            reporter.phase("generate");
            let config = GenConfig {
                records: args.records,
                seed: args.seed,
                record_bytes: args.record_bytes,
            };
            let mut records: Vec<Vec<u8>> = generate::generate(&config)
                .into_iter()
                .map(String::into_bytes)
                .collect();
            let injected = inject_malformed(&mut records, args.malformed);
            let corpus = Corpus::from_records(&records, "generated");
            let path = work.path().join("corpus.xmls");
            corpus.write_joined(&path).map_err(failed)?;
            reporter.info(format!(
                "{} IDoc-like records (seed {}), {:.1} MB, {} of them malformed on purpose",
                corpus.len(),
                args.seed,
                corpus.bytes() as f64 / 1e6,
                injected.len()
            ));
            (corpus, Source::Joined(path), injected)
        }
    };
    if corpus.is_empty() {
        return Err(DemoError::failed("the corpus has no records"));
    }

    // --- Correctness first: the real IDocs and the regex break table.
    reporter.phase("correctness");
    let real_divergences = checks::real_idocs_table(&picker, &strategies, reporter);
    let regex_breaks = checks::break_table(&picker, &strategies, reporter);

    // --- Parse only, in memory.
    let mut passes: Vec<Pass> = Vec::new();
    for &strategy in &strategies {
        let phase = format!("parse: {}", strategy.label());
        reporter.phase(&phase);
        let pass = measure::parse_pass(&picker, strategy, &corpus, reporter, &phase);
        reporter.info(format!(
            "{:.1} MB/s ({}), {:.0} records/s, p50 {:.1} µs, p99 {:.1} µs",
            pass.throughput.mb_per_s(),
            pass.throughput
                .mb_per_cpu_s()
                .map_or("CPU time unknown".into(), |c| format!(
                    "{c:.1} MB per CPU second"
                )),
            pass.records_per_s(),
            pass.latency_us(0.5),
            pass.latency_us(0.99)
        ));
        passes.push(pass);
    }
    // What quick-xml alone takes with the checks strategy 1 makes and it leaves to us: no
    // streaming picker on its events can beat it.
    let bound = strategies.contains(&Strategy::Stream).then(|| {
        reporter.phase("parse: quick-xml alone (the bound on streaming)");
        bound::measure(&corpus, Checks::AttributesAndUtf8)
    });
    let reference = &passes[0];
    checks::report_rejections(reference, &corpus, &injected, reporter);
    let divergences: Vec<usize> = passes
        .iter()
        .map(|pass| checks::report_divergences(reference, pass, &corpus, reporter))
        .collect();

    // --- End to end: read from disk, pick, upsert into SQLite, verify the row count.
    let mut e2e: Vec<EndToEnd> = Vec::new();
    for &strategy in &strategies {
        reporter.phase(format!("end to end: {}", strategy.label()));
        let db = work.path().join(format!("{}.sqlite", strategy.id()));
        let run = measure::end_to_end(&picker, strategy, &source, &db).map_err(failed)?;
        reporter.info(format!(
            "{} records -> {} rows verified in SQLite, {:.3} s (read {:.3} s, pick {:.3} s, load {:.3} s)",
            run.records,
            run.rows,
            run.elapsed.as_secs_f64(),
            run.read.as_secs_f64(),
            run.pick.as_secs_f64(),
            run.load.as_secs_f64()
        ));
        e2e.push(run);
    }

    // --- Python side by side.
    let python = if args.no_python {
        Outcome::Skipped("skipped (--no-python)".into())
    } else {
        reporter.phase("python xmltodict");
        let joined = work.path().join("python-corpus.xmls");
        corpus.write_joined(&joined).map_err(failed)?;
        python::run(&args.python, &joined, work.path()).map_err(failed)?
    };

    // --- What the story's 19.5 s implies: a run at the implied record size.
    reporter.phase("implied record size");
    let speed = implied::Speed::of(&python, &passes[0]);
    let python_cmd = matches!(python, Outcome::Ran(_)).then_some(args.python.as_str());
    let at_size =
        implied::run(speed, args.seed, python_cmd, work.path(), reporter).map_err(failed)?;

    // --- Report.
    reporter.phase("report");
    let mut metrics = Vec::new();
    report::throughput_report(&passes, bound, &divergences, reporter, &mut metrics);
    report::end_to_end_report(&e2e, reporter, &mut metrics);
    let python_ratio = report::python_report(
        &python,
        &passes,
        &corpus,
        reporter,
        &mut metrics,
        &mut notes,
    );

    implied::report(speed, &at_size, reporter, &mut metrics, &mut notes);
    if cfg!(debug_assertions) {
        notes.push(
            "debug build: throughput is far below a release build (cargo run --release, or \
             cargo bench -p xml-cherry-pick)"
                .into(),
        );
    }
    notes.insert(
        0,
        format!(
            "{ASSUMPTION_PREFIX}Rust on this machine (local disk, SQLite), {} records of {:.1} KB; \
             the story's seconds are Python on AWS Lambda",
            corpus.len(),
            corpus.bytes() as f64 / corpus.len() as f64 / 1e3
        ),
    );
    notes.push(format!(
        "the story's seconds are end to end on AWS Lambda in Python; ours run locally on {} \
         records of {:.1} KB on average",
        corpus.len(),
        corpus.bytes() as f64 / corpus.len() as f64 / 1e3
    ));
    if real_divergences > 0 {
        notes.push(format!(
            "{real_divergences} strategy result(s) differ from strategy 1 on the real IDocs"
        ));
    }
    if regex_breaks > 0 {
        notes.push(format!(
            "the regex is wrong on {regex_breaks} of {} XML features in the break table",
            breaks::cases().len()
        ));
    }
    for (pass, d) in passes.iter().zip(&divergences) {
        if *d > 0 {
            notes.push(format!(
                "{} differs from strategy 1 on {d} of {} records",
                pass.strategy.label(),
                pass.results.len()
            ));
        }
    }
    if let Outcome::Skipped(why) = &python {
        notes.push(format!("Python comparison: {why}"));
    }

    let best = passes
        .iter()
        .zip(&divergences)
        .filter(|(p, d)| **d == 0 && p.strategy != Strategy::Full)
        .max_by(|(a, _), (b, _)| a.throughput.rate().total_cmp(&b.throughput.rate()))
        .map(|(p, _)| p);
    let e2e_speedup = |s: Strategy| {
        let of = |s: Strategy| e2e.iter().find(|r| r.strategy == s);
        of(Strategy::Full).zip(of(s)).map_or(0.0, |(full, r)| {
            full.seconds_per_record() / r.seconds_per_record()
        })
    };
    let headline = match best {
        Some(best) => format!(
            "{} picks the {} fields at {:.0} {} ({:.0} MB/s wall), {:.1}x the full conversion, \
             {:.1}x end to end (the story's regex: 3.9x){}",
            best.strategy.label(),
            FIELDS.len(),
            best.throughput.rate(),
            best.throughput.rate_unit(),
            best.throughput.mb_per_s(),
            best.throughput.rate() / reference.throughput.rate(),
            e2e_speedup(best.strategy),
            python_ratio
                .map(|r| format!("; Rust full conversion is {r:.1}x Python xmltodict"))
                .unwrap_or_default()
        ),
        None => format!(
            "full conversion {:.0} {}; no other strategy agreed with it on every record",
            reference.throughput.rate(),
            reference.throughput.rate_unit()
        ),
    };
    Ok(Summary {
        headline,
        metrics,
        notes,
    })
}

/// Replaces evenly spaced records with malformed variants of themselves; returns
/// `(index, kind)` for each.
fn inject_malformed(records: &mut [Vec<u8>], count: usize) -> Vec<(usize, &'static str)> {
    let count = count.min(records.len());
    let mut injected = Vec::new();
    for k in 0..count {
        let index = (k + 1) * records.len() / (count + 1);
        let valid = String::from_utf8_lossy(&records[index]).into_owned();
        let cases = breaks::malformed_cases(&valid);
        let case = &cases[k % cases.len()];
        records[index] = case.bytes.clone();
        injected.push((index, case.name));
    }
    injected
}
