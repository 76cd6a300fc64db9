//! Every screen at 100x30 through `TestBackend`, compared with insta snapshots.

use demo_kit::{Bar, Chart, ChartData, Event, GanttTask, Level, Metric, Summary, Table};
use jiff::SignedDuration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::demo::runner::{Message, RunId, Tagged};
use crate::practice::{Leech, Stats};
use crate::srs::stats::DayCount;
use crate::srs::{CardId, Grade, Scope};
use crate::tui::app::Action;
use crate::tui::testing::{app, now, start_drill};

mod mock;
mod spoken;

/// Snapshots live in `src/tui/snapshots/`.
macro_rules! snapshot {
    ($value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!($value));
    }};
}

pub(super) fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    terminal
}

pub(super) fn screen(app: &App) -> String {
    draw(app, 100, 30).backend().to_string()
}

#[test]
fn library() {
    let (app, _store) = app();
    snapshot!(screen(&app));
}

#[test]
fn library_search() {
    let (mut app, _store) = app();
    app.update(Action::Search);
    for c in "etl".chars() {
        app.update(Action::SearchInput(c));
    }
    snapshot!(screen(&app));
}

#[test]
fn story() {
    let (mut app, _store) = app();
    app.update(Action::Bottom);
    app.update(Action::Open);
    snapshot!(screen(&app));
}

#[test]
fn a_metric_note_is_shown_under_its_number() {
    let (mut app, _store) = app();
    for entry in &mut app.data.stories {
        for metric in &mut entry.story.meta.metrics {
            metric.note = Some(format!("note on {}", metric.name));
        }
    }
    app.update(Action::Bottom);
    app.update(Action::Open);
    let screen = screen(&app);
    assert!(
        screen.contains("│    (note on time per XML, end to end)"),
        "{screen}"
    );
}

#[test]
fn drill_question_with_an_overrun() {
    let (mut app, store) = app();
    start_drill(&mut app, &store, Scope::Story("xml-etl-lambda".into()));
    app.now = now() + SignedDuration::from_secs(19);
    app.update(Action::NextSection);
    app.now = now() + SignedDuration::from_secs(23);
    snapshot!(screen(&app));
}

#[test]
fn drill_revealed() {
    let (mut app, store) = app();
    start_drill(&mut app, &store, Scope::Story("xml-etl-lambda".into()));
    app.now = now() + SignedDuration::from_secs(12);
    app.update(Action::NextSection);
    app.now = now() + SignedDuration::from_secs(30);
    app.update(Action::Reveal);
    app.update(Action::Reveal);
    app.update(Action::Reveal);
    snapshot!(screen(&app));
}

#[test]
fn drill_summary() {
    let (mut app, store) = app();
    start_drill(&mut app, &store, Scope::Story("xml-etl-lambda".into()));
    let mut grade = 0;
    while !app.drill.as_ref().unwrap().session.is_finished() {
        // 20 s of Situation (over its 15 s), then 30 s of Task (over its 10 s).
        app.now += SignedDuration::from_secs(20);
        app.update(Action::NextSection);
        app.now += SignedDuration::from_secs(30);
        app.update(Action::Reveal);
        crate::tui::testing::grade(&mut app, Grade::ALL[grade % 2 + 2]);
        grade += 1;
    }
    snapshot!(screen(&app));
}

fn demo_app() -> App {
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(1)));
    let events = [
        Event::Started {
            demo: "concurrent-etl".into(),
            args: vec!["--records".into(), "20000".into()],
        },
        Event::Phase {
            name: "sequential".into(),
        },
        Event::Log {
            level: Level::Info,
            message: "12 jobs, 20000 records".into(),
        },
        Event::Log {
            level: Level::Warn,
            message: "retrying job 4".into(),
        },
        Event::Phase {
            name: "async".into(),
        },
        Event::Progress {
            phase: "async".into(),
            done: 7,
            total: Some(12),
            unit: "jobs".into(),
        },
        Event::Metric(Metric::new("wall time", 1.9, "s").in_group("async")),
        Event::Table(Table {
            title: "Runs".into(),
            columns: vec!["mode".into(), "wall".into(), "speed-up".into()],
            rows: vec![
                vec!["sequential".into(), "11.2 s".into(), "1.0x".into()],
                vec!["async".into(), "1.9 s".into(), "5.9x".into()],
            ],
        }),
        Event::Chart(Chart {
            title: "ETL jobs over time".into(),
            data: ChartData::Gantt {
                tasks: (0..6)
                    .map(|i| GanttTask {
                        label: format!("job {i}"),
                        lane: Some(if i < 3 { "sequential" } else { "async" }.into()),
                        start_ms: if i < 3 { f64::from(i) * 300.0 } else { 0.0 },
                        end_ms: if i < 3 {
                            f64::from(i + 1) * 300.0
                        } else {
                            350.0
                        },
                    })
                    .collect(),
            },
        }),
    ];
    for event in events {
        app.demo_message(Tagged {
            run: RunId(1),
            message: Message::Event(event),
        });
    }
    app
}

#[test]
fn demo_running() {
    snapshot!(screen(&demo_app()));
}

#[test]
fn demo_finished_with_a_bar_chart() {
    let mut app = demo_app();
    for event in [
        Event::Chart(Chart {
            title: "Throughput".into(),
            data: ChartData::Bar {
                unit: "rec/s".into(),
                bars: vec![
                    Bar {
                        label: "sequential".into(),
                        value: 1786.0,
                    },
                    Bar {
                        label: "async".into(),
                        value: 10526.0,
                    },
                ],
            },
        }),
        Event::Finished {
            summary: Summary {
                headline: "async is 5.9x faster than sequential".into(),
                ..Summary::default()
            },
        },
    ] {
        app.demo_message(Tagged {
            run: RunId(1),
            message: Message::Event(event),
        });
    }
    snapshot!(screen(&app));
}

#[test]
fn demo_results_across_the_whole_width() {
    let mut app = demo_app();
    app.demo_message(Tagged {
        run: RunId(1),
        message: Message::Event(Event::Table(Table {
            title: "Per strategy".into(),
            columns: [
                "strategy",
                "MB/s",
                "MB/CPU-s",
                "records/s",
                "p50 µs",
                "p99 µs",
                "vs full",
                "agrees",
                "path",
            ]
            .map(String::from)
            .to_vec(),
            rows: vec![
                [
                    "full conversion (1)",
                    "164.4",
                    "163.5",
                    "39304",
                    "24.1",
                    "41.0",
                    "1.0x",
                    "ref",
                    "",
                ]
                .map(String::from)
                .to_vec(),
                [
                    "memchr scan (4)",
                    "963.9",
                    "950.7",
                    "230383",
                    "4.1",
                    "6.9",
                    "5.8x",
                    "all",
                    "2 to parser",
                ]
                .map(String::from)
                .to_vec(),
            ],
        })),
    });
    app.update(Action::WideResults);
    app.update(Action::NextTable);
    app.update(Action::NextTable);
    snapshot!(screen(&app));
}

#[test]
fn demo_with_lines_over_time() {
    use demo_kit::Series;
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(1)));
    let series = |name: &str, f: fn(f64) -> f64| Series {
        name: name.into(),
        points: (0..30).map(|x| (f64::from(x), f(f64::from(x)))).collect(),
    };
    app.demo_message(Tagged {
        run: RunId(1),
        message: Message::Event(Event::Chart(Chart {
            title: "Invocations per second".into(),
            data: ChartData::Lines {
                x_label: "s".into(),
                y_label: "calls/s".into(),
                series: vec![
                    series("unguarded", |x| x * x),
                    series("guarded", |x| x.min(5.0)),
                ],
            },
        })),
    });
    snapshot!(screen(&app));
}

#[test]
fn demo_failed_to_start() {
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(1)));
    app.demo_message(Tagged {
        run: RunId(1),
        message: Message::Stderr("error: demo `concurrent-etl` is not in this build".into()),
    });
    app.demo_message(Tagged {
        run: RunId(1),
        message: Message::Exited { code: Some(2) },
    });
    snapshot!(screen(&app));
}

#[test]
fn a_long_error_in_the_log_wraps_instead_of_being_cut() {
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(1)));
    let error =
        "error: invalid value 'abc' for '--records <RECORDS>': invalid digit found in string";
    app.demo_message(Tagged {
        run: RunId(1),
        message: Message::Stderr(error.into()),
    });
    app.demo_message(Tagged {
        run: RunId(1),
        message: Message::Exited { code: Some(2) },
    });
    let text = draw(&app, 80, 24).backend().to_string();
    // The log pane is narrower than the error: its words come whole, over two rows.
    for word in error.split(' ') {
        assert!(text.contains(word), "{word:?} missing from:\n{text}");
    }
}

#[test]
fn stats() {
    let (mut app, _store) = app();
    app.update(Action::Stats);
    let today = crate::srs::stats::day_of(now(), &jiff::tz::TimeZone::UTC);
    let per_day = (0..84)
        .rev()
        .map(|back| {
            let date = today.checked_sub(jiff::Span::new().days(back)).unwrap();
            DayCount {
                date,
                count: usize::try_from((back * 7) % 5).unwrap(),
            }
        })
        .collect();
    let forecast = (0..14)
        .map(|ahead| {
            let date = today.checked_add(jiff::Span::new().days(ahead)).unwrap();
            DayCount {
                date,
                count: usize::try_from((ahead * 3) % 7).unwrap(),
            }
        })
        .collect();
    app.stats = Some(Stats {
        per_day,
        retention: Some(0.86),
        retention_reviews: 42,
        target_retention: 0.9,
        forecast,
        leeches: vec![Leech {
            card: CardId::new("xml-etl-lambda", "numbers"),
            lapses: 9,
            prompt: "What are the key numbers of: Cutting an SAP XML ETL Lambda?".into(),
        }],
        total_reviews: 230,
        spoken: Vec::new(),
        ..Stats::default()
    });
    snapshot!(screen(&app));
}

#[test]
fn help_lists_the_keys_of_the_screen_under_it() {
    let (mut app, store) = app();
    start_drill(&mut app, &store, Scope::All);
    app.update(Action::Help);
    let text = screen(&app);
    for binding in app.keymap.table(crate::tui::keymap::Mode::Drill) {
        assert!(text.contains(binding.name), "{} missing", binding.name);
    }
    snapshot!(text);
}

#[test]
fn too_small_says_so_at_any_size_below_80x24() {
    let (app, _store) = app();
    draw(&app, 0, 0);
    for (w, h) in [(79, 30), (100, 23), (40, 10), (1, 1)] {
        let text = draw(&app, w, h).backend().to_string();
        if w >= 20 && h >= 3 {
            assert!(text.contains("too small"), "{w}x{h}:\n{text}");
        }
    }
    snapshot!(draw(&app, 60, 20).backend().to_string());
    // 80x24 is enough.
    assert!(
        !draw(&app, 80, 24)
            .backend()
            .to_string()
            .contains("too small")
    );
}

#[test]
fn every_screen_draws_at_the_smallest_size() {
    let (mut app, store) = app();
    let sizes = [(80, 24), (81, 25), (200, 60)];
    let check = |app: &App| {
        for (w, h) in sizes {
            draw(app, w, h);
        }
    };
    check(&app);
    app.update(Action::Open);
    check(&app);
    app.update(Action::Back);
    start_drill(&mut app, &store, Scope::All);
    check(&app);
    app.update(Action::Reveal);
    check(&app);
    app.update(Action::Back);
    check(&demo_app());
    app.update(Action::Stats);
    check(&app);
    app.stats = Some(Stats::default());
    check(&app);
}

#[test]
fn the_key_bar_keeps_whole_hints_when_the_screen_is_narrow() {
    let app = demo_app();
    let wide = draw(&app, 120, 30).backend().to_string();
    assert!(wide.contains("d run again · p params"), "{wide}");
    let narrow = draw(&app, 80, 24).backend().to_string();
    let bar = narrow.lines().last().unwrap();
    assert!(bar.contains("esc cancel/back"), "{bar}");
    assert!(!bar.contains("p par"), "a hint is dropped, not cut: {bar}");
}
