//! A new draft's skeleton for one competency (`rehearse new --competency K`): the bank's
//! questions for it, the STAR headings, and recall prompts as HTML comments (which never leave
//! the file). It never writes story content: every sentence of a story is the user's own.

use super::question_bank::QuestionBank;
use super::write::{WriteError, story_text};
use super::{FrontMatter, SectionKind, StoryKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaffoldError {
    #[error("unknown competency `{key}`; known: {known}")]
    UnknownCompetency { key: String, known: String },
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The whole file of a new draft for competency `key`, its front matter written by the one
/// story writer.
pub fn draft(
    id: &str,
    title: &str,
    key: &str,
    bank: &QuestionBank,
) -> Result<String, ScaffoldError> {
    let competency = bank
        .get(key)
        .ok_or_else(|| ScaffoldError::UnknownCompetency {
            key: key.to_owned(),
            known: bank.keys().collect::<Vec<_>>().join(", "),
        })?;
    let meta = FrontMatter {
        id: id.to_owned(),
        title: title.to_owned(),
        kind: StoryKind::Story,
        draft: true,
        tags: vec![],
        competencies: vec![competency.key.clone()],
        questions: competency.questions.clone(),
        demo: None,
        metrics: vec![],
        source: None,
    };
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "A draft for \"{}\". Answer the prompts from memory and write only what happened; \
         where you do not know, leave it for later. Remove `draft: true` once every section \
         is written.",
        competency.name
    )));
    for kind in SectionKind::STAR {
        out.push_str(&format!("\n## {}\n\n", kind.title()));
        let prompts = competency.prompts.for_section(kind);
        if !prompts.is_empty() {
            out.push_str(&comment(&prompts.join(" ")));
        }
    }
    out.push_str("\n## Probes\n\n");
    out.push_str(&comment(
        "Questions an interviewer would ask next, each under a ### heading. A question with \
         no answer beneath it is open: lint lists it until you answer it.",
    ));
    if competency.ladder {
        for question in &bank.ladder {
            out.push_str(&format!("\n### {question}\n"));
        }
    }
    Ok(story_text(&meta, &out)?)
}

/// An HTML comment that cannot be closed early by its own text.
fn comment(text: &str) -> String {
    format!("<!-- {} -->\n", text.replace("-->", "- ->"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{Story, parse};
    use std::path::Path;

    fn scaffold(key: &str) -> (String, Story) {
        let bank = QuestionBank::bundled();
        let text = draft("my-story", "My \"story\": a title", key, &bank).unwrap();
        let story = parse(Path::new("my-story.md"), &text).unwrap();
        (text, story)
    }

    #[test]
    fn a_conflict_draft_has_the_bank_questions_and_its_prompts_only_as_comments() {
        let (text, story) = scaffold("conflict");
        let bank = QuestionBank::bundled();
        let conflict = bank.get("conflict").unwrap();
        assert!(story.meta.draft);
        assert_eq!(story.meta.title, "My \"story\": a title");
        assert_eq!(story.meta.competencies, ["conflict"]);
        assert_eq!(story.meta.questions, conflict.questions);
        // The prompts are in the file...
        for prompt in conflict.prompts.for_section(SectionKind::Result) {
            assert!(text.contains(prompt.as_str()), "{prompt}");
        }
        assert!(text.contains("Who disagreed"));
        // ...but no section has any text: nothing was written for the user.
        for kind in SectionKind::STAR {
            assert_eq!(story.section(kind).unwrap().text, "", "{kind:?}");
        }
        assert_eq!(story.spoken_words(), 0);
        assert!(
            story.probes().is_empty(),
            "conflict gets no technical ladder"
        );
    }

    #[test]
    fn a_technical_competency_gets_the_ladder_as_open_probes() {
        let (_, story) = scaffold("performance-and-scale");
        let bank = QuestionBank::bundled();
        let questions: Vec<&str> = story.open_probes().map(|p| p.question.as_str()).collect();
        assert_eq!(questions, bank.ladder);
        assert_eq!(story.answered_probes().count(), 0);
    }

    #[test]
    fn an_unknown_competency_names_the_known_ones() {
        let error = draft("x", "X", "juggling", &QuestionBank::bundled()).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("unknown competency `juggling`; known: "),
            "{message}"
        );
        assert!(message.contains("ownership"), "{message}");
    }
}
