//! Fixtures for the mock's unit tests: a small bank and a few stories, not the bundled ones.

use std::path::Path;

use crate::story::Story;
use crate::story::question_bank::QuestionBank;

pub fn fixture_bank() -> QuestionBank {
    serde_saphyr::from_str(include_str!("../../tests/fixtures/mock/bank.yaml"))
        .expect("the fixture bank parses")
}

/// The stories in `tests/fixtures/mock/stories`, in file-name order.
pub fn fixture_stories() -> Vec<Story> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mock/stories");
    let report = crate::story::load_paths(&[folder]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let mut stories = report.stories;
    stories.sort_by(|a, b| a.path.cmp(&b.path));
    stories
}
