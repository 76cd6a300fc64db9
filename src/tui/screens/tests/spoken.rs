//! The spoken answer on screen, 100x30: the drill recording, hearing it, its feedback with the
//! suggested grade, and the mock's self-check with what was heard. A scripted ear stands in for
//! the microphone and the model.

use std::sync::{Arc, Mutex};

use jiff::SignedDuration;

use super::screen;
use crate::practice::FixedClock;
use crate::practice::session::DrillStep;
use crate::speech::Transcript;
use crate::speech::ear::scripted::{Script, heard, speech};
use crate::srs::Scope;
use crate::story::SectionKind;
use crate::tui::app::{Action, App, MockStep};
use crate::tui::testing::{app_with, now, practice_hearing, start_drill, start_mock, testdata};

macro_rules! snapshot {
    ($value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!($value));
    }};
}

/// The daily-refresh story told from its STAR sections, with two fillers and the after time
/// said wrong (45 minutes for 30), a word every 0.4 s.
fn told_with_a_wrong_number() -> Transcript {
    let story = crate::story::read_story(&testdata().join("daily-refresh-18m.md")).unwrap();
    let told: Vec<String> = SectionKind::STAR
        .iter()
        .filter_map(|kind| story.section(*kind))
        .map(|section| section.text.replace("- ", "").replace('`', ""))
        .collect();
    let text = format!("Um, so, {}", told.join(" ")).replace(
        "records went from about 3 hours to about 30 minutes",
        "records: the daily refresh went from about 3 hours to 45 minutes",
    );
    Transcript::from_text(&text.replace("I refactored", "Uh, I refactored"), 0.4)
}

fn at(app: &mut App, secs: i64) {
    app.now = now() + SignedDuration::from_secs(secs);
}

/// An app whose sessions hear `takes`, in order.
fn hearing_app(takes: Vec<Transcript>) -> (App, crate::practice::Practice) {
    let script = Arc::new(Mutex::new(Script {
        takes: takes.into_iter().map(heard).collect(),
        ..Script::default()
    }));
    let practice = practice_hearing(testdata(), Arc::new(FixedClock::new(now())), speech(script));
    (app_with(&practice), practice)
}

/// A drill of the daily-refresh story, its answer recorded from 2 s with the sections
/// marked, ended at 60 s.
fn recorded_drill(app: &mut App, practice: &crate::practice::Practice) {
    start_drill(app, practice, Scope::Story("daily-refresh-18m".into()));
    at(app, 2);
    app.update(Action::Record);
    for secs in [12, 20, 50] {
        at(app, secs);
        app.update(Action::NextSection);
    }
}

#[test]
fn drill_recording_the_answer() {
    let (mut app, practice) = hearing_app(vec![told_with_a_wrong_number()]);
    recorded_drill(&mut app, &practice);
    at(&mut app, 55);
    snapshot!(screen(&app));
}

#[test]
fn drill_hearing_the_answer() {
    let (mut app, practice) = hearing_app(vec![told_with_a_wrong_number()]);
    recorded_drill(&mut app, &practice);
    at(&mut app, 60);
    app.update(Action::Record);
    let drill = &app.drill.as_ref().unwrap().session;
    assert_eq!(drill.step(), DrillStep::Hearing);
    snapshot!(screen(&app));
}

#[test]
fn drill_feedback_on_the_spoken_answer() {
    let (mut app, practice) = hearing_app(vec![told_with_a_wrong_number()]);
    recorded_drill(&mut app, &practice);
    at(&mut app, 60);
    app.update(Action::Record);
    at(&mut app, 61);
    app.update(Action::Tick);
    let drill = &app.drill.as_ref().unwrap().session;
    assert_eq!(drill.step(), DrillStep::Feedback);
    snapshot!(screen(&app));
    // The rest of the feedback is below: it scrolls.
    app.update(Action::PageDown);
    snapshot!(screen(&app));
}

#[test]
fn mock_self_check_with_what_was_heard() {
    let (mut app, practice) = hearing_app(vec![
        told_with_a_wrong_number(),
        Transcript::from_text(
            "Python scripts, and asyncio for the jobs, um, that could run at once.",
            0.4,
        ),
        Transcript::from_text("They were waiting, not computing.", 0.4),
    ]);
    start_mock(&mut app, &practice, 7, 2, Some("performance-and-scale"));
    at(&mut app, 2);
    app.update(Action::MockNext);
    for c in "daily".chars() {
        app.update(Action::SearchInput(c));
    }
    at(&mut app, 4);
    app.update(Action::SearchAccept);
    app.update(Action::MockNext);
    app.update(Action::Record);
    at(&mut app, 30);
    app.update(Action::NextSection);
    at(&mut app, 64);
    app.update(Action::MockNext);
    let mut secs = 64;
    while let Some(MockStep::Probe { answered, .. }) = app.mock.as_ref().map(|m| m.step()) {
        secs += 10;
        at(&mut app, secs);
        if !answered {
            app.update(Action::Record);
        }
        app.update(Action::MockNext);
    }
    for _ in app.mock.as_ref().unwrap().session.check_items().to_vec() {
        app.update(Action::MockYes);
    }
    app.update(Action::Tick);
    assert_eq!(app.mock.as_ref().unwrap().step(), MockStep::Check);
    snapshot!(screen(&app));
}

#[test]
fn stats_with_how_spoken_answers_moved() {
    use crate::speech::progress::{SpokenAttempt, StoryTrend};
    let attempt =
        |minutes: i64, coverage: f64, said: usize, fillers: f64, pace: f64| SpokenAttempt {
            story_id: "daily-refresh-18m".into(),
            recorded_at: now() + SignedDuration::from_mins(minutes),
            coverage,
            numbers_said: said,
            numbers_wrong: 0,
            numbers_total: 3,
            fillers_per_minute: fillers,
            words_per_minute: pace,
            suggested_grade: crate::srs::Grade::Good,
        };
    let (mut app, _practice) = hearing_app(vec![]);
    app.update(Action::Stats);
    app.stats = Some(crate::practice::Stats {
        target_retention: 0.9,
        spoken: vec![StoryTrend {
            story_id: "daily-refresh-18m".into(),
            attempts: 3,
            first: attempt(0, 0.57, 1, 6.1, 132.0),
            latest: attempt(90, 0.86, 3, 1.2, 148.0),
            best_coverage: 0.86,
        }],
        ..crate::practice::Stats::default()
    });
    let screen = screen(&app);
    assert!(screen.contains("coverage 57% → 86%"), "{screen}");
    assert!(screen.contains("numbers  1/3 → 3/3 said"), "{screen}");
    snapshot!(screen);
}
