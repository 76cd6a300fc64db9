//! Step 3 and the end of step 4 of a mock question: the answer timed per STAR section against
//! the drill's budgets, the self-check, and the graded answer that is stored.

use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::bank::BankQuestion;
use crate::srs::Grade;
use crate::story::{SectionKind, Story, StoryKind};

/// Seconds per STAR section, as `[drill]` in the config sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    pub situation: Duration,
    pub task: Duration,
    pub action: Duration,
    pub result: Duration,
}

impl Budgets {
    pub fn from_config(config: &crate::config::DrillConfig) -> Budgets {
        let secs = |s: u32| Duration::from_secs(u64::from(s));
        Budgets {
            situation: secs(config.situation_seconds),
            task: secs(config.task_seconds),
            action: secs(config.action_seconds),
            result: secs(config.result_seconds),
        }
    }

    pub fn get(&self, section: SectionKind) -> Duration {
        match section {
            SectionKind::Situation => self.situation,
            SectionKind::Task => self.task,
            SectionKind::Action => self.action,
            SectionKind::Result => self.result,
            _ => Duration::ZERO,
        }
    }

    pub fn total(&self) -> Duration {
        self.situation + self.task + self.action + self.result
    }
}

/// Time spent on each STAR section; None for a section the user did not mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SectionTimes {
    pub situation: Option<Duration>,
    pub task: Option<Duration>,
    pub action: Option<Duration>,
    pub result: Option<Duration>,
}

impl SectionTimes {
    pub fn get(&self, section: SectionKind) -> Option<Duration> {
        match section {
            SectionKind::Situation => self.situation,
            SectionKind::Task => self.task,
            SectionKind::Action => self.action,
            SectionKind::Result => self.result,
            _ => None,
        }
    }

    fn set(&mut self, section: SectionKind, time: Duration) {
        match section {
            SectionKind::Situation => self.situation = Some(time),
            SectionKind::Task => self.task = Some(time),
            SectionKind::Action => self.action = Some(time),
            SectionKind::Result => self.result = Some(time),
            _ => {}
        }
    }
}

/// A spoken answer's timing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerTime {
    pub total: Duration,
    pub sections: SectionTimes,
}

impl AnswerTime {
    /// `Situation 12 s / 15 s · Task 14 s / 10 s (over) · ...`, or the total against the total
    /// budget when the sections were not marked.
    pub fn against(&self, budgets: &Budgets) -> String {
        let marked: Vec<String> = SectionKind::STAR
            .iter()
            .filter_map(|kind| {
                let used = self.sections.get(*kind)?;
                let budget = budgets.get(*kind);
                Some(format!(
                    "{} {} / {}{}",
                    kind.title(),
                    seconds(used),
                    seconds(budget),
                    if used > budget { " (over)" } else { "" }
                ))
            })
            .collect();
        let total = format!(
            "total {} / {}{}",
            seconds(self.total),
            seconds(budgets.total()),
            if self.total > budgets.total() {
                " (over)"
            } else {
                ""
            }
        );
        if marked.is_empty() {
            total
        } else {
            format!("{} · {total}", marked.join(" · "))
        }
    }
}

/// `12 s`, `1 min`, `2 min 5 s`.
pub fn seconds(time: Duration) -> String {
    let secs = time.as_secs_f64().round() as u64;
    if secs < 60 {
        format!("{secs} s")
    } else if secs.is_multiple_of(60) {
        format!("{} min", secs / 60)
    } else {
        format!("{} min {} s", secs / 60, secs % 60)
    }
}

fn since(from: Timestamp, to: Timestamp) -> Duration {
    Duration::try_from(to.duration_since(from)).unwrap_or_default()
}

/// The STAR pacing timer over a whole answer: the user moves to the next section when they do;
/// sections never reached stay unmarked. Times come from the caller's clock.
#[derive(Debug, Clone)]
pub struct AnswerTimer {
    started: Timestamp,
    section: usize,
    section_started: Timestamp,
    sections: SectionTimes,
    /// False until the user marks a section: then the first section's time counts too.
    paced: bool,
}

impl AnswerTimer {
    pub fn start(now: Timestamp) -> AnswerTimer {
        AnswerTimer {
            started: now,
            section: 0,
            section_started: now,
            sections: SectionTimes::default(),
            paced: false,
        }
    }

    /// The section being spoken.
    pub fn section(&self) -> SectionKind {
        SectionKind::STAR[self.section]
    }

    /// Moves on to the next STAR section; false when already on Result.
    pub fn next_section(&mut self, now: Timestamp) -> bool {
        if self.section + 1 >= SectionKind::STAR.len() {
            return false;
        }
        self.sections
            .set(self.section(), since(self.section_started, now));
        self.section += 1;
        self.section_started = now;
        self.paced = true;
        true
    }

    /// Time since the answer started.
    pub fn elapsed(&self, now: Timestamp) -> Duration {
        since(self.started, now)
    }

    /// Time on each section so far, the one being spoken counted up to `now` (what a pacing
    /// bar shows while the answer runs).
    pub fn running(&self, now: Timestamp) -> SectionTimes {
        let mut times = self.sections;
        times.set(self.section(), since(self.section_started, now));
        times
    }

    pub fn finish(mut self, now: Timestamp) -> AnswerTime {
        if self.paced {
            self.sections
                .set(self.section(), since(self.section_started, now));
        }
        AnswerTime {
            total: since(self.started, now),
            sections: self.sections,
        }
    }
}

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

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    fn budgets() -> Budgets {
        Budgets::from_config(&crate::config::DrillConfig::default())
    }

    #[test]
    fn marked_sections_are_timed_and_compared_with_their_budgets() {
        let mut timer = AnswerTimer::start(at(0));
        assert_eq!(timer.section(), SectionKind::Situation);
        assert!(timer.next_section(at(12)));
        assert!(timer.next_section(at(26)));
        assert!(timer.next_section(at(80)));
        assert!(!timer.next_section(at(90)), "Result is the last section");
        assert_eq!(timer.running(at(95)).result, Some(Duration::from_secs(15)));
        assert_eq!(timer.elapsed(at(95)), Duration::from_secs(95));
        let time = timer.finish(at(101));
        assert_eq!(time.total, Duration::from_secs(101));
        assert_eq!(time.sections.result, Some(Duration::from_secs(21)));
        assert_eq!(
            time.against(&budgets()),
            "Situation 12 s / 15 s · Task 14 s / 10 s (over) · Action 54 s / 1 min · Result 21 s / 25 s · total 1 min 41 s / 1 min 50 s"
        );
    }

    #[test]
    fn an_answer_never_paced_has_only_its_total() {
        let time = AnswerTimer::start(at(0)).finish(at(130));
        assert_eq!(time.sections, SectionTimes::default());
        assert_eq!(
            time.against(&budgets()),
            "total 2 min 10 s / 1 min 50 s (over)"
        );
    }

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
