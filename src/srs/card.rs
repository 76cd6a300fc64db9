//! Review cards, derived from the stories and never written twice.
//!
//! A card's identity is its story id plus a stable key (the slug of its question). The content
//! hash only says whether the card changed since it was last reviewed; it never resets progress.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::SrsError;
use crate::story::{SectionKind, Story, StoryKind};

/// Story id + card key: what review history hangs on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CardId {
    pub story_id: String,
    pub key: String,
}

impl CardId {
    pub fn new(story_id: impl Into<String>, key: impl Into<String>) -> CardId {
        CardId {
            story_id: story_id.into(),
            key: key.into(),
        }
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.story_id, self.key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    /// An interview question from the story's `questions`: answer with the whole story.
    Question,
    /// An answered probe: a question under `## Probes` (or its older name `## Follow-ups`).
    /// Open probes are never cards: there is nothing yet to recall.
    FollowUp,
    /// The story's key numbers: before, after, and the claim.
    Numbers,
    /// Which story answers a bank question: made by a mock the first time it asks that
    /// question (see `mock::pick_card`), kept in the mock's table, not a story's card.
    Pick,
}

impl CardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Question => "question",
            CardKind::FollowUp => "follow_up",
            CardKind::Numbers => "numbers",
            CardKind::Pick => "pick",
        }
    }

    pub fn parse(text: &str) -> Option<CardKind> {
        Some(match text {
            "question" => CardKind::Question,
            "follow_up" => CardKind::FollowUp,
            "numbers" => CardKind::Numbers,
            "pick" => CardKind::Pick,
            _ => return None,
        })
    }
}

/// One labelled piece of an answer; the TUI reveals them one at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerPart {
    pub label: String,
    pub text: String,
}

/// A card as the stories define it today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: CardId,
    pub kind: CardKind,
    pub prompt: String,
    pub answer: Vec<AnswerPart>,
    /// Hex hash of kind, prompt and answer: differs from the stored one when the card was edited.
    pub content_hash: String,
}

/// A story as the deck knows it: enough to filter and label cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckStory {
    pub id: String,
    pub title: String,
    pub tags: Vec<String>,
    pub draft: bool,
    /// The file it was loaded from (None for decks built in memory): lets the store tell a
    /// story whose id changed, or that lives in another story folder, from a deleted one.
    pub file: Option<std::path::PathBuf>,
}

/// Every card of a set of stories, and which stories they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deck {
    /// Cards of the stories that are not drafts, in story order. Shared, so a drill queue
    /// holds them without copying.
    pub cards: Vec<Arc<Card>>,
    /// Every loaded story, drafts included.
    pub stories: Vec<DeckStory>,
    /// False when some story files failed to load: a story missing from `stories` may then
    /// only be unreadable, so its cards must not be taken for deleted.
    pub complete: bool,
}

impl Deck {
    /// Derives the cards of `stories`. `complete` is false when some files could not be read.
    pub fn from_stories(stories: &[Story], complete: bool) -> Deck {
        let mut deck = Deck {
            complete,
            ..Deck::default()
        };
        for story in stories {
            deck.stories.push(DeckStory {
                id: story.id().to_owned(),
                title: story.meta.title.clone(),
                tags: story.meta.tags.clone(),
                draft: story.meta.draft,
                file: Some(story.path.clone()),
            });
            if !story.meta.draft {
                deck.cards.extend(cards_of(story).into_iter().map(Arc::new));
            }
        }
        deck
    }

    pub fn story(&self, id: &str) -> Option<&DeckStory> {
        self.stories.iter().find(|s| s.id == id)
    }

    pub fn card(&self, id: &CardId) -> Option<&Arc<Card>> {
        self.cards.iter().find(|c| &c.id == id)
    }

    /// Checks a scope against the stories: a story id (or a unique prefix of one) must name
    /// a story that is not a draft; a tag must be on some story. Returns the scope with the
    /// full story id.
    pub fn resolve(&self, scope: Scope) -> Result<Scope, SrsError> {
        match scope {
            Scope::All => Ok(Scope::All),
            Scope::Story(id) => {
                let exact = self.stories.iter().find(|s| s.id == id);
                let matches: Vec<&DeckStory> = match exact {
                    Some(story) => vec![story],
                    None => self
                        .stories
                        .iter()
                        .filter(|s| s.id.starts_with(&id))
                        .collect(),
                };
                match matches.as_slice() {
                    [story] if story.draft => Err(SrsError::DraftStory(story.id.clone())),
                    [story] => Ok(Scope::Story(story.id.clone())),
                    [] => Err(SrsError::UnknownStory(id)),
                    many => Err(SrsError::AmbiguousStory {
                        prefix: id,
                        matches: many.iter().map(|s| s.id.clone()).collect(),
                    }),
                }
            }
            Scope::Tag(tag) => {
                if self.stories.iter().any(|s| s.tags.contains(&tag)) {
                    Ok(Scope::Tag(tag))
                } else {
                    Err(SrsError::UnknownTag(tag))
                }
            }
        }
    }

    /// Whether the card belongs to the scope.
    pub fn in_scope(&self, id: &CardId, scope: &Scope) -> bool {
        match scope {
            Scope::All => true,
            Scope::Story(story) => id.story_id == *story,
            Scope::Tag(tag) => self
                .story(&id.story_id)
                .is_some_and(|s| s.tags.contains(tag)),
        }
    }

    /// The ids of the stories in `scope`, for checking many cards at once.
    pub fn stories_in_scope(&self, scope: &Scope) -> HashSet<&str> {
        self.stories
            .iter()
            .filter(|s| match scope {
                Scope::All => true,
                Scope::Story(id) => s.id == *id,
                Scope::Tag(tag) => s.tags.contains(tag),
            })
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The ids of the cards drilled (not those of drafts).
    pub fn card_ids(&self) -> HashSet<&CardId> {
        self.cards.iter().map(|c| &c.id).collect()
    }
}

/// What a drill covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Story(String),
    Tag(String),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::All => f.write_str("all"),
            Scope::Story(id) => write!(f, "story:{id}"),
            Scope::Tag(tag) => write!(f, "tag:{tag}"),
        }
    }
}

/// The cards of one story, in order: its questions, its answered probes, then its numbers.
pub fn cards_of(story: &Story) -> Vec<Card> {
    let mut keys = HashSet::new();
    let mut unique_key = |prefix: &str, text: &str| {
        let base = format!("{prefix}{}", card_slug(text));
        let mut key = base.clone();
        let mut n = 2;
        while !keys.insert(key.clone()) {
            key = format!("{base}-{n}");
            n += 1;
        }
        key
    };
    let id = story.id();
    let mut cards = Vec::new();

    let story_answer = story_answer(story);
    for question in &story.meta.questions {
        cards.push(Card::new(
            CardId::new(id, unique_key("q-", question)),
            CardKind::Question,
            question.trim().to_owned(),
            story_answer.clone(),
        ));
    }
    // The `f-` key predates probes: a follow-up moved under `## Probes` keeps its history.
    for follow_up in story.answered_probes() {
        cards.push(Card::new(
            CardId::new(id, unique_key("f-", &follow_up.question)),
            CardKind::FollowUp,
            follow_up.question.trim().to_owned(),
            vec![
                part("Story", &story.meta.title),
                part("Answer", follow_up.answer.trim()),
            ],
        ));
    }
    if !story.meta.metrics.is_empty() {
        let mut answer = vec![part("Story", &story.meta.title)];
        for metric in &story.meta.metrics {
            let mut text = Vec::new();
            if let Some(before) = &metric.before {
                text.push(format!("before {before}"));
            }
            if let Some(after) = &metric.after {
                text.push(format!("after {after}"));
            }
            if let Some(claim) = &metric.claim {
                text.push(format!("claim: {claim}"));
            }
            if let Some(note) = &metric.note {
                text.push(format!("note: {}", note.trim()));
            }
            answer.push(part(&metric.name, &text.join("; ")));
        }
        cards.push(Card::new(
            CardId::new(id, "numbers"),
            CardKind::Numbers,
            format!(
                "The numbers of \"{}\": before, after, claim?",
                story.meta.title
            ),
            answer,
        ));
    }
    cards
}

/// Which story, its opening line, and the outline: one line per STAR section (or the answer of
/// a motivation story).
fn story_answer(story: &Story) -> Vec<AnswerPart> {
    let mut parts = vec![part("Story", &story.meta.title)];
    let sections: &[SectionKind] = match story.meta.kind {
        StoryKind::Story => &SectionKind::STAR,
        StoryKind::Motivation => &[SectionKind::Answer],
    };
    let opening = sections
        .iter()
        .filter_map(|kind| story.section(*kind))
        .find_map(|section| first_sentence(&section.text));
    for kind in sections {
        if let Some(section) = story.section(*kind) {
            let text = match story.meta.kind {
                StoryKind::Story => outline(&section.text),
                StoryKind::Motivation => section.text.trim().to_owned(),
            };
            if !text.is_empty() {
                parts.push(part(kind.title(), &text));
            }
        }
    }
    // The opening line comes right after the story, unless the outline starts with it anyway.
    if let Some(opening) = opening
        && parts.get(1).is_none_or(|p| p.text != opening)
    {
        parts.insert(1, part("Opening", &opening));
    }
    parts
}

fn part(label: &str, text: &str) -> AnswerPart {
    AnswerPart {
        label: label.to_owned(),
        text: text.to_owned(),
    }
}

/// The first sentence of a section's first line of prose (list markers removed).
fn first_sentence(markdown: &str) -> Option<String> {
    let paragraph = markdown
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| strip_marker(l.trim()))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|p| !p.trim().is_empty())?;
    let end = paragraph
        .match_indices(['.', '!', '?'])
        .map(|(i, _)| i + 1)
        .find(|&i| paragraph[i..].starts_with(' ') || i == paragraph.len())
        .unwrap_or(paragraph.len());
    Some(paragraph[..end].trim().to_owned())
}

/// One line per top-level bullet (its first sentence, wrapped lines joined), or the first
/// sentence of prose.
fn outline(markdown: &str) -> String {
    let mut bullets: Vec<String> = Vec::new();
    let mut in_bullet = false;
    for line in markdown.lines() {
        let top_level = !line.starts_with(' ') && !line.starts_with('\t');
        if top_level && is_bullet(line) {
            bullets.push(strip_marker(line).trim().to_owned());
            in_bullet = true;
        } else if in_bullet
            && !line.trim().is_empty()
            && !is_bullet(line.trim_start())
            && !top_level
        {
            let last = bullets.last_mut().expect("in a bullet");
            last.push(' ');
            last.push_str(line.trim());
        } else {
            in_bullet = false;
        }
    }
    if bullets.len() > 1 {
        bullets
            .iter()
            .filter_map(|b| first_sentence(b))
            .map(|b| format!("- {b}"))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        first_sentence(markdown).unwrap_or_default()
    }
}

fn is_bullet(line: &str) -> bool {
    strip_marker(line).len() < line.len()
}

fn strip_marker(line: &str) -> &str {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return rest;
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = line[digits..].strip_prefix(". ")
    {
        return rest;
    }
    line
}

impl Card {
    pub fn new(id: CardId, kind: CardKind, prompt: String, answer: Vec<AnswerPart>) -> Card {
        let mut hash = Fnv::new();
        hash.write(kind.as_str());
        hash.write(&prompt);
        for part in &answer {
            hash.write(&part.label);
            hash.write(&part.text);
        }
        Card {
            id,
            kind,
            prompt,
            answer,
            content_hash: format!("{:016x}", hash.0),
        }
    }
}

/// FNV-1a, 64 bit: stable across Rust versions and platforms, unlike `DefaultHasher`.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, text: &str) {
        // A separator byte so ("ab", "c") and ("a", "bc") differ.
        for byte in text.bytes().chain([0xff]) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A card key from question text: lower-case letters and digits (any script, unlike story ids)
/// joined by `-`, at most 80 characters: `Tell me about...` -> `tell-me-about`. Review history is
/// keyed on it, so its output must never change; story ids have their own rule.
pub fn card_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.chars().count() >= 80 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "card".to_owned()
    } else {
        slug.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn story(text: &str) -> Story {
        crate::story::parse(Path::new("s.md"), text).unwrap()
    }

    const STORY: &str = "---
id: faster
title: Made it faster
questions:
  - Tell me about a system you made faster.
  - Tell me about a system you made faster!
metrics:
  - name: wall time
    before: 3 h
    after: 30 min
    claim: 6x faster
---

## Situation

A refresh took 3 hours. Nobody liked it.

## Task

Make it faster.

## Action

- Mapped the dependencies. Then more.
- Ran independent jobs
  at once, all of them.
  - a nested detail.

## Result

30 minutes.

## Follow-ups

### What stack?

Python and asyncio.
";

    #[test]
    fn questions_follow_ups_and_numbers_become_cards_with_stable_keys() {
        let cards = cards_of(&story(STORY));
        let keys: Vec<_> = cards.iter().map(|c| c.id.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "q-tell-me-about-a-system-you-made-faster",
                "q-tell-me-about-a-system-you-made-faster-2",
                "f-what-stack",
                "numbers"
            ]
        );
        let question = &cards[0];
        assert_eq!(question.kind, CardKind::Question);
        let labels: Vec<_> = question.answer.iter().map(|p| p.label.as_str()).collect();
        // The Situation's outline is its opening line, so it is not repeated.
        assert_eq!(labels, ["Story", "Situation", "Task", "Action", "Result"]);
        assert_eq!(question.answer[1].text, "A refresh took 3 hours.");
        assert_eq!(
            question.answer[3].text,
            "- Mapped the dependencies.\n- Ran independent jobs at once, all of them."
        );
        assert_eq!(cards[2].answer[1].text, "Python and asyncio.");
        assert_eq!(
            cards[3].answer[1].text,
            "before 3 h; after 30 min; claim: 6x faster"
        );
    }

    #[test]
    fn editing_the_answer_changes_the_hash_but_not_the_key() {
        let before = cards_of(&story(STORY));
        let after = cards_of(&story(&STORY.replace("30 minutes.", "About 30 minutes.")));
        assert_eq!(before[0].id, after[0].id);
        assert_ne!(before[0].content_hash, after[0].content_hash);
        // The follow-up does not show the Result, so it is unchanged.
        assert_eq!(before[2].content_hash, after[2].content_hash);
    }

    #[test]
    fn drafts_are_known_but_not_drilled() {
        let draft = story(&STORY.replace("title:", "draft: true\ntitle:"));
        let deck = Deck::from_stories(&[draft], true);
        assert!(deck.cards.is_empty());
        assert!(deck.stories[0].draft);
    }

    #[test]
    fn slugs() {
        assert_eq!(
            card_slug("  What's your *biggest* failure?? "),
            "what-s-your-biggest-failure"
        );
        assert_eq!(card_slug("???"), "card");
        assert_eq!(card_slug(&"a ".repeat(100)).chars().count(), 79);
    }

    #[test]
    fn answered_probes_are_cards_with_the_follow_up_key_and_open_ones_are_not() {
        let text = STORY.replace(
            "## Follow-ups\n\n### What stack?\n\nPython and asyncio.\n",
            "## Probes\n\n### What stack?\n\nPython and asyncio.\n\n### How many jobs?\n\n<!-- ask the team -->\n",
        );
        assert!(text.contains("## Probes"));
        let cards = cards_of(&story(&text));
        let follow_ups: Vec<_> = cards
            .iter()
            .filter(|c| c.kind == CardKind::FollowUp)
            .map(|c| c.id.key.as_str())
            .collect();
        assert_eq!(
            follow_ups,
            ["f-what-stack"],
            "the same key as under Follow-ups"
        );
    }
}
