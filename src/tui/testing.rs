//! Fixtures for the TUI's unit and snapshot tests: a few stories (a copy, so edits to the
//! bundled ones do not churn the snapshots), the practice core on an in-memory store and a
//! fixed clock.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::SrsConfig;
use crate::practice::mock::MockPlan;
use crate::practice::{DrillPlan, DrillRequest, FixedClock, Interface, Practice, Settings};
use crate::speech::ear::Speech;
use crate::srs::Scope;
use crate::store::Store;
use crate::story::lint::LintOptions;
use crate::story::load_paths;

use super::app::App;
use super::data::Data;
use super::keymap::Keymap;
use super::theme::Theme;

pub fn now() -> Timestamp {
    "2026-11-25T18:00:00Z".parse().unwrap()
}

/// Relative to the crate (tests run there), so screens that show a path stay the same on
/// every machine.
pub fn testdata() -> PathBuf {
    ["src", "tui", "testdata"].iter().collect()
}

/// The practice core on `stories` and an in-memory store, its clock fixed at [`now`].
pub fn practice_on(stories: PathBuf, clock: Arc<FixedClock>) -> Practice {
    practice_hearing(stories, clock, Speech::Absent)
}

/// [`practice_on`], its sessions recording and hearing with `speech`.
pub fn practice_hearing(stories: PathBuf, clock: Arc<FixedClock>, speech: Speech) -> Practice {
    let report = load_paths(std::slice::from_ref(&stories));
    let mut settings = Settings::new(SrsConfig::default(), vec![stories]);
    settings.tz = jiff::tz::TimeZone::UTC;
    settings.speech = speech;
    Practice::new(report, Store::open_in_memory().unwrap(), settings, clock)
        .unwrap()
        .0
}

pub fn practice() -> Practice {
    practice_on(testdata(), Arc::new(FixedClock::new(now())))
}

/// The app over what `practice` holds, as [`super::build`] makes it.
pub fn app_with(practice: &Practice) -> App {
    assert!(
        practice.load_errors().is_empty(),
        "{:?}",
        practice.load_errors()
    );
    let mut data = Data::new(
        practice.stories().to_vec(),
        vec![],
        &LintOptions::default(),
        crate::demo::is_known,
    );
    data.set_cards(practice.cards().unwrap());
    data.set_picks(practice.pick_states().unwrap());
    App::new(data, Keymap::defaults(), Theme::colored(), now())
}

pub fn app() -> (App, Practice) {
    let practice = practice();
    let app = app_with(&practice);
    (app, practice)
}

/// Starts a drill the way [`super::effects`] does; the app holds no session row, so leaving
/// the drill asks for no effect.
pub fn start_drill(app: &mut App, practice: &Practice, scope: Scope) {
    let DrillPlan::Ready(mut drill) = practice
        .start_drill(DrillRequest::due(scope), Interface::Tui)
        .unwrap()
    else {
        panic!("cards are due");
    };
    let _ = drill.close();
    app.begin_drill(*drill);
}

/// Grades the current card and confirms the review as stored, as the effects do (without
/// writing it anywhere).
pub fn grade(app: &mut App, grade: crate::srs::Grade) {
    use super::app::{Action, Effect, Message};
    use crate::practice::session::{DrillWrite, DrillWritten};
    let Some(Effect::Drill(DrillWrite::Record { review, .. })) = app.update(Action::Grade(grade))
    else {
        panic!("grading asks to store the review");
    };
    app.receive(Message::DrillWritten(DrillWritten::Recorded(*review)));
}

/// Starts a mock of `questions` questions drawn with `seed` from the bundled bank (only
/// `competency`'s when given), the way
/// [`super::effects`] does; the app holds no session row, so grading and leaving ask for no
/// effect.
pub fn start_mock(
    app: &mut App,
    practice: &Practice,
    seed: u64,
    questions: usize,
    competency: Option<&str>,
) {
    let plan = mock_plan(seed, questions, competency);
    let mut started = practice.start_mock(&plan, Interface::Tui).unwrap();
    started.mock.set_row(None);
    app.begin_mock(started);
}

/// A mock of `questions` questions drawn with `seed` from the bundled bank.
pub fn mock_plan(seed: u64, questions: usize, competency: Option<&str>) -> MockPlan {
    MockPlan {
        questions,
        competency: competency.map(str::to_owned),
        seed: Some(seed),
        bank: crate::story::question_bank::QuestionBank::bundled(),
        job: None,
    }
}
