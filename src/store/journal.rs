//! This database's side of the sync log ([`crate::sync::log`]): its name in the folder, and
//! its own entries for its log. What another machine can merge (a story card's review, a mock
//! answer, a pick-card review) gets an entry id the first time it is synced, and remembers the
//! machine whose log it came from (NULL: made here, so it belongs in this machine's log). A
//! review taken back leaves its id in `sync_undone` (a trigger, whatever deleted it): that is
//! how the undo reaches the other machines. Merging their entries is [`super::merge`].

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Result, Store, StoreError, from_millis, millis};
use crate::srs::{Grade, ReviewKind};
use crate::sync::log::{
    Entry, EntryBody, MockAnswerEntry, MockSessionEntry, PickReviewEntry, ReviewEntry, UndoEntry,
};

/// Where the stored reviews came from (for `stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewOrigins {
    /// Answered in Anki and imported (here or on another machine).
    pub anki: u64,
    /// Merged from other machines' logs (Anki's excepted).
    pub other_machines: u64,
}

impl Store {
    /// This database's name in sync logs: `label` and a random part, made on first use.
    pub fn machine_id(&self, label: &str) -> Result<String> {
        let read = |conn: &rusqlite::Connection| {
            conn.query_row(
                "SELECT value FROM sync_meta WHERE key = 'machine'",
                [],
                |row| row.get::<_, String>(0),
            )
            .optional()
        };
        if let Some(id) = read(self.conn())? {
            return Ok(id);
        }
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO sync_meta (key, value)
                 VALUES ('machine', ?1 || '-' || lower(hex(randomblob(4))))",
                [label],
            )?;
            Ok(read(tx)?.expect("just written"))
        })
    }

    /// Every entry made here, for this machine's log (the caller leaves out those it holds).
    pub fn local_entries(&self) -> Result<Vec<Entry>> {
        self.write(assign_entry_ids)?;
        let conn = self.conn();
        let mut entries = local_reviews(conn)?;
        entries.extend(local_pick_reviews(conn)?);
        entries.extend(local_mock_answers(conn)?);
        let mut undos = conn.prepare_cached(
            "SELECT entry_id FROM sync_undone WHERE machine IS NULL ORDER BY entry_id",
        )?;
        for target in undos.query_map([], |row| row.get::<_, String>(0))? {
            let target = target?;
            entries.push(Entry::new(
                UndoEntry::id_for(&target),
                EntryBody::Undo(UndoEntry { target }),
            ));
        }
        Ok(entries)
    }

    /// How many stored reviews came from Anki and from other machines.
    pub fn review_origins(&self) -> Result<ReviewOrigins> {
        let (anki, other): (i64, i64) = self.conn().query_row(
            "SELECT count(*) FILTER (WHERE entry_id LIKE 'anki-%'),
                    count(*) FILTER (WHERE machine IS NOT NULL AND entry_id NOT LIKE 'anki-%')
             FROM reviews",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(ReviewOrigins {
            anki: u64::try_from(anki).unwrap_or(0),
            other_machines: u64::try_from(other).unwrap_or(0),
        })
    }
}

/// Logs a pick card's review made here (a mock's pick, or the drill's grade).
pub(super) fn log_pick_review(
    tx: &rusqlite::Connection,
    question_key: &str,
    at: Timestamp,
    grade: Grade,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO pick_reviews (question_key, reviewed_at, grade) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![question_key, millis(at), grade.number()])?;
    Ok(())
}

/// Takes back the latest pick-card review logged with [`log_pick_review`] that matches.
pub(super) fn unlog_pick_review(
    tx: &rusqlite::Connection,
    question_key: &str,
    at: Timestamp,
    grade: Grade,
) -> Result<()> {
    tx.prepare_cached(
        "DELETE FROM pick_reviews WHERE id = (
            SELECT id FROM pick_reviews WHERE question_key = ?1 AND reviewed_at = ?2
              AND grade = ?3 ORDER BY id DESC LIMIT 1)",
    )?
    .execute(params![question_key, millis(at), grade.number()])?;
    Ok(())
}

/// Gives an entry id to everything made here since the last sync.
pub(super) fn assign_entry_ids(tx: &Transaction<'_>) -> Result<()> {
    for table in ["reviews", "pick_reviews", "mock_sessions", "mock_answers"] {
        tx.execute(
            &format!(
                "UPDATE {table} SET entry_id = lower(hex(randomblob(16))) WHERE entry_id IS NULL"
            ),
            [],
        )?;
    }
    Ok(())
}

/// Every row of `sql` as an entry, by `entry`.
fn entries(
    conn: &rusqlite::Connection,
    sql: &str,
    entry: impl Fn(&Row<'_>, String) -> Result<Entry>,
) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next()? {
        entries.push(entry(row, row.get(0)?)?);
    }
    Ok(entries)
}

fn local_reviews(conn: &rusqlite::Connection) -> Result<Vec<Entry>> {
    let sql = "SELECT r.entry_id, c.story_id, c.card_key, r.reviewed_at, r.grade, r.kind,
                r.content_hash, r.answer_ms, r.situation_ms, r.task_ms, r.action_ms, r.result_ms
         FROM reviews r JOIN cards c ON c.id = r.card_id
         WHERE r.machine IS NULL ORDER BY r.reviewed_at, r.entry_id";
    entries(conn, sql, |row, id| {
        let corrupt = |what: &str| StoreError::Corrupt(format!("review {id}: bad {what}"));
        let kind: String = row.get(5)?;
        let review = ReviewEntry {
            story: row.get(1)?,
            card: row.get(2)?,
            at: from_millis(row.get(3)?).ok_or_else(|| corrupt("time"))?,
            grade: grade_of(row.get(4)?).ok_or_else(|| corrupt("grade"))?,
            cram: kind == ReviewKind::Cram.as_str(),
            hash: row.get(6)?,
            answer_ms: row.get(7)?,
            sections_ms: [row.get(8)?, row.get(9)?, row.get(10)?, row.get(11)?],
        };
        Ok(Entry::new(id, EntryBody::Review(review)))
    })
}

fn local_pick_reviews(conn: &rusqlite::Connection) -> Result<Vec<Entry>> {
    let sql = "SELECT p.entry_id, p.question_key, k.competency, k.prompt, p.reviewed_at, p.grade
         FROM pick_reviews p JOIN mock_pick_cards k ON k.question_key = p.question_key
         WHERE p.machine IS NULL ORDER BY p.reviewed_at, p.entry_id";
    entries(conn, sql, |row, id| {
        let corrupt = |what: &str| StoreError::Corrupt(format!("pick review {id}: bad {what}"));
        let pick = PickReviewEntry {
            question: row.get(1)?,
            competency: row.get(2)?,
            prompt: row.get(3)?,
            at: from_millis(row.get(4)?).ok_or_else(|| corrupt("time"))?,
            grade: grade_of(row.get(5)?).ok_or_else(|| corrupt("grade"))?,
        };
        Ok(Entry::new(id, EntryBody::PickReview(pick)))
    })
}

fn local_mock_answers(conn: &rusqlite::Connection) -> Result<Vec<Entry>> {
    let sql = "SELECT a.entry_id, s.entry_id, s.started_at, s.seed, s.questions, s.competency,
                s.job, s.interface, a.position, a.asked_at, a.competency, a.question_key,
                a.question, a.story_id, a.declares, a.better_fits, a.pick_ms, a.answer_ms,
                a.situation_ms, a.task_ms, a.action_ms, a.result_ms, a.probes, a.self_check,
                a.grade, a.pick_grade
         FROM mock_answers a JOIN mock_sessions s ON s.id = a.session_id
         WHERE a.machine IS NULL ORDER BY a.asked_at, a.entry_id";
    entries(conn, sql, |row, id| {
        let answer = mock_answer_entry(row)
            .map_err(|what| StoreError::Corrupt(format!("mock answer {id}: bad {what}")))?;
        Ok(Entry::new(id, EntryBody::MockAnswer(Box::new(answer))))
    })
}

fn mock_answer_entry(row: &Row<'_>) -> std::result::Result<MockAnswerEntry, String> {
    let text = |index: usize| -> std::result::Result<String, String> {
        row.get(index).map_err(|e| format!("column {index}: {e}"))
    };
    let time = |index: usize| -> std::result::Result<Timestamp, String> {
        row.get::<_, i64>(index)
            .ok()
            .and_then(from_millis)
            .ok_or_else(|| format!("time in column {index}"))
    };
    let grade = |index: usize| -> std::result::Result<Grade, String> {
        row.get::<_, i64>(index)
            .ok()
            .and_then(grade_of)
            .ok_or_else(|| format!("grade in column {index}"))
    };
    let json = |index: usize| -> std::result::Result<serde_json::Value, String> {
        serde_json::from_str(&text(index)?).map_err(|e| format!("column {index}: {e}"))
    };
    let ms = |index: usize| row.get::<_, Option<i64>>(index).map_err(|e| e.to_string());
    Ok(MockAnswerEntry {
        session: MockSessionEntry {
            id: text(1)?,
            started_at: time(2)?,
            seed: row
                .get::<_, i64>(3)
                .map_err(|e| e.to_string())?
                .cast_unsigned(),
            questions: row.get(4).map_err(|e| e.to_string())?,
            competency: row.get(5).map_err(|e| e.to_string())?,
            job: row.get(6).map_err(|e| e.to_string())?,
            interface: text(7)?,
        },
        position: row.get(8).map_err(|e| e.to_string())?,
        asked_at: time(9)?,
        competency: text(10)?,
        question_key: text(11)?,
        question: text(12)?,
        story: row.get(13).map_err(|e| e.to_string())?,
        declares: row.get(14).map_err(|e| e.to_string())?,
        better_fits: serde_json::from_value(json(15)?).map_err(|e| e.to_string())?,
        pick_ms: row.get(16).map_err(|e| e.to_string())?,
        answer_ms: ms(17)?,
        sections_ms: [ms(18)?, ms(19)?, ms(20)?, ms(21)?],
        probes: json(22)?,
        self_check: json(23)?,
        grade: grade(24)?,
        pick_grade: grade(25)?,
    })
}

pub(super) fn grade_of(number: i64) -> Option<Grade> {
    u8::try_from(number).ok().and_then(Grade::from_number)
}
