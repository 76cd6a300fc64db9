//! What effects report back: every result of I/O reaches the app as a [`Message`] handled by
//! [`App::receive`], never by writing the app's fields from outside.

use crate::demo::runner::RunId;
use crate::practice::{DrillPlan, Stats};
use crate::srs::{DrillMode, Review};
use crate::store::{DemoRun, StoreError, StoredCard};
use crate::story::Story;

use super::{App, Effect};

/// Why a write did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteProblem {
    /// Another process holds the database's lock; nothing was written, trying again may work.
    Busy,
    /// The database file is gone (deleted or moved while the app ran); nothing was written.
    Missing(String),
    Other(String),
}

impl WriteProblem {
    pub fn of(error: &crate::practice::PracticeError) -> WriteProblem {
        match error {
            crate::practice::PracticeError::Store(StoreError::Busy { .. }) => WriteProblem::Busy,
            crate::practice::PracticeError::Store(StoreError::Missing { path }) => {
                WriteProblem::Missing(path.display().to_string())
            }
            other => WriteProblem::Other(other.to_string()),
        }
    }
}

/// The stories as read again from disk.
#[derive(Debug, Clone)]
pub struct Library {
    pub stories: Vec<Story>,
    pub load_errors: Vec<String>,
    pub cards: Vec<StoredCard>,
}

/// The result of an effect.
#[derive(Debug, Clone)]
pub enum Message {
    /// A drill was built, or there is nothing to drill.
    Drill(DrillPlan),
    /// The review is stored; `leech`: it made its card a leech.
    ReviewSaved {
        review: Review,
        leech: bool,
    },
    ReviewNotSaved {
        review: Review,
        problem: WriteProblem,
    },
    Undone(Review),
    UndoFailed {
        review: Review,
        problem: WriteProblem,
    },
    /// The deck's cards with their schedules, after a change.
    Cards(Vec<StoredCard>),
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
    /// The graded mock question is stored, with its pick card's next review.
    MockAnswerSaved {
        answer: Box<crate::mock::answer::MockAnswer>,
        card: Box<crate::mock::pick_card::PickCard>,
    },
    MockAnswerNotSaved(String),
    /// The mock session is closed: its report.
    MockReport(Result<crate::practice::mock::MockReport, String>),
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
            Message::ReviewSaved { review, leech } => self.review_saved(review, leech),
            Message::ReviewNotSaved { review, problem } => {
                let again = self.grade_key(review.grade);
                match problem {
                    // Short enough for the status line: the retry key must not close a panel.
                    WriteProblem::Busy => self.set_error(format!(
                        "NOT saved: the database is locked by another process; press {again} to try again"
                    )),
                    WriteProblem::Missing(path) => self.set_error_whole(format!(
                        "the review was NOT saved: the database {path} is gone (deleted or moved \
                         while rehearse ran); the card stays here. Quit and start rehearse again \
                         to create a new one"
                    )),
                    WriteProblem::Other(error) => self.set_error_whole(format!(
                        "the review was NOT saved: {error}; the card stays here, press {again} to \
                         try again"
                    )),
                }
            }
            Message::Undone(review) => self.review_undone(&review),
            Message::UndoFailed { review, problem } => {
                let why = match problem {
                    WriteProblem::Busy => "the database is locked by another process".to_owned(),
                    WriteProblem::Missing(path) => format!("the database {path} is gone"),
                    WriteProblem::Other(error) => error,
                };
                self.set_error_whole(format!(
                    "undo failed: {why}; the {} on {} stays saved",
                    review.grade, review.card
                ));
            }
            Message::Cards(cards) => self.data.set_cards(cards),
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
            Message::MockAnswerSaved { answer, card } => {
                return self.mock_answer_saved(*answer, Some(*card));
            }
            Message::MockAnswerNotSaved(error) => self.mock_answer_not_saved(error),
            Message::MockReport(Ok(report)) => self.mock_finished(report),
            Message::MockReport(Err(error)) => {
                if self.mock.take().is_some() && self.screen() == super::Screen::Mock {
                    self.screens.pop();
                }
                self.set_error_whole(error);
            }
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
