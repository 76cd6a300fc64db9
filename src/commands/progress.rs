//! Review progress per story, for the export.

use anyhow::Result;
use jiff::Timestamp;
use rehearse::export::StoryProgress;
use rehearse::srs::is_due;
use rehearse::store::Store;
use rehearse::story::LoadReport;

use super::Env;
use super::cards::sync_deck;

/// Cards, reviewed cards, cards due now and reviews given, per drilled story.
pub fn story_progress(env: &Env, store: &Store, report: &LoadReport) -> Result<Vec<StoryProgress>> {
    let now = Timestamp::now();
    let deck = sync_deck(env, store, report, now)?;
    let reviews = store.review_counts_by_story()?;
    let cards = super::cards::drilled_cards(store, &deck)?;
    Ok(deck
        .stories
        .iter()
        .map(|story| {
            let mine: Vec<_> = cards.iter().filter(|c| c.id.story_id == story.id).collect();
            StoryProgress {
                story_id: story.id.clone(),
                cards: mine.len(),
                reviewed_cards: mine.iter().filter(|c| c.state.reps > 0).count(),
                due_now: mine.iter().filter(|c| is_due(&c.state, now)).count(),
                reviews: reviews.get(&story.id).copied().unwrap_or(0) as usize,
            }
        })
        .collect())
}
