//! Cards and their schedules. The stories define the cards; the store keeps their progress,
//! keyed by story id + card key, and never drops one: a card whose question is gone is an orphan.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;
use rusqlite::{Row, params};

use super::{Result, Store, StoreError, from_millis, millis};
use crate::srs::{
    Card, CardId, CardKind, CardState, Deck, DrillCard, DrillMode, LEARN_AHEAD, Memory, Phase,
    Scope,
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub added: usize,
    /// Text changed (progress kept).
    pub edited: usize,
    /// Newly orphaned: the question left its story, or the story's file is gone.
    pub orphaned: usize,
    /// Orphans whose question came back, with their history.
    pub restored: usize,
    /// Stories whose id changed: their cards, and so their history, moved to the new id.
    pub renamed: Vec<StoryRename>,
}

/// A story found under a new id: same file, or the same questions where a story's file went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRename {
    pub from: String,
    pub to: String,
}

const COLUMNS: &str = "story_id, card_key, kind, prompt, content_hash, reviewed_hash, created_at,
    orphaned_at, phase, step, stability, difficulty, due, last_review, reps, lapses";

/// A stored card as the sync compares it.
struct Known {
    hash: String,
    orphaned: bool,
    source: Option<String>,
}

impl Store {
    /// Brings the cards table in line with `deck`, in one transaction:
    /// - a story whose id changed (its file now holds a new id, or its file is gone and a new
    ///   story has exactly its questions) takes its cards and history to the new id;
    /// - new cards are added (due now), edited ones get their new text and hash (progress
    ///   kept), and each card remembers the file it was seen in;
    /// - a card missing from the deck becomes an orphan only when its question left the
    ///   story file it was seen in (never a draft's), or that file is gone or now holds
    ///   another story.
    ///   A story of another folder, or one that failed to load, keeps its cards as they are:
    ///   a command run with another `--stories` folder changes nothing of this one's.
    pub fn sync_cards(&self, deck: &Deck, now: Timestamp) -> Result<SyncReport> {
        let files: HashMap<&str, String> = deck
            .stories
            .iter()
            .filter_map(|s| Some((s.id.as_str(), file_key(s.file.as_deref()?))))
            .collect();
        self.write(|tx| {
            let mut report = SyncReport {
                renamed: follow_renamed_stories(tx, deck, &files)?,
                ..SyncReport::default()
            };
            let existing = known_cards(tx)?;
            let mut insert = tx.prepare(
                "INSERT INTO cards (story_id, card_key, kind, prompt, content_hash, created_at,
                                    phase, step, due, reps, lapses, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new', 0, ?6, 0, 0, ?7)",
            )?;
            let mut update = tx.prepare(
                "UPDATE cards SET kind = ?3, prompt = ?4, content_hash = ?5, orphaned_at = NULL,
                                  source = ?6
                 WHERE story_id = ?1 AND card_key = ?2",
            )?;
            for card in &deck.cards {
                let source = files.get(card.id.story_id.as_str());
                match existing.get(&card.id) {
                    None => {
                        insert.execute(params![
                            card.id.story_id,
                            card.id.key,
                            card.kind.as_str(),
                            card.prompt,
                            card.content_hash,
                            millis(now),
                            source
                        ])?;
                        report.added += 1;
                    }
                    Some(known) => {
                        let edited = known.hash != card.content_hash;
                        if edited || known.orphaned || known.source.as_ref() != source {
                            update.execute(params![
                                card.id.story_id,
                                card.id.key,
                                card.kind.as_str(),
                                card.prompt,
                                card.content_hash,
                                source.or(known.source.as_ref())
                            ])?;
                        }
                        report.edited += usize::from(edited);
                        report.restored += usize::from(known.orphaned);
                    }
                }
            }
            let in_deck: HashSet<&CardId> = deck.cards.iter().map(|c| &c.id).collect();
            let loaded: HashMap<&str, bool> = deck
                .stories
                .iter()
                .map(|s| (s.id.as_str(), s.draft))
                .collect();
            let loaded_files: HashSet<&str> = files.values().map(String::as_str).collect();
            let mut orphan = tx.prepare(
                "UPDATE cards SET orphaned_at = ?3 WHERE story_id = ?1 AND card_key = ?2",
            )?;
            for (id, known) in &existing {
                if known.orphaned || in_deck.contains(id) {
                    continue;
                }
                let source = known.source.as_deref();
                let gone = match loaded.get(id.story_id.as_str()) {
                    // The question left the story, unless the card was last seen in another
                    // copy of it (another folder's) that is still there.
                    // (its own file, loaded now, counts as "gone" from it).
                    Some(draft) => {
                        !draft && source.is_none_or(|file| file_gone(file, &loaded_files))
                    }
                    None => source.is_some_and(|file| file_gone(file, &loaded_files)),
                };
                if gone {
                    orphan.execute(params![id.story_id, id.key, millis(now)])?;
                    report.orphaned += 1;
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

    /// The rows a drill is drawn from, in storage order: joined with their text from `deck`
    /// (cards the deck does not drill, such as a draft's, are left out), limited to `scope`;
    /// in scheduled mode only cards due within the learn-ahead window, in cram mode all.
    /// The store only reads: the practice core orders them with [`crate::srs::due_queue`].
    pub fn drill_rows(
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
        Ok(cards)
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

/// A story file as the store records it: absolute, links resolved where it exists.
fn file_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
        .display()
        .to_string()
}

/// A story's recorded file no longer speaks for it: deleted, or loaded as another story.
fn file_gone(file: &str, loaded_files: &HashSet<&str>) -> bool {
    loaded_files.contains(file) || !Path::new(file).exists()
}

fn known_cards(tx: &rusqlite::Connection) -> Result<HashMap<CardId, Known>> {
    let mut stmt =
        tx.prepare("SELECT story_id, card_key, content_hash, orphaned_at, source FROM cards")?;
    let rows = stmt.query_map([], |row| {
        Ok((
            CardId::new(row.get::<_, String>(0)?, row.get::<_, String>(1)?),
            Known {
                hash: row.get(2)?,
                orphaned: row.get::<_, Option<i64>>(3)?.is_some(),
                source: row.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Moves the cards of stories that now go by another id to that id, and says which. A stored
/// story is a candidate when it did not load and its file is gone or holds another story; a
/// new id (no cards stored yet) takes the candidate whose file it was loaded from, else the
/// one candidate with exactly its questions. Ambiguous cases are left alone.
fn follow_renamed_stories(
    tx: &rusqlite::Connection,
    deck: &Deck,
    files: &HashMap<&str, String>,
) -> Result<Vec<StoryRename>> {
    #[derive(Default)]
    struct Stored {
        keys: BTreeSet<String>,
        sources: HashSet<String>,
    }
    let mut stored: HashMap<String, Stored> = HashMap::new();
    for (id, known) in known_cards(tx)? {
        let story = stored.entry(id.story_id).or_default();
        story.keys.insert(id.key);
        story.sources.extend(known.source);
    }
    let loaded_ids: HashSet<&str> = deck.stories.iter().map(|s| s.id.as_str()).collect();
    let loaded_files: HashSet<&str> = files.values().map(String::as_str).collect();
    let mut candidates: Vec<String> = stored
        .iter()
        .filter(|(id, story)| {
            !loaded_ids.contains(id.as_str())
                && !story.sources.is_empty()
                && story.sources.iter().all(|f| file_gone(f, &loaded_files))
        })
        .map(|(id, _)| id.clone())
        .collect();
    candidates.sort();
    let mut renamed = Vec::new();
    for story in &deck.stories {
        if candidates.is_empty() {
            break;
        }
        if stored.contains_key(&story.id) {
            continue;
        }
        let file = files.get(story.id.as_str());
        let by_file: Vec<usize> = (0..candidates.len())
            .filter(|&i| file.is_some_and(|f| stored[&candidates[i]].sources.contains(f)))
            .collect();
        let pick = match by_file.as_slice() {
            [one] => Some(*one),
            [] => {
                let keys: BTreeSet<String> = deck
                    .cards
                    .iter()
                    .filter(|c| c.id.story_id == story.id)
                    .map(|c| c.id.key.clone())
                    .collect();
                let same: Vec<usize> = (0..candidates.len())
                    .filter(|&i| !keys.is_empty() && stored[&candidates[i]].keys == keys)
                    .collect();
                match same.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(i) = pick {
            let from = candidates.remove(i);
            tx.execute(
                "UPDATE cards SET story_id = ?2 WHERE story_id = ?1",
                params![from, story.id],
            )?;
            renamed.push(StoryRename {
                from,
                to: story.id.clone(),
            });
        }
    }
    Ok(renamed)
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
                    file: None,
                })
                .collect(),
            complete,
        }
    }

    /// A deck whose stories were loaded from files in `folder`: `(id, file name, draft)`.
    /// The files are created; their content does not matter to the store.
    fn deck_in(
        folder: &Path,
        cards: Vec<Card>,
        stories: &[(&str, &str, bool)],
        complete: bool,
    ) -> Deck {
        std::fs::create_dir_all(folder).unwrap();
        let mut deck = deck(
            cards,
            &stories
                .iter()
                .map(|(id, _, d)| (*id, *d))
                .collect::<Vec<_>>(),
            complete,
        );
        for (story, (_, file, _)) in deck.stories.iter_mut().zip(stories) {
            let path = folder.join(file);
            if !path.exists() {
                std::fs::write(&path, "story").unwrap();
            }
            story.file = Some(path);
        }
        deck
    }

    /// Gives a card some progress, as a review would.
    fn progress(store: &Store, id: &CardId) -> CardState {
        let stored = store.card(id).unwrap().unwrap();
        let state = CardState {
            phase: Phase::Review,
            reps: 4,
            due: now() + jiff::SignedDuration::from_hours(96),
            ..stored.state
        };
        let row: i64 = store
            .conn()
            .query_row(
                "SELECT id FROM cards WHERE story_id = ?1 AND card_key = ?2",
                [&id.story_id, &id.key],
                |r| r.get(0),
            )
            .unwrap();
        write_state(store.conn(), row, &state, Some(&stored.content_hash)).unwrap();
        state
    }

    #[test]
    fn a_database_used_with_two_story_folders_keeps_both_intact() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let first = || {
            deck_in(
                &dir.path().join("mine"),
                vec![card("s", "a", "x"), card("s", "b", "y")],
                &[("s", "s.md", false)],
                true,
            )
        };
        let other = deck_in(
            &dir.path().join("other"),
            vec![card("t", "c", "z")],
            &[("t", "t.md", false)],
            true,
        );
        store.sync_cards(&first(), now()).unwrap();
        let a = CardId::new("s", "a");
        let state = progress(&store, &a);
        // A read-only command with the other folder: nothing of the first folder changes.
        let report = store.sync_cards(&other, now()).unwrap();
        assert_eq!((report.added, report.orphaned), (1, 0));
        assert!(store.orphans().unwrap().is_empty());
        // And back: nothing flips.
        let report = store.sync_cards(&first(), now()).unwrap();
        assert_eq!(report, SyncReport::default());
        assert_eq!(store.card(&a).unwrap().unwrap().state, state);
        assert_eq!(store.live_cards().unwrap().len(), 3);
    }

    #[test]
    fn another_folders_copy_of_a_story_with_fewer_questions_orphans_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let mine = deck_in(
            &dir.path().join("mine"),
            vec![card("s", "a", "x"), card("s", "b", "y")],
            &[("s", "s.md", false)],
            true,
        );
        store.sync_cards(&mine, now()).unwrap();
        let copy = deck_in(
            &dir.path().join("copy"),
            vec![card("s", "a", "x")],
            &[("s", "s.md", false)],
            true,
        );
        assert_eq!(store.sync_cards(&copy, now()).unwrap().orphaned, 0);
        assert_eq!(
            store.sync_cards(&mine, now()).unwrap(),
            SyncReport::default()
        );
        // In its own file, a deleted question is an orphan as always.
        let edited = deck_in(
            &dir.path().join("mine"),
            vec![card("s", "a", "x")],
            &[("s", "s.md", false)],
            true,
        );
        assert_eq!(store.sync_cards(&edited, now()).unwrap().orphaned, 1);
    }

    #[test]
    fn a_story_whose_id_changed_in_its_file_keeps_its_cards_and_history() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let folder = dir.path().join("stories");
        let old = deck_in(
            &folder,
            vec![card("old-id", "a", "x"), card("old-id", "b", "y")],
            &[("old-id", "story.md", false)],
            true,
        );
        store.sync_cards(&old, now()).unwrap();
        let state = progress(&store, &CardId::new("old-id", "a"));
        // Same file, new id, one question more.
        let new = deck_in(
            &folder,
            vec![
                card("new-id", "a", "x"),
                card("new-id", "b", "y"),
                card("new-id", "c", "z"),
            ],
            &[("new-id", "story.md", false)],
            true,
        );
        let report = store.sync_cards(&new, now()).unwrap();
        assert_eq!(
            report.renamed,
            [StoryRename {
                from: "old-id".into(),
                to: "new-id".into()
            }]
        );
        assert_eq!((report.added, report.orphaned), (1, 0));
        assert_eq!(
            store
                .card(&CardId::new("new-id", "a"))
                .unwrap()
                .unwrap()
                .state,
            state
        );
        assert!(store.card(&CardId::new("old-id", "a")).unwrap().is_none());
        assert!(store.orphans().unwrap().is_empty());
    }

    #[test]
    fn a_story_moved_to_a_new_file_and_id_with_the_same_questions_keeps_its_cards() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let folder = dir.path().join("stories");
        let old = deck_in(
            &folder,
            vec![card("old-id", "a", "x"), card("old-id", "b", "y")],
            &[("old-id", "old.md", false)],
            true,
        );
        store.sync_cards(&old, now()).unwrap();
        let state = progress(&store, &CardId::new("old-id", "b"));
        std::fs::remove_file(folder.join("old.md")).unwrap();
        let new = deck_in(
            &folder,
            vec![card("new-id", "a", "x"), card("new-id", "b", "y")],
            &[("new-id", "new.md", false)],
            true,
        );
        let report = store.sync_cards(&new, now()).unwrap();
        assert_eq!(report.renamed.len(), 1, "{report:?}");
        assert_eq!(
            store
                .card(&CardId::new("new-id", "b"))
                .unwrap()
                .unwrap()
                .state,
            state
        );
        // Different questions are not the same story: a deleted file's cards are orphans.
        std::fs::remove_file(folder.join("new.md")).unwrap();
        let unrelated = deck_in(
            &folder,
            vec![card("third", "q", "x")],
            &[("third", "third.md", false)],
            true,
        );
        let report = store.sync_cards(&unrelated, now()).unwrap();
        assert!(report.renamed.is_empty());
        assert_eq!(report.orphaned, 2);
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
            .drill_rows(&d, &Scope::All, DrillMode::Cram, now())
            .unwrap_err()
            .to_string();
        assert!(listed.contains("card s#a: bad due time"), "{listed}");
        assert_eq!(listed, drilled);
    }

    #[test]
    fn drill_rows_join_text_filter_by_scope_and_flag_edits() {
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
                .drill_rows(deck, scope, DrillMode::Scheduled, now())
                .unwrap()
                .into_iter()
                .map(|c| c.card.id.to_string())
                .collect()
        };
        // Storage order: the queue's order is `due_queue`'s, not the store's.
        assert_eq!(keys(&Scope::All, &full), ["s#a", "s#b", "t#c"]);
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
            .drill_rows(&edited, &Scope::All, DrillMode::Cram, now())
            .unwrap();
        assert_eq!(cram.len(), 2, "cram reads every card");
        let a = cram.iter().find(|c| c.card.id.key == "a").unwrap();
        assert_eq!(a.card.answer[0].text, "x, edited");
        assert_eq!(a.state, later);
        assert!(a.edited);
        assert!(!cram.iter().find(|c| c.card.id.key == "b").unwrap().edited);
    }

    #[test]
    fn unreadable_stories_and_drafts_do_not_orphan_their_cards() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path();
        let store = Store::open_in_memory().unwrap();
        let both = deck_in(
            folder,
            vec![card("s", "a", "x"), card("t", "b", "y")],
            &[("s", "s.md", false), ("t", "t.md", false)],
            true,
        );
        store.sync_cards(&both, now()).unwrap();
        // `t` failed to load this time (its file is still there): `t#b` stays.
        let partial = deck_in(
            folder,
            vec![card("s", "a", "x")],
            &[("s", "s.md", false)],
            false,
        );
        assert_eq!(store.sync_cards(&partial, now()).unwrap().orphaned, 0);
        // `t` is now a draft: its cards are not drilled but not orphaned either.
        let draft = deck_in(
            folder,
            vec![card("s", "a", "x")],
            &[("s", "s.md", false), ("t", "t.md", true)],
            true,
        );
        assert_eq!(store.sync_cards(&draft, now()).unwrap().orphaned, 0);
        // `t`'s file was deleted: its card is an orphan.
        std::fs::remove_file(folder.join("t.md")).unwrap();
        let gone = deck_in(
            folder,
            vec![card("s", "a", "x")],
            &[("s", "s.md", false)],
            true,
        );
        assert_eq!(store.sync_cards(&gone, now()).unwrap().orphaned, 1);
    }
}
