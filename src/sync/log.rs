//! The sync log: one JSON-lines file per machine in the sync folder (`<machine>.jsonl`), each
//! line one entry with the format version, its id and what happened (a review, an undo, a mock
//! answer, a pick-card review). A machine only ever appends to its own file, so a sync tool
//! (git, Syncthing, Dropbox) never sees two writers of one file, and a git merge of two clones'
//! folders never conflicts.
//!
//! Reading is strict where strictness protects the database: a line written by a newer
//! rehearse, or a damaged line in the middle of a file, keeps the whole file out of the merge
//! (named, with its line). The last line alone may be cut off (a crash while appending): it is
//! skipped, and this machine's own file is repaired before it is appended to.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::srs::Grade;

/// The format this build writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// Log files end in `.jsonl`; anything else in the folder is left alone.
pub const EXTENSION: &str = "jsonl";

#[derive(Debug, Error)]
pub enum LogError {
    #[error(
        "the sync folder {path} does not exist (moved, renamed, or not mounted?): nothing was synced; this machine's reviews stay in its database and are written on the next sync. Create the folder, or fix `[sync] dir` in the config"
    )]
    MissingFolder { path: PathBuf },
    #[error("the sync folder {path} is a file, not a folder: nothing was synced")]
    NotAFolder { path: PathBuf },
    #[error("cannot read the sync folder {path}: {source}")]
    ReadFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the sync log {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}, line {line}, was written by a newer rehearse (log format {found}; this one reads up to {FORMAT_VERSION}): upgrade rehearse here; nothing of that file was merged"
    )]
    Newer {
        path: PathBuf,
        line: usize,
        found: u32,
    },
    #[error(
        "{path}, line {line}, is not a sync entry ({message}); nothing of that file was merged"
    )]
    BadLine {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "cannot write the sync log {path}: {source}; this machine's entries stay in its database and are written on the next sync"
    )]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// One line of a log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The log format of the line.
    pub v: u32,
    /// Unique across machines: what the merge deduplicates on.
    pub id: String,
    #[serde(flatten)]
    pub body: EntryBody,
}

impl Entry {
    pub fn new(id: impl Into<String>, body: EntryBody) -> Entry {
        Entry {
            v: FORMAT_VERSION,
            id: id.into(),
            body,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryBody {
    /// A graded story card.
    Review(ReviewEntry),
    /// A review or pick-card review taken back.
    Undo(UndoEntry),
    /// A graded mock question (its pick-card review is an entry of its own).
    MockAnswer(Box<MockAnswerEntry>),
    /// A graded pick card ("which story answers ...?"), in a mock or a drill.
    PickReview(PickReviewEntry),
}

/// A story card's review: which card, when, the grade. The schedule is not logged: every
/// machine computes it by replaying the card's reviews in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewEntry {
    pub story: String,
    pub card: String,
    pub at: Timestamp,
    pub grade: Grade,
    /// Practice ahead: logged, but the schedule ignores it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cram: bool,
    /// The card's content hash when answered.
    pub hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_ms: Option<i64>,
    /// Situation, task, action, result.
    #[serde(default, skip_serializing_if = "no_sections")]
    pub sections_ms: [Option<i64>; 4],
}

fn no_sections(sections: &[Option<i64>; 4]) -> bool {
    sections.iter().all(Option::is_none)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UndoEntry {
    /// The id of the review (or pick-card review) taken back.
    pub target: String,
}

impl UndoEntry {
    /// An undo's own id: one per target, whichever machine logs it.
    pub fn id_for(target: &str) -> String {
        format!("undo-{target}")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickReviewEntry {
    /// The bank question's key.
    pub question: String,
    pub competency: String,
    pub prompt: String,
    pub at: Timestamp,
    pub grade: Grade,
}

/// A mock session as its answers carry it, so another machine can file them under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MockSessionEntry {
    pub id: String,
    pub started_at: Timestamp,
    pub seed: u64,
    pub questions: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    pub interface: String,
}

/// A graded mock question, column for column as the database keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MockAnswerEntry {
    pub session: MockSessionEntry,
    pub position: i64,
    pub asked_at: Timestamp,
    pub competency: String,
    pub question_key: String,
    pub question: String,
    /// None: no story picked (a gap).
    pub story: Option<String>,
    pub declares: Option<bool>,
    pub better_fits: Vec<String>,
    pub pick_ms: i64,
    pub answer_ms: Option<i64>,
    pub sections_ms: [Option<i64>; 4],
    /// The probes and the self-check as the mock stores them (JSON).
    pub probes: serde_json::Value,
    pub self_check: serde_json::Value,
    pub grade: Grade,
    pub pick_grade: Grade,
}

/// A log as read: its machine (the file's name) and its entries.
#[derive(Debug, Clone, PartialEq)]
pub struct LogFile {
    pub path: PathBuf,
    pub machine: String,
    pub entries: Vec<Entry>,
    /// The last line, cut off by a crash while it was written: skipped (its number).
    pub cut_line: Option<usize>,
    /// Bytes up to the end of the last line that has its newline.
    whole_len: u64,
    /// The last entry is whole but lacks its newline (a crash just before it).
    unterminated: bool,
}

impl LogFile {
    /// A log not written yet.
    pub fn empty(path: PathBuf) -> LogFile {
        LogFile {
            machine: machine_of(&path),
            path,
            entries: Vec::new(),
            cut_line: None,
            whole_len: 0,
            unterminated: false,
        }
    }
}

/// `<machine>.jsonl`.
pub fn file_name(machine: &str) -> String {
    format!("{machine}.{EXTENSION}")
}

fn machine_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The log files in `folder`, in name order. The folder must exist: one that disappeared is
/// named, never created again (it may be a sync folder that is not mounted).
pub fn log_files(folder: &Path) -> Result<Vec<PathBuf>, LogError> {
    check_folder(folder)?;
    let read_error = |source| LogError::ReadFolder {
        path: folder.to_owned(),
        source,
    };
    let mut files = Vec::new();
    for item in std::fs::read_dir(folder).map_err(read_error)? {
        let path = item.map_err(read_error)?.path();
        if path.extension().is_some_and(|e| e == EXTENSION) && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Fails unless `folder` is an existing folder.
pub fn check_folder(folder: &Path) -> Result<(), LogError> {
    match std::fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(LogError::NotAFolder {
            path: folder.to_owned(),
        }),
        Err(_) => Err(LogError::MissingFolder {
            path: folder.to_owned(),
        }),
    }
}

/// Reads a log. A missing file is an empty log.
pub fn read_log(path: &Path) -> Result<LogFile, LogError> {
    let mut bytes = Vec::new();
    match File::open(path) {
        Ok(mut file) => {
            file.read_to_end(&mut bytes)
                .map_err(|source| LogError::Read {
                    path: path.to_owned(),
                    source,
                })?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(LogFile::empty(path.to_owned()));
        }
        Err(source) => {
            return Err(LogError::Read {
                path: path.to_owned(),
                source,
            });
        }
    }
    parse_log(path, &bytes)
}

fn parse_log(path: &Path, bytes: &[u8]) -> Result<LogFile, LogError> {
    let mut log = LogFile::empty(path.to_owned());
    let mut start = 0;
    let mut number = 0;
    while start < bytes.len() {
        number += 1;
        let (line, end, whole) = match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(at) => (&bytes[start..start + at], start + at + 1, true),
            None => (&bytes[start..], bytes.len(), false),
        };
        match parse_line(path, number, line) {
            Ok(entry) => log.entries.extend(entry),
            // Only the very last line, with no newline after it, can be cut off by a crash:
            // a line is written with its newline in one write.
            Err(LogError::BadLine { .. }) if !whole => {
                log.cut_line = Some(number);
                return Ok(log);
            }
            Err(e) => return Err(e),
        }
        if whole {
            log.whole_len = end as u64;
        } else {
            log.unterminated = true;
        }
        start = end;
    }
    Ok(log)
}

/// One line as an entry; None for a blank line.
fn parse_line(path: &Path, number: usize, line: &[u8]) -> Result<Option<Entry>, LogError> {
    #[derive(Deserialize)]
    struct Version {
        v: u32,
    }
    let bad = |message: String| LogError::BadLine {
        path: path.to_owned(),
        line: number,
        message,
    };
    let text = std::str::from_utf8(line).map_err(|_| bad("not UTF-8 text".into()))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let version: Version = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    if version.v > FORMAT_VERSION {
        return Err(LogError::Newer {
            path: path.to_owned(),
            line: number,
            found: version.v,
        });
    }
    let entry: Entry = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    if entry.id.trim().is_empty() {
        return Err(bad("an empty id".into()));
    }
    Ok(Some(entry))
}

/// Appends `entries` to this machine's own log, read before as `log`: a line cut off by a
/// crash is dropped first (this machine is the file's only writer, and the entry it held is
/// among those written again), then every entry is written and flushed to disk.
pub fn append<'a>(
    log: &LogFile,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Result<(), LogError> {
    let mut text = String::new();
    for entry in entries {
        text.push_str(&serde_json::to_string(entry).expect("entries serialise"));
        text.push('\n');
    }
    if text.is_empty() && log.cut_line.is_none() {
        return Ok(());
    }
    let write_error = |source| LogError::Write {
        path: log.path.clone(),
        source,
    };
    if log.unterminated {
        text.insert(0, '\n');
    }
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log.path)
        .map_err(write_error)?;
    if log.cut_line.is_some() {
        // Appending writes at the new end.
        file.set_len(log.whole_len).map_err(write_error)?;
    }
    file.write_all(text.as_bytes()).map_err(write_error)?;
    file.sync_all().map_err(write_error)?;
    Ok(())
}

#[cfg(test)]
mod tests;
