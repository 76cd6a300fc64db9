//! Mock interviews: sessions, one row per graded question (written as it is graded, so a
//! killed mock loses no graded answer), the pick cards and each grade given one (for sync), and
//! what the mock's question draw reads back (how often each competency and question was asked,
//! how well stories are known).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};

use super::journal::{log_pick_review, unlog_pick_review};
use super::spoken::{NewSpokenAnswer, insert_spoken};
use super::{Result, Store, StoreError, from_millis, millis};
use crate::mock::answer::{AnswerTime, AskedProbe, CheckAnswer, MockAnswer, SectionTimes};
use crate::mock::bank::BankQuestion;
use crate::mock::pick_card::PickCard;
pub use crate::mock::stored::{MockSessionId, MockSetup, StoredMockSession};
use crate::srs::{CardId, CardState, Grade, Review, ReviewKind};

fn ms(time: Duration) -> i64 {
    i64::try_from(time.as_millis()).unwrap_or(i64::MAX)
}

fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt(what.into())
}

impl Store {
    pub fn start_mock(&self, setup: &MockSetup, now: Timestamp) -> Result<MockSessionId> {
        self.write(|tx| {
            tx.execute(
            "INSERT INTO mock_sessions (started_at, seed, questions, competency, job, interface)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                millis(now),
                setup.seed.cast_signed(),
                i64::try_from(setup.questions).unwrap_or(i64::MAX),
                setup.competency,
                setup.job,
                setup.interface
            ],
        )?;
            Ok(MockSessionId(tx.last_insert_rowid()))
        })
    }

    pub fn finish_mock(&self, id: MockSessionId, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE mock_sessions SET finished_at = ?2 WHERE id = ?1",
                params![id.0, millis(now)],
            )?;
            Ok(())
        })
    }

    /// Stores a graded answer and its pick card's new schedule in one transaction, committed
    /// before returning: once this returns, the answer survives a kill.
    pub fn record_mock_answer(
        &self,
        session: MockSessionId,
        answer: &MockAnswer,
        pick_card: &PickCard,
    ) -> Result<()> {
        self.record_mock_answer_spoken(session, answer, pick_card, &[])
    }

    /// [`Store::record_mock_answer`], with what was spoken (the answer, the probes' answers)
    /// kept with it in the same transaction.
    pub fn record_mock_answer_spoken(
        &self,
        session: MockSessionId,
        answer: &MockAnswer,
        pick_card: &PickCard,
        spoken: &[NewSpokenAnswer<'_>],
    ) -> Result<()> {
        self.write(|tx| {
            let time = answer.answer.unwrap_or_default();
            let section = |t: Option<Duration>| t.map(ms);
            tx.execute(
            "INSERT INTO mock_answers (session_id, position, asked_at, competency, question_key,
                question, story_id, declares, better_fits, pick_ms, answer_ms, situation_ms,
                task_ms, action_ms, result_ms, probes, self_check, grade, pick_grade)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19)",
            params![
                session.0,
                i64::try_from(answer.position).unwrap_or(i64::MAX),
                millis(answer.asked_at),
                answer.question.competency,
                answer.question.key,
                answer.question.text,
                answer.story_id,
                answer.declares,
                to_json(&answer.better),
                ms(answer.pick_time),
                answer.answer.map(|a| ms(a.total)),
                section(time.sections.situation),
                section(time.sections.task),
                section(time.sections.action),
                section(time.sections.result),
                to_json(&answer.probes),
                to_json(&answer.self_check),
                answer.grade.number(),
                answer.pick_grade.number(),
            ],
        )?;
            let answer_row = tx.last_insert_rowid();
            let state = serde_json::to_string(&pick_card.state)
                .map_err(|e| corrupt(format!("pick card state: {e}")))?;
            tx.execute(
            "INSERT INTO mock_pick_cards (question_key, competency, prompt, created_at, due, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (question_key) DO UPDATE SET
                competency = excluded.competency, prompt = excluded.prompt,
                due = excluded.due, state = excluded.state",
            params![
                pick_card.question_key,
                pick_card.competency,
                pick_card.prompt,
                millis(pick_card.created_at),
                millis(pick_card.state.due),
                state
            ],
        )?;
            let reviewed_at = pick_card.state.last_review.unwrap_or(answer.asked_at);
            log_pick_review(tx, &pick_card.question_key, reviewed_at, answer.pick_grade)?;
            for said in spoken {
                insert_spoken(tx, said, Some(answer_row))?;
            }
            Ok(())
        })
    }

    /// The pick card of a bank question, if a mock has asked it.
    pub fn pick_card(&self, question_key: &str) -> Result<Option<PickCard>> {
        self.conn()
            .query_row(
                "SELECT question_key, competency, prompt, created_at, state
                 FROM mock_pick_cards WHERE question_key = ?1",
                [question_key],
                |row| Ok(read_pick_card(row)),
            )
            .optional()?
            .transpose()
    }

    /// Every pick card, by question key.
    pub fn pick_cards(&self) -> Result<Vec<PickCard>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT question_key, competency, prompt, created_at, state
             FROM mock_pick_cards ORDER BY question_key",
        )?;
        let mut rows = stmt.query([])?;
        let mut cards = Vec::new();
        while let Some(row) = rows.next()? {
            cards.push(read_pick_card(row)?);
        }
        Ok(cards)
    }

    /// Grades a pick card from the drill: `grade` turns the schedule as stored (read inside
    /// the write transaction, as [`Store::grade_card`] does) into the review, whose state is
    /// written back. A pick card's reviews are not logged: the `reviews` table belongs to
    /// story cards.
    pub fn grade_pick_card(
        &self,
        card: &CardId,
        grade: impl FnOnce(&CardState) -> Review,
    ) -> Result<Review> {
        self.write(|tx| {
            let current = pick_state(tx, card)?;
            let review = grade(&current);
            write_pick_state(tx, card, &review.after)?;
            log_pick_review(tx, &card.key, review.reviewed_at, review.grade)?;
            Ok(review)
        })
    }

    /// Takes back a drill's grade of a pick card: its schedule goes back to what it was,
    /// unless it has moved since (another window graded it). False if it had moved.
    pub fn undo_pick_review(&self, review: &Review) -> Result<bool> {
        self.write(|tx| {
            if pick_state(tx, &review.card)? != review.after {
                return Ok(false);
            }
            write_pick_state(tx, &review.card, &review.before)?;
            unlog_pick_review(tx, &review.card.key, review.reviewed_at, review.grade)?;
            Ok(true)
        })
    }

    /// The story last picked in a mock for each bank question (None: "I have none").
    pub fn last_picks(&self) -> Result<HashMap<String, Option<String>>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT question_key, story_id FROM mock_answers
             WHERE id IN (SELECT max(id) FROM mock_answers GROUP BY question_key)",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
        })?;
        let mut picks = HashMap::new();
        for row in rows {
            let (key, story) = row?;
            picks.insert(key, story);
        }
        Ok(picks)
    }

    /// Graded mock questions per competency key.
    pub fn mock_asked_by_competency(&self) -> Result<HashMap<String, usize>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT competency, count(*) FROM mock_answers GROUP BY competency")?;
        let rows = stmt.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?;
        let mut counts = HashMap::new();
        for row in rows {
            let (key, count) = row?;
            counts.insert(key, usize::try_from(count).unwrap_or(0));
        }
        Ok(counts)
    }

    /// Keys of the bank questions some mock has asked.
    pub fn mock_asked_questions(&self) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT DISTINCT question_key FROM mock_answers")?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<HashSet<String>>>()?)
    }

    /// Per story id, the kind and grade of its cards' reviews at or after `since` (what
    /// [`crate::srs::stats::true_retention`] reads).
    pub fn reviews_by_story(
        &self,
        since: Timestamp,
    ) -> Result<HashMap<String, Vec<(ReviewKind, Grade)>>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.story_id, r.kind, r.grade
             FROM reviews r JOIN cards c ON c.id = r.card_id WHERE r.reviewed_at >= ?1",
        )?;
        let rows = stmt.query_map([millis(since)], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        let mut reviews: HashMap<String, Vec<(ReviewKind, Grade)>> = HashMap::new();
        for row in rows {
            let (story, kind, grade) = row?;
            let kind = ReviewKind::parse(&kind)
                .ok_or_else(|| corrupt(format!("a review of {story}: kind `{kind}`")))?;
            let grade = u8::try_from(grade)
                .ok()
                .and_then(Grade::from_number)
                .ok_or_else(|| corrupt(format!("a review of {story}: grade {grade}")))?;
            reviews.entry(story).or_default().push((kind, grade));
        }
        Ok(reviews)
    }

    /// Every mock session with its graded answers, oldest first.
    pub fn mock_history(&self) -> Result<Vec<StoredMockSession>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, started_at, finished_at, seed, questions, competency, job, interface
             FROM mock_sessions ORDER BY started_at, id",
        )?;
        let mut rows = stmt.query([])?;
        let mut sessions = Vec::new();
        while let Some(row) = rows.next()? {
            let id = MockSessionId(row.get(0)?);
            let started_at = from_millis(row.get(1)?)
                .ok_or_else(|| corrupt(format!("mock session {}: start time", id.0)))?;
            let finished_at = row.get::<_, Option<i64>>(2)?.and_then(from_millis);
            let setup = MockSetup {
                seed: row.get::<_, i64>(3)?.cast_unsigned(),
                questions: usize::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
                competency: row.get(5)?,
                job: row.get(6)?,
                interface: row.get(7)?,
            };
            sessions.push(StoredMockSession {
                id,
                started_at,
                finished_at,
                setup,
                answers: Vec::new(),
            });
        }
        for session in &mut sessions {
            session.answers = self.mock_answers(session.id)?;
        }
        Ok(sessions)
    }

    /// The graded answers of one session, in order.
    pub fn mock_answers(&self, session: MockSessionId) -> Result<Vec<MockAnswer>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT position, asked_at, competency, question_key, question, story_id, declares,
                better_fits, pick_ms, answer_ms, situation_ms, task_ms, action_ms, result_ms,
                probes, self_check, grade, pick_grade
             FROM mock_answers WHERE session_id = ?1 ORDER BY position",
        )?;
        let mut rows = stmt.query([session.0])?;
        let mut answers = Vec::new();
        while let Some(row) = rows.next()? {
            answers.push(read_answer(row)?);
        }
        Ok(answers)
    }
}

/// A pick card's schedule; its [`CardId`]'s key is the bank question's key.
fn pick_state(tx: &rusqlite::Transaction<'_>, card: &CardId) -> Result<CardState> {
    let state: String = tx
        .query_row(
            "SELECT state FROM mock_pick_cards WHERE question_key = ?1",
            [&card.key],
            |row| row.get(0),
        )
        .optional()?
        .ok_or_else(|| StoreError::UnknownCard(card.clone()))?;
    serde_json::from_str(&state).map_err(|e| corrupt(format!("pick card {card}: schedule: {e}")))
}

fn write_pick_state(
    tx: &rusqlite::Transaction<'_>,
    card: &CardId,
    state: &CardState,
) -> Result<()> {
    let json = serde_json::to_string(state)
        .map_err(|e| corrupt(format!("pick card {card}: schedule: {e}")))?;
    tx.execute(
        "UPDATE mock_pick_cards SET due = ?2, state = ?3 WHERE question_key = ?1",
        params![card.key, millis(state.due), json],
    )?;
    Ok(())
}

fn read_pick_card(row: &Row<'_>) -> Result<PickCard> {
    let key: String = row.get(0)?;
    let state: String = row.get(4)?;
    let state: CardState = serde_json::from_str(&state)
        .map_err(|e| corrupt(format!("pick card {key}: schedule: {e}")))?;
    Ok(PickCard {
        competency: row.get(1)?,
        prompt: row.get(2)?,
        created_at: from_millis(row.get(3)?)
            .ok_or_else(|| corrupt(format!("pick card {key}: creation time")))?,
        question_key: key,
        state,
    })
}

fn read_answer(row: &Row<'_>) -> Result<MockAnswer> {
    let key: String = row.get(3)?;
    let what = |field: &str| corrupt(format!("mock answer to {key}: {field}"));
    let duration = |index: usize| -> Result<Option<Duration>> {
        Ok(row
            .get::<_, Option<i64>>(index)?
            .map(|ms| Duration::from_millis(u64::try_from(ms).unwrap_or(0))))
    };
    let parse = |index: usize, field: &str| -> Result<String> {
        row.get::<_, String>(index).map_err(|_| what(field))
    };
    let better: Vec<String> =
        serde_json::from_str(&parse(7, "better_fits")?).map_err(|_| what("better_fits"))?;
    let probes: Vec<AskedProbe> =
        serde_json::from_str(&parse(14, "probes")?).map_err(|_| what("probes"))?;
    let self_check: Vec<CheckAnswer> =
        serde_json::from_str(&parse(15, "self_check")?).map_err(|_| what("self_check"))?;
    let grade = |index: usize, field: &str| -> Result<Grade> {
        let n: i64 = row.get(index)?;
        u8::try_from(n)
            .ok()
            .and_then(Grade::from_number)
            .ok_or_else(|| what(field))
    };
    let answer = duration(9)?.map(|total| {
        Ok::<_, StoreError>(AnswerTime {
            total,
            sections: SectionTimes {
                situation: duration(10)?,
                task: duration(11)?,
                action: duration(12)?,
                result: duration(13)?,
            },
        })
    });
    let competency: String = row.get(2)?;
    Ok(MockAnswer {
        position: usize::try_from(row.get::<_, i64>(0)?).unwrap_or(0),
        asked_at: from_millis(row.get(1)?).ok_or_else(|| what("asked_at"))?,
        question: BankQuestion {
            competency_name: competency.clone(),
            competency,
            text: row.get(4)?,
            key: key.clone(),
        },
        story_id: row.get(5)?,
        declares: row.get(6)?,
        better,
        pick_time: duration(8)?.unwrap_or_default(),
        answer: answer.transpose()?,
        probes,
        self_check,
        grade: grade(16, "grade")?,
        pick_grade: grade(17, "pick_grade")?,
    })
}

/// A list column's JSON.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::answer::CheckItem;
    use crate::mock::bank::questions;
    use crate::mock::pick_card;
    use crate::mock::testing::fixture_bank;
    use crate::srs::{Scheduler, SchedulerConfig};

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    fn answer(position: usize, question: &BankQuestion) -> MockAnswer {
        MockAnswer {
            position,
            asked_at: at(position as i64 * 100),
            question: question.clone(),
            story_id: Some("cache-latency".into()),
            declares: Some(true),
            better: vec!["pager-outage".into()],
            pick_time: Duration::from_millis(4_200),
            answer: Some(AnswerTime {
                total: Duration::from_secs(95),
                sections: SectionTimes {
                    situation: Some(Duration::from_secs(10)),
                    task: Some(Duration::from_secs(5)),
                    action: Some(Duration::from_secs(60)),
                    result: Some(Duration::from_secs(20)),
                },
            }),
            probes: vec![AskedProbe {
                question: "How did you keep the cache fresh?".into(),
                time: Duration::from_millis(15_500),
                open: false,
            }],
            self_check: vec![
                CheckAnswer {
                    item: CheckItem::SituationGiven,
                    yes: true,
                },
                CheckAnswer {
                    item: CheckItem::NumberRight,
                    yes: false,
                },
            ],
            grade: Grade::Good,
            pick_grade: Grade::Hard,
        }
    }

    #[test]
    fn a_graded_answer_and_its_pick_card_round_trip() {
        let store = Store::open_in_memory().unwrap();
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let bank = questions(&fixture_bank());
        let setup = MockSetup {
            seed: u64::MAX - 1,
            questions: 2,
            competency: None,
            job: Some("ad.md".into()),
            interface: "plain".into(),
        };
        let id = store.start_mock(&setup, at(0)).unwrap();
        let first = answer(1, &bank[0]);
        let card = pick_card::review(None, &bank[0], Grade::Hard, at(100), &scheduler).unwrap();
        store.record_mock_answer(id, &first, &card).unwrap();
        let mut none = answer(2, &bank[4]);
        none.story_id = None;
        none.declares = None;
        none.answer = None;
        none.probes.clear();
        none.self_check.clear();
        none.grade = Grade::Again;
        let none_card =
            pick_card::review(None, &bank[4], Grade::Again, at(200), &scheduler).unwrap();
        store.record_mock_answer(id, &none, &none_card).unwrap();
        store.finish_mock(id, at(300)).unwrap();

        let history = store.mock_history().unwrap();
        assert_eq!(history.len(), 1);
        let session = &history[0];
        assert_eq!(session.setup, setup, "the seed survives as u64");
        assert_eq!(session.finished_at, Some(at(300)));
        // The competency's display name is not stored: the key stands in for it.
        let mut expected = first.clone();
        expected.question.competency_name = expected.question.competency.clone();
        assert_eq!(session.answers[0], expected);
        assert_eq!(session.answers[1].story_id, None);
        assert_eq!(session.answers[1].answer, None);

        assert_eq!(store.pick_card(&bank[0].key).unwrap(), Some(card.clone()));
        assert_eq!(store.pick_cards().unwrap().len(), 2);
        assert_eq!(
            store.mock_asked_questions().unwrap(),
            HashSet::from([bank[0].key.clone(), bank[4].key.clone()])
        );
        assert_eq!(store.mock_asked_by_competency().unwrap()["ownership"], 1);

        // Asking the question again moves its one card on.
        let again =
            pick_card::review(Some(card), &bank[0], Grade::Good, at(400), &scheduler).unwrap();
        let id2 = store.start_mock(&setup, at(350)).unwrap();
        store
            .record_mock_answer(id2, &answer(1, &bank[0]), &again)
            .unwrap();
        assert_eq!(store.pick_cards().unwrap().len(), 2);
        assert_eq!(
            store.pick_card(&bank[0].key).unwrap().unwrap().state,
            again.state
        );
        assert_eq!(store.mock_history().unwrap()[1].finished_at, None);
    }

    #[test]
    fn the_same_position_twice_in_a_session_is_refused_and_nothing_half_written() {
        let store = Store::open_in_memory().unwrap();
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let bank = questions(&fixture_bank());
        let setup = MockSetup {
            seed: 1,
            questions: 1,
            competency: None,
            job: None,
            interface: "plain".into(),
        };
        let id = store.start_mock(&setup, at(0)).unwrap();
        let card = pick_card::review(None, &bank[0], Grade::Good, at(1), &scheduler).unwrap();
        store
            .record_mock_answer(id, &answer(1, &bank[0]), &card)
            .unwrap();
        let other = pick_card::review(None, &bank[1], Grade::Good, at(1), &scheduler).unwrap();
        assert!(
            store
                .record_mock_answer(id, &answer(1, &bank[1]), &other)
                .is_err()
        );
        // The failed write took its pick card with it.
        assert_eq!(store.pick_card(&bank[1].key).unwrap(), None);
    }
}
