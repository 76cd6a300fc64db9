//! Step 3 and the end of step 4 of a mock question: the self-check, and the graded answer that
//! is stored (the answer is timed on [`crate::pacing::StarTimer`], as in the drill).

use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::bank::BankQuestion;
use crate::srs::Grade;
use crate::story::{Story, StoryKind};

// The STAR timer and its times are the drill's too: they live in [`crate::pacing`]; these
// names stay here for the code that reads them as the mock's.
pub use crate::pacing::{AnswerTime, Budgets, SectionTimes, StarTimer, seconds};

/// One yes/no item of the self-check after an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckItem {
    SituationGiven,
    MyActions,
    NumberRight,
}

impl CheckItem {
    pub fn question(self) -> &'static str {
        match self {
            CheckItem::SituationGiven => "Did you set the situation before the action?",
            CheckItem::MyActions => "Did you say what you did (I, not we)?",
            CheckItem::NumberRight => "Did you state a number, and was it right?",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CheckItem::SituationGiven => "situation given",
            CheckItem::MyActions => "I, not we",
            CheckItem::NumberRight => "number stated and right",
        }
    }
}

/// The self-check for an answer with `story`: the three items for a STAR story; a prepared
/// answer (no situation to set) is checked for the other two.
pub fn self_check_items(story: &Story) -> Vec<CheckItem> {
    match story.meta.kind {
        StoryKind::Story => vec![
            CheckItem::SituationGiven,
            CheckItem::MyActions,
            CheckItem::NumberRight,
        ],
        StoryKind::Motivation => vec![CheckItem::MyActions, CheckItem::NumberRight],
    }
}

/// The story's key numbers to check a stated number against:
/// `name: before -> after (claim) [note]`.
pub fn key_numbers(story: &Story) -> Vec<String> {
    story
        .meta
        .metrics
        .iter()
        .map(|m| {
            let change = match (&m.before, &m.after) {
                (Some(before), Some(after)) => format!(": {before} -> {after}"),
                (None, Some(after)) => format!(": {after}"),
                (Some(before), None) => format!(": from {before}"),
                (None, None) => String::new(),
            };
            let claim = m
                .claim
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let note = m
                .note
                .as_deref()
                .map(|n| format!(" [{}]", n.trim()))
                .unwrap_or_default();
            format!("{}{change}{claim}{note}", m.name)
        })
        .collect()
}

/// A probe as it was asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedProbe {
    pub question: String,
    #[serde(with = "millis")]
    pub time: Duration,
    /// The story has no answer for it yet.
    pub open: bool,
}

/// One self-check item and the user's yes or no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckAnswer {
    pub item: CheckItem,
    pub yes: bool,
}

/// One question of a mock, graded: what is stored in `mock_answers`.
#[derive(Debug, Clone, PartialEq)]
pub struct MockAnswer {
    /// 1-based place in the session.
    pub position: usize,
    pub asked_at: Timestamp,
    pub question: BankQuestion,
    /// None: "I have none", a gap.
    pub story_id: Option<String>,
    /// Whether the picked story declares the competency.
    pub declares: Option<bool>,
    /// Stories that would have fitted better.
    pub better: Vec<String>,
    pub pick_time: Duration,
    /// None when no story was picked (nothing to tell).
    pub answer: Option<AnswerTime>,
    pub probes: Vec<AskedProbe>,
    pub self_check: Vec<CheckAnswer>,
    pub grade: Grade,
    /// The grade the pick card got.
    pub pick_grade: Grade,
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(time.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::testing::fixture_stories;

    #[test]
    fn the_self_check_fits_the_kind_of_answer_and_shows_the_key_numbers() {
        let stories = fixture_stories();
        let cache = stories.iter().find(|s| s.id() == "cache-latency").unwrap();
        assert_eq!(self_check_items(cache).len(), 3);
        assert_eq!(
            key_numbers(cache),
            ["checkout p99 latency: 800 ms -> 200 ms (4x faster)"]
        );
        let next_role = stories.iter().find(|s| s.id() == "next-role").unwrap();
        assert_eq!(
            self_check_items(next_role),
            [CheckItem::MyActions, CheckItem::NumberRight]
        );
    }
}
