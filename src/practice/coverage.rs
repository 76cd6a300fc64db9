//! Coverage: which stories answer which competencies of the question bank. A draft is shown
//! but does not count: it is not ready to be told. Pure; the stats screen draws it (and the
//! prep pack's table can read the same rows).

use crate::story::Story;
use crate::story::question_bank::QuestionBank;

/// How one story stands against one competency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A finished story answers it.
    Covered,
    /// Only a draft does, which does not count yet.
    Draft,
    Not,
}

/// One competency across the stories, in story order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    pub key: String,
    pub name: String,
    pub marks: Vec<Mark>,
    /// Finished stories that answer it (0: a gap).
    pub ready: usize,
}

/// Every competency of `bank`, in bank order, against `stories`.
pub fn coverage<'a>(
    bank: &QuestionBank,
    stories: impl IntoIterator<Item = &'a Story> + Clone,
) -> Vec<CoverageRow> {
    bank.competencies
        .iter()
        .map(|competency| {
            let marks: Vec<Mark> = stories
                .clone()
                .into_iter()
                .map(
                    |s| match (s.meta.competencies.contains(&competency.key), s.meta.draft) {
                        (true, false) => Mark::Covered,
                        (true, true) => Mark::Draft,
                        (false, _) => Mark::Not,
                    },
                )
                .collect();
            CoverageRow {
                key: competency.key.clone(),
                name: competency.name.clone(),
                ready: marks.iter().filter(|m| **m == Mark::Covered).count(),
                marks,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn story(id: &str, competencies: &str, draft: bool) -> Story {
        let text = format!(
            "---\nid: {id}\ntitle: {id}\ndraft: {draft}\ncompetencies: [{competencies}]\n---\n\n## Situation\n\nS.\n"
        );
        crate::story::parse(Path::new("s.md"), &text).unwrap()
    }

    #[test]
    fn drafts_show_but_do_not_count() {
        let bank = QuestionBank::bundled();
        let first = &bank.competencies[0].key;
        let stories = [
            story("a", first, false),
            story("b", first, true),
            story("c", "", false),
        ];
        let rows = coverage(&bank, stories.iter());
        assert_eq!(rows.len(), bank.competencies.len());
        assert_eq!(rows[0].marks, [Mark::Covered, Mark::Draft, Mark::Not]);
        assert_eq!(rows[0].ready, 1);
        assert!(rows[1..].iter().all(|r| r.ready == 0));
    }
}
