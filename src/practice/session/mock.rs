//! A mock session, step by step, for both front ends: each question is shown (the pick is timed
//! from then), a story picked (or none) and judged, told on the STAR timer with the story
//! hidden until checked, probed, self-checked and graded; the graded question goes to the
//! store first, then the next one comes. Leaving in the middle of a question asks once more
//! (that question is not saved); at the end the session is closed and its report shown.
//!
//! ```text
//! Question --Next--> Pick --Pick--> Feedback --Next--> Answer --Next--> Probe* --> Check
//!     \--Pick (typed at once)--/         \--Next, none picked: graded Again--\       |
//!                                                                         Saving <--Grade
//! Saving --Recorded--> Question (next) | Saving --Finished--> Report
//! ```

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;

use super::spoken::{Part, Spoken, SpokenAnswer, SpokenSay};
use super::{Reply, capitalised};
use crate::mock::answer::{AskedProbe, CheckAnswer, CheckItem, MockAnswer, key_numbers};
use crate::mock::draw::DrawnQuestion;
use crate::mock::pick::Pick;
use crate::mock::pick_card::PickCard;
use crate::mock::probes::{Probe, StoryProbes};
use crate::mock::report::MockReport;
use crate::mock::session::{Attempt, MockRun};
use crate::mock::stored::MockSessionId;
use crate::pacing::{AnswerTime, Budgets, StarTimer, since};
use crate::speech::ear::Speech;
use crate::srs::{Grade, format_interval};
use crate::story::{SectionKind, Story};

/// Where a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockStep {
    /// The question alone: think of a story (the pick is timed from here).
    Question,
    /// Choosing: a search, a list number, an id.
    Pick,
    /// What the pick was worth; then the answer (or, for none, the next question).
    Feedback,
    /// Telling the story on the pacing timer.
    Answer,
    /// A follow-up question, timed; `answered` once the user says they are done.
    Probe { index: usize, answered: bool },
    /// The yes/no self-check, then the 1-4 grade.
    Check,
    /// Waiting for the store (a graded question, or the session's end).
    Saving,
    /// The session report (the run is over or was left).
    Report,
}

/// What a mock is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MockInput {
    /// The next step: to the pick, to the answer, end the answer, end a probe, next probe.
    Next,
    /// The story picked for the current question (or none).
    Pick(Pick),
    /// A number from the short list (0: none).
    PickNumber(usize),
    /// The next STAR section is being spoken.
    NextSection,
    /// Show or hide the picked story while answering.
    ToggleStory,
    /// The self-check item's answer.
    Check(bool),
    Grade(Grade),
    /// Leave the mock (asked twice in the middle of a question).
    Leave,
    /// Time passed: the clock on screen may need redrawing, what was heard comes in.
    Tick,
    /// Start recording the answer or the probe's answer; again, end it.
    Record,
    /// Grade as the feedback on the spoken answer suggests (after the self-check).
    AcceptSuggested,
}

/// What the store must do for the mock.
#[derive(Debug, Clone, PartialEq)]
pub enum MockWrite {
    /// Store a graded question with its pick card (durable before the next question).
    Record {
        id: MockSessionId,
        answer: Box<MockAnswer>,
        /// What was heard: the answer and the probes' answers, kept with it.
        spoken: Vec<SpokenAnswer>,
    },
    /// Close the session and make its report.
    Finish(MockSessionId),
}

/// How a [`MockWrite`] went.
#[derive(Debug, Clone, PartialEq)]
pub enum MockWritten {
    Recorded {
        answer: Box<MockAnswer>,
        card: Box<PickCard>,
    },
    RecordFailed(String),
    Finished(MockReport),
    /// The session could not be closed (every graded question is saved).
    FinishFailed(String),
}

/// What to tell the user after an input; `Display` is the text.
#[derive(Debug, Clone, PartialEq)]
pub enum MockSay {
    /// The answer's time against the budgets.
    Time {
        time: AnswerTime,
        budgets: Budgets,
    },
    LastSection,
    /// A list number that is not on the list.
    NotInList {
        number: usize,
        len: usize,
    },
    SelfCheckDone,
    CheckFirst,
    /// The graded question is stored, with its pick card's next review.
    Saved {
        position: usize,
        grade: Grade,
        pick_grade: Grade,
        /// When the pick card comes back (None without a store).
        next_in: Option<jiff::SignedDuration>,
    },
    NotSaved(String),
    /// Leaving waits for the store.
    StillSaving,
    /// Leaving now loses the question in progress: asked once more.
    ConfirmLeave {
        position: usize,
    },
    /// The session is closed.
    Over {
        answered: usize,
        questions: usize,
    },
    NotClosed(String),
    /// The recording and hearing of the answer or a probe's.
    Spoken(SpokenSay),
    /// A grade while an answer is still being heard.
    StillHearing,
    /// Take the suggested grade, with no feedback to take it from.
    NoSuggestion,
}

impl MockSay {
    /// Said as an error (the step did not move on as asked).
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            MockSay::NotInList { .. }
                | MockSay::SelfCheckDone
                | MockSay::CheckFirst
                | MockSay::NotSaved(_)
                | MockSay::StillSaving
                | MockSay::ConfirmLeave { .. }
                | MockSay::NotClosed(_)
                | MockSay::StillHearing
                | MockSay::NoSuggestion
        ) || matches!(self, MockSay::Spoken(said) if said.is_error())
    }
}

impl fmt::Display for MockSay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MockSay::Time { time, budgets } => write!(f, "Time: {}", time.against(budgets)),
            MockSay::LastSection => {
                f.write_str("Result is the last section; enter ends the answer")
            }
            MockSay::NotInList { number, len } => write!(
                f,
                "{number}: the list has numbers 1 to {len}, and 0 for none; or type to search"
            ),
            MockSay::SelfCheckDone => f.write_str("the self-check is done: grade the answer 1-4"),
            MockSay::CheckFirst => f.write_str("answer the self-check first: y or n for each item"),
            MockSay::Saved {
                position,
                grade,
                pick_grade,
                next_in,
            } => {
                write!(f, "saved: question {position} {grade}")?;
                match next_in {
                    Some(next_in) => write!(
                        f,
                        " (pick {pick_grade}, asked again in {})",
                        format_interval(*next_in)
                    ),
                    None => Ok(()),
                }
            }
            MockSay::NotSaved(error) => write!(
                f,
                "the graded question was NOT saved: {error}; it stays here, grade it again to retry"
            ),
            MockSay::StillSaving => {
                f.write_str("saving the graded question; leave once it is saved")
            }
            MockSay::ConfirmLeave { position } => write!(
                f,
                "question {position} is not graded: leave again to end the mock without it \
                 (graded ones are saved)"
            ),
            MockSay::Over {
                answered,
                questions,
            } => write!(
                f,
                "mock over: {answered} of {questions} question(s) graded and saved"
            ),
            MockSay::NotClosed(error) => write!(
                f,
                "closing the mock (every graded question is saved): {error}"
            ),
            MockSay::Spoken(said) => write!(f, "{said}"),
            MockSay::StillHearing => {
                f.write_str("still hearing what you said: its feedback comes before the grade")
            }
            MockSay::NoSuggestion => {
                f.write_str("no spoken answer was heard to suggest a grade: grade it 1-4")
            }
        }
    }
}

/// What an input did (see [`Reply`]).
pub type MockReply = Reply<MockSay, MockWrite>;

/// A mock in progress (see the module comment).
#[derive(Debug, Clone)]
pub struct Mock {
    run: MockRun<StoryProbes>,
    /// The session row; None once closed (or in tests).
    id: Option<MockSessionId>,
    seed: u64,
    budgets: Budgets,
    step: MockStep,
    /// When the current question was shown.
    asked_at: Timestamp,
    /// The short list for the current question (indices into the stories).
    list: Vec<usize>,
    /// Filled in step by step from the pick on.
    attempt: Option<Attempt>,
    timer: Option<StarTimer>,
    /// The story is shown while answering (the user asked to check).
    checking: bool,
    probes: Vec<Probe>,
    probe_started: Timestamp,
    items: Vec<CheckItem>,
    /// The picked story's key numbers, for the self-check.
    numbers: Vec<String>,
    graded: Vec<MockAnswer>,
    report: Option<MockReport>,
    /// The user asked to leave once in the middle of a question.
    leaving: bool,
    /// Whole seconds of the clock as last shown (a tick redraws only when it changes).
    shown_second: u64,
    spoken: Spoken,
}

impl Mock {
    /// A mock over `run`, its first question shown at `now`.
    pub fn new(
        run: MockRun<StoryProbes>,
        id: Option<MockSessionId>,
        seed: u64,
        budgets: Budgets,
        now: Timestamp,
    ) -> Mock {
        let mut mock = Mock {
            run,
            id,
            seed,
            budgets,
            step: MockStep::Question,
            asked_at: now,
            list: Vec::new(),
            attempt: None,
            timer: None,
            checking: false,
            probes: Vec::new(),
            probe_started: now,
            items: Vec::new(),
            numbers: Vec::new(),
            graded: Vec::new(),
            report: None,
            leaving: false,
            shown_second: 0,
            spoken: Spoken::default(),
        };
        let _ = mock.next_question(now);
        mock
    }

    /// Records and hears answers with `speech` (see [`super::spoken`]).
    pub fn with_speech(mut self, speech: Speech) -> Mock {
        self.spoken = Spoken::new(speech);
        self
    }

    /// How to turn speech on, once per session where it is off (front ends say it at the
    /// start).
    pub fn speech_note(&mut self) -> Option<MockSay> {
        self.spoken.note().map(MockSay::Spoken)
    }

    /// Shows the run's current question, or closes the session after the last one.
    fn next_question(&mut self, now: Timestamp) -> Option<MockWrite> {
        if self.run.current().is_none() {
            return self.finish();
        }
        self.list = self.run.short_list();
        self.step = MockStep::Question;
        self.asked_at = now;
        self.attempt = None;
        self.timer = None;
        self.checking = false;
        self.probes.clear();
        self.items.clear();
        self.numbers.clear();
        self.shown_second = 0;
        self.spoken.reset();
        None
    }

    /// Ends the session: the write that closes it (straight to the report without a row).
    fn finish(&mut self) -> Option<MockWrite> {
        self.spoken.reset();
        match self.id {
            Some(id) => {
                self.step = MockStep::Saving;
                Some(MockWrite::Finish(id))
            }
            None => {
                self.step = MockStep::Report;
                None
            }
        }
    }

    /// Ends the session now, whatever step it is at (input ended, the app quits): the write
    /// that closes it; None when it is closed already.
    pub fn close(&mut self) -> Option<MockWrite> {
        match self.step {
            MockStep::Report => None,
            _ => self.finish(),
        }
    }

    /// Applies one input at `now`.
    pub fn input(&mut self, input: MockInput, now: Timestamp) -> MockReply {
        if input == MockInput::Tick {
            return self.tick(now);
        }
        let leaving = std::mem::take(&mut self.leaving);
        if input == MockInput::Leave {
            return self.leave(leaving);
        }
        match (self.step, input) {
            (MockStep::Question, MockInput::Next) => self.step = MockStep::Pick,
            (MockStep::Question | MockStep::Pick, MockInput::Pick(pick)) => {
                self.pick(pick, now);
            }
            (MockStep::Question | MockStep::Pick, MockInput::PickNumber(number)) => {
                return self.pick_number(number, now);
            }
            (MockStep::Feedback, MockInput::Next) => match self.picked() {
                Some(_) => {
                    self.step = MockStep::Answer;
                    self.timer = Some(StarTimer::start(now));
                    self.checking = false;
                }
                // Nothing to tell: the question is graded Again at once.
                None => return self.grade(Grade::Again, now),
            },
            (MockStep::Answer, MockInput::NextSection) => {
                let Some(timer) = self.timer.as_mut() else {
                    return MockReply::default();
                };
                if !timer.next_section(now) {
                    return MockReply::say(MockSay::LastSection);
                }
                self.spoken.mark(timer.section(), now);
            }
            (MockStep::Answer, MockInput::Record) => {
                if self.spoken.recording().is_some() {
                    return self.end_answer(now);
                }
                let section = self.timer.as_ref().map(StarTimer::section);
                return self.record(Part::Answer, section, now);
            }
            (
                MockStep::Probe {
                    index,
                    answered: false,
                },
                MockInput::Record,
            ) => {
                if self.spoken.recording().is_some() {
                    self.probe_next(index, false, now);
                } else {
                    return self.record(Part::Probe(index), None, now);
                }
            }
            (MockStep::Answer, MockInput::ToggleStory) => self.checking = !self.checking,
            (MockStep::Answer, MockInput::Next) => return self.end_answer(now),
            (MockStep::Probe { index, answered }, MockInput::Next) => {
                self.probe_next(index, answered, now);
            }
            (MockStep::Check, MockInput::Check(yes)) => return self.check(yes),
            (MockStep::Check, MockInput::Grade(grade)) => return self.grade_checked(grade, now),
            (MockStep::Check, MockInput::AcceptSuggested) => {
                return match self.spoken.suggested() {
                    Some(grade) => self.grade_checked(grade, now),
                    None if self.spoken.is_hearing() => MockReply::say(MockSay::StillHearing),
                    None => MockReply::say(MockSay::NoSuggestion),
                };
            }
            _ => return MockReply::default(),
        }
        MockReply::changed()
    }

    fn tick(&mut self, now: Timestamp) -> MockReply {
        let stories = self.run.stories();
        let story = self.picked().map(|index| &stories[index]);
        let polled = self.spoken.poll(story, now);
        let mut reply = MockReply {
            say: polled.say.map(MockSay::Spoken),
            changed: polled.changed,
            ..MockReply::default()
        };
        // A recording that ended by itself (too long, the source ran out) ends its answer.
        if polled.failed.is_none() {
            match (polled.stopped, self.step) {
                (Some(Part::Answer), MockStep::Answer) => {
                    let ended = self.end_answer(now);
                    reply.say = reply.say.or(ended.say);
                }
                (
                    Some(Part::Probe(_)),
                    MockStep::Probe {
                        index,
                        answered: false,
                    },
                ) => self.probe_next(index, false, now),
                _ => {}
            }
        }
        if self.timed() {
            let second = self.elapsed(now).as_secs();
            reply.changed |= second != self.shown_second;
            self.shown_second = second;
        }
        reply
    }

    /// Starts recording `part` of the current question.
    fn record(&mut self, part: Part, section: Option<SectionKind>, now: Timestamp) -> MockReply {
        if !self.spoken.offered() {
            return MockReply::default();
        }
        let question = match part {
            Part::Answer => self.current().map(|(_, q)| q.question.text.clone()),
            Part::Probe(index) => self.probes.get(index).map(|p| p.question.clone()),
        };
        let (Some(question), Some(index)) = (question, self.picked()) else {
            return MockReply::default();
        };
        let label = format!("{}-mock", self.run.stories()[index].id());
        match self.spoken.start(part, &question, &label, section, now) {
            Some(said) => MockReply::say(MockSay::Spoken(said)),
            None => MockReply::changed(),
        }
    }

    /// Leaving: what was graded is already stored; the session is closed and its report
    /// shown. In the middle of a question (picked, not graded) it is asked twice.
    fn leave(&mut self, asked_before: bool) -> MockReply {
        match self.step {
            MockStep::Saving => MockReply::say(MockSay::StillSaving),
            MockStep::Report => MockReply::default(),
            MockStep::Feedback | MockStep::Answer | MockStep::Probe { .. } | MockStep::Check
                if !asked_before =>
            {
                self.leaving = true;
                let position = self.position().unwrap_or(0);
                MockReply::say(MockSay::ConfirmLeave { position })
            }
            _ => {
                let write = self.finish();
                MockReply {
                    say: self.closed_without_row(),
                    write,
                    changed: true,
                }
            }
        }
    }

    /// Closed at once (no session row): the session's end, as a stored one says it.
    fn closed_without_row(&self) -> Option<MockSay> {
        (self.step == MockStep::Report && self.report.is_none()).then(|| MockSay::Over {
            answered: self.graded.len(),
            questions: self.run.total(),
        })
    }

    /// The user picked (a story or none): the pick is timed and judged.
    fn pick(&mut self, pick: Pick, now: Timestamp) {
        let pick_time = since(self.asked_at, now);
        if let Some(feedback) = self.run.judge(&pick, pick_time) {
            self.attempt = Some(Attempt::picked(self.asked_at, pick, pick_time, feedback));
            self.step = MockStep::Feedback;
        }
    }

    fn pick_number(&mut self, number: usize, now: Timestamp) -> MockReply {
        let pick = match number.checked_sub(1) {
            None => Pick::Nothing,
            Some(at) => match self.list.get(at) {
                Some(index) => Pick::Story(*index),
                None => {
                    return MockReply::say(MockSay::NotInList {
                        number,
                        len: self.list.len(),
                    });
                }
            },
        };
        self.pick(pick, now);
        MockReply::changed()
    }

    /// The answer ends: its time, then the probes (or the self-check); a recording of it is
    /// heard from now on.
    fn end_answer(&mut self, now: Timestamp) -> MockReply {
        let time = self.timer.as_mut().map(|t| t.stop(now));
        self.spoken.stop(now);
        let Some(index) = self.picked() else {
            return MockReply::default();
        };
        let (probes, items) = self.run.follow_up(index);
        self.numbers = key_numbers(&self.run.stories()[index]);
        self.probes = probes;
        self.items = items;
        if let Some(attempt) = self.attempt.as_mut() {
            attempt.answer = time;
        }
        self.checking = false;
        self.probe_started = now;
        self.step = if self.probes.is_empty() {
            MockStep::Check
        } else {
            MockStep::Probe {
                index: 0,
                answered: false,
            }
        };
        match time {
            Some(time) => MockReply::say(MockSay::Time {
                time,
                budgets: self.budgets,
            }),
            None => MockReply::changed(),
        }
    }

    fn probe_next(&mut self, index: usize, answered: bool, now: Timestamp) {
        if !answered {
            self.spoken.stop(now);
            let time = since(self.probe_started, now);
            if let (Some(probe), Some(attempt)) = (self.probes.get(index), &mut self.attempt) {
                attempt.probes.push(AskedProbe {
                    question: probe.question.clone(),
                    time,
                    open: probe.answer.is_none(),
                });
            }
            self.step = MockStep::Probe {
                index,
                answered: true,
            };
            return;
        }
        self.probe_started = now;
        self.step = if index + 1 < self.probes.len() {
            MockStep::Probe {
                index: index + 1,
                answered: false,
            }
        } else {
            MockStep::Check
        };
    }

    fn check(&mut self, yes: bool) -> MockReply {
        let Some(attempt) = self.attempt.as_mut() else {
            return MockReply::default();
        };
        match self.items.get(attempt.self_check.len()) {
            Some(item) => {
                attempt.self_check.push(CheckAnswer { item: *item, yes });
                MockReply::changed()
            }
            None => MockReply::say(MockSay::SelfCheckDone),
        }
    }

    /// A grade after the self-check, once what was said is heard.
    fn grade_checked(&mut self, grade: Grade, now: Timestamp) -> MockReply {
        let answered = self.attempt.as_ref().map_or(0, |a| a.self_check.len());
        if answered < self.items.len() {
            return MockReply::say(MockSay::CheckFirst);
        }
        if self.spoken.is_hearing() {
            return MockReply::say(MockSay::StillHearing);
        }
        self.grade(grade, now)
    }

    /// Grades the current question: the answer goes to the store, the run moves on once it
    /// is saved.
    fn grade(&mut self, grade: Grade, now: Timestamp) -> MockReply {
        let Some(mut attempt) = self.attempt.clone() else {
            return MockReply::default();
        };
        attempt.grade = grade;
        let Some(answer) = self.run.answer(attempt) else {
            return MockReply::default();
        };
        match self.id {
            Some(id) => {
                self.step = MockStep::Saving;
                MockReply::write(MockWrite::Record {
                    id,
                    answer: Box::new(answer),
                    spoken: self.spoken.all_heard().to_vec(),
                })
            }
            // No session row (tests): as if stored, with no pick card.
            None => self.recorded(answer, None, now),
        }
    }

    /// The store's answer to a [`MockWrite`], at `now`.
    pub fn written(&mut self, outcome: MockWritten, now: Timestamp) -> MockReply {
        match outcome {
            MockWritten::Recorded { answer, card } => self.recorded(*answer, Some(*card), now),
            MockWritten::RecordFailed(error) => {
                if self.step == MockStep::Saving && self.report.is_none() {
                    self.step = MockStep::Check;
                }
                MockReply::say(MockSay::NotSaved(error))
            }
            MockWritten::Finished(report) => {
                self.id = None;
                self.step = MockStep::Report;
                let say = MockSay::Over {
                    answered: report.answered,
                    questions: report.questions,
                };
                self.report = Some(report);
                MockReply::say(say)
            }
            MockWritten::FinishFailed(error) => {
                self.id = None;
                self.step = MockStep::Report;
                MockReply::say(MockSay::NotClosed(error))
            }
        }
    }

    /// The store has the graded question: the run moves on (after the last question, the
    /// session is closed).
    fn recorded(
        &mut self,
        answer: MockAnswer,
        card: Option<PickCard>,
        now: Timestamp,
    ) -> MockReply {
        if self.position() != Some(answer.position) {
            return MockReply::default();
        }
        let say = MockSay::Saved {
            position: answer.position,
            grade: answer.grade,
            pick_grade: answer.pick_grade,
            next_in: card.map(|c| c.state.due.duration_since(now)),
        };
        self.graded.push(answer);
        self.run.advance();
        let write = self.next_question(now);
        MockReply {
            say: self.closed_without_row().or(Some(say)),
            write,
            changed: true,
        }
    }

    pub fn step(&self) -> MockStep {
        self.step
    }

    /// The current question and its 1-based position.
    pub fn current(&self) -> Option<(usize, &DrawnQuestion)> {
        self.run.current()
    }

    fn position(&self) -> Option<usize> {
        self.run.current().map(|(position, _)| position)
    }

    /// Questions in this session.
    pub fn total(&self) -> usize {
        self.run.total()
    }

    pub fn stories(&self) -> std::sync::Arc<[Story]> {
        self.run.stories()
    }

    pub fn id(&self) -> Option<MockSessionId> {
        self.id
    }

    /// Gives the session another row, or none (then nothing is written: the core's and the
    /// TUI's tests drive a session without a store).
    #[cfg(test)]
    pub(crate) fn set_row(&mut self, id: Option<MockSessionId>) {
        self.id = id;
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn budgets(&self) -> Budgets {
        self.budgets
    }

    /// The short list for the current question (indices into the stories).
    pub fn list(&self) -> &[usize] {
        &self.list
    }

    /// The current question's pick, answer, probes and self-check so far.
    pub fn attempt(&self) -> Option<&Attempt> {
        self.attempt.as_ref()
    }

    /// The picked story's index, if a story was picked.
    pub fn picked(&self) -> Option<usize> {
        match self.attempt.as_ref().map(|a| &a.pick) {
            Some(Pick::Story(index)) => Some(*index),
            _ => None,
        }
    }

    pub fn timer(&self) -> Option<&StarTimer> {
        self.timer.as_ref()
    }

    /// The recordings, hearings and feedback of the current question.
    pub fn spoken(&self) -> &Spoken {
        &self.spoken
    }

    /// The picked story is shown while answering.
    pub fn checking(&self) -> bool {
        self.checking
    }

    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    pub fn check_items(&self) -> &[CheckItem] {
        &self.items
    }

    /// The picked story's key numbers (`name: before -> after (claim)`).
    pub fn key_numbers(&self) -> &[String] {
        &self.numbers
    }

    /// `Key numbers: name: before -> after (claim); ...`, what the self-check checks a stated
    /// number against.
    pub fn key_numbers_line(&self) -> String {
        if self.numbers.is_empty() {
            "Key numbers: none in the story's front matter.".to_owned()
        } else {
            format!("Key numbers: {}", self.numbers.join("; "))
        }
    }

    /// The questions graded in this session, in order.
    pub fn graded(&self) -> &[MockAnswer] {
        &self.graded
    }

    pub fn report(&self) -> Option<&MockReport> {
        self.report.as_ref()
    }

    /// Time on the current step's clock: the pick, the answer or the probe.
    pub fn elapsed(&self, now: Timestamp) -> Duration {
        match self.step {
            MockStep::Question | MockStep::Pick => since(self.asked_at, now),
            MockStep::Answer => self
                .timer
                .as_ref()
                .map_or(Duration::ZERO, |t| t.elapsed(now)),
            MockStep::Probe {
                answered: false, ..
            } => since(self.probe_started, now),
            _ => Duration::ZERO,
        }
    }

    /// Whether a clock is running on screen (or something said is being heard: its progress).
    pub fn timed(&self) -> bool {
        self.spoken.is_hearing()
            || matches!(
                self.step,
                MockStep::Question
                    | MockStep::Pick
                    | MockStep::Answer
                    | MockStep::Probe {
                        answered: false,
                        ..
                    }
            )
    }

    /// `Mock over: 2 of 2 question(s) graded and saved.` and where the report is kept: the
    /// report's head, the same in both front ends.
    pub fn over_lines(&self) -> [String; 2] {
        let (answered, questions) = self
            .report
            .as_ref()
            .map_or((self.graded.len(), self.run.total()), |r| {
                (r.answered, r.questions)
            });
        let over = MockSay::Over {
            answered,
            questions,
        };
        let kept = if answered == 0 {
            "nothing was graded, so `rehearse export` has nothing of this session to keep"
                .to_owned()
        } else {
            "`rehearse export` keeps the report".to_owned()
        };
        [
            format!("{}.", capitalised(&over.to_string())),
            format!(
                "`rehearse mock --seed {}` draws these questions again while your history is the same; {kept}.",
                self.seed
            ),
        ]
    }
}

/// Said of a probe the story has no answer for.
pub const OPEN_PROBE: &str = "Open probe: the story has no answer yet; prepare this.";

/// Said after a pick of none: there is nothing to tell.
pub const NOTHING_TO_TELL: &str = "nothing to tell: graded Again";

/// Which sections the story check shows (the STAR sections, or a prepared answer).
pub fn told_sections(kind: SectionKind) -> bool {
    SectionKind::STAR.contains(&kind) || kind == SectionKind::Answer
}
