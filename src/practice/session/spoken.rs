//! The spoken answer, a step both sessions share: one key starts recording while the user
//! answers and stops it; the STAR marks made meanwhile are placed on the recording's timeline;
//! the take is heard in the background (the ear reports on each clock tick, so no front end
//! ever waits); once heard, it is checked against the story and its feedback, with a suggested
//! grade, is what the session shows before the grade. The grade stays the user's: the
//! suggestion is taken only when they say so.
//!
//! Where speech is not set up, the session says once how to turn it on; where there is no
//! microphone, or the take cannot be heard, it says so and the session goes on with the user
//! grading themselves.

use std::fmt;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;

use crate::pacing::since;
use crate::speech::audio::MAX_SECONDS;
use crate::speech::ear::{Ear, Heard, Speech, Take};
use crate::speech::{Feedback, SectionMarks, Transcript, analyse};
use crate::srs::Grade;
use crate::store::{NewSpokenAnswer, SpokenOrigin, SpokenPart};
use crate::story::{SectionKind, Story};

/// Which part of a question a take answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Answer,
    /// A mock's follow-up question (its index among the probes).
    Probe(usize),
}

/// A take being recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub take: Take,
    pub part: Part,
    pub question: String,
    pub started: Timestamp,
    /// Where each STAR section began, in seconds from the recording's start.
    pub marks: SectionMarks,
}

/// A take recorded and being heard.
#[derive(Debug, Clone, PartialEq)]
pub struct Hearing {
    pub take: Take,
    pub part: Part,
    pub question: String,
    pub started: Timestamp,
    pub marks: SectionMarks,
    /// Seconds heard so far, of those recorded.
    pub heard: f64,
    pub recorded: f64,
}

/// A take heard and checked against its story.
#[derive(Debug, Clone, PartialEq)]
pub struct SpokenAnswer {
    pub part: Part,
    pub question: String,
    pub recorded_at: Timestamp,
    /// The model that heard it.
    pub model: String,
    pub transcript: Transcript,
    pub feedback: Feedback,
}

impl SpokenAnswer {
    /// As the store keeps it, belonging to `origin`.
    pub fn to_store(&self, origin: SpokenOrigin) -> NewSpokenAnswer<'_> {
        NewSpokenAnswer {
            recorded_at: self.recorded_at,
            origin,
            part: match self.part {
                Part::Answer => SpokenPart::Answer,
                Part::Probe(_) => SpokenPart::Probe,
            },
            question: Some(&self.question),
            model: &self.model,
            transcript: &self.transcript,
            feedback: &self.feedback,
        }
    }
}

/// What the spoken step says; `Display` is the text.
#[derive(Debug, Clone, PartialEq)]
pub enum SpokenSay {
    /// Speech is not set up here: how to turn it on.
    NotSetUp(String),
    /// The answer is not being recorded (no microphone, no recording tool); it goes on.
    NotRecorded(String),
    /// The take could not be heard: the user grades it themselves.
    NotHeard(String),
    /// The recording reached the longest answer and was stopped.
    TooLong,
    /// This card has no story to check an answer against.
    NoStory,
    /// The answer was heard: its feedback is shown, with a suggested grade.
    Heard { part: Part, suggested: Grade },
}

impl SpokenSay {
    pub fn is_error(&self) -> bool {
        !matches!(self, SpokenSay::Heard { .. } | SpokenSay::TooLong)
    }
}

impl fmt::Display for SpokenSay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpokenSay::NotSetUp(hint) => f.write_str(hint),
            SpokenSay::NotRecorded(why) => {
                write!(f, "not recording: {why}; answer on, and grade it yourself")
            }
            SpokenSay::NotHeard(why) => {
                write!(f, "your answer was not heard: {why}; grade it yourself")
            }
            SpokenSay::TooLong => write!(
                f,
                "recording stopped at {} minutes, the longest answer",
                MAX_SECONDS / 60.0
            ),
            SpokenSay::NoStory => {
                f.write_str("this card has no story of its own to check a spoken answer against")
            }
            SpokenSay::Heard {
                part: Part::Answer,
                suggested,
            } => write!(f, "heard: the feedback suggests {suggested}"),
            SpokenSay::Heard {
                part: Part::Probe(index),
                ..
            } => write!(f, "heard your answer to probe {}", index + 1),
        }
    }
}

/// What a clock tick brought.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Polled {
    /// Something on screen changed (progress, a transcript).
    pub changed: bool,
    pub say: Option<SpokenSay>,
    /// A take's recording ended by itself (too long, no microphone, the source ran out).
    pub stopped: Option<Part>,
    /// A take that could not be heard (the session lets the user grade it).
    pub failed: Option<Part>,
}

/// The session's ear, shared by its clones (a session is cloned to be shown, never to record
/// twice).
#[derive(Clone)]
struct SharedEar(Arc<Mutex<Box<dyn Ear>>>);

impl SharedEar {
    fn with<T>(&self, f: impl FnOnce(&mut dyn Ear) -> T) -> T {
        let mut ear = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(ear.as_mut())
    }
}

/// The spoken answers of a session's current question (see the module comment).
#[derive(Clone)]
pub struct Spoken {
    speech: Speech,
    ear: Option<SharedEar>,
    noted: bool,
    next_take: Take,
    recording: Option<Recording>,
    hearing: Vec<Hearing>,
    heard: Vec<SpokenAnswer>,
}

impl fmt::Debug for Spoken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spoken")
            .field("speech", &self.speech)
            .field("recording", &self.recording)
            .field("hearing", &self.hearing)
            .field("heard", &self.heard)
            .finish_non_exhaustive()
    }
}

impl Default for Spoken {
    fn default() -> Self {
        Spoken::new(Speech::Absent)
    }
}

impl Spoken {
    pub fn new(speech: Speech) -> Spoken {
        Spoken {
            speech,
            ear: None,
            noted: false,
            next_take: 1,
            recording: None,
            hearing: Vec::new(),
            heard: Vec::new(),
        }
    }

    /// How to turn speech on, the first time it is asked for in a session where it is off.
    pub fn note(&mut self) -> Option<SpokenSay> {
        match &self.speech {
            Speech::Off(hint) if !self.noted => {
                self.noted = true;
                Some(SpokenSay::NotSetUp(hint.clone()))
            }
            _ => None,
        }
    }

    /// Whether answers can be recorded here.
    pub fn available(&self) -> bool {
        matches!(self.speech, Speech::Ready(_))
    }

    /// Whether the recording key does anything here (shown in the keys only then).
    pub fn offered(&self) -> bool {
        !matches!(self.speech, Speech::Absent)
    }

    /// Starts recording `part` of `question`; `section` is the STAR section being spoken (its
    /// mark is the recording's start). What to say when it cannot.
    pub fn start(
        &mut self,
        part: Part,
        question: &str,
        label: &str,
        section: Option<SectionKind>,
        now: Timestamp,
    ) -> Option<SpokenSay> {
        let make = match &self.speech {
            Speech::Absent => return None,
            Speech::Off(hint) => return Some(SpokenSay::NotSetUp(hint.clone())),
            Speech::Ready(make) => make,
        };
        if self.recording.is_some() {
            return None;
        }
        let ear = self
            .ear
            .get_or_insert_with(|| SharedEar(Arc::new(Mutex::new(make()))))
            .clone();
        let take = self.next_take;
        self.next_take += 1;
        if let Err(why) = ear.with(|ear| ear.start(take, label)) {
            return Some(SpokenSay::NotRecorded(why));
        }
        self.recording = Some(Recording {
            take,
            part,
            question: question.to_owned(),
            started: now,
            marks: SectionMarks {
                starts: section.map(|s| (s, 0.0)).into_iter().collect(),
            },
        });
        None
    }

    /// A STAR section began: marked on the recording's timeline.
    pub fn mark(&mut self, section: SectionKind, now: Timestamp) {
        if let Some(recording) = self.recording.as_mut() {
            let at = since(recording.started, now).as_secs_f64();
            recording.marks.starts.push((section, at));
        }
    }

    /// Stops the recording (if any); it is heard from now on. Which part it was.
    pub fn stop(&mut self, now: Timestamp) -> Option<Part> {
        let recording = self.recording.take()?;
        if let Some(ear) = &self.ear {
            ear.with(|ear| ear.stop(recording.take));
        }
        let part = recording.part;
        let mut marks = recording.marks;
        // One section's start alone says nothing of the pace per section: not paced.
        if marks.starts.len() < 2 {
            marks.starts.clear();
        }
        self.hearing.push(Hearing {
            take: recording.take,
            part,
            question: recording.question,
            heard: 0.0,
            recorded: since(recording.started, now).as_secs_f64(),
            started: recording.started,
            marks,
        });
        Some(part)
    }

    /// Drops every take of the current question (a new question, an undo, leaving).
    pub fn reset(&mut self) {
        let takes: Vec<Take> = self
            .recording
            .take()
            .map(|r| r.take)
            .into_iter()
            .chain(self.hearing.drain(..).map(|h| h.take))
            .collect();
        if let Some(ear) = &self.ear {
            ear.with(|ear| takes.iter().for_each(|take| ear.cancel(*take)));
        }
        self.heard.clear();
    }

    /// Takes what the ear heard since the last tick; a take heard is checked against `story`.
    pub fn poll(&mut self, story: Option<&Story>, now: Timestamp) -> Polled {
        let mut polled = Polled::default();
        if let Some(recording) = &self.recording
            && since(recording.started, now).as_secs_f64() >= MAX_SECONDS
        {
            polled.stopped = self.stop(now);
            polled.say = Some(SpokenSay::TooLong);
            polled.changed = true;
        }
        let Some(ear) = self.ear.clone() else {
            return polled;
        };
        while let Some(heard) = ear.with(|ear| ear.poll()) {
            self.heard_event(heard, story, now, &mut polled);
        }
        polled
    }

    fn heard_event(
        &mut self,
        heard: Heard,
        story: Option<&Story>,
        now: Timestamp,
        polled: &mut Polled,
    ) {
        let take = heard.take();
        // A recording that ended by itself (the source ran out, or failed) is being heard.
        if !matches!(heard, Heard::Progress { .. })
            && self.recording.as_ref().is_some_and(|r| r.take == take)
        {
            polled.stopped = self.stop(now);
        }
        let Some(at) = self.hearing.iter().position(|h| h.take == take) else {
            return;
        };
        polled.changed = true;
        match heard {
            Heard::Progress {
                heard, recorded, ..
            } => {
                // Reports made while recording may come in late: the figures only grow.
                let hearing = &mut self.hearing[at];
                hearing.heard = hearing.heard.max(heard);
                hearing.recorded = hearing.recorded.max(recorded);
            }
            Heard::Transcript {
                transcript, model, ..
            } => {
                let hearing = self.hearing.remove(at);
                let Some(story) = story else {
                    return;
                };
                let feedback = analyse(story, &transcript, &hearing.marks);
                polled.say = Some(SpokenSay::Heard {
                    part: hearing.part,
                    suggested: feedback.suggested_grade,
                });
                self.heard.push(SpokenAnswer {
                    part: hearing.part,
                    question: hearing.question,
                    recorded_at: hearing.started,
                    model,
                    transcript,
                    feedback,
                });
            }
            Heard::Failed { message, .. } => {
                let hearing = self.hearing.remove(at);
                polled.failed = Some(hearing.part);
                polled.say = Some(if polled.stopped.is_some() {
                    SpokenSay::NotRecorded(message)
                } else {
                    SpokenSay::NotHeard(message)
                });
            }
        }
    }

    pub fn recording(&self) -> Option<&Recording> {
        self.recording.as_ref()
    }

    /// Seconds recorded so far (0 when not recording).
    pub fn recorded(&self, now: Timestamp) -> f64 {
        self.recording
            .as_ref()
            .map_or(0.0, |r| since(r.started, now).as_secs_f64())
    }

    /// The take of `part` being heard.
    pub fn hearing(&self, part: Part) -> Option<&Hearing> {
        self.hearing.iter().find(|h| h.part == part)
    }

    /// Whether any take is still being heard.
    pub fn is_hearing(&self) -> bool {
        !self.hearing.is_empty()
    }

    /// `part` as heard and checked.
    pub fn heard(&self, part: Part) -> Option<&SpokenAnswer> {
        self.heard.iter().find(|h| h.part == part)
    }

    /// Every take heard for the current question, in the order they were heard.
    pub fn all_heard(&self) -> &[SpokenAnswer] {
        &self.heard
    }

    /// The grade the answer's feedback suggests.
    pub fn suggested(&self) -> Option<Grade> {
        self.heard(Part::Answer).map(|h| h.feedback.suggested_grade)
    }
}
