//! How spoken answers moved over the attempts, per story: coverage, key numbers said, fillers
//! per minute and pace, first against latest. Pure: the attempts come from the store.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::srs::Grade;

/// One spoken answer's key figures, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SpokenAttempt {
    pub story_id: String,
    pub recorded_at: Timestamp,
    pub coverage: f64,
    pub numbers_said: usize,
    pub numbers_wrong: usize,
    pub numbers_total: usize,
    pub fillers_per_minute: f64,
    pub words_per_minute: f64,
    pub suggested_grade: Grade,
}

/// One story's spoken answers over time.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryTrend {
    pub story_id: String,
    pub attempts: usize,
    pub first: SpokenAttempt,
    pub latest: SpokenAttempt,
    /// Best coverage of any attempt.
    pub best_coverage: f64,
}

impl StoryTrend {
    /// Latest minus first, in percentage points of coverage.
    pub fn coverage_change(&self) -> f64 {
        (self.latest.coverage - self.first.coverage) * 100.0
    }

    /// Latest minus first, fillers per minute (negative is better).
    pub fn fillers_change(&self) -> f64 {
        self.latest.fillers_per_minute - self.first.fillers_per_minute
    }
}

/// Per story (in id order), first and latest attempt and the best coverage.
pub fn trends(attempts: &[SpokenAttempt]) -> Vec<StoryTrend> {
    let mut by_story: BTreeMap<&str, Vec<&SpokenAttempt>> = BTreeMap::new();
    for attempt in attempts {
        by_story.entry(&attempt.story_id).or_default().push(attempt);
    }
    by_story
        .into_iter()
        .map(|(story_id, mut list)| {
            list.sort_by_key(|a| a.recorded_at);
            StoryTrend {
                story_id: story_id.to_owned(),
                attempts: list.len(),
                first: list[0].clone(),
                latest: list[list.len() - 1].clone(),
                best_coverage: list.iter().map(|a| a.coverage).fold(0.0, f64::max),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn attempt(story: &str, minute: i64, coverage: f64, fillers: f64) -> SpokenAttempt {
        SpokenAttempt {
            story_id: story.to_owned(),
            recorded_at: Timestamp::from_second(1_800_000_000 + minute * 60).unwrap(),
            coverage,
            numbers_said: 2,
            numbers_wrong: 0,
            numbers_total: 3,
            fillers_per_minute: fillers,
            words_per_minute: 140.0,
            suggested_grade: Grade::Good,
        }
    }

    #[test]
    fn first_and_latest_per_story_in_time_order_whatever_the_input_order() {
        let attempts = [
            attempt("b", 5, 0.9, 2.0),
            attempt("a", 3, 0.8, 4.0),
            attempt("b", 1, 0.4, 9.0),
            attempt("b", 3, 0.95, 5.0),
        ];
        let trends = trends(&attempts);
        assert_eq!(trends.len(), 2);
        let b = &trends[1];
        assert_eq!((b.story_id.as_str(), b.attempts), ("b", 3));
        assert_eq!(b.first.coverage, 0.4);
        assert_eq!(b.latest.coverage, 0.9);
        assert_eq!(b.best_coverage, 0.95);
        assert!((b.coverage_change() - 50.0).abs() < 1e-9);
        assert!((b.fillers_change() + 7.0).abs() < 1e-9);
        assert_eq!(trends[0].attempts, 1);
    }
}
