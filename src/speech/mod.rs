//! Spoken answers, heard and checked on this machine: capture (a trait; a WAV source for
//! tests), the transcriber (a helper process running Whisper in CTranslate2 form), and the
//! analysis of a transcript against its story (pure).
//!
//! Optional: nothing here needs the model until a recording is transcribed, and the model and
//! its runtime are installed at run time by `rehearse speech setup` into the user's data dir.

pub mod analysis;
pub mod audio;
pub mod capture;
pub mod listen;
pub mod model;
pub mod progress;
pub mod report;
pub mod setup;
pub mod transcriber;
pub mod transcript;

pub use analysis::{Feedback, Mark, analyse};
pub use transcript::{SectionMarks, Transcript, Word};
