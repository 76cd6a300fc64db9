//! Stories: Markdown files with YAML front matter, structured by STAR. No terminal UI here.
//!
//! [`parse`] turns one file's text into a [`Story`] (HTML comments, notes to oneself, are
//! dropped there and reach no output); [`load`] reads a folder, keeping every story it can and
//! a [`StoryError`] (file and line) for each one it cannot; [`lint`] checks what a good spoken
//! answer needs; [`numbers`] checks that a metric's claim follows from it; [`coverage`] says
//! which competencies the stories answer; [`scaffold`] writes a new draft's skeleton.

pub mod bundled;
pub mod coverage;
pub mod id;
pub mod lint;
mod load;
pub mod numbers;
mod parse;
pub mod question_bank;
pub mod scaffold;
pub mod write;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use load::{LoadReport, MAX_STORY_BYTES, load_paths, read_story};
pub use parse::parse;

/// One story file, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub path: PathBuf,
    pub meta: FrontMatter,
    /// Sections in file order, with the line of each heading.
    pub sections: Vec<Section>,
    /// The questions under `## Probes` (or its older name `## Follow-ups`), answered or open.
    pub probes: Vec<Probe>,
    /// The YAML between the `---` lines; it starts on line 2 of the file.
    pub front_matter: String,
    /// The Markdown after the front matter, without its HTML comments (each one replaced by
    /// the line breaks it held, so lines still match the file), and the line it starts on.
    pub body: String,
    pub body_line: usize,
    /// The file line of a `<!--` that is never closed: it hides the rest of the file.
    pub unclosed_comment: Option<usize>,
}

/// What a story says about itself, between the `---` lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Stable slug, written once: the identity of the story's review cards across edits.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub kind: StoryKind,
    /// Unfinished: lint says what is missing, drills skip it.
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Keys from the question bank (`assets/question-bank.yaml`).
    #[serde(default)]
    pub competencies: Vec<String>,
    /// Interview questions this story answers; each becomes a review card.
    #[serde(default)]
    pub questions: Vec<String>,
    /// A registered demo id (`rehearse demo list`).
    #[serde(default)]
    pub demo: Option<String>,
    #[serde(default)]
    pub metrics: Vec<MetricClaim>,
    /// Where an imported story came from (`rehearse import`); absent for stories written here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// An imported story's origin: the file, the original note's front matter that has no place in
/// ours (Obsidian's `aliases`, `created`, ...), and whether its STAR parts still need splitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The imported file's absolute path.
    pub file: String,
    /// `sha256:` and the hash of the text the import copied (white space collapsed): how a
    /// re-import knows the story, whatever its title or file name became.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub front_matter: BTreeMap<String, serde_json::Value>,
    /// The source was prose with no STAR labels: all of it is in Situation, to be split by hand.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsplit: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryKind {
    /// A behavioural story told with STAR.
    #[default]
    Story,
    /// A prepared answer that is not a story ("what are you looking for"): one `## Answer`.
    Motivation,
}

/// A key number: what it was, what it became, and what the story claims about the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricClaim {
    pub name: String,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
    /// In the story's words, e.g. "about 4x faster".
    #[serde(default)]
    pub claim: Option<String>,
    /// Where a number comes from when it was not measured ("an example from the notes",
    /// "implied by 18 million records in 3 h"): shown wherever the metric is, so an example
    /// never passes for a measurement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    Situation,
    Task,
    Action,
    Result,
    /// `## Probes`, or its older name `## Follow-ups`: the same section.
    Probes,
    Lessons,
    Answer,
    /// What `rehearse import` could not place; lint reports it until it is sorted by hand.
    Unplaced,
}

impl SectionKind {
    pub const STAR: [SectionKind; 4] = [
        SectionKind::Situation,
        SectionKind::Task,
        SectionKind::Action,
        SectionKind::Result,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SectionKind::Situation => "Situation",
            SectionKind::Task => "Task",
            SectionKind::Action => "Action",
            SectionKind::Result => "Result",
            SectionKind::Probes => "Probes",
            SectionKind::Lessons => "Lessons",
            SectionKind::Answer => "Answer",
            SectionKind::Unplaced => "Unplaced",
        }
    }

    /// The section a heading names: any case, `Results` and `Follow ups` accepted.
    pub fn from_heading(text: &str) -> Option<SectionKind> {
        let normalized: String = text
            .trim()
            .trim_end_matches(':')
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        Some(match normalized.as_str() {
            "situation" => SectionKind::Situation,
            "task" => SectionKind::Task,
            "action" | "actions" => SectionKind::Action,
            "result" | "results" => SectionKind::Result,
            "probes" | "probe" | "followups" | "followup" => SectionKind::Probes,
            "lessons" | "lessonslearned" | "lessonslearnt" => SectionKind::Lessons,
            "answer" => SectionKind::Answer,
            "unplaced" => SectionKind::Unplaced,
            _ => return None,
        })
    }
}

/// A known section of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub kind: SectionKind,
    /// 1-based line of the heading in the file.
    pub line: usize,
    /// The section's Markdown, without its heading, trimmed.
    pub text: String,
}

/// A question an interviewer asks next: a `###` heading under `## Probes` and the answer
/// beneath it. With no answer (HTML comments do not count) it is *open*: something to prepare,
/// which lint reports and the export lists, never something to drill.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub question: String,
    /// The answer's Markdown, trimmed; empty when the probe is open.
    pub answer: String,
    /// 1-based line of the question's heading in the file.
    pub line: usize,
}

impl Probe {
    pub fn is_open(&self) -> bool {
        count_words(&self.answer) == 0
    }
}

impl Story {
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// Every probe, answered or open, in file order.
    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    /// Probes with no answer yet: what the user still has to prepare.
    pub fn open_probes(&self) -> impl Iterator<Item = &Probe> {
        self.probes.iter().filter(|p| p.is_open())
    }

    /// Probes with an answer: these are drilled as cards.
    pub fn answered_probes(&self) -> impl Iterator<Item = &Probe> {
        self.probes.iter().filter(|p| !p.is_open())
    }

    /// The 1-based line in the file of the front-matter key `key`, for pointing at it.
    /// Falls back to line 1 when the key is absent.
    pub fn meta_line(&self, key: &str) -> usize {
        parse::key_line(&self.front_matter, key).unwrap_or(1)
    }

    /// The 1-based line of the first front-matter line containing `needle` (a metric's claim).
    pub fn meta_line_of(&self, needle: &str) -> Option<usize> {
        self.front_matter
            .lines()
            .position(|line| line.contains(needle))
            .map(|index| index + 2)
    }

    /// Words in the four STAR sections: what is spoken aloud.
    pub fn spoken_words(&self) -> usize {
        SectionKind::STAR
            .iter()
            .filter_map(|kind| self.section(*kind))
            .map(|s| count_words(&s.text))
            .sum()
    }
}

/// Words of Markdown as spoken: markup characters do not count as words.
pub fn count_words(markdown: &str) -> usize {
    markdown
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// A story that could not be loaded, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryError {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for StoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

impl std::error::Error for StoryError {}
