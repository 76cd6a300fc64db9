//! The mock screen's actions: picking by number, by search and none; the answer's pacing;
//! the self-check before the grade; storing, a refused write, leaving and the report.

use jiff::SignedDuration;

use std::time::Duration;

use super::*;
use crate::mock::pick::Pick;
use crate::practice::mock::MockReport;
use crate::practice::session::{MockWrite, MockWritten};
use crate::store::MockSessionId;
use crate::tui::app::Message as AppMessage;
use crate::tui::keymap::Mode;
use crate::tui::testing::{app, now, start_mock};

fn mock_app(questions: usize) -> (App, crate::practice::Practice) {
    let (mut app, practice) = app();
    start_mock(
        &mut app,
        &practice,
        7,
        questions,
        Some("performance-and-scale"),
    );
    (app, practice)
}

fn step(app: &App) -> MockStep {
    app.mock.as_ref().unwrap().step()
}

fn at(app: &mut App, secs: i64) {
    app.now = now() + SignedDuration::from_secs(secs);
}

#[test]
fn m_in_the_library_asks_for_a_mock() {
    let (mut app, _practice) = app();
    assert_eq!(app.update(Action::MockStart), Some(Effect::StartMock));
}

#[test]
fn a_number_picks_from_the_short_list_and_the_pick_is_timed() {
    let (mut app, _practice) = mock_app(2);
    assert_eq!(app.screen(), Screen::Mock);
    assert_eq!(step(&app), MockStep::Question);
    app.update(Action::MockNext);
    assert_eq!(app.mode(), Mode::MockPick);
    // Past the end of the list: refused, still picking.
    app.update(Action::SearchInput('9'));
    assert_eq!(step(&app), MockStep::Pick);
    assert!(app.status.as_ref().unwrap().error);
    at(&mut app, 6);
    app.update(Action::SearchInput('1'));
    let mock = &app.mock.as_ref().unwrap().session;
    assert_eq!(mock.step(), MockStep::Feedback);
    let attempt = mock.attempt().unwrap();
    assert_eq!(attempt.pick, Pick::Story(mock.list()[0]));
    assert_eq!(attempt.pick_time, Duration::from_secs(6));
}

#[test]
fn search_narrows_the_list_esc_clears_it_and_enter_takes_the_selection() {
    let (mut app, _practice) = mock_app(2);
    app.update(Action::MockNext);
    for c in "whatlook".chars() {
        app.update(Action::SearchInput(c));
    }
    let mock = app.mock.as_ref().unwrap();
    let rows = mock.rows(app.matcher());
    let stories = mock.session.stories();
    let PickRow::Story(first) = rows[0] else {
        panic!("a story matches");
    };
    assert_eq!(stories[first].id(), "what-looking-for");
    assert_eq!(rows.last(), Some(&PickRow::None));
    // Esc clears the search first; it does not leave the mock.
    assert_eq!(app.update(Action::SearchCancel), None);
    assert_eq!(app.mock.as_ref().unwrap().query, "");
    assert_eq!(step(&app), MockStep::Pick);
    for c in "whatlook".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::SearchAccept);
    let feedback = &app
        .mock
        .as_ref()
        .unwrap()
        .session
        .attempt()
        .unwrap()
        .feedback;
    assert_eq!(feedback.picked.as_deref(), Some("what-looking-for"));
    assert!(!feedback.declares.declared());
    assert_eq!(feedback.pick_grade, Grade::Again);
    assert!(
        !feedback.better.is_empty(),
        "a performance story fits better"
    );
}

#[test]
fn none_is_a_gap_graded_again_and_the_run_moves_on() {
    let (mut app, _practice) = mock_app(2);
    app.update(Action::MockNext);
    app.update(Action::SearchInput('0'));
    let attempt = app
        .mock
        .as_ref()
        .unwrap()
        .session
        .attempt()
        .cloned()
        .unwrap();
    assert_eq!(attempt.pick, Pick::Nothing);
    assert!(attempt.feedback.gap_command.is_some());
    app.update(Action::MockNext);
    let mock = &app.mock.as_ref().unwrap().session;
    assert_eq!(mock.graded().len(), 1);
    assert_eq!(mock.graded()[0].story_id, None);
    assert_eq!(mock.graded()[0].grade, Grade::Again);
    assert_eq!(mock.current().unwrap().0, 2);
    assert_eq!(mock.step(), MockStep::Question);
}

#[test]
fn the_answer_is_paced_per_star_section_and_the_story_shows_only_on_check() {
    let (mut app, _practice) = mock_app(1);
    app.update(Action::MockNext);
    for c in "xml-etl".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::SearchAccept);
    at(&mut app, 10);
    app.update(Action::MockNext);
    assert!(!app.mock.as_ref().unwrap().session.checking());
    app.update(Action::MockCheck);
    assert!(app.mock.as_ref().unwrap().session.checking());
    at(&mut app, 22);
    app.update(Action::NextSection);
    at(&mut app, 40);
    app.update(Action::MockNext);
    let mock = &app.mock.as_ref().unwrap().session;
    let time = mock.attempt().unwrap().answer.unwrap();
    assert_eq!(time.total, Duration::from_secs(30));
    assert_eq!(time.sections.situation, Some(Duration::from_secs(12)));
    assert_eq!(time.sections.task, Some(Duration::from_secs(18)));
    assert!(matches!(mock.step(), MockStep::Probe { index: 0, .. }));
    assert!(!mock.checking(), "the story is hidden again for the probes");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Task 18 s / 10 s (over)")
    );
}

#[test]
fn the_grade_waits_for_the_self_check_and_is_stored_before_moving_on() {
    let (mut app, _practice) = mock_app(1);
    let id = MockSessionId(41);
    app.mock.as_mut().unwrap().session.set_row(Some(id));
    app.update(Action::MockNext);
    app.update(Action::SearchInput('1'));
    app.update(Action::MockNext);
    app.update(Action::MockNext);
    while matches!(step(&app), MockStep::Probe { .. }) {
        app.update(Action::MockNext);
    }
    assert_eq!(step(&app), MockStep::Check);
    assert_eq!(app.update(Action::Grade(Grade::Good)), None);
    assert!(app.status.as_ref().unwrap().error);
    let items = app.mock.as_ref().unwrap().session.check_items().len();
    for _ in 0..items {
        app.update(Action::MockYes);
    }
    let Some(Effect::Mock(MockWrite::Record {
        id: stored, answer, ..
    })) = app.update(Action::Grade(Grade::Good))
    else {
        panic!("grading asks to store the answer");
    };
    assert_eq!(stored, id);
    assert_eq!(answer.grade, Grade::Good);
    assert_eq!(answer.self_check.len(), items);
    assert_eq!(step(&app), MockStep::Saving);
    // A refused write leaves the question to grade again.
    app.receive(AppMessage::MockWritten(MockWritten::RecordFailed(
        "database is locked".into(),
    )));
    assert_eq!(step(&app), MockStep::Check);
    assert!(app.status.as_ref().unwrap().text.contains("NOT saved"));
    // The whole message is in a panel; a key closes it.
    if app.notice.is_some() {
        app.update(Action::Back);
        assert_eq!(step(&app), MockStep::Check);
    }
    assert!(app.mock.as_ref().unwrap().session.graded().is_empty());
    let Some(Effect::Mock(MockWrite::Record { answer, .. })) =
        app.update(Action::Grade(Grade::Good))
    else {
        panic!("grading again asks to store it again");
    };
    let card = crate::mock::pick_card::review(
        None,
        &answer.question,
        answer.pick_grade,
        now(),
        &crate::srs::Scheduler::new(crate::srs::SchedulerConfig::default()).unwrap(),
    )
    .unwrap();
    // The last question stored: the session is closed, then its report shown.
    let effect = app.receive(AppMessage::MockWritten(MockWritten::Recorded {
        answer,
        card: Box::new(card),
    }));
    assert_eq!(effect, Some(Effect::Mock(MockWrite::Finish(id))));
    app.receive(AppMessage::MockWritten(MockWritten::Finished(MockReport {
        answered: 1,
        questions: 1,
        markdown: String::new(),
    })));
    assert_eq!(step(&app), MockStep::Report);
    assert_eq!(app.update(Action::Back), None);
    assert_eq!(app.screen(), Screen::Library);
    assert!(app.mock.is_none());
}

#[test]
fn leaving_closes_the_session_and_quitting_closes_it_too() {
    let (mut app, _practice) = mock_app(2);
    let id = MockSessionId(5);
    app.mock.as_mut().unwrap().session.set_row(Some(id));
    assert_eq!(
        app.update(Action::Back),
        Some(Effect::Mock(MockWrite::Finish(id)))
    );
    assert_eq!(step(&app), MockStep::Saving);

    let (mut app, _practice) = mock_app(2);
    app.mock.as_mut().unwrap().session.set_row(Some(id));
    assert_eq!(
        app.update(Action::Quit),
        Some(Effect::Mock(MockWrite::Finish(id)))
    );
    assert!(app.quit);
}

#[test]
fn one_key_while_answering_asks_before_leaving_and_a_second_leaves() {
    let (mut app, _practice) = mock_app(2);
    let id = MockSessionId(9);
    app.mock.as_mut().unwrap().session.set_row(Some(id));
    app.update(Action::MockNext);
    app.update(Action::SearchInput('1'));
    app.update(Action::MockNext);
    assert_eq!(step(&app), MockStep::Answer);
    // One q: asked, nothing left.
    assert_eq!(app.update(Action::Back), None);
    assert_eq!(step(&app), MockStep::Answer);
    let status = app.status.clone().unwrap();
    assert!(
        status.text.contains("question 1 is not graded") && status.text.ends_with("(q/esc)"),
        "{status:?}"
    );
    // Any other key goes on answering; the next q asks again.
    app.update(Action::NextSection);
    assert_eq!(app.update(Action::Back), None);
    // Twice in a row: the session ends.
    assert_eq!(
        app.update(Action::Back),
        Some(Effect::Mock(MockWrite::Finish(id)))
    );
}
