//! Mock interview use cases, for both front ends: what a mock is drawn from (the bank, the job
//! description's ranking, the budgets: [`MockPlan`]), start a mock (what the user is weak at,
//! read from the store; the seeded draw; the session row), perform what a mock session asks
//! of the store (each graded question with its pick card, the session's end and its report),
//! and the mock history the prep pack shows. The steps of a question are
//! [`super::session::Mock`].

use std::collections::HashSet;
use std::path::PathBuf;

use jiff::SignedDuration;
use thiserror::Error;

use super::session::{Mock, MockWrite, MockWritten, SpokenAnswer};
use super::stats::RETENTION_DAYS;
use super::{Interface, Practice, PracticeError};
use crate::mock::answer::MockAnswer;
use crate::mock::bank::{BankError, read_bank};
use crate::mock::draw::{self, DrawError, DrawOptions};
use crate::mock::job::{JobError, JobRanking, JobText, rank};
use crate::mock::pick_card::{self, PickCard};
use crate::mock::probes::StoryProbes;
use crate::mock::report::{
    ReportContext, across_sessions_markdown, history_markdown, session_markdown,
};
use crate::mock::session::MockRun;
use crate::pacing::Budgets;
use crate::srs::SrsError;
use crate::store::{MockSessionId, MockSetup, SpokenOrigin, StoreError};
use crate::story::question_bank::QuestionBank;

/// A closed session's report (the mock's own type, named here too).
pub use crate::mock::report::MockReport;

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
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error("mock session {0} is not in the database")]
    NoSession(i64),
}

/// How a mock is asked for: `rehearse mock`'s flags, or the defaults of the TUI's `m`.
#[derive(Debug, Clone, PartialEq)]
pub struct MockOptions {
    pub questions: usize,
    pub competency: Option<String>,
    pub seed: Option<u64>,
    /// Question bank YAML; None: the bundled bank.
    pub bank: Option<PathBuf>,
    /// The job description (`--job`, else `[mock] job`).
    pub job: Option<PathBuf>,
}

impl MockOptions {
    /// `m` in the library: five questions, the config's job file.
    pub fn from_config(config: &crate::config::Config) -> MockOptions {
        MockOptions {
            questions: 5,
            competency: None,
            seed: None,
            bank: None,
            job: config.mock.job.clone(),
        }
    }
}

/// What a mock is drawn from and measured against, read once.
#[derive(Debug, Clone)]
pub struct MockPlan {
    pub questions: usize,
    pub competency: Option<String>,
    pub seed: Option<u64>,
    pub bank: QuestionBank,
    /// The job description's file (as the user named it) and its ranking: weights the draw.
    pub job: Option<(String, JobRanking)>,
}

impl MockPlan {
    /// Reads the bank and the job description; either one that cannot be read is an error.
    pub fn read(options: &MockOptions) -> Result<MockPlan, MockError> {
        let (plan, job) = MockPlan::read_bank(options)?;
        match job {
            Some(error) => Err(error.into()),
            None => Ok(plan),
        }
    }

    /// As [`MockPlan::read`], but a job description that cannot be read only leaves the draw
    /// unweighted: the plan, and the job's problem to tell the user.
    pub fn read_bank(options: &MockOptions) -> Result<(MockPlan, Option<JobError>), MockError> {
        let bank = match &options.bank {
            Some(path) => read_bank(path)?,
            None => QuestionBank::bundled(),
        };
        let (job, problem) = match options.job.as_deref().map(JobText::read) {
            Some(Ok(text)) => (
                Some((text.path.display().to_string(), rank(&bank, &text.text))),
                None,
            ),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        let plan = MockPlan {
            questions: options.questions,
            competency: options.competency.clone(),
            seed: options.seed,
            bank,
            job,
        };
        Ok((plan, problem))
    }

    /// `Weighted by job.md: it asks most for ownership, conflict, performance.`
    pub fn job_line(&self) -> Option<String> {
        let (file, ranking) = self.job.as_ref()?;
        if ranking.ranked.is_empty() {
            return Some(format!(
                "{file}: none of the bank's job words appear in it, so it changes no weight."
            ));
        }
        let top: Vec<&str> = ranking
            .ranked
            .iter()
            .take(3)
            .map(|r| r.key.as_str())
            .collect();
        Some(format!(
            "Weighted by {file}: it asks most for {}.",
            top.join(", ")
        ))
    }
}

/// A mock ready to run.
#[derive(Debug, Clone)]
pub struct StartedMock {
    pub mock: Mock,
    pub setup: MockSetup,
    /// Questions asked for; more than the bank has in scope is capped (see [`StartedMock::head`]).
    pub asked_for: usize,
}

impl StartedMock {
    /// `Mock interview: 5 question(s), seed 7 (...)`, and when fewer questions were drawn
    /// than asked for, how many the bank has.
    pub fn head(&self) -> Vec<String> {
        let seed = self.setup.seed;
        let mut lines = vec![format!(
            "Mock interview: {} question(s), seed {seed} (`--seed {seed}` draws them again while your history is the same).",
            self.setup.questions
        )];
        if self.setup.questions < self.asked_for {
            let scope = match &self.setup.competency {
                Some(key) => format!(" on `{key}`"),
                None => String::new(),
            };
            lines.push(format!(
                "The bank has {} question(s){scope}: this mock asks each once ({} of {}).",
                self.setup.questions, self.setup.questions, self.asked_for
            ));
        }
        lines
    }
}

impl Practice {
    /// Draws the questions (weighted towards what the user is weak at and what the job asks
    /// for; due pick cards come back) and opens the session row.
    pub fn start_mock(
        &self,
        plan: &MockPlan,
        interface: Interface,
    ) -> Result<StartedMock, MockError> {
        let now = self.now();
        let store = &self.store;
        let bank = &plan.bank;
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
        let seed = plan.seed.unwrap_or_else(draw::random_seed);
        let mut rng = draw::rng(seed);
        let ranking = plan.job.as_ref().map(|(_, ranking)| ranking);
        let weights = draw::weights(bank, &weakness, ranking);
        let options = DrawOptions {
            questions: plan.questions,
            competency: plan.competency.clone(),
            due_picks,
            asked_before: store.mock_asked_questions()?,
        };
        let drawn = draw::draw(bank, &weights, &weakness, &options, &mut rng)?;
        let setup = MockSetup {
            seed,
            questions: drawn.len(),
            competency: plan.competency.clone(),
            job: plan.job.as_ref().map(|(file, _)| file.clone()),
            interface: interface.as_str().to_owned(),
        };
        let id = store.start_mock(&setup, now)?;
        let probes = StoryProbes::new(&bank.ladder);
        let run = MockRun::new(self.shared_stories(), drawn, rng, probes);
        Ok(StartedMock {
            mock: Mock::new(run, Some(id), seed, self.settings.budgets, now)
                .with_speech(self.settings.speech.clone()),
            setup,
            asked_for: plan.questions,
        })
    }

    /// Performs what a mock session asks of the store; the outcome goes back to the session
    /// ([`Mock::written`]).
    pub fn write_mock(&self, write: MockWrite, bank: &QuestionBank) -> MockWritten {
        match write {
            MockWrite::Record { id, answer, spoken } => {
                match self.record_mock_answer_spoken(id, &answer, &spoken) {
                    Ok(card) => MockWritten::Recorded {
                        answer,
                        card: Box::new(card),
                    },
                    Err(e) => MockWritten::RecordFailed(e.to_string()),
                }
            }
            MockWrite::Finish(id) => match self.finish_mock(id, bank) {
                Ok(report) => MockWritten::Finished(report),
                Err(e) => MockWritten::FinishFailed(e.to_string()),
            },
        }
    }

    /// Stores a graded question and its pick card's next review (scheduled like the story
    /// cards) in one transaction: once this returns, the answer survives a kill.
    pub fn record_mock_answer(
        &self,
        id: MockSessionId,
        answer: &MockAnswer,
    ) -> Result<PickCard, MockError> {
        self.record_mock_answer_spoken(id, answer, &[])
    }

    /// [`Practice::record_mock_answer`], with what was said (the answer, the probes' answers)
    /// as heard, kept with it in the same transaction.
    pub fn record_mock_answer_spoken(
        &self,
        id: MockSessionId,
        answer: &MockAnswer,
        spoken: &[SpokenAnswer],
    ) -> Result<PickCard, MockError> {
        let existing = self.store.pick_card(&answer.question.key)?;
        let card = pick_card::review(
            existing,
            &answer.question,
            answer.pick_grade,
            self.now(),
            &self.scheduler()?,
        )?;
        let spoken: Vec<_> = spoken
            .iter()
            .map(|s| s.to_store(SpokenOrigin::Mock { answer: None }))
            .collect();
        self.store
            .record_mock_answer_spoken(id, answer, &card, &spoken)?;
        Ok(card)
    }

    /// Marks the session finished and returns its report.
    pub fn finish_mock(
        &self,
        id: MockSessionId,
        bank: &QuestionBank,
    ) -> Result<MockReport, MockError> {
        self.store.finish_mock(id, self.now())?;
        let history = self.store.mock_history()?;
        let stored = history
            .iter()
            .find(|s| s.id == id)
            .ok_or(MockError::NoSession(id.0))?;
        let context = self.report_context(bank);
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

    /// The prep pack's "Mock interviews" section, from the stored sessions.
    pub fn mock_history_markdown(&self, bank: &QuestionBank) -> Result<String, MockError> {
        let history = self.store.mock_history()?;
        Ok(history_markdown(&history, &self.report_context(bank)))
    }

    fn report_context<'a>(&'a self, bank: &'a QuestionBank) -> ReportContext<'a> {
        ReportContext {
            stories: self.stories(),
            bank,
            budgets: self.settings.budgets,
            tz: self.time_zone().clone(),
        }
    }

    /// The budgets the sessions time answers against.
    pub fn budgets(&self) -> Budgets {
        self.settings.budgets
    }
}
