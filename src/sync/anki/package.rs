//! The zip around an Anki collection. Anki writes three forms, and reads them all:
//! - current (2.1.50 on, `.apkg` and `.colpkg`): `collection.anki21b`, the SQLite file
//!   compressed with zstd, stored as is (beside a stub `collection.anki2` for old versions);
//! - legacy, "support older Anki versions": `collection.anki21`, deflated;
//! - oldest: `collection.anki2`, deflated. This is what [`write`] produces.

use std::io::{Read, Write};
use std::path::Path;

use zip::ZipArchive;
use zip::write::SimpleFileOptions;

use super::AnkiError;

/// The collection inside a package, by preference: the newest form first.
const COLLECTIONS: [(&str, bool); 3] = [
    ("collection.anki21b", true),
    ("collection.anki21", false),
    ("collection.anki2", false),
];

/// The SQLite collection held by the package at `path`, uncompressed, written to `into`.
pub fn extract_collection(path: &Path, into: &Path) -> Result<(), AnkiError> {
    let not_a_package = |reason: String| AnkiError::NotAPackage {
        path: path.to_owned(),
        reason,
    };
    let damaged = |reason: String| AnkiError::Damaged {
        path: path.to_owned(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|source| AnkiError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut archive = ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        not_a_package(format!(
            "not a complete zip file, cut short or damaged? {e}"
        ))
    })?;
    let Some((name, zstd)) = COLLECTIONS
        .into_iter()
        .find(|(name, _)| archive.index_for_name(name).is_some())
    else {
        return Err(not_a_package("it holds no Anki collection".into()));
    };
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .and_then(|mut entry| Ok(entry.read_to_end(&mut bytes)?))
        .map_err(|e| damaged(format!("{name}: {e}")))?;
    if zstd {
        bytes = unzstd(&bytes).map_err(|e| damaged(format!("{name}: {e}")))?;
    }
    std::fs::write(into, &bytes).map_err(|source| AnkiError::Write {
        path: into.to_owned(),
        source,
    })
}

/// Decompresses zstd data, frame after frame.
fn unzstd(compressed: &[u8]) -> Result<Vec<u8>, String> {
    let mut input = compressed;
    let mut plain = Vec::new();
    while !input.is_empty() {
        let mut frame =
            ruzstd::decoding::StreamingDecoder::new(&mut input).map_err(|e| e.to_string())?;
        frame.read_to_end(&mut plain).map_err(|e| e.to_string())?;
    }
    Ok(plain)
}

/// Writes a package holding the SQLite collection `collection` (the oldest form, which every
/// Anki imports) to `path`: to a temporary file first, renamed over `path` once complete, so
/// an interrupted export never leaves half a deck.
pub fn write(path: &Path, collection: &Path) -> Result<(), AnkiError> {
    let write_error = |source: std::io::Error| AnkiError::Write {
        path: path.to_owned(),
        source,
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let bytes = std::fs::read(collection).map_err(write_error)?;
    zip.start_file("collection.anki2", options)
        .map_err(|e| write_error(e.into()))?;
    zip.write_all(&bytes).map_err(write_error)?;
    // No media: the cards are text.
    zip.start_file("media", options)
        .map_err(|e| write_error(e.into()))?;
    zip.write_all(b"{}").map_err(write_error)?;
    let package = zip
        .finish()
        .map_err(|e| write_error(e.into()))?
        .into_inner();
    // The same safe writer as the prep pack: a regular file replaced atomically with its mode
    // kept, a link followed, a folder, device or pipe refused. A deck is exported again after
    // every edit, so an existing file is replaced without asking.
    crate::export::file::write_pack(path, &package, true)?;
    Ok(())
}
