//! The demo: correctness checks first, then the measured comparison, reported as events.

use std::path::PathBuf;

use clap::Parser;
use demo_kit::{Bar, ChartData, DemoError, Metric, Reporter, Summary, Table};

use crate::bound::{self, Checks};
use crate::breaks;
use crate::corpus::{self, Corpus, Source};
use crate::error::{Error, PickError, RecordError};
use crate::fields::{FIELDS, Picked};
use crate::generate::{self, GenConfig};
use crate::measure::{self, EndToEnd, Pass, Throughput};
use crate::python::{self, Outcome};
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

/// XMLs a minute in the story, and so XMLs in a day.
const XML_PER_MINUTE: f64 = 10.0;
const XML_PER_DAY: f64 = XML_PER_MINUTE * 60.0 * 24.0;
/// The story's end-to-end seconds per XML (AWS Lambda, Python).
const STORY: [(&str, f64); 3] = [
    ("xmltodict (as first written)", 19.5),
    ("xmltodict code inlined, refactored", 14.0),
    ("regex cherry-pick", 5.0),
];
const MAX_EXAMPLES: usize = 5;

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
    let real_divergences = real_idocs_table(&picker, &strategies, reporter);
    let regex_breaks = break_table(&picker, &strategies, reporter);

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
    report_rejections(reference, &corpus, &injected, reporter);
    let divergences: Vec<usize> = passes
        .iter()
        .map(|pass| report_divergences(reference, pass, &corpus, reporter))
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

    // --- Report.
    reporter.phase("report");
    let mut metrics = Vec::new();
    throughput_report(&passes, bound, &divergences, reporter, &mut metrics);
    end_to_end_report(&e2e, reporter, &mut metrics);
    let python_ratio = python_report(
        &python,
        &passes,
        &corpus,
        reporter,
        &mut metrics,
        &mut notes,
    );

    if cfg!(debug_assertions) {
        notes.push(
            "debug build: throughput is far below a release build (cargo run --release, or \
             cargo bench -p xml-cherry-pick)"
                .into(),
        );
    }
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

fn outcome_cell(
    result: &Result<Picked, PickError>,
    reference: &Result<Picked, PickError>,
) -> String {
    match (result, reference) {
        (Ok(a), Ok(b)) if a == b => "same".into(),
        (Ok(a), Ok(b)) => format!("DIFFERS: {}", a.differences(b).join("; ")),
        (Err(_), Err(_)) => "rejected too".into(),
        (Ok(_), Err(_)) => "ACCEPTED a record strategy 1 rejects".into(),
        (Err(e), Ok(_)) => format!("REJECTED: {e}"),
    }
}

/// Every strategy on the real IDocs, compared with strategy 1; returns the number of differences.
fn real_idocs_table(picker: &Picker, strategies: &[Strategy], reporter: &Reporter) -> usize {
    let real = corpus::real_idocs();
    let mut rows = Vec::new();
    let mut differences = 0;
    for (i, record) in real.records().enumerate() {
        let reference = picker.pick(Strategy::Full, record);
        let mut row = vec![
            real.source(i).to_owned(),
            format!("{}", record.len()),
            match &reference {
                Ok(p) => format!(
                    "ok, {} of {} fields",
                    p.0.iter()
                        .filter(|v| **v != crate::fields::Value::Null)
                        .count(),
                    FIELDS.len()
                ),
                Err(e) => format!("rejected: {e}"),
            },
        ];
        for &strategy in &strategies[1..] {
            let result = picker.pick(strategy, record);
            let mut cell = outcome_cell(&result, &reference);
            if cell != "same" && cell != "rejected too" {
                differences += 1;
            }
            if strategy == Strategy::Scan
                && picker.scan_with_path(record).1 == crate::strategy::scan::Path::Fallback
            {
                cell.push_str(" (via parser)");
            }
            row.push(cell);
        }
        rows.push(row);
    }
    let mut columns = vec![
        "real IDoc".into(),
        "bytes".into(),
        Strategy::Full.label().to_owned(),
    ];
    columns.extend(strategies[1..].iter().map(|s| s.label().to_owned()));
    reporter.table(Table {
        title: "Real SAP IDocs: every strategy against strategy 1".into(),
        columns,
        rows,
    });
    differences
}

/// The regex break table; returns on how many features the regex is wrong.
fn break_table(picker: &Picker, strategies: &[Strategy], reporter: &Reporter) -> usize {
    let mut rows = Vec::new();
    let mut regex_wrong = 0;
    for case in breaks::cases() {
        let field = FIELDS
            .iter()
            .position(|f| f.name == case.field)
            .expect("break cases name real fields");
        let mut row = vec![
            case.feature.to_owned(),
            format!("{} = {}", case.field, case.expected),
        ];
        for &strategy in strategies {
            let cell = match picker.pick(strategy, case.xml.as_bytes()) {
                Ok(p) if p.0[field] == case.expected => "right".to_owned(),
                Ok(p) => {
                    if strategy == Strategy::Regex {
                        regex_wrong += 1;
                    }
                    format!("WRONG: {}", p.0[field])
                }
                Err(e) => {
                    if strategy == Strategy::Regex {
                        regex_wrong += 1;
                    }
                    format!("WRONG: rejected ({e})")
                }
            };
            row.push(cell);
        }
        rows.push(row);
    }
    let mut columns = vec!["XML feature".into(), "correct value".into()];
    columns.extend(strategies.iter().map(|s| s.label().to_owned()));
    reporter.table(Table {
        title: "Where a regex breaks (strategies 1, 3 and 4 must be right)".into(),
        columns,
        rows,
    });
    regex_wrong
}

fn report_rejections(
    reference: &Pass,
    corpus: &Corpus,
    injected: &[(usize, &str)],
    reporter: &Reporter,
) {
    let rejected: Vec<usize> = reference
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_err())
        .map(|(i, _)| i)
        .collect();
    if rejected.is_empty() {
        reporter.info("strategy 1 accepted every record");
        return;
    }
    reporter.warn(format!(
        "strategy 1 rejected {} of {} records; the rest were processed",
        rejected.len(),
        reference.results.len()
    ));
    for &i in rejected.iter().take(20) {
        let kind = injected
            .iter()
            .find(|(at, _)| *at == i)
            .map(|(_, kind)| format!(" [injected: {kind}]"))
            .unwrap_or_default();
        if let Err(e) = &reference.results[i] {
            let error = RecordError {
                index: i,
                source_name: corpus.source(i).to_owned(),
                error: e.clone(),
            };
            reporter.warn(format!("{error}{kind}"));
        }
    }
}

/// Compares a pass with strategy 1 record by record; reports and returns the divergences.
fn report_divergences(
    reference: &Pass,
    pass: &Pass,
    corpus: &Corpus,
    reporter: &Reporter,
) -> usize {
    if pass.strategy == reference.strategy {
        return 0;
    }
    let mut count = 0;
    for (i, (a, b)) in pass.results.iter().zip(&reference.results).enumerate() {
        let agree = match (a, b) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        };
        if !agree {
            count += 1;
            if count <= MAX_EXAMPLES {
                reporter.warn(format!(
                    "{}: record {i} ({}): {}",
                    pass.strategy.label(),
                    corpus.source(i),
                    outcome_cell(a, b)
                ));
            }
        }
    }
    if count == 0 {
        reporter.info(format!(
            "{}: identical to strategy 1 on all {} records",
            pass.strategy.label(),
            pass.results.len()
        ));
    } else {
        reporter.warn(format!(
            "{}: differs from strategy 1 on {count} of {} records",
            pass.strategy.label(),
            pass.results.len()
        ));
    }
    count
}

fn throughput_report(
    passes: &[Pass],
    bound: Option<Throughput>,
    divergences: &[usize],
    reporter: &Reporter,
    metrics: &mut Vec<Metric>,
) {
    let reference = passes[0].throughput.rate();
    let mut rows = Vec::new();
    for (pass, d) in passes.iter().zip(divergences) {
        let speedup = pass.throughput.rate() / reference;
        rows.push(vec![
            pass.strategy.label().to_owned(),
            format!("{:.1}", pass.throughput.mb_per_s()),
            pass.throughput
                .mb_per_cpu_s()
                .map_or("?".into(), |c| format!("{c:.1}")),
            format!("{:.0}", pass.records_per_s()),
            format!("{:.1}", pass.latency_us(0.5)),
            format!("{:.1}", pass.latency_us(0.99)),
            format!("{speedup:.1}x"),
            if *d == 0 {
                "all".to_owned()
            } else {
                format!("{} differ", d)
            },
            pass.fallbacks
                .map(|f| format!("{f} to parser"))
                .unwrap_or_default(),
        ]);
        let g = pass.strategy.id();
        metrics
            .push(Metric::new("parse throughput", pass.throughput.mb_per_s(), "MB/s").in_group(g));
        if let Some(cpu) = pass.throughput.mb_per_cpu_s() {
            metrics.push(Metric::new("parse throughput per CPU second", cpu, "MB/s").in_group(g));
        }
        metrics
            .push(Metric::new("records per second", pass.records_per_s(), "records/s").in_group(g));
        metrics.push(Metric::new("p50 latency", pass.latency_us(0.5), "µs").in_group(g));
        metrics.push(Metric::new("p99 latency", pass.latency_us(0.99), "µs").in_group(g));
        metrics.push(Metric::new("speedup over full conversion", speedup, "x").in_group(g));
        metrics.push(
            Metric::new("records differing from strategy 1", *d as f64, "records").in_group(g),
        );
    }
    if let Some(bound) = bound {
        let vs_full = bound.rate() / reference;
        rows.push(vec![
            "bound: quick-xml alone".to_owned(),
            format!("{:.1}", bound.mb_per_s()),
            bound
                .mb_per_cpu_s()
                .map_or("?".into(), |c| format!("{c:.1}")),
            String::new(),
            String::new(),
            String::new(),
            format!("{vs_full:.1}x"),
            String::new(),
            "events, attributes, UTF-8; nothing kept".to_owned(),
        ]);
        metrics.push(
            Metric::new("speedup over full conversion", vs_full, "x").in_group("quick-xml alone"),
        );
    }
    reporter.table(Table {
        title: format!(
            "Parse only (in memory): the 20 fields out of every record; 'vs full' compares {}",
            passes[0].throughput.rate_unit()
        ),
        columns: [
            "strategy",
            "MB/s",
            "MB/CPU-s",
            "records/s",
            "p50 µs",
            "p99 µs",
            "vs full",
            "agree with 1",
            "note",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    });
    // The headline numbers as events too (all of them go into the summary).
    for metric in metrics
        .iter()
        .filter(|m| m.name == "parse throughput" || m.name == "speedup over full conversion")
    {
        reporter.metric(metric.clone());
    }
    reporter.chart(
        format!(
            "Parse throughput per strategy ({})",
            passes[0].throughput.rate_unit()
        ),
        ChartData::Bar {
            unit: passes[0].throughput.rate_unit().into(),
            bars: passes
                .iter()
                .map(|p| Bar {
                    label: p.strategy.label().into(),
                    value: p.throughput.rate(),
                })
                .collect(),
        },
    );
}

fn human_duration(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1e3)
    } else if seconds < 120.0 {
        format!("{seconds:.1} s")
    } else if seconds < 7200.0 {
        format!("{:.1} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

fn end_to_end_report(runs: &[EndToEnd], reporter: &Reporter, metrics: &mut Vec<Metric>) {
    let reference = runs[0].seconds_per_record();
    let mut rows = Vec::new();
    for run in runs {
        let per = run.seconds_per_record();
        let day = per * XML_PER_DAY;
        rows.push(vec![
            format!("ours: {}", run.strategy.label()),
            format!("{:.3}", per * 1e3),
            format!("{:.1}x", reference / per),
            human_duration(day),
            format!("{}", run.rows),
        ]);
        let g = run.strategy.id();
        let new = [
            Metric::new("end-to-end time per record", per * 1e3, "ms").in_group(g),
            Metric::new(
                "end-to-end speedup over full conversion",
                reference / per,
                "x",
            )
            .in_group(g),
            Metric::new("a day of work (14,400 XMLs) takes", day, "s").in_group(g),
        ];
        reporter.metric(new[1].clone());
        metrics.extend(new);
    }
    let story_reference = STORY[0].1;
    for (label, seconds) in STORY {
        rows.push(vec![
            format!("story's: {label}"),
            format!("{:.0}", seconds * 1e3),
            format!("{:.1}x", story_reference / seconds),
            format!(
                "{} ({:.2} days)",
                human_duration(seconds * XML_PER_DAY),
                seconds * XML_PER_DAY / 86_400.0
            ),
            String::new(),
        ]);
    }
    reporter.table(Table {
        title: format!(
            "End to end (read from disk + pick + SQLite upsert, row count verified); a day = \
             {XML_PER_MINUTE:.0} XMLs a minute = {XML_PER_DAY:.0} XMLs"
        ),
        columns: [
            "run",
            "ms per XML",
            "vs full",
            "a day of work takes",
            "rows",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    });
}

/// Returns Rust full conversion / Python xmltodict throughput when Python ran.
fn python_report(
    outcome: &Outcome,
    passes: &[Pass],
    corpus: &Corpus,
    reporter: &Reporter,
    metrics: &mut Vec<Metric>,
    notes: &mut Vec<String>,
) -> Option<f64> {
    let run = match outcome {
        Outcome::Skipped(why) => {
            reporter.warn(format!("Python comparison skipped: {why}"));
            return None;
        }
        Outcome::Ran(run) => run,
    };
    let mb = run.bytes as f64 / 1e6;
    let py_full = mb / run.full_seconds.max(1e-9);
    let py_regex = mb / run.regex_seconds.max(1e-9);
    let py_full_cpu = mb / run.full_cpu_seconds.max(1e-9);
    let py_regex_cpu = mb / run.regex_cpu_seconds.max(1e-9);
    let pass = |s: Strategy| passes.iter().find(|p| p.strategy == s);
    // By CPU time where known: the machine may be shared, and both sides pay the same way.
    let full_ratio = pass(Strategy::Full).map(|p| match p.throughput.mb_per_cpu_s() {
        Some(rust_cpu) => rust_cpu / py_full_cpu,
        None => p.throughput.mb_per_s() / py_full,
    });
    let row = |work: &str, py: f64, py_cpu: f64, rust: Option<&Pass>| {
        let cpu_ratio = rust
            .and_then(|p| p.throughput.mb_per_cpu_s())
            .map_or(String::new(), |r| format!("{:.1}x", r / py_cpu));
        vec![
            work.to_owned(),
            format!("{py:.1}"),
            rust.map_or(String::new(), |r| format!("{:.1}", r.throughput.mb_per_s())),
            rust.map_or(String::new(), |r| {
                format!("{:.1}x", r.throughput.mb_per_s() / py)
            }),
            cpu_ratio,
        ]
    };
    let rows = vec![
        row(
            "xmltodict.parse + pick",
            py_full,
            py_full_cpu,
            pass(Strategy::Full),
        ),
        row(
            "compiled regex",
            py_regex,
            py_regex_cpu,
            pass(Strategy::Regex),
        ),
    ];
    reporter.table(Table {
        title: format!(
            "Python {} with xmltodict {} on the same {} records",
            run.python, run.xmltodict, run.records
        ),
        columns: [
            "work",
            "Python MB/s",
            "Rust MB/s",
            "Rust / Python",
            "same, by CPU time",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    });
    let mut m = vec![
        Metric::new("xmltodict throughput", py_full, "MB/s").in_group("python"),
        Metric::new("regex throughput", py_regex, "MB/s").in_group("python"),
    ];
    if let Some(r) = full_ratio {
        m.push(Metric::new("Rust full conversion / Python xmltodict", r, "x").in_group("python"));
    }
    for metric in m {
        reporter.metric(metric.clone());
        metrics.push(metric);
    }

    // xmltodict's picks against ours: checks that strategy 1 really converts like xmltodict.
    let reference = &passes[0].results;
    let mut differ = 0;
    let mut examples = Vec::new();
    for (i, ours) in reference.iter().enumerate() {
        let theirs = run.picked(i);
        let agree = match (&theirs, ours) {
            (Some(a), Ok(b)) => a == b,
            (None, Err(_)) => true,
            _ => false,
        };
        if !agree {
            differ += 1;
            if examples.len() < MAX_EXAMPLES {
                let why = match (&theirs, ours) {
                    (Some(a), Ok(b)) => b.differences(a).join("; "),
                    (None, Ok(_)) => {
                        let msg = run
                            .errors
                            .iter()
                            .find(|(at, _)| *at == i)
                            .map_or("", |(_, m)| m.as_str());
                        format!("xmltodict rejects it ({msg}), strategy 1 accepts it")
                    }
                    (_, Err(e)) => format!("strategy 1 rejects it ({e}), xmltodict accepts it"),
                };
                examples.push(format!("record {i} ({}): {why}", corpus.source(i)));
            }
        }
    }
    if run.records != reference.len() {
        reporter.warn(format!(
            "Python read {} records, Rust {}",
            run.records,
            reference.len()
        ));
    }
    if differ == 0 {
        reporter.info(format!(
            "xmltodict's picks equal strategy 1 on all {} records",
            reference.len()
        ));
    } else {
        reporter.warn(format!(
            "xmltodict's picks differ from strategy 1 on {differ} of {} records",
            reference.len()
        ));
        for e in &examples {
            reporter.warn(format!("  {e}"));
        }
        notes.push(format!(
            "Python xmltodict and strategy 1 differ on {differ} records (see the warnings)"
        ));
    }
    full_ratio
}
