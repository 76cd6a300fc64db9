//! The mock screen: keys become the mock session's inputs ([`crate::practice::session::Mock`]
//! holds every step's rule); what is left here is how this screen picks (a fuzzy search over
//! story ids and titles, or a list number), scrolling the report, and where messages go.

use std::cell::Cell;

use fuzzy_matcher::FuzzyMatcher;

use super::{Action, App, Effect, Screen};
use crate::mock::pick::Pick;
use crate::practice::mock::StartedMock;
use crate::practice::session::{self, MockInput, MockReply, MockSay, MockWritten};

pub use crate::practice::session::MockStep;
pub use crate::practice::session::mock::told_sections;

/// Rows the pick list shows at most while searching.
pub const SEARCH_ROWS: usize = 8;

/// One row of the pick list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickRow {
    Story(usize),
    None,
}

/// A mock on screen: the session, the pick's search, the report's scroll.
#[derive(Debug, Clone)]
pub struct Mock {
    pub session: session::Mock,
    pub query: String,
    /// The selected row of [`Mock::rows`].
    pub selected: usize,
    pub scroll: u16,
    pub max_scroll: Cell<u16>,
}

impl Mock {
    pub fn step(&self) -> MockStep {
        self.session.step()
    }

    /// The pick list: the short list with no query, else the stories that match it best;
    /// "I have none" last.
    pub fn rows(&self, matcher: &impl FuzzyMatcher) -> Vec<PickRow> {
        let mut rows: Vec<PickRow> = if self.query.trim().is_empty() {
            self.session
                .list()
                .iter()
                .map(|i| PickRow::Story(*i))
                .collect()
        } else {
            let stories = self.session.stories();
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
}

impl App {
    /// A mock was started (by [`Effect::StartMock`]).
    pub fn begin_mock(&mut self, started: StartedMock) {
        let head = started.head();
        let mut session = started.mock;
        let note = session.speech_note();
        self.mock = Some(Mock {
            session,
            query: String::new(),
            selected: 0,
            scroll: 0,
            max_scroll: Cell::new(u16::MAX),
        });
        self.push(Screen::Mock);
        // Fewer questions than asked for: say how many the bank has.
        if let Some(capped) = head.get(1) {
            self.set_status(capped.clone());
        } else if let Some(note) = note {
            self.set_status(note.to_string());
        }
    }

    pub(super) fn update_mock(&mut self, action: Action) -> Option<Effect> {
        let mock = self.mock.as_mut()?;
        let step = mock.step();
        let input = match (step, action) {
            (MockStep::Report, Action::Back) => {
                self.mock = None;
                self.pop();
                return None;
            }
            (MockStep::Report, scroll) => {
                scroll_report(mock, &scroll);
                return None;
            }
            // The self-check, with what was heard, can be longer than the screen.
            (MockStep::Check, scroll @ (Action::Up | Action::Down)) => {
                scroll_report(mock, &scroll);
                return None;
            }
            (MockStep::Pick, Action::SearchCancel) if !mock.query.is_empty() => {
                mock.query.clear();
                mock.selected = 0;
                return None;
            }
            (MockStep::Pick, Action::SearchInput(c)) => {
                // A digit with no search typed picks from the list (0: none).
                match c.to_digit(10) {
                    Some(digit) if mock.query.is_empty() => MockInput::PickNumber(digit as usize),
                    _ => {
                        mock.query.push(c);
                        mock.selected = 0;
                        return None;
                    }
                }
            }
            (MockStep::Pick, Action::SearchBackspace) => {
                mock.query.pop();
                mock.selected = 0;
                return None;
            }
            (MockStep::Pick, Action::Down) => {
                let rows = mock.rows(&self.matcher).len();
                mock.selected = (mock.selected + 1).min(rows.saturating_sub(1));
                return None;
            }
            (MockStep::Pick, Action::Up) => {
                mock.selected = mock.selected.saturating_sub(1);
                return None;
            }
            (MockStep::Pick, Action::SearchAccept) => {
                let rows = mock.rows(&self.matcher);
                MockInput::Pick(match rows.get(mock.selected) {
                    Some(PickRow::Story(index)) => Pick::Story(*index),
                    _ => Pick::Nothing,
                })
            }
            (_, Action::Back | Action::SearchCancel) => MockInput::Leave,
            (_, Action::MockNext) => MockInput::Next,
            (_, Action::NextSection) => MockInput::NextSection,
            (_, Action::MockCheck) => MockInput::ToggleStory,
            (_, Action::MockYes) => MockInput::Check(true),
            (_, Action::MockNo) => MockInput::Check(false),
            (_, Action::Grade(grade)) => MockInput::Grade(grade),
            (_, Action::Record) => MockInput::Record,
            (_, Action::AcceptSuggested) => MockInput::AcceptSuggested,
            _ => return None,
        };
        let reply = mock.session.input(input, self.now);
        self.mock_reply(reply)
    }

    /// The clock moved: redraw only when the mock's clock shows another second, or what was
    /// heard came in (said as any reply is).
    pub(super) fn tick_mock(&mut self) {
        let now = self.now;
        let Some(mock) = self.mock.as_mut() else {
            return;
        };
        let reply = mock.session.input(MockInput::Tick, now);
        if reply.changed {
            self.dirty = true;
        }
        if reply.say.is_some() {
            let _ = self.mock_reply(reply);
        }
    }

    /// The store's answer to the mock's write.
    pub(super) fn mock_written(&mut self, outcome: MockWritten) -> Option<Effect> {
        let now = self.now;
        let mock = self.mock.as_mut()?;
        let reply = mock.session.written(outcome, now);
        self.mock_reply(reply)
    }

    /// Says what the session said, resets the screen's own state when the question or the
    /// step changed, and asks for its write.
    fn mock_reply(&mut self, reply: MockReply) -> Option<Effect> {
        let MockReply { say, write, .. } = reply;
        if let Some(mock) = self.mock.as_mut()
            && mock.step() != MockStep::Pick
        {
            mock.query.clear();
            mock.selected = 0;
            if mock.step() != MockStep::Report {
                mock.scroll = 0;
                mock.max_scroll.set(u16::MAX);
            }
        }
        if let Some(say) = say {
            let text = match say {
                MockSay::ConfirmLeave { .. } => {
                    format!("{say} ({})", self.keys_for(&Action::Back))
                }
                _ => say.to_string(),
            };
            match say {
                MockSay::NotSaved(_) | MockSay::NotClosed(_) => self.set_error_whole(text),
                _ if say.is_error() => self.set_error(text),
                _ => self.set_status(text),
            }
        }
        write.map(Effect::Mock)
    }
}

fn scroll_report(mock: &mut Mock, action: &Action) {
    let page = super::PAGE as u16;
    mock.scroll = match action {
        Action::Down => mock.scroll.saturating_add(1).min(mock.max_scroll.get()),
        Action::Up => mock.scroll.saturating_sub(1),
        Action::PageDown => mock.scroll.saturating_add(page).min(mock.max_scroll.get()),
        Action::PageUp => mock.scroll.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => mock.max_scroll.get(),
        _ => mock.scroll,
    };
}
