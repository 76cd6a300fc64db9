//! Building the due queue for 10,000 cards with 100,000 reviews (target: under 10 ms).
//!
//! Setup (not timed): a database file with 10,000 cards from 1,000 synthetic stories, each
//! card graded 10 times by the real scheduler over the past 300 days with a fixed
//! pseudo-random mix of grades, so the schedules spread as real ones do.
//!
//! Timed: what starting a drill does — `Store::drill_rows` (the SQL query for due cards, the
//! join with the cards' text) and `srs::due_queue` (the order) — for everything, and for one tag.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use rehearse::srs::{
    AnswerPart, Card, CardId, CardKind, CardState, Deck, DeckStory, DrillCard, DrillMode, Grade,
    Review, ReviewKind, Scheduler, SchedulerConfig, Scope, Timing,
};
use rehearse::store::Store;

const STORIES: usize = 1_000;
const CARDS_PER_STORY: usize = 10;
const REVIEWS_PER_CARD: usize = 10;

fn deck() -> Deck {
    let mut deck = Deck {
        complete: true,
        ..Deck::default()
    };
    for s in 0..STORIES {
        let story = format!("story-{s:04}");
        deck.stories.push(DeckStory {
            id: story.clone(),
            title: format!("Story {s}"),
            tags: vec![format!("tag-{}", s % 20)],
            draft: false,
            file: None,
        });
        for q in 0..CARDS_PER_STORY {
            deck.cards.push(std::sync::Arc::new(Card::new(
                CardId::new(&story, format!("q-question-{q}")),
                CardKind::Question,
                format!("Tell me about time number {q} in story {s}?"),
                vec![AnswerPart {
                    label: "Situation".into(),
                    text: "A refresh took three hours every day.".into(),
                }],
            )));
        }
    }
    deck
}

/// A small deterministic generator, so every run builds the same database.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn populate(store: &Store, deck: &Deck, now: Timestamp) {
    let start = now - SignedDuration::from_hours(24 * 300);
    store.sync_cards(deck, start).unwrap();
    let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
    let mut rng = Lcg(42);
    let mut reviews = Vec::with_capacity(deck.cards.len() * REVIEWS_PER_CARD);
    for card in &deck.cards {
        let mut state = CardState::new(start);
        let mut at = start + SignedDuration::from_mins((rng.next() % (60 * 24 * 100)) as i64);
        for _ in 0..REVIEWS_PER_CARD {
            let grade = match rng.next() % 10 {
                0 => Grade::Again,
                1 => Grade::Hard,
                2 => Grade::Easy,
                _ => Grade::Good,
            };
            let after = scheduler.grade(&state, grade, at).unwrap();
            reviews.push(Review {
                card: card.id.clone(),
                content_hash: card.content_hash.clone(),
                grade,
                kind: ReviewKind::Learn,
                reviewed_at: at,
                timing: Timing::default(),
                before: state,
                after,
            });
            state = after;
            // Reviewed when due, or up to two days late; stop at "now".
            at = (state.due + SignedDuration::from_mins((rng.next() % (60 * 48)) as i64)).min(now);
        }
    }
    store.record_reviews(&reviews, None).unwrap();
    assert_eq!(
        store.review_count().unwrap(),
        (STORIES * CARDS_PER_STORY * REVIEWS_PER_CARD) as u64
    );
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("bench.db")).unwrap();
    let now: Timestamp = "2026-11-25T18:00:00Z".parse().unwrap();
    let deck = deck();
    populate(&store, &deck, now);
    let due_queue = |scope: &Scope| -> Vec<DrillCard> {
        let rows = store
            .drill_rows(black_box(&deck), scope, DrillMode::Scheduled, now)
            .unwrap();
        rehearse::srs::due_queue(rows, DrillMode::Scheduled, now)
    };
    let due = due_queue(&Scope::All).len();
    eprintln!(
        "{} cards, {} reviews, {due} due now",
        deck.cards.len(),
        store.review_count().unwrap()
    );

    c.bench_function("due queue, 10k cards / 100k reviews", |b| {
        b.iter(|| due_queue(&Scope::All));
    });
    let tag = Scope::Tag("tag-7".into());
    c.bench_function("due queue for one tag", |b| {
        b.iter(|| due_queue(&tag));
    });
    c.bench_function("due cards query only", |b| {
        b.iter(|| store.due_cards(black_box(now)).unwrap());
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
