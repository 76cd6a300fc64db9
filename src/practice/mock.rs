//! Mock interview use cases, for both front ends: start a mock (what the user is weak at, read
//! from the store; the seeded draw; the session row), store each graded question with its pick
//! card as it is graded, and close the session with its report. The steps of a question live
//! in [`crate::mock::session::MockRun`]; this is where they meet the store.

use std::collections::HashSet;

use jiff::SignedDuration;
use thiserror::Error;

use super::stats::RETENTION_DAYS;
use super::{Interface, Practice, PracticeError};
use crate::mock::answer::{Budgets, MockAnswer};
use crate::mock::draw::{self, DrawError, DrawOptions};
use crate::mock::job::JobRanking;
use crate::mock::pick_card::{self, PickCard};
use crate::mock::probes::StoryProbes;
use crate::mock::report::{ReportContext, across_sessions_markdown, session_markdown};
use crate::mock::session::MockRun;
use crate::srs::SrsError;
use crate::store::{MockSessionId, MockSetup, StoreError};
use crate::story::question_bank::QuestionBank;

#[derive(Debug, Error)]
pub enum MockError {
    #[error(transparent)]
    Practice(#[from] PracticeError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Draw(#[from] DrawError),
    #[error(transparent)]
    Srs(#[from] SrsError),
    #[error("mock session {0} is not in the database")]
    NoSession(i64),
}

/// What a mock is started with.
#[derive(Debug, Clone)]
pub struct MockRequest {
    pub questions: usize,
    /// `--competency K`: only its questions.
    pub competency: Option<String>,
    /// The job description's file (as the user named it) and its ranking: weights the draw.
    pub job: Option<(String, JobRanking)>,
    /// None: a random seed (stored with the session, so it can be replayed).
    pub seed: Option<u64>,
    pub interface: Interface,
}

/// A mock ready to run.
#[derive(Debug, Clone)]
pub struct StartedMock {
    pub run: MockRun<StoryProbes>,
    pub id: MockSessionId,
    pub setup: MockSetup,
}

/// A closed session's report.
#[derive(Debug, Clone, PartialEq)]
pub struct MockReport {
    pub answered: usize,
    pub questions: usize,
    /// The session question by question and, once there are two sessions, the trend.
    pub markdown: String,
}

impl Practice {
    /// Draws the questions (weighted towards what the user is weak at and what the job asks
    /// for; due pick cards come back) and opens the session row.
    pub fn start_mock(
        &self,
        bank: &QuestionBank,
        request: MockRequest,
    ) -> Result<StartedMock, MockError> {
        let now = self.now();
        let store = self.store();
        let since = now - SignedDuration::from_hours(24 * RETENTION_DAYS);
        let weakness = draw::weakness(
            bank,
            self.stories(),
            &store.reviews_by_story(since)?,
            &store.mock_asked_by_competency()?,
        );
        let due_picks: HashSet<String> = store
            .pick_cards()?
            .into_iter()
            .filter(|c| c.is_due(now))
            .map(|c| c.question_key)
            .collect();
        let seed = request.seed.unwrap_or_else(rand::random::<u64>);
        let mut rng = draw::rng(seed);
        let ranking = request.job.as_ref().map(|(_, ranking)| ranking);
        let weights = draw::weights(bank, &weakness, ranking);
        let options = DrawOptions {
            questions: request.questions,
            competency: request.competency.clone(),
            due_picks,
            asked_before: store.mock_asked_questions()?,
        };
        let drawn = draw::draw(bank, &weights, &weakness, &options, &mut rng)?;
        let setup = MockSetup {
            seed,
            questions: drawn.len(),
            competency: request.competency,
            job: request.job.map(|(file, _)| file),
            interface: request.interface.as_str().to_owned(),
        };
        let id = store.start_mock(&setup, now)?;
        let probes = StoryProbes::new(&bank.ladder);
        let run = MockRun::new(self.stories().into(), drawn, rng, probes);
        Ok(StartedMock { run, id, setup })
    }

    /// Stores a graded question and its pick card's next review (scheduled like the story
    /// cards) in one transaction: once this returns, the answer survives a kill.
    pub fn record_mock_answer(
        &self,
        id: MockSessionId,
        answer: &MockAnswer,
    ) -> Result<PickCard, MockError> {
        let existing = self.store().pick_card(&answer.question.key)?;
        let card = pick_card::review(
            existing,
            &answer.question,
            answer.pick_grade,
            self.now(),
            &self.scheduler()?,
        )?;
        self.store().record_mock_answer(id, answer, &card)?;
        Ok(card)
    }

    /// Marks the session finished and returns its report.
    pub fn finish_mock(
        &self,
        id: MockSessionId,
        bank: &QuestionBank,
        budgets: Budgets,
    ) -> Result<MockReport, MockError> {
        self.store().finish_mock(id, self.now())?;
        let history = self.store().mock_history()?;
        let stored = history
            .iter()
            .find(|s| s.id == id)
            .ok_or(MockError::NoSession(id.0))?;
        let context = ReportContext {
            stories: self.stories(),
            bank,
            budgets,
            tz: self.time_zone().clone(),
        };
        let mut markdown = session_markdown(stored, &context).trim_end().to_owned();
        if history.iter().filter(|s| !s.answers.is_empty()).count() > 1 {
            markdown.push_str("\n\n");
            markdown.push_str(across_sessions_markdown(&history, &context).trim_end());
        }
        Ok(MockReport {
            answered: stored.answers.len(),
            questions: stored.setup.questions,
            markdown,
        })
    }
}
