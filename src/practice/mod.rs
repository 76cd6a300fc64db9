//! The practice core: the use cases the CLI and the TUI both call, so the two front ends
//! cannot drift. It owns the loaded stories, the deck derived from them, the store, the
//! scheduler's settings and an injected [`Clock`]; it asks the store for rows and [`crate::srs`]
//! for the order and the arithmetic.
//!
//! - this file: [`Practice`] itself (its one constructor takes the clock), loading the
//!   stories (an id two files share goes to the file whose cards the database holds, for every
//!   command and the TUI alike), syncing, reloading stories after an edit;
//! - [`session`]: the drill and the mock as state machines both front ends drive;
//! - [`drill`]: start a drill (or say why nothing is due), record and undo a review;
//! - [`mock`]: what a mock is drawn from, start one, store its graded questions, its report;
//! - [`due`]: what is due now and this week, per story and for the pick cards, counted as
//!   the drill counts them;
//! - [`stats`]: reviews a day, retention, forecast, leeches, card counts for a window;
//! - [`pack`]: everything the prep pack reads (review progress, demo runs, the mock history);
//! - [`answer`]: what a drill reveals (the full answer);
//! - [`speech`]: spoken answers kept, their latest feedback and their trends per story;
//! - coverage (which stories answer which competencies) is [`crate::story::coverage`], pure
//!   over the stories and the question bank, read by the stats screen and the export;
//! - [`sync`]: the sync folder shared with other machines, and Anki out and back;
//! - [`clock`]: the wall clock and a fixed one for tests.
//!
//! The store is reached only through [`Practice`] (and [`DemoRecords`] for a demo run, which
//! needs no stories); no front end reads the wall clock: the core's clock is the time.

pub mod answer;
pub mod clock;
pub mod drill;
pub mod due;
pub mod mock;
pub mod pack;
pub mod session;
pub mod speech;
pub mod stats;
pub mod sync;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use thiserror::Error;

use crate::config::{Config, SrsConfig};
use crate::pacing::Budgets;
use crate::speech::ear::Speech;
use crate::srs::{Deck, Scheduler, SrsError};
use crate::store::{DemoRun, Store, StoreError, StoredCard, SyncReport};
use crate::story::{LoadReport, Story, StoryError, load_paths, read_story};

pub use clock::{Clock, FixedClock, SystemClock};
pub use drill::{DrillPlan, DrillRequest, Interface, NothingDue};
pub use due::{DueCounts, StoryDue};
pub use session::WriteProblem;
pub use stats::{Leech, PhaseCounts, Stats};

#[derive(Debug, Error)]
pub enum PracticeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Srs(#[from] SrsError),
    #[error("invalid [srs] settings in the config: {0}")]
    Settings(SrsError),
    #[error("a limit of 0 cards drills nothing; give 1 or more, or leave the limit out")]
    ZeroLimit,
    #[error(
        "the interview date {date} is in the past (today is {today}); give the coming interview's date, or leave it out"
    )]
    PastInterview { date: Date, today: Date },
    #[error("story {index} is not loaded")]
    NoSuchStory { index: usize },
    #[error("updating the cards in {}", db.display())]
    Update {
        db: PathBuf,
        #[source]
        source: Box<PracticeError>,
    },
}

pub type Result<T, E = PracticeError> = std::result::Result<T, E>;

impl WriteProblem {
    /// Why a write through the core did not happen.
    pub fn of(error: &PracticeError) -> WriteProblem {
        match error {
            PracticeError::Store(store) => WriteProblem::of_store(store),
            other => WriteProblem::Other(other.to_string()),
        }
    }
}

/// What the core is built from, besides the stories and the store.
#[derive(Debug, Clone)]
pub struct Settings {
    pub srs: SrsConfig,
    /// Seconds per STAR section on the drill's and the mock's timer (`[drill]`).
    pub budgets: Budgets,
    /// The command line's interview date, over the config's.
    pub interview_date: Option<Date>,
    pub tz: TimeZone,
    /// Where the stories were loaded from (a reload reads them again).
    pub story_paths: Vec<PathBuf>,
    /// Whether the sessions record and hear answers (`rehearse speech setup`).
    pub speech: Speech,
}

impl Settings {
    pub fn new(srs: SrsConfig, story_paths: Vec<PathBuf>) -> Settings {
        Settings {
            srs,
            budgets: crate::config::DrillConfig::default().budgets(),
            interview_date: None,
            tz: TimeZone::system(),
            story_paths,
            speech: Speech::Absent,
        }
    }

    /// The config's `[srs]` and `[drill]`, for the stories at `story_paths`.
    pub fn from_config(config: &Config, story_paths: Vec<PathBuf>) -> Settings {
        Settings {
            budgets: config.drill.budgets(),
            ..Settings::new(config.srs.clone(), story_paths)
        }
    }
}

/// The stories, their deck and their progress.
pub struct Practice {
    /// Shared with the sessions, which keep them while they run.
    stories: Arc<[Story]>,
    load_errors: Vec<StoryError>,
    deck: Deck,
    store: Store,
    settings: Settings,
    clock: Arc<dyn Clock>,
}

/// What happened to a story file that was edited.
#[derive(Debug, Clone, PartialEq)]
pub enum Reloaded {
    /// Read again; the deck and the store follow it.
    Story(Box<Story>),
    /// Not taken: the story keeps what it had (the reason is for the user).
    Refused(String),
}

impl Practice {
    /// Takes loaded stories and an open store; a shared id goes to the file that owns it in
    /// the database (see [`owner_of_id`]), then the cards are synced.
    pub fn new(
        mut report: LoadReport,
        store: Store,
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<(Practice, SyncReport)> {
        settle_duplicates(&mut report, &store);
        let mut practice = Practice {
            deck: Deck::from_stories(&report.stories, report.errors.is_empty()),
            stories: report.stories.into(),
            load_errors: report.errors,
            store,
            settings,
            clock,
        };
        let sync = practice.sync()?;
        Ok((practice, sync))
    }

    /// [`Practice::new`] on the database at `db` (created and migrated if needed): how the
    /// app opens it, so no front end handles the store itself. An error opening the database
    /// names it; one syncing the cards says that is what failed.
    pub fn open(
        report: LoadReport,
        db: &Path,
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<(Practice, SyncReport)> {
        let store = Store::open(db)?;
        Practice::new(report, store, settings, clock).map_err(|source| PracticeError::Update {
            db: db.to_owned(),
            source: Box::new(source),
        })
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn stories(&self) -> &[Story] {
        &self.stories
    }

    /// The stories, shared (a session keeps them while it runs).
    pub fn shared_stories(&self) -> Arc<[Story]> {
        Arc::clone(&self.stories)
    }

    /// The day of the core's clock, in its time zone.
    pub fn today(&self) -> Date {
        crate::srs::stats::day_of(self.now(), &self.settings.tz)
    }

    /// Files that did not load (bad files, ids another file keeps).
    pub fn load_errors(&self) -> &[StoryError] {
        &self.load_errors
    }

    pub fn deck(&self) -> &Deck {
        &self.deck
    }

    /// The store, for the core's own tests.
    #[cfg(test)]
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// How long a write waits for another process's lock before saying the database is busy.
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<()> {
        Ok(self.store.set_busy_timeout(timeout)?)
    }

    /// The latest recorded run of a demo.
    pub fn latest_demo_run(&self, demo_id: &str) -> Result<Option<DemoRun>> {
        Ok(self.store.latest_demo_run(demo_id)?)
    }

    /// Cards whose question left its story (their history is kept).
    pub fn orphans(&self) -> Result<Vec<StoredCard>> {
        Ok(self.store.orphans()?)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.settings.tz
    }

    /// The scheduler from the config and the interview date.
    pub fn scheduler(&self) -> Result<Scheduler> {
        Scheduler::new(
            self.settings
                .srs
                .scheduler_config(self.settings.interview_date, &self.settings.tz),
        )
        .map_err(PracticeError::Settings)
    }

    /// Refuses an interview date before today (the command line's; a config date that has
    /// passed simply stops capping intervals).
    pub fn check_interview_date(&self, date: Option<Date>) -> Result<()> {
        check_interview_date(date, self.now(), &self.settings.tz)
    }

    /// Brings the store's cards in line with the deck (new and edited cards, orphans).
    pub fn sync(&mut self) -> Result<SyncReport> {
        Ok(self.store.sync_cards(&self.deck, self.clock.now())?)
    }

    /// The stored, not orphaned cards of the deck's stories (drafts and stories that failed to
    /// load keep theirs in the store, but they are not drilled).
    pub fn cards(&self) -> Result<Vec<StoredCard>> {
        let drilled = self.deck.card_ids();
        Ok(self
            .store
            .live_cards()?
            .into_iter()
            .filter(|c| drilled.contains(&c.id))
            .collect())
    }

    /// Reads story `index` again after an edit. A file that now uses another story's id is
    /// refused (the other story keeps its id and its history); so is one that no longer
    /// parses or was deleted.
    pub fn reload_story(&mut self, index: usize) -> Result<Reloaded> {
        let path = self
            .stories
            .get(index)
            .map(|s| s.path.clone())
            .ok_or(PracticeError::NoSuchStory { index })?;
        let story = match read_story(&path) {
            Ok(story) => story,
            Err(e) => return Ok(Reloaded::Refused(format!("not reloaded: {e}"))),
        };
        let old_id = self.stories[index].id().to_owned();
        if let Some(other) = self
            .stories
            .iter()
            .enumerate()
            .find(|(i, s)| *i != index && s.id() == story.id())
            .map(|(_, s)| s)
        {
            return Ok(Reloaded::Refused(format!(
                "NOT reloaded: {} now says id `{}`, which {} already uses. That story keeps the id \
                 and its history; change the id back (this story is still `{old_id}` here)",
                path.display(),
                story.id(),
                other.path.display()
            )));
        }
        let mut stories = self.stories.to_vec();
        stories[index] = story.clone();
        self.stories = stories.into();
        self.rebuild_deck();
        self.sync()?;
        Ok(Reloaded::Story(Box::new(story)))
    }

    /// Reads the story folder again (stories added with `rehearse new`, deleted or edited
    /// outside), then syncs.
    pub fn reload_all(&mut self) -> Result<SyncReport> {
        let mut report = load_paths(&self.settings.story_paths);
        settle_duplicates(&mut report, &self.store);
        self.stories = report.stories.into();
        self.load_errors = report.errors;
        self.rebuild_deck();
        self.sync()
    }

    fn rebuild_deck(&mut self) {
        self.deck = Deck::from_stories(&self.stories, self.load_errors.is_empty());
    }
}

/// Refuses an interview date before the day of `now` in `tz`.
pub fn check_interview_date(date: Option<Date>, now: Timestamp, tz: &TimeZone) -> Result<()> {
    let today = crate::srs::stats::day_of(now, tz);
    match date {
        Some(date) if date < today => Err(PracticeError::PastInterview { date, today }),
        _ => Ok(()),
    }
}

/// Loads the stories at `paths`; an id several files share goes to the file whose cards the
/// database at `db` holds (see [`owner_of_id`]), so every command reports the same file. A
/// database that is missing or cannot be read leaves path order to decide; it is not created.
pub fn load_stories(paths: &[PathBuf], db: &Path) -> LoadReport {
    let mut report = load_paths(paths);
    if !report.duplicates.is_empty()
        && db.is_file()
        && let Ok(store) = Store::open(db)
    {
        settle_duplicates(&mut report, &store);
    }
    report
}

/// Demo runs in the database, for `rehearse demo run` (it needs no stories, so no
/// [`Practice`]).
pub struct DemoRecords(Store);

impl DemoRecords {
    pub fn open(db: &Path) -> Result<DemoRecords> {
        Ok(DemoRecords(Store::open(db)?))
    }

    pub fn record(&self, run: &DemoRun) -> Result<()> {
        Ok(self.0.record_demo_run(run)?)
    }

    pub fn latest(&self, demo_id: &str) -> Result<Option<DemoRun>> {
        Ok(self.0.latest_demo_run(demo_id)?)
    }
}

/// Gives each id several files share to the file that owns it in the database.
fn settle_duplicates(report: &mut LoadReport, store: &Store) {
    if report.duplicates.is_empty() {
        return;
    }
    let stored = store.live_cards().unwrap_or_default();
    report.settle_duplicates(|files| owner_of_id(files, &stored));
}

/// Which of several files with one id owns it: the one whose cards the database knows best
/// (most cards whose stored text is this file's, then most card keys it has with reviews);
/// on a tie, the first in path order. Deterministic: the same files and database always give
/// the same answer.
pub fn owner_of_id(files: &[&Story], stored: &[StoredCard]) -> (usize, String) {
    let score = |story: &Story| -> (usize, usize) {
        let cards = crate::srs::card::cards_of(story);
        let hashes: HashSet<(&str, &str)> = cards
            .iter()
            .map(|c| (c.id.key.as_str(), c.content_hash.as_str()))
            .collect();
        let keys: HashSet<&str> = cards.iter().map(|c| c.id.key.as_str()).collect();
        let mine = stored.iter().filter(|c| c.id.story_id == story.id());
        let (mut same_text, mut reviewed) = (0, 0);
        for card in mine {
            same_text +=
                usize::from(hashes.contains(&(card.id.key.as_str(), card.content_hash.as_str())));
            reviewed += usize::from(keys.contains(card.id.key.as_str()) && card.state.reps > 0);
        }
        (same_text, reviewed)
    };
    let scores: Vec<(usize, usize)> = files.iter().map(|s| score(s)).collect();
    let best = scores.iter().copied().max().unwrap_or_default();
    let winner = scores.iter().position(|s| *s == best).unwrap_or(0);
    let reason = if best == (0, 0) || scores.iter().filter(|s| **s == best).count() > 1 {
        LoadReport::PATH_ORDER.to_owned()
    } else {
        "its cards are the ones in the database".to_owned()
    };
    (winner, reason)
}

#[cfg(test)]
mod tests;
