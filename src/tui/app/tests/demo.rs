//! `update` and `demo_message` on the demo screen: runner events, cancel, parameters, the
//! tables and charts.

use super::*;

fn tagged(run: u64, message: Message) -> Tagged {
    Tagged {
        run: RunId(run),
        message,
    }
}

#[test]
fn demo_events_fill_the_view_and_other_runs_are_dropped() {
    use demo_kit::{Bar, Chart, ChartData, Event, Summary};
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(7)));
    let event = |e: Event| tagged(7, Message::Event(e));
    app.demo_message(event(Event::Phase {
        name: "load".into(),
    }));
    app.demo_message(event(Event::Progress {
        phase: "load".into(),
        done: 5,
        total: Some(10),
        unit: "jobs".into(),
    }));
    app.demo_message(event(Event::Chart(Chart {
        title: "throughput".into(),
        data: ChartData::Bar {
            unit: "rec/s".into(),
            bars: vec![Bar {
                label: "async".into(),
                value: 3.0,
            }],
        },
    })));
    // A message of a cancelled run is ignored.
    assert_eq!(
        app.demo_message(tagged(6, Message::Stderr("old".into()))),
        None
    );
    let view = app.demo.as_ref().unwrap();
    assert_eq!(view.phase.as_deref(), Some("load"));
    assert_eq!(view.progress.as_ref().map(|p| p.done), Some(5));
    assert_eq!(view.charts.len(), 1);
    assert!(view.log.iter().all(|l| l.text != "old"));
    app.demo_message(event(Event::Finished {
        summary: Summary {
            headline: "3x faster".into(),
            ..Summary::default()
        },
    }));
    assert_eq!(
        app.demo_message(tagged(7, Message::Exited { code: Some(0) })),
        Some(Effect::LoadDemoRun("concurrent-etl".into()))
    );
    let view = app.demo.as_ref().unwrap();
    assert!(matches!(&view.state, RunState::Finished(s) if s.headline == "3x faster"));
    assert_eq!(view.run, None);
}

#[test]
fn a_demo_that_exits_without_a_result_has_failed() {
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(1)));
    app.demo_message(tagged(1, Message::Stderr("error: unknown demo".into())));
    app.demo_message(tagged(1, Message::Exited { code: Some(2) }));
    let RunState::Failed(error) = &app.demo.as_ref().unwrap().state else {
        panic!("must fail");
    };
    assert!(
        error.contains("code 2") && error.contains("unknown demo"),
        "{error}"
    );
}

#[test]
fn esc_cancels_a_running_demo_then_goes_back() {
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(1)));
    for i in 0..30 {
        app.demo_message(tagged(1, Message::Garbled(format!("line {i}"))));
    }
    app.update(Action::Up);
    app.update(Action::PageUp);
    let view = app.demo.as_ref().unwrap();
    assert!(!view.follow);
    assert_eq!(view.scroll, 11);
    app.update(Action::Follow);
    assert!(app.demo.as_ref().unwrap().follow);
    assert_eq!(app.update(Action::Back), Some(Effect::CancelDemo));
    assert_eq!(app.demo.as_ref().unwrap().state, RunState::Cancelled);
    assert_eq!(
        app.screen(),
        Screen::Demo,
        "the cancelled run stays on screen"
    );
    // Late output of the killed run is dropped.
    app.demo_message(tagged(1, Message::Stderr("late".into())));
    assert!(
        app.demo
            .as_ref()
            .unwrap()
            .log
            .iter()
            .all(|l| l.text != "late")
    );
    assert_eq!(app.update(Action::Back), None);
    assert_eq!(app.screen(), Screen::Library);
}

#[test]
fn the_log_is_capped() {
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(1)));
    for i in 0..LOG_CAP + 5 {
        app.demo_message(tagged(1, Message::Garbled(format!("line {i}"))));
    }
    let log = &app.demo.as_ref().unwrap().log;
    assert_eq!(log.len(), LOG_CAP);
    assert_eq!(log.front().unwrap().text, "line 5");
}

#[test]
fn demo_parameters_are_typed_run_and_remembered() {
    let (mut app, _store) = app();
    app.update(Action::Open);
    app.update(Action::EditParams);
    assert_eq!(app.screen(), Screen::Demo);
    assert_eq!(app.mode(), Mode::Params);
    assert_eq!(app.demo.as_ref().unwrap().state, RunState::Idle);
    assert_eq!(app.update(Action::Back), None, "keys are typed, not obeyed");
    for c in "--records 2000".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::SearchBackspace);
    assert_eq!(
        app.update(Action::SearchAccept),
        Some(Effect::StartDemo {
            demo_id: "concurrent-etl".into(),
            params: vec!["--records".into(), "200".into()],
        })
    );
    assert_eq!(app.mode(), Mode::Demo);
    assert!(app.demo.as_ref().unwrap().is_running());
    assert_eq!(app.demo.as_ref().unwrap().params, "--records 200");
    app.demo_started(Ok(RunId(1)));
    app.demo_message(tagged(1, Message::Exited { code: Some(0) }));
    // `d` runs again with the same parameters.
    assert_eq!(
        app.update(Action::RunDemo),
        Some(Effect::StartDemo {
            demo_id: "concurrent-etl".into(),
            params: vec!["--records".into(), "200".into()],
        })
    );
    // While it runs, the parameters cannot change; after a cancel, esc leaves the editor.
    app.update(Action::EditParams);
    assert_eq!(app.mode(), Mode::Demo);
    app.update(Action::Back);
    app.update(Action::EditParams);
    assert_eq!(app.mode(), Mode::Params);
    app.update(Action::SearchCancel);
    assert_eq!(app.mode(), Mode::Demo);
    assert_eq!(app.screen(), Screen::Demo);
}

#[test]
fn every_table_and_chart_of_a_demo_can_be_shown_not_only_the_newest() {
    let (mut app, _store) = app();
    app.update(Action::RunDemo);
    app.demo_started(Ok(RunId(1)));
    let table = |title: &str| {
        Message::Event(Event::Table(Table {
            title: title.into(),
            columns: vec!["a".into()],
            rows: vec![],
        }))
    };
    let shown = |app: &App| {
        let view = app.demo.as_ref().unwrap();
        view.shown_table().map(|(at, t)| (at, t.title.clone()))
    };
    assert_eq!(shown(&app), None);
    app.update(Action::NextTable);
    assert_eq!(shown(&app), None, "nothing to cycle through yet");

    for title in ["per strategy", "end to end", "python"] {
        app.demo_message(tagged(1, table(title)));
    }
    assert_eq!(
        shown(&app),
        Some((2, "python".into())),
        "the newest by default"
    );
    app.update(Action::NextTable);
    assert_eq!(
        shown(&app),
        Some((0, "per strategy".into())),
        "wraps around"
    );
    app.update(Action::NextTable);
    assert_eq!(shown(&app), Some((1, "end to end".into())));

    // A table that arrives later does not move the one the user picked ...
    app.demo_message(tagged(1, table("load")));
    assert_eq!(shown(&app), Some((1, "end to end".into())));
    // ... until they follow again.
    app.update(Action::Follow);
    assert_eq!(shown(&app), Some((3, "load".into())));

    // A table sent again under the same title is updated in place, not added.
    app.demo_message(tagged(1, table("end to end")));
    assert_eq!(app.demo.as_ref().unwrap().tables.len(), 4);

    assert!(!app.demo.as_ref().unwrap().wide);
    app.update(Action::WideResults);
    assert!(app.demo.as_ref().unwrap().wide);
    app.update(Action::WideResults);
    assert!(!app.demo.as_ref().unwrap().wide);
}
