//! `rehearse job FILE`: which of the bank's competencies a job description asks for.
//!
//! Offline and deterministic. The ad is cut into sentences, its words Snowball-stemmed
//! ([`text`]). Each competency's text is its job words and phrases plus the words of its
//! questions ([`terms`]); a phrase also matches with a few words between its own. Each match
//! is weighed BM25-style over the ad's sentences: a term found in many sentences says less,
//! a long sentence says less per word, a word every ad uses ("experience", "team") or a word
//! many competencies share counts for little, and one term counts in at most
//! [`MAX_COUNTED`] sentences. A competency is listed as asked for when its score passes a bar
//! (see [`asks_for`]); below it, it is "mentioned in passing". The explanation keeps the
//! matched words and the lines they are on, each line once.

mod rank;
mod terms;
mod text;

use std::path::{Path, PathBuf};

use thiserror::Error;

pub use rank::rank;
pub use text::not_english;

/// A job description larger than this is refused: it is not one ad.
pub const MAX_JOB_BYTES: u64 = 512 * 1024;

#[derive(Debug, Error)]
pub enum JobError {
    #[error("cannot read the job description {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the job description {path} is empty")]
    Empty { path: PathBuf },
    #[error(
        "the job description {path} is {bytes} bytes; one ad is at most {max} KiB (is it the right file?)",
        max = MAX_JOB_BYTES / 1024
    )]
    TooLarge { path: PathBuf, bytes: u64 },
    #[error(
        "the job description {path} is not text (binary data at byte {offset}); save the ad as plain text or Markdown"
    )]
    NotText { path: PathBuf, offset: usize },
}

/// A job description's text, checked to be a readable, non-empty text file.
#[derive(Debug, Clone, PartialEq)]
pub struct JobText {
    pub path: PathBuf,
    pub text: String,
}

impl JobText {
    pub fn read(path: &Path) -> Result<JobText, JobError> {
        let read_error = |source| JobError::Read {
            path: path.to_owned(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(read_error)?;
        if meta.is_dir() {
            return Err(read_error(std::io::Error::other("it is a folder")));
        }
        if meta.len() > MAX_JOB_BYTES {
            return Err(JobError::TooLarge {
                path: path.to_owned(),
                bytes: meta.len(),
            });
        }
        let bytes = std::fs::read(path).map_err(read_error)?;
        JobText::from_bytes(path, bytes)
    }

    /// Checks bytes already read (`path` only names them in errors).
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<JobText, JobError> {
        if bytes.len() as u64 > MAX_JOB_BYTES {
            return Err(JobError::TooLarge {
                path: path.to_owned(),
                bytes: bytes.len() as u64,
            });
        }
        let not_text = |offset| JobError::NotText {
            path: path.to_owned(),
            offset,
        };
        if let Some(offset) = bytes.iter().position(|b| *b == 0) {
            return Err(not_text(offset));
        }
        let text = String::from_utf8(bytes).map_err(|e| not_text(e.utf8_error().valid_up_to()))?;
        if text.trim().is_empty() {
            return Err(JobError::Empty {
                path: path.to_owned(),
            });
        }
        Ok(JobText {
            path: path.to_owned(),
            text,
        })
    }
}


/// One of a competency's words or phrases found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct WordMatch {
    /// As the bank writes it (a job word or phrase, or a word of one of its questions).
    pub word: String,
    /// 1-based lines it is on, each line once, in order.
    pub lines: Vec<usize>,
    /// Content words in the phrase.
    pub length: usize,
    /// How the text wrote it (lower-cased, words joined by a space), each form once, in order.
    pub found_as: Vec<String>,
    /// A word of the competency's questions rather than one of its job words: weaker evidence.
    pub from_question: bool,
    /// What this word adds to the score, unrounded (see [`WordMatch::points`]).
    pub weight: f64,
}

impl WordMatch {
    /// What this word adds to the score, in the score's points.
    pub fn points(&self) -> usize {
        (self.weight * POINTS).round() as usize
    }
}

/// Points per unit of BM25 weight: scores read as whole numbers.
const POINTS: f64 = 10.0;

/// A competency the job asks for, with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCompetency {
    pub key: String,
    pub name: String,
    /// The sum of its matches' points.
    pub score: usize,
    /// In the order the text first uses them.
    pub matches: Vec<WordMatch>,
}

impl RankedCompetency {
    pub fn first_line(&self) -> usize {
        self.matches
            .iter()
            .filter_map(|m| m.lines.first())
            .min()
            .copied()
            .unwrap_or(usize::MAX)
    }

    /// `score 27 = "ownership" 12 + "on-call" 9 + question words "production" 3 + "issue" 3`.
    pub fn explain(&self) -> String {
        let part = |m: &WordMatch| format!("\"{}\" {}", m.word, m.points());
        let job: Vec<String> = self
            .matches
            .iter()
            .filter(|m| !m.from_question)
            .map(part)
            .collect();
        let question: Vec<String> = self
            .matches
            .iter()
            .filter(|m| m.from_question)
            .map(part)
            .collect();
        let mut out = format!("score {} = {}", self.score, job.join(" + "));
        if !question.is_empty() {
            if !job.is_empty() {
                out.push_str(" + ");
            }
            out.push_str(&format!("question words {}", question.join(" + ")));
        }
        out
    }
}

/// The bank's competencies as one job description asks for them.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRanking {
    /// Competencies the ad asks for, strongest first.
    pub ranked: Vec<RankedCompetency>,
    /// Competencies whose words the ad uses, but too little to say it asks for them;
    /// strongest first.
    pub in_passing: Vec<RankedCompetency>,
    /// Keys of the competencies none of whose words the text uses, in bank order.
    pub unmentioned: Vec<String>,
    /// Keys of the competencies the bank gives no job words and no questions, so they cannot be
    /// matched.
    pub without_words: Vec<String>,
    /// The ad's language when it is not English (the matching reads English only).
    pub language: Option<&'static str>,
}

impl JobRanking {
    pub fn score(&self, key: &str) -> usize {
        self.ranked
            .iter()
            .find(|r| r.key == key)
            .map_or(0, |r| r.score)
    }

    pub fn top_score(&self) -> usize {
        self.ranked.first().map_or(0, |r| r.score)
    }
}

/// Sentences one term counts in at most: a word repeated all over the ad does not drown the rest.
pub const MAX_COUNTED: usize = 3;

/// Whether a competency with `score` is asked for, when the strongest has `top`: a score of at
/// least [`MIN_POINTS`] (about one job word in a sentence of its own, or several question words)
/// and at least a [`MIN_SHARE`] of the strongest.
pub fn asks_for(score: usize, top: usize) -> bool {
    score >= MIN_POINTS && score as f64 >= MIN_SHARE * top as f64
}

/// See [`asks_for`].
pub const MIN_POINTS: usize = 12;
/// See [`asks_for`].
pub const MIN_SHARE: f64 = 0.15;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::testing::fixture_bank;

    const AD: &str = include_str!("../../tests/fixtures/job/platform-engineer.md");

    #[test]
    fn the_fixture_ad_ranks_with_matched_words_lines_and_an_explained_score() {
        let ranking = rank(&fixture_bank(), AD);
        let order: Vec<&str> = ranking.ranked.iter().map(|r| r.key.as_str()).collect();
        // Performance and ownership both score 7: performance matched more distinct words.
        assert_eq!(order, ["performance", "ownership", "conflict", "customer"]);
        let performance = &ranking.ranked[0];
        let words: Vec<(&str, &[usize])> = performance
            .matches
            .iter()
            .map(|m| (m.word.as_str(), m.lines.as_slice()))
            .collect();
        assert_eq!(
            words,
            [
                ("latency", &[5, 12][..]),
                ("scale", &[5, 13][..]),
                ("high throughput", &[6][..]),
                ("profiling", &[12][..]),
            ]
        );
        assert_eq!(performance.score, 2 + 2 + 2 + 1);
        assert_eq!(
            performance.explain(),
            "score 7 = \"latency\" 2×1 + \"scale\" 2×1 + \"high throughput\" 1×2 + \"profiling\" 1×1"
        );
        let ownership = &ranking.ranked[1];
        // "end-to-end" in the ad is the bank's "end to end"; "own" matches "owning" and "owns".
        assert!(
            ownership
                .matches
                .iter()
                .any(|m| m.word == "end to end" && m.lines == [8])
        );
        assert!(
            ownership
                .matches
                .iter()
                .any(|m| m.word == "own" && m.lines == [8, 9] && m.found_as == ["own", "owning"])
        );
        assert_eq!(ranking.unmentioned, ["failure"]);
        assert_eq!(ranking.without_words, ["motivation"]);
    }

    #[test]
    fn a_phrase_claims_its_words_and_repeats_count_at_most_three_times() {
        let bank = fixture_bank();
        let text = "customer obsession\ncustomer customer customer customer customer";
        let ranking = rank(&bank, text);
        let customer = ranking
            .ranked
            .iter()
            .find(|r| r.key == "customer")
            .expect("customer ranked");
        let by_word: Vec<(&str, usize, usize)> = customer
            .matches
            .iter()
            .map(|m| (m.word.as_str(), m.lines.len(), m.points()))
            .collect();
        // The phrase is found once (2 points); the five loose "customer"s count 3 times.
        assert_eq!(by_word, [("customer obsession", 1, 2), ("customer", 5, 3)]);
        assert_eq!(customer.score, 5);
    }

    #[test]
    fn ties_break_by_distinct_words_then_first_line_then_bank_order() {
        let bank = fixture_bank();
        // Each of these scores 1 with one word; conflict comes first in the text.
        let ranking = rank(&bank, "disagreement\nlatency");
        let order: Vec<&str> = ranking.ranked.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(order, ["conflict", "performance"]);
        let ranking = rank(&bank, "latency disagreement");
        let order: Vec<&str> = ranking.ranked.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(order, ["performance", "conflict"]);
        // Same again, twice over: deterministic.
        assert_eq!(rank(&bank, AD), rank(&bank, AD));
    }

    #[test]
    fn words_match_only_at_word_boundaries() {
        let bank = fixture_bank();
        // "scalability" is not "scale", "owner" is not "own", "subscale" is not "scale".
        let ranking = rank(&bank, "a scalability owner\nsubscale");
        assert!(ranking.ranked.is_empty(), "{ranking:?}");
    }

    #[test]
    fn bad_files_are_refused_with_their_name() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.md");
        let error = JobText::read(&missing).unwrap_err();
        assert!(matches!(error, JobError::Read { .. }));
        assert!(error.to_string().contains("missing.md"), "{error}");

        let empty = dir.path().join("empty.md");
        std::fs::write(&empty, "  \n\n").unwrap();
        let error = JobText::read(&empty).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("the job description {} is empty", empty.display())
        );

        let binary = dir.path().join("ad.pdf");
        std::fs::write(&binary, b"%PDF-1.7\n\x00\x01\x02").unwrap();
        let error = JobText::read(&binary).unwrap_err();
        assert!(
            matches!(error, JobError::NotText { offset: 9, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("ad.pdf"));

        let latin1 = dir.path().join("latin1.txt");
        std::fs::write(&latin1, b"caf\xe9 culture").unwrap();
        assert!(matches!(
            JobText::read(&latin1).unwrap_err(),
            JobError::NotText { offset: 3, .. }
        ));

        let huge = dir.path().join("huge.txt");
        std::fs::write(&huge, "word ".repeat(200_000)).unwrap();
        let error = JobText::read(&huge).unwrap_err();
        assert!(
            matches!(
                error,
                JobError::TooLarge {
                    bytes: 1_000_000,
                    ..
                }
            ),
            "{error}"
        );
        assert!(error.to_string().contains("huge.txt"));

        let error = JobText::read(dir.path()).unwrap_err();
        assert!(error.to_string().contains("folder"), "{error}");
    }
}
