//! Everything the prep pack (`rehearse export`) reads, gathered in the core: the stories (those
//! with a tag, or all), the latest run of each linked demo, review progress per story (due
//! counts by the drill's rule), the files that did not load, today's date, the mock history and
//! the latest spoken answer per story.

use std::collections::BTreeMap;

use super::mock::MockError;
use super::{Practice, PracticeError};
use crate::export::{PackInput, StoryProgress, render, spoken_section};
use crate::srs::SrsError;
use crate::story::question_bank::QuestionBank;

/// A rendered prep pack and what it was made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub markdown: String,
    /// Stories in the pack.
    pub stories: usize,
    /// Files that did not load (named in the pack).
    pub skipped: usize,
}

impl Practice {
    /// The prep pack of the stories tagged `tag` (all stories without one).
    pub fn pack(&self, tag: Option<&str>, bank: &QuestionBank) -> Result<Pack, MockError> {
        self.pack_with(tag, bank, false)
    }

    /// [`Practice::pack`], with the latest spoken answer's transcript per story if
    /// `transcripts` (its feedback is always there).
    pub fn pack_with(
        &self,
        tag: Option<&str>,
        bank: &QuestionBank,
        transcripts: bool,
    ) -> Result<Pack, MockError> {
        let stories: Vec<_> = self
            .stories()
            .iter()
            .filter(|s| tag.is_none_or(|tag| s.meta.tags.iter().any(|t| t == tag)))
            .collect();
        if let Some(tag) = tag
            && stories.is_empty()
        {
            return Err(PracticeError::Srs(SrsError::UnknownTag(tag.to_owned())).into());
        }
        let mut demo_runs = BTreeMap::new();
        for id in stories.iter().filter_map(|s| s.meta.demo.as_deref()) {
            if let Some(run) = self.latest_demo_run(id)? {
                demo_runs.insert(id.to_owned(), run);
            }
        }
        let included: Vec<&str> = stories.iter().map(|s| s.id()).collect();
        let mut progress = self.progress()?;
        progress.retain(|p| included.contains(&p.story_id.as_str()));
        let count = stories.len();
        let skipped: Vec<String> = self.load_errors().iter().map(ToString::to_string).collect();
        let spoken = spoken_section(&stories, &self.latest_spoken(transcripts)?, transcripts);
        let markdown = render(&PackInput {
            stories,
            bank,
            demo_runs,
            progress,
            skipped: skipped.clone(),
            generated: self.today().to_string(),
            tag: tag.map(str::to_owned),
            mocks: self.mock_history_markdown(bank)?,
            spoken,
        });
        Ok(Pack {
            markdown,
            stories: count,
            skipped: skipped.len(),
        })
    }

    /// Cards, reviewed cards, cards due now and reviews given, per drilled story.
    pub fn progress(&self) -> Result<Vec<StoryProgress>, PracticeError> {
        let reviews = self.store.review_counts_by_story()?;
        let cards = self.cards()?;
        let due = self.due()?;
        Ok(self
            .deck
            .stories
            .iter()
            .map(|story| {
                let mine: Vec<_> = cards.iter().filter(|c| c.id.story_id == story.id).collect();
                StoryProgress {
                    story_id: story.id.clone(),
                    cards: mine.len(),
                    reviewed_cards: mine.iter().filter(|c| c.state.reps > 0).count(),
                    due_now: due.now_in(&story.id),
                    reviews: usize::try_from(reviews.get(&story.id).copied().unwrap_or(0))
                        .unwrap_or(usize::MAX),
                }
            })
            .collect())
    }
}
