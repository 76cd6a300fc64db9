//! Practice beyond this terminal, for both front ends: the sync folder (this machine's new
//! entries written to its log, every machine's merged in, the cards they touch rescheduled),
//! and Anki (the cards out as a deck, the reviews made there back in).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{Practice, PracticeError, answer};
use crate::srs::CardId;
use crate::store::{Batch, MergeReport, ReviewOrigins, StoreError};
use crate::story::Story;
use crate::sync::anki::export::{self, AnkiNote, Exported};
use crate::sync::anki::{self, AnkiError};
use crate::sync::log::{self, Entry, EntryBody, LogError, LogFile, ReviewEntry};

#[derive(Debug, Error)]
pub enum SyncError {
    #[error(transparent)]
    Practice(#[from] PracticeError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Anki(#[from] AnkiError),
    #[error(
        "{path} holds none of rehearse's notes ({notes} other note(s)); nothing was imported. Export the deck with `rehearse anki export`, import it into Anki, review, then export it from Anki with scheduling"
    )]
    NoNotesOfOurs { path: PathBuf, notes: usize },
    #[error("no story has the tag `{0}`")]
    UnknownTag(String),
    #[error("no cards to export: every story is a draft, or none was loaded")]
    NothingToExport,
}

/// A sync folder as read, before anything is written.
#[derive(Debug)]
pub struct SyncPlan {
    pub folder: PathBuf,
    /// This machine's name in the folder (its log is `<machine>.jsonl`).
    pub machine: String,
    own: LogFile,
    others: Vec<LogFile>,
    /// Logs left out of the merge as a whole (a newer format, a damaged line), and why.
    pub skipped: Vec<LogError>,
}

impl SyncPlan {
    /// Entries in the other machines' logs (most are usually merged already).
    pub fn entries(&self) -> usize {
        self.others.iter().map(|l| l.entries.len()).sum()
    }

    pub fn machines(&self) -> Vec<String> {
        self.others.iter().map(|l| l.machine.clone()).collect()
    }
}

/// What a sync did.
#[derive(Debug, Clone)]
pub struct SyncSummary {
    pub folder: PathBuf,
    pub machine: String,
    /// Entries written to this machine's log.
    pub written: usize,
    /// The other machines whose logs were merged.
    pub machines: Vec<String>,
    pub merged: MergeReport,
    /// Logs left out, and why (see [`SyncPlan::skipped`]).
    pub skipped: Vec<String>,
    /// Logs whose last line was cut off while being written (skipped until complete): the
    /// file and the line.
    pub cut: Vec<(PathBuf, usize)>,
}

/// What an Anki import did.
#[derive(Debug, Clone)]
pub struct AnkiImport {
    pub merged: MergeReport,
    /// Answers to our cards found in the package.
    pub found: usize,
    /// Answers to notes that are not ours: ignored.
    pub others: usize,
    /// Manual reschedules in Anki (not answers): ignored.
    pub not_answers: usize,
    /// Our cards that this database does not have (their stories are not here).
    pub missing: BTreeSet<CardId>,
}

impl Practice {
    /// Syncs with `folder`: [`Practice::read_sync_folder`] then [`Practice::finish_sync`].
    pub fn sync_folder(&self, folder: &Path) -> Result<SyncSummary, SyncError> {
        let plan = self.read_sync_folder(folder)?;
        self.finish_sync(plan)
    }

    /// Reads every log in `folder`. Nothing is written yet.
    pub fn read_sync_folder(&self, folder: &Path) -> Result<SyncPlan, SyncError> {
        let files = log::log_files(folder)?;
        let machine = self.store.machine_id(&machine_label())?;
        let own_path = folder.join(log::file_name(&machine));
        let mut plan = SyncPlan {
            folder: folder.to_owned(),
            machine,
            own: LogFile::empty(own_path.clone()),
            others: Vec::new(),
            skipped: Vec::new(),
        };
        for path in files {
            match log::read_log(&path) {
                Ok(log) if path == own_path => plan.own = log,
                Ok(log) => plan.others.push(log),
                // This machine's own log must be readable: it is appended to next.
                Err(e) if path == own_path => return Err(e.into()),
                Err(e) => plan.skipped.push(e),
            }
        }
        Ok(plan)
    }

    /// Writes this machine's new entries to its log (first: they are safe in the folder even
    /// if the merge fails), then merges every log read in one transaction.
    pub fn finish_sync(&self, plan: SyncPlan) -> Result<SyncSummary, SyncError> {
        let local = self.store.local_entries()?;
        let written: HashSet<&str> = plan.own.entries.iter().map(|e| e.id.as_str()).collect();
        let here: HashSet<&str> = local.iter().map(|e| e.id.as_str()).collect();
        let new: Vec<&Entry> = local
            .iter()
            .filter(|e| !written.contains(e.id.as_str()))
            .collect();
        // What this machine's log holds and its database lost (a backup restored): back in.
        let lost: Vec<Entry> = plan
            .own
            .entries
            .iter()
            .filter(|e| !here.contains(e.id.as_str()))
            .cloned()
            .collect();
        // The folder may have gone since it was read (a network drive, an unmounted disk).
        log::check_folder(&plan.folder)?;
        log::append(&plan.own, new.iter().copied())?;
        let mut batches = vec![Batch {
            machine: None,
            entries: &lost,
        }];
        batches.extend(plan.others.iter().map(|log| Batch {
            machine: Some(log.machine.as_str()),
            entries: &log.entries,
        }));
        let merged = self.store.merge(&batches, &self.scheduler()?)?;
        let cut = std::iter::once(&plan.own)
            .chain(&plan.others)
            .filter_map(|log| Some((log.path.clone(), log.cut_line?)))
            .collect();
        Ok(SyncSummary {
            machines: plan.machines(),
            folder: plan.folder,
            machine: plan.machine,
            written: new.len(),
            merged,
            skipped: plan.skipped.iter().map(ToString::to_string).collect(),
            cut,
        })
    }

    /// Writes the cards of the stories (those tagged `tag`, if given) as an Anki package.
    pub fn export_anki(&self, path: &Path, tag: Option<&str>) -> Result<Exported, SyncError> {
        if let Some(tag) = tag
            && !self
                .stories
                .iter()
                .any(|s| s.meta.tags.iter().any(|t| t == tag))
        {
            return Err(SyncError::UnknownTag(tag.to_owned()));
        }
        let mut notes = Vec::new();
        for card in &self.deck.cards {
            let Some(story) = self.stories.iter().find(|s| s.id() == card.id.story_id) else {
                continue;
            };
            if tag.is_some_and(|tag| !story.meta.tags.iter().any(|t| t == tag)) {
                continue;
            }
            let mut parts = answer::full_answer(card, Some(story));
            // The story's title has a field of its own.
            parts.retain(|part| part.label != "Story");
            let note = AnkiNote {
                guid: anki::guid(&card.id),
                question: card.prompt.clone(),
                answer: parts,
                story_title: story.meta.title.clone(),
                numbers: key_numbers(story),
                card_id: card.id.to_string(),
                tags: anki_tags(story),
            };
            notes.push((export::deck_name(&story.meta.title), note));
        }
        if notes.is_empty() {
            return Err(SyncError::NothingToExport);
        }
        Ok(export::write_package(path, &notes, self.now())?)
    }

    /// Brings back the reviews of our cards from a package Anki exported with scheduling:
    /// each answer not here yet is added once (keyed by Anki's review id), and every card
    /// touched is rescheduled from its whole history, in one transaction.
    pub fn import_anki(&self, path: &Path) -> Result<AnkiImport, SyncError> {
        let package = anki::import::read_reviews(path)?;
        if package.our_notes == 0 {
            return Err(SyncError::NoNotesOfOurs {
                path: path.to_owned(),
                notes: package.other_notes,
            });
        }
        let mut entries = Vec::with_capacity(package.ours.len());
        let mut missing = BTreeSet::new();
        for review in &package.ours {
            let Some(card) = self.store.card(&review.card)? else {
                missing.insert(review.card.clone());
                continue;
            };
            let body = EntryBody::Review(ReviewEntry {
                story: review.card.story_id.clone(),
                card: review.card.key.clone(),
                at: review.at,
                grade: review.grade,
                cram: false,
                hash: card.content_hash,
                answer_ms: Some(review.answer_ms),
                sections_ms: [None; 4],
            });
            entries.push(Entry::new(format!("anki-{}", review.review_id), body));
        }
        let merged = self.store.merge(
            &[Batch {
                machine: None,
                entries: &entries,
            }],
            &self.scheduler()?,
        )?;
        Ok(AnkiImport {
            merged,
            found: package.ours.len(),
            others: package.others,
            not_answers: package.not_answers,
            missing,
        })
    }

    /// How many stored reviews came from Anki and from other machines.
    pub fn review_origins(&self) -> Result<ReviewOrigins, SyncError> {
        Ok(self.store.review_origins()?)
    }
}

/// The story's key numbers, one line each: `wall time: 3 h -> 30 min (6x faster)`.
fn key_numbers(story: &Story) -> Vec<String> {
    story
        .meta
        .metrics
        .iter()
        .map(|metric| {
            let value = match (&metric.before, &metric.after) {
                (Some(before), Some(after)) => Some(format!("{before} -> {after}")),
                (Some(value), None) | (None, Some(value)) => Some(value.clone()),
                (None, None) => None,
            };
            let mut line = metric.name.clone();
            match (value.as_ref(), metric.claim.as_ref()) {
                (Some(value), Some(claim)) => line.push_str(&format!(": {value} ({claim})")),
                (Some(text), None) | (None, Some(text)) => line.push_str(&format!(": {text}")),
                (None, None) => {}
            }
            line
        })
        .collect()
}

/// `rehearse`, the story's tags, and its competencies, as Anki tags.
fn anki_tags(story: &Story) -> Vec<String> {
    let mut tags = vec!["rehearse".to_owned()];
    for tag in story.meta.tags.iter().chain(&story.meta.competencies) {
        let tag = export::tag(tag);
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// A readable start for this machine's name in the sync folder: its host name, if known.
fn machine_label() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default();
    let mut label: String = host
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(24)
        .collect();
    label = label.trim_matches('-').to_owned();
    if label.is_empty() {
        "machine".to_owned()
    } else {
        label
    }
}

#[cfg(test)]
mod tests;
