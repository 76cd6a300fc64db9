//! Spoken answers: the transcript and its feedback, kept with the drill review or the mock
//! answer they belong to (or alone, from `rehearse listen`), and read back for the stats and
//! the export.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{Row, params};

use super::{Result, Store, StoreError, from_millis, millis};
use crate::speech::progress::SpokenAttempt;
use crate::speech::{Feedback, Transcript};
use crate::srs::Grade;

/// The row id of a stored spoken answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpokenAnswerId(pub i64);

/// What a spoken answer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpokenOrigin {
    /// A drill answer, kept with its review ([`Store::grade_card_spoken`]).
    Drill { review: Option<i64> },
    /// A mock answer or one of its probes, kept with the graded question
    /// ([`Store::record_mock_answer_spoken`]).
    Mock { answer: Option<i64> },
    /// `rehearse listen FILE`.
    Listen,
}

impl SpokenOrigin {
    fn name(self) -> &'static str {
        match self {
            SpokenOrigin::Drill { .. } => "drill",
            SpokenOrigin::Mock { .. } => "mock",
            SpokenOrigin::Listen => "listen",
        }
    }
}

/// Which part of a question was spoken: the answer (what the stats and the export follow), or
/// a probe's answer in a mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpokenPart {
    #[default]
    Answer,
    Probe,
}

impl SpokenPart {
    fn name(self) -> &'static str {
        match self {
            SpokenPart::Answer => "answer",
            SpokenPart::Probe => "probe",
        }
    }
}

/// A spoken answer to store.
#[derive(Debug, Clone)]
pub struct NewSpokenAnswer<'a> {
    pub recorded_at: Timestamp,
    pub origin: SpokenOrigin,
    pub part: SpokenPart,
    /// The question it answers (a drill card's prompt, a mock question, a probe).
    pub question: Option<&'a str>,
    /// The model folder's name (tiny.en, small.en, ...).
    pub model: &'a str,
    pub transcript: &'a Transcript,
    pub feedback: &'a Feedback,
}

/// A stored spoken answer; the transcript only when asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSpokenAnswer {
    pub id: SpokenAnswerId,
    pub story_id: String,
    pub recorded_at: Timestamp,
    pub origin: String,
    pub question: Option<String>,
    pub model: String,
    pub feedback: Feedback,
    pub transcript: Option<Transcript>,
}

fn json_error(what: &str, error: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("spoken answer {what}: {error}"))
}

/// Inserts a spoken answer inside the caller's transaction; `owner` is the review's or the
/// mock answer's row (the origin says which), when it has one.
pub(super) fn insert_spoken(
    tx: &rusqlite::Connection,
    answer: &NewSpokenAnswer<'_>,
    owner: Option<i64>,
) -> Result<SpokenAnswerId> {
    let feedback = answer.feedback;
    let counts = feedback.number_counts();
    let transcript =
        serde_json::to_string(answer.transcript).map_err(|e| json_error("transcript", e))?;
    let feedback_json = serde_json::to_string(feedback).map_err(|e| json_error("feedback", e))?;
    let (review, mock_answer) = match answer.origin {
        SpokenOrigin::Drill { review } => (review.or(owner), None),
        SpokenOrigin::Mock { answer } => (None, answer.or(owner)),
        SpokenOrigin::Listen => (None, None),
    };
    tx.prepare_cached(
        "INSERT INTO spoken_answers (story_id, recorded_at, origin, part, review_id,
             mock_answer_id, question, model, duration_ms, transcript, feedback, coverage,
             numbers_said, numbers_wrong, numbers_total, fillers_per_minute,
             words_per_minute, suggested_grade)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        feedback.story_id,
        millis(answer.recorded_at),
        answer.origin.name(),
        answer.part.name(),
        review,
        mock_answer,
        answer.question,
        answer.model,
        (answer.transcript.duration * 1000.0).round() as i64,
        transcript,
        feedback_json,
        feedback.coverage.clamp(0.0, 1.0),
        counts.said as i64,
        counts.wrong as i64,
        counts.total as i64,
        feedback.delivery.fillers_per_minute,
        feedback.delivery.words_per_minute,
        i64::from(feedback.suggested_grade.number()),
    ])?;
    Ok(SpokenAnswerId(tx.last_insert_rowid()))
}

impl Store {
    /// Stores a spoken answer and its feedback in one transaction.
    pub fn save_spoken_answer(&self, answer: &NewSpokenAnswer<'_>) -> Result<SpokenAnswerId> {
        self.write(|tx| insert_spoken(tx, answer, None))
    }

    /// Every spoken answer's key figures, oldest first (for the stats per story).
    pub fn spoken_attempts(&self) -> Result<Vec<SpokenAttempt>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT story_id, recorded_at, coverage, numbers_said, numbers_wrong, numbers_total,
                    fillers_per_minute, words_per_minute, suggested_grade
             FROM spoken_answers WHERE part = 'answer' ORDER BY recorded_at, id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, f64>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, f64>(6)?,
                row.get::<_, f64>(7)?,
                row.get::<_, i64>(8)?,
            ))
        })?;
        let mut attempts = Vec::new();
        for row in rows {
            let (story_id, at, coverage, said, wrong, total, fillers, pace, grade) = row?;
            let corrupt = || StoreError::Corrupt(format!("spoken answer of {story_id}"));
            attempts.push(SpokenAttempt {
                recorded_at: from_millis(at).ok_or_else(corrupt)?,
                coverage,
                numbers_said: usize::try_from(said).map_err(|_| corrupt())?,
                numbers_wrong: usize::try_from(wrong).map_err(|_| corrupt())?,
                numbers_total: usize::try_from(total).map_err(|_| corrupt())?,
                fillers_per_minute: fillers,
                words_per_minute: pace,
                suggested_grade: u8::try_from(grade)
                    .ok()
                    .and_then(Grade::from_number)
                    .ok_or_else(corrupt)?,
                story_id,
            });
        }
        Ok(attempts)
    }

    /// The latest spoken answer per story, with its transcript only if `with_transcript`.
    pub fn latest_spoken_answers(
        &self,
        with_transcript: bool,
    ) -> Result<BTreeMap<String, StoredSpokenAnswer>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT id, story_id, recorded_at, origin, question, model, feedback,
                    CASE WHEN ?1 THEN transcript END
             FROM spoken_answers s
             WHERE id = (SELECT id FROM spoken_answers t
                         WHERE t.story_id = s.story_id AND t.part = 'answer'
                         ORDER BY recorded_at DESC, id DESC LIMIT 1)",
        )?;
        let rows = statement.query_map([with_transcript], read_answer)?;
        let mut latest = BTreeMap::new();
        for row in rows {
            let answer = row??;
            latest.insert(answer.story_id.clone(), answer);
        }
        Ok(latest)
    }
}

fn read_answer(row: &Row<'_>) -> rusqlite::Result<Result<StoredSpokenAnswer>> {
    let id: i64 = row.get(0)?;
    let story_id: String = row.get(1)?;
    let at: i64 = row.get(2)?;
    let feedback: String = row.get(6)?;
    let transcript: Option<String> = row.get(7)?;
    let (origin, question, model) = (row.get(3)?, row.get(4)?, row.get(5)?);
    Ok((|| {
        Ok(StoredSpokenAnswer {
            id: SpokenAnswerId(id),
            recorded_at: from_millis(at)
                .ok_or_else(|| StoreError::Corrupt(format!("spoken answer {id}: time")))?,
            origin,
            question,
            model,
            feedback: serde_json::from_str(&feedback).map_err(|e| json_error("feedback", e))?,
            transcript: transcript
                .map(|t| serde_json::from_str(&t).map_err(|e| json_error("transcript", e)))
                .transpose()?,
            story_id,
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::{SectionMarks, analyse};

    fn feedback_for(text: &str) -> (Transcript, Feedback) {
        let story = crate::speech::analysis::tests::bundled("daily-refresh-18m.md");
        let transcript = Transcript::from_text(text, 0.4);
        let feedback = analyse(&story, &transcript, &SectionMarks::default());
        (transcript, feedback)
    }

    #[test]
    fn a_spoken_answer_is_kept_and_read_back_with_its_figures() {
        let store = Store::open_in_memory().unwrap();
        let (first_t, first_f) = feedback_for("I refactored these scripts, um, um, um.");
        let (latest_t, latest_f) = feedback_for(crate::speech::analysis::tests::RIGHT);
        for (minute, transcript, feedback) in [(0, &first_t, &first_f), (5, &latest_t, &latest_f)] {
            store
                .save_spoken_answer(&NewSpokenAnswer {
                    recorded_at: Timestamp::from_second(1_800_000_000 + minute * 60).unwrap(),
                    origin: SpokenOrigin::Listen,
                    part: SpokenPart::Answer,
                    question: Some("Tell me about a system you made faster."),
                    model: "tiny.en",
                    transcript,
                    feedback,
                })
                .unwrap();
        }
        let attempts = store.spoken_attempts().unwrap();
        assert_eq!(attempts.len(), 2);
        assert!(attempts[0].coverage < attempts[1].coverage);
        assert_eq!(attempts[1].numbers_said, latest_f.number_counts().said);
        assert!(attempts[0].fillers_per_minute > attempts[1].fillers_per_minute);

        let latest = store.latest_spoken_answers(false).unwrap();
        let answer = &latest["daily-refresh-18m"];
        assert_eq!(answer.feedback, latest_f);
        assert_eq!(answer.transcript, None);
        let with = store.latest_spoken_answers(true).unwrap();
        assert_eq!(
            with["daily-refresh-18m"].transcript.as_ref(),
            Some(&latest_t)
        );
    }

    #[test]
    fn an_answer_cannot_belong_to_a_review_that_does_not_exist() {
        let store = Store::open_in_memory().unwrap();
        let (transcript, feedback) = feedback_for("I refactored these scripts.");
        let error = store.save_spoken_answer(&NewSpokenAnswer {
            recorded_at: Timestamp::from_second(1_800_000_000).unwrap(),
            origin: SpokenOrigin::Drill { review: Some(42) },
            part: SpokenPart::Answer,
            question: None,
            model: "tiny.en",
            transcript: &transcript,
            feedback: &feedback,
        });
        assert!(error.is_err());
        assert!(store.spoken_attempts().unwrap().is_empty());
    }
}
