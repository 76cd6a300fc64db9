//! What the screens show, loaded once (and reloaded after an edit): the stories with their lint
//! status, due counts and search words; the cards and their schedules; the latest demo runs.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use crate::srs::{CardId, CardKind, CardState, Deck, is_due};
use crate::store::{DemoRun, StoredCard};
use crate::story::Story;
use crate::story::lint::{LintOptions, Severity, lint_story};
use crate::story::question_bank::QuestionBank;

/// One story as the library lists it.
#[derive(Debug, Clone)]
pub struct StoryEntry {
    pub story: Story,
    /// The title in lower case, for the search.
    pub title_lower: String,
    /// Words of tags, competencies, questions and text, lower case, sorted, unique: the
    /// search looks up query terms here by prefix.
    pub words: Vec<String>,
    /// Lint runs when the story is first shown (a thousand stories open fast).
    lint: OnceCell<Lint>,
}

/// What lint says about one story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lint {
    pub errors: usize,
    pub warnings: usize,
    /// `line N: severity: message`, in file order.
    pub findings: Vec<String>,
}

/// A stored card the screens show (schedule and prompt).
#[derive(Debug, Clone, PartialEq)]
pub struct CardInfo {
    pub id: CardId,
    pub kind: CardKind,
    pub prompt: String,
    pub state: CardState,
}

/// Everything loaded for the screens.
#[derive(Debug, Clone)]
pub struct Data {
    pub stories: Vec<StoryEntry>,
    /// Files that did not load, as `path:line: message`.
    pub load_errors: Vec<String>,
    pub deck: Deck,
    /// Live cards of the deck, in store order.
    pub cards: Vec<CardInfo>,
    pub demo_runs: BTreeMap<String, DemoRun>,
    pub tags: Vec<String>,
    pub competencies: Vec<String>,
    pub bank: QuestionBank,
    lint_options: LintOptions,
    known_demo: fn(&str) -> bool,
}

impl Data {
    pub fn new(
        stories: Vec<Story>,
        load_errors: Vec<String>,
        lint: &LintOptions,
        known_demo: fn(&str) -> bool,
    ) -> Data {
        let bank = QuestionBank::bundled();
        let complete = load_errors.is_empty();
        let deck = Deck::from_stories(&stories, complete);
        let entries: Vec<StoryEntry> = stories.into_iter().map(entry).collect();
        let mut data = Data {
            stories: entries,
            load_errors,
            deck,
            cards: Vec::new(),
            demo_runs: BTreeMap::new(),
            tags: Vec::new(),
            competencies: Vec::new(),
            bank,
            lint_options: lint.clone(),
            known_demo,
        };
        data.index();
        data
    }

    fn index(&mut self) {
        let tags: BTreeSet<&String> = self
            .stories
            .iter()
            .flat_map(|e| &e.story.meta.tags)
            .collect();
        self.tags = tags.into_iter().cloned().collect();
        let competencies: BTreeSet<&String> = self
            .stories
            .iter()
            .flat_map(|e| &e.story.meta.competencies)
            .collect();
        self.competencies = competencies.into_iter().cloned().collect();
    }

    /// Takes the store's cards (only the deck's live ones are kept).
    pub fn set_cards(&mut self, stored: Vec<StoredCard>) {
        self.cards = stored
            .into_iter()
            .filter(|c| c.orphaned_at.is_none() && self.deck.card(&c.id).is_some())
            .map(|c| CardInfo {
                id: c.id,
                kind: c.kind,
                prompt: c.prompt,
                state: c.state,
            })
            .collect();
    }

    /// Replaces one story after an edit and rebuilds what depends on it.
    pub fn replace_story(&mut self, index: usize, story: Story) {
        let new = entry(story);
        if let Some(slot) = self.stories.get_mut(index) {
            *slot = new;
        }
        let stories: Vec<Story> = self.stories.iter().map(|e| e.story.clone()).collect();
        self.deck = Deck::from_stories(&stories, self.load_errors.is_empty());
        self.index();
    }

    /// The deck's cards of one story, with their schedule.
    pub fn cards_of<'a>(&'a self, story_id: &'a str) -> impl Iterator<Item = &'a CardInfo> {
        self.cards.iter().filter(move |c| c.id.story_id == story_id)
    }

    /// Cards of a story due now (new ones included).
    pub fn due_count(&self, story_id: &str, now: Timestamp) -> usize {
        self.cards_of(story_id)
            .filter(|c| is_due(&c.state, now))
            .count()
    }

    /// Due cards per story id, in one pass.
    pub fn due_counts(&self, now: Timestamp) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for card in self.cards.iter().filter(|c| is_due(&c.state, now)) {
            *counts.entry(card.id.story_id.as_str()).or_insert(0) += 1;
        }
        counts
    }

    /// Lint's findings for a story, computed the first time they are asked for.
    pub fn lint<'a>(&self, entry: &'a StoryEntry) -> &'a Lint {
        entry.lint.get_or_init(|| {
            let findings = lint_story(
                &entry.story,
                &self.bank,
                &self.known_demo,
                &self.lint_options,
            );
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            Lint {
                errors,
                warnings: findings.len() - errors,
                findings: findings
                    .iter()
                    .map(|f| {
                        let severity = match f.severity {
                            Severity::Error => "error",
                            Severity::Warning => "warning",
                        };
                        format!("line {}: {severity}: {}", f.line, f.message)
                    })
                    .collect(),
            }
        })
    }

    pub fn position(&self, story_id: &str) -> Option<usize> {
        self.stories.iter().position(|e| e.story.id() == story_id)
    }
}

fn entry(story: Story) -> StoryEntry {
    StoryEntry {
        title_lower: story.meta.title.to_lowercase(),
        words: search_words(&story),
        story,
        lint: OnceCell::new(),
    }
}

/// The lower-case words a story can be found by (beyond its title, matched fuzzily).
pub fn search_words(story: &Story) -> Vec<String> {
    let mut words = BTreeSet::new();
    let mut add = |text: &str| {
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            words.insert(word.to_lowercase());
        }
    };
    let meta = &story.meta;
    add(&meta.title);
    add(meta.id.as_str());
    meta.tags.iter().for_each(|t| add(t));
    meta.competencies.iter().for_each(|t| add(t));
    meta.questions.iter().for_each(|t| add(t));
    if let Some(demo) = &meta.demo {
        add(demo);
    }
    add(&story.body);
    words.into_iter().collect()
}
