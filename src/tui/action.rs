//! What a key asks for: the keymap turns keys into these, and [`super::app::App::update`]
//! applies them. Its own module, so the keymap and the app both import it and not each other.

use crate::srs::Grade;

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
    /// Read the story folder again (new files, deleted files, edits made elsewhere).
    Reload,
    /// Start a mock interview.
    MockStart,
    /// The mock's next step: pick, tell it, end the answer, next probe.
    MockNext,
    /// Show or hide the picked story while answering.
    MockCheck,
    /// Self-check: yes.
    MockYes,
    /// Self-check: no.
    MockNo,
    /// Start recording the answer (drill, mock answer, probe); again, end the answer.
    Record,
    /// Grade as the feedback on the spoken answer suggests.
    AcceptSuggested,
    /// Time passed (the drill timer); not bound to a key.
    Tick,
    /// The terminal changed size; not bound to a key.
    Resize {
        width: u16,
        height: u16,
    },
}
