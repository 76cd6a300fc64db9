//! Graded reviews. Recording one is a single transaction (the review row and the card's new
//! schedule together), committed before the drill moves on: a graded review is durable.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::cards::{read_state, write_state};
use super::spoken::{NewSpokenAnswer, insert_spoken};
use super::{Result, SessionId, Store, StoreError, from_millis, millis};
use crate::srs::{CardId, CardState, Grade, Review, ReviewKind};

/// A review as the statistics need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedReview {
    pub reviewed_at: Timestamp,
    pub grade: Grade,
    pub kind: ReviewKind,
}

impl Store {
    /// Stores a graded review and, unless it was cram, the card's new schedule, in one
    /// transaction committed before returning: once this returns, the grade is durable.
    ///
    /// The review was built from the state the caller read earlier; when another process may
    /// grade the same card, [`Store::grade_card`] is the safe way.
    pub fn record_review(&self, review: &Review, session: Option<SessionId>) -> Result<()> {
        self.record_reviews(std::slice::from_ref(review), session)
    }

    /// Stores many reviews, in order, in one transaction (imports, benchmarks).
    pub fn record_reviews(&self, reviews: &[Review], session: Option<SessionId>) -> Result<()> {
        self.write(|tx| {
            for review in reviews {
                let card_row = card_row(tx, &review.card)?;
                insert_review(tx, card_row, review, session)?;
            }
            Ok(())
        })
    }

    /// Grades `card` from its state as stored now: reads it inside the write transaction,
    /// builds the review with `grade` (the caller's scheduler), and stores the review and,
    /// unless it was cram, the new schedule, before returning the review. Two processes
    /// grading the same card thus each build on the other's grade instead of both starting
    /// from the state they loaded.
    pub fn grade_card(
        &self,
        card: &CardId,
        session: Option<SessionId>,
        grade: impl FnOnce(&CardState) -> Review,
    ) -> Result<Review> {
        self.grade_card_spoken(card, session, grade, None)
    }

    /// [`Store::grade_card`], with the spoken answer that was graded kept with the review in
    /// the same transaction (both or neither).
    pub fn grade_card_spoken(
        &self,
        card: &CardId,
        session: Option<SessionId>,
        grade: impl FnOnce(&CardState) -> Review,
        spoken: Option<&NewSpokenAnswer<'_>>,
    ) -> Result<Review> {
        self.write(|tx| {
            let card_row = card_row(tx, card)?;
            let current = tx
                .prepare_cached(
                    "SELECT phase, step, stability, difficulty, due, last_review, reps, lapses
                     FROM cards WHERE id = ?1",
                )?
                .query_row([card_row], |row| Ok(read_state(row, 0, card)))??;
            let review = grade(&current);
            insert_review(tx, card_row, &review, session)?;
            if let Some(spoken) = spoken {
                insert_spoken(tx, spoken, Some(tx.last_insert_rowid()))?;
            }
            Ok(review)
        })
    }

    /// Takes back a review recorded by [`Store::record_review`] or [`Store::grade_card`]:
    /// deletes that review (matched on all it stored, so another process's review of the same
    /// card stays) and recomputes the card's schedule from the reviews that remain: the state
    /// after the latest one, or a new card's when none is left. False if no such review is
    /// stored.
    pub fn undo_review(&self, review: &Review) -> Result<bool> {
        self.write(|tx| {
            let card_row = card_row(tx, &review.card)?;
            let deleted = tx.execute(
                "DELETE FROM reviews WHERE id = (
                    SELECT id FROM reviews
                    WHERE card_id = ?1 AND reviewed_at = ?2 AND grade = ?3 AND kind = ?4
                      AND content_hash = ?5 AND state_before = ?6 AND state_after = ?7
                    ORDER BY id DESC LIMIT 1)",
                params![
                    card_row,
                    millis(review.reviewed_at),
                    review.grade.number(),
                    review.kind.as_str(),
                    review.content_hash,
                    to_json(&review.before),
                    to_json(&review.after),
                ],
            )?;
            if deleted == 0 {
                return Ok(false);
            }
            if review.kind != ReviewKind::Cram {
                let latest: Option<(String, String)> = tx
                    .query_row(
                        "SELECT state_after, content_hash FROM reviews
                         WHERE card_id = ?1 AND kind != 'cram'
                         ORDER BY reviewed_at DESC, id DESC LIMIT 1",
                        [card_row],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .optional()?;
                match latest {
                    Some((state, hash)) => {
                        write_state(
                            tx,
                            card_row,
                            &from_json(&state, &review.card)?,
                            Some(hash.as_str()),
                        )?;
                    }
                    None => {
                        let created: i64 = tx.query_row(
                            "SELECT created_at FROM cards WHERE id = ?1",
                            [card_row],
                            |row| row.get(0),
                        )?;
                        let created = from_millis(created).ok_or_else(|| {
                            StoreError::Corrupt(format!("card {}: bad creation time", review.card))
                        })?;
                        write_state(tx, card_row, &CardState::new(created), None)?;
                    }
                }
            }
            Ok(true)
        })
    }

    /// Every stored review, for counting.
    /// Graded reviews per story id (cram reviews included: practice is practice).
    pub fn review_counts_by_story(&self) -> Result<std::collections::HashMap<String, u64>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.story_id, count(*) FROM reviews r JOIN cards c ON c.id = r.card_id
             GROUP BY c.story_id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?;
        let mut counts = std::collections::HashMap::new();
        for row in rows {
            let (story, count) = row?;
            counts.insert(story, u64::try_from(count).unwrap_or(0));
        }
        Ok(counts)
    }

    pub fn review_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM reviews", [], |row| row.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Reviews at or after `since`, oldest first.
    pub fn reviews_since(&self, since: Timestamp) -> Result<Vec<LoggedReview>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT reviewed_at, grade, kind FROM reviews WHERE reviewed_at >= ?1
             ORDER BY reviewed_at, id",
        )?;
        let rows = stmt.query_map([millis(since)], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (at, grade, kind) = row?;
            let corrupt = |what: &str| StoreError::Corrupt(format!("review at {at}: bad {what}"));
            Ok(LoggedReview {
                reviewed_at: from_millis(at).ok_or_else(|| corrupt("time"))?,
                grade: u8::try_from(grade)
                    .ok()
                    .and_then(Grade::from_number)
                    .ok_or_else(|| corrupt("grade"))?,
                kind: ReviewKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
            })
        })
        .collect()
    }

    /// The states a card went through, one per review, oldest first: (before, after).
    pub fn card_history(&self, id: &CardId) -> Result<Vec<(CardState, CardState)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.state_before, r.state_after FROM reviews r JOIN cards c ON c.id = r.card_id
             WHERE c.story_id = ?1 AND c.card_key = ?2 ORDER BY r.reviewed_at, r.id",
        )?;
        let rows = stmt.query_map([&id.story_id, &id.key], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (before, after) = row?;
            Ok((from_json(&before, id)?, from_json(&after, id)?))
        })
        .collect()
    }
}

fn insert_review(
    tx: &rusqlite::Connection,
    card_row: i64,
    review: &Review,
    session: Option<SessionId>,
) -> Result<()> {
    let ms = |d: Option<std::time::Duration>| {
        d.map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    };
    let sections = review.timing.sections.map(ms);
    tx.prepare_cached(
        "INSERT INTO reviews (card_id, session_id, reviewed_at, grade, kind, content_hash,
                                  answer_ms, situation_ms, task_ms, action_ms, result_ms,
                                  state_before, state_after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        card_row,
        session,
        millis(review.reviewed_at),
        review.grade.number(),
        review.kind.as_str(),
        review.content_hash,
        ms(review.timing.answer),
        sections.situation,
        sections.task,
        sections.action,
        sections.result,
        to_json(&review.before),
        to_json(&review.after),
    ])?;
    if review.kind != ReviewKind::Cram {
        write_state(tx, card_row, &review.after, Some(&review.content_hash))?;
    }
    Ok(())
}

fn card_row(conn: &rusqlite::Connection, id: &CardId) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM cards WHERE story_id = ?1 AND card_key = ?2")?
        .query_row([&id.story_id, &id.key], |row| row.get(0))
        .optional()?
        .ok_or_else(|| StoreError::UnknownCard(id.clone()))
}

fn to_json(state: &CardState) -> String {
    serde_json::to_string(state).expect("card states serialize")
}

fn from_json(text: &str, id: &CardId) -> Result<CardState> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("review state of card {id}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{
        Card, CardKind, Deck, DeckStory, DrillCard, DrillMode, DrillSession, Scheduler,
        SchedulerConfig, Timing, due_queue,
    };
    use std::time::Duration;

    fn now() -> Timestamp {
        "2026-11-25T18:00:00Z".parse().unwrap()
    }

    fn deck() -> Deck {
        let cards = ["a", "b"]
            .map(|key| {
                std::sync::Arc::new(Card::new(
                    CardId::new("s", key),
                    CardKind::Question,
                    key.into(),
                    vec![],
                ))
            })
            .to_vec();
        Deck {
            cards,
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

    fn session(store: &Store, mode: DrillMode) -> DrillSession {
        let cards = store
            .due_cards(now())
            .unwrap()
            .into_iter()
            .map(|stored| DrillCard {
                card: deck().card(&stored.id).unwrap().clone(),
                state: stored.state,
                edited: stored.edited(),
            })
            .collect();
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        DrillSession::new(scheduler, mode, due_queue(cards, mode, now()))
    }

    #[test]
    fn a_recorded_review_moves_the_schedule_and_undo_puts_it_back() {
        let store = Store::open_in_memory().unwrap();
        store.sync_cards(&deck(), now()).unwrap();
        let id = store
            .start_session(DrillMode::Scheduled, "all", "plain", now())
            .unwrap();
        let mut drill = session(&store, DrillMode::Scheduled);
        let timing = Timing {
            answer: Some(Duration::from_millis(95_000)),
            sections: crate::pacing::SectionTimes {
                situation: Some(Duration::from_secs(14)),
                action: Some(Duration::from_secs(70)),
                ..Default::default()
            },
        };
        let review = drill.grade(Grade::Easy, now(), timing).unwrap();
        store.record_review(&review, Some(id)).unwrap();
        let stored = store.card(&review.card).unwrap().unwrap();
        assert_eq!(stored.state, review.after);
        assert_eq!(
            store.card_history(&review.card).unwrap(),
            [(review.before, review.after)]
        );
        let (answer, action): (i64, i64) = store
            .conn()
            .query_row("SELECT answer_ms, action_ms FROM reviews", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((answer, action), (95_000, 70_000));

        let undone = drill.undo().unwrap();
        assert!(store.undo_review(&undone).unwrap());
        assert_eq!(
            store.card(&review.card).unwrap().unwrap().state,
            review.before
        );
        assert_eq!(store.review_count().unwrap(), 0);
        assert!(!store.undo_review(&undone).unwrap(), "already undone");
        store.finish_session(id, now()).unwrap();
    }

    #[test]
    fn cram_reviews_are_logged_but_leave_the_schedule_alone() {
        let store = Store::open_in_memory().unwrap();
        store.sync_cards(&deck(), now()).unwrap();
        let before = store.live_cards().unwrap();
        // Cram normally takes cards that are not due; any card will do here.
        let cards = before
            .iter()
            .map(|stored| DrillCard {
                card: deck().card(&stored.id).unwrap().clone(),
                state: stored.state,
                edited: false,
            })
            .collect();
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let mut drill = DrillSession::new(scheduler, DrillMode::Cram, cards);
        let review = drill.grade(Grade::Again, now(), Timing::default()).unwrap();
        store.record_review(&review, None).unwrap();
        assert_eq!(store.live_cards().unwrap(), before);
        let log = store.reviews_since(now()).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].kind, ReviewKind::Cram);
    }

    #[test]
    fn a_review_of_an_unknown_card_names_it() {
        let store = Store::open_in_memory().unwrap();
        let mut drill = DrillSession::new(
            Scheduler::new(SchedulerConfig::default()).unwrap(),
            DrillMode::Scheduled,
            vec![DrillCard {
                card: deck().cards[0].clone(),
                state: CardState::new(now()),
                edited: false,
            }],
        );
        let review = drill.grade(Grade::Good, now(), Timing::default()).unwrap();
        let error = store.record_review(&review, None).unwrap_err();
        assert!(error.to_string().contains("s#a"), "{error}");
    }

    /// A review of `card` from `state`, as a drill would grade it.
    fn review_from(card: &CardId, state: &CardState, grade: Grade, at: Timestamp) -> Review {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let after = scheduler.preview(state, at).unwrap().get(grade).state;
        Review {
            card: card.clone(),
            content_hash: deck().card(card).unwrap().content_hash.clone(),
            grade,
            kind: ReviewKind::Learn,
            reviewed_at: at,
            timing: Timing::default(),
            before: *state,
            after,
        }
    }

    #[test]
    fn two_processes_grading_one_card_each_build_on_the_other_and_undo_only_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.db");
        let first = Store::open(&path).unwrap();
        let second = Store::open(&path).unwrap();
        first.sync_cards(&deck(), now()).unwrap();
        let id = CardId::new("s", "a");
        // Both windows loaded the card while it was new.
        let loaded = first.card(&id).unwrap().unwrap().state;
        let one = first
            .grade_card(&id, None, |state| {
                review_from(&id, state, Grade::Good, now())
            })
            .unwrap();
        assert_eq!(one.before, loaded);
        let later = now() + jiff::SignedDuration::from_secs(5);
        let two = second
            .grade_card(&id, None, |state| {
                review_from(&id, state, Grade::Good, later)
            })
            .unwrap();
        assert_eq!(
            two.before, one.after,
            "the second grade read the first one's result"
        );
        assert_eq!(first.card(&id).unwrap().unwrap().state.reps, 2);
        // The first window takes its grade back: the second window's review stays, and the
        // card's state is the one that review left.
        assert!(first.undo_review(&one).unwrap());
        assert_eq!(first.review_count().unwrap(), 1);
        assert_eq!(first.card(&id).unwrap().unwrap().state, two.after);
        // Undoing the last review leaves a new card, as it was created.
        assert!(second.undo_review(&two).unwrap());
        assert_eq!(first.card(&id).unwrap().unwrap().state, loaded);
        assert_eq!(first.review_count().unwrap(), 0);
    }

    #[test]
    fn a_deleted_or_replaced_database_refuses_every_write_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.db");
        let store = Store::open(&path).unwrap();
        store.sync_cards(&deck(), now()).unwrap();
        let id = CardId::new("s", "a");
        std::fs::remove_file(&path).unwrap();
        let missing = |result: Result<()>| match result {
            Err(StoreError::Missing { path: p }) => assert_eq!(p, path),
            other => panic!("expected Missing, got {other:?}"),
        };
        missing(
            store
                .grade_card(&id, None, |s| review_from(&id, s, Grade::Good, now()))
                .map(drop),
        );
        missing(store.record_review(
            &review_from(&id, &CardState::new(now()), Grade::Good, now()),
            None,
        ));
        missing(store.sync_cards(&deck(), now()).map(drop));
        missing(
            store
                .start_session(DrillMode::Scheduled, "all", "tui", now())
                .map(drop),
        );
        // Replaced by another database under the same name: still not the file we opened.
        Store::open(&path).unwrap();
        let error = store.sync_cards(&deck(), now()).unwrap_err();
        assert!(matches!(error, StoreError::Missing { .. }), "{error}");
        assert!(error.to_string().contains("gone.db"), "{error}");
    }

    #[test]
    fn a_locked_database_is_busy_after_the_chosen_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locked.db");
        let store = Store::open(&path).unwrap();
        store.sync_cards(&deck(), now()).unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        store.set_busy_timeout(Duration::from_millis(50)).unwrap();
        let started = std::time::Instant::now();
        let id = CardId::new("s", "a");
        let error = store
            .grade_card(&id, None, |s| review_from(&id, s, Grade::Good, now()))
            .unwrap_err();
        assert!(
            matches!(&error, StoreError::Busy { path: p } if *p == path),
            "{error:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(4));
        other.execute_batch("ROLLBACK").unwrap();
        store
            .grade_card(&id, None, |s| review_from(&id, s, Grade::Good, now()))
            .unwrap();
    }
}
