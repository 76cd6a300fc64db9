//! The terminal UI (`rehearse` with no subcommand): the only module that imports ratatui and
//! crossterm.
//!
//! Key -> [`app::Action`] (through the [`keymap`] tables) -> [`app::App::update`] ->
//! [`app::Effect`] performed by [`effects`] over the practice core -> [`app::Message`] back to
//! [`app::App::receive`]; the [`event_loop`] redraws only when something changed; [`screens`]
//! render the state; [`theme`] holds every style.

pub mod action;
pub mod app;
pub mod data;
pub mod effects;
pub mod event_loop;
pub mod keymap;
pub mod markdown;
pub mod screens;
pub mod signals;
pub mod theme;

#[cfg(test)]
mod testing;

use anyhow::{Context, Result};

use crate::config::{Config, Paths};
use crate::demo::runner::Runner;
use crate::practice::mock::MockPlan;
use crate::practice::{DrillRequest, Practice};
use crate::story::lint::LintOptions;

use app::App;
use data::Data;
use effects::Effects;
use keymap::Keymap;
use theme::Theme;

/// How long a write from the TUI waits for another process's database lock.
const INTERACTIVE_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

/// What the TUI starts from: the resolved config and paths, and the practice core (built once,
/// by the caller, with its clock).
pub struct Setup {
    pub config: Config,
    pub paths: Paths,
    pub practice: Practice,
    /// What `m` (and `rehearse mock`) starts.
    pub mock: MockOptions,
}

/// How the TUI's mocks are drawn: `rehearse mock`'s flags, or the defaults for `m`.
pub use crate::practice::mock::MockOptions;

/// What the TUI opens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    Library,
    Drill(DrillRequest),
    Mock,
}

/// Builds the app over the practice core (latest demo runs loaded, the mock's bank and job
/// read).
pub fn build(setup: Setup) -> Result<(App, Effects)> {
    let Setup {
        config,
        paths,
        practice,
        mock,
    } = setup;
    // Other machines' reviews first, so the cards shown are the merged ones.
    let synced = config
        .sync
        .dir
        .as_deref()
        .map(|dir| practice.sync_folder(dir));
    let lint = LintOptions::from(&config.lint);
    let load_errors: Vec<String> = practice
        .load_errors()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut data = Data::new(
        practice.stories().to_vec(),
        load_errors,
        &lint,
        crate::demo::is_known,
    );
    data.set_cards(practice.cards().context("reading the cards")?);
    data.set_picks(practice.pick_states().context("reading the pick cards")?);
    for id in data.linked_demos() {
        if let Some(run) = practice
            .latest_demo_run(&id)
            .context("reading demo results")?
        {
            data.demo_runs.insert(id, run);
        }
    }
    let (keymap, key_errors) = Keymap::with_overrides(&config.keys);
    let mut app = App::new(data, keymap, Theme::from_env(), practice.now());
    // The demo child writes its result to the same database and reads the same stories.
    let global_args = vec![
        "--db".to_owned(),
        paths.db.display().to_string(),
        "--stories".to_owned(),
        paths.stories.path().display().to_string(),
    ];
    let runner = Runner::for_current_exe(global_args).context("finding the rehearse executable")?;
    // From here on a write waits briefly for another process's lock, then says the database
    // is busy, instead of freezing the screen for the default 5 s.
    practice
        .set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT)
        .context("setting the database busy timeout")?;
    // A job file that cannot be read does not keep the library closed: it is named in the
    // start-up panel and mocks run unweighted (`rehearse mock --job` refuses it before this).
    let (plan, job_problem) = MockPlan::read_bank(&mock)?;
    let job_error =
        job_problem.map(|e| format!("[mock] job: {e}; mocks are not weighted by a job"));
    if let Some((file, ranking)) = &plan.job {
        app.job = Some(app::JobView {
            file: file.clone(),
            ranking: ranking.clone(),
        });
    }
    let effects = Effects {
        practice,
        runner,
        editor: effects::EditorChoice::FromEnv,
        mock: plan,
    };
    // Shown whole in a panel: a status line would cut them off.
    let mut key_errors = key_errors;
    key_errors.extend(job_error);
    if key_errors.is_empty() {
        app.show_load_errors();
    } else {
        let skipped = app.data.load_errors.len();
        let mut title = "settings not applied".to_owned();
        if skipped > 0 {
            title.push_str(&format!("; {skipped} file(s) skipped"));
        }
        let mut lines = key_errors;
        lines.extend(app.data.load_errors.iter().cloned());
        app.show_notice(title, lines);
    }
    if let Some(result) = synced {
        show_sync(&mut app, result);
    }
    Ok((app, effects))
}

/// Runs the TUI until the user quits. The terminal is restored on every path: normal exit,
/// error, panic (ratatui's hook), and SIGTERM/SIGHUP/SIGINT ([`signals`]).
///
/// It opens on the library, or straight into a drill (`rehearse drill`) or a mock
/// (`rehearse mock`).
pub fn run(setup: Setup, start: Start) -> Result<()> {
    let sync_dir = setup.config.sync.dir.clone();
    let (mut app, mut effects) = build(setup)?;
    match start {
        Start::Library => {}
        Start::Drill(request) => {
            // A bad scope fails here, before the terminal is taken over.
            let plan = effects
                .practice
                .start_drill(request, crate::practice::Interface::Tui)?;
            app.receive(app::Message::Drill(plan));
        }
        Start::Mock => {
            // So does a bad competency.
            let started = effects
                .practice
                .start_mock(&effects.mock, crate::practice::Interface::Tui)?;
            app.receive(app::Message::Mock(Ok(Box::new(started))));
        }
    }
    // SIGTERM, SIGHUP and SIGINT take the same way out as `q`, below.
    let running_demo = effects.runner.running_group();
    let signals = signals::Signals::install(move || running_demo.kill())
        .context("handling termination signals")?;
    let mut terminal = ratatui::try_init().context("setting up the terminal")?;
    show_cursor_after_a_panic();
    let result = event_loop::run(&mut terminal, &mut app, &mut effects);
    // Kill a running demo before giving the terminal back.
    effects.runner.cancel();
    // Close a session left open (every grade is stored already).
    if let Some(close) = app.drill.as_mut().and_then(|d| d.session.close()) {
        let _ = effects.practice.write_drill(close);
    }
    if let Some(id) = app.mock.as_ref().and_then(|m| m.session.id()) {
        let _ = effects.practice.finish_mock(id, &effects.mock.bank);
    }
    restore_terminal();
    signals.finish();
    // This session's reviews out to the sync folder; a failure leaves them for the next sync.
    if let Some(dir) = sync_dir
        && let Err(e) = effects.practice.sync_folder(&dir)
    {
        eprintln!("warning: not synced: {e}");
    }
    result
}

/// Gives the terminal back: cooked mode, the main screen, and the cursor shown again.
/// `ratatui::restore` leaves the cursor as the app left it, hidden; a normal exit shows it when
/// the terminal value is dropped, but a signal ends the process before that.
pub(crate) fn restore_terminal() {
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
}

/// ratatui's panic hook restores the terminal but not the cursor: show it too.
fn show_cursor_after_a_panic() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
        hook(info);
    }));
}

/// The start-up sync on the status line; a failure whole.
fn show_sync(
    app: &mut App,
    result: Result<crate::practice::sync::SyncSummary, crate::practice::sync::SyncError>,
) {
    match result {
        Ok(summary) if summary.skipped.is_empty() => app.set_status(format!(
            "synced: {} new from {} other machine(s)",
            summary.merged.added(),
            summary.machines.len()
        )),
        Ok(summary) => app.set_error_whole(format!(
            "synced, but {} log(s) were left out: {}",
            summary.skipped.len(),
            summary.skipped.join("; ")
        )),
        Err(e) if app.notice.is_none() => app.set_error_whole(format!("not synced: {e}")),
        Err(e) => app.set_error(format!("not synced: {e}")),
    }
}

/// Draws the app into an off-screen buffer of the given size: for benchmarks and tools that
/// need a frame without a terminal.
pub struct Offscreen {
    terminal: ratatui::Terminal<ratatui::backend::TestBackend>,
}

impl Offscreen {
    pub fn new(width: u16, height: u16) -> Offscreen {
        let terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
            .expect("the test backend never fails");
        Offscreen { terminal }
    }

    /// Draws one full frame.
    pub fn draw(&mut self, app: &App) {
        // Drawing into memory cannot fail.
        let _ = self.terminal.draw(|frame| screens::render(app, frame));
    }

    /// The screen as text, one line per row.
    pub fn text(&self) -> String {
        let buffer = self.terminal.backend().buffer();
        let width = usize::from(buffer.area.width.max(1));
        buffer
            .content
            .chunks(width)
            .map(|row| {
                row.iter()
                    .map(|cell| cell.symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
