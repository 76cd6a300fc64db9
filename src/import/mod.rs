//! `rehearse import`: notes a user already has (Markdown with STAR headings, bold or dashed
//! labels, single letters, tables, numbered titles; Obsidian and outliner notes; plain-text notes
//! under underlined headings; CSV from a spreadsheet) -> draft stories.
//!
//! The text is kept verbatim: every part is a slice of the source, and what cannot be placed
//! goes to an `## Unplaced` section, never dropped. [`plan`] finds the stories and says what it
//! would write (a dry run is a plan not written); [`write`] writes the new ones. A story is
//! known by a hash of the text it copied (kept in `source.hash`): one an earlier import made,
//! from this file or another, is left alone whatever its title became, and the same text twice
//! in one run gives one draft. No UI here.

mod decoration;
mod extract;
mod hashtags;
mod html;
mod json_notes;
mod labels;
mod latex;
mod read;
mod rst;
mod spreadsheet;
mod tables;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::story::{self, FrontMatter, SectionKind, Source, StoryKind, count_words};
use extract::Found;

pub use read::MAX_NOTES_BYTES;

/// A file (or one story in it) that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ImportError {
    pub path: PathBuf,
    pub message: String,
}

impl ImportError {
    fn new(path: &Path, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            message: message.into(),
        }
    }
}

/// A story to be written: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The notes file, as named on the command line or found in a folder.
    pub source: PathBuf,
    /// The story file to create.
    pub path: PathBuf,
    pub meta: FrontMatter,
    /// The whole story file.
    pub text: String,
    /// The sections found, in the order written.
    pub parts: Vec<SectionKind>,
    /// The blocks of text in `## Unplaced`, verbatim.
    pub unplaced: Vec<String>,
}

impl Draft {
    /// Words in `## Unplaced`.
    pub fn unplaced_words(&self) -> usize {
        self.unplaced.iter().map(|t| count_words(t)).sum()
    }
}

/// What importing one story does.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    New(Box<Draft>),
    /// An earlier import made this story: the same text (by its hash), or, for a story imported
    /// before hashes were kept, the same file and title.
    Exists {
        source: PathBuf,
        title: String,
        path: PathBuf,
        /// The notes file the story records it came from (this one, or another name for it).
        imported_from: String,
    },
    /// The same story text as one found earlier in this run: one draft for both.
    Duplicate {
        source: PathBuf,
        title: String,
        first_source: PathBuf,
        first_title: String,
    },
}

/// Everything an import found, in file order, the files it could not use, and the paths it
/// left alone on purpose.
#[derive(Debug, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    pub errors: Vec<ImportError>,
    /// Special files, folders already read, files named twice: each with the reason.
    pub skipped: Vec<ImportError>,
    /// Files read in an encoding other than UTF-8, each with the encoding (worth a look at
    /// their drafts' accented letters), and files read as HTML.
    pub decoded: Vec<ImportError>,
}

/// Finds the stories in `paths` (files or folders) and plans a draft for each one that is not
/// in `into` yet. Nothing is written.
pub fn plan(paths: &[PathBuf], into: &Path) -> Report {
    let read::NotesFiles {
        files,
        mut errors,
        skipped,
    } = read::notes_files(paths);
    let existing = if into.is_dir() {
        story::load_paths(&[into.to_owned()])
    } else {
        story::LoadReport::default()
    };
    let known = Known::new(&existing.stories);
    let mut taken: HashSet<String> = existing.stories.iter().map(|s| s.id().to_owned()).collect();
    let mut this_run: HashMap<String, (PathBuf, String)> = HashMap::new();
    let mut outcomes = Vec::new();
    let mut decoded = Vec::new();
    for file in files {
        let read = read::notes_text(&file).inspect(|read| {
            if let Some(encoding) = read.decoded_from {
                decoded.push(ImportError::new(
                    &file,
                    format!("not UTF-8: read as {encoding}"),
                ));
            }
        });
        let text = read.and_then(|read| as_notes_text(&file, read.text, &mut decoded));
        let stories = match text.and_then(|text| stories_in(&file, &text)) {
            Ok(stories) => stories,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        for planned in stories {
            let title = planned.meta.title.clone();
            if let Some((path, imported_from)) = known.find(&planned.meta) {
                outcomes.push(Outcome::Exists {
                    source: file.clone(),
                    title,
                    path,
                    imported_from,
                });
                continue;
            }
            let hash = planned.hash.clone();
            if let Some((first_source, first_title)) = this_run.get(&hash) {
                outcomes.push(Outcome::Duplicate {
                    source: file.clone(),
                    title,
                    first_source: first_source.clone(),
                    first_title: first_title.clone(),
                });
                continue;
            }
            this_run.insert(hash, (file.clone(), title));
            let id = story::id::unique(&planned.meta.title, |id| {
                taken.contains(id) || into.join(format!("{id}.md")).exists()
            });
            taken.insert(id.clone());
            match draft(&file, into, id, planned) {
                Ok(draft) => outcomes.push(Outcome::New(Box::new(draft))),
                Err(error) => errors.push(error),
            }
        }
    }
    Report {
        outcomes,
        errors,
        skipped,
        decoded,
    }
}

/// The file's text as lines of notes: HTML, LaTeX, reStructuredText and JSON exports are
/// converted first (said in `decoded`), anything else is read as it is.
fn as_notes_text(
    file: &Path,
    text: String,
    decoded: &mut Vec<ImportError>,
) -> Result<String, ImportError> {
    let (text, how) = if html::is_html(file, &text) {
        let how = "read as HTML: its text kept, its markup taken off".to_owned();
        (html::to_text(&text), how)
    } else if json_notes::is_json(file, &text) {
        let (text, count) = json_notes::to_text(file, &text)?;
        let notes = if count == 1 { "note" } else { "notes" };
        let how = format!("read as a JSON export: {count} {notes}, each read as notes of its own");
        (text, how)
    } else if latex::is_latex(file, &text) {
        let how = "read as LaTeX: its text kept, its commands and preamble taken off".to_owned();
        (latex::to_text(&text), how)
    } else if rst::is_rst(file, &text) {
        let how = "read as reStructuredText: titles as headings, fields as labels, directives \
                   taken off"
            .to_owned();
        (rst::to_text(&text), how)
    } else {
        return Ok(text);
    };
    decoded.push(ImportError::new(file, how));
    Ok(text)
}

/// The stories an earlier import made, by the hash of the text they copied; those imported
/// before hashes were kept, by their file and title.
struct Known {
    by_hash: HashMap<String, (PathBuf, String)>,
    by_file_and_title: HashMap<(String, String), PathBuf>,
}

impl Known {
    fn new(stories: &[story::Story]) -> Known {
        let mut known = Known {
            by_hash: HashMap::new(),
            by_file_and_title: HashMap::new(),
        };
        for s in stories {
            let Some(source) = &s.meta.source else {
                continue;
            };
            match &source.hash {
                Some(hash) => {
                    known
                        .by_hash
                        .insert(hash.clone(), (s.path.clone(), source.file.clone()));
                }
                None => {
                    known
                        .by_file_and_title
                        .insert((source.file.clone(), s.meta.title.clone()), s.path.clone());
                }
            }
        }
        known
    }

    /// The story file an earlier import made from this story, and the notes it came from.
    fn find(&self, meta: &FrontMatter) -> Option<(PathBuf, String)> {
        let source = meta.source.as_ref()?;
        if let Some(found) = source.hash.as_ref().and_then(|h| self.by_hash.get(h)) {
            return Some(found.clone());
        }
        self.by_file_and_title
            .get(&(source.file.clone(), meta.title.clone()))
            .map(|path| (path.clone(), source.file.clone()))
    }
}

/// Writes the planned drafts; one that cannot be written becomes an error, the rest are kept.
pub fn write(report: Report, into: &Path) -> Report {
    let Report {
        outcomes,
        mut errors,
        skipped,
        decoded,
    } = report;
    if outcomes.iter().any(|o| matches!(o, Outcome::New(_)))
        && let Err(error) = into_folder(into)
    {
        errors.push(error);
        return Report {
            outcomes: Vec::new(),
            errors,
            skipped,
            decoded,
        };
    }
    let mut written = Vec::new();
    for outcome in outcomes {
        if let Outcome::New(draft) = &outcome {
            // create_new: never overwrite a file that appeared since the plan.
            let result = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&draft.path)
                .and_then(|mut file| std::io::Write::write_all(&mut file, draft.text.as_bytes()));
            if let Err(e) = result {
                errors.push(ImportError::new(
                    &draft.path,
                    format!(
                        "cannot write the story from {}: {e}",
                        draft.source.display()
                    ),
                ));
                continue;
            }
        }
        written.push(outcome);
    }
    Report {
        outcomes: written,
        errors,
        skipped,
        decoded,
    }
}

/// Refuses an `into` that exists and is not a folder, saying what it is.
pub fn check_into(into: &Path) -> Result<(), ImportError> {
    match std::fs::metadata(into) {
        Ok(meta) if !meta.is_dir() => Err(ImportError::new(
            into,
            "is a file, not a folder: --into names the folder the drafts go to",
        )),
        _ => Ok(()),
    }
}

/// Makes sure `into` is a folder, saying what is wrong when it cannot be one.
fn into_folder(into: &Path) -> Result<(), ImportError> {
    check_into(into)?;
    std::fs::create_dir_all(into)
        .map_err(|e| ImportError::new(into, format!("cannot create the folder: {e}")))
}

/// A planned story: its front matter (without an id yet) and its body.
struct Planned {
    meta: FrontMatter,
    /// The hash of the text it copied, as kept in `source.hash`.
    hash: String,
    body: String,
    parts: Vec<SectionKind>,
    unplaced: Vec<String>,
}

fn draft(source: &Path, into: &Path, id: String, planned: Planned) -> Result<Draft, ImportError> {
    let mut meta = planned.meta;
    meta.id = id;
    let path = into.join(format!("{}.md", meta.id));
    let text = story::write::story_text(&meta, &planned.body)
        .map_err(|e| ImportError::new(source, format!("story \"{}\": {e}", meta.title)))?;
    Ok(Draft {
        source: source.to_owned(),
        path,
        meta,
        text,
        parts: planned.parts,
        unplaced: planned.unplaced,
    })
}

/// The stories in one notes file, each as front matter and body.
fn stories_in(path: &Path, text: &str) -> Result<Vec<Planned>, ImportError> {
    if story::parse(path, text).is_ok() {
        return Err(ImportError::new(
            path,
            "already a rehearse story (it loads as one): nothing to import",
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv"));
    let (mut front, body) = if is_csv {
        (NoteFrontMatter::default(), text)
    } else {
        NoteFrontMatter::split(text)
    };
    let found = if is_csv {
        spreadsheet::stories(path, body)?
    } else {
        let org = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("org"));
        let syntax = if org {
            extract::Syntax::Org
        } else {
            extract::Syntax::Markdown
        };
        extract::find_stories_as(body, syntax)
    };
    if found.is_empty() {
        return Err(ImportError::new(
            path,
            "no story found: no heading followed by STAR parts (## Situation, **Task:**, \
             Action: ...), no question line followed by them, and no section headings",
        ));
    }
    let file = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_owned())
        .to_string_lossy()
        .into_owned();
    let stem = path
        .file_stem()
        .map_or_else(|| "notes".to_owned(), |s| s.to_string_lossy().into_owned());
    let titles = titles(&found, &mut front.title, &stem);
    if let Some(title) = front.title.take() {
        front
            .rest
            .insert("title".to_owned(), serde_json::Value::String(title));
    }
    Ok(found
        .into_iter()
        .zip(titles)
        .map(|(found, title)| planned(found, title, &front, &file))
        .collect())
}

/// Each story's title: its heading; else the note's own title (once), its question, the file
/// name. Repeats within the file get " (2)", " (3)", so each is known on re-import.
fn titles(found: &[Found], note_title: &mut Option<String>, stem: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    found
        .iter()
        .map(|story| {
            let title = story
                .title
                .clone()
                .or_else(|| note_title.take())
                .or_else(|| story.questions.first().cloned())
                .unwrap_or_else(|| stem.to_owned());
            // One line, whatever the notes held (a spreadsheet cell may hold line breaks).
            let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            let count = seen.entry(title.clone()).or_default();
            *count += 1;
            if *count == 1 {
                title
            } else {
                format!("{title} ({count})")
            }
        })
        .collect()
}

/// `sha256:` and the first 32 hex digits of the hash of the story's words, lower-cased and
/// sorted: the same however the notes split it into parts, wrapped its lines or ended them.
fn content_hash(found: &Found) -> String {
    let mut words: Vec<String> = found
        .questions
        .iter()
        .chain(found.parts.iter().map(|(_, text)| text))
        .chain(&found.unplaced)
        .flat_map(|text| text.split_whitespace())
        .map(str::to_lowercase)
        .collect();
    words.sort_unstable();
    let digest = Sha256::digest(words.join(" ").as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// A block of copied text as the story file holds it: line breaks as `\n`, and, when it holds
/// a heading, fenced so the heading does not end the section it is in (the text stays as
/// written inside the fence, and lint counts the same words the import reports).
fn section_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let has_heading = pulldown_cmark::Parser::new(&text).any(|event| {
        matches!(
            event,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { .. })
        )
    });
    if !has_heading {
        return text;
    }
    let longest = text
        .lines()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '~').count())
        .max()
        .unwrap_or(0);
    let fence = "~".repeat(longest.max(2) + 1);
    format!(
        "<!-- fenced by rehearse import: it holds headings that would end this section -->\n{fence}\n{text}\n{fence}"
    )
}

fn planned(found: Found, title: String, front: &NoteFrontMatter, file: &str) -> Planned {
    let hash = content_hash(&found);
    let mut tags: Vec<String> = found
        .groups
        .iter()
        .map(|g| story::id::from_title(g))
        .collect();
    for tag in found.tags.iter().chain(&front.tags) {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    let mut sections: BTreeMap<SectionKind, Vec<String>> = BTreeMap::new();
    for (kind, text) in found.parts {
        sections.entry(kind).or_default().push(text);
    }
    let mut unplaced = sections.remove(&SectionKind::Unplaced).unwrap_or_default();
    unplaced.extend(found.unplaced);
    let mut body = String::new();
    let mut parts = Vec::new();
    for (kind, texts) in &sections {
        parts.push(*kind);
        let texts: Vec<String> = texts.iter().map(|t| section_text(t)).collect();
        body.push_str(&format!(
            "## {}\n\n{}\n\n",
            kind.title(),
            texts.join("\n\n")
        ));
    }
    if !unplaced.is_empty() {
        let texts: Vec<String> = unplaced.iter().map(|t| section_text(t)).collect();
        body.push_str(&format!("## Unplaced\n\n{}\n", texts.join("\n\n")));
    }
    let kind = if parts == [SectionKind::Answer] {
        StoryKind::Motivation
    } else {
        StoryKind::Story
    };
    Planned {
        meta: FrontMatter {
            id: String::new(),
            title,
            kind,
            draft: true,
            tags,
            competencies: Vec::new(),
            questions: found.questions,
            demo: None,
            metrics: Vec::new(),
            source: Some(Source {
                file: file.to_owned(),
                hash: Some(hash.clone()),
                front_matter: front.rest.clone(),
                unsplit: found.unsplit,
            }),
        },
        hash,
        body,
        parts,
        unplaced,
    }
}

/// A note's own front matter (Obsidian's and the like): `title` and `tags` map to ours, the
/// rest is kept under `source.front_matter`.
#[derive(Debug, Default)]
struct NoteFrontMatter {
    title: Option<String>,
    tags: Vec<String>,
    rest: BTreeMap<String, serde_json::Value>,
}

impl NoteFrontMatter {
    /// The front matter and the body after it. Text that starts with `---` but is not a YAML
    /// map is not front matter: it all stays in the body, so nothing is lost.
    fn split(text: &str) -> (NoteFrontMatter, &str) {
        let none = (NoteFrontMatter::default(), text);
        let mut lines = text.split_inclusive('\n');
        if lines.next().map(str::trim_end) != Some("---") {
            return none;
        }
        let yaml_start = text.find('\n').map_or(text.len(), |i| i + 1);
        let mut offset = yaml_start;
        for line in lines {
            if matches!(line.trim_end(), "---" | "...") {
                let yaml = &text[yaml_start..offset];
                let Ok(mut map) =
                    serde_saphyr::from_str::<BTreeMap<String, serde_json::Value>>(yaml)
                else {
                    return none;
                };
                let title = match map.remove("title") {
                    Some(serde_json::Value::String(title)) if !title.trim().is_empty() => {
                        Some(title.trim().to_owned())
                    }
                    Some(other) => {
                        map.insert("title".to_owned(), other);
                        None
                    }
                    None => None,
                };
                let tags = map.remove("tags").map(tag_list).unwrap_or_default();
                let front = NoteFrontMatter {
                    title,
                    tags,
                    rest: map,
                };
                return (front, &text[offset + line.len()..]);
            }
            offset += line.len();
        }
        none
    }
}

/// Obsidian writes tags as a list or as one string ("a, b" or "#a #b"); ours are a list.
fn tag_list(value: serde_json::Value) -> Vec<String> {
    let words: Vec<String> = match value {
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect(),
        serde_json::Value::String(s) => s
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(str::to_owned)
            .collect(),
        serde_json::Value::Null => Vec::new(),
        other => vec![other.to_string()],
    };
    words
        .iter()
        .map(|w| w.trim().trim_start_matches('#').to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
