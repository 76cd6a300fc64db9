//! End-to-end: generate feeds, load day 1, refresh day 2 in both modes, and check the outcome
//! against what the generator wrote.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use concurrent_etl::db::{self, Checksum};
use concurrent_etl::feed::Feed;
use concurrent_etl::generate::{FeedManifest, Generator};
use concurrent_etl::refresh::{self, Config, Mode, Outcome, RefreshReport};
use concurrent_etl::{ConcurrentEtl, EtlError};
use demo_kit::{ChartData, CollectSink, DemoError, Event, Reporter, run_demo};

struct Days {
    dir: tempfile::TempDir,
    day1: Vec<FeedManifest>,
    day2: Vec<FeedManifest>,
}

fn generate(records: u64, bad_rows: u64) -> Days {
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(records, 42, bad_rows);
    let day1 = generator.write_day(&dir.path().join("day1"), 1).unwrap();
    let day2 = generator.write_day(&dir.path().join("day2"), 2).unwrap();
    Days { dir, day1, day2 }
}

fn config(dir: &Path, day: &str, db: PathBuf, mode: Mode, m: &[FeedManifest]) -> Config {
    Config {
        mode,
        feeds: dir.join(day),
        feed_label: day.to_owned(),
        db,
        page_size: 700,
        batch_rows: 2_000,
        source_latency: Duration::ZERO,
        label: mode.to_string(),
        totals: m.iter().map(|m| (m.feed, m.lines)).collect(),
        postgres: None,
    }
}

fn quiet() -> Reporter {
    Reporter::new(CollectSink::new())
}

/// Loads day 1 into `db`, then refreshes day 2 in `mode`.
fn day1_then_day2(days: &Days, db: &Path, mode: Mode) -> RefreshReport {
    let dir = days.dir.path();
    let first = refresh::run(
        &config(dir, "day1", db.to_owned(), Mode::Concurrent, &days.day1),
        &quiet(),
    )
    .unwrap();
    assert!(first.all_loaded());
    assert_eq!(
        first.stats().created,
        days.day1.iter().map(|m| m.lines).sum::<u64>()
    );
    refresh::run(
        &config(dir, "day2", db.to_owned(), mode, &days.day2),
        &quiet(),
    )
    .unwrap()
}

fn checksums(db: &Path) -> Vec<Checksum> {
    let conn = db::open_read_only(db).unwrap();
    Feed::ALL
        .iter()
        .map(|f| f.name())
        .chain(["rejects"])
        .map(|t| db::checksum(&conn, t).unwrap())
        .collect()
}

#[test]
fn both_modes_leave_identical_tables_with_the_expected_counts_and_a_rerun_changes_nothing() {
    let days = generate(20_000, 6);
    let dir = days.dir.path();
    let mut sums = Vec::new();
    for mode in [Mode::Sequential, Mode::Concurrent] {
        let db = dir.join(format!("{mode}.db"));
        let run = day1_then_day2(&days, &db, mode);
        assert!(run.all_loaded(), "{:?}", run.jobs);
        for manifest in &days.day2 {
            let Outcome::Loaded(stats) = &run.job(manifest.feed).unwrap().outcome else {
                panic!("{} did not load", manifest.feed);
            };
            assert_eq!(
                (
                    stats.created,
                    stats.updated,
                    stats.unchanged,
                    stats.rejected
                ),
                (
                    manifest.created,
                    manifest.updated,
                    manifest.unchanged,
                    manifest.malformed
                ),
                "{mode} {}",
                manifest.feed
            );
        }
        let rerun =
            refresh::run(&config(dir, "day2", db.clone(), mode, &days.day2), &quiet()).unwrap();
        assert!(rerun.all_loaded());
        assert_eq!(rerun.stats().changed(), 0, "{mode}: re-run changed rows");
        assert_eq!(
            rerun.stats().unchanged,
            run.stats().changed() + run.stats().unchanged
        );
        let after_rerun = checksums(&db);
        sums.push(after_rerun);
    }
    assert_eq!(sums[0], sums[1]);
    assert!(sums[0].iter().all(|c| c.rows > 0));
}

#[test]
fn concurrent_jobs_start_when_their_dependencies_finish() {
    let days = generate(20_000, 0);
    let run = day1_then_day2(&days, &days.dir.path().join("c.db"), Mode::Concurrent);
    let job = |f| run.job(f).unwrap();
    for feed in Feed::ALL {
        for dep in feed.deps() {
            assert!(job(feed).start >= job(*dep).end, "{feed} before {dep}");
        }
    }
    // customers and products have no dependencies: both start at once.
    assert!(job(Feed::Products).start < job(Feed::Customers).end);
}

#[test]
fn malformed_lines_go_to_the_reject_table_with_file_line_and_reason() {
    let days = generate(5_000, 28);
    let db = days.dir.path().join("rejects.db");
    let run = day1_then_day2(&days, &db, Mode::Concurrent);
    assert!(run.all_loaded(), "a reject must not stop the job");
    assert_eq!(run.stats().rejected, 28);
    let conn = db::open_read_only(&db).unwrap();
    let mut stmt = conn
        .prepare("SELECT file, line, reason FROM rejects ORDER BY file, line")
        .unwrap();
    let rejects: Vec<(String, i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rejects.len(), 28);
    let mut reasons: HashMap<&str, usize> = HashMap::new();
    for (file, line, reason) in &rejects {
        // The line number points at the malformed line in the file.
        let path = days.dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let content = text.lines().nth(*line as usize - 1).unwrap();
        let record_id: Option<u64> = content.split(',').next().and_then(|id| id.parse().ok());
        assert!(
            record_id.is_none_or(|id| id > 1_000_000),
            "{file}:{line} is a real record: {content}"
        );
        for kind in [
            "bad number",
            "missing key",
            "broken quoting",
            "not found in",
            "expected",
        ] {
            if reason.contains(kind) {
                *reasons.entry(kind).or_default() += 1;
            }
        }
    }
    assert_eq!(reasons.values().sum::<usize>(), 28, "{rejects:?}");
    assert_eq!(
        reasons.len(),
        5,
        "every kind of reject shows up: {reasons:?}"
    );
}

#[test]
fn a_missing_feed_fails_its_job_and_dependants_while_the_others_finish() {
    for mode in [Mode::Sequential, Mode::Concurrent] {
        let days = generate(5_000, 0);
        std::fs::remove_file(days.dir.path().join("day2/products.csv")).unwrap();
        let run = day1_then_day2(&days, &days.dir.path().join("m.db"), mode);
        let outcome = |f| &run.job(f).unwrap().outcome;
        match outcome(Feed::Products) {
            Outcome::Failed(e @ EtlError::MissingSource { .. }) => {
                let message = e.to_string();
                assert!(message.contains("products.csv"), "{message}");
                assert!(message.contains("missing"), "{message}");
            }
            other => panic!("{mode}: products: {other:?}"),
        }
        for feed in [Feed::Prices, Feed::Inventory, Feed::OrderLines] {
            assert!(
                matches!(
                    outcome(feed),
                    Outcome::Skipped {
                        because: Feed::Products
                    }
                ),
                "{mode} {feed}: {:?}",
                outcome(feed)
            );
        }
        for feed in [Feed::Customers, Feed::Orders, Feed::Shipments] {
            assert!(
                matches!(outcome(feed), Outcome::Loaded(s) if s.changed() > 0),
                "{mode} {feed}: {:?}",
                outcome(feed)
            );
        }
    }
}

#[test]
fn a_feed_with_the_wrong_header_fails_with_what_was_expected() {
    let days = generate(5_000, 0);
    let path = days.dir.path().join("day2/shipments.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("carrier", "courier", 1)).unwrap();
    let run = day1_then_day2(&days, &days.dir.path().join("h.db"), Mode::Concurrent);
    match &run.job(Feed::Shipments).unwrap().outcome {
        Outcome::Failed(e) => assert!(e.to_string().contains("id,order_id,carrier"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        run.job(Feed::OrderLines).unwrap().outcome,
        Outcome::Loaded(_)
    ));
}

#[test]
fn lines_that_are_not_utf8_or_are_empty_are_rejected_not_fatal() {
    let days = generate(5_000, 0);
    let path = days.dir.path().join("day2/orders.csv");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"\n9999999,1,20001,\xff\xfe\n");
    std::fs::write(&path, bytes).unwrap();
    let run = day1_then_day2(&days, &days.dir.path().join("u.db"), Mode::Sequential);
    match &run.job(Feed::Orders).unwrap().outcome {
        Outcome::Loaded(s) => assert_eq!(s.rejected, 2),
        other => panic!("{other:?}"),
    }
}

fn demo(args: &[&str]) -> (Result<demo_kit::Summary, DemoError>, Vec<Event>) {
    let sink = CollectSink::new();
    let reporter = Reporter::new(sink.clone());
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    let outcome = run_demo(&ConcurrentEtl, &args, &reporter);
    (outcome, sink.events())
}

#[test]
fn the_demo_reports_both_modes_a_gantt_chart_and_the_story_beside_its_own_numbers() {
    let (outcome, events) = demo(&["--records", "5000", "--source-latency", "1ms"]);
    let summary = outcome.unwrap();
    assert!(
        summary.headline.contains("identical tables"),
        "{}",
        summary.headline
    );
    assert!(summary.headline.contains("re-run changed 0 rows"));
    let metric = |name: &str| summary.metrics.iter().find(|m| m.name == name);
    assert!(metric("speedup").is_some_and(|m| m.value > 0.0));
    assert!(metric("critical path").is_some_and(|m| m.value > 0.0));
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("Modeled source wait: 1.0 ms per fetched page of 1,000 rows"))
    );
    assert!(summary.notes.iter().any(|n| {
        n.starts_with("Implication (from the story's numbers, not measured)")
            && n.contains("1.7 k records/s")
    }));
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("what were the jobs waiting on?"))
    );
    assert!(
        summary.headline.contains("the story 6x") && summary.headline.contains("the DAG allows"),
        "{}",
        summary.headline
    );
    let gantt = events.iter().find_map(|e| match e {
        Event::Chart(c) => match &c.data {
            ChartData::Gantt { tasks } => Some(tasks.clone()),
            _ => None,
        },
        _ => None,
    });
    let tasks = gantt.expect("a Gantt chart");
    assert_eq!(tasks.len(), 2 * Feed::ALL.len());
    assert!(tasks.iter().all(|t| t.end_ms >= t.start_ms));
    let story = events
        .iter()
        .any(|e| matches!(e, Event::Table(t) if t.rows.iter().any(|r| r[0].contains("the story"))));
    assert!(story, "the story's numbers are shown and labelled");
    assert!(events.iter().any(|e| matches!(e, Event::Progress { .. })));
    assert!(matches!(events.last(), Some(Event::Finished { .. })));
}

#[test]
fn the_demo_fails_clearly_when_a_feed_is_missing() {
    let (outcome, events) = demo(&["--records", "5000", "--drop-feed", "orders"]);
    let error = outcome.unwrap_err().to_string();
    assert!(error.contains("orders"), "{error}");
    assert!(
        error.contains("order_lines") && error.contains("shipments"),
        "{error}"
    );
    let logged = events.iter().any(
        |e| matches!(e, Event::Log { message, .. } if message.contains("source file missing")),
    );
    assert!(logged);
    assert!(matches!(events.last(), Some(Event::Failed { .. })));
}

#[test]
fn bad_parameters_are_usage_errors() {
    for args in [
        &["--records", "5"][..],
        &["--mode", "parallel"],
        &["--source-latency", "soon"],
        &["--drop-feed", "warehouse_robots"],
    ] {
        let (outcome, events) = demo(args);
        assert!(
            matches!(outcome, Err(DemoError::Usage(_))),
            "{args:?}: {outcome:?}"
        );
        // Nothing ran: the kit frames the attempt, but no phase started.
        assert!(!events.iter().any(|e| matches!(e, Event::Phase { .. })));
    }
}

#[test]
fn the_default_run_models_a_wait_and_says_so() {
    use clap::Parser;
    let args = concurrent_etl::Args::parse_from(["concurrent-etl"]);
    assert!(
        !args.source_latency.is_zero(),
        "the story's waits are on by default"
    );
    let (outcome, _) = demo(&[
        "--records",
        "2000",
        "--source-latency",
        "0ms",
        "--mode",
        "sequential",
    ]);
    let summary = outcome.unwrap();
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("Modeled source wait: off")),
        "{:?}",
        summary.notes
    );
}

#[test]
fn the_sweep_charts_speedup_against_wait_with_both_bounds() {
    let (outcome, events) = demo(&["--records", "3000", "--source-latency", "4ms", "--sweep"]);
    let summary = outcome.unwrap();
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.starts_with("Sweep (measured)"))
    );
    let series = events
        .iter()
        .find_map(|e| match e {
            Event::Chart(c) => match &c.data {
                ChartData::Lines { series, .. } => Some(series.clone()),
                _ => None,
            },
            _ => None,
        })
        .expect("a line chart");
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[1].starts_with("DAG bound") && names[2].starts_with("writer bound"));
    let waits: Vec<f64> = series[0].points.iter().map(|p| p.0).collect();
    assert_eq!(waits, [0.0, 0.5, 1.0, 2.0, 4.0]);
    for s in &series {
        assert!(
            s.points.iter().all(|(_, y)| y.is_finite() && *y > 0.0),
            "{}",
            s.name
        );
    }
    // Where the wait dominates, the DAG allows far more than the seven-feed batch's 1.5x:
    // most feeds are independent.
    assert!(
        series[1].points.last().is_some_and(|(_, y)| *y > 2.0),
        "{:?}",
        series[1]
    );
}
