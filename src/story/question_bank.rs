//! The question bank: behavioural questions grouped by competency (`assets/question-bank.yaml`),
//! with the words job descriptions use for each, recall prompts for new drafts, and the generic
//! ladder of technical follow-up questions.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::{SectionKind, Story};

const BUNDLED: &str = include_str!("../../assets/question-bank.yaml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBank {
    /// What interviewers ask after a technical story (tech stack, why this architecture, ...).
    #[serde(default)]
    pub ladder: Vec<String>,
    pub competencies: Vec<Competency>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competency {
    /// What stories write in `competencies:`.
    pub key: String,
    pub name: String,
    /// Words and short phrases a job description uses for this competency.
    #[serde(default)]
    pub job_words: Vec<String>,
    /// Technical: a new draft for it gets the generic ladder as probes to prepare.
    #[serde(default)]
    pub ladder: bool,
    pub questions: Vec<String>,
    /// Recall prompts per STAR section, for a new draft.
    #[serde(default)]
    pub prompts: Prompts,
}

/// Questions to ask yourself while remembering a story, per STAR section.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompts {
    #[serde(default)]
    pub situation: Vec<String>,
    #[serde(default)]
    pub task: Vec<String>,
    #[serde(default)]
    pub action: Vec<String>,
    #[serde(default)]
    pub result: Vec<String>,
}

impl Prompts {
    /// The prompts for one STAR section (none for the other sections).
    pub fn for_section(&self, kind: SectionKind) -> &[String] {
        match kind {
            SectionKind::Situation => &self.situation,
            SectionKind::Task => &self.task,
            SectionKind::Action => &self.action,
            SectionKind::Result => &self.result,
            _ => &[],
        }
    }
}

impl QuestionBank {
    /// The bank shipped with rehearse.
    pub fn bundled() -> QuestionBank {
        serde_saphyr::from_str(BUNDLED).expect("the bundled question bank is valid (tested)")
    }

    pub fn get(&self, key: &str) -> Option<&Competency> {
        self.competencies.iter().find(|c| c.key == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.competencies.iter().map(|c| c.key.as_str())
    }
}

/// Two questions that ask nearly the same thing in different words: most of their content
/// words are shared. Identical questions are not near-duplicates (a story may answer a bank
/// question word for word).
pub fn near_duplicates(a: &str, b: &str) -> bool {
    let (a, b) = (content_words(a), content_words(b));
    if a == b || a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.intersection(&b).count() as f64;
    shared / a.union(&b).count() as f64 >= 0.6
}

/// Lower-case words without the ones every question shares ("tell me about a time you").
fn content_words(question: &str) -> BTreeSet<String> {
    const FILLER: &[&str] = &[
        "a", "an", "the", "tell", "me", "about", "time", "you", "your", "describe", "did", "how",
        "what", "when", "to", "of", "and", "it", "that", "had", "was", "were", "in", "on", "for",
        "with", "do", "is", "are", "walk", "through", "i",
    ];
    question
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !FILLER.contains(w))
        .map(str::to_owned)
        .collect()
}

/// The stories that answer a competency, primary ones (listed first) before the others.
pub fn stories_answering<'a>(key: &str, stories: &[&'a Story]) -> Vec<&'a Story> {
    let mut primary: Vec<&Story> = Vec::new();
    let mut secondary: Vec<&Story> = Vec::new();
    for story in stories {
        match story.meta.competencies.iter().position(|c| c == key) {
            Some(0) => primary.push(story),
            Some(_) => secondary.push(story),
            None => {}
        }
    }
    primary.extend(secondary);
    primary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{bundled, parse};
    use std::path::Path;

    #[test]
    fn the_bundled_bank_parses_with_unique_keys_and_covers_the_competencies_loops_use() {
        let bank = QuestionBank::bundled();
        let mut keys: Vec<&str> = bank.keys().collect();
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count, "competency keys are unique");
        assert!(count >= 20, "{count} competencies");
        for key in [
            // Keys stories already use keep working.
            "ownership",
            "problem-solving",
            "delivering-under-pressure",
            "failure-and-learning",
            "conflict",
            "customer-focus",
            "innovation",
            "leadership",
            "ambiguity",
            "performance-and-scale",
            "motivation",
            // What big-tech loops ask besides.
            "disagree-and-commit",
            "peer-conflict",
            "earning-trust",
            "bias-for-action",
            "feedback",
            "teamwork",
            "prioritisation",
            "learning",
            "high-standards",
            "self-introduction",
            "why-company",
        ] {
            let competency = bank.get(key).unwrap_or_else(|| panic!("missing {key}"));
            assert!(
                competency.questions.len() >= 3,
                "{key}: 3 questions or more"
            );
            assert!(
                competency.job_words.len() >= 5,
                "{key}: job-description words"
            );
            for kind in SectionKind::STAR {
                assert!(
                    !competency.prompts.for_section(kind).is_empty(),
                    "{key}: prompts for {kind:?}"
                );
            }
        }
        assert_eq!(bank.ladder.len(), 5);
    }

    #[test]
    fn bank_questions_ask_about_the_past_without_presuming_the_answer() {
        let bank = QuestionBank::bundled();
        for competency in &bank.competencies {
            for question in &competency.questions {
                let lower = question.to_lowercase();
                for hypothetical in ["would you", "what if", "how do you", "imagine", "suppose"] {
                    assert!(!lower.contains(hypothetical), "hypothetical: {question}");
                }
                // Leading: the question assumes what the candidate did or how it ended.
                for leading in ["then followed", "before they told", "how have you helped"] {
                    assert!(!lower.contains(leading), "leading: {question}");
                }
            }
        }
    }

    #[test]
    fn no_near_duplicates_in_the_bank_or_between_it_and_the_bundled_stories() {
        let bank = QuestionBank::bundled();
        let all: Vec<&String> = bank
            .competencies
            .iter()
            .flat_map(|c| &c.questions)
            .collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(!near_duplicates(a, b), "near-duplicates: {a:?} / {b:?}");
                assert_ne!(a, b, "asked twice");
            }
        }
        for (name, text) in bundled::STORIES {
            let story = parse(Path::new(name), text).unwrap();
            for question in &story.meta.questions {
                for bank_question in &all {
                    assert!(
                        !near_duplicates(question, bank_question),
                        "{name}: {question:?} nearly repeats the bank's {bank_question:?}; use the bank's words"
                    );
                }
            }
        }
    }

    #[test]
    fn near_duplicates_are_the_same_question_in_other_words() {
        assert!(near_duplicates(
            "How did you scale a workload that outgrew its schedule?",
            "How did you scale a workload that outgrew its platform?"
        ));
        assert!(!near_duplicates(
            "Tell me about your biggest failure.",
            "Tell me about your biggest failure."
        ));
        assert!(!near_duplicates(
            "Tell me about your biggest failure.",
            "Tell me about a process you improved."
        ));
    }
}
