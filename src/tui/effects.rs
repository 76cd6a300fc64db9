//! Performs the [`Effect`]s `update` returns, through the practice core, the demo runner and
//! the editor, and hands each result back to the app as a [`Message`]. Nothing here writes the
//! app's state, and nothing reads the wall clock: the core's clock does.

use anyhow::Result;

use crate::demo::runner::Runner;
use crate::editor::Editor;
use crate::practice::mock::MockPlan;
use crate::practice::session::{DrillWrite, DrillWritten, MockWritten};
use crate::practice::{Interface, Practice, Reloaded};

use super::app::message::Library;
use super::app::{App, Effect, Message};

/// Days of reviews the stats screen shows (its heatmap is 12 weeks).
pub const STATS_DAYS: usize = 84;

/// The side of the app that touches the world.
pub struct Effects {
    pub practice: Practice,
    pub runner: Runner,
    pub editor: EditorChoice,
    /// What a mock started from the TUI is drawn from.
    pub mock: MockPlan,
}

/// Which editor `e` runs.
#[derive(Debug, Clone)]
pub enum EditorChoice {
    /// `$VISUAL`, else `$EDITOR`, read when `e` is pressed.
    FromEnv,
    /// This one (tests).
    Fixed(Editor),
}

/// Something the terminal must do around an effect (the editor needs the whole screen).
pub trait Terminal {
    /// Leaves the alternate screen and raw mode.
    fn suspend(&mut self) -> Result<()>;
    /// Comes back and redraws everything.
    fn resume(&mut self) -> Result<()>;
}

impl Effects {
    /// Performs an effect and feeds its messages to the app, and so on for any effect those
    /// ask for. Only a broken terminal is an error: everything else becomes a message.
    pub fn perform(
        &mut self,
        effect: Effect,
        app: &mut App,
        term: &mut dyn Terminal,
    ) -> Result<()> {
        let mut pending = vec![effect];
        while let Some(effect) = pending.pop() {
            for message in self.run(effect, term)? {
                pending.extend(app.receive(message));
            }
        }
        Ok(())
    }

    /// Performs one effect and returns what happened.
    pub fn run(&mut self, effect: Effect, term: &mut dyn Terminal) -> Result<Vec<Message>> {
        let messages = match effect {
            Effect::StartDrill(request) => {
                vec![match self.practice.start_drill(request, Interface::Tui) {
                    Ok(plan) => Message::Drill(plan),
                    Err(e) => Message::Failed(e.to_string()),
                }]
            }
            Effect::Drill(write) => {
                // A grade or an undo moves the schedule: the screens' cards follow.
                let moved = !matches!(write, DrillWrite::Finish(_));
                let outcome = self.practice.write_drill(write);
                let mut messages = vec![Message::DrillWritten(outcome.clone())];
                if moved && matches!(outcome, DrillWritten::Recorded(_) | DrillWritten::Undone(_)) {
                    messages.push(self.cards());
                }
                messages
            }
            Effect::Edit { index } => self.edit(index, term)?,
            Effect::StartDemo { demo_id, params } => {
                let result = match crate::demo::find(&demo_id) {
                    Err(e) => Err(e.to_string()),
                    Ok(_) => self
                        .runner
                        .start(&demo_id, &params)
                        .map_err(|e| format!("cannot start the demo: {e}")),
                };
                vec![Message::DemoStarted(result)]
            }
            Effect::CancelDemo => {
                self.runner.cancel();
                vec![]
            }
            Effect::LoadDemoRun(demo_id) => match self.practice.latest_demo_run(&demo_id) {
                Ok(Some(run)) => vec![Message::DemoRun { demo_id, run }],
                Ok(None) => vec![],
                Err(e) => vec![Message::Failed(format!("reading demo results: {e}"))],
            },
            Effect::LoadStats => match self.practice.stats(STATS_DAYS) {
                Ok(stats) => vec![Message::Stats(Box::new(stats))],
                Err(e) => vec![Message::Failed(e.to_string())],
            },
            Effect::StartMock => {
                vec![Message::Mock(
                    self.practice
                        .start_mock(&self.mock, Interface::Tui)
                        .map(Box::new)
                        .map_err(|e| format!("cannot start the mock: {e}")),
                )]
            }
            Effect::Mock(write) => {
                let outcome = self.practice.write_mock(write, &self.mock.bank);
                let saved = matches!(outcome, MockWritten::Recorded { .. });
                let mut messages = vec![Message::MockWritten(outcome)];
                // A graded question makes or moves its pick card: the due counts follow.
                if saved {
                    messages.push(self.cards());
                }
                messages
            }
            Effect::ReloadStories => {
                match self.practice.reload_all().and_then(|_| self.library()) {
                    Ok(library) => vec![Message::LibraryReloaded(library)],
                    Err(e) => vec![Message::Failed(format!("reloading the stories: {e}"))],
                }
            }
        };
        Ok(messages)
    }

    /// The stories, the files that did not load and the cards, as the core has them now.
    pub fn library(&self) -> crate::practice::Result<Library> {
        Ok(Library {
            stories: self.practice.stories().to_vec(),
            load_errors: self
                .practice
                .load_errors()
                .iter()
                .map(ToString::to_string)
                .collect(),
            cards: self.practice.cards()?,
            picks: self.practice.pick_states()?,
        })
    }

    /// The deck's cards with their schedules, and the pick cards' (due counts, next due dates).
    fn cards(&self) -> Message {
        match self
            .practice
            .cards()
            .and_then(|cards| Ok((cards, self.practice.pick_states()?)))
        {
            Ok((cards, picks)) => Message::Cards { cards, picks },
            Err(e) => Message::Failed(format!("reading the cards: {e}")),
        }
    }

    /// Hands the terminal to the editor on a story file, then reads the story again. A file
    /// deleted on disk is not recreated: the editor is not started.
    fn edit(&mut self, index: usize, term: &mut dyn Terminal) -> Result<Vec<Message>> {
        let Some(path) = self.practice.stories().get(index).map(|s| s.path.clone()) else {
            return Ok(vec![]);
        };
        if !path.is_file() {
            return Ok(vec![Message::Failed(format!(
                "{} is no longer on disk (deleted or moved); not opened, so no empty file is \
                 made. R reloads the story folder",
                path.display()
            ))]);
        }
        let editor = match &self.editor {
            EditorChoice::FromEnv => Editor::from_env(),
            EditorChoice::Fixed(editor) => Ok(editor.clone()),
        };
        let editor = match editor {
            Ok(editor) => editor,
            Err(e) => return Ok(vec![Message::Failed(e.to_string())]),
        };
        term.suspend()?;
        let outcome = editor.edit(&path);
        // Back to the screen whatever the editor did.
        term.resume()?;
        let warning = outcome.err().map(|e| e.to_string());
        let mut messages = match self.practice.reload_story(index) {
            Ok(Reloaded::Story(story)) => {
                let story = *story;
                vec![Message::StoryReloaded { index, story }, self.cards()]
            }
            Ok(Reloaded::Refused(reason)) => vec![Message::Failed(reason)],
            Err(e) => vec![Message::Failed(format!("{e}"))],
        };
        if let Some(warning) = warning {
            let last = messages.pop();
            let text = match last {
                Some(Message::Failed(e)) => format!("{warning}; {e}"),
                Some(other) => {
                    messages.push(other);
                    format!("{warning}; the story was reloaded")
                }
                None => warning,
            };
            messages.push(Message::Failed(text));
        }
        Ok(messages)
    }
}

#[cfg(test)]
mod tests;
