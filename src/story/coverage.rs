//! The coverage matrix: which stories answer which competencies of the question bank.
//!
//! A story's primary competency is the first its front matter lists; the others are secondary.
//! Drafts are marked but not counted. A competency with no finished story is a gap; with one,
//! it is thin (one story cannot answer two questions on it in one loop). The export and the
//! TUI's stats screen render the same [`Coverage`].

use super::Story;
use super::question_bank::QuestionBank;

/// How one story answers one competency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    None,
    /// The first competency the story lists.
    Primary {
        draft: bool,
    },
    /// Listed, but not first.
    Secondary {
        draft: bool,
    },
}

impl Mark {
    pub fn of(story: &Story, key: &str) -> Mark {
        let draft = story.meta.draft;
        match story.meta.competencies.iter().position(|c| c == key) {
            None => Mark::None,
            Some(0) => Mark::Primary { draft },
            Some(_) => Mark::Secondary { draft },
        }
    }

    /// One character for a matrix cell: ● primary, ○ secondary, ✎ a draft's.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::None => "",
            Mark::Primary { draft: false } => "●",
            Mark::Secondary { draft: false } => "○",
            Mark::Primary { draft: true } | Mark::Secondary { draft: true } => "✎",
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Mark::Primary { draft: false } | Mark::Secondary { draft: false }
        )
    }
}

/// What needs attention about one competency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// No finished story answers it.
    Gap,
    /// Exactly one finished story answers it.
    Thin,
}

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub key: &'a str,
    pub name: &'a str,
    /// One mark per story, in the order the stories were given.
    pub marks: Vec<Mark>,
    /// Finished stories with it as their primary competency.
    pub primary: usize,
    /// Finished stories answering it at all.
    pub finished: usize,
    /// Ids of drafts that answer it.
    pub drafts: Vec<&'a str>,
}

impl Row<'_> {
    pub fn flag(&self) -> Option<Flag> {
        match self.finished {
            0 => Some(Flag::Gap),
            1 => Some(Flag::Thin),
            _ => None,
        }
    }
}

/// The whole matrix: one row per competency of the bank, in the bank's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage<'a> {
    /// Story ids, the matrix's columns.
    pub stories: Vec<&'a str>,
    pub rows: Vec<Row<'a>>,
}

pub fn coverage<'a>(bank: &'a QuestionBank, stories: &[&'a Story]) -> Coverage<'a> {
    let rows = bank
        .competencies
        .iter()
        .map(|competency| {
            let marks: Vec<Mark> = stories
                .iter()
                .map(|s| Mark::of(s, &competency.key))
                .collect();
            Row {
                key: &competency.key,
                name: &competency.name,
                primary: marks
                    .iter()
                    .filter(|m| **m == Mark::Primary { draft: false })
                    .count(),
                finished: marks.iter().filter(|m| m.is_finished()).count(),
                drafts: stories
                    .iter()
                    .zip(&marks)
                    .filter(|(_, m)| !m.is_finished() && **m != Mark::None)
                    .map(|(s, _)| s.id())
                    .collect(),
                marks,
            }
        })
        .collect();
    Coverage {
        stories: stories.iter().map(|s| s.id()).collect(),
        rows,
    }
}

impl Coverage<'_> {
    /// The rows with a flag: gaps and thin competencies, in the bank's order.
    pub fn flagged(&self) -> impl Iterator<Item = (&Row<'_>, Flag)> {
        self.rows
            .iter()
            .filter_map(|row| row.flag().map(|flag| (row, flag)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::parse;
    use std::path::Path;

    fn story(id: &str, competencies: &str, draft: bool) -> Story {
        let text = format!(
            "---\nid: {id}\ntitle: {id}\ndraft: {draft}\ncompetencies: [{competencies}]\n---\n"
        );
        parse(Path::new("s.md"), &text).unwrap()
    }

    #[test]
    fn primary_and_secondary_are_marked_apart_and_gaps_and_thin_rows_flagged() {
        let bank = QuestionBank::bundled();
        let stories = [
            story("a", "ownership, conflict", false),
            story("b", "conflict", false),
            story("c", "teamwork", true),
        ];
        let refs: Vec<&Story> = stories.iter().collect();
        let matrix = coverage(&bank, &refs);
        let row = |key: &str| matrix.rows.iter().find(|r| r.key == key).unwrap();

        let conflict = row("conflict");
        assert_eq!(
            conflict.marks,
            [
                Mark::Secondary { draft: false },
                Mark::Primary { draft: false },
                Mark::None
            ]
        );
        assert_eq!((conflict.primary, conflict.finished), (1, 2));
        assert_eq!(conflict.flag(), None);

        assert_eq!(row("ownership").flag(), Some(Flag::Thin));
        let teamwork = row("teamwork");
        assert_eq!(teamwork.flag(), Some(Flag::Gap), "a draft does not count");
        assert_eq!(teamwork.drafts, ["c"]);
        assert_eq!(teamwork.marks[2].symbol(), "✎");
        assert_eq!(row("leadership").flag(), Some(Flag::Gap));
        assert_eq!(matrix.flagged().count(), bank.competencies.len() - 1);
    }
}
