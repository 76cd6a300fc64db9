//! The mock screen's state and its actions, one question in four steps: the question (the
//! bank's wording), the pick (fuzzy search over ids and titles, a list number, or none) with
//! its feedback, the answer on the drill's pacing timer with the story hidden until checked,
//! then the probes, the self-check and the grade. The steps and the judging come from
//! [`MockRun`] (the mock core); a graded question is stored by an effect and the run moves on
//! only once the store confirms it, so a failed write leaves the question on screen.

use std::cell::Cell;
use std::time::Duration;

use fuzzy_matcher::FuzzyMatcher;
use jiff::Timestamp;

use super::{Action, App, Effect, Screen};
use crate::mock::answer::{AskedProbe, CheckAnswer, CheckItem, MockAnswer, key_numbers};
use crate::mock::pick::Pick;
use crate::mock::pick_card::PickCard;
use crate::mock::probes::{Probe, StoryProbes};
use crate::mock::session::{Attempt, MockRun};
use crate::pacing::StarTimer;
use crate::pacing::since;
use crate::practice::mock::{MockReport, StartedMock};
use crate::srs::{Grade, format_interval};
use crate::store::MockSessionId;
use crate::story::SectionKind;

/// Rows the pick list shows at most while searching.
pub const SEARCH_ROWS: usize = 8;

/// Where a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockStep {
    /// The question alone: think of a story (the pick is timed from here).
    Question,
    /// Typing a search or a list number.
    Pick,
    /// What the pick was worth; then the answer (or, for none, the next question).
    Feedback,
    /// Telling the story on the pacing timer.
    Answer,
    /// A follow-up question, timed; `answered` once the user says they are done.
    Probe { index: usize, answered: bool },
    /// The yes/no self-check, then the 1-4 grade.
    Check,
    /// Waiting for the store to confirm the graded question.
    Saving,
    /// The session report (the run is over or was left).
    Report,
}

/// One row of the pick list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickRow {
    Story(usize),
    None,
}

/// A mock in progress.
#[derive(Debug, Clone)]
pub struct Mock {
    pub run: MockRun<StoryProbes>,
    /// The session row; None once closed (or in tests).
    pub id: Option<MockSessionId>,
    pub seed: u64,
    pub step: MockStep,
    /// When the current question was shown.
    pub asked_at: Timestamp,
    /// The short list for the current question (indices into the stories).
    pub list: Vec<usize>,
    pub query: String,
    /// The selected row of [`Mock::rows`].
    pub selected: usize,
    /// Filled in step by step from the pick on.
    pub attempt: Option<Attempt>,
    pub timer: Option<StarTimer>,
    /// The story is shown while answering (the user asked to check).
    pub checking: bool,
    pub probes: Vec<Probe>,
    pub probe_started: Timestamp,
    pub items: Vec<CheckItem>,
    /// The picked story's key numbers, for the self-check.
    pub numbers: Vec<String>,
    pub graded: Vec<MockAnswer>,
    pub report: Option<MockReport>,
    pub scroll: u16,
    pub max_scroll: Cell<u16>,
    /// Whole seconds shown by the last drawn timer (to redraw only when it changes).
    pub shown_second: u64,
}

impl Mock {
    /// The pick list: the short list with no query, else the stories that match it best;
    /// "I have none" last.
    pub fn rows(&self, matcher: &impl FuzzyMatcher) -> Vec<PickRow> {
        let mut rows: Vec<PickRow> = if self.query.trim().is_empty() {
            self.list.iter().map(|i| PickRow::Story(*i)).collect()
        } else {
            let stories = self.run.stories();
            let query = self.query.trim();
            let mut scored: Vec<(i64, usize)> = stories
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let by_id = matcher.fuzzy_match(s.id(), query);
                    let by_title = matcher.fuzzy_match(&s.meta.title, query);
                    by_id.max(by_title).map(|score| (score, i))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            scored
                .into_iter()
                .take(SEARCH_ROWS)
                .map(|(_, i)| PickRow::Story(i))
                .collect()
        };
        rows.push(PickRow::None);
        rows
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

    /// Whether a clock is running on screen (the tick redraws it each second).
    pub fn timed(&self) -> bool {
        matches!(
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

    /// The picked story's index, if a story was picked.
    pub fn picked(&self) -> Option<usize> {
        match self.attempt.as_ref().map(|a| &a.pick) {
            Some(Pick::Story(index)) => Some(*index),
            _ => None,
        }
    }
}

impl App {
    /// A mock was started (by [`Effect::StartMock`]).
    pub fn begin_mock(&mut self, started: StartedMock) {
        let StartedMock { run, id, setup } = started;
        self.mock = Some(Mock {
            run,
            id: Some(id),
            seed: setup.seed,
            step: MockStep::Question,
            asked_at: self.now,
            list: Vec::new(),
            query: String::new(),
            selected: 0,
            attempt: None,
            timer: None,
            checking: false,
            probes: Vec::new(),
            probe_started: self.now,
            items: Vec::new(),
            numbers: Vec::new(),
            graded: Vec::new(),
            report: None,
            scroll: 0,
            max_scroll: Cell::new(u16::MAX),
            shown_second: 0,
        });
        self.next_question();
        self.push(Screen::Mock);
    }

    /// Shows the run's current question, or closes the session after the last one.
    fn next_question(&mut self) -> Option<Effect> {
        let now = self.now;
        let mock = self.mock.as_mut()?;
        if mock.run.current().is_none() {
            mock.step = MockStep::Saving;
            return mock.id.map(Effect::FinishMock);
        }
        mock.list = mock.run.short_list();
        mock.step = MockStep::Question;
        mock.asked_at = now;
        mock.query.clear();
        mock.selected = 0;
        mock.attempt = None;
        mock.timer = None;
        mock.checking = false;
        mock.probes.clear();
        mock.items.clear();
        mock.numbers.clear();
        mock.scroll = 0;
        mock.shown_second = 0;
        None
    }

    pub(super) fn update_mock(&mut self, action: Action) -> Option<Effect> {
        let now = self.now;
        let Some(mock) = self.mock.as_mut() else {
            self.pop();
            return None;
        };
        match (mock.step, action.clone()) {
            (MockStep::Report, Action::Back) => {
                self.mock = None;
                self.pop();
            }
            (MockStep::Pick, Action::SearchCancel) if !mock.query.is_empty() => {
                mock.query.clear();
                mock.selected = 0;
            }
            (MockStep::Saving, Action::Back) => {
                self.set_error("saving the graded question; leave once it is saved");
            }
            (_, Action::Back | Action::SearchCancel) => return self.leave_mock(),
            (MockStep::Report, Action::Down) => {
                mock.scroll = mock.scroll.saturating_add(1).min(mock.max_scroll.get());
            }
            (MockStep::Report, Action::Up) => mock.scroll = mock.scroll.saturating_sub(1),
            (MockStep::Report, Action::PageDown) => {
                mock.scroll = mock
                    .scroll
                    .saturating_add(super::PAGE as u16)
                    .min(mock.max_scroll.get());
            }
            (MockStep::Report, Action::PageUp) => {
                mock.scroll = mock.scroll.saturating_sub(super::PAGE as u16);
            }
            (MockStep::Report, Action::Top) => mock.scroll = 0,
            (MockStep::Report, Action::Bottom) => mock.scroll = mock.max_scroll.get(),
            (MockStep::Question, Action::MockNext) => mock.step = MockStep::Pick,
            (MockStep::Pick, Action::SearchInput(c)) => {
                // A digit with no search typed picks from the list (0: none).
                if mock.query.is_empty()
                    && let Some(digit) = c.to_digit(10)
                {
                    let digit = digit as usize;
                    if digit == 0 {
                        return self.pick(Pick::Nothing);
                    }
                    match mock.list.get(digit - 1) {
                        Some(index) => {
                            let index = *index;
                            return self.pick(Pick::Story(index));
                        }
                        None => {
                            let len = mock.list.len();
                            self.set_error(format!(
                                "{digit}: the list has numbers 1 to {len}, and 0 for none; or type to search"
                            ));
                        }
                    }
                    return None;
                }
                mock.query.push(c);
                mock.selected = 0;
            }
            (MockStep::Pick, Action::SearchBackspace) => {
                mock.query.pop();
                mock.selected = 0;
            }
            (MockStep::Pick, Action::Down) => {
                let rows = mock.rows(&self.matcher).len();
                mock.selected = (mock.selected + 1).min(rows.saturating_sub(1));
            }
            (MockStep::Pick, Action::Up) => mock.selected = mock.selected.saturating_sub(1),
            (MockStep::Pick, Action::SearchAccept) => {
                let rows = mock.rows(&self.matcher);
                let pick = match rows.get(mock.selected) {
                    Some(PickRow::Story(index)) => Pick::Story(*index),
                    _ => Pick::Nothing,
                };
                return self.pick(pick);
            }
            (MockStep::Feedback, Action::MockNext) => match mock.picked() {
                Some(_) => {
                    mock.step = MockStep::Answer;
                    mock.timer = Some(StarTimer::start(now));
                    mock.checking = false;
                }
                // Nothing to tell: the question is graded Again at once.
                None => return self.grade_mock(Grade::Again),
            },
            (MockStep::Answer, Action::NextSection) => {
                if let Some(timer) = mock.timer.as_mut()
                    && !timer.next_section(now)
                {
                    self.set_status("Result is the last section; enter ends the answer");
                }
            }
            (MockStep::Answer, Action::MockCheck) => mock.checking = !mock.checking,
            (MockStep::Answer, Action::MockNext) => {
                let time = mock.timer.take().map(|mut t| t.stop(now));
                let index = mock.picked()?;
                let (probes, items) = mock.run.follow_up(index);
                mock.numbers = key_numbers(&mock.run.stories()[index]);
                mock.probes = probes;
                mock.items = items;
                if let Some(attempt) = mock.attempt.as_mut() {
                    attempt.answer = time;
                }
                mock.checking = false;
                mock.scroll = 0;
                mock.probe_started = now;
                mock.step = if mock.probes.is_empty() {
                    MockStep::Check
                } else {
                    MockStep::Probe {
                        index: 0,
                        answered: false,
                    }
                };
                if let Some(time) = time {
                    self.set_status(format!("Time: {}", time.against(&self.budgets)));
                }
            }
            (
                MockStep::Probe {
                    index,
                    answered: false,
                },
                Action::MockNext,
            ) => {
                let time = since(mock.probe_started, now);
                if let (Some(probe), Some(attempt)) = (mock.probes.get(index), &mut mock.attempt) {
                    attempt.probes.push(AskedProbe {
                        question: probe.question.clone(),
                        time,
                        open: probe.answer.is_none(),
                    });
                }
                mock.step = MockStep::Probe {
                    index,
                    answered: true,
                };
            }
            (
                MockStep::Probe {
                    index,
                    answered: true,
                },
                Action::MockNext,
            ) => {
                mock.probe_started = now;
                mock.step = if index + 1 < mock.probes.len() {
                    MockStep::Probe {
                        index: index + 1,
                        answered: false,
                    }
                } else {
                    MockStep::Check
                };
            }
            (MockStep::Check, Action::MockYes | Action::MockNo) => {
                let attempt = mock.attempt.as_mut()?;
                let done = attempt.self_check.len();
                match mock.items.get(done) {
                    Some(item) => attempt.self_check.push(CheckAnswer {
                        item: *item,
                        yes: action == Action::MockYes,
                    }),
                    None => self.set_error("the self-check is done: grade the answer 1-4"),
                }
            }
            (MockStep::Check, Action::Grade(grade)) => {
                let answered = mock.attempt.as_ref().map_or(0, |a| a.self_check.len());
                if answered < mock.items.len() {
                    self.set_error("answer the self-check first: y or n for each item");
                    return None;
                }
                return self.grade_mock(grade);
            }
            _ => {}
        }
        None
    }

    /// The user picked (a story or none): the pick is timed and judged.
    fn pick(&mut self, pick: Pick) -> Option<Effect> {
        let now = self.now;
        let mock = self.mock.as_mut()?;
        let pick_time = since(mock.asked_at, now);
        let feedback = mock.run.judge(&pick, pick_time)?;
        mock.attempt = Some(Attempt::picked(mock.asked_at, pick, pick_time, feedback));
        mock.step = MockStep::Feedback;
        None
    }

    /// Grades the current question: the answer goes to the store, the run moves on when it
    /// is saved (see [`App::mock_answer_saved`]).
    fn grade_mock(&mut self, grade: Grade) -> Option<Effect> {
        let mock = self.mock.as_mut()?;
        let mut attempt = mock.attempt.clone()?;
        attempt.grade = grade;
        let answer = mock.run.answer(attempt)?;
        match mock.id {
            Some(id) => {
                mock.step = MockStep::Saving;
                Some(Effect::RecordMockAnswer { id, answer })
            }
            // No session row (tests): as if stored.
            None => self.mock_answer_saved(answer, None),
        }
    }

    /// The store has the graded question: the run moves on (after the last question, the
    /// session is closed).
    pub(super) fn mock_answer_saved(
        &mut self,
        answer: MockAnswer,
        card: Option<PickCard>,
    ) -> Option<Effect> {
        let now = self.now;
        let mock = self.mock.as_mut()?;
        if mock.run.current().map(|(position, _)| position) != Some(answer.position) {
            return None;
        }
        let mut status = format!("saved: question {} {}", answer.position, answer.grade);
        if let Some(card) = card {
            status.push_str(&format!(
                " (pick {}, asked again in {})",
                answer.pick_grade,
                format_interval(card.state.due.duration_since(now))
            ));
        }
        mock.graded.push(answer);
        mock.run.advance();
        let effect = self.next_question();
        self.set_status(status);
        effect
    }

    /// The store refused the graded question: it stays on screen to grade again.
    pub(super) fn mock_answer_not_saved(&mut self, error: String) {
        if let Some(mock) = self.mock.as_mut()
            && mock.step == MockStep::Saving
        {
            mock.step = MockStep::Check;
        }
        self.set_error_whole(format!(
            "the graded question was NOT saved: {error}; it stays here, grade it again to retry"
        ));
    }

    /// Leaves the mock: what was graded is already stored; the session is closed and its
    /// report shown.
    fn leave_mock(&mut self) -> Option<Effect> {
        let mock = self.mock.as_mut()?;
        match mock.id {
            Some(id) => {
                mock.step = MockStep::Saving;
                Some(Effect::FinishMock(id))
            }
            None => {
                self.mock = None;
                self.pop();
                None
            }
        }
    }

    /// The session is closed: its report.
    pub(super) fn mock_finished(&mut self, report: MockReport) {
        let Some(mock) = self.mock.as_mut() else {
            return;
        };
        mock.id = None;
        mock.step = MockStep::Report;
        mock.scroll = 0;
        mock.max_scroll.set(u16::MAX);
        let text = format!(
            "mock over: {} of {} question(s) graded and saved",
            report.answered, report.questions
        );
        mock.report = Some(report);
        self.set_status(text);
    }

    pub(super) fn tick_mock(&mut self) {
        let now = self.now;
        if let Some(mock) = self.mock.as_mut()
            && mock.timed()
        {
            let second = mock.elapsed(now).as_secs();
            if second != mock.shown_second {
                mock.shown_second = second;
                self.dirty = true;
            }
        }
    }
}

/// Which STAR sections the story check shows.
pub fn told_sections(kind: SectionKind) -> bool {
    SectionKind::STAR.contains(&kind) || kind == SectionKind::Answer
}
