//! The drill screen: keys become the drill session's inputs ([`crate::practice::session::Drill`]
//! holds every step's rule); what is left here is the screen's own state (scrolling the
//! answer) and where its messages go.

use super::{Action, App, Effect, Screen};
use crate::practice::session::{
    self, DrillInput, DrillReply, DrillSay, DrillWritten, Part, SpokenSay,
};
use crate::srs::Grade;

pub use crate::pacing::{Budgets, PerSection, SectionTimes};
pub use crate::practice::session::drill::Answered;

/// A drill on screen: the session and how far its answer is scrolled.
#[derive(Debug, Clone)]
pub struct Drill {
    pub session: session::Drill,
    pub scroll: u16,
    /// The furthest the answer can scroll, as last drawn.
    pub max_scroll: std::cell::Cell<u16>,
}

impl App {
    /// A drill session was built (by [`Effect::StartDrill`]).
    pub fn begin_drill(&mut self, mut session: session::Drill) {
        let note = session.speech_note();
        self.drill = Some(Drill {
            session,
            scroll: 0,
            max_scroll: std::cell::Cell::new(u16::MAX),
        });
        self.push(Screen::Drill);
        self.dirty = true;
        if let Some(note) = note {
            self.set_status(note.to_string());
        }
    }

    pub(super) fn update_drill(&mut self, action: Action) -> Option<Effect> {
        let now = self.now;
        let Some(drill) = self.drill.as_mut() else {
            self.pop();
            return None;
        };
        let input = match action {
            Action::Back => {
                let close = drill.session.close();
                self.drill = None;
                self.pop();
                return close.map(Effect::Drill);
            }
            Action::Down => {
                drill.scroll = drill.scroll.saturating_add(1).min(drill.max_scroll.get());
                return None;
            }
            Action::Up => {
                drill.scroll = drill.scroll.saturating_sub(1);
                return None;
            }
            Action::PageDown => {
                drill.scroll = drill
                    .scroll
                    .saturating_add(super::PAGE as u16)
                    .min(drill.max_scroll.get());
                return None;
            }
            Action::PageUp => {
                drill.scroll = drill.scroll.saturating_sub(super::PAGE as u16);
                return None;
            }
            Action::Top => {
                drill.scroll = 0;
                return None;
            }
            Action::Bottom => {
                drill.scroll = drill.max_scroll.get().min(u16::MAX / 2);
                return None;
            }
            Action::NextSection => DrillInput::NextSection,
            Action::Reveal => DrillInput::Reveal,
            Action::Grade(grade) => DrillInput::Grade(grade),
            Action::Undo => DrillInput::Undo,
            Action::Record => DrillInput::Record,
            Action::AcceptSuggested => DrillInput::AcceptSuggested,
            _ => return None,
        };
        let reply = drill.session.input(input, now);
        self.drill_reply(reply)
    }

    /// The clock moved: redraw only when the drill's clock shows another second, or what
    /// was heard came in (said as any reply is).
    pub(super) fn tick_drill(&mut self) {
        let now = self.now;
        let Some(drill) = self.drill.as_mut() else {
            return;
        };
        let step = drill.session.step();
        let reply = drill.session.input(DrillInput::Tick, now);
        if reply.changed {
            self.dirty = true;
        }
        // The feedback arrived: its panel starts at the top.
        if drill.session.step() != step {
            drill.scroll = 0;
            drill.max_scroll.set(u16::MAX);
        }
        if reply.say.is_some() {
            self.drill_reply(reply);
        }
    }

    /// The store's answer to the drill's write.
    pub(super) fn drill_written(&mut self, outcome: DrillWritten) -> Option<Effect> {
        let now = self.now;
        let drill = self.drill.as_mut()?;
        let reply = drill.session.written(outcome, now);
        self.drill_reply(reply)
    }

    /// Says what the session said (with this screen's key to retry a grade), resets the
    /// answer's scroll when the card changed, and asks for its write.
    fn drill_reply(&mut self, reply: DrillReply) -> Option<Effect> {
        let DrillReply { say, write, .. } = reply;
        if let Some(say) = say {
            if matches!(say, DrillSay::Saved { .. } | DrillSay::Undone(_))
                && let Some(drill) = self.drill.as_mut()
            {
                drill.scroll = 0;
                drill.max_scroll.set(u16::MAX);
            }
            self.say_drill(&say);
        }
        write.map(Effect::Drill)
    }

    fn say_drill(&mut self, say: &DrillSay) {
        let text = match say {
            DrillSay::RevealFirst => format!("{say} ({})", self.key_of(Action::Reveal)),
            DrillSay::Spoken(SpokenSay::Heard {
                part: Part::Answer, ..
            }) => format!(
                "{say}: {} takes it, or grade it yourself",
                self.key_of(Action::AcceptSuggested)
            ),
            DrillSay::NotSaved { grade, problem } => {
                let again = self.grade_key(*grade);
                match problem {
                    // Short enough for the status line: the retry key must not close a panel.
                    crate::practice::WriteProblem::Busy => {
                        return self.set_error(format!("{say}; press {again} to try again"));
                    }
                    crate::practice::WriteProblem::Missing(_) => say.to_string(),
                    crate::practice::WriteProblem::Other(_) => {
                        format!("{say}, press {again} to try again")
                    }
                }
            }
            other => other.to_string(),
        };
        if !say.is_error() {
            self.set_status(text);
        } else if matches!(
            say,
            DrillSay::RevealFirst
                | DrillSay::NothingToUndo
                | DrillSay::StillHearing
                | DrillSay::NoSuggestion
        ) {
            self.set_error(text);
        } else {
            self.set_error_whole(text);
        }
    }

    /// The key that gives `grade` in the drill (for "press 3 to try again").
    pub(super) fn grade_key(&self, grade: Grade) -> String {
        self.key_of_or(Action::Grade(grade), grade.number().to_string())
    }

    /// The drill's first key for `action`, as the screen names it.
    pub fn drill_key(&self, action: Action) -> String {
        self.key_of(action)
    }

    /// The drill's first key for `action` (its name in the help).
    fn key_of(&self, action: Action) -> String {
        self.key_of_or(action, String::new())
    }

    fn key_of_or(&self, action: Action, fallback: String) -> String {
        self.keymap
            .table(crate::tui::keymap::Mode::Drill)
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map_or(fallback, ToString::to_string)
    }
}
