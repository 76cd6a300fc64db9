//! Spaced repetition: cards derived from the stories, FSRS-6 scheduling, drill sessions and
//! review statistics. Pure logic: no SQL, no terminal, the time is always passed in.
//!
//! - [`card`]: [`Deck`] and [`Card`] from stories; identity is story id + card key.
//! - [`schedule`]: [`Scheduler`] (the `fsrs` crate plus learning steps and the interview cap).
//! - [`session`]: [`DrillSession`], driven by `rehearse drill --plain` and the TUI alike.
//! - [`stats`]: reviews a day, true retention, the due forecast.

pub mod card;
pub mod schedule;
pub mod session;
pub mod stats;

use jiff::SignedDuration;
use thiserror::Error;

pub use card::{AnswerPart, Card, CardId, CardKind, Deck, DeckStory, Scope};
pub use schedule::{
    CardState, Grade, Memory, Outcome, Phase, Preview, Scheduler, SchedulerConfig, format_interval,
};
pub use session::{
    DrillCard, DrillMode, DrillSession, GradeCounts, LEARN_AHEAD, Progress, Review, ReviewKind,
    Timing, due_queue, is_due,
};

#[derive(Debug, Error, PartialEq)]
pub enum SrsError {
    #[error("desired retention must be between 0 and 1 (exclusive), not {0}")]
    Retention(f64),
    #[error(
        "learning and relearning steps must be longer than 0 and shorter than a day, not {0:#}"
    )]
    Step(SignedDuration),
    #[error("the maximum interval must be at least one day")]
    MaximumInterval,
    #[error("the FSRS scheduler failed: {0}")]
    Fsrs(String),
    #[error("no card to grade: the session is over")]
    NoCard,
    #[error("no story with id `{0}` (see `rehearse list`)")]
    UnknownStory(String),
    #[error("`{prefix}` matches several stories: {}", matches.join(", "))]
    AmbiguousStory {
        prefix: String,
        matches: Vec<String>,
    },
    #[error("story `{0}` is a draft; drafts are not drilled (set `draft: false` when it is ready)")]
    DraftStory(String),
    #[error("no story has the tag `{0}`")]
    UnknownTag(String),
}
