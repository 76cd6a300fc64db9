//! FSRS-6 scheduling (the `fsrs` crate, as Anki ships it) with learning and relearning steps,
//! an optional interview-date cap, and leech detection.
//!
//! Memory state (stability, difficulty) is updated by FSRS on every graded review, same-day
//! ones included; the steps only decide when a card in learning comes back.

use std::fmt;

use fsrs::{FSRS, MemoryState, NextStates};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::SrsError;

/// The four answers, as in Anki.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    /// 1..=4.
    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Grade> {
        Grade::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    pub fn name(self) -> &'static str {
        match self {
            Grade::Again => "Again",
            Grade::Hard => "Hard",
            Grade::Good => "Good",
            Grade::Easy => "Easy",
        }
    }

    /// Recalled (anything but Again).
    pub fn passed(self) -> bool {
        self != Grade::Again
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Never graded.
    New,
    /// Going through the learning steps.
    Learning,
    /// Graduated: intervals in days from FSRS.
    Review,
    /// Failed in review, going through the relearning steps.
    Relearning,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::New => "new",
            Phase::Learning => "learning",
            Phase::Review => "review",
            Phase::Relearning => "relearning",
        }
    }

    pub fn parse(text: &str) -> Option<Phase> {
        Some(match text {
            "new" => Phase::New,
            "learning" => Phase::Learning,
            "review" => Phase::Review,
            "relearning" => Phase::Relearning,
            _ => return None,
        })
    }

    /// Learning or relearning: due again within minutes.
    pub fn in_steps(self) -> bool {
        matches!(self, Phase::Learning | Phase::Relearning)
    }
}

/// FSRS memory state (a serializable copy of [`fsrs::MemoryState`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    pub stability: f32,
    pub difficulty: f32,
}

impl From<MemoryState> for Memory {
    fn from(m: MemoryState) -> Memory {
        Memory {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

impl From<Memory> for MemoryState {
    fn from(m: Memory) -> MemoryState {
        MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

/// Where a card stands in its schedule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    pub phase: Phase,
    /// Index into the learning or relearning steps (0 otherwise).
    pub step: u32,
    /// None until the first grade.
    pub memory: Option<Memory>,
    pub due: Timestamp,
    pub last_review: Option<Timestamp>,
    /// Graded reviews that counted for the schedule (cram ones do not).
    pub reps: u32,
    /// Times forgotten after graduating (Again on a review card).
    pub lapses: u32,
}

impl CardState {
    /// A card never seen: due at once.
    pub fn new(now: Timestamp) -> CardState {
        CardState {
            phase: Phase::New,
            step: 0,
            memory: None,
            due: now,
            last_review: None,
            reps: 0,
            lapses: 0,
        }
    }
}

/// How the scheduler is set up; [`SchedulerConfig::default`] is Anki's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerConfig {
    pub desired_retention: f64,
    pub learning_steps: Vec<SignedDuration>,
    pub relearning_steps: Vec<SignedDuration>,
    pub maximum_interval_days: u32,
    /// Lapses after which a card is a leech.
    pub leech_lapses: u32,
    /// Start of the interview day: review intervals are capped so that every card is seen at
    /// least twice more before it.
    pub interview: Option<Timestamp>,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            desired_retention: 0.9,
            learning_steps: vec![SignedDuration::from_mins(1), SignedDuration::from_mins(10)],
            relearning_steps: vec![SignedDuration::from_mins(10)],
            maximum_interval_days: 36_500,
            leech_lapses: 8,
            interview: None,
        }
    }
}

/// What one grade would do to a card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub grade: Grade,
    pub state: CardState,
    /// From now until the card is due again.
    pub interval: SignedDuration,
}

/// The four outcomes, known before grading (what Anki shows above its buttons).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preview {
    pub outcomes: [Outcome; 4],
}

impl Preview {
    pub fn get(&self, grade: Grade) -> &Outcome {
        &self.outcomes[usize::from(grade.number() - 1)]
    }
}

/// FSRS plus steps, retention and the interview cap. Pure: the time is always passed in.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    config: SchedulerConfig,
}

const DAY: SignedDuration = SignedDuration::from_hours(24);

impl Scheduler {
    /// Checks the config; FSRS uses its default parameters.
    pub fn new(config: SchedulerConfig) -> Result<Scheduler, SrsError> {
        if !(config.desired_retention > 0.0 && config.desired_retention < 1.0) {
            return Err(SrsError::Retention(config.desired_retention));
        }
        for step in config.learning_steps.iter().chain(&config.relearning_steps) {
            if !step.is_positive() || *step >= DAY {
                return Err(SrsError::Step(*step));
            }
        }
        if config.maximum_interval_days == 0 {
            return Err(SrsError::MaximumInterval);
        }
        let fsrs = FSRS::new(&[]).map_err(|e| SrsError::Fsrs(e.to_string()))?;
        Ok(Scheduler { fsrs, config })
    }

    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// A card with this many lapses or more needs its story rewritten.
    pub fn is_leech(&self, state: &CardState) -> bool {
        state.lapses >= self.config.leech_lapses
    }

    /// What each grade would do to `state` if graded at `now`.
    pub fn preview(&self, state: &CardState, now: Timestamp) -> Result<Preview, SrsError> {
        let elapsed_days = match state.last_review {
            Some(last) if now > last => {
                u32::try_from((now - last).as_secs() / DAY.as_secs()).unwrap_or(u32::MAX)
            }
            _ => 0,
        };
        let next = self
            .fsrs
            .next_states(
                state.memory.map(MemoryState::from),
                self.config.desired_retention as f32,
                elapsed_days,
            )
            .map_err(|e| SrsError::Fsrs(e.to_string()))?;
        Ok(Preview {
            outcomes: Grade::ALL.map(|grade| self.outcome(state, grade, &next, now)),
        })
    }

    /// The state after grading `state` with `grade` at `now`.
    pub fn grade(
        &self,
        state: &CardState,
        grade: Grade,
        now: Timestamp,
    ) -> Result<CardState, SrsError> {
        Ok(self.preview(state, now)?.get(grade).state)
    }

    fn outcome(
        &self,
        state: &CardState,
        grade: Grade,
        next: &NextStates,
        now: Timestamp,
    ) -> Outcome {
        let item = match grade {
            Grade::Again => &next.again,
            Grade::Hard => &next.hard,
            Grade::Good => &next.good,
            Grade::Easy => &next.easy,
        };
        let mut after = CardState {
            memory: Some(item.memory.into()),
            last_review: Some(now),
            reps: state.reps + 1,
            ..*state
        };
        let review_days = self.review_days(item.interval, now);
        // (phase, step, delay) for the step phases; None means graduate to review.
        let stepped = match state.phase {
            Phase::New | Phase::Learning => {
                let step = if state.phase == Phase::New {
                    0
                } else {
                    state.step
                };
                step_outcome(&self.config.learning_steps, step, grade)
                    .map(|(step, delay)| (Phase::Learning, step, delay))
            }
            Phase::Relearning => step_outcome(&self.config.relearning_steps, state.step, grade)
                .map(|(step, delay)| (Phase::Relearning, step, delay)),
            Phase::Review if grade == Grade::Again => {
                after.lapses += 1;
                self.config
                    .relearning_steps
                    .first()
                    .map(|delay| (Phase::Relearning, 0, *delay))
            }
            Phase::Review => None,
        };
        let interval = match stepped {
            Some((phase, step, delay)) => {
                after.phase = phase;
                after.step = step;
                delay
            }
            None => {
                after.phase = Phase::Review;
                after.step = 0;
                review_days
            }
        };
        after.due = now.saturating_add(interval).expect("intervals are bounded");
        Outcome {
            grade,
            state: after,
            interval,
        }
    }

    /// An FSRS interval in days, rounded to whole days (at least 1), capped by the maximum and
    /// by the interview date.
    fn review_days(&self, fsrs_days: f32, now: Timestamp) -> SignedDuration {
        let mut days =
            (fsrs_days.round() as i64).clamp(1, i64::from(self.config.maximum_interval_days));
        if let Some(cap) = self.interview_cap_days(now) {
            days = days.min(cap);
        }
        DAY * i32::try_from(days).expect("at most 36,500 days")
    }

    /// The longest review interval that still leaves room for two reviews before the
    /// interview: half the days left (at least one). None once the interview has started.
    pub fn interview_cap_days(&self, now: Timestamp) -> Option<i64> {
        let interview = self.config.interview?;
        if interview <= now {
            return None;
        }
        let days_left = (interview - now).as_secs() / DAY.as_secs();
        Some((days_left / 2).max(1))
    }
}

/// Anki's step rules: Again goes back to the first step; Hard repeats the step (on the first
/// step: halfway to the second, or 1.5x when there is one step); Good moves on; Easy graduates.
/// None means graduate.
fn step_outcome(
    steps: &[SignedDuration],
    step: u32,
    grade: Grade,
) -> Option<(u32, SignedDuration)> {
    let index = usize::try_from(step)
        .unwrap_or(usize::MAX)
        .min(steps.len().saturating_sub(1));
    match grade {
        Grade::Again => steps.first().map(|d| (0, *d)),
        Grade::Hard => {
            let current = *steps.get(index)?;
            let delay = if index == 0 {
                match steps.get(1) {
                    Some(second) => (current + *second) / 2,
                    None => current.mul_f64(1.5).min(current + DAY),
                }
            } else {
                current
            };
            Some((index as u32, delay))
        }
        Grade::Good => {
            let next = index + 1;
            steps.get(next).map(|d| (next as u32, *d))
        }
        Grade::Easy => None,
    }
}

/// An interval as Anki shows it: `1m`, `10m`, `3h`, `4d`, `2.1mo`, `1.5y`.
pub fn format_interval(interval: SignedDuration) -> String {
    let secs = interval.as_secs_f64().max(0.0);
    let minutes = secs / 60.0;
    let hours = minutes / 60.0;
    let days = hours / 24.0;
    if secs.round() < 60.0 {
        format!("{}s", secs.round())
    } else if minutes.round() < 60.0 {
        format!("{}m", minutes.round())
    } else if days < 1.0 {
        format!("{}h", trim(hours))
    } else if days < 30.0 {
        format!("{}d", days.round())
    } else if days < 365.0 {
        format!("{}mo", trim(days / 30.0))
    } else {
        format!("{}y", trim(days / 365.0))
    }
}

fn trim(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-25T18:00:00Z".parse().unwrap()
    }

    fn scheduler(config: SchedulerConfig) -> Scheduler {
        Scheduler::new(config).unwrap()
    }

    /// The crate's own first-review numbers, as the crate computes them.
    fn crate_first_review() -> NextStates {
        FSRS::default().next_states(None, 0.9, 0).unwrap()
    }

    fn crate_days(interval: f32) -> SignedDuration {
        DAY * (interval.round().max(1.0) as i32)
    }

    #[test]
    fn without_steps_first_review_intervals_are_the_crates_own() {
        let s = scheduler(SchedulerConfig {
            learning_steps: vec![],
            ..SchedulerConfig::default()
        });
        let preview = s.preview(&CardState::new(now()), now()).unwrap();
        let expected = crate_first_review();
        let pairs = [
            (Grade::Again, &expected.again),
            (Grade::Hard, &expected.hard),
            (Grade::Good, &expected.good),
            (Grade::Easy, &expected.easy),
        ];
        for (grade, item) in pairs {
            let outcome = preview.get(grade);
            assert_eq!(outcome.interval, crate_days(item.interval), "{grade}");
            assert_eq!(outcome.state.memory, Some(item.memory.into()), "{grade}");
            assert_eq!(outcome.state.phase, Phase::Review);
            assert_eq!(outcome.state.due, now() + crate_days(item.interval));
        }
        // The four memory states differ, so a grade mix-up would not go unnoticed.
        let stabilities = Grade::ALL.map(|g| preview.get(g).state.memory.unwrap().stability);
        assert!(
            stabilities.windows(2).all(|w| w[0] < w[1]),
            "{stabilities:?}"
        );
    }

    #[test]
    fn with_default_steps_new_cards_step_and_easy_graduates_with_the_crates_interval() {
        let s = scheduler(SchedulerConfig::default());
        let preview = s.preview(&CardState::new(now()), now()).unwrap();
        assert_eq!(
            preview.get(Grade::Again).interval,
            SignedDuration::from_mins(1)
        );
        assert_eq!(
            preview.get(Grade::Hard).interval,
            SignedDuration::from_secs(330)
        );
        assert_eq!(
            preview.get(Grade::Good).interval,
            SignedDuration::from_mins(10)
        );
        assert_eq!(preview.get(Grade::Good).state.phase, Phase::Learning);
        assert_eq!(
            preview.get(Grade::Easy).interval,
            crate_days(crate_first_review().easy.interval)
        );
        // Memory is FSRS's for every grade, steps or not.
        assert_eq!(
            preview.get(Grade::Good).state.memory,
            Some(crate_first_review().good.memory.into())
        );
        // Good on the last step graduates with FSRS's interval for the updated memory.
        let learning = preview.get(Grade::Good).state;
        let later = now() + SignedDuration::from_mins(10);
        let second = s.preview(&learning, later).unwrap();
        let crate_second = FSRS::default()
            .next_states(learning.memory.map(Into::into), 0.9, 0)
            .unwrap();
        assert_eq!(second.get(Grade::Good).state.phase, Phase::Review);
        assert_eq!(
            second.get(Grade::Good).interval,
            crate_days(crate_second.good.interval)
        );
        assert_eq!(
            second.get(Grade::Hard).interval,
            SignedDuration::from_mins(10)
        );
    }

    #[test]
    fn forgetting_a_review_card_is_a_lapse_and_goes_to_relearning() {
        let s = scheduler(SchedulerConfig::default());
        let mut state = CardState::new(now());
        state = s.grade(&state, Grade::Easy, now()).unwrap();
        assert_eq!(state.phase, Phase::Review);
        let at = state.due;
        let failed = s.grade(&state, Grade::Again, at).unwrap();
        assert_eq!(failed.phase, Phase::Relearning);
        assert_eq!(failed.lapses, 1);
        assert_eq!(failed.due, at + SignedDuration::from_mins(10));
        let back = s.grade(&failed, Grade::Good, failed.due).unwrap();
        assert_eq!(back.phase, Phase::Review);
        assert_eq!(back.lapses, 1);
    }

    #[test]
    fn eight_lapses_make_a_leech() {
        let s = scheduler(SchedulerConfig::default());
        let mut state = s.grade(&CardState::new(now()), Grade::Easy, now()).unwrap();
        let mut leech_at = None;
        for lapse in 1..=9 {
            state = s.grade(&state, Grade::Again, state.due).unwrap();
            state = s.grade(&state, Grade::Good, state.due).unwrap();
            if leech_at.is_none() && s.is_leech(&state) {
                leech_at = Some(lapse);
            }
        }
        assert_eq!(leech_at, Some(8));
    }

    #[test]
    fn the_interview_date_caps_intervals_so_each_card_is_seen_twice_more() {
        let interview = now() + DAY * 20;
        let capped = scheduler(SchedulerConfig {
            interview: Some(interview),
            ..SchedulerConfig::default()
        });
        let free = scheduler(SchedulerConfig::default());
        // Easy every time it comes due, starting today: count reviews before the interview.
        let reviews_before = |s: &Scheduler| {
            let mut state = CardState::new(now());
            let mut at = now();
            let mut count = 0;
            while at < interview {
                state = s.grade(&state, Grade::Easy, at).unwrap();
                count += 1;
                at = state.due;
            }
            count
        };
        assert!(
            reviews_before(&free) < 3,
            "without a cap Easy jumps past the interview"
        );
        assert!(
            reviews_before(&capped) >= 3,
            "the first review and two more"
        );
        // A mature card: FSRS would wait months; the cap is half the days left.
        let mature = CardState {
            phase: Phase::Review,
            memory: Some(Memory {
                stability: 200.0,
                difficulty: 5.0,
            }),
            last_review: Some(now() - DAY * 100),
            reps: 10,
            ..CardState::new(now())
        };
        let uncapped = free.preview(&mature, now()).unwrap();
        assert!(uncapped.get(Grade::Good).interval > DAY * 20);
        let preview = capped.preview(&mature, now()).unwrap();
        for grade in [Grade::Hard, Grade::Good, Grade::Easy] {
            assert!(preview.get(grade).interval <= DAY * 10, "{grade}");
        }
        // After the interview starts, there is no cap.
        assert_eq!(capped.interview_cap_days(interview), None);
    }

    #[test]
    fn bad_config_is_refused_with_the_value() {
        let error = Scheduler::new(SchedulerConfig {
            desired_retention: 1.5,
            ..SchedulerConfig::default()
        })
        .unwrap_err();
        assert!(error.to_string().contains("1.5"), "{error}");
        assert!(
            Scheduler::new(SchedulerConfig {
                learning_steps: vec![SignedDuration::ZERO],
                ..SchedulerConfig::default()
            })
            .is_err()
        );
    }

    #[test]
    fn intervals_read_like_anki() {
        assert_eq!(format_interval(SignedDuration::from_mins(1)), "1m");
        assert_eq!(format_interval(SignedDuration::from_secs(330)), "6m");
        assert_eq!(format_interval(SignedDuration::from_hours(3)), "3h");
        assert_eq!(format_interval(DAY * 4), "4d");
        assert_eq!(format_interval(DAY * 63), "2.1mo");
        assert_eq!(format_interval(DAY * 730), "2y");
    }

    #[test]
    fn grades_round_trip_their_numbers() {
        for grade in Grade::ALL {
            assert_eq!(Grade::from_number(grade.number()), Some(grade));
        }
        assert_eq!(Grade::from_number(0), None);
        assert_eq!(Grade::from_number(5), None);
    }
}
