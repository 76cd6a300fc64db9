//! Review progress per story, for the export.

use anyhow::Result;
use rehearse::export::StoryProgress;
use rehearse::store::Store;
use rehearse::story::LoadReport;

/// Cards and reviews per story. Empty until the review store exists (issue 3).
pub fn story_progress(_store: &Store, _report: &LoadReport) -> Result<Vec<StoryProgress>> {
    Ok(Vec::new())
}
