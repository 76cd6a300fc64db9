//! Notes kept as reStructuredText (a Sphinx or docs repository's `.rst` page) turned into text
//! lines before the stories are looked for: section titles (underlined, or over- and
//! underlined, with any punctuation character: `===`, `---`, `~~~`, `^^^` ...) become Markdown
//! headings, a level per adornment style in the order the page first uses it, as
//! reStructuredText itself ranks them; field lists (`:Situation: text`) become label lines
//! (`Situation: text`); directives' markup (`.. contents::`, `.. note::`, their options) and
//! comments are dropped, an admonition's text kept; indented blocks are un-indented (in
//! Markdown four spaces would make them code); a transition (a line of `----` alone) is a rule.

use std::path::Path;

/// Directives whose indented content is text a reader sees.
const ADMONITIONS: [&str; 12] = [
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "admonition",
    "seealso",
    "topic",
];

/// True when the file is reStructuredText: by its extension, or by a directive line
/// (`.. name::`) in a file that also has an underlined title.
pub fn is_rst(path: &Path, text: &str) -> bool {
    let by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("rst") || e.eq_ignore_ascii_case("rest"));
    let lines: Vec<&str> = text.lines().collect();
    let directive = lines.iter().any(|line| directive(line).is_some());
    let titled = (0..lines.len()).any(|i| title_at(&lines, i).is_some());
    by_name || (directive && titled)
}

/// A line of one punctuation character repeated, at least three long: its character.
fn adornment(line: &str) -> Option<char> {
    let line = line.trim_end();
    let first = line.chars().next()?;
    (line.chars().count() >= 3 && first.is_ascii_punctuation() && line.chars().all(|c| c == first))
        .then_some(first)
}

/// A title at line `i`: its adornment style (character, overlined), its text and how many
/// lines it takes.
fn title_at<'a>(lines: &[&'a str], i: usize) -> Option<((char, bool), &'a str, usize)> {
    let text_line = |line: &'a str| {
        let text = line.trim();
        (!text.is_empty() && adornment(line).is_none() && !line.starts_with([' ', '\t']))
            .then_some(text)
    };
    if let Some(over) = adornment(lines[i])
        && let Some(text) = lines.get(i + 1).and_then(|l| text_line(l))
        && lines.get(i + 2).and_then(|l| adornment(l)) == Some(over)
    {
        return Some(((over, true), text, 3));
    }
    let text = text_line(lines[i])?;
    let under = lines.get(i + 1).and_then(|l| adornment(l))?;
    let previous_blank = i == 0 || lines[i - 1].trim().is_empty();
    previous_blank.then_some(((under, false), text, 2))
}

/// A directive (`.. note::`, `.. code-block:: python`): its name.
fn directive(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(".. ")?;
    let (name, _) = rest.split_once("::")?;
    let name = name.trim();
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some(name)
}

/// A field list item (`:Situation: text`): the field's name and its text.
fn field(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix(':')?;
    let (name, text) = rest.split_once(':')?;
    let named = !name.is_empty() && !name.starts_with(' ') && !name.ends_with(' ');
    (named && (text.is_empty() || text.starts_with([' ', '\t']))).then_some((name, text.trim()))
}

/// The page as lines the importer reads.
pub fn to_text(rst: &str) -> String {
    let lines: Vec<&str> = rst.lines().collect();
    let mut styles: Vec<(char, bool)> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    // Inside a directive or comment: its indented block is dropped unless it is an admonition.
    let mut dropping = false;
    while i < lines.len() {
        let line = lines[i];
        let indented = line.starts_with([' ', '\t']);
        if indented && dropping {
            i += 1;
            continue;
        }
        if !line.trim().is_empty() {
            dropping = false;
        }
        if let Some(name) = directive(line) {
            dropping = !ADMONITIONS.contains(&name.to_ascii_lowercase().as_str());
            // An admonition's options (`:class: x`) are markup too.
            while lines.get(i + 1).is_some_and(|l| field(l).is_some()) {
                i += 1;
            }
            i += 1;
            continue;
        }
        if line.trim() == ".." || line.starts_with(".. ") {
            // A comment, a link target or a substitution: markup.
            dropping = true;
            i += 1;
            continue;
        }
        if let Some((style, text, taken)) = title_at(&lines, i) {
            let level = match styles.iter().position(|s| *s == style) {
                Some(known) => known + 1,
                None => {
                    styles.push(style);
                    styles.len()
                }
            };
            out.push(format!("{} {text}", "#".repeat(level.min(6))));
            i += taken;
            continue;
        }
        if adornment(line).is_some() && line.trim().len() >= 4 {
            out.push("---".to_owned());
        } else if let Some((name, text)) = field(line) {
            out.push(format!("{name}: {text}").trim_end().to_owned());
        } else {
            out.push(line.trim().to_owned());
        }
        i += 1;
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_rank_by_first_use_and_fields_become_labels() {
        let rst = "#####\nPage\n#####\n\nFirst story\n~~~~~~~~~~~\n\n:Task: Ship it\n   \
                   by Friday.\n:Result:\n\nSub part\n^^^^^^^^\n\nSecond story\n~~~~~~~~~~~~\n";
        assert_eq!(
            to_text(rst),
            "# Page\n\n## First story\n\nTask: Ship it\nby Friday.\nResult:\n\n### Sub part\n\n\
             ## Second story\n"
        );
    }

    #[test]
    fn directives_and_comments_are_dropped_admonitions_kept() {
        let rst = ".. contents::\n   :depth: 2\n\n.. a comment\n   still the comment\n\n\
                   .. warning::\n   :class: red\n\n   Mind the gap.\n\ntext\n\n------\n\nmore\n";
        assert_eq!(to_text(rst), "\n\n\nMind the gap.\n\ntext\n\n---\n\nmore\n");
    }

    #[test]
    fn rst_is_told_by_name_or_by_a_directive_and_a_title() {
        assert!(is_rst(Path::new("a.rst"), "x"));
        assert!(is_rst(
            Path::new("a.txt"),
            "Title\n=====\n\n.. note::\n\n   x\n"
        ));
        assert!(!is_rst(Path::new("a.md"), "Title\n=====\n\ntext\n"));
    }
}
