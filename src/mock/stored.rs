//! A mock session as it is kept: how it was started, its row id and its graded answers. The
//! store writes and reads these; the report and the draw read them back.

use jiff::Timestamp;

use super::answer::MockAnswer;

/// The row id of a mock session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MockSessionId(pub i64);

/// How a mock session was started.
#[derive(Debug, Clone, PartialEq)]
pub struct MockSetup {
    pub seed: u64,
    pub questions: usize,
    pub competency: Option<String>,
    pub job: Option<String>,
    /// `plain` or `tui`.
    pub interface: String,
}

/// A stored session with its graded answers, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMockSession {
    pub id: MockSessionId,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub setup: MockSetup,
    pub answers: Vec<MockAnswer>,
}
