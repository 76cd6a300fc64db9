//! Other machines' entries (or Anki's reviews) merged into this database, in one transaction:
//! the entries not here yet are added (an undo deletes its review and keeps it from coming
//! back), then each card they touch is rescheduled by replaying its whole history
//! ([`crate::sync::replay`]) with the scheduler the drill uses. A killed merge leaves nothing
//! behind; run again, it adds everything once.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::cards::write_state;
use super::journal::{assign_entry_ids, grade_of};
use super::{Result, Store, StoreError, from_millis, millis};
use crate::srs::{CardId, CardState, ReviewKind, Scheduler};
use crate::sync::log::{
    Entry, EntryBody, MockAnswerEntry, MockSessionEntry, PickReviewEntry, ReviewEntry, UndoEntry,
};
use crate::sync::replay::{Step, replay};

/// The entries of one log to merge.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// The machine whose log they come from; None for this machine's own log (entries it
    /// wrote and has lost, e.g. after restoring a backup) and for Anki's reviews imported here.
    pub machine: Option<&'a str>,
    pub entries: &'a [Entry],
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Story-card reviews added.
    pub reviews: usize,
    /// Reviews or pick-card reviews taken back.
    pub undos: usize,
    pub mock_answers: usize,
    pub pick_reviews: usize,
    /// Entries this database already had.
    pub known: usize,
    /// Reviews of cards this database does not have (their story is not here): not added,
    /// so a later merge adds them once the story is here.
    pub waiting: usize,
    /// The cards those reviews are of.
    pub missing_cards: BTreeSet<CardId>,
    /// Story cards and pick cards rescheduled from their whole history.
    pub rescheduled: usize,
}

impl MergeReport {
    /// Entries added or applied.
    pub fn added(&self) -> usize {
        self.reviews + self.undos + self.mock_answers + self.pick_reviews
    }
}

impl Store {
    /// Merges `batches` in one transaction: entries not here yet are added (an undo deletes
    /// its review), then every card they touch is rescheduled from its whole history with
    /// `scheduler`.
    pub fn merge(&self, batches: &[Batch<'_>], scheduler: &Scheduler) -> Result<MergeReport> {
        self.write(|tx| {
            // Ties in time are broken by entry id, the same on every machine.
            assign_entry_ids(tx)?;
            let mut merge = Merge {
                tx,
                report: MergeReport::default(),
                cards: BTreeSet::new(),
                picks: BTreeSet::new(),
            };
            for batch in batches {
                for entry in batch.entries {
                    merge
                        .apply(batch.machine, entry)
                        .map_err(|e| StoreError::BadEntry {
                            log: batch.machine.unwrap_or("this machine").to_owned(),
                            entry: entry.id.clone(),
                            message: e.to_string(),
                        })?;
                }
            }
            for &card in &merge.cards {
                replay_card(tx, card, scheduler)?;
            }
            for pick in &merge.picks {
                replay_pick(tx, pick, scheduler)?;
            }
            merge.report.rescheduled = merge.cards.len() + merge.picks.len();
            Ok(merge.report)
        })
    }
}

/// What became of one entry.
enum Outcome {
    Added,
    Known,
    /// A review of a card this database does not have.
    Waiting(CardId),
}

struct Merge<'a, 't> {
    tx: &'a Transaction<'t>,
    report: MergeReport,
    /// Story cards (row ids) and pick cards (question keys) whose history changed.
    cards: BTreeSet<i64>,
    picks: BTreeSet<String>,
}

impl Merge<'_, '_> {
    fn apply(&mut self, machine: Option<&str>, entry: &Entry) -> Result<()> {
        let added = match &entry.body {
            EntryBody::Review(review) => self.review(machine, &entry.id, review)?,
            EntryBody::Undo(undo) => self.undo(machine, undo)?,
            EntryBody::MockAnswer(answer) => self.mock_answer(machine, &entry.id, answer)?,
            EntryBody::PickReview(pick) => self.pick_review(machine, &entry.id, pick)?,
        };
        match added {
            Outcome::Added => {}
            Outcome::Known => self.report.known += 1,
            Outcome::Waiting(card) => {
                self.report.waiting += 1;
                self.report.missing_cards.insert(card);
            }
        }
        Ok(())
    }

    fn exists(&self, sql: &str, id: &str) -> Result<bool> {
        Ok(self.tx.prepare_cached(sql)?.exists([id])?)
    }

    /// Whether the entry `id` is here: in `table`, or taken back.
    fn known(&self, table: &str, id: &str) -> Result<bool> {
        Ok(
            self.exists(&format!("SELECT 1 FROM {table} WHERE entry_id = ?1"), id)?
                || self.exists("SELECT 1 FROM sync_undone WHERE entry_id = ?1", id)?,
        )
    }

    fn review(&mut self, machine: Option<&str>, id: &str, review: &ReviewEntry) -> Result<Outcome> {
        if self.known("reviews", id)? {
            return Ok(Outcome::Known);
        }
        let card: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM cards WHERE story_id = ?1 AND card_key = ?2")?
            .query_row([&review.story, &review.card], |row| row.get(0))
            .optional()?;
        let Some(card) = card else {
            return Ok(Outcome::Waiting(CardId::new(&review.story, &review.card)));
        };
        let placeholder = state_json(&CardState::new(review.at));
        let [situation, task, action, result] = review.sections_ms.map(non_negative);
        let kind = if review.cram { "cram" } else { "learn" };
        self.tx
            .prepare_cached(
                "INSERT INTO reviews (card_id, reviewed_at, grade, kind, content_hash, answer_ms,
                    situation_ms, task_ms, action_ms, result_ms, state_before, state_after,
                    entry_id, machine)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)",
            )?
            .execute(params![
                card,
                millis(review.at),
                review.grade.number(),
                kind,
                review.hash,
                non_negative(review.answer_ms),
                situation,
                task,
                action,
                result,
                placeholder,
                id,
                machine
            ])?;
        self.cards.insert(card);
        self.report.reviews += 1;
        Ok(Outcome::Added)
    }

    fn undo(&mut self, machine: Option<&str>, undo: &UndoEntry) -> Result<Outcome> {
        if self.exists(
            "SELECT 1 FROM sync_undone WHERE entry_id = ?1",
            &undo.target,
        )? {
            return Ok(Outcome::Known);
        }
        // First, so the delete triggers do not file it as taken back here.
        self.tx.execute(
            "INSERT INTO sync_undone (entry_id, machine) VALUES (?1, ?2)",
            params![undo.target, machine],
        )?;
        let cards = self
            .tx
            .prepare("DELETE FROM reviews WHERE entry_id = ?1 RETURNING card_id")?
            .query_map([&undo.target], |row| row.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let picks = self
            .tx
            .prepare("DELETE FROM pick_reviews WHERE entry_id = ?1 RETURNING question_key")?
            .query_map([&undo.target], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.cards.extend(cards);
        self.picks.extend(picks);
        self.report.undos += 1;
        Ok(Outcome::Added)
    }

    fn pick_review(
        &mut self,
        machine: Option<&str>,
        id: &str,
        pick: &PickReviewEntry,
    ) -> Result<Outcome> {
        if self.known("pick_reviews", id)? {
            return Ok(Outcome::Known);
        }
        let at = millis(pick.at);
        self.tx.execute(
            "INSERT OR IGNORE INTO mock_pick_cards (question_key, competency, prompt, created_at,
                                                    due, state)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            params![
                pick.question,
                pick.competency,
                pick.prompt,
                at,
                state_json(&CardState::new(pick.at))
            ],
        )?;
        self.tx.execute(
            "INSERT INTO pick_reviews (question_key, reviewed_at, grade, entry_id, machine)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![pick.question, at, pick.grade.number(), id, machine],
        )?;
        self.picks.insert(pick.question.clone());
        self.report.pick_reviews += 1;
        Ok(Outcome::Added)
    }

    fn mock_answer(
        &mut self,
        machine: Option<&str>,
        id: &str,
        answer: &MockAnswerEntry,
    ) -> Result<Outcome> {
        if self.known("mock_answers", id)? {
            return Ok(Outcome::Known);
        }
        let session = self.mock_session(machine, &answer.session)?;
        let taken = self
            .tx
            .prepare_cached("SELECT 1 FROM mock_answers WHERE session_id = ?1 AND position = ?2")?
            .exists(params![session, answer.position])?;
        if taken {
            return Ok(Outcome::Known);
        }
        let [situation, task, action, result] = answer.sections_ms.map(non_negative);
        self.tx.execute(
            "INSERT INTO mock_answers (session_id, position, asked_at, competency,
                question_key, question, story_id, declares, better_fits, pick_ms, answer_ms,
                situation_ms, task_ms, action_ms, result_ms, probes, self_check, grade,
                pick_grade, entry_id, machine)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21)",
            params![
                session,
                answer.position,
                millis(answer.asked_at),
                answer.competency,
                answer.question_key,
                answer.question,
                answer.story,
                answer.declares,
                serde_json::to_string(&answer.better_fits).expect("strings serialise"),
                answer.pick_ms.max(0),
                non_negative(answer.answer_ms),
                situation,
                task,
                action,
                result,
                answer.probes.to_string(),
                answer.self_check.to_string(),
                answer.grade.number(),
                answer.pick_grade.number(),
                id,
                machine
            ],
        )?;
        self.report.mock_answers += 1;
        Ok(Outcome::Added)
    }

    /// The row of a mock session, added the first time one of its answers arrives.
    fn mock_session(&self, machine: Option<&str>, session: &MockSessionEntry) -> Result<i64> {
        let known: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM mock_sessions WHERE entry_id = ?1")?
            .query_row([&session.id], |row| row.get(0))
            .optional()?;
        if let Some(row) = known {
            return Ok(row);
        }
        self.tx.execute(
            "INSERT INTO mock_sessions (started_at, seed, questions, competency, job, interface,
                                        entry_id, machine)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                millis(session.started_at),
                session.seed.cast_signed(),
                session.questions.max(1),
                session.competency,
                session.job,
                session.interface,
                session.id,
                machine
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// Reschedules a story card from all its reviews, and rewrites each review's states and kind
/// as the replay computed them.
fn replay_card(tx: &Transaction<'_>, card: i64, scheduler: &Scheduler) -> Result<()> {
    let (story, key, created): (String, String, i64) = tx.query_row(
        "SELECT story_id, card_key, created_at FROM cards WHERE id = ?1",
        [card],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let id = CardId::new(story, key);
    let corrupt = |what: String| StoreError::Corrupt(format!("card {id}: {what}"));
    let start = CardState::new(from_millis(created).ok_or_else(|| corrupt("creation".into()))?);
    let mut rows = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT id, reviewed_at, grade, kind, content_hash FROM reviews WHERE card_id = ?1
         ORDER BY reviewed_at, entry_id",
    )?;
    let mut query = stmt.query([card])?;
    while let Some(row) = query.next()? {
        let (step, hash) = review_step(row).map_err(|what| corrupt(what.into()))?;
        rows.push((row.get::<_, i64>(0)?, step, hash));
    }
    let steps: Vec<Step> = rows.iter().map(|(_, step, _)| *step).collect();
    let replayed =
        replay(scheduler, start, &steps).map_err(|e| corrupt(format!("replaying: {e}")))?;
    let mut update = tx.prepare_cached(
        "UPDATE reviews SET kind = ?2, state_before = ?3, state_after = ?4 WHERE id = ?1",
    )?;
    let mut last: Option<(CardState, &str)> = None;
    for ((row, step, hash), review) in rows.iter().zip(&replayed) {
        update.execute(params![
            row,
            review.kind.as_str(),
            state_json(&review.before),
            state_json(&review.after)
        ])?;
        if !step.cram {
            last = Some((review.after, hash));
        }
    }
    match last {
        Some((state, hash)) => write_state(tx, card, &state, Some(hash)),
        None => write_state(tx, card, &start, None),
    }
}

/// A review row's `reviewed_at, grade, kind, content_hash` (from column 1) as a replay step.
fn review_step(row: &Row<'_>) -> std::result::Result<(Step, String), &'static str> {
    let at: i64 = row.get(1).map_err(|_| "a review's time")?;
    let grade: i64 = row.get(2).map_err(|_| "a review's grade")?;
    let kind: String = row.get(3).map_err(|_| "a review's kind")?;
    let step = Step {
        at: from_millis(at).ok_or("a review's time")?,
        grade: grade_of(grade).ok_or("a review's grade")?,
        cram: ReviewKind::parse(&kind).ok_or("a review's kind")? == ReviewKind::Cram,
    };
    Ok((step, row.get(4).map_err(|_| "a review's hash")?))
}

/// Reschedules a pick card from its schedule before reviews were kept (if it has one) and
/// every review since.
fn replay_pick(tx: &Transaction<'_>, question: &str, scheduler: &Scheduler) -> Result<()> {
    let corrupt = |what: String| StoreError::Corrupt(format!("pick card {question}: {what}"));
    let (created, base): (i64, Option<String>) = tx.query_row(
        "SELECT created_at, base_state FROM mock_pick_cards WHERE question_key = ?1",
        [question],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let start = match base {
        Some(json) => serde_json::from_str(&json).map_err(|e| corrupt(e.to_string()))?,
        None => CardState::new(from_millis(created).ok_or_else(|| corrupt("creation".into()))?),
    };
    let mut steps = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT reviewed_at, grade FROM pick_reviews WHERE question_key = ?1
         ORDER BY reviewed_at, entry_id",
    )?;
    let mut rows = stmt.query([question])?;
    while let Some(row) = rows.next()? {
        let at = from_millis(row.get(0)?).ok_or_else(|| corrupt("a review's time".into()))?;
        let grade = grade_of(row.get(1)?).ok_or_else(|| corrupt("a review's grade".into()))?;
        steps.push(Step {
            at,
            grade,
            cram: false,
        });
    }
    let replayed =
        replay(scheduler, start, &steps).map_err(|e| corrupt(format!("replaying: {e}")))?;
    let state = replayed.last().map_or(start, |r| r.after);
    tx.execute(
        "UPDATE mock_pick_cards SET due = ?2, state = ?3 WHERE question_key = ?1",
        params![question, millis(state.due), state_json(&state)],
    )?;
    Ok(())
}

fn non_negative(ms: Option<i64>) -> Option<i64> {
    ms.filter(|ms| *ms >= 0)
}

fn state_json(state: &CardState) -> String {
    serde_json::to_string(state).expect("card states serialise")
}

#[cfg(test)]
mod tests;
