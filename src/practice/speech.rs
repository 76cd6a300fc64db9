//! Spoken answers through the core: a recording heard by `rehearse listen` kept, the latest
//! feedback per story (the prep pack), and how each story's spoken answers moved over the
//! attempts (the stats). The drill's and the mock's recordings are kept with their review or
//! mock answer by [`super::Practice::write_drill`] and [`super::Practice::write_mock`].

use std::collections::BTreeMap;

use super::{Practice, Result};
use crate::speech::progress::{StoryTrend, trends};
use crate::speech::{Feedback, Transcript};
use crate::store::{NewSpokenAnswer, SpokenAnswerId, SpokenOrigin, SpokenPart, StoredSpokenAnswer};

impl Practice {
    /// Keeps a spoken answer heard from a file (`rehearse listen`), timed by the core's clock.
    pub fn save_listened(
        &self,
        question: Option<&str>,
        model: &str,
        transcript: &Transcript,
        feedback: &Feedback,
    ) -> Result<SpokenAnswerId> {
        Ok(self.store.save_spoken_answer(&NewSpokenAnswer {
            recorded_at: self.now(),
            origin: SpokenOrigin::Listen,
            part: SpokenPart::Answer,
            question,
            model,
            transcript,
            feedback,
        })?)
    }

    /// The latest spoken answer per story, its transcript only if `with_transcripts`.
    pub fn latest_spoken(
        &self,
        with_transcripts: bool,
    ) -> Result<BTreeMap<String, StoredSpokenAnswer>> {
        Ok(self.store.latest_spoken_answers(with_transcripts)?)
    }

    /// Per story (in id order), how coverage, numbers said, fillers and pace moved from the
    /// first spoken answer to the latest.
    pub fn spoken_trends(&self) -> Result<Vec<StoryTrend>> {
        Ok(trends(&self.store.spoken_attempts()?))
    }
}
