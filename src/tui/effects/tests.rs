//! Effects on the practice core with an in-memory store and a fixed clock: what reaches the app
//! as messages, what the store holds afterwards, and the failure paths (a write that fails, a
//! locked or missing database, an edit into another story's id, a file deleted on disk).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::SignedDuration;

use super::*;
use crate::editor::Editor;
use crate::practice::session::{DrillWrite, DrillWritten};
use crate::practice::{FixedClock, WriteProblem};
use crate::srs::{Grade, Scope};
use crate::store::StoreError;
use crate::tui::app::{Action, App, Screen};
use crate::tui::testing::{app_with, now, practice_on, testdata};

#[derive(Default)]
struct FakeTerminal {
    suspended: usize,
    resumed: usize,
}

impl Terminal for FakeTerminal {
    fn suspend(&mut self) -> Result<()> {
        self.suspended += 1;
        Ok(())
    }
    fn resume(&mut self) -> Result<()> {
        self.resumed += 1;
        Ok(())
    }
}

fn effects_on(stories: PathBuf) -> (App, Effects, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(now()));
    let practice = practice_on(stories, Arc::clone(&clock));
    let app = app_with(&practice);
    let effects = Effects {
        practice,
        runner: Runner::new(PathBuf::from("/nonexistent/rehearse"), vec![]),
        editor: EditorChoice::FromEnv,
        mock: crate::tui::testing::mock_plan(7, 2, None),
    };
    (app, effects, clock)
}

fn effects() -> (App, Effects, Arc<FixedClock>) {
    effects_on(testdata())
}

/// Runs what an action asks for, as the event loop does.
fn act(app: &mut App, effects: &mut Effects, action: Action) {
    if let Some(effect) = app.update(action) {
        effects
            .perform(effect, app, &mut FakeTerminal::default())
            .unwrap();
    }
}

fn start(app: &mut App, effects: &mut Effects, story: &str) {
    let effect = Effect::StartDrill(crate::practice::DrillRequest::due(Scope::Story(
        story.into(),
    )));
    effects
        .perform(effect, app, &mut FakeTerminal::default())
        .unwrap();
    assert_eq!(app.screen(), Screen::Drill, "{:?}", app.status);
}

fn current_card(app: &App) -> Option<crate::srs::CardId> {
    let drill = app.drill.as_ref()?;
    drill.session.current().map(|c| c.card.id.clone())
}

fn status(app: &App) -> (String, bool) {
    let status = app.status.as_ref().expect("a status");
    (status.text.clone(), status.error)
}

fn reviews(effects: &Effects) -> u64 {
    effects.practice.store().review_count().unwrap()
}

#[test]
fn a_grade_is_stored_before_the_session_moves_on() {
    let (mut app, mut effects, _clock) = effects();
    start(&mut app, &mut effects, "xml-etl-lambda");
    let first = current_card(&app).unwrap();
    act(&mut app, &mut effects, Action::Reveal);
    act(&mut app, &mut effects, Action::Grade(Grade::Easy));
    assert_eq!(reviews(&effects), 1);
    let (text, error) = status(&app);
    assert!(!error && text.starts_with("saved: Easy (next in"), "{text}");
    assert_ne!(
        current_card(&app),
        Some(first.clone()),
        "the next card is asked"
    );
    assert_eq!(app.drill.as_ref().unwrap().session.answered().len(), 1);
    // The app's copy of the schedules followed the store.
    let card = app.data.cards.iter().find(|c| c.id == first).unwrap();
    assert_eq!(card.state.reps, 1);

    act(&mut app, &mut effects, Action::Undo);
    assert_eq!(reviews(&effects), 0, "undo deleted the stored review");
    assert_eq!(current_card(&app), Some(first));
    assert!(status(&app).0.starts_with("undone: Easy"));
}

#[test]
fn a_failed_write_says_not_saved_keeps_the_card_and_a_retry_saves_it() {
    let (mut app, mut effects, _clock) = effects();
    start(&mut app, &mut effects, "xml-etl-lambda");
    let card = current_card(&app).unwrap();
    act(&mut app, &mut effects, Action::Reveal);
    // Every write now fails, as on a read-only or full disk.
    let conn = effects.practice.store().conn();
    conn.pragma_update(None, "query_only", true).unwrap();
    act(&mut app, &mut effects, Action::Grade(Grade::Good));
    let (text, error) = status(&app);
    assert!(error, "{text}");
    assert!(
        text.contains("the review was NOT saved") && text.contains("press 3 to try again"),
        "{text}"
    );
    assert_eq!(
        current_card(&app),
        Some(card.clone()),
        "the card stays current"
    );
    assert!(app.notice.is_some(), "the long error is shown whole too");
    act(&mut app, &mut effects, Action::Back);
    assert!(app.notice.is_none() && app.screen() == Screen::Drill);
    let drill = app.drill.as_ref().unwrap();
    assert!(drill.session.revealed() > 0 && drill.session.answered().is_empty());
    assert_eq!(drill.session.progress().graded, 0);
    assert_eq!(reviews(&effects), 0);

    effects
        .practice
        .store()
        .conn()
        .pragma_update(None, "query_only", false)
        .unwrap();
    act(&mut app, &mut effects, Action::Grade(Grade::Good));
    assert_eq!(reviews(&effects), 1, "the retry stored it");
    assert!(!status(&app).1);
    assert_ne!(current_card(&app), Some(card));
}

#[test]
fn a_locked_database_offers_a_retry_and_a_missing_one_says_so() {
    let (mut app, mut effects, _clock) = effects();
    start(&mut app, &mut effects, "xml-etl-lambda");
    let card = current_card(&app).unwrap();
    act(&mut app, &mut effects, Action::Reveal);
    let Some(Effect::Drill(DrillWrite::Record { review, .. })) =
        app.update(Action::Grade(Grade::Hard))
    else {
        panic!("grading asks to store the review");
    };
    // The store's own errors, as the practice core passes them on.
    let busy = crate::practice::PracticeError::Store(StoreError::Busy {
        path: "/data/rehearse.db".into(),
    });
    app.receive(Message::DrillWritten(DrillWritten::RecordFailed {
        review: (*review).clone(),
        problem: WriteProblem::of(&busy),
    }));
    let (text, error) = status(&app);
    assert!(
        error && text.contains("locked by another process"),
        "{text}"
    );
    assert!(text.contains("press 2 to try again"), "{text}");
    assert_eq!(current_card(&app), Some(card.clone()));

    let missing = crate::practice::PracticeError::Store(StoreError::Missing {
        path: "/data/rehearse.db".into(),
    });
    // The grade waits for the store again, as after a retry key.
    let Some(Effect::Drill(DrillWrite::Record { review, .. })) =
        app.update(Action::Grade(Grade::Hard))
    else {
        panic!("grading again asks to store the review");
    };
    app.receive(Message::DrillWritten(DrillWritten::RecordFailed {
        review: *review,
        problem: WriteProblem::of(&missing),
    }));
    let (text, _) = status(&app);
    assert!(
        text.contains("NOT saved") && text.contains("/data/rehearse.db is gone"),
        "{text}"
    );
    assert_eq!(current_card(&app), Some(card));
    assert!(app.drill.as_ref().unwrap().session.revealed() > 0);
}

#[test]
fn nothing_due_says_when_the_next_card_is() {
    let (mut app, mut effects, clock) = effects();
    start(&mut app, &mut effects, "what-looking-for");
    while current_card(&app).is_some() {
        act(&mut app, &mut effects, Action::Reveal);
        act(&mut app, &mut effects, Action::Grade(Grade::Easy));
    }
    act(&mut app, &mut effects, Action::Back);
    clock.advance(SignedDuration::from_hours(1));
    let effect = Effect::StartDrill(crate::practice::DrillRequest::due(Scope::Story(
        "what-looking-for".into(),
    )));
    effects
        .perform(effect, &mut app, &mut FakeTerminal::default())
        .unwrap();
    let (text, error) = status(&app);
    assert!(!error);
    assert!(
        text.starts_with("nothing is due in story what-looking-for; the next card is due in"),
        "{text}"
    );
    assert!(text.ends_with("; a practises ahead"), "{text}");
    assert_eq!(app.screen(), Screen::Library);
}

#[test]
fn stats_come_back_as_a_message() {
    let (mut app, mut effects, _clock) = effects();
    act(&mut app, &mut effects, Action::Stats);
    let stats = app.stats.as_ref().expect("stats loaded");
    assert_eq!(stats.per_day.len(), STATS_DAYS);
    assert_eq!(stats.total_reviews, 0);
    assert_eq!(stats.phases.new, app.data.cards.len());
}

/// A story folder of two stories in a temporary directory.
fn two_stories() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (file, id) in [("a.md", "alpha"), ("b.md", "beta")] {
        std::fs::write(dir.path().join(file), story_text(id)).unwrap();
    }
    dir
}

fn story_text(id: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Story {id}\nquestions:\n  - Tell me about {id}.\n---\n\n## Situation\n\nIt was {id}.\n\n## Task\n\nFix it.\n\n## Action\n\nI fixed it.\n\n## Result\n\nIt worked.\n"
    )
}

/// An editor that replaces the file with `text`.
fn editor_writing(text: &str, scratch: &Path) -> EditorChoice {
    let source = scratch.join("new-content.md");
    std::fs::write(&source, text).unwrap();
    EditorChoice::Fixed(Editor {
        variable: "EDITOR",
        command: "test editor".to_owned(),
        program: "cp".to_owned(),
        args: vec![source.display().to_string()],
    })
}

#[test]
fn an_edit_that_takes_another_storys_id_is_refused_and_that_story_keeps_it() {
    let dir = two_stories();
    let scratch = tempfile::tempdir().unwrap();
    let (mut app, mut effects, _clock) = effects_on(dir.path().to_owned());
    // Beta has history.
    start(&mut app, &mut effects, "beta");
    act(&mut app, &mut effects, Action::Reveal);
    act(&mut app, &mut effects, Action::Grade(Grade::Good));
    act(&mut app, &mut effects, Action::Back);
    let history = reviews(&effects);
    assert_eq!(history, 1);

    // Alpha's file is edited to say `id: beta`.
    effects.editor = editor_writing(&story_text("beta"), scratch.path());
    let alpha = app.data.position("alpha").unwrap();
    let mut term = FakeTerminal::default();
    effects
        .perform(Effect::Edit { index: alpha }, &mut app, &mut term)
        .unwrap();
    assert_eq!((term.suspended, term.resumed), (1, 1));
    let (text, error) = status(&app);
    assert!(error, "{text}");
    assert!(
        text.contains("NOT reloaded") && text.contains("`beta`") && text.contains("b.md"),
        "{text}"
    );
    assert_eq!(
        app.notice.as_ref().map(|n| n.lines.clone()),
        Some(vec![text.clone()]),
        "flagged loudly: whole, in a panel"
    );
    // Both stories are still there under their own ids, in the app and in the core.
    assert!(app.data.position("alpha").is_some() && app.data.position("beta").is_some());
    let ids: Vec<&str> = effects.practice.stories().iter().map(|s| s.id()).collect();
    assert_eq!(ids, ["alpha", "beta"]);
    assert_eq!(reviews(&effects), history);
    let beta_cards: Vec<_> = effects
        .practice
        .cards()
        .unwrap()
        .into_iter()
        .filter(|c| c.id.story_id == "beta")
        .collect();
    assert_eq!(beta_cards.len(), 1, "no merged cards");
    assert_eq!(beta_cards[0].state.reps, 1, "beta keeps its history");
}

#[test]
fn an_ordinary_edit_reloads_the_story() {
    let dir = two_stories();
    let scratch = tempfile::tempdir().unwrap();
    let (mut app, mut effects, _clock) = effects_on(dir.path().to_owned());
    let edited = story_text("alpha").replace("It was alpha.", "It was alpha, edited.");
    effects.editor = editor_writing(&edited, scratch.path());
    let alpha = app.data.position("alpha").unwrap();
    effects
        .perform(
            Effect::Edit { index: alpha },
            &mut app,
            &mut FakeTerminal::default(),
        )
        .unwrap();
    assert_eq!(status(&app), ("reloaded alpha".to_owned(), false));
    assert!(app.data.stories[alpha].story.body.contains("alpha, edited"));
}

#[test]
fn editing_a_story_deleted_on_disk_creates_no_file() {
    let dir = two_stories();
    let scratch = tempfile::tempdir().unwrap();
    let (mut app, mut effects, _clock) = effects_on(dir.path().to_owned());
    effects.editor = editor_writing("anything", scratch.path());
    let path = dir.path().join("a.md");
    std::fs::remove_file(&path).unwrap();
    let mut term = FakeTerminal::default();
    let alpha = app.data.position("alpha").unwrap();
    effects
        .perform(Effect::Edit { index: alpha }, &mut app, &mut term)
        .unwrap();
    assert!(!path.exists(), "no empty file was made");
    assert_eq!(term.suspended, 0, "the editor was not started");
    let (text, error) = status(&app);
    assert!(error && text.contains("no longer on disk"), "{text}");
    assert!(text.contains("R reloads"), "{text}");
}

#[test]
fn reloading_picks_up_new_and_deleted_stories() {
    let dir = two_stories();
    let (mut app, mut effects, _clock) = effects_on(dir.path().to_owned());
    std::fs::write(dir.path().join("c.md"), story_text("gamma")).unwrap();
    std::fs::remove_file(dir.path().join("a.md")).unwrap();
    act(&mut app, &mut effects, Action::Reload);
    let ids: Vec<&str> = app.data.stories.iter().map(|e| e.story.id()).collect();
    assert_eq!(ids, ["beta", "gamma"]);
    let (text, error) = status(&app);
    assert!(!error && text.contains("2 stories (was 2)"), "{text}");
    assert!(app.data.cards.iter().any(|c| c.id.story_id == "gamma"));
    assert!(app.data.cards.iter().all(|c| c.id.story_id != "alpha"));
    assert_eq!(app.library.hits.len(), 2);
}

#[test]
fn a_mock_from_the_library_stores_each_graded_question_then_closes_with_its_report() {
    let (mut app, mut effects, _clock) = effects();
    act(&mut app, &mut effects, Action::MockStart);
    assert_eq!(app.screen(), Screen::Mock);
    let id = app
        .mock
        .as_ref()
        .unwrap()
        .session
        .id()
        .expect("a session row");
    // Question 1: none (graded Again at once); it is in the store before question 2 shows.
    act(&mut app, &mut effects, Action::MockNext);
    act(&mut app, &mut effects, Action::SearchInput('0'));
    act(&mut app, &mut effects, Action::MockNext);
    let store = effects.practice.store();
    let stored = store.mock_answers(id).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].story_id, None);
    assert_eq!(store.pick_cards().unwrap().len(), 1);
    assert_eq!(app.mock.as_ref().unwrap().session.current().unwrap().0, 2);
    // Leaving closes the session and shows the report of what was graded.
    act(&mut app, &mut effects, Action::Back);
    let mock = &app.mock.as_ref().unwrap().session;
    assert_eq!(mock.step(), crate::tui::app::MockStep::Report);
    let report = mock.report().unwrap();
    assert_eq!((report.answered, report.questions), (1, 2));
    let history = effects.practice.store().mock_history().unwrap();
    assert!(history[0].finished_at.is_some());
    assert_eq!(history[0].setup.interface, "tui");
}
