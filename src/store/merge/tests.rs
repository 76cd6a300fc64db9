//! Two (or three) in-memory stores exchanging their entries as their logs would carry them.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::mock::answer::MockAnswer;
use crate::mock::bank::BankQuestion;
use crate::mock::pick_card;
use crate::srs::{Card, CardKind, Deck, DeckStory, Grade, Review, SchedulerConfig, Timing};
use crate::store::{MockSetup, ReviewOrigins};

fn t(minutes: i64) -> Timestamp {
    "2026-11-25T18:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_mins(minutes)
}

const DAY: i64 = 24 * 60;

fn deck(keys: &[&str]) -> Deck {
    Deck {
        cards: keys
            .iter()
            .map(|key| {
                Arc::new(Card::new(
                    CardId::new("s", *key),
                    CardKind::Question,
                    format!("Tell me about {key}."),
                    vec![],
                ))
            })
            .collect(),
        stories: vec![DeckStory {
            id: "s".into(),
            title: "S".into(),
            tags: vec![],
            draft: false,
            file: None,
        }],
        complete: true,
    }
}

/// A store with the cards `keys` of story `s`, created at `created` minutes.
fn store(keys: &[&str], created: i64) -> Store {
    let store = Store::open_in_memory().unwrap();
    store.sync_cards(&deck(keys), t(created)).unwrap();
    store
}

fn scheduler() -> Scheduler {
    Scheduler::new(SchedulerConfig::default()).unwrap()
}

/// Grades card `key` at `minutes` as the drill does: from its schedule as stored.
fn grade(store: &Store, key: &str, grade: Grade, minutes: i64) -> Review {
    let id = CardId::new("s", key);
    let hash = deck(&[key]).cards[0].content_hash.clone();
    store
        .grade_card(&id, None, |state| Review {
            card: id.clone(),
            content_hash: hash,
            grade,
            kind: match state.phase {
                crate::srs::Phase::Review => ReviewKind::Review,
                crate::srs::Phase::Relearning => ReviewKind::Relearn,
                _ => ReviewKind::Learn,
            },
            reviewed_at: t(minutes),
            timing: Timing {
                answer: Some(Duration::from_secs(90)),
                sections: crate::pacing::PerSection {
                    situation: Some(Duration::from_secs(10)),
                    ..Default::default()
                },
            },
            before: *state,
            after: scheduler().grade(state, grade, t(minutes)).unwrap(),
        })
        .unwrap()
}

/// `from`'s entries merged into `to`, as `to` reads `from`'s log.
fn sync(from: &Store, to: &Store, machine: &str) -> MergeReport {
    let entries = from.local_entries().unwrap();
    to.merge(
        &[Batch {
            machine: Some(machine),
            entries: &entries,
        }],
        &scheduler(),
    )
    .unwrap()
}

fn state(store: &Store, key: &str) -> CardState {
    store.card(&CardId::new("s", key)).unwrap().unwrap().state
}

/// The states a card's reviews left, oldest first. (Each review's state before is the one
/// the review before it left; the first's is a new card, due since it was added on that
/// machine, which differs between machines.)
fn history(store: &Store, key: &str) -> Vec<CardState> {
    let history = store.card_history(&CardId::new("s", key)).unwrap();
    if let Some((first, _)) = history.first() {
        assert_eq!(first.phase, crate::srs::Phase::New);
    }
    for pair in history.windows(2) {
        assert_eq!(
            pair[1].0, pair[0].1,
            "a review starts where the last one left"
        );
    }
    history.into_iter().map(|(_, after)| after).collect()
}

#[test]
fn two_stores_that_reviewed_the_same_card_end_with_the_same_schedule_in_either_order() {
    let run = |first_a: bool| {
        // Created at different times, as on two machines.
        let (a, b) = (store(&["x", "y"], 0), store(&["x", "y"], 30));
        grade(&a, "x", Grade::Good, 60);
        grade(&a, "x", Grade::Good, 75);
        grade(&b, "x", Grade::Again, 120);
        grade(&b, "y", Grade::Easy, 121);
        if first_a {
            sync(&a, &b, "a");
            sync(&b, &a, "b");
        } else {
            sync(&b, &a, "b");
            sync(&a, &b, "a");
        }
        (a, b)
    };
    let (a, b) = run(true);
    let (a2, b2) = run(false);
    // One store that saw the four reviews one by one, in time order.
    let alone = store(&["x", "y"], 0);
    grade(&alone, "x", Grade::Good, 60);
    grade(&alone, "x", Grade::Good, 75);
    grade(&alone, "x", Grade::Again, 120);
    grade(&alone, "y", Grade::Easy, 121);
    for key in ["x", "y"] {
        for other in [&b, &a2, &b2] {
            assert_eq!(state(&a, key), state(other, key), "card {key}");
            assert_eq!(history(&a, key), history(other, key), "card {key}");
        }
        assert_eq!(state(&a, key), state(&alone, key), "card {key}");
        assert_eq!(history(&a, key), history(&alone, key), "card {key}");
    }
    assert_eq!(state(&a, "x").reps, 3);
    assert_eq!(a.review_count().unwrap(), 4);
    assert_eq!(
        a.review_origins().unwrap(),
        ReviewOrigins {
            anki: 0,
            other_machines: 2
        }
    );
}

#[test]
fn the_replayed_schedule_equals_the_one_the_store_computed_review_by_review() {
    let mine = store(&["x"], 0);
    let grades = [
        (0, Grade::Good),
        (1, Grade::Again),
        (12, Grade::Good),
        (30, Grade::Good),
        (3 * DAY, Grade::Hard),
        (9 * DAY, Grade::Again),
        (9 * DAY + 15, Grade::Good),
        (12 * DAY, Grade::Easy),
    ];
    for (minutes, g) in grades {
        grade(&mine, "x", g, minutes);
    }
    // A store that only gets the log replays the whole history at once.
    let other = store(&["x"], 5 * DAY);
    let report = sync(&mine, &other, "mine");
    assert_eq!(
        (report.reviews, report.rescheduled),
        (grades.len(), 1),
        "{report:?}"
    );
    assert_eq!(state(&other, "x"), state(&mine, "x"));
    assert_eq!(history(&other, "x"), history(&mine, "x"));
    assert_eq!(
        state(&mine, "x").lapses,
        1,
        "the history went through a lapse"
    );
    // Its own reviews replayed in place (a merge touching the card) change nothing either.
    let before = history(&mine, "x");
    sync(&other, &mine, "other");
    assert_eq!(history(&mine, "x"), before);
}

#[test]
fn an_undo_reaches_the_other_store_and_the_review_never_comes_back() {
    let (a, b) = (store(&["x"], 0), store(&["x"], 0));
    grade(&a, "x", Grade::Good, 10);
    let last = grade(&a, "x", Grade::Good, 20);
    sync(&a, &b, "a");
    assert_eq!(b.review_count().unwrap(), 2);
    // The last review is taken back on a (as `u` in the drill does); b follows.
    assert!(a.undo_review(&last).unwrap());
    let report = sync(&a, &b, "a");
    assert_eq!((report.undos, report.known), (1, 1), "{report:?}");
    assert_eq!(b.review_count().unwrap(), 1);
    assert_eq!(state(&b, "x"), state(&a, "x"));
    assert_eq!(state(&b, "x").reps, 1);
    // A third store that gets the review and its undo in one go never adds it.
    let c = store(&["x"], 0);
    sync(&a, &c, "a");
    assert_eq!(c.review_count().unwrap(), 1);
    assert_eq!(state(&c, "x"), state(&a, "x"));
    // Merged again: nothing changes.
    let again = sync(&a, &b, "a");
    assert_eq!((again.added(), again.rescheduled), (0, 0));
}

#[test]
fn a_review_of_a_card_not_here_waits_and_is_merged_once_its_story_is() {
    let (a, b) = (store(&["x", "new"], 0), store(&["x"], 0));
    grade(&a, "new", Grade::Good, 10);
    let report = sync(&a, &b, "a");
    assert_eq!((report.reviews, report.waiting, report.known), (0, 1, 0));
    assert_eq!(
        report.missing_cards.into_iter().collect::<Vec<_>>(),
        [CardId::new("s", "new")]
    );
    b.sync_cards(&deck(&["x", "new"]), t(20)).unwrap();
    let report = sync(&a, &b, "a");
    assert_eq!((report.reviews, report.waiting), (1, 0));
    assert_eq!(state(&b, "new"), state(&a, "new"));
}

#[test]
fn a_merge_is_all_or_nothing() {
    let (a, b) = (store(&["x"], 0), store(&["x"], 0));
    grade(&a, "x", Grade::Good, 10);
    let mut entries = a.local_entries().unwrap();
    // An entry the database refuses (a mock answer at position 0), after a good one.
    let EntryBody::Review(review) = &entries[0].body else {
        panic!("a review");
    };
    entries.push(Entry::new(
        "bad",
        EntryBody::MockAnswer(Box::new(MockAnswerEntry {
            session: MockSessionEntry {
                id: "session".into(),
                started_at: review.at,
                seed: 1,
                questions: 1,
                competency: None,
                job: None,
                interface: "plain".into(),
            },
            position: 0,
            asked_at: review.at,
            competency: "ownership".into(),
            question_key: "ownership/q".into(),
            question: "Q?".into(),
            story: None,
            declares: None,
            better_fits: vec![],
            pick_ms: 0,
            answer_ms: None,
            sections_ms: [None; 4],
            probes: serde_json::json!([]),
            self_check: serde_json::json!([]),
            grade: Grade::Good,
            pick_grade: Grade::Good,
        })),
    ));
    let before = state(&b, "x");
    let batch = Batch {
        machine: Some("a"),
        entries: &entries,
    };
    let error = b.merge(&[batch], &scheduler()).unwrap_err().to_string();
    assert!(error.contains("entry bad of a's sync log"), "{error}");
    assert!(error.contains("nothing was merged"), "{error}");
    assert_eq!(b.review_count().unwrap(), 0);
    assert_eq!(state(&b, "x"), before);
    assert!(b.mock_history().unwrap().is_empty());
}

fn question(key: &str) -> BankQuestion {
    BankQuestion {
        competency: "ownership".into(),
        competency_name: "Ownership".into(),
        text: format!("Tell me about {key}"),
        key: format!("ownership/{key}"),
    }
}

fn mock_answer(position: usize, question: &BankQuestion, minutes: i64) -> MockAnswer {
    MockAnswer {
        position,
        asked_at: t(minutes),
        question: question.clone(),
        story_id: Some("s".into()),
        declares: Some(true),
        better: vec!["other".into()],
        pick_time: Duration::from_millis(4_200),
        answer: None,
        probes: vec![],
        self_check: vec![],
        grade: Grade::Good,
        pick_grade: Grade::Hard,
    }
}

#[test]
fn mock_answers_and_pick_reviews_travel_and_the_pick_cards_agree() {
    let (a, b) = (store(&["x"], 0), store(&["x"], 0));
    let setup = MockSetup {
        seed: u64::MAX - 3,
        questions: 2,
        competency: None,
        job: None,
        interface: "tui".into(),
    };
    let session = a.start_mock(&setup, t(0)).unwrap();
    let q = question("failure");
    let first = mock_answer(1, &q, 1);
    let card = pick_card::review(None, &q, first.pick_grade, t(2), &scheduler()).unwrap();
    a.record_mock_answer(session, &first, &card).unwrap();
    // b drills the same pick card the next day, before any sync: the pick card is b's too.
    let b_session = b.start_mock(&setup, t(DAY)).unwrap();
    let mut b_answer = mock_answer(1, &q, DAY + 1);
    b_answer.pick_grade = Grade::Easy;
    let b_card =
        pick_card::review(None, &q, b_answer.pick_grade, t(DAY + 2), &scheduler()).unwrap();
    b.record_mock_answer(b_session, &b_answer, &b_card).unwrap();
    let pick = CardId::new(pick_card::DRILL_STORY_ID, q.key.clone());
    b.grade_pick_card(&pick, |state| Review {
        card: pick.clone(),
        content_hash: String::new(),
        grade: Grade::Good,
        kind: ReviewKind::Review,
        reviewed_at: t(3 * DAY),
        timing: Timing::default(),
        before: *state,
        after: scheduler().grade(state, Grade::Good, t(3 * DAY)).unwrap(),
    })
    .unwrap();

    let report = sync(&a, &b, "a");
    assert_eq!((report.mock_answers, report.pick_reviews), (1, 1));
    sync(&b, &a, "b");
    // Each has both sessions, with their answers.
    for store in [&a, &b] {
        let history = store.mock_history().unwrap();
        assert_eq!(history.len(), 2);
        assert!(history.iter().all(|s| s.answers.len() == 1));
        assert!(history.iter().all(|s| s.setup.seed == u64::MAX - 3));
    }
    // The pick card's schedule is the replay of its three reviews, on both.
    let (on_a, on_b) = (
        a.pick_card(&q.key).unwrap().unwrap(),
        b.pick_card(&q.key).unwrap().unwrap(),
    );
    assert_eq!(on_a.state, on_b.state);
    assert_eq!(on_a.state.reps, 3);
    assert_eq!(on_a.state.last_review, Some(t(3 * DAY)));
    // Synced again: nothing is added twice.
    let again = sync(&a, &b, "a");
    assert_eq!((again.added(), again.known), (0, 2));
}

#[test]
fn the_entries_carry_the_whole_review_and_get_their_ids_once() {
    let a = store(&["x"], 0);
    grade(&a, "x", Grade::Hard, 10);
    let entries = a.local_entries().unwrap();
    assert_eq!(entries.len(), 1);
    let EntryBody::Review(review) = &entries[0].body else {
        panic!("a review: {entries:?}");
    };
    assert_eq!((review.story.as_str(), review.card.as_str()), ("s", "x"));
    assert_eq!(
        (review.at, review.grade, review.cram),
        (t(10), Grade::Hard, false)
    );
    assert_eq!(review.answer_ms, Some(90_000));
    assert_eq!(review.sections_ms, [Some(10_000), None, None, None]);
    assert_eq!(entries[0].id.len(), 32);
    // Listed again, the same id.
    assert_eq!(a.local_entries().unwrap(), entries);
    // The machine id is made once.
    let id = a.machine_id("laptop").unwrap();
    assert!(
        id.starts_with("laptop-") && id.len() == "laptop-".len() + 8,
        "{id}"
    );
    assert_eq!(a.machine_id("other").unwrap(), id);
}

#[test]
fn a_version_4_database_keeps_its_pick_schedules_and_syncs_its_old_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    let scheduler = scheduler();
    // A pick card graded twice before pick reviews were kept, and one story-card review.
    let mut old = CardState::new(t(0));
    for minutes in [0, 15] {
        old = scheduler.grade(&old, Grade::Good, t(minutes)).unwrap();
    }
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        super::super::migrations::migrate_to(&mut conn, 4).unwrap();
        conn.execute(
            "INSERT INTO mock_pick_cards VALUES ('ownership/failure', 'ownership', 'Which?', ?1, ?2, ?3)",
            params![millis(t(0)), millis(old.due), state_json(&old)],
        )
        .unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO cards (id, story_id, card_key, kind, prompt, content_hash, created_at,
                                phase, step, due, reps, lapses)
             VALUES (1, 's', 'x', 'question', 'Q', 'h', 0, 'new', 0, 0, 0, 0);
             INSERT INTO reviews (card_id, reviewed_at, grade, kind, content_hash, state_before,
                                  state_after)
             VALUES (1, {}, 3, 'learn', 'h', '{{}}', '{{}}');",
            millis(t(5))
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let entries = store.local_entries().unwrap();
    assert_eq!(entries.len(), 1, "the old review goes into the log");
    // Another machine's grade of the pick card builds on its old schedule, not on a new card.
    let pick = Entry::new(
        "p1",
        EntryBody::PickReview(PickReviewEntry {
            question: "ownership/failure".into(),
            competency: "ownership".into(),
            prompt: "Which?".into(),
            at: t(3 * DAY),
            grade: Grade::Hard,
        }),
    );
    let batch = Batch {
        machine: Some("other"),
        entries: std::slice::from_ref(&pick),
    };
    store.merge(&[batch], &scheduler).unwrap();
    let card = store.pick_card("ownership/failure").unwrap().unwrap();
    assert_eq!(
        card.state,
        scheduler.grade(&old, Grade::Hard, t(3 * DAY)).unwrap()
    );
    assert_eq!(card.state.reps, 3);
}
