//! The app model: state, the [`Action`]s keys turn into, and `update`, which changes only
//! in-memory state and returns the [`Effect`] (I/O) the event loop must perform; effects
//! report back through [`App::receive`] ([`message`]).
//!
//! This file holds what every screen shares (the screen stack, the status line, the start-up
//! notice, quitting); each screen's state and actions live in the file named after it,
//! mirroring `tui/screens/`.

mod demo;
mod drill;
mod library;
pub mod message;
mod mock;
mod search;
mod story;

use std::cell::Cell;
use std::collections::BTreeMap;

use fuzzy_matcher::skim::SkimMatcherV2;
use jiff::Timestamp;

use crate::practice::session::{DrillWrite, MockWrite};
use crate::practice::{DrillRequest, Stats};

use super::data::Data;
use super::keymap::{Keymap, Mode};
use super::theme::Theme;

pub use demo::{DemoProgress, DemoView, LOG_CAP, LogLine, RunState};
pub use drill::{Answered, Budgets, Drill, PerSection, SectionTimes};
pub use library::{Hit, Library};
pub use message::{Message, WriteProblem};
pub use mock::{Mock, MockStep, PickRow, told_sections};
pub use story::StoryView;
// What keys ask for: its own module, so the keymap does not import the app.
pub use super::action::Action;

/// I/O for the event loop to perform; results come back as [`Message`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Build a drill session (store query) and start it.
    StartDrill(DrillRequest),
    /// What the drill session asks of the store (a grade is stored before the next card).
    Drill(DrillWrite),
    /// Hand the terminal to `$EDITOR` on a story file, then reload it.
    Edit {
        index: usize,
    },
    StartDemo {
        demo_id: String,
        params: Vec<String>,
    },
    CancelDemo,
    /// Reload the latest stored run of a demo (after a run ended).
    LoadDemoRun(String),
    LoadStats,
    /// Read the story folder again.
    ReloadStories,
    /// Draw a mock's questions and open its session row.
    StartMock,
    /// What the mock session asks of the store (a graded question is stored before the next).
    Mock(MockWrite),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Library,
    Story,
    Drill,
    Demo,
    Stats,
    Mock,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// A message too long for the status line, shown whole in a panel until dismissed (files
/// skipped at start-up, bad `[keys]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: u16,
}

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The whole app.
pub struct App {
    pub data: Data,
    pub library: Library,
    pub story: StoryView,
    pub drill: Option<Drill>,
    pub mock: Option<Mock>,
    /// The job description's ranking (`--job` or `[mock] job`), beside the coverage matrix.
    pub job: Option<JobView>,
    pub demo: Option<DemoView>,
    /// Parameters per demo id, as last typed (empty: the demo's defaults).
    pub demo_params: BTreeMap<String, String>,
    /// The parameter line being edited on the demo screen.
    pub params_input: Option<String>,
    pub stats: Option<Stats>,
    pub screens: Vec<Screen>,
    pub help: bool,
    pub notice: Option<Notice>,
    pub status: Option<Status>,
    pub keymap: Keymap,
    pub theme: Theme,
    /// The terminal's size, as last drawn or resized to.
    pub size: Cell<Option<(u16, u16)>>,
    /// Keys ignored since the terminal became too small (the screen says how many).
    pub ignored_keys: usize,
    /// The time actions are applied at; the event loop sets it before each update.
    pub now: Timestamp,
    pub quit: bool,
    pub dirty: bool,
    matcher: SkimMatcherV2,
}

/// A job description as the stats screen ranks it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobView {
    /// The file as the user named it.
    pub file: String,
    pub ranking: crate::mock::job::JobRanking,
}

/// Rows a page-up/down moves.
const PAGE: usize = 10;

impl App {
    pub fn new(data: Data, keymap: Keymap, theme: Theme, now: Timestamp) -> App {
        let mut app = App {
            data,
            library: Library::default(),
            story: StoryView::default(),
            drill: None,
            mock: None,
            job: None,
            demo: None,
            demo_params: BTreeMap::new(),
            params_input: None,
            stats: None,
            screens: vec![Screen::Library],
            help: false,
            notice: None,
            status: None,
            keymap,
            theme,
            size: Cell::new(None),
            ignored_keys: 0,
            now,
            quit: false,
            dirty: true,
            matcher: SkimMatcherV2::default().ignore_case(),
        };
        app.refilter();
        app
    }

    pub fn screen(&self) -> Screen {
        *self.screens.last().expect("the library is always there")
    }

    pub fn mode(&self) -> Mode {
        if self.help {
            return Mode::Help;
        }
        self.screen_mode()
    }

    /// The mode of the screen on top, under the help if it is open.
    pub fn screen_mode(&self) -> Mode {
        match self.screen() {
            Screen::Library if self.library.searching => Mode::Search,
            Screen::Library => Mode::Library,
            Screen::Story => Mode::Story,
            Screen::Drill => Mode::Drill,
            Screen::Demo if self.params_input.is_some() => Mode::Params,
            Screen::Demo => Mode::Demo,
            Screen::Stats => Mode::Stats,
            Screen::Mock => match self.mock.as_ref().map(Mock::step) {
                Some(MockStep::Pick) => Mode::MockPick,
                Some(MockStep::Answer) => Mode::MockAnswer,
                Some(MockStep::Probe {
                    answered: false, ..
                }) => Mode::MockProbe,
                Some(MockStep::Check) => Mode::MockCheck,
                Some(MockStep::Report) => Mode::MockReport,
                _ => Mode::Mock,
            },
        }
    }

    /// The terminal is smaller than the screens need: only resizing and quitting act.
    pub fn too_small(&self) -> bool {
        self.size
            .get()
            .is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    pub fn set_status(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
        self.dirty = true;
    }

    pub fn set_error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
        self.dirty = true;
    }

    /// An error the user must read in full: on the status line and, when it does not fit
    /// there, whole in a panel as well.
    pub fn set_error_whole(&mut self, text: impl Into<String>) {
        let text = text.into();
        let width = self
            .size
            .get()
            .map_or(usize::from(MIN_WIDTH), |(w, _)| usize::from(w));
        if text.chars().count() + 1 > width {
            self.show_notice("Not done", vec![text.clone()]);
        }
        self.set_error(text);
    }

    /// Shows a message whole in a panel (any key but scrolling closes it).
    pub fn show_notice(&mut self, title: impl Into<String>, lines: Vec<String>) {
        self.notice = Some(Notice {
            title: title.into(),
            lines,
            scroll: 0,
        });
        self.dirty = true;
    }

    /// The files that did not load, each in full, in the notice panel.
    pub fn show_load_errors(&mut self) {
        let errors = &self.data.load_errors;
        if errors.is_empty() {
            return;
        }
        let title = format!(
            "{} file(s) skipped (`rehearse lint` checks them)",
            errors.len()
        );
        let lines = errors.clone();
        self.show_notice(title, lines);
    }

    /// The fuzzy matcher searches use.
    pub fn matcher(&self) -> &SkimMatcherV2 {
        &self.matcher
    }

    /// The story selected in the library, if any.
    pub fn selected_index(&self) -> Option<usize> {
        self.library
            .hits
            .get(self.library.selected)
            .map(|h| h.index)
    }

    /// The story the current screen is about (story screen, or the library's selection).
    fn focused_story(&self) -> Option<usize> {
        match self.screen() {
            Screen::Story => Some(self.story.index),
            _ => self.selected_index(),
        }
    }

    fn push(&mut self, screen: Screen) {
        if self.screen() != screen {
            self.screens.push(screen);
        }
    }

    fn pop(&mut self) {
        if self.screens.len() > 1 {
            self.screens.pop();
        } else {
            self.quit = true;
        }
    }

    /// Applies an action; returns the I/O it needs.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if action == Action::Tick {
            self.tick();
            return None;
        }
        self.dirty = true;
        match action {
            Action::Quit => {
                self.quit = true;
                return self.quit_effect();
            }
            Action::Resize { width, height } => {
                self.size.set(Some((width, height)));
                if !self.too_small() {
                    self.ignored_keys = 0;
                }
                return None;
            }
            Action::Tick => return None,
            // Keys do nothing on the "too small" screen: the user cannot see what they would
            // do. It says how many it ignored.
            _ if self.too_small() => {
                self.ignored_keys += 1;
                return None;
            }
            _ => {}
        }
        self.status = None;
        if let Some(notice) = self.notice.as_mut() {
            match action {
                Action::Down => notice.scroll = notice.scroll.saturating_add(1),
                Action::Up => notice.scroll = notice.scroll.saturating_sub(1),
                _ => self.notice = None,
            }
            return None;
        }
        if action == Action::Help {
            self.help = true;
            return None;
        }
        if self.help {
            if action == Action::Back {
                self.help = false;
            }
            return None;
        }
        match self.screen() {
            Screen::Library => self.update_library(action),
            Screen::Story => self.update_story(action),
            Screen::Drill => self.update_drill(action),
            Screen::Demo if self.params_input.is_some() => self.update_params(action),
            Screen::Demo => self.update_demo(action),
            Screen::Stats => self.update_stats(action),
            Screen::Mock => self.update_mock(action),
        }
    }

    /// What quitting needs done: a running demo is killed (the loop also does it on exit).
    fn quit_effect(&mut self) -> Option<Effect> {
        if let Some(close) = self.drill.take().and_then(|mut d| d.session.close()) {
            return Some(Effect::Drill(close));
        }
        if let Some(id) = self.mock.take().and_then(|m| m.session.id()) {
            return Some(Effect::Mock(MockWrite::Finish(id)));
        }
        if self.demo.as_ref().is_some_and(DemoView::is_running) {
            return Some(Effect::CancelDemo);
        }
        None
    }

    fn tick(&mut self) {
        match self.screen() {
            Screen::Mock => self.tick_mock(),
            Screen::Drill => self.tick_drill(),
            _ => {}
        }
    }

    /// The keys of `action` on the screen under the help, as `?` lists them (`q, esc`).
    pub fn keys_for(&self, action: &Action) -> String {
        self.keymap
            .table(self.screen_mode())
            .iter()
            .find(|b| &b.action == action)
            .map(Keymap::keys_text)
            .unwrap_or_default()
    }

    fn update_stats(&mut self, action: Action) -> Option<Effect> {
        if action == Action::Back {
            self.pop();
        }
        None
    }
}

/// The index after `at` among `len` items, wrapping; `None` stands for the last one.
fn cycle(at: Option<usize>, len: usize) -> Option<usize> {
    let last = len.checked_sub(1)?;
    Some((at.unwrap_or(last) + 1) % len)
}

/// The next value after `current` in `values`, wrapping to None after the last.
fn next_of(values: &[String], current: Option<&String>) -> Option<String> {
    match current {
        None => values.first().cloned(),
        Some(current) => {
            let at = values.iter().position(|v| v == current)?;
            values.get(at + 1).cloned()
        }
    }
}

#[cfg(test)]
mod tests;
