//! The practice core on an in-memory store and a fixed clock.

use std::path::Path;
use std::sync::Arc;

use super::session::DrillWritten;
use super::*;
use crate::srs::{CardKind, CardState, Grade, Phase, Review, ReviewKind, Scope, Timing};
use crate::store::Store;

fn now() -> Timestamp {
    "2026-11-25T18:00:00Z".parse().unwrap()
}

fn story_text(id: &str, situation: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Story {id}\nquestions:\n  - Tell me about {id}.\n---\n\n## Situation\n\n{situation}\n\n## Task\n\nFix it.\n\n## Action\n\nI fixed it.\n\n## Result\n\nIt worked.\n"
    )
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

fn practice_in(dir: &Path, store: Store) -> (Practice, SyncReport) {
    let report = load_paths(&[dir.to_owned()]);
    let mut settings = Settings::new(SrsConfig::default(), vec![dir.to_owned()]);
    settings.tz = TimeZone::UTC;
    Practice::new(report, store, settings, Arc::new(FixedClock::new(now()))).unwrap()
}

#[test]
fn a_shared_id_stays_with_the_file_whose_cards_the_database_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.db");
    let stories = dir.path().join("stories");
    std::fs::create_dir(&stories).unwrap();
    // First only z.md has the id, and it is drilled.
    write(
        &stories,
        "z.md",
        &story_text("shared", "The original story."),
    );
    {
        let (practice, _) = practice_in(&stories, Store::open(&db).unwrap());
        let DrillPlan::Ready(started) = practice
            .start_drill(DrillRequest::due(Scope::All), Interface::Plain)
            .unwrap()
        else {
            panic!("a new card is due");
        };
        let review = started
            .queue()
            .review(Grade::Good, now(), Timing::default())
            .unwrap();
        practice.record_review(&review, None).unwrap();
    }
    // Then a.md, which sorts first, takes the same id.
    write(
        &stories,
        "a.md",
        &story_text("shared", "A newer, other story."),
    );
    let (practice, sync) = practice_in(&stories, Store::open(&db).unwrap());
    assert_eq!(practice.stories().len(), 1);
    assert_eq!(practice.stories()[0].path, stories.join("z.md"));
    assert_eq!(sync.orphaned, 0, "nothing lost its question");
    let error = practice.load_errors()[0].to_string();
    assert!(
        error.contains("a.md") && error.contains("z.md keeps it"),
        "{error}"
    );
    assert!(
        error.contains("its cards are the ones in the database"),
        "{error}"
    );
    let card = &practice.cards().unwrap()[0];
    assert_eq!(card.state.reps, 1, "the history stays with z.md");

    // With no history, path order decides, with the wording lint has always used.
    let fresh = tempfile::tempdir().unwrap();
    write(fresh.path(), "a.md", &story_text("same", "One."));
    write(fresh.path(), "b.md", &story_text("same", "Two."));
    let (practice, _) = practice_in(fresh.path(), Store::open_in_memory().unwrap());
    assert_eq!(practice.stories()[0].path, fresh.path().join("a.md"));
    assert!(
        practice.load_errors()[0]
            .to_string()
            .contains("a.md already uses it"),
        "{}",
        practice.load_errors()[0]
    );
}

#[test]
fn a_limit_of_zero_and_a_past_interview_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", &story_text("alpha", "It was slow."));
    let (practice, _) = practice_in(dir.path(), Store::open_in_memory().unwrap());
    let request = DrillRequest {
        limit: Some(0),
        ..DrillRequest::due(Scope::All)
    };
    let error = practice.start_drill(request, Interface::Plain).unwrap_err();
    assert!(matches!(error, PracticeError::ZeroLimit));
    assert!(error.to_string().contains("limit of 0"), "{error}");

    let yesterday = jiff::civil::date(2026, 11, 24);
    let error = practice.check_interview_date(Some(yesterday)).unwrap_err();
    assert!(
        error.to_string().contains("2026-11-24 is in the past"),
        "{error}"
    );
    assert!(
        practice
            .check_interview_date(Some(jiff::civil::date(2026, 11, 25)))
            .is_ok()
    );
    assert!(practice.check_interview_date(None).is_ok());
}

#[test]
fn nothing_due_names_the_scope_and_the_next_due_card() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", &story_text("alpha", "It was slow."));
    let (practice, _) = practice_in(dir.path(), Store::open_in_memory().unwrap());
    let DrillPlan::Ready(mut started) = practice
        .start_drill(DrillRequest::due(Scope::All), Interface::Plain)
        .unwrap()
    else {
        panic!("due");
    };
    let review = started
        .queue()
        .review(Grade::Easy, now(), Timing::default())
        .unwrap();
    let saved = practice
        .record_review(&review, Some(started.session_id().unwrap()))
        .unwrap();
    let _ = started.written(DrillWritten::Recorded(saved), now());
    let DrillPlan::NothingDue(nothing) = practice
        .start_drill(
            DrillRequest::due(Scope::Story("alpha".into())),
            Interface::Plain,
        )
        .unwrap()
    else {
        panic!("nothing is due after Easy");
    };
    let text = nothing.to_string();
    assert!(
        text.starts_with("nothing is due in story alpha; the next card is due in"),
        "{text}"
    );
}

#[test]
fn new_cards_are_never_leeches_in_stats() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", &story_text("alpha", "It was slow."));
    write(dir.path(), "b.md", &story_text("beta", "It was slow."));
    let (practice, _) = practice_in(dir.path(), Store::open_in_memory().unwrap());
    let cards = practice.cards().unwrap();
    let lapsed = |card: &StoredCard, phase: Phase| {
        let after = CardState {
            phase,
            lapses: 9,
            ..card.state
        };
        Review {
            card: card.id.clone(),
            content_hash: card.content_hash.clone(),
            grade: Grade::Again,
            kind: ReviewKind::Review,
            reviewed_at: now(),
            timing: Timing::default(),
            before: card.state,
            after,
        }
    };
    practice
        .record_review(&lapsed(&cards[0], Phase::New), None)
        .unwrap();
    practice
        .record_review(&lapsed(&cards[1], Phase::Review), None)
        .unwrap();
    let stats = practice.stats(14).unwrap();
    let leeches: Vec<&str> = stats
        .leeches
        .iter()
        .map(|l| l.card.story_id.as_str())
        .collect();
    assert_eq!(leeches, [cards[1].id.story_id.as_str()]);
    assert_eq!(stats.per_day.len(), 14);
    assert_eq!(stats.per_day.last().unwrap().count, 2);
    assert_eq!(stats.total_reviews, 2);
    assert_eq!((stats.phases.new, stats.phases.review), (1, 1));
}

#[test]
fn a_failed_write_stores_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", &story_text("alpha", "It was slow."));
    let (practice, _) = practice_in(dir.path(), Store::open_in_memory().unwrap());
    let DrillPlan::Ready(started) = practice
        .start_drill(DrillRequest::due(Scope::All), Interface::Plain)
        .unwrap()
    else {
        panic!("due");
    };
    let review = started
        .queue()
        .review(Grade::Good, now(), Timing::default())
        .unwrap();
    practice
        .store()
        .conn()
        .pragma_update(None, "query_only", true)
        .unwrap();
    let error = practice.record_review(&review, None).unwrap_err();
    assert!(matches!(error, PracticeError::Store(_)), "{error}");
    practice
        .store()
        .conn()
        .pragma_update(None, "query_only", false)
        .unwrap();
    assert_eq!(practice.store().review_count().unwrap(), 0);
    assert_eq!(practice.cards().unwrap()[0].state.reps, 0);
}

#[test]
fn a_regrade_starts_from_the_stored_state() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", &story_text("alpha", "It was slow."));
    let (practice, _) = practice_in(dir.path(), Store::open_in_memory().unwrap());
    let DrillPlan::Ready(started) = practice
        .start_drill(DrillRequest::due(Scope::All), Interface::Plain)
        .unwrap()
    else {
        panic!("due");
    };
    let review = started
        .queue()
        .review(Grade::Good, now(), Timing::default())
        .unwrap();
    assert_eq!(practice.regrade(&review, &review.before), review);
    // Another window graded the card meanwhile: this grade builds on that one.
    let moved = review.after;
    let again = practice.regrade(&review, &moved);
    assert_eq!(again.before, moved);
    assert!(again.after.reps > moved.reps, "{again:?}");
}

#[test]
fn a_drill_takes_the_stories_in_turn_and_limits_after_ordering() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["alpha", "beta"] {
        let text = story_text(id, "It was slow.").replacen(
            &format!("  - Tell me about {id}.\n"),
            &format!("  - Tell me about {id}.\n  - What did {id} teach you?\n"),
            1,
        );
        write(dir.path(), &format!("{id}.md"), &text);
    }
    let (practice, _) = practice_in(dir.path(), Store::open_in_memory().unwrap());
    let questions = |limit: Option<usize>| -> Vec<String> {
        let request = DrillRequest {
            limit,
            ..DrillRequest::due(Scope::All)
        };
        let DrillPlan::Ready(started) = practice.start_drill(request, Interface::Plain).unwrap()
        else {
            panic!("new cards are due");
        };
        started
            .queue()
            .upcoming()
            .filter(|c| c.card.kind == CardKind::Question)
            .map(|c| c.card.prompt.clone())
            .collect()
    };
    // The store reads rows in storage order (alpha's two, then beta's); the core orders them.
    assert_eq!(
        questions(None),
        [
            "Tell me about alpha.",
            "Tell me about beta.",
            "What did alpha teach you?",
            "What did beta teach you?"
        ]
    );
    assert_eq!(
        questions(Some(2)),
        ["Tell me about alpha.", "Tell me about beta."]
    );
}

/// A mock that asked the first bank question (an ownership one) a day ago, picked `story`,
/// and graded the pick Again: its pick card is due now.
fn a_pick_from_yesterday(practice: &Practice, story: Option<&str>) -> String {
    use crate::mock::answer::MockAnswer;
    use crate::mock::bank::questions;
    use crate::mock::pick_card;
    use crate::store::MockSetup;
    let question = questions(&crate::mock::testing::fixture_bank())[0].clone();
    let yesterday = now() - jiff::SignedDuration::from_hours(24);
    let setup = MockSetup {
        seed: 1,
        questions: 1,
        competency: None,
        job: None,
        interface: "plain".into(),
    };
    let store = practice.store();
    let id = store.start_mock(&setup, yesterday).unwrap();
    let answer = MockAnswer {
        position: 1,
        asked_at: yesterday,
        question: question.clone(),
        story_id: story.map(str::to_owned),
        declares: Some(false),
        better: Vec::new(),
        pick_time: std::time::Duration::from_secs(9),
        answer: None,
        probes: Vec::new(),
        self_check: Vec::new(),
        grade: Grade::Hard,
        pick_grade: Grade::Again,
    };
    let scheduler = practice.scheduler().unwrap();
    let card = pick_card::review(None, &question, Grade::Again, yesterday, &scheduler).unwrap();
    store.record_mock_answer(id, &answer, &card).unwrap();
    question.key
}

#[test]
fn a_due_pick_card_is_drilled_graded_and_undone_beside_the_story_cards() {
    let dir = tempfile::tempdir().unwrap();
    let text = story_text("alpha", "It was slow.").replacen(
        "questions:",
        "competencies: [ownership]\nquestions:",
        1,
    );
    write(dir.path(), "alpha.md", &text);
    let (practice, _) = practice_in(dir.path(), Store::open_in_memory().unwrap());
    let key = a_pick_from_yesterday(&practice, Some("beta"));

    // One story's drill has no pick card: picks belong to no story.
    let DrillPlan::Ready(story_drill) = practice
        .start_drill(
            DrillRequest::due(Scope::Story("alpha".into())),
            Interface::Plain,
        )
        .unwrap()
    else {
        panic!("alpha's new card is due");
    };
    assert!(
        story_drill
            .queue()
            .upcoming()
            .all(|c| c.card.kind != CardKind::Pick)
    );

    let DrillPlan::Ready(started) = practice
        .start_drill(DrillRequest::due(Scope::All), Interface::Plain)
        .unwrap()
    else {
        panic!("cards are due");
    };
    let pick = started
        .queue()
        .upcoming()
        .find(|c| c.card.kind == CardKind::Pick)
        .expect("the due pick card is in the drill")
        .clone();
    // A card in learning comes before new cards.
    assert_eq!(started.current().unwrap().card.kind, CardKind::Pick);
    assert_eq!(pick.card.id.key, key);
    assert!(
        pick.card.prompt.starts_with("Which story answers: "),
        "{}",
        pick.card.prompt
    );
    let shown: Vec<(&str, &str)> = pick
        .card
        .answer
        .iter()
        .map(|p| (p.label.as_str(), p.text.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("Stories for ownership", "- Story alpha (`alpha`)"),
            ("Your last pick in a mock", "beta"),
        ]
    );

    let before = practice.store().pick_card(&key).unwrap().unwrap().state;
    let review = started
        .queue()
        .review(Grade::Good, now(), Timing::default())
        .unwrap();
    let saved = practice
        .record_review(&review, Some(started.session_id().unwrap()))
        .unwrap();
    let after = practice.store().pick_card(&key).unwrap().unwrap().state;
    assert_ne!(after, before);
    assert_eq!(after, saved.after);
    practice.undo_review(&saved).unwrap();
    assert_eq!(
        practice.store().pick_card(&key).unwrap().unwrap().state,
        before
    );
}
