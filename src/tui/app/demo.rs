//! The demo screen's state and actions: one run's events as they arrive from the runner, the
//! log with follow/scroll, the tables and charts shown one at a time, the parameter line.

use std::collections::VecDeque;

use demo_kit::{Chart, Event, Level, Metric, Summary, Table};

use super::{Action, App, Effect, Screen, cycle};
use crate::demo::runner::{Message, RunId, Tagged};

/// How a demo run stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// Not started: parameters being chosen.
    Idle,
    Running,
    Finished(Summary),
    Failed(String),
    Cancelled,
}

pub const LOG_CAP: usize = 1_000;

/// How far the running phase has got.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoProgress {
    pub phase: String,
    pub done: u64,
    pub total: Option<u64>,
    pub unit: String,
}

/// One line of the demo's log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub level: Level,
    pub text: String,
}

/// The demo screen: one run's events as they arrive.
#[derive(Debug, Clone)]
pub struct DemoView {
    pub demo_id: String,
    pub run: Option<RunId>,
    pub state: RunState,
    pub phase: Option<String>,
    pub progress: Option<DemoProgress>,
    pub log: VecDeque<LogLine>,
    pub metrics: Vec<Metric>,
    pub tables: Vec<Table>,
    pub charts: Vec<Chart>,
    /// Follow the end of the log; off once scrolled up.
    pub follow: bool,
    /// Lines up from the end when not following.
    pub scroll: usize,
    /// The parameters of this run, as typed (empty: the demo's defaults).
    pub params: String,
    /// The table shown; `None` follows the newest.
    pub table_at: Option<usize>,
    /// The chart shown; `None` follows the newest.
    pub chart_at: Option<usize>,
    /// Results take the whole width; the log is hidden.
    pub wide: bool,
}

impl DemoView {
    pub fn new(demo_id: &str) -> DemoView {
        DemoView {
            demo_id: demo_id.to_owned(),
            run: None,
            state: RunState::Running,
            phase: None,
            progress: None,
            log: VecDeque::new(),
            metrics: Vec::new(),
            tables: Vec::new(),
            charts: Vec::new(),
            follow: true,
            scroll: 0,
            params: String::new(),
            table_at: None,
            chart_at: None,
            wide: false,
        }
    }

    pub fn is_running(&self) -> bool {
        self.state == RunState::Running
    }

    /// The table on screen, with its index.
    pub fn shown_table(&self) -> Option<(usize, &Table)> {
        let at = self.table_at.unwrap_or(self.tables.len().checked_sub(1)?);
        Some((at, self.tables.get(at)?))
    }

    /// The chart on screen, with its index.
    pub fn shown_chart(&self) -> Option<(usize, &Chart)> {
        let at = self.chart_at.unwrap_or(self.charts.len().checked_sub(1)?);
        Some((at, self.charts.get(at)?))
    }

    fn push_log(&mut self, level: Level, text: String) {
        if self.log.len() == LOG_CAP {
            self.log.pop_front();
        }
        self.log.push_back(LogLine { level, text });
    }
}

impl App {
    /// The child was started (or could not be).
    pub fn demo_started(&mut self, result: Result<RunId, String>) {
        let Some(view) = self.demo.as_mut() else {
            return;
        };
        match result {
            Ok(run) => view.run = Some(run),
            Err(error) => {
                view.run = None;
                view.state = RunState::Failed(error);
            }
        }
        self.dirty = true;
    }

    /// A message from the runner. Messages of another run (a cancelled one) are dropped.
    pub fn demo_message(&mut self, tagged: Tagged) -> Option<Effect> {
        let view = self.demo.as_mut()?;
        if view.run != Some(tagged.run) {
            return None;
        }
        self.dirty = true;
        match tagged.message {
            Message::Event(event) => match event {
                Event::Started { demo, args } => {
                    let args = if args.is_empty() {
                        "default parameters".to_owned()
                    } else {
                        args.join(" ")
                    };
                    view.push_log(Level::Info, format!("started {demo} ({args})"));
                }
                Event::Phase { name } => {
                    view.push_log(Level::Info, format!("phase: {name}"));
                    view.phase = Some(name);
                    view.progress = None;
                }
                Event::Progress {
                    phase,
                    done,
                    total,
                    unit,
                } => {
                    view.progress = Some(DemoProgress {
                        phase,
                        done,
                        total,
                        unit,
                    });
                }
                Event::Log { level, message } => view.push_log(level, message),
                Event::Metric(metric) => {
                    match view
                        .metrics
                        .iter_mut()
                        .find(|m| m.name == metric.name && m.group == metric.group)
                    {
                        Some(slot) => *slot = metric,
                        None => view.metrics.push(metric),
                    }
                }
                Event::Table(table) => {
                    match view.tables.iter_mut().find(|t| t.title == table.title) {
                        Some(slot) => *slot = table,
                        None => view.tables.push(table),
                    }
                }
                Event::Chart(chart) => {
                    match view.charts.iter_mut().find(|c| c.title == chart.title) {
                        Some(slot) => *slot = chart,
                        None => view.charts.push(chart),
                    }
                }
                Event::Finished { summary } => {
                    view.push_log(Level::Info, format!("finished: {}", summary.headline));
                    view.state = RunState::Finished(summary);
                    view.progress = None;
                }
                Event::Failed { error } => {
                    view.push_log(Level::Error, format!("failed: {error}"));
                    view.state = RunState::Failed(error);
                    view.progress = None;
                }
            },
            Message::Garbled(line) => view.push_log(Level::Warn, line),
            Message::Stderr(line) => view.push_log(Level::Warn, line),
            Message::Exited { code } => {
                view.run = None;
                if view.state == RunState::Running {
                    let last = view
                        .log
                        .iter()
                        .rev()
                        .find(|line| line.level != Level::Info)
                        .map(|line| format!(": {}", line.text))
                        .unwrap_or_default();
                    let how = match code {
                        Some(code) => format!("exited with code {code}"),
                        None => "was killed".to_owned(),
                    };
                    view.state = RunState::Failed(format!("the demo {how} without a result{last}"));
                }
                return Some(Effect::LoadDemoRun(view.demo_id.clone()));
            }
        }
        None
    }

    pub(super) fn update_demo(&mut self, action: Action) -> Option<Effect> {
        let Some(view) = self.demo.as_mut() else {
            self.pop();
            return None;
        };
        match action {
            Action::Back => {
                if view.is_running() {
                    view.state = RunState::Cancelled;
                    view.run = None;
                    view.push_log(Level::Warn, "cancelled".to_owned());
                    return Some(Effect::CancelDemo);
                }
                self.pop();
            }
            Action::Up => {
                view.follow = false;
                view.scroll = (view.scroll + 1).min(view.log.len().saturating_sub(1));
            }
            Action::Down => {
                view.scroll = view.scroll.saturating_sub(1);
                view.follow = view.scroll == 0;
            }
            Action::PageUp => {
                view.follow = false;
                view.scroll = (view.scroll + super::PAGE).min(view.log.len().saturating_sub(1));
            }
            Action::PageDown => {
                view.scroll = view.scroll.saturating_sub(super::PAGE);
                view.follow = view.scroll == 0;
            }
            Action::Top => {
                view.follow = false;
                view.scroll = view.log.len().saturating_sub(1);
            }
            Action::Bottom => {
                view.follow = true;
                view.scroll = 0;
            }
            Action::Follow => {
                view.follow = true;
                view.scroll = 0;
                view.table_at = None;
                view.chart_at = None;
            }
            Action::NextTable => view.table_at = cycle(view.table_at, view.tables.len()),
            Action::NextChart => view.chart_at = cycle(view.chart_at, view.charts.len()),
            Action::WideResults => view.wide = !view.wide,
            Action::RunDemo => return self.run_demo(),
            Action::EditParams => self.edit_params(),
            _ => {}
        }
        None
    }

    /// The demo the current screen is about: the demo screen's, or the focused story's.
    fn demo_id(&mut self) -> Option<String> {
        match self.screen() {
            Screen::Demo => self.demo.as_ref().map(|d| d.demo_id.clone()),
            _ => {
                let index = self.focused_story()?;
                let story = &self.data.stories.get(index)?.story;
                match &story.meta.demo {
                    Some(id) => Some(id.clone()),
                    None => {
                        self.set_error(format!("{} links no demo", story.id()));
                        None
                    }
                }
            }
        }
    }

    pub(super) fn run_demo(&mut self) -> Option<Effect> {
        let demo_id = self.demo_id()?;
        if self.demo.as_ref().is_some_and(DemoView::is_running) {
            self.set_error("a demo is running: Esc cancels it first");
            return None;
        }
        let text = self.demo_params.get(&demo_id).cloned().unwrap_or_default();
        let params: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
        let mut view = DemoView::new(&demo_id);
        view.params = text;
        self.demo = Some(view);
        self.push(Screen::Demo);
        Some(Effect::StartDemo { demo_id, params })
    }

    /// Opens the parameter line for the demo (on the demo screen, not yet running).
    pub(super) fn edit_params(&mut self) {
        let Some(demo_id) = self.demo_id() else {
            return;
        };
        if self.demo.as_ref().is_some_and(DemoView::is_running) {
            self.set_error("a demo is running: Esc cancels it first");
            return;
        }
        if self.screen() != Screen::Demo {
            let mut view = DemoView::new(&demo_id);
            view.state = RunState::Idle;
            self.demo = Some(view);
            self.push(Screen::Demo);
        }
        self.params_input = Some(self.demo_params.get(&demo_id).cloned().unwrap_or_default());
    }

    pub(super) fn update_params(&mut self, action: Action) -> Option<Effect> {
        let input = self.params_input.as_mut()?;
        match action {
            Action::SearchInput(c) => input.push(c),
            Action::SearchBackspace => {
                input.pop();
            }
            Action::SearchCancel => self.params_input = None,
            Action::SearchAccept => {
                let text = input.trim().to_owned();
                self.params_input = None;
                let demo_id = self.demo.as_ref()?.demo_id.clone();
                self.demo_params.insert(demo_id, text);
                return self.run_demo();
            }
            _ => {}
        }
        None
    }
}
