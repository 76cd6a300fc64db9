//! One mock run, step by step, for any front end: the drawn questions in order, and for the
//! current one the short list, the judged pick, the probes and, once graded, the answer to
//! store (the practice core stores it with its pick card). The front end reads the user and
//! the clock; this holds the rest.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::answer::{AnswerTime, AskedProbe, CheckAnswer, CheckItem, MockAnswer, self_check_items};
use super::draw::{DrawnQuestion, MockRng};
use super::pick::{Pick, PickFeedback, feedback, short_list};
use super::probes::{PROBES_PER_QUESTION, Probe, ProbeSource, choose};
use crate::srs::Grade;
use crate::story::Story;

/// The stories are shared (the TUI keeps the run in its state beside its own copy).
#[derive(Debug, Clone)]
pub struct MockRun<P> {
    stories: Arc<[Story]>,
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

impl Attempt {
    /// A question just picked for: nothing told, probed or checked yet.
    pub fn picked(
        asked_at: Timestamp,
        pick: Pick,
        pick_time: Duration,
        feedback: PickFeedback,
    ) -> Attempt {
        Attempt {
            asked_at,
            pick,
            pick_time,
            feedback,
            answer: None,
            probes: Vec::new(),
            self_check: Vec::new(),
            grade: Grade::Again,
        }
    }
}

impl<P: ProbeSource> MockRun<P> {
    /// `rng` continues the one that drew `questions`, so a seed replays the whole run.
    pub fn new(
        stories: Arc<[Story]>,
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

    pub fn stories(&self) -> Arc<[Story]> {
        Arc::clone(&self.stories)
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
            &self.stories,
            &drawn.question.competency,
            &drawn.question.text,
            &mut self.rng,
        )
    }

    pub fn judge(&self, pick: &Pick, pick_time: Duration) -> Option<PickFeedback> {
        let (_, drawn) = self.current()?;
        Some(feedback(
            &self.stories,
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

    /// The current question's answer to store, from what the user did; None after the last
    /// question. The run stays on the question until [`MockRun::advance`] (once it is stored).
    pub fn answer(&self, attempt: Attempt) -> Option<MockAnswer> {
        let (position, drawn) = self.current()?;
        Some(MockAnswer {
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
            question: drawn.question.clone(),
        })
    }

    /// Moves on to the next question (after the answer was stored).
    pub fn advance(&mut self) {
        self.next = (self.next + 1).min(self.questions.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::draw::{DrawOptions, Weakness, draw, rng, weights};
    use crate::mock::probes::StoryProbes;
    use crate::mock::testing::{fixture_bank, fixture_stories};

    fn run_with(seed: u64, stories: &[Story]) -> MockRun<StoryProbes> {
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
        MockRun::new(
            stories.into(),
            drawn,
            rng,
            StoryProbes::new(&crate::story::question_bank::QuestionBank::bundled().ladder),
        )
    }

    #[test]
    fn a_run_asks_each_question_once_and_judges_the_pick() {
        let stories = fixture_stories();
        let mut run = run_with(11, &stories);
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
        let answer = run.answer(attempt.clone()).unwrap();
        assert_eq!(answer.position, 1);
        assert_eq!(answer.declares, Some(true));
        assert_eq!(answer.pick_grade, Grade::Easy);
        assert_eq!(answer.story_id.as_deref(), Some("cache-latency"));
        // Until it is stored, the run stays on the question.
        assert_eq!(run.current().unwrap().0, 1);
        run.advance();
        assert_eq!(run.current().unwrap().0, 2);
        let second = run.answer(attempt.clone()).unwrap();
        assert_ne!(second.question.key, answer.question.key);
        run.advance();
        assert!(run.current().is_none());
        assert!(run.answer(attempt).is_none());
        // The same seed gives the same list again.
        assert_eq!(run_with(11, &stories).short_list(), list);
    }
}
