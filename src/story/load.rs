//! Reading story files from disk, and which file keeps an id two files share. A bad file never
//! hides the good ones.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Story, StoryError, parse};

/// Story files larger than this are refused unread: a story is spoken in minutes.
pub const MAX_STORY_BYTES: u64 = 1024 * 1024;

/// What loading found: the stories that parsed, and one error for each file that did not.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub stories: Vec<Story>,
    pub errors: Vec<StoryError>,
    /// Files that parsed but use an id another loaded file keeps (each also has an error).
    pub duplicates: Vec<Story>,
}

impl LoadReport {
    /// The reason given when path order settles a shared id.
    pub const PATH_ORDER: &'static str = "first in path order";

    pub fn find(&self, id: &str) -> Option<&Story> {
        self.stories.iter().find(|s| s.id() == id)
    }

    /// Settles again which file keeps each id that several files share. `owner` is given the
    /// files of one id in path order and returns the index of the one that keeps it, with the
    /// reason shown in the others' errors; by default ([`load_paths`]) the first file in path
    /// order keeps it, "first in path order".
    pub fn settle_duplicates(&mut self, owner: impl Fn(&[&Story]) -> (usize, String)) {
        let ids: Vec<String> = self
            .duplicates
            .iter()
            .map(|d| d.id().to_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for id in ids {
            let Some(kept) = self.stories.iter().position(|s| s.id() == id) else {
                continue;
            };
            let mut group: Vec<Story> = vec![self.stories[kept].clone()];
            group.extend(self.duplicates.iter().filter(|d| d.id() == id).cloned());
            group.sort_by(|a, b| a.path.cmp(&b.path));
            let refs: Vec<&Story> = group.iter().collect();
            let (winner, reason) = owner(&refs);
            let winner = winner.min(group.len() - 1);
            let paths: Vec<PathBuf> = group.iter().map(|s| s.path.clone()).collect();
            self.errors
                .retain(|e| !(paths.contains(&e.path) && e.message.starts_with(DUPLICATE)));
            self.duplicates.retain(|d| d.id() != id);
            for (i, story) in group.into_iter().enumerate() {
                if i == winner {
                    self.stories[kept] = story;
                } else {
                    self.errors
                        .push(duplicate_error(&story, &paths[winner], &reason));
                    self.duplicates.push(story);
                }
            }
        }
    }
}

const DUPLICATE: &str = "duplicate id";
const PATH_ORDER: &str = LoadReport::PATH_ORDER;

/// Path order ("first in path order") keeps the wording `lint` has always printed.
fn duplicate_error(story: &Story, owner: &Path, reason: &str) -> StoryError {
    let message = if reason == PATH_ORDER {
        format!(
            "{DUPLICATE} `{}`: {} already uses it (ids must be unique; this file was skipped)",
            story.id(),
            owner.display()
        )
    } else {
        format!(
            "{DUPLICATE} `{}`: {} keeps it ({reason}); this file was skipped: give it another id",
            story.id(),
            owner.display()
        )
    };
    StoryError {
        line: story.meta_line("id"),
        message,
        path: story.path.clone(),
    }
}

/// Loads every `*.md` file under `paths` (folders are searched recursively, hidden entries
/// skipped), in path order. Duplicate ids: the first file keeps the id, later ones are errors
/// (and [`LoadReport::duplicates`]; see [`LoadReport::settle_duplicates`]).
pub fn load_paths(paths: &[PathBuf]) -> LoadReport {
    let mut report = LoadReport::default();
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            if let Err(error) = collect_markdown(path, &mut files) {
                report.errors.push(error);
            }
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();

    let mut first_with_id: HashMap<String, PathBuf> = HashMap::new();
    for file in files {
        match read_story(&file) {
            Ok(story) => {
                if let Some(first) = first_with_id.get(story.id()) {
                    report
                        .errors
                        .push(duplicate_error(&story, first, PATH_ORDER));
                    report.duplicates.push(story);
                } else {
                    first_with_id.insert(story.id().to_owned(), file);
                    report.stories.push(story);
                }
            }
            Err(error) => report.errors.push(error),
        }
    }
    report
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), StoryError> {
    let entries = std::fs::read_dir(dir).map_err(|e| StoryError {
        path: dir.to_owned(),
        line: 1,
        message: format!("cannot read folder: {e}"),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect_markdown(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads and parses one file, refusing what is not a story before parsing it.
pub fn read_story(path: &Path) -> Result<Story, StoryError> {
    let error = |line: usize, message: String| StoryError {
        path: path.to_owned(),
        line,
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| error(1, format!("cannot read: {e}")))?
        .len();
    if size > MAX_STORY_BYTES {
        return Err(error(
            1,
            format!(
                "file is {:.1} MB; a story file may be at most {} KB",
                size as f64 / 1e6,
                MAX_STORY_BYTES / 1024
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| error(1, format!("cannot read: {e}")))?;
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(error(
            line_at(&bytes, nul),
            "looks like a binary file (contains a NUL byte), not Markdown".to_owned(),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        error(
            line_at(e.as_bytes(), at),
            format!("not valid UTF-8 (byte {at}); save the file as UTF-8"),
        )
    })?;
    parse(path, &text)
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}
