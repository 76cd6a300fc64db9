//! The one reader of input. Polls crossterm with a timeout, drains a bounded number of runner
//! messages, and draws only when something changed: idle, it wakes once a second and draws
//! nothing. The time it applies actions at is the practice core's clock.

use std::io::stdout;
use std::time::Duration;

use anyhow::Result;
use crossterm::event::{self, Event as TermEvent, KeyEvent, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::DefaultTerminal;

use super::app::{Action, App, Screen};
use super::effects::{Effects, Terminal};
use super::keymap::Key;
use super::screens;

/// Runner messages handled per loop turn, so a chatty demo cannot starve the keyboard.
const MESSAGES_PER_TURN: usize = 512;

struct Term<'a>(&'a mut DefaultTerminal);

impl Terminal for Term<'_> {
    fn suspend(&mut self) -> Result<()> {
        ratatui::try_restore()?;
        Ok(())
    }

    fn resume(&mut self) -> Result<()> {
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen)?;
        self.0.clear()?;
        Ok(())
    }
}

pub fn run(terminal: &mut DefaultTerminal, app: &mut App, effects: &mut Effects) -> Result<()> {
    // A termination signal stops the loop as `q` does (see `signals`).
    while !app.quit && super::signals::received().is_none() {
        if app.dirty {
            terminal.draw(|frame| screens::render(app, frame))?;
            app.dirty = false;
        }
        let timeout = if effects.runner.current().is_some() {
            Duration::from_millis(50)
        } else if timer_running(app) {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(1)
        };
        if event::poll(timeout)? {
            // Everything already queued, then draw once.
            loop {
                handle(event::read()?, terminal, app, effects)?;
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        effects.runner.poll_exit();
        for message in effects.runner.drain(MESSAGES_PER_TURN) {
            if let Some(effect) = app.demo_message(message) {
                effects.perform(effect, app, &mut Term(terminal))?;
            }
        }
        app.now = effects.practice.now();
        app.update(Action::Tick);
    }
    Ok(())
}

fn timer_running(app: &App) -> bool {
    match app.screen() {
        Screen::Drill => app
            .drill
            .as_ref()
            .is_some_and(|d| d.session.clock_running()),
        Screen::Mock => app.mock.as_ref().is_some_and(|m| m.session.timed()),
        _ => false,
    }
}

/// Debug builds only: the key named by `REHEARSE_TEST_PANIC_KEY` panics, so the end-to-end test
/// can check that a panic still gives the terminal back and keeps the reviews already saved.
#[cfg(debug_assertions)]
fn panic_on_test_key(key: KeyEvent) {
    let wanted = std::env::var_os("REHEARSE_TEST_PANIC_KEY")
        .and_then(|v| v.to_string_lossy().chars().next());
    if wanted.is_some_and(|c| key.code == event::KeyCode::Char(c)) {
        panic!("REHEARSE_TEST_PANIC_KEY was pressed");
    }
}

#[cfg(not(debug_assertions))]
fn panic_on_test_key(_key: KeyEvent) {}

fn handle(
    event: TermEvent,
    terminal: &mut DefaultTerminal,
    app: &mut App,
    effects: &mut Effects,
) -> Result<()> {
    let action = match event {
        TermEvent::Key(key) if key.kind != KeyEventKind::Release => {
            panic_on_test_key(key);
            app.keymap.action(app.mode(), Key::from_event(key))
        }
        TermEvent::Resize(width, height) => Some(Action::Resize { width, height }),
        _ => None,
    };
    if let Some(action) = action {
        app.now = effects.practice.now();
        if let Some(effect) = app.update(action) {
            effects.perform(effect, app, &mut Term(terminal))?;
        }
    }
    Ok(())
}
