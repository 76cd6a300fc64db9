//! The reviews in a package Anki exported (a deck `.apkg` with scheduling, or a whole
//! collection `.colpkg`): those of our notes (found by GUID), and a count of the others.

use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags};

use super::{AnkiError, card_of_guid, package};
use crate::srs::{CardId, Grade};

/// One answer given in Anki to one of our cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiReview {
    /// Anki's review id (the time of the answer in Unix milliseconds): unique in a collection,
    /// and the same in every export of it.
    pub review_id: i64,
    pub card: CardId,
    pub at: Timestamp,
    pub grade: Grade,
    /// How long the answer took.
    pub answer_ms: i64,
}

/// What a package held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnkiReviews {
    /// Answers to our cards, oldest first.
    pub ours: Vec<AnkiReview>,
    /// Our notes in the package, reviewed or not.
    pub our_notes: usize,
    /// Other notes in the package.
    pub other_notes: usize,
    /// Answers to notes that are not ours: ignored.
    pub others: usize,
    /// Entries of our cards that are not answers (Anki's manual reschedules): ignored.
    pub not_answers: usize,
}

/// Reads the reviews of our notes in the package at `path`.
pub fn read_reviews(path: &Path) -> Result<AnkiReviews, AnkiError> {
    let dir = tempfile::tempdir().map_err(|source| AnkiError::Read {
        path: path.to_owned(),
        source,
    })?;
    let collection = dir.path().join("collection.sqlite");
    package::extract_collection(path, &collection)?;
    let damaged = |e: rusqlite::Error| AnkiError::Damaged {
        path: path.to_owned(),
        reason: format!("its collection cannot be read: {e}"),
    };
    let conn = Connection::open_with_flags(&collection, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(damaged)?;
    read_collection(&conn).map_err(damaged)
}

fn read_collection(conn: &Connection) -> rusqlite::Result<AnkiReviews> {
    let mut reviews = AnkiReviews::default();
    let mut notes = conn.prepare("SELECT guid FROM notes")?;
    for guid in notes.query_map([], |row| row.get::<_, String>(0))? {
        if card_of_guid(&guid?).is_some() {
            reviews.our_notes += 1;
        } else {
            reviews.other_notes += 1;
        }
    }
    // Every entry of the review log with its card's note; a review of a card that is no
    // longer in the collection has no note, and so is not ours.
    let mut log = conn.prepare(
        "SELECT r.id, r.ease, r.time, n.guid FROM revlog r
         LEFT JOIN cards c ON c.id = r.cid LEFT JOIN notes n ON n.id = c.nid
         ORDER BY r.id",
    )?;
    let mut rows = log.query([])?;
    while let Some(row) = rows.next()? {
        let guid: Option<String> = row.get(3)?;
        let Some(card) = guid.as_deref().and_then(card_of_guid) else {
            reviews.others += 1;
            continue;
        };
        let review_id: i64 = row.get(0)?;
        let ease: i64 = row.get(1)?;
        // Ease 0 is a manual entry (set due date, reset, reschedule), not an answer.
        let grade = u8::try_from(ease).ok().and_then(Grade::from_number);
        let (Some(grade), Ok(at)) = (grade, Timestamp::from_millisecond(review_id)) else {
            reviews.not_answers += 1;
            continue;
        };
        reviews.ours.push(AnkiReview {
            review_id,
            card,
            at,
            grade,
            answer_ms: row.get::<_, i64>(2)?.max(0),
        });
    }
    Ok(reviews)
}
