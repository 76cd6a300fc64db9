//! The question bank as the mock asks it: each question with its competency and a stable key,
//! and a bank read from a file (`--bank`) for users with their own and for tests.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::srs::card::card_slug as slug;
use crate::story::question_bank::QuestionBank;

#[derive(Debug, Error)]
pub enum BankError {
    #[error("cannot read the question bank {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid question bank {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("the question bank {path} has no competency with questions")]
    Empty { path: PathBuf },
}

/// Reads a bank in the format of `assets/question-bank.yaml`.
pub fn read_bank(path: &Path) -> Result<QuestionBank, BankError> {
    let text = std::fs::read_to_string(path).map_err(|source| BankError::Read {
        path: path.to_owned(),
        source,
    })?;
    let bank: QuestionBank = serde_saphyr::from_str(&text).map_err(|e| BankError::Parse {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    if bank.competencies.iter().all(|c| c.questions.is_empty()) {
        return Err(BankError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(bank)
}

/// One question of the bank, as a mock asks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BankQuestion {
    pub competency: String,
    pub competency_name: String,
    pub text: String,
    /// `competency/slug-of-the-question`: what mock answers and pick cards hang on.
    pub key: String,
}

/// The key of a bank question: stable while its wording stays.
pub fn question_key(competency: &str, text: &str) -> String {
    format!("{competency}/{}", slug(text))
}

/// Every question of `bank`, in bank order.
pub fn questions(bank: &QuestionBank) -> Vec<BankQuestion> {
    bank.competencies
        .iter()
        .flat_map(|c| {
            c.questions.iter().map(move |q| BankQuestion {
                competency: c.key.clone(),
                competency_name: c.name.clone(),
                text: q.clone(),
                key: question_key(&c.key, q),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_get_stable_keys_under_their_competency() {
        let bank = crate::mock::testing::fixture_bank();
        let all = questions(&bank);
        assert_eq!(all.len(), 18);
        assert_eq!(
            all[0].key,
            "ownership/tell-me-about-a-time-you-took-responsibility-for-something-that-went-wrong"
        );
        assert_eq!(all[0].competency_name, "Ownership");
    }

    #[test]
    fn a_bad_bank_file_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bank.yaml");
        std::fs::write(&path, "competencies:\n  - key: x\n    nme: typo\n").unwrap();
        let error = read_bank(&path).unwrap_err();
        assert!(matches!(error, BankError::Parse { .. }));
        assert!(error.to_string().contains("bank.yaml"), "{error}");
        let error = read_bank(&dir.path().join("none.yaml")).unwrap_err();
        assert!(error.to_string().contains("none.yaml"), "{error}");
    }
}
