//! How notes name a STAR part, a question or a title: heading text ("S - Situation",
//! "Situation (S)", "RESULTS", "Context"), a bold label (`**Task:** ...`, `**S —** ...`,
//! `**Task**` on its own line), a `Label:` line, a label with a dash (`Situation - ...`,
//! `s – ...`) or a letter with a parenthesis (`S) ...`), also as a list item at any depth.

use crate::story::SectionKind;

/// What a label line starts.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelKind {
    Part(SectionKind),
    /// `Question: ...`, `Q: ...`: the text after the label is the question.
    Question,
    /// `Title: ...`, `Story: ...`: the text after the label is a story's title.
    Title,
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
    SectionKind::from_heading(name).or_else(|| synonym(name))
}

/// Other names notes give the parts (CAR, PAR and SOAR templates, "what I did"), and the single
/// letters of STAR.
fn synonym(name: &str) -> Option<SectionKind> {
    let name = name.trim_end_matches(['-', '–', '—', ')', ':', ' ']);
    Some(match name {
        "s" | "background" | "context" | "setting" => SectionKind::Situation,
        "t" | "problem" | "challenge" | "goal" | "objective" | "the ask" => SectionKind::Task,
        "a" | "what i did" | "actions taken" | "action taken" | "approach" | "my actions"
        | "steps" => SectionKind::Action,
        "r" | "outcome" | "outcomes" | "impact" | "results and impact" | "result and impact" => {
            SectionKind::Result
        }
        "learnings" | "what i learned" | "what i learnt" | "takeaways" | "reflection" => {
            SectionKind::Lessons
        }
        _ => return None,
    })
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

fn is_title_label(text: &str) -> bool {
    matches!(
        text.trim()
            .trim_end_matches(':')
            .trim()
            .to_lowercase()
            .as_str(),
        "title" | "story"
    )
}

fn label_kind(text: &str) -> Option<LabelKind> {
    if is_question_label(text) {
        Some(LabelKind::Question)
    } else if is_title_label(text) {
        Some(LabelKind::Title)
    } else {
        part_named(text).map(LabelKind::Part)
    }
}

/// The label a line starts with, if any: `**Situation:** text`, `**Situation**`, `__Task__:`,
/// `**S —** text`, `Situation: text`, `Situation - text`, `S) text`, `s – text`,
/// `Question: ...`, `Title: ...`, also as a list item at any depth (`- Task: ...`,
/// `\t\t- S: ...` in an outliner's export). The line has no line break.
pub fn line_label(line: &str) -> Option<Label> {
    let indent = list_item_start(line)?;
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
    // `Label: text` (the name may hold a dash: `S - Situation: text`), else `Label - text`,
    // `S) text`.
    let colon = rest.find(':').map(|at| (&rest[..at], at + 1));
    let dash = dashed(rest);
    for (name, after) in [colon, dash].into_iter().flatten() {
        if let Some(kind) = label_kind(name.trim_end()).filter(|_| !name.trim().is_empty()) {
            return Some(Label {
                kind,
                content: content_start(line, indent + after),
            });
        }
    }
    None
}

/// Where a line's text starts past its indentation and list marker; `None` for an indented
/// line that is not a list item (Markdown's indented code).
fn list_item_start(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let marker = matches!(line[indent..].get(..2), Some("- " | "* " | "+ "));
    if marker {
        Some(indent + 2)
    } else if line[..indent].contains('\t') || indent > 3 {
        None
    } else {
        Some(indent)
    }
}

/// A label's name and the byte offset just past its separator, for `Name -`, `Name –`,
/// `Name —` (a dash with a space before it, and a space or the line's end after it) and a
/// letter with `)`: the first such separator in the line's first 40 bytes.
fn dashed(rest: &str) -> Option<(&str, usize)> {
    let spaced = |end: usize| rest[end..].is_empty() || rest[end..].starts_with(' ');
    rest.char_indices()
        .take_while(|(at, _)| *at < 40)
        .find_map(|(at, c)| {
            let end = at + c.len_utf8();
            let found = match c {
                '-' | '–' | '—' => rest[..at].ends_with(' ') && spaced(end),
                ')' => at == 1 && spaced(end),
                _ => false,
            };
            found.then_some((&rest[..at], end))
        })
}

/// Past a `:` or a dash that may follow a bold label, and the spaces before the text.
fn content_start(line: &str, mut at: usize) -> usize {
    let skip = |at: usize| line.len() - line[at..].trim_start().len();
    if line[at..].starts_with(':') {
        at += 1;
    } else {
        let next = skip(at);
        if let Some(dash) = ['-', '–', '—']
            .iter()
            .find(|d| line[next..].starts_with(**d))
            && (line[next + dash.len_utf8()..].is_empty()
                || line[next + dash.len_utf8()..].starts_with(' '))
        {
            at = next + dash.len_utf8();
        }
    }
    skip(at)
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

/// A title without what numbers or announces it: `1. Title`, `3) Title`, `Story 2 - Title`,
/// `Story: Title`, `Title: Title`.
pub fn bare_title(text: &str) -> &str {
    let mut text = text.trim();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=2).contains(&digits)
        && let Some(rest) = text[digits..]
            .strip_prefix(". ")
            .or_else(|| text[digits..].strip_prefix(") "))
    {
        text = rest.trim_start();
    }
    let lower = text.to_lowercase();
    for prefix in ["story", "title"] {
        if lower.starts_with(prefix) {
            let rest = text[prefix.len()..].trim_start();
            let rest = rest
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start();
            for separator in [":", "-", "–", "—"] {
                if let Some(title) = rest.strip_prefix(separator)
                    && !title.trim().is_empty()
                {
                    return title.trim();
                }
            }
        }
    }
    text
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
            ("S: We had", part(SectionKind::Situation), "We had"),
            ("s - lower", part(SectionKind::Situation), "lower"),
            ("T) Task text", part(SectionKind::Task), "Task text"),
            ("A – en dash", part(SectionKind::Action), "en dash"),
            ("R — em dash", part(SectionKind::Result), "em dash"),
            (
                "**S —** bold letter",
                part(SectionKind::Situation),
                "bold letter",
            ),
            ("**R**: bold", part(SectionKind::Result), "bold"),
            ("Situation - dashed", part(SectionKind::Situation), "dashed"),
            ("Action -", part(SectionKind::Action), ""),
            ("**Context:** where", part(SectionKind::Situation), "where"),
            ("Challenge: what", part(SectionKind::Task), "what"),
            ("**What I did:** this", part(SectionKind::Action), "this"),
            ("Impact: 2x", part(SectionKind::Result), "2x"),
            ("\t\t- S: nested", part(SectionKind::Situation), "nested"),
            ("Title: Mine", LabelKind::Title, "Mine"),
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
            "A/B tests ran",
            "S-bahn: no",
            "\tS: tab-indented, not a list item",
            "Team - the platform",
        ] {
            assert_eq!(line_label(line), None, "{line}");
        }
    }

    #[test]
    fn titles_lose_their_numbers_and_prefixes() {
        for (text, title) in [
            ("1. Cutting the build", "Cutting the build"),
            ("3) Speeding up CI", "Speeding up CI"),
            ("Story 2 - Fixing the leak", "Fixing the leak"),
            ("Story: Rescuing the migration", "Rescuing the migration"),
            ("STORY — The outage", "The outage"),
            ("Title: Mine", "Mine"),
            ("2024 review", "2024 review"),
            ("Storytelling at work", "Storytelling at work"),
        ] {
            assert_eq!(bare_title(text), title, "{text}");
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
