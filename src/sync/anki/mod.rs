//! Anki packages: the story cards written as a deck Anki imports ([`export`]), and the reviews
//! of those cards read back from a deck or collection Anki exported ([`import`]).
//!
//! The notes are of a note type of our own ([`NOTE_TYPE_NAME`]); each note's GUID is derived
//! from its card's stable id ([`guid`]), so exporting again after an edit updates the note in
//! Anki, and a review made in Anki finds its card here.

pub mod export;
mod html;
pub mod import;
mod package;

use std::path::PathBuf;

use thiserror::Error;

use crate::srs::CardId;

/// The name of our note type in Anki.
pub const NOTE_TYPE_NAME: &str = "rehearse";

/// The root deck; each story is a subdeck of it.
pub const ROOT_DECK: &str = "Rehearse";

const GUID_PREFIX: &str = "rehearse:";

/// A card's note GUID: `rehearse:<story id>#<card key>`, the card's stable id.
pub fn guid(card: &CardId) -> String {
    format!("{GUID_PREFIX}{card}")
}

/// The card a GUID names, if it is one of ours.
pub fn card_of_guid(guid: &str) -> Option<CardId> {
    let (story, key) = guid.strip_prefix(GUID_PREFIX)?.split_once('#')?;
    (!story.is_empty() && !key.is_empty()).then(|| CardId::new(story, key))
}

#[derive(Debug, Error)]
pub enum AnkiError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} is not an Anki package ({reason}); export it from Anki again (File > Export, with scheduling)"
    )]
    NotAPackage { path: PathBuf, reason: String },
    #[error(
        "{path} is damaged ({reason}); nothing was imported. Export it from Anki again (File > Export, with scheduling)"
    )]
    Damaged { path: PathBuf, reason: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("writing the Anki collection for {path}: {source}")]
    Build {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guid_names_its_card_and_only_ours_are_read_back() {
        let card = CardId::new("faster", "q-tell-me-about-a-system-you-made-faster");
        let guid = guid(&card);
        assert_eq!(
            guid,
            "rehearse:faster#q-tell-me-about-a-system-you-made-faster"
        );
        assert_eq!(card_of_guid(&guid), Some(card));
        for other in [
            "f(Kz8#q",
            "rehearse:",
            "rehearse:#k",
            "rehearse:s#",
            "x:s#k",
        ] {
            assert_eq!(card_of_guid(other), None, "{other}");
        }
    }
}
