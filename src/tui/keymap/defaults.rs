//! The default bindings, one compact table per mode: keys, action, the name `[keys]` uses, the
//! description `?` shows and the help bar's short label (empty: only on `?`).

use super::Mode;
use crate::srs::Grade;
use crate::tui::action::Action;

/// One default binding; `keys` as the config writes them (`"j, down"`).
pub struct Row {
    pub keys: &'static str,
    pub action: Action,
    pub name: &'static str,
    pub description: &'static str,
    pub bar: &'static str,
}

const fn row(
    keys: &'static str,
    action: Action,
    name: &'static str,
    description: &'static str,
    bar: &'static str,
) -> Row {
    Row {
        keys,
        action,
        name,
        description,
        bar,
    }
}

/// A grade's binding: the drill and the mock's self-check share them, so `[keys]` moves both.
const fn grade(grade: Grade) -> Row {
    match grade {
        Grade::Again => row(
            "1",
            Action::Grade(grade),
            "grade_again",
            "grade: Again",
            "again",
        ),
        Grade::Hard => row(
            "2",
            Action::Grade(grade),
            "grade_hard",
            "grade: Hard",
            "hard",
        ),
        Grade::Good => row(
            "3",
            Action::Grade(grade),
            "grade_good",
            "grade: Good",
            "good",
        ),
        Grade::Easy => row(
            "4",
            Action::Grade(grade),
            "grade_easy",
            "grade: Easy",
            "easy",
        ),
    }
}

const LIBRARY: &[Row] = &[
    row(
        "enter, l, right",
        Action::Open,
        "open",
        "open story",
        "open",
    ),
    row("/", Action::Search, "search", "search", "search"),
    row("t", Action::NextTag, "filter_tag", "filter by tag", "tag"),
    row(
        "c",
        Action::NextCompetency,
        "filter_competency",
        "filter by competency",
        "",
    ),
    row(
        "x",
        Action::ClearFilters,
        "clear_filters",
        "clear search and filters",
        "",
    ),
    row(
        "r",
        Action::DrillDue,
        "drill_due",
        "drill due cards (tag filter applies)",
        "due",
    ),
    row(
        "a",
        Action::DrillAhead,
        "drill_ahead",
        "practise ahead (not yet due)",
        "",
    ),
    row(
        "s",
        Action::DrillStory,
        "drill_story",
        "drill this story",
        "drill",
    ),
    row("e", Action::Edit, "edit", "edit in $VISUAL / $EDITOR", ""),
    row("d", Action::RunDemo, "run_demo", "run the linked demo", ""),
    row("S", Action::Stats, "stats", "statistics", "stats"),
    row(
        "m",
        Action::MockStart,
        "mock",
        "mock interview (unseen questions; pick, tell, probes)",
        "mock",
    ),
    row(
        "R",
        Action::Reload,
        "reload",
        "read the story folder again (new, deleted, edited files)",
        "",
    ),
    row("q", Action::Quit, "quit", "quit", "quit"),
    row(
        "esc",
        Action::ClearFilters,
        "clear",
        "clear search and filters",
        "",
    ),
];

const SEARCH: &[Row] = &[
    row(
        "enter",
        Action::SearchAccept,
        "search_accept",
        "keep the results",
        "done",
    ),
    row(
        "esc",
        Action::SearchCancel,
        "search_cancel",
        "clear the search",
        "clear",
    ),
    row(
        "backspace",
        Action::SearchBackspace,
        "search_backspace",
        "delete a character",
        "",
    ),
    row("down, ctrl-n", Action::Down, "search_down", "next", "next"),
    row(
        "up, ctrl-p",
        Action::Up,
        "search_up",
        "previous",
        "previous",
    ),
    row("ctrl-c", Action::Quit, "quit_now", "quit from anywhere", ""),
];

const STORY: &[Row] = &[
    row(
        "s",
        Action::DrillStory,
        "drill_story",
        "drill this story",
        "drill",
    ),
    row(
        "a",
        Action::DrillAhead,
        "drill_ahead",
        "practise this story ahead",
        "ahead",
    ),
    row(
        "d",
        Action::RunDemo,
        "run_demo",
        "run the linked demo",
        "demo",
    ),
    row(
        "e",
        Action::Edit,
        "edit",
        "edit in $VISUAL / $EDITOR",
        "edit",
    ),
    row(
        "p",
        Action::EditParams,
        "demo_params",
        "run the demo with parameters",
        "",
    ),
    row(
        "R",
        Action::Reload,
        "reload",
        "read the story folder again (new, deleted, edited files)",
        "",
    ),
    row("q, esc", Action::Back, "back", "back", "back"),
];

const DRILL: &[Row] = &[
    row(
        "tab",
        Action::NextSection,
        "next_section",
        "next STAR section",
        "next",
    ),
    row(
        "space",
        Action::Reveal,
        "reveal",
        "reveal next part",
        "reveal",
    ),
    grade(Grade::Again),
    grade(Grade::Hard),
    grade(Grade::Good),
    grade(Grade::Easy),
    row(
        "a",
        Action::AcceptSuggested,
        "accept_suggested",
        "grade as the spoken answer's feedback suggests",
        "",
    ),
    row(
        "r",
        Action::Record,
        "record",
        "record your answer (again: end it)",
        "record",
    ),
    row("u", Action::Undo, "undo", "undo last grade", "undo"),
    row("q, esc", Action::Back, "back", "end the session", "back"),
];

const DEMO: &[Row] = &[
    row(
        "esc",
        Action::Back,
        "cancel",
        "cancel the run, or back",
        "cancel/back",
    ),
    row("q", Action::Back, "back", "back (cancels a run)", ""),
    row(
        "f",
        Action::Follow,
        "follow",
        "follow the log and the newest results",
        "follow",
    ),
    row(
        "t",
        Action::NextTable,
        "next_table",
        "show the next table",
        "tables",
    ),
    row(
        "c",
        Action::NextChart,
        "next_chart",
        "show the next chart",
        "charts",
    ),
    row(
        "z",
        Action::WideResults,
        "wide_results",
        "results across the whole width, or the log back",
        "wide",
    ),
    row("d", Action::RunDemo, "run_demo", "run again", "run again"),
    row(
        "p",
        Action::EditParams,
        "demo_params",
        "set the parameters and run",
        "params",
    ),
];

/// The mock's question, feedback and probe steps.
const MOCK: &[Row] = &[
    row(
        "enter",
        Action::MockNext,
        "mock_next",
        "next step: pick, tell the story, end a probe, next probe",
        "next",
    ),
    row(
        "q, esc",
        Action::Back,
        "back",
        "leave the mock (graded questions are saved)",
        "leave",
    ),
];

/// The mock's report.
const MOCK_REPORT: &[Row] = &[row(
    "q, esc",
    Action::Back,
    "back",
    "close the report",
    "close",
)];

/// Telling the story on the pacing timer.
const MOCK_ANSWER: &[Row] = &[
    row(
        "enter",
        Action::MockNext,
        "mock_next",
        "end the answer",
        "done",
    ),
    row(
        "tab",
        Action::NextSection,
        "next_section",
        "next STAR section",
        "section",
    ),
    row(
        "c",
        Action::MockCheck,
        "mock_check",
        "show or hide the story while answering",
        "check",
    ),
    row(
        "r",
        Action::Record,
        "record",
        "record your answer (again: end it)",
        "record",
    ),
    row(
        "q, esc",
        Action::Back,
        "back",
        "leave the mock (graded questions are saved)",
        "leave",
    ),
];

/// Answering a probe.
const MOCK_PROBE: &[Row] = &[
    row(
        "enter",
        Action::MockNext,
        "mock_next",
        "end your answer to the probe",
        "done",
    ),
    row(
        "r",
        Action::Record,
        "record",
        "record your answer (again: end it)",
        "record",
    ),
    row(
        "q, esc",
        Action::Back,
        "back",
        "leave the mock (graded questions are saved)",
        "leave",
    ),
];

/// The self-check, then the grade.
const MOCK_CHECK: &[Row] = &[
    row("y", Action::MockYes, "mock_yes", "self-check: yes", "yes"),
    row("n", Action::MockNo, "mock_no", "self-check: no", "no"),
    grade(Grade::Again),
    grade(Grade::Hard),
    grade(Grade::Good),
    grade(Grade::Easy),
    row(
        "a",
        Action::AcceptSuggested,
        "accept_suggested",
        "grade as the spoken answer's feedback suggests",
        "",
    ),
    row("j, down", Action::Down, "down", "scroll down", ""),
    row("k, up", Action::Up, "up", "scroll up", ""),
    row(
        "q, esc",
        Action::Back,
        "back",
        "leave the mock (graded questions are saved)",
        "leave",
    ),
];

const MOCK_PICK: &[Row] = &[
    row(
        "enter",
        Action::SearchAccept,
        "mock_pick",
        "pick the selected story (or none)",
        "pick",
    ),
    row(
        "esc",
        Action::SearchCancel,
        "mock_pick_cancel",
        "clear the search; with none typed, leave the mock",
        "clear/leave",
    ),
    row(
        "backspace",
        Action::SearchBackspace,
        "mock_pick_backspace",
        "delete a character",
        "",
    ),
    row("down, ctrl-n", Action::Down, "mock_pick_down", "next", ""),
    row("up, ctrl-p", Action::Up, "mock_pick_up", "previous", ""),
    row("ctrl-c", Action::Quit, "quit_now", "quit from anywhere", ""),
];

const STATS: &[Row] = &[row("q, esc", Action::Back, "back", "back", "back")];

const HELP: &[Row] = &[
    row("q, esc, ?", Action::Back, "back", "close help", "close"),
    row("ctrl-c", Action::Quit, "quit_now", "quit from anywhere", ""),
];

const PARAMS: &[Row] = &[
    row(
        "enter",
        Action::SearchAccept,
        "params_accept",
        "run with these parameters",
        "run",
    ),
    row(
        "esc",
        Action::SearchCancel,
        "params_cancel",
        "cancel",
        "cancel",
    ),
    row(
        "backspace",
        Action::SearchBackspace,
        "params_backspace",
        "delete a character",
        "",
    ),
    row("ctrl-c", Action::Quit, "quit_now", "quit from anywhere", ""),
];

/// Moving through a list.
const LIST: &[Row] = &[
    row("j, down", Action::Down, "down", "next", ""),
    row("k, up", Action::Up, "up", "previous", ""),
    row(
        "pagedown, ctrl-d",
        Action::PageDown,
        "page_down",
        "page down",
        "",
    ),
    row("pageup, ctrl-u", Action::PageUp, "page_up", "page up", ""),
    row("g, home", Action::Top, "top", "first", ""),
    row("G, end", Action::Bottom, "bottom", "last", ""),
];

/// Scrolling text.
const SCROLL: &[Row] = &[
    row("j, down", Action::Down, "down", "scroll down", ""),
    row("k, up", Action::Up, "up", "scroll up", ""),
    row(
        "pagedown, ctrl-d",
        Action::PageDown,
        "page_down",
        "page down",
        "",
    ),
    row("pageup, ctrl-u", Action::PageUp, "page_up", "page up", ""),
    row("g, home", Action::Top, "top", "first", ""),
    row("G, end", Action::Bottom, "bottom", "last", ""),
];

/// Every screen that is not typing text.
const COMMON: &[Row] = &[
    row("?", Action::Help, "help", "all keys", ""),
    row("ctrl-c", Action::Quit, "quit_now", "quit from anywhere", ""),
];

/// Each mode's rows, in the order `?` lists them.
pub const TABLES: [(Mode, &[&[Row]]); 14] = [
    (Mode::Library, &[LIBRARY, LIST, COMMON]),
    (Mode::Search, &[SEARCH]),
    (Mode::Story, &[STORY, SCROLL, COMMON]),
    (Mode::Drill, &[DRILL, SCROLL, COMMON]),
    (Mode::Demo, &[DEMO, SCROLL, COMMON]),
    (Mode::Stats, &[STATS, SCROLL, COMMON]),
    (Mode::Help, &[HELP]),
    (Mode::Params, &[PARAMS]),
    (Mode::Mock, &[MOCK, COMMON]),
    (Mode::MockReport, &[MOCK_REPORT, SCROLL, COMMON]),
    (Mode::MockAnswer, &[MOCK_ANSWER, COMMON]),
    (Mode::MockProbe, &[MOCK_PROBE, COMMON]),
    (Mode::MockCheck, &[MOCK_CHECK, COMMON]),
    (Mode::MockPick, &[MOCK_PICK]),
];
