//! A drill session, step by step: each card is asked on the STAR timer (and, when the user
//! records it, heard: [`super::spoken`]), revealed part by part with the four next intervals,
//! graded (the review goes to the store first, with what was heard, then the session moves
//! on), and can be undone; at the end, a summary.
//!
//! ```text
//! Answering --Reveal--> Revealed --Grade--> Saving --Recorded--> Answering (next card) | Finished
//!   |  ^                   ^                   \--RecordFailed--> Revealed (grade again)
//!   |  \---- Undo (any step) --> the last card back, Answering
//!   \--Record, then Record or Reveal--> Hearing --heard--> Feedback --Reveal--> Revealed
//!                                          \--not heard: Revealed   \--Grade / Accept--> Saving
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::spoken::{Part, Spoken, SpokenAnswer, SpokenSay};
use super::{Reply, WriteProblem};
use crate::pacing::{Budgets, SectionTimes, StarTimer, seconds};
use crate::practice::answer::{full_answer, is_star};
use crate::speech::ear::Speech;
use crate::srs::{
    AnswerPart, CardId, DrillCard, DrillMode, DrillSession, Grade, GradeCounts, Preview, Progress,
    Review, ReviewKind, Scope, Timing, format_interval,
};
use crate::store::SessionId;
use crate::story::Story;

/// What a drill is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillInput {
    /// The next STAR section is being spoken.
    NextSection,
    /// Reveal the answer, then its next part.
    Reveal,
    Grade(Grade),
    Undo,
    /// Time passed: the clock on screen may need redrawing, what was heard comes in.
    Tick,
    /// Start recording the answer; again, stop it (the answer is over).
    Record,
    /// Grade as the feedback on the spoken answer suggests.
    AcceptSuggested,
}

/// Where the drill is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillStep {
    /// The question, the clock running (and the answer being recorded, if the user asked).
    Answering,
    /// The recorded answer is being heard.
    Hearing,
    /// What was heard, checked against the story, with a suggested grade.
    Feedback,
    /// The answer shown (some of its parts), the grades with their intervals.
    Revealed,
    /// A grade or an undo waits for the store.
    Saving,
    /// No card left.
    Finished,
}

/// What the store must do for the drill.
#[derive(Debug, Clone, PartialEq)]
pub enum DrillWrite {
    /// Store a graded review (durable before the next card).
    Record {
        review: Box<Review>,
        session: Option<SessionId>,
        /// The answer as heard, kept with the review.
        spoken: Option<Box<SpokenAnswer>>,
    },
    /// Delete a stored review and put its card's schedule back.
    Undo(Box<Review>),
    /// Mark the session row finished.
    Finish(SessionId),
}

/// How a [`DrillWrite`] went.
#[derive(Debug, Clone, PartialEq)]
pub enum DrillWritten {
    /// The review as stored (regraded from the stored state if another window moved it).
    Recorded(Review),
    RecordFailed {
        review: Review,
        problem: WriteProblem,
    },
    Undone(Review),
    UndoFailed {
        review: Review,
        problem: WriteProblem,
    },
    Finished,
    FinishFailed(String),
}

/// What to tell the user after an input; `Display` is the text.
#[derive(Debug, Clone, PartialEq)]
pub enum DrillSay {
    /// `saved: Good (next in 3d)`, and whether the grade made the card a leech.
    Saved {
        review: Review,
        leech: bool,
    },
    /// `undone: Good on story#key`.
    Undone(Review),
    NothingToUndo,
    /// A grade before the reveal.
    RevealFirst,
    /// The grade was not stored; the card stays (the front end adds how to retry).
    NotSaved {
        grade: Grade,
        problem: WriteProblem,
    },
    UndoFailed {
        review: Review,
        problem: WriteProblem,
    },
    /// The next intervals could not be worked out (the scheduler failed).
    NoPreview(String),
    /// The session row could not be closed (every review is stored already).
    NotClosed(String),
    /// The recording and hearing of the answer.
    Spoken(SpokenSay),
    /// A grade while the answer is still being heard.
    StillHearing,
    /// Take the suggested grade, with no feedback to take it from.
    NoSuggestion,
}

impl DrillSay {
    /// Said as an error (the card did not move on as asked).
    pub fn is_error(&self) -> bool {
        match self {
            DrillSay::Saved { .. } | DrillSay::Undone(_) => false,
            DrillSay::Spoken(said) => said.is_error(),
            _ => true,
        }
    }
}

impl fmt::Display for DrillSay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DrillSay::Saved { review, leech } => {
                f.write_str(&saved_text(review))?;
                if *leech {
                    write!(
                        f,
                        "; leech: forgotten {} times, the story probably needs rewriting",
                        review.after.lapses
                    )?;
                }
                Ok(())
            }
            DrillSay::Undone(review) => write!(f, "undone: {} on {}", review.grade, review.card),
            DrillSay::NothingToUndo => f.write_str("nothing to undo"),
            DrillSay::RevealFirst => f.write_str("reveal the answer first"),
            DrillSay::NotSaved { problem, .. } => match problem {
                WriteProblem::Busy => {
                    f.write_str("NOT saved: the database is locked by another process")
                }
                WriteProblem::Missing(path) => write!(
                    f,
                    "the review was NOT saved: the database {path} is gone (deleted or moved \
                     while rehearse ran); the card stays here. Quit and start rehearse again to \
                     create a new one"
                ),
                WriteProblem::Other(error) => {
                    write!(f, "the review was NOT saved: {error}; the card stays here")
                }
            },
            DrillSay::UndoFailed { review, problem } => write!(
                f,
                "undo failed: {problem}; the {} on {} stays saved",
                review.grade, review.card
            ),
            DrillSay::NoPreview(error) => f.write_str(error),
            DrillSay::NotClosed(error) => write!(f, "closing the session: {error}"),
            DrillSay::Spoken(said) => write!(f, "{said}"),
            DrillSay::StillHearing => {
                f.write_str("still hearing your answer: its feedback comes before the grade")
            }
            DrillSay::NoSuggestion => {
                f.write_str("no spoken answer was heard to suggest a grade: grade it 1-4")
            }
        }
    }
}

/// What an input did (see [`Reply`]).
pub type DrillReply = Reply<DrillSay, DrillWrite>;

/// One answered card, for the end-of-session summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub card: CardId,
    pub prompt: String,
    pub grade: Grade,
    pub answer: Option<Duration>,
    /// Whether the STAR pacing bar applied (question cards of STAR stories).
    pub paced: bool,
    pub sections: SectionTimes,
}

/// The card being asked: what its reveal shows and its clock.
#[derive(Debug, Clone)]
struct Asking {
    parts: Vec<AnswerPart>,
    star: bool,
    timer: StarTimer,
    /// The answer is over: the clock stopped, the grades can be given.
    ended: bool,
    /// Answer parts shown (0 before the reveal).
    revealed: usize,
    preview: Option<Preview>,
}

/// A drill in progress (see the module comment).
#[derive(Debug, Clone)]
pub struct Drill {
    cards: DrillSession,
    scope: Scope,
    session_id: Option<SessionId>,
    budgets: Budgets,
    stories: Arc<[Story]>,
    asking: Asking,
    saving: bool,
    answered: Vec<Answered>,
    /// Whole seconds of the clock as last shown (a tick redraws only when it changes).
    shown_second: u64,
    spoken: Spoken,
}

impl Drill {
    /// A drill over `cards`, its first card asked from `now`.
    pub fn new(
        cards: DrillSession,
        scope: Scope,
        session_id: Option<SessionId>,
        stories: Arc<[Story]>,
        budgets: Budgets,
        now: Timestamp,
    ) -> Drill {
        let mut drill = Drill {
            cards,
            scope,
            session_id,
            budgets,
            stories,
            asking: Asking {
                parts: Vec::new(),
                star: false,
                timer: StarTimer::start(now),
                ended: false,
                revealed: 0,
                preview: None,
            },
            saving: false,
            answered: Vec::new(),
            shown_second: 0,
            spoken: Spoken::default(),
        };
        drill.ask(now);
        drill
    }

    /// Records and hears answers with `speech` (see [`super::spoken`]).
    pub fn with_speech(mut self, speech: Speech) -> Drill {
        self.spoken = Spoken::new(speech);
        self
    }

    /// How to turn speech on, once per session where it is off (front ends say it at the
    /// start).
    pub fn speech_note(&mut self) -> Option<DrillSay> {
        self.spoken.note().map(DrillSay::Spoken)
    }

    /// The current card's reveal and clock, from `now`.
    fn ask(&mut self, now: Timestamp) {
        let card = self.cards.current().map(|c| Arc::clone(&c.card));
        let story = card
            .as_ref()
            .and_then(|c| self.stories.iter().find(|s| s.id() == c.id.story_id));
        self.asking = Asking {
            parts: card
                .as_ref()
                .map(|c| full_answer(c, story))
                .unwrap_or_default(),
            star: card.as_ref().is_some_and(|c| is_star(c, story)),
            timer: StarTimer::start(now),
            ended: false,
            revealed: 0,
            preview: None,
        };
        self.shown_second = 0;
        self.spoken.reset();
    }

    /// The current card's story, if it has one (a mock's pick card has none).
    fn story(&self) -> Option<&Story> {
        let card = self.cards.current()?;
        self.stories
            .iter()
            .find(|s| s.id() == card.card.id.story_id)
    }

    /// Applies one input at `now`.
    pub fn input(&mut self, input: DrillInput, now: Timestamp) -> DrillReply {
        if input == DrillInput::Tick {
            return self.tick(now);
        }
        // Undo still works once the last card is graded: it brings that card back.
        if self.saving || (self.cards.current().is_none() && input != DrillInput::Undo) {
            return DrillReply::default();
        }
        match input {
            DrillInput::NextSection => {
                if self.asking.star && !self.asking.ended && self.asking.timer.next_section(now) {
                    self.spoken.mark(self.asking.timer.section(), now);
                }
                DrillReply::changed()
            }
            DrillInput::Reveal => self.reveal(now),
            DrillInput::Grade(grade) => self.grade(grade, now),
            DrillInput::AcceptSuggested => match self.spoken.suggested() {
                Some(grade) => self.grade(grade, now),
                None if self.spoken.is_hearing() => DrillReply::say(DrillSay::StillHearing),
                None => DrillReply::say(DrillSay::NoSuggestion),
            },
            DrillInput::Record => self.record(now),
            DrillInput::Undo => match self.cards.last_review() {
                Some(review) => {
                    self.spoken.reset();
                    self.saving = true;
                    DrillReply::write(DrillWrite::Undo(Box::new(review.clone())))
                }
                None => DrillReply::say(DrillSay::NothingToUndo),
            },
            DrillInput::Tick => DrillReply::default(),
        }
    }

    /// The record key: starts recording the answer, or (recording) ends the answer.
    fn record(&mut self, now: Timestamp) -> DrillReply {
        if self.asking.ended || !self.spoken.offered() {
            return DrillReply::default();
        }
        if self.spoken.recording().is_some() {
            return self.end_answer(now);
        }
        let Some(card) = self.cards.current() else {
            return DrillReply::default();
        };
        let (question, label) = (card.card.prompt.clone(), card.card.id.to_string());
        if self.story().is_none() {
            return DrillReply::say(DrillSay::Spoken(SpokenSay::NoStory));
        }
        let section = self.asking.star.then(|| self.asking.timer.section());
        match self
            .spoken
            .start(Part::Answer, &question, &label, section, now)
        {
            Some(said) => DrillReply::say(DrillSay::Spoken(said)),
            None => DrillReply::changed(),
        }
    }

    fn tick(&mut self, now: Timestamp) -> DrillReply {
        if self.cards.is_finished() || self.saving {
            return DrillReply::default();
        }
        let story = self.cards.current().and_then(|card| {
            self.stories
                .iter()
                .find(|s| s.id() == card.card.id.story_id)
        });
        let polled = self.spoken.poll(story, now);
        let mut reply = DrillReply {
            say: polled.say.map(DrillSay::Spoken),
            changed: polled.changed,
            ..DrillReply::default()
        };
        if polled.stopped.is_some() && polled.failed.is_none() && !self.asking.ended {
            // The recording ended by itself (too long, the source ran out): so did the answer.
            // One that failed (no microphone) leaves the answer going on, unrecorded.
            let ended = self.end_answer(now);
            reply.say = reply.say.or(ended.say);
            reply.changed = true;
        }
        if polled.failed.is_some() && self.asking.revealed == 0 && self.asking.ended {
            // Not heard: the answer is shown, to grade by hand.
            self.asking.revealed = 1;
        }
        if self.asking.timer.is_running() {
            let second = self.asking.timer.elapsed(now).as_secs();
            reply.changed |= second != self.shown_second;
            self.shown_second = second;
        }
        reply
    }

    /// The answer is over: the clock stops, the grades and their intervals are worked out, and
    /// a recording stops (it is heard from now on).
    fn end_answer(&mut self, now: Timestamp) -> DrillReply {
        let asking = &mut self.asking;
        if asking.ended {
            return DrillReply::default();
        }
        asking.timer.stop(now);
        asking.ended = true;
        self.cards.reveal();
        let recorded = self.spoken.stop(now).is_some();
        if !recorded {
            self.asking.revealed = 1;
        }
        match self.cards.preview(now) {
            Ok(preview) => self.asking.preview = preview,
            Err(e) => return DrillReply::say(DrillSay::NoPreview(e.to_string())),
        }
        DrillReply::changed()
    }

    fn reveal(&mut self, now: Timestamp) -> DrillReply {
        if !self.asking.ended {
            return self.end_answer(now);
        }
        if self.spoken.is_hearing() && self.asking.revealed == 0 {
            return DrillReply::say(DrillSay::StillHearing);
        }
        let asking = &mut self.asking;
        if asking.revealed < asking.parts.len().max(1) {
            asking.revealed += 1;
        }
        DrillReply::changed()
    }

    fn grade(&mut self, grade: Grade, now: Timestamp) -> DrillReply {
        if !self.asking.ended {
            return DrillReply::say(DrillSay::RevealFirst);
        }
        if self.spoken.is_hearing() {
            return DrillReply::say(DrillSay::StillHearing);
        }
        let time = self.asking.timer.time(now);
        let timing = Timing {
            answer: Some(time.total),
            sections: if self.asking.star {
                time.sections
            } else {
                SectionTimes::default()
            },
        };
        match self.cards.review(grade, now, timing) {
            Ok(review) => {
                self.saving = true;
                DrillReply::write(DrillWrite::Record {
                    review: Box::new(review),
                    session: self.session_id,
                    spoken: self.spoken.heard(Part::Answer).cloned().map(Box::new),
                })
            }
            Err(e) => DrillReply::say(DrillSay::NoPreview(e.to_string())),
        }
    }

    /// Closes the session: the write that marks its row finished (none without a row, or
    /// when already closed).
    pub fn close(&mut self) -> Option<DrillWrite> {
        self.session_id.take().map(DrillWrite::Finish)
    }

    /// The store's answer to a [`DrillWrite`], at `now`.
    pub fn written(&mut self, outcome: DrillWritten, now: Timestamp) -> DrillReply {
        match outcome {
            DrillWritten::Recorded(review) => self.recorded(review, now),
            DrillWritten::RecordFailed { review, problem } => {
                self.saving = false;
                DrillReply::say(DrillSay::NotSaved {
                    grade: review.grade,
                    problem,
                })
            }
            DrillWritten::Undone(review) => self.undone(review, now),
            DrillWritten::UndoFailed { review, problem } => {
                self.saving = false;
                DrillReply::say(DrillSay::UndoFailed { review, problem })
            }
            DrillWritten::Finished => DrillReply::default(),
            DrillWritten::FinishFailed(error) => DrillReply::say(DrillSay::NotClosed(error)),
        }
    }

    /// The store has the review: the session moves on to the next card.
    fn recorded(&mut self, review: Review, now: Timestamp) -> DrillReply {
        self.saving = false;
        let Some(current) = self.cards.current() else {
            return DrillReply::default();
        };
        if current.card.id != review.card {
            return DrillReply::default();
        }
        self.answered.push(Answered {
            card: review.card.clone(),
            prompt: current.card.prompt.clone(),
            grade: review.grade,
            answer: review.timing.answer,
            paced: self.asking.star,
            sections: review.timing.sections,
        });
        let scheduler = self.cards.scheduler();
        let leech = scheduler.is_leech(&review.after) && !scheduler.is_leech(&review.before);
        self.cards.commit(review.clone());
        self.ask(now);
        DrillReply::say(DrillSay::Saved { review, leech })
    }

    /// The store deleted the review: its card is asked again.
    fn undone(&mut self, review: Review, now: Timestamp) -> DrillReply {
        self.saving = false;
        if self.cards.last_review() != Some(&review) {
            return DrillReply::default();
        }
        self.cards.undo();
        self.answered.pop();
        self.ask(now);
        DrillReply::say(DrillSay::Undone(review))
    }

    pub fn step(&self) -> DrillStep {
        if self.saving {
            DrillStep::Saving
        } else if self.cards.is_finished() {
            DrillStep::Finished
        } else if !self.asking.ended {
            DrillStep::Answering
        } else if self.asking.revealed > 0 {
            DrillStep::Revealed
        } else if self.spoken.is_hearing() {
            DrillStep::Hearing
        } else {
            DrillStep::Feedback
        }
    }

    /// The answer's recording, hearing and feedback.
    pub fn spoken(&self) -> &Spoken {
        &self.spoken
    }

    pub fn current(&self) -> Option<&DrillCard> {
        self.cards.current()
    }

    /// The queue as the scheduler sees it (read only: inputs move it).
    pub fn queue(&self) -> &DrillSession {
        &self.cards
    }

    pub fn is_finished(&self) -> bool {
        self.cards.is_finished()
    }

    pub fn mode(&self) -> DrillMode {
        self.cards.mode()
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn session_id(&self) -> Option<SessionId> {
        self.session_id
    }

    pub fn progress(&self) -> Progress {
        self.cards.progress()
    }

    pub fn budgets(&self) -> Budgets {
        self.budgets
    }

    /// What the reveal shows for the current card: its full answer, part by part.
    pub fn parts(&self) -> &[AnswerPart] {
        &self.asking.parts
    }

    /// Parts shown so far (0 before the reveal).
    pub fn revealed(&self) -> usize {
        self.asking.revealed
    }

    /// What each grade does to the current card, once revealed.
    pub fn preview(&self) -> Option<&Preview> {
        self.asking.preview.as_ref()
    }

    /// The STAR pacing bar applies to the current card (a question about a STAR story).
    pub fn paced(&self) -> bool {
        self.asking.star && self.cards.current().is_some()
    }

    /// The current card's clock (stopped at the reveal).
    pub fn timer(&self) -> &StarTimer {
        &self.asking.timer
    }

    /// Whether the clock on screen is running (or an answer is being heard: its progress).
    pub fn clock_running(&self) -> bool {
        (self.asking.timer.is_running() || self.spoken.is_hearing()) && !self.cards.is_finished()
    }

    /// The cards answered so far, oldest first.
    pub fn answered(&self) -> &[Answered] {
        &self.answered
    }

    /// The end-of-session numbers.
    pub fn summary(&self) -> DrillSummary {
        let paced: Vec<&Answered> = self.answered.iter().filter(|a| a.paced).collect();
        let mut overran = crate::pacing::PerSection::<usize>::default();
        for answered in &paced {
            for (section, time) in answered.sections.iter() {
                if time.is_some_and(|t| t > self.budgets.get(section)) {
                    overran.set(section, overran.get(section) + 1);
                }
            }
        }
        DrillSummary {
            counts: self.cards.grade_counts(),
            average: average(self.answered.iter().filter_map(|a| a.answer)),
            average_story: average(paced.iter().filter_map(|a| a.answer)),
            overran,
            left: self.cards.progress().remaining,
        }
    }
}

/// A drill's end: the grades, the times, what is left.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillSummary {
    pub counts: GradeCounts,
    /// Per answer, every card.
    pub average: Option<Duration>,
    /// Per answer told as a STAR story (the pacing bar's cards).
    pub average_story: Option<Duration>,
    /// How many STAR answers overran each section's budget.
    pub overran: crate::pacing::PerSection<usize>,
    /// Cards not reached.
    pub left: usize,
}

/// `Session over: 3 graded (Again 0, Hard 1, Good 2, Easy 0), 12 s per answer on average.`,
/// then the cards left for later.
impl fmt::Display for DrillSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Session over: {} graded ({})",
            self.counts.total(),
            self.counts
        )?;
        if let Some(average) = self.average {
            write!(f, ", {} per answer on average", seconds(average))?;
        }
        f.write_str(".")?;
        if self.left > 0 {
            write!(f, "\n{} card(s) left for later.", self.left)?;
        }
        Ok(())
    }
}

fn average(times: impl Iterator<Item = Duration>) -> Option<Duration> {
    let times: Vec<Duration> = times.collect();
    let count = u32::try_from(times.len()).ok().filter(|n| *n > 0)?;
    Some(times.iter().sum::<Duration>() / count)
}

/// `saved: Good (next in 3d)`, or `(schedule unchanged)` for practice ahead.
pub fn saved_text(review: &Review) -> String {
    let next = if review.kind == ReviewKind::Cram {
        "schedule unchanged".to_owned()
    } else {
        format!(
            "next in {}",
            format_interval(review.after.due.duration_since(review.reviewed_at))
        )
    };
    format!("saved: {} ({next})", review.grade)
}
