//! The pick as a reviewable card: "Which story answers: <bank question>?", one per bank
//! question, created the first time a mock asks that question and scheduled with the same
//! FSRS [`Scheduler`] as the story cards, so weak picks come back sooner.
//!
//! Its grade is not asked: it follows from the pick (see [`super::pick::feedback`]): Again
//! for "none" or a story that does not declare the competency, Hard when a story fits better or
//! the pick took long, Good, or Easy when the best story came at once.
//!
//! The cards live in the mock's own table (`mock_pick_cards`), not in `cards`: that table's
//! rows belong to a story. They come back two ways: a mock draws a question whose pick card is
//! due more often ([`super::draw::DrawOptions::due_picks`]), and the drill asks a due pick
//! card beside the story cards ([`PickCard::drill_card`]), graded by the user like any card.

use std::sync::Arc;

use jiff::Timestamp;

use super::bank::BankQuestion;
use crate::srs::{
    AnswerPart, Card, CardId, CardKind, CardState, DrillCard, Grade, Scheduler, SrsError,
};
use crate::story::Story;

/// The story id pick cards carry in a drill. No story has it: story ids are `a-z`, `0-9`, `-`.
pub const DRILL_STORY_ID: &str = "mock:pick";

/// Whether a drill's card is a pick card.
pub fn is_pick(card: &CardId) -> bool {
    card.story_id == DRILL_STORY_ID
}

#[derive(Debug, Clone, PartialEq)]
pub struct PickCard {
    /// The bank question's key.
    pub question_key: String,
    pub competency: String,
    pub prompt: String,
    pub created_at: Timestamp,
    pub state: CardState,
}

impl PickCard {
    pub fn is_due(&self, now: Timestamp) -> bool {
        crate::srs::is_due(&self.state, now)
    }

    /// The card as the drill asks it. Revealed: the finished stories that declare its
    /// competency (the right picks) and, if a mock asked it, the last pick made.
    pub fn drill_card<'a>(
        &self,
        stories: impl IntoIterator<Item = &'a Story>,
        last_pick: Option<Option<&str>>,
    ) -> DrillCard {
        let fitting: Vec<String> = stories
            .into_iter()
            .filter(|s| !s.meta.draft && s.meta.competencies.contains(&self.competency))
            .map(|s| format!("- {} (`{}`)", s.meta.title, s.id()))
            .collect();
        let mut answer = vec![AnswerPart {
            label: format!("Stories for {}", self.competency),
            text: if fitting.is_empty() {
                format!(
                    "None finished yet: `rehearse new --competency {}` scaffolds one.",
                    self.competency
                )
            } else {
                fitting.join("\n")
            },
        }];
        if let Some(last) = last_pick {
            answer.push(AnswerPart {
                label: "Your last pick in a mock".into(),
                text: last.unwrap_or("none (\"I have none\")").to_owned(),
            });
        }
        let id = CardId::new(DRILL_STORY_ID, self.question_key.clone());
        DrillCard {
            card: Arc::new(Card::new(id, CardKind::Pick, self.prompt.clone(), answer)),
            state: self.state,
            edited: false,
        }
    }
}

/// "Which story answers: Tell me about your biggest failure?"
pub fn prompt(question: &str) -> String {
    format!(
        "Which story answers: {}?",
        question.trim().trim_end_matches(['?', '.', '!'])
    )
}

/// The card after a pick graded `grade` at `now`; a new card when `existing` is None.
pub fn review(
    existing: Option<PickCard>,
    question: &BankQuestion,
    grade: Grade,
    now: Timestamp,
    scheduler: &Scheduler,
) -> Result<PickCard, SrsError> {
    let mut card = existing.unwrap_or_else(|| PickCard {
        question_key: question.key.clone(),
        competency: question.competency.clone(),
        prompt: prompt(&question.text),
        created_at: now,
        state: CardState::new(now),
    });
    card.state = scheduler.grade(&card.state, grade, now)?;
    Ok(card)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::bank::questions;
    use crate::mock::testing::fixture_bank;
    use crate::srs::{Phase, SchedulerConfig};

    #[test]
    fn a_bad_pick_comes_back_sooner_than_a_good_one() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let question = &questions(&fixture_bank())[0];
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let again = review(None, question, Grade::Again, now, &scheduler).unwrap();
        let easy = review(None, question, Grade::Easy, now, &scheduler).unwrap();
        assert_eq!(
            again.prompt,
            "Which story answers: Tell me about a time you took responsibility for something that went wrong?"
        );
        assert_eq!(again.created_at, now);
        assert!(again.state.due < easy.state.due);
        assert_eq!(easy.state.phase, Phase::Review);
        // A second review keeps the card's identity and history.
        let later = again.state.due;
        let second = review(
            Some(again.clone()),
            question,
            Grade::Good,
            later,
            &scheduler,
        )
        .unwrap();
        assert_eq!(second.created_at, now);
        assert!(second.state.reps > again.state.reps);
        assert!(second.state.due > later);
        assert!(second.is_due(second.state.due));
    }
}
