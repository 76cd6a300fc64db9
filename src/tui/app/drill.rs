//! The drill screen's state and its actions: the STAR pacing timer, reveal, grade and undo.
//! A grade or an undo is applied to the session only once the store confirms it, so a failed
//! write leaves the card current.

use std::time::Duration;

use jiff::Timestamp;

use super::{Action, App, Effect, Screen};
use crate::pacing::since;
use crate::practice::StartedDrill;
use crate::practice::answer::{full_answer, is_star};
use crate::practice::drill::saved_text;
use crate::srs::{AnswerPart, CardId, Grade, Preview, Review, Scope, Timing};
use crate::store::SessionId;
use crate::story::SectionKind;

pub use crate::pacing::{Budgets, PerSection, SectionTimes};

/// The section after `section` in STAR order (None after Result).
pub fn next_section(section: SectionKind) -> Option<SectionKind> {
    let at = SectionKind::STAR.iter().position(|s| *s == section)?;
    SectionKind::STAR.get(at + 1).copied()
}

/// One answered card, for the end-of-session summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub card: CardId,
    pub prompt: String,
    pub grade: Grade,
    pub answer: Option<Duration>,
    /// Whether the STAR pacing bar applied (question cards of STAR stories).
    pub paced: bool,
    pub sections: SectionTimes,
}

/// A drill in progress.
#[derive(Debug, Clone)]
pub struct Drill {
    pub session: crate::srs::DrillSession,
    pub scope: Scope,
    pub session_id: Option<SessionId>,
    pub budgets: Budgets,
    pub card_started: Timestamp,
    /// The STAR section being spoken.
    pub section: SectionKind,
    pub section_started: Timestamp,
    pub sections: SectionTimes,
    /// Frozen when the answer is revealed.
    pub answer: Option<Duration>,
    /// What the reveal shows for the current card: the full answer.
    pub parts: Vec<AnswerPart>,
    /// Whether the current card is told as STAR (the pacing bar applies).
    pub star: bool,
    /// Answer parts revealed so far (0 before the reveal).
    pub revealed: usize,
    pub preview: Option<Preview>,
    pub answered: Vec<Answered>,
    pub scroll: u16,
    /// The furthest the answer can scroll, as last drawn.
    pub max_scroll: std::cell::Cell<u16>,
    /// Whole seconds shown by the last drawn timer (to redraw only when it changes).
    pub shown_second: u64,
}

impl Drill {
    /// The STAR pacing bar applies to the current card.
    pub fn paced(&self) -> bool {
        self.star && self.session.current().is_some()
    }

    /// Time spent so far on each section (the running one counted up to `now`).
    pub fn section_times(&self, now: Timestamp) -> PerSection<Duration> {
        let mut times = self.sections.map(Option::unwrap_or_default);
        if self.answer.is_none() {
            times.set(self.section, since(self.section_started, now));
        }
        times
    }

    pub fn elapsed(&self, now: Timestamp) -> Duration {
        self.answer.unwrap_or_else(|| since(self.card_started, now))
    }

    pub fn target(&self) -> Duration {
        self.budgets.total()
    }
}

impl App {
    /// A drill session was built (by [`Effect::StartDrill`]).
    pub fn begin_drill(&mut self, started: StartedDrill) {
        let now = self.now;
        let StartedDrill {
            session,
            scope,
            session_id,
        } = started;
        self.drill = Some(Drill {
            session,
            scope,
            session_id: Some(session_id),
            budgets: self.budgets,
            card_started: now,
            section: SectionKind::Situation,
            section_started: now,
            sections: SectionTimes::default(),
            answer: None,
            parts: Vec::new(),
            star: false,
            revealed: 0,
            preview: None,
            answered: Vec::new(),
            scroll: 0,
            max_scroll: std::cell::Cell::new(u16::MAX),
            shown_second: 0,
        });
        self.reset_card();
        self.push(Screen::Drill);
        self.dirty = true;
    }

    /// Starts the clock on the current card and works out what its reveal shows.
    fn reset_card(&mut self) {
        let now = self.now;
        let Some(drill) = self.drill.as_mut() else {
            return;
        };
        let current = drill
            .session
            .current()
            .map(|c| std::sync::Arc::clone(&c.card));
        let story = current
            .as_ref()
            .and_then(|c| self.data.position(&c.id.story_id))
            .map(|i| &self.data.stories[i].story);
        drill.parts = current
            .as_ref()
            .map(|c| full_answer(c, story))
            .unwrap_or_default();
        drill.star = current.as_ref().is_some_and(|c| is_star(c, story));
        drill.card_started = now;
        drill.section = SectionKind::Situation;
        drill.section_started = now;
        drill.sections = SectionTimes::default();
        drill.answer = None;
        drill.revealed = 0;
        drill.preview = None;
        drill.scroll = 0;
        drill.max_scroll.set(u16::MAX);
    }

    pub(super) fn update_drill(&mut self, action: Action) -> Option<Effect> {
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
            Action::Down => {
                drill.scroll = drill.scroll.saturating_add(1).min(drill.max_scroll.get());
            }
            Action::Up => drill.scroll = drill.scroll.saturating_sub(1),
            Action::PageDown => {
                drill.scroll = drill
                    .scroll
                    .saturating_add(super::PAGE as u16)
                    .min(drill.max_scroll.get());
            }
            Action::PageUp => drill.scroll = drill.scroll.saturating_sub(super::PAGE as u16),
            Action::Top => drill.scroll = 0,
            Action::Bottom => drill.scroll = drill.max_scroll.get().min(u16::MAX / 2),
            Action::NextSection if drill.answer.is_none() && !drill.session.is_finished() => {
                if let Some(next) = next_section(drill.section) {
                    drill
                        .sections
                        .set(drill.section, Some(since(drill.section_started, now)));
                    drill.section = next;
                    drill.section_started = now;
                }
            }
            Action::Reveal => {
                drill.session.current()?;
                let parts = drill.parts.len().max(1);
                if drill.answer.is_none() {
                    drill
                        .sections
                        .set(drill.section, Some(since(drill.section_started, now)));
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
                let sections = if drill.star {
                    drill.sections
                } else {
                    SectionTimes::default()
                };
                let timing = Timing {
                    answer: drill.answer,
                    sections,
                };
                // The session moves on when the store has the review (see `review_saved`).
                match drill.session.review(grade, now, timing) {
                    Ok(review) => {
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
            Action::Undo => match drill.session.last_review() {
                Some(review) => return Some(Effect::UndoReview(review.clone())),
                None => self.set_error("nothing to undo"),
            },
            _ => {}
        }
        None
    }

    /// The store has the review: the session moves on to the next card.
    pub(super) fn review_saved(&mut self, review: Review, leech: bool) {
        let Some(drill) = self.drill.as_mut() else {
            return;
        };
        let Some(current) = drill.session.current() else {
            return;
        };
        if current.card.id != review.card {
            return;
        }
        let paced = drill.star;
        drill.answered.push(Answered {
            card: review.card.clone(),
            prompt: current.card.prompt.clone(),
            grade: review.grade,
            answer: drill.answer,
            paced,
            sections: if paced {
                drill.sections
            } else {
                SectionTimes::default()
            },
        });
        let mut status = saved_text(&review);
        if leech {
            status.push_str(&format!(
                "; leech: forgotten {} times, the story probably needs rewriting",
                review.after.lapses
            ));
        }
        drill.session.commit(review);
        self.reset_card();
        self.set_status(status);
    }

    /// The store deleted the review: its card is asked again.
    pub(super) fn review_undone(&mut self, review: &Review) {
        let Some(drill) = self.drill.as_mut() else {
            return;
        };
        if drill.session.last_review() != Some(review) {
            return;
        }
        drill.session.undo();
        drill.answered.pop();
        self.reset_card();
        self.set_status(format!("undone: {} on {}", review.grade, review.card));
    }

    /// The key that gives `grade` in the drill (for "press 3 to try again").
    pub(super) fn grade_key(&self, grade: Grade) -> String {
        self.keymap
            .table(crate::tui::keymap::Mode::Drill)
            .iter()
            .find(|b| b.action == Action::Grade(grade))
            .and_then(|b| b.keys.first())
            .map_or_else(|| grade.number().to_string(), ToString::to_string)
    }
}
