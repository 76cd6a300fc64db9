//! Cards and their schedules. The stories define the cards; the store keeps their progress,
//! keyed by story id + card key, and never drops one: a card whose question is gone is an orphan.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use jiff::Timestamp;
use rusqlite::{Row, params};

use super::{Result, Store, StoreError, from_millis, millis};
use crate::srs::{
    Card, CardId, CardKind, CardState, Deck, DrillCard, DrillMode, LEARN_AHEAD, Memory, Phase,
    Scope, due_queue,
};

/// A card as stored: its last known text, its schedule, whether it is an orphan.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCard {
    pub id: CardId,
    pub kind: CardKind,
    pub prompt: String,
    pub state: CardState,
    pub content_hash: String,
    /// The hash when last reviewed: differs from `content_hash` when edited since.
    pub reviewed_hash: Option<String>,
    pub created_at: Timestamp,
    pub orphaned_at: Option<Timestamp>,
}

impl StoredCard {
    /// Edited since it was last reviewed (never-reviewed cards are not "edited").
    pub fn edited(&self) -> bool {
        self.reviewed_hash
            .as_ref()
            .is_some_and(|hash| *hash != self.content_hash)
    }
}

/// What a sync changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub added: usize,
    /// Text changed (progress kept).
    pub edited: usize,
    /// Newly orphaned: the question left its story, or the story is gone.
    pub orphaned: usize,
    /// Orphans whose question came back, with their history.
    pub restored: usize,
}

const COLUMNS: &str = "story_id, card_key, kind, prompt, content_hash, reviewed_hash, created_at,
    orphaned_at, phase, step, stability, difficulty, due, last_review, reps, lapses";

impl Store {
    /// Brings the cards table in line with `deck`, in one transaction: new cards are added
    /// (due now), edited ones get their new text and hash (progress kept), and cards missing
    /// from the deck become orphans — only for stories that loaded (or for every story when
    /// the deck is complete), and never for drafts.
    pub fn sync_cards(&self, deck: &Deck, now: Timestamp) -> Result<SyncReport> {
        self.write(|tx| {
            let mut report = SyncReport::default();
            let existing: HashMap<CardId, (String, Option<i64>)> = {
                let mut stmt =
                    tx.prepare("SELECT story_id, card_key, content_hash, orphaned_at FROM cards")?;
                stmt.query_map([], |row| {
                    Ok((
                        CardId::new(row.get::<_, String>(0)?, row.get::<_, String>(1)?),
                        (row.get(2)?, row.get(3)?),
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?
            };
            {
                let mut insert = tx.prepare(
                    "INSERT INTO cards (story_id, card_key, kind, prompt, content_hash, created_at,
                                    phase, step, due, reps, lapses)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new', 0, ?6, 0, 0)",
                )?;
                let mut update = tx.prepare(
                    "UPDATE cards SET kind = ?3, prompt = ?4, content_hash = ?5, orphaned_at = NULL
                 WHERE story_id = ?1 AND card_key = ?2",
                )?;
                for card in &deck.cards {
                    let args = params![
                        card.id.story_id,
                        card.id.key,
                        card.kind.as_str(),
                        card.prompt,
                        card.content_hash,
                        millis(now)
                    ];
                    match existing.get(&card.id) {
                        None => {
                            insert.execute(args)?;
                            report.added += 1;
                        }
                        Some((hash, orphaned)) => {
                            if hash != &card.content_hash || orphaned.is_some() {
                                update.execute(params![
                                    card.id.story_id,
                                    card.id.key,
                                    card.kind.as_str(),
                                    card.prompt,
                                    card.content_hash
                                ])?;
                            }
                            report.edited += usize::from(hash != &card.content_hash);
                            report.restored += usize::from(orphaned.is_some());
                        }
                    }
                }
                let in_deck: HashSet<&CardId> = deck.cards.iter().map(|c| &c.id).collect();
                let loaded: HashMap<&str, bool> = deck
                    .stories
                    .iter()
                    .map(|s| (s.id.as_str(), s.draft))
                    .collect();
                let mut orphan = tx.prepare(
                    "UPDATE cards SET orphaned_at = ?3 WHERE story_id = ?1 AND card_key = ?2",
                )?;
                for (id, (_, orphaned)) in &existing {
                    if orphaned.is_some() || in_deck.contains(id) {
                        continue;
                    }
                    let gone = match loaded.get(id.story_id.as_str()) {
                        Some(draft) => !draft,
                        None => deck.complete,
                    };
                    if gone {
                        orphan.execute(params![id.story_id, id.key, millis(now)])?;
                        report.orphaned += 1;
                    }
                }
            }
            Ok(report)
        })
    }

    /// Cards (orphans excluded) due at or before `until`, new ones included.
    pub fn due_cards(&self, until: Timestamp) -> Result<Vec<StoredCard>> {
        self.select_cards(
            &format!(
                "SELECT {COLUMNS} FROM cards WHERE orphaned_at IS NULL AND due <= ?1 ORDER BY id"
            ),
            [millis(until)],
        )
    }

    /// The cards to drill, in order: joined with their text from `deck` (cards the deck does
    /// not drill, such as a draft's, are left out), limited to `scope`; the due queue in
    /// scheduled mode, every card in cram mode (see [`due_queue`]).
    pub fn drill_cards(
        &self,
        deck: &Deck,
        scope: &Scope,
        mode: DrillMode,
        now: Timestamp,
    ) -> Result<Vec<DrillCard>> {
        // The deck's cards by story, for the stories in scope only.
        let in_scope = deck.stories_in_scope(scope);
        let mut by_story: HashMap<&str, Vec<&Arc<Card>>> = HashMap::with_capacity(in_scope.len());
        for card in &deck.cards {
            if *scope == Scope::All || in_scope.contains(card.id.story_id.as_str()) {
                by_story.entry(&card.id.story_id).or_default().push(card);
            }
        }
        let until = match mode {
            DrillMode::Scheduled => millis(now + LEARN_AHEAD),
            DrillMode::Cram => i64::MAX,
        };
        // Borrowed strings, no copies: this is the hot path of the due queue.
        let mut stmt = self.conn().prepare_cached(
            "SELECT story_id, card_key, content_hash, reviewed_hash, phase, step, stability,
                    difficulty, due, last_review, reps, lapses
             FROM cards WHERE orphaned_at IS NULL AND due <= ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([until])?;
        let mut cards = Vec::new();
        while let Some(row) = rows.next()? {
            let text = |i: usize| -> Result<&str> {
                row.get_ref(i)?
                    .as_str()
                    .map_err(|e| StoreError::Corrupt(format!("card column {i}: {e}")))
            };
            let Some(story_cards) = by_story.get(text(0)?) else {
                continue;
            };
            let key = text(1)?;
            let Some(card) = story_cards.iter().find(|c| c.id.key == key) else {
                continue;
            };
            let content_hash = text(2)?;
            let edited = row
                .get_ref(3)?
                .as_str_or_null()
                .map_err(|e| StoreError::Corrupt(format!("card {}: {e}", card.id)))?
                .is_some_and(|reviewed| reviewed != content_hash);
            let state = read_state(row, 4, &card.id)?;
            cards.push(DrillCard {
                card: Arc::clone(card),
                state,
                edited,
            });
        }
        Ok(due_queue(cards, mode, now))
    }

    /// Every card that is not an orphan.
    pub fn live_cards(&self) -> Result<Vec<StoredCard>> {
        self.select_cards(
            &format!("SELECT {COLUMNS} FROM cards WHERE orphaned_at IS NULL ORDER BY id"),
            [],
        )
    }

    /// Cards whose question was deleted, with their schedule, oldest orphan first.
    pub fn orphans(&self) -> Result<Vec<StoredCard>> {
        self.select_cards(
            &format!(
                "SELECT {COLUMNS} FROM cards WHERE orphaned_at IS NOT NULL ORDER BY orphaned_at, id"
            ),
            [],
        )
    }

    /// One card by identity, orphan or not.
    pub fn card(&self, id: &CardId) -> Result<Option<StoredCard>> {
        Ok(self
            .select_cards(
                &format!("SELECT {COLUMNS} FROM cards WHERE story_id = ?1 AND card_key = ?2"),
                [&id.story_id, &id.key],
            )?
            .pop())
    }

    fn select_cards(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<StoredCard>> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        let mut rows = stmt.query(args)?;
        let mut cards = Vec::new();
        while let Some(row) = rows.next()? {
            cards.push(stored_card(row)?);
        }
        Ok(cards)
    }
}

/// A row of `SELECT {COLUMNS}` as a card.
fn stored_card(row: &Row<'_>) -> Result<StoredCard> {
    let id = CardId::new(row.get::<_, String>(0)?, row.get::<_, String>(1)?);
    let corrupt = |what: &str| StoreError::Corrupt(format!("card {id}: bad {what}"));
    let kind: String = row.get(2)?;
    let created_at: i64 = row.get(6)?;
    let orphaned_at: Option<i64> = row.get(7)?;
    Ok(StoredCard {
        kind: CardKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
        prompt: row.get(3)?,
        state: read_state(row, 8, &id)?,
        content_hash: row.get(4)?,
        reviewed_hash: row.get(5)?,
        created_at: from_millis(created_at).ok_or_else(|| corrupt("creation time"))?,
        orphaned_at: orphaned_at
            .map(|ms| from_millis(ms).ok_or_else(|| corrupt("orphan time")))
            .transpose()?,
        id,
    })
}

/// The schedule columns of a card row, `phase, step, stability, difficulty, due, last_review,
/// reps, lapses` from column `first` on, as the card's state. Both card queries read them here.
pub(super) fn read_state(row: &Row<'_>, first: usize, id: &CardId) -> Result<CardState> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("card {id}: bad {what}"));
    let count = |n: i64, what: &str| u32::try_from(n).map_err(|_| corrupt(what));
    let at = |offset: usize| first + offset;
    let phase = row.get_ref(at(0))?.as_str().map_err(|_| corrupt("phase"))?;
    let stability: Option<f64> = row.get(at(2))?;
    let difficulty: Option<f64> = row.get(at(3))?;
    let last_review: Option<i64> = row.get(at(5))?;
    Ok(CardState {
        phase: Phase::parse(phase).ok_or_else(|| corrupt("phase"))?,
        step: count(row.get(at(1))?, "step")?,
        memory: match (stability, difficulty) {
            (Some(stability), Some(difficulty)) => Some(Memory {
                stability: stability as f32,
                difficulty: difficulty as f32,
            }),
            _ => None,
        },
        due: from_millis(row.get(at(4))?).ok_or_else(|| corrupt("due time"))?,
        last_review: last_review
            .map(|ms| from_millis(ms).ok_or_else(|| corrupt("last review time")))
            .transpose()?,
        reps: count(row.get(at(6))?, "review count")?,
        lapses: count(row.get(at(7))?, "lapse count")?,
    })
}

/// Writes `state` as the card's schedule.
pub(super) fn write_state(
    conn: &rusqlite::Connection,
    card_row: i64,
    state: &CardState,
    reviewed_hash: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE cards SET phase = ?2, step = ?3, stability = ?4, difficulty = ?5, due = ?6,
                          last_review = ?7, reps = ?8, lapses = ?9, reviewed_hash = ?10
         WHERE id = ?1",
    )?
    .execute(params![
        card_row,
        state.phase.as_str(),
        state.step,
        state.memory.map(|m| f64::from(m.stability)),
        state.memory.map(|m| f64::from(m.difficulty)),
        millis(state.due),
        state.last_review.map(millis),
        state.reps,
        state.lapses,
        reviewed_hash,
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::DeckStory;

    fn now() -> Timestamp {
        "2026-11-25T18:00:00Z".parse().unwrap()
    }

    fn card(story: &str, key: &str, text: &str) -> Card {
        Card::new(
            CardId::new(story, key),
            CardKind::Question,
            format!("{key}?"),
            vec![crate::srs::AnswerPart {
                label: "Answer".into(),
                text: text.into(),
            }],
        )
    }

    fn deck(cards: Vec<Card>, stories: &[(&str, bool)], complete: bool) -> Deck {
        Deck {
            cards: cards.into_iter().map(Arc::new).collect(),
            stories: stories
                .iter()
                .map(|(id, draft)| DeckStory {
                    id: (*id).into(),
                    title: (*id).into(),
                    tags: vec![],
                    draft: *draft,
                })
                .collect(),
            complete,
        }
    }

    #[test]
    fn sync_adds_then_keeps_progress_across_edits_and_orphans_deleted_questions() {
        let store = Store::open_in_memory().unwrap();
        let first = deck(
            vec![card("s", "a", "one"), card("s", "b", "two")],
            &[("s", false)],
            true,
        );
        let report = store.sync_cards(&first, now()).unwrap();
        assert_eq!(
            report,
            SyncReport {
                added: 2,
                ..SyncReport::default()
            }
        );
        assert_eq!(store.due_cards(now()).unwrap().len(), 2);

        // Some progress on `a`, then its answer is edited and `b` is deleted.
        let a = store.card(&CardId::new("s", "a")).unwrap().unwrap();
        let progressed = CardState {
            phase: Phase::Review,
            reps: 3,
            due: now() + jiff::SignedDuration::from_hours(48),
            ..a.state
        };
        let row: i64 = store
            .conn()
            .query_row("SELECT id FROM cards WHERE card_key = 'a'", [], |r| {
                r.get(0)
            })
            .unwrap();
        write_state(store.conn(), row, &progressed, Some(&a.content_hash)).unwrap();

        let second = deck(vec![card("s", "a", "one, edited")], &[("s", false)], true);
        let report = store.sync_cards(&second, now()).unwrap();
        assert_eq!(
            report,
            SyncReport {
                edited: 1,
                orphaned: 1,
                ..SyncReport::default()
            }
        );
        let a = store.card(&CardId::new("s", "a")).unwrap().unwrap();
        assert_eq!(a.state, progressed, "an edit never resets progress");
        assert!(a.edited());
        let orphans = store.orphans().unwrap();
        assert_eq!(orphans.len(), 1);
        assert_eq!(orphans[0].id, CardId::new("s", "b"));
        assert!(
            store.due_cards(now()).unwrap().is_empty(),
            "orphans are not drilled"
        );

        // The question comes back: same card, same history.
        let report = store.sync_cards(&first, now()).unwrap();
        assert_eq!(report.restored, 1);
        assert!(store.orphans().unwrap().is_empty());
        // Syncing the same deck again changes nothing.
        assert_eq!(
            store.sync_cards(&first, now()).unwrap(),
            SyncReport::default()
        );
    }

    #[test]
    fn a_corrupt_schedule_is_named_the_same_way_by_both_card_queries() {
        let store = Store::open_in_memory().unwrap();
        let d = deck(vec![card("s", "a", "x")], &[("s", false)], true);
        store.sync_cards(&d, now()).unwrap();
        // Past what a timestamp can hold: the schema cannot rule it out.
        store
            .conn()
            .execute("UPDATE cards SET due = 9000000000000000000", [])
            .unwrap();
        let listed = store.live_cards().unwrap_err().to_string();
        let drilled = store
            .drill_cards(&d, &Scope::All, DrillMode::Cram, now())
            .unwrap_err()
            .to_string();
        assert!(listed.contains("card s#a: bad due time"), "{listed}");
        assert_eq!(listed, drilled);
    }

    #[test]
    fn drill_cards_joins_text_filters_by_scope_and_flags_edits() {
        let store = Store::open_in_memory().unwrap();
        let mut full = deck(
            vec![
                card("s", "a", "x"),
                card("s", "b", "y"),
                card("t", "c", "z"),
            ],
            &[("s", false), ("t", false)],
            true,
        );
        full.stories[1].tags = vec!["aws".into()];
        store.sync_cards(&full, now()).unwrap();
        let keys = |scope: &Scope, deck: &Deck| -> Vec<String> {
            store
                .drill_cards(deck, scope, DrillMode::Scheduled, now())
                .unwrap()
                .into_iter()
                .map(|c| c.card.id.to_string())
                .collect()
        };
        // New cards: the stories take turns.
        assert_eq!(keys(&Scope::All, &full), ["s#a", "t#c", "s#b"]);
        assert_eq!(keys(&Scope::Story("s".into()), &full), ["s#a", "s#b"]);
        assert_eq!(keys(&Scope::Tag("aws".into()), &full), ["t#c"]);
        // A story turned draft: its cards stay stored but are not drilled.
        let mut draft = full.clone();
        draft.stories[1].draft = true;
        draft.cards.retain(|c| c.id.story_id != "t");
        store.sync_cards(&draft, now()).unwrap();
        assert_eq!(keys(&Scope::All, &draft), ["s#a", "s#b"]);
        // Review `a`, then edit it: still the same card, flagged as edited, in cram mode.
        let a = store.card(&CardId::new("s", "a")).unwrap().unwrap();
        let row: i64 = store
            .conn()
            .query_row("SELECT id FROM cards WHERE card_key = 'a'", [], |r| {
                r.get(0)
            })
            .unwrap();
        let later = CardState {
            phase: Phase::Review,
            due: now() + jiff::SignedDuration::from_hours(72),
            ..a.state
        };
        write_state(store.conn(), row, &later, Some(&a.content_hash)).unwrap();
        let edited = deck(
            vec![card("s", "a", "x, edited"), card("s", "b", "y")],
            &[("s", false)],
            true,
        );
        store.sync_cards(&edited, now()).unwrap();
        assert_eq!(keys(&Scope::All, &edited), ["s#b"], "a is not due");
        let cram = store
            .drill_cards(&edited, &Scope::All, DrillMode::Cram, now())
            .unwrap();
        assert_eq!(cram.len(), 1);
        assert_eq!(cram[0].card.answer[0].text, "x, edited");
        assert_eq!(cram[0].state, later);
        assert!(cram[0].edited);
    }

    #[test]
    fn unreadable_stories_and_drafts_do_not_orphan_their_cards() {
        let store = Store::open_in_memory().unwrap();
        let both = deck(
            vec![card("s", "a", "x"), card("t", "b", "y")],
            &[("s", false), ("t", false)],
            true,
        );
        store.sync_cards(&both, now()).unwrap();
        // `t` failed to load this time: the deck is incomplete, so `t#b` stays.
        let partial = deck(vec![card("s", "a", "x")], &[("s", false)], false);
        assert_eq!(store.sync_cards(&partial, now()).unwrap().orphaned, 0);
        // `t` is now a draft: its cards are not drilled but not orphaned either.
        let draft = deck(
            vec![card("s", "a", "x")],
            &[("s", false), ("t", true)],
            true,
        );
        assert_eq!(store.sync_cards(&draft, now()).unwrap().orphaned, 0);
        // `t` was deleted and everything else loaded: its card is an orphan.
        let gone = deck(vec![card("s", "a", "x")], &[("s", false)], true);
        assert_eq!(store.sync_cards(&gone, now()).unwrap().orphaned, 1);
    }
}
