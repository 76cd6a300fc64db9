//! Spoken answers, heard and checked on this machine: capture (a trait; a WAV source for
//! tests), the transcriber (a helper process running Whisper in CTranslate2 form), and the
//! analysis of a transcript against its story (pure).
//!
//! Optional: nothing here needs the model until a recording is transcribed, and the model and
//! its runtime are installed at run time by `rehearse speech setup` into the user's data dir.
//!
//! How a session uses it (the drill's and the mock's recording step):
//! 1. [`setup::helper_command`] (`NotSetUp` means: say once how to turn speech on) and
//!    [`transcriber::Transcriber::start`] when the answer starts, so the model loads meanwhile;
//!    [`capture::CommandRecorder::find`] + [`capture::Recorder::start`] into a temp file.
//! 2. Each Tab mark: `(section, recording.elapsed())` into a [`SectionMarks`].
//! 3. Stop: [`capture::Recording::stop`], [`audio::read_wav`] (bad audio is named; the drill
//!    goes on with self-grading), [`audio::write_wav`] the 16 kHz copy,
//!    [`transcriber::Transcriber::request`]; the loop drains [`transcriber::Transcriber::try_event`]
//!    (progress, then the transcript) and never blocks.
//! 4. [`Transcript::drop_words_after`] the last sound, [`analyse`] with the marks,
//!    [`report::render`] or a screen of its own, the suggested grade offered, the user's grade
//!    recorded, then `Store::save_spoken_answer` with the review's row
//!    (`Store::latest_review_row`) and [`capture::dispose_recording`].

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
