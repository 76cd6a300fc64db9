//! `--sweep`: the same day-2 refresh at modeled waits from 0 up to `--source-latency`, charted
//! as speedup against wait, with the two bounds that cap it: the DAG's critical path (no
//! schedule beats the longest dependency chain) and the single writer's own work (why no wait
//! gives about 1x on SQLite).

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use demo_kit::{ChartData, DemoError, Reporter, Series, Table};

use crate::args::Args;
use crate::db::{copy_db, remove_db};
use crate::feed::Feed;
use crate::format::duration;
use crate::generate::FeedManifest;
use crate::refresh::{self, Mode, RefreshReport, critical_path};
use crate::tables;
use crate::target::refresh_config;

/// The wait used as the top of the sweep when the run itself had none.
const TOP_WHEN_OFF: Duration = Duration::from_millis(40);

/// One refresh pair of the sweep, measured side by side.
#[derive(Debug, Clone)]
pub struct Point {
    pub wait: Duration,
    pub sequential: Duration,
    pub concurrent: Duration,
    /// Sum of the jobs / critical path, both from the sequential run's job times.
    pub dag_bound: f64,
    /// Sequential wall / the concurrent run's writer work.
    pub writer_bound: f64,
}

impl Point {
    pub fn speedup(&self) -> f64 {
        self.sequential.as_secs_f64() / self.concurrent.as_secs_f64().max(1e-9)
    }

    fn from_runs(wait: Duration, seq: &RefreshReport, con: &RefreshReport) -> Point {
        let alone: HashMap<Feed, Duration> =
            seq.jobs.iter().map(|j| (j.feed, j.duration())).collect();
        let sum: Duration = alone.values().sum();
        let writer = con.writer_cpu.unwrap_or(con.writer_busy);
        Point {
            wait,
            sequential: seq.wall,
            concurrent: con.wall,
            dag_bound: sum.as_secs_f64() / critical_path(&alone).as_secs_f64().max(1e-9),
            writer_bound: seq.wall.as_secs_f64() / writer.as_secs_f64().max(1e-9),
        }
    }
}

/// 0, then an eighth, a quarter, a half and all of `top`.
pub fn waits(top: Duration) -> Vec<Duration> {
    let top = if top.is_zero() { TOP_WHEN_OFF } else { top };
    let mut waits = vec![Duration::ZERO, top / 8, top / 4, top / 2, top];
    waits.dedup();
    waits
}

/// Runs the sweep from a copy of the day-1 database at `pristine` and reports it.
pub fn run(
    args: &Args,
    dir: &Path,
    day2: &[FeedManifest],
    pristine: &Path,
    reporter: &Reporter,
) -> Result<Vec<Point>, DemoError> {
    let mut points = Vec::new();
    for wait in waits(args.source_latency) {
        reporter.phase(format!("sweep: {} modeled wait per page", duration(wait)));
        let mut runs = Vec::new();
        for mode in [Mode::Sequential, Mode::Concurrent] {
            let db = dir.join(format!("sweep-{mode}.db"));
            remove_db(&db)?;
            copy_db(pristine, &db)?;
            let mut config = refresh_config(args, dir, mode, "day2", db, day2);
            config.source_latency = wait;
            config.label = format!("{mode} at {}", duration(wait));
            let run =
                refresh::run(&config, reporter).map_err(|e| DemoError::Failed(e.to_string()))?;
            let problems = tables::count_mismatches(&run, day2);
            if !run.all_loaded() || !problems.is_empty() {
                return Err(DemoError::failed(format!(
                    "the sweep's {mode} refresh at {} did not load as expected: {}",
                    duration(wait),
                    problems.join("; ")
                )));
            }
            runs.push(run);
        }
        let point = Point::from_runs(wait, &runs[0], &runs[1]);
        reporter.info(format!(
            "sweep at {}: sequential {}, concurrent {} ({:.2}x)",
            duration(wait),
            duration(point.sequential),
            duration(point.concurrent),
            point.speedup()
        ));
        points.push(point);
    }
    reporter.table(table(&points));
    reporter.chart(
        "Speedup against the modeled wait per page, with the two bounds",
        chart(&points),
    );
    Ok(points)
}

pub fn table(points: &[Point]) -> Table {
    Table {
        title: "Sweep: the same refresh at each modeled wait (bounds: the most the DAG allows; \
                sequential / the writer's own work)"
            .into(),
        columns: [
            "wait per page",
            "sequential s",
            "concurrent s",
            "speedup",
            "DAG bound",
            "writer bound",
        ]
        .map(String::from)
        .to_vec(),
        rows: points
            .iter()
            .map(|p| {
                vec![
                    duration(p.wait),
                    format!("{:.3}", p.sequential.as_secs_f64()),
                    format!("{:.3}", p.concurrent.as_secs_f64()),
                    format!("{:.2}", p.speedup()),
                    format!("{:.2}", p.dag_bound),
                    format!("{:.2}", p.writer_bound),
                ]
            })
            .collect(),
    }
}

pub fn chart(points: &[Point]) -> ChartData {
    let ms = |p: &Point| p.wait.as_secs_f64() * 1000.0;
    let series = |name: &str, value: fn(&Point) -> f64| Series {
        name: name.to_owned(),
        points: points.iter().map(|p| (ms(p), value(p))).collect(),
    };
    ChartData::Lines {
        x_label: "modeled wait per page (ms)".into(),
        y_label: "speedup (x)".into(),
        series: vec![
            series("measured speedup", Point::speedup),
            series("DAG bound (sum of jobs / critical path)", |p| p.dag_bound),
            series("writer bound (sequential / writer work)", |p| {
                p.writer_bound
            }),
        ],
    }
}

/// One sentence for the summary: where the curve starts and ends, and what caps each end.
pub fn note(points: &[Point]) -> Option<String> {
    let (first, last) = (points.first()?, points.last()?);
    Some(format!(
        "Sweep (measured): {:.1}x with no wait, where the single writer's work caps it at \
         {:.1}x; {:.1}x at {} per page, where the DAG caps it at {:.1}x and the writer at {:.1}x.",
        first.speedup(),
        first.writer_bound,
        last.speedup(),
        duration(last.wait),
        last.dag_bound,
        last.writer_bound
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sweep_starts_at_zero_and_ends_at_the_run_s_wait() {
        let ms = Duration::from_millis;
        assert_eq!(waits(ms(40)), [ms(0), ms(5), ms(10), ms(20), ms(40)]);
        assert_eq!(waits(Duration::ZERO).last(), Some(&TOP_WHEN_OFF));
    }
}
