//! The PostgreSQL target: the same checks as SQLite (counts, identical modes, a re-run that
//! changes nothing, rejects) and the same table contents, plus the errors a user meets first.
//!
//! The tests that need a server are ignored by default; `scripts/test` starts one with
//! `scripts/postgres.sh start` and runs them with `--include-ignored`.
#![cfg(feature = "postgres")]

use concurrent_etl::ConcurrentEtl;
use demo_kit::{CollectSink, DemoError, Event, Reporter, Summary, run_demo};

/// One run at a time: runs on one server share the schemas `etl_sequential` and
/// `etl_concurrent`, which each run drops and creates.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn demo(args: &[&str]) -> (Result<Summary, DemoError>, Vec<Event>) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let sink = CollectSink::new();
    let reporter = Reporter::new(sink.clone());
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    let outcome = run_demo(&ConcurrentEtl, &args, &reporter);
    (outcome, sink.events())
}

#[test]
#[ignore = "needs PostgreSQL: scripts/test runs it"]
fn postgres_passes_the_same_checks_as_sqlite() {
    let (outcome, events) = demo(&[
        "--records",
        "6000",
        "--source-latency",
        "0ms",
        "--bad-rows",
        "30",
        "--target",
        "postgres",
    ]);
    let summary = outcome.unwrap();
    assert!(
        summary.headline.contains("identical tables")
            && summary.headline.contains("re-run changed 0 rows")
            && summary.headline.contains("30 malformed lines rejected"),
        "{}",
        summary.headline
    );
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.starts_with("Assumption: ") && n.contains("PostgreSQL")),
        "{:?}",
        summary.notes
    );
    assert!(matches!(events.last(), Some(Event::Finished { .. })));
}

#[test]
#[ignore = "needs PostgreSQL: scripts/test runs it"]
fn both_targets_side_by_side_leave_identical_tables() {
    let (outcome, events) = demo(&[
        "--records",
        "5000",
        "--source-latency",
        "1ms",
        "--target",
        "both",
    ]);
    let summary = outcome.unwrap();
    assert!(
        summary.headline.contains("PostgreSQL: ")
            && summary.headline.contains("tables identical to SQLite's"),
        "{}",
        summary.headline
    );
    assert!(
        summary
            .metrics
            .iter()
            .any(|m| m.name == "speedup" && m.group.as_deref() == Some("PostgreSQL"))
    );
    let side_by_side = events.iter().any(|e| {
        matches!(e, Event::Table(t) if t.title.starts_with("Targets side by side")
            && t.rows.len() == 4
            && t.columns.contains(&"peak RSS MB".to_owned()))
    });
    assert!(side_by_side, "a table puts both targets side by side");
}

#[test]
fn a_server_that_is_down_is_named_with_the_command_that_starts_it() {
    // Port 1 on loopback: nothing listens there.
    let url = "postgres://rehearse@127.0.0.1:1/rehearse";
    let (outcome, _) = demo(&[
        "--records",
        "1000",
        "--target",
        "postgres",
        "--database-url",
        url,
    ]);
    let error = outcome.unwrap_err();
    assert!(matches!(error, DemoError::Unavailable(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains(url), "{text}");
    assert!(text.contains("scripts/postgres.sh start"), "{text}");
}

#[test]
fn a_remote_database_is_refused_unless_allowed() {
    let (outcome, events) = demo(&[
        "--records",
        "1000",
        "--target",
        "both",
        "--database-url",
        "postgres://etl@db.example.com/prod",
    ]);
    let error = outcome.unwrap_err().to_string();
    assert!(
        error.contains("db.example.com") && error.contains("--allow-remote-database"),
        "{error}"
    );
    assert!(
        !events.iter().any(|e| matches!(e, Event::Phase { .. })),
        "refused before anything ran"
    );
}
