//! One notes file's body -> the stories in it, each part a verbatim slice of the source.
//!
//! Markdown structure (headings, code blocks, tables, `---`/`***` rules) comes from
//! pulldown-cmark with byte offsets; labels and title lines (`1. Title`, `Story 2 - Title`, a
//! short line standing alone before a label) are found line by line outside code and tables.
//! Rules separate; they are never content. The text itself is never rebuilt from parser events:
//! every part, question and unplaced block is cut out of the source as it was written.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::decoration;
use super::hashtags;
use super::labels::{self, LabelKind, bare_title};
use super::tables::{self, Table, TableRow};
use crate::story::SectionKind;

/// The level of a title that is a line of its own, not a heading: below every heading.
const LINE_TITLE: u8 = 7;

/// A story found in the notes, before it gets an id and a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    /// The heading that starts it; `None` when it started at a label or question line.
    pub title: Option<String>,
    /// Titles of the group headings it sits under.
    pub groups: Vec<String>,
    /// Tags the notes give it (a spreadsheet's Tags column, hashtags in its title).
    pub tags: Vec<String>,
    pub questions: Vec<String>,
    /// STAR parts (and Follow-ups, Lessons, Answer) in source order, verbatim.
    pub parts: Vec<(SectionKind, String)>,
    /// Text that could not be placed, verbatim, in source order.
    pub unplaced: Vec<String>,
    /// No labels anywhere in the file: the prose is all in Situation, to be split by hand.
    pub unsplit: bool,
    /// Heading level; 0 for a story without a heading.
    pub(super) level: u8,
}

#[derive(Debug, Clone)]
enum Marker {
    Title {
        level: u8,
        text: String,
        /// Hashtags taken out of the title (`## Title #ownership`).
        tags: Vec<String>,
    },
    Part {
        kind: SectionKind,
        /// Set when a heading names the part (a label line has none).
        level: Option<u8>,
    },
    /// `Question: ...`: always a question.
    Question(String),
    /// A line of its own ending in `?`: a question where a story's question can stand.
    MaybeQuestion(String),
    /// A `---` or `***` rule, a STAR table's header: structure, left out of every part.
    Skip,
    /// A Markdown footnote's definition (`[^1]: ...`): a note on the text, not part of the part
    /// it follows; it and what follows it up to the next marker go to the story's unplaced text.
    Aside,
    /// A table row holding one part of the open story.
    Cell { kind: SectionKind, text: String },
    /// A table row holding a whole story.
    TableStory {
        title: Option<String>,
        questions: Vec<String>,
        parts: Vec<(SectionKind, String)>,
    },
}

#[derive(Debug, Clone)]
struct Located {
    marker: Marker,
    /// Where the marker starts, and where the text after it starts.
    start: usize,
    content: usize,
}

/// How the notes mark their structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Markdown and plain text.
    Markdown,
    /// Emacs org mode (`* Headline`, `#+TITLE:`).
    Org,
}

/// The stories in Markdown or plain-text `body`. Empty when nothing in it is recognisable as a
/// story.
#[cfg(test)]
pub fn find_stories(body: &str) -> Vec<Found> {
    find_stories_as(body, Syntax::Markdown)
}

/// The stories in `body`, read as `syntax`.
pub fn find_stories_as(body: &str, syntax: Syntax) -> Vec<Found> {
    let markers = markers(body, syntax);
    let prose = !markers.iter().any(|m| {
        matches!(
            m.marker,
            Marker::Part { .. } | Marker::Cell { .. } | Marker::TableStory { .. }
        )
    });
    let roles = roles(body, &markers, prose);
    let mut walk = Walk {
        body,
        stories: Vec::new(),
        current: None,
        open_part: None,
        groups: Vec::new(),
        pending: Vec::new(),
        text_start: 0,
        prose,
        syntax,
    };
    for (index, located) in markers.iter().enumerate() {
        walk.step(located, roles[index], markers.get(index + 1));
    }
    walk.finish()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Story,
    Group,
    /// A heading that is neither: its text stays where it is.
    Plain,
    NotTitle,
}

/// Which title headings start stories and which only hold stories (groups).
fn roles(body: &str, markers: &[Located], prose: bool) -> Vec<Role> {
    let mut roles: Vec<Role> = markers
        .iter()
        .enumerate()
        .map(|(index, located)| match located.marker {
            Marker::Title { level, .. } => {
                let has_own_parts = if prose {
                    has_own_text(body, markers, index)
                } else {
                    own_parts(markers, index, level)
                };
                if has_own_parts {
                    Role::Story
                } else {
                    Role::Plain
                }
            }
            Marker::TableStory { .. } => Role::Story,
            _ => Role::NotTitle,
        })
        .collect();
    // A plain heading with a story beneath it (before a heading of its level) is a group.
    for index in (0..markers.len()).rev() {
        if let Marker::Title { level, .. } = markers[index].marker
            && roles[index] == Role::Plain
        {
            let holds_story = markers[index + 1..]
                .iter()
                .zip(&roles[index + 1..])
                .take_while(
                    |(m, _)| !matches!(m.marker, Marker::Title { level: l, .. } if l <= level),
                )
                .any(|(_, role)| *role == Role::Story);
            if holds_story {
                roles[index] = Role::Group;
            } else if prose {
                // In prose every section is a story, even an empty one: its title is kept.
                roles[index] = Role::Story;
            }
        }
    }
    roles
}

/// True when a part label or a deeper part heading follows before the next heading.
fn own_parts(markers: &[Located], index: usize, level: u8) -> bool {
    for located in &markers[index + 1..] {
        match located.marker {
            Marker::Title { .. } | Marker::TableStory { .. } => return false,
            Marker::Part { level: Some(l), .. } if l <= level && level < LINE_TITLE => {
                return false;
            }
            Marker::Part { .. } | Marker::Cell { .. } => return true,
            _ => {}
        }
    }
    false
}

/// True when there is text between this heading and the next marker.
fn has_own_text(body: &str, markers: &[Located], index: usize) -> bool {
    let end = markers.get(index + 1).map_or(body.len(), |m| m.start);
    let start = markers[index].content.min(end);
    !body[start..end].trim().is_empty()
}

struct Walk<'a> {
    body: &'a str,
    stories: Vec<Found>,
    current: Option<Found>,
    /// The part being read: its kind and the heading level that opened it.
    open_part: Option<(SectionKind, Option<u8>)>,
    /// Open group headings: level and title.
    groups: Vec<(u8, String)>,
    /// Text not yet placed while no story is open: it goes to the next story.
    pending: Vec<String>,
    /// Where the text not yet given to anyone starts.
    text_start: usize,
    prose: bool,
    syntax: Syntax,
}

impl Walk<'_> {
    fn step(&mut self, located: &Located, role: Role, next: Option<&Located>) {
        match (&located.marker, role) {
            (Marker::Title { level, text, tags }, Role::Story) => {
                self.boundary(located.start, located.content);
                self.close_story();
                self.groups.retain(|(l, _)| l < level);
                let questions = labels::question_in(text).into_iter().collect();
                let title = labels::question_in(text).unwrap_or_else(|| text.clone());
                self.start_story(Some(title), *level, questions);
                // Written as the group headings' tags are: `#work/infra` is `work-infra`.
                if let Some(story) = &mut self.current {
                    story
                        .tags
                        .extend(tags.iter().map(|tag| crate::story::id::from_title(tag)));
                }
            }
            (Marker::Title { level, text, tags }, Role::Group) => {
                self.boundary(located.start, located.content);
                self.close_story();
                self.groups.retain(|(l, _)| l < level);
                self.groups.push((*level, text.clone()));
                // A group's hashtags tag the stories under it, as its title does.
                self.groups
                    .extend(tags.iter().map(|tag| (*level, tag.clone())));
            }
            (Marker::Title { level, .. }, _) => {
                let ends_story = self
                    .current
                    .as_ref()
                    .is_some_and(|story| *level <= story.level);
                let ends_part = matches!(self.open_part, Some((_, Some(l))) if *level <= l);
                if ends_story {
                    // The heading and its text are kept: they become unplaced text.
                    self.boundary(located.start, located.start);
                    self.close_story();
                } else if ends_part {
                    self.boundary(located.start, located.start);
                    self.open_part = None;
                }
            }
            (Marker::Part { kind, level }, _) => {
                let repeats = self.current.as_ref().is_some_and(|story| {
                    story.level == 0
                        && *kind == SectionKind::Situation
                        && story
                            .parts
                            .iter()
                            .any(|(k, _)| *k == SectionKind::Situation)
                });
                self.boundary(located.start, located.content);
                if self.current.is_none() || repeats {
                    self.close_story();
                    self.start_story(None, 0, Vec::new());
                }
                self.open_part = Some((*kind, *level));
            }
            (Marker::Question(question), _) => {
                self.boundary(located.start, located.content);
                self.question(question.clone());
            }
            (Marker::Skip, _) => {
                self.boundary(located.start, located.content);
                self.open_part = None;
            }
            (Marker::Aside, _) => {
                self.boundary(located.start, located.start);
                self.open_part = None;
            }
            (Marker::Cell { kind, text }, _) => {
                self.boundary(located.start, located.content);
                if self.current.is_none() {
                    self.start_story(None, 0, Vec::new());
                }
                self.open_part = Some((*kind, None));
                self.add_to_part(text);
                self.open_part = None;
            }
            (
                Marker::TableStory {
                    title,
                    questions,
                    parts,
                },
                _,
            ) => {
                self.boundary(located.start, located.content);
                self.close_story();
                self.start_story(title.clone(), LINE_TITLE, questions.clone());
                for (kind, text) in parts {
                    self.open_part = Some((*kind, None));
                    self.add_to_part(text);
                }
                self.close_story();
            }
            (Marker::MaybeQuestion(question), _) => {
                let story_can_take_it = self
                    .current
                    .as_ref()
                    .is_some_and(|story| story.parts.is_empty() && self.open_part.is_none());
                let starts_story = self.current.is_none()
                    && next.is_some_and(|n| matches!(n.marker, Marker::Part { .. }));
                if !self.prose && (story_can_take_it || starts_story) {
                    self.boundary(located.start, located.content);
                    self.question(question.clone());
                }
            }
        }
    }

    /// A question line: the open story's question while it has no parts, else a new story's.
    fn question(&mut self, question: String) {
        match &mut self.current {
            Some(story) if story.parts.is_empty() && (self.open_part.is_none() || self.prose) => {
                story.questions.push(question);
            }
            _ => {
                self.close_story();
                self.start_story(None, 0, vec![question]);
            }
        }
    }

    /// Hands the text up to `end` to the open part (or to the unplaced text) and continues
    /// after `resume`.
    fn boundary(&mut self, end: usize, resume: usize) {
        let text = verbatim(&self.body[self.text_start..end]);
        self.text_start = resume;
        if let Some(text) = text {
            self.add_to_part(text);
        }
    }

    /// Text for the open part (or the unplaced text, or the next story's when none is open).
    fn add_to_part(&mut self, text: &str) {
        match (&mut self.current, self.open_part) {
            (Some(story), Some((kind, _))) => {
                let text = match self.syntax {
                    Syntax::Markdown => unquoted(text),
                    Syntax::Org => Cow::Owned(org::dedented(text)),
                };
                let text = &*text;
                if let Some((_, existing)) = story.parts.iter_mut().find(|(k, _)| *k == kind) {
                    existing.push_str("\n\n");
                    existing.push_str(text);
                } else {
                    story.parts.push((kind, text.to_owned()));
                }
            }
            (Some(story), None) => story.unplaced.push(text.to_owned()),
            (None, _) => self.pending.push(text.to_owned()),
        }
    }

    fn start_story(&mut self, title: Option<String>, level: u8, questions: Vec<String>) {
        let mut story = Found {
            title,
            groups: self.groups.iter().map(|(_, g)| g.clone()).collect(),
            questions,
            unplaced: std::mem::take(&mut self.pending),
            unsplit: self.prose,
            level,
            ..Found::default()
        };
        story.unplaced.retain(|t| !t.is_empty());
        self.current = Some(story);
        self.open_part = self.prose.then_some((SectionKind::Situation, None));
    }

    fn close_story(&mut self) {
        self.open_part = None;
        if let Some(mut story) = self.current.take() {
            if story.parts.is_empty() {
                story.unsplit = false;
            }
            self.stories.push(story);
        }
    }

    fn finish(mut self) -> Vec<Found> {
        self.boundary(self.body.len(), self.body.len());
        self.close_story();
        // Text after the last story, with no story to follow: it stays with the last one.
        if !self.pending.is_empty()
            && let Some(last) = self.stories.last_mut()
        {
            last.unplaced.append(&mut self.pending);
        }
        self.stories
    }
}

/// A part written as a quote or a callout (`> ...` on every line, as Obsidian's
/// `> [!example] Action` holds it) without the quote markers: they belonged to the label.
fn unquoted(text: &str) -> Cow<'_, str> {
    let quoted = |line: &&str| line.trim_start().starts_with('>');
    let mut written = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    if written.peek().is_none() || !written.all(|l| quoted(&l)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<&str> = text
        .lines()
        .map(|line| {
            let inner = line.trim_start().strip_prefix('>').unwrap_or(line);
            inner.strip_prefix(' ').unwrap_or(inner)
        })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// The text without blank lines before it or white space after it; `None` if nothing is left.
fn verbatim(text: &str) -> Option<&str> {
    let text = text.trim_end();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    let text = &text[start..];
    (!text.is_empty()).then_some(text)
}

/// Headings (ATX and underlined), rules, STAR tables, label lines, title lines and question
/// lines, in source order.
fn markers(body: &str, syntax: Syntax) -> Vec<Located> {
    let layout = match syntax {
        Syntax::Markdown => structure(body),
        Syntax::Org => org::structure(body),
    };
    let prompts = bare_prompts(body, &layout.headings);
    let mut out: Vec<Located> = layout
        .headings
        .into_iter()
        .map(|(level, text, range)| {
            let (text, tags) = hashtags::split(&text);
            let part = labels::part_named(&text).or_else(|| {
                labels::prompt(&text)
                    .filter(|_| prompts)
                    .map(|(kind, _)| kind)
            });
            let marker = match part {
                Some(kind) => Marker::Part {
                    kind,
                    level: Some(level),
                },
                None => Marker::Title {
                    level,
                    text: bare_title(&text).to_owned(),
                    tags,
                },
            };
            Located {
                marker,
                start: range.start,
                content: range.end,
            }
        })
        .collect();
    for range in &layout.rules {
        out.push(Located {
            marker: Marker::Skip,
            start: range.start,
            content: range.end,
        });
    }
    let mut taken: Vec<Range<usize>> = out.iter().map(|m| m.start..m.content).collect();
    for table in &layout.tables {
        taken.push(table.range.clone());
        out.extend(tables::read(body, table).into_iter().map(table_marker));
    }
    taken.extend(layout.code);
    taken.sort_by_key(|r| r.start);
    let lines = lines(body, &taken);
    out.extend(line_markers(body, &lines, prompts));
    out.sort_by_key(|m| m.start);
    out
}

/// True when the notes ask at least two different parts by questions with no `Q:` before them
/// (`1. What was going on?`, `**What did you do?**`, `### What was the result?`, a line of its
/// own): a coach's questions, each with its answer under it. One such question alone may be a
/// story's own question, or a sentence.
fn bare_prompts(body: &str, headings: &[HeadingAt]) -> bool {
    let lines = body.lines().map(|line| line.trim_end_matches('\r'));
    let texts = headings
        .iter()
        .map(|(_, text, _)| text.as_str())
        .chain(lines);
    let mut kinds: Vec<SectionKind> = texts
        .filter_map(labels::prompt)
        .filter(|(_, labelled)| !labelled)
        .map(|(kind, _)| kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds.len() >= 2
}

/// A Markdown footnote's definition at the start of a line: `[^1]: ...`, `[^note]: ...`.
fn footnote_definition(text: &str) -> bool {
    let indent = text.len() - text.trim_start_matches(' ').len();
    text.trim_start()
        .strip_prefix("[^")
        .and_then(|rest| rest.split_once("]:"))
        .is_some_and(|(name, _)| {
            indent <= 3 && !name.is_empty() && !name.contains(char::is_whitespace)
        })
}

fn table_marker(row: TableRow) -> Located {
    let (marker, range) = match row {
        TableRow::Skip(range) => (Marker::Skip, range),
        TableRow::Part { range, kind, text } => (Marker::Cell { kind, text }, range),
        TableRow::Story {
            range,
            title,
            questions,
            parts,
        } => (
            Marker::TableStory {
                title,
                questions,
                parts,
            },
            range,
        ),
    };
    Located {
        marker,
        start: range.start,
        content: range.end,
    }
}

/// A line of the body: where it starts, its text without the line break, and whether it lies
/// in a heading, a rule, a table or a code block (then it is not a label).
type Line<'a> = (usize, &'a str, bool);

fn lines<'a>(body: &'a str, taken: &[Range<usize>]) -> Vec<Line<'a>> {
    // Both lists are in source order, so one pass with a cursor serves every line.
    let mut next_taken = 0;
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        while taken.get(next_taken).is_some_and(|r| r.end <= start) {
            next_taken += 1;
        }
        let covered = taken[next_taken..]
            .iter()
            .take_while(|r| r.start <= start)
            .any(|r| r.contains(&start));
        lines.push((start, line.trim_end_matches(['\n', '\r']), covered));
    }
    lines
}

/// Label lines, title lines and question lines.
fn line_markers(body: &str, lines: &[Line], prompts: bool) -> Vec<Located> {
    let blank = |i: Option<usize>| {
        i.and_then(|i| lines.get(i))
            .is_none_or(|(_, t, covered)| t.trim().is_empty() || *covered)
    };
    let labels = line_labels(lines);
    let inline = inline_parts(lines, &labels);
    let mut answered = vec![false; lines.len()];
    let mut found = Vec::new();
    for (index, &(start, text, covered)) in lines.iter().enumerate() {
        if covered || answered[index] {
            continue;
        }
        // Parts labelled inside the line: the line's own label (if any) is read below.
        found.extend(inline[index].iter().map(|label| Located {
            marker: Marker::Part {
                kind: label.kind,
                level: None,
            },
            start: start + label.start,
            content: start + label.content,
        }));
        let whole_line = start + line_len(body, start);
        if labels[index].is_none() && !inline[index].is_empty() {
            continue;
        }
        if details_tag(text) {
            // `<details>` / `</details>` fold a story: markup around it, never its content.
            found.push(Located {
                marker: Marker::Skip,
                start,
                content: whole_line,
            });
        } else if footnote_definition(text) {
            found.push(Located {
                marker: Marker::Aside,
                start,
                content: start,
            });
        } else if let Some((kind, content)) = follow_up(lines, index, &mut answered, prompts) {
            found.push(Located {
                marker: Marker::Part { kind, level: None },
                start,
                content: content.unwrap_or(whole_line),
            });
        } else if let Some(label) = &labels[index] {
            let content_text = &text[label.content..];
            let marker = match label.kind {
                LabelKind::Part(kind) => Marker::Part { kind, level: None },
                LabelKind::Question => {
                    Marker::Question(labels::strip_quotes(content_text).to_owned())
                }
                LabelKind::Title => {
                    let (text, tags) = hashtags::split(content_text);
                    Marker::Title {
                        level: LINE_TITLE,
                        text,
                        tags,
                    }
                }
            };
            // A question or title is its line; a label alone on its line has its text on the
            // next one.
            let own_line = !matches!(marker, Marker::Part { .. }) || label.content >= text.len();
            found.push(Located {
                marker,
                start,
                content: if own_line {
                    whole_line
                } else {
                    start + label.content
                },
            });
        } else if text.trim_end().ends_with('?') && text.len() <= 300 {
            if blank(index.checked_sub(1)) && blank(Some(index + 1)) {
                found.push(Located {
                    marker: Marker::MaybeQuestion(labels::strip_quotes(text).to_owned()),
                    start,
                    content: whole_line,
                });
            }
        } else if let Some(title) = title_line(text)
            && let Some(next) = next_part(lines, &labels, index)
            // A line standing alone, an outliner's item with its parts nested under it, or a
            // folded block's `<summary>` (its title by what the tag means).
            && (blank(index.checked_sub(1))
                || nested_under(text, lines[next].1)
                || is_summary(text))
        {
            let (text, tags) = hashtags::split(&title);
            found.push(Located {
                marker: Marker::Title {
                    level: LINE_TITLE,
                    text,
                    tags,
                },
                start,
                content: whole_line,
            });
        }
    }
    found
}

/// Each line's label. A part's name alone on its line (`Situation`, `1) Task`) is one only when
/// the notes name at least two different parts that way: one such line may be a sentence.
fn line_labels(lines: &[Line]) -> Vec<Option<labels::Label>> {
    let mut labels: Vec<Option<labels::Label>> = lines
        .iter()
        .map(|(_, text, covered)| (!covered).then(|| labels::line_label(text)).flatten())
        .collect();
    let bare: Vec<Option<SectionKind>> = lines
        .iter()
        .zip(&labels)
        .map(|((_, text, covered), label)| {
            (!covered && label.is_none())
                .then(|| labels::bare_part(text))
                .flatten()
        })
        .collect();
    let mut kinds: Vec<SectionKind> = bare.iter().flatten().copied().collect();
    kinds.sort();
    kinds.dedup();
    if kinds.len() >= 2 {
        for (index, kind) in bare.into_iter().enumerate() {
            if let Some(kind) = kind {
                labels[index] = Some(labels::Label {
                    kind: LabelKind::Part(kind),
                    content: lines[index].1.len(),
                });
            }
        }
    }
    labels
}

/// Each line's part labels written inside it (`... in a year. Task: find ...`), kept only where
/// they carry on the order of the parts named before them in the paragraph (Situation, Task,
/// Action, Result, Lessons) and at least two parts are named in it: prose that says "the
/// result:" once, or names parts out of order, stays as it is.
fn inline_parts(lines: &[Line], labels: &[Option<labels::Label>]) -> Vec<Vec<labels::InlineLabel>> {
    let mut previous: Option<SectionKind> = None;
    let mut named_in_paragraph = 0;
    let mut all = Vec::with_capacity(lines.len());
    for (index, &(_, text, covered)) in lines.iter().enumerate() {
        if covered || text.trim().is_empty() {
            previous = None;
            named_in_paragraph = 0;
            all.push(Vec::new());
            continue;
        }
        let from = match &labels[index] {
            Some(labels::Label {
                kind: LabelKind::Part(kind),
                content,
            }) => {
                // A label at the line's start begins a new run: `Situation:` after a `Result:`
                // line is the next story.
                previous = Some(*kind);
                named_in_paragraph = 1;
                *content
            }
            Some(_) => {
                all.push(Vec::new());
                continue;
            }
            None => 0,
        };
        let mut kept: Vec<labels::InlineLabel> = Vec::new();
        for label in labels::inline_labels(text, from) {
            let last = kept.last().map(|l| l.kind).or(previous);
            if last.is_none_or(|before| label.kind > before) {
                kept.push(label);
            }
        }
        if named_in_paragraph + kept.len() < 2 {
            kept.clear();
        }
        if let Some(label) = kept.last() {
            previous = Some(label.kind);
            named_in_paragraph += kept.len();
        }
        all.push(kept);
    }
    all
}

/// An interviewer's follow-up on this line (`Q: What did you do?`): the part it asks for, and
/// where its answer's text starts when the next line names the answer (`A: ...`, `Me: ...`;
/// that line is then taken). A follow-up with no `Q:` counts only with a named answer, or when
/// the notes ask two or more parts so (`prompts`): its answer is then the text under it.
fn follow_up(
    lines: &[Line],
    index: usize,
    answered: &mut [bool],
    prompts: bool,
) -> Option<(SectionKind, Option<usize>)> {
    let (kind, labelled) = labels::prompt(lines[index].1)?;
    let next = (index + 1..lines.len()).find(|i| !lines[*i].1.trim().is_empty());
    let answer = next.filter(|i| !lines[*i].2).and_then(|i| {
        let (start, text, _) = lines[i];
        labels::answer_start(text).map(|at| (i, start + at))
    });
    match answer {
        Some((line, content)) => {
            answered[line] = true;
            Some((kind, Some(content)))
        }
        None if labelled || prompts => Some((kind, None)),
        None => None,
    }
}

/// A line that reads as a title: short, not a sentence, whatever decorates it (a list marker,
/// numbering, `h2.`, bold, HTML tags; see `decoration`), without what announces it
/// (`Story 2 - Title`, `Story: Title`).
fn title_line(text: &str) -> Option<String> {
    let plain = decoration::plain(text, false)?;
    let title = bare_title(plain.text.trim()).trim();
    let words = title.split_whitespace().count();
    let sentence = title.ends_with(['.', ':', ',', ';']);
    ((1..=12).contains(&words) && title.len() <= 100 && !sentence).then(|| title.to_owned())
}

/// A line holding only `<details>` (with attributes or not) or `</details>`.
fn details_tag(text: &str) -> bool {
    let tag = text.trim().to_ascii_lowercase();
    let opening = tag == "<details>"
        || (tag.starts_with("<details ") && tag.ends_with('>') && !tag[1..].contains('<'));
    opening || tag == "</details>"
}

/// A `<summary>` line (after its `<details>` or not): the title of the block it opens.
fn is_summary(text: &str) -> bool {
    text.to_ascii_lowercase().contains("<summary>")
}

/// The next line with text, when it is a part label.
fn next_part(lines: &[Line], labels: &[Option<labels::Label>], index: usize) -> Option<usize> {
    let next = (index + 1..lines.len()).find(|i| !lines[*i].1.trim().is_empty())?;
    let is_part = !lines[next].2
        && matches!(
            labels[next],
            Some(labels::Label {
                kind: LabelKind::Part(_),
                ..
            })
        );
    is_part.then_some(next)
}

/// True when `title` is a list item (bulleted or numbered) and `child` is indented deeper
/// (tabs read as 4 spaces): an outline's item with its parts nested under it.
fn nested_under(title: &str, child: &str) -> bool {
    let depth = |line: &str| -> usize {
        line.chars()
            .take_while(|c| matches!(c, ' ' | '\t'))
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum()
    };
    let item = decoration::plain(title, false).is_some_and(|p| p.listed);
    item && depth(child) > depth(title)
}

fn line_len(body: &str, start: usize) -> usize {
    body[start..]
        .find('\n')
        .map_or(body.len() - start, |i| i + 1)
}

/// A heading's level, text (markup removed) and byte range.
type HeadingAt = (u8, String, Range<usize>);

/// What pulldown-cmark finds in the body.
#[derive(Default)]
struct Layout {
    headings: Vec<HeadingAt>,
    code: Vec<Range<usize>>,
    rules: Vec<Range<usize>>,
    tables: Vec<Table>,
}

fn structure(body: &str) -> Layout {
    let mut layout = Layout::default();
    let mut open: Option<(u8, String, Range<usize>)> = None;
    for (event, range) in Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some((heading_level(level), String::new(), range));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading, _)) = open.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, range)) = open.take() {
                    let range = with_list_marker(body, range);
                    layout.headings.push((level, text.trim().to_owned(), range));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => layout.code.push(range),
            Event::Rule => layout.rules.push(range),
            Event::Start(Tag::Table(_)) => layout.tables.push(Table {
                range,
                rows: Vec::new(),
            }),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                if let Some(table) = layout.tables.last_mut() {
                    table.rows.push((range, Vec::new()));
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some((_, cells)) = layout.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    cells.push(range);
                }
            }
            _ => {}
        }
    }
    layout
}

/// A heading inside a list item (an outliner's `- ## Title`) starts at its line: the marker is
/// structure, not text for the part before it.
fn with_list_marker(body: &str, range: Range<usize>) -> Range<usize> {
    let line_start = body[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &body[line_start..range.start];
    if before.trim_matches([' ', '\t', '-', '*', '+']).is_empty() {
        line_start..range.end
    } else {
        range
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

mod org;
#[cfg(test)]
mod tests;
