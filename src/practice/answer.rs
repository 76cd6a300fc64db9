//! What a drill reveals: the full answer, every sentence and every number.
//!
//! A question card's stored answer ([`crate::srs::Card::answer`]) is an outline: the opening
//! line and each STAR section's first sentence, which is what its content hash (and so "edited
//! since your last review") follows. Revealing only that dropped whole sentences and their
//! numbers ("took around 3 hours every day"), so the drill shows the story's sections in full
//! instead. Follow-up and numbers cards already hold their whole answer.

use crate::srs::{AnswerPart, Card, CardKind};
use crate::story::{SectionKind, Story, StoryKind};

/// The parts to reveal for `card`, given the story it comes from (if still loaded).
pub fn full_answer(card: &Card, story: Option<&Story>) -> Vec<AnswerPart> {
    let Some(story) =
        story.filter(|s| card.kind == CardKind::Question && s.id() == card.id.story_id)
    else {
        return card.answer.clone();
    };
    let sections: &[SectionKind] = match story.meta.kind {
        StoryKind::Story => &SectionKind::STAR,
        StoryKind::Motivation => &[SectionKind::Answer],
    };
    let mut parts = vec![AnswerPart {
        label: "Story".to_owned(),
        text: story.meta.title.clone(),
    }];
    for kind in sections {
        if let Some(section) = story.section(*kind) {
            let text = without_comments(&section.text);
            if !text.trim().is_empty() {
                parts.push(AnswerPart {
                    label: kind.title().to_owned(),
                    text: text.trim().to_owned(),
                });
            }
        }
    }
    if parts.len() == 1 {
        return card.answer.clone();
    }
    parts
}

/// Whether `card` is told as STAR (a question about a story, not a motivation answer): the
/// drill's pacing bar applies.
pub fn is_star(card: &Card, story: Option<&Story>) -> bool {
    card.kind == CardKind::Question
        && story.is_some_and(|s| s.meta.kind == StoryKind::Story && s.id() == card.id.story_id)
}

/// `text` without HTML comments (private notes stay in the file).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const STORY: &str = "---
id: refresh
title: Daily refresh
questions:
  - Tell me about a slow job.
---

## Situation

The refresh took around 3 hours every day. Analysts waited for it.

## Task

- Make it fast. It had to finish by 7am.
- Keep the numbers right.

## Action

I profiled it. <!-- private: ask Sam -->Then I rewrote the join.

## Result

It runs in 18 minutes.
";

    #[test]
    fn the_full_answer_keeps_every_sentence_and_number_and_no_comment() {
        let story = crate::story::parse(Path::new("s.md"), STORY).unwrap();
        let card = crate::srs::card::cards_of(&story).remove(0);
        // The outline drops the second sentences; the full answer keeps them.
        let outline: String = card.answer.iter().map(|p| p.text.as_str()).collect();
        assert!(!outline.contains("Analysts waited"), "{outline}");
        let parts = full_answer(&card, Some(&story));
        let labels: Vec<&str> = parts.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["Story", "Situation", "Task", "Action", "Result"]);
        let all: String = parts.iter().map(|p| format!("{}\n", p.text)).collect();
        for sentence in [
            "took around 3 hours every day",
            "Analysts waited for it.",
            "It had to finish by 7am.",
            "Keep the numbers right.",
            "Then I rewrote the join.",
            "18 minutes",
        ] {
            assert!(all.contains(sentence), "{sentence} missing from {all}");
        }
        assert!(!all.contains("private"), "{all}");
        assert!(is_star(&card, Some(&story)));
        // Without its story (deleted on disk), the stored outline is still shown.
        assert_eq!(full_answer(&card, None), card.answer);
    }
}
