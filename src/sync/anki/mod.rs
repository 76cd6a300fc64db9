//! Anki packages: the story cards written as a deck Anki imports ([`export`]), and the reviews
//! of those cards read back from a deck or collection Anki exported ([`import`]).
//!
//! The notes are of a note type of our own ([`NOTE_TYPE_NAME`]); each note's GUID is derived
//! from its card's stable id ([`guid`]), so exporting again after an edit updates the note in
//! Anki, and a review made in Anki finds its card here.

pub mod export;
mod html;
pub mod import;
pub(crate) mod package;
#[cfg(test)]
pub(crate) mod testing;

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
    #[error(transparent)]
    Output(#[from] crate::export::file::WriteError),
    #[error("writing the Anki collection for {path}: {source}")]
    Build {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::testing::{Form, reviewed_package};
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

    fn note(story: &str, key: &str, title: &str) -> (String, export::AnkiNote) {
        let card = CardId::new(story, key);
        let note = export::AnkiNote {
            guid: guid(&card),
            question: format!("Tell me about {key} <b>now</b>?"),
            answer: vec![crate::srs::AnswerPart {
                label: "Situation".into(),
                text: "It took **3 h**.".into(),
            }],
            story_title: title.into(),
            numbers: vec!["wall time: 3 h -> 30 min (6x faster)".into()],
            card_id: card.to_string(),
            tags: vec!["rehearse".into(), "performance".into()],
        };
        (export::deck_name(title), note)
    }

    fn at() -> jiff::Timestamp {
        "2026-11-25T18:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_deck_holds_our_note_type_a_note_per_card_and_a_subdeck_per_story() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deck.apkg");
        let notes = [
            note("faster", "q-a", "Made it faster"),
            note("faster", "numbers", "Made it faster"),
            note("outage", "q-b", "The outage"),
        ];
        let exported = export::write_package(&path, &notes, at()).unwrap();
        assert_eq!((exported.notes, exported.stories), (3, 2));
        let collection = dir.path().join("collection");
        package::extract_collection(&path, &collection).unwrap();
        let conn = rusqlite::Connection::open(&collection).unwrap();
        let (models, decks): (String, String) = conn
            .query_row("SELECT models, decks FROM col", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let models: serde_json::Value = serde_json::from_str(&models).unwrap();
        let model = models.as_object().unwrap().values().next().unwrap();
        assert_eq!(model["name"], NOTE_TYPE_NAME);
        let fields: Vec<&str> = model["flds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["Question", "Answer", "Story", "Numbers", "Id"]);
        let decks: serde_json::Value = serde_json::from_str(&decks).unwrap();
        let mut names: Vec<&str> = decks
            .as_object()
            .unwrap()
            .values()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "Default",
                "Rehearse",
                "Rehearse::Made it faster",
                "Rehearse::The outage"
            ]
        );
        let (guid, tags, fields): (String, String, String) = conn
            .query_row("SELECT guid, tags, flds FROM notes ORDER BY id", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(guid, "rehearse:faster#q-a");
        assert_eq!(tags, " rehearse performance ");
        let fields: Vec<&str> = fields.split('\u{1f}').collect();
        assert_eq!(fields[0], "Tell me about q-a &lt;b&gt;now&lt;/b&gt;?");
        assert!(fields[1].contains("<strong>3 h</strong>"), "{}", fields[1]);
        assert_eq!(fields[2], "Made it faster");
        assert_eq!(fields[3], "wall time: 3 h -&gt; 30 min (6x faster)");
        assert_eq!(fields[4], "faster#q-a");
        let cards: i64 = conn
            .query_row(
                "SELECT count(*) FROM cards WHERE type = 0 AND queue = 0",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(cards, 3, "new cards, no scheduling");
    }

    #[test]
    fn reviews_of_our_notes_are_read_back_from_every_form_anki_writes() {
        let dir = tempfile::tempdir().unwrap();
        let deck = dir.path().join("deck.apkg");
        let notes = [note("faster", "q-a", "F"), note("faster", "q-b", "F")];
        export::write_package(&deck, &notes, at()).unwrap();
        let first = at().as_millisecond() + 60_000;
        let answers = [
            ("rehearse:faster#q-a", 3, first),
            ("rehearse:faster#q-a", 1, first + 600_000),
            ("rehearse:faster#q-b", 4, first + 1_000),
            // "Set due date" in Anki: logged, but not an answer.
            ("rehearse:faster#q-b", 0, first + 2_000),
        ];
        for form in [Form::Oldest, Form::Legacy, Form::Current] {
            let phone = dir.path().join(format!("{form:?}.apkg"));
            reviewed_package(&deck, &phone, &answers, form);
            let read = import::read_reviews(&phone).unwrap();
            assert_eq!((read.our_notes, read.other_notes), (2, 1), "{form:?}");
            assert_eq!((read.others, read.not_answers), (2, 1), "{form:?}");
            let got: Vec<(String, crate::srs::Grade, i64)> = read
                .ours
                .iter()
                .map(|r| (r.card.to_string(), r.grade, r.review_id))
                .collect();
            assert_eq!(
                got,
                [
                    ("faster#q-a".to_owned(), crate::srs::Grade::Good, first),
                    (
                        "faster#q-b".to_owned(),
                        crate::srs::Grade::Easy,
                        first + 1_000
                    ),
                    (
                        "faster#q-a".to_owned(),
                        crate::srs::Grade::Again,
                        first + 600_000
                    ),
                ],
                "{form:?}"
            );
            assert_eq!(read.ours[0].at.as_millisecond(), first);
            assert_eq!(read.ours[0].answer_ms, 8_000);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_deck_replaces_only_a_regular_file_keeping_its_mode_and_follows_a_link() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let deck = dir.path().join("deck.apkg");
        std::fs::write(&deck, b"an older deck").unwrap();
        std::fs::set_permissions(&deck, std::fs::Permissions::from_mode(0o644)).unwrap();
        export::write_package(&deck, &[note("s", "q", "S")], at()).unwrap();
        let mode = std::fs::metadata(&deck).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        assert_eq!(import::read_reviews(&deck).unwrap().ours.len(), 0);

        let link = dir.path().join("phone.apkg");
        symlink(&deck, &link).unwrap();
        std::fs::write(&deck, b"stale").unwrap();
        export::write_package(&link, &[note("s", "q", "S")], at()).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(std::fs::read(&deck).unwrap().starts_with(b"PK"));

        let folder = dir.path().join("folder.apkg");
        std::fs::create_dir(&folder).unwrap();
        let error = export::write_package(&folder, &[note("s", "q", "S")], at()).unwrap_err();
        assert!(error.to_string().contains("is a folder"), "{error}");
        assert!(folder.is_dir());
    }

    #[test]
    fn a_file_that_is_not_a_sound_anki_package_is_named_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let deck = dir.path().join("deck.apkg");
        export::write_package(&deck, &[note("s", "q", "S")], at()).unwrap();
        let check = |name: &str, bytes: &[u8], expected: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let error = import::read_reviews(&path).unwrap_err().to_string();
            assert!(error.contains(name), "{error}");
            assert!(error.contains(expected), "{name}: {error}");
            assert!(
                error.contains("Export it from Anki again")
                    || error.contains("export it from Anki again"),
                "{error}"
            );
        };
        check(
            "notes.apkg",
            b"my notes, not a deck",
            "is not an Anki package",
        );
        let whole = std::fs::read(&deck).unwrap();
        check(
            "truncated.apkg",
            &whole[..whole.len() / 2],
            "is not an Anki package",
        );
        // A zip of something else.
        let other = dir.path().join("other.zip");
        {
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&other).unwrap());
            zip.start_file("photo.jpg", zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut zip, b"jpeg").unwrap();
            zip.finish().unwrap();
        }
        check(
            "other.apkg",
            &std::fs::read(&other).unwrap(),
            "holds no Anki collection",
        );
        // The current form with its compressed collection damaged.
        let current = dir.path().join("current.apkg");
        reviewed_package(&deck, &current, &[], Form::Current);
        let mut bytes = std::fs::read(&current).unwrap();
        let at = bytes
            .windows(4)
            .position(|w| w == [0x28, 0xb5, 0x2f, 0xfd])
            .expect("a zstd frame");
        for byte in &mut bytes[at + 20..at + 200] {
            *byte ^= 0x5a;
        }
        check("damaged.apkg", &bytes, "is damaged");
    }
}
