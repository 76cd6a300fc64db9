//! The mock interview's core, without a screen: an unseen question from the bank, the pick of
//! a story, the timed answer, the probes, the self-check, the grade and the report; and the
//! ranking of a job description's competencies (`rehearse job`).
//!
//! No terminal, no SQL and no clock reads here: time comes in as arguments (the front ends
//! read the practice core's [`crate::practice::Clock`]), randomness through a seeded generator ([`draw::rng`]), what the user is weak at
//! through [`draw::Weakness`]. The CLI (`rehearse mock --plain`) and, later, the TUI drive it.
//!
//! - [`words`]: tokens and light stemming shared by the job matching and the pick feedback.
//! - [`job`]: reading a job description and ranking the bank's competencies by it.
//! - [`bank`]: the bank's questions as the mock asks them; loading a bank from a file.
//! - [`draw`]: weights per competency and the seeded draw of a session's questions.
//! - [`pick`]: the short list, reading a pick, and the feedback on it.
//! - [`probes`]: follow-up questions for the picked story ([`probes::ProbeSource`]).
//! - [`answer`]: the self-check and one graded answer (timed on [`crate::pacing`]).
//! - [`pick_card`]: the pick as a reviewable card ("which story answers: ...?").
//! - [`session`]: one run, question by question, for any front end.
//! - [`stored`]: a session as it is kept (setup, id, graded answers).
//! - [`report`]: the session report and the trend across sessions, as Markdown.

pub mod answer;
pub mod bank;
pub mod draw;
pub mod job;
pub mod pick;
pub mod pick_card;
pub mod probes;
pub mod report;
pub mod session;
pub mod stored;
pub mod words;

#[cfg(test)]
pub(crate) mod testing;
