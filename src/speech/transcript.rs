//! What the transcriber heard: words with their times, and the STAR marks the speaker placed
//! on the same timeline.

use serde::{Deserialize, Serialize};

use crate::story::SectionKind;

/// One word as heard, with its place on the recording's timeline (seconds from its start).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// As the model wrote it, punctuation included (" 18", " million,").
    pub text: String,
    pub start: f64,
    pub end: f64,
}

/// A whole spoken answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub words: Vec<Word>,
    /// Length of the recording in seconds (silence included).
    pub duration: f64,
}

impl Transcript {
    /// The words joined as text.
    pub fn text(&self) -> String {
        let joined: String = self.words.iter().map(|w| w.text.as_str()).collect();
        joined.trim().to_owned()
    }

    /// Drops the words at the end that start after the recording's last sound (`at`, in
    /// seconds): Whisper makes words up from trailing silence. Returns how many were dropped.
    pub fn drop_words_after(&mut self, at: f64) -> usize {
        let keep = self
            .words
            .iter()
            .rposition(|w| w.start < at)
            .map_or(0, |i| i + 1);
        let dropped = self.words.len() - keep;
        self.words.truncate(keep);
        dropped
    }

    /// Drops what Whisper writes for sounds that are not speech ("MUSIC", "[BLANK_AUDIO]",
    /// "(applause)"): it hears them in the quiet between phrases. Returns how many were dropped.
    pub fn drop_sound_labels(&mut self) -> usize {
        let before = self.words.len();
        self.words.retain(|w| !is_sound_label(&w.text));
        before - self.words.len()
    }

    /// A transcript from text with evenly spaced words, `seconds_per_word` apart; for tests
    /// and for text typed instead of spoken.
    pub fn from_text(text: &str, seconds_per_word: f64) -> Transcript {
        let words: Vec<Word> = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                text: format!(" {w}"),
                start: i as f64 * seconds_per_word,
                end: i as f64 * seconds_per_word + seconds_per_word * 0.8,
            })
            .collect();
        let duration = words.last().map_or(0.0, |w| w.end);
        Transcript { words, duration }
    }
}

/// Whisper's labels for what is not speech, as it writes them (in capitals, or bracketed).
const SOUND_LABELS: &[&str] = &[
    "MUSIC",
    "PLAYING",
    "APPLAUSE",
    "LAUGHTER",
    "LAUGHS",
    "SILENCE",
    "BLANK_AUDIO",
    "INAUDIBLE",
    "NOISE",
    "BEEP",
    "SIGHS",
    "COUGHS",
];

fn is_sound_label(text: &str) -> bool {
    let word = text.trim();
    let bracketed = word.starts_with(['[', '(', '*']) || word.ends_with([']', ')', '*']);
    let bare: String = word
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    !bare.is_empty()
        && (bracketed && SOUND_LABELS.contains(&bare.to_uppercase().as_str())
            || SOUND_LABELS.contains(&bare.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_for_sounds_that_are_not_speech_are_dropped() {
        let mut transcript = Transcript::from_text(
            "I refactored these scripts. MUSIC. [BLANK_AUDIO] Uh, I used (applause) music",
            0.5,
        );
        assert_eq!(transcript.drop_sound_labels(), 3);
        assert_eq!(
            transcript.text(),
            "I refactored these scripts. Uh, I used music"
        );
    }

    #[test]
    fn words_made_up_after_the_last_sound_are_dropped() {
        let mut transcript = Transcript::from_text("less time. MUSIC PLAYING", 0.5);
        assert_eq!(transcript.drop_words_after(1.0), 2);
        assert_eq!(transcript.text(), "less time.");
    }
}

/// Where each STAR section began on the recording's timeline (the Tab marks), in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionMarks {
    pub starts: Vec<(SectionKind, f64)>,
}

impl SectionMarks {
    /// Marks at these seconds, in STAR order: `[0, 12, 20, 80]` is Situation at 0, Task at 12,
    /// Action at 20, Result at 80. Fewer numbers mark fewer sections.
    pub fn star(seconds: &[f64]) -> SectionMarks {
        SectionMarks {
            starts: SectionKind::STAR
                .iter()
                .copied()
                .zip(seconds.iter().copied())
                .collect(),
        }
    }

    /// Each marked section with its span `[start, end)`; the last ends at `end`.
    pub fn spans(&self, end: f64) -> Vec<(SectionKind, f64, f64)> {
        self.starts
            .iter()
            .enumerate()
            .map(|(i, &(kind, start))| {
                let until = self.starts.get(i + 1).map_or(end, |next| next.1);
                (kind, start, until.max(start))
            })
            .collect()
    }
}
