//! Schema migrations, keyed by `PRAGMA user_version`: migration N takes version N to N+1.
//! Append new migrations; never edit one that has shipped.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    // 0 -> 1: demo runs.
    "CREATE TABLE demo_runs (
        id          INTEGER PRIMARY KEY,
        demo_id     TEXT NOT NULL,
        args        TEXT NOT NULL,     -- JSON array of the parameters
        started_at  TEXT NOT NULL,     -- RFC 3339
        finished_at TEXT NOT NULL,
        ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
        summary     TEXT NOT NULL      -- JSON demo_kit::Summary when ok, else the error
    ) STRICT;
    CREATE INDEX demo_runs_latest ON demo_runs (demo_id, finished_at);",
    // 1 -> 2: review cards, drill sessions, reviews. Times are Unix milliseconds (UTC).
    "CREATE TABLE cards (
        id            INTEGER PRIMARY KEY,
        story_id      TEXT NOT NULL,
        card_key      TEXT NOT NULL,     -- slug of the question: stable across edits
        kind          TEXT NOT NULL CHECK (kind IN ('question', 'follow_up', 'numbers')),
        prompt        TEXT NOT NULL,     -- as last seen, so an orphan can still be shown
        content_hash  TEXT NOT NULL,     -- of the card as last seen in its story
        reviewed_hash TEXT,              -- of the card when last reviewed; NULL if never
        created_at    INTEGER NOT NULL,
        orphaned_at   INTEGER,           -- its question left the story; NULL while present
        phase         TEXT NOT NULL CHECK (phase IN ('new', 'learning', 'review', 'relearning')),
        step          INTEGER NOT NULL CHECK (step >= 0),
        stability     REAL,
        difficulty    REAL,
        due           INTEGER NOT NULL,
        last_review   INTEGER,
        reps          INTEGER NOT NULL CHECK (reps >= 0),
        lapses        INTEGER NOT NULL CHECK (lapses >= 0),
        UNIQUE (story_id, card_key),
        CHECK ((stability IS NULL) = (difficulty IS NULL))
    ) STRICT;
    CREATE INDEX cards_due ON cards (due) WHERE orphaned_at IS NULL;
    CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY,
        started_at  INTEGER NOT NULL,
        finished_at INTEGER,             -- NULL: still running, or the process was killed
        mode        TEXT NOT NULL CHECK (mode IN ('scheduled', 'cram')),
        scope       TEXT NOT NULL,       -- what was drilled: all, story:ID, tag:TAG
        interface   TEXT NOT NULL        -- plain, tui
    ) STRICT;
    CREATE TABLE reviews (
        id           INTEGER PRIMARY KEY,
        card_id      INTEGER NOT NULL REFERENCES cards (id),
        session_id   INTEGER REFERENCES sessions (id),
        reviewed_at  INTEGER NOT NULL,
        grade        INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
        kind         TEXT NOT NULL CHECK (kind IN ('learn', 'review', 'relearn', 'cram')),
        content_hash TEXT NOT NULL,      -- the card as it was answered
        answer_ms    INTEGER CHECK (answer_ms >= 0),
        situation_ms INTEGER CHECK (situation_ms >= 0),
        task_ms      INTEGER CHECK (task_ms >= 0),
        action_ms    INTEGER CHECK (action_ms >= 0),
        result_ms    INTEGER CHECK (result_ms >= 0),
        state_before TEXT NOT NULL,      -- JSON srs::CardState
        state_after  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX reviews_card ON reviews (card_id, reviewed_at);
    CREATE INDEX reviews_time ON reviews (reviewed_at);",
    // 2 -> 3: the story file a card was last seen in, so a card missing from the stories in
    // use is orphaned only when its file is gone or now holds another story, not when another
    // story folder is in use; and so a story whose id changed keeps its cards.
    "ALTER TABLE cards ADD COLUMN source TEXT;",
    // 3 -> 4: mock interviews (`rehearse mock`): sessions, one row per graded question, and the
    // pick cards ("which story answers: ...?") scheduled with FSRS. Times are Unix ms (UTC).
    "CREATE TABLE mock_sessions (
        id          INTEGER PRIMARY KEY,
        started_at  INTEGER NOT NULL,
        finished_at INTEGER,             -- NULL: still running, or the process was killed
        seed        INTEGER NOT NULL,    -- the draw's seed (u64 bits), to replay it
        questions   INTEGER NOT NULL CHECK (questions >= 1),
        competency  TEXT,                -- --competency, if given
        job         TEXT,                -- --job file, if given
        interface   TEXT NOT NULL        -- plain, tui
    ) STRICT;
    CREATE TABLE mock_answers (
        id             INTEGER PRIMARY KEY,
        session_id     INTEGER NOT NULL REFERENCES mock_sessions (id),
        position       INTEGER NOT NULL CHECK (position >= 1),
        asked_at       INTEGER NOT NULL,
        competency     TEXT NOT NULL,
        question_key   TEXT NOT NULL,
        question       TEXT NOT NULL,
        story_id       TEXT,             -- NULL: none picked (a gap)
        declares       INTEGER CHECK (declares IN (0, 1)),
        better_fits    TEXT NOT NULL,    -- JSON array of story ids that fitted better
        pick_ms        INTEGER NOT NULL CHECK (pick_ms >= 0),
        answer_ms      INTEGER CHECK (answer_ms >= 0),
        situation_ms   INTEGER CHECK (situation_ms >= 0),
        task_ms        INTEGER CHECK (task_ms >= 0),
        action_ms      INTEGER CHECK (action_ms >= 0),
        result_ms      INTEGER CHECK (result_ms >= 0),
        probes         TEXT NOT NULL,    -- JSON [{question, time (ms), open}]
        self_check     TEXT NOT NULL,    -- JSON [{item, yes}]
        grade          INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
        pick_grade     INTEGER NOT NULL CHECK (pick_grade BETWEEN 1 AND 4),
        UNIQUE (session_id, position)
    ) STRICT;
    CREATE INDEX mock_answers_question ON mock_answers (question_key);
    CREATE TABLE mock_pick_cards (
        question_key TEXT PRIMARY KEY,
        competency   TEXT NOT NULL,
        prompt       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        due          INTEGER NOT NULL,
        state        TEXT NOT NULL       -- JSON srs::CardState
    ) STRICT;",
    // 4 -> 5: sync logs and Anki (`src/store/journal.rs`, `merge.rs`). What another machine
    // can merge carries an entry id (given when first synced; `anki-<id>` for a review from
    // Anki) and the machine whose log it came from (NULL: made here). Pick-card reviews are kept, so a pick
    // card's schedule can be replayed like a story card's (`base_state`: its schedule before
    // this version, which kept no history). A review taken back leaves its entry id behind
    // (the triggers), so the undo reaches the other machines and the review never comes back.
    "ALTER TABLE reviews ADD COLUMN entry_id TEXT;
    ALTER TABLE reviews ADD COLUMN machine TEXT;
    CREATE UNIQUE INDEX reviews_entry ON reviews (entry_id);
    ALTER TABLE mock_sessions ADD COLUMN entry_id TEXT;
    ALTER TABLE mock_sessions ADD COLUMN machine TEXT;
    CREATE UNIQUE INDEX mock_sessions_entry ON mock_sessions (entry_id);
    ALTER TABLE mock_answers ADD COLUMN entry_id TEXT;
    ALTER TABLE mock_answers ADD COLUMN machine TEXT;
    CREATE UNIQUE INDEX mock_answers_entry ON mock_answers (entry_id);
    ALTER TABLE mock_pick_cards ADD COLUMN base_state TEXT;
    UPDATE mock_pick_cards SET base_state = state;
    CREATE TABLE pick_reviews (
        id           INTEGER PRIMARY KEY,
        question_key TEXT NOT NULL REFERENCES mock_pick_cards (question_key),
        reviewed_at  INTEGER NOT NULL,
        grade        INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
        entry_id     TEXT UNIQUE,
        machine      TEXT
    ) STRICT;
    CREATE INDEX pick_reviews_card ON pick_reviews (question_key, reviewed_at);
    CREATE TABLE sync_undone (
        entry_id TEXT PRIMARY KEY,       -- the review or pick-card review taken back
        machine  TEXT                    -- whose log said so; NULL: taken back here
    ) STRICT;
    CREATE TABLE sync_meta (
        key   TEXT PRIMARY KEY,          -- `machine`: this database's name in sync logs
        value TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER reviews_undone AFTER DELETE ON reviews WHEN OLD.entry_id IS NOT NULL
    BEGIN INSERT OR IGNORE INTO sync_undone (entry_id) VALUES (OLD.entry_id); END;
    CREATE TRIGGER pick_reviews_undone AFTER DELETE ON pick_reviews
    WHEN OLD.entry_id IS NOT NULL
    BEGIN INSERT OR IGNORE INTO sync_undone (entry_id) VALUES (OLD.entry_id); END;",
    // 5 -> 6: spoken answers (`rehearse listen`, and the drill's and the mock's recordings):
    // the transcript and the feedback on it, kept with the review or the mock answer they
    // belong to, and the feedback's key figures as columns for the stats. Times are Unix ms.
    // An undone review takes its spoken answer with it. They stay on this machine: the sync
    // logs carry reviews and mock answers, not what was heard.
    "CREATE TABLE spoken_answers (
        id                 INTEGER PRIMARY KEY,
        story_id           TEXT NOT NULL,
        recorded_at        INTEGER NOT NULL,
        origin             TEXT NOT NULL CHECK (origin IN ('drill', 'mock', 'listen')),
        part               TEXT NOT NULL CHECK (part IN ('answer', 'probe')), -- a mock's probe
        review_id          INTEGER REFERENCES reviews (id) ON DELETE CASCADE,
        mock_answer_id     INTEGER REFERENCES mock_answers (id) ON DELETE CASCADE,
        question           TEXT,
        model              TEXT NOT NULL,    -- the model folder's name: tiny.en, small.en, ...
        duration_ms        INTEGER NOT NULL CHECK (duration_ms >= 0),
        transcript         TEXT NOT NULL,    -- JSON speech::Transcript: words with their times
        feedback           TEXT NOT NULL,    -- JSON speech::Feedback
        coverage           REAL NOT NULL CHECK (coverage BETWEEN 0 AND 1),
        numbers_said       INTEGER NOT NULL CHECK (numbers_said >= 0),
        numbers_wrong      INTEGER NOT NULL CHECK (numbers_wrong >= 0),
        numbers_total      INTEGER NOT NULL CHECK (numbers_total >= 0),
        fillers_per_minute REAL NOT NULL CHECK (fillers_per_minute >= 0),
        words_per_minute   REAL NOT NULL CHECK (words_per_minute >= 0),
        suggested_grade    INTEGER NOT NULL CHECK (suggested_grade BETWEEN 1 AND 4),
        CHECK (review_id IS NULL OR mock_answer_id IS NULL),
        CHECK (review_id IS NULL OR origin = 'drill'),
        CHECK (mock_answer_id IS NULL OR origin = 'mock'),
        CHECK (part = 'answer' OR origin = 'mock')
    ) STRICT;
    CREATE INDEX spoken_answers_story ON spoken_answers (story_id, recorded_at);",
];

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Brings the database up to [`LATEST_VERSION`]. Each step commits with its version bump, so a
/// crash leaves a consistent schema; the write lock is taken first, so two processes opening a
/// new database at once migrate it exactly once.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = user_version(&tx)?;
        if version >= LATEST_VERSION {
            return Ok(());
        }
        let step = MIGRATIONS
            .get(usize::try_from(version).map_err(|_| {
                StoreError::Corrupt(format!(
                    "{}: negative schema version {version}",
                    path.display()
                ))
            })?)
            .expect("version < LATEST_VERSION");
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
pub(super) fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    for (version, step) in MIGRATIONS.iter().enumerate().take(target as usize) {
        if user_version(conn)? == version as i64 {
            let tx = conn.transaction()?;
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", version as i64 + 1)?;
            tx.commit()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_older_version_migrates_to_the_latest() {
        for start in 0..LATEST_VERSION {
            let mut conn = Connection::open_in_memory().unwrap();
            migrate_to(&mut conn, start).unwrap();
            assert_eq!(user_version(&conn).unwrap(), start);
            migrate(&mut conn, Path::new(":memory:")).unwrap();
            assert_eq!(user_version(&conn).unwrap(), LATEST_VERSION);
            let strict: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE '%STRICT%'",
                    [],
                    |row| row.get(0),
                )
                .unwrap();
            assert_eq!(strict, 0, "every table is STRICT");
        }
    }

    #[test]
    fn a_version_1_file_keeps_its_demo_runs_and_gains_the_review_tables() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrate_to(&mut conn, 1).unwrap();
            conn.execute(
                "INSERT INTO demo_runs (demo_id, args, started_at, finished_at, ok, summary)
                 VALUES ('xml-cherry-pick', '[]', '2026-11-01T10:00:00Z', '2026-11-01T10:00:01Z', 0, 'failed')",
                [],
            )
            .unwrap();
        }
        let store = super::super::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        let count = |table: &str| -> i64 {
            store
                .conn()
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count("demo_runs"), 1);
        assert_eq!(count("cards") + count("reviews") + count("sessions"), 0);
        // Foreign keys are enforced: a review of a card that does not exist is refused.
        let orphan_review = store.conn().execute(
            "INSERT INTO reviews (card_id, reviewed_at, grade, kind, content_hash, state_before, state_after)
             VALUES (42, 0, 3, 'learn', 'x', '{}', '{}')",
            [],
        );
        assert!(orphan_review.is_err());
    }
}
