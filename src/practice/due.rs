//! What is due, counted as the drill counts it: a story's cards by story, and the pick cards a
//! mock made (which a drill of every story asks too). `rehearse due`, the TUI's library and
//! title bar and the export all read these counts.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use super::{Practice, Result};
use crate::srs::{CardState, Phase, Scope, is_due};

/// One story's (or the pick cards') counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoryDue {
    /// Due now (new cards included).
    pub now: usize,
    /// Of those, never reviewed.
    pub new: usize,
    /// Not due now, due within a week.
    pub week: usize,
}

impl StoryDue {
    fn add(&mut self, state: &CardState, now: Timestamp) {
        if is_due(state, now) {
            self.now += 1;
            self.new += usize::from(state.phase == Phase::New);
        } else if state.due <= now + SignedDuration::from_hours(24 * 7) {
            self.week += 1;
        }
    }

    fn plus(self, other: StoryDue) -> StoryDue {
        StoryDue {
            now: self.now + other.now,
            new: self.new + other.new,
            week: self.week + other.week,
        }
    }
}

/// Due counts per story id, and for the pick cards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueCounts {
    pub by_story: BTreeMap<String, StoryDue>,
    /// The pick cards ("which story answers: ...?"), asked in a drill of every story.
    pub picks: StoryDue,
}

impl DueCounts {
    /// Counts `cards` (story id and schedule) and the pick cards' schedules at `now`.
    pub fn count<'a>(
        cards: impl IntoIterator<Item = (&'a str, &'a CardState)>,
        picks: impl IntoIterator<Item = &'a CardState>,
        now: Timestamp,
    ) -> DueCounts {
        let mut counts = DueCounts::default();
        for (story, state) in cards {
            // One allocation per story, not per card: the TUI counts on every frame.
            match counts.by_story.get_mut(story) {
                Some(due) => due.add(state, now),
                None => {
                    let mut due = StoryDue::default();
                    due.add(state, now);
                    counts.by_story.insert(story.to_owned(), due);
                }
            }
        }
        for state in picks {
            counts.picks.add(state, now);
        }
        counts
    }

    /// Every card: the stories' and the pick cards' (what a drill of every story asks).
    pub fn total(&self) -> StoryDue {
        self.by_story
            .values()
            .fold(self.picks, |total, story| total.plus(*story))
    }

    /// One story's cards due now.
    pub fn now_in(&self, story_id: &str) -> usize {
        self.by_story.get(story_id).map_or(0, |d| d.now)
    }
}

/// When a card comes up: `new`, `due now`, `in 3d`.
pub fn due_text(state: &CardState, now: Timestamp) -> String {
    if state.phase == Phase::New {
        "new".to_owned()
    } else if state.due <= now {
        "due now".to_owned()
    } else {
        format!(
            "in {}",
            crate::srs::format_interval(state.due.duration_since(now))
        )
    }
}

impl Practice {
    /// What is due now and this week, by story and for the pick cards.
    pub fn due(&self) -> Result<DueCounts> {
        let cards = self.cards()?;
        let picks = self.pick_states()?;
        Ok(DueCounts::count(
            cards.iter().map(|c| (c.id.story_id.as_str(), &c.state)),
            &picks,
            self.now(),
        ))
    }

    /// The pick cards' schedules (for a front end that counts due cards itself).
    pub fn pick_states(&self) -> Result<Vec<CardState>> {
        Ok(self
            .pick_cards(&Scope::All)?
            .into_iter()
            .map(|c| c.state)
            .collect())
    }
}
