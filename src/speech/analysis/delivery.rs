//! Delivery: pace (overall and per STAR section, from the marks), filler words per minute, and
//! the pauses longer than [`LONG_PAUSE`].

use serde::{Deserialize, Serialize};

use super::tokens::Token;
use crate::speech::transcript::{SectionMarks, Transcript};

/// A silence longer than this inside an answer is worth knowing about.
pub const LONG_PAUSE: f64 = 3.0;

/// Filler words counted wherever they occur.
const ALWAYS_FILLERS: &[&str] = &[
    "um",
    "umm",
    "uh",
    "uhh",
    "uhm",
    "er",
    "erm",
    "ah",
    "hmm",
    "mm",
    "mhm",
    "basically",
    "literally",
];
/// Words before "kind of" / "sort of" that make them ordinary words ("a kind of cache").
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "what", "which", "some", "any", "one", "every", "no",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filler {
    pub text: String,
    /// Seconds from the start of the recording.
    pub at: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pause {
    pub at: f64,
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionPace {
    pub section: String,
    pub seconds: f64,
    pub words: usize,
    pub words_per_minute: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub words: usize,
    /// From the first word to the last.
    pub speaking_seconds: f64,
    pub words_per_minute: f64,
    pub fillers: Vec<Filler>,
    pub fillers_per_minute: f64,
    pub pauses: Vec<Pause>,
    /// Per marked section; empty without marks.
    pub sections: Vec<SectionPace>,
}

fn per_minute(count: usize, seconds: f64) -> f64 {
    if seconds <= 0.0 {
        0.0
    } else {
        count as f64 * 60.0 / seconds.max(1.0)
    }
}

/// The token indices that are fillers, each with the text to show ("you know" spans two).
pub(crate) fn fillers(tokens: &[Token]) -> Vec<(Vec<usize>, String)> {
    let text = |i: usize| tokens.get(i).map_or("", |t| t.text.as_str());
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let word = text(i);
        let comma_side = tokens[i].pause_before || tokens[i].pause_after;
        let two = match (word, text(i + 1)) {
            ("you", "know") => tokens[i + 1].pause_after || i + 2 == tokens.len(),
            ("i", "mean") => tokens[i + 1].pause_after,
            ("sort" | "kind", "of") => i == 0 || !DETERMINERS.contains(&text(i - 1)),
            _ => false,
        };
        if two {
            found.push((vec![i, i + 1], format!("{word} {}", text(i + 1))));
            i += 2;
            continue;
        }
        if ALWAYS_FILLERS.contains(&word) || (word == "like" && comma_side) {
            found.push((vec![i], word.to_owned()));
        }
        i += 1;
    }
    found
}

pub(crate) fn measure(transcript: &Transcript, tokens: &[Token], marks: &SectionMarks) -> Delivery {
    let words = &transcript.words;
    let first = words.first().map_or(0.0, |w| w.start);
    let last = words.last().map_or(0.0, |w| w.end);
    let speaking_seconds = (last - first).max(0.0);
    let fillers: Vec<Filler> = fillers(tokens)
        .into_iter()
        .map(|(indices, text)| Filler {
            text,
            at: words[tokens[indices[0]].word].start,
        })
        .collect();
    let pauses = words
        .windows(2)
        .filter(|pair| pair[1].start - pair[0].end > LONG_PAUSE)
        .map(|pair| Pause {
            at: pair[0].end,
            seconds: pair[1].start - pair[0].end,
        })
        .collect();
    let sections = marks
        .spans(last)
        .into_iter()
        .map(|(kind, start, end)| {
            let count = words
                .iter()
                .filter(|w| w.start >= start && w.start < end)
                .count();
            SectionPace {
                section: kind.title().to_owned(),
                seconds: end - start,
                words: count,
                words_per_minute: per_minute(count, end - start),
            }
        })
        .collect();
    Delivery {
        words: words.len(),
        speaking_seconds,
        words_per_minute: per_minute(words.len(), speaking_seconds),
        fillers_per_minute: per_minute(fillers.len(), speaking_seconds),
        fillers,
        pauses,
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;
    use crate::speech::transcript::Word;

    fn filler_texts(text: &str) -> Vec<String> {
        fillers(&tokenize(text.split_whitespace()))
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn fillers_are_told_apart_from_the_same_words_used_plainly() {
        assert_eq!(
            filler_texts("Um, so, like, I basically, you know, sort of refactored it, uh"),
            ["um", "like", "basically", "you know", "sort of", "uh"]
        );
        assert!(filler_texts("I like this kind of cache; you know what it does").is_empty());
    }

    #[test]
    fn pace_pauses_and_fillers_per_minute_come_from_the_timestamps() {
        // 60 words over 30 s, with one 4 s silence after word 20.
        let mut words = Vec::new();
        let mut at = 0.0;
        for i in 0..60 {
            if i == 20 {
                at += 4.0;
            }
            let text = if i % 10 == 0 { " um" } else { " word" };
            words.push(Word {
                text: text.to_owned(),
                start: at,
                end: at + 0.3,
            });
            at += 26.0 / 60.0;
        }
        let transcript = Transcript {
            duration: at + 2.0,
            words,
        };
        let tokens = tokenize(transcript.words.iter().map(|w| w.text.as_str()));
        let marks = SectionMarks::star(&[0.0, 10.0]);
        let delivery = measure(&transcript, &tokens, &marks);
        let minutes = delivery.speaking_seconds / 60.0;
        assert!(
            (delivery.speaking_seconds - 30.0).abs() < 0.5,
            "{delivery:?}"
        );
        assert!((delivery.words_per_minute - 60.0 / minutes).abs() < 1e-9);
        assert_eq!(delivery.fillers.len(), 6);
        assert!((delivery.fillers_per_minute - 6.0 / minutes).abs() < 1e-9);
        assert_eq!(delivery.pauses.len(), 1);
        assert!((delivery.pauses[0].seconds - (4.0 + 26.0 / 60.0 - 0.3)).abs() < 1e-9);
        assert_eq!(delivery.sections.len(), 2);
        assert_eq!(delivery.sections[0].section, "Situation");
        assert_eq!(delivery.sections[0].words, 20);
        assert_eq!(delivery.sections[1].words, 40);
    }
}
