//! The prep pack's spoken answers: the latest feedback per story (key numbers, coverage,
//! delivery, the suggested grade), and the transcript only when asked for.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::speech::analysis::key_numbers::Heard;
use crate::speech::report::marked;
use crate::store::StoredSpokenAnswer;
use crate::story::Story;

/// "## Latest spoken answers", one entry per story with a stored spoken answer; empty when no
/// story has one.
pub fn spoken_section(
    stories: &[&Story],
    latest: &BTreeMap<String, StoredSpokenAnswer>,
    with_transcripts: bool,
) -> String {
    let answered: Vec<(&Story, &StoredSpokenAnswer)> = stories
        .iter()
        .filter_map(|s| latest.get(s.id()).map(|a| (*s, a)))
        .collect();
    if answered.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let _ = writeln!(out, "## Latest spoken answers\n");
    for (story, answer) in answered {
        let feedback = &answer.feedback;
        let counts = feedback.number_counts();
        let _ = writeln!(out, "### {}\n", story.meta.title);
        let _ = writeln!(
            out,
            "{} ({}, {}){}\n",
            answer.recorded_at.strftime("%Y-%m-%d %H:%M UTC"),
            answer.origin,
            answer.model,
            answer
                .question
                .as_deref()
                .map(|q| format!(": \"{q}\""))
                .unwrap_or_default()
        );
        let _ = writeln!(
            out,
            "- Suggested grade: **{}**: {}",
            feedback.suggested_grade,
            feedback.reasons.join("; ")
        );
        let _ = writeln!(
            out,
            "- STAR coverage: {:.0}% of the sentences; the Result {}",
            feedback.coverage * 100.0,
            match feedback.result_said {
                Some(true) => "said",
                Some(false) => "**not said**",
                None => "(none in the story)",
            }
        );
        let wrong: Vec<String> = feedback
            .numbers
            .iter()
            .filter(|n| n.verdict == Heard::Wrong)
            .flat_map(|n| {
                n.values
                    .iter()
                    .filter(|v| v.verdict == Heard::Wrong)
                    .map(|v| {
                        format!(
                            "{} {}: heard {}",
                            n.metric,
                            v.expected,
                            v.heard.as_deref().unwrap_or("?")
                        )
                    })
            })
            .collect();
        let _ = writeln!(
            out,
            "- Key numbers: {} of {} said{}",
            counts.said,
            counts.total,
            if wrong.is_empty() {
                String::new()
            } else {
                format!("; **wrong**: {}", wrong.join("; "))
            }
        );
        let d = &feedback.delivery;
        let _ = writeln!(
            out,
            "- Delivery: {:.0} words a minute, {:.1} fillers a minute, {} pause(s) over 3 s\n",
            d.words_per_minute,
            d.fillers_per_minute,
            d.pauses.len()
        );
        if with_transcripts && let Some(transcript) = &answer.transcript {
            let _ = writeln!(
                out,
                "> {}\n",
                marked(feedback, transcript).replace('\n', " ")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::analysis::tests::{RIGHT, bundled};
    use crate::speech::{SectionMarks, Transcript, analyse};
    use crate::store::{NewSpokenAnswer, SpokenOrigin, SpokenPart, Store};

    #[test]
    fn the_latest_feedback_per_story_and_the_transcript_only_when_asked() {
        let story = bundled("daily-refresh-18m.md");
        let other = bundled("xml-etl-lambda.md");
        let store = Store::open_in_memory().unwrap();
        for (minute, text) in [(0, "I refactored these scripts."), (9, RIGHT)] {
            let transcript =
                Transcript::from_text(&text.replace("thirty minutes", "forty five minutes"), 0.4);
            let feedback = analyse(&story, &transcript, &SectionMarks::default());
            store
                .save_spoken_answer(&NewSpokenAnswer {
                    recorded_at: jiff::Timestamp::from_second(1_800_000_000 + minute * 60).unwrap(),
                    origin: SpokenOrigin::Listen,
                    part: SpokenPart::Answer,
                    question: None,
                    model: "tiny.en",
                    transcript: &transcript,
                    feedback: &feedback,
                })
                .unwrap();
        }
        let stories = [&story, &other];
        let without = spoken_section(
            &stories,
            &store.latest_spoken_answers(false).unwrap(),
            false,
        );
        assert!(
            without.contains("### Daily refresh of 18 million records"),
            "{without}"
        );
        assert!(without.contains("Suggested grade: **Hard**"), "{without}");
        assert!(
            without.contains("**wrong**: daily refresh wall time 30 min: heard 45 min"),
            "{without}"
        );
        assert!(!without.contains("Cutting an SAP XML"), "{without}");
        assert!(!without.contains("> "), "{without}");
        assert_eq!(spoken_section(&[&other], &BTreeMap::new(), true), "");
        let with = spoken_section(&stories, &store.latest_spoken_answers(true).unwrap(), true);
        assert!(with.contains("<forty five minutes>"), "{with}");
    }
}
