//! Step 4 of a mock question: the follow-ups an interviewer asks about the picked story.
//!
//! [`ProbeSource`] is the boundary: today [`FollowUpProbes`] reads a story's `## Follow-ups`;
//! when stories gain their own probes (answered or open), a source that reads those replaces
//! it without the mock changing. The generic ladder (stack, architecture, challenges, scale,
//! what you would do differently) comes after a story's own probes, for stories that take it.

use rand::Rng;
use rand::seq::SliceRandom;

use crate::srs::card::slug;
use crate::story::{Story, StoryKind};

/// Probes asked per question, at most.
pub const PROBES_PER_QUESTION: usize = 2;

/// The generic follow-up ladder, from the interview notes.
pub const GENERIC_LADDER: [&str; 5] = [
    "What tech stack did you use?",
    "Why did you choose that architecture over another?",
    "What challenges did you face, and how did you overcome them?",
    "How would you scale and optimise this design?",
    "If you led the project, what would you have done differently?",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeOrigin {
    /// The story's own.
    Story,
    /// The generic ladder.
    Ladder,
}

/// A follow-up question and, when the story has one, the answer to check against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub question: String,
    /// None: an open probe, "prepare this".
    pub answer: Option<String>,
    pub origin: ProbeOrigin,
}

/// Where a story's probes come from.
pub trait ProbeSource {
    /// Every probe of `story`: its own first, then the ladder where the story takes it.
    fn probes_for(&self, story: &Story) -> Vec<Probe>;
}

/// Today's source: the story's `## Follow-ups`, then the ladder for technical stories (a
/// story that names a demo), leaving out a ladder question the story already asks.
#[derive(Debug, Clone, Copy, Default)]
pub struct FollowUpProbes;

impl ProbeSource for FollowUpProbes {
    fn probes_for(&self, story: &Story) -> Vec<Probe> {
        let mut probes: Vec<Probe> = story
            .follow_ups
            .iter()
            .map(|f| Probe {
                question: f.question.clone(),
                answer: Some(f.answer.trim().to_owned()).filter(|a| !a.is_empty()),
                origin: ProbeOrigin::Story,
            })
            .collect();
        if takes_ladder(story) {
            let asked: Vec<String> = probes.iter().map(|p| slug(&p.question)).collect();
            probes.extend(
                GENERIC_LADDER
                    .iter()
                    .filter(|q| !asked.contains(&slug(q)))
                    .map(|q| Probe {
                        question: (*q).to_owned(),
                        answer: None,
                        origin: ProbeOrigin::Ladder,
                    }),
            );
        }
        probes
    }
}

/// The ladder fits technical stories (they name a demo), not failure or process ones, and
/// never a prepared answer.
pub fn takes_ladder(story: &Story) -> bool {
    story.meta.kind == StoryKind::Story && story.meta.demo.is_some()
}

/// The probes to ask: up to `max` of the story's own in a seeded order, then the ladder's in
/// its order.
pub fn choose(probes: Vec<Probe>, max: usize, rng: &mut impl Rng) -> Vec<Probe> {
    let (mut own, ladder): (Vec<Probe>, Vec<Probe>) = probes
        .into_iter()
        .partition(|p| p.origin == ProbeOrigin::Story);
    own.shuffle(rng);
    own.into_iter().chain(ladder).take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::draw::rng;
    use crate::mock::testing::fixture_stories;

    fn story(id: &str) -> Story {
        fixture_stories()
            .into_iter()
            .find(|s| s.id() == id)
            .unwrap()
    }

    #[test]
    fn own_follow_ups_come_first_and_an_empty_answer_is_an_open_probe() {
        let cache = story("cache-latency");
        let probes = FollowUpProbes.probes_for(&cache);
        assert_eq!(
            probes,
            [
                Probe {
                    question: "How did you keep the cache fresh?".into(),
                    answer: Some(
                        "A five-minute expiry and an invalidation on every price change.".into()
                    ),
                    origin: ProbeOrigin::Story,
                },
                Probe {
                    question: "What would you measure next?".into(),
                    answer: None,
                    origin: ProbeOrigin::Story,
                },
            ]
        );
    }

    #[test]
    fn the_ladder_follows_for_a_technical_story_without_repeating_its_own() {
        let mut cache = story("cache-latency");
        cache.meta.demo = Some("xml-cherry-pick".into());
        cache.follow_ups[1].question = "What tech stack did you use?".into();
        let probes = FollowUpProbes.probes_for(&cache);
        assert_eq!(probes.len(), 2 + 4);
        assert!(probes[2..].iter().all(|p| p.origin == ProbeOrigin::Ladder));
        assert_eq!(probes[2].question, GENERIC_LADDER[1]);
        // Two own probes fill the two places; with one own probe the ladder fills the second.
        let chosen = choose(probes.clone(), 2, &mut rng(5));
        assert!(chosen.iter().all(|p| p.origin == ProbeOrigin::Story));
        let one_own: Vec<Probe> = probes.into_iter().skip(1).collect();
        let chosen = choose(one_own, 2, &mut rng(5));
        assert_eq!(chosen[0].origin, ProbeOrigin::Story);
        assert_eq!(chosen[1].question, GENERIC_LADDER[1]);
    }

    #[test]
    fn a_story_without_a_demo_or_a_prepared_answer_does_not_take_the_ladder() {
        assert!(!takes_ladder(&story("pager-outage")));
        assert!(FollowUpProbes.probes_for(&story("next-role")).is_empty());
    }
}
