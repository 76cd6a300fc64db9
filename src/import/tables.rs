//! Stories kept as Markdown tables, as pasted from a spreadsheet: a row per part
//! (`| Situation | ... |`, `| S | ... |`) or a column per part (a row per story, with optional
//! Title and Question columns). Each cell's text is a verbatim slice of the source.

use std::ops::Range;

use super::labels::{self, bare_title};
use crate::story::SectionKind;

/// A table's rows as byte ranges: the whole row and each cell. The first row is the header.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub range: Range<usize>,
    pub rows: Vec<(Range<usize>, Vec<Range<usize>>)>,
}

/// What a table holds, row by row.
#[derive(Debug, Clone, PartialEq)]
pub enum TableRow {
    /// Structure, not content (a header such as `| Part | Notes |` with its delimiter row).
    Skip(Range<usize>),
    /// One part of the open story: the cells after the part's name.
    Part {
        range: Range<usize>,
        kind: SectionKind,
        text: String,
    },
    /// A whole story on one row.
    Story {
        range: Range<usize>,
        title: Option<String>,
        questions: Vec<String>,
        parts: Vec<(SectionKind, String)>,
    },
}

/// The table's rows as stories or parts; empty when it is neither kind of STAR table.
pub fn read(body: &str, table: &Table) -> Vec<TableRow> {
    let cell = |range: &Range<usize>| {
        body[range.clone()]
            .trim()
            .trim_matches('|')
            .trim()
            .to_owned()
    };
    let Some((head, head_cells)) = table.rows.first() else {
        return Vec::new();
    };
    let names: Vec<String> = head_cells.iter().map(|c| plain(&cell(c))).collect();
    let columns: Vec<Option<SectionKind>> = names.iter().map(|n| labels::part_named(n)).collect();
    // The header row runs to the first body row: the delimiter row goes with it.
    let head_end = table.rows.get(1).map_or(table.range.end, |(r, _)| r.start);
    if columns.iter().flatten().count() >= 2 {
        let column = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
        let title = column(&["title", "story", "name"]);
        let question = column(&["question", "q", "interview question"]);
        let mut out = vec![TableRow::Skip(head.start..head_end)];
        for (range, cells) in &table.rows[1..] {
            let text = |index: Option<usize>| {
                index
                    .and_then(|i| cells.get(i))
                    .map(cell)
                    .filter(|t| !t.is_empty())
            };
            let parts: Vec<(SectionKind, String)> = columns
                .iter()
                .enumerate()
                .filter_map(|(i, kind)| Some((((*kind)?), text(Some(i))?)))
                .collect();
            if parts.is_empty() {
                continue;
            }
            let questions: Vec<String> = text(question).into_iter().collect();
            let title = text(title)
                .map(|t| bare_title(&t).to_owned())
                .or_else(|| questions.first().cloned());
            out.push(TableRow::Story {
                range: range.clone(),
                title,
                questions,
                parts,
            });
        }
        return out;
    }
    // The part's text is the row after its first cell as written, so a cell past the header's
    // count (which the table parser drops) is kept too.
    let row_part = |(row, cells): &(Range<usize>, Vec<Range<usize>>)| {
        let first = cells.first()?;
        let kind = labels::part_named(&plain(&cell(first)))?;
        let rest = body[first.end..row.end].trim_end();
        let rest = rest.trim_start_matches(['|', ' ', '\t']);
        let rest = rest.strip_suffix('|').unwrap_or(rest).trim();
        Some((kind, rest.to_owned()))
    };
    let parts: Vec<Option<(SectionKind, String)>> = table.rows.iter().map(row_part).collect();
    if parts.iter().flatten().count() < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (index, ((range, _), part)) in table.rows.iter().zip(parts).enumerate() {
        let range = if index == 0 {
            head.start..head_end
        } else {
            range.clone()
        };
        out.push(match part {
            Some((kind, text)) => TableRow::Part { range, kind, text },
            None if index == 0 => TableRow::Skip(range),
            // A row that names no part stays in the text as it is.
            None => continue,
        });
    }
    out
}

/// A header or first cell without emphasis: `**Situation**` -> `situation`.
fn plain(text: &str) -> String {
    text.trim_matches(['*', '_', ' ']).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::super::extract::find_stories;
    use crate::story::SectionKind;

    #[test]
    fn a_row_per_part_with_any_header() {
        let body = "# Story: Moving\n\n| Part | Notes |\n| --- | --- |\n| Situation | Old box. |\n| **T** | Move it. |\n| Action | Copied | and checked. |\n| Result | Done. |\n";
        let stories = find_stories(body);
        let [story] = &stories[..] else {
            panic!("{stories:#?}")
        };
        assert_eq!(story.title.as_deref(), Some("Moving"));
        let parts: Vec<(SectionKind, &str)> =
            story.parts.iter().map(|(k, t)| (*k, t.as_str())).collect();
        assert_eq!(
            parts,
            [
                (SectionKind::Situation, "Old box."),
                (SectionKind::Task, "Move it."),
                (SectionKind::Action, "Copied | and checked."),
                (SectionKind::Result, "Done.")
            ]
        );
        assert!(story.unplaced.is_empty(), "{story:#?}");
    }

    #[test]
    fn a_column_per_part_and_a_row_per_story() {
        let body = "| Title | Question | S | Task | Action | Result |\n|---|---|---|---|---|---|\n| One | Why? | a | b | c | d |\n| | How? | e | | g | h |\n";
        let stories = find_stories(body);
        let titles: Vec<Option<&str>> = stories.iter().map(|s| s.title.as_deref()).collect();
        assert_eq!(titles, [Some("One"), Some("How?")]);
        assert_eq!(stories[0].questions, ["Why?"]);
        assert_eq!(stories[1].parts.len(), 3);
        assert!(
            stories.iter().all(|s| s.unplaced.is_empty()),
            "{stories:#?}"
        );
    }

    #[test]
    fn a_table_that_is_no_star_table_stays_text() {
        let body = "## Story\n\nSituation: we had\n\n| Tool | Cost |\n| --- | --- |\n| A | 2 |\n";
        let stories = find_stories(body);
        assert!(stories[0].parts[0].1.contains("| Tool | Cost |"));
    }
}
