//! `rehearse job FILE`: which of the bank's competencies a job description asks for.
//!
//! Offline and deterministic: each competency's `job_words` (words and short phrases) are
//! looked for in the text at word boundaries, case-insensitively and with light stemming
//! ([`super::words`]). A competency's score is the sum over its matched words of
//! `min(times found, 3) × words in the phrase`: a phrase says more than a single word, and a
//! word repeated ten times does not drown the rest. Ties go to more distinct words matched,
//! then to the earlier first match in the text, then to the bank's order.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::words::{Token, stems, tokens};
use crate::story::question_bank::QuestionBank;

/// A job description larger than this is refused: it is not one ad.
pub const MAX_JOB_BYTES: u64 = 512 * 1024;
/// Times a word counts at most towards a score.
pub const MAX_COUNTED: usize = 3;

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

/// One of a competency's job words found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct WordMatch {
    /// As the bank writes it.
    pub word: String,
    /// 1-based lines of each occurrence, in order (a line twice if the word is there twice).
    pub lines: Vec<usize>,
    /// Words in the phrase: its weight.
    pub length: usize,
    /// How the text wrote it (lower-cased, words joined by a space), each form once, in order.
    pub found_as: Vec<String>,
}

impl WordMatch {
    /// What this word adds to the score.
    pub fn points(&self) -> usize {
        self.lines.len().min(MAX_COUNTED) * self.length
    }
}

/// A competency the job asks for, with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCompetency {
    pub key: String,
    pub name: String,
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

    /// `score 7 = "ownership" 2×1 + "end to end" 1×3`.
    pub fn explain(&self) -> String {
        let parts: Vec<String> = self
            .matches
            .iter()
            .map(|m| {
                format!(
                    "\"{}\" {}×{}",
                    m.word,
                    m.lines.len().min(MAX_COUNTED),
                    m.length
                )
            })
            .collect();
        format!("score {} = {}", self.score, parts.join(" + "))
    }
}

/// The bank's competencies as one job description asks for them.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRanking {
    /// Competencies with a match, strongest first.
    pub ranked: Vec<RankedCompetency>,
    /// Keys of the competencies with job words that the text never uses, in bank order.
    pub unmentioned: Vec<String>,
    /// Keys of the competencies the bank gives no job words, so they cannot be matched.
    pub without_words: Vec<String>,
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

/// Ranks `bank`'s competencies by what `text` asks for.
pub fn rank(bank: &QuestionBank, text: &str) -> JobRanking {
    let tokens = tokens(text);
    let mut ranked = Vec::new();
    let mut unmentioned = Vec::new();
    let mut without_words = Vec::new();
    for (order, competency) in bank.competencies.iter().enumerate() {
        if competency.job_words.is_empty() {
            without_words.push(competency.key.clone());
            continue;
        }
        let matches = match_words(&competency.job_words, &tokens);
        if matches.is_empty() {
            unmentioned.push(competency.key.clone());
            continue;
        }
        let score = matches.iter().map(WordMatch::points).sum();
        ranked.push((
            order,
            RankedCompetency {
                key: competency.key.clone(),
                name: competency.name.clone(),
                score,
                matches,
            },
        ));
    }
    ranked.sort_by(|(a_order, a), (b_order, b)| {
        b.score
            .cmp(&a.score)
            .then(b.matches.len().cmp(&a.matches.len()))
            .then(a.first_line().cmp(&b.first_line()))
            .then(a_order.cmp(b_order))
    });
    JobRanking {
        ranked: ranked.into_iter().map(|(_, r)| r).collect(),
        unmentioned,
        without_words,
    }
}

/// Finds each of one competency's words in the text. Longer phrases claim their words first,
/// so "customer" inside a matched "customer obsession" is not counted again.
fn match_words(words: &[String], tokens: &[Token]) -> Vec<WordMatch> {
    let mut phrases: Vec<(usize, &String, Vec<String>)> = words
        .iter()
        .enumerate()
        .map(|(i, w)| (i, w, stems(w)))
        .filter(|(_, _, stems)| !stems.is_empty())
        .collect();
    phrases.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then(a.0.cmp(&b.0)));
    let mut claimed = vec![false; tokens.len()];
    let mut found: Vec<(usize, WordMatch)> = Vec::new();
    for (_, word, stems) in phrases {
        let n = stems.len();
        let mut first_token = None;
        let mut lines = Vec::new();
        let mut found_as: Vec<String> = Vec::new();
        let mut start = 0;
        while start + n <= tokens.len() {
            let here = &tokens[start..start + n];
            if here.iter().zip(&stems).all(|(t, s)| &t.stem == s)
                && !claimed[start..start + n].iter().any(|c| *c)
            {
                claimed[start..start + n].iter_mut().for_each(|c| *c = true);
                lines.push(here[0].line);
                first_token.get_or_insert(start);
                let form = here
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !found_as.contains(&form) {
                    found_as.push(form);
                }
                start += n;
            } else {
                start += 1;
            }
        }
        if let Some(first_token) = first_token {
            found.push((
                first_token,
                WordMatch {
                    word: word.clone(),
                    lines,
                    length: n,
                    found_as,
                },
            ));
        }
    }
    found.sort_by_key(|(first_token, _)| *first_token);
    found.into_iter().map(|(_, m)| m).collect()
}

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
