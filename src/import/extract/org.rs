//! Org mode notes (Emacs): `*` headlines, `#+KEYWORD:` lines, property drawers and blocks, read
//! into the same layout pulldown-cmark gives for Markdown, so labels and parts work alike.

use super::Layout;

/// Keywords a headline may start with (org's defaults and common additions).
const TODO_KEYWORDS: [&str; 7] = [
    "TODO",
    "DONE",
    "NEXT",
    "WAITING",
    "HOLD",
    "CANCELLED",
    "CANCELED",
];

/// Headlines, blocks (as code: never labels) and `-----` rules. Keyword lines (`#+TITLE:`)
/// and drawers (`:PROPERTIES:`) stay text: they are kept, as unplaced text, like any line the
/// import cannot place.
pub(super) fn structure(body: &str) -> Layout {
    let mut layout = Layout::default();
    let mut block: Option<usize> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let range = offset..offset + line.len();
        offset += line.len();
        let text = line.trim();
        let upper = text.to_uppercase();
        if let Some(start) = block {
            if upper.starts_with("#+END_") {
                layout.code.push(start..range.end);
                block = None;
            }
            continue;
        }
        if upper.starts_with("#+BEGIN_") {
            block = Some(range.start);
        } else if text.len() >= 5 && text.chars().all(|c| c == '-') {
            layout.rules.push(range);
        } else if let Some((level, title)) = headline(line) {
            layout.headings.push((level, title, range));
        }
    }
    // An unclosed block runs to the end of the file: its lines stay text.
    layout
}

/// A headline's level and title, without its TODO keyword, priority cookie and tags.
fn headline(line: &str) -> Option<(u8, String)> {
    let stars = line.len() - line.trim_start_matches('*').len();
    let rest = line[stars..].strip_prefix([' ', '\t'])?;
    if stars == 0 {
        return None;
    }
    let mut title = rest.trim();
    if let Some((first, after)) = title.split_once(' ')
        && TODO_KEYWORDS.contains(&first)
    {
        title = after.trim_start();
    }
    if title.starts_with("[#") && title.get(3..4) == Some("]") {
        title = title[4..].trim_start();
    }
    Some((stars.min(6) as u8, without_tags(title).to_owned()))
}

/// A headline's title without the `:tag:other:` at its end.
fn without_tags(title: &str) -> &str {
    let trimmed = title.trim_end();
    if let Some(space) = trimmed.rfind([' ', '\t']) {
        let tags = &trimmed[space + 1..];
        let is_tags = tags.len() > 2
            && tags.starts_with(':')
            && tags.ends_with(':')
            && tags
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ':' | '_' | '@' | '#' | '%'));
        if is_tags {
            return trimmed[..space].trim_end();
        }
    }
    trimmed
}

/// The common indentation of a part's lines removed: org indents text under its headline,
/// and four spaces would make it code in the story's Markdown.
pub(super) fn dedented(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_lose_keywords_priorities_and_tags() {
        assert_eq!(
            headline("** TODO [#A] Cutting the deploys   :ops:reliability:\n"),
            Some((2, "Cutting the deploys".to_owned()))
        );
        assert_eq!(headline("* Situation\n"), Some((1, "Situation".to_owned())));
        assert_eq!(headline("*bold* text\n"), None);
        assert_eq!(headline("Plain line\n"), None);
    }

    #[test]
    fn a_block_holds_no_headline() {
        let body = "#+TITLE: Notes\n* Story\n  :PROPERTIES:\n  :ID: 1\n  :END:\n** Situation\n   We had.\n#+BEGIN_SRC sh\n** Task: not a heading\n#+END_SRC\n-----\n";
        let layout = structure(body);
        let titles: Vec<&str> = layout.headings.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(titles, ["Story", "Situation"]);
        assert_eq!(layout.code.len(), 1);
        assert_eq!(layout.rules.len(), 1);
    }

    #[test]
    fn dedented_keeps_relative_indentation() {
        assert_eq!(dedented("   - a\n     b\n   c"), "- a\n  b\nc");
    }
}
