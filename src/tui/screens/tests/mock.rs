//! The mock screen at each step, 100x30 (and every step at 80x24 without a panic).

use jiff::SignedDuration;

use super::{draw, screen};
use crate::practice::Practice;
use crate::tui::app::{Action, App, MockStep};
use crate::tui::testing::{app, now, start_mock};

/// Snapshots live in `src/tui/snapshots/` with the other screens'.
macro_rules! snapshot {
    ($value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!($value));
    }};
}

/// A two-question mock on performance (the test stories that answer it have probes and key
/// numbers), drawn with a fixed seed.
fn mock_app() -> (App, Practice) {
    let (mut app, practice) = app();
    start_mock(&mut app, &practice, 7, 2, Some("performance-and-scale"));
    (app, practice)
}

fn at(app: &mut App, secs: i64) {
    app.now = now() + SignedDuration::from_secs(secs);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::SearchInput(c));
    }
}

/// Picks xml-etl-lambda by search at 4 s, then starts the answer.
fn answering(app: &mut App) {
    at(app, 2);
    app.update(Action::MockNext);
    type_text(app, "xml-etl");
    at(app, 4);
    app.update(Action::SearchAccept);
    app.update(Action::MockNext);
    assert_eq!(app.mock.as_ref().unwrap().step(), MockStep::Answer);
}

/// Ends the answer at 4 + 70 s with Task over its budget.
fn probed(app: &mut App) {
    answering(app);
    at(app, 4 + 14);
    app.update(Action::NextSection);
    at(app, 4 + 40);
    app.update(Action::NextSection);
    at(app, 4 + 70);
    app.update(Action::MockNext);
}

/// Answers the probes until the self-check.
fn to_check(app: &mut App) {
    while matches!(app.mock.as_ref().unwrap().step(), MockStep::Probe { .. }) {
        app.update(Action::MockNext);
    }
    assert_eq!(app.mock.as_ref().unwrap().step(), MockStep::Check);
}

#[test]
fn mock_question() {
    let (mut app, _practice) = mock_app();
    at(&mut app, 3);
    let text = screen(&app);
    // The bank's wording, not a card's.
    assert!(text.contains("Question 1 of 2"), "{text}");
    snapshot!(text);
}

#[test]
fn mock_pick_short_list() {
    let (mut app, _practice) = mock_app();
    app.update(Action::MockNext);
    at(&mut app, 2);
    snapshot!(screen(&app));
}

#[test]
fn mock_pick_search() {
    let (mut app, _practice) = mock_app();
    app.update(Action::MockNext);
    type_text(&mut app, "look");
    at(&mut app, 5);
    snapshot!(screen(&app));
}

#[test]
fn mock_feedback_on_a_story_that_does_not_fit() {
    let (mut app, _practice) = mock_app();
    app.update(Action::MockNext);
    type_text(&mut app, "what-looking");
    at(&mut app, 9);
    app.update(Action::SearchAccept);
    let text = screen(&app);
    assert!(text.contains("does not declare"), "{text}");
    snapshot!(text);
}

#[test]
fn mock_answer_on_the_pacing_bar_story_hidden() {
    let (mut app, _practice) = mock_app();
    answering(&mut app);
    at(&mut app, 4 + 18);
    app.update(Action::NextSection);
    at(&mut app, 4 + 31);
    let text = screen(&app);
    assert!(text.contains("Story (hidden)"), "{text}");
    snapshot!(text);
}

#[test]
fn mock_answer_checking_the_story() {
    let (mut app, _practice) = mock_app();
    answering(&mut app);
    at(&mut app, 4 + 20);
    app.update(Action::MockCheck);
    snapshot!(screen(&app));
}

#[test]
fn mock_probe_answered() {
    let (mut app, _practice) = mock_app();
    probed(&mut app);
    at(&mut app, 4 + 70 + 25);
    app.update(Action::MockNext);
    snapshot!(screen(&app));
}

#[test]
fn mock_self_check_with_the_key_numbers() {
    let (mut app, _practice) = mock_app();
    probed(&mut app);
    to_check(&mut app);
    app.update(Action::MockYes);
    app.update(Action::MockNo);
    snapshot!(screen(&app));
}

#[test]
fn mock_report() {
    let (mut app, _practice) = mock_app();
    probed(&mut app);
    to_check(&mut app);
    for _ in 0..3 {
        app.update(Action::MockYes);
    }
    app.update(Action::Grade(crate::srs::Grade::Good));
    // The second question: none.
    app.update(Action::MockNext);
    app.update(Action::SearchInput('0'));
    // The last question closes the session (no row here: at once) and shows the report.
    app.update(Action::MockNext);
    snapshot!(screen(&app));
}

#[test]
fn every_mock_step_draws_at_80x24() {
    let (mut app, _practice) = mock_app();
    let mut seen = Vec::new();
    let mut check = |app: &App| {
        seen.push(app.mock.as_ref().unwrap().step());
        let text = draw(app, 80, 24).backend().to_string();
        assert!(!text.contains("too small"), "{text}");
    };
    check(&app);
    app.update(Action::MockNext);
    check(&app);
    type_text(&mut app, "xml");
    app.update(Action::SearchAccept);
    check(&app);
    app.update(Action::MockNext);
    app.update(Action::MockCheck);
    check(&app);
    app.update(Action::MockNext);
    check(&app);
    app.update(Action::MockNext);
    check(&app);
    to_check(&mut app);
    check(&app);
    app.update(Action::MockYes);
    app.update(Action::MockYes);
    app.update(Action::MockYes);
    app.update(Action::Grade(crate::srs::Grade::Hard));
    app.update(Action::MockNext);
    app.update(Action::SearchInput('0'));
    app.update(Action::MockNext);
    check(&app);
    assert_eq!(seen.len(), 8);
    assert_eq!(seen.last(), Some(&MockStep::Report));
}

#[test]
fn stats_with_the_job_ranking_beside_the_coverage_matrix() {
    let (mut app, _practice) = app();
    app.update(Action::Stats);
    app.stats = Some(crate::practice::Stats {
        target_retention: 0.9,
        ..crate::practice::Stats::default()
    });
    let text = include_str!("../../../../tests/fixtures/job/platform-engineer.md");
    app.job = Some(crate::tui::app::JobView {
        file: "tests/fixtures/job/platform-engineer.md".into(),
        ranking: crate::mock::job::rank(&app.data.bank, text),
    });
    let screen = screen(&app);
    assert!(screen.contains("Job: platform-engineer.md"), "{screen}");
    assert!(screen.contains("Coverage"), "{screen}");
    snapshot!(screen);
}

#[test]
fn the_mock_help_shows_every_key_whole_at_100x30() {
    let (mut app, _practice) = mock_app();
    for step in ["question", "pick"] {
        app.update(Action::Help);
        let text = screen(&app);
        let mode = app.screen_mode();
        for binding in app.keymap.table(mode) {
            assert!(
                text.contains(binding.name),
                "{step}: {} cut off:\n{text}",
                binding.name
            );
            // Each description's last word is on screen: a long one wraps, it is not cut.
            let last = binding.description.split_whitespace().last().unwrap();
            assert!(
                text.contains(last),
                "{step}: `{}` cut off:\n{text}",
                binding.description
            );
        }
        app.update(Action::Back);
        app.update(Action::MockNext);
    }
    app.update(Action::SearchInput('1'));
    app.update(Action::MockNext);
    app.update(Action::Help);
    snapshot!(screen(&app));
}

#[test]
fn a_report_with_nothing_graded_does_not_promise_the_export_keeps_it() {
    let (mut app, _practice) = mock_app();
    // Leaving before any grade: the session closes with nothing to keep.
    app.update(Action::Back);
    assert_eq!(app.mock.as_ref().unwrap().step(), MockStep::Report);
    let text = screen(&app);
    assert!(
        text.contains("Mock over: 0 of 2 question(s) graded and saved."),
        "{text}"
    );
    assert!(!text.contains("keeps the report"), "{text}");
    assert!(
        text.contains("draws these questions again while your history is the same; nothing was"),
        "{text}"
    );
}
