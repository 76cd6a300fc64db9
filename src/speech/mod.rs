//! Spoken answers, heard and checked on this machine: capture (a trait; a WAV source for
//! tests), the transcriber (a helper process running Whisper in CTranslate2 form), and the
//! analysis of a transcript against its story (pure).
//!
//! Optional: nothing here needs the model until a recording is transcribed, and the model and
//! its runtime are installed at run time by `rehearse speech setup` into the user's data dir.
//!
//! - [`ear`]: what a practice session records and hears with ([`ear::Ear`], one take at a
//!   time, reporting through a poll), and [`ear::Speech`], whether a session has one;
//! - [`live`]: the real ear: [`capture`] streams the recording, [`stretch`] cuts it at pauses
//!   while it goes on, [`transcriber`] hears each stretch, so only the last one is left when
//!   the speaker stops;
//! - [`setup`]: where the environment lives and how to start the helper; [`model`] checks a
//!   model folder;
//! - [`audio`]: WAV files in and out; [`listen`]: one file heard (`rehearse listen`);
//! - [`analysis`]: the feedback against the story; [`report`] writes it as text;
//!   [`progress`]: how a story's spoken answers moved over the attempts.
//!
//! The sessions' recording and feedback step is [`crate::practice::session::spoken`].

pub mod analysis;
pub mod audio;
pub mod capture;
pub mod ear;
pub mod listen;
pub mod live;
pub mod model;
pub mod progress;
pub mod report;
pub mod setup;
pub mod stretch;
pub mod transcriber;
pub mod transcript;

pub use analysis::{Feedback, Mark, analyse};
pub use transcript::{SectionMarks, Transcript, Word};
