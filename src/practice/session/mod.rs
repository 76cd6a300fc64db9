//! The two sessions as state machines, the same for the TUI and `--plain`: a [`Drill`] and a
//! [`Mock`] each take one input at a time (a key's meaning, a typed pick, a clock tick) with
//! the time it came at, change their state, and reply with what to say and, when the store
//! must change, the write to perform. The front end performs the write through the
//! [`super::Practice`] ([`super::Practice::write_drill`], [`super::Practice::write_mock`]) and
//! hands the outcome back; the session moves on only once the store has it, so a failed write
//! leaves the card or the question where it was. The front ends read keys or lines and draw
//! what the session holds; every rule of a step lives in [`drill`] or [`mock`], every text
//! both front ends print is written once here or there.
//!
//! The spoken answer ([`spoken`]) is a step of both: a key starts and stops recording while
//! the answer runs ([`DrillInput::Record`], [`MockInput::Record`]); the STAR marks made
//! meanwhile fall on the recording's timeline; the take is heard in the background and comes
//! back on the clock's ticks; its feedback is shown after the answer and before the grade (the
//! drill's [`DrillStep::Feedback`], the mock's self-check), with a suggested grade the user
//! takes ([`DrillInput::AcceptSuggested`]) or overrides with their own; what was heard is
//! stored with the grade.

pub mod drill;
pub mod mock;
pub mod spoken;

use std::fmt;

use crate::store::StoreError;

pub use drill::{Drill, DrillInput, DrillReply, DrillSay, DrillStep, DrillWrite, DrillWritten};
pub use mock::{Mock, MockInput, MockReply, MockSay, MockStep, MockWrite, MockWritten};
pub use spoken::{Hearing, Part, Spoken, SpokenAnswer, SpokenSay};

/// What an input did: what to say, the write the store must perform, whether the screen
/// changed. [`DrillReply`] and [`MockReply`] are this with each session's own sayings and
/// writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<Say, Write> {
    pub say: Option<Say>,
    pub write: Option<Write>,
    /// False only for a tick that changed nothing on screen.
    pub changed: bool,
}

impl<Say, Write> Default for Reply<Say, Write> {
    fn default() -> Self {
        Reply {
            say: None,
            write: None,
            changed: false,
        }
    }
}

impl<Say, Write> Reply<Say, Write> {
    /// The screen changed; nothing to say or write.
    pub fn changed() -> Self {
        Reply {
            changed: true,
            ..Reply::default()
        }
    }

    pub fn say(say: Say) -> Self {
        Reply {
            say: Some(say),
            write: None,
            changed: true,
        }
    }

    pub fn write(write: Write) -> Self {
        Reply {
            say: None,
            write: Some(write),
            changed: true,
        }
    }

    /// A tick: whether the clock on screen changed.
    pub fn tick(changed: bool) -> Self {
        Reply {
            changed,
            ..Reply::default()
        }
    }
}

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
    pub fn of_store(error: &StoreError) -> WriteProblem {
        match error {
            StoreError::Busy { .. } => WriteProblem::Busy,
            StoreError::Missing { path } => WriteProblem::Missing(path.display().to_string()),
            other => WriteProblem::Other(other.to_string()),
        }
    }
}

/// `the database is locked by another process`, `the database X is gone`, or the error.
impl fmt::Display for WriteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteProblem::Busy => f.write_str("the database is locked by another process"),
            WriteProblem::Missing(path) => write!(f, "the database {path} is gone"),
            WriteProblem::Other(error) => f.write_str(error),
        }
    }
}

/// The first letter upper case: a message that starts a line.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
