//! Packages as Anki exports them after reviews, made from one of our exports without Anki:
//! for the tests that cannot run the real Anki (those are in `tests/anki_real.rs`).

use std::io::Write;
use std::path::Path;

use rusqlite::{Connection, params};
use zip::write::SimpleFileOptions;

use super::package;

/// The three forms Anki writes (see `package`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `collection.anki2`, deflated.
    Oldest,
    /// `collection.anki21`, deflated, beside a stub `collection.anki2`.
    Legacy,
    /// `collection.anki21b`, zstd, stored, beside a stub `collection.anki2`.
    Current,
}

/// One answer given in "Anki": the note's GUID, the ease (1-4, 0 for a manual reschedule),
/// the time in Unix ms (also its review id).
pub type Answer<'a> = (&'a str, i64, i64);

/// Writes to `out` the deck exported at `deck` as Anki would export it after `answers`, plus
/// a note of another deck reviewed twice.
pub fn reviewed_package(deck: &Path, out: &Path, answers: &[Answer<'_>], form: Form) {
    let dir = tempfile::tempdir().unwrap();
    let collection = dir.path().join("collection");
    package::extract_collection(deck, &collection).unwrap();
    let conn = Connection::open(&collection).unwrap();
    for &(guid, ease, at) in answers {
        let card: i64 = conn
            .query_row(
                "SELECT c.id FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ?1",
                [guid],
                |row| row.get(0),
            )
            .unwrap();
        insert_review(&conn, at, card, ease);
    }
    conn.execute_batch(
        "INSERT INTO notes VALUES (7, 'f(Kz8sQx1', 1, 0, -1, '', 'front\x1fback', 'front', 0, 0, '');
         INSERT INTO cards VALUES (7, 7, 1, 0, 0, -1, 2, 2, 1, 1, 2500, 2, 0, 0, 0, 0, 0, '');",
    )
    .unwrap();
    insert_review(&conn, 1_700_000_000_000, 7, 3);
    insert_review(&conn, 1_700_000_100_000, 7, 4);
    drop(conn);
    zip_collection(&collection, out, form);
}

fn insert_review(conn: &Connection, at: i64, card: i64, ease: i64) {
    conn.execute(
        "INSERT INTO revlog VALUES (?1, ?2, -1, ?3, 1, 0, 2500, 8000, ?4)",
        params![at, card, ease, if ease == 0 { 4 } else { 0 }],
    )
    .unwrap();
}

/// Zips a collection file in `form`.
pub fn zip_collection(collection: &Path, out: &Path, form: Form) {
    let bytes = std::fs::read(collection).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let deflated = SimpleFileOptions::default();
    let stored = deflated.compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, options: SimpleFileOptions, data: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(data).unwrap();
    };
    // Old versions of Anki read the stub and show "please update"; it is no collection.
    let stub = b"not the collection";
    match form {
        Form::Oldest => add("collection.anki2", deflated, &bytes),
        Form::Legacy => {
            add("collection.anki21", deflated, &bytes);
            add("collection.anki2", stored, stub);
        }
        Form::Current => {
            let zstd = ruzstd::encoding::compress_to_vec(
                bytes.as_slice(),
                ruzstd::encoding::CompressionLevel::Fastest,
            );
            add("meta", stored, &[8, 3]);
            add("collection.anki21b", stored, &zstd);
            add("collection.anki2", stored, stub);
        }
    }
    add("media", stored, b"");
    zip.finish().unwrap();
}
