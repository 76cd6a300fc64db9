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
    /// As the bank writes it (a job word or phrase, or one of its questions).
    pub word: String,
    /// 1-based lines it is on, each line once, in order.
    pub lines: Vec<usize>,
    /// Content words in the phrase.
    pub length: usize,
    /// How the text wrote it (lower-cased, words joined by a space), each form once, in order.
    pub found_as: Vec<String>,
    /// One of the competency's questions rather than a job word: weaker evidence.
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

    /// `score 27 = "ownership" 12 + "on-call" 9 + questions "Tell me about a ..." 6`.
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
            out.push_str(&format!("questions {}", question.join(" + ")));
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
/// least [`MIN_POINTS`] (half of one job word found once in a sentence of average length) and
/// at least a [`MIN_SHARE`] of the strongest. Set on the labelled ads in `tests/fixtures/job`.
pub fn asks_for(score: usize, top: usize) -> bool {
    score >= MIN_POINTS && score as f64 >= MIN_SHARE * top as f64
}

/// See [`asks_for`].
pub const MIN_POINTS: usize = 5;
/// See [`asks_for`].
pub const MIN_SHARE: f64 = 0.15;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::testing::fixture_bank;
    use crate::story::question_bank::QuestionBank;

    const AD: &str = include_str!("../../../tests/fixtures/job/platform-engineer.md");

    fn keys(ranking: &JobRanking) -> Vec<&str> {
        ranking.ranked.iter().map(|r| r.key.as_str()).collect()
    }

    fn ranked<'a>(ranking: &'a JobRanking, key: &str) -> &'a RankedCompetency {
        ranking
            .ranked
            .iter()
            .find(|r| r.key == key)
            .unwrap_or_else(|| panic!("{key} not asked for: {ranking:#?}"))
    }

    #[test]
    fn the_fixture_ad_ranks_with_matched_words_lines_and_an_explained_score() {
        let ranking = rank(&fixture_bank(), AD);
        assert_eq!(keys(&ranking)[..2], ["performance", "ownership"]);
        let performance = &ranking.ranked[0];
        let words: Vec<(&str, &[usize])> = performance
            .matches
            .iter()
            .filter(|m| !m.from_question)
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
        let points: usize = performance.matches.iter().map(WordMatch::points).sum();
        assert_eq!(performance.score, points);
        assert!(
            performance
                .explain()
                .starts_with(&format!("score {} = \"latency\" ", performance.score)),
            "{}",
            performance.explain()
        );
        // "end-to-end" in the ad is the bank's "end to end"; "own" matches "own" and "owning".
        let ownership = ranked(&ranking, "ownership");
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
        assert!(ranking.unmentioned.contains(&"failure".to_owned()));
        assert_eq!(ranking.language, None);
        assert_eq!(rank(&fixture_bank(), AD), ranking, "deterministic");
    }

    #[test]
    fn a_word_on_one_line_three_times_is_listed_on_that_line_once() {
        let ranking = rank(
            &fixture_bank(),
            "Latency, latency and latency.\nNothing else.",
        );
        let latency = &ranked(&ranking, "performance").matches[0];
        assert_eq!(latency.lines, [1]);
    }

    #[test]
    fn what_the_issue_found_missing_is_found_in_plain_words() {
        let bank = QuestionBank::bundled();
        for (ad, key) in [
            (
                "We want engineers who learn from failures.",
                "failure-and-learning",
            ),
            (
                "You disagree with a peer or a manager and still commit to the decision.",
                "disagree-and-commit",
            ),
            ("You have improved a team's process before.", "innovation"),
            (
                "You make decisions with incomplete information.",
                "ambiguity",
            ),
            ("You stay calm in a crisis.", "delivering-under-pressure"),
            ("You collaborate with product managers.", "teamwork"),
        ] {
            let ranking = rank(&bank, ad);
            assert_eq!(keys(&ranking).first(), Some(&key), "{ad}: {ranking:#?}");
        }
    }

    #[test]
    fn prose_without_job_ad_words_is_read_too() {
        let bank = QuestionBank::bundled();
        for (ad, key) in [
            (
                "You will look after the billing platform on your own.",
                "ownership",
            ),
            ("Someone who can see things through.", "ownership"),
            (
                "Each morning you work out what needs doing today.",
                "prioritisation",
            ),
            (
                "You triage the queue with the support lead.",
                "prioritisation",
            ),
            (
                "You tell the board plainly when a date will slip.",
                "earning-trust",
            ),
            (
                "We hope you keep people informed when things go wrong.",
                "earning-trust",
            ),
            (
                "We want better ways of shipping the app to stores.",
                "innovation",
            ),
            ("Help us simplify a tangled deployment.", "innovation"),
            (
                "You spend time with customers in their warehouses.",
                "customer-focus",
            ),
            (
                "Our service users depend on this tool every week.",
                "customer-focus",
            ),
            (
                "You work independently across two sites.",
                "bias-for-action",
            ),
            (
                "You get stuck in when the build breaks, without waiting for a ticket.",
                "bias-for-action",
            ),
            (
                "You can figure things out with little guidance.",
                "ambiguity",
            ),
        ] {
            let ranking = rank(&bank, ad);
            assert_eq!(keys(&ranking).first(), Some(&key), "{ad}: {ranking:#?}");
        }
        // Words kept apart from those senses: sitting with designers is teamwork, an open-source
        // library is not openness, plain language is not honesty.
        for (ad, not) in [
            (
                "You sit with designers and artists daily.",
                "customer-focus",
            ),
            (
                "You maintain an open-source library openly.",
                "earning-trust",
            ),
            ("You explain the rules in plain language.", "earning-trust"),
        ] {
            let ranking = rank(&bank, ad);
            assert!(!keys(&ranking).contains(&not), "{ad}: {ranking:#?}");
        }
    }

    #[test]
    fn a_generic_word_does_not_outrank_what_the_ad_is_about() {
        let bank = QuestionBank::bundled();
        let ad = "Experience with Go. Experience with SQL. Years of experience in production.\n\
                  You will mentor engineers and lead the team's technical direction.";
        let ranking = rank(&bank, ad);
        assert_eq!(keys(&ranking), ["leadership"], "{ranking:#?}");
    }

    #[test]
    fn an_ad_in_german_gets_a_hint() {
        let german = include_str!("../../../tests/fixtures/job/german-ad.md");
        let ranking = rank(&QuestionBank::bundled(), german);
        assert_eq!(ranking.language, Some("German"));
    }

    #[test]
    fn competencies_below_the_bar_are_mentioned_in_passing_not_asked_for() {
        let bank = QuestionBank::bundled();
        let ad = "Mentor engineers and coach them. Lead a team of five; grow engineers.\n\
                  Teach, mentor and coach.\n\
                  A long sentence about the office, the lunches, the trains and, in passing, trust.";
        // (Coaching is also feedback's word: it is asked for too.)
        let ranking = rank(&bank, ad);
        assert_eq!(keys(&ranking), ["leadership", "feedback"]);
        let passing: Vec<&str> = ranking.in_passing.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(passing, ["earning-trust"]);
        assert!(!asks_for(ranking.in_passing[0].score, ranking.top_score()));
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
