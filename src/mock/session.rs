//! One mock run, step by step, for any front end: the drawn questions in order, and for the
//! current one the short list, the judged pick, the probes and, once graded, the answer to
//! store with its pick card. The front end reads the user and the clock; this holds the rest.

use std::time::Duration;

use jiff::Timestamp;

use super::answer::{AnswerTime, AskedProbe, CheckAnswer, CheckItem, MockAnswer, self_check_items};
use super::draw::{DrawnQuestion, MockRng};
use super::pick::{Pick, PickFeedback, feedback, short_list};
use super::pick_card::{self, PickCard};
use super::probes::{PROBES_PER_QUESTION, Probe, ProbeSource, choose};
use crate::srs::{Grade, Scheduler, SrsError};
use crate::story::Story;

pub struct MockRun<'a, P> {
    stories: &'a [Story],
    questions: Vec<DrawnQuestion>,
    next: usize,
    rng: MockRng,
    probes: P,
}

/// What the user did on one question, gathered by the front end.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub asked_at: Timestamp,
    pub pick: Pick,
    pub pick_time: Duration,
    pub feedback: PickFeedback,
    pub answer: Option<AnswerTime>,
    pub probes: Vec<AskedProbe>,
    pub self_check: Vec<CheckAnswer>,
    pub grade: Grade,
}

impl<'a, P: ProbeSource> MockRun<'a, P> {
    /// `rng` continues the one that drew `questions`, so a seed replays the whole run.
    pub fn new(
        stories: &'a [Story],
        questions: Vec<DrawnQuestion>,
        rng: MockRng,
        probes: P,
    ) -> Self {
        MockRun {
            stories,
            questions,
            next: 0,
            rng,
            probes,
        }
    }

    pub fn stories(&self) -> &'a [Story] {
        self.stories
    }

    /// The question being asked, and its 1-based position.
    pub fn current(&self) -> Option<(usize, &DrawnQuestion)> {
        self.questions.get(self.next).map(|q| (self.next + 1, q))
    }

    pub fn total(&self) -> usize {
        self.questions.len()
    }

    /// The short list for the current question (indices into the stories).
    pub fn short_list(&mut self) -> Vec<usize> {
        let Some(drawn) = self.questions.get(self.next) else {
            return Vec::new();
        };
        short_list(
            self.stories,
            &drawn.question.competency,
            &drawn.question.text,
            &mut self.rng,
        )
    }

    pub fn judge(&self, pick: &Pick, pick_time: Duration) -> Option<PickFeedback> {
        let (_, drawn) = self.current()?;
        Some(feedback(
            self.stories,
            &drawn.question.competency,
            &drawn.question.text,
            pick,
            pick_time,
        ))
    }

    /// The probes to ask about the picked story, and its self-check items.
    pub fn follow_up(&mut self, story: usize) -> (Vec<Probe>, Vec<CheckItem>) {
        let story = &self.stories[story];
        let probes = choose(
            self.probes.probes_for(story),
            PROBES_PER_QUESTION,
            &mut self.rng,
        );
        (probes, self_check_items(story))
    }

    /// Closes the current question: the answer to store and the pick card's next state
    /// (`existing` is the card if a mock asked this question before). Moves to the next one.
    pub fn grade(
        &mut self,
        attempt: Attempt,
        existing: Option<PickCard>,
        scheduler: &Scheduler,
        now: Timestamp,
    ) -> Result<(MockAnswer, PickCard), SrsError> {
        let (position, drawn) = self.current().ok_or(SrsError::NoCard)?;
        let question = drawn.question.clone();
        let card = pick_card::review(
            existing,
            &question,
            attempt.feedback.pick_grade,
            now,
            scheduler,
        )?;
        let answer = MockAnswer {
            position,
            asked_at: attempt.asked_at,
            story_id: attempt.feedback.picked.clone(),
            declares: attempt
                .feedback
                .picked
                .as_ref()
                .map(|_| attempt.feedback.declares.declared()),
            better: attempt
                .feedback
                .better
                .iter()
                .map(|b| b.id.clone())
                .collect(),
            pick_time: attempt.pick_time,
            answer: attempt.answer,
            probes: attempt.probes,
            self_check: attempt.self_check,
            grade: attempt.grade,
            pick_grade: attempt.feedback.pick_grade,
            question,
        };
        self.next += 1;
        Ok((answer, card))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::draw::{DrawOptions, Weakness, draw, rng, weights};
    use crate::mock::probes::StoryProbes;
    use crate::mock::testing::{fixture_bank, fixture_stories};
    use crate::srs::SchedulerConfig;

    fn run_with(seed: u64, stories: &[Story]) -> MockRun<'_, StoryProbes> {
        let bank = fixture_bank();
        let weakness = Weakness::new();
        let weights = weights(&bank, &weakness, None);
        let mut rng = rng(seed);
        let options = DrawOptions {
            questions: 2,
            competency: Some("performance".into()),
            ..DrawOptions::default()
        };
        let drawn = draw(&bank, &weights, &weakness, &options, &mut rng).unwrap();
        MockRun::new(stories, drawn, rng, StoryProbes)
    }

    #[test]
    fn a_run_asks_each_question_once_and_grades_the_pick_into_its_card() {
        let stories = fixture_stories();
        let mut run = run_with(11, &stories);
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let list = run.short_list();
        let cache = stories
            .iter()
            .position(|s| s.id() == "cache-latency")
            .unwrap();
        assert!(list.contains(&cache));
        let pick = Pick::Story(cache);
        let feedback = run.judge(&pick, Duration::from_secs(3)).unwrap();
        assert_eq!(feedback.pick_grade, Grade::Easy);
        let (probes, items) = run.follow_up(cache);
        assert_eq!(probes.len(), 2);
        assert_eq!(items.len(), 3);
        let attempt = Attempt {
            asked_at: now,
            pick,
            pick_time: Duration::from_secs(3),
            feedback,
            answer: None,
            probes: vec![],
            self_check: vec![],
            grade: Grade::Good,
        };
        let (answer, card) = run.grade(attempt.clone(), None, &scheduler, now).unwrap();
        assert_eq!(answer.position, 1);
        assert_eq!(answer.declares, Some(true));
        assert_eq!(answer.pick_grade, Grade::Easy);
        assert_eq!(card.question_key, answer.question.key);
        assert_eq!(run.current().unwrap().0, 2);
        let (second, _) = run.grade(attempt.clone(), None, &scheduler, now).unwrap();
        assert_ne!(second.question.key, answer.question.key);
        assert!(run.current().is_none());
        assert_eq!(
            run.grade(attempt, None, &scheduler, now).unwrap_err(),
            SrsError::NoCard
        );
        // The same seed gives the same list again.
        assert_eq!(run_with(11, &stories).short_list(), list);
    }
}
