//! Step 4 of a mock question: the follow-ups an interviewer asks about the picked story.
//!
//! [`ProbeSource`] is the boundary; [`StoryProbes`] reads a story's `## Probes` (answered or
//! open). The generic ladder (stack, architecture, challenges, scale, what you would do
//! differently; the question bank's `ladder`) is attached per story by choice, by listing its
//! questions among the probes: it fits technical stories, not failure or process ones. A
//! story's own probes are asked first, then its ladder questions.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::SliceRandom;

use crate::srs::card::card_slug;
use crate::story::Story;

/// Probes asked per question, at most.
pub const PROBES_PER_QUESTION: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeOrigin {
    /// The story's own.
    Story,
    /// The generic ladder, where the story lists it.
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
    /// Every probe of `story`: its own first, then the ladder's where the story takes it.
    fn probes_for(&self, story: &Story) -> Vec<Probe>;
}

/// The story's `## Probes`, its own before its ladder questions, each in file order.
#[derive(Debug, Clone, Default)]
pub struct StoryProbes {
    /// The bank's ladder questions, as card slugs (case and punctuation aside).
    ladder: HashSet<String>,
}

impl StoryProbes {
    /// `ladder`: the question bank's generic ladder ([`crate::story::question_bank::QuestionBank::ladder`]).
    pub fn new(ladder: &[String]) -> StoryProbes {
        StoryProbes {
            ladder: ladder.iter().map(|q| card_slug(q)).collect(),
        }
    }

    /// Whether `question` is one of the ladder's (case and punctuation aside).
    pub fn is_ladder(&self, question: &str) -> bool {
        self.ladder.contains(&card_slug(question))
    }
}

impl ProbeSource for StoryProbes {
    fn probes_for(&self, story: &Story) -> Vec<Probe> {
        let (own, ladder): (Vec<Probe>, Vec<Probe>) = story
            .probes
            .iter()
            .map(|p| Probe {
                question: p.question.trim().to_owned(),
                answer: (!p.is_open()).then(|| p.answer.trim().to_owned()),
                origin: if self.is_ladder(&p.question) {
                    ProbeOrigin::Ladder
                } else {
                    ProbeOrigin::Story
                },
            })
            .partition(|p| p.origin == ProbeOrigin::Story);
        own.into_iter().chain(ladder).collect()
    }
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

    fn bundled() -> StoryProbes {
        StoryProbes::new(&crate::story::question_bank::QuestionBank::bundled().ladder)
    }

    fn story(id: &str) -> Story {
        fixture_stories()
            .into_iter()
            .find(|s| s.id() == id)
            .unwrap()
    }

    #[test]
    fn own_probes_come_first_and_an_empty_answer_is_an_open_probe() {
        let cache = story("cache-latency");
        let probes = bundled().probes_for(&cache);
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
    fn ladder_questions_a_story_lists_come_after_its_own() {
        let mut cache = story("cache-latency");
        let ladder = crate::story::Probe {
            question: "What tech stack did you use?".into(),
            answer: String::new(),
            line: 1,
        };
        cache.probes.insert(0, ladder);
        let probes = bundled().probes_for(&cache);
        assert_eq!(probes.len(), 3);
        assert!(probes[..2].iter().all(|p| p.origin == ProbeOrigin::Story));
        assert_eq!(probes[2].origin, ProbeOrigin::Ladder);
        assert_eq!(probes[2].question, "What tech stack did you use?");
        // Two own probes fill the two places; with one own probe the ladder fills the second.
        let chosen = choose(probes.clone(), 2, &mut rng(5));
        assert!(chosen.iter().all(|p| p.origin == ProbeOrigin::Story));
        let one_own: Vec<Probe> = probes.into_iter().skip(1).collect();
        let chosen = choose(one_own, 2, &mut rng(5));
        assert_eq!(chosen[0].origin, ProbeOrigin::Story);
        assert_eq!(chosen[1].question, "What tech stack did you use?");
    }

    #[test]
    fn a_story_that_lists_no_ladder_question_gets_none() {
        assert!(
            bundled()
                .probes_for(&story("pager-outage"))
                .iter()
                .all(|p| p.origin == ProbeOrigin::Story)
        );
        assert!(bundled().probes_for(&story("next-role")).is_empty());
    }

    #[test]
    fn the_ladder_is_the_banks_list_case_and_punctuation_aside() {
        let probes = bundled();
        for q in [
            "What tech stack did you use?",
            "How would you scale and optimize this design?",
            "if you led the project what would you have done differently",
            "What challenges did you face, and how did you overcome them?",
        ] {
            assert!(probes.is_ladder(q), "{q}");
        }
        assert!(!probes.is_ladder("How did you keep the cache fresh?"));
        // A bank without a ladder recognises none.
        assert!(!StoryProbes::default().is_ladder("What tech stack did you use?"));
    }

    #[test]
    fn every_ladder_probe_in_the_bundled_stories_is_the_banks_wording() {
        // A story that words a ladder question its own way would be asked it as its own
        // probe, before the story's real ones: the stories must use the bank's wording.
        let probes = bundled();
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("stories");
        let report = crate::story::load_paths(&[folder]);
        assert!(!report.stories.is_empty());
        for story in &report.stories {
            for probe in &story.probes {
                let q = probe.question.to_lowercase();
                let looks_like_ladder = q.contains("tech stack")
                    || q.contains("scale and optimi")
                    || q.contains("done differently")
                    || q.contains("challenges did you face")
                    || q.contains("architecture over another");
                assert_eq!(
                    looks_like_ladder,
                    probes.is_ladder(&probe.question),
                    "{}: {}",
                    story.id(),
                    probe.question
                );
            }
        }
    }
}
