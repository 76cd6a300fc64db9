//! The feedback as plain text: for `rehearse listen` and the `--plain` drill. Pure.

use std::fmt::Write;

use super::analysis::delivery::Delivery;
use super::analysis::key_numbers::Heard;
use super::analysis::{Feedback, Mark};
use super::transcript::Transcript;

/// "1:54" for 114 s.
pub fn clock(seconds: f64) -> String {
    let whole = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", whole / 60, whole % 60)
}

/// Each filler said, with how often, in the order first said: `"um" x3`.
pub fn filler_counts(delivery: &Delivery) -> Vec<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for filler in &delivery.fillers {
        match counts.iter_mut().find(|(text, _)| *text == filler.text) {
            Some((_, n)) => *n += 1,
            None => counts.push((&filler.text, 1)),
        }
    }
    counts
        .iter()
        .map(|(text, n)| format!("\"{text}\" x{n}"))
        .collect()
}

/// Each long pause, with where it came: `3.4 s at 0:41`.
pub fn pause_times(delivery: &Delivery) -> Vec<String> {
    delivery
        .pauses
        .iter()
        .map(|p| format!("{:.1} s at {}", p.seconds, clock(p.at)))
        .collect()
}

fn verdict_word(heard: Heard) -> &'static str {
    match heard {
        Heard::Said => "said",
        Heard::Partly => "in part",
        Heard::Wrong => "WRONG",
        Heard::NotSaid => "not said",
    }
}

/// Key numbers, STAR coverage, delivery, the suggested grade and the marked transcript.
pub fn render(feedback: &Feedback, transcript: &Transcript) -> String {
    let mut out = String::new();
    numbers(&mut out, feedback);
    coverage(&mut out, feedback);
    delivery(&mut out, feedback);
    let _ = writeln!(
        out,
        "\nSuggested grade: {} ({}): {}",
        feedback.suggested_grade.name(),
        feedback.suggested_grade.number(),
        feedback.reasons.join("; ")
    );
    let _ = writeln!(
        out,
        "\nTranscript ([story] {{number}} <wrong number> (filler)):\n{}",
        wrap(&marked(feedback, transcript), 90, "  ")
    );
    out
}

fn numbers(out: &mut String, feedback: &Feedback) {
    let _ = writeln!(out, "Key numbers");
    if feedback.numbers.is_empty() {
        let _ = writeln!(out, "  the story has no key numbers");
    }
    for check in &feedback.numbers {
        let parts: Vec<String> = check
            .values
            .iter()
            .map(|v| match (&v.heard, v.verdict) {
                (Some(heard), Heard::Wrong) => format!("{} {}: heard {heard}", v.part, v.expected),
                (Some(_), _) => format!("{} {}: said", v.part, v.expected),
                (None, _) => format!("{} {}: not said", v.part, v.expected),
            })
            .collect();
        let _ = writeln!(
            out,
            "  {:<9}{}\n{}",
            verdict_word(check.verdict),
            check.metric,
            wrap(&parts.join("; "), 80, "           ")
        );
    }
}

fn coverage(out: &mut String, feedback: &Feedback) {
    let _ = writeln!(
        out,
        "\nSTAR coverage: {:.0}% of the story's sentences came through{}",
        feedback.coverage * 100.0,
        match feedback.result_said {
            Some(true) => "; the Result was said",
            Some(false) => "; the Result was NOT said",
            None => "",
        }
    );
    for section in &feedback.sections {
        let _ = writeln!(
            out,
            "  {:<10}{}/{}",
            section.section,
            section.came_through(),
            section.units.len()
        );
        for unit in section.units.iter().filter(|u| !u.came_through) {
            let _ = writeln!(
                out,
                "{}",
                wrap(&format!("missed: {}", unit.text), 80, "            ")
            );
        }
    }
}

fn delivery(out: &mut String, feedback: &Feedback) {
    let d = &feedback.delivery;
    let _ = writeln!(
        out,
        "\nDelivery\n  pace      {:.0} words a minute ({} words in {})",
        d.words_per_minute,
        d.words,
        clock(d.speaking_seconds)
    );
    for section in &d.sections {
        let _ = writeln!(
            out,
            "            {:<10}{:.0} words a minute ({})",
            section.section,
            section.words_per_minute,
            clock(section.seconds)
        );
    }
    let list = filler_counts(d);
    let _ = writeln!(
        out,
        "  fillers   {:.1} a minute{}",
        d.fillers_per_minute,
        if list.is_empty() {
            String::new()
        } else {
            format!(" ({})", list.join(", "))
        }
    );
    let pauses = pause_times(d);
    let _ = writeln!(
        out,
        "  pauses    {}",
        if pauses.is_empty() {
            "none over 3 s".to_owned()
        } else {
            format!("over 3 s: {}", pauses.join(", "))
        }
    );
}

/// The transcript with its marked runs bracketed: "[daily refresh] ... {30 minutes}".
pub fn marked(feedback: &Feedback, transcript: &Transcript) -> String {
    let mut out = String::new();
    let mut open: Option<Mark> = None;
    let close = |mark: Mark| match mark {
        Mark::Story => "]",
        Mark::Number => "}",
        Mark::WrongNumber => ">",
        Mark::Filler => ")",
        Mark::Plain => "",
    };
    for (word, mark) in transcript.words.iter().zip(&feedback.marks) {
        let text = word.text.trim();
        if open != Some(*mark) {
            if let Some(previous) = open {
                out.push_str(close(previous));
            }
            out.push(' ');
            out.push_str(match mark {
                Mark::Story => "[",
                Mark::Number => "{",
                Mark::WrongNumber => "<",
                Mark::Filler => "(",
                Mark::Plain => "",
            });
            open = Some(*mark);
        } else {
            out.push(' ');
        }
        out.push_str(text);
    }
    if let Some(previous) = open {
        out.push_str(close(previous));
    }
    out.trim().to_owned()
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(format!("{indent}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::analysis::tests::{RIGHT, bundled};
    use crate::speech::{SectionMarks, analyse};

    #[test]
    fn a_wrong_number_is_shown_as_heard_and_bracketed_in_the_transcript() {
        let story = bundled("daily-refresh-18m.md");
        let transcript =
            Transcript::from_text(&RIGHT.replace("thirty minutes", "forty five minutes"), 0.4);
        let feedback = analyse(&story, &transcript, &SectionMarks::default());
        let text = render(&feedback, &transcript);
        assert!(
            text.contains("  WRONG    daily refresh wall time"),
            "{text}"
        );
        assert!(text.contains("after 30 min: heard 45 min"), "{text}");
        assert!(text.contains("<forty five minutes>"), "{text}");
        assert!(text.contains("{eighteen million}"), "{text}");
        assert!(
            text.contains("Suggested grade: Hard (2): 1 key number said wrong"),
            "{text}"
        );
    }
}
