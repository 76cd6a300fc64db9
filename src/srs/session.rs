//! A drill session: the queue, reveal, the four next intervals, grade, undo. No I/O: grading
//! returns the [`Review`] the caller stores, undoing returns the one it deletes.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::{Card, CardId, CardState, Grade, Phase, Preview, Scheduler, SrsError};
use crate::pacing::{AnswerTime, SectionTimes};

/// Learning cards due within this long are shown in the same session (Anki's learn-ahead).
pub const LEARN_AHEAD: SignedDuration = SignedDuration::from_mins(20);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillMode {
    /// The due queue; grades move the schedule.
    Scheduled,
    /// Practice ahead: any card, grades are logged but the schedule is left exactly as it was.
    Cram,
}

impl DrillMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DrillMode::Scheduled => "scheduled",
            DrillMode::Cram => "cram",
        }
    }
}

/// A card with its schedule, ready to drill.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillCard {
    pub card: Arc<Card>,
    pub state: CardState,
    /// The card's text changed since it was last reviewed.
    pub edited: bool,
}

/// What kind of review a grade was (Anki's revlog kinds, plus cram).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewKind {
    Learn,
    Review,
    Relearn,
    Cram,
}

impl ReviewKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::Learn => "learn",
            ReviewKind::Review => "review",
            ReviewKind::Relearn => "relearn",
            ReviewKind::Cram => "cram",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewKind> {
        Some(match text {
            "learn" => ReviewKind::Learn,
            "review" => ReviewKind::Review,
            "relearn" => ReviewKind::Relearn,
            "cram" => ReviewKind::Cram,
            _ => return None,
        })
    }
}

/// How long the answer took: in total and, when the pacing bar was used, per STAR section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timing {
    pub answer: Option<Duration>,
    pub sections: SectionTimes,
}

impl From<AnswerTime> for Timing {
    fn from(time: AnswerTime) -> Timing {
        Timing {
            answer: Some(time.total),
            sections: time.sections,
        }
    }
}

/// One graded card: everything the store keeps about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub card: CardId,
    pub content_hash: String,
    pub grade: Grade,
    pub kind: ReviewKind,
    pub reviewed_at: Timestamp,
    pub timing: Timing,
    pub before: CardState,
    pub after: CardState,
}

/// Cards done and left, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub graded: usize,
    pub remaining: usize,
}

/// The due queue in the order it is drilled: cards in learning first (soonest first), then
/// review cards (most overdue first), then new cards, the stories taking turns. In cram mode
/// the cards that are *not* due yet, soonest due first.
pub fn due_queue(cards: Vec<DrillCard>, mode: DrillMode, now: Timestamp) -> Vec<DrillCard> {
    let mut cards = cards;
    match mode {
        DrillMode::Cram => {
            cards.retain(|c| !is_due(&c.state, now));
            cards.sort_by_key(|c| c.state.due);
        }
        DrillMode::Scheduled => {
            cards.retain(|c| is_due(&c.state, now));
            // A stable sort keeps new cards in story order.
            cards.sort_by_key(|c| match c.state.phase {
                Phase::Learning | Phase::Relearning => (0, c.state.due),
                Phase::Review => (1, c.state.due),
                Phase::New => (2, Timestamp::MIN),
            });
            let first_new = cards.partition_point(|c| c.state.phase != Phase::New);
            let new = cards.split_off(first_new);
            cards.extend(stories_in_turn(new));
        }
    }
    cards
}

/// One card of each story in turn, each story's own order kept (its questions before its
/// follow-ups): the same story is not asked about twice in a row while others wait, and
/// answering a story again right after telling it tests nothing.
fn stories_in_turn(cards: Vec<DrillCard>) -> Vec<DrillCard> {
    let total = cards.len();
    let mut queues: Vec<VecDeque<DrillCard>> = Vec::new();
    let mut queue_of: HashMap<String, usize> = HashMap::new();
    for card in cards {
        let at = *queue_of
            .entry(card.card.id.story_id.clone())
            .or_insert_with(|| {
                queues.push(VecDeque::new());
                queues.len() - 1
            });
        queues[at].push_back(card);
    }
    let mut turns = Vec::with_capacity(total);
    while turns.len() < total {
        turns.extend(queues.iter_mut().filter_map(VecDeque::pop_front));
    }
    turns
}

/// Due now (new cards always are; cards in learning a little ahead, as Anki does).
pub fn is_due(state: &CardState, now: Timestamp) -> bool {
    match state.phase {
        Phase::New => true,
        Phase::Learning | Phase::Relearning => state.due <= now + LEARN_AHEAD,
        Phase::Review => state.due <= now,
    }
}

/// The session the plain drill and the TUI both drive.
///
/// ```text
/// while let Some(card) = session.current() {
///     show(card.card.prompt);  session.reveal();  show(card.card.answer, session.preview(now)?);
///     let review = session.grade(grade, now, timing)?;  store.record_review(&review)?;
///     // `u`: if let Some(review) = session.undo() { store.undo_review(&review)?; }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct DrillSession {
    scheduler: Scheduler,
    mode: DrillMode,
    queue: VecDeque<DrillCard>,
    revealed: bool,
    done: Vec<Done>,
}

#[derive(Debug, Clone)]
struct Done {
    review: Review,
    card: DrillCard,
    /// The card went back into the queue (a learning step due within the session).
    requeued: bool,
}

impl DrillSession {
    /// `cards` in the order to drill them (see [`due_queue`]).
    pub fn new(scheduler: Scheduler, mode: DrillMode, cards: Vec<DrillCard>) -> DrillSession {
        DrillSession {
            scheduler,
            mode,
            queue: cards.into(),
            revealed: false,
            done: Vec::new(),
        }
    }

    pub fn mode(&self) -> DrillMode {
        self.mode
    }

    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// The card being asked, or None when the session is over.
    pub fn current(&self) -> Option<&DrillCard> {
        self.queue.front()
    }

    pub fn is_finished(&self) -> bool {
        self.queue.is_empty()
    }

    /// The cards still to ask, the current one first.
    pub fn upcoming(&self) -> impl Iterator<Item = &DrillCard> {
        self.queue.iter()
    }

    pub fn reveal(&mut self) {
        self.revealed = self.current().is_some();
    }

    pub fn is_revealed(&self) -> bool {
        self.revealed
    }

    /// What each grade would do to the current card; in cram mode the schedule is unchanged, so
    /// the outcomes keep the card's state. None when the session is over.
    pub fn preview(&self, now: Timestamp) -> Result<Option<Preview>, SrsError> {
        let Some(current) = self.current() else {
            return Ok(None);
        };
        let mut preview = self.scheduler.preview(&current.state, now)?;
        if self.mode == DrillMode::Cram {
            for outcome in &mut preview.outcomes {
                outcome.state = current.state;
                outcome.interval = current
                    .state
                    .due
                    .duration_since(now)
                    .max(SignedDuration::ZERO);
            }
        }
        Ok(Some(preview))
    }

    /// Grades the current card and moves on. The returned review must be stored at once: it is
    /// what makes the grade durable.
    pub fn grade(
        &mut self,
        grade: Grade,
        now: Timestamp,
        timing: Timing,
    ) -> Result<Review, SrsError> {
        let review = self.review(grade, now, timing)?;
        self.commit(review.clone());
        Ok(review)
    }

    /// The review a grade of the current card would store, computed from the card's state as
    /// the session knows it; the session does not move on (see [`DrillSession::commit`]).
    pub fn review(&self, grade: Grade, now: Timestamp, timing: Timing) -> Result<Review, SrsError> {
        let current = self.current().ok_or(SrsError::NoCard)?;
        self.review_of(current, &current.state, grade, now, timing)
    }

    /// The review a grade of the current card makes from `before`, the card's state as stored
    /// (which another window may have moved since the session read it).
    pub fn review_from(
        &self,
        before: &CardState,
        grade: Grade,
        now: Timestamp,
        timing: Timing,
    ) -> Result<Review, SrsError> {
        let current = self.current().ok_or(SrsError::NoCard)?;
        self.review_of(current, before, grade, now, timing)
    }

    fn review_of(
        &self,
        card: &DrillCard,
        before: &CardState,
        grade: Grade,
        now: Timestamp,
        timing: Timing,
    ) -> Result<Review, SrsError> {
        let after = match self.mode {
            // Practice ahead leaves the schedule exactly as it was.
            DrillMode::Cram => *before,
            DrillMode::Scheduled => self.scheduler.preview(before, now)?.get(grade).state,
        };
        let kind = match (self.mode, before.phase) {
            (DrillMode::Cram, _) => ReviewKind::Cram,
            (_, Phase::New | Phase::Learning) => ReviewKind::Learn,
            (_, Phase::Review) => ReviewKind::Review,
            (_, Phase::Relearning) => ReviewKind::Relearn,
        };
        Ok(Review {
            card: card.card.id.clone(),
            content_hash: card.card.content_hash.clone(),
            grade,
            kind,
            reviewed_at: now,
            timing,
            before: *before,
            after,
        })
    }

    /// Moves on once `review` (of the current card) is stored: a card still in its learning
    /// steps comes back later in the session. A review of another card is ignored.
    pub fn commit(&mut self, review: Review) {
        if self.current().is_none_or(|c| c.card.id != review.card) {
            return;
        }
        let card = self.queue.pop_front().expect("a current card");
        let now = review.reviewed_at;
        let after = review.after;
        let requeued = self.mode == DrillMode::Scheduled
            && after.phase.in_steps()
            && after.due <= now + LEARN_AHEAD;
        if requeued {
            self.queue.push_back(DrillCard {
                state: after,
                edited: false,
                ..card.clone()
            });
        }
        self.done.push(Done {
            review,
            card,
            requeued,
        });
        self.revealed = false;
    }

    /// The review [`DrillSession::undo`] would take back, without taking it back.
    pub fn last_review(&self) -> Option<&Review> {
        self.done.last().map(|d| &d.review)
    }

    /// Takes back the last grade: its card is asked again, its schedule as before. Returns the
    /// review the caller deletes from the store; None when nothing was graded.
    pub fn undo(&mut self) -> Option<Review> {
        let done = self.done.pop()?;
        if done.requeued {
            let back = self.queue.pop_back();
            debug_assert_eq!(
                back.map(|c| c.card.id.clone()),
                Some(done.card.card.id.clone())
            );
        }
        self.queue.push_front(done.card);
        self.revealed = false;
        Some(done.review)
    }

    /// Reviews graded so far, oldest first (for the end-of-session summary).
    pub fn reviews(&self) -> impl Iterator<Item = &Review> {
        self.done.iter().map(|d| &d.review)
    }

    pub fn progress(&self) -> Progress {
        Progress {
            graded: self.done.len(),
            remaining: self.queue.len(),
        }
    }

    /// Grades given so far.
    pub fn grade_counts(&self) -> GradeCounts {
        self.reviews().map(|r| r.grade).collect()
    }
}

/// How many times each grade was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GradeCounts {
    pub again: usize,
    pub hard: usize,
    pub good: usize,
    pub easy: usize,
}

impl GradeCounts {
    pub fn get(&self, grade: Grade) -> usize {
        match grade {
            Grade::Again => self.again,
            Grade::Hard => self.hard,
            Grade::Good => self.good,
            Grade::Easy => self.easy,
        }
    }

    pub fn add(&mut self, grade: Grade) {
        match grade {
            Grade::Again => self.again += 1,
            Grade::Hard => self.hard += 1,
            Grade::Good => self.good += 1,
            Grade::Easy => self.easy += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.again + self.hard + self.good + self.easy
    }
}

impl FromIterator<Grade> for GradeCounts {
    fn from_iter<I: IntoIterator<Item = Grade>>(grades: I) -> GradeCounts {
        let mut counts = GradeCounts::default();
        for grade in grades {
            counts.add(grade);
        }
        counts
    }
}

/// `Again 0, Hard 1, Good 2, Easy 0`.
impl std::fmt::Display for GradeCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = Grade::ALL
            .iter()
            .map(|g| format!("{g} {}", self.get(*g)))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{CardKind, SchedulerConfig};

    fn now() -> Timestamp {
        "2026-11-25T18:00:00Z".parse().unwrap()
    }

    fn card(key: &str, state: CardState) -> DrillCard {
        DrillCard {
            card: Arc::new(Card::new(
                CardId::new("story", key),
                CardKind::Question,
                format!("question {key}?"),
                vec![],
            )),
            state,
            edited: false,
        }
    }

    fn session(mode: DrillMode, cards: Vec<DrillCard>) -> DrillSession {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        DrillSession::new(scheduler, mode, due_queue(cards, mode, now()))
    }

    fn review_state(due: Timestamp) -> CardState {
        let s = Scheduler::new(SchedulerConfig::default()).unwrap();
        let graduated = s
            .grade(
                &CardState::new(now()),
                Grade::Easy,
                now() - SignedDuration::from_hours(24 * 30),
            )
            .unwrap();
        CardState { due, ..graduated }
    }

    #[test]
    fn the_queue_puts_learning_then_due_reviews_then_new_and_skips_the_rest() {
        let later = now() + SignedDuration::from_hours(48);
        let learning = CardState {
            phase: Phase::Learning,
            due: now() + SignedDuration::from_mins(5),
            ..CardState::new(now())
        };
        let cards = vec![
            card("new-1", CardState::new(now())),
            card("not-due", review_state(later)),
            card(
                "overdue",
                review_state(now() - SignedDuration::from_hours(30)),
            ),
            card("due", review_state(now() - SignedDuration::from_hours(1))),
            card("learning", learning),
            card("new-2", CardState::new(now())),
        ];
        let order: Vec<_> = due_queue(cards.clone(), DrillMode::Scheduled, now())
            .into_iter()
            .map(|c| c.card.id.key.clone())
            .collect();
        assert_eq!(order, ["learning", "overdue", "due", "new-1", "new-2"]);
        let cram: Vec<_> = due_queue(cards, DrillMode::Cram, now())
            .into_iter()
            .map(|c| c.card.id.key.clone())
            .collect();
        assert_eq!(cram, ["not-due"]);
    }

    #[test]
    fn new_cards_come_a_story_at_a_time_in_turn_each_in_its_own_order() {
        let new = |story: &str, key: &str| DrillCard {
            card: Arc::new(Card::new(
                CardId::new(story, key),
                CardKind::Question,
                format!("{key}?"),
                vec![],
            )),
            state: CardState::new(now()),
            edited: false,
        };
        let cards = vec![
            new("a", "a-1"),
            new("a", "a-2"),
            new("a", "a-3"),
            new("b", "b-1"),
            new("c", "c-1"),
            new("c", "c-2"),
            card("due", review_state(now() - SignedDuration::from_hours(1))),
        ];
        let order: Vec<_> = due_queue(cards, DrillMode::Scheduled, now())
            .into_iter()
            .map(|c| c.card.id.key.clone())
            .collect();
        assert_eq!(order, ["due", "a-1", "b-1", "c-1", "a-2", "c-2", "a-3"]);
    }

    #[test]
    fn grading_a_new_card_good_brings_it_back_in_the_same_session() {
        let mut s = session(DrillMode::Scheduled, vec![card("a", CardState::new(now()))]);
        s.reveal();
        assert!(s.is_revealed());
        let review = s.grade(Grade::Good, now(), Timing::default()).unwrap();
        assert_eq!(review.kind, ReviewKind::Learn);
        assert_eq!(review.before.phase, Phase::New);
        assert!(!s.is_revealed());
        // Due in 10 minutes: still this session.
        assert_eq!(s.current().unwrap().state, review.after);
        let later = now() + SignedDuration::from_mins(10);
        let second = s.grade(Grade::Good, later, Timing::default()).unwrap();
        assert_eq!(second.after.phase, Phase::Review);
        assert!(s.is_finished());
        assert_eq!(
            s.grade_counts(),
            GradeCounts {
                good: 2,
                ..GradeCounts::default()
            }
        );
        assert_eq!(
            s.grade_counts().to_string(),
            "Again 0, Hard 0, Good 2, Easy 0"
        );
        assert!(matches!(
            s.grade(Grade::Good, later, Timing::default()),
            Err(SrsError::NoCard)
        ));
    }

    #[test]
    fn undo_restores_the_card_and_its_state_and_returns_the_review() {
        let mut s = session(
            DrillMode::Scheduled,
            vec![
                card("a", CardState::new(now())),
                card("b", CardState::new(now())),
            ],
        );
        let first = s.grade(Grade::Again, now(), Timing::default()).unwrap();
        assert_eq!(s.current().unwrap().card.id.key, "b");
        assert_eq!(
            s.progress(),
            Progress {
                graded: 1,
                remaining: 2
            }
        );
        let undone = s.undo().unwrap();
        assert_eq!(undone, first);
        assert_eq!(s.current().unwrap().card.id.key, "a");
        assert_eq!(s.current().unwrap().state, CardState::new(now()));
        assert_eq!(
            s.progress(),
            Progress {
                graded: 0,
                remaining: 2
            }
        );
        assert_eq!(s.undo(), None);
    }

    #[test]
    fn cram_logs_the_grade_but_leaves_the_schedule_alone() {
        let state = review_state(now() + SignedDuration::from_hours(24 * 9));
        let mut s = session(DrillMode::Cram, vec![card("a", state)]);
        let preview = s.preview(now()).unwrap().unwrap();
        assert!(preview.outcomes.iter().all(|o| o.state == state));
        let review = s.grade(Grade::Again, now(), Timing::default()).unwrap();
        assert_eq!(review.kind, ReviewKind::Cram);
        assert_eq!(review.after, review.before);
        assert!(s.is_finished(), "cram does not requeue");
    }

    #[test]
    fn the_preview_matches_what_grading_does() {
        let mut s = session(DrillMode::Scheduled, vec![card("a", review_state(now()))]);
        let preview = s.preview(now()).unwrap().unwrap();
        let review = s.grade(Grade::Hard, now(), Timing::default()).unwrap();
        assert_eq!(review.after, preview.get(Grade::Hard).state);
        assert_eq!(review.kind, ReviewKind::Review);
    }
}
