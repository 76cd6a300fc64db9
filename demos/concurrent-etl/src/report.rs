//! Tables, charts and the summary of a run. Every number here was measured in the run, except
//! the story's, which are labelled as the story's.

use std::collections::HashMap;
use std::time::Duration;

use demo_kit::{ASSUMPTION_PREFIX, Metric, Summary, Table};

use crate::args::Args;
use crate::db;
use crate::feed::Feed;
use crate::format::{count, duration, per_second, secs};
use crate::outcome::{Kind, TargetRun};
use crate::refresh::{Mode, RefreshReport, critical_chain, critical_path};

/// The story, from the interview notes: 18 M records, 3 h before, 30 min after.
pub const STORY_RECORDS: u64 = 18_000_000;
pub const STORY_BEFORE: Duration = Duration::from_secs(3 * 3600);
pub const STORY_AFTER: Duration = Duration::from_secs(30 * 60);

/// The story's speedup: 3 h / 30 min.
pub fn story_speedup() -> f64 {
    STORY_BEFORE.as_secs_f64() / STORY_AFTER.as_secs_f64()
}

/// The assumption the run makes about its sources, in one sentence for the log and the notes.
pub fn wait_assumption(wait: Duration, page_size: u64) -> String {
    if wait.is_zero() {
        return "Modeled source wait: off (--source-latency 0ms): the feeds are read as fast as \
                the local disk serves them, so nothing stands in for the remote systems the \
                story's jobs waited on."
            .to_owned();
    }
    format!(
        "Modeled source wait: {} per fetched page of {} rows (a timer before each page, so one \
         source serves at most {} rows/s), standing in for the remote systems the story's jobs \
         waited on; --source-latency 0ms shows the purely local case.",
        duration(wait),
        count(page_size),
        count(per_second(page_size, wait) as u64)
    )
}

/// What the story's own numbers imply, and the question they leave open.
fn implication(writer_rate: Option<f64>) -> [String; 2] {
    let story_rate = per_second(STORY_RECORDS, STORY_BEFORE);
    let measured = writer_rate.map_or(String::new(), |rate| {
        format!(
            " This run's single SQLite writer did {} rows/s of its own work on this machine, \
             {:.0}x that.",
            count(rate as u64),
            rate / story_rate
        )
    });
    [
        format!(
            "Implication (from the story's numbers, not measured): {} records in {} is about \
             {:.1} k records/s, far below what one local writer does.{measured} So the old jobs \
             were most likely waiting (on source systems, the network or locks), and running \
             the independent jobs together overlapped those waits; that is what the modeled \
             wait reproduces.",
            count(STORY_RECORDS),
            duration(STORY_BEFORE),
            story_rate / 1000.0
        ),
        "Open probe: what were the jobs waiting on? (Name the source systems and what a page \
         or a call cost, if you know it.)"
            .to_owned(),
    ]
}

pub struct Inputs<'a> {
    pub args: &'a Args,
    pub target: Kind,
    pub runs: &'a [RefreshReport],
    pub day1: &'a RefreshReport,
    pub verified: bool,
    pub identical: bool,
    pub rerun_changed: u64,
}

pub struct Report {
    pub tables: Vec<Table>,
    pub summary: Summary,
}

pub fn summarise(inputs: &Inputs<'_>) -> Report {
    let Inputs { args, runs, .. } = inputs;
    let sqlite = inputs.target == Kind::Sqlite;
    let sequential = runs.iter().find(|r| r.mode == Mode::Sequential);
    let concurrent = runs.iter().find(|r| r.mode == Mode::Concurrent);
    let mut metrics = Vec::new();
    let mut tables = vec![timing_table(runs, sqlite, &mut metrics)];
    let comparison = sequential
        .zip(concurrent)
        .map(|(seq, con)| compare(args, seq, con, sqlite));
    if let Some(comparison) = &comparison {
        metrics.extend(comparison.metrics.iter().cloned());
        tables.push(comparison.table.clone());
    }
    let lines = runs.first().map_or(0, |r| r.lines());
    tables.push(story_table(lines, sequential.zip(concurrent)));

    let rejected = runs.first().map_or(0, |r| r.stats().rejected);
    metrics.push(Metric::new("lines read", lines as f64, "rows"));
    metrics.push(Metric::new("rejected lines", rejected as f64, "rows"));
    metrics.push(Metric::new(
        "re-run changed",
        inputs.rerun_changed as f64,
        "rows",
    ));
    metrics.push(Metric::new(
        "day-1 load",
        inputs.day1.wall.as_secs_f64(),
        "s",
    ));

    let mut notes = vec![format!(
        "{ASSUMPTION_PREFIX}{}, {}, {} records on this machine",
        wait_phrase(args),
        if sqlite {
            "SQLite (one writer)".to_owned()
        } else {
            format!("PostgreSQL ({} pooled connections)", args.pool_size)
        },
        count(lines)
    )];
    let headline_tail = comparison.map_or(String::new(), |c| {
        notes.push(c.note);
        c.headline_tail
    });
    notes.extend(context_notes(
        inputs,
        lines,
        rejected,
        concurrent.or(sequential),
    ));

    let verdict = match (inputs.verified, runs.len(), inputs.identical) {
        (false, _, _) => "verification FAILED".to_owned(),
        (true, 2, true) => format!(
            "identical tables, re-run changed {} rows",
            inputs.rerun_changed
        ),
        (true, _, _) => format!("re-run changed {} rows", inputs.rerun_changed),
    };
    let headline = format!(
        "Refreshed {} records ({rejected} malformed lines rejected){headline_tail}; {verdict}",
        count(lines.saturating_sub(rejected))
    );
    Report {
        tables,
        summary: Summary {
            headline,
            metrics,
            notes,
        },
    }
}

/// `no modeled source wait`, or the wait per page.
fn wait_phrase(args: &Args) -> String {
    if args.source_latency.is_zero() {
        "no modeled source wait".to_owned()
    } else {
        format!(
            "{} modeled wait per page of {} rows",
            duration(args.source_latency),
            count(args.page_size)
        )
    }
}

/// Each mode's wall time, throughput and writer figures: the metrics, and the table.
fn timing_table(runs: &[RefreshReport], sqlite: bool, metrics: &mut Vec<Metric>) -> Table {
    let mut rows = Vec::new();
    for run in runs {
        let group = run.mode.to_string();
        let rate = per_second(run.lines(), run.wall);
        let share = |d: Duration| {
            format!(
                "{:.0}",
                100.0 * d.as_secs_f64() / run.wall.as_secs_f64().max(1e-9)
            )
        };
        metrics.push(Metric::new("wall time", run.wall.as_secs_f64(), "s").in_group(&group));
        metrics.push(Metric::new("throughput", rate.round(), "rows/s").in_group(&group));
        if sqlite {
            metrics.push(
                Metric::new("writer busy", run.writer_busy.as_secs_f64(), "s").in_group(&group),
            );
        }
        if let Some(cpu) = run.writer_cpu {
            metrics.push(Metric::new("writer CPU", cpu.as_secs_f64(), "s").in_group(&group));
        }
        if let Some(wait) = run.writer_run_queue {
            metrics.push(
                Metric::new("writer waited for a core", wait.as_secs_f64(), "s").in_group(&group),
            );
        }
        rows.push(vec![
            group,
            secs(run.wall),
            format!("{rate:.0}"),
            secs(run.writer_busy),
            share(run.writer_busy),
            run.writer_cpu.map_or("-".into(), secs),
            run.writer_cpu.map_or("-".into(), share),
            run.writer_run_queue.map_or("-".into(), secs),
        ]);
    }
    Table {
        title: "Day-2 refresh per mode (writer busy = wall time on messages; CPU = on a core; \
                waited = ready to run but every core taken, by us or by other programs)"
            .into(),
        columns: [
            "mode",
            "wall s",
            "rows/s",
            "writer busy s",
            "busy %",
            "writer CPU s",
            "CPU %",
            "waited for a core s",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

/// Sequential against concurrent: the speedup and how close concurrent came to its bounds.
struct Comparison {
    metrics: Vec<Metric>,
    table: Table,
    note: String,
    headline_tail: String,
}

fn compare(args: &Args, seq: &RefreshReport, con: &RefreshReport, sqlite: bool) -> Comparison {
    let speedup = seq.wall.as_secs_f64() / con.wall.as_secs_f64().max(1e-9);
    // Each job's time when it had the machine to itself: the sequential run's.
    let alone: HashMap<Feed, Duration> = seq.jobs.iter().map(|j| (j.feed, j.duration())).collect();
    let path = critical_path(&alone);
    let chain = critical_chain(&alone)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" -> ");
    let sum: Duration = alone.values().sum();
    // The writer's own work: CPU time where known (a stricter bound than its busy wall time).
    let writer = con.writer_cpu.unwrap_or(con.writer_busy);
    let ratio = |d: Duration| con.wall.as_secs_f64() / d.as_secs_f64().max(1e-9);
    let ratio_path = ratio(path);
    let ratio_bound = ratio(path.max(writer));
    let dag = sum.as_secs_f64() / path.as_secs_f64().max(1e-9);
    let metrics = vec![
        Metric::new("speedup", round2(speedup), "x"),
        Metric::new("critical path", path.as_secs_f64(), "s"),
        Metric::new("concurrent / critical path", round2(ratio_path), "x"),
        Metric::new(
            "concurrent / max(critical path, writer work)",
            round2(ratio_bound),
            "x",
        ),
        Metric::new("most the DAG allows", round2(dag), "x"),
    ];
    let mut bounds = vec![(format!("critical path: {chain}"), path)];
    if let Some(cpu) = con.writer_cpu {
        bounds.push(("single writer CPU time (concurrent run)".into(), cpu));
    }
    if sqlite {
        bounds.push((
            "single writer busy (concurrent run)".into(),
            con.writer_busy,
        ));
    }
    bounds.push(("sum of jobs (= sequential)".into(), sum));
    let table = Table {
        title: "How close concurrent came to the lower bounds".into(),
        columns: ["bound", "seconds", "concurrent / bound"]
            .map(String::from)
            .to_vec(),
        rows: bounds
            .into_iter()
            .map(|(label, d)| vec![label, secs(d), format!("{:.2}", ratio(d))])
            .collect(),
    };
    let note = if sqlite {
        format!(
            "Critical path = the longest dependency chain ({chain}), timing each job as it ran \
             alone in the sequential run: an estimate of the best any schedule can do. With \
             one SQLite writer, no schedule beats the writer's own work either; concurrent \
             took {ratio_bound:.2}x the larger of the two."
        )
    } else {
        format!(
            "Critical path = the longest dependency chain ({chain}), timing each job as it ran \
             alone in the sequential run; concurrent took {ratio_path:.2}x it. Each job \
             writes through its own connection; the server's processes share this machine's \
             cores with the parsing."
        )
    };
    let headline_tail = format!(
        ": sequential {}, concurrent {} ({speedup:.1}x; the story {:.0}x; the DAG allows \
         {dag:.1}x) {}",
        duration(seq.wall),
        duration(con.wall),
        story_speedup(),
        if args.source_latency.is_zero() {
            "with no modeled source wait".to_owned()
        } else {
            format!("at {}", wait_phrase(args))
        }
    );
    Comparison {
        metrics,
        table,
        note,
        headline_tail,
    }
}

/// The story's figures beside this run's, when both modes ran.
fn story_table(lines: u64, both: Option<(&RefreshReport, &RefreshReport)>) -> Table {
    let story_rate = |d: Duration| format!("{:.0}", per_second(STORY_RECORDS, d));
    let mut rows = vec![vec![
        "the story (interview notes, not measured here)".into(),
        STORY_RECORDS.to_string(),
        duration(STORY_BEFORE),
        duration(STORY_AFTER),
        story_rate(STORY_BEFORE),
        story_rate(STORY_AFTER),
    ]];
    if let Some((seq, con)) = both {
        rows.push(vec![
            "this run (measured)".into(),
            lines.to_string(),
            duration(seq.wall),
            duration(con.wall),
            format!("{:.0}", per_second(lines, seq.wall)),
            format!("{:.0}", per_second(lines, con.wall)),
        ]);
    }
    Table {
        title: "The story beside this run".into(),
        columns: [
            "",
            "records",
            "sequential",
            "concurrent",
            "rows/s before",
            "rows/s after",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

/// The notes after the comparison: the modeled wait, the writer's share with no wait, what the
/// story implies, and how the target was loaded. `last` is the concurrent run, else the other.
fn context_notes(
    inputs: &Inputs<'_>,
    lines: u64,
    rejected: u64,
    last: Option<&RefreshReport>,
) -> Vec<String> {
    let Inputs { args, runs, .. } = inputs;
    let sqlite = inputs.target == Kind::Sqlite;
    let mut notes = vec![wait_assumption(args.source_latency, args.page_size)];
    if args.source_latency.is_zero() && sqlite {
        let share = |d: Option<Duration>| {
            d.zip(last).map_or("-".to_owned(), |(d, r)| {
                format!(
                    "{:.0}%",
                    100.0 * d.as_secs_f64() / r.wall.as_secs_f64().max(1e-9)
                )
            })
        };
        notes.push(format!(
            "With no wait the jobs share the cores and the one SQLite writer (in the {} run the \
             writer was on a core {} and waiting for one {} of the time), so concurrency has \
             little to overlap.",
            last.map_or(Mode::Concurrent, |r| r.mode),
            share(last.and_then(|r| r.writer_cpu)),
            share(last.and_then(|r| r.writer_run_queue)),
        ));
    }
    let writer_rate = runs.iter().find_map(|r| {
        let work = r.writer_cpu.unwrap_or(r.writer_busy);
        (!work.is_zero()).then(|| per_second(r.lines(), work))
    });
    notes.extend(implication(writer_rate));
    notes.push(format!(
        "The story's figures (18 M records, 3 h -> 30 min) are from the interview notes; \
         this run refreshed {} records on this machine.",
        count(lines.saturating_sub(rejected))
    ));
    notes.push(if sqlite {
        format!(
            "SQLite: one writer connection, upserts in transactions of {} rows, {}.",
            count(args.batch_rows),
            db::PRAGMAS
        )
    } else {
        format!(
            "PostgreSQL: each job through its own pooled connection ({} in the pool), its pages \
             of {} rows streamed with one COPY into a staging table, then one INSERT ... ON \
             CONFLICT DO UPDATE per table (rows that differ only) and the rejects, in one \
             transaction.",
            args.pool_size,
            count(args.page_size)
        )
    });
    notes
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Adds the second target's (PostgreSQL's) figures to the summary, each metric grouped under
/// its name, and says whether the two targets' tables are identical.
pub fn add_second_target(report: &mut Report, args: &Args, second: &TargetRun, identical: bool) {
    let name = second.kind.name();
    let other = summarise(&Inputs {
        args,
        target: second.kind,
        runs: &second.runs,
        day1: &second.day1,
        verified: second.problems.is_empty(),
        identical: second.identical(),
        rerun_changed: second.rerun_changed,
    });
    for mut metric in other.summary.metrics {
        metric.group = Some(match metric.group {
            Some(group) => format!("{name} {group}"),
            None => name.to_owned(),
        });
        report.summary.metrics.push(metric);
    }
    let speedup = |run: &[RefreshReport]| match run {
        [seq, con] => format!(
            "{:.1}x",
            seq.wall.as_secs_f64() / con.wall.as_secs_f64().max(1e-9)
        ),
        _ => "-".to_owned(),
    };
    report.summary.headline.push_str(&format!(
        "; {name}: {} concurrent vs sequential, {}",
        speedup(&second.runs),
        if identical {
            "tables identical to SQLite's"
        } else {
            "tables DIFFER from SQLite's"
        }
    ));
    report.summary.notes.push(format!(
        "{name} beside SQLite, same feeds and modes: every table's checksum after the refresh is \
         {} on both targets.",
        if identical {
            "the same"
        } else {
            "NOT the same"
        }
    ));
    report.tables.extend(other.tables);
}
