//! What effects report back: every result of I/O reaches the app as a [`Message`] handled by
//! [`App::receive`], never by writing the app's fields from outside.

use crate::demo::runner::RunId;
use crate::practice::session::{DrillWritten, MockWritten};
use crate::practice::{DrillPlan, Stats};
use crate::srs::{CardState, DrillMode};
use crate::store::{DemoRun, StoredCard};
use crate::story::Story;

use super::{App, Effect};

// Why a write did not happen: the core's, which says it in words.
pub use crate::practice::WriteProblem;

/// The stories as read again from disk.
#[derive(Debug, Clone)]
pub struct Library {
    pub stories: Vec<Story>,
    pub load_errors: Vec<String>,
    pub cards: Vec<StoredCard>,
    pub picks: Vec<CardState>,
}

/// The result of an effect.
#[derive(Debug, Clone)]
pub enum Message {
    /// A drill was built, or there is nothing to drill.
    Drill(DrillPlan),
    /// How the drill's write went.
    DrillWritten(DrillWritten),
    /// The deck's cards and the pick cards' schedules, after a change.
    Cards {
        cards: Vec<StoredCard>,
        picks: Vec<CardState>,
    },
    /// A story file was edited and read again.
    StoryReloaded {
        index: usize,
        story: Story,
    },
    /// The story folder was read again.
    LibraryReloaded(Library),
    DemoStarted(Result<RunId, String>),
    DemoRun {
        demo_id: String,
        run: DemoRun,
    },
    Stats(Box<Stats>),
    /// A mock was started, or why not.
    Mock(Result<Box<crate::practice::mock::StartedMock>, String>),
    /// How the mock's write went.
    MockWritten(MockWritten),
    /// Nothing to change; say this.
    Info(String),
    /// Something failed; say this (as an error).
    Failed(String),
}

impl App {
    /// Applies an effect's result; may ask for another effect.
    pub fn receive(&mut self, message: Message) -> Option<Effect> {
        self.dirty = true;
        match message {
            Message::Drill(DrillPlan::Ready(started)) => self.begin_drill(*started),
            Message::Drill(DrillPlan::NothingDue(nothing)) => {
                let hint = match nothing.mode {
                    DrillMode::Scheduled => "; a practises ahead",
                    DrillMode::Cram => "; r drills the due cards",
                };
                self.set_status(format!("{nothing}{hint}"));
            }
            Message::DrillWritten(outcome) => return self.drill_written(outcome),
            Message::Cards { cards, picks } => {
                self.data.set_cards(cards);
                self.data.set_picks(picks);
            }
            Message::StoryReloaded { index, story } => {
                let id = story.id().to_owned();
                self.data.replace_story(index, story);
                self.refilter();
                self.set_status(format!("reloaded {id}"));
            }
            Message::LibraryReloaded(library) => self.library_reloaded(library),
            Message::DemoStarted(result) => self.demo_started(result),
            Message::DemoRun { demo_id, run } => {
                self.data.demo_runs.insert(demo_id, run);
            }
            Message::Stats(stats) => self.stats = Some(*stats),
            Message::Mock(Ok(started)) => self.begin_mock(*started),
            Message::Mock(Err(error)) => self.set_error_whole(error),
            Message::MockWritten(outcome) => return self.mock_written(outcome),
            Message::Info(text) => self.set_status(text),
            Message::Failed(text) => self.set_error_whole(text),
        }
        None
    }

    /// New stories appear, deleted ones go; the story on screen stays if it is still there.
    fn library_reloaded(&mut self, library: Library) {
        let Library {
            stories,
            load_errors,
            cards,
            picks,
        } = library;
        let shown = self
            .data
            .stories
            .get(self.story.index)
            .map(|e| e.story.id().to_owned());
        let selected = self
            .selected_index()
            .and_then(|i| self.data.stories.get(i))
            .map(|e| e.story.id().to_owned());
        let before = self.data.stories.len();
        self.data.replace_all(stories, load_errors);
        self.data.set_cards(cards);
        self.data.set_picks(picks);
        if let Some(id) = shown {
            match self.data.position(&id) {
                Some(index) => self.story.index = index,
                None if self.screen() == super::Screen::Story => self.screens.truncate(1),
                None => {}
            }
        }
        self.refilter();
        if let Some(at) = selected
            .and_then(|id| self.data.position(&id))
            .and_then(|i| self.library.hits.iter().position(|h| h.index == i))
        {
            self.library.selected = at;
        }
        let after = self.data.stories.len();
        let skipped = self.data.load_errors.len();
        let mut text = format!("reloaded the story folder: {after} stories (was {before})");
        if skipped > 0 {
            text.push_str(&format!("; {skipped} file(s) skipped"));
            self.show_load_errors();
            self.set_error(text);
        } else {
            self.set_status(text);
        }
    }
}
