//! The analysis of a spoken answer against its story. Pure: text with timestamps in, feedback
//! out; no model, no audio, no I/O.
//!
//! - [`key_numbers`]: each metric said, said with a different number (wrong), or not said;
//!   numbers in words and in digits are the same ([`spoken`]).
//! - [`coverage`]: which sentences and Action steps came through, on stemmed content words.
//! - [`delivery`]: pace overall and per marked section, fillers per minute, long pauses.
//! - a suggested grade from the above; the grade stays the user's.
//! - the transcript's words marked: story, number, wrong number, filler.

pub mod coverage;
pub mod delivery;
pub mod key_numbers;
pub mod spoken;
mod tokens;

use serde::{Deserialize, Serialize};

use self::coverage::SectionCoverage;
use self::delivery::Delivery;
use self::key_numbers::{Heard, NumberCheck};
use self::tokens::{Stems, tokenize};
use super::transcript::{SectionMarks, Transcript};
use crate::srs::Grade;
use crate::story::{SectionKind, Story};

/// What the answer got right and wrong, against its story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub story_id: String,
    pub numbers: Vec<NumberCheck>,
    pub sections: Vec<SectionCoverage>,
    /// Share of the story's sentences and Action steps that came through, 0..=1.
    pub coverage: f64,
    /// Whether the Result came through; `None` when the story has no Result section.
    pub result_said: Option<bool>,
    pub delivery: Delivery,
    pub suggested_grade: Grade,
    /// Why that grade, in plain words, most important first.
    pub reasons: Vec<String>,
    /// One mark per word of the transcript, in order.
    pub marks: Vec<Mark>,
}

/// What a word of the transcript turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Plain,
    /// Part of a sentence of the story that came through.
    Story,
    /// A key number, said right.
    Number,
    /// A number said in place of a key number.
    WrongNumber,
    Filler,
}

impl Feedback {
    /// Metrics said (fully or in part), wrong, and in all.
    pub fn number_counts(&self) -> NumberCounts {
        let count =
            |f: &dyn Fn(Heard) -> bool| self.numbers.iter().filter(|n| f(n.verdict)).count();
        NumberCounts {
            said: count(&|v| matches!(v, Heard::Said | Heard::Partly)),
            wrong: count(&|v| v == Heard::Wrong),
            total: self.numbers.len(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberCounts {
    pub said: usize,
    pub wrong: usize,
    pub total: usize,
}

/// Thresholds of the suggested grade.
const LITTLE_COVERAGE: f64 = 0.3;
const ENOUGH_COVERAGE: f64 = 0.6;
const FULL_COVERAGE: f64 = 0.9;
const FEW_FILLERS_PER_MINUTE: f64 = 3.0;

/// Checks `transcript` against `story`; `marks` place the STAR sections on its timeline (empty
/// when the answer was not marked).
pub fn analyse(story: &Story, transcript: &Transcript, marks: &SectionMarks) -> Feedback {
    let stems = Stems::new();
    let tokens = tokenize(transcript.words.iter().map(|w| w.text.as_str()));
    let mentions = spoken::mentions(&tokens);
    let (numbers, number_marks) = key_numbers::check(story, &tokens, &mentions, &stems);
    let covered = coverage::check(story, &tokens, &stems);
    let delivery = delivery::measure(transcript, &tokens, marks);

    let mut word_marks = vec![Mark::Plain; transcript.words.len()];
    for (token, _) in &covered.matched {
        word_marks[tokens[*token].word] = Mark::Story;
    }
    for (mention, said) in number_marks {
        for token in mentions[mention].tokens.clone() {
            word_marks[tokens[token].word] = if said {
                Mark::Number
            } else {
                Mark::WrongNumber
            };
        }
    }
    for (filler_tokens, _) in delivery::fillers(&tokens) {
        for token in filler_tokens {
            word_marks[tokens[token].word] = Mark::Filler;
        }
    }

    let units: usize = covered.sections.iter().map(|s| s.units.len()).sum();
    let through: usize = covered.sections.iter().map(|s| s.came_through()).sum();
    let coverage = if units == 0 {
        0.0
    } else {
        through as f64 / units as f64
    };
    let result_said = covered
        .sections
        .iter()
        .find(|s| s.section == SectionKind::Result.title())
        .map(|s| s.came_through() > 0);
    let mut feedback = Feedback {
        story_id: story.id().to_owned(),
        numbers,
        sections: covered.sections,
        coverage,
        result_said,
        delivery,
        suggested_grade: Grade::Again,
        reasons: Vec::new(),
        marks: word_marks,
    };
    let (grade, reasons) = suggest(&feedback);
    feedback.suggested_grade = grade;
    feedback.reasons = reasons;
    feedback
}

/// The grade the feedback points to, and why. Again: little of the story came through. Hard: a
/// wrong number, no Result, or much left out. Easy: nearly all of it, every key number, few
/// fillers, no long pause. Good otherwise.
fn suggest(feedback: &Feedback) -> (Grade, Vec<String>) {
    let percent = (feedback.coverage * 100.0).round();
    let numbers = feedback.number_counts();
    let delivery = &feedback.delivery;
    if delivery.words == 0 {
        return (Grade::Again, vec!["no words were heard".to_owned()]);
    }
    if feedback.coverage < LITTLE_COVERAGE {
        return (
            Grade::Again,
            vec![format!(
                "little of the story came through ({percent:.0}% of its sentences)"
            )],
        );
    }
    let mut hard = Vec::new();
    if numbers.wrong > 0 {
        hard.push(format!(
            "{} key number{} said wrong",
            numbers.wrong,
            if numbers.wrong == 1 { "" } else { "s" }
        ));
    }
    if feedback.result_said == Some(false) {
        hard.push("the Result was not said".to_owned());
    }
    if feedback.coverage < ENOUGH_COVERAGE {
        hard.push(format!(
            "{percent:.0}% of the story's sentences came through"
        ));
    }
    if !hard.is_empty() {
        return (Grade::Hard, hard);
    }
    let mut short_of_easy = Vec::new();
    if feedback.coverage < FULL_COVERAGE {
        short_of_easy.push(format!(
            "{percent:.0}% of the story's sentences came through"
        ));
    }
    if numbers.said < numbers.total {
        short_of_easy.push(format!(
            "{} of {} key numbers not said",
            numbers.total - numbers.said,
            numbers.total
        ));
    }
    if delivery.fillers_per_minute >= FEW_FILLERS_PER_MINUTE {
        short_of_easy.push(format!(
            "{:.1} filler words a minute",
            delivery.fillers_per_minute
        ));
    }
    if !delivery.pauses.is_empty() {
        short_of_easy.push(format!(
            "{} pause{} over {:.0} s",
            delivery.pauses.len(),
            if delivery.pauses.len() == 1 { "" } else { "s" },
            delivery::LONG_PAUSE
        ));
    }
    if short_of_easy.is_empty() {
        (
            Grade::Easy,
            vec!["the whole story, every key number, fluently".to_owned()],
        )
    } else {
        (Grade::Good, short_of_easy)
    }
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
pub(crate) mod tests_support {
    use super::tokens::{Stems, tokenize};

    /// The content words of `text` as the analysis compares them.
    pub fn content_words(text: &str) -> Vec<String> {
        let stems = Stems::new();
        tokenize(text.split_whitespace())
            .iter()
            .filter_map(|t| stems.content(t))
            .collect()
    }
}
