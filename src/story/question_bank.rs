//! The question bank: behavioural questions grouped by competency (`assets/question-bank.yaml`).

use serde::Deserialize;

const BUNDLED: &str = include_str!("../../assets/question-bank.yaml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBank {
    pub competencies: Vec<Competency>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competency {
    /// What stories write in `competencies:`.
    pub key: String,
    pub name: String,
    pub questions: Vec<String>,
    /// Words and short phrases a job description uses for this competency (`rehearse job`).
    #[serde(default)]
    pub job_words: Vec<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_bank_parses_with_unique_keys_and_covers_the_core_competencies() {
        let bank = QuestionBank::bundled();
        let mut keys: Vec<&str> = bank.keys().collect();
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count, "competency keys are unique");
        for key in [
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
        ] {
            let competency = bank.get(key).unwrap_or_else(|| panic!("missing {key}"));
            assert!(!competency.questions.is_empty(), "{key} has questions");
        }
    }
}
