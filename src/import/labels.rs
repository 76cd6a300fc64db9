//! How notes name a STAR part or a question: heading text ("S - Situation", "Situation (S)",
//! "RESULTS"), a bold label (`**Task:** ...`, `**Task**` on its own line) or a `Label:` line.

use crate::story::SectionKind;

/// What a label line starts.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelKind {
    Part(SectionKind),
    /// `Question: ...`, `Q: ...`: the text after the label is the question.
    Question,
}

/// A label at the start of a line: what it names and where its text starts (a byte offset into
/// the line; the line's length when the text starts on the next line).
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub kind: LabelKind,
    pub content: usize,
}

/// The STAR part (or other story section) a heading or label names, in any case, with an
/// optional letter: "Situation", "S - Situation", "S: Situation", "Situation (S)", "Results:".
pub fn part_named(text: &str) -> Option<SectionKind> {
    let lower = text.trim().trim_end_matches(':').trim().to_lowercase();
    if !lower.starts_with(char::is_alphanumeric) {
        return None;
    }
    let mut name = lower.as_str();
    // "situation (s)"
    if let Some(open) = name.rfind('(')
        && name.ends_with(')')
        && name[open + 1..name.len() - 1].trim().chars().count() == 1
    {
        name = name[..open].trim_end();
    }
    // "s - situation", "s: situation", "s) situation", "s. situation", "s – situation"
    let mut chars = name.chars();
    if let (Some(letter), Some(separator)) = (chars.next(), chars.next())
        && letter.is_ascii_alphabetic()
        && (separator.is_whitespace() || "-:.)–—".contains(separator))
    {
        let rest = chars
            .as_str()
            .trim_start_matches([' ', '-', ':', '.', ')', '–', '—']);
        let initial = rest.chars().next();
        if initial == Some(letter) {
            name = rest;
        }
    }
    if name.is_empty() || name.len() > 30 {
        return None;
    }
    SectionKind::from_heading(name)
}

fn is_question_label(text: &str) -> bool {
    matches!(
        text.trim()
            .trim_end_matches(':')
            .trim()
            .to_lowercase()
            .as_str(),
        "question" | "q" | "interview question"
    )
}

fn label_kind(text: &str) -> Option<LabelKind> {
    if is_question_label(text) {
        Some(LabelKind::Question)
    } else {
        part_named(text).map(LabelKind::Part)
    }
}

/// The label a line starts with, if any: `**Situation:** text`, `**Situation**`, `__Task__:`,
/// `Situation: text`, `S - Situation:`, `Question: ...`, also as a list item (`- Task: ...`).
/// The line has no line break.
pub fn line_label(line: &str) -> Option<Label> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    // A list item can hold a label too: `- **Situation:** ...`, `* Task: ...`.
    let indent = match line[indent..].get(..2) {
        Some("- " | "* " | "+ ") => indent + 2,
        _ => indent,
    };
    let rest = &line[indent..];
    for marker in ["**", "__"] {
        if let Some(inner_start) = rest.strip_prefix(marker) {
            let close = inner_start.find(marker)?;
            let kind = label_kind(&inner_start[..close])?;
            let after = indent + marker.len() * 2 + close;
            return Some(Label {
                kind,
                content: content_start(line, after),
            });
        }
    }
    let colon = rest.find(':')?;
    let kind = label_kind(&rest[..colon])?;
    Some(Label {
        kind,
        content: content_start(line, indent + colon + 1),
    })
}

/// Past a `:` that may follow a bold label, and the spaces before the text.
fn content_start(line: &str, mut at: usize) -> usize {
    if line[at..].starts_with(':') {
        at += 1;
    }
    at + (line[at..].len() - line[at..].trim_start().len())
}

/// The question in a heading or label text: without a `Question:` prefix and the quotes around
/// it. `None` unless it is one: a `Question:` prefix or a `?` at the end.
pub fn question_in(text: &str) -> Option<String> {
    let text = text.trim();
    let (prefixed, rest) = match text.split_once(':') {
        Some((label, rest)) if is_question_label(label) => (true, rest.trim()),
        _ => (false, text),
    };
    let unquoted = strip_quotes(rest);
    (prefixed || unquoted.ends_with('?')).then(|| unquoted.to_owned())
}

pub fn strip_quotes(text: &str) -> &str {
    let text = text.trim();
    for (open, close) in [('"', '"'), ('“', '”'), ('\'', '\'')] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close))
            && !inner.is_empty()
        {
            return inner.trim();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_in_every_shape() {
        for (text, kind) in [
            ("Situation", SectionKind::Situation),
            ("SITUATION:", SectionKind::Situation),
            ("S - Situation", SectionKind::Situation),
            ("S: Situation", SectionKind::Situation),
            ("T) Task", SectionKind::Task),
            ("A – Action", SectionKind::Action),
            ("Situation (S)", SectionKind::Situation),
            ("Results", SectionKind::Result),
            ("R - Result:", SectionKind::Result),
            ("Lessons learned", SectionKind::Lessons),
            ("Follow-ups", SectionKind::Probes),
        ] {
            assert_eq!(part_named(text), Some(kind), "{text}");
        }
        for text in [
            "Story",
            "S - Task",
            "Situational awareness",
            "Actions speak",
            "",
        ] {
            assert_eq!(part_named(text), None, "{text}");
        }
    }

    #[test]
    fn labels_on_their_own_line_or_before_text() {
        let part = |kind| LabelKind::Part(kind);
        for (line, kind, content) in [
            (
                "**Situation:** We had",
                part(SectionKind::Situation),
                "We had",
            ),
            (
                "**Situation**: We had",
                part(SectionKind::Situation),
                "We had",
            ),
            ("**Task**", part(SectionKind::Task), ""),
            ("__Action:__", part(SectionKind::Action), ""),
            ("Result: 30 min", part(SectionKind::Result), "30 min"),
            ("S - Situation: a", part(SectionKind::Situation), "a"),
            ("Situation (S):", part(SectionKind::Situation), ""),
            ("Question: Tell me?", LabelKind::Question, "Tell me?"),
            ("**Q:** Why?", LabelKind::Question, "Why?"),
            (
                "- **Situation:** listed",
                part(SectionKind::Situation),
                "listed",
            ),
            ("* Result: 2 h", part(SectionKind::Result), "2 h"),
        ] {
            let label = line_label(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(label.kind, kind, "{line}");
            assert_eq!(&line[label.content..], content, "{line}");
        }
        for line in [
            "We had a Situation: odd",
            "**Bold** text: no",
            "- Situation report: in a list",
            "-Situation: no space",
            "    Situation: indented code",
            "Time: 3 h",
            "Situation",
        ] {
            assert_eq!(line_label(line), None, "{line}");
        }
    }

    #[test]
    fn questions_lose_their_prefix_and_quotes() {
        assert_eq!(
            question_in("Question: \"Tell me about a failure.\"").as_deref(),
            Some("Tell me about a failure.")
        );
        assert_eq!(
            question_in("Tell me about a time you disagreed?").as_deref(),
            Some("Tell me about a time you disagreed?")
        );
        assert_eq!(question_in("Challenges"), None);
    }
}
