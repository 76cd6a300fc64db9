//! A card's schedule from its whole history: its reviews in time order, each graded by the
//! same [`Scheduler`] the drill grades with. Two machines holding the same reviews (merged from
//! each other's logs, or brought back from Anki) so compute the same schedule, whatever order
//! the reviews reached them in.

use jiff::Timestamp;

use crate::srs::{CardState, Grade, Phase, ReviewKind, Scheduler, SrsError};

/// One review of a card, as the replay needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub at: Timestamp,
    pub grade: Grade,
    /// Practice ahead: kept in the history, but it leaves the schedule alone.
    pub cram: bool,
}

/// A review as the replay computed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Replayed {
    pub before: CardState,
    pub after: CardState,
    pub kind: ReviewKind,
}

/// Replays `steps` (in time order) from `start`, a new card's state. The card's schedule is
/// the last review's `after`, or `start` when there is none.
pub fn replay(
    scheduler: &Scheduler,
    start: CardState,
    steps: &[Step],
) -> Result<Vec<Replayed>, SrsError> {
    let mut state = start;
    let mut replayed = Vec::with_capacity(steps.len());
    for step in steps {
        let review = if step.cram {
            Replayed {
                before: state,
                after: state,
                kind: ReviewKind::Cram,
            }
        } else {
            Replayed {
                before: state,
                after: scheduler.grade(&state, step.grade, step.at)?,
                kind: kind_of(state.phase),
            }
        };
        state = review.after;
        replayed.push(review);
    }
    Ok(replayed)
}

/// What kind of review grading a card in `phase` is (as the drill files it).
fn kind_of(phase: Phase) -> ReviewKind {
    match phase {
        Phase::New | Phase::Learning => ReviewKind::Learn,
        Phase::Review => ReviewKind::Review,
        Phase::Relearning => ReviewKind::Relearn,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jiff::SignedDuration;

    use super::*;
    use crate::srs::{
        Card, CardId, CardKind, DrillCard, DrillMode, DrillSession, SchedulerConfig, Timing,
    };

    fn start() -> Timestamp {
        "2026-11-25T18:00:00Z".parse().unwrap()
    }

    /// Grades one card through drill sessions, one session per review as a user would
    /// (each starts from the schedule the last one left), and returns the reviews.
    fn drilled(grades: &[(i64, Grade)], cram_at: Option<i64>) -> Vec<crate::srs::Review> {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let card = Arc::new(Card::new(
            CardId::new("s", "a"),
            CardKind::Question,
            "Tell me".into(),
            vec![],
        ));
        let mut state = CardState::new(start());
        let mut reviews = Vec::new();
        for &(minutes, grade) in grades {
            let now = start() + SignedDuration::from_mins(minutes);
            let mode = if cram_at == Some(minutes) {
                DrillMode::Cram
            } else {
                DrillMode::Scheduled
            };
            let mut session = DrillSession::new(
                scheduler.clone(),
                mode,
                vec![DrillCard {
                    card: card.clone(),
                    state,
                    edited: false,
                }],
            );
            let review = session.grade(grade, now, Timing::default()).unwrap();
            state = review.after;
            reviews.push(review);
        }
        reviews
    }

    #[test]
    fn the_replayed_history_equals_the_one_the_drill_computed_review_by_review() {
        let day = 24 * 60;
        let grades = [
            (0, Grade::Good),
            (1, Grade::Again),
            (12, Grade::Good),
            (30, Grade::Good),
            (3 * day, Grade::Hard),
            (4 * day, Grade::Easy),
            (20 * day, Grade::Again),
            (20 * day + 15, Grade::Good),
            (25 * day, Grade::Good),
            (70 * day, Grade::Good),
        ];
        let reviews = drilled(&grades, Some(4 * day));
        let steps: Vec<Step> = reviews
            .iter()
            .map(|r| Step {
                at: r.reviewed_at,
                grade: r.grade,
                cram: r.kind == ReviewKind::Cram,
            })
            .collect();
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let replayed = replay(&scheduler, CardState::new(start()), &steps).unwrap();
        assert_eq!(replayed.len(), reviews.len());
        for (review, again) in reviews.iter().zip(&replayed) {
            assert_eq!(again.before, review.before, "{review:?}");
            assert_eq!(again.after, review.after, "{review:?}");
            assert_eq!(again.kind, review.kind, "{review:?}");
        }
        // The history went through every phase, so the comparison covered each rule.
        let phases: std::collections::HashSet<_> = reviews.iter().map(|r| r.after.phase).collect();
        assert_eq!(phases.len(), 3, "{phases:?}");
        assert!(reviews.iter().any(|r| r.kind == ReviewKind::Cram));
        assert!(reviews.iter().any(|r| r.kind == ReviewKind::Relearn));
    }

    #[test]
    fn the_order_reviews_arrive_in_does_not_matter_once_sorted_by_time() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let at = |minutes: i64| start() + SignedDuration::from_mins(minutes);
        let mine = Step {
            at: at(0),
            grade: Grade::Good,
            cram: false,
        };
        let theirs = Step {
            at: at(300),
            grade: Grade::Again,
            cram: false,
        };
        let merged = replay(&scheduler, CardState::new(at(0)), &[mine, theirs]).unwrap();
        // Only mine first, then theirs merged in: the same end.
        let alone = replay(&scheduler, CardState::new(at(0)), &[mine]).unwrap();
        let then = replay(&scheduler, alone[0].after, &[theirs]).unwrap();
        assert_eq!(merged[1].after, then[0].after);
        assert_ne!(merged[1].after, alone[0].after);
        // No review: the new card as it was.
        assert!(
            replay(&scheduler, CardState::new(at(0)), &[])
                .unwrap()
                .is_empty()
        );
    }
}
