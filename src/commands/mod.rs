//! One file per verb. This is the binary's edge: errors become `anyhow` with context here.

use std::process::ExitCode;

use std::sync::Arc;

use anyhow::{Context, Result};
use rehearse::config::{Config, Paths, StoriesLocation};
use rehearse::practice::mock::MockOptions;
use rehearse::practice::{Clock, Practice, Settings, SystemClock};
use rehearse::store::SyncReport;
use rehearse::story::{LoadReport, bundled};

use crate::cli::{Cli, Command};

mod anki;
mod cards;
mod demo;
mod drill;
mod due;
mod export;
mod import;
mod job;
mod lint;
mod list;
mod listen;
mod mock;
mod new;
mod prompt;
mod questions;
mod show;
mod speech;
mod stats;
mod sync;

/// Everything a command needs, resolved once from the command line and the config.
pub struct Env {
    pub config: Config,
    pub paths: Paths,
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let config = Config::load(cli.config.as_deref())?;
    let paths = Paths::resolve(cli.stories, cli.db, &config)?;
    let env = Env { config, paths };
    match cli.command {
        Some(Command::Lint(args)) => lint::run(&env, args),
        Some(Command::List) => list::run(&env),
        Some(Command::Show { id }) => show::run(&env, &id),
        Some(Command::New {
            title,
            no_edit,
            competency,
        }) => new::run(&env, &title, no_edit, competency.as_deref()),
        Some(Command::Questions { competency }) => questions::run(&env, competency.as_deref()),
        Some(Command::Export(args)) => export::run(&env, args),
        Some(Command::Import(args)) => import::run(&env, args),
        Some(Command::Demo(command)) => demo::run(&env, command),
        Some(Command::Due(args)) => due::run(&env, args),
        Some(Command::Stats) => stats::run(&env),
        Some(Command::Drill(args)) => drill::run(&env, args),
        Some(Command::Cards(args)) => cards::run(&env, args),
        Some(Command::Mock(args)) => mock::run(&env, args),
        Some(Command::Job(args)) => job::run(&env, args),
        Some(Command::Sync(args)) => sync::run(&env, args),
        Some(Command::Anki(command)) => anki::run(&env, command),
        Some(Command::Speech(command)) => speech::run(&env, command),
        Some(Command::Listen(args)) => listen::run(&env, args),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "rehearse", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        None => tui(&env, None, None),
    }
}

/// No subcommand: the TUI on a terminal; help when output is not a terminal (a pipe, a script).
pub fn tui(
    env: &Env,
    drill: Option<rehearse::practice::DrillRequest>,
    interview_date: Option<jiff::civil::Date>,
) -> Result<ExitCode> {
    let start = match drill {
        Some(request) => rehearse::tui::Start::Drill(request),
        None => rehearse::tui::Start::Library,
    };
    let mock = MockOptions::from_config(&env.config);
    open_tui(env, start, interview_date, mock)
}

/// `rehearse mock` without `--plain`: the TUI, opened on a mock.
pub fn tui_mock(env: &Env, options: MockOptions) -> Result<ExitCode> {
    open_tui(env, rehearse::tui::Start::Mock, None, options)
}

fn open_tui(
    env: &Env,
    start: rehearse::tui::Start,
    interview_date: Option<jiff::civil::Date>,
    mock: MockOptions,
) -> Result<ExitCode> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        match start {
            rehearse::tui::Start::Library => {}
            rehearse::tui::Start::Drill(_) => anyhow::bail!(
                "the full-screen drill needs a terminal; use `rehearse drill --plain` in scripts"
            ),
            rehearse::tui::Start::Mock => anyhow::bail!(
                "the full-screen mock needs a terminal; use `rehearse mock --plain` in scripts"
            ),
        }
        use clap::CommandFactory;
        Cli::command().print_help().context("printing help")?;
        return Ok(ExitCode::SUCCESS);
    }
    // The TUI shows files that did not load in its own panel, not on stderr.
    let practice = open_practice(env, interview_date, Quiet::Yes)?;
    rehearse::tui::run(
        rehearse::tui::Setup {
            config: env.config.clone(),
            paths: env.paths.clone(),
            practice,
            mock,
        },
        start,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The time every command works at: the wall clock, handed to the core (the one place a
/// front end names it).
pub fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// Whether loading reports skipped files and card notes on stderr.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quiet {
    Yes,
    No,
}

/// The practice core every command that drills, counts or exports works on: the stories
/// loaded, the database opened and its cards synced, the wall clock. Built here only. Files
/// that did not load and cards that lost their question are reported on stderr.
pub fn practice(env: &Env, interview_date: Option<jiff::civil::Date>) -> Result<Practice> {
    open_practice(env, interview_date, Quiet::No)
}

fn open_practice(
    env: &Env,
    interview_date: Option<jiff::civil::Date>,
    quiet: Quiet,
) -> Result<Practice> {
    let report = match quiet {
        Quiet::Yes => load_stories_quietly(env)?,
        Quiet::No => load_stories(env)?,
    };
    let mut settings =
        Settings::from_config(&env.config, vec![env.paths.stories.path().to_owned()]);
    settings.interview_date = interview_date;
    settings.speech =
        rehearse::speech::setup::session_speech(speech::home().ok().as_ref(), &env.config.speech);
    let (practice, sync) = Practice::open(report, &env.paths.db, settings, clock())?;
    practice.check_interview_date(interview_date)?;
    if quiet == Quiet::No {
        note_sync(&sync);
    }
    Ok(practice)
}

fn note_sync(sync: &SyncReport) {
    for rename in &sync.renamed {
        eprintln!(
            "note: story `{}` is now `{}`; its cards and their history moved with it",
            rename.from, rename.to
        );
    }
    if sync.orphaned > 0 {
        eprintln!(
            "note: {} card(s) lost their question; their history is kept (`rehearse cards --orphans` lists them)",
            sync.orphaned
        );
    }
}

/// Loads the story folder (installing the bundled stories on first run) and reports files that
/// could not be loaded on stderr, so a bad file is never silent and never hides the others.
pub fn load_stories(env: &Env) -> Result<LoadReport> {
    let report = load_stories_quietly(env)?;
    if !report.errors.is_empty() {
        eprintln!(
            "warning: {} file(s) skipped (run `rehearse lint` for details):",
            report.errors.len()
        );
        for error in &report.errors {
            eprintln!("  {error}");
        }
    }
    Ok(report)
}

/// [`load_stories`] without the warnings, for commands that report errors themselves. An id
/// two files share goes to the file whose cards the database holds (the practice core's rule).
pub fn load_stories_quietly(env: &Env) -> Result<LoadReport> {
    let folder = env.paths.stories.path();
    match &env.paths.stories {
        StoriesLocation::Bundled(dir) => {
            let copied = bundled::install(dir).with_context(|| {
                format!("installing the bundled stories into {}", dir.display())
            })?;
            if copied > 0 {
                eprintln!("{}", bundled::installed_note(copied, dir));
            }
        }
        StoriesLocation::Folder(dir) if !dir.is_dir() => {
            anyhow::bail!("story folder {} does not exist", dir.display());
        }
        StoriesLocation::Folder(_) => {}
    }
    Ok(rehearse::practice::load_stories(
        &[folder.to_owned()],
        &env.paths.db,
    ))
}
