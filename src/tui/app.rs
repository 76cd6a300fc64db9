//! The app model: state, the [`Action`]s keys turn into, and `update`, which changes only
//! in-memory state and returns the [`Effect`] (I/O) the event loop must perform.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use demo_kit::{Chart, Event, Level, Metric, Summary, Table};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use jiff::{SignedDuration, Timestamp};

use crate::config::DrillConfig;
use crate::demo::runner::{Message, RunId, Tagged};
use crate::srs::{
    CardId, CardKind, DrillMode, DrillSession, Grade, Preview, Review, Scope, Timing,
};
use crate::store::SessionId;

use super::data::Data;
use super::keymap::{Keymap, Mode};
use super::theme::Theme;

/// What a key asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Quit,
    Help,
    Search,
    SearchInput(char),
    SearchBackspace,
    SearchAccept,
    SearchCancel,
    NextTag,
    NextCompetency,
    ClearFilters,
    DrillDue,
    DrillStory,
    Edit,
    RunDemo,
    Stats,
    NextSection,
    Reveal,
    Grade(Grade),
    Undo,
    Follow,
    /// Show the demo's next table (they arrive one by one; one is shown at a time).
    NextTable,
    /// Show the demo's next chart.
    NextChart,
    /// Give the results the whole width (hide the log), or give the log back.
    WideResults,
    /// Edit the demo's parameters (then enter runs it).
    EditParams,
    /// Practise ahead: the cards that are not due yet, without moving their schedule.
    DrillAhead,
    /// Time passed (the drill timer); not bound to a key.
    Tick,
    /// The terminal changed size; not bound to a key.
    Resize,
}

/// What a drill session is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillStart {
    pub scope: Scope,
    /// Scheduled (the due cards) or cram (practice ahead: the cards not due yet).
    pub mode: DrillMode,
    /// At most this many cards.
    pub limit: Option<usize>,
}

impl DrillStart {
    pub fn due(scope: Scope) -> DrillStart {
        DrillStart {
            scope,
            mode: DrillMode::Scheduled,
            limit: None,
        }
    }

    pub fn ahead(scope: Scope) -> DrillStart {
        DrillStart {
            mode: DrillMode::Cram,
            ..DrillStart::due(scope)
        }
    }
}

/// I/O for the event loop to perform; results come back through `App` methods.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Build a drill session (store query) and start it.
    StartDrill(DrillStart),
    /// Store a graded review at once (durable before the next card).
    RecordReview {
        review: Review,
        session: Option<SessionId>,
    },
    UndoReview(Review),
    FinishSession(SessionId),
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Library,
    Story,
    Drill,
    Demo,
    Stats,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// A story in the filtered list.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Library {
    pub query: String,
    pub searching: bool,
    pub tag: Option<String>,
    pub competency: Option<String>,
    /// The stories shown, best match first (all stories, in order, without a query).
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// The query `hits` was computed for (a longer query only narrows them).
    searched: String,
}

#[derive(Debug, Clone, Default)]
pub struct StoryView {
    pub index: usize,
    pub scroll: u16,
}

/// One answered card, for the end-of-session summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub card: CardId,
    pub prompt: String,
    pub grade: Grade,
    pub answer: Option<Duration>,
    /// Whether the STAR pacing bar applied (question cards).
    pub paced: bool,
    pub sections: [Option<Duration>; 4],
}

/// A drill in progress.
#[derive(Debug, Clone)]
pub struct Drill {
    pub session: DrillSession,
    pub scope: Scope,
    pub session_id: Option<SessionId>,
    pub budgets: [Duration; 4],
    pub card_started: Timestamp,
    /// The STAR section being spoken (0 Situation .. 3 Result).
    pub section: usize,
    pub section_started: Timestamp,
    pub sections: [Option<Duration>; 4],
    /// Frozen when the answer is revealed.
    pub answer: Option<Duration>,
    /// Answer parts revealed so far (0 before the reveal).
    pub revealed: usize,
    pub preview: Option<Preview>,
    pub answered: Vec<Answered>,
    pub scroll: u16,
    /// Whole seconds shown by the last drawn timer (to redraw only when it changes).
    pub shown_second: u64,
}

impl Drill {
    /// The STAR pacing bar applies: a story question (not a follow-up, the numbers, or a
    /// prepared answer that is not told as STAR).
    pub fn paced(&self) -> bool {
        self.session.current().is_some_and(|c| is_star(&c.card))
    }

    /// Time spent so far on each section (the running one counted up to `now`).
    pub fn section_times(&self, now: Timestamp) -> [Duration; 4] {
        let mut times = self.sections.map(Option::unwrap_or_default);
        if self.answer.is_none() {
            times[self.section] = since(self.section_started, now);
        }
        times
    }

    pub fn elapsed(&self, now: Timestamp) -> Duration {
        self.answer.unwrap_or_else(|| since(self.card_started, now))
    }

    pub fn target(&self) -> Duration {
        self.budgets.iter().sum()
    }

    fn reset_card(&mut self, now: Timestamp) {
        self.card_started = now;
        self.section = 0;
        self.section_started = now;
        self.sections = [None; 4];
        self.answer = None;
        self.revealed = 0;
        self.preview = None;
        self.scroll = 0;
    }
}

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

/// The demo screen: one run's events as they arrive.
#[derive(Debug, Clone)]
pub struct DemoView {
    pub demo_id: String,
    pub run: Option<RunId>,
    pub state: RunState,
    pub phase: Option<String>,
    pub progress: Option<(String, u64, Option<u64>, String)>,
    pub log: VecDeque<(Level, String)>,
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

    fn push_log(&mut self, level: Level, message: String) {
        if self.log.len() == LOG_CAP {
            self.log.pop_front();
        }
        self.log.push_back((level, message));
    }
}

/// Statistics, loaded by [`Effect::LoadStats`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Reviews per day for the last 84 days (12 weeks), oldest first.
    pub per_day: Vec<(jiff::civil::Date, usize)>,
    pub retention: Option<f64>,
    pub retention_reviews: usize,
    pub target_retention: f64,
    pub forecast: Vec<(jiff::civil::Date, usize)>,
    pub leeches: Vec<(CardId, u32, String)>,
    pub total_reviews: u64,
}

/// The whole app.
pub struct App {
    pub data: Data,
    pub library: Library,
    pub story: StoryView,
    pub drill: Option<Drill>,
    pub demo: Option<DemoView>,
    /// Parameters per demo id, as last typed (empty: the demo's defaults).
    pub demo_params: BTreeMap<String, String>,
    /// The parameter line being edited on the demo screen.
    pub params_input: Option<String>,
    pub stats: Option<Stats>,
    pub screens: Vec<Screen>,
    pub help: bool,
    pub status: Option<Status>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub budgets: [Duration; 4],
    /// The time actions are applied at; the event loop sets it before each update.
    pub now: Timestamp,
    pub quit: bool,
    pub dirty: bool,
    matcher: SkimMatcherV2,
}

/// Rows a page-up/down moves.
const PAGE: usize = 10;

impl App {
    pub fn new(
        data: Data,
        keymap: Keymap,
        theme: Theme,
        drill: &DrillConfig,
        now: Timestamp,
    ) -> App {
        let secs = |s: u32| Duration::from_secs(u64::from(s));
        let mut app = App {
            data,
            library: Library::default(),
            story: StoryView::default(),
            drill: None,
            demo: None,
            demo_params: BTreeMap::new(),
            params_input: None,
            stats: None,
            screens: vec![Screen::Library],
            help: false,
            status: None,
            keymap,
            theme,
            budgets: [
                secs(drill.situation_seconds),
                secs(drill.task_seconds),
                secs(drill.action_seconds),
                secs(drill.result_seconds),
            ],
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
        match self.screen() {
            Screen::Library if self.library.searching => Mode::Search,
            Screen::Library => Mode::Library,
            Screen::Story => Mode::Story,
            Screen::Drill => Mode::Drill,
            Screen::Demo if self.params_input.is_some() => Mode::Params,
            Screen::Demo => Mode::Demo,
            Screen::Stats => Mode::Stats,
        }
    }

    pub fn matcher(&self) -> &SkimMatcherV2 {
        &self.matcher
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
        if !matches!(action, Action::Resize) {
            self.status = None;
        }
        match action {
            Action::Quit => {
                self.quit = true;
                return self.quit_effect();
            }
            Action::Resize | Action::Tick => return None,
            Action::Help => {
                self.help = true;
                return None;
            }
            _ => {}
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
        }
    }

    /// What quitting needs done: a running demo is killed (the loop also does it on exit).
    fn quit_effect(&mut self) -> Option<Effect> {
        if let Some(id) = self.drill.as_ref().and_then(|d| d.session_id) {
            self.drill = None;
            return Some(Effect::FinishSession(id));
        }
        if self.demo.as_ref().is_some_and(DemoView::is_running) {
            return Some(Effect::CancelDemo);
        }
        None
    }

    fn tick(&mut self) {
        if self.screen() != Screen::Drill {
            return;
        }
        let now = self.now;
        if let Some(drill) = self.drill.as_mut()
            && drill.answer.is_none()
            && !drill.session.is_finished()
        {
            let second = since(drill.card_started, now).as_secs();
            if second != drill.shown_second {
                drill.shown_second = second;
                self.dirty = true;
            }
        }
    }

    // ----- library -----

    fn update_library(&mut self, action: Action) -> Option<Effect> {
        let count = self.library.hits.len();
        match action {
            Action::Down => {
                self.library.selected = (self.library.selected + 1).min(count.saturating_sub(1));
            }
            Action::Up => self.library.selected = self.library.selected.saturating_sub(1),
            Action::PageDown => {
                self.library.selected = (self.library.selected + PAGE).min(count.saturating_sub(1));
            }
            Action::PageUp => self.library.selected = self.library.selected.saturating_sub(PAGE),
            Action::Top => self.library.selected = 0,
            Action::Bottom => self.library.selected = count.saturating_sub(1),
            Action::Open => {
                if let Some(index) = self.selected_index() {
                    self.open_story(index);
                }
            }
            Action::Search => self.library.searching = true,
            Action::SearchInput(c) => {
                self.library.query.push(c);
                self.refilter_typed();
            }
            Action::SearchBackspace => {
                self.library.query.pop();
                self.refilter();
            }
            Action::SearchAccept => self.library.searching = false,
            Action::SearchCancel => {
                self.library.searching = false;
                self.library.query.clear();
                self.refilter();
            }
            Action::NextTag => {
                self.library.tag = next_of(&self.data.tags, self.library.tag.as_ref());
                self.refilter();
            }
            Action::NextCompetency => {
                self.library.competency =
                    next_of(&self.data.competencies, self.library.competency.as_ref());
                self.refilter();
            }
            Action::ClearFilters => {
                self.library.query.clear();
                self.library.tag = None;
                self.library.competency = None;
                self.refilter();
            }
            Action::Back => self.pop(),
            Action::DrillDue => {
                return Some(Effect::StartDrill(DrillStart::due(self.library_scope())));
            }
            Action::DrillAhead => {
                return Some(Effect::StartDrill(DrillStart::ahead(self.library_scope())));
            }
            Action::DrillStory => return self.drill_focused(DrillMode::Scheduled),
            Action::Edit => return self.focused_story().map(|index| Effect::Edit { index }),
            Action::RunDemo => return self.run_demo(),
            Action::EditParams => self.edit_params(),
            Action::Stats => {
                self.push(Screen::Stats);
                return Some(Effect::LoadStats);
            }
            _ => {}
        }
        None
    }

    fn open_story(&mut self, index: usize) {
        self.story = StoryView { index, scroll: 0 };
        self.push(Screen::Story);
    }

    /// What `r` drills from the library: the tag filter's stories, or all.
    fn library_scope(&self) -> Scope {
        match &self.library.tag {
            Some(tag) => Scope::Tag(tag.clone()),
            None => Scope::All,
        }
    }

    fn drill_focused(&mut self, mode: DrillMode) -> Option<Effect> {
        let index = self.focused_story()?;
        let story = &self.data.stories.get(index)?.story;
        if story.meta.draft {
            self.set_error(format!(
                "{} is a draft: drafts are not drilled (set `draft: false` when it is ready)",
                story.id()
            ));
            return None;
        }
        Some(Effect::StartDrill(DrillStart {
            mode,
            ..DrillStart::due(Scope::Story(story.id().to_owned()))
        }))
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

    fn run_demo(&mut self) -> Option<Effect> {
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
    fn edit_params(&mut self) {
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

    fn update_params(&mut self, action: Action) -> Option<Effect> {
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

    /// Recomputes the library's list for the query and filters, over every story.
    pub fn refilter(&mut self) {
        self.library.searched.clear();
        self.refilter_typed();
    }

    /// [`App::refilter`] after a character was typed: a query that extends the last one
    /// only searches the last hits (a match of `abc` implies one of `ab`, and the filters
    /// have not changed).
    fn refilter_typed(&mut self) {
        let query = self.library.query.trim().to_owned();
        let narrowing = !self.library.searched.is_empty()
            && query.starts_with(&self.library.searched)
            && !query.is_empty();
        let candidates: Vec<usize> = if narrowing {
            self.library.hits.iter().map(|h| h.index).collect()
        } else {
            (0..self.data.stories.len()).collect()
        };
        let tag = self.library.tag.as_ref();
        let competency = self.library.competency.as_ref();
        let query_lower = query.to_lowercase();
        let index = &self.data.index;
        let terms: Vec<std::ops::Range<u32>> = query_lower
            .split_whitespace()
            .map(|term| index.prefix_range(term))
            .collect();
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .filter_map(|i| {
                if tag.is_some() || competency.is_some() {
                    let meta = &self.data.stories[i].story.meta;
                    if tag.is_some_and(|t| !meta.tags.contains(t))
                        || competency.is_some_and(|c| !meta.competencies.contains(c))
                    {
                        return None;
                    }
                }
                if query.is_empty() {
                    return Some(Hit { index: i, score: 0 });
                }
                let title = quick_score(index.title(i), &query_lower);
                let words = terms.iter().all(|range| index.has_word_in(i, range));
                match (title, words) {
                    (Some(score), _) => Some(Hit {
                        index: i,
                        score: score + if words { WORDS_BONUS } else { 0 },
                    }),
                    (None, true) => Some(Hit { index: i, score: 0 }),
                    (None, false) => None,
                }
            })
            .collect();
        if !query.is_empty() {
            // Few enough hits: rank titles with fuzzy-matcher's (slower, finer) skim score.
            if hits.len() <= FINE_RANKING {
                for hit in hits.iter_mut().filter(|h| h.score > 0) {
                    let title = &self.data.stories[hit.index].story.meta.title;
                    let words = hit.score >= WORDS_BONUS;
                    hit.score = self.matcher.fuzzy_match(title, &query).unwrap_or(0)
                        + if words { WORDS_BONUS } else { 0 };
                }
            }
            // Stable: equal scores keep story order.
            hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        }
        let selected_story = self.selected_index();
        self.library.hits = hits;
        self.library.searched = query;
        self.library.selected = selected_story
            .and_then(|s| self.library.hits.iter().position(|h| h.index == s))
            .filter(|_| self.library.query.is_empty())
            .unwrap_or(0);
    }

    /// Sets the query and searches every story (no narrowing): the slowest keystroke.
    pub fn search(&mut self, query: &str) {
        self.library.query = query.to_owned();
        self.refilter();
    }

    /// Character positions of the query's fuzzy match in a title (for highlighting).
    pub fn title_matches(&self, title: &str) -> Vec<usize> {
        let query = self.library.query.trim();
        if query.is_empty() {
            return Vec::new();
        }
        self.matcher
            .fuzzy_indices(title, query)
            .map(|(_, indices)| indices)
            .unwrap_or_default()
    }

    // ----- story -----

    fn update_story(&mut self, action: Action) -> Option<Effect> {
        let scroll = &mut self.story.scroll;
        match action {
            Action::Down => *scroll = scroll.saturating_add(1),
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(PAGE as u16),
            Action::PageUp => *scroll = scroll.saturating_sub(PAGE as u16),
            Action::Top => *scroll = 0,
            Action::Bottom => *scroll = u16::MAX / 2,
            Action::Back => self.pop(),
            Action::Edit => {
                return Some(Effect::Edit {
                    index: self.story.index,
                });
            }
            Action::RunDemo => return self.run_demo(),
            Action::EditParams => self.edit_params(),
            Action::DrillStory => return self.drill_focused(DrillMode::Scheduled),
            Action::DrillAhead => return self.drill_focused(DrillMode::Cram),
            _ => {}
        }
        None
    }

    /// A story file was reloaded after editing.
    pub fn story_reloaded(&mut self, index: usize, result: Result<(), String>) {
        match result {
            Ok(()) => {
                let id = self.data.stories[index].story.id().to_owned();
                self.refilter();
                self.set_status(format!("reloaded {id}"));
            }
            Err(error) => self.set_error(error),
        }
    }

    // ----- drill -----

    /// A drill session was built (by [`Effect::StartDrill`]).
    pub fn begin_drill(
        &mut self,
        session: DrillSession,
        scope: Scope,
        session_id: Option<SessionId>,
    ) {
        let now = self.now;
        self.drill = Some(Drill {
            session,
            scope,
            session_id,
            budgets: self.budgets,
            card_started: now,
            section: 0,
            section_started: now,
            sections: [None; 4],
            answer: None,
            revealed: 0,
            preview: None,
            answered: Vec::new(),
            scroll: 0,
            shown_second: 0,
        });
        self.push(Screen::Drill);
        self.dirty = true;
    }

    fn update_drill(&mut self, action: Action) -> Option<Effect> {
        let now = self.now;
        let Some(drill) = self.drill.as_mut() else {
            self.pop();
            return None;
        };
        match action {
            Action::Back => {
                let id = drill.session_id;
                self.drill = None;
                self.pop();
                return id.map(Effect::FinishSession);
            }
            Action::Down => drill.scroll = drill.scroll.saturating_add(1),
            Action::Up => drill.scroll = drill.scroll.saturating_sub(1),
            Action::NextSection
                if drill.answer.is_none() && drill.section < 3 && !drill.session.is_finished() =>
            {
                drill.sections[drill.section] = Some(since(drill.section_started, now));
                drill.section += 1;
                drill.section_started = now;
            }
            Action::Reveal => {
                let card = drill.session.current()?;
                let parts = card.card.answer.len().max(1);
                if drill.answer.is_none() {
                    drill.sections[drill.section] = Some(since(drill.section_started, now));
                    drill.answer = Some(since(drill.card_started, now));
                    drill.session.reveal();
                    drill.revealed = 1;
                    match drill.session.preview(now) {
                        Ok(preview) => drill.preview = preview,
                        Err(e) => {
                            let message = e.to_string();
                            self.set_error(message);
                        }
                    }
                } else if drill.revealed < parts {
                    drill.revealed += 1;
                }
            }
            Action::Grade(grade) => {
                if !drill.session.is_revealed() {
                    self.set_error("reveal the answer first (space)");
                    return None;
                }
                let card = drill.session.current()?.clone();
                let paced = is_star(&card.card);
                let sections = if paced { drill.sections } else { [None; 4] };
                let timing = Timing {
                    answer: drill.answer,
                    sections,
                };
                match drill.session.grade(grade, now, timing) {
                    Ok(review) => {
                        drill.answered.push(Answered {
                            card: card.card.id.clone(),
                            prompt: card.card.prompt.clone(),
                            grade,
                            answer: drill.answer,
                            paced,
                            sections,
                        });
                        drill.reset_card(now);
                        return Some(Effect::RecordReview {
                            review,
                            session: drill.session_id,
                        });
                    }
                    Err(e) => {
                        let message = e.to_string();
                        self.set_error(message);
                    }
                }
            }
            Action::Undo => match drill.session.undo() {
                Some(review) => {
                    drill.answered.pop();
                    drill.reset_card(now);
                    self.set_status(format!("undone: {} on {}", review.grade, review.card));
                    return Some(Effect::UndoReview(review));
                }
                None => self.set_error("nothing to undo"),
            },
            _ => {}
        }
        None
    }

    // ----- demo -----

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
                } => view.progress = Some((phase, done, total, unit)),
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
                        .find(|(level, _)| *level != Level::Info)
                        .map(|(_, l)| format!(": {l}"))
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

    fn update_demo(&mut self, action: Action) -> Option<Effect> {
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
                view.scroll = (view.scroll + PAGE).min(view.log.len().saturating_sub(1));
            }
            Action::PageDown => {
                view.scroll = view.scroll.saturating_sub(PAGE);
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

    // ----- stats -----

    fn update_stats(&mut self, action: Action) -> Option<Effect> {
        if action == Action::Back {
            self.pop();
        }
        None
    }
}

fn is_star(card: &crate::srs::Card) -> bool {
    card.kind == CardKind::Question && card.answer.iter().any(|part| part.label == "Situation")
}

fn since(start: Timestamp, now: Timestamp) -> Duration {
    Duration::try_from(now.duration_since(start).max(SignedDuration::ZERO)).unwrap_or_default()
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

/// Added to a title match when every query word also starts a word of the story.
const WORDS_BONUS: i64 = 100_000;
/// Up to this many hits are ranked with fuzzy-matcher's skim score.
const FINE_RANKING: usize = 1_000;

/// A fast fuzzy score of `title` (lower case) for `query` (lower case): None unless the query's
/// characters appear in the title in order. Matches at word starts and in runs score higher;
/// a contiguous match higher still. This filters and ranks 10,000 titles in well under the
/// 5 ms a keystroke may take; fuzzy-matcher then ranks the survivors when they are few.
fn quick_score(title: &str, query: &str) -> Option<i64> {
    let mut score = 0i64;
    let mut wanted = query.chars().filter(|c| !c.is_whitespace()).peekable();
    let mut previous: Option<char> = None;
    let mut run = 0i64;
    let mut first: Option<usize> = None;
    let mut last = 0;
    for (i, c) in title.chars().enumerate() {
        let Some(&want) = wanted.peek() else {
            break;
        };
        if c == want {
            wanted.next();
            let word_start = previous.is_none_or(|p| !p.is_alphanumeric());
            run += 1;
            score += 16 + if word_start { 12 } else { 0 } + if run > 1 { 8 * run } else { 0 };
            first.get_or_insert(i);
            last = i;
        } else {
            run = 0;
        }
        previous = Some(c);
    }
    if wanted.peek().is_some() {
        return None;
    }
    let spread = i64::try_from(last - first.unwrap_or(0)).unwrap_or(0);
    if title.contains(query) {
        score += 50;
    }
    Some((score - spread).max(1))
}

#[cfg(test)]
mod tests;
