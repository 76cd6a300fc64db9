//! What the screens show, a copy of what the practice core holds (replaced after an edit or a
//! reload): the stories with their lint status, due counts and search index; the cards and their
//! schedules; the latest demo runs.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;

use crate::practice::DueCounts;
use crate::srs::{CardId, CardKind, CardState};
use crate::store::{DemoRun, StoredCard};
use crate::story::Story;
use crate::story::lint::{LintOptions, Severity, Tally, lint_story};
use crate::story::question_bank::QuestionBank;

/// One story as the library lists it.
#[derive(Debug, Clone)]
pub struct StoryEntry {
    pub story: Story,
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
    /// Live cards of the deck, in store order.
    pub cards: Vec<CardInfo>,
    /// The pick cards' schedules (a drill of every story asks them too).
    pub picks: Vec<CardState>,
    pub demo_runs: BTreeMap<String, DemoRun>,
    pub tags: Vec<String>,
    pub competencies: Vec<String>,
    pub bank: QuestionBank,
    /// What the library's search reads, packed for speed.
    pub index: SearchIndex,
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
        let entries: Vec<StoryEntry> = stories.into_iter().map(entry).collect();
        let mut data = Data {
            stories: entries,
            load_errors,
            cards: Vec::new(),
            picks: Vec::new(),
            demo_runs: BTreeMap::new(),
            tags: Vec::new(),
            competencies: Vec::new(),
            bank,
            index: SearchIndex::default(),
            lint_options: lint.clone(),
            known_demo,
        };
        data.index();
        data
    }

    fn index(&mut self) {
        self.index = SearchIndex::build(self.stories.iter().map(|e| &e.story));
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

    /// Takes the deck's live cards, as the practice core lists them.
    pub fn set_cards(&mut self, stored: Vec<StoredCard>) {
        self.cards = stored
            .into_iter()
            .map(|c| CardInfo {
                id: c.id,
                kind: c.kind,
                prompt: c.prompt,
                state: c.state,
            })
            .collect();
    }

    /// Takes the pick cards' schedules, as the practice core lists them.
    pub fn set_picks(&mut self, picks: Vec<CardState>) {
        self.picks = picks;
    }

    /// Replaces one story after an edit and rebuilds what depends on it.
    pub fn replace_story(&mut self, index: usize, story: Story) {
        let new = entry(story);
        if let Some(slot) = self.stories.get_mut(index) {
            *slot = new;
        }
        self.index();
    }

    /// Replaces every story after the folder was read again.
    pub fn replace_all(&mut self, stories: Vec<Story>, load_errors: Vec<String>) {
        self.stories = stories.into_iter().map(entry).collect();
        self.load_errors = load_errors;
        self.index();
    }

    /// The demos the stories link, each once.
    pub fn linked_demos(&self) -> BTreeSet<String> {
        self.stories
            .iter()
            .filter_map(|e| e.story.meta.demo.clone())
            .collect()
    }

    /// The deck's cards of one story, with their schedule.
    pub fn cards_of<'a>(&'a self, story_id: &'a str) -> impl Iterator<Item = &'a CardInfo> {
        self.cards.iter().filter(move |c| c.id.story_id == story_id)
    }

    /// What is due at `now`, counted as the drill counts it (the practice core's rule).
    pub fn due(&self, now: Timestamp) -> DueCounts {
        DueCounts::count(
            self.cards
                .iter()
                .map(|c| (c.id.story_id.as_str(), &c.state)),
            &self.picks,
            now,
        )
    }

    /// One story's cards due at `now` (the same rule, without counting every story).
    pub fn due_in(&self, story_id: &str, now: Timestamp) -> usize {
        let cards = self
            .cards_of(story_id)
            .map(|c| (c.id.story_id.as_str(), &c.state));
        DueCounts::count(cards, [], now).now_in(story_id)
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
            let Tally { errors, warnings } = Tally::of(&findings);
            Lint {
                errors,
                warnings,
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
        story,
        lint: OnceCell::new(),
    }
}

/// The lower-case words a story can be found by (beyond its title, matched fuzzily), unsorted
/// and with repeats, without copying words that are already lower case.
fn story_words(story: &Story) -> Vec<Cow<'_, str>> {
    fn add<'a>(words: &mut Vec<Cow<'a, str>>, text: &'a str) {
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            words.push(if word.chars().any(char::is_uppercase) {
                Cow::Owned(word.to_lowercase())
            } else {
                Cow::Borrowed(word)
            });
        }
    }
    let mut words: Vec<Cow<'_, str>> = Vec::new();
    let meta = &story.meta;
    add(&mut words, &meta.title);
    add(&mut words, &meta.id);
    for text in meta
        .tags
        .iter()
        .chain(&meta.competencies)
        .chain(&meta.questions)
    {
        add(&mut words, text);
    }
    if let Some(demo) = &meta.demo {
        add(&mut words, demo);
    }
    add(&mut words, &story.body);
    words
}

/// The search's view of the stories, in contiguous arrays: lower-case titles, and for each
/// story the sorted ids of its words in one shared, sorted vocabulary. A query word's prefix
/// matches form one range of ids, found once per query; each story then needs one binary
/// search in its own short slice. (Walking 10,000 scattered stories was memory-bound.)
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    titles: String,
    title_ends: Vec<usize>,
    vocabulary: Vec<String>,
    ids: Vec<u32>,
    id_ends: Vec<usize>,
}

impl SearchIndex {
    pub fn build<'a>(stories: impl Iterator<Item = &'a Story>) -> SearchIndex {
        let mut index = SearchIndex::default();
        // Ids in first-seen order, then renumbered in sorted order (so prefixes are ranges).
        let mut ids: HashMap<Cow<'a, str>, u32> = HashMap::new();
        let mut per_story: Vec<Vec<u32>> = Vec::new();
        for story in stories {
            index.titles.push_str(&story.meta.title.to_lowercase());
            index.title_ends.push(index.titles.len());
            let mut story_ids: Vec<u32> = story_words(story)
                .into_iter()
                .map(|w| {
                    let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                    *ids.entry(w).or_insert(next)
                })
                .collect();
            story_ids.sort_unstable();
            story_ids.dedup();
            per_story.push(story_ids);
        }
        let mut vocabulary: Vec<(Cow<'a, str>, u32)> = ids.into_iter().collect();
        vocabulary.sort_unstable();
        let mut renumber = vec![0u32; vocabulary.len()];
        for (new, (_, old)) in vocabulary.iter().enumerate() {
            renumber[*old as usize] = u32::try_from(new).unwrap_or(u32::MAX);
        }
        index.vocabulary = vocabulary
            .into_iter()
            .map(|(w, _)| w.into_owned())
            .collect();
        for mut story_ids in per_story {
            for id in &mut story_ids {
                *id = renumber[*id as usize];
            }
            story_ids.sort_unstable();
            index.ids.extend(story_ids);
            index.id_ends.push(index.ids.len());
        }
        index
    }

    /// The lower-case title of story `i`.
    pub fn title(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.title_ends[i - 1] };
        &self.titles[start..self.title_ends[i]]
    }

    /// The range of word ids that start with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<u32> {
        let start = self.vocabulary.partition_point(|w| w.as_str() < prefix);
        let len = self.vocabulary[start..].partition_point(|w| w.starts_with(prefix));
        let id = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        id(start)..id(start + len)
    }

    /// Whether story `i` has a word with an id in `range`.
    pub fn has_word_in(&self, i: usize, range: &std::ops::Range<u32>) -> bool {
        if range.is_empty() {
            return false;
        }
        let start = if i == 0 { 0 } else { self.id_ends[i - 1] };
        let ids = &self.ids[start..self.id_ends[i]];
        let at = ids.partition_point(|id| *id < range.start);
        ids.get(at).is_some_and(|id| *id < range.end)
    }
}
