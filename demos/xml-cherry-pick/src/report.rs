//! The demo's report: throughput per strategy against quick-xml's bound, end to end beside
//! the story's seconds, and Python's xmltodict side by side.

use demo_kit::{Bar, ChartData, Metric, Reporter, Table};

use crate::checks::MAX_EXAMPLES;
use crate::corpus::Corpus;
use crate::measure::{EndToEnd, Pass, Throughput};
use crate::python::{Outcome, PythonRun};
use crate::strategy::Strategy;

/// XMLs a minute in the story, and so XMLs in a day.
pub const XML_PER_MINUTE: f64 = 10.0;
pub const XML_PER_DAY: f64 = XML_PER_MINUTE * 60.0 * 24.0;
/// The story's end-to-end seconds per XML (AWS Lambda, Python).
pub const STORY: [(&str, f64); 3] = [
    ("xmltodict (as first written)", 19.5),
    ("xmltodict code inlined, refactored", 14.0),
    ("regex cherry-pick", 5.0),
];

pub fn throughput_report(
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
        rows.push(pass_row(pass, *d, speedup));
        metrics.extend(pass_metrics(pass, *d, speedup));
    }
    if let Some(bound) = bound {
        rows.push(bound_row(bound, reference));
        metrics.push(
            Metric::new(
                "speedup over full conversion",
                bound.rate() / reference,
                "x",
            )
            .in_group("quick-xml alone"),
        );
        // Streaming is judged against this bound (target 80%), not against the full conversion.
        if let Some(stream) = passes.iter().find(|p| p.strategy == Strategy::Stream) {
            metrics.push(
                Metric::new(
                    "share of quick-xml's checked bound",
                    100.0 * stream.throughput.rate() / bound.rate().max(1e-9),
                    "%",
                )
                .in_group(stream.strategy.id()),
            );
        }
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

/// One strategy's row of the parse table.
fn pass_row(pass: &Pass, differ: usize, speedup: f64) -> Vec<String> {
    vec![
        pass.strategy.label().to_owned(),
        format!("{:.1}", pass.throughput.mb_per_s()),
        pass.throughput
            .mb_per_cpu_s()
            .map_or("?".into(), |c| format!("{c:.1}")),
        format!("{:.0}", pass.records_per_s()),
        format!("{:.1}", pass.latency_us(0.5)),
        format!("{:.1}", pass.latency_us(0.99)),
        format!("{speedup:.1}x"),
        if differ == 0 {
            "all".to_owned()
        } else {
            format!("{differ} differ")
        },
        pass.fallbacks
            .map(|f| format!("{f} to parser"))
            .unwrap_or_default(),
    ]
}

/// One strategy's parse metrics, grouped under its id.
fn pass_metrics(pass: &Pass, differ: usize, speedup: f64) -> Vec<Metric> {
    let mut metrics = vec![Metric::new(
        "parse throughput",
        pass.throughput.mb_per_s(),
        "MB/s",
    )];
    if let Some(cpu) = pass.throughput.mb_per_cpu_s() {
        metrics.push(Metric::new("parse throughput per CPU second", cpu, "MB/s"));
    }
    metrics.extend([
        Metric::new("records per second", pass.records_per_s(), "records/s"),
        Metric::new("p50 latency", pass.latency_us(0.5), "µs"),
        Metric::new("p99 latency", pass.latency_us(0.99), "µs"),
        Metric::new("speedup over full conversion", speedup, "x"),
        Metric::new(
            "records differing from strategy 1",
            differ as f64,
            "records",
        ),
    ]);
    let group = pass.strategy.id();
    metrics.into_iter().map(|m| m.in_group(group)).collect()
}

/// quick-xml alone, as a row of the parse table.
fn bound_row(bound: Throughput, reference: f64) -> Vec<String> {
    vec![
        "bound: quick-xml alone".to_owned(),
        format!("{:.1}", bound.mb_per_s()),
        bound
            .mb_per_cpu_s()
            .map_or("?".into(), |c| format!("{c:.1}")),
        String::new(),
        String::new(),
        String::new(),
        format!("{:.1}x", bound.rate() / reference),
        String::new(),
        "events, attributes, UTF-8; nothing kept".to_owned(),
    ]
}

pub fn human_duration(seconds: f64) -> String {
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

pub fn end_to_end_report(runs: &[EndToEnd], reporter: &Reporter, metrics: &mut Vec<Metric>) {
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
pub fn python_report(
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

    compare_picks(run, passes, corpus, reporter, notes);
    full_ratio
}

/// xmltodict's picks against ours: checks that strategy 1 really converts like xmltodict.
fn compare_picks(
    run: &PythonRun,
    passes: &[Pass],
    corpus: &Corpus,
    reporter: &Reporter,
    notes: &mut Vec<String>,
) {
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
}
