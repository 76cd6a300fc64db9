//! The demo's run: the corpus, the correctness checks ([`crate::checks`]), the measured passes,
//! then the report ([`crate::report`]).

use std::path::{Path, PathBuf};

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
    let strategies = chosen_strategies(&args);
    let picker = Picker::new();
    let work = demo_kit::scratch_dir("xml-cherry-pick", reporter)?;
    let (corpus, source, injected) = load_corpus(&args, work.path(), reporter)?;
    if corpus.is_empty() {
        return Err(DemoError::failed("the corpus has no records"));
    }

    // Correctness first: the real IDocs and the regex break table.
    reporter.phase("correctness");
    let real_divergences = checks::real_idocs_table(&picker, &strategies, reporter);
    let regex_breaks = checks::break_table(&picker, &strategies, reporter);

    let passes = parse_passes(&picker, &strategies, &corpus, reporter);
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
    let e2e = end_to_end_runs(&picker, &strategies, &source, work.path(), reporter)?;
    let python = python_side(&args, &corpus, work.path(), reporter)?;

    // What the story's 19.5 s implies: a run at the implied record size.
    reporter.phase("implied record size");
    let speed = implied::Speed::of(&python, &passes[0]);
    let python_cmd = matches!(python, Outcome::Ran(_)).then_some(args.python.as_str());
    let at_size =
        implied::run(speed, args.seed, python_cmd, work.path(), reporter).map_err(failed)?;

    reporter.phase("report");
    let mut metrics = Vec::new();
    let mut notes = Vec::new();
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
    let average_kb = corpus.bytes() as f64 / corpus.len() as f64 / 1e3;
    notes.extend(findings(
        &python,
        &passes,
        &divergences,
        real_divergences,
        regex_breaks,
    ));
    notes.insert(
        0,
        format!(
            "{ASSUMPTION_PREFIX}Rust on this machine (local disk, SQLite), {} records of \
             {average_kb:.1} KB; the story's seconds are Python on AWS Lambda",
            corpus.len(),
        ),
    );
    Ok(Summary {
        headline: headline(&passes, &divergences, &e2e, python_ratio),
        metrics,
        notes,
    })
}

/// The strategies asked for, in their order, the full conversion always first (the reference).
fn chosen_strategies(args: &Args) -> Vec<Strategy> {
    Strategy::ALL
        .into_iter()
        .filter(|s| *s == Strategy::Full || args.strategies.contains(s))
        .collect()
}

/// Records made malformed on purpose: `(index, kind)` of each.
type Injected = Vec<(usize, &'static str)>;

/// The corpus: the user's XML, or generated records with a few made malformed on purpose; and
/// where the end-to-end runs read it from.
fn load_corpus(
    args: &Args,
    work: &Path,
    reporter: &Reporter,
) -> Result<(Corpus, Source, Injected), DemoError> {
    if let Some(path) = &args.input {
        reporter.phase("read input");
        let source = Source::from_input(path).map_err(failed)?;
        let corpus = source.read().map_err(failed)?;
        reporter.info(format!(
            "{} records, {:.1} MB from {}",
            corpus.len(),
            corpus.bytes() as f64 / 1e6,
            path.display()
        ));
        return Ok((corpus, source, Vec::new()));
    }
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
    let path = work.join("corpus.xmls");
    corpus.write_joined(&path).map_err(failed)?;
    reporter.info(format!(
        "{} IDoc-like records (seed {}), {:.1} MB, {} of them malformed on purpose",
        corpus.len(),
        args.seed,
        corpus.bytes() as f64 / 1e6,
        injected.len()
    ));
    Ok((corpus, Source::Joined(path), injected))
}

/// Parse only, in memory: each strategy over the whole corpus, timed record by record.
fn parse_passes(
    picker: &Picker,
    strategies: &[Strategy],
    corpus: &Corpus,
    reporter: &Reporter,
) -> Vec<Pass> {
    strategies
        .iter()
        .map(|&strategy| {
            let phase = format!("parse: {}", strategy.label());
            reporter.phase(&phase);
            let pass = measure::parse_pass(picker, strategy, corpus, reporter, &phase);
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
            pass
        })
        .collect()
}

/// End to end: read from disk, pick, upsert into SQLite, verify the row count.
fn end_to_end_runs(
    picker: &Picker,
    strategies: &[Strategy],
    source: &Source,
    work: &Path,
    reporter: &Reporter,
) -> Result<Vec<EndToEnd>, DemoError> {
    let mut runs = Vec::new();
    for &strategy in strategies {
        reporter.phase(format!("end to end: {}", strategy.label()));
        let db = work.join(format!("{}.sqlite", strategy.id()));
        let run = measure::end_to_end(picker, strategy, source, &db).map_err(failed)?;
        reporter.info(format!(
            "{} records -> {} rows verified in SQLite, {:.3} s (read {:.3} s, pick {:.3} s, load {:.3} s)",
            run.records,
            run.rows,
            run.elapsed.as_secs_f64(),
            run.read.as_secs_f64(),
            run.pick.as_secs_f64(),
            run.load.as_secs_f64()
        ));
        runs.push(run);
    }
    Ok(runs)
}

/// Python's xmltodict over the same corpus, unless skipped.
fn python_side(
    args: &Args,
    corpus: &Corpus,
    work: &Path,
    reporter: &Reporter,
) -> Result<Outcome, DemoError> {
    if args.no_python {
        return Ok(Outcome::Skipped("skipped (--no-python)".into()));
    }
    reporter.phase("python xmltodict");
    let joined = work.join("python-corpus.xmls");
    corpus.write_joined(&joined).map_err(failed)?;
    python::run(&args.python, &joined, work).map_err(failed)
}

/// The notes on what the run found: the build, the places strategies disagree, the regex's
/// breaks, a skipped Python comparison.
fn findings(
    python: &Outcome,
    passes: &[Pass],
    divergences: &[usize],
    real_divergences: usize,
    regex_breaks: usize,
) -> Vec<String> {
    let mut notes = Vec::new();
    if cfg!(debug_assertions) {
        notes.push(
            "debug build: throughput is far below a release build (cargo run --release, or \
             cargo bench -p xml-cherry-pick)"
                .into(),
        );
    }
    if let Some(first) = passes.first() {
        // The first pass read the whole corpus.
        let records = first.results.len();
        notes.push(format!(
            "the story's seconds are end to end on AWS Lambda in Python; ours run locally on \
             {records} records of {:.1} KB on average",
            first.throughput.bytes as f64 / records.max(1) as f64 / 1e3
        ));
    }
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
    for (pass, d) in passes.iter().zip(divergences) {
        if *d > 0 {
            notes.push(format!(
                "{} differs from strategy 1 on {d} of {} records",
                pass.strategy.label(),
                pass.results.len()
            ));
        }
    }
    if let Outcome::Skipped(why) = python {
        notes.push(format!("Python comparison: {why}"));
    }
    notes
}

/// The fastest strategy that agreed with the full conversion on every record, against it.
fn headline(
    passes: &[Pass],
    divergences: &[usize],
    e2e: &[EndToEnd],
    python_ratio: Option<f64>,
) -> String {
    let reference = &passes[0];
    let best = passes
        .iter()
        .zip(divergences)
        .filter(|(p, d)| **d == 0 && p.strategy != Strategy::Full)
        .max_by(|(a, _), (b, _)| a.throughput.rate().total_cmp(&b.throughput.rate()))
        .map(|(p, _)| p);
    let e2e_speedup = |s: Strategy| {
        let of = |s: Strategy| e2e.iter().find(|r| r.strategy == s);
        of(Strategy::Full).zip(of(s)).map_or(0.0, |(full, r)| {
            full.seconds_per_record() / r.seconds_per_record()
        })
    };
    match best {
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
    }
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
