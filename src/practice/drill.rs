//! Drill use cases: start a drill (or say why there is nothing to drill and when the next card
//! is due), perform what a drill session asks of the store (record a graded review, undo one,
//! finish the session). The session's steps are [`super::session::Drill`].

use std::fmt;

use jiff::Timestamp;

use super::session::{Drill, DrillWrite, DrillWritten, SpokenAnswer, WriteProblem};
use super::{Practice, PracticeError, Result};
use crate::mock::pick_card::is_pick;
use crate::srs::{
    CardState, DrillCard, DrillMode, DrillSession, Review, ReviewKind, Scope, due_queue,
    format_interval,
};
use crate::store::{SessionId, SpokenOrigin};

/// What a drill is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillRequest {
    pub scope: Scope,
    /// Scheduled (the due cards) or cram (practice ahead: the cards not due yet).
    pub mode: DrillMode,
    /// At most this many cards; 0 is refused.
    pub limit: Option<usize>,
}

impl DrillRequest {
    pub fn due(scope: Scope) -> DrillRequest {
        DrillRequest {
            scope,
            mode: DrillMode::Scheduled,
            limit: None,
        }
    }

    pub fn ahead(scope: Scope) -> DrillRequest {
        DrillRequest {
            mode: DrillMode::Cram,
            ..DrillRequest::due(scope)
        }
    }
}

/// Which front end runs a session (stored with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interface {
    Tui,
    Plain,
}

impl Interface {
    pub fn as_str(self) -> &'static str {
        match self {
            Interface::Tui => "tui",
            Interface::Plain => "plain",
        }
    }
}

/// Why a drill has no card, and what comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NothingDue {
    pub scope: Scope,
    pub mode: DrillMode,
    /// The soonest due date of a card in scope (scheduled mode).
    pub next_due: Option<Timestamp>,
    pub now: Timestamp,
}

impl fmt::Display for NothingDue {
    /// `nothing is due in story x; the next card is due in 3d` (the front end adds how to
    /// practise ahead, in its own keys or flags).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope = match &self.scope {
            Scope::All => String::new(),
            Scope::Story(id) => format!(" in story {id}"),
            Scope::Tag(tag) => format!(" in stories tagged {tag}"),
        };
        match self.mode {
            DrillMode::Scheduled => {
                write!(f, "nothing is due{scope}")?;
                if let Some(next) = self.next_due {
                    write!(
                        f,
                        "; the next card is due in {}",
                        format_interval(next.duration_since(self.now))
                    )?;
                }
                Ok(())
            }
            DrillMode::Cram => write!(f, "nothing to practise ahead{scope}: every card is due now"),
        }
    }
}

/// A drill ready to run (its session row open), or why there is none.
#[derive(Debug, Clone)]
pub enum DrillPlan {
    Ready(Box<Drill>),
    NothingDue(NothingDue),
}

impl Practice {
    /// The cards a drill of `scope` chooses from: the stored story cards and, in a drill of
    /// every story, the pick cards; [`due_queue`] picks the due ones (`rehearse due` counts
    /// them the same way).
    pub fn drill_rows(&self, scope: &Scope, mode: DrillMode) -> Result<Vec<DrillCard>> {
        let mut rows = self.store.drill_rows(&self.deck, scope, mode, self.now())?;
        rows.extend(self.pick_cards(scope)?);
        Ok(rows)
    }

    /// Builds the queue for `request` (store rows, [`due_queue`] order, the limit) and opens a
    /// session row; with no card, says when the next one is due.
    pub fn start_drill(&self, request: DrillRequest, interface: Interface) -> Result<DrillPlan> {
        let DrillRequest { scope, mode, limit } = request;
        if limit == Some(0) {
            return Err(PracticeError::ZeroLimit);
        }
        let now = self.now();
        let scope = self.deck.resolve(scope)?;
        let scheduler = self.scheduler()?;
        let rows = self.drill_rows(&scope, mode)?;
        let next_pick = rows
            .iter()
            .filter(|c| is_pick(&c.card.id))
            .map(|c| c.state.due)
            .min();
        let mut cards = due_queue(rows, mode, now);
        if let Some(limit) = limit {
            cards.truncate(limit);
        }
        if cards.is_empty() {
            let next_due = match mode {
                DrillMode::Scheduled => self
                    .cards()?
                    .iter()
                    .filter(|c| self.deck.in_scope(&c.id, &scope))
                    .map(|c| c.state.due)
                    .chain(next_pick)
                    .min(),
                DrillMode::Cram => None,
            };
            return Ok(DrillPlan::NothingDue(NothingDue {
                scope,
                mode,
                next_due,
                now,
            }));
        }
        let session = DrillSession::new(scheduler, mode, cards);
        let session_id =
            self.store
                .start_session(mode, &scope.to_string(), interface.as_str(), now)?;
        Ok(DrillPlan::Ready(Box::new(
            Drill::new(
                session,
                scope,
                Some(session_id),
                self.shared_stories(),
                self.settings.budgets,
                now,
            )
            .with_speech(self.settings.speech.clone()),
        )))
    }

    /// Performs what a drill session asks of the store; the outcome goes back to the session
    /// ([`Drill::written`]).
    pub fn write_drill(&self, write: DrillWrite) -> DrillWritten {
        match write {
            DrillWrite::Record {
                review,
                session,
                spoken,
            } => match self.record_review_spoken(&review, session, spoken.as_deref()) {
                Ok(saved) => DrillWritten::Recorded(saved),
                Err(e) => DrillWritten::RecordFailed {
                    review: *review,
                    problem: WriteProblem::of(&e),
                },
            },
            DrillWrite::Undo(review) => match self.undo_review(&review) {
                Ok(()) => DrillWritten::Undone(*review),
                Err(e) => DrillWritten::UndoFailed {
                    review: *review,
                    problem: WriteProblem::of(&e),
                },
            },
            DrillWrite::Finish(id) => match self.finish_session(id) {
                Ok(()) => DrillWritten::Finished,
                Err(e) => DrillWritten::FinishFailed(e.to_string()),
            },
        }
    }

    /// Stores a graded review before the session moves on; returns the review as stored.
    /// On an error nothing was written and the card stays the current one.
    pub fn record_review(&self, review: &Review, session: Option<SessionId>) -> Result<Review> {
        self.record_review_spoken(review, session, None)
    }

    /// [`Practice::record_review`], with the answer as heard kept with the review (both or
    /// neither).
    pub fn record_review_spoken(
        &self,
        review: &Review,
        session: Option<SessionId>,
        spoken: Option<&SpokenAnswer>,
    ) -> Result<Review> {
        // The store reads the card inside its write transaction: another window may have
        // graded it since this session loaded it, and the grade builds on that.
        let regrade = |stored: &CardState| self.regrade(review, stored);
        Ok(if is_pick(&review.card) {
            self.store.grade_pick_card(&review.card, regrade)?
        } else {
            let spoken = spoken.map(|s| s.to_store(SpokenOrigin::Drill { review: None }));
            self.store
                .grade_card_spoken(&review.card, session, regrade, spoken.as_ref())?
        })
    }

    /// The pick cards a mock made (see [`crate::mock::pick_card`]), as drill cards: asked in
    /// a drill of every story, not in one story's or one tag's.
    pub(super) fn pick_cards(&self, scope: &Scope) -> Result<Vec<DrillCard>> {
        if *scope != Scope::All {
            return Ok(Vec::new());
        }
        let picks = self.store.pick_cards()?;
        if picks.is_empty() {
            return Ok(Vec::new());
        }
        let last = self.store.last_picks()?;
        Ok(picks
            .iter()
            .map(|pick| {
                let last = last.get(&pick.question_key).map(Option::as_deref);
                pick.drill_card(self.stories.iter(), last)
            })
            .collect())
    }

    /// `review` redone from the card's state as stored, which another window may have moved
    /// since the session read it.
    pub fn regrade(&self, review: &Review, stored: &CardState) -> Review {
        if *stored == review.before {
            return review.clone();
        }
        let after = match review.kind {
            ReviewKind::Cram => *stored,
            _ => self
                .scheduler()
                .and_then(|s| Ok(s.preview(stored, review.reviewed_at)?))
                .map_or(review.after, |p| p.get(review.grade).state),
        };
        let kind = match review.kind {
            ReviewKind::Cram => ReviewKind::Cram,
            _ => match stored.phase {
                crate::srs::Phase::New | crate::srs::Phase::Learning => ReviewKind::Learn,
                crate::srs::Phase::Review => ReviewKind::Review,
                crate::srs::Phase::Relearning => ReviewKind::Relearn,
            },
        };
        Review {
            before: *stored,
            after,
            kind,
            ..review.clone()
        }
    }

    /// Deletes a stored review and puts its card's schedule back.
    pub fn undo_review(&self, review: &Review) -> Result<()> {
        if is_pick(&review.card) {
            self.store.undo_pick_review(review)?;
        } else {
            self.store.undo_review(review)?;
        }
        Ok(())
    }

    /// Marks a session finished.
    pub fn finish_session(&self, id: SessionId) -> Result<()> {
        Ok(self.store.finish_session(id, self.now())?)
    }
}
