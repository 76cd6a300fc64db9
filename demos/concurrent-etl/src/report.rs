//! Tables, charts and the summary of a run. Every number here was measured in the run, except
//! the story's, which are labelled as the story's.

use std::collections::HashMap;
use std::time::Duration;

use demo_kit::{ChartData, GanttTask, Metric, Summary, Table};

use crate::db::{self, Checksum};
use crate::demo::{Args, manifest_by_feed};
use crate::feed::{Feed, FeedManifest};
use crate::refresh::{Mode, Outcome, RefreshReport, critical_chain, critical_path};

/// The story, from the interview notes: 18 M records, 3 h before, 30 min after.
pub const STORY_RECORDS: u64 = 18_000_000;
pub const STORY_BEFORE: Duration = Duration::from_secs(3 * 3600);
pub const STORY_AFTER: Duration = Duration::from_secs(30 * 60);

pub fn duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else if s >= 120.0 {
        format!("{:.1} min", s / 60.0)
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

/// Thousands separated: 18,000,000.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn per_second(n: u64, d: Duration) -> f64 {
    if d.is_zero() {
        0.0
    } else {
        n as f64 / d.as_secs_f64()
    }
}

fn secs(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

pub fn feeds_table(day1: &[FeedManifest], day2: &[FeedManifest]) -> Table {
    let day1 = manifest_by_feed(day1);
    let rows = day2
        .iter()
        .map(|m| {
            let deps: Vec<&str> = m.feed.deps().iter().map(|d| d.name()).collect();
            vec![
                m.feed.to_string(),
                if deps.is_empty() {
                    "-".into()
                } else {
                    deps.join(" + ")
                },
                day1.get(&m.feed).map_or(0, |d| d.lines).to_string(),
                m.lines.to_string(),
                m.created.to_string(),
                m.updated.to_string(),
                m.unchanged.to_string(),
                m.malformed.to_string(),
            ]
        })
        .collect();
    Table {
        title: "Feeds (day 2 = the refresh; expected counts from the generator)".into(),
        columns: [
            "feed",
            "needs",
            "day-1 rows",
            "day-2 lines",
            "new",
            "changed",
            "unchanged",
            "malformed",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

pub fn jobs_table(run: &RefreshReport) -> Table {
    let rows = run
        .jobs
        .iter()
        .map(|j| {
            let (created, updated, unchanged, rejected, status) = match &j.outcome {
                Outcome::Loaded(s) => (
                    s.created.to_string(),
                    s.updated.to_string(),
                    s.unchanged.to_string(),
                    s.rejected.to_string(),
                    "loaded".to_owned(),
                ),
                Outcome::Failed(_) => dashes("failed"),
                Outcome::Skipped { because } => dashes(&format!("skipped ({because} failed)")),
            };
            vec![
                j.feed.to_string(),
                secs(j.start),
                secs(j.end),
                secs(j.duration()),
                j.lines.to_string(),
                created,
                updated,
                unchanged,
                rejected,
                status,
            ]
        })
        .collect();
    Table {
        title: format!(
            "Jobs, {} (times in seconds from the refresh's start)",
            run.mode
        ),
        columns: [
            "job",
            "start",
            "end",
            "took",
            "lines",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "status",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

fn dashes(status: &str) -> (String, String, String, String, String) {
    let d = || "-".to_owned();
    (d(), d(), d(), d(), status.to_owned())
}

pub fn gantt(runs: &[RefreshReport]) -> ChartData {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    ChartData::Gantt {
        tasks: runs
            .iter()
            .flat_map(|run| {
                run.jobs.iter().map(|j| GanttTask {
                    label: j.feed.to_string(),
                    lane: Some(run.mode.to_string()),
                    start_ms: ms(j.start),
                    end_ms: ms(j.end),
                })
            })
            .collect(),
    }
}

/// Loaded jobs whose created / updated / unchanged / rejected counts differ from the generator's.
pub fn count_mismatches(run: &RefreshReport, day2: &[FeedManifest]) -> Vec<String> {
    let expected = manifest_by_feed(day2);
    let mut problems = Vec::new();
    for job in &run.jobs {
        let (Outcome::Loaded(got), Some(want)) = (&job.outcome, expected.get(&job.feed)) else {
            continue;
        };
        let want = db::LoadStats {
            created: want.created,
            updated: want.updated,
            unchanged: want.unchanged,
            rejected: want.malformed,
        };
        if *got != want {
            problems.push(format!(
                "{} {}: loaded {got:?}, the generator wrote {want:?}",
                run.mode, job.feed
            ));
        }
    }
    problems
}

pub fn checksum_table(modes: &[Mode], sums: &[Vec<(String, Checksum)>]) -> Table {
    let first = sums.first().cloned().unwrap_or_default();
    let rows = first
        .iter()
        .enumerate()
        .map(|(i, (table, sum))| {
            let mut row = vec![table.clone(), sum.rows.to_string()];
            row.extend(sums.iter().map(|s| format!("{:016x}", s[i].1.hash)));
            if sums.len() == 2 {
                row.push(if sums[1][i].1 == *sum { "yes" } else { "NO" }.into());
            }
            row
        })
        .collect();
    let mut columns = vec!["table".to_owned(), "rows".to_owned()];
    columns.extend(modes.iter().map(|m| format!("checksum {m}")));
    if sums.len() == 2 {
        columns.push("identical".into());
    }
    Table {
        title: "Table contents after the day-2 refresh".into(),
        columns,
        rows,
    }
}

pub struct Inputs<'a> {
    pub args: &'a Args,
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
    let mut metrics = Vec::new();
    let mut notes = Vec::new();
    let mut tables = Vec::new();

    let mut timing_rows = Vec::new();
    for run in runs.iter() {
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
        metrics
            .push(Metric::new("writer busy", run.writer_busy.as_secs_f64(), "s").in_group(&group));
        if let Some(cpu) = run.writer_cpu {
            metrics.push(Metric::new("writer CPU", cpu.as_secs_f64(), "s").in_group(&group));
        }
        if let Some(wait) = run.writer_run_queue {
            metrics.push(
                Metric::new("writer waited for a core", wait.as_secs_f64(), "s").in_group(&group),
            );
        }
        timing_rows.push(vec![
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
    tables.push(Table {
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
        rows: timing_rows,
    });

    let sequential = runs.iter().find(|r| r.mode == Mode::Sequential);
    let concurrent = runs.iter().find(|r| r.mode == Mode::Concurrent);
    let mut headline_tail = String::new();
    if let (Some(seq), Some(con)) = (sequential, concurrent) {
        let speedup = seq.wall.as_secs_f64() / con.wall.as_secs_f64().max(1e-9);
        // Each job's time when it had the machine to itself: the sequential run's.
        let alone: HashMap<Feed, Duration> =
            seq.jobs.iter().map(|j| (j.feed, j.duration())).collect();
        let path = critical_path(&alone);
        let chain: Vec<String> = critical_chain(&alone)
            .iter()
            .map(ToString::to_string)
            .collect();
        let sum: Duration = alone.values().sum();
        // The writer's own work: CPU time where known (a stricter bound than its busy wall time).
        let writer = con.writer_cpu.unwrap_or(con.writer_busy);
        let bound = path.max(writer);
        let ratio = |d: Duration| con.wall.as_secs_f64() / d.as_secs_f64().max(1e-9);
        let ratio_path = ratio(path);
        let ratio_bound = ratio(bound);
        metrics.push(Metric::new("speedup", round2(speedup), "x"));
        metrics.push(Metric::new("critical path", path.as_secs_f64(), "s"));
        metrics.push(Metric::new(
            "concurrent / critical path",
            round2(ratio_path),
            "x",
        ));
        metrics.push(Metric::new(
            "concurrent / max(critical path, writer work)",
            round2(ratio_bound),
            "x",
        ));
        metrics.push(Metric::new(
            "most the DAG allows",
            round2(sum.as_secs_f64() / path.as_secs_f64().max(1e-9)),
            "x",
        ));
        let mut bounds = vec![(format!("critical path: {}", chain.join(" -> ")), path)];
        if let Some(cpu) = con.writer_cpu {
            bounds.push(("single writer CPU time (concurrent run)".into(), cpu));
        }
        bounds.push((
            "single writer busy (concurrent run)".into(),
            con.writer_busy,
        ));
        bounds.push(("sum of jobs (= sequential)".into(), sum));
        tables.push(Table {
            title: "How close concurrent came to the lower bounds".into(),
            columns: ["bound", "seconds", "concurrent / bound"]
                .map(String::from)
                .to_vec(),
            rows: bounds
                .into_iter()
                .map(|(label, d)| vec![label, secs(d), format!("{:.2}", ratio(d))])
                .collect(),
        });
        notes.push(format!(
            "Critical path = the longest dependency chain ({}), timing each job as it ran alone in \
             the sequential run: an estimate of the best any schedule can do. With one SQLite writer, no \
             schedule beats the writer's own work either; concurrent took {ratio_bound:.2}x the \
             larger of the two.",
            chain.join(" -> ")
        ));
        headline_tail = format!(
            ": sequential {}, concurrent {} ({speedup:.2}x; critical path {})",
            duration(seq.wall),
            duration(con.wall),
            duration(path)
        );
    }

    let lines = runs.first().map_or(0, |r| r.lines());
    let story_rate = |d: Duration| format!("{:.0}", per_second(STORY_RECORDS, d));
    let mut story_rows = vec![vec![
        "the story (interview notes, not measured here)".into(),
        STORY_RECORDS.to_string(),
        duration(STORY_BEFORE),
        duration(STORY_AFTER),
        story_rate(STORY_BEFORE),
        story_rate(STORY_AFTER),
    ]];
    if let (Some(seq), Some(con)) = (sequential, concurrent) {
        story_rows.push(vec![
            "this run (measured)".into(),
            lines.to_string(),
            duration(seq.wall),
            duration(con.wall),
            format!("{:.0}", per_second(lines, seq.wall)),
            format!("{:.0}", per_second(lines, con.wall)),
        ]);
    }
    tables.push(Table {
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
        rows: story_rows,
    });

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

    if args.source_latency.is_zero() {
        let run = concurrent.or(sequential);
        let share = |d: Option<Duration>| {
            d.zip(run).map_or("-".to_owned(), |(d, r)| {
                format!(
                    "{:.0}%",
                    100.0 * d.as_secs_f64() / r.wall.as_secs_f64().max(1e-9)
                )
            })
        };
        notes.push(format!(
            "Source latency off: no job waits on a remote system, so the jobs share the cores \
             and the one SQLite writer (in the {} run the writer was on a core {} and waiting \
             for one {} of the time). The story's 1,667 rows/s came from jobs waiting on remote \
             systems: --source-latency models that.",
            run.map_or(Mode::Concurrent, |r| r.mode),
            share(run.and_then(|r| r.writer_cpu)),
            share(run.and_then(|r| r.writer_run_queue)),
        ));
    } else {
        notes.push(format!(
            "Simulated source latency ON: {} before each page of {} rows (a sleep standing in \
             for a remote system).",
            duration(args.source_latency),
            args.page_size
        ));
    }
    notes.push(format!(
        "The story's figures (18 M records, 3 h -> 30 min) are from the interview notes; \
         this run refreshed {} records on this machine.",
        count(lines.saturating_sub(rejected))
    ));
    notes.push(format!(
        "SQLite: one writer connection, upserts in transactions of {} rows, {}.",
        count(args.batch_rows),
        db::PRAGMAS
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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
