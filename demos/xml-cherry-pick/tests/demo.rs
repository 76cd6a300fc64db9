//! The demo end to end through the protocol, as the app runs it.

use demo_kit::{ChartData, CollectSink, DemoError, Event, Level, Reporter, run_demo};
use xml_cherry_pick::XmlCherryPick;

fn run(args: &[&str]) -> (Result<demo_kit::Summary, DemoError>, Vec<Event>) {
    let sink = CollectSink::new();
    let reporter = Reporter::new(sink.clone());
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let outcome = run_demo(&XmlCherryPick, &args, &reporter);
    (outcome, sink.events())
}

fn tables(events: &[Event]) -> Vec<&demo_kit::Table> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn warnings(events: &[Event]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Log {
                level: Level::Warn,
                message,
            } => Some(message.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_small_generated_run_reports_every_strategy_and_the_malformed_records() {
    let (outcome, events) = run(&["--records", "60", "--malformed", "4", "--no-python"]);
    let summary = outcome.unwrap();
    assert!(matches!(events.last(), Some(Event::Finished { .. })));
    // What `--json` sends, the TUI can read back: every line parses, every number is finite
    // (serde_json writes NaN and infinity as null, which would not read back as a number).
    for event in &events {
        let line = event.to_json_line();
        let back = Event::parse_line(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(std::mem::discriminant(&back), std::mem::discriminant(event));
        match event {
            Event::Metric(m) => assert!(m.value.is_finite(), "{line}"),
            Event::Chart(c) => {
                if let ChartData::Bar { bars, .. } = &c.data {
                    assert!(bars.iter().all(|b| b.value.is_finite()), "{line}");
                }
            }
            Event::Finished { summary } => {
                assert!(
                    summary.metrics.iter().all(|m| m.value.is_finite()),
                    "{line}"
                );
            }
            _ => {}
        }
    }

    let chart = events
        .iter()
        .find_map(|e| match e {
            Event::Chart(c) => Some(c),
            _ => None,
        })
        .expect("a throughput chart");
    let ChartData::Bar { unit, bars } = &chart.data else {
        panic!("expected a bar chart");
    };
    assert!(unit == "MB/s" || unit == "MB per CPU second", "{unit}");
    assert_eq!(bars.len(), 4);
    assert!(bars.iter().all(|b| b.value > 0.0));

    let titles: Vec<&str> = tables(&events).iter().map(|t| t.title.as_str()).collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Real SAP IDocs")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("Where a regex breaks")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("Parse only")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("End to end")),
        "{titles:?}"
    );
    // The streaming strategy is shown beside what quick-xml alone takes: its bound.
    let parse = tables(&events)
        .into_iter()
        .find(|t| t.title.starts_with("Parse only"))
        .unwrap();
    let bound = parse
        .rows
        .iter()
        .find(|r| r[0].starts_with("bound: quick-xml alone"))
        .expect("a bound row");
    assert!(
        bound[1].parse::<f64>().is_ok_and(|mb| mb > 0.0),
        "{bound:?}"
    );
    let e2e = tables(&events)
        .into_iter()
        .find(|t| t.title.starts_with("End to end"))
        .unwrap();
    assert!(e2e.rows.iter().any(|r| r[0].starts_with("story's: regex")));
    // 60 records, 4 malformed: 56 rows loaded for every parser.
    assert!(
        e2e.rows
            .iter()
            .take(4)
            .filter(|r| !r[0].contains("regex"))
            .all(|r| r[4] == "56")
    );

    // Injected at 12, 24, 36, 48; each reported with its index and reason.
    let warnings = warnings(&events);
    for index in [12, 24, 36, 48] {
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(&format!("record {index} (generated): "))
                    && w.contains("[injected")),
            "record {index} not reported: {warnings:#?}"
        );
    }
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("Python comparison"))
    );
    for group in ["full", "regex", "stream", "scan"] {
        assert!(
            summary
                .metrics
                .iter()
                .any(|m| m.name == "parse throughput" && m.group.as_deref() == Some(group)),
            "{group}"
        );
    }
}

#[test]
fn input_runs_on_a_directory_of_real_idocs() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/idoc");
    let (outcome, events) = run(&["--input", dir, "--no-python", "--strategies", "scan"]);
    outcome.unwrap();
    let parse = tables(&events)
        .into_iter()
        .find(|t| t.title.starts_with("Parse only"))
        .unwrap();
    // Strategy 1 always runs as the reference.
    assert_eq!(parse.rows.len(), 2);
    assert_eq!(parse.rows[1][8], "0 to parser");
}

#[test]
fn a_missing_interpreter_is_said_plainly_not_faked() {
    let (outcome, events) = run(&[
        "--records",
        "20",
        "--malformed",
        "0",
        "--python",
        "/nonexistent/python3",
    ]);
    let summary = outcome.unwrap();
    assert!(
        warnings(&events)
            .iter()
            .any(|w| w.contains("Python comparison skipped") && w.contains("/nonexistent/python3")),
        "{:#?}",
        warnings(&events)
    );
    assert!(
        summary
            .metrics
            .iter()
            .all(|m| m.group.as_deref() != Some("python"))
    );
}

#[test]
fn help_and_mistakes_are_not_runs() {
    let (outcome, events) = run(&["--help"]);
    assert!(matches!(outcome, Err(DemoError::Help(text)) if text.contains("--records")));
    assert!(events.is_empty());
    let (outcome, _) = run(&["--records", "many"]);
    assert!(matches!(outcome, Err(DemoError::Usage(text)) if text.contains("--records")));
    let (outcome, _) = run(&["--input", "/nonexistent/idocs"]);
    assert!(matches!(outcome, Err(DemoError::Failed(text)) if text.contains("/nonexistent/idocs")));
}
