//! The tables and charts of a run: the feeds, each mode's jobs, the Gantt chart, the checksums,
//! and the targets side by side.

use std::time::Duration;

use demo_kit::{ChartData, GanttTask, Table};

use crate::db::{self, Checksum};
use crate::format::{count, per_second, secs};
use crate::generate::{FeedManifest, manifest_by_feed};
use crate::outcome::TargetRun;
use crate::refresh::{Mode, Outcome, RefreshReport};

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

/// The targets side by side: each mode's wall time and rows/s, and the process's peak RSS.
pub fn targets_table(targets: &[TargetRun]) -> Table {
    let mut rows = Vec::new();
    for target in targets {
        for run in &target.runs {
            rows.push(vec![
                target.kind.name().to_owned(),
                run.mode.to_string(),
                secs(run.wall),
                count(per_second(run.lines(), run.wall) as u64),
                target
                    .peak_rss
                    .map_or("-".into(), |b| format!("{:.0}", b as f64 / 1e6)),
            ]);
        }
    }
    Table {
        title: "Targets side by side (same feeds, same modes; peak RSS of this process while the \
                target ran, generation excluded)"
            .into(),
        columns: ["target", "mode", "wall s", "rows/s", "peak RSS MB"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}
