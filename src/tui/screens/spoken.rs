//! What the drill and the mock show of a spoken answer: the recording under way, the hearing
//! in progress, and the feedback: the suggested grade and why, the key numbers said (right,
//! wrong, not said), STAR coverage, delivery, and the transcript with what matched the story
//! marked.

use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};

use crate::practice::session::{Hearing, SpokenAnswer};
use crate::speech::Mark;
use crate::speech::analysis::key_numbers::Heard;
use crate::speech::report::{clock, filler_counts, pause_times};
use crate::tui::theme::Theme;

/// `● recording 0:12 · r ends the answer`.
pub fn recording_line(theme: Theme, seconds: f64, key: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(" ● recording ", theme.error()),
        Span::styled(clock(seconds), theme.strong()),
        Span::styled(format!("  · {key} ends the answer"), theme.dim()),
    ])
}

/// `Hearing your answer: 0:24 of 0:40 heard` and a bar.
pub fn hearing_lines(theme: Theme, hearing: &Hearing, width: usize) -> Vec<Line<'static>> {
    let share = if hearing.recorded > 0.0 {
        (hearing.heard / hearing.recorded).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = (share * width as f64).round() as usize;
    vec![
        Line::from(vec![
            Span::styled(" Hearing your answer: ", theme.strong()),
            Span::raw(format!(
                "{} of {} heard, on this machine",
                clock(hearing.heard),
                clock(hearing.recorded)
            )),
        ]),
        Line::from(vec![
            Span::raw(" "),
            Span::styled("█".repeat(filled), theme.gauge()),
            Span::styled("░".repeat(width.saturating_sub(filled)), theme.dim()),
        ]),
        Line::styled(
            " The feedback and a suggested grade come next; the grade stays yours.",
            theme.dim(),
        ),
    ]
}

fn verdict(theme: Theme, heard: Heard) -> (&'static str, Style) {
    match heard {
        Heard::Said => ("said", theme.ok()),
        Heard::Partly => ("in part", theme.warn()),
        Heard::Wrong => ("WRONG", theme.error()),
        Heard::NotSaid => ("not said", theme.dim()),
    }
}

/// The whole feedback on a spoken answer, to scroll through.
pub fn feedback_text(theme: Theme, answer: &SpokenAnswer, accept_key: &str) -> Text<'static> {
    let feedback = &answer.feedback;
    let grade = feedback.suggested_grade;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" Suggested grade: ", theme.strong()),
            Span::styled(grade.name(), theme.grade(grade)),
            Span::styled(
                format!("  ({accept_key} takes it; 1-4 give your own)"),
                theme.dim(),
            ),
        ]),
        Line::raw(format!(" {}", feedback.reasons.join("; "))),
        Line::default(),
        Line::styled(" Key numbers", theme.heading(2)),
    ];
    if feedback.numbers.is_empty() {
        lines.push(Line::styled("   the story has no key numbers", theme.dim()));
    }
    for check in &feedback.numbers {
        let (word, style) = verdict(theme, check.verdict);
        let parts: Vec<String> = check
            .values
            .iter()
            .map(|v| match (&v.heard, v.verdict) {
                (Some(heard), Heard::Wrong) => format!("{} heard as {heard}", v.expected),
                (Some(_), _) => v.expected.clone(),
                (None, _) => format!("{} missing", v.expected),
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled(format!("   {word:<9}"), style),
            Span::raw(format!("{}: {}", check.metric, parts.join(", "))),
        ]));
    }
    lines.push(Line::default());
    lines.extend(coverage_lines(theme, answer));
    lines.push(Line::default());
    lines.extend(delivery_lines(theme, answer));
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(" What you said ", theme.heading(2)),
        Span::styled("(", theme.dim()),
        Span::styled("from the story", mark_style(theme, Mark::Story)),
        Span::styled(" · ", theme.dim()),
        Span::styled("key number", mark_style(theme, Mark::Number)),
        Span::styled(" · ", theme.dim()),
        Span::styled("wrong number", mark_style(theme, Mark::WrongNumber)),
        Span::styled(" · ", theme.dim()),
        Span::styled("filler", mark_style(theme, Mark::Filler)),
        Span::styled(")", theme.dim()),
    ]));
    lines.push(transcript_line(theme, answer));
    Text::from(lines)
}

fn coverage_lines(theme: Theme, answer: &SpokenAnswer) -> Vec<Line<'static>> {
    let feedback = &answer.feedback;
    let result = match feedback.result_said {
        Some(true) => Span::styled("the Result was said", theme.ok()),
        Some(false) => Span::styled("the Result was NOT said", theme.error()),
        None => Span::raw(""),
    };
    let per_section: Vec<String> = feedback
        .sections
        .iter()
        .map(|s| format!("{} {}/{}", s.section, s.came_through(), s.units.len()))
        .collect();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" STAR coverage ", theme.heading(2)),
            Span::raw(format!(
                "{:.0}% of the story's sentences came through; ",
                feedback.coverage * 100.0
            )),
            result,
        ]),
        Line::raw(format!("   {}", per_section.join(" · "))),
    ];
    for section in &feedback.sections {
        for unit in section.units.iter().filter(|u| !u.came_through) {
            lines.push(Line::from(vec![
                Span::styled(format!("   missed ({}): ", section.section), theme.warn()),
                Span::styled(unit.text.clone(), theme.dim()),
            ]));
        }
    }
    lines
}

fn delivery_lines(theme: Theme, answer: &SpokenAnswer) -> Vec<Line<'static>> {
    let d = &answer.feedback.delivery;
    let fillers = filler_counts(d);
    let pauses = pause_times(d);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" Delivery ", theme.heading(2)),
            Span::raw(format!(
                "{:.0} words a minute ({} words in {})",
                d.words_per_minute,
                d.words,
                clock(d.speaking_seconds)
            )),
        ]),
        Line::raw(format!(
            "   fillers {:.1} a minute{} · {}",
            d.fillers_per_minute,
            if fillers.is_empty() {
                String::new()
            } else {
                format!(" ({})", fillers.join(", "))
            },
            if pauses.is_empty() {
                "no pause over 3 s".to_owned()
            } else {
                format!("pauses over 3 s: {}", pauses.join(", "))
            }
        )),
    ];
    if !d.sections.is_empty() {
        let sections: Vec<String> = d
            .sections
            .iter()
            .map(|s| format!("{} {:.0} wpm", s.section, s.words_per_minute))
            .collect();
        lines.push(Line::raw(format!("   {}", sections.join(" · "))));
    }
    lines
}

fn mark_style(theme: Theme, mark: Mark) -> Style {
    match mark {
        Mark::Plain => theme.text(),
        Mark::Story => theme.ok(),
        Mark::Number => theme.strong().patch(theme.ok()),
        Mark::WrongNumber => theme.error(),
        Mark::Filler => theme.warn(),
    }
}

/// The transcript, each word styled by what it turned out to be (one line; the paragraph
/// wraps it).
fn transcript_line(theme: Theme, answer: &SpokenAnswer) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (word, mark) in answer.transcript.words.iter().zip(&answer.feedback.marks) {
        spans.push(Span::styled(
            format!("{} ", word.text.trim()),
            mark_style(theme, *mark),
        ));
    }
    Line::from(spans)
}

/// A probe's answer as heard: its words, plainly.
pub fn probe_lines(theme: Theme, answer: &SpokenAnswer) -> Vec<Line<'static>> {
    vec![
        Line::styled(" You said:", theme.dim()),
        Line::raw(format!(" {}", answer.transcript.text())),
    ]
}
