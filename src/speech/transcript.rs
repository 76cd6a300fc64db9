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

    /// What Whisper wrote that was not said: words after the recording's last sound (`at`),
    /// labels for sounds, the loops it falls into, and the outros it makes up where an answer
    /// is cut short. Returns how many words were dropped.
    pub fn drop_made_up(&mut self, last_sound: f64) -> usize {
        self.drop_words_after(last_sound)
            + self.drop_sound_labels()
            + self.drop_repetition_loops()
            + self.drop_outro()
    }

    /// Collapses a phrase Whisper wrote again and again in a row ("Bye. Bye. Bye. Bye.", a
    /// known failure on audio cut mid-word) to its first time. People repeat themselves, but
    /// not one word four times running, a short phrase three times or a long one twice.
    pub fn drop_repetition_loops(&mut self) -> usize {
        let keys: Vec<String> = self.words.iter().map(|w| plain(&w.text)).collect();
        let mut keep = vec![true; keys.len()];
        let mut i = 0;
        while i < keys.len() {
            let mut jumped = false;
            for n in 1..=8 {
                let times = repeats(&keys, i, n);
                let least = match n {
                    1 => 4,
                    2 | 3 => 3,
                    _ => 2,
                };
                if times >= least {
                    keep[i + n..i + n * times].fill(false);
                    i += n * times;
                    jumped = true;
                    break;
                }
            }
            if !jumped {
                i += 1;
            }
        }
        let before = self.words.len();
        let mut flags = keep.into_iter();
        self.words.retain(|_| flags.next().unwrap_or(true));
        before - self.words.len()
    }

    /// Drops a video outro at the end ("Thanks for watching.", "See you next time."): Whisper
    /// learnt them from subtitles and writes them where the audio stops; no answer ends so.
    pub fn drop_outro(&mut self) -> usize {
        let mut dropped = 0;
        loop {
            let tail: Vec<String> = self
                .words
                .iter()
                .rev()
                .take(8)
                .rev()
                .map(|w| plain(&w.text))
                .filter(|w| !w.is_empty())
                .collect();
            let joined = tail.join(" ");
            let Some(outro) = OUTROS.iter().find(|o| joined.ends_with(*o)) else {
                return dropped;
            };
            let n = outro.split(' ').count();
            self.words.truncate(self.words.len() - n);
            dropped += n;
        }
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

/// Outros Whisper writes where audio stops (lower-case, without punctuation).
const OUTROS: &[&str] = &[
    "thanks for watching",
    "thank you for watching",
    "we'll see you next time",
    "see you next time",
    "see you in the next video",
    "please subscribe",
    "subscribe to my channel",
    "bye bye",
    "bye",
];

/// A word as compared: lower-case letters and digits only.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .flat_map(char::to_lowercase)
        .collect()
}

/// How many times the `n` words at `start` stand in a row there.
fn repeats(keys: &[String], start: usize, n: usize) -> usize {
    if start + n > keys.len() || keys[start..start + n].iter().any(String::is_empty) {
        return 0;
    }
    let phrase = &keys[start..start + n];
    let mut times = 1;
    while start + n * (times + 1) <= keys.len()
        && keys[start + n * times..start + n * (times + 1)] == *phrase
    {
        times += 1;
    }
    times
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
    fn loops_and_outros_whisper_writes_where_an_answer_is_cut_are_dropped() {
        let mut cut = Transcript::from_text(
            "I used the async module to run the jobs concurrently. We'll see you next time. \
             We'll see you next time. Bye. Bye. Bye. Bye. Bye. Bye. Bye.",
            0.3,
        );
        assert_eq!(cut.drop_made_up(f64::MAX), 17);
        assert_eq!(
            cut.text(),
            "I used the async module to run the jobs concurrently."
        );

        let mut looped = Transcript::from_text(
            "it took three hours three hours three hours three hours and then",
            0.3,
        );
        assert_eq!(looped.drop_repetition_loops(), 6);
        assert_eq!(looped.text(), "it took three hours and then");
    }

    #[test]
    fn what_people_do_repeat_is_kept() {
        for said in [
            "it was very, very slow, um, um, and then",
            "no, no, no: the jobs ran one after another",
            "I said thank you to the team and we shipped it.",
            "the jobs that do not depend on others, on others, ran at once",
            "we watched it: see you next time, said the ops team, and they left",
        ] {
            let mut transcript = Transcript::from_text(said, 0.3);
            assert_eq!(transcript.drop_made_up(f64::MAX), 0, "{said}");
            assert_eq!(transcript.text(), said);
        }
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
