//! One story file's text -> [`Story`], with pulldown-cmark events and byte offsets.

use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{FrontMatter, Probe, Section, SectionKind, Story, StoryError};

/// Parses a story. Errors name the file and the line at fault.
pub fn parse(path: &Path, text: &str) -> Result<Story, StoryError> {
    let error = |line: usize, message: String| StoryError {
        path: path.to_owned(),
        line,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front_matter, body, body_line) =
        split_front_matter(text).map_err(|(line, m)| error(line, m))?;
    let meta: FrontMatter = serde_saphyr::from_str(front_matter).map_err(|e| {
        // The YAML starts on line 2 of the file.
        let line = e.location().map_or(2, |l| l.line() as usize + 1);
        error(line, format!("invalid front matter: {}", yaml_message(&e)))
    })?;
    if let Some(problem) = invalid_id(&meta.id) {
        return Err(error(
            key_line(front_matter, "id").unwrap_or(2),
            format!("invalid id `{}`: {problem}", meta.id),
        ));
    }
    // Comments are notes to oneself: gone before anything reads the body.
    let unclosed_comment =
        unclosed_comment(body).map(|offset| body_line + body[..offset].matches('\n').count());
    let body = strip_comments(body);
    let (sections, probes) = parse_body(&body, body_line);
    Ok(Story {
        path: path.to_owned(),
        meta,
        sections,
        probes,
        front_matter: front_matter.to_owned(),
        body,
        body_line,
        unclosed_comment,
    })
}

/// The 1-based file line of a top-level front-matter key (the YAML starts on line 2).
pub(super) fn key_line(front_matter: &str, key: &str) -> Option<usize> {
    front_matter
        .lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|index| index + 2)
}

/// Ids are slugs: they name cards in the database and must survive edits and renames.
fn invalid_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("it is empty")
    } else if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        Some("use lowercase letters, digits and '-' only")
    } else {
        None
    }
}

/// The first line of the YAML error, without the snippet the crate renders below it.
fn yaml_message(error: &serde_saphyr::Error) -> String {
    let text = error.to_string();
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    // The caller reports the file's line itself; the YAML's own line/column would mislead.
    let first = first.trim().trim_start_matches("error: ");
    let first = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(first, |(_, message)| message),
        None => first,
    };
    first.split(" at line ").next().unwrap_or(first).to_owned()
}

/// Splits `---\nyaml\n---\nbody` into (yaml, body, body's first line). Errors carry a line.
fn split_front_matter(text: &str) -> Result<(&str, &str, usize), (usize, String)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err((
            1,
            "missing front matter: a story starts with a line `---`, then YAML (id, title, ...), then `---`"
                .to_owned(),
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        if matches!(line.trim_end(), "---" | "...") {
            let yaml = &text[yaml_start..offset];
            let body = &text[offset + line.len()..];
            // Line 1 is the opening `---`, YAML lines are 2.., the closing line is index + 2.
            return Ok((yaml, body, index + 3));
        }
        offset += line.len();
    }
    Err((
        1,
        "front matter is never closed: add a line `---` after the YAML".to_owned(),
    ))
}

/// The Markdown without its HTML comments (`<!-- ... -->`); each comment leaves only the line
/// breaks it held, so every later line keeps its number. Comments inside code stay: they are
/// code, not notes. A comment never closed runs to the end, as in any Markdown viewer (and so
/// its private notes stay private); [`unclosed_comment`] finds it for lint.
pub fn strip_comments(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = 0;
    for Comment { range: comment, .. } in comments(markdown) {
        out.push_str(&markdown[rest..comment.start]);
        out.extend(markdown[comment.clone()].chars().filter(|c| *c == '\n'));
        rest = comment.end;
    }
    out.push_str(&markdown[rest..]);
    out
}

/// The byte offset of a `<!--` that is never closed, if there is one.
pub fn unclosed_comment(markdown: &str) -> Option<usize> {
    comments(markdown)
        .last()
        .filter(|comment| !comment.closed)
        .map(|comment| comment.range.start)
}

struct Comment {
    range: std::ops::Range<usize>,
    closed: bool,
}

/// The HTML comments outside code, in order; the last one runs to the end of the text when it
/// is never closed.
fn comments(markdown: &str) -> Vec<Comment> {
    let code: Vec<std::ops::Range<usize>> = Parser::new_ext(markdown, Options::empty())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => Some(range),
            _ => None,
        })
        .collect();
    let in_code = |offset: usize| code.iter().any(|r| r.contains(&offset));
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(found) = markdown[search..].find("<!--") {
        let start = search + found;
        if in_code(start) {
            search = start + 4;
            continue;
        }
        // From `start + 2`: `<!-->` and `<!--->` are (empty) comments, as in CommonMark.
        let close = markdown[start + 2..].find("-->");
        let end = close.map_or(markdown.len(), |i| start + 2 + i + 3);
        out.push(Comment {
            range: start..end,
            closed: close.is_some(),
        });
        search = end;
    }
    out
}

/// Known sections (level 2-3 headings) and the probe questions beneath `Probes`.
fn parse_body(body: &str, body_line: usize) -> (Vec<Section>, Vec<Probe>) {
    let line_of = LineIndex::new(body, body_line);
    let headings = headings(body);

    let mut sections = Vec::new();
    let mut probes = Vec::new();
    let mut current: Option<(SectionKind, u8, usize, usize)> = None; // kind, level, heading start, content start
    let close = |current: Option<(SectionKind, u8, usize, usize)>,
                 end: usize,
                 sections: &mut Vec<Section>| {
        if let Some((kind, _, start, content)) = current {
            sections.push(Section {
                kind,
                line: line_of.line(start),
                text: body[content..end].trim().to_owned(),
            });
        }
    };
    let mut probe: Option<(String, usize, usize)> = None; // question, heading start, answer start
    let close_probe = |probe: Option<(String, usize, usize)>, end: usize, out: &mut Vec<Probe>| {
        if let Some((question, start, answer)) = probe {
            out.push(Probe {
                question,
                answer: body[answer..end].trim().to_owned(),
                line: line_of.line(start),
            });
        }
    };

    for heading in &headings {
        let in_probes =
            matches!(current, Some((SectionKind::Probes, level, ..)) if heading.level > level);
        if in_probes {
            close_probe(probe.take(), heading.start, &mut probes);
            probe = Some((heading.text.clone(), heading.start, heading.end));
            continue;
        }
        let kind = (2..=3)
            .contains(&heading.level)
            .then(|| SectionKind::from_heading(&heading.text))
            .flatten();
        let ends_current =
            kind.is_some() || current.is_some_and(|(_, level, ..)| heading.level <= level);
        if ends_current {
            close_probe(probe.take(), heading.start, &mut probes);
            close(current.take(), heading.start, &mut sections);
        }
        if let Some(kind) = kind {
            current = Some((kind, heading.level, heading.start, heading.end));
        }
    }
    close_probe(probe.take(), body.len(), &mut probes);
    close(current.take(), body.len(), &mut sections);
    (sections, probes)
}

struct Heading {
    level: u8,
    text: String,
    /// Byte offset of the heading's first character.
    start: usize,
    /// Byte offset just past the heading.
    end: usize,
}

fn headings(body: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut open: Option<Heading> = None;
    for (event, range) in
        Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
            .into_offset_iter()
    {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some(Heading {
                    level: heading_level(level),
                    text: String::new(),
                    start: range.start,
                    end: range.end,
                });
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = open.as_mut() {
                    heading.text.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Byte offset -> 1-based line in the file.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts, first_line }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1 + self.first_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(text: &str) -> Story {
        parse(Path::new("s.md"), text).unwrap()
    }

    const FRONT: &str = "---\nid: s\ntitle: S\n---\n";

    #[test]
    fn star_headings_at_level_2_or_3_in_any_case_and_results_are_found_with_their_lines() {
        let s = story(&format!(
            "{FRONT}\n## SITUATION\n\nWhere.\n\n### task\n\nWhat.\n\n## Action:\n\n- I did.\n\n## Results\n\n30 min.\n"
        ));
        let found: Vec<(SectionKind, usize, &str)> = s
            .sections
            .iter()
            .map(|sec| (sec.kind, sec.line, sec.text.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (SectionKind::Situation, 6, "Where."),
                (SectionKind::Task, 10, "What."),
                (SectionKind::Action, 14, "- I did."),
                (SectionKind::Result, 18, "30 min."),
            ]
        );
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn follow_up_questions_are_the_headings_below_follow_ups() {
        let s = story(&format!(
            "{FRONT}## Result\n\nDone.\n\n## Follow-ups\n\n### Why that design?\n\nBecause.\n\nReally.\n\n### What next?\n\nScale.\n\n## Lessons\n\nProfile.\n"
        ));
        let follow_ups: Vec<(&str, &str, usize)> = s
            .probes
            .iter()
            .map(|f| (f.question.as_str(), f.answer.as_str(), f.line))
            .collect();
        assert_eq!(
            follow_ups,
            [
                ("Why that design?", "Because.\n\nReally.", 11),
                ("What next?", "Scale.", 17)
            ]
        );
        assert_eq!(s.section(SectionKind::Lessons).unwrap().text, "Profile.");
        assert_eq!(s.section(SectionKind::Result).unwrap().text, "Done.");
    }

    #[test]
    fn a_level_1_heading_or_unknown_level_2_heading_ends_a_section() {
        let s = story(&format!(
            "{FRONT}## Task\n\nWhat.\n\n## Appendix\n\nNot part of it.\n"
        ));
        assert_eq!(s.section(SectionKind::Task).unwrap().text, "What.");
    }

    #[test]
    fn headings_inside_code_blocks_are_not_sections() {
        let s = story(&format!("{FRONT}## Action\n\n```\n## Result\n```\n"));
        assert!(s.section(SectionKind::Result).is_none());
        assert_eq!(
            s.section(SectionKind::Action).unwrap().text,
            "```\n## Result\n```"
        );
    }

    #[test]
    fn crlf_files_and_a_byte_order_mark_parse_the_same() {
        let text = format!("\u{feff}{FRONT}\n## Situation\n\nWhere.\n").replace('\n', "\r\n");
        let s = story(&text);
        assert_eq!(s.meta.id, "s");
        assert_eq!(s.section(SectionKind::Situation).unwrap().line, 6);
        assert_eq!(s.section(SectionKind::Situation).unwrap().text, "Where.");
    }

    #[test]
    fn front_matter_errors_carry_the_file_line() {
        let error = parse(Path::new("s.md"), "---\nid: s\ntitle: S\ntags: [a\n---\n").unwrap_err();
        assert_eq!(error.line, 4, "{error}");
        assert!(error.message.contains("unclosed bracket"), "{error}");
        let error = parse(Path::new("s.md"), "---\nid: s\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "s.md:1: front matter is never closed: add a line `---` after the YAML"
        );
        let error = parse(Path::new("s.md"), "---\nid: s\n---\n").unwrap_err();
        assert!(error.message.contains("title"), "{error}");
    }

    #[test]
    fn key_lines_point_into_the_file() {
        let s = story("---\nid: s\ntitle: S\ndemo: x\n---\n");
        assert_eq!(s.meta_line("demo"), 4);
        assert_eq!(s.meta_line("id"), 2);
        assert_eq!(s.meta_line("tags"), 1, "absent keys point at the top");
    }

    #[test]
    fn probes_are_answered_or_open_and_follow_ups_is_the_same_section() {
        let s = story(&format!(
            "{FRONT}## Probes\n\n### How big were the records?\n\n<!-- the notes do not say -->\n\n### Why regex?\n\nOnly 20 of 85 tags were used.\n\n### Who objected?\n"
        ));
        let probes: Vec<(&str, bool, usize)> = s
            .probes()
            .iter()
            .map(|p| (p.question.as_str(), p.is_open(), p.line))
            .collect();
        assert_eq!(
            probes,
            [
                ("How big were the records?", true, 7),
                ("Why regex?", false, 11),
                ("Who objected?", true, 15)
            ]
        );
        assert_eq!(s.open_probes().count(), 2);
        let answered: Vec<&str> = s.answered_probes().map(|p| p.answer.as_str()).collect();
        assert_eq!(answered, ["Only 20 of 85 tags were used."]);
        let older = story(&format!("{FRONT}## Follow-ups\n\n### Why?\n\nBecause.\n"));
        assert_eq!(older.probes()[0].answer, "Because.");
    }

    #[test]
    fn html_comments_never_reach_sections_probes_or_the_body_and_lines_still_match() {
        let s = story(&format!(
            "{FRONT}<!-- private:\nnot for the export -->\n## Situation\n\nWhere <!-- secret --> it was.\n\n## Action\n\n```\n<!-- code stays -->\n```\n"
        ));
        assert!(
            !s.body.contains("private") && !s.body.contains("secret"),
            "{}",
            s.body
        );
        let situation = s.section(SectionKind::Situation).unwrap();
        assert_eq!(
            (situation.line, situation.text.as_str()),
            (7, "Where  it was.")
        );
        assert_eq!(s.section(SectionKind::Action).unwrap().line, 11);
        assert!(
            s.section(SectionKind::Action)
                .unwrap()
                .text
                .contains("<!-- code stays -->")
        );
        assert_eq!(strip_comments("a <!-- never closed\nb"), "a \n");
    }

    #[test]
    fn an_unclosed_comment_is_found_at_its_line() {
        let s = story(&format!(
            "{FRONT}## Situation\n\nWhere.\n\n<!-- a note\n\n## Result\n\n30 min.\n"
        ));
        assert_eq!(s.unclosed_comment, Some(9));
        let closed = story(&format!("{FRONT}<!-- a -->\n## Situation\n\n<!-- b\n-->\n"));
        assert_eq!(closed.unclosed_comment, None);
        // `<!-->` and `<!--->` are empty comments, as in CommonMark.
        assert_eq!(unclosed_comment("<!-->"), None);
        assert_eq!(unclosed_comment("<!--->"), None);
        assert_eq!(unclosed_comment("a <!-- b -- c"), Some(2));
        assert_eq!(unclosed_comment("`<!--` in code\n"), None);
    }
}
