//! What a practice session records and hears with: an [`Ear`] records one answer at a time (a
//! take) and hears it in the background, reporting through [`Ear::poll`], so the session's
//! loop never waits on the model. The real one is [`super::live::LiveEar`] (a recorder and the
//! transcriber helper); the sessions' tests use a scripted one.

use super::transcript::Transcript;

/// One recorded answer, numbered by the session.
pub type Take = u64;

/// What an ear reports about a take.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// `heard` seconds of the `recorded` so far have been transcribed.
    Progress {
        take: Take,
        heard: f64,
        recorded: f64,
    },
    /// The whole take, transcribed (words made up from silence already dropped).
    Transcript {
        take: Take,
        transcript: Transcript,
        /// The model's name (tiny.en, small.en, ...), kept with the answer.
        model: String,
    },
    /// The take could not be recorded or heard (no microphone, silence, the helper failed);
    /// the message is for the user. The session goes on without it.
    Failed { take: Take, message: String },
}

impl Heard {
    pub fn take(&self) -> Take {
        match self {
            Heard::Progress { take, .. }
            | Heard::Transcript { take, .. }
            | Heard::Failed { take, .. } => *take,
        }
    }
}

/// Records answers and hears them. Every call returns at once: the recording and the
/// transcription run elsewhere and report through [`Ear::poll`].
pub trait Ear: Send {
    /// Starts recording take `take`; `label` names a recording that is kept (`[speech]
    /// keep_audio`). An error is for the user (no recording tool).
    fn start(&mut self, take: Take, label: &str) -> Result<(), String>;
    /// Ends the recording of `take`; its transcript follows through [`Ear::poll`].
    fn stop(&mut self, take: Take);
    /// Drops `take`: its recording stops, nothing more is reported about it.
    fn cancel(&mut self, take: Take);
    /// What was heard since the last call, if anything.
    fn poll(&mut self) -> Option<Heard>;
}

/// How a session gets its ear, and what it says when there is none.
#[derive(Clone, Default)]
pub enum Speech {
    /// Not part of this session (scripts, tests): no recording, nothing said.
    #[default]
    Absent,
    /// Not set up here: how to turn it on, said once per session.
    Off(String),
    /// Ready: makes the session's ear when it first records (so a session that never records
    /// starts nothing).
    Ready(std::sync::Arc<dyn Fn() -> Box<dyn Ear> + Send + Sync>),
}

impl std::fmt::Debug for Speech {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Speech::Absent => f.write_str("Speech::Absent"),
            Speech::Off(hint) => write!(f, "Speech::Off({hint:?})"),
            Speech::Ready(_) => f.write_str("Speech::Ready"),
        }
    }
}

/// An ear that replays what a test scripted: each take's events come back in order, one per
/// [`Ear::poll`], once the take is stopped (a `Failed` scripted first comes while recording:
/// no microphone).
#[cfg(test)]
pub mod scripted {
    use std::collections::{BTreeMap, VecDeque};
    use std::sync::{Arc, Mutex};

    use super::*;

    /// What the ear was asked, for the test to check.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Call {
        Start(Take, String),
        Stop(Take),
        Cancel(Take),
    }

    #[derive(Default)]
    pub struct Script {
        /// Per take (in the order takes start), what is heard.
        pub takes: VecDeque<Vec<Heard>>,
        /// Refuse to start with this message.
        pub refuse: Option<String>,
        pub calls: Vec<Call>,
    }

    pub struct ScriptedEar {
        script: Arc<Mutex<Script>>,
        pending: BTreeMap<Take, Vec<Heard>>,
        ready: VecDeque<Heard>,
    }

    /// A [`Speech::Ready`] whose ears replay `script` (shared, so the test reads the calls).
    pub fn speech(script: Arc<Mutex<Script>>) -> Speech {
        Speech::Ready(Arc::new(move || {
            Box::new(ScriptedEar {
                script: Arc::clone(&script),
                pending: BTreeMap::new(),
                ready: VecDeque::new(),
            }) as Box<dyn Ear>
        }))
    }

    /// The events of a take heard as `transcript`: progress, then the transcript.
    pub fn heard(transcript: Transcript) -> Vec<Heard> {
        let seconds = transcript.duration;
        vec![
            Heard::Progress {
                take: 0,
                heard: seconds / 2.0,
                recorded: seconds,
            },
            Heard::Transcript {
                take: 0,
                transcript,
                model: "tiny.en".to_owned(),
            },
        ]
    }

    fn retake(event: &Heard, take: Take) -> Heard {
        match event.clone() {
            Heard::Progress {
                heard, recorded, ..
            } => Heard::Progress {
                take,
                heard,
                recorded,
            },
            Heard::Transcript {
                transcript, model, ..
            } => Heard::Transcript {
                take,
                transcript,
                model,
            },
            Heard::Failed { message, .. } => Heard::Failed { take, message },
        }
    }

    impl Ear for ScriptedEar {
        fn start(&mut self, take: Take, label: &str) -> Result<(), String> {
            let mut script = self.script.lock().unwrap();
            script.calls.push(Call::Start(take, label.to_owned()));
            if let Some(message) = script.refuse.clone() {
                return Err(message);
            }
            let events: Vec<Heard> = script
                .takes
                .pop_front()
                .unwrap_or_default()
                .iter()
                .map(|e| retake(e, take))
                .collect();
            // A failure scripted first happens while recording (no microphone).
            if let Some(failed @ Heard::Failed { .. }) = events.first() {
                self.ready.push_back(failed.clone());
                return Ok(());
            }
            self.pending.insert(take, events);
            Ok(())
        }

        fn stop(&mut self, take: Take) {
            self.script.lock().unwrap().calls.push(Call::Stop(take));
            if let Some(events) = self.pending.remove(&take) {
                self.ready.extend(events);
            }
        }

        fn cancel(&mut self, take: Take) {
            self.script.lock().unwrap().calls.push(Call::Cancel(take));
            self.pending.remove(&take);
            self.ready.retain(|e| e.take() != take);
        }

        fn poll(&mut self) -> Option<Heard> {
            self.ready.pop_front()
        }
    }
}
